"""Marking an original for release: an officer's selections become redaction markup.

The marks live in the document's own Markdown, exactly as :func:`.markup.parse_markup`
reads them (``[text]{.withhold ground="9(2)(a)"}`` spans, ``::: {.withhold ...}``
blocks, ``.out-of-scope``). The officer works on :func:`marking_html`, the original
drawn with every text block numbered (``data-block``) and every mark highlighted, and
selects text in it; :func:`add_mark` finds the selection in that block's source and
wraps exactly the source it came from. Every edit is read back with ``parse_markup``
before it is returned: it holds the one mark more (or less, or changed) it should,
and every byte of the source outside it is unchanged, or the edit is refused with a
one-line :class:`~macip_gov.errors.InvalidInputError`.

:func:`save` writes the result atomically, and only over the version the officer
opened (:func:`version` is the edit token), so two people marking the same file
cannot overwrite each other's marks.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InvalidInputError
from .citations import ground_key
from .markup import MarkedDocument, Region, Span, normalise, parse_markup

if TYPE_CHECKING:
    from ._marking_html import Piece, TextBlock
    from ._offsets import Locator

_KINDS = {"withhold": "withhold", "out_of_scope": "out_of_scope", "out-of-scope": "out_of_scope"}
_MAX_TEXT = 200
_SAVE_LOCK = threading.Lock()


class StaleEditError(InvalidInputError):
    """The file changed since the officer opened it: the edit was made to an older version."""


def version(text: str) -> str:
    """The edit token of a source: the SHA-256 (hex) of its text as the parser reads it.

    Line endings are normalised first (as :func:`macip_gov.inputs.read_text` and the
    parser do), so the same document read either way has one version.
    """
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Mark:
    """One marked passage, as the marks list shows it."""

    index: int
    """0-based, in document order of the outermost marked regions (the index the edits take)."""
    kind: str
    """``withhold`` or ``out_of_scope``."""
    grounds: tuple[str, ...]
    """Canonical ground ids (``9(2)(a)``); empty for out-of-scope text."""
    block: bool
    """A ``:::`` block (True) or an inline span."""
    line: int
    """1-based source line where the mark starts."""
    text: str
    """The marked passage as plain text, shortened to about 200 characters."""


def marks(source: str, name: str) -> list[Mark]:
    """The marked passages of a document, outermost only, in document order.

    Args:
        source: The marked-up Markdown.
        name: File name for error messages.

    Raises:
        InvalidInputError: The markup does not parse.
    """
    text = normalise(source)
    doc = parse_markup(text, name)
    return [
        Mark(
            index=i,
            kind=region.span.kind,
            grounds=region.span.grounds,
            block=region.span.block,
            line=region.span.line,
            text=_shorten(_passage(text, region, name)),
        )
        for i, region in enumerate(doc.regions)
    ]


def save(path: Path, new_source: str, *, expected_version: str) -> str:
    """Write a marked-up source over the version the officer opened, atomically.

    The new source must parse (nothing unreadable is stored). It is written to a
    temporary file in the same folder, fsynced and renamed over the original, so a
    failed write leaves the original as it was.

    Args:
        path: The original's file.
        new_source: Its new text (from :func:`add_mark` and the other edits).
        expected_version: :func:`version` of the text the edit was made to.

    Returns:
        The version of the text written.

    Raises:
        StaleEditError: The file is no longer that version (someone else saved first).
        InvalidInputError: The file cannot be read or written, or the new source does
            not parse.
    """
    from ..files import atomic_write
    from ..inputs import read_text

    path = Path(path)
    parse_markup(new_source, path.name)
    with _SAVE_LOCK:
        current = read_text(path)
        if version(current) != expected_version:
            raise StaleEditError(
                "the document was changed by someone else since you opened it; reload it and mark again",
                file=path.name,
            )
        atomic_write(path, new_source.encode("utf-8"), error=InvalidInputError)
    return version(new_source)


# --------------------------------------------------------------------------- attributes


def _attributes(kind: str, grounds: Sequence[str], name: str) -> tuple[str, Span]:
    """The attribute block for a mark, and the span it must read back as."""
    from .citations import parse_citation

    chosen = _KINDS.get(kind.strip())
    if chosen is None:
        raise InvalidInputError(f"kind: {kind!r} is not withhold or out_of_scope", file=name)
    # One citation given as a string is one ground list, not a list of characters.
    given = [g for g in ([grounds] if isinstance(grounds, str) else grounds) if g.strip()]
    if chosen == "out_of_scope":
        if given:
            raise InvalidInputError("grounds: out-of-scope text takes no ground; withhold it instead", file=name)
        return "{.out-of-scope}", Span(kind="out_of_scope", line=1)
    ids: list[str] = []
    for ground in given:
        try:
            ids.extend(parse_citation(ground))
        except InvalidInputError as exc:
            raise InvalidInputError(f"grounds: {exc.message}", file=name) from None
    if not ids:
        raise InvalidInputError("grounds: withheld text needs at least one ground", file=name)
    canonical = tuple(sorted(dict.fromkeys(ids), key=ground_key))
    return '{.withhold ground="' + " ".join(canonical) + '"}', Span(kind="withhold", grounds=canonical, line=1)


# --------------------------------------------------------------------------- selections


def _refuse(message: str, name: str, line: int | None = None) -> InvalidInputError:
    return InvalidInputError(message, file=name, location=None if line is None else str(line))


def _block(blocks: list[TextBlock], index: int, name: str) -> TextBlock:
    if not 0 <= index < len(blocks):
        raise _refuse(f"there is no text block {index}; reload the page and select again", name)
    return blocks[index]


def _flatten(pieces: list[Piece], labels: bool) -> tuple[str, list[tuple[tuple[int, int], tuple[int, int]]]]:
    """The block's shown text with white space runs as one space, and the pieces behind each character."""
    chars: list[str] = []
    where: list[tuple[tuple[int, int], tuple[int, int]]] = []
    space: list[tuple[int, int]] | None = None
    for p, piece in enumerate(pieces):
        if piece.label and not labels:
            continue
        for c, ch in enumerate(piece.shown):
            if ch.isspace():
                if space is None:
                    space = [(p, c), (p, c)]
                else:
                    space[1] = (p, c)
                continue
            if space is not None:
                if chars:
                    chars.append(" ")
                    where.append((space[0], space[1]))
                space = None
            chars.append(ch)
            where.append(((p, c), (p, c)))
    return "".join(chars), where


def _hits(text: str, wanted: str) -> list[int]:
    found, at = [], text.find(wanted)
    while at >= 0:
        found.append(at)
        at = text.find(wanted, at + 1)
    return found


def _runs_on(shown: str, wanted: str) -> bool:
    """Whether ``wanted`` starts with the end of ``shown`` (a word or more) and goes on past it."""
    for cut in range(max(len(shown) - len(wanted), 0), len(shown)):
        tail = shown[cut:]
        if (cut == 0 or shown[cut - 1] == " ") and wanted.startswith(tail + " "):
            return True
    return False


def _mark_line(doc: MarkedDocument, index: int) -> int:
    return doc.regions[index].span.line


def _select(block: TextBlock, doc: MarkedDocument, quote: str, occurrence: int, name: str) -> tuple[int, int]:
    """The content range of the ``occurrence``-th match of ``quote`` in ``block``, widened to whole elements."""
    line = block.line + 1
    wanted = " ".join(quote.split())
    if not wanted:
        raise _refuse("the selection is empty; select the words to mark", name, line)
    if occurrence < 0:
        raise _refuse(f"occurrence {occurrence} is not a count from 0", name, line)
    shown, where = _flatten(block.pieces, labels=True)
    hits = _hits(shown, wanted)
    if occurrence >= len(hits):
        bare, _ = _flatten(block.pieces, labels=False)
        if not hits and _hits(bare, wanted):
            marked = next(p.mark for p in block.pieces if p.mark is not None)
            raise _refuse(
                f"the selection overlaps the passage already marked on line {_mark_line(doc, marked)}", name, line
            )
        if hits:
            raise _refuse(
                f"the selected text occurs {len(hits)} times in this block, not {occurrence + 1}; select again",
                name,
                line,
            )
        if _runs_on(shown, wanted) or _runs_on(bare, wanted):
            raise _refuse(
                "the selection runs on past this paragraph, heading, list item or table cell; "
                "select within one, or mark each whole block",
                name,
                line,
            )
        raise _refuse("the selected text is not in this block; reload the page and select again", name, line)
    at = hits[occurrence]
    first, last = where[at][0], where[at + len(wanted) - 1][1]
    pieces = block.pieces
    for piece in pieces[first[0] : last[0] + 1]:
        if piece.mark is not None:
            raise _refuse(
                f"the selection overlaps the passage already marked on line {_mark_line(doc, piece.mark)}",
                name,
                line,
            )
    start = _atom_start(pieces[first[0]], first[1])
    end = _atom_end(pieces[last[0]], last[1])
    return _widen(block, doc, start, end, name)


def _atom_start(piece: Piece, offset: int) -> int:
    return piece.start + offset if piece.verbatim else piece.start


def _atom_end(piece: Piece, offset: int) -> int:
    return piece.start + offset + 1 if piece.verbatim else piece.end


def _widen(block: TextBlock, doc: MarkedDocument, start: int, end: int, name: str) -> tuple[int, int]:
    """Grow ``start..end`` until every inline element is wholly in it, wholly out of it, or holds it."""
    line = block.line + 1
    changed = True
    while changed:
        changed = False
        for element in block.elements:
            if element.end <= start or element.start >= end:
                continue
            if element.mark is not None:
                raise _refuse(
                    f"the selection overlaps the passage already marked on line {_mark_line(doc, element.mark)}",
                    name,
                    line,
                )
            if start <= element.start and element.end <= end:
                continue  # wholly selected
            if element.inner_start <= start and end <= element.inner_end:
                continue  # the selection is inside its text
            # Starts or ends inside the element, or takes only part of its markup.
            start, end = min(start, element.start), max(end, element.end)
            changed = True
    if end <= start:
        raise _refuse("the selection is empty; select the words to mark", name, line)
    return start, end


def _shifted(regions: Sequence[Region], at: int, by: int) -> list[tuple[int, int, Span]]:
    """Where regions that do not hold ``at`` are once ``by`` characters are inserted there."""
    return [(r.start + by, r.end + by, r.span) if r.start >= at else (r.start, r.end, r.span) for r in regions]


def _same_span(a: Span, b: Span) -> bool:
    return (a.kind, a.grounds, a.block) == (b.kind, b.grounds, b.block)


def add_mark(
    source: str,
    name: str,
    *,
    block: int,
    quote: str,
    occurrence: int = 0,
    kind: str,
    grounds: Sequence[str],
) -> str:
    """Withhold (or mark out of scope) a selection of one text block, as an inline span.

    Args:
        source: The marked-up Markdown.
        name: File name for error messages.
        block: The ``data-block`` number of the text block the selection lies in
            (see :func:`marking_html`).
        quote: The selected text as the browser gives it; runs of white space
            count as one space.
        occurrence: Which match of ``quote`` in the block's text is meant, from 0.
            Matches are counted at every position where one starts, in the block's
            text content with white space runs as one space (the hidden labels of
            existing marks included, as the block's ``textContent`` holds them).
        kind: ``withhold`` or ``out_of_scope``.
        grounds: For withheld text, one or more grounds in any citation form
            (``s 9(2)(a)``, ``9(2)(a)``); none for out-of-scope text.

    Returns:
        The new source: the old one with ``[`` and ``]{...}`` added around the
        source of the selection (widened to whole emphasis, links, code and images
        where it starts or ends inside one) and no other change.

    Raises:
        InvalidInputError: One line saying why: an unknown kind or ground, a
            selection that is empty, not in the block, overlapping a mark or inside
            a marked block, or markup that would not read back as exactly one more mark.
    """
    from ._marking_html import mapper, marking_parser, plain, read_blocks

    text = normalise(source)
    attrs, span = _attributes(kind, grounds, name)
    doc = parse_markup(text, name)
    _tokens, blocks, locator, env = read_blocks(text, name, doc)
    target = _block(blocks, block, name)
    line = target.line + 1
    if target.inside is not None:
        raise _refuse(
            f"this text is inside the block already marked on line {_mark_line(doc, target.inside)}", name, line
        )
    if target.problem is not None:
        raise _refuse(f"cannot place a selection in this block ({target.problem}); mark the whole block", name, line)
    start, end = _select(target, doc, quote, occurrence, name)
    # The text chosen, read again on its own, must show the selection: a second
    # reading that does not trust where the pieces were placed.
    alone = marking_parser().parseInline(target.content[start:end], env)
    if " ".join(quote.split()) not in " ".join(plain(alone[0].children or []).split()):
        raise _refuse("cannot place this selection in the source exactly; mark the whole block", name, line)
    try:
        locate = mapper(target, locator)
        a, b = locate(start), locate(end - 1) + 1
    except InvalidInputError:
        raise _refuse("cannot place this selection in the source; mark the whole block", name, line) from None
    new = text[:a] + "[" + text[a:b] + "]" + attrs + text[b:]
    expected = _shifted(doc.regions, b, 2 + len(attrs))
    expected.append((a, b + 2 + len(attrs), span))
    _check(new, name, sorted(expected, key=lambda r: r[0]), line, "mark this selection")
    return new


def _check(new: str, name: str, expected: list[tuple[int, int, Span]], line: int, what: str) -> MarkedDocument:
    """Read ``new`` back; its regions must be exactly ``expected`` (positions, kinds, grounds)."""
    try:
        doc = parse_markup(new, name)
    except InvalidInputError as exc:
        raise _refuse(f"cannot {what}: the markup would not read back ({exc.message})", name, line) from None
    found = [(r.start, r.end, r.span) for r in doc.regions]
    if len(found) != len(expected) or any(
        (fs, fe) != (es, ee) or not _same_span(fsp, esp)
        for (fs, fe, fsp), (es, ee, esp) in zip(found, expected, strict=True)
    ):
        raise _refuse(
            f"cannot {what}: the text around it would be read differently; select a little more or less",
            name,
            line,
        )
    return doc


# --------------------------------------------------------------------------- blocks


def _continuation(prefix: str) -> str:
    """What starts a new line inside the same containers as ``prefix``: quote marks kept, the rest spaces."""
    return "".join(c if c in "> \t" else " " for c in prefix)


def _indented(body: str, cont: str) -> str:
    """A paragraph's lines, each lazy continuation line given the prefix of the block's containers.

    A paragraph may continue on lines that leave out its list indentation or quote
    marks; inside a ``:::`` block such a line would end the block early. Leading white
    space and quote marks of a continuation line do not change the paragraph's text.
    """
    lines = body.split("\n")
    return "\n".join([lines[0], *(line if line.startswith(cont) else cont + line.lstrip(" \t>") for line in lines[1:])])


def _block_start(target: TextBlock, text: str, locator: Locator, name: str) -> int:
    from ._marking_html import mapper

    parent = target.parent
    first = target.line
    if parent.type == "heading_open" and parent.markup.startswith("#"):
        line = locator.line_text(first)
        return locator.line_start(first) + line.find("#")
    try:
        return mapper(target, locator)(0)
    except InvalidInputError:
        raise _refuse("cannot place this block in the source", name, first + 1) from None


def add_block_mark(source: str, name: str, *, block: int, kind: str, grounds: Sequence[str]) -> str:
    """Withhold (or mark out of scope) a whole paragraph, heading or list item paragraph as a ``:::`` block.

    The fence lines take the block's own containers: ``> ::: {...}`` in a quote,
    and in a list item the opening fence follows the item's marker
    (``- ::: {...}``) with the text on the next line, indented to the item.

    Args:
        source: The marked-up Markdown.
        name: File name for error messages.
        block: The ``data-block`` number of the text block.
        kind: ``withhold`` or ``out_of_scope``.
        grounds: As for :func:`add_mark`.

    Returns:
        The new source. Marked spans inside the block stay, absorbed by the block.
        Lines of the paragraph that left out the list indentation or quote marks
        ("lazy" lines) get them, or they would end the block early; nothing else
        changes.

    Raises:
        InvalidInputError: An unknown kind or ground; a table cell (mark its text
            instead); a block already inside a marked block; or a block whose lines
            cannot be wrapped so that the result reads back with the new block.
    """
    from ._marking_html import read_blocks

    text = normalise(source)
    attrs, span = _attributes(kind, grounds, name)
    span = Span(kind=span.kind, grounds=span.grounds, line=1, block=True)
    doc = parse_markup(text, name)
    _tokens, blocks, locator, _env = read_blocks(text, name, doc)
    target = _block(blocks, block, name)
    line = target.line + 1
    if target.inside is not None:
        raise _refuse(
            f"this text is inside the block already marked on line {_mark_line(doc, target.inside)}", name, line
        )
    if target.parent.type not in ("paragraph_open", "heading_open"):
        raise _refuse("a table cell cannot be marked as a block; select its text instead", name, line)
    start = _block_start(target, text, locator, name)
    first, after = target.parent.map or (target.line, target.line + 1)
    end = min(locator.line_start(after) - 1, len(text))
    cont = _continuation(text[locator.line_start(first) : start])
    opening = f"::: {attrs}\n{cont}"
    closing = f"\n{cont}:::"
    body = _indented(text[start:end], cont)
    new = text[:start] + opening + body + closing + text[end:]
    kept = [r for r in doc.regions if r.end <= start or r.start >= end]
    expected = _shifted(kept, end, len(opening) + len(body) - (end - start) + len(closing))
    try:
        # The new block runs from its fence (or the start of that line) to its closing fence.
        bounds = ({start, locator.line_start(first)}, start + len(opening) + len(body) + len(closing))
        found = _check_block(new, name, expected, span, line, bounds)
    except InvalidInputError as exc:
        raise _refuse(f"{exc.message}; select its text instead", name, line) from None
    return found


def _check_block(
    new: str, name: str, expected: list[tuple[int, int, Span]], span: Span, line: int, bounds: tuple[set[int], int]
) -> str:
    try:
        doc = parse_markup(new, name)
    except InvalidInputError as exc:
        raise _refuse(f"cannot mark this block: the markup would not read back ({exc.message})", name, line) from None
    others = [(r.start, r.end, r.span) for r in doc.regions if not (r.span.block and r.span.line == line)]
    added = [r for r in doc.regions if r.span.block and r.span.line == line]
    if (
        len(added) != 1
        or not _same_span(added[0].span, span)
        or added[0].start not in bounds[0]
        or added[0].end != bounds[1]
        or len(others) != len(expected)
        or any(
            (fs, fe) != (es, ee) or not _same_span(fsp, esp)
            for (fs, fe, fsp), (es, ee, esp) in zip(others, sorted(expected, key=lambda r: r[0]), strict=True)
        )
    ):
        raise _refuse("cannot mark this block: the text around it would be read differently", name, line)
    return new


# --------------------------------------------------------------------------- changing and removing


def _region(doc: MarkedDocument, index: int, name: str) -> Region:
    if not 0 <= index < len(doc.regions):
        raise _refuse(f"there is no mark {index} (the document has {len(doc.regions)}); reload the page", name)
    return doc.regions[index]


def _label_end(text: str, region: Region, name: str) -> int:
    """Where the ``]`` that ends an inline span's text is (the span is ``text[region.start:region.end]``)."""
    from mdit_py_plugins.attrs.parse import ParseError, parse

    at = region.end
    while True:
        at = text.rfind("]{", region.start, at)
        if at < region.start:
            raise _refuse("cannot read back this marked span", name, region.span.line)
        try:
            used, _ = parse(text[at + 1 : region.end])
        except ParseError:
            continue
        if at + 1 + used == region.end - 1:
            return at


def _fence(text: str, region: Region) -> tuple[int, int, int]:
    """A block's opening fence: where its ``:::`` starts, its ``{`` and the end of its line."""
    fence = region.start + len(region.blank_before or "")
    line_end = text.find("\n", fence)
    brace = text.find("{", fence, line_end)
    return fence, brace, line_end


def change_mark(source: str, name: str, index: int, *, kind: str, grounds: Sequence[str]) -> str:
    """Change a mark's kind or grounds: only its attribute braces are rewritten.

    Args:
        source: The marked-up Markdown.
        name: File name for error messages.
        index: The mark (:attr:`Mark.index`).
        kind: ``withhold`` or ``out_of_scope``.
        grounds: As for :func:`add_mark`.

    Returns:
        The new source.

    Raises:
        InvalidInputError: No such mark, an unknown kind or ground, or a result
            that would not read back.
    """
    from mdit_py_plugins.attrs.parse import ParseError, parse

    text = normalise(source)
    attrs, span = _attributes(kind, grounds, name)
    doc = parse_markup(text, name)
    region = _region(doc, index, name)
    line = region.span.line
    if region.span.block:
        _, brace, line_end = _fence(text, region)
        try:
            used, _ = parse(text[brace:line_end])
        except ParseError:
            raise _refuse("cannot read back this marked block's attributes", name, line) from None
        lo, hi = brace, brace + used + 1
    else:
        lo, hi = _label_end(text, region, name) + 1, region.end
    new = text[:lo] + attrs + text[hi:]
    by = len(attrs) - (hi - lo)
    expected = []
    for i, r in enumerate(doc.regions):
        if i == index:
            expected.append(
                (r.start, r.end + by, Span(kind=span.kind, grounds=span.grounds, line=1, block=r.span.block))
            )
        else:
            expected.append((r.start + (by if r.start >= hi else 0), r.end + (by if r.start >= hi else 0), r.span))
    _check(new, name, expected, line, "change this mark")
    return new


def remove_mark(source: str, name: str, index: int) -> str:
    """Remove a mark: its text stays, and is released.

    An inline span keeps its text (``[text]{...}`` becomes ``text``); a ``:::``
    block loses its two fence lines (where a fence line followed a list marker,
    the block's first line moves back up after the marker).

    Args:
        source: The marked-up Markdown.
        name: File name for error messages.
        index: The mark (:attr:`Mark.index`).

    Returns:
        The new source.

    Raises:
        InvalidInputError: No such mark, or a result that would not read back.
    """
    text = normalise(source)
    doc = parse_markup(text, name)
    region = _region(doc, index, name)
    line = region.span.line
    if region.span.block:
        new = _unfence(text, region, blanks=False)
        if _text_blocks(new) != _text_blocks(text):
            # Without the fences the block's text would run into its neighbours.
            new = _unfence(text, region, blanks=True)
    else:
        at = _label_end(text, region, name)
        new = text[: region.start] + text[region.start + 1 : at] + text[region.end :]
    try:
        after = parse_markup(new, name)
    except InvalidInputError as exc:
        raise _refuse(f"cannot remove this mark: the rest would not read back ({exc.message})", name, line) from None
    if (
        len(after.regions) < len(doc.regions) - 1
        or len(after.spans) + len(after.nested) != len(doc.spans) + len(doc.nested) - 1
    ):
        raise _refuse("cannot remove this mark: the text around it would be read differently", name, line)
    return new


def _text_blocks(text: str) -> int:
    from ._marking_html import marking_parser

    return sum(1 for token in marking_parser().parse(text, {}) if token.type == "inline")


def _unfence(text: str, region: Region, *, blanks: bool) -> str:
    """``text`` without a block's fence lines, its body where it was."""
    fence, _, open_end = _fence(text, region)
    line_start = text.rfind("\n", 0, fence) + 1
    prefix = text[line_start:fence]
    cont = _continuation(prefix)
    body = open_end + 1
    close_start = text.rfind("\n", 0, region.end) + 1
    if body >= close_start:  # nothing between the fences
        end = region.end + 1 if text.startswith("\n", region.end) else region.end
        return text[:line_start] + text[end:] if prefix == cont else text[:fence] + text[region.end :]
    closing = text[close_start : region.end]
    close_prefix = closing[: len(closing) - len(closing.lstrip("> \t"))]
    if blanks and region.blank_after is not None:
        # The block kept the next paragraph apart: a blank line does that now.
        c1, c2, c_text = close_start, region.end, close_prefix.rstrip()
    else:
        c1, c2, c_text = close_start - 1, region.end, ""
    if blanks and region.blank_before is not None:
        o1, o2, o_text = line_start, open_end, prefix.rstrip()
    elif prefix == cont:
        o1, o2, o_text = line_start, body, ""
    elif text.startswith(cont, body) and body + len(cont) <= c1:
        # The fence followed a list marker: the first line moves back up after it.
        o1, o2, o_text = fence, body + len(cont), ""
    else:
        o1, o2, o_text = fence, body, ""
    return text[:o1] + o_text + text[o2:c1] + c_text + text[c2:]


# --------------------------------------------------------------------------- reading marks and the view


def _passage(text: str, region: Region, name: str) -> str:
    from ._marking_html import marking_parser, plain

    if region.span.block:
        fence, _, open_end = _fence(text, region)
        cont = _continuation(text[text.rfind("\n", 0, fence) + 1 : fence])
        close_start = text.rfind("\n", 0, region.end) + 1
        lines = text[open_end + 1 : close_start].split("\n") if open_end + 1 < close_start else []
        # Read as it stands inside its containers (a list item's indentation is not code).
        body = "\n".join(line[len(cont) :] if line.startswith(cont) else line for line in lines)
        tokens = marking_parser().parse(body, {})
        return " ".join(plain(t.children or []) for t in tokens if t.type == "inline")
    inner = text[region.start + 1 : _label_end(text, region, name)]
    tokens = marking_parser().parseInline(inner, {})
    return plain(tokens[0].children or []) if tokens else ""


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1].rstrip() + "\u2026"


def marking_html(source: str, name: str, *, heading_offset: int = 1) -> str:
    """The original as an HTML fragment for marking: all its text, every block numbered, every mark drawn.

    Not a release artefact: the officer sees everything. Each text block (a
    paragraph, heading, list item paragraph, table cell or quoted paragraph, in
    document order) carries ``data-block="N"``, the number :func:`add_mark` takes. A
    marked span is ``<mark class="mark mark-withhold" data-mark="i" data-kind="withhold"
    data-grounds="9(2)(a)">`` (``mark-out-of-scope`` for out-of-scope text) holding a
    ``visually-hidden`` label; a marked block is a ``<div>`` with the same attributes
    around its blocks, with hidden start and end labels. All text is escaped, raw
    HTML in the source is shown as text, images are shown as their description (never
    fetched), links are not followed (the target is the ``title``), and nothing has a
    ``style`` attribute (table alignment is a class, ``align-left`` etc.).

    Args:
        source: The marked-up Markdown.
        name: File name for error messages.
        heading_offset: Added to each heading level (the page has its own ``h1``).

    Raises:
        InvalidInputError: The markup does not parse.
    """
    from ._marking_html import read_blocks, render_html

    text = normalise(source)
    doc = parse_markup(text, name)
    tokens, blocks, _locator, _env = read_blocks(text, name, doc)
    return render_html(tokens, blocks, doc, heading_offset)


__all__ = [
    "Mark",
    "StaleEditError",
    "add_block_mark",
    "add_mark",
    "change_mark",
    "marking_html",
    "marks",
    "remove_mark",
    "save",
    "version",
]
