"""Reading input documents (JSON, YAML, JSON Lines) with errors that name file, line and field.

Every document is read defensively, whichever YAML loader is installed (libyaml or
pure Python; both give the same messages):

- a file is at most ``MAX_FILE_MIB`` MiB, and one JSON or YAML document (a file, or
  one line of a JSON Lines batch) at most ``MAX_DOCUMENT_MIB`` MiB;
- mappings and sequences (objects and arrays) nest at most ``MAX_DEPTH`` levels;
- a key appears once in a mapping: a second ``consent:`` is refused, never decided
  on whichever value came last;
- a YAML document has at most ``MAX_ALIASES`` aliases, adding at most
  ``MAX_ALIAS_NODES`` nodes when expanded, and none refers to a node containing it.

Each refusal is an :class:`InvalidInputError` (exit 3) on one line naming the file
and the line, e.g. ``req.yaml:7: duplicate key 'consent' (first at line 5)``.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import InvalidInputError, MacipError

M = TypeVar("M", bound=BaseModel)

MiB = 1024 * 1024

MAX_FILE_MIB = 256
"""Largest input file, in MiB (a JSON Lines batch, a Markdown original); ``MACIP_MAX_FILE_MIB`` overrides."""

MAX_DOCUMENT_MIB = 16
"""Largest JSON or YAML document, in MiB (a file, or one line of a batch); ``MACIP_MAX_DOCUMENT_MIB`` overrides."""

MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences (objects and arrays), aliases expanded."""

MAX_ALIASES = 1000
"""Most YAML aliases (``*name``) in one document."""

MAX_ALIAS_NODES = 100_000
"""Most nodes the aliases of one YAML document may add when expanded ("billion laughs" stop here)."""

ErrorClass = Callable[..., MacipError]
"""What a reader raises: InvalidInputError for inputs, PolicyLoadError for policy data."""


# --------------------------------------------------------------------------- size


def _limit_mib(variable: str, default: int) -> int:
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) == 0:
        raise InvalidInputError(f"{variable} must be a whole number of MiB above 0, not {raw!r}")
    return int(raw)


def file_limit() -> int:
    """The largest input file read, in bytes (``MACIP_MAX_FILE_MIB``, default 256 MiB)."""
    return _limit_mib("MACIP_MAX_FILE_MIB", MAX_FILE_MIB) * MiB


def document_limit() -> int:
    """The largest JSON or YAML document, in bytes (``MACIP_MAX_DOCUMENT_MIB``, default 16 MiB)."""
    return _limit_mib("MACIP_MAX_DOCUMENT_MIB", MAX_DOCUMENT_MIB) * MiB


def _utf8_size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _over(text: str, limit: int) -> bool:
    # A character is one to four bytes in UTF-8: count bytes only when it matters.
    return len(text) > limit or (len(text) * 4 > limit and _utf8_size(text) > limit)


def read_text(path: Path | str, *, limit: int | None = None) -> str:
    """Read a UTF-8 file, or standard input for ``-``.

    Args:
        path: The file, or ``-`` for standard input.
        limit: The largest size in bytes; ``file_limit()`` when None. Nothing past
            it is read, even from a pipe or a file that does not know its size.

    Raises:
        InvalidInputError: The file is missing, a directory, too large, or not UTF-8.
    """
    limit = file_limit() if limit is None else limit
    too_large = f"larger than the {_mib(limit)} limit for an input file (MACIP_MAX_FILE_MIB)"
    if str(path) == "-":
        text = sys.stdin.read(limit + 1)
        if _over(text, limit):
            raise InvalidInputError(too_large, file="-")
        return text
    p = Path(path)
    try:
        with p.open(encoding="utf-8") as handle:
            if os.fstat(handle.fileno()).st_size > limit:
                raise InvalidInputError(too_large, file=str(p))
            text = handle.read(limit + 1)
    except FileNotFoundError:
        raise InvalidInputError("file not found", file=str(p)) from None
    except IsADirectoryError:
        raise InvalidInputError("is a directory, not a file", file=str(p)) from None
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"not UTF-8 text (byte {exc.start})", file=str(p)) from None
    except OSError as exc:
        raise InvalidInputError(exc.strerror or str(exc), file=str(p)) from None
    if _over(text, limit):
        raise InvalidInputError(too_large, file=str(p))
    return text


def _mib(limit: int) -> str:
    return f"{limit // MiB} MiB" if limit % MiB == 0 else f"{limit:,} byte"


def check_size(text: str, name: str, *, line: int | None = None, error: ErrorClass = InvalidInputError) -> None:
    """Refuse a JSON or YAML document larger than ``document_limit()``.

    Raises:
        InvalidInputError: (or ``error``) The document is too large.
    """
    limit = document_limit()
    if _over(text, limit):
        raise error(
            f"larger than the {_mib(limit)} limit for one document (MACIP_MAX_DOCUMENT_MIB)",
            file=name,
            location=str(line) if line else None,
        )


class _Refused(Exception):
    """A document refused for its shape; the caller adds the file name."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def _number_problem(exc: ValueError) -> str:
    if "integer string conversion" in str(exc):  # Python refuses to convert very long integers
        return f"a number has more than {sys.get_int_max_str_digits()} digits"
    return str(exc).split(";")[0]


def _jsonable(value: Any) -> Any:
    # YAML turns 2026-01-01 into a date; the engine and the models want JSON.
    # Nesting is bounded (MAX_DEPTH, aliases included) before this runs.
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


# --------------------------------------------------------------------------- JSON


class _DuplicateKey(Exception):
    pass


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKey
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(object_pairs_hook=_unique_pairs, parse_constant=_no_constant)
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_JSON_STRUCTURE = re.compile(r'[\[\]{}",]')
_DIGITS = sys.get_int_max_str_digits()
_JSON_BARE = re.compile(r"NaN|-?Infinity" + (rf"|\d{{{_DIGITS + 1},}}" if _DIGITS else ""))


def _bare_problem(token: str) -> str:
    if token[-1].isdigit():
        return f"invalid JSON: a number has more than {_DIGITS} digits"
    return f"invalid JSON: {token} is not a JSON number"


def _json_problem(text: str) -> tuple[str, int, int | None] | None:
    """The first duplicate key or too-deep nesting in JSON text, scanning without recursion.

    Returns:
        ``(message, offset, first offset)``: the first offset is that of the key's
        first occurrence, for a duplicate; None when nothing is found.
    """
    stack: list[dict[str, int] | None] = []  # keys seen in each open object; None for an array
    expect_key = False
    pos = 0
    while True:
        match = _JSON_STRUCTURE.search(text, pos)
        at = match.start() if match is not None else len(text)
        bare = _JSON_BARE.search(text, pos, at)  # numbers and literals between the structure
        if bare is not None:
            return _bare_problem(bare.group()), bare.start(), None
        if match is None:
            return None
        char = match.group()
        pos = at + 1
        if char == '"':
            try:
                value, pos = _scanstring(text, at + 1)
            except ValueError:
                return None
            keys = stack[-1] if stack else None
            if expect_key and keys is not None:
                if value in keys:
                    return f"duplicate key {value!r}", at, keys[value]
                keys[value] = at
            expect_key = False
        elif char in "[{":
            stack.append({} if char == "{" else None)
            expect_key = char == "{"
            if len(stack) > MAX_DEPTH:
                return f"nested deeper than {MAX_DEPTH} levels", at, None
        elif char in "]}":
            if stack:
                stack.pop()
            expect_key = False
        else:
            expect_key = bool(stack) and stack[-1] is not None


def _too_deep(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _refuse_json(text: str, fallback: str, line: int | None) -> _Refused:
    """Say where the problem is: the line in a document, the column in a line of a batch."""
    found = _json_problem(text)
    if found is None:
        return _Refused(fallback, line)
    message, offset, first = found
    at_line, at_column = _position(text, offset)
    if line is not None:  # one line of JSON Lines: point at columns
        if first is not None:
            message += f" (columns {_position(text, first)[1]} and {at_column})"
        else:
            message += f" (column {at_column})"
        return _Refused(message, line)
    if first is not None:
        message += f" (first at line {_position(text, first)[0]})"
    return _Refused(message, at_line)


def _load_json(text: str, line: int | None = None) -> Any:
    """``json.loads`` refusing duplicate keys, NaN and Infinity, and nesting deeper than ``MAX_DEPTH``.

    Raises:
        json.JSONDecodeError: The text is not JSON.
        _Refused: It is JSON, but of a shape this toolkit will not read.
    """
    try:
        value = _DECODER.decode(text)
    except _DuplicateKey:
        raise _refuse_json(text, "duplicate key", line) from None
    except RecursionError:
        raise _refuse_json(text, f"nested deeper than {MAX_DEPTH} levels", line) from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # NaN, Infinity, an integer Python will not convert
        raise _refuse_json(text, f"invalid JSON: {_number_problem(exc)}", line) from None
    # Deep enough to matter only if there are that many brackets at all.
    if text.count("[") + text.count("{") > MAX_DEPTH and _too_deep(value):
        raise _refuse_json(text, f"nested deeper than {MAX_DEPTH} levels", line)
    return value


def parse_json(text: str, name: str, *, line: int | None = None, error: ErrorClass = InvalidInputError) -> Any:
    """Parse one JSON document (a file, or one line of a JSON Lines batch when ``line`` is given).

    Args:
        text: The JSON text.
        name: File name for error messages.
        line: The line of a batch this text is; errors then name it and a column.
        error: The error class to raise.

    Raises:
        InvalidInputError: (or ``error``) Too large, not JSON, a duplicate key,
            NaN or Infinity, or nested deeper than ``MAX_DEPTH``.
    """
    check_size(text, name, line=line, error=error)
    try:
        return _load_json(text, line)
    except json.JSONDecodeError as exc:
        if line is not None:
            raise error(f"invalid JSON: {exc.msg} (column {exc.colno})", file=name, location=str(line)) from None
        raise error(f"invalid JSON: {exc.msg} (column {exc.colno})", file=name, location=str(exc.lineno)) from None
    except _Refused as exc:
        raise error(exc.message, file=name, location=str(exc.line) if exc.line else None) from None


def check_json(text: str, name: str, *, line: int | None = None) -> None:
    """Refuse JSON of a shape no reader here accepts; leave syntax errors to the caller's parser.

    For readers that parse JSON themselves (pydantic's ``model_validate_json``):
    their own parser decides on the last of two equal keys and has its own depth
    limit, so call this first.

    Raises:
        InvalidInputError: Too large, a duplicate key, NaN or Infinity, too deep.
    """
    check_size(text, name, line=line)
    try:
        _load_json(text, line)
    except json.JSONDecodeError:
        return
    except _Refused as exc:
        raise InvalidInputError(exc.message, file=name, location=str(exc.line) if exc.line else None) from None


def iter_json_lines(text: str, name: str) -> Iterator[tuple[int, Any]]:
    """Yield ``(line_number, value)`` for each non-blank line of JSON Lines text.

    Raises:
        InvalidInputError: A line is not valid JSON, or is refused as ``parse_json``
            refuses a document (the line is named).
    """
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield number, parse_json(line, name, line=number)


def is_json_lines(text: str, name: str) -> bool:
    """True when the text is JSON Lines (several JSON objects, one per line), not one document.

    Never fails: text too deep or too odd to tell is one document, for ``parse_document``
    to refuse with a proper message.
    """
    if name.endswith((".jsonl", ".ndjson")):
        return True
    stripped = text.strip()
    if not stripped.startswith("{"):
        return False
    try:
        json.loads(stripped)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            return True
    except (RecursionError, ValueError):
        pass
    else:
        return False
    lines = [line for line in stripped.splitlines() if line.strip()]
    return len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines)


# --------------------------------------------------------------------------- YAML

_MERGE = "tag:yaml.org,2002:merge"
_VALUE = "tag:yaml.org,2002:value"


@lru_cache(maxsize=1)
def _loaders() -> tuple[type[Any], type[Any]]:
    """The hardened YAML loaders: (fast, pure Python). The fast one is libyaml's parser where installed."""
    import yaml
    from yaml.constructor import ConstructorError, SafeConstructor
    from yaml.events import (
        AliasEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    class Frame:
        """A mapping or sequence being composed."""

        __slots__ = ("anchor", "height", "key", "keys", "node", "size")

        def __init__(self, node: Any, anchor: str | None):
            self.node = node
            self.anchor = anchor
            self.height = 1  # levels of nesting in this node, aliases expanded
            self.size = 1  # nodes in this node, aliases expanded
            self.key: Any = None  # a mapping's key waiting for its value
            self.keys: dict[str, int] = {}  # a mapping's keys so far, with their lines

    class Composer:
        """Composes the node graph from parser events without recursion, refusing hostile shapes.

        Replaces PyYAML's composer (pure Python or libyaml's) with one that refuses
        nesting deeper than MAX_DEPTH, duplicate keys, recursive aliases, and aliases
        beyond MAX_ALIASES or adding more than MAX_ALIAS_NODES nodes, before any of
        it is built. The events are the same from either parser, so are the refusals.
        """

        def get_single_node(self: Any) -> Any:
            self.get_event()  # stream start
            document = None
            if not self.check_event(StreamEndEvent):
                document = self.compose_document()
            if not self.check_event(StreamEndEvent):
                event: Any = self.get_event()
                raise yaml.composer.ComposerError(
                    "expected a single document in the stream",
                    document.start_mark if document is not None else None,
                    "but found another document",
                    event.start_mark,
                )
            self.get_event()
            return document

        def compose_document(self: Any) -> Any:
            self.get_event()  # document start
            anchors: dict[str, tuple[Any, int, int]] = {}  # name -> (node, height, size)
            open_anchors: dict[str, int] = {}  # anchors of nodes still being composed -> line
            stack: list[Frame] = []
            aliases = added = 0
            while True:
                event = self.get_event()
                start: Any = event.start_mark
                end: Any = event.end_mark
                line = start.line + 1
                if isinstance(event, AliasEvent):
                    name = event.anchor
                    if name in open_anchors:
                        raise _Refused(f"YAML alias *{name} refers to a node that contains it", line)
                    if name not in anchors:
                        raise yaml.composer.ComposerError(None, None, f"found undefined alias {name!r}", start)
                    node, height, size = anchors[name]
                    aliases += 1
                    added += size
                    if aliases > MAX_ALIASES:
                        raise _Refused(f"more than {MAX_ALIASES} YAML aliases", line)
                    if added > MAX_ALIAS_NODES:
                        raise _Refused(f"YAML aliases expand to more than {MAX_ALIAS_NODES:,} nodes", line)
                    if len(stack) + height > MAX_DEPTH:
                        raise _Refused(f"nested deeper than {MAX_DEPTH} levels (YAML alias *{name})", line)
                else:
                    anchor = getattr(event, "anchor", None)
                    if anchor is not None and (anchor in anchors or anchor in open_anchors):
                        first = open_anchors.get(anchor) or anchors[anchor][0].start_mark.line + 1
                        raise _Refused(f"duplicate YAML anchor &{anchor} (first at line {first})", line)
                    if isinstance(event, ScalarEvent):
                        tag = event.tag
                        if tag is None or tag == "!":
                            tag = self.resolve(ScalarNode, event.value, event.implicit)
                        node = ScalarNode(tag, event.value, start, end, style=event.style)
                        height, size = 0, 1
                        if anchor is not None:
                            anchors[anchor] = (node, height, size)
                    elif isinstance(event, SequenceStartEvent | MappingStartEvent):
                        if len(stack) >= MAX_DEPTH:
                            raise _Refused(f"nested deeper than {MAX_DEPTH} levels", line)
                        kind = SequenceNode if isinstance(event, SequenceStartEvent) else MappingNode
                        tag = event.tag
                        if tag is None or tag == "!":
                            tag = self.resolve(kind, None, event.implicit)
                        node = kind(tag, [], start, None, flow_style=event.flow_style)
                        stack.append(Frame(node, anchor))
                        if anchor is not None:
                            open_anchors[anchor] = line
                        continue
                    elif isinstance(event, SequenceEndEvent | MappingEndEvent):
                        frame = stack.pop()
                        node, height, size = frame.node, frame.height, frame.size
                        node.end_mark = end
                        if frame.anchor is not None:
                            del open_anchors[frame.anchor]
                            anchors[frame.anchor] = (node, height, size)
                    else:  # pragma: no cover - the parser only sends node events here
                        raise yaml.composer.ComposerError(None, None, f"unexpected {event}", start)
                if not stack:
                    self.get_event()  # document end
                    return node
                parent = stack[-1]
                parent.size += size
                parent.height = max(parent.height, height + 1)
                if isinstance(parent.node, SequenceNode):
                    parent.node.value.append(node)
                elif parent.key is None:
                    parent.key = node
                    key = self.key_text(node)
                    if key is not None:
                        if key in parent.keys:
                            raise _Refused(f"duplicate key {key!r} (first at line {parent.keys[key]})", line)
                        parent.keys[key] = line
                else:
                    parent.node.value.append((parent.key, node))
                    parent.key = None

        def key_text(self: Any, node: Any) -> str | None:
            """A scalar key as the document will have it (keys become strings), or None."""
            if not isinstance(node, ScalarNode):
                return None
            if node.tag in (_MERGE, _VALUE):
                return str(node.value)
            return str(self.construct_object(node))

    def not_json(loader: Any, node: Any) -> Any:
        raise ConstructorError(None, None, f"{node.tag.rsplit(':', 1)[-1]} values are not JSON data", node.start_mark)

    class Constructor(SafeConstructor):
        """The safe constructor, for JSON data only: no binary, sets, ordered maps or pairs.

        A value Python cannot make (an integer of 5,000 digits, 30 February) is a
        YAML error at its line, not a crash.
        """

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep)
            except ValueError as exc:
                raise ConstructorError(None, None, _number_problem(exc), node.start_mark) from None

    for tag in ("binary", "set", "omap", "pairs"):
        Constructor.add_constructor(f"tag:yaml.org,2002:{tag}", not_json)

    class PureLoader(
        Composer, yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, Constructor, yaml.resolver.Resolver
    ):
        """The pure-Python safe loader, hardened."""

        def __init__(self, stream: str):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            Constructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    fast: type[Any] = PureLoader
    try:
        cparser: Any = importlib.import_module("yaml.cyaml").CParser
    except ImportError:  # PyYAML built without libyaml
        cparser = None
    if cparser is not None:

        class FastLoader(Composer, cparser, Constructor, yaml.resolver.Resolver):  # type: ignore[misc]
            """libyaml's parser (several times faster) with the same hardened composer and constructor."""

            def __init__(self, stream: str):
                cparser.__init__(self, stream)
                Constructor.__init__(self)
                yaml.resolver.Resolver.__init__(self)

        fast = FastLoader
    return fast, PureLoader


def _load_yaml(text: str, loader_class: type[Any], *, compose_only: bool = False) -> Any:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if compose_only or node is None:
            return node
        return _jsonable(loader.construct_document(node))
    finally:
        loader.dispose()


def parse_yaml(text: str, name: str, *, error: ErrorClass = InvalidInputError) -> Any:
    """Parse one YAML document, with YAML dates as ISO strings.

    Raises:
        InvalidInputError: (or ``error``) Too large, malformed, or refused: a
            duplicate key, too deep, too many aliases or a recursive one, a value
            JSON cannot carry.
    """
    import yaml

    check_size(text, name, error=error)
    fast, pure = _loaders()
    try:
        try:
            return _load_yaml(text, fast)
        except yaml.YAMLError:
            pass
        # Malformed: parse again with the pure-Python loader, whose messages are the
        # same on every machine whether or not libyaml is installed.
        try:
            return _load_yaml(text, pure)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or "malformed"
            raise error(f"invalid YAML: {problem}", file=name, location=str(mark.line + 1) if mark else None) from None
    except _Refused as exc:
        raise error(exc.message, file=name, location=str(exc.line) if exc.line else None) from None


def compose_yaml(text: str) -> Any:
    """The YAML node graph of a document that parses, or None (for finding lines)."""
    import yaml

    try:
        return _load_yaml(text, _loaders()[0], compose_only=True)
    except (yaml.YAMLError, _Refused):
        return None


# --------------------------------------------------------------------------- documents


def parse_document(text: str, name: str, *, error: ErrorClass = InvalidInputError) -> Any:
    """Parse JSON or YAML text (JSON is tried first when the text looks like it).

    Args:
        text: The document.
        name: File name for error messages (``-`` for stdin).
        error: The error class to raise.

    Returns:
        The parsed value, with YAML dates as ISO strings.

    Raises:
        InvalidInputError: (or ``error``) The text is neither valid JSON nor valid
            YAML, or is refused (see the module's limits).
    """
    check_size(text, name, error=error)
    stripped = text.lstrip()
    if name.endswith(".json") or stripped.startswith(("{", "[")):
        try:
            return _load_json(text)
        except json.JSONDecodeError as exc:
            if name.endswith(".json"):
                raise error(
                    f"invalid JSON: {exc.msg} (column {exc.colno})", file=name, location=str(exc.lineno)
                ) from None
        except _Refused as exc:
            raise error(exc.message, file=name, location=str(exc.line) if exc.line else None) from None
    return parse_yaml(text, name, error=error)


def load_document(path: Path | str) -> Any:
    """Read and parse a JSON or YAML file (``-`` for stdin)."""
    return parse_document(read_text(path), str(path))


def field_path(loc: tuple[int | str, ...]) -> str:
    """Render a pydantic error location as ``a.b[0].c``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(document)"


def yaml_line(text: str, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the YAML node at ``loc``, or of its nearest existing parent."""
    import yaml

    node = compose_yaml(text)
    if node is None:
        return None
    line: int | None = node.start_mark.line + 1
    for part in loc:
        nxt = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == str(part):
                    nxt = value if not isinstance(value, yaml.ScalarNode) else key
                    line = key.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            nxt = node.value[part]
            line = nxt.start_mark.line + 1
        if nxt is None:
            break
        node = nxt
    return line


def validation_error(
    exc: ValidationError, name: str, *, text: str | None = None, line: int | None = None
) -> InvalidInputError:
    """Turn a pydantic error into one line naming the file, the line where known, and the field."""
    first = exc.errors()[0]
    loc = tuple(first["loc"])
    where = field_path(loc)
    if line is None and text is not None and not name.endswith(".json"):
        line = yaml_line(text, loc)
    more = len(exc.errors()) - 1
    suffix = f" (and {more} more)" if more else ""
    return InvalidInputError(f"{where}: {first['msg']}{suffix}", file=name, location=str(line) if line else None)


def validate_model(model: type[M], data: Any, name: str, *, text: str | None = None) -> M:
    """Validate parsed data into a pydantic model, a misfit named by file, line and field.

    Args:
        model: The model.
        data: The parsed document.
        name: File name for error messages.
        text: The document's text, to find the line of the field at fault (YAML).

    Raises:
        InvalidInputError: The data does not fit the model.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, name, text=text) from None


def parse_model(model: type[M], text: str, name: str) -> M:
    """Parse JSON/YAML text into a pydantic model.

    Raises:
        InvalidInputError: Malformed, refused, or does not fit the model.
    """
    return validate_model(model, parse_document(text, name), name, text=text)


def load_model(model: type[M], path: Path | str) -> M:
    """Read a JSON/YAML file into a pydantic model.

    Raises:
        InvalidInputError: Unreadable, malformed, or does not fit the model.
    """
    return parse_model(model, read_text(path), str(path))
