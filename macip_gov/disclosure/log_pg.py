"""The decision log on a PostgreSQL server, shared by an office: the same chain as the SQLite log.

The tables, the chain, its checks and the checkpoints are those of the SQLite log
(:mod:`macip_gov.disclosure._chain`); only the database differs. Each append is one
transaction that first takes ``LOCK TABLE decisions IN EXCLUSIVE MODE``: writers in
any number of processes, on any number of machines, queue there and each reads the
last row only once it holds the lock, so the chain stays one line and no row is lost
or numbered twice. Readers are not blocked; ``verify`` reads one snapshot
(``REPEATABLE READ``), streamed through a server-side cursor. A writer killed in the
middle of its transaction loses only that transaction: the server rolls it back.

The tables are created in the connection's current schema (``search_path``; choose
another with ``?options=-csearch_path%3Dmacip`` in the URL) when missing, under an
advisory lock so that several first writers do not race. The database itself must
exist. psycopg is imported only when a PostgreSQL log is opened.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from itertools import count
from typing import Any

import psycopg

from ..errors import InvalidInputError
from ._chain import SCHEMA_VERSION, ChainedLog
from .log import display_url

_SCHEMA_LOCK = (0x6D616369, 1)  # pg_advisory_xact_lock keys: "maci", the decision log's schema

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS decisions (
        seq BIGINT PRIMARY KEY,
        recorded_at TEXT NOT NULL,
        "user" TEXT NOT NULL,
        request_id TEXT NOT NULL,
        outcome TEXT NOT NULL,
        policy_revision TEXT NOT NULL,
        request TEXT NOT NULL,
        decision TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS decisions_request_id ON decisions (request_id)",
    """CREATE TABLE IF NOT EXISTS chain_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq BIGINT NOT NULL,
        hash TEXT NOT NULL
    )""",
    "CREATE TABLE IF NOT EXISTS log_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS checkpoints (number BIGINT PRIMARY KEY, body TEXT NOT NULL, signature TEXT NOT NULL)",
    """CREATE OR REPLACE FUNCTION macip_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_TABLE_NAME = 'chain_head' THEN
            IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'the decision log head is never deleted'; END IF;
            IF NEW.seq < OLD.seq THEN RAISE EXCEPTION 'the decision log head only moves forward'; END IF;
        ELSIF TG_TABLE_NAME = 'log_meta' THEN
            -- Nested: PL/pgSQL does not promise to stop at the first false operand of AND.
            IF OLD.key = 'head_seq' THEN
                IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'the decision log row count is never deleted'; END IF;
                IF NEW.key <> 'head_seq' OR NEW.value::bigint < OLD.value::bigint THEN
                    RAISE EXCEPTION 'the decision log row count only moves forward';
                END IF;
            END IF;
        ELSIF TG_TABLE_NAME = 'checkpoints' THEN
            RAISE EXCEPTION 'a signed checkpoint is never changed or deleted';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$""",
    "CREATE OR REPLACE TRIGGER chain_head_kept BEFORE UPDATE OR DELETE ON chain_head "
    "FOR EACH ROW EXECUTE FUNCTION macip_log_guard()",
    "CREATE OR REPLACE TRIGGER head_seq_kept BEFORE UPDATE OR DELETE ON log_meta "
    "FOR EACH ROW EXECUTE FUNCTION macip_log_guard()",
    "CREATE OR REPLACE TRIGGER checkpoints_kept BEFORE UPDATE OR DELETE ON checkpoints "
    "FOR EACH ROW EXECUTE FUNCTION macip_log_guard()",
)

_META = (
    f"INSERT INTO log_meta (key, value) VALUES ('schema_version', '{SCHEMA_VERSION}') ON CONFLICT (key) DO NOTHING",
    "INSERT INTO log_meta (key, value) SELECT 'head_seq', COALESCE((SELECT seq FROM chain_head WHERE id = 1), 0)::text "
    "ON CONFLICT (key) DO NOTHING",
    "INSERT INTO log_meta (key, value) VALUES ('log_id', replace(gen_random_uuid()::text, '-', '')) "
    "ON CONFLICT (key) DO NOTHING",
)

_CURSORS = count(1)


def _sql(statement: str) -> str:
    """The shared SQL (``?`` placeholders) in psycopg's style (``%s``)."""
    return statement.replace("?", "%s")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class PostgresDecisionLog(ChainedLog):
    """A decision log in a PostgreSQL database. Open one per process (or thread)."""

    _db_errors = (psycopg.Error,)

    def __init__(self, url: str, *, create: bool = True, timeout: float = 60.0):
        """Connect to the database a ``postgresql://`` URL names and (with ``create``) create the tables.

        Args:
            url: A libpq URL; the password preferably from ``PGPASSWORD`` or ``~/.pgpass``.
            create: Create the tables when missing.
            timeout: Seconds a writer waits for another before giving up.

        Raises:
            InvalidInputError: The server cannot be reached, refuses the connection, or the
                database holds no decision log (without ``create``).
        """
        self.url = url
        self.label = display_url(url)
        self._depth = 0
        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(timeout)))
        except psycopg.Error as exc:
            raise InvalidInputError(
                f"cannot connect to the decision log: {_first_line(exc)}", file=self.label
            ) from None
        try:
            self._conn.execute("SELECT set_config('lock_timeout', %s, false)", (f"{int(timeout * 1000)}ms",))
            if create and not self._complete():
                with self._conn.transaction():
                    self._conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", _SCHEMA_LOCK)
                    for statement in _SCHEMA:
                        self._conn.execute(statement)
            if create:
                with self._conn.transaction():
                    for statement in _META:
                        self._conn.execute(statement)
            present = self._columns("decisions") is not None
        except psycopg.Error as exc:
            self._conn.close()
            raise InvalidInputError(f"not a usable decision log: {_first_line(exc)}", file=self.label) from None
        if not present:
            self._conn.close()
            raise InvalidInputError("not a macip-gov decision log (no decisions table)", file=self.label)

    def _complete(self) -> bool:
        """True when every table and guard is there (a log in use needs no DDL, nor the right to run it)."""
        found = self._conn.execute(
            "SELECT to_regclass('decisions') IS NOT NULL AND to_regclass('checkpoints') IS NOT NULL "
            "AND EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'checkpoints_kept' "
            "AND tgrelid = to_regclass('checkpoints'))"
        ).fetchone()
        return bool(found and found[0])

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> PostgresDecisionLog:
        return self

    @contextmanager
    def _write(self) -> Iterator[None]:
        with self._conn.transaction():
            self._conn.execute("LOCK TABLE decisions IN EXCLUSIVE MODE")
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1

    @contextmanager
    def _read(self) -> Iterator[None]:
        if self._depth:
            yield
            return
        with self._conn.transaction():
            self._conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1

    def _one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._conn.execute(_sql(sql), tuple(params)).fetchone()
        return row

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        cursor = self._conn.cursor(name=f"macip_rows_{next(_CURSORS)}")
        cursor.itersize = 5000
        try:
            cursor.execute(_sql(sql), tuple(params))
            yield from cursor
        finally:
            if not self._conn.closed:
                with suppress(psycopg.Error):
                    cursor.close()

    def _run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._conn.execute(_sql(sql), tuple(params))

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._conn.cursor() as cursor:
            cursor.executemany(_sql(sql), [tuple(r) for r in rows])

    def _columns(self, table: str) -> set[str] | None:
        found = self._conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped",
            (table,),
        ).fetchall()
        return {str(r[0]) for r in found} or None

    def _has_row_count(self) -> bool:
        found = self._conn.execute(
            "SELECT 1 FROM pg_trigger WHERE tgname = 'head_seq_kept' AND tgrelid = to_regclass('log_meta')"
        ).fetchone()
        return found is not None


__all__ = ["PostgresDecisionLog"]
