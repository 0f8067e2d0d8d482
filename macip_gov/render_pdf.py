"""PDF: the project's HTML laid out by WeasyPrint as a tagged, accessible PDF (PDF/UA-1).

A PDF is always made from the HTML the toolkit already writes for the same
document, so a redaction box, a kept paragraph number or an escaped character
is the same in both. What the PDF adds is paper: A4 pages numbered "Page 2 of
5", fonts found through fontconfig, headings, lists and table headers tagged
for screen readers, and the language (``en-NZ``) in the catalogue.

Nothing reaches a PDF's metadata but the document's title (which is built from
released text only), the language, the producer and, when given, a fixed date:
the metadata WeasyPrint reads from an HTML page is replaced, not filtered. No
external resource is ever fetched (an image is shown as its alternative text),
and the same HTML gives the same bytes.

WeasyPrint is imported only when a PDF is made, so the rest of the toolkit starts
without it; when it or a system library it needs is missing, :class:`PdfUnavailableError`
names what to install in one line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from .errors import MacipError

WEASYPRINT_VERSION = "70.0"
"""The WeasyPrint release the PDF layout is made and tested with (pinned in pyproject.toml)."""

FONT_PACKAGE = "fonts-dejavu-core"
"""The Debian package of the fonts the PDF style asks for first."""

# Fonts through fontconfig, most wanted first: Liberation Sans has Arial's metrics, as
# published releases do; DejaVu is on nearly every Debian machine (fonts-dejavu-core,
# which the setup installs when missing).
_SANS = '"Liberation Sans", "Arimo", "DejaVu Sans", "Noto Sans", sans-serif'
_MONO = '"DejaVu Sans Mono", "Liberation Mono", "Noto Sans Mono", monospace'

PDF_CSS = f"""
@page {{
  size: A4;
  margin: 20mm 20mm 22mm 20mm;
  @bottom-center {{
    content: "Page " counter(page) " of " counter(pages);
    font-family: {_SANS}; font-size: 8.5pt; color: #4a4a4a;
  }}
}}
/* A user stylesheet: the page's own screen fonts and margins give way only where marked. */
html {{ font-size: 10pt; }}
body {{ font-family: {_SANS} !important; margin: 0 !important; padding: 0 !important;
        max-width: none !important; line-height: 1.45; }}
code, pre {{ font-family: {_MONO} !important; font-size: .92em; }}
pre {{ white-space: pre-wrap; }}
h1, h2, h3, h4, h5, h6 {{ break-after: avoid; }}
h1 {{ font-size: 1.6em; }}
tr, img {{ break-inside: avoid; }}
thead {{ display: table-header-group; }}
img {{ max-width: 100%; }}
/* The marker in the box is what the page shows and what is read aloud: a PDF has no
   off-screen text, so the words kept for HTML screen readers are not laid out. */
.visually-hidden {{ display: none !important; }}
/* List numbers and bullets are laid out as text before the item's own text, so they are
   read, copied and extracted in place (a list marker is drawn after the page's text). */
li {{ list-style: none; }}
li:not(.block)::before, li.block > :first-child::before {{
  display: inline-block; width: 2.2em; margin-left: -2.2em; text-align: right;
  padding-right: .45em; box-sizing: border-box; }}
ol > li:not(.block)::before, ol > li.block > :first-child::before {{ content: counter(list-item) "."; }}
ul > li:not(.block)::before, ul > li.block > :first-child::before {{ content: "\\2022"; }}
.draft-mark, .review-mark {{ position: fixed; top: 38%; left: 0; right: 0; }}
"""
"""Print style added to every page's own style when it is laid out as PDF."""

REVIEW_PAGE_CSS = f"""
@page {{
  @top-center {{
    content: "REVIEW COPY \u2013 NOT FOR RELEASE";
    font-family: {_SANS}; font-size: 10pt; font-weight: bold; color: #b00020;
  }}
}}
"""
"""Added for a review copy: REVIEW COPY – NOT FOR RELEASE at the head of every page, as text."""

# Lists: WeasyPrint does not read <ol start> or <li value>, so the numbers a document
# was written with (paragraph 20, 22; paragraph 21 withheld) are set as counters.
_OL_START = re.compile(r'<ol start="(\d{1,9})">')
_LI_VALUE = re.compile(r'<li value="(\d{1,9})">')
# An item whose content is blocks (a loose list): its number goes before its first block.
_LI_BLOCK = re.compile(r'<li((?: [a-z-]+="[^"<>]*")*)>\n<')


class PdfUnavailableError(MacipError):
    """PDF output cannot be made here: WeasyPrint or a system library it needs is missing."""


@lru_cache(maxsize=1)
def _weasyprint() -> Any:
    try:
        import weasyprint
    except ImportError:
        raise PdfUnavailableError(
            f"PDF output needs WeasyPrint: pip install weasyprint=={WEASYPRINT_VERSION}"
        ) from None
    except OSError as exc:  # cffi cannot open a shared library WeasyPrint needs
        raise PdfUnavailableError(f"PDF output needs {missing_library(str(exc))}") from None
    return weasyprint


def missing_library(error: str) -> str:
    """Which Debian package to install, from the error WeasyPrint gives when a library does not load.

    Args:
        error: The text of the ``OSError`` raised when ``weasyprint`` is imported.

    Returns:
        One line such as ``Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0``.
    """
    lowered = error.lower()
    if "harfbuzz" in lowered:
        return "HarfBuzz: apt-get install libharfbuzz0b libharfbuzz-subset0"
    if "fontconfig" in lowered:
        return "fontconfig: apt-get install libfontconfig1"
    return "Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0"


def pdf_available() -> str | None:
    """None when PDFs can be made here, else the one line that says what to install."""
    try:
        _weasyprint()
    except PdfUnavailableError as exc:
        return exc.message
    return None


def print_html(page: str) -> str:
    """The HTML page as WeasyPrint should lay it out: list numbers as counters, loose items marked.

    The page is the toolkit's own HTML, where text is escaped, so only the renderer
    writes ``<ol start="N">``, ``<li value="N">`` and an ``<li>`` followed by a tag.
    """
    page = _OL_START.sub(lambda m: f'<ol start="{m[1]}" style="counter-reset: list-item {int(m[1]) - 1}">', page)
    page = _LI_VALUE.sub(
        lambda m: f'<li value="{m[1]}" style="counter-increment: list-item 0; counter-set: list-item {m[1]}">', page
    )
    return _LI_BLOCK.sub(lambda m: f'<li{m[1]} class="block">\n<', page)


@dataclass(frozen=True)
class LaidOut:
    """One HTML page laid out as PDF pages, before it is written."""

    document: Any
    """WeasyPrint's ``Document``."""
    digest: bytes
    """SHA-256 of the HTML laid out (the PDF's file identifier is made from it)."""
    title: str
    """The page's title, as its ``<title>`` gives it."""


def layout(page: str, *, review: bool = False) -> LaidOut:
    """Lay an HTML page (from :func:`macip_gov.render.html_page`) out on A4 pages.

    With ``review`` every page is headed REVIEW COPY – NOT FOR RELEASE (:data:`REVIEW_PAGE_CSS`).

    Raises:
        PdfUnavailableError: WeasyPrint or a system library it needs is missing.
    """
    weasyprint = _weasyprint()
    # No scheme is allowed, so nothing is fetched: not an image, a stylesheet or a file.
    fetcher = weasyprint.URLFetcher(allowed_protocols=())
    html = weasyprint.HTML(string=print_html(page), url_fetcher=fetcher, base_url="about:blank")
    sheets = [_print_stylesheet(), _review_stylesheet()] if review else [_print_stylesheet()]
    document = html.render(stylesheets=sheets, pdf_tags=True)
    return LaidOut(
        document=document,
        digest=hashlib.sha256(page.encode("utf-8")).digest(),
        title=str(document.metadata.title or ""),
    )


@lru_cache(maxsize=1)
def _print_stylesheet() -> Any:
    return _weasyprint().CSS(string=PDF_CSS)


@lru_cache(maxsize=1)
def _review_stylesheet() -> Any:
    return _weasyprint().CSS(string=REVIEW_PAGE_CSS)


def _w3c(when: date | datetime) -> str:
    if isinstance(when, datetime):
        moment = when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return when.isoformat()


def write_pdf(parts: Sequence[LaidOut], *, title: str | None = None, created: date | datetime | None = None) -> bytes:
    """Write laid-out pages as one tagged PDF (PDF/UA-1), in the order given.

    Args:
        parts: One or more laid-out pages; several make one file (e.g. a whole release).
        title: The document title; the first part's title when None. Released text only.
        created: The creation and modification date recorded; none is recorded when
            None, so the same pages always give the same bytes.

    Returns:
        The PDF's bytes.

    Raises:
        PdfUnavailableError: WeasyPrint or a system library it needs is missing.
        ValueError: ``parts`` is empty.
    """
    if not parts:
        raise ValueError("no pages to write")
    weasyprint = _weasyprint()
    from weasyprint.pdf.metadata import DocumentMetadata

    first = parts[0].document
    when = _w3c(created) if created is not None else None
    # A new metadata object: only these fields, whatever the HTML held.
    metadata = DocumentMetadata(
        title=title if title is not None else parts[0].title,
        lang=first.metadata.lang or "en-NZ",
        created=when,
        modified=when,
    )
    pages = [page for part in parts for page in part.document.pages]
    document = weasyprint.Document(
        pages, metadata, first.url_fetcher, first.font_config, first.color_profiles, first.output_intent
    )
    identifier = hashlib.sha256(b"".join(part.digest for part in parts)).hexdigest()[:32].encode("ascii")
    payload: bytes = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, pdf_identifier=identifier)
    return payload


def html_to_pdf(page: str, *, created: date | datetime | None = None, review: bool = False) -> bytes:
    """One HTML page as a tagged PDF: :func:`layout` then :func:`write_pdf` (``review``: see :func:`layout`)."""
    return write_pdf([layout(page, review=review)], created=created)


__all__ = [
    "FONT_PACKAGE",
    "PDF_CSS",
    "REVIEW_PAGE_CSS",
    "WEASYPRINT_VERSION",
    "LaidOut",
    "PdfUnavailableError",
    "html_to_pdf",
    "layout",
    "missing_library",
    "pdf_available",
    "print_html",
    "write_pdf",
]
