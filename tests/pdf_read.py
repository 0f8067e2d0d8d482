"""Reading a PDF back as the tests need it: its text by two engines, and everything it stores.

``texts`` gives what a reader copies out of the file: the text as pypdf extracts it
and, when pypdfium2 is installed, as PDFium extracts it. ``stored`` gives what anyone
can dig out of the bytes: every string object (metadata, outline titles, alternative
text, link targets) and every stream decompressed by pikepdf (content, XMP, fonts'
Unicode maps), so a withheld word that is drawn, tagged or recorded anywhere is found
even where no text extractor looks.
"""

from __future__ import annotations

import importlib.util
import io

import pikepdf
import pypdf


def pypdf_text(payload: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(payload))
    return "\n\f".join(page.extract_text() for page in reader.pages)


def pdfium_text(payload: bytes) -> str | None:
    """PDFium's text, or None when pypdfium2 is not installed."""
    if importlib.util.find_spec("pypdfium2") is None:
        return None
    import pypdfium2

    document = pypdfium2.PdfDocument(payload)
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n\f".join(pages)
    finally:
        document.close()


def texts(payload: bytes) -> dict[str, str]:
    """The text of every page, by each engine present (pypdf always)."""
    found = {"pypdf": pypdf_text(payload)}
    pdfium = pdfium_text(payload)
    if pdfium is not None:
        found["pdfium"] = pdfium
    return found


def stored(payload: bytes) -> str:
    """Every string object and every decompressed stream in the file, as one text (Latin-1 and UTF-16 read)."""
    parts: list[str] = []
    with pikepdf.open(io.BytesIO(payload)) as pdf:
        for obj in pdf.objects:
            _strings(obj, parts, set())
            # Object and cross-reference streams hold PDF syntax, whose objects are read one by one above.
            if isinstance(obj, pikepdf.Stream) and obj.get("/Type") not in ("/ObjStm", "/XRef"):
                try:
                    data = obj.read_bytes()
                except pikepdf.PdfError:  # an image's own encoding (DCT, JPX): its bytes as stored
                    data = obj.read_raw_bytes()
                parts.append(data.decode("latin-1"))
                parts.append(data.decode("utf-16-be", errors="ignore"))
        _strings(pdf.trailer, parts, set())
    return "\n".join(parts)


def _strings(obj: object, parts: list[str], seen: set[tuple[int, int]]) -> None:
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        key = obj.objgen
        if key in seen:
            return
        seen.add(key)
    if isinstance(obj, pikepdf.String):
        parts.append(str(obj))
        parts.append(bytes(obj).decode("latin-1"))
    elif isinstance(obj, pikepdf.Array):
        for item in obj:
            _strings(item, parts, seen)
    elif isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        for _, value in obj.items():
            _strings(value, parts, seen)


def metadata(payload: bytes) -> dict[str, str]:
    """The document information dictionary and the XMP packet, as text."""
    with pikepdf.open(io.BytesIO(payload)) as pdf:
        info = {str(k): str(v) for k, v in pdf.docinfo.items()}
        xmp = ""
        if "/Metadata" in pdf.Root:
            xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
    return {**info, "xmp": xmp}


def everything(payload: bytes) -> dict[str, str]:
    """Each engine's text and the stored strings and streams, by where they came from."""
    return {**texts(payload), "stored": stored(payload)}
