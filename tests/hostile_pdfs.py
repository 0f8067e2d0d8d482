"""A corpus of hostile PDF originals: each hides a withheld name where real redactions have leaked it.

Every document shows ``SECRET`` in its body (so a phrase mark finds it) and hides it
once more in one of the places text survives a careless redaction: under a black
rectangle, as invisible text, in an OCR layer behind a scanned image, in an
annotation or link, a bookmark, a form field, the metadata, an attachment,
JavaScript, page labels or a hidden layer. ``build_corpus(folder)`` writes them
all with a marks file each; ``python tests/hostile_pdfs.py DIR`` does the same.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

SECRET = "Jane Citizen"
PHONE = "021 555 0199"
BODY = [
    "Briefing note: referral to the coordination group",
    f"The referral was made by {SECRET} on 3 December 2020.",
    f"Contact: {PHONE} (direct line).",
    "The group will meet again in February to review progress.",
]
MARKS = {"marks": [{"phrase": SECRET, "grounds": ["9(2)(a)"]}]}


def _page(c: canvas.Canvas, lines: list[str] = BODY, top: float = 760) -> None:
    c.setFont("Helvetica", 11)
    for n, line in enumerate(lines):
        c.drawString(72, top - 18 * n, line)


def _reportlab(draw: Callable[[canvas.Canvas], None], pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    for number in range(pages):
        draw(c) if number == 0 else _page(c, [f"Page {number + 1}: nothing withheld here."])
        c.showPage()
    c.save()
    return buffer.getvalue()


def _with_pikepdf(data: bytes, change: Callable[[pikepdf.Pdf], None]) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def under_black_rectangle() -> bytes:
    """The name drawn, then a black rectangle drawn over it: the classic failed redaction."""

    def draw(c: canvas.Canvas) -> None:
        _page(c)
        c.setFillColorRGB(0, 0, 0)
        c.rect(200, 738, 80, 14, fill=1, stroke=0)

    return _reportlab(draw)


def invisible_text() -> bytes:
    """The name again in render mode 3 (invisible), elsewhere on the page."""

    def draw(c: canvas.Canvas) -> None:
        _page(c)
        text = c.beginText(72, 400)
        text.setTextRenderMode(3)
        text.setFont("Helvetica", 11)
        text.textLine(f"Hidden note: {SECRET} asked not to be named.")
        c.drawText(text)

    return _reportlab(draw)


def ocr_behind_image() -> bytes:
    """A scanned page: an image of the text, with an invisible OCR layer under it."""
    from PIL import Image, ImageDraw, ImageFont

    scale = 2
    width, height = int(A4[0] * scale), int(A4[1] * scale)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=11 * scale)
    for n, line in enumerate(BODY):
        draw.text((72 * scale, (A4[1] - 760 + 18 * n) * scale), line, fill="black", font=font, anchor="ls")
    png = io.BytesIO()
    image.save(png, format="PNG")

    def paint(c: canvas.Canvas) -> None:
        text = c.beginText(72, 760)
        text.setTextRenderMode(3)
        text.setFont("Helvetica", 11)
        text.setLeading(18)
        for line in BODY:
            text.textLine(line)
        c.drawText(text)
        from reportlab.lib.utils import ImageReader

        c.drawImage(ImageReader(io.BytesIO(png.getvalue())), 0, 0, width=A4[0], height=A4[1])

    return _reportlab(paint)


def scanned_image_only() -> bytes:
    """A scanned page with no text at all (marked by page and rectangle)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (int(A4[0]), int(A4[1])), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=11)
    for n, line in enumerate(BODY):
        draw.text((72, A4[1] - 760 + 18 * n), line, fill="black", font=font, anchor="ls")

    def paint(c: canvas.Canvas) -> None:
        from reportlab.lib.utils import ImageReader

        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        c.drawImage(ImageReader(buffer), 0, 0, width=A4[0], height=A4[1])

    return _reportlab(paint)


def _annotation(pdf: pikepdf.Pdf) -> None:
    page = pdf.pages[0]
    note = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Text,
        Rect=[400, 700, 420, 720],
        Contents=String(f"Reviewer: check with {SECRET}"),
        T=String(SECRET),
    )
    link = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=[72, 600, 200, 612],
        A=Dictionary(S=Name.URI, URI=String("https://example.org/people/jane-citizen?name=Jane%20Citizen")),
    )
    page.obj.Annots = Array([pdf.make_indirect(note), pdf.make_indirect(link)])


def in_annotations() -> bytes:
    """A sticky note and a link that name the person."""
    return _with_pikepdf(_reportlab(_page), _annotation)


def in_bookmarks() -> bytes:
    """An outline (bookmark) titled with the name."""

    def change(pdf: pikepdf.Pdf) -> None:
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem(f"Referral by {SECRET}", 0))

    return _with_pikepdf(_reportlab(_page, pages=2), change)


def in_form_field() -> bytes:
    """A filled-in form field holding the name, with its appearance."""

    def change(pdf: pikepdf.Pdf) -> None:
        appearance = pikepdf.Stream(pdf, f"BT /Helv 10 Tf 2 4 Td ({SECRET}) Tj ET".encode())
        appearance.Type, appearance.Subtype, appearance.BBox = Name.XObject, Name.Form, [0, 0, 150, 18]
        field = pdf.make_indirect(
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Widget,
                FT=Name.Tx,
                T=String("referrer"),
                V=String(SECRET),
                Rect=[300, 500, 450, 518],
                AP=Dictionary(N=pdf.make_indirect(appearance)),
            )
        )
        pdf.pages[0].obj.Annots = Array([field])
        pdf.Root.AcroForm = Dictionary(Fields=Array([field]), DA=String("/Helv 10 Tf 0 g"))

    return _with_pikepdf(_reportlab(_page), change)


def in_metadata() -> bytes:
    """Document information and XMP naming the person."""

    def change(pdf: pikepdf.Pdf) -> None:
        pdf.docinfo["/Title"] = f"Referral by {SECRET}"
        pdf.docinfo["/Author"] = SECRET
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:creator"] = [SECRET]
            meta["dc:description"] = f"Notes on {SECRET}"

    return _with_pikepdf(_reportlab(_page), change)


def in_attachment() -> bytes:
    """An embedded file whose name and content hold the name."""

    def change(pdf: pikepdf.Pdf) -> None:
        spec = pikepdf.AttachedFileSpec(pdf, f"Case notes: {SECRET}, {PHONE}".encode(), description=SECRET)
        pdf.attachments["jane-citizen.txt"] = spec

    return _with_pikepdf(_reportlab(_page), change)


def in_javascript() -> bytes:
    """An open action and a document-level script that carry the name."""

    def change(pdf: pikepdf.Pdf) -> None:
        script = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String(f"app.alert('{SECRET}');")))
        pdf.Root.OpenAction = script
        pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("greeting"), script])))
        pdf.pages[0].obj.AA = Dictionary(O=script)

    return _with_pikepdf(_reportlab(_page), change)


def in_page_labels_and_layers() -> bytes:
    """A page label and a hidden optional-content layer that hold the name."""

    def change(pdf: pikepdf.Pdf) -> None:
        layer = pdf.make_indirect(Dictionary(Type=Name.OCG, Name=String(f"Names ({SECRET})")))
        pdf.Root.OCProperties = Dictionary(OCGs=Array([layer]), D=Dictionary(OFF=Array([layer])))
        pdf.Root.PageLabels = Dictionary(Nums=Array([0, Dictionary(P=String(f"{SECRET}-"))]))
        page = pdf.pages[0]
        page.obj.Resources.Properties = Dictionary(L0=layer)
        font = page.obj.Resources.Font.keys()
        hidden = f"/OC /L0 BDC BT {sorted(font)[0]} 11 Tf 72 300 Td ({SECRET} in a hidden layer) Tj ET EMC".encode()
        page.contents_add(pikepdf.Stream(pdf, hidden), prepend=False)

    return _with_pikepdf(_reportlab(_page), change)


def everything() -> bytes:
    """Every hiding place at once, over three pages."""

    def draw(c: canvas.Canvas) -> None:
        _page(c)
        c.setFillColorRGB(0, 0, 0)
        c.rect(200, 738, 80, 14, fill=1, stroke=0)
        text = c.beginText(72, 400)
        text.setTextRenderMode(3)
        text.setFont("Helvetica", 11)
        text.textLine(f"Hidden note: {SECRET}.")
        c.drawText(text)

    def change(pdf: pikepdf.Pdf) -> None:
        _annotation(pdf)
        pdf.docinfo["/Author"] = SECRET
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:creator"] = [SECRET]
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem(SECRET, 1))
        pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(pdf, SECRET.encode())
        pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String(f"app.alert('{SECRET}')"))

    return _with_pikepdf(_reportlab(draw, pages=3), change)


CORPUS: dict[str, Callable[[], bytes]] = {
    "under-black-rectangle": under_black_rectangle,
    "invisible-text": invisible_text,
    "ocr-behind-image": ocr_behind_image,
    "in-annotations": in_annotations,
    "in-bookmarks": in_bookmarks,
    "in-form-field": in_form_field,
    "in-metadata": in_metadata,
    "in-attachment": in_attachment,
    "in-javascript": in_javascript,
    "in-page-labels-and-layers": in_page_labels_and_layers,
    "everything": everything,
}
"""Each hostile original by name; its marks are :data:`MARKS` (the name, under s 9(2)(a))."""


def build_corpus(folder: Path) -> dict[str, tuple[Path, Path]]:
    """Write every hostile original and its marks file into ``folder``; (pdf, marks) by name."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, build in CORPUS.items():
        pdf = folder / f"{name}.pdf"
        pdf.write_bytes(build())
        marks = folder / f"{name}.marks.yaml"
        marks.write_text(yaml.safe_dump(MARKS, sort_keys=False), encoding="utf-8")
        out[name] = (pdf, marks)
    return out


if __name__ == "__main__":
    for name, (pdf, _) in build_corpus(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-pdfs")).items():
        print(f"{name}: {pdf}")
