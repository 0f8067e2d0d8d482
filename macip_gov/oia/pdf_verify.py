"""The verification gate for a redacted PDF: nothing withheld, and nothing of the removed kinds, survives.

A redacted PDF is checked, as bytes, before it is written anywhere:

- **Structure** (pikepdf): no document information dictionary, and no object of a
  kind the cleaning removes: XMP metadata, outlines (bookmarks), named destinations,
  annotations and links, interactive forms, JavaScript and other actions, open
  actions, embedded files, page labels, optional content, the structure tree,
  article threads, page thumbnails and private application data.
- **Text by a second engine** (pypdf): the text of every page is extracted, and each
  withheld string may occur in it no more often than in the text meant to be
  released (a phrase withheld on page 2 only may still be read on page 5).
- **Raw bytes** (pikepdf): every stream, decompressed, and every string in every
  object is scanned for each withheld string the same way. Image pixel data is not
  scanned: it is not text, and random pixels match short strings by chance.

Texts are compared after NFKC normalisation and case folding, with white space
and NUL bytes removed, so that a string split over lines or stored as UTF-16 is
still found.
"""

from __future__ import annotations

import contextlib
import io
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

REMOVED_KEYS = {
    "/AA": "an additional action",
    "/AcroForm": "an interactive form",
    "/AF": "an associated file",
    "/Annots": "annotations or links",
    "/Collection": "a portfolio",
    "/Dests": "named destinations",
    "/EmbeddedFiles": "embedded files",
    "/JavaScript": "JavaScript",
    "/JS": "JavaScript",
    "/Metadata": "XMP metadata",
    "/Names": "a name tree (destinations, JavaScript, embedded files)",
    "/OCProperties": "optional content",
    "/OpenAction": "an open action",
    "/Outlines": "outlines (bookmarks)",
    "/PageLabels": "page labels",
    "/PieceInfo": "private application data",
    "/StructTreeRoot": "a structure tree",
    "/Threads": "article threads",
    "/Thumb": "a page thumbnail",
    "/URI": "a link",
}
"""Keys no object of a redacted PDF may have, with what each holds."""

REMOVED_TYPES = {
    "/Action": "an action",
    "/Annot": "an annotation",
    "/EmbeddedFile": "an embedded file",
    "/Filespec": "a file specification",
    "/Metadata": "XMP metadata",
    "/OCG": "an optional content group",
    "/OCMD": "an optional content membership dictionary",
    "/Outlines": "outlines (bookmarks)",
}
"""Object types no redacted PDF may hold."""

ACTIONS = {
    "/GoTo",
    "/GoToR",
    "/GoToE",
    "/Launch",
    "/Thread",
    "/URI",
    "/Sound",
    "/Movie",
    "/Hide",
    "/Named",
    "/SubmitForm",
    "/ResetForm",
    "/ImportData",
    "/JavaScript",
    "/SetOCGState",
    "/Rendition",
    "/Trans",
    "/GoTo3DView",
    "/RichMediaExecute",
}


def normalise(text: str) -> str:
    """Text as the gate compares it: NFKC, case folded, without white space or NUL."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch != "\x00")


def significant(text: str) -> bool:
    """Whether a withheld string is long enough to look for: 3 letters, or 4 letters and digits."""
    norm = normalise(text)
    return sum(ch.isalpha() for ch in norm) >= 3 or sum(ch.isalnum() for ch in norm) >= 4


def _normalise_bytes(data: bytes) -> bytes:
    # Bytes are compared as Latin-1 text lower-cased; UTF-16 text with its NULs dropped reads as ASCII.
    return data.lower().translate(None, b" \t\r\n\f\x00")


def _needles(secret: str) -> list[bytes]:
    norm = normalise(secret)
    out = [norm.encode("utf-8")]
    with contextlib.suppress(UnicodeEncodeError):
        out.append(norm.encode("latin-1"))
    return list(dict.fromkeys(out))


def _walk(value: Any, seen: set[tuple[int, int]]) -> Iterator[Any]:
    """Every object reachable from ``value`` once (indirect objects by their id)."""
    import pikepdf

    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Object) and item.is_indirect:
            key = item.objgen
            if key in seen:
                continue
            seen.add(key)
        yield item
        if isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
            stack.extend(item.values())
        elif isinstance(item, pikepdf.Array):
            stack.extend(item)


def _structure_problems(pdf: Any) -> list[str]:
    import pikepdf

    problems: list[str] = []
    if "/Info" in pdf.trailer:
        problems.append("a document information dictionary survives")
    for obj in _walk(pdf.trailer, set()):
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        for key in obj.keys():  # noqa: SIM118 (pikepdf objects iterate their keys only this way)
            if key in REMOVED_KEYS:
                problems.append(f"{REMOVED_KEYS[key]} ({key}) survives")
        kind = obj.get("/Type")
        if isinstance(kind, pikepdf.Name) and str(kind) in REMOVED_TYPES:
            problems.append(f"{REMOVED_TYPES[str(kind)]} ({kind}) survives")
        action = obj.get("/S")
        if isinstance(action, pikepdf.Name) and str(action) in ACTIONS:
            problems.append(f"an action ({action}) survives")
    return list(dict.fromkeys(problems))


def _raw_texts(pdf: Any) -> Iterator[bytes]:
    """Every decompressed stream but image pixels, and every string, normalised for the scan."""
    import pikepdf

    for obj in _walk(pdf.trailer, set()):
        if isinstance(obj, pikepdf.String):
            # UTF-16 strings read as ASCII once their NULs are dropped; PDFDocEncoding is Latin-1 for letters.
            yield _normalise_bytes(bytes(obj))
        elif isinstance(obj, pikepdf.Stream):
            if obj.get("/Subtype") == pikepdf.Name.Image:
                continue
            try:
                data = obj.read_bytes()
            except pikepdf.PdfError:
                data = obj.read_raw_bytes()
            yield _normalise_bytes(data)


def _pypdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return normalise("".join(page.extract_text() or "" for page in reader.pages))


def verify_pdf(data: bytes, secrets: Iterable[tuple[str, str]], allowed: dict[str, int]) -> list[str]:
    """Check a redacted PDF before it is written.

    Args:
        data: The redacted PDF.
        secrets: Each withheld string with a label saying where it came from (never the
            string itself: the problems are printed).
        allowed: For each withheld string (normalised, see :func:`normalise`), how often it
            occurs in the text meant to be released; missing means 0.

    Returns:
        The problems found, each one line; empty when the PDF may be written.
    """
    import pikepdf

    problems: list[str] = []
    checked = [(normalise(s), label) for s, label in secrets if significant(s)]
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:  # pragma: no cover - our own output
        return [f"the redacted PDF cannot be read back ({exc})"]
    with pdf:
        problems += _structure_problems(pdf)
        raw = list(_raw_texts(pdf))
    text = _pypdf_text(data)
    reported: set[tuple[str, str]] = set()
    for norm, label in checked:
        limit = allowed.get(norm, 0)
        if text.count(norm) > limit and (label, "pypdf") not in reported:
            reported.add((label, "pypdf"))
            problems.append(f"{label}: withheld text is still extracted by pypdf")
        needles = _needles(norm)
        found = sum(chunk.count(needle) for chunk in raw for needle in needles)
        if found > limit and (label, "raw") not in reported:
            reported.add((label, "raw"))
            problems.append(f"{label}: withheld text is still in the file's decompressed streams or strings")
    return problems


__all__ = ["REMOVED_KEYS", "REMOVED_TYPES", "normalise", "significant", "verify_pdf"]
