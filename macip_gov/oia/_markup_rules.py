"""The markdown-it rules that read redaction markup, and the one recogniser of marks.

:func:`markup_parser` is the renderer's CommonMark dialect with the container plugin
(``:::`` blocks), an inline rule for ``[text]{attrs}`` spans and wrappers that record
where each block and table row sits in the source. :func:`find_mark` says what looks
like a mark; :func:`mark_verdict` says what an attribute block marks or why it is invalid.
Offsets are recovered from the tokens in :mod:`._offsets`; the document is read in
:mod:`.markup`.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from mdit_py_plugins.attrs.parse import ParseError, parse

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


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance between ``a`` and ``b``, or ``limit + 1`` once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
        if min(row) > limit:
            return limit + 1
    return row[-1]


_SEPARATORS = re.compile(r"[-_\u2010-\u2015\u2212]")


@lru_cache(maxsize=4096)
def _near_miss(name: str) -> Kind | None:
    """The kind a misspelt class name was meant to mark: ``withold``, ``with-hold``, ``witheld``, ``outofscope``."""
    letters = _SEPARATORS.sub("", name).casefold()
    if len(letters) > 24:
        return None
    if _distance(letters, "withhold", 2) <= 2 or letters.startswith(("withh", "withel", "withol")):
        return "withhold"
    if _distance(letters, "outofscope", 2) <= 2 or ("scope" in letters and letters.startswith(("out", "notin", "oos"))):
        return "out_of_scope"
    return None


def mark_kind(name: str) -> Kind | None:
    """The kind of region a class name marks, read as loosely as a person might write it.

    ``withhold`` and ``out-of-scope`` in any case, with ``_`` or a Unicode dash for
    ``-``, and near misses of either (``withold``, ``with-hold``, ``witheld``,
    ``Withheld``, ``outofscope``, ``out-scope``). Only the exact lower-case names
    (:data:`CLASSES`) make a span; the rest are errors in a span and refused anywhere
    else, never released.
    """
    return CLASSES.get(_DASHES.sub("-", name).casefold()) or _near_miss(name)


# An attribute shaped like ground= in any case or a near miss (Ground=, grounds=, gound=,
# groud=), with a value: quoted, or bare starting like a citation ("grounds = reasons" in
# prose is not one).
_ATTRIBUTE_SHAPED = re.compile(r"""(?<![\w:.-])(?P<attr>[gG][\w-]{2,14})\s*=\s*(?=["'\d])""")


def ground_like(name: str) -> bool:
    """Whether an attribute name is ``ground`` in another case or a near miss of it."""
    letters = _SEPARATORS.sub("", name).casefold()
    return _distance(letters, "ground", 1) <= 1 or _distance(letters, "grounds", 1) <= 1


def find_ground_attribute(text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
    """The first ``ground=``-shaped attribute (any case, near misses too) in ``text[start:end]``.

    Redaction markup that was not applied can carry its ground without a class
    (``[text]{Ground="9(2)(a)"}`` in code): such text is refused like a mark.
    """
    for found in _ATTRIBUTE_SHAPED.finditer(text, start, len(text) if end is None else end):
        if ground_like(found["attr"]):
            return found
    return None


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
def looks_like_mark(attributes: str) -> bool:
    return find_mark(attributes) is not None


def shown(found: re.Match[str]) -> str:
    """A mark found by :func:`find_mark` (or :func:`find_ground_attribute`) as a short one-line quotation."""
    if "attr" in found.re.groupindex:
        return "{" + found["attr"] + "= ...}"
    text = f".{found['name']}" if found["name"] is not None else f"class={found['value']}"
    text = " ".join(text.split())
    return "{" + (text if len(text) <= 60 else text[:57] + "...") + " ...}"


def plain_text(tokens: Sequence[Token]) -> str:
    """Inline tokens as plain text: their words, a space for a line break, an image's description."""
    out = []
    for token in tokens:
        if token.type in ("text", "text_special", "code_inline"):
            out.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif token.type == "image":
            out.append(plain_text(token.children or []))
    return "".join(out)


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
def mark_verdict(attrs: tuple[tuple[str, Any], ...], block: bool) -> tuple[Kind, tuple[str, ...]] | str:
    """What an attribute block marks (kind and grounds), or why it is not valid markup.

    Cached: a document repeats the same few attribute blocks.
    """
    what = "block" if block else "span"
    found = dict(attrs)
    classes = str(found.get("class", "")).split()
    for name in classes:
        kind = CLASSES.get(_DASHES.sub("-", name).casefold())
        if kind is None:  # unknown, or a near miss such as .withold
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
        if ground_like(extra[0]):
            return f"unknown attribute {extra[0]}= on a marked {what}: write ground="
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
        close_line = line_map(token)[1]
        closed = state.line == close_line + 1
        src = state.src
        meta: dict[str, Any] = {
            "closed": closed,
            "start": state.bMarks[start_line] + state.tShift[start_line],
        }
        previous = state.tokens[n - 1] if n else None
        first_child = previous is None or previous.nesting == 1
        starts = line_starts(state.env, src)
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
                line = line_map(token)[0]
                rows[line] = (state.bMarks[line] + state.tShift[line], state.eMarks[line])
        return True

    return table


def line_starts(env: MutableMapping[str, Any], text: str) -> list[int]:
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


def line_map(token: Token) -> list[int]:
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


__all__ = [
    "CLASSES",
    "Kind",
    "find_ground_attribute",
    "find_mark",
    "ground_like",
    "line_map",
    "line_starts",
    "looks_like_mark",
    "mark_kind",
    "markup_parser",
    "shown",
    "mark_verdict",
]
