"""pandoc's Markdown with placeholders in, the marked-up Markdown out.

Three placeholders come back from pandoc as they went in: a paragraph's number
(``NUMBER i CLOSE``), a comment mark's start and end on one paragraph
(``MARK_START i CLOSE`` ... ``MARK_END i CLOSE``), and review text
(``REVIEW_START`` ... ``REVIEW_END k CLOSE``). A number at the start of a paragraph
becomes a list item (``14.``, ``-``) when Word's label is a plain number or a bullet,
nested under the item before it by its level; any other label ("(a)", "2.1") is
written as text. Marks become ``[...]{.withhold ground="..."}`` or
``[...]{.out-of-scope}``; review text becomes ``[...]{.hidden kind="..."}``, which
``oia redact`` refuses until someone replaces it with a mark or plain text.
"""

from __future__ import annotations

import re

from ...errors import InvalidInputError
from ._audit import CommentMark, HiddenKind
from ._convert import CLOSE, MARK_END, MARK_START, NUMBER, REVIEW_END, REVIEW_START
from ._numbering import Label

_NUMBER = re.compile(f"{NUMBER}(\\d+){CLOSE}")
_NUMBER_AT_START = re.compile(f"^{NUMBER}(\\d+){CLOSE}")
_MARK = re.compile(f"([{MARK_START}{MARK_END}])(\\d+){CLOSE}")
_REVIEW_END = re.compile(f"{REVIEW_END}(\\d+){CLOSE}")
_BLOCK_START = re.compile(r"(#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|`{3}|~{3}|=+\s*$|\|)")
_ORDERED_START = re.compile(r"(\d{1,9})([.)])(?=\s|$)")
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def escape_inline(text: str) -> str:
    """Text that reads as itself inside a Markdown paragraph."""
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def escape_block_start(text: str) -> str:
    """Text that does not start a heading, quote, list, fence or table when it opens a block."""
    match = _ORDERED_START.match(text)
    if match:
        return f"{match.group(1)}\\{match.group(2)}{text[match.end() :]}"
    if _BLOCK_START.match(text):
        return "\\" + text
    return text


def _label_text(label: Label) -> str:
    if label.bullet:
        return "\u2022"
    return escape_inline(label.text)


def numbers(markdown: str, labels: list[Label]) -> str:
    """Numbers at the start of paragraphs as list items (nested by level) or text; other numbers as text."""
    out: list[str] = []
    stack: list[tuple[int, int]] = []  # (level, content indent) of the open items
    indent = 0
    blank = True
    for line in markdown.split("\n"):
        if not line.strip():
            out.append("")
            blank = True
            continue
        match = _NUMBER_AT_START.match(line)
        if match is not None and blank:
            label = labels[int(match.group(1))]
            rest = line[match.end() :].lstrip(" ")
            while stack and stack[-1][0] >= label.level:
                stack.pop()
            outer = stack[-1][1] if stack else 0
            if label.bullet:
                marker = "- "
            elif label.simple_number is not None:
                marker = f"{label.simple_number}{label.delimiter} "
            else:
                marker = ""
            if marker:
                out.append(" " * outer + marker + escape_block_start(rest))
                indent = outer + len(marker)
            else:
                text = _label_text(label)
                out.append(" " * outer + escape_block_start(f"{text} {rest}" if rest else text))
                indent = outer
            stack.append((label.level, indent))
        elif blank:
            stack.clear()
            indent = 0
            out.append(line)
        else:
            out.append(" " * indent + line if indent else line)
        blank = False
    text = "\n".join(out)
    return _NUMBER.sub(lambda m: _label_text(labels[int(m.group(1))]) + " ", text)


def marks(markdown: str, segments: list[CommentMark], shown: str) -> str:
    """Each comment mark's placeholders as one span per paragraph; empty spans dropped.

    Raises:
        InvalidInputError: A mark's start or end went missing, or a span would cross a
            paragraph (the comment's range cannot be marked exactly).
    """
    found: dict[int, list[tuple[str, int, int]]] = {}
    for match in _MARK.finditer(markdown):
        found.setdefault(int(match.group(2)), []).append((match.group(1), match.start(), match.end()))
    edits: list[tuple[int, int, str]] = []
    for index, segment in enumerate(segments):
        places = found.get(index, [])
        starts = [p for p in places if p[0] == MARK_START]
        ends = [p for p in places if p[0] == MARK_END]
        if len(starts) != 1 or len(ends) != 1 or starts[0][2] > ends[0][1]:
            raise InvalidInputError(
                f"comment {segment.comment} ({segment.text!r}) marks a range that cannot be kept as one passage "
                f"({segment.part} {segment.location}); mark whole words inside one paragraph, list item or table cell",
                file=shown,
            )
        inner = markdown[starts[0][2] : ends[0][1]]
        if "\n\n" in inner or re.search(r"\n[ \t]*\n", inner):
            raise InvalidInputError(
                f"comment {segment.comment} ({segment.text!r}) spans more than one paragraph in the conversion "
                f"({segment.part} {segment.location})",
                file=shown,
            )
        if not _visible(inner):
            edits.append((starts[0][1], starts[0][2], ""))
            edits.append((ends[0][1], ends[0][2], ""))
            continue
        if segment.kind == "out-of-scope":
            closing = "]{.out-of-scope}"
        else:
            closing = ']{.withhold ground="' + " ".join(segment.grounds) + '"}'
        edits.append((starts[0][1], starts[0][2], "["))
        edits.append((ends[0][1], ends[0][2], closing))
    for start, end, text in sorted(edits, reverse=True):
        markdown = markdown[:start] + text + markdown[end:]
    return markdown


_ANY_PLACEHOLDER = re.compile(f"[{NUMBER}{REVIEW_END}{MARK_START}{MARK_END}]\\d+{CLOSE}|{REVIEW_START}")


def _visible(text: str) -> bool:
    return bool(_ANY_PLACEHOLDER.sub("", text).strip())


def review(markdown: str, kinds: list[HiddenKind], *, keep: bool) -> str:
    """Review text as ``[...]{.hidden kind="..."}`` (``keep``), or as plain text (the copy checked for markup)."""
    markdown = markdown.replace(REVIEW_START, "[" if keep else "")

    def closing(match: re.Match[str]) -> str:
        return f']{{.hidden kind="{kinds[int(match.group(1))].value}"}}' if keep else ""

    return _REVIEW_END.sub(closing, markdown)


def tidy(markdown: str) -> str:
    """One blank line between blocks, none at the ends, a final newline."""
    text = re.sub(r"\n{3,}", "\n\n", markdown.strip("\n"))
    return text + "\n"


__all__ = ["escape_block_start", "escape_inline", "marks", "numbers", "review", "tidy"]
