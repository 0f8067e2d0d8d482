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

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mdit_py_plugins.attrs.parse import ParseError, parse
from pydantic import BaseModel, ConfigDict, Field

from ..errors import InvalidInputError
from ._markup_rules import (
    CLASSES,
    Kind,
    find_ground_attribute,
    find_mark,
    line_map,
    looks_like_mark,
    mark_kind,
    mark_verdict,
    markup_parser,
    shown,
)
from ._offsets import Lines, Locator, text_offset
from .citations import ground_key

if TYPE_CHECKING:
    from markdown_it.token import Token


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


def normalise(text: str) -> str:
    """Line endings and NUL as markdown-it normalises them, so offsets agree."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")


class _Reader:
    def __init__(self, text: str, name: str):
        self.text = text
        self.name = name
        self.env: dict[str, Any] = {}
        self.spans: list[tuple[int, Span]] = []  # (source offset, span), outermost
        self.regions: list[Region] = []
        self.nested: list[Span] = []
        self.heading: tuple[str, list[tuple[int, int, int]]] | None = None
        self.locator = Locator(text, self.env, name)

    def error(self, message: str, line: int) -> InvalidInputError:
        return InvalidInputError(message, file=self.name, location=str(line + 1))

    def span_from_attrs(self, attrs: dict[str, Any], line: int, block: bool, raw: str) -> Span:
        """The span an attribute block (``raw``, as written) marks; any other markup is an error."""
        verdict = mark_verdict(tuple(sorted(attrs.items())), block)
        if isinstance(verdict, str):
            raise self.error(verdict, line)
        if not looks_like_mark(raw):
            # The refusal check sees marks only through find_mark: a spelling it would
            # miss must not work as a mark either, or the same text in code would leak.
            what = "block" if block else "span"
            raise self.error(f"cannot read the class of this marked {what}; write {{.withhold ...}}", line)
        kind, grounds = verdict
        return Span(kind=kind, grounds=grounds, line=line + 1, block=block)

    def container(self, token: Token) -> Span:
        line = line_map(token)[0]
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
        first = line_map(token)[0]
        depth = 0
        in_heading: list[tuple[int, int, int]] = []
        lines: Lines | None = None
        locate: Callable[[int], int] | None = None
        children = token.children or []
        for index, child in enumerate(children):
            kind = child.type
            if kind == "marked_span_open":
                start, end = child.meta["start"], child.meta["end"]
                if lines is None:
                    lines = Lines(content)
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
                    line = first + content.count("\n", 0, text_offset(content, children, index))
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
        attribute = find_ground_attribute(self.text, start, end if found is None else found.start())
        found = attribute or found
        if found is not None:
            raise self.error(
                f"{shown(found)} here is not applied (markup inside code, a link title, "
                "a reference definition or a table cell beyond the header's columns "
                "is not read); "
                "fix the markup so nothing is released by mistake",
                self.text.count("\n", 0, found.start()),
            )


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
    "Kind",
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
