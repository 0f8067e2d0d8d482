"""Writing files atomically: readers see the old file or the new one, never a mix.

One writer, :func:`atomic_write`, for every file this toolkit writes. What differs
between a document (a report, a letter, exported flows) and a store (a PIA working
copy, a revision, a head) is a :class:`WritePolicy`:

- ``DOCUMENT``: a new file gets the mode the user's umask gives (0644 under 022,
  0600 under 077);
- ``STORE``: a new file is private, 0600 less the umask, and the directory is
  fsynced after the rename so that the new name survives a crash.

Under either policy a file that is replaced keeps its own mode, so a private (0600)
file is never widened by writing it again.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import InvalidInputError, MacipError

DOCUMENT_MODE = 0o666
"""Mode of a new document (a report, exported flows), less the umask."""

STORE_MODE = 0o600
"""Mode of a new store file (PIA working copy, revision, head), less the umask."""

ErrorClass = Callable[..., MacipError]
"""What a failed write raises instead of ``OSError``: called with a message and ``file=``."""


@dataclass(frozen=True)
class WritePolicy:
    """How :func:`atomic_write` creates a file."""

    mode: int
    """Mode of a new file, less the umask (a replaced file keeps its own)."""
    sync_directory: bool
    """Fsync the directory after the rename, so that the new name is durable."""


DOCUMENT = WritePolicy(mode=DOCUMENT_MODE, sync_directory=False)
"""Documents: the umask decides a new file's mode."""

STORE = WritePolicy(mode=STORE_MODE, sync_directory=True)
"""Stores: new files are private; the directory entry is made durable."""


def fsync_directory(directory: Path) -> None:
    """Flush a directory's entries (a rename or a link into it) to disk."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def existing_mode(path: Path) -> int | None:
    """The permission bits of the regular file at ``path``; None when there is none."""
    try:
        found = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    return stat.S_IMODE(found) & 0o777 if stat.S_ISREG(found) else None


def temporary_file(path: Path, data: bytes, *, mode: int, keep: int | None = None) -> Path:
    """A complete, fsynced temporary file beside ``path``, to be renamed or linked over it.

    It is created ``mode`` less the umask, or given exactly ``keep`` (the mode of the
    file it will replace; it is private until then).

    Raises:
        OSError: The directory is not writable.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(tmp, flags, mode if keep is None else STORE_MODE)
            break
        except FileExistsError:  # pragma: no cover - 48 random bits collided
            continue
    else:  # pragma: no cover
        raise FileExistsError(f"no free temporary name beside {path.name}")
    try:
        with os.fdopen(fd, "wb") as handle:
            if keep is not None:
                os.fchmod(handle.fileno(), keep)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def atomic_write(
    path: Path | str,
    data: bytes,
    *,
    policy: WritePolicy = DOCUMENT,
    exclusive: bool = False,
    error: ErrorClass | None = InvalidInputError,
    before_commit: Callable[[Path, Path], None] | None = None,
) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same directory, fsynced, then renamed.

    Either the whole new file is in place or the old one is untouched, and no
    temporary file is left behind.

    Args:
        path: The file to write; missing parent directories are made.
        data: Its new content.
        policy: ``DOCUMENT`` (new files follow the umask) or ``STORE`` (new files
            are 0600 less the umask; the directory is fsynced).
        exclusive: Hard-link the new file into place instead of renaming it, which
            fails if ``path`` exists.
        error: What to raise instead of an ``OSError``, with the message
            ``cannot write here: ...`` and the file; None raises the ``OSError``.
        before_commit: Called with (temporary file, destination) just before the
            file is moved into place (tests stop a writer there).

    Returns:
        The path written.

    Raises:
        InvalidInputError: (or ``error``) The file cannot be written there (a
            directory, no permission, a parent that is a file), or with
            ``exclusive`` it exists.
        OSError: The same, when ``error`` is None (``FileExistsError`` for an
            existing file with ``exclusive``).
    """
    path = Path(path)
    try:
        _write(path, data, policy=policy, exclusive=exclusive, before_commit=before_commit)
    except OSError as exc:
        if error is None:
            raise
        raise error(f"cannot write here: {exc.strerror or exc}", file=str(path)) from None
    return path


def _write(
    path: Path,
    data: bytes,
    *,
    policy: WritePolicy,
    exclusive: bool,
    before_commit: Callable[[Path, Path], None] | None,
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    keep = None if exclusive else existing_mode(path)
    tmp = temporary_file(path, data, mode=policy.mode, keep=keep)
    try:
        if before_commit is not None:
            before_commit(tmp, path)
        if exclusive:
            os.link(tmp, path)
            tmp.unlink()
        else:
            os.replace(tmp, path)
        if policy.sync_directory:
            fsync_directory(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


__all__ = [
    "DOCUMENT",
    "DOCUMENT_MODE",
    "STORE",
    "STORE_MODE",
    "WritePolicy",
    "atomic_write",
    "existing_mode",
    "fsync_directory",
    "temporary_file",
]
