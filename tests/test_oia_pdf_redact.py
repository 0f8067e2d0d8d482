"""PDF originals: hostile documents redacted with nothing surviving, marks of each kind, the gate, refusals."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import pikepdf
import pypdf
import pypdfium2
import pytest
import yaml
from hostile_pdfs import BODY, CORPUS, MARKS, PHONE, SECRET, _reportlab, scanned_image_only
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from macip_gov.errors import InvalidInputError
from macip_gov.oia._pdf_page import Char, TextFont, rebuilt_page, text_operators
from macip_gov.oia.pdf_marks import parse_marks
from macip_gov.oia.pdf_redact import clean_pdf, redact_pdf, redact_pdf_file
from macip_gov.oia.pdf_verify import verify_pdf

# Checked here independently of the gate's own lists, so that a gap in them shows.
_HIDDEN_KEYS = {
    "/Annots", "/AcroForm", "/Outlines", "/Dests", "/Names", "/OpenAction", "/AA", "/JS", "/JavaScript",
    "/EmbeddedFiles", "/EmbeddedFile", "/Metadata", "/PageLabels", "/OCProperties", "/StructTreeRoot", "/URI",
}  # fmt: skip


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def pypdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def plumber_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join("".join(ch["text"] for ch in page.chars) for page in pdf.pages)


def raw_scan(data: bytes) -> bytes:
    """Every stream decompressed (images too) and every string, lower-cased, without white space or NUL."""
    chunks = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    chunks.append(obj.read_bytes())
                except pikepdf.PdfError:
                    chunks.append(obj.read_raw_bytes())
            elif isinstance(obj, pikepdf.String):
                chunks.append(bytes(obj))
        chunks.append(repr(pdf.trailer).encode())
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                chunks.append(repr(dict(obj.items())).encode("utf-8", "replace"))
    return b"".join(chunks).lower().translate(None, b" \t\r\n\f\x00")


def hidden_keys(data: bytes) -> set[str]:
    found = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/Info" in pdf.trailer:
            found.add("/Info")
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                found |= set(obj.keys()) & _HIDDEN_KEYS
    return found


def leaked(data: bytes, secret: str) -> list[str]:
    where = []
    needle = _squash(secret)
    if needle in _squash(pypdf_text(data)):
        where.append("pypdf")
    if needle in _squash(plumber_text(data)):
        where.append("pdfplumber")
    if needle.encode() in raw_scan(data):
        where.append("raw")
    return where


def dark(data: bytes, page: int, rect: tuple[float, float, float, float], dpi: int = 72) -> float:
    """The share of near-black pixels in a rectangle (PDF points, bottom-left origin) of a rendered page."""
    document = pypdfium2.PdfDocument(data)
    try:
        image = document[page - 1].render(scale=dpi / 72).to_pil().convert("L")
        height = document[page - 1].get_height()
    finally:
        document.close()
    x0, y0, x1, y1 = rect
    crop = image.crop((int(x0), int(height - y1), int(x1), int(height - y0)))
    from PIL import ImageStat

    return float(ImageStat.Stat(crop.point(lambda p: 255 if p < 64 else 0)).mean[0]) / 255


def write(tmp_path: Path, name: str, data: bytes, marks: dict) -> tuple[Path, Path]:
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(data)
    path = tmp_path / f"{name}.marks.yaml"
    path.write_text(yaml.safe_dump(marks, sort_keys=False), encoding="utf-8")
    return pdf, path


# --------------------------------------------------------------------------- the hostile corpus


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_original_redacted_with_nothing_left(name, tmp_path, engine):
    original = CORPUS[name]()
    assert leaked(original, SECRET), "the corpus document must hide the name where a scan finds it"
    source, marks = write(tmp_path, name, original, MARKS)
    out = tmp_path / "out" / f"{name}.pdf"
    report = redact_pdf_file(source, marks, out, lambda: engine)
    assert report.written, report.refusal()
    data = out.read_bytes()
    assert leaked(data, SECRET) == []
    assert hidden_keys(data) == set()
    # The rest of the page is still released text, read by both engines (an OCR layer was
    # invisible text: it is not carried over).
    for engine_text in (pypdf_text(data), plumber_text(data)):
        assert (_squash("to review progress") in _squash(engine_text)) is (name != "ocr-behind-image")
    assert report.rebuilt == [1]
    assert report.checked == 1


def test_ocr_layer_locates_the_name_and_the_box_covers_the_scan(tmp_path, engine):
    data = CORPUS["ocr-behind-image"]()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        word = next(w for w in pdf.pages[0].extract_words() if w["text"] == "Jane")
    height = A4[1]
    rect = (word["x0"] + 1, height - word["bottom"] + 1, word["x0"] + 20, height - word["top"] - 1)
    assert 0.02 < dark(data, 1, rect) < 0.4  # the scan shows the name there
    result = redact_pdf(data, parse_marks(yaml.safe_dump(MARKS), "m.yaml"))
    assert result.problems == []
    assert dark(result.data, 1, rect) > 0.6  # burned over
    # The OCR layer was invisible: none of it is carried over.
    assert pypdf_text(result.data).strip() == ""


def test_invisible_text_is_dropped_and_visible_text_kept(engine):
    result = redact_pdf(CORPUS["invisible-text"](), parse_marks(yaml.safe_dump(MARKS), "m.yaml"))
    text = pypdf_text(result.data)
    assert "Hidden note" not in text
    assert "The referral was made by" in text and "3 December 2020" in text


def test_text_under_a_black_rectangle_is_not_released():
    data = CORPUS["under-black-rectangle"]()
    marks = {"marks": [{"phrase": "coordination group", "grounds": ["6(c)"]}]}
    result = redact_pdf(data, parse_marks(yaml.safe_dump(marks), "m.yaml"))
    assert result.problems == []
    assert SECRET not in pypdf_text(result.data)
    assert any("painted over" in w for w in result.warnings)


def test_painted_over_text_rebuilds_a_page_without_marks():
    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 11)
        c.drawString(72, 700, "Released line")
        c.drawString(72, 600, "Whited out line")
        c.setFillColorRGB(1, 1, 1)
        c.rect(70, 595, 200, 16, fill=1, stroke=0)

    two = _reportlab(lambda c: c.drawString(72, 700, "Nothing here"), pages=1)
    data = _join([two, _reportlab(draw)])
    marks = {"marks": [{"phrase": "Nothing here", "grounds": ["9(2)(a)"]}]}
    result = redact_pdf(data, parse_marks(yaml.safe_dump(marks), "m.yaml"))
    assert result.rebuilt == [1, 2]
    text = pypdf_text(result.data)
    assert "Released line" in text and "Whited out" not in text


def _join(parts: list[bytes]) -> bytes:
    out = pikepdf.new()
    for part in parts:
        source = pikepdf.open(io.BytesIO(part))
        out.pages.extend(source.pages)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- marks of each kind


def _three_pages() -> bytes:
    def page(lines: list[str]):
        def draw(c: canvas.Canvas) -> None:
            c.setFont("Helvetica", 11)
            for n, line in enumerate(lines):
                c.drawString(72, 760 - 16 * n, line)

        return _reportlab(draw)

    return _join(
        [
            page(BODY),
            page(["Second page: call 021-555-0100 or 022 444 1234.", "Aroha Ngata and", "Citizen attended."]),
            page([f"Third page: {SECRET} again.", "Nothing else."]),
        ]
    )


def test_phrase_limited_to_pages_and_across_a_line_break():
    data = _three_pages()
    marks = {
        "marks": [
            {"phrase": SECRET, "pages": [1], "grounds": ["9(2)(a)"]},
            {"phrase": "Ngata and Citizen", "grounds": ["9(2)(a)"]},
        ]
    }
    result = redact_pdf(data, parse_marks(yaml.safe_dump(marks), "m.yaml"))
    assert result.problems == []
    assert result.rebuilt == [1, 2]
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(result.data)).pages]
    assert SECRET not in pages[0]
    assert "Ngata" not in pages[1] and "Citizen attended" not in pages[1] and "attended." in pages[1]
    assert SECRET in pages[2]  # limited to page 1: page 3 is released as it was


def test_unmarked_pages_keep_their_original_content():
    data = _three_pages()
    marks = {"marks": [{"phrase": PHONE, "grounds": ["9(2)(a)"]}]}
    result = redact_pdf(data, parse_marks(yaml.safe_dump(marks), "m.yaml"))
    assert result.rebuilt == [1]
    with pikepdf.open(io.BytesIO(clean_pdf(data, "x"))) as before, pikepdf.open(io.BytesIO(result.data)) as after:
        for n in (1, 2):
            assert after.pages[n].Contents.read_bytes() == before.pages[n].Contents.read_bytes()
            assert "/Im0" not in after.pages[n].Resources.get("/XObject", {})
        assert "/Im0" in after.pages[0].Resources.XObject


def test_pattern_withholds_every_match():
    data = _three_pages()
    marks = {"marks": [{"pattern": r"\b02\d[ -]?\d{3}[ -]?\d{4}\b", "grounds": ["9(2)(a)"]}]}
    result = redact_pdf(data, parse_marks(yaml.safe_dump(marks), "m.yaml"))
    text = pypdf_text(result.data)
    for number in (PHONE, "021-555-0100", "022 444 1234"):
        assert number not in text
    assert "Second page: call" in text
    assert result.boxes == 3 and result.rebuilt == [1, 2]


def test_pattern_that_matches_nothing_warns(tmp_path):
    marks = {"marks": [{"pattern": r"\bXYZ\d{5}\b", "grounds": ["9(2)(a)"]}, MARKS["marks"][0]]}
    result = redact_pdf(_three_pages(), parse_marks(yaml.safe_dump(marks), "m.yaml"))
    assert result.warnings == ["m.yaml:2: marks[0]: the pattern matches nothing"]


def test_rect_withholds_every_character_it_touches():
    data = _three_pages()
    # Line 2 of page 1 has its baseline at 742; the rect clips the top of "The referral was".
    marks = {"marks": [{"page": 1, "rect": [60, 748, 160, 760], "grounds": ["6(c)"]}]}
    result = redact_pdf(data, parse_marks(yaml.safe_dump(marks), "m.yaml"))
    assert result.problems == []
    text = pypdf_text(result.data)
    assert "The referral" not in text and "Briefing note" not in text
    assert "on 3 December 2020" in text
    assert dark(result.data, 1, (62, 750, 158, 758)) > 0.6


def test_rect_on_a_scanned_page(tmp_path, engine):
    data = scanned_image_only()
    rect = [70, 735, 300, 752]
    source, marks = write(tmp_path, "scan", data, {"marks": [{"page": 1, "rect": rect, "grounds": ["9(2)(a)"]}]})
    assert 0.02 < dark(data, 1, (72, 738, 250, 748)) < 0.4
    report = redact_pdf_file(source, marks, tmp_path / "out.pdf", lambda: engine)
    assert report.written and report.boxes == 1 and report.checked == 0
    out = (tmp_path / "out.pdf").read_bytes()
    assert dark(out, 1, (72, 738, 250, 748)) > 0.6
    assert 0.002 < dark(out, 1, (72, 704, 300, 716)) < 0.4  # the line below is still there, not boxed
    assert pypdf_text(out).strip() == ""


def test_text_layer_carries_any_unicode_where_it_was():
    chars = []
    x = 72.0
    for letter in "whānau ﬁnds":
        chars.append(Char(letter, x, 700, x + 6, 712, (1, 0, 0, 1, x, 702), 11.0, True))
        x += 6
    font = TextFont()
    ops = text_operators(chars, font)
    pdf = pikepdf.new()
    from PIL import Image

    pdf.pages.append(rebuilt_page(pdf, 595, 842, Image.new("RGB", (100, 141), "white"), ops, font.font(pdf)))
    buffer = io.BytesIO()
    pdf.save(buffer)
    assert pypdf_text(buffer.getvalue()).strip() == "whānau ﬁnds"
    with pdfplumber.open(buffer) as read:
        assert [(c["text"], round(c["x0"])) for c in read.pages[0].chars][:3] == [("w", 72), ("h", 78), ("ā", 84)]


# --------------------------------------------------------------------------- the gate


def test_gate_finds_every_hiding_place_in_an_unredacted_original():
    original = CORPUS["everything"]()
    problems = verify_pdf(original, [(SECRET, "marks[0]")], {})
    assert "marks[0]: withheld text is still extracted by pypdf" in problems
    assert "marks[0]: withheld text is still in the file's decompressed streams or strings" in problems
    for kind in ("annotations or links (/Annots)", "XMP metadata (/Metadata)", "outlines (bookmarks) (/Outlines)"):
        assert f"{kind} survives" in problems
    assert "a document information dictionary survives" in problems


def test_gate_refuses_text_no_extractor_sees_and_nothing_is_written(tmp_path, engine):
    # Page 2 carries the name only as /ActualText, which neither character engine reads.
    def second(c: canvas.Canvas) -> None:
        c.drawString(72, 700, "Nothing to see")

    data = _join([_reportlab(lambda c: c.drawString(72, 700, f"Met {SECRET} today")), _reportlab(second)])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        extra = f"/Span << /ActualText ({SECRET}) >> BDC EMC".encode()
        pdf.pages[1].contents_add(pikepdf.Stream(pdf, extra), prepend=False)
        buffer = io.BytesIO()
        pdf.save(buffer)
    source, marks = write(tmp_path, "actual", buffer.getvalue(), MARKS)
    out = tmp_path / "out.pdf"
    out.write_bytes(b"earlier release")
    report = redact_pdf_file(source, marks, out, lambda: engine)
    assert not report.written and report.exit_code == 1
    assert report.problems == [
        f"{marks}:2: marks[0] (page 1): withheld text is still in the file's decompressed streams or strings"
    ]
    assert out.read_bytes() == b"earlier release"


# --------------------------------------------------------------------------- refusals


def test_phrase_found_nowhere_is_invalid_input():
    with pytest.raises(InvalidInputError) as caught:
        redact_pdf(_three_pages(), parse_marks('marks:\n  - phrase: "Nobody"\n    grounds: ["9(2)(a)"]\n', "m.yaml"))
    assert caught.value.one_line() == (
        "m.yaml:2: marks[0]: the phrase is not in the PDF's text; "
        "a scanned page without text is marked by page and rect"
    )


def test_rect_past_the_last_page_is_invalid_input():
    marks = parse_marks("marks:\n  - page: 9\n    rect: [0, 0, 10, 10]\n    grounds: [6(c)]\n", "m.yaml")
    with pytest.raises(InvalidInputError) as caught:
        redact_pdf(_three_pages(), marks)
    assert caught.value.one_line() == "m.yaml:2: marks[0]: page 9 is past the last page (3)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("marks: []\n", "m.yaml:1: marks: List should have at least 1 item after validation, not 0"),
        (
            "marks:\n  - phrase: x\n    pattern: y\n    grounds: [6(c)]\n",
            "m.yaml:2: marks[0]: Value error, a mark has exactly one of phrase, pattern or rect (with page)",
        ),
        (
            "marks:\n  - pattern: '(unclosed'\n    grounds: [6(c)]\n",
            "m.yaml:2: marks[0].pattern: Value error, not a regular expression: missing ), unterminated subpattern "
            "at position 0",
        ),
        (
            "marks:\n  - pattern: 'a*'\n    grounds: [6(c)]\n",
            "m.yaml:2: marks[0].pattern: Value error, the pattern matches empty text",
        ),  # fmt: skip
        (
            "marks:\n  - page: 1\n    rect: [10, 10, 5, 20]\n    grounds: [6(c)]\n",
            "m.yaml:3: marks[0].rect: Value error, a rect is [x0, y0, x1, y1] with x0 < x1 and y0 < y1",
        ),
        ("marks:\n  - phrase: x\n    ground: [6(c)]\n", "m.yaml:2: marks[0].grounds: Field required (and 1 more)"),
        ("marks:\n  - phrase: x\n    grounds: [banana]\n", None),
        ("marks:\n  - phrase: x\n    phrase: y\n    grounds: [6(c)]\n", None),
    ],
)
def test_bad_marks_are_one_line(text, message):
    with pytest.raises(InvalidInputError) as caught:
        parse_marks(text, "m.yaml")
    line = caught.value.one_line()
    assert "\n" not in line and line.startswith("m.yaml:")
    if message is not None:
        assert line == message


def test_grounds_refused_by_policy_write_nothing(tmp_path, engine):
    source, marks = write(tmp_path, "doc", _three_pages(), {"marks": [{"phrase": SECRET, "grounds": ["18(d)"]}]})
    out = tmp_path / "out.pdf"
    report = redact_pdf_file(source, marks, out, lambda: engine)
    assert not report.written and report.exit_code == 1
    assert report.refusal().startswith(f"{marks}:2: ")
    assert not out.exists()


def test_not_a_pdf_and_output_over_input(tmp_path, engine):
    source, marks = write(tmp_path, "doc", b"plain text", MARKS)
    with pytest.raises(InvalidInputError, match="not a PDF"):
        redact_pdf_file(source, marks, tmp_path / "o.pdf", lambda: engine)
    with pytest.raises(InvalidInputError, match="overwrite an input"):
        redact_pdf_file(source, marks, source, lambda: engine)
    source.write_bytes(b"%PDF-1.7\nbroken")
    with pytest.raises(InvalidInputError, match="not a readable PDF"):
        redact_pdf_file(source, marks, tmp_path / "o.pdf", lambda: engine)
