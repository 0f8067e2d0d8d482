"""Documents: sandboxed Jinja2 templates to Markdown, and Markdown to HTML or DOCX.

Every document the toolkit writes (decision letters, schedules, redacted
releases, PIA reports, Terms of Reference) is Markdown first. Templates run in
Jinja2's sandbox and user text is escaped with the ``md`` filter, so text in a
PIA or a spec is always data. Markdown is parsed by markdown-it-py with raw HTML
disabled, so nothing in a source document reaches HTML unescaped. The Word
writer is :mod:`macip_gov.render_docx`; this module keeps its entry point.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InvalidInputError, TemplateError
from .files import atomic_write

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore

FORMATS = ("md", "html", "docx")

# Characters that start inline markup anywhere in a line.
_MD_INLINE = re.compile(r"([\\`*_{}\[\]<>|~&!])")
# Constructs that only mean something at the start of a line: headings, quotes,
# list items ("-", "+", "1." "1)"), setext underlines, thematic breaks.
_MD_LINE_START = re.compile(r"^(\s*)(#|>|[-+=]|\d+[.)])", re.M)


def md_escape(value: Any) -> str:
    """Escape text so Markdown shows it literally (no emphasis, links, HTML, lists, headings)."""
    if value is None:
        return ""
    text = _MD_INLINE.sub(r"\\\1", str(value))
    return _MD_LINE_START.sub(
        lambda m: m[1] + "\\" + m[2] if not m[2][0].isdigit() else m[1] + m[2][:-1] + "\\" + m[2][-1], text
    )


def md_cell(value: Any) -> str:
    """Escape text for one Markdown table cell (also folds newlines)."""
    return " ".join(md_escape(value).split())


def nzdate(value: Any) -> str:
    """Format a date as New Zealand government documents do: ``17 September 2021``."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.day} {value.strftime('%B %Y')}"
    return str(value)


@lru_cache(maxsize=8)
def _environment(templates: str) -> SandboxedEnvironment:
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        loader=FileSystemLoader(templates),
        undefined=StrictUndefined,
        autoescape=False,  # output is Markdown; text is escaped with |md instead
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md_escape, md_cell=md_cell, nzdate=nzdate)
    return env


def render_template(name: str, context: dict[str, Any], templates_dir: Path | str | None = None) -> str:
    """Render a Markdown template from ``templates/`` in the sandbox.

    Args:
        name: Template file name, e.g. ``oia_letter.md.j2``.
        context: Values for the template; user text should pass through ``|md``.
        templates_dir: Template directory; the bundled templates by default.

    Returns:
        The rendered Markdown.

    Raises:
        TemplateError: The template is missing, malformed, or failed while rendering.
    """
    import jinja2

    from .resources import templates_dir as bundled

    directory = str(templates_dir or bundled())
    try:
        return _environment(directory).get_template(name).render(**context)
    except jinja2.TemplateNotFound:
        raise TemplateError("template not found", file=str(Path(directory) / name)) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            exc.message or "syntax error", file=exc.filename or name, location=str(exc.lineno)
        ) from None
    except jinja2.TemplateError as exc:
        raise TemplateError(str(exc), file=str(Path(directory) / name)) from None


LINK_SCHEMES = ("http", "https", "mailto")
"""The only link targets a document carries as links; any other link is shown as text."""

IMAGE_SCHEMES = ("http", "https")
"""Image sources with an explicit scheme other than these are shown as their alt text."""

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def _scheme(url: str) -> str | None:
    match = _SCHEME.match(url)
    return match[1].lower() if match else None


def safe_link(url: str) -> bool:
    """True when ``url`` names an allowed scheme (``LINK_SCHEMES``) explicitly, from its first character.

    Everything else is refused: other schemes (``javascript:``, ``ms-msdt:``,
    ``file:``, ``data:``, ``vbscript:``, in any case), targets with leading
    spaces or control characters (which browsers strip), and relative targets,
    which mean nothing in a released document.
    """
    return _scheme(url) in LINK_SCHEMES


def _safe_image(src: str) -> bool:
    scheme = _scheme(src)
    return scheme is None or scheme in IMAGE_SCHEMES


def _demote_unsafe_links(state: StateCore) -> None:
    """Core rule: a link whose target is not ``safe_link`` becomes its text, then the target as text.

    Links form exactly as CommonMark says (so the redaction markup parser finds the
    same regions); only what they render as changes. Autolinks become their text.
    An image whose source names another scheme becomes its alt text.
    """
    from markdown_it.token import Token

    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        out: list[Token] = []
        demoted: str | None = None  # the target shown after a demoted link's text
        for token in block.children:
            if token.type == "link_open" and not safe_link(str(token.attrs.get("href", ""))):
                target = state.md.normalizeLinkText(str(token.attrs.get("href", "")))
                demoted = "" if token.markup == "autolink" else f" ({target})"
                continue
            if token.type == "link_close" and demoted is not None:
                if demoted:
                    out.append(Token("text", "", 0, content=demoted))
                demoted = None
                continue
            if token.type == "image" and not _safe_image(str(token.attrs.get("src", ""))):
                out.extend(token.children or [])
                continue
            out.append(token)
        block.children = out


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """The one Markdown dialect every document uses: CommonMark, tables, no raw HTML.

    Links (inline, reference and autolinks) are links only for ``safe_link``
    targets (http, https, mailto); any other is shown as text, in HTML and DOCX alike.
    """
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(["table", "strikethrough"])
    md.core.ruler.after("inline", "safe_links", _demote_unsafe_links)
    return md


_CSS = """
body { font-family: "Segoe UI", Arial, sans-serif; max-width: 52rem; margin: 2rem auto;
       padding: 0 1.5rem; color: #1b1b1b; line-height: 1.5; }
h1, h2, h3 { color: #002b49; line-height: 1.25; }
h1 { border-bottom: 3px solid #002b49; padding-bottom: .3rem; }
table { border-collapse: collapse; margin: 1rem 0; width: 100%; }
th, td { border: 1px solid #9aa5b1; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #e8edf2; }
code { background: #f2f4f6; padding: 0 .2rem; }
blockquote { border-left: 4px solid #9aa5b1; margin-left: 0; padding-left: 1rem; color: #3a3a3a; }
.draft-banner { background: #b00020; color: #fff; font-weight: bold; text-align: center;
                padding: .4rem; letter-spacing: .3rem; }
.draft-mark { position: fixed; top: 40%; left: 0; right: 0; text-align: center; font-size: 8rem;
              color: rgba(176, 0, 32, .10); transform: rotate(-30deg); pointer-events: none;
              z-index: -1; }
@media print { body { margin: 0; max-width: none; } .draft-mark { position: fixed; } }
"""


def html_page(body_html: str, *, title: str, draft: bool = False, extra_css: str = "") -> str:
    """Wrap an HTML fragment in a complete page.

    Args:
        body_html: Trusted, already-escaped HTML.
        title: Page title (escaped here).
        draft: Mark the page DRAFT (banner plus a mark repeated on every printed page).
        extra_css: Additional trusted CSS.

    Returns:
        The HTML document.
    """
    marks = ""
    if draft:
        marks = '<div class="draft-banner">DRAFT</div>\n<div class="draft-mark" aria-hidden="true">DRAFT</div>\n'
    body_attr = ' class="draft"' if draft else ""
    return (
        '<!DOCTYPE html>\n<html lang="en-NZ">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}{extra_css}</style>\n</head>\n"
        f"<body{body_attr}>\n{marks}{body_html}</body>\n</html>\n"
    )


def markdown_to_html(
    markdown: str,
    *,
    title: str,
    draft: bool = False,
    extra_css: str = "",
    extra_body_html: str = "",
) -> str:
    """Render Markdown as a complete HTML page (raw HTML in the Markdown is escaped).

    Args:
        markdown: The document.
        title: Page title.
        draft: Mark the page DRAFT.
        extra_css: Trusted CSS to add.
        extra_body_html: Trusted HTML appended after the rendered Markdown.

    Returns:
        The HTML document.
    """
    body = markdown_parser().render(markdown) + extra_body_html
    return html_page(body, title=title, draft=draft, extra_css=extra_css)


# --------------------------------------------------------------------------- DOCX


def markdown_to_docx(markdown: str, *, title: str, draft: bool = False) -> bytes:
    """Render Markdown as a Word document (the writer is :mod:`macip_gov.render_docx`).

    Core properties carry only the title; characters XML cannot carry become U+FFFD.

    Args:
        markdown: The document.
        title: Document title (core properties).
        draft: Put DRAFT in the header of every section.

    Returns:
        The .docx file's bytes.
    """
    from .render_docx import markdown_to_docx as write_docx

    return write_docx(markdown, title=title, draft=draft)


def format_for(path: Path | str, fmt: str | None = None) -> str:
    """The output format: ``fmt`` if given, else from the file suffix.

    Raises:
        InvalidInputError: The format is unknown or cannot be told from the suffix.
    """
    chosen = (fmt or Path(path).suffix.lstrip(".")).lower()
    if chosen == "markdown":
        chosen = "md"
    if chosen not in FORMATS:
        raise InvalidInputError(f"cannot tell the output format (use --format {'|'.join(FORMATS)})", file=str(path))
    return chosen


def render_document(
    markdown: str, fmt: str, *, title: str, draft: bool = False, extra_css: str = "", extra_body_html: str = ""
) -> bytes:
    """Render Markdown to the bytes of one format (md, html or docx)."""
    if fmt == "md":
        banner = "**DRAFT**\n\n" if draft else ""
        return (banner + markdown).encode("utf-8")
    if fmt == "html":
        page = markdown_to_html(
            markdown, title=title, draft=draft, extra_css=extra_css, extra_body_html=extra_body_html
        )
        return page.encode("utf-8")
    if fmt == "docx":
        return markdown_to_docx(markdown, title=title, draft=draft)
    raise InvalidInputError(f"unknown format {fmt!r} (use {'|'.join(FORMATS)})")


def write_document(
    markdown: str,
    path: Path | str,
    fmt: str | None = None,
    *,
    title: str,
    draft: bool = False,
    extra_css: str = "",
    extra_body_html: str = "",
) -> Path:
    """Render Markdown and write it atomically as md, html or docx.

    Args:
        markdown: The document.
        path: Output file.
        fmt: ``md``, ``html`` or ``docx``; from the suffix when None.
        title: Document title.
        draft: Mark DRAFT on every page.
        extra_css: Trusted CSS (html only).
        extra_body_html: Trusted HTML appended to the body (html only).

    Returns:
        The path written.
    """
    chosen = format_for(path, fmt)
    payload = render_document(
        markdown, chosen, title=title, draft=draft, extra_css=extra_css, extra_body_html=extra_body_html
    )
    return atomic_write(path, payload)
