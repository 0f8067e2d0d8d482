"""Offset recovery: where a markdown-it token's content sits in the source text.

markdown-it strips container prefixes, indentation and table pipes from inline
content; :class:`Locator` maps each offset of that content back to the source, so a
marked span is cut from the source with the released bytes untouched.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInputError
from ._markup_rules import line_map, line_starts

if TYPE_CHECKING:
    from markdown_it.token import Token


def _trim_chars() -> str:
    from markdown_it.common.utils import MD_TRIM_CHARS

    return str(MD_TRIM_CHARS)


class Lines:
    """Where each line of an inline token's content starts (a line number is then a bisection)."""

    def __init__(self, content: str):
        self.content = content
        self.begins = [0]
        for part in content.split("\n"):
            self.begins.append(self.begins[-1] + len(part) + 1)

    def line(self, pos: int) -> int:
        """The 0-based content line holding ``content[pos]``."""
        return bisect_right(self.begins, pos) - 1


class Locator:
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
        return line_starts(self.env, self.text)[line]

    def line_text(self, line: int) -> str:
        starts = line_starts(self.env, self.text)
        return self.text[starts[line] : starts[line + 1] - 1]

    def fail(self, line: int) -> InvalidInputError:
        return InvalidInputError(
            "cannot place this marked span in the source; simplify the markup around it",
            file=self.name,
            location=str(line + 1),
        )

    def mapper(self, token: Token, parent: Token, cell: int, lines: Lines) -> Callable[[int], int]:
        """A function giving the source offset of ``token.content[pos]``."""
        content = token.content
        first = line_map(token)[0]
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

    def _paragraph(self, lines: Lines, first: int) -> Callable[[int], int]:
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


def text_offset(content: str, children: list[Token], index: int) -> int:
    """Where text child ``index`` starts in ``content``, near enough for an error's line."""
    cursor = 0
    for child in children[: index + 1]:
        if child.type == "marked_span_open":
            cursor = max(cursor, child.meta["start"])
        elif child.type == "text":
            at = content.find(child.content, cursor)
            cursor = max(at, cursor)
    return cursor


__all__ = ["Lines", "Locator", "text_offset"]
