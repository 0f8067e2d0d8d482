"""Documents: sandboxed Jinja2 templates to Markdown, and Markdown to HTML, DOCX or PDF.

Every document the toolkit writes (decision letters, schedules, redacted
releases, PIA reports, Terms of Reference) is Markdown first. Templates run in
Jinja2's sandbox and user text is escaped with the ``md`` filter, so text in a
PIA or a spec is always data. Markdown is parsed by markdown-it-py with raw HTML
disabled, so nothing in a source document reaches HTML unescaped. The Word
writer is :mod:`macip_gov.render_docx` and the PDF writer :mod:`macip_gov.render_pdf`
(the HTML page laid out on A4); this module keeps their entry points.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InvalidInputError, TemplateError
from .files import atomic_write

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token
    from markdown_it.utils import EnvType, OptionsDict

FORMATS = ("md", "html", "docx", "pdf")

# Characters that start inline markup anywhere in a line.
_MD_INLINE = re.compile(r"([\\`*_{}\[\]<>|~&!])")
# Constructs that only mean something at the start of a line: headings, quotes,
# list items ("-", "+", "1." "1)"), setext underlines, thematic breaks.
_MD_LINE_START = re.compile(r"^(\s*)(#|>|[-+=]|\d+[.)])", re.M)


# --------------------------------------------------------------------------- redaction marks
#
# A redacted document reaches the renderer as Markdown in which each marker is tagged
# with Unicode noncharacters (U+FDD0..U+FDD4, "for internal use", never text a person
# writes): the HTML and DOCX writers draw a tagged marker as a shaded box that a screen
# reader reads as "withheld under section 6(c)", and the Markdown writer keeps only the
# marker. Released text that happens to hold these characters gets U+FFFD instead
# (:func:`md_escape`, :func:`unmark`), so only the redaction step can draw a box.

_BOX_OPEN, _MID, _BOX_CLOSE, _REVIEW_OPEN, _REVIEW_CLOSE = "\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3", "\ufdd4"
MARK_CHARACTERS = _BOX_OPEN + _MID + _BOX_CLOSE + _REVIEW_OPEN + _REVIEW_CLOSE
"""The characters that tag redaction markers and review highlights in Markdown to render."""
_UNMARK = dict.fromkeys(map(ord, MARK_CHARACTERS), "\ufffd")
_GROUNDS = re.compile(r"[0-9A-Za-z() ]*")
_MARKS = re.compile(
    f"{_BOX_OPEN}([^{MARK_CHARACTERS}]*){_MID}([^{MARK_CHARACTERS}]*){_BOX_CLOSE}"
    f"|{_REVIEW_OPEN}([^{MARK_CHARACTERS}]*){_MID}|{_REVIEW_CLOSE}|[{MARK_CHARACTERS}]"
)
REVIEW_BANNER = "REVIEW COPY \u2013 NOT FOR RELEASE"
"""The words that mark a review copy, on every page of every format."""


def unmark(text: str) -> str:
    """``text`` with every redaction-tagging character replaced by U+FFFD."""
    return text.translate(_UNMARK)


def _checked_grounds(grounds: Sequence[str]) -> str:
    joined = " ".join(grounds)
    if not _GROUNDS.fullmatch(joined):
        raise ValueError(f"not ground ids: {joined!r}")
    return joined


def box_marker(grounds: Sequence[str], marker: str) -> str:
    """Tag a marker (already Markdown-escaped, one line) to be drawn as a redaction box.

    Args:
        grounds: The ground ids withheld under (empty for out-of-scope text).
        marker: The marker as released, e.g. ``s.6(c) OIA \\[REDACTED\\]``.
    """
    return f"{_BOX_OPEN}{_checked_grounds(grounds)}{_MID}{unmark(marker)}{_BOX_CLOSE}"


def review_open(grounds: Sequence[str]) -> str:
    """The tag that starts withheld text shown in a review copy (ends with :data:`REVIEW_CLOSE`)."""
    return f"{_REVIEW_OPEN}{_checked_grounds(grounds)}{_MID}"


REVIEW_CLOSE = _REVIEW_CLOSE
"""The tag that ends withheld text shown in a review copy."""


def withheld_words(grounds: Sequence[str]) -> str:
    """How a screen reader hears a redaction: ``withheld under section 6(c)``."""
    if not grounds:
        return "out of scope"
    if len(grounds) == 1:
        return f"withheld under section {grounds[0]}"
    return f"withheld under sections {', '.join(grounds[:-1])} and {grounds[-1]}"


def citation_words(grounds: Sequence[str]) -> str:
    """The grounds as releases cite them: ``s.6(c) OIA, s.9(2)(a) OIA`` (``out of scope`` for none)."""
    return ", ".join(f"s.{g} OIA" for g in grounds) if grounds else "out of scope"


def plain_markdown(markdown: str) -> str:
    """Markdown for the ``md`` format: a boxed marker becomes its marker, review tags become words."""

    def replace(match: re.Match[str]) -> str:
        if match[1] is not None:
            return match[2]
        if match[3] is not None:
            grounds = match[3].split()
            label = f"\u27e6withheld under {citation_words(grounds)}:" if grounds else "\u27e6out of scope:"
            return label if markdown.startswith("\n", match.end()) else label + " "
        if match[0] == _REVIEW_CLOSE:
            return "\u27e7"
        return ""

    if not any(c in markdown for c in MARK_CHARACTERS):
        return markdown
    return _MARKS.sub(replace, markdown)


def _split_marks(state: StateCore) -> None:
    """Core rule: tagged markers become ``redaction`` tokens; review tags mark the text between them.

    Only for documents rendered with ``env["redactions"]``: every other document keeps
    the characters as text. Text, inline code and code blocks between a review start
    and end carry ``meta["withheld"]`` (the grounds), which the writers highlight.
    """
    from markdown_it.token import Token

    if not state.env.get("redactions"):
        return
    review: tuple[str, ...] | None = None
    for block in state.tokens:
        if block.type in ("fence", "code_block") and review is not None:
            block.meta["withheld"] = review
        if block.type != "inline" or not block.children:
            continue
        out: list[Token] = []
        for token in block.children:
            if token.type != "text" or not any(c in token.content for c in MARK_CHARACTERS):
                if review is not None and token.type in ("text", "code_inline"):
                    token.meta["withheld"] = review
                out.append(token)
                continue
            content, cursor = token.content, 0
            for match in _MARKS.finditer(content):
                if match.start() > cursor:
                    out.append(_text(content[cursor : match.start()], review))
                cursor = match.end()
                if match[1] is not None:
                    box = Token("redaction", "", 0, content=match[2])
                    box.meta["grounds"] = tuple(match[1].split())
                    out.append(box)
                elif match[3] is not None:
                    review = tuple(match[3].split())
                    label = Token("withheld_start", "", 0)
                    label.meta["grounds"] = review
                    out.append(label)
                elif match[0] == _REVIEW_CLOSE and review is not None:
                    out.append(Token("withheld_end", "", 0))
                    review = None
            if cursor < len(content):
                out.append(_text(content[cursor:], review))
        block.children = out


def _text(content: str, review: tuple[str, ...] | None) -> Token:
    from markdown_it.token import Token

    token = Token("text", "", 0, content=content)
    if review is not None:
        token.meta["withheld"] = review
    return token


def _number_list_items(state: StateCore) -> None:
    """Core rule: each ordered list item keeps the number written in the source.

    CommonMark numbers a list from its first item and counts on; a document whose
    paragraphs run 20, 22 (or whose paragraph 21 was withheld) must keep its numbers,
    so an item whose number is not the next one gets ``value``. Every ordered item's
    number is in ``meta["number"]`` for the DOCX writer.
    """
    expected: list[int | None] = []
    for token in state.tokens:
        kind = token.type
        if kind == "ordered_list_open":
            expected.append(None)
        elif kind == "bullet_list_open":
            expected.append(-1)
        elif kind in ("ordered_list_close", "bullet_list_close"):
            expected.pop()
        elif kind == "list_item_open" and expected and expected[-1] != -1:
            number = int(token.info) if token.info.isdigit() else (expected[-1] or 1)
            if expected[-1] is not None and number != expected[-1]:
                token.attrSet("value", str(number))
            token.meta["number"] = number
            expected[-1] = number + 1


def _render_text(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    from markdown_it.common.utils import escapeHtml

    token = tokens[idx]
    text = escapeHtml(token.content)
    return f'<mark class="withheld">{text}</mark>' if "withheld" in token.meta else text


def _render_code_inline(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    from markdown_it.common.utils import escapeHtml

    code = f"<code>{escapeHtml(tokens[idx].content)}</code>"
    return f'<mark class="withheld">{code}</mark>' if "withheld" in tokens[idx].meta else code


def _render_fence(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    from markdown_it.renderer import RendererHTML

    kind = tokens[idx].type
    default = RendererHTML.fence if kind == "fence" else RendererHTML.code_block
    code = default(self, tokens, idx, options, env)
    return f'<div class="withheld">{code}</div>\n' if "withheld" in tokens[idx].meta else code


def _render_redaction(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    # The box shows the marker; a screen reader hears the words instead of "s dot 6 c".
    from markdown_it.common.utils import escapeHtml

    grounds = tokens[idx].meta["grounds"]
    kind = "redaction" if grounds else "redaction out-of-scope"
    return (
        f'<span class="{kind}"><span class="visually-hidden">[{escapeHtml(withheld_words(grounds))}]</span>'
        f'<span aria-hidden="true">{escapeHtml(tokens[idx].content)}</span></span>'
    )


def _render_withheld_start(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    from markdown_it.common.utils import escapeHtml

    grounds = tokens[idx].meta["grounds"]
    words = "Out of scope" if not grounds else f"Withheld: {citation_words(grounds)}"
    return f'<span class="withheld-label">{escapeHtml(words)}</span> '


def _render_withheld_end(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return '<span class="withheld-end">[end of withheld text]</span>'


def md_escape(value: Any) -> str:
    """Escape text so Markdown shows it literally (no emphasis, links, HTML, lists, headings).

    The characters that tag redactions for rendering (:data:`MARK_CHARACTERS`) become
    U+FFFD, so text from a manifest or a PIA can never draw a redaction box.
    """
    if value is None:
        return ""
    text = _MD_INLINE.sub(r"\\\1", str(value).translate(_UNMARK))
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
    md.core.ruler.push("list_numbers", _number_list_items)
    md.core.ruler.push("redaction_marks", _split_marks)
    md.add_render_rule("text", _render_text)
    md.add_render_rule("code_inline", _render_code_inline)
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("code_block", _render_fence)
    md.add_render_rule("redaction", _render_redaction)
    md.add_render_rule("withheld_start", _render_withheld_start)
    md.add_render_rule("withheld_end", _render_withheld_end)
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

# Only pages that carry redactions or review highlights get these rules.
_REDACTION_CSS = """
.redaction { background: #3a3a3a; color: #fff; border: 1px solid #3a3a3a; border-radius: 2px;
             padding: 0 .35em; font-size: .92em; font-weight: 600; white-space: pre-wrap;
             -webkit-box-decoration-break: clone; box-decoration-break: clone;
             -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.redaction.out-of-scope { background: #6b7580; border-color: #6b7580; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;
                   overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
mark.withheld, div.withheld { background: #fff1a8; color: inherit; border-bottom: 2px solid #c9a400;
                              -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.withheld-label { background: #b00020; color: #fff; font-size: .8em; font-weight: bold;
                  padding: 0 .3em; border-radius: 2px; -webkit-print-color-adjust: exact;
                  print-color-adjust: exact; }
.withheld-end { color: #b00020; font-size: .8em; font-weight: bold; }
.review-banner { background: #b00020; color: #fff; font-weight: bold; text-align: center;
                 padding: .5rem; letter-spacing: .15rem; -webkit-print-color-adjust: exact;
                 print-color-adjust: exact; }
.review-mark { position: fixed; top: 40%; left: 0; right: 0; text-align: center; font-size: 5rem;
               color: rgba(176, 0, 32, .10); transform: rotate(-30deg); pointer-events: none;
               z-index: -1; }
"""


def html_page(
    body_html: str,
    *,
    title: str,
    draft: bool = False,
    extra_css: str = "",
    review: bool = False,
    redactions: bool = False,
) -> str:
    """Wrap an HTML fragment in a complete page.

    Args:
        body_html: Trusted, already-escaped HTML.
        title: Page title (escaped here).
        draft: Mark the page DRAFT (banner plus a mark repeated on every printed page).
        extra_css: Additional trusted CSS.
        review: Mark the page a review copy (:data:`REVIEW_BANNER` above and below the
            text, and a mark repeated on every printed page).
        redactions: Add the styles of redaction boxes (implied by ``review``).

    Returns:
        The HTML document.
    """
    marks = end = ""
    if draft:
        marks = '<div class="draft-banner">DRAFT</div>\n<div class="draft-mark" aria-hidden="true">DRAFT</div>\n'
    if review:
        banner = f'<div class="review-banner" role="note">{REVIEW_BANNER}</div>\n'
        marks += banner + '<div class="review-mark" aria-hidden="true">REVIEW COPY</div>\n'
        end = banner
        title = f"{REVIEW_BANNER}: {title}"
    body_attr = ' class="draft"' if draft else ""
    css = _CSS + _REDACTION_CSS if redactions or review else _CSS
    return (
        '<!DOCTYPE html>\n<html lang="en-NZ">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{css}{extra_css}</style>\n</head>\n"
        f"<body{body_attr}>\n{marks}{body_html}{end}</body>\n</html>\n"
    )


def markdown_to_html(
    markdown: str,
    *,
    title: str,
    draft: bool = False,
    extra_css: str = "",
    extra_body_html: str = "",
    redactions: bool = False,
    review: bool = False,
) -> str:
    """Render Markdown as a complete HTML page (raw HTML in the Markdown is escaped).

    Args:
        markdown: The document.
        title: Page title.
        draft: Mark the page DRAFT.
        extra_css: Trusted CSS to add.
        extra_body_html: Trusted HTML appended after the rendered Markdown.
        redactions: Draw markers tagged by :func:`box_marker` as redaction boxes.
        review: A review copy: withheld text tagged by :func:`review_open` is
            highlighted, and every page says :data:`REVIEW_BANNER`.

    Returns:
        The HTML document.
    """
    body = markdown_parser().render(markdown, {"redactions": redactions or review}) + extra_body_html
    return html_page(body, title=title, draft=draft, extra_css=extra_css, review=review, redactions=redactions)


# --------------------------------------------------------------------------- DOCX


def markdown_to_docx(
    markdown: str, *, title: str, draft: bool = False, redactions: bool = False, review: bool = False
) -> bytes:
    """Render Markdown as a Word document (the writer is :mod:`macip_gov.render_docx`).

    Core properties carry only the title; characters XML cannot carry become U+FFFD.

    Args:
        markdown: The document.
        title: Document title (core properties).
        draft: Put DRAFT in the header of every section.
        redactions: Draw markers tagged by :func:`box_marker` as shaded redaction boxes.
        review: A review copy: withheld text highlighted, :data:`REVIEW_BANNER` in every
            header and at the start and end of the text.

    Returns:
        The .docx file's bytes.
    """
    from .render_docx import markdown_to_docx as write_docx

    return write_docx(markdown, title=title, draft=draft, redactions=redactions, review=review)


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
    markdown: str,
    fmt: str,
    *,
    title: str,
    draft: bool = False,
    extra_css: str = "",
    extra_body_html: str = "",
    redactions: bool = False,
    review: bool = False,
    created: date | None = None,
) -> bytes:
    """Render Markdown to the bytes of one format (md, html, docx or pdf).

    With ``redactions`` (or ``review``) the Markdown may carry tagged markers
    (:func:`box_marker`, :func:`review_open`): boxes in HTML, DOCX and PDF, the
    marker alone in Markdown. A PDF is the HTML page laid out on A4 pages;
    ``created`` is the date its metadata records (none when None).
    """
    if fmt == "md":
        banner = "**DRAFT**\n\n" if draft else ""
        if redactions or review:
            markdown = plain_markdown(markdown)
        if review:
            banner += f"**{REVIEW_BANNER}**\n\n"
            markdown = markdown.rstrip("\n") + f"\n\n**{REVIEW_BANNER}**\n"
        return (banner + markdown).encode("utf-8")
    if fmt in ("html", "pdf"):
        page = markdown_to_html(
            markdown,
            title=title,
            draft=draft,
            extra_css=extra_css,
            extra_body_html=extra_body_html,
            redactions=redactions,
            review=review,
        )
        if fmt == "pdf":
            from .render_pdf import html_to_pdf

            return html_to_pdf(page, created=created, review=review)
        return page.encode("utf-8")
    if fmt == "docx":
        return markdown_to_docx(markdown, title=title, draft=draft, redactions=redactions, review=review)
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
    redactions: bool = False,
    review: bool = False,
) -> Path:
    """Render Markdown and write it atomically as md, html, docx or pdf.

    Args:
        markdown: The document.
        path: Output file.
        fmt: ``md``, ``html``, ``docx`` or ``pdf``; from the suffix when None.
        title: Document title.
        draft: Mark DRAFT on every page.
        extra_css: Trusted CSS (html and pdf only).
        extra_body_html: Trusted HTML appended to the body (html and pdf only).
        redactions: Draw tagged markers as redaction boxes (see :func:`render_document`).
        review: Write a review copy (see :func:`render_document`).

    Returns:
        The path written.
    """
    chosen = format_for(path, fmt)
    payload = render_document(
        markdown,
        chosen,
        title=title,
        draft=draft,
        extra_css=extra_css,
        extra_body_html=extra_body_html,
        redactions=redactions,
        review=review,
    )
    return atomic_write(path, payload)
