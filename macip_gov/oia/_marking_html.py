"""The marking view's parse of an original: numbered text blocks, their shown text, and HTML.

:mod:`.marking` turns an officer's selection in the rendered original into markup.
For that it needs, for every text block (an inline token: a paragraph, heading,
list item paragraph, table cell), the text the browser shows and where each piece
of it sits in the block's source. :func:`marking_parser` is the redaction markup's
own dialect (:func:`._markup_rules.markup_parser`: the same blocks, ``:::``
containers and ``[...]{...}`` spans) with every inline element parsed, emphasis
included, and every inline rule wrapped to record where in the content each token
it made begins and ends. :func:`read_blocks` turns that into :class:`TextBlock`
pieces; :func:`render_html` draws the same tokens as the officer's view, so block
numbers and shown text agree by construction.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInputError
from ._markup_rules import _span_rule, _wrap_container, _wrap_table, line_map
from ._markup_rules import plain_text as plain
from ._offsets import Lines, Locator
from .markup import MarkedDocument, Region

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token
    from markdown_it.utils import EnvType, OptionsDict

# Rules whose tokens wrap text another tokenize pass made: only their opener and closer are theirs.
_WRAPPING = ("link", "marked_span")
# Rules that push one token per run of delimiter characters, each as long as its content.
_DELIMITERS = ("emphasis", "strikethrough")
_OPENERS = {"em_open", "strong_open", "s_open", "link_open", "marked_span_open"}
_EMPHASIS = {"em_open", "strong_open", "s_open"}
_CLOSERS = {"em_close", "strong_close", "s_close", "link_close", "marked_span_close"}


def _positioned(name: str, rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """``rule``, recording in ``meta["at"]`` the content range of each token it pushes."""

    def wrapped(state: StateInline, silent: bool) -> bool:
        if silent:
            return rule(state, silent)
        start, count, pending = state.pos, len(state.tokens), bool(state.pending)
        if not rule(state, silent):
            return False
        made = state.tokens[count:]
        if pending and made and made[0].type == "text":
            made = made[1:]  # the pending text the first push flushed: placed later
        end = state.pos
        if name in _WRAPPING and made:
            made[0].meta["at"] = (start, start + 1)
            made[-1].meta["at"] = (None, end)  # starts where the wrapped text ends
        elif name in _DELIMITERS:
            cursor = start
            for token in made:
                token.meta["at"] = (cursor, cursor + len(token.content))
                cursor += len(token.content)
        else:
            # An autolink's opener and closer take no room: its text stands for all of it.
            for token in made:
                token.meta["at"] = {1: (start, start), -1: (end, end)}.get(token.nesting, (start, end))
        return True

    return wrapped


@lru_cache(maxsize=1)
def marking_parser() -> MarkdownIt:
    """The redaction markup's dialect with every inline element parsed and placed."""
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import table
    from mdit_py_plugins.container import container_plugin

    # The block rules of markup_parser() (and so of the renderer, plus ::: blocks).
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(["table", "strikethrough"])
    container_plugin(md, "marked", validate=lambda params, markup: True)
    rules = md.block.ruler.__rules__
    index = md.block.ruler.__find__("container_marked")
    md.block.ruler.at("container_marked", _wrap_container(rules[index].fn), {"alt": rules[index].alt})
    md.block.ruler.at("table", _wrap_table(table), {"alt": ["paragraph", "reference"]})
    md.inline.ruler.before("link", "marked_span", _span_rule)
    # Text tokens stay as the tokenizer made them, so each keeps its place.
    md.disable(["text_join", "fragments_join"])
    for rule in list(md.inline.ruler.__rules__):
        md.inline.ruler.at(rule.name, _positioned(rule.name, rule.fn))
    for name, fn in _RENDER_RULES.items():
        md.add_render_rule(name, fn)
    return md


# --------------------------------------------------------------------------- text blocks


@dataclass
class Piece:
    """A run of a block's shown text and the content range it comes from."""

    shown: str
    start: int
    end: int
    verbatim: bool
    """``shown`` is exactly ``content[start:end]``, so each character has its own place."""
    mark: int | None = None
    """The outermost marked region this piece lies in."""
    label: bool = False
    """A mark's hidden label: shown to the browser, not in the source."""


@dataclass
class Element:
    """An inline element (emphasis, link, marked span): its content range and its inner text's."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    mark: int | None = None
    """For a marked span that is a region: its index."""


@dataclass
class TextBlock:
    """One inline token: what the officer sees of it and where it is in the source."""

    index: int
    token: Token
    position: int
    """Where ``token`` is in the document's block tokens."""
    parent: Token
    cell: int
    inside: int | None
    """The ``:::`` region this block lies in, if any."""
    pieces: list[Piece] = field(default_factory=list)
    elements: list[Element] = field(default_factory=list)
    problem: str | None = None
    """Why a selection cannot be placed in this block, when its tokens could not be placed."""

    @property
    def content(self) -> str:
        return str(self.token.content)

    @property
    def line(self) -> int:
        return line_map(self.token)[0]


def label_words(kind: str, grounds: Sequence[str]) -> str:
    """The hidden label a screen reader reads at the start of a marked passage."""
    from ..render import withheld_words

    return withheld_words(grounds) if kind == "withhold" else "out of scope"


def span_label(kind: str, grounds: Sequence[str]) -> str:
    """The label text inside a marked span, as the browser's text of the block holds it."""
    return f"[{label_words(kind, grounds)}] "


def _shown(token: Token) -> str:
    kind = token.type
    if kind in ("text", "text_special", "code_inline"):
        return str(token.content)
    if kind in ("softbreak", "hardbreak"):
        return "\n"
    if kind == "image":
        return plain(token.children or [])
    return ""


class _Places:
    """Puts every child of an inline token at its content range and collects pieces and elements."""

    def __init__(self, block: TextBlock, doc: MarkedDocument):
        self.block = block
        self.doc = doc

    def run(self) -> None:
        block = self.block
        content = block.content
        children = block.token.children or []
        cursor = 0
        for child in children:
            at = child.meta.get("at")
            if at is None:
                if child.type != "text":
                    raise ValueError(f"unplaced {child.type}")
                found = content.find(child.content, cursor)
                if found < 0:
                    raise ValueError("text not found")
                at = (found, found + len(child.content))
            elif at[0] is None:
                at = (cursor, at[1])
            if at[0] < cursor or at[1] < at[0]:
                raise ValueError(f"{child.type} out of order")
            child.meta["at"] = at
            cursor = at[1]
        stack: list[tuple[Token, int | None]] = []
        mark: int | None = None
        for child in children:
            start, end = child.meta["at"]
            if child.type in _OPENERS:
                region = child.meta.get("region") if child.type == "marked_span_open" else None
                if region is not None:
                    mark = region
                    span = self.doc.regions[region].span
                    label = span_label(span.kind, span.grounds)
                    block.pieces.append(Piece(label, start, start, False, region, label=True))
                stack.append((child, region))
                continue
            if child.type in _CLOSERS:
                if not stack:
                    raise ValueError("unbalanced closer")
                opener, region = stack.pop()
                first, inner = opener.meta["at"]
                if opener.type in _EMPHASIS:
                    # A "**" pair is two one-character tokens; the opener is the inner one.
                    first = inner - len(opener.markup)
                    end = start + len(child.markup)
                block.elements.append(Element(first, end, inner, start, region))
                if region is not None:
                    mark = None
                continue
            shown = _shown(child)
            verbatim = child.type == "text" and content[start:end] == shown
            block.pieces.append(Piece(shown, start, end, verbatim, mark))
        if stack:
            raise ValueError("unbalanced opener")


def read_blocks(
    text: str, name: str, doc: MarkedDocument
) -> tuple[list[Token], list[TextBlock], Locator, dict[str, Any]]:
    """Parse ``text`` (already normalised) and describe each text block.

    Args:
        text: The source, as :func:`.markup.normalise` gives it.
        name: File name for error messages.
        doc: ``parse_markup(text, name)``: its regions are the marks.

    Returns:
        The block tokens, the text blocks in document order, a locator for the
        source, and the parse environment.
    """
    env: dict[str, Any] = {}
    tokens = marking_parser().parse(text, env)
    locator = Locator(text, env, name)
    starts = {region.start: i for i, region in enumerate(doc.regions)}
    blocks: list[TextBlock] = []
    inside: list[int | None] = []
    cell = -1
    for i, token in enumerate(tokens):
        kind = token.type
        if kind == "container_marked_open":
            meta = token.meta
            if inside:
                meta["region"] = None  # nested: absorbed by the outer block
                inside.append(inside[-1])
            else:
                region = starts.get(meta.get("line_start", meta["start"]))
                if region is None:
                    raise InvalidInputError(
                        "cannot place this marked block", file=name, location=str(line_map(token)[0] + 1)
                    )
                meta["region"] = region
                inside.append(region)
        elif kind == "container_marked_close":
            inside.pop()
        elif kind == "tr_open":
            cell = -1
        elif kind in ("th_open", "td_open"):
            cell += 1
        elif kind == "inline":
            parent = tokens[i - 1]
            block = TextBlock(len(blocks), token, i, parent, cell, inside[-1] if inside else None)
            blocks.append(block)
            _place(block, locator, starts, doc)
    return tokens, blocks, locator, env


def _place(block: TextBlock, locator: Locator, starts: dict[int, int], doc: MarkedDocument) -> None:
    children = block.token.children or []
    try:
        if block.inside is None and any(c.type == "marked_span_open" for c in children):
            # Each outermost span is the region that starts where it does in the source.
            locate = locator.mapper(block.token, block.parent, block.cell, Lines(block.content))
            opened: list[int | None] = []
            for child in children:
                if child.type == "marked_span_open":
                    region = None if opened else starts.get(locate(child.meta["start"]))
                    if region is None and not opened:
                        raise ValueError("a marked span here could not be placed")
                    child.meta["region"] = region
                    opened.append(region)
                elif child.type == "marked_span_close":
                    child.meta["region"] = opened.pop()
        _Places(block, doc).run()
    except (ValueError, InvalidInputError) as exc:
        block.pieces, block.elements = [], []
        block.problem = exc.message if isinstance(exc, InvalidInputError) else str(exc)


def mapper(block: TextBlock, locator: Locator) -> Callable[[int], int]:
    """Source offset of each content offset of ``block``."""
    return locator.mapper(block.token, block.parent, block.cell, Lines(block.content))


# --------------------------------------------------------------------------- HTML


def _attrs(pairs: Sequence[tuple[str, str]]) -> str:
    return "".join(f' {key}="{html.escape(value, quote=True)}"' for key, value in pairs)


def _mark_attrs(region: Region, index: int) -> list[tuple[str, str]]:
    span = region.span
    css = "mark-withhold" if span.kind == "withhold" else "mark-out-of-scope"
    return [
        ("class", f"mark {css}"),
        ("data-mark", str(index)),
        ("data-kind", span.kind),
        ("data-grounds", " ".join(span.grounds)),
    ]


def _doc(env: EnvType) -> MarkedDocument:
    doc = env["marking_doc"]
    assert isinstance(doc, MarkedDocument)
    return doc


def _render_text(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    return html.escape(tokens[idx].content, quote=False)


def _render_code(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    return f"<code>{html.escape(tokens[idx].content, quote=False)}</code>"


def _render_image(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    # Never fetched: the officer sees the description, in a box that says it is an image.
    text = plain(tokens[idx].children or [])
    label = f"image: {text}" if text else "image"
    attrs = _attrs([("class", "md-image"), ("role", "img"), ("aria-label", label)])
    return f"<span{attrs}>{html.escape(text, quote=False)}</span>"


def _render_link_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    # Not a link in this view (a click would leave the page); the target is shown on hover.
    href = str(tokens[idx].attrs.get("href", ""))
    return f"<span{_attrs([('class', 'md-link'), ('title', href)])}>"


def _render_close_span(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "</span>"


def _render_span_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    region = token.meta.get("region")
    if region is None:
        return '<span class="mark-nested">'
    found = _doc(env).regions[region]
    label = span_label(found.span.kind, found.span.grounds)
    return f'<mark{_attrs(_mark_attrs(found, region))}><span class="visually-hidden">{html.escape(label)}</span>'


def _render_span_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "</mark>" if tokens[idx].meta.get("region") is not None else "</span>"


def _render_container_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    region = tokens[idx].meta.get("region")
    if region is None:
        return '<div class="mark-nested">\n'
    found = _doc(env).regions[region]
    words = label_words(found.span.kind, found.span.grounds)
    return (
        f"<div{_attrs(_mark_attrs(found, region))}>\n"
        f'<p class="visually-hidden">Start of a passage {html.escape(words)}.</p>\n'
    )


def _render_container_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    region = tokens[idx].meta.get("region")
    if region is None:
        return "</div>\n"
    found = _doc(env).regions[region]
    words = label_words(found.span.kind, found.span.grounds)
    return f'<p class="visually-hidden">End of the passage {html.escape(words)}.</p>\n</div>\n'


_RENDER_RULES: dict[str, Any] = {
    "text": _render_text,
    "text_special": _render_text,
    "code_inline": _render_code,
    "image": _render_image,
    "link_open": _render_link_open,
    "link_close": _render_close_span,
    "marked_span_open": _render_span_open,
    "marked_span_close": _render_span_close,
    "container_marked_open": _render_container_open,
    "container_marked_close": _render_container_close,
}


def _prepare(tokens: list[Token], blocks: list[TextBlock], heading_offset: int) -> None:
    """Number the text blocks, link marked spans to their regions, and drop what CSP forbids."""
    for block in blocks:
        parent = block.parent
        if parent.type == "paragraph_open" and parent.hidden:
            # A tight list's paragraph: shown as a span so the block has an element.
            parent.hidden = False
            parent.tag = "span"
            closer = tokens[block.position + 1]
            closer.hidden, closer.tag = False, "span"
            parent.attrSet("class", "tight")
        parent.attrSet("data-block", str(block.index))
    for token in tokens:
        if token.type in ("th_open", "td_open"):
            style = token.attrGet("style")
            if style is not None:
                # CSP allows no style attribute: the alignment becomes a class.
                token.attrs.pop("style", None)
                token.attrSet("class", "align-" + str(style).split(":")[-1].strip())
            if token.type == "th_open":
                token.attrSet("scope", "col")
        elif token.type in ("heading_open", "heading_close") and heading_offset:
            # The page has its own h1: the document's headings sit below it.
            level = min(int(token.tag[1]) + heading_offset, 6)
            token.tag = f"h{level}"


def render_html(tokens: list[Token], blocks: list[TextBlock], doc: MarkedDocument, heading_offset: int) -> str:
    """The officer's view of the document: every block numbered, every mark drawn."""
    _prepare(tokens, blocks, heading_offset)
    md = marking_parser()
    return str(md.renderer.render(tokens, md.options, {"marking_doc": doc}))


__all__ = [
    "Element",
    "Piece",
    "TextBlock",
    "label_words",
    "mapper",
    "marking_parser",
    "plain",
    "read_blocks",
    "render_html",
    "span_label",
]
