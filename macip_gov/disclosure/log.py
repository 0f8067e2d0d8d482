"""The decision log: every disclosure decision appended to SQLite, each row chained to the last.

Each row stores the request, the decision, the policy revision, when and by whom, and
``hash = SHA-256(previous row's hash + this row's canonical JSON)``. The canonical JSON
covers the row's sequence number, so editing, deleting or reordering rows breaks the
chain at the first row touched, which :meth:`DecisionLog.verify` names. The table
``chain_head`` records the last row, so rows cut from the end are caught too; a hash
noted elsewhere (an anchor) guards against a log rewritten wholesale.

Appends run in ``BEGIN IMMEDIATE`` transactions that read the last hash inside the
transaction, so concurrent writers (other processes) queue rather than fork the chain.
The database is in WAL mode, so readers never block the writer.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InvalidInputError

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
"""

_COLUMNS = "seq, recorded_at, user, request_id, outcome, policy_revision, request, decision, prev_hash, hash"


@dataclass(frozen=True)
class LogEntry:
    """A decision ready to be logged: its request and decision as canonical JSON.

    Attributes:
        request_id: The request's id.
        outcome: The decision's outcome.
        policy_revision: The policy revision that decided.
        request_json: The request, canonical JSON (see ``canonical_json``).
        decision_json: The decision, canonical JSON.
    """

    request_id: str
    outcome: str
    policy_revision: str
    request_json: str
    decision_json: str


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
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise InvalidInputError(
                    f"cannot create the log's directory: {exc.strerror}", file=str(self.path)
                ) from None
        try:
            self._db = sqlite3.connect(str(self.path), timeout=timeout, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            if create:
                self._db.executescript(_SCHEMA)
                self._db.execute(
                    "INSERT OR IGNORE INTO log_meta (key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
                )
            tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.Error as exc:
            raise InvalidInputError(f"not a usable decision log: {exc}", file=str(self.path)) from None
        if not {"decisions", "chain_head"} <= tables:
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
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return [r[0] for r in rows]

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
            yield _record(row)

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
        return _record(row)

    def verify(self, *, anchor: tuple[int, str] | None = None) -> VerifyReport:
        """Check every row's hash, its link to the row before, and the recorded head.

        Args:
            anchor: ``(seq, hash)`` noted from an earlier verify; the row must still have it.

        Returns:
            The report; ``first_bad_row`` names the first row that fails.
        """
        prev, expected, head = GENESIS, 1, None
        cursor = self._db.execute(f"SELECT {_COLUMNS} FROM decisions ORDER BY seq")
        for row in cursor:
            seq, recorded_at, user, request_id, outcome, revision, request, decision, prev_hash, digest = row
            problem = None
            if seq != expected:
                missing = f"row {expected}" if seq == expected + 1 else f"rows {expected}-{seq - 1}"
                problem = f"{missing} missing: the chain jumps from row {expected - 1} to row {seq}"
            elif prev_hash != prev:
                problem = "its link to the row before is broken (rows removed, inserted or reordered)"
            elif chain_hash(prev, row_json(seq, recorded_at, user, request, decision)) != digest:
                problem = "its contents do not match its hash (the row was edited)"
            else:
                problem = _columns_problem(request_id, outcome, revision, request, decision)
            if problem is None and anchor is not None and anchor[0] == seq and anchor[1] != digest:
                problem = f"its hash is not the anchored {anchor[1]} (the log was rewritten)"
            if problem:
                return self._report(False, expected - 1, head, seq, problem)
            prev, head, expected = digest, digest, expected + 1
        rows = expected - 1
        recorded = self._db.execute("SELECT seq, hash FROM chain_head WHERE id = 1").fetchone()
        if rows and (recorded is None or tuple(recorded) != (rows, head)):
            at = f"row {recorded[0]}" if recorded else "no row"
            return self._report(
                False,
                rows,
                head,
                rows + 1,
                f"the chain ends at row {rows} but the head records {at} (rows removed from the end)",
            )
        if not rows and recorded is not None:
            return self._report(
                False, 0, None, 1, f"the log is empty but the head records row {recorded[0]} (rows removed)"
            )
        if anchor is not None and anchor[0] > rows:
            return self._report(
                False, rows, head, anchor[0], f"anchored row {anchor[0]} is missing (rows removed from the end)"
            )
        return self._report(True, rows, head, None, None)

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


def _record(row: tuple[Any, ...]) -> LogRecord:
    seq, recorded_at, user, request_id, outcome, revision, request, decision, prev_hash, digest = row
    return LogRecord(
        seq=seq, recorded_at=recorded_at, user=user, request_id=request_id, outcome=outcome,
        policy_revision=revision, request=json.loads(request), decision=json.loads(decision),
        prev_hash=prev_hash, hash=digest,
    )  # fmt: skip


def _columns_problem(request_id: str, outcome: str, revision: str, request: str, decision: str) -> str | None:
    """The listing columns repeat values inside the hashed JSON; they must agree."""
    try:
        req, dec = json.loads(request), json.loads(decision)
    except ValueError:
        return "its stored JSON does not parse (the row was edited)"
    for column, value, stored in (
        ("request_id", request_id, req.get("id")),
        ("outcome", outcome, dec.get("outcome")),
        ("policy_revision", revision, dec.get("policy_revision")),
    ):
        if value != stored:
            return f"its {column} column does not match the stored decision (the row was edited)"
    return None


__all__ = ["GENESIS", "DecisionLog", "LogEntry", "LogRecord", "VerifyReport", "chain_hash", "row_json", "utc_now"]
