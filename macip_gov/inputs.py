"""Reading input documents (JSON, YAML, JSON Lines) with errors that name file, line and field."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import InvalidInputError

M = TypeVar("M", bound=BaseModel)


def read_text(path: Path | str) -> str:
    """Read a UTF-8 file, or standard input for ``-``.

    Raises:
        InvalidInputError: The file is missing, a directory, or not UTF-8.
    """
    if str(path) == "-":
        return sys.stdin.read()
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInputError("file not found", file=str(p)) from None
    except IsADirectoryError:
        raise InvalidInputError("is a directory, not a file", file=str(p)) from None
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"not UTF-8 text (byte {exc.start})", file=str(p)) from None
    except OSError as exc:
        raise InvalidInputError(exc.strerror or str(exc), file=str(p)) from None


def _jsonable(value: Any) -> Any:
    # YAML turns 2026-01-01 into a date; the engine and the models want JSON.
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def parse_document(text: str, name: str) -> Any:
    """Parse JSON or YAML text (JSON is tried first when the text looks like it).

    Args:
        text: The document.
        name: File name for error messages (``-`` for stdin).

    Returns:
        The parsed value, with YAML dates as ISO strings.

    Raises:
        InvalidInputError: The text is neither valid JSON nor valid YAML.
    """
    stripped = text.lstrip()
    if name.endswith(".json") or stripped.startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            if name.endswith(".json"):
                raise InvalidInputError(
                    f"invalid JSON: {exc.msg} (column {exc.colno})", file=name, location=str(exc.lineno)
                ) from None
    import yaml

    try:
        # libyaml's safe loader where present: same documents, several times faster.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return _jsonable(yaml.load(text, Loader=loader))  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        pass
    # Malformed: parse again with the pure-Python loader, whose messages are the
    # same on every machine whether or not libyaml is installed.
    try:
        return _jsonable(yaml.safe_load(text))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "malformed"
        raise InvalidInputError(
            f"invalid YAML: {problem}", file=name, location=str(mark.line + 1) if mark else None
        ) from None


def load_document(path: Path | str) -> Any:
    """Read and parse a JSON or YAML file (``-`` for stdin)."""
    return parse_document(read_text(path), str(path))


def iter_json_lines(text: str, name: str) -> Iterator[tuple[int, Any]]:
    """Yield ``(line_number, value)`` for each non-blank line of JSON Lines text.

    Raises:
        InvalidInputError: A line is not valid JSON (the line is named).
    """
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInputError(f"invalid JSON: {exc.msg}", file=name, location=str(number)) from None


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

    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node is not None else None
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
    return InvalidInputError(
        f"{where}: {first['msg']}{suffix}", file=name, location=str(line) if line else None
    )


def load_model(model: type[M], path: Path | str) -> M:
    """Read a JSON/YAML file into a pydantic model.

    Raises:
        InvalidInputError: Unreadable, malformed, or does not fit the model.
    """
    name = str(path)
    text = read_text(path)
    data = parse_document(text, name)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, name, text=text) from None

