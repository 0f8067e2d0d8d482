"""True redaction of PDF originals: ``macip-gov oia redact-pdf IN.pdf --marks MARKS.yaml -o OUT.pdf``.

A PDF original is redacted in five steps, and nothing is written unless all pass:

1. **Clean** (pikepdf). Only the page tree is kept of the document catalog, and
   only what draws a page of each page (its contents, resources and boxes): the
   document information, XMP metadata, outlines, named destinations, annotations
   and links, interactive forms, JavaScript and open actions, embedded files, page
   labels, the structure tree, thumbnails and private data are gone. Optional
   content is flattened (every layer shown), so that what is searched below is
   what is drawn.
2. **Find** (pdfplumber). Each mark's phrase or pattern is searched for in the
   text of every page it applies to, invisible text included (an OCR layer is how
   a scanned page's words are found); each occurrence, line by line, becomes a box.
   A rectangle is a box, grown to cover whole any character it touches.
3. **Rebuild** every page that carries a box: rendered (pypdfium2), the boxes
   burned in black with their citation (Pillow), and the released text kept as
   an invisible layer holding only visible characters outside every box. Text that
   was invisible in the original (render mode 3 or 7) is dropped. Pages without a
   box keep their original content.
4. **Verify** (:mod:`.pdf_verify`): the output is read back by pypdf and scanned
   stream by stream; any withheld string, or any object of the removed kinds,
   refuses the whole output.
5. **Write** atomically: the old file, or the whole new one.

Limits: a page to be rebuilt must not be rotated and its crop box must be its
media box (such a page is refused, exit 3); a mark's coordinates are PDF points
from the page's bottom-left corner.
"""

from __future__ import annotations

import io
import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import ExitCode, InvalidInputError
from ..results import Violation
from ._pdf_page import Box, Char, TextFont, burn, overlaps, rebuilt_page, text_operators
from .pdf_marks import PdfMark, PdfMarks, check_mark_grounds, load_marks
from .pdf_verify import normalise, verify_pdf

if TYPE_CHECKING:
    from ..engine import PolicyEngine

DEFAULT_DPI = 150
"""Resolution of rebuilt pages, in dots per inch."""

_PAD = 1.0  # points added around a found phrase, so no edge of a glyph shows

# Catalog and page keys kept by the cleaning: everything else goes.
_CATALOG_KEEP = {"/Type", "/Pages"}
_PAGE_KEEP = {
    "/Type",
    "/Parent",
    "/Resources",
    "/Contents",
    "/MediaBox",
    "/CropBox",
    "/BleedBox",
    "/TrimBox",
    "/ArtBox",
    "/Rotate",
    "/UserUnit",
    "/Group",
}
# Keys removed from every object that keeps its place (XObjects, fonts, images).
_OBJECT_DROP = ("/Metadata", "/PieceInfo", "/AF", "/OC", "/StructParent", "/StructParents", "/LastModified")


class PdfRedactionReport(BaseModel):
    """What ``oia redact-pdf`` did."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(description="The PDF original.")
    marks: str = Field(description="The marks file.")
    output: str = Field(description="The file written (or that would have been).")
    pages: int = Field(description="Pages in the document.")
    rebuilt: list[int] = Field(description="Pages (from 1) rebuilt as an image with the boxes burned in.")
    boxes: int = Field(description="Redaction boxes burned in.")
    grounds: list[str] = Field(description="Ground ids the marks cite, in statutory order.")
    checked: int = Field(description="Withheld strings the verification looked for and did not find.")
    warnings: list[str] = Field(default_factory=list, description="Advice: grounds policy, patterns without a match.")
    violations: list[Violation] = Field(
        default_factory=list, description="Why the grounds policy refused the marks; nothing is written when any."
    )
    problems: list[str] = Field(
        default_factory=list,
        description="What the verification found surviving in the redacted PDF; nothing is written when any.",
    )
    written: bool = Field(description="Whether the redacted PDF was written.")

    @property
    def exit_code(self) -> ExitCode:
        """OK when written; DENIED when the grounds policy or the verification refused."""
        return ExitCode.OK if self.written else ExitCode.DENIED

    def refusal(self) -> str:
        """Why nothing was written, as one line (empty when written)."""
        if self.violations:
            first = self.violations[0]
            where = f"{self.marks}:{first.line}" if first.line else self.marks
            return f"{where}: " + "; ".join(dict.fromkeys(v.msg for v in self.violations))
        if self.problems:
            return f"{self.source}: verification refused the redacted PDF: " + "; ".join(self.problems)
        return ""


@dataclass
class PdfRedaction:
    """A redacted PDF in memory, with what the report says about it."""

    data: bytes
    pages: int
    rebuilt: list[int]
    boxes: int
    checked: int
    passages: int = 0
    """Occurrences the marks selected (a phrase found three times is three), each withheld."""
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- reading


def read_pdf(path: Path | str) -> bytes:
    """Read a PDF file within the input size limit.

    Raises:
        InvalidInputError: Missing, unreadable, too large or not a PDF.
    """
    from ..inputs import _mib, file_limit

    p = Path(path)
    limit = file_limit()
    try:
        with p.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size > limit:
                raise InvalidInputError(
                    f"larger than the {_mib(limit)} limit for an input file (MACIP_MAX_FILE_MIB)", file=str(p)
                )
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise InvalidInputError("file not found", file=str(p)) from None
    except IsADirectoryError:
        raise InvalidInputError("is a directory, not a file", file=str(p)) from None
    except OSError as exc:
        raise InvalidInputError(exc.strerror or str(exc), file=str(p)) from None
    if b"%PDF-" not in data[:1024]:
        raise InvalidInputError("not a PDF (no %PDF- header)", file=str(p))
    return data


# --------------------------------------------------------------------------- cleaning


def _open(data: bytes, name: str) -> Any:
    import pikepdf

    try:
        return pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise InvalidInputError("the PDF is encrypted with a password; remove it first", file=name) from None
    except pikepdf.PdfError as exc:
        raise InvalidInputError(f"not a readable PDF ({' '.join(str(exc).split())})", file=name) from None


def _flatten_optional_content(resources: Any, seen: set[tuple[int, int]]) -> None:
    """Every optional-content property list in ``resources`` (and its forms) made plain: each layer shows."""
    import pikepdf

    if not isinstance(resources, pikepdf.Dictionary):
        return
    if resources.is_indirect:
        if resources.objgen in seen:
            return
        seen.add(resources.objgen)
    properties = resources.get("/Properties")
    if isinstance(properties, pikepdf.Dictionary):
        for key in list(properties.keys()):
            value = properties[key]
            if isinstance(value, pikepdf.Dictionary) and value.get("/Type") in (pikepdf.Name.OCG, pikepdf.Name.OCMD):
                properties[key] = pikepdf.Dictionary()
    xobjects = resources.get("/XObject")
    if isinstance(xobjects, pikepdf.Dictionary):
        for key in list(xobjects.keys()):
            xobject = xobjects[key]
            if isinstance(xobject, pikepdf.Stream):
                for drop in _OBJECT_DROP:
                    if drop in xobject:
                        del xobject[drop]
                if "/Resources" in xobject:
                    _flatten_optional_content(xobject.Resources, seen)


def clean_pdf(data: bytes, name: str) -> bytes:
    """The PDF with everything but the drawn pages removed (see the module's step 1).

    Raises:
        InvalidInputError: The PDF cannot be read or is encrypted.
    """
    import pikepdf

    with _open(data, name) as pdf:
        for key in list(pdf.Root.keys()):
            if key not in _CATALOG_KEEP:
                del pdf.Root[key]
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        seen: set[tuple[int, int]] = set()
        for page in pdf.pages:
            obj = page.obj
            for key in list(obj.keys()):
                if key not in _PAGE_KEEP:
                    del obj[key]
            if "/Resources" in obj:
                _flatten_optional_content(obj.Resources, seen)
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream) and obj.get("/Type") != pikepdf.Name.Page:
                for drop in _OBJECT_DROP:
                    if drop in obj:
                        del obj[drop]
        out = io.BytesIO()
        pdf.save(out, encryption=False, deterministic_id=True)
    return out.getvalue()


# --------------------------------------------------------------------------- finding


def _page_chars(page: Any) -> list[Char]:
    """The characters of a pdfplumber page, each with whether it is seen.

    A character is visible unless drawn in render mode 3 or 7, and covered when a filled
    shape or an image painted after it holds its centre.
    """
    covers = [
        (float(obj["x0"]), float(obj["y0"]), float(obj["x1"]), float(obj["y1"]), obj["drawn"])
        for obj in [*page.rects, *page.curves, *page.images]
        if obj.get("object_type") == "image" or obj.get("fill")
    ]
    out = []
    for ch in page.chars:
        matrix = tuple(float(v) for v in ch["matrix"])
        x0, y0, x1, y1 = float(ch["x0"]), float(ch["y0"]), float(ch["x1"]), float(ch["y1"])
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        out.append(
            Char(
                text=ch["text"],
                x0=x0,
                y0=y0,
                x1=x1,
                y1=y1,
                matrix=matrix,  # type: ignore[arg-type]
                size=float(ch["size"]),
                visible=ch.get("render_mode", 0) not in (3, 7),
                covered=any(
                    drawn > ch["drawn"] and left <= cx <= right and bottom <= cy <= top
                    for left, bottom, right, top, drawn in covers
                ),
            )
        )
    return out


def _searchable(chars: list[Char]) -> tuple[str, list[int]]:
    """The page's text for searching, and for each character of it the index of its char (-1: inserted space)."""
    pieces: list[str] = []
    owner: list[int] = []
    previous: Char | None = None
    for index, ch in enumerate(chars):
        if previous is not None:
            height = max(previous.y1 - previous.y0, 1.0)
            if abs(ch.y0 - previous.y0) > height * 0.5 or ch.x0 < previous.x0 - height:
                pieces.append("\n")
                owner.append(-1)
            elif ch.x0 - previous.x1 > max(ch.size, 1.0) * 0.2 and not ch.text.isspace():
                pieces.append(" ")
                owner.append(-1)
        for letter in ch.text:
            pieces.append(letter)
            owner.append(index)
        previous = ch
    return "".join(pieces), owner


def _lines_of(chars: list[Char]) -> list[list[Char]]:
    """Characters of one occurrence split into lines (a new line where the baseline moves)."""
    lines: list[list[Char]] = []
    for ch in chars:
        if lines:
            last = lines[-1][-1]
            if abs(ch.y0 - last.y0) <= max(last.y1 - last.y0, 1.0) * 0.5 and ch.x0 >= last.x0 - 1:
                lines[-1].append(ch)
                continue
        lines.append([ch])
    return lines


def _label(mark: PdfMark) -> tuple[str, str]:
    return ", ".join(f"s.{g} OIA" for g in mark.grounds), ", ".join(mark.grounds)


def _box_around(chars: list[Char], mark: PdfMark, pad: float) -> Box:
    label, short = _label(mark)
    return Box(
        x0=min(c.x0 for c in chars) - pad,
        y0=min(c.y0 for c in chars) - pad,
        x1=max(c.x1 for c in chars) + pad,
        y1=max(c.y1 for c in chars) + pad,
        label=label,
        short=short,
    )


@dataclass
class _Found:
    boxes: dict[int, list[Box]] = field(default_factory=lambda: defaultdict(list))
    secrets: list[tuple[str, str]] = field(default_factory=list)
    hits: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    by_mark: list[tuple[int, str]] = field(default_factory=list)
    """Each withheld string with the index of the mark that selected it."""


def _find(marks: PdfMarks, pages: list[list[Char]], found: _Found) -> None:
    """Every box each mark makes, and the text it withholds."""
    texts = [_searchable(chars) for chars in pages]
    for index, mark in enumerate(marks.marks):
        where = marks.where(index)
        if mark.rect is not None:
            assert mark.page is not None
            if mark.page > len(pages):
                raise InvalidInputError(f"page {mark.page} is past the last page ({len(pages)})", file=where)
            label, short = _label(mark)
            area = Box(*mark.rect, label=label, short=short)
            touched = [ch for ch in pages[mark.page - 1] if overlaps(ch, area)]
            box = area
            if touched:
                grown = _box_around(touched, mark, 0.0)
                box = Box(
                    min(area.x0, grown.x0),
                    min(area.y0, grown.y0),
                    max(area.x1, grown.x1),
                    max(area.y1, grown.y1),
                    label=label,
                    short=short,
                )
                for line in _lines_of(touched):
                    found.secrets.append(("".join(c.text for c in line), f"{where} (page {mark.page})"))
                    found.by_mark.append((index, "".join(c.text for c in line)))
            found.boxes[mark.page - 1].append(box)
            found.hits[index] += 1
            continue
        regex = mark.regex()
        for number in mark.pages or []:
            if number > len(pages):
                raise InvalidInputError(f"page {number} is past the last page ({len(pages)})", file=f"{where}.pages")
        for page_index, (text, owner) in enumerate(texts):
            if not mark.applies_to(page_index + 1):
                continue
            chars = pages[page_index]
            for match in regex.finditer(text):
                indices = sorted({owner[i] for i in range(match.start(), match.end()) if owner[i] >= 0})
                if not indices:
                    continue
                found.hits[index] += 1
                found.secrets.append((match.group(0), f"{where} (page {page_index + 1})"))
                found.by_mark.append((index, match.group(0)))
                for line in _lines_of([chars[i] for i in indices]):
                    found.boxes[page_index].append(_box_around(line, mark, _PAD))


# --------------------------------------------------------------------------- redaction


def _check_page(pdf: Any, index: int, name: str) -> tuple[float, float]:
    """The size of a page to rebuild, refusing rotated pages and pages cropped inside their media box."""
    page = pdf.pages[index]
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    media = [float(v) for v in page.mediabox]
    crop = [float(v) for v in page.cropbox]
    if rotate:
        raise InvalidInputError(f"page {index + 1} is rotated ({rotate} degrees); it cannot be redacted yet", file=name)
    if crop != media or media[0] != 0 or media[1] != 0:
        raise InvalidInputError(
            f"page {index + 1} has a crop box or media box not at the origin; it cannot be redacted yet", file=name
        )
    return media[2], media[3]


class _Page:
    """A pdfplumber page whose characters also say their text render mode."""

    @staticmethod
    def chars(plumber: Any, index: int) -> list[Char]:
        from ._pdf_text import page_with_render_modes

        return _page_chars(page_with_render_modes(plumber, index))


def _locate(data: bytes, marks: PdfMarks, name: str) -> tuple[bytes, list[list[Char]], _Found, list[str]]:
    """The cleaned PDF, its pages' characters, what each mark selects, and the warnings so far.

    Raises:
        InvalidInputError: The PDF cannot be read, a mark names a page past the end, or
            a phrase is found nowhere.
    """
    import pdfplumber

    cleaned = clean_pdf(data, name)
    found = _Found()
    with pdfplumber.open(io.BytesIO(cleaned)) as plumber:
        pages = [_Page.chars(plumber, i) for i in range(len(plumber.pages))]
    _find(marks, pages, found)
    warnings: list[str] = []
    for index, mark in enumerate(marks.marks):
        if found.hits[index]:
            continue
        scope = f" on pages {', '.join(map(str, mark.pages))}" if mark.pages else ""
        if mark.phrase is not None:
            raise InvalidInputError(
                f"the phrase is not in the PDF's text{scope}; a scanned page without text is marked by page and rect",
                file=marks.where(index),
            )
        warnings.append(f"{marks.where(index)}: the pattern matches nothing{scope}")
    return cleaned, pages, found, warnings


def withheld_strings(data: bytes, marks: PdfMarks, *, name: str = "input.pdf") -> list[tuple[int, str]]:
    """Every string the marks withhold from a PDF original, with the index of the mark selecting it.

    This is what a release compares its released fields with (titles, the letter) before
    anything is redacted.

    Raises:
        InvalidInputError: As :func:`redact_pdf`.
    """
    return list(_locate(data, marks, name)[2].by_mark)


def pdf_text(data: bytes, name: str) -> str:
    """The text of a PDF as pypdf extracts it (every page), for comparing with released fields.

    Raises:
        InvalidInputError: The PDF cannot be read.
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise InvalidInputError(f"not a readable PDF ({exc})", file=name) from None


def redact_pdf(data: bytes, marks: PdfMarks, *, name: str = "input.pdf", dpi: int = DEFAULT_DPI) -> PdfRedaction:
    """Redact a PDF original in memory (grounds are not checked here: see :func:`redact_pdf_file`).

    Args:
        data: The PDF original.
        marks: Its marks.
        name: The original's name, for messages.
        dpi: Resolution of rebuilt pages.

    Returns:
        The redacted PDF and what was done; ``problems`` lists what the verification
        found surviving (the PDF must then not be written).

    Raises:
        InvalidInputError: The PDF cannot be read, a mark names a page past the end,
            a phrase is found nowhere, or a page to rebuild is rotated or cropped.
    """
    import pikepdf
    import pypdfium2  # type: ignore[import-untyped]

    cleaned, pages, found, warnings = _locate(data, marks, name)

    # A page with visible text painted over (text under a black box, a white-out) is rebuilt
    # too, boxes or not: the text it hides is exactly what careless redaction leaves behind.
    for index, chars in enumerate(pages):
        hidden = sum(1 for ch in chars if ch.covered and ch.visible and not ch.text.isspace())
        if hidden:
            found.boxes.setdefault(index, [])
            warnings.append(
                f"{name}: page {index + 1}: {hidden} characters painted over in the original (under a filled "
                "shape or image) are left out of the released text; the page is rebuilt"
            )
    rebuilt = sorted(found.boxes)
    font = TextFont()
    operators: dict[int, str] = {}
    released: list[str] = []
    for index, chars in enumerate(pages):
        boxes = found.boxes.get(index)
        if boxes is None:
            released.append("".join(ch.text for ch in chars))
            continue
        kept = [ch for ch in chars if ch.visible and not ch.covered and not any(overlaps(ch, b) for b in boxes)]
        operators[index] = text_operators(kept, font)
        released.append("".join(ch.text for ch in kept))

    scale = dpi / 72
    with _open(cleaned, name) as pdf:
        sizes = {index: _check_page(pdf, index, name) for index in rebuilt}
        shared_font = font.font(pdf)
        renderer = pypdfium2.PdfDocument(cleaned)
        try:
            for index in rebuilt:
                width, height = sizes[index]
                bitmap = renderer[index].render(scale=scale, draw_annots=False, may_draw_forms=False)
                image = bitmap.to_pil().convert("RGB")
                burn(image, found.boxes[index], height, scale)
                pdf.pages[index] = rebuilt_page(pdf, width, height, image, operators[index], shared_font)
        finally:
            renderer.close()
        out = io.BytesIO()
        pdf.save(
            out,
            encryption=False,
            deterministic_id=True,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
    output = out.getvalue()

    intended = normalise("".join(released))
    allowed = {norm: intended.count(norm) for norm in {normalise(s) for s, _ in found.secrets}}
    problems = verify_pdf(output, found.secrets, allowed)
    from .pdf_verify import significant

    return PdfRedaction(
        data=output,
        pages=len(pages),
        rebuilt=[i + 1 for i in rebuilt],
        boxes=sum(len(b) for b in found.boxes.values()),
        passages=sum(found.hits.values()),
        checked=len({normalise(s) for s, _ in found.secrets if significant(s)}),
        warnings=warnings,
        problems=problems,
    )


def redact_pdf_file(
    source: Path | str,
    marks_path: Path | str,
    output: Path | str,
    engine: Callable[[], PolicyEngine],
    *,
    dpi: int = DEFAULT_DPI,
) -> PdfRedactionReport:
    """Redact a PDF original with its marks file and write the result; nothing is written on refusal.

    Args:
        source: The PDF original.
        marks_path: Its marks file (YAML or JSON, see :mod:`.pdf_marks`).
        output: The redacted PDF to write.
        engine: A function returning a loaded policy engine, called once the inputs are read.
        dpi: Resolution of rebuilt pages (72 to 600).

    Returns:
        What was done. When the grounds policy refuses a ground, or the verification
        finds withheld text or a removed kind of object surviving, ``written`` is False
        (exit 1) and nothing is written; an earlier file at ``output`` stays as it was.

    Raises:
        InvalidInputError: Unreadable or malformed input, a mark that cannot be
            applied, an output that is the original, or a bad resolution.
        PolicyError: The grounds policy failed.
    """
    from ..files import atomic_write
    from .citations import ground_key

    if not 72 <= dpi <= 600:
        raise InvalidInputError(f"the resolution must be 72 to 600 dpi, not {dpi}", file="--dpi")
    if Path(output).resolve() in (Path(source).resolve(), Path(marks_path).resolve()):
        raise InvalidInputError("the output would overwrite an input", file=str(output))
    data = read_pdf(source)
    marks = load_marks(marks_path)
    grounds = sorted({g for mark in marks.marks for g in mark.grounds}, key=ground_key)
    checked_grounds = check_mark_grounds(marks, engine())
    base = {"source": str(source), "marks": str(marks_path), "output": str(output), "grounds": grounds}
    if checked_grounds.violations:
        return PdfRedactionReport(
            **base,
            pages=0,
            rebuilt=[],
            boxes=0,
            checked=0,
            warnings=checked_grounds.warnings,
            violations=checked_grounds.violations,
            written=False,
        )
    result = redact_pdf(data, marks, name=str(source), dpi=dpi)
    if not result.problems:
        atomic_write(output, result.data)
    return PdfRedactionReport(
        **base,
        pages=result.pages,
        rebuilt=result.rebuilt,
        boxes=result.boxes,
        checked=result.checked,
        warnings=[*checked_grounds.warnings, *result.warnings],
        problems=result.problems,
        written=not result.problems,
    )


__all__ = [
    "DEFAULT_DPI",
    "PdfRedaction",
    "PdfRedactionReport",
    "clean_pdf",
    "read_pdf",
    "redact_pdf",
    "pdf_text",
    "redact_pdf_file",
    "withheld_strings",
]
