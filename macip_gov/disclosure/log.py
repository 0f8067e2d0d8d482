"""The decision log: every disclosure decision appended to a database, each row chained to the last.

A log is opened by URL with :func:`open_log`: ``sqlite:///PATH`` or a plain path for
SQLite (the default, one file), ``postgresql://...`` for a PostgreSQL server shared by
an office (:mod:`macip_gov.disclosure.log_pg`). The chain, its checks and the signed
checkpoints are the same on both (:mod:`macip_gov.disclosure._chain`); this module is
the SQLite store.

Each row stores the request, the decision, the policy revision, when and by whom, and
``hash = SHA-256(previous row's hash + this row's canonical JSON)``. The canonical JSON
covers the row's sequence number, so editing, deleting or reordering rows breaks the
chain at the first row touched, which :meth:`DecisionLog.verify` names. A row whose
columns do not hold what a row holds (NULLs, numbers where text belongs, JSON that is
not an object, hashes that are not SHA-256 hex) fails verification the same way. The
table ``chain_head`` records the last row and ``log_meta`` the number of rows appended
(``head_seq``), both in the same transaction as the rows, so rows cut from the end, or
every row deleted, are caught too; triggers refuse to delete either record or move it
back, so a naive ``DELETE`` cannot take the head with the rows. A hash noted elsewhere
(an anchor), or better a checkpoint signed with a key kept outside the log, guards
against a log rewritten wholesale, triggers included.

Appends run in ``BEGIN IMMEDIATE`` transactions that read the last hash inside the
transaction, so concurrent writers (other processes) queue rather than fork the chain,
and refuse to extend a log whose last row is not the one its head records. The
database is in WAL mode, so readers never block the writer.

A new log is created ``0600`` (less the umask) before SQLite opens it, so its ``-wal``
and ``-shm`` files, which SQLite creates with the database's mode, are no wider; a new
directory for it is created ``0700``. An existing file keeps its mode.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from ..errors import InvalidInputError
from ._chain import (
    GENESIS,
    SCHEMA_VERSION,
    ChainedLog,
    Checkpoint,
    CheckpointBody,
    LogRecord,
    LogVerificationError,
    VerifyReport,
    chain_hash,
    row_json,
    utc_now,
)
from .entry import LogEntry

_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    seq INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    user TEXT NOT NULL,
    request_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    policy_revision TEXT NOT NULL,
    request TEXT NOT NULL,
    decision TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_request_id ON decisions (request_id);
CREATE TABLE IF NOT EXISTS chain_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS log_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoints (number INTEGER PRIMARY KEY, body TEXT NOT NULL, signature TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS chain_head_kept BEFORE DELETE ON chain_head
BEGIN SELECT RAISE(ABORT, 'the decision log head is never deleted'); END;
CREATE TRIGGER IF NOT EXISTS chain_head_forward BEFORE UPDATE ON chain_head WHEN NEW.seq < OLD.seq
BEGIN SELECT RAISE(ABORT, 'the decision log head only moves forward'); END;
CREATE TRIGGER IF NOT EXISTS head_seq_kept BEFORE DELETE ON log_meta WHEN OLD.key = 'head_seq'
BEGIN SELECT RAISE(ABORT, 'the decision log row count is never deleted'); END;
CREATE TRIGGER IF NOT EXISTS head_seq_forward BEFORE UPDATE ON log_meta
WHEN OLD.key = 'head_seq' AND (NEW.key != 'head_seq' OR CAST(NEW.value AS INTEGER) < CAST(OLD.value AS INTEGER))
BEGIN SELECT RAISE(ABORT, 'the decision log row count only moves forward'); END;
CREATE TRIGGER IF NOT EXISTS checkpoints_kept BEFORE DELETE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'a signed checkpoint is never deleted'); END;
CREATE TRIGGER IF NOT EXISTS checkpoints_fixed BEFORE UPDATE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'a signed checkpoint is never changed'); END;
"""


class DecisionLog(ChainedLog):
    """A decision log in one SQLite file. Open one per process; it may be shared with other processes."""

    _db_errors = (sqlite3.DatabaseError,)

    def __init__(self, path: Path | str, *, create: bool = True, timeout: float = 60.0):
        """Open (and with ``create``, create) a decision log.

        Args:
            path: The SQLite file.
            create: Create the file and its directory when missing.
            timeout: Seconds to wait for another writer before giving up.

        Raises:
            InvalidInputError: The file is missing (without ``create``), unreadable, or
                not a decision log.
        """
        self.path = Path(path)
        self.label = str(self.path)
        if not create and not self.path.is_file():
            raise InvalidInputError("decision log not found", file=str(self.path))
        if create:
            try:
                self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError as exc:
                raise InvalidInputError(
                    f"cannot create the log's directory: {exc.strerror}", file=str(self.path)
                ) from None
            _create_private(self.path)
        try:
            self._db = sqlite3.connect(str(self.path), timeout=timeout, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            if create:
                # One transaction: a log that gains the guards also gains its row count, taken
                # from the head it already had (0 for a new log), and an id for its checkpoints.
                self._db.executescript(
                    "BEGIN IMMEDIATE;\n"
                    + _SCHEMA
                    + f"INSERT OR IGNORE INTO log_meta (key, value) VALUES ('schema_version', '{SCHEMA_VERSION}');\n"
                    "INSERT OR IGNORE INTO log_meta (key, value) "
                    "SELECT 'head_seq', CAST(COALESCE((SELECT seq FROM chain_head WHERE id = 1), 0) AS TEXT);\n"
                    "INSERT OR IGNORE INTO log_meta (key, value) VALUES ('log_id', lower(hex(randomblob(16))));\n"
                    "COMMIT;"
                )
            tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.Error as exc:
            raise InvalidInputError(f"not a usable decision log: {exc}", file=str(self.path)) from None
        if "decisions" not in tables:
            self._db.close()
            raise InvalidInputError("not a macip-gov decision log (no decisions table)", file=str(self.path))

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> DecisionLog:
        return self

    @contextmanager
    def _write(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[None]:
        if self._db.in_transaction:
            yield
            return
        self._db.execute("BEGIN")
        try:
            yield
        finally:
            if self._db.in_transaction:
                self._db.execute("COMMIT")

    def _one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._db.execute(sql, tuple(params)).fetchone()
        return row

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        # The cursor itself, not a generator over it: nothing is left to close after the connection.
        rows: Iterator[tuple[Any, ...]] = self._db.execute(sql, tuple(params))
        return rows

    def _run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._db.execute(sql, tuple(params))

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._db.executemany(sql, rows)

    def _columns(self, table: str) -> set[str] | None:
        found = {str(r[1]) for r in self._db.execute(f"PRAGMA table_info({table})")}
        return found or None

    def _has_row_count(self) -> bool:
        found = self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'head_seq_kept'")
        return found.fetchone() is not None


def _create_private(path: Path) -> None:
    """Create an empty database file ``0600`` (less the umask) unless it exists; never change an existing one."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    try:
        os.close(os.open(path, flags, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise InvalidInputError(f"cannot create the log: {exc.strerror or exc}", file=str(path)) from None


def is_postgres_url(url: str) -> bool:
    """True for a ``postgresql://`` (or ``postgres://``) URL."""
    return url.startswith(("postgresql://", "postgres://"))


def sqlite_path(url: str) -> Path | None:
    """The file a SQLite log URL or plain path names (None for another kind of URL).

    ``sqlite:///decisions.db`` is relative to the current folder and ``sqlite:////srv/log.db``
    absolute, as SQLAlchemy reads them; a value without ``://`` is a path.
    """
    if url.startswith("sqlite:///"):
        return Path(unquote(url[len("sqlite:///") :]))
    if "://" not in url:
        return Path(url)
    return None


def display_url(url: str) -> str:
    """The log's URL or path as shown to people: any password is replaced by ``***``."""
    if not is_postgres_url(url):
        return url
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def open_log(url: str | Path, *, create: bool = True, timeout: float = 60.0) -> ChainedLog:
    """Open the decision log a URL names: SQLite (a path or ``sqlite:///PATH``) or PostgreSQL (``postgresql://…``).

    Args:
        url: ``sqlite:///PATH``, a plain path, or a libpq URL ``postgresql://USER@HOST:PORT/DB``
            (the password preferably from ``PGPASSWORD`` or ``~/.pgpass``, not the URL).
        create: Create the log (the file, or the tables in an existing database) when missing.
        timeout: Seconds a writer waits for another before giving up.

    Returns:
        The open log: every kind offers the same methods (:class:`ChainedLog`).

    Raises:
        InvalidInputError: An unknown kind of URL, a log that is missing (without ``create``),
            unreachable, or not a decision log.
    """
    text = str(url)
    if is_postgres_url(text):
        from .log_pg import PostgresDecisionLog

        return PostgresDecisionLog(text, create=create, timeout=timeout)
    path = sqlite_path(text)
    if path is None:
        scheme = text.partition("://")[0]
        raise InvalidInputError(
            f"unknown kind of decision log {scheme!r}: use sqlite:///PATH, a path, or postgresql://…", file=text
        )
    return DecisionLog(path, create=create, timeout=timeout)


def read_checkpoint(path: Path | str) -> Checkpoint:
    """Read a published checkpoint (the JSON ``log checkpoint`` prints).

    Raises:
        InvalidInputError: Unreadable, not JSON, or not a checkpoint (the field named).
    """
    from ..inputs import load_model

    return load_model(Checkpoint, path)


def write_checkpoint(checkpoint: Checkpoint, path: Path | str) -> None:
    """Write a checkpoint as JSON for publication (atomically; a document, so the umask decides its mode)."""
    from ..files import DOCUMENT, atomic_write

    atomic_write(Path(path), (checkpoint.model_dump_json() + "\n").encode("utf-8"), policy=DOCUMENT)


def migrate_log(source: str | Path, target: str | Path) -> VerifyReport:
    """Copy a decision log (rows, id and checkpoints, as stored) into an empty one and verify the copy.

    Args:
        source: The log to copy (see :func:`open_log`); it must verify.
        target: The log to copy into; created if missing, it must hold no row.

    Returns:
        The copy's verification (``checkpoints`` counts those copied and found in its chain).

    Raises:
        LogVerificationError: The source does not verify; nothing is copied.
        InvalidInputError: Either log cannot be opened, or the target is not empty.
    """
    with open_log(source, create=False) as src, open_log(target) as dst:
        dst.copy_from(src)
        return dst.verify()


__all__ = [
    "GENESIS",
    "ChainedLog",
    "Checkpoint",
    "CheckpointBody",
    "DecisionLog",
    "LogEntry",
    "LogRecord",
    "LogVerificationError",
    "VerifyReport",
    "chain_hash",
    "display_url",
    "is_postgres_url",
    "migrate_log",
    "open_log",
    "read_checkpoint",
    "row_json",
    "sqlite_path",
    "utc_now",
    "write_checkpoint",
]
