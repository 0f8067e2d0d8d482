"""Keeping every file the app touches inside the workspace.

Names from a URL or a form are never paths: :func:`safe_name` accepts one plain file or folder
name, and :func:`inside` resolves a path (symbolic links followed) and refuses it unless it lies
within the root.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InvalidInputError

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def inside(root: Path, candidate: Path | str) -> Path:
    """``candidate`` resolved (links followed), when it lies inside ``root``.

    Args:
        root: The folder nothing may leave (the workspace root, or a folder in it).
        candidate: A path; a relative one is taken relative to ``root``.

    Returns:
        The resolved path (it need not exist).

    Raises:
        InvalidInputError: It contains a NUL byte, or resolves outside ``root``.
    """
    text = str(candidate)
    if "\x00" in text:
        raise InvalidInputError("a path with a NUL byte is not allowed")
    base = root.resolve()
    path = Path(text)
    resolved = (path if path.is_absolute() else base / path).resolve()
    if resolved != base and not resolved.is_relative_to(base):
        raise InvalidInputError(f"{text!r} is outside the workspace")
    return resolved


def safe_name(name: str, *, what: str = "name") -> str:
    """``name`` when it is one plain name (letters, digits, dots, underscores, hyphens; no path), for ids in URLs.

    Raises:
        InvalidInputError: It is empty, too long, starts with a dot or hyphen, or holds anything else.
    """
    if not _NAME.fullmatch(name) or name in (".", ".."):
        raise InvalidInputError(f"{what} {name[:80]!r}: expected a plain name (letters, digits, . _ -)")
    return name
