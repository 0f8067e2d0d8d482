"""The decision log: every disclosure decision appended to SQLite, each row chained to the last.

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
(an anchor) guards against a log rewritten wholesale, triggers included.

Appends run in ``BEGIN IMMEDIATE`` transactions that read the last hash inside the
transaction, so concurrent writers (other processes) queue rather than fork the chain,
and refuse to extend a log whose last row is not the one its head records. The
database is in WAL mode, so readers never block the writer.

A new log is created ``0600`` (less the umask) before SQLite opens it, so its ``-wal``
and ``-shm`` files, which SQLite creates with the database's mode, are no wider; a new
directory for it is created ``0700``. An existing file keeps its mode.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import ExitCode, InvalidInputError
from .entry import LogEntry

GENESIS = "0" * 64
"""The previous-hash of the first row."""

SCHEMA_VERSION = "1"

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
CREATE TRIGGER IF NOT EXISTS chain_head_kept BEFORE DELETE ON chain_head
BEGIN SELECT RAISE(ABORT, 'the decision log head is never deleted'); END;
CREATE TRIGGER IF NOT EXISTS chain_head_forward BEFORE UPDATE ON chain_head WHEN NEW.seq < OLD.seq
BEGIN SELECT RAISE(ABORT, 'the decision log head only moves forward'); END;
CREATE TRIGGER IF NOT EXISTS head_seq_kept BEFORE DELETE ON log_meta WHEN OLD.key = 'head_seq'
BEGIN SELECT RAISE(ABORT, 'the decision log row count is never deleted'); END;
CREATE TRIGGER IF NOT EXISTS head_seq_forward BEFORE UPDATE ON log_meta
WHEN OLD.key = 'head_seq' AND (NEW.key != 'head_seq' OR CAST(NEW.value AS INTEGER) < CAST(OLD.value AS INTEGER))
BEGIN SELECT RAISE(ABORT, 'the decision log row count only moves forward'); END;
"""

_COLUMNS = "seq, recorded_at, user, request_id, outcome, policy_revision, request, decision, prev_hash, hash"
_COLUMN_NAMES = tuple(c.strip() for c in _COLUMNS.split(","))
_HEX = re.compile(r"[0-9a-f]{64}")


class LogRecord(BaseModel):
    """One row of the decision log."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seq: int = Field(description="Position in the chain, from 1.")
    recorded_at: str = Field(description="When the row was appended (UTC, ISO 8601).")
    user: str = Field(description="Who ran the check.")
    request_id: str = Field(description="The request's id.")
    outcome: str = Field(description="The decision's outcome.")
    policy_revision: str = Field(description="The policy revision that decided.")
    request: dict[str, Any] = Field(description="The request as checked.")
    decision: dict[str, Any] = Field(description="The decision.")
    prev_hash: str = Field(description="The previous row's hash (64 zeros for the first row).")
    hash: str = Field(description="SHA-256 of prev_hash followed by this row's canonical JSON.")


class VerifyReport(BaseModel):
    """The result of checking the chain."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = Field(description="The log file.")
    ok: bool = Field(description="True when every row is intact and in place.")
    rows: int = Field(description="Rows checked.")
    head: str | None = Field(description="Hash of the last intact row (record it to anchor later checks).")
    first_bad_row: int | None = Field(description="Sequence number of the first row that fails.")
    problem: str | None = Field(description="What is wrong with that row.")

    @property
    def exit_code(self) -> ExitCode:
        """OK when the chain is intact, DENIED otherwise."""
        return ExitCode.OK if self.ok else ExitCode.DENIED


def row_json(seq: int, recorded_at: str, user: str, request_json: str, decision_json: str) -> str:
    """The canonical JSON of a row, built from the canonical JSON of its request and decision.

    Keys in sorted order, no spaces: exactly ``canonical_json`` of the row's object.
    """
    return (
        f'{{"decision":{decision_json},"recorded_at":{json.dumps(recorded_at, ensure_ascii=False)},'
        f'"request":{request_json},"seq":{seq},"user":{json.dumps(user, ensure_ascii=False)}}}'
    )


def chain_hash(prev_hash: str, canonical_row: str) -> str:
    """SHA-256 (hex) of the previous hash followed by the row's canonical JSON."""
    return hashlib.sha256((prev_hash + canonical_row).encode("utf-8")).hexdigest()


def utc_now() -> str:
    """The current time, UTC, as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class DecisionLog:
    """A decision log file. Open one per process; it may be shared with other processes."""

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
                # from the head it already had (0 for a new log).
                self._db.executescript(
                    "BEGIN IMMEDIATE;\n"
                    + _SCHEMA
                    + f"INSERT OR IGNORE INTO log_meta (key, value) VALUES ('schema_version', '{SCHEMA_VERSION}');\n"
                    "INSERT OR IGNORE INTO log_meta (key, value) "
                    "SELECT 'head_seq', CAST(COALESCE((SELECT seq FROM chain_head WHERE id = 1), 0) AS TEXT);\n"
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

    def __exit__(self, *exc: object) -> None:
        self.close()

    def append(self, entries: Sequence[LogEntry], *, user: str, recorded_at: str | None = None) -> list[int]:
        """Append decisions in one transaction, chained after the current last row.

        Args:
            entries: The decisions, in order.
            user: Who ran the check.
            recorded_at: Timestamp for the rows; now (UTC) by default.

        Returns:
            The sequence numbers given to the rows.
        """
        if not entries:
            return []
        when = recorded_at or utc_now()
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            last = db.execute("SELECT seq, hash FROM decisions ORDER BY seq DESC LIMIT 1").fetchone()
            problem = self._end_problem(last)
            if problem is not None:
                raise InvalidInputError(
                    f"{problem}; nothing was logged: the log does not verify (see `macip-gov disclosure log verify`)",
                    file=str(self.path),
                )
            seq, prev = (last[0], last[1]) if last else (0, GENESIS)
            rows = []
            for e in entries:
                seq += 1
                digest = chain_hash(prev, row_json(seq, when, user, e.request_json, e.decision_json))
                rows.append(
                    (
                        seq,
                        when,
                        user,
                        e.request_id,
                        e.outcome,
                        e.policy_revision,
                        e.request_json,
                        e.decision_json,
                        prev,
                        digest,
                    )
                )
                prev = digest
            db.executemany(f"INSERT INTO decisions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            db.execute(
                "INSERT INTO chain_head (id, seq, hash) VALUES (1, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
                (seq, prev),
            )
            db.execute(
                "INSERT INTO log_meta (key, value) VALUES ('head_seq', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(seq),),
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return [r[0] for r in rows]

    def _end_problem(self, last: tuple[Any, ...] | None) -> str | None:
        """Why the last row and the recorded head disagree, or None (read inside the append's transaction)."""
        head = self._db.execute("SELECT seq, hash FROM chain_head WHERE id = 1").fetchone()
        meta = self._db.execute("SELECT value FROM log_meta WHERE key = 'head_seq'").fetchone()
        if last is None:
            if head is not None:
                return f"the log is empty but its head records row {head[0]}"
            if meta is not None and meta[0] != "0":
                return f"the log is empty but it recorded {meta[0]} rows"
            return None
        if head is None or tuple(head) != tuple(last):
            at = f"row {head[0]}" if head is not None else "no row"
            return f"the last row is row {last[0]} but the head records {at}"
        if meta is not None and meta[0] != str(last[0]):
            return f"the last row is row {last[0]} but the log recorded {meta[0]} rows"
        return None

    def count(self) -> int:
        """How many rows the log holds."""
        return int(self._db.execute("SELECT count(*) FROM decisions").fetchone()[0])

    def records(self, *, last: int | None = None) -> Iterator[LogRecord]:
        """Rows in chain order; with ``last``, only the last N."""
        if last:
            query = f"SELECT {_COLUMNS} FROM (SELECT * FROM decisions ORDER BY seq DESC LIMIT ?) ORDER BY seq"
            cursor = self._db.execute(query, (last,))
        else:
            cursor = self._db.execute(f"SELECT {_COLUMNS} FROM decisions ORDER BY seq")
        for row in cursor:
            yield _record(row, self.path)

    def get(self, key: str) -> LogRecord:
        """A row by sequence number, or the latest row for a request id.

        Raises:
            InvalidInputError: No such row.
        """
        row = None
        if key.isdigit():
            row = self._db.execute(f"SELECT {_COLUMNS} FROM decisions WHERE seq = ?", (int(key),)).fetchone()
        if row is None:
            row = self._db.execute(
                f"SELECT {_COLUMNS} FROM decisions WHERE request_id = ? ORDER BY seq DESC LIMIT 1", (key,)
            ).fetchone()
        if row is None:
            raise InvalidInputError(f"no row {key!r} (neither a sequence number nor a request id)", file=str(self.path))
        return _record(row, self.path)

    def verify(self, *, anchor: tuple[int, str] | None = None) -> VerifyReport:
        """Check every row's shape and hash, its link to the row before, and the recorded head.

        A row that cannot be a row (a missing column, NULLs, numbers where text belongs,
        JSON that is not an object, hashes that are not SHA-256 hex) fails like an
        edited one: the report names it, it never raises. A log that had rows and has
        none fails too.

        Args:
            anchor: ``(seq, hash)`` noted from an earlier verify; the row must still have it.

        Returns:
            The report; ``first_bad_row`` names the first row that fails.
        """
        try:
            present = {r[1] for r in self._db.execute("PRAGMA table_info(decisions)")}
        except sqlite3.DatabaseError as exc:
            return self._report(False, 0, None, 1, f"the log cannot be read: {exc} (the file was damaged)")
        missing = [c for c in _COLUMN_NAMES if c not in present]
        if missing:
            return self._report(
                False, 0, None, 1, f"the decisions table has no {', '.join(missing)} column (the log was altered)"
            )
        prev, expected, head = GENESIS, 1, None
        try:
            cursor = self._db.execute(f"SELECT {_COLUMNS} FROM decisions ORDER BY seq")
            for row in cursor:
                problem = _row_problem(row, expected, prev)
                digest = row[9]
                if problem is None and anchor is not None and anchor[0] == row[0] and anchor[1] != digest:
                    problem = f"its hash is not the anchored {anchor[1]} (the log was rewritten)"
                if problem:
                    bad = row[0] if _is_seq(row[0]) else expected  # a gap names the row after it
                    return self._report(False, expected - 1, head, bad, problem)
                prev, head, expected = digest, digest, expected + 1
        except sqlite3.DatabaseError as exc:
            return self._report(
                False, expected - 1, head, expected, f"the log cannot be read: {exc} (the file was damaged)"
            )
        rows = expected - 1
        problem = self._head_problem(rows, head)
        if problem is not None:
            return self._report(False, rows, head, rows + 1 if rows else 1, problem)
        if anchor is not None and anchor[0] > rows:
            return self._report(
                False, rows, head, anchor[0], f"anchored row {anchor[0]} is missing (rows removed from the end)"
            )
        return self._report(True, rows, head, None, None)

    def _head_problem(self, rows: int, head: str | None) -> str | None:
        """The chain's end against ``chain_head`` and the row count in ``log_meta``."""
        try:
            recorded = self._db.execute("SELECT seq, hash FROM chain_head WHERE id = 1").fetchone()
        except sqlite3.DatabaseError:
            return "its head table (chain_head) is missing (the log was altered)"
        try:
            meta = self._db.execute("SELECT value FROM log_meta WHERE key = 'head_seq'").fetchone()
        except sqlite3.DatabaseError:
            meta = None  # a log from before the row count was kept
        if recorded is not None and (not _is_seq(recorded[0]) or not _is_hex(recorded[1])):
            return f"its head record is malformed ({recorded[0]!r}, {recorded[1]!r}) (the log was altered)"
        if rows and (recorded is None or tuple(recorded) != (rows, head)):
            at = f"row {recorded[0]}" if recorded else "no row"
            return f"the chain ends at row {rows} but the head records {at} (rows removed from the end)"
        if not rows and recorded is not None:
            return f"the log is empty but the head records row {recorded[0]} (rows removed)"
        if meta is not None:
            count = meta[0]
            if not isinstance(count, str) or not count.isdigit():
                return f"its recorded row count is malformed ({count!r}) (the log was altered)"
            if int(count) != rows:
                if not rows:
                    return f"the log is empty but it recorded {count} rows (rows removed)"
                if int(count) > rows:
                    return f"the chain ends at row {rows} but the log recorded {count} rows (rows removed from the end)"
                return f"the chain has {rows} rows but the log recorded {count} (rows added by hand)"
        elif rows and self._has_row_count():
            return "its recorded row count is missing (the log was altered)"
        return None

    def _has_row_count(self) -> bool:
        """True when this log keeps a row count (its guard trigger exists)."""
        found = self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'head_seq_kept'")
        return found.fetchone() is not None

    def _report(self, ok: bool, rows: int, head: str | None, bad: int | None, problem: str | None) -> VerifyReport:
        return VerifyReport(path=str(self.path), ok=ok, rows=rows, head=head, first_bad_row=bad, problem=problem)

    def export(self, fmt: Literal["csv", "jsonl"]) -> Iterator[str]:
        """The log as CSV or JSON Lines, one string per line (with its newline).

        CSV columns: seq, recorded_at, user, request_id, outcome, policy_revision,
        legal_basis (joined with "; "), pia_flow, prev_hash, hash, request, decision
        (the last two as JSON).
        """
        if fmt == "jsonl":
            for record in self.records():
                yield record.model_dump_json() + "\n"
            return
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        header = ["seq", "recorded_at", "user", "request_id", "outcome", "policy_revision", "legal_basis", "pia_flow",
                  "prev_hash", "hash", "request", "decision"]  # fmt: skip
        writer.writerow(header)
        yield buffer.getvalue()
        for r in self.records():
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([
                r.seq, r.recorded_at, r.user, r.request_id, r.outcome, r.policy_revision,
                "; ".join(r.decision.get("legal_basis", [])), r.decision.get("pia_flow") or "",
                r.prev_hash, r.hash, json.dumps(r.request, sort_keys=True, ensure_ascii=False),
                json.dumps(r.decision, sort_keys=True, ensure_ascii=False),
            ])  # fmt: skip
            yield buffer.getvalue()


def _record(row: tuple[Any, ...], path: Path) -> LogRecord:
    seq, recorded_at, user, request_id, outcome, revision, request, decision, prev_hash, digest = row
    try:
        return LogRecord(
            seq=seq, recorded_at=recorded_at, user=user, request_id=request_id, outcome=outcome,
            policy_revision=revision, request=_stored_json(request, path), decision=_stored_json(decision, path),
            prev_hash=prev_hash, hash=digest,
        )  # fmt: skip
    except InvalidInputError as exc:
        raise InvalidInputError(
            f"row {seq!r} is malformed ({exc.message}); run `macip-gov disclosure log verify`", file=str(path)
        ) from None
    except (TypeError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        reason = str(exc).splitlines()[0]
        raise InvalidInputError(
            f"row {seq!r} is malformed ({reason}); run `macip-gov disclosure log verify`", file=str(path)
        ) from None


def _stored_json(text: Any, path: Path) -> Any:
    """A stored JSON column, read as strictly as any input: a tampered row may be deep or repeat a key."""
    from ..inputs import parse_json

    if not isinstance(text, str):
        raise InvalidInputError(f"stored JSON is {_kind(text)}, not text", file=str(path))
    return parse_json(text, str(path))


def _create_private(path: Path) -> None:
    """Create an empty database file ``0600`` (less the umask) unless it exists; never change an existing one."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    try:
        os.close(os.open(path, flags, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise InvalidInputError(f"cannot create the log: {exc.strerror or exc}", file=str(path)) from None


def _is_seq(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _is_hex(value: Any) -> bool:
    return isinstance(value, str) and _HEX.fullmatch(value) is not None


def _kind(value: Any) -> str:
    if value is None:
        return "NULL"
    return {int: "a number", float: "a number", bytes: "binary data"}.get(type(value), type(value).__name__)


def _row_problem(row: tuple[Any, ...], expected: int, prev: str) -> str | None:
    """What is wrong with the row at position ``expected`` (after the row whose hash is ``prev``)."""
    seq, recorded_at, user, request_id, outcome, revision, request, decision, prev_hash, digest = row
    if not _is_seq(seq):
        return f"its sequence number {seq!r:.40} is not a row number (the row was edited)"
    if seq != expected:
        missing = f"row {expected}" if seq == expected + 1 else f"rows {expected}-{seq - 1}"
        return f"{missing} missing: the chain jumps from row {expected - 1} to row {seq}"
    for name, value in zip(_COLUMN_NAMES[1:], row[1:], strict=True):
        if not isinstance(value, str):
            return f"its {name} column is {_kind(value)}, not text (the row was edited)"
    for name, value in (("prev_hash", prev_hash), ("hash", digest)):
        if not _is_hex(value):
            return f"its {name} is not a SHA-256 hex digest (the row was edited)"
    if prev_hash != prev:
        return "its link to the row before is broken (rows removed, inserted or reordered)"
    if chain_hash(prev, row_json(seq, recorded_at, user, request, decision)) != digest:
        return "its contents do not match its hash (the row was edited)"
    return _columns_problem(request_id, outcome, revision, request, decision)


def _columns_problem(request_id: str, outcome: str, revision: str, request: str, decision: str) -> str | None:
    """The listing columns repeat values inside the hashed JSON; they must agree."""
    from ..inputs import parse_json

    try:
        req, dec = parse_json(request, "request"), parse_json(decision, "decision")
    except InvalidInputError as exc:
        return f"its stored JSON is refused: {exc.message} (the row was edited)"
    for name, value in (("request", req), ("decision", dec)):
        if not isinstance(value, dict):
            return f"its stored {name} is not a JSON object (the row was edited)"
    for column, value, stored in (
        ("request_id", request_id, req.get("id")),
        ("outcome", outcome, dec.get("outcome")),
        ("policy_revision", revision, dec.get("policy_revision")),
    ):
        if value != stored:
            return f"its {column} column does not match the stored decision (the row was edited)"
    return None


__all__ = ["GENESIS", "DecisionLog", "LogEntry", "LogRecord", "VerifyReport", "chain_hash", "row_json", "utc_now"]
