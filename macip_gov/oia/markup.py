"""Redaction markup in Markdown documents: withheld and out-of-scope spans and blocks.

An OIA officer marks up the original document in Pandoc attribute syntax::

    The officer's number is [021 555 0199]{.withhold ground="9(2)(a)"}.

    ::: {.withhold ground="6(c) 9(2)(g)(i)"}
    A whole passage, with *any* Markdown in it: lists, tables, links.
    :::

    [Text outside the request]{.out-of-scope}

The document is parsed once with markdown-it-py (the same CommonMark dialect the
renderer uses) and mdit-py-plugins: the container plugin reads ``:::`` blocks and
the attribute parser reads ``{...}``. Every marked region comes from the parser,
and its position in the source is recovered from the parser's own line map, so
the release can be cut from the source text with the released bytes untouched
(:mod:`.redact`).

The parser fails closed. Markup it cannot place exactly (a typo in a class, an
unclosed block, ``{.withhold}`` left inside code or after a link) is an error
naming the file and line, never text that slips through unredacted. One
recogniser, :func:`find_mark`, says what looks like a mark: the parser checks
every attribute block it reads as a mark against it, and any text it finds
outside the marked regions is refused. It knows every spelling the attribute
parser reads as a class (``.withhold``, ``class=withhold``, ``class="a withhold"``,
after an id, a comment or a quoted value, any white space) in any case, so a
spelling the parser accepts cannot be released unread from code, a title or a
table cell; a mark in another case (``.WITHHOLD``) is an error even in a span.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from mdit_py_plugins.attrs.parse import ParseError, parse
from pydantic import BaseModel, ConfigDict, Field

from ..errors import InvalidInputError

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

Kind = Literal["withhold", "out_of_scope"]

# Markup classes and the kind of region each one marks.
CLASSES: dict[str, Kind] = {"withhold": "withhold", "out-of-scope": "out_of_scope"}
_CANONICAL: dict[Kind, str] = {kind: name for name, kind in CLASSES.items()}
# An attribute block longer than this is not redaction markup.
_MAX_ATTRS = 4096
_CONTAINER = "marked"

# A class name as the attribute parser reads one: up to white space or punctuation
# other than - _ : (mdit_py_plugins.attrs.parse).
_NAME = r"""[^\s!"#$%&'()*+,./;<=>?@\[\]^`{|}~]+"""
# Text shaped like a class in an attribute block, in any case: ".name" not inside a
# word, dotted name or ellipsis (the parser only reads one after "{", white space,
# a quoted value or a comment), or a class= attribute, spaced or not, with a bare,
# double- or single-quoted value (unterminated too, up to the attribute limit).
_MARK_SHAPED = re.compile(
    rf"""(?<![\w.])\.(?P<name>{_NAME})"""
    rf"""|(?<![\w:.-])class\s*=\s*(?P<value>"(?:[^"\\{{}}]|\\.){{0,{_MAX_ATTRS}}}"?"""
    rf"""|'[^'{{}}]{{0,{_MAX_ATTRS}}}'?|[^\s"'{{}}]+)""",
    re.IGNORECASE,
)
_NAMES = re.compile(_NAME)
_DASHES = re.compile("[_\u2010-\u2015\u2212]")
_CLOSE_BRACE = re.compile("}")


def mark_kind(name: str) -> Kind | None:
    """The kind of region a class name marks, read as loosely as a person might write it.

    ``withhold`` and ``out-of-scope`` in any case, with ``_`` or a Unicode dash for
    ``-``. Only the exact lower-case names (:data:`CLASSES`) make a span; the rest
    are errors in a span and refused anywhere else, never released.
    """
    return CLASSES.get(_DASHES.sub("-", name).casefold())


def find_mark(text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
    """The first text in ``text[start:end]`` that looks like a withhold or out-of-scope mark.

    The one recogniser of marks: the parser checks every attribute block it reads
    as a mark against it, and text it finds outside the marked regions is refused.
    """
    for found in _MARK_SHAPED.finditer(text, start, len(text) if end is None else end):
        name = found["name"]
        names = [name] if name is not None else _NAMES.findall(found["value"])
        if any(mark_kind(n) is not None for n in names):
            return found
    return None


@lru_cache(maxsize=4096)
def _looks_like_mark(attributes: str) -> bool:
    return find_mark(attributes) is not None


def _shown(found: re.Match[str]) -> str:
    """A mark found by :func:`find_mark` as a short one-line quotation."""
    text = f".{found['name']}" if found["name"] is not None else f"class={found['value']}"
    text = " ".join(text.split())
    return "{" + (text if len(text) <= 60 else text[:57] + "...") + " ...}"


class Span(BaseModel):
    """One marked region: an inline ``[...]{...}`` span or a ``:::`` block."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Kind = Field(description="withhold (a ground applies) or out_of_scope (outside the request).")
    grounds: tuple[str, ...] = Field(
        default=(), description="Canonical ground ids in the order cited; empty for out_of_scope."
    )
    line: int = Field(description="1-based source line where the region starts.")
    block: bool = Field(default=False, description="True for a ::: block, False for an inline span.")


@dataclass(frozen=True)
class Region:
    """Where an outermost span sits in the source and how its marker is laid out."""

    start: int
    """Offset of the first character of the markup (``[`` or the ``:::``)."""
    end: int
    """Offset just past the markup (after ``}``, or the end of the closing ``:::`` line)."""
    span: Span
    blank_before: str | None = None
    """Block only: the line prefix (``> ``, indentation) when the marker paragraph needs a
    blank line before it; ``start`` is then the start of the line."""
    blank_after: str | None = None
    """Block only: the line prefix for a blank line after the marker paragraph."""


@dataclass(frozen=True)
class MarkedDocument:
    """A parsed marked-up document.

    ``spans`` are the regions that become markers, in document order. Markup nested
    inside another marked region is checked the same way but absorbed by the outer
    marker; it is listed in ``nested``. ``grounds`` are the ground ids the markers
    cite, in statutory order.
    """

    name: str
    text: str
    spans: list[Span]
    grounds: list[str]
    nested: list[Span] = field(default_factory=list)
    regions: tuple[Region, ...] = field(default=(), repr=False)
    heading: tuple[str, tuple[tuple[int, int, int], ...]] | None = field(default=None, repr=False)
    """The first heading outside any region: its inline source and the spans in it
    as (start, end, index into ``spans``), for a title cut from released text."""

    @property
    def withheld(self) -> int:
        """How many withheld passages the release will show."""
        return sum(1 for s in self.spans if s.kind == "withhold")

    @property
    def out_of_scope(self) -> int:
        """How many out-of-scope passages the release will show."""
        return sum(1 for s in self.spans if s.kind == "out_of_scope")

    def all_spans(self) -> list[Span]:
        """Every marked region, outermost and nested, in source order."""
        return sorted([*self.spans, *self.nested], key=lambda s: s.line)


# --------------------------------------------------------------------------- parser


def _span_rule(state: StateInline, silent: bool) -> bool:
    """Inline ``[text]{attrs}``, tried before links so a reference label cannot shadow it."""
    src = state.src
    start = state.pos
    if src[start] != "[":
        return False
    label_end = state.md.helpers.parseLinkLabel(state, start, False)
    if label_end < 0:
        return False
    brace = label_end + 1
    if brace >= state.posMax or src[brace] != "{":
        return False
    limit = min(state.posMax, brace + _MAX_ATTRS)
    # A search bounded by the attribute limit, never to the end of a long line.
    brace_match = _CLOSE_BRACE.search(src, brace, limit)
    if brace_match is None:
        return False
    close = brace_match.start()
    found = _attributes(src[brace : close + 1])
    if found is None:  # a "}" inside a quoted value: read on to the real end
        try:
            used, attrs = parse(src[brace:limit])
        except ParseError:
            return False
    else:
        used, attrs = found
    end = brace + used + 1
    if not silent:
        old_max = state.posMax
        state.pos, state.posMax = start + 1, label_end
        token = state.push("marked_span_open", "span", 1)
        token.meta = {"attrs": attrs, "start": start, "brace": brace, "end": end}
        state.md.inline.tokenize(state)
        state.push("marked_span_close", "span", -1)
        state.posMax = old_max
    state.pos = end
    return True


@lru_cache(maxsize=4096)
def _attributes(text: str) -> tuple[int, dict[str, Any]] | None:
    """Parse one attribute block ending at its first ``}`` (cached: documents repeat them)."""
    try:
        used, attrs = parse(text)
    except ParseError:
        return None
    return (used, attrs) if used == len(text) - 1 else None


@lru_cache(maxsize=4096)
def _verdict(attrs: tuple[tuple[str, Any], ...], block: bool) -> tuple[Kind, tuple[str, ...]] | str:
    """What an attribute block marks (kind and grounds), or why it is not valid markup.

    Cached: a document repeats the same few attribute blocks.
    """
    what = "block" if block else "span"
    found = dict(attrs)
    classes = str(found.get("class", "")).split()
    for name in classes:
        kind = mark_kind(name)
        if kind is None:
            return f"unknown class .{name} on a marked {what} (use .withhold or .out-of-scope)"
        canonical = _CANONICAL[kind]
        if name == canonical:
            continue
        if name.lower() == canonical:
            return f"class names are lower-case: write .{canonical}, not .{name}"
        return f"unknown class .{name} on a marked {what}: write .{canonical}"
    kinds = {CLASSES[c] for c in classes}
    if len(kinds) != 1:
        problem = "both .withhold and .out-of-scope" if kinds else "no .withhold or .out-of-scope class"
        return f"marked {what} has {problem}"
    extra = sorted(k for k in found if k not in ("class", "ground"))
    if extra:
        return f"unexpected attribute {extra[0]!r} on a marked {what} (only ground=)"
    kind = kinds.pop()
    if kind == "out_of_scope":
        if "ground" in found:
            return "out-of-scope text takes no ground; use .withhold to withhold it"
        return kind, ()
    if "ground" not in found:
        return f'withheld {what} has no ground (add ground="9(2)(a)" or similar)'
    try:
        return kind, _grounds(str(found["ground"]))
    except InvalidInputError as exc:
        return exc.message


@lru_cache(maxsize=4096)
def _grounds(value: str) -> tuple[str, ...]:
    from .citations import split_citation

    return tuple(split_citation(value))


def _is_candidate(content: str) -> bool:
    return "]{" in content or find_mark(content) is not None


def _inline_rule(state: StateCore) -> None:
    """Parse inline content only where markup can be: the rest is copied, not rendered."""
    md = state.md
    for token in state.tokens:
        if token.type == "inline" and _is_candidate(token.content):
            token.children = []
            md.inline.parse(token.content, md, state.env, token.children)


def _wrap_container(rule: Any) -> Any:
    def container(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        if silent:
            return bool(rule(state, start_line, end_line, True))
        n = len(state.tokens)
        if not rule(state, start_line, end_line, False):
            return False
        token = state.tokens[n]
        close_line = _map(token)[1]
        closed = state.line == close_line + 1
        src = state.src
        meta: dict[str, Any] = {
            "closed": closed,
            "start": state.bMarks[start_line] + state.tShift[start_line],
        }
        previous = state.tokens[n - 1] if n else None
        first_child = previous is None or previous.nesting == 1
        starts = _line_starts(state.env, src)
        if not first_child and start_line > 0 and not state.isEmpty(start_line - 1):
            # The marker paragraph needs a blank line before it: the region then
            # starts at the line start and the replacement re-creates the prefix.
            meta["line_start"] = starts[start_line]
            meta["blank_before"] = src[meta["line_start"] : meta["start"]]
        if closed:
            close_start = state.bMarks[close_line] + state.tShift[close_line]
            meta["end"] = state.eMarks[close_line]
            nxt = close_line + 1
            if nxt < end_line:
                follows = not state.isEmpty(nxt)
            else:
                raw = src[starts[nxt] : starts[nxt + 1] - 1] if nxt + 1 < len(starts) else ""
                follows = bool(raw.strip().strip(">").strip())
            if follows:
                meta["blank_after"] = src[starts[close_line] : close_start].rstrip()
        token.meta = meta
        return True

    return container


def _wrap_table(rule: Any) -> Any:
    def table(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        if silent:
            return bool(rule(state, start_line, end_line, True))
        n = len(state.tokens)
        if not rule(state, start_line, end_line, False):
            return False
        rows = state.env.setdefault("macip_rows", {})
        for token in state.tokens[n:]:
            if token.type == "tr_open":
                line = _map(token)[0]
                rows[line] = (state.bMarks[line] + state.tShift[line], state.eMarks[line])
        return True

    return table


def _line_starts(env: MutableMapping[str, Any], text: str) -> list[int]:
    """Offsets where each source line starts, and one past the end: built once per document."""
    starts = env.get("macip_starts")
    if starts is None:
        starts = [0]
        for line in text.split("\n"):
            starts.append(starts[-1] + len(line) + 1)
        env["macip_starts"] = starts
    return starts


def _same(url: str) -> str:
    return url


def _map(token: Token) -> list[int]:
    """A block token's line range (every token this module reads has one)."""
    if token.map is None:
        raise InvalidInputError(f"markdown token {token.type} has no line map")
    return token.map


@lru_cache(maxsize=1)
def markup_parser() -> MarkdownIt:
    """The renderer's Markdown dialect plus redaction markup (spans and ``:::`` blocks)."""
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import table
    from mdit_py_plugins.container import container_plugin

    # Same preset and options as macip_gov.render.markdown_parser(): a region is
    # found exactly where the renderer would see a block or an inline element.
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(["table", "strikethrough"])
    # Every ::: line opens a container, so a malformed block is an error rather
    # than a paragraph of text that is released.
    container_plugin(md, _CONTAINER, validate=lambda params, markup: True)
    rules = md.block.ruler.__rules__
    index = md.block.ruler.__find__(f"container_{_CONTAINER}")
    md.block.ruler.at(f"container_{_CONTAINER}", _wrap_container(rules[index].fn), {"alt": rules[index].alt})
    md.block.ruler.at("table", _wrap_table(table), {"alt": ["paragraph", "reference"]})
    md.inline.ruler.before("link", "marked_span", _span_rule)
    md.core.ruler.at("inline", _inline_rule)
    # Escapes stay separate tokens, so an escaped "\]\{" is not mistaken for markup.
    md.disable("text_join")
    # Emphasis never moves a bracket, so finding spans does not need it; the
    # released text is rendered later by the renderer's own parser.
    md.disable(["emphasis", "strikethrough"])
    # Nothing is rendered from this parse, so link targets need no percent-encoding
    # or punycode; whether a link forms depends only on validateLink, as before.
    md.normalizeLink = _same  # type: ignore[method-assign]
    md.normalizeLinkText = _same  # type: ignore[method-assign,assignment]
    return md


# --------------------------------------------------------------------------- positions


def _trim_chars() -> str:
    from markdown_it.common.utils import MD_TRIM_CHARS

    return str(MD_TRIM_CHARS)


class _Lines:
    """Where each line of an inline token's content starts (a line number is then a bisection)."""

    def __init__(self, content: str):
        self.content = content
        self.begins = [0]
        for part in content.split("\n"):
            self.begins.append(self.begins[-1] + len(part) + 1)

    def line(self, pos: int) -> int:
        """The 0-based content line holding ``content[pos]``."""
        return bisect_right(self.begins, pos) - 1


class _Locator:
    """Maps offsets in an inline token's content back to the source text.

    Each token gets a map (:meth:`mapper`) that checks a content line against its
    source line once, so placing every span of a long line or paragraph is linear.
    """

    def __init__(self, text: str, env: dict[str, Any], name: str):
        self.text = text
        self.env = env
        self.name = name
        self.trim = _trim_chars()
        self._cells: dict[int, list[list[int]]] = {}

    def line_start(self, line: int) -> int:
        return _line_starts(self.env, self.text)[line]

    def line_text(self, line: int) -> str:
        starts = _line_starts(self.env, self.text)
        return self.text[starts[line] : starts[line + 1] - 1]

    def fail(self, line: int) -> InvalidInputError:
        return InvalidInputError(
            "cannot place this marked span in the source; simplify the markup around it",
            file=self.name,
            location=str(line + 1),
        )

    def mapper(self, token: Token, parent: Token, cell: int, lines: _Lines) -> Callable[[int], int]:
        """A function giving the source offset of ``token.content[pos]``."""
        content = token.content
        first = _map(token)[0]
        kind = parent.type
        if kind in ("th_open", "td_open"):
            offsets = self.cell(first, cell)
            if len(offsets) != len(content) or any(self.text[o] != c for o, c in zip(offsets, content, strict=True)):
                raise self.fail(first)
            return offsets.__getitem__
        if kind == "heading_open" and parent.markup.startswith("#"):
            line = self.line_text(first)
            p = line.find("#")
            while p < len(line) and line[p] == "#":
                p += 1
            while p < len(line) and line[p] in self.trim:
                p += 1
            if not line.startswith(content, p):
                raise self.fail(first)
            base = self.line_start(first) + p
            return lambda pos: base + pos
        return self._paragraph(lines, first)

    def _paragraph(self, lines: _Lines, first: int) -> Callable[[int], int]:
        # Paragraphs and setext headings: content line k is the tail of source
        # line first + k, less container prefixes and surrounding white space.
        shifts: dict[int, tuple[int, int]] = {}

        def locate(pos: int) -> int:
            k = lines.line(pos)
            shift = shifts.get(k)
            if shift is None:
                begin = lines.begins[k]
                part = lines.content[begin : lines.begins[k + 1] - 1]
                core = part.strip(self.trim)
                lead = len(part) - len(part.lstrip(self.trim))
                line = self.line_text(first + k).rstrip(self.trim)
                if not core or not line.endswith(core):
                    raise self.fail(first + k)
                delta = self.line_start(first + k) + len(line) - len(core) - begin - lead
                shift = shifts[k] = (begin + lead, delta)
            if pos < shift[0]:
                raise self.fail(first + k)
            return pos + shift[1]

        return locate

    def cell(self, line: int, index: int) -> list[int]:
        """Source offsets of every character of one table cell's content."""
        cells = self._cells.get(line)
        if cells is None:
            bounds = self.env.get("macip_rows", {}).get(line)
            if bounds is None:
                raise self.fail(line)
            cells = self._cells[line] = self._split_row(*bounds)
        if index >= len(cells):
            raise self.fail(line)
        return cells[index]

    def _split_row(self, start: int, end: int) -> list[list[int]]:
        # The table rule's own cell split (trim, split on unescaped "|", drop the
        # backslash of "\|", drop empty outer cells, trim), keeping offsets.
        text, trim = self.text, self.trim
        while start < end and text[start] in trim:
            start += 1
        while end > start and text[end - 1] in trim:
            end -= 1
        columns: list[list[int]] = []
        current: list[int] = []
        escaped = False
        for pos in range(start, end):
            ch = text[pos]
            if ch == "|":
                if escaped:
                    current[-1] = pos
                else:
                    columns.append(current)
                    current = []
            else:
                current.append(pos)
            escaped = ch == "\\"
        columns.append(current)
        if columns and not columns[0]:
            columns.pop(0)
        if columns and not columns[-1]:
            columns.pop()
        out = []
        for column in columns:
            lo, hi = 0, len(column)
            while lo < hi and text[column[lo]] in trim:
                lo += 1
            while hi > lo and text[column[hi - 1]] in trim:
                hi -= 1
            out.append(column[lo:hi])
        return out


# --------------------------------------------------------------------------- reading


def normalise(text: str) -> str:
    """Line endings and NUL as markdown-it normalises them, so offsets agree."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")


def ground_key(ground: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key putting ground ids in statutory order (6(c) < 9(2)(a) < 9(2)(g)(ii) < 18(d))."""
    head, *parts = ground.replace(")", "").split("(")
    digits = len(head) - len(head.lstrip("0123456789"))
    key: list[tuple[int, int | str]] = [(0, int(head[:digits] or 0)), (1, head[digits:])]
    previous_alpha = False
    for part in parts:
        if part.isdigit():
            key.append((0, int(part)))
        elif previous_alpha and part and set(part) <= set("ivxl"):
            key.append((0, _roman(part)))  # a sub-paragraph after a paragraph letter
        else:
            key.append((1, part))
        previous_alpha = part.isalpha()
    return tuple(key)


def _roman(text: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50}
    total = 0
    for i, ch in enumerate(text):
        value = values[ch]
        total += -value if i + 1 < len(text) and values[text[i + 1]] > value else value
    return total


class _Reader:
    def __init__(self, text: str, name: str):
        self.text = text
        self.name = name
        self.env: dict[str, Any] = {}
        self.spans: list[tuple[int, Span]] = []  # (source offset, span), outermost
        self.regions: list[Region] = []
        self.nested: list[Span] = []
        self.heading: tuple[str, list[tuple[int, int, int]]] | None = None
        self.locator = _Locator(text, self.env, name)

    def error(self, message: str, line: int) -> InvalidInputError:
        return InvalidInputError(message, file=self.name, location=str(line + 1))

    def span_from_attrs(self, attrs: dict[str, Any], line: int, block: bool, raw: str) -> Span:
        """The span an attribute block (``raw``, as written) marks; any other markup is an error."""
        verdict = _verdict(tuple(sorted(attrs.items())), block)
        if isinstance(verdict, str):
            raise self.error(verdict, line)
        if not _looks_like_mark(raw):
            # The refusal check sees marks only through find_mark: a spelling it would
            # miss must not work as a mark either, or the same text in code would leak.
            what = "block" if block else "span"
            raise self.error(f"cannot read the class of this marked {what}; write {{.withhold ...}}", line)
        kind, grounds = verdict
        return Span(kind=kind, grounds=grounds, line=line + 1, block=block)

    def container(self, token: Token) -> Span:
        line = _map(token)[0]
        if not token.meta.get("closed"):
            raise self.error(
                f"the {token.markup} block opened here is never closed (end it with a {token.markup} line)",
                line,
            )
        info = token.info.strip()
        expected = '::: {.withhold ground="6(c)"} or ::: {.out-of-scope}'
        if not info.startswith("{"):
            raise self.error(f"malformed block: expected {expected}", line)
        try:
            used, attrs = parse(info)
        except ParseError as exc:
            raise self.error(f"malformed block attributes ({exc}); expected {expected}", line) from None
        if info[used + 1 :].strip():
            raise self.error(f"unexpected text after the block attributes; expected {expected}", line)
        return self.span_from_attrs(attrs, line, block=True, raw=info[: used + 1])

    def inline(self, token: Token, parent: Token, cell: int, inside: bool) -> None:
        content = token.content
        first = _map(token)[0]
        depth = 0
        in_heading: list[tuple[int, int, int]] = []
        lines: _Lines | None = None
        locate: Callable[[int], int] | None = None
        children = token.children or []
        for index, child in enumerate(children):
            kind = child.type
            if kind == "marked_span_open":
                start, end = child.meta["start"], child.meta["end"]
                if lines is None:
                    lines = _Lines(content)
                line = first + lines.line(start)
                brace = child.meta["brace"]
                span = self.span_from_attrs(child.meta["attrs"], line, block=False, raw=content[brace:end])
                if inside or depth:
                    self.nested.append(span)
                else:
                    if locate is None:
                        locate = self.locator.mapper(token, parent, cell, lines)
                    src_start = locate(start)
                    src_end = locate(end - 1) + 1
                    text = self.text
                    if text[src_start] != "[" or text[src_end - 1] != "}":
                        raise self.locator.fail(line)
                    if (
                        "\n" not in content[start:end]
                        and parent.type not in ("th_open", "td_open")
                        and text[src_start:src_end] != content[start:end]
                    ):
                        raise self.locator.fail(line)
                    self.regions.append(Region(src_start, src_end, span))
                    self.spans.append((src_start, span))
                    in_heading.append((start, end, len(self.spans) - 1))
                depth += 1
            elif kind == "marked_span_close":
                depth -= 1
            elif kind == "text":
                if "]{" in child.content:
                    line = first + content.count("\n", 0, _text_offset(content, children, index))
                    raise self.error(
                        "malformed span: '{' after ']' is not a valid attribute block "
                        '(write [text]{.withhold ground="9(2)(a)"}, or escape it as \\{)',
                        line,
                    )
            elif kind == "image" and child.children:
                for grandchild in child.children:
                    if grandchild.type == "marked_span_open" or (
                        grandchild.type == "text" and "]{" in grandchild.content
                    ):
                        raise self.error(
                            "markup inside an image description is not applied; "
                            "withhold the whole image: [![...](...)]{.withhold ground=...}",
                            first,
                        )
        if parent.type == "heading_open" and not inside and self.heading is None:
            self.heading = (content, in_heading)

    def read(self) -> MarkedDocument:
        tokens = markup_parser().parse(self.text, self.env)
        depth = 0
        cell = -1
        for i, token in enumerate(tokens):
            kind = token.type
            if kind == "container_marked_open":
                span = self.container(token)
                if depth:
                    self.nested.append(span)
                else:
                    meta = token.meta
                    self.regions.append(
                        Region(
                            meta.get("line_start", meta["start"]),
                            meta["end"],
                            span,
                            meta.get("blank_before"),
                            meta.get("blank_after"),
                        )
                    )
                    self.spans.append((meta["start"], span))
                depth += 1
            elif kind == "container_marked_close":
                depth -= 1
            elif kind == "tr_open":
                cell = -1
            elif kind in ("th_open", "td_open"):
                cell += 1
            elif kind == "inline":
                if token.children:
                    self.inline(token, tokens[i - 1], cell, bool(depth))
                elif tokens[i - 1].type == "heading_open" and not depth and self.heading is None:
                    self.heading = (token.content, [])
        self.check_released()
        order = sorted(range(len(self.spans)), key=lambda j: self.spans[j][0])
        spans = [self.spans[j][1] for j in order]
        renumber = {old: new for new, old in enumerate(order)}
        heading = None
        if self.heading is not None:
            content, marks = self.heading
            heading = (content, tuple((s, e, renumber[j]) for s, e, j in marks))
        grounds = sorted({g for s in spans for g in s.grounds}, key=ground_key)
        return MarkedDocument(
            name=self.name,
            text=self.text,
            spans=spans,
            grounds=grounds,
            nested=self.nested,
            regions=tuple(sorted(self.regions, key=lambda r: r.start)),
            heading=heading,
        )

    def check_released(self) -> None:
        """Refuse anything that looks like a mark in released text: some markup was not applied."""
        text = self.text
        cursor = 0
        for region in sorted(self.regions, key=lambda r: r.start):
            self._check_piece(cursor, region.start)
            cursor = region.end
        self._check_piece(cursor, len(text))

    def _check_piece(self, start: int, end: int) -> None:
        found = find_mark(self.text, start, end)
        if found is not None:
            raise self.error(
                f"{_shown(found)} here is not applied (markup inside code, a link title, "
                "a reference definition or a table cell beyond the header's columns "
                "is not read); "
                "fix the markup so nothing is released by mistake",
                self.text.count("\n", 0, found.start()),
            )


def _text_offset(content: str, children: list[Token], index: int) -> int:
    """Where text child ``index`` starts in ``content``, near enough for an error's line."""
    cursor = 0
    for child in children[: index + 1]:
        if child.type == "marked_span_open":
            cursor = max(cursor, child.meta["start"])
        elif child.type == "text":
            at = content.find(child.content, cursor)
            cursor = max(at, cursor)
    return cursor


def parse_markup(text: str, name: str) -> MarkedDocument:
    """Parse a marked-up Markdown document.

    Args:
        text: The document (CR LF and CR line endings become LF).
        name: File name for error messages.

    Returns:
        The document with its marked regions and the grounds they cite.

    Raises:
        InvalidInputError: Malformed markup: an unclosed or malformed block, a
            withheld span without a ground, a ground attribute that is not a
            citation, an unknown class, or markup the parser could not apply.
            Whether each cited ground exists is the policy's decision, made in
            :func:`macip_gov.oia.redact.redact_document`.
    """
    return _Reader(normalise(text), name).read()


__all__ = [
    "CLASSES",
    "MarkedDocument",
    "Region",
    "Span",
    "find_mark",
    "ground_key",
    "mark_kind",
    "markup_parser",
    "normalise",
    "parse_markup",
]
