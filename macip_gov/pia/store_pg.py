"""A PIA history in PostgreSQL, shared by a team: the same revisions, head and checkpoints as a history folder.

Each revision is stored as the bytes of its revision file (``pia_revisions``), the
head as the bytes of ``head.yaml`` (``pia_head``, one row) and each signed checkpoint
as its JSON file (``pia_checkpoints``), so the chain, its checks and the checkpoints
are those of a folder (:mod:`macip_gov.pia.store`), and a history copied from a
folder keeps every hash its checkpoints signed.

A revision is committed in one transaction that locks the head's row
(``SELECT ... FOR UPDATE``): writers on any number of machines queue there, and each
checks that the head is still the one its revision was based on; a writer whose base
is no longer the head is refused and nothing is written. A writer killed mid-way
loses only its own transaction. Readers read one snapshot (``REPEATABLE READ``) and
are never blocked.

The tables are created in the connection's current schema (``search_path``; choose
another with ``?options=-csearch_path%3Dmacip`` in the URL) on the first write, only
when missing, under an advisory lock so that several first writers do not race.
Triggers refuse to change or delete a stored revision or checkpoint and to move the
head back; whoever owns the tables can drop them, which the chain and, better, a
signed checkpoint reveal. psycopg is imported only when such a history is opened.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from ..errors import InvalidInputError, StaleRevisionError
from .store import RevisionStore, _parse_head

_SCHEMA_LOCK = (0x6D616369, 2)  # pg_advisory_xact_lock keys: "maci", the PIA history's schema

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS pia_revisions (revision BIGINT PRIMARY KEY CHECK (revision >= 1), data BYTEA NOT NULL)",
    """CREATE TABLE IF NOT EXISTS pia_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        revision BIGINT NOT NULL,
        data BYTEA
    )""",
    "INSERT INTO pia_head (id, revision, data) VALUES (1, 0, NULL) ON CONFLICT (id) DO NOTHING",
    "CREATE TABLE IF NOT EXISTS pia_checkpoints (number BIGINT PRIMARY KEY CHECK (number >= 1), data BYTEA NOT NULL)",
    """CREATE OR REPLACE FUNCTION macip_pia_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_TABLE_NAME = 'pia_head' THEN
            IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'the PIA history head is never deleted'; END IF;
            IF NEW.revision < OLD.revision THEN RAISE EXCEPTION 'the PIA history head only moves forward'; END IF;
            RETURN NEW;
        ELSIF TG_TABLE_NAME = 'pia_revisions' THEN
            RAISE EXCEPTION 'a stored PIA revision is never changed or deleted';
        END IF;
        RAISE EXCEPTION 'a signed PIA checkpoint is never changed or deleted';
    END $$""",
    "CREATE OR REPLACE TRIGGER pia_head_kept BEFORE UPDATE OR DELETE ON pia_head "
    "FOR EACH ROW EXECUTE FUNCTION macip_pia_guard()",
    "CREATE OR REPLACE TRIGGER pia_revisions_kept BEFORE UPDATE OR DELETE ON pia_revisions "
    "FOR EACH ROW EXECUTE FUNCTION macip_pia_guard()",
    "CREATE OR REPLACE TRIGGER pia_checkpoints_kept BEFORE UPDATE OR DELETE ON pia_checkpoints "
    "FOR EACH ROW EXECUTE FUNCTION macip_pia_guard()",
)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _display(url: str) -> str:
    from ..disclosure.log import display_url

    return display_url(url)


class PostgresStore(RevisionStore):
    """A PIA history in a PostgreSQL database; each operation opens its own connection."""

    separator = "#"

    def __init__(self, url: str, *, timeout: float = 60.0):
        """A store at a ``postgresql://`` URL (nothing is opened until it is used).

        Args:
            url: A libpq URL; the password preferably from ``PGPASSWORD`` or ``~/.pgpass``.
            timeout: Seconds to wait for the server, or for another writer, before giving up.
        """
        self.url = url
        self.label = _display(url)
        self.timeout = timeout

    @contextmanager
    def _connect(self) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=max(1, int(self.timeout)))
        except psycopg.Error as exc:
            raise InvalidInputError(f"cannot connect to the PIA history: {_first_line(exc)}", file=self.label) from None
        try:
            conn.execute("SELECT set_config('lock_timeout', %s, false)", (f"{int(self.timeout * 1000)}ms",))
            yield conn
        except psycopg.Error as exc:
            raise InvalidInputError(f"the PIA history cannot be used: {_first_line(exc)}", file=self.label) from None
        finally:
            conn.close()

    @staticmethod
    def _present(conn: psycopg.Connection[tuple[object, ...]]) -> bool:
        """True when every table and guard is there (a history in use needs no DDL, nor the right to run it)."""
        row = conn.execute(
            "SELECT to_regclass('pia_revisions') IS NOT NULL AND to_regclass('pia_head') IS NOT NULL "
            "AND to_regclass('pia_checkpoints') IS NOT NULL AND EXISTS (SELECT 1 FROM pg_trigger "
            "WHERE tgname = 'pia_checkpoints_kept' AND tgrelid = to_regclass('pia_checkpoints'))"
        ).fetchone()
        return bool(row and row[0])

    def _create(self, conn: psycopg.Connection[tuple[object, ...]]) -> None:
        if self._present(conn):
            return
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", _SCHEMA_LOCK)
            for statement in _SCHEMA:
                conn.execute(statement)

    def tables_present(self) -> bool:
        """True when the database holds a PIA history's tables (a connection is made).

        Raises:
            InvalidInputError: The server cannot be reached or refuses the connection.
        """
        with self._connect() as conn:
            return self._present(conn)

    def snapshot(self) -> tuple[bytes | None, dict[int, bytes]]:
        """The head and every revision, read in one ``REPEATABLE READ`` transaction."""
        with self._connect() as conn:
            if not self._present(conn):
                return None, {}
            with conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                row = conn.execute("SELECT data FROM pia_head WHERE id = 1").fetchone()
                head = bytes(row[0]) if row is not None and row[0] is not None else None  # type: ignore[call-overload]
                found = conn.execute("SELECT revision, data FROM pia_revisions ORDER BY revision").fetchall()
        return head, {int(r[0]): bytes(r[1]) for r in found}  # type: ignore[call-overload]

    def commit(self, number: int, data: bytes, *, base: tuple[int, str] | None, head: bytes) -> None:
        """One transaction: lock the head's row, check it is still ``base``, insert the revision, move the head."""
        name = self.revision_name(number)
        stale = StaleRevisionError(
            f"revision {number} was stored by another writer meanwhile; nothing was written", file=name
        )
        with self._connect() as conn:
            self._create(conn)
            with conn.transaction():
                row = conn.execute("SELECT data FROM pia_head WHERE id = 1 FOR UPDATE").fetchone()
                if row is None:
                    raise InvalidInputError(
                        "missing: the history's head row was deleted; nothing was written", file=self.head_name()
                    )
                now = None
                if row[0] is not None:
                    parsed = _parse_head(bytes(row[0]), self.head_name())  # type: ignore[call-overload]
                    now = (parsed.revision, parsed.file_hash)
                taken = conn.execute("SELECT 1 FROM pia_revisions WHERE revision = %s", (number,)).fetchone()
                if now != base or taken is not None:
                    raise stale
                conn.execute("INSERT INTO pia_revisions (revision, data) VALUES (%s, %s)", (number, data))
                conn.execute("UPDATE pia_head SET revision = %s, data = %s WHERE id = 1", (number, head))

    def stored_checkpoints(self) -> dict[int, bytes]:
        """Every row of ``pia_checkpoints``."""
        with self._connect() as conn:
            if not self._present(conn):
                return {}
            found = conn.execute("SELECT number, data FROM pia_checkpoints ORDER BY number").fetchall()
        return {int(r[0]): bytes(r[1]) for r in found}  # type: ignore[call-overload]

    def add_checkpoint(self, number: int, data: bytes) -> None:
        """Insert the row; a number already taken is refused."""
        with self._connect() as conn:
            self._create(conn)
            inserted = conn.execute(
                "INSERT INTO pia_checkpoints (number, data) VALUES (%s, %s) ON CONFLICT (number) DO NOTHING",
                (number, data),
            ).rowcount
        if inserted != 1:
            raise InvalidInputError(
                "another checkpoint was stored meanwhile; nothing was written", file=self.checkpoint_name(number)
            )

    def load(self, revisions: dict[int, bytes], head: bytes, checkpoints: dict[int, bytes]) -> None:
        """Fill an empty store with a whole history in one transaction (see :func:`~macip_gov.pia.store.copy_history`).

        Raises:
            InvalidInputError: The store already holds a revision, a head or a checkpoint; nothing was written.
        """
        with self._connect() as conn:
            self._create(conn)
            with conn.transaction():
                row = conn.execute("SELECT data FROM pia_head WHERE id = 1 FOR UPDATE").fetchone()
                used = conn.execute(
                    "SELECT EXISTS (SELECT 1 FROM pia_revisions) OR EXISTS (SELECT 1 FROM pia_checkpoints)"
                ).fetchone()
                if row is None or row[0] is not None or (used is not None and used[0]):
                    raise InvalidInputError(
                        "not empty: a history is copied only into a store holding none; nothing was written",
                        file=self.label,
                    )
                with conn.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO pia_revisions (revision, data) VALUES (%s, %s)", sorted(revisions.items())
                    )
                    cursor.executemany(
                        "INSERT INTO pia_checkpoints (number, data) VALUES (%s, %s)", sorted(checkpoints.items())
                    )
                conn.execute("UPDATE pia_head SET revision = %s, data = %s WHERE id = 1", (max(revisions), head))


__all__ = ["PostgresStore"]
