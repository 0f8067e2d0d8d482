"""Build the example PDF original: the MACIP update briefing as an agency's unredacted PDF.

The text is that of ``examples/macip-release/originals/02-macip-update.md`` with its
markup taken off (withheld passages shown, as in the original), laid out by
reportlab. Like real originals, the PDF carries what must not be published with
it: document properties naming the author, bookmarks, a reviewer's sticky note and
an attachment. The output is the same bytes on every run.

    python examples/pdf-original/build.py     # writes examples/pdf-original/macip-update.pdf
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pikepdf
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "macip-release" / "originals" / "02-macip-update.md"
OUTPUT = HERE / "macip-update.pdf"


def _plain(text: str) -> str:
    """The original's text: marked spans and blocks unwrapped, Markdown emphasis and escapes dropped."""
    text = re.sub(r"\]\{[^}]*\}", "", text)
    text = re.sub(r"\[(?=[^\]]*$|\()", "", text, flags=re.M)
    text = text.replace("[", "")
    text = re.sub(r"^:::.*$\n?", "", text, flags=re.M)
    text = text.replace("\\$", "$").replace("*", "")
    return text


def _blocks(text: str) -> list[tuple[str, str]]:
    """(kind, text) for each heading, paragraph, list item and table row, in order."""
    out: list[tuple[str, str]] = []
    current: list[str] = []
    kind = "p"

    def flush() -> None:
        nonlocal current
        if current:
            out.append((kind, " ".join(part.strip() for part in current)))
        current = []

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(">"):
            flush()
            continue
        if stripped.startswith("#"):
            flush()
            out.append(("h1" if stripped.startswith("# ") else "h2", stripped.lstrip("# ")))
            continue
        if stripped.startswith("|"):
            flush()
            if not set(stripped) <= set("|- "):
                out.append(("row", stripped))
            continue
        if re.match(r"(\d+\.|-) ", stripped):
            flush()
            kind = "p"
        current.append(stripped)
    flush()
    return out


# A font with macrons (whānau); the PDF standard fonts have none. DejaVu Sans is in most Linux systems.
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _fonts() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not (DEJAVU / "DejaVuSans.ttf").exists():
        return "Helvetica", "Helvetica-Bold"
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(DEJAVU / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(DEJAVU / "DejaVuSans-Bold.ttf")))
    return "DejaVuSans", "DejaVuSans-Bold"


def build() -> bytes:
    """The example original as PDF bytes (the same on every run on one machine)."""
    regular, bold = _fonts()
    styles = getSampleStyleSheet()
    for name in ("Title", "Heading2"):
        styles[name].fontName = bold
    body = ParagraphStyle("body", parent=styles["BodyText"], fontName=regular, fontSize=10, leading=14)
    story: list = []
    rows = []
    for kind, text in _blocks(_plain(SOURCE.read_text(encoding="utf-8"))):
        safe = text.replace("&", "&amp;").replace("<", "&lt;")
        if kind == "h1":
            story += [Paragraph(safe, styles["Title"]), Spacer(1, 4 * mm)]
        elif kind == "h2":
            story.append(Paragraph(safe, styles["Heading2"]))
        elif kind == "row":
            rows.append([Paragraph(cell.strip(), body) for cell in text.strip("|").split("|")])
        else:
            story.append(Paragraph(safe, body))
    layout = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")])
    story.append(Table(rows, colWidths=[30 * mm, 80 * mm, 55 * mm], style=layout))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        invariant=True,
        title="MACIP Update (unredacted)",
        author="Detective Inspector Jane Citizen",
    ).build(story)
    # What travels with a real original: bookmarks, a reviewer's note and an attachment.
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem("Year-one spending (withheld)", 0))
        note = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Text,
            Rect=[500, 760, 520, 780],
            Contents=pikepdf.String("Reviewer: the Harbourside pilot figures must not go out."),
        )
        pdf.pages[0].obj.Annots = pikepdf.Array([pdf.make_indirect(note)])
        pdf.attachments["costings.txt"] = pikepdf.AttachedFileSpec(pdf, b"Year-one spending: coordination desk fit-out")
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT
    target.write_bytes(build())
    print(f"wrote {target}")  # noqa: T201
