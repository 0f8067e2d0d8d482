"""The PIA on disk: a working copy plus a chain of immutable, numbered revisions.

A PIA directory holds one working file (``macip.yaml``) and ``history/``, in which
``r0001.yaml``, ``r0002.yaml``... each record one stored revision: its number, its
parent, the content hash, author, time, message, the SHA-256 of the previous
revision's file (``previous_hash``) and the whole document. ``history/head.yaml``
records the newest revision and the SHA-256 of its file. So every revision file,
metadata included, is covered by the next one or by the head: a revision edited
(even with its content hash recomputed), removed, renumbered or added by hand breaks
the chain, and :func:`verify_history` names the file and field where it breaks.

A sign-off is a revision of its own that adds one sign-off record, approving the
content of that revision; a sign-off counts only when a revision in the verified
chain records it (:func:`unrecorded_signoffs`).

What the chain cannot catch: someone with write access who rewrites every revision
file after the first one they change and the head (recomputing each hash). Note the
head hash that ``macip-gov pia history`` prints and compare it later to catch that.

Verifying is one pass over the files' bytes, so it costs little however long the
history: the chain vouches for every byte of every document, so every file is
hashed and its record (the fields before its document) read and checked, but only
the latest revision's document is parsed, and any other when a command reads it,
each checked as it is parsed. ``check_history(..., full=True)`` parses and checks
every document, as happens whenever the quick pass finds a problem, so a problem
is always named the same way.

Revision files are created, never rewritten. A new one is written to a temporary
file and flushed to disk; then, holding an exclusive lock on ``history/``, the head
is checked (a writer whose base is no longer the head is refused with
:class:`StaleRevisionError` without touching anything), replaced to name the new
revision (the commit point), and the file is hard-linked into place. A process
killed before the head is replaced leaves the history as it was; one killed after
leaves a complete temporary file whose hash the head records, and the next reader
links it into place. The working file is replaced by rename, so a process killed
at any point leaves either the old or the new file, never a torn one.

Files are written with the user's umask: a new store file is created ``0600``
less the umask, a replaced file keeps its mode, and no write widens a mode.

The history is kept by a :class:`RevisionStore`: a folder as described above
(:class:`FileStore`), or a PostgreSQL database a team shares
(:class:`~macip_gov.pia.store_pg.PostgresStore`), chosen by the history's location
(a folder, or a ``postgresql://`` URL; :func:`open_store`). Both keep the same bytes,
so the chain, its checks, the stale-write refusal and the checkpoints are one code
path over either, and :func:`copy_history` moves a history between them unchanged.
The working copy is always a file of its own.
"""

from __future__ import annotations

import hashlib
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from ..errors import ExitCode, InvalidInputError, MacipError, StaleRevisionError
from ..files import STORE, STORE_MODE, atomic_write, fsync_directory, temporary_file
from ..inputs import parse_document, parse_model, read_text, validate_model
from .models import Pia, SignOff

HISTORY_DIR = "history"
HEAD_FILE = "head.yaml"
_REVISION_FILE = re.compile(r"^r(\d{4,})\.yaml$")
_BASE_LINE = re.compile(r"^based_on_revision:[ \t]*\d+[ \t]*$", re.M)
_SIGNOFFS_LINE = re.compile(r"^signoffs:[ \t]*(\[\])?[ \t]*$", re.M)
_CHECKPOINT_FILE = re.compile(r"^c(\d{4,})\.json$")


FileHash = Annotated[str, StringConstraints(pattern=r"^sha256:[0-9a-f]{64}$")]

# Called with (temporary file, destination) after the temporary file is complete
# and flushed, just before it is moved into place. Tests set it in a child process
# to stop there and kill the process.
_before_commit: Callable[[Path, Path], None] | None = None
# Called with (temporary file, destination) after the head names a new revision and
# before its file is linked into place (the window a reader completes).
_before_link: Callable[[Path, Path], None] | None = None


class VerificationError(MacipError):
    """Stored records do not verify: edited, removed, added by hand or forged (exit 1).

    ``file`` names the revision file (or the head, or the working copy for a sign-off
    no revision records); the message starts with the field where it shows.
    """

    exit_code = ExitCode.DENIED


class RevisionInfo(BaseModel):
    """What is recorded about one stored revision."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    revision: int = Field(ge=1, description="Revision number, from 1.")
    parent: int | None = Field(description="The revision it was based on (None for the first).")
    content_hash: str = Field(description="Content hash of the document (sign-offs excluded).")
    author: str = Field(min_length=1, description="Who stored it.")
    created_at: datetime = Field(description="When it was stored (UTC).")
    message: str = Field(min_length=1, description="What changed and why.")
    signoffs: int = Field(ge=0, description="How many sign-offs the document carries.")
    previous_hash: FileHash | None = Field(
        description="SHA-256 of the previous revision's file, metadata included (None for the first)."
    )


class Revision(RevisionInfo):
    """A stored revision with its document."""

    document: Pia = Field(description="The PIA as stored.")


class RevisionResult(BaseModel):
    """The outcome of storing the working copy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    created: bool = Field(description="False when the working copy was already stored.")
    revision: RevisionInfo = Field(description="The revision that now holds the working copy.")
    path: str = Field(description="The revision file.")


@dataclass(frozen=True)
class PiaPaths:
    """Where a PIA's working file and history live (a folder, or a ``postgresql://`` URL)."""

    working: Path
    history: Path | str


def resolve(path: Path | str, history: Path | str | None = None) -> PiaPaths:
    """Find the working file and history for ``path``.

    Args:
        path: A PIA directory (holding exactly one ``*.yaml`` file) or the working file.
        history: The history folder or ``postgresql://`` URL; default ``history/`` beside the working file.

    Raises:
        InvalidInputError: No working file, or more than one.
    """
    p = Path(path)
    if p.is_dir():
        candidates = sorted(c for c in p.iterdir() if c.suffix in (".yaml", ".yml") and c.is_file())
        if not candidates:
            raise InvalidInputError("no PIA (*.yaml) in this directory", file=str(p))
        if len(candidates) > 1:
            names = ", ".join(c.name for c in candidates)
            raise InvalidInputError(f"more than one PIA file ({names}); name one", file=str(p))
        p = candidates[0]
    elif not p.exists():
        raise InvalidInputError("file not found", file=str(p))
    if history is None:
        return PiaPaths(working=p, history=p.parent / HISTORY_DIR)
    return PiaPaths(working=p, history=str(history) if is_server_url(str(history)) else Path(history))


def parse_pia(text: str, name: str) -> Pia:
    """Parse and validate PIA text.

    Raises:
        InvalidInputError: Malformed YAML (with line) or a field that does not fit (with field and line).
    """
    data = parse_document(text, name)
    if not isinstance(data, dict):
        raise InvalidInputError("a PIA must be a mapping at the top level", file=name, location="1")
    return validate_model(Pia, data, name, text=text)


def load_pia(path: Path | str) -> Pia:
    """Read and validate a PIA file or directory's working file."""
    working = resolve(path).working
    return parse_pia(read_text(working), str(working))


# -- atomic file writes ------------------------------------------------------


def _write(path: Path, data: bytes) -> None:
    """Write a store file (private when new, durable); an ``OSError`` is the caller's to word."""
    atomic_write(path, data, policy=STORE, error=None, before_commit=_before_commit)


@contextmanager
def _locked(directory: Path, *, exclusive: bool) -> Iterator[None]:
    """Hold an advisory lock on ``directory`` (shared for readers, exclusive for writers).

    Where locks are unavailable (no ``fcntl``, a directory that cannot be opened)
    this does nothing: the exclusive hard link still keeps two writers apart.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        yield
        return
    try:
        with suppress(OSError):  # a file system without flock
            fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


# -- the chain -------------------------------------------------------------------


def revision_path(history: Path, number: int) -> Path:
    """The file of revision ``number``."""
    return history / f"r{number:04d}.yaml"


def revision_numbers(history: Path) -> list[int]:
    """Stored revision numbers, ascending (temporary and other files are ignored)."""
    if not history.is_dir():
        return []
    found = (_REVISION_FILE.match(p.name) for p in history.iterdir())
    return sorted(int(m.group(1)) for m in found if m)


def latest_number(history: Path) -> int:
    """The newest revision number, or 0 when nothing is stored."""
    numbers = revision_numbers(history)
    return numbers[-1] if numbers else 0


def file_hash(data: bytes) -> str:
    """``sha256:<hex>`` of a file's bytes."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


class _Head(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    revision: int = Field(ge=1)
    file_hash: FileHash


def _head_bytes(number: int, digest: str) -> bytes:
    return (
        "# The newest stored revision and the SHA-256 of its file, updated with every revision.\n"
        "# Written by macip-gov: never edit.\n"
        f"revision: {number}\nfile_hash: {digest}\n"
    ).encode()


def _parse_head(data: bytes, name: str) -> _Head:
    try:
        text = data.decode("utf-8")
        return parse_model(_Head, text, name)
    except UnicodeDecodeError:
        raise VerificationError("not UTF-8 text", file=name) from None
    except InvalidInputError as exc:
        raise VerificationError(exc.message, file=name, location=exc.location) from None


class StoredRevision:
    """A verified revision: its file, the SHA-256 of the file, what it records and its document.

    The record (document included) is parsed when first asked for. One read that way
    is checked as it is parsed (:func:`_read_checked`); if it does not check, asking
    for it raises :class:`VerificationError` naming the file and field.
    """

    __slots__ = ("_check", "_data", "_record", "file_hash", "info", "name")

    def __init__(
        self,
        name: str,
        file_hash: str,
        info: RevisionInfo,
        *,
        record: Revision | None = None,
        data: bytes | None = None,
        check: Callable[[Revision], str | None] | None = None,
    ):
        if record is None and data is None:
            raise ValueError("a stored revision needs its record or its file's bytes")
        self.name = name
        self.file_hash = file_hash
        self.info = info
        self._record = record
        self._data = data
        self._check = check

    @property
    def record(self) -> Revision:
        """The revision with its document, parsed and checked on first use.

        Raises:
            VerificationError: The file does not parse, or does not check.
        """
        if self._record is None:
            assert self._data is not None
            record = _parse_revision(self._data, self.name)
            problem = self._check(record) if self._check is not None else None
            if problem is not None:
                raise VerificationError(problem, file=self.name)
            self._record, self._data = record, None
        return self._record

    def __repr__(self) -> str:
        return f"StoredRevision({self.name!r}, {self.file_hash!r})"


@dataclass(frozen=True)
class History:
    """A history as read from its store: the revisions that verify and, if any, the first problem.

    When ``problem`` is None every revision verified, the head names the last one and
    its hash, and ``revisions`` is the whole history; otherwise ``revisions`` holds the
    revisions before the one in doubt.
    """

    store: RevisionStore
    revisions: tuple[StoredRevision, ...]
    problem: VerificationError | None

    @property
    def ok(self) -> bool:
        """True when the whole history verifies."""
        return self.problem is None

    @property
    def latest(self) -> int:
        """The newest verified revision number (0: none)."""
        return self.revisions[-1].info.revision if self.revisions else 0

    @property
    def head_hash(self) -> str | None:
        """SHA-256 of the newest verified revision's file (None: nothing stored)."""
        return self.revisions[-1].file_hash if self.revisions else None

    def infos(self) -> list[RevisionInfo]:
        """The verified revisions' records, oldest first."""
        return [r.info for r in self.revisions]

    def get(self, number: int) -> Revision:
        """A verified revision by number.

        Raises:
            InvalidInputError: No such revision.
        """
        if 1 <= number <= len(self.revisions):
            return self.revisions[number - 1].record
        have = f"r{1}..r{self.latest}" if self.revisions else "none"
        raise InvalidInputError(f"no revision {number} (stored: {have})", file=self.store.revision_name(number))

    def records(self, signoff: SignOff) -> bool:
        """True when the revision ``signoff`` names records it.

        A verified chain only ever adds sign-offs, so revision n's are the first
        ``signoffs`` of the latest revision's (checked whenever either is read):
        only the latest revision's document is read here.
        """
        number = signoff.revision
        if number is None or not 1 <= number <= len(self.revisions):
            return False
        count = self.revisions[number - 1].info.signoffs
        return signoff in self.revisions[-1].record.document.signoffs[:count]

    def raise_problem(self) -> History:
        """This history, or its problem raised."""
        if self.problem is not None:
            raise self.problem
        return self


# -- where a history is kept ------------------------------------------------------

SERVER_SCHEMES = ("postgresql", "postgres")
"""URL schemes of a history kept on a database server (:mod:`macip_gov.pia.store_pg`)."""


def is_server_url(location: object) -> bool:
    """True when ``location`` is a ``postgresql://`` (or ``postgres://``) URL rather than a folder."""
    return isinstance(location, str) and location.partition("://")[0] in SERVER_SCHEMES and "://" in location


class RevisionStore(ABC):
    """Where a PIA's revisions, head and checkpoints are kept: a folder, or a PostgreSQL database.

    A store keeps bytes: each revision as its YAML file, the head as ``head.yaml`` and
    each checkpoint as its JSON file, the same bytes in every kind of store, so the
    chain, its checks and the checkpoints are the same whatever keeps them, and a
    history copied from one store to another keeps every hash. Items are named as
    files below :attr:`label` (``<folder>/r0003.yaml``, ``<url>#r0003.yaml``) in every
    store, so a problem is reported in the same words by each.
    """

    label: str
    """The folder, or the database's URL without its password."""

    separator = "/"
    """Between the label and an item's name: ``/`` in a folder, ``#`` after a URL."""

    def revision_name(self, number: int) -> str:
        """How revision ``number`` is named in messages."""
        return f"{self.label}{self.separator}r{number:04d}.yaml"

    def head_name(self) -> str:
        """How the head is named in messages."""
        return f"{self.label}{self.separator}{HEAD_FILE}"

    def checkpoint_name(self, number: int) -> str:
        """How checkpoint ``number`` is named in messages."""
        return f"{self.label}{self.separator}checkpoints/c{number:04d}.json"

    def checkpoints_name(self) -> str:
        """How the checkpoints, together, are named in messages."""
        return f"{self.label}{self.separator}checkpoints"

    @abstractmethod
    def snapshot(self) -> tuple[bytes | None, dict[int, bytes]]:
        """The head's bytes (None: no head) and every revision's bytes by number, read at one moment.

        Raises:
            InvalidInputError: The store cannot be read.
        """

    @abstractmethod
    def commit(self, number: int, data: bytes, *, base: tuple[int, str] | None, head: bytes) -> None:
        """Store revision ``number`` and make ``head`` the head, only if the head is still ``base``.

        ``base`` is ``(revision, file hash)`` the head recorded when the writer read the
        history (None: nothing was stored). Both are stored or neither.

        Raises:
            StaleRevisionError: The head moved, or revision ``number`` exists; nothing was written.
            InvalidInputError: The store cannot be written.
        """

    @abstractmethod
    def stored_checkpoints(self) -> dict[int, bytes]:
        """Every stored checkpoint's bytes by number.

        Raises:
            InvalidInputError: The store cannot be read.
        """

    @abstractmethod
    def add_checkpoint(self, number: int, data: bytes) -> None:
        """Store checkpoint ``number``, never replacing one.

        Raises:
            InvalidInputError: Checkpoint ``number`` exists (another was stored meanwhile), or
                the store cannot be written.
        """

    @abstractmethod
    def load(self, revisions: dict[int, bytes], head: bytes, checkpoints: dict[int, bytes]) -> None:
        """Fill an empty store with a whole history, as :func:`copy_history` does.

        Raises:
            InvalidInputError: The store is not empty, or cannot be written; nothing was stored.
        """

    def exists(self) -> bool:
        """True when anything is stored (a revision or a head)."""
        head, files = self.snapshot()
        return head is not None or bool(files)


class FileStore(RevisionStore):
    """A history folder: ``r0001.yaml``..., ``head.yaml`` and ``checkpoints/`` (see the module notes)."""

    def __init__(self, folder: Path | str):
        """A store in ``folder`` (created on the first write)."""
        self.folder = Path(folder)
        self.label = str(self.folder)

    def revision_name(self, number: int) -> str:
        """The revision's file."""
        return str(revision_path(self.folder, number))

    def head_name(self) -> str:
        """The head's file."""
        return str(self.folder / HEAD_FILE)

    def snapshot(self) -> tuple[bytes | None, dict[int, bytes]]:
        """Read under a shared lock, completing a commit a killed writer left half done."""
        try:
            return _read_snapshot(self.folder)
        except OSError as exc:
            raise InvalidInputError(f"cannot read the history: {exc.strerror or exc}", file=self.label) from None

    def exists(self) -> bool:
        """True when the folder holds revisions or a head."""
        return bool(revision_numbers(self.folder)) or (self.folder / HEAD_FILE).exists()

    def commit(self, number: int, data: bytes, *, base: tuple[int, str] | None, head: bytes) -> None:
        """Write the file aside, then under an exclusive lock replace the head (the commit point) and link it."""
        history = self.folder
        target = revision_path(history, number)
        stale = StaleRevisionError(
            f"revision {number} was stored by another writer meanwhile; nothing was written", file=str(target)
        )
        try:
            history.mkdir(mode=0o700, parents=True, exist_ok=True)
            tmp = temporary_file(target, data, mode=STORE_MODE)
        except OSError as exc:
            raise InvalidInputError(f"cannot write the revision: {exc.strerror or exc}", file=str(target)) from None
        try:
            if _before_commit is not None:
                _before_commit(tmp, target)
            with _locked(history, exclusive=True):
                if _read_head_locked(history) != base or target.exists():
                    raise stale
                head_path = history / HEAD_FILE
                try:
                    _write(head_path, head)
                except OSError as exc:
                    raise InvalidInputError(
                        f"cannot write the head: {exc.strerror or exc}", file=str(head_path)
                    ) from None
                if _before_link is not None:
                    _before_link(tmp, target)
                try:
                    os.link(tmp, target)
                except OSError as exc:
                    # Put the head back: nothing was stored.
                    if base is not None:
                        _write(head_path, _head_bytes(*base))
                    else:
                        head_path.unlink(missing_ok=True)
                    if isinstance(exc, FileExistsError):
                        raise stale from None
                    raise InvalidInputError(
                        f"cannot write the revision: {exc.strerror or exc}", file=str(target)
                    ) from None
                fsync_directory(history)
        finally:
            tmp.unlink(missing_ok=True)

    def stored_checkpoints(self) -> dict[int, bytes]:
        """The files ``checkpoints/c0001.json``... by number."""
        folder = self.folder / "checkpoints"
        if not folder.is_dir():
            return {}
        found: dict[int, bytes] = {}
        for p in folder.iterdir():
            m = _CHECKPOINT_FILE.match(p.name)
            if m:
                try:
                    found[int(m.group(1))] = p.read_bytes()
                except OSError as exc:
                    raise InvalidInputError(f"cannot read: {exc.strerror or exc}", file=str(p)) from None
        return found

    def load(self, revisions: dict[int, bytes], head: bytes, checkpoints: dict[int, bytes]) -> None:
        """Write every file into an empty (or new) folder, the head last: a copy cut short has no head."""
        folder = self.folder
        try:
            if folder.exists() and any(folder.iterdir()):
                raise InvalidInputError(
                    "not empty: a history is copied only into a store holding none; nothing was written",
                    file=self.label,
                )
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            for number, data in sorted(revisions.items()):
                atomic_write(revision_path(folder, number), data, policy=STORE, error=None)
            if checkpoints:
                (folder / "checkpoints").mkdir(mode=0o700)
                for number, data in sorted(checkpoints.items()):
                    atomic_write(Path(self.checkpoint_name(number)), data, policy=STORE, error=None)
            atomic_write(folder / HEAD_FILE, head, policy=STORE, error=None)
        except OSError as exc:
            raise InvalidInputError(f"cannot write the copy: {exc.strerror or exc}", file=self.label) from None

    def add_checkpoint(self, number: int, data: bytes) -> None:
        """Create the file exclusively, flushed to disk."""
        path = Path(self.checkpoint_name(number))
        try:
            path.parent.mkdir(mode=0o700, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            fsync_directory(path.parent)
        except FileExistsError:
            raise InvalidInputError(
                "another checkpoint was stored meanwhile; nothing was written", file=str(path)
            ) from None
        except OSError as exc:
            raise InvalidInputError(f"cannot write the checkpoint: {exc.strerror or exc}", file=str(path)) from None


def open_store(location: Path | str | RevisionStore) -> RevisionStore:
    """The store a history location names: a folder, or a ``postgresql://`` URL.

    Args:
        location: A history folder, a libpq URL ``postgresql://USER@HOST/DB`` (the password
            preferably from ``PGPASSWORD`` or ``~/.pgpass``), or a store already open.

    Raises:
        InvalidInputError: Another kind of URL.
    """
    if isinstance(location, RevisionStore):
        return location
    if is_server_url(location):
        from .store_pg import PostgresStore

        return PostgresStore(str(location))
    text = str(location)
    if "://" in text:
        scheme = text.partition("://")[0]
        raise InvalidInputError(
            f"{scheme}:// is not a kind of PIA history: use a folder or postgresql://USER@HOST/DB", file=text
        )
    return FileStore(Path(location))


def _read_snapshot(history: Path) -> tuple[bytes | None, dict[int, bytes]]:
    """The head's bytes and every revision file's bytes, read under a shared lock.

    A revision the head names whose file is missing but whose complete temporary
    file is there (a writer killed between the two steps of its commit) is linked
    into place, or read from the temporary file where the directory is read-only.
    """
    head_path = history / HEAD_FILE
    with _locked(history, exclusive=False):
        try:
            head = head_path.read_bytes()
        except FileNotFoundError:
            head = None
        files: dict[int, bytes] = {}
        for n in revision_numbers(history):
            files[n] = revision_path(history, n).read_bytes()
        if head is not None:
            _complete_interrupted(history, head, files)
    return head, files


def _complete_interrupted(history: Path, head: bytes, files: dict[int, bytes]) -> None:
    try:
        named = _parse_head(head, str(history / HEAD_FILE))
    except VerificationError:
        return  # reported by the checks
    target = revision_path(history, named.revision)
    if named.revision in files or named.revision != max(files, default=0) + 1:
        return
    for tmp in sorted(history.glob(f".{target.name}.*.tmp")):
        data = tmp.read_bytes()
        if file_hash(data) != named.file_hash:
            continue
        files[named.revision] = data
        try:
            os.link(tmp, target)
            tmp.unlink()
        except OSError:
            pass  # read-only, or linked meanwhile: the bytes are the same either way
        return


def _parse_revision(data: bytes, name: str) -> Revision:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise VerificationError(f"not UTF-8 text (byte {exc.start})", file=name) from None
    try:
        record = parse_document(text, name)
    except InvalidInputError as exc:
        raise VerificationError(exc.message, file=name, location=exc.location) from None
    if not isinstance(record, dict):
        raise VerificationError("a revision must be a mapping at the top level", file=name, location="1")
    if "previous_hash" not in record:
        raise VerificationError(
            "previous_hash: missing: this history was stored before revisions were chained; "
            "chain it once with `macip-gov pia migrate`",
            file=name,
        )
    try:
        return validate_model(Revision, record, name, text=text)
    except InvalidInputError as exc:
        raise VerificationError(exc.message, file=name, location=exc.location) from None


def _record_problem(record: Revision, number: int, before: Revision | None) -> str | None:
    """What is wrong with revision ``number`` on its own and against the one before it."""
    problem = _own_problem(record, number)
    if problem is not None:
        return problem
    earlier = before.document.signoffs if before is not None else []
    now = record.document.signoffs
    for s in earlier:
        if s not in now:
            return f"document.signoffs: the sign-off by {s.by} stored in revision {s.revision} is missing"
    added = [s for s in now if s not in earlier]
    if len(now) != len(earlier) + len(added) or len(added) > 1:
        return "document.signoffs: more than one sign-off added in one revision"
    if added:
        return _added_problem(added[0], record, number)
    return None


def _added_problem(s: SignOff, record: RevisionInfo, number: int) -> str | None:
    """What is wrong with sign-off ``s`` as the one revision ``number`` adds."""
    if s.revision != number:
        return f"document.signoffs: the sign-off by {s.by} names revision {s.revision}, but revision {number} adds it"
    if s.content_hash != record.content_hash:
        return (
            f"document.signoffs: the sign-off by {s.by} approves {s.content_hash}, "
            f"but revision {number} holds {record.content_hash}"
        )
    return None


def _own_problem(record: Revision, number: int) -> str | None:
    """What is wrong with revision ``number`` on its own: number, parent, content hash, sign-off count."""
    if record.revision != number:
        return f"revision: the file holds revision {record.revision}, not {number}"
    if record.parent != (number - 1 or None):
        return f"parent: is {record.parent}, but revision {number} follows revision {number - 1 or None}"
    actual = record.document.content_hash()
    if actual != record.content_hash:
        return (
            f"content_hash: revision {number} has been altered: content hash is {actual}, "
            f"recorded {record.content_hash}"
        )
    if record.signoffs != len(record.document.signoffs):
        return f"signoffs: records {record.signoffs}, but the document carries {len(record.document.signoffs)}"
    return None


_DOCUMENT_LINE = re.compile(rb"^document:[ \t]*\r?$", re.M)
_TOP_LEVEL_LINE = re.compile(rb"^[^ \t\r\n#]", re.M)


def _read_info(data: bytes, name: str) -> RevisionInfo | None:
    """A revision file's record, read from the lines before ``document:`` (None when it cannot be read so).

    A revision file is a mapping whose last key is ``document``, on a line of its own
    with every line after it indented (or blank, or a comment). Then the lines before
    it are the other keys of that mapping: nothing at the start of a line can be
    inside an indented document, and the lines before it parse whole on their own
    (a quoted or flow value cut short would not). Any other layout, or fields that
    do not parse or validate, give None: the file is then parsed in full instead.
    """
    found = _DOCUMENT_LINE.search(data)
    if found is None or _TOP_LEVEL_LINE.search(data, found.end()) is not None:
        return None
    try:
        fields = parse_document(data[: found.start()].decode("utf-8"), name)
        return RevisionInfo.model_validate(fields)
    except (UnicodeDecodeError, InvalidInputError, ValidationError):
        return None


def _check_chain(store: RevisionStore, head_data: bytes | None, files: dict[int, bytes]) -> History | None:
    """Verify the chain over the files' bytes and records, reading only the latest document.

    Every revision: numbered from 1 without a gap, holding its own number and its
    parent, at most one sign-off more than the one before, and ``previous_hash`` the
    SHA-256 of the file before it; the head names the last revision and its SHA-256.
    The latest revision is parsed and checked on its own (its number, parent, content
    hash and sign-off count) and so are its sign-offs: the i-th names the revision
    whose record first counts i sign-offs and approves that revision's content hash.
    Any other revision is parsed when read and checked the same way on its own, with
    its sign-offs the first ones of the latest revision's. Together these are the
    checks :func:`_check_every_revision` makes, for every revision read.

    Returns:
        The verified history, or None when anything does not verify here (the full
        check then finds and names the problem).
    """
    if head_data is None:
        return History(store, (), None) if not files else None
    try:
        head = _parse_head(head_data, store.head_name())
    except VerificationError:
        return None
    infos: list[RevisionInfo] = []
    hashes: list[str] = []
    for index, number in enumerate(sorted(files), start=1):
        info = _read_info(files[number], store.revision_name(number))
        if (
            number != index
            or info is None
            or info.revision != number
            or info.parent != (number - 1 or None)
            or info.previous_hash != (hashes[-1] if hashes else None)
            or info.signoffs - (infos[-1].signoffs if infos else 0) not in (0, 1)
        ):
            return None
        infos.append(info)
        hashes.append(file_hash(files[number]))
    if not infos or head.revision != len(infos) or head.file_hash != hashes[-1]:
        return None
    # The revision that added the i-th sign-off is the first whose record counts i.
    added_by = [info for n, info in enumerate(infos) if info.signoffs > (infos[n - 1].signoffs if n else 0)]
    latest_name = store.revision_name(len(infos))
    try:
        latest = _parse_revision(files[len(infos)], latest_name)
    except VerificationError:
        return None
    signoffs = latest.document.signoffs
    if _read_checked(latest, infos[-1], None) is not None or len(signoffs) != len(added_by):
        return None
    if any(_added_problem(s, added, added.revision) for s, added in zip(signoffs, added_by, strict=True)):
        return None
    revisions = [
        StoredRevision(
            store.revision_name(n),
            hashes[n - 1],
            infos[n - 1],
            data=files[n],
            check=partial(_read_checked, info=infos[n - 1], latest=latest),
        )
        for n in range(1, len(infos))
    ]
    revisions.append(StoredRevision(latest_name, hashes[-1], infos[-1], record=latest))
    return History(store, tuple(revisions), None)


def _read_checked(record: Revision, info: RevisionInfo, latest: Revision | None) -> str | None:
    """What is wrong with a revision read in full after its chain verified (None: nothing).

    Its fields must be the ones the chain was verified with, it must check on its own
    (number, parent, content hash, sign-off count) and, beside ``latest``, its
    sign-offs must be the first ones of the latest revision's: sign-offs are only
    ever added.
    """
    if RevisionInfo.model_validate(record.model_dump(exclude={"document"})) != info:
        return "revision: the file's fields read differently in full than in its record (edited by hand?)"
    problem = _own_problem(record, info.revision)
    if problem is not None or latest is None:
        return problem
    expected = latest.document.signoffs[: info.signoffs]
    if record.document.signoffs != expected:
        return (
            f"document.signoffs: revision {info.revision}'s sign-offs are not the first {info.signoffs} of "
            f"revision {latest.revision}'s (sign-offs are only ever added)"
        )
    return None


def check_history(history: Path | str | RevisionStore, *, full: bool = False) -> History:
    """Read a history directory and verify its chain, stopping at the first problem.

    Checks, in order: every revision file from ``r0001.yaml`` is there and parses;
    each holds its own number and its parent; its content hash matches its document;
    sign-offs are only ever added, one per revision, each naming that revision and
    approving its content; each file's SHA-256 is what the next revision records as
    ``previous_hash`` (the last one's, what ``head.yaml`` records); the head names
    the last revision.

    The chain covers every byte of every revision, so once it verifies, a document
    no command reads need not be parsed to know it is the one stored. Every file is
    hashed and its record (the fields before ``document``) read and checked; the
    latest revision is parsed and checked in full, its sign-offs against the
    records; any other revision is parsed and checked when it is read (see
    :func:`_check_chain`). When anything there is in doubt, every revision is
    parsed and checked in full as above, so a problem is named exactly as that
    finds it; ``full`` does that from the start (an audit of every document).

    Args:
        history: The history folder, a ``postgresql://`` URL, or a store (:func:`open_store`).
        full: Parse and check every revision's document.

    Raises:
        InvalidInputError: The store cannot be read (permissions, a server not reachable).
    """
    store = open_store(history)
    head_data, files = store.snapshot()
    chain = None if full else _check_chain(store, head_data, files)
    return chain if chain is not None else _check_every_revision(store, head_data, files)


def _check_every_revision(store: RevisionStore, head_data: bytes | None, files: dict[int, bytes]) -> History:
    """Verify by parsing and checking every revision in full, stopping at the first problem (see check_history)."""
    verified: list[StoredRevision] = []

    def failed(message: str, name: str, *, keep: int | None = None, location: str | None = None) -> History:
        kept = tuple(verified if keep is None else verified[:keep])
        return History(store, kept, VerificationError(message, file=name, location=location))

    before: StoredRevision | None = None
    for index, number in enumerate(sorted(files), start=1):
        name = store.revision_name(number)
        if number != index:
            gap = f"revision {index}" if number == index + 1 else f"revisions {index}-{number - 1}"
            return failed(
                f"missing: {gap} removed (the history jumps from revision {index - 1} to revision {number})",
                store.revision_name(index),
            )
        data = files[number]
        try:
            record = _parse_revision(data, name)
        except VerificationError as exc:
            return History(store, tuple(verified), exc)
        problem = _record_problem(record, number, before.record if before else None)
        if problem is not None:
            return failed(problem, name)
        previous = before.file_hash if before else None
        if record.previous_hash != previous:
            if before is None:
                return failed(f"previous_hash: is {record.previous_hash}, but the first revision has none", name)
            short = f"r{number:04d}.yaml"
            return failed(
                f"changed since {short} was stored: its hash is {before.file_hash}, "
                f"{short} records {record.previous_hash} (edited or replaced)",
                before.name,
                keep=len(verified) - 1,
            )
        info = RevisionInfo.model_validate(record.model_dump(exclude={"document"}))
        before = StoredRevision(name, file_hash(data), info, record=record)
        verified.append(before)
    head_name = store.head_name()
    if head_data is None:
        if verified:
            return failed("missing: the history has revisions but no head (removed?)", head_name)
        return History(store, (), None)
    try:
        head = _parse_head(head_data, head_name)
    except VerificationError as exc:
        return History(store, tuple(verified), exc)
    last = before
    if last is None:
        return failed(f"records revision {head.revision}, but no revision is stored (removed)", head_name)
    number = last.info.revision
    if head.revision > number:
        return failed(
            f"missing: {HEAD_FILE} records revision {head.revision} as the latest, but the history ends at "
            f"revision {number} (revisions removed from the end)",
            store.revision_name(number + 1),
        )
    if head.revision < number:
        return failed(
            f"not recorded in {HEAD_FILE}, which records revision {head.revision} as the latest "
            "(added by hand, or the head was edited)",
            store.revision_name(head.revision + 1),
            keep=head.revision,
        )
    if head.file_hash != last.file_hash:
        return failed(
            f"changed since it was stored: its hash is {last.file_hash}, {HEAD_FILE} records {head.file_hash} "
            "(edited or replaced)",
            last.name,
            keep=len(verified) - 1,
        )
    return History(store, tuple(verified), None)


def verify_history(history: Path | str | RevisionStore) -> History:
    """The history, verified (see :func:`check_history`).

    Raises:
        VerificationError: The chain breaks (exit 1), naming the file and field.
        InvalidInputError: A file cannot be read.
    """
    return check_history(history).raise_problem()


def has_history(history: Path | str | RevisionStore) -> bool:
    """True when ``history`` holds revisions or a head."""
    return open_store(history).exists()


def copy_history(source: Path | str | RevisionStore, target: Path | str | RevisionStore) -> History:
    """Copy a history, byte for byte, into an empty store (a folder or PostgreSQL) and verify the copy.

    The source is read at one moment and verified in full (every document), with its
    checkpoints; the target receives every revision, the head and every checkpoint in
    one transaction (a folder: the head written last), so a copy is complete or absent.
    The copy is then read back and must verify to the same head, with the same
    checkpoints. Typical use: moving a team's history from a folder to PostgreSQL
    (``macip-gov pia migrate --to postgresql://...``), or a PostgreSQL history to a folder
    as a backup.

    Returns:
        The copy, verified.

    Raises:
        VerificationError: The source, its checkpoints or the copy do not verify (exit 1).
        InvalidInputError: Nothing to copy, the target is not empty, or a store cannot be used.
    """
    from .checkpoints import checkpoints_problem, stored_checkpoints

    src, dst = open_store(source), open_store(target)
    head, files = src.snapshot()
    chain = _check_every_revision(src, head, files).raise_problem()
    if head is None or not files:
        raise InvalidInputError("nothing to copy: no revision is stored", file=src.label)
    signed = stored_checkpoints(src)
    problem = checkpoints_problem(chain, signed, [], [])
    if problem is not None:
        raise problem
    raw = src.stored_checkpoints()
    dst.load(files, head, raw)
    copy = check_history(dst, full=True)
    if copy.problem is not None:
        raise copy.problem
    if copy.head_hash != chain.head_hash or copy.latest != chain.latest or stored_checkpoints(dst) != signed:
        raise VerificationError(
            f"the copy does not read back as the history copied (head r{copy.latest} {copy.head_hash})",
            file=dst.label,
        )
    return copy


def unrecorded_signoffs(pia: Pia, history: History) -> list[SignOff]:
    """The sign-offs ``pia`` carries that no revision in ``history`` records."""
    return [s for s in pia.signoffs if not history.records(s)]


def signoff_problem(pia: Pia, history: History, file: str | None = None) -> VerificationError | None:
    """The first sign-off in ``pia`` that the history does not record, as an error."""
    missing = unrecorded_signoffs(pia, history)
    if not missing:
        return None
    s = missing[0]
    where = f"revision {s.revision}" if s.revision is not None else "no revision"
    return VerificationError(
        f"signoffs: the sign-off by {s.by} ({s.role}) at {s.at.isoformat()} names {where}, but no stored "
        f"revision records it (written by hand, or from another history): sign off with `macip-gov pia sign-off`",
        file=file,
    )


def latest_revision(history: Path | str | RevisionStore) -> Revision | None:
    """The newest stored revision of a history that verifies (None: nothing stored).

    Raises:
        VerificationError: The history does not verify (exit 1).
        InvalidInputError: The store cannot be read.
    """
    chain = verify_history(history)
    return chain.get(chain.latest) if chain.latest else None


def load_revision(history: Path | str | RevisionStore, number: int) -> Revision:
    """Read one stored revision from a history whose whole chain verifies.

    Raises:
        VerificationError: The history does not verify (exit 1).
        InvalidInputError: No such revision.
    """
    chain = verify_history(history)
    if not chain.revisions:
        raise InvalidInputError(f"no revision {number} (stored: none)", file=chain.store.revision_name(number))
    return chain.get(number)


def list_revisions(history: Path | str | RevisionStore) -> list[RevisionInfo]:
    """Every stored revision's record (without documents), oldest first, once the chain verifies.

    Raises:
        VerificationError: The history does not verify.
    """
    return verify_history(history).infos()


def _serialise(revision: Revision) -> bytes:
    import yaml

    record = revision.model_dump(mode="json")
    record["document"] = revision.document.model_dump(mode="json", exclude={"based_on_revision"})
    header = (
        f"# Stored revision {revision.revision} of {revision.document.id}. Immutable: never edit;\n"
        "# store a new revision with `macip-gov pia revise` instead.\n"
    )
    body = str(yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=100))
    return (header + body).encode("utf-8")


def _same_document(a: Pia, b: Pia) -> bool:
    return a.model_dump(mode="json", exclude={"based_on_revision"}) == b.model_dump(
        mode="json", exclude={"based_on_revision"}
    )


def _with_base(text: str, number: int) -> str:
    """The working text with ``based_on_revision`` set, keeping comments and layout."""
    line = f"based_on_revision: {number}"
    if _BASE_LINE.search(text):
        return _BASE_LINE.sub(line, text, count=1)
    return text + ("" if text.endswith("\n") else "\n") + line + "\n"


def _with_signoff(text: str, signoff: SignOff) -> str:
    """The working text with one more entry in ``signoffs``, keeping comments and layout."""
    import yaml

    item = yaml.safe_dump([signoff.model_dump(mode="json")], sort_keys=False, allow_unicode=True)
    item = "".join("  " + ln for ln in item.splitlines(keepends=True))
    match = _SIGNOFFS_LINE.search(text)
    if match is None:
        return text + ("" if text.endswith("\n") else "\n") + "signoffs:\n" + item
    if match.group(1):  # `signoffs: []`
        return text[: match.start()] + "signoffs:\n" + item.rstrip("\n") + text[match.end() :]
    # Insert after the last line of the existing block (before the next top-level key).
    rest = text[match.end() :]
    next_key = re.search(r"^(?![ \t#-]|$)", rest[1:], re.M)
    cut = match.end() + (next_key.start() + 1 if next_key else len(rest))
    head = text[:cut]
    if not head.endswith("\n"):
        head += "\n"
    return head + item + text[cut:]


def _check_base(working: Pia, latest: int) -> None:
    if working.based_on_revision != latest:
        raise StaleRevisionError(
            f"the working copy is based on revision {working.based_on_revision}, but revision {latest} "
            "is the latest; bring in its changes and set based_on_revision to "
            f"{latest} before storing"
        )


def _check_signoffs(paths: PiaPaths, working: Pia, chain: History) -> None:
    """Sign-offs are added only by :func:`sign_off`: the working copy carries exactly the latest revision's."""
    stored = chain.get(chain.latest).document.signoffs if chain.latest else []
    if working.signoffs != stored:
        where = f"revision {chain.latest}'s" if chain.latest else "none (nothing is stored yet)"
        raise InvalidInputError(
            f"signoffs: the working copy's sign-offs differ from {where}; sign-offs are added only by "
            "`macip-gov pia sign-off` and never edited or removed: restore them before storing",
            file=str(paths.working),
        )


def _rewrite_working(paths: PiaPaths, text: str, expect: Pia) -> None:
    """Replace the working file with ``text`` after checking it parses to ``expect``."""
    name = str(paths.working)
    if parse_pia(text, name) != expect:  # pragma: no cover - guards the text edits above
        raise InvalidInputError("could not update the working file without changing its content", file=name)
    _write(paths.working, text.encode("utf-8"))


def _read_head_locked(history: Path) -> tuple[int, str] | None:
    path = history / HEAD_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    head = _parse_head(data, str(path))
    return head.revision, head.file_hash


def _store(document: Pia, *, chain: History, author: str, message: str, now: datetime) -> RevisionInfo:
    # The number follows the base the caller verified, never a fresh look at the
    # history: a writer that finds the head moved was stale and is refused.
    base = chain.latest
    number = base + 1
    revision = Revision(
        revision=number,
        parent=base or None,
        content_hash=document.content_hash(),
        author=author,
        created_at=now,
        message=message,
        signoffs=len(document.signoffs),
        previous_hash=chain.head_hash,
        document=document.model_copy(update={"based_on_revision": 0}),
    )
    data = _serialise(revision)
    base_head = (base, str(chain.head_hash)) if base else None
    chain.store.commit(number, data, base=base_head, head=_head_bytes(number, file_hash(data)))
    return RevisionInfo.model_validate(revision.model_dump(exclude={"document"}))


def _sync(paths: PiaPaths, chain: History) -> tuple[str, Pia, int, RevisionInfo | None]:
    """Read the working copy and reconcile it with the latest revision.

    Returns ``(text, working, latest, stored)`` where ``stored`` is the latest
    revision's record when the working copy is already stored in it. A working
    copy left behind by a process stopped between storing a revision and
    rewriting the working file (same document but an old base, or missing the
    sign-off just stored) is brought up to date here.
    """
    text = read_text(paths.working)
    working = parse_pia(text, str(paths.working))
    latest = chain.latest
    if not latest:
        return text, working, 0, None
    newest = chain.get(latest)
    info = chain.revisions[-1].info
    if _same_document(newest.document, working):
        if working.based_on_revision != latest:
            text = _with_base(text, latest)
            working = working.model_copy(update={"based_on_revision": latest})
            _rewrite_working(paths, text, working)
        return text, working, latest, info
    signoffs = newest.document.signoffs
    unsigned = newest.document.model_copy(update={"signoffs": signoffs[:-1]})
    if signoffs and working.based_on_revision == latest - 1 and _same_document(unsigned, working):
        text = _with_base(_with_signoff(text, signoffs[-1]), latest)
        working = working.model_copy(update={"signoffs": list(signoffs), "based_on_revision": latest})
        _rewrite_working(paths, text, working)
        return text, working, latest, info
    return text, working, latest, None


def _now(now: datetime | None) -> datetime:
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("timestamps must carry a time zone")
    return moment.astimezone(UTC).replace(microsecond=0)


def revise(
    path: Path | str,
    *,
    author: str,
    message: str,
    history: Path | str | None = None,
    now: datetime | None = None,
) -> RevisionResult:
    """Store the working copy as the next immutable revision.

    Args:
        path: PIA directory or working file.
        author: Who is storing it.
        message: What changed and why.
        history: History directory (default ``history/`` beside the working file).
        now: The time to record (default: now, UTC).

    Returns:
        The new revision, or the latest one when the working copy was already stored.

    Raises:
        InvalidInputError: The working copy does not parse or validate, or its
            sign-offs differ from the latest revision's.
        StaleRevisionError: The working copy is based on an older revision, or another
            writer stored the same revision number first. Nothing is written.
        VerificationError: The history does not verify; nothing is written.
    """
    if not message.strip():
        raise InvalidInputError("a revision needs a message saying what changed")
    paths = resolve(path, history)
    chain = verify_history(paths.history)
    text, working, latest, stored = _sync(paths, chain)
    if stored is not None:
        return RevisionResult(created=False, revision=stored, path=chain.store.revision_name(latest))
    _check_base(working, latest)
    _check_signoffs(paths, working, chain)
    info = _store(working, chain=chain, author=author, message=message.strip(), now=_now(now))
    _rewrite_working(
        paths, _with_base(text, info.revision), working.model_copy(update={"based_on_revision": info.revision})
    )
    return RevisionResult(created=True, revision=info, path=chain.store.revision_name(info.revision))


def sign_off(
    path: Path | str,
    *,
    by: str,
    role: str,
    history: Path | str | None = None,
    now: datetime | None = None,
) -> tuple[SignOff, RevisionInfo]:
    """Approve the working copy: record who, when and the content hash, as a new revision.

    The working copy must be up to date with the latest revision (its edits, if
    any, are stored in the same revision as the sign-off).

    Returns:
        The sign-off and the revision that records it.

    Raises:
        InvalidInputError: The working copy does not validate, its sign-offs differ
            from the latest revision's, or ``by``/``role`` is empty.
        StaleRevisionError: The working copy is based on an older revision.
        VerificationError: The history does not verify; nothing is written.
    """
    if not by.strip() or not role.strip():
        raise InvalidInputError("a sign-off needs a name (--by) and a role (--role)")
    paths = resolve(path, history)
    chain = verify_history(paths.history)
    text, working, latest, stored = _sync(paths, chain)
    last = working.latest_signoff
    if (
        stored is not None
        and last is not None
        and (last.by, last.role, last.content_hash) == (by.strip(), role.strip(), working.content_hash())
    ):
        return last, stored  # this sign-off is already recorded
    _check_base(working, latest)
    _check_signoffs(paths, working, chain)
    moment = _now(now)
    record = SignOff(
        by=by.strip(), role=role.strip(), at=moment, content_hash=working.content_hash(), revision=latest + 1
    )
    signed = working.model_copy(update={"signoffs": [*working.signoffs, record]})
    signed = Pia.model_validate(signed.model_dump(mode="json"))
    new_text = _with_signoff(text, record)
    # The revision is stored first; if the process dies before the working file is
    # rewritten, the next command finds the sign-off in the latest revision and
    # brings the working file up to date (_sync).
    message = f"Signed off by {by.strip()} ({role.strip()})"
    info = _store(signed, chain=chain, author=by.strip(), message=message, now=moment)
    _rewrite_working(
        paths, _with_base(new_text, info.revision), signed.model_copy(update={"based_on_revision": info.revision})
    )
    return record, info


def checkout(path: Path | str, *, history: Path | str | None = None) -> RevisionResult:
    """Make the working copy the latest stored revision (a team member's first copy, or after others revised).

    A working copy with edits that are not stored (it differs from the revision it is
    based on) is never replaced: store them, or move the file away, first.

    Args:
        path: PIA directory (it may hold no working file yet) or working file.
        history: The history folder or ``postgresql://`` URL (default ``history/`` beside the PIA).

    Returns:
        The latest revision, ``created`` true when the working file was written.

    Raises:
        InvalidInputError: Nothing is stored, or the working copy holds edits not stored.
        VerificationError: The history does not verify; nothing is written.
    """
    p = Path(path)
    if p.is_dir() and not any(c.suffix in (".yaml", ".yml") and c.is_file() for c in p.iterdir()):
        where: Path | str = p / HISTORY_DIR
        if history is not None:
            where = str(history) if is_server_url(str(history)) else Path(history)
        paths = PiaPaths(working=p / "macip.yaml", history=where)
        exists = False
    else:
        paths = resolve(p, history)
        exists = paths.working.exists()
    chain = verify_history(paths.history)
    if not chain.latest:
        raise InvalidInputError("nothing to check out: no revision is stored", file=str(paths.history))
    latest = chain.get(chain.latest)
    info = chain.revisions[-1].info
    name = chain.store.revision_name(chain.latest)
    if exists:
        working = parse_pia(read_text(paths.working), str(paths.working))
        if working.based_on_revision == chain.latest and _same_document(working, latest.document):
            return RevisionResult(created=False, revision=info, path=name)
        base = working.based_on_revision
        if not (1 <= base <= chain.latest and _same_document(working, chain.get(base).document)):
            raise InvalidInputError(
                f"the working copy has edits not stored (based on revision {base}): store them with "
                "`macip-gov pia revise`, or move the file away, before checking out the latest revision",
                file=str(paths.working),
            )
    try:
        _write(paths.working, restore_text(latest).encode("utf-8"))
    except OSError as exc:
        raise InvalidInputError(f"cannot write: {exc.strerror or exc}", file=str(paths.working)) from None
    return RevisionResult(created=True, revision=info, path=name)


def migrate_history(history: Path | str) -> History:
    """Chain a history stored before revisions were chained, once.

    Each revision file gets ``previous_hash`` (the SHA-256 of the file before it, as
    rewritten) and ``head.yaml`` is written; numbers, metadata and documents stay as
    they were. Every revision is checked first (numbering, parents, content hashes,
    sign-offs), and nothing is written unless all pass.

    Returns:
        The history, verified. A history that is already chained and verifies is
        returned unchanged.

    Raises:
        InvalidInputError: Nothing to migrate, a revision does not check, or the
            history is partly chained.
        VerificationError: The history is already chained but does not verify.
    """
    if is_server_url(str(history)):
        return verify_history(str(history))  # a server store is chained from its first revision
    history = Path(history)
    if (history / HEAD_FILE).exists():
        return verify_history(history)
    numbers = revision_numbers(history)
    if not numbers:
        raise InvalidInputError("no revisions to chain", file=str(history))
    records: list[Revision] = []
    with _locked(history, exclusive=True):
        for index, number in enumerate(numbers, start=1):
            path = revision_path(history, number)
            if number != index:
                raise InvalidInputError(f"revision {index} is missing", file=str(revision_path(history, index)))
            text = read_text(path)
            data = parse_document(text, str(path))
            if not isinstance(data, dict):
                raise InvalidInputError("a revision must be a mapping at the top level", file=str(path))
            if "previous_hash" in data:
                raise InvalidInputError(
                    "already chained, but the history has no head.yaml (removed?): not migrating", file=str(path)
                )
            record = validate_model(Revision, {**data, "previous_hash": None}, str(path), text=text)
            problem = _record_problem(record, number, records[-1] if records else None)
            if problem is not None:
                raise InvalidInputError(problem, file=str(path))
            records.append(record)
        previous: str | None = None
        for record in records:
            chained = record.model_copy(update={"previous_hash": previous})
            data_bytes = _serialise(chained)
            path = revision_path(history, record.revision)
            if _parse_revision(data_bytes, str(path)) != chained:  # pragma: no cover - a serialiser bug
                raise InvalidInputError("the chained revision does not read back the same", file=str(path))
            _write(path, data_bytes)
            previous = file_hash(data_bytes)
        _write(history / HEAD_FILE, _head_bytes(len(records), str(previous)))
    return verify_history(history)


def restore_text(revision: Revision) -> str:
    """The YAML text of a stored revision, as a working file based on it."""
    import yaml

    data: dict[str, Any] = revision.document.model_dump(mode="json")
    data["based_on_revision"] = revision.revision
    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
