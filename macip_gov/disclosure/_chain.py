"""The decision log's chain, whatever database holds it: appending, verifying, reading, checkpoints.

:class:`ChainedLog` holds everything about the chain; a store supplies a handful of
database primitives (a serialised write transaction, a snapshot read transaction,
queries). SQL is written once, with ``?`` placeholders and the ``"user"`` column
quoted, and runs on SQLite and PostgreSQL alike.

Signed checkpoints: a checkpoint records the log's id, its number, the chain's
head (row count and hash), when it was signed, the hash of the checkpoint before
it and the signing key's id, signed with Ed25519. Checkpoints are numbered from 1
and chained to each other, so one taken out of the middle shows; the one at the
end is caught by its published copy (``--checkpoint``). A rewritten chain, even
one whose every hash was recomputed, no longer passes through the hashes that
were signed, and without the private key no new checkpoint can be made for it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..canonical import canonical_json
from ..errors import ExitCode, InvalidInputError, MacipError
from .entry import LogEntry

if TYPE_CHECKING:
    from ..signing import PrivateKey, PublicKey

GENESIS = "0" * 64
"""The previous-hash of the first row."""

SCHEMA_VERSION = "1"
CHECKPOINT_KIND = "macip-gov decision log checkpoint"

COLUMNS = 'seq, recorded_at, "user", request_id, outcome, policy_revision, request, decision, prev_hash, hash'
COLUMN_NAMES = tuple(c.strip().strip('"') for c in COLUMNS.split(","))
_HEX = re.compile(r"[0-9a-f]{64}")


class LogVerificationError(MacipError):
    """The decision log does not verify, so nothing was written to it (exit 1)."""

    exit_code = ExitCode.DENIED


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


class CheckpointBody(BaseModel):
    """What a checkpoint signs: the chain's head at one moment, in one log."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["macip-gov decision log checkpoint"] = Field(description="What this document is.")
    log_id: str = Field(min_length=1, description="The id of the log it was taken of (kept when a log is migrated).")
    number: int = Field(ge=1, description="Checkpoints in this log are numbered from 1.")
    seq: int = Field(ge=0, description="The number of rows in the chain when it was signed (its last row).")
    hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="That row's hash (64 zeros for an empty log).")
    signed_at: str = Field(description="When it was signed (UTC, ISO 8601).")
    previous: str | None = Field(
        pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the checkpoint before it (None for the first)."
    )
    key_id: str = Field(description="The id of the key that signed it.")


class Checkpoint(BaseModel):
    """A signed checkpoint, as stored in the log and as published elsewhere."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    body: CheckpointBody = Field(description="What was signed (its canonical JSON).")
    signature: str = Field(description="Ed25519 signature of the body's canonical JSON, base64.")

    def signed_bytes(self) -> bytes:
        """The bytes the signature covers."""
        return canonical_json(self.body.model_dump(mode="json")).encode("utf-8")

    def digest(self) -> str:
        """SHA-256 of the body and signature, which the next checkpoint records as ``previous``."""
        return hashlib.sha256(canonical_json(self.model_dump(mode="json")).encode("utf-8")).hexdigest()


class VerifyReport(BaseModel):
    """The result of checking the chain."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = Field(description="The log (a file, or a URL without its password).")
    ok: bool = Field(description="True when every row is intact and in place.")
    rows: int = Field(description="Rows checked.")
    head: str | None = Field(description="Hash of the last intact row (record it to anchor later checks).")
    first_bad_row: int | None = Field(description="Sequence number of the first row that fails.")
    problem: str | None = Field(description="What is wrong with that row.")
    checkpoints: int = Field(default=0, description="Checkpoints the chain was found to pass through.")
    signed: bool = Field(default=False, description="True when every checkpoint's signature was checked and holds.")
    bad_checkpoint: int | None = Field(default=None, description="The number of the first checkpoint that fails.")

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


class _Failed(Exception):
    """A verification problem found while reading (internal: becomes a report)."""

    def __init__(self, rows: int, head: str | None, bad: int | None, problem: str, checkpoint: int | None = None):
        super().__init__(problem)
        self.rows, self.head, self.bad, self.problem, self.checkpoint = rows, head, bad, problem, checkpoint


class ChainedLog(ABC):
    """A decision log: rows chained by SHA-256, a recorded head and row count, signed checkpoints.

    Subclasses supply the database; open one per process (it may be shared with other processes).
    """

    label: str
    """The log as named in messages: its file, or its URL without a password."""

    _db_errors: tuple[type[BaseException], ...] = ()

    # -- what a store supplies -------------------------------------------------

    @abstractmethod
    def _write(self) -> AbstractContextManager[None]:
        """A write transaction that holds every other writer off until it ends."""

    @abstractmethod
    def _read(self) -> AbstractContextManager[None]:
        """A read transaction over one snapshot (nothing when inside a transaction already)."""

    @abstractmethod
    def _one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        """The first row of a query."""

    @abstractmethod
    def _rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """A query's rows, streamed."""

    @abstractmethod
    def _run(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Execute one statement."""

    @abstractmethod
    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Execute one statement for each row of parameters."""

    @abstractmethod
    def _columns(self, table: str) -> set[str] | None:
        """The table's column names, or None when there is no such table."""

    @abstractmethod
    def _has_row_count(self) -> bool:
        """True when this log keeps a row count (its guard trigger exists)."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection."""

    def __enter__(self) -> ChainedLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- appending ---------------------------------------------------------------

    def append(self, entries: Sequence[LogEntry], *, user: str, recorded_at: str | None = None) -> list[int]:
        """Append decisions in one transaction, chained after the current last row.

        Args:
            entries: The decisions, in order.
            user: Who ran the check.
            recorded_at: Timestamp for the rows; now (UTC) by default.

        Returns:
            The sequence numbers given to the rows.

        Raises:
            InvalidInputError: The log's last row is not the one its head records; nothing is written.
        """
        if not entries:
            return []
        when = recorded_at or utc_now()
        with self._write():
            last = self._one("SELECT seq, hash FROM decisions ORDER BY seq DESC LIMIT 1")
            problem = self._end_problem(last)
            if problem is not None:
                raise InvalidInputError(
                    f"{problem}; nothing was logged: the log does not verify (see `macip-gov disclosure log verify`)",
                    file=self.label,
                )
            seq, prev = (int(last[0]), str(last[1])) if last else (0, GENESIS)
            rows = []
            for e in entries:
                seq += 1
                digest = chain_hash(prev, row_json(seq, when, user, e.request_json, e.decision_json))
                rows.append((seq, when, user, e.request_id, e.outcome, e.policy_revision, e.request_json,
                             e.decision_json, prev, digest))  # fmt: skip
                prev = digest
            self._run_many(f"INSERT INTO decisions ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            self._run(
                "INSERT INTO chain_head (id, seq, hash) VALUES (1, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
                (seq, prev),
            )
            self._run(
                "INSERT INTO log_meta (key, value) VALUES ('head_seq', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(seq),),
            )
        return [r[0] for r in rows]

    def _end_problem(self, last: tuple[Any, ...] | None) -> str | None:
        """Why the last row and the recorded head disagree, or None (read inside the append's transaction)."""
        head = self._one("SELECT seq, hash FROM chain_head WHERE id = 1")
        meta = self._one("SELECT value FROM log_meta WHERE key = 'head_seq'")
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

    # -- reading -----------------------------------------------------------------

    def count(self) -> int:
        """How many rows the log holds."""
        with self._read():
            found = self._one("SELECT count(*) FROM decisions")
        return int(found[0]) if found else 0

    def seqs_where(self, conditions: Sequence[str], params: Sequence[Any] = ()) -> list[int]:
        """Row numbers meeting every condition, newest first, read in one snapshot.

        Args:
            conditions: SQL conditions over the ``decisions`` columns, written by the caller
                (never from user text), with ``?`` for each value; none means every row.
            params: The values, in order.
        """
        where = " WHERE " + " AND ".join(f"({c})" for c in conditions) if conditions else ""
        with self._read():
            return [int(row[0]) for row in self._rows(f"SELECT seq FROM decisions{where} ORDER BY seq DESC", params)]

    def records(self, *, last: int | None = None) -> Iterator[LogRecord]:
        """Rows in chain order; with ``last``, only the last N."""
        with self._read():
            if last:
                query = (
                    f"SELECT {COLUMNS} FROM (SELECT * FROM decisions ORDER BY seq DESC LIMIT ?) AS tail ORDER BY seq"
                )
                rows = self._rows(query, (last,))
            else:
                rows = self._rows(f"SELECT {COLUMNS} FROM decisions ORDER BY seq")
            for row in rows:
                yield _record(row, self.label)

    def get(self, key: str) -> LogRecord:
        """A row by sequence number, or the latest row for a request id.

        Raises:
            InvalidInputError: No such row.
        """
        with self._read():
            row = None
            if key.isdigit() and len(key) < 19:
                row = self._one(f"SELECT {COLUMNS} FROM decisions WHERE seq = ?", (int(key),))
            if row is None:
                row = self._one(
                    f"SELECT {COLUMNS} FROM decisions WHERE request_id = ? ORDER BY seq DESC LIMIT 1", (key,)
                )
        if row is None:
            raise InvalidInputError(f"no row {key!r} (neither a sequence number nor a request id)", file=self.label)
        return _record(row, self.label)

    def log_id(self) -> str | None:
        """The log's id (kept when the log is migrated), or None for a log from before ids were kept."""
        with self._read():
            found = self._one("SELECT value FROM log_meta WHERE key = 'log_id'")
        return str(found[0]) if found else None

    def checkpoints(self) -> list[Checkpoint]:
        """The checkpoints stored in the log, in order.

        Raises:
            InvalidInputError: A stored checkpoint is malformed (run ``log verify``).
        """
        with self._read():
            try:
                return [c for _, c in self._stored_checkpoints()]
            except _Failed as failed:
                raise InvalidInputError(
                    f"{failed.problem}; run `macip-gov disclosure log verify`", file=self.label
                ) from None

    def _stored_checkpoints(self) -> list[tuple[int, Checkpoint]]:
        if self._columns("checkpoints") is None:
            return []
        found = []
        for number, body, signature in self._rows("SELECT number, body, signature FROM checkpoints ORDER BY number"):
            try:
                parsed = json.loads(body) if isinstance(body, str) else None
                checkpoint = Checkpoint.model_validate({"body": parsed, "signature": signature})
            except (ValueError, ValidationError) as exc:  # pydantic's ValidationError is a ValueError
                reason = str(exc).splitlines()[0]
                raise _Failed(0, None, None, f"checkpoint {number!r} is malformed ({reason})", number) from None
            found.append((int(number), checkpoint))
        return found

    # -- verifying ---------------------------------------------------------------

    def verify(
        self,
        *,
        anchor: tuple[int, str] | None = None,
        public_keys: Sequence[PublicKey] = (),
        checkpoints: Sequence[Checkpoint] = (),
    ) -> VerifyReport:
        """Check every row's shape and hash, its link to the row before, the recorded head, and the checkpoints.

        A row that cannot be a row (a missing column, NULLs, numbers where text belongs,
        JSON that is not an object, hashes that are not SHA-256 hex) fails like an
        edited one: the report names it, it never raises. A log that had rows and has
        none fails too. Every checkpoint stored in the log, and each one given, must
        be a row the chain still passes through (the same hash at the same row).

        Args:
            anchor: ``(seq, hash)`` noted from an earlier verify; the row must still have it.
            public_keys: Keys whose signatures to accept. With any, every checkpoint's
                signature must hold under one of them, and at least one checkpoint
                must exist (fail closed).
            checkpoints: Checkpoints published elsewhere: each must be signed by one of
                ``public_keys``, stored in the log as published, and in the chain.

        Returns:
            The report; ``first_bad_row`` names the first row that fails, ``bad_checkpoint``
            the first checkpoint.
        """
        with self._read():
            return self._verify(anchor, public_keys, checkpoints)

    def _verify(
        self, anchor: tuple[int, str] | None, keys: Sequence[PublicKey], published: Sequence[Checkpoint]
    ) -> VerifyReport:
        try:
            present = self._columns("decisions")
        except self._db_errors as exc:
            return self._report(False, 0, None, 1, f"the log cannot be read: {exc} (the file was damaged)")
        missing = [c for c in COLUMN_NAMES if c not in (present or set())]
        if missing:
            return self._report(
                False, 0, None, 1, f"the decisions table has no {', '.join(missing)} column (the log was altered)"
            )
        try:
            count, pins = self._checkpoint_pins(keys, published)
            rows, head = self._walk(anchor, pins)
            problem = self._head_problem(rows, head)
        except _Failed as failed:
            return self._report(False, failed.rows, failed.head, failed.bad, failed.problem, failed.checkpoint)
        except self._db_errors as exc:
            return self._report(False, 0, None, 1, f"the log cannot be read: {exc} (the file was damaged)")
        if problem is not None:
            return self._report(False, rows, head, rows + 1 if rows else 1, problem)
        if anchor is not None and anchor[0] > rows:
            return self._report(
                False, rows, head, anchor[0], f"anchored row {anchor[0]} is missing (rows removed from the end)"
            )
        for seq, (number, _) in sorted(pins.items()):
            if seq > rows:
                return self._report(
                    False, rows, head, rows + 1, f"checkpoint {number} signed row {seq}, but the chain ends at row "
                    f"{rows} (rows removed from the end, or the log was rewritten)", number
                )  # fmt: skip
        return VerifyReport(path=self.label, ok=True, rows=rows, head=head, first_bad_row=None, problem=None,
                            checkpoints=count, signed=bool(keys))  # fmt: skip

    def _checkpoint_pins(
        self, keys: Sequence[PublicKey], published: Sequence[Checkpoint]
    ) -> tuple[int, dict[int, tuple[int, str]]]:
        """Check the checkpoints on their own; return their count and ``{row: (number, hash)}`` for the walk.

        Raises:
            _Failed: A checkpoint is malformed, out of order, from another log, unsigned,
                signed by no key given, or published but not stored as published.
        """
        stored = self._stored_checkpoints()
        log_id = self._one("SELECT value FROM log_meta WHERE key = 'log_id'") if self._columns("log_meta") else None
        by_key = {k.key_id: k for k in keys}
        previous: Checkpoint | None = None
        for index, (number, cp) in enumerate(stored, start=1):
            body = cp.body
            fail = None
            if number != index or body.number != index:
                fail = f"checkpoint {index} is missing (checkpoints removed or renumbered)"
            elif log_id is None or body.log_id != log_id[0]:
                fail = f"checkpoint {index} was taken of another log ({body.log_id}), not this one"
            elif body.previous != (previous.digest() if previous else None):
                fail = f"checkpoint {index} does not follow checkpoint {index - 1} (checkpoints removed or replaced)"
            elif previous is not None and body.seq < previous.body.seq:
                fail = f"checkpoint {index} signs row {body.seq}, before checkpoint {index - 1}'s row"
            elif keys:
                fail = _signature_problem(cp, by_key)
            if fail is not None:
                raise _Failed(0, None, None, fail, index)
            previous = cp
        if keys and not stored and not published:
            raise _Failed(0, None, None, "no signed checkpoint to verify (fail closed: sign one with `log checkpoint`)")
        stored_by_number = dict(stored)
        for cp in published:
            number = cp.body.number
            fail = _signature_problem(cp, by_key) if keys else "a published checkpoint needs a public key to check"
            if fail is None and (log_id is None or cp.body.log_id != log_id[0]):
                fail = f"checkpoint {number} was taken of another log ({cp.body.log_id}), not this one"
            if fail is None and stored_by_number.get(number) != cp:
                what = "is not stored in the log" if number not in stored_by_number else "differs from the log's copy"
                fail = f"checkpoint {number} as published {what} (checkpoints removed or replaced)"
            if fail is not None:
                raise _Failed(0, None, None, fail, number)
        pins: dict[int, tuple[int, str]] = {}
        for _, cp in stored:
            pins.setdefault(cp.body.seq, (cp.body.number, cp.body.hash))
        return len(stored), pins

    def _walk(self, anchor: tuple[int, str] | None, pins: dict[int, tuple[int, str]]) -> tuple[int, str | None]:
        """Stream the rows in order, checking each; return the row count and the last hash."""
        prev, expected, head = GENESIS, 1, None
        if 0 in pins and pins[0][1] != GENESIS:
            raise _Failed(0, None, 1, f"checkpoint {pins[0][0]} signed an empty log with a hash that is not genesis")
        try:
            for row in self._rows(f"SELECT {COLUMNS} FROM decisions ORDER BY seq"):
                problem = _row_problem(row, expected, prev)
                digest = row[9]
                if problem is None and anchor is not None and anchor[0] == row[0] and anchor[1] != digest:
                    problem = f"its hash is not the anchored {anchor[1]} (the log was rewritten)"
                if problem:
                    bad = row[0] if _is_seq(row[0]) else expected  # a gap names the row after it
                    raise _Failed(expected - 1, head, bad, problem)
                pinned = pins.get(expected)
                if pinned is not None and pinned[1] != digest:
                    raise _Failed(
                        expected - 1, head, expected,
                        f"the chain contradicts checkpoint {pinned[0]}: row {expected}'s hash is {digest[:16]}…, "
                        f"the checkpoint signed {pinned[1][:16]}… (the log was rewritten at or before row {expected})",
                        pinned[0],
                    )  # fmt: skip
                prev, head, expected = digest, digest, expected + 1
        except self._db_errors as exc:
            raise _Failed(
                expected - 1, head, expected, f"the log cannot be read: {exc} (the file was damaged)"
            ) from None
        return expected - 1, head

    def _head_problem(self, rows: int, head: str | None) -> str | None:
        """The chain's end against ``chain_head`` and the row count in ``log_meta``."""
        if self._columns("chain_head") is None:
            return "its head table (chain_head) is missing (the log was altered)"
        recorded = self._one("SELECT seq, hash FROM chain_head WHERE id = 1")
        meta = self._one("SELECT value FROM log_meta WHERE key = 'head_seq'") if self._columns("log_meta") else None
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

    def _report(
        self, ok: bool, rows: int, head: str | None, bad: int | None, problem: str | None, checkpoint: int | None = None
    ) -> VerifyReport:
        return VerifyReport(path=self.label, ok=ok, rows=rows, head=head, first_bad_row=bad, problem=problem,
                            bad_checkpoint=checkpoint)  # fmt: skip

    # -- checkpoints -------------------------------------------------------------

    def checkpoint(self, key: PrivateKey, *, signed_at: str | None = None) -> Checkpoint:
        """Sign the chain's head and store the signed checkpoint in the log.

        The whole log is verified first, inside the same transaction that stores the
        checkpoint (so no row is appended meanwhile), with this key's public half
        checking the earlier checkpoints it signed: a log that does not verify is
        never signed.

        Raises:
            LogVerificationError: The log does not verify; nothing is signed.
        """
        with self._write():
            report = self._verify(None, (), [])
            stored = self._stored_checkpoints() if report.ok else []
            own = {key.key_id: key.public}
            for _, earlier in stored:
                problem = _signature_problem(earlier, own) if earlier.body.key_id == key.key_id else None
                if problem is not None:
                    report = self._report(False, report.rows, report.head, None, problem, earlier.body.number)
                    break
            if not report.ok:
                where = (
                    f"checkpoint {report.bad_checkpoint}" if report.bad_checkpoint else f"row {report.first_bad_row}"
                )
                raise LogVerificationError(f"not signed: the log fails at {where}: {report.problem}", file=self.label)
            log_id = self._one("SELECT value FROM log_meta WHERE key = 'log_id'")
            if log_id is None:
                raise LogVerificationError(
                    "not signed: this log has no id (open it to append once to upgrade it)", file=self.label
                )
            body = CheckpointBody(
                kind=CHECKPOINT_KIND, log_id=str(log_id[0]), number=len(stored) + 1, seq=report.rows,
                hash=report.head or GENESIS, signed_at=signed_at or utc_now(),
                previous=stored[-1][1].digest() if stored else None, key_id=key.key_id,
            )  # fmt: skip
            unsigned = Checkpoint(body=body, signature="")
            signed = unsigned.model_copy(update={"signature": key.sign(unsigned.signed_bytes())})
            self._run(
                "INSERT INTO checkpoints (number, body, signature) VALUES (?, ?, ?)",
                (body.number, canonical_json(body.model_dump(mode="json")), signed.signature),
            )
        return signed

    # -- export --------------------------------------------------------------------

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

    # -- copying -------------------------------------------------------------------

    def copy_from(self, source: ChainedLog, *, chunk: int = 5000) -> int:
        """Copy every row, the log's id and every checkpoint of ``source`` into this log, which must be empty.

        The source must verify first. Rows are copied as stored (same hashes), in one
        transaction, so a copy that fails leaves this log empty.

        Returns:
            The number of rows copied.

        Raises:
            LogVerificationError: The source does not verify.
            InvalidInputError: This log is not empty.
        """
        with source._read(), self._write():
            report = source._verify(None, (), [])
            if not report.ok:
                raise LogVerificationError(
                    f"not copied: the source fails at row {report.first_bad_row}: {report.problem}", file=source.label
                )
            found = source._one("SELECT value FROM log_meta WHERE key = 'log_id'")
            log_id = str(found[0]) if found else None
            stored = [cp for _, cp in source._stored_checkpoints()]
            if self._one("SELECT seq FROM decisions LIMIT 1") is not None or self._one(
                "SELECT number FROM checkpoints LIMIT 1"
            ):
                raise InvalidInputError("the destination log is not empty; nothing was copied", file=self.label)
            copied, batch = 0, []
            insert = f"INSERT INTO decisions ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            for row in source._rows(f"SELECT {COLUMNS} FROM decisions ORDER BY seq"):
                batch.append(row)
                if len(batch) >= chunk:
                    self._run_many(insert, batch)
                    copied, batch = copied + len(batch), []
            if batch:
                self._run_many(insert, batch)
                copied += len(batch)
            if copied:
                self._run("INSERT INTO chain_head (id, seq, hash) VALUES (1, ?, ?)", (report.rows, report.head))
            self._run(
                "INSERT INTO log_meta (key, value) VALUES ('head_seq', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(copied),),
            )
            if log_id is not None:
                self._run(
                    "INSERT INTO log_meta (key, value) VALUES ('log_id', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (log_id,),
                )
            for cp in stored:
                self._run(
                    "INSERT INTO checkpoints (number, body, signature) VALUES (?, ?, ?)",
                    (cp.body.number, canonical_json(cp.body.model_dump(mode="json")), cp.signature),
                )
        return copied


def _signature_problem(cp: Checkpoint, keys: dict[str, PublicKey]) -> str | None:
    number = cp.body.number
    if not cp.signature:
        return f"checkpoint {number} carries no signature (fail closed)"
    key = keys.get(cp.body.key_id)
    if key is None:
        return f"checkpoint {number} was signed by key {cp.body.key_id}, which is not among the public keys given"
    if not key.verify(cp.signature, cp.signed_bytes()):
        return f"checkpoint {number}'s signature does not hold under {key.source} (the checkpoint was altered)"
    return None


def _record(row: tuple[Any, ...], label: str) -> LogRecord:
    seq, recorded_at, user, request_id, outcome, revision, request, decision, prev_hash, digest = row
    try:
        return LogRecord(
            seq=seq, recorded_at=recorded_at, user=user, request_id=request_id, outcome=outcome,
            policy_revision=revision, request=_stored_json(request, label), decision=_stored_json(decision, label),
            prev_hash=prev_hash, hash=digest,
        )  # fmt: skip
    except InvalidInputError as exc:
        raise InvalidInputError(
            f"row {seq!r} is malformed ({exc.message}); run `macip-gov disclosure log verify`", file=label
        ) from None
    except (TypeError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        reason = str(exc).splitlines()[0]
        raise InvalidInputError(
            f"row {seq!r} is malformed ({reason}); run `macip-gov disclosure log verify`", file=label
        ) from None


def _stored_json(text: Any, label: str) -> Any:
    """A stored JSON column, read as strictly as any input: a tampered row may be deep or repeat a key."""
    from ..inputs import parse_json

    if not isinstance(text, str):
        raise InvalidInputError(f"stored JSON is {_kind(text)}, not text", file=label)
    return parse_json(text, label)


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
    for name, value in zip(COLUMN_NAMES[1:], row[1:], strict=True):
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
