"""Documents benchmark: one section per document format, each printing its own lines.

    .venv/bin/python bench/documents.py            # every section
    .venv/bin/python bench/documents.py redact-pdf # one section by name

Sections:

- ``redact-pdf``: pages per second of ``oia redact-pdf`` on a generated 200-page
  born-digital PDF, with a name on every fifth page and a phone number on every
  tenth (so 40 pages are rebuilt as images and 160 keep their content), and on
  the same PDF with every page marked.
- ``word-import``: ``oia import`` of a generated 2,000-paragraph Word document (Word
  numbering, a comment mark on every seventh paragraph, a table per section) against
  pandoc alone converting the same file, paragraphs per second and the ratio.
- ``pdf-release``: ``oia release`` of the MACIP example, which now writes every
  document as PDF too and ``release.pdf``, and the time to render one redacted
  document to PDF against rendering the same document to HTML, in one run.
"""

from __future__ import annotations

import io
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from _timing import best

PAGES = 200


# --------------------------------------------------------------------------- redact-pdf


def _generated_pdf(pages: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    for number in range(1, pages + 1):
        c.setFont("Helvetica", 10.5)
        y = 780.0
        for line in range(48):
            text = (
                f"{number}.{line + 1} The coordination group reviewed referral {number * 100 + line} and its progress."
            )
            if number % 5 == 0 and line == 10:
                text = f"{number}.{line + 1} The referral was made by Jane Citizen on behalf of the school."
            if number % 10 == 0 and line == 30:
                text = f"{number}.{line + 1} Contact the case coordinator on 021 555 {number:04d} after hours."
            c.drawString(56, y, text)
            y -= 15
        c.showPage()
    c.save()
    return buffer.getvalue()


def bench_redact_pdf() -> None:
    from macip_gov.oia.pdf_marks import parse_marks
    from macip_gov.oia.pdf_redact import redact_pdf

    data = _generated_pdf(PAGES)
    some = parse_marks(
        'marks:\n  - phrase: "Jane Citizen"\n    grounds: ["9(2)(a)"]\n'
        "  - pattern: '\\b02\\d[ -]?\\d{3}[ -]?\\d{4}\\b'\n    grounds: ['9(2)(a)']\n",
        "bench.marks.yaml",
    )
    every = parse_marks("marks:\n  - pattern: 'referral \\d+'\n    grounds: ['6(c)']\n", "bench.marks.yaml")
    print(
        f"redact-pdf: generated PDF of {PAGES} pages ({len(data) / 1e6:.2f} MB), 150 dpi; one timed run after a warm-up"
    )
    for label, marks in (("40 pages marked", some), ("every page marked", every)):
        result = redact_pdf(data, marks)
        assert not result.problems, result.problems
        seconds = best(lambda marks=marks: redact_pdf(data, marks), 1)
        print(
            f"  {label:<20} {seconds:7.2f} s  {PAGES / seconds:6.1f} pages/s  "
            f"({len(result.rebuilt)} rebuilt, {result.boxes} boxes, output {len(result.data) / 1e6:.1f} MB)"
        )


# --------------------------------------------------------------------------- word-import


def _generated_docx(paragraphs: int) -> bytes:
    """A briefing-like Word document: headings, numbered paragraphs, bullets, comment marks, a table per section."""
    import zipfile
    from xml.sax.saxutils import escape

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    def para(text: str, extra: str = "", num: int | None = None, style: str = "") -> str:
        props = (f'<w:pStyle w:val="{style}"/>' if style else "") + (
            f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>' if num else ""
        )
        return f'<w:p><w:pPr>{props}</w:pPr><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>{extra}</w:p>'

    body: list[str] = []
    comments: list[str] = []
    for n in range(paragraphs):
        if n % 40 == 0:
            body.append(para(f"Section {n // 40 + 1}: coordination and referrals", style="Heading2"))
        text = f"The coordination group reviewed referral {n} and agreed the next steps with partner agencies. "
        extra = ""
        if n % 7 == 0:
            cid = len(comments)
            comments.append(
                f'<w:comment w:id="{cid}" w:author="OIA"><w:p><w:r><w:t>s 9(2)(a)</w:t></w:r></w:p></w:comment>'
            )
            extra = (
                f'<w:commentRangeStart w:id="{cid}"/><w:r><w:t>Contact 021 555 {n:04d}.</w:t></w:r>'
                f'<w:commentRangeEnd w:id="{cid}"/><w:r><w:commentReference w:id="{cid}"/></w:r>'
            )
        body.append(para(text, extra, num=2 if n % 10 == 9 else 1))
        if n % 40 == 39:
            rows = "".join(
                f"<w:tr><w:tc>{para(f'Agency {r}')}</w:tc><w:tc>{para('Role and contact')}</w:tc></w:tr>"
                for r in range(4)
            )
            body.append(f"<w:tbl>{rows}</w:tbl>")
    numbering = (
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0">'
        '<w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    )
    styles = '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>'

    def part(root: str, inner: str) -> str:
        return f'<?xml version="1.0" encoding="UTF-8"?><w:{root} xmlns:w="{w}">{inner}</w:{root}>'

    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
        '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="word/document.xml"/>'
        "</Relationships>",
        "word/_rels/document.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/numbering" Target="numbering.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/comments" Target="comments.xml"/>'
        f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
        "word/document.xml": part("document", "<w:body>" + "".join(body) + "<w:sectPr/></w:body>"),
        "word/numbering.xml": part("numbering", numbering),
        "word/comments.xml": part("comments", "".join(comments)),
        "word/styles.xml": part("styles", styles),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def bench_word_import() -> None:
    import subprocess

    from macip_gov.oia.word import import_docx
    from macip_gov.oia.word._convert import PANDOC_FORMAT, pandoc_path

    paragraphs = 2000  # about 100 pages of a briefing
    data = _generated_docx(paragraphs)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "generated.docx"
        source.write_bytes(data)
        result = import_docx(source)
        assert result.converted and len(result.marks) == (paragraphs + 6) // 7, result.undecided
        program = pandoc_path()
        pandoc_only = best(
            lambda: subprocess.run(
                [program, "-f", "docx", "-t", PANDOC_FORMAT, "--wrap=none", str(source)],
                check=True,
                capture_output=True,
            ),
            3,
        )
        full = best(lambda: import_docx(source), 3)
    print(
        f"word-import: generated .docx of {paragraphs} numbered paragraphs, {len(result.marks)} comment marks "
        f"({len(data) / 1e6:.2f} MB, {len(result.markdown) / 1e6:.2f} MB of Markdown); best of 3"
    )
    print(f"  pandoc alone (docx -> CommonMark)   {pandoc_only:7.2f} s  {paragraphs / pandoc_only:7.0f} paragraphs/s")
    print(
        f"  oia import (audit, decisions, pandoc, numbers, marks, markup check)"
        f" {full:7.2f} s  {paragraphs / full:7.0f} paragraphs/s  ratio {full / pandoc_only:.2f}x"
    )


# --------------------------------------------------------------------------- pdf-release


def bench_pdf_release() -> None:
    from macip_gov.engine import load_engine
    from macip_gov.oia.markup import parse_markup
    from macip_gov.oia.redact import redact_document
    from macip_gov.oia.release import build_release
    from macip_gov.render import render_document

    example = Path(__file__).resolve().parent.parent / "examples" / "macip-release"
    engine = load_engine()
    with tempfile.TemporaryDirectory() as folder:
        runs = iter(range(100))
        report = build_release(example / "manifest.yaml", Path(folder) / "first", engine)
        assert report.written
        pdfs = [name for name in report.artefacts if name.endswith(".pdf")]
        seconds = best(lambda: build_release(example / "manifest.yaml", Path(folder) / f"r{next(runs)}", engine), 3)
        pages = _pdf_pages(Path(folder) / "first" / "release.pdf")
    print(f"pdf-release: oia release of the MACIP example ({len(report.artefacts)} files, {len(pdfs)} PDFs); best of 3")
    print(f"  oia release, every format + release.pdf ({pages} pages) {seconds:7.2f} s")

    original = example / "originals" / "01-rcoi-macip-briefing.md"
    redacted = redact_document(parse_markup(original.read_text(encoding="utf-8"), original.name), engine)
    html = best(lambda: render_document(redacted.boxed, "html", title=redacted.title, redactions=True), 5)
    pdf = best(lambda: render_document(redacted.boxed, "pdf", title=redacted.title, redactions=True), 5)
    size = len(render_document(redacted.boxed, "pdf", title=redacted.title, redactions=True))
    print(f"  one document ({original.name}, {size / 1e3:.0f} kB of PDF), best of 5:")
    print(f"    HTML  {html * 1e3:8.1f} ms")
    print(f"    PDF   {pdf * 1e3:8.1f} ms  (the HTML page laid out and written)  PDF/HTML ratio {pdf / html:.0f}x")


def _pdf_pages(path: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(path).pages)


SECTIONS: dict[str, Callable[[], None]] = {
    "redact-pdf": bench_redact_pdf,
    "word-import": bench_word_import,
    "pdf-release": bench_pdf_release,
}


def main(names: list[str]) -> None:
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        sys.exit(f"unknown section {', '.join(unknown)}; sections: {', '.join(SECTIONS)}")
    with tempfile.TemporaryDirectory():
        for name in names or list(SECTIONS):
            SECTIONS[name]()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main(sys.argv[1:])
