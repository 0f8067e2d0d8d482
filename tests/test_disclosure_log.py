"""The decision log: hash chain, tamper detection, concurrent writers, export."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from macip_gov.canonical import canonical_json
from macip_gov.disclosure.log import GENESIS, DecisionLog, LogEntry, chain_hash, row_json
from macip_gov.errors import InvalidInputError

ROOT = Path(__file__).resolve().parent.parent


def _entry(n: int, outcome: str = "allow") -> LogEntry:
    request = {"id": f"R-{n}", "from_agency": "msd", "to_agency": "police", "note": "whānau"}
    decision = {
        "id": f"R-{n}",
        "outcome": outcome,
        "policy_revision": "rev1",
        "legal_basis": ["IPP"],
        "pia_flow": "F05",
    }
    return LogEntry(f"R-{n}", outcome, "rev1", canonical_json(request), canonical_json(decision))


@pytest.fixture
def log(tmp_path):
    with DecisionLog(tmp_path / "sub" / "decisions.db") as opened:
        opened.append([_entry(n) for n in range(1, 6)], user="alice", recorded_at="2026-03-01T00:00:00.000000Z")
        yield opened


def _sql(log: DecisionLog, statement: str, *args) -> None:
    db = sqlite3.connect(log.path)
    with db:
        db.execute(statement, args)
    db.close()


def test_rows_chain_from_genesis(log):
    rows = list(log.records())
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == GENESIS
    for before, row in zip([None, *rows], rows, strict=False):
        prev = before.hash if before else GENESIS
        canonical = canonical_json({
            "seq": row.seq, "recorded_at": row.recorded_at, "user": row.user,
            "request": row.request, "decision": row.decision,
        })  # fmt: skip
        assert row.prev_hash == prev
        assert row.hash == chain_hash(prev, canonical)
    assert rows[2].user == "alice"
    assert rows[2].request["note"] == "whānau"


def test_row_json_is_the_canonical_json_of_the_row():
    request, decision = canonical_json({"b": 1, "a": "ā"}), canonical_json({"z": [1], "y": None})
    assert row_json(7, "t", "bob", request, decision) == canonical_json(
        {"seq": 7, "recorded_at": "t", "user": "bob", "request": {"b": 1, "a": "ā"}, "decision": {"z": [1], "y": None}}
    )


def test_intact_log_verifies(log):
    report = log.verify()
    assert (report.ok, report.rows, report.first_bad_row, report.problem) == (True, 5, None, None)
    assert report.head == list(log.records())[-1].hash


def test_appends_continue_the_chain(log):
    head = log.verify().head
    assert log.append([_entry(6), _entry(7)], user="bob") == [6, 7]
    rows = list(log.records(last=2))
    assert [r.seq for r in rows] == [6, 7]
    assert rows[0].prev_hash == head
    assert log.verify().ok
    assert log.append([], user="bob") == []


def test_edited_row_is_named(log):
    _sql(log, "UPDATE decisions SET decision = replace(decision, 'allow', 'deny') WHERE seq = 3")
    report = log.verify()
    assert (report.ok, report.first_bad_row, report.rows) == (False, 3, 2)
    assert report.problem == "its contents do not match its hash (the row was edited)"


def test_edited_listing_column_is_named(log):
    _sql(log, "UPDATE decisions SET outcome = 'deny' WHERE seq = 4")
    report = log.verify()
    assert (report.first_bad_row, report.problem) == (
        4,
        "its outcome column does not match the stored decision (the row was edited)",
    )


def test_edited_user_is_named(log):
    _sql(log, "UPDATE decisions SET user = 'mallory' WHERE seq = 2")
    assert log.verify().first_bad_row == 2


def test_deleted_row_is_named(log):
    _sql(log, "DELETE FROM decisions WHERE seq = 3")
    report = log.verify()
    assert (report.ok, report.first_bad_row) == (False, 4)
    assert report.problem == "row 3 missing: the chain jumps from row 2 to row 4"


def test_deleted_last_row_is_caught_by_the_head(log):
    _sql(log, "DELETE FROM decisions WHERE seq = 5")
    report = log.verify()
    assert (report.ok, report.first_bad_row, report.rows) == (False, 5, 4)
    assert report.problem == "the chain ends at row 4 but the head records row 5 (rows removed from the end)"


def test_every_row_deleted_is_caught(log):
    _sql(log, "DELETE FROM decisions")
    report = log.verify()
    assert (report.ok, report.first_bad_row) == (False, 1)


def test_reordered_rows_are_named(log):
    # Swap rows 2 and 3 wholesale, keeping the sequence numbers in place.
    db = sqlite3.connect(log.path)
    with db:
        cols = "recorded_at, user, request_id, outcome, policy_revision, request, decision, prev_hash, hash"
        two = db.execute(f"SELECT {cols} FROM decisions WHERE seq = 2").fetchone()
        three = db.execute(f"SELECT {cols} FROM decisions WHERE seq = 3").fetchone()
        sets = ", ".join(f"{c.strip()} = ?" for c in cols.split(","))
        db.execute(f"UPDATE decisions SET {sets} WHERE seq = 2", three)
        db.execute(f"UPDATE decisions SET {sets} WHERE seq = 3", two)
    db.close()
    report = log.verify()
    assert (report.ok, report.first_bad_row) == (False, 2)
    assert report.problem == "its link to the row before is broken (rows removed, inserted or reordered)"


def test_renumbered_rows_are_named(log):
    _sql(log, "UPDATE decisions SET seq = 100 WHERE seq = 2")
    _sql(log, "UPDATE decisions SET seq = 2 WHERE seq = 3")
    _sql(log, "UPDATE decisions SET seq = 3 WHERE seq = 100")
    assert log.verify().first_bad_row == 2


def test_a_rewritten_log_fails_its_anchor(log):
    anchor = (5, log.verify().head)
    # Rewrite row 3 and recompute every hash after it, as someone covering their tracks would.
    rows = list(log.records())
    db = sqlite3.connect(log.path)
    with db:
        prev = rows[1].hash
        for r in rows[2:]:
            decision = dict(r.decision, outcome="deny") if r.seq == 3 else r.decision
            request_json, decision_json = canonical_json(r.request), canonical_json(decision)
            digest = chain_hash(prev, row_json(r.seq, r.recorded_at, r.user, request_json, decision_json))
            db.execute(
                "UPDATE decisions SET decision = ?, outcome = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                (decision_json, decision["outcome"], prev, digest, r.seq),
            )
            prev = digest
        db.execute("UPDATE chain_head SET hash = ? WHERE id = 1", (prev,))
    db.close()
    assert log.verify().ok
    report = log.verify(anchor=anchor)
    assert (report.ok, report.first_bad_row) == (False, 5)
    assert report.problem == f"its hash is not the anchored {anchor[1]} (the log was rewritten)"
    assert log.verify(anchor=(9, anchor[1])).problem == "anchored row 9 is missing (rows removed from the end)"


def test_get_by_sequence_or_request_id(log):
    log.append([_entry(2, "deny")], user="bob")
    assert log.get("2").seq == 2
    assert log.get("R-2").seq == 6
    assert log.get("R-2").outcome == "deny"
    with pytest.raises(InvalidInputError, match="no row 'R-9'"):
        log.get("R-9")


def test_export_jsonl(log):
    lines = list(log.export("jsonl"))
    assert len(lines) == 5
    first = json.loads(lines[0])
    assert (first["seq"], first["request"]["id"], first["prev_hash"]) == (1, "R-1", GENESIS)


def test_export_csv(log):
    rows = list(csv.reader(io.StringIO("".join(log.export("csv")))))
    assert rows[0] == [
        "seq", "recorded_at", "user", "request_id", "outcome", "policy_revision", "legal_basis", "pia_flow",
        "prev_hash", "hash", "request", "decision",
    ]  # fmt: skip
    assert len(rows) == 6
    assert rows[1][:8] == ["1", "2026-03-01T00:00:00.000000Z", "alice", "R-1", "allow", "rev1", "IPP", "F05"]
    assert json.loads(rows[1][10])["note"] == "whānau"


def test_missing_log_is_invalid_input(tmp_path):
    with pytest.raises(InvalidInputError) as info:
        DecisionLog(tmp_path / "none.db", create=False)
    assert info.value.one_line() == f"{tmp_path / 'none.db'}: decision log not found"


def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("not sqlite at all, just words " * 100)
    with pytest.raises(InvalidInputError, match="not a usable decision log"):
        DecisionLog(path, create=False)


def test_a_database_that_is_not_a_log(tmp_path):
    path = tmp_path / "other.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x)")
    db.close()
    with pytest.raises(InvalidInputError, match="not a macip-gov decision log"):
        DecisionLog(path, create=False)


def test_wal_mode(log):
    db = sqlite3.connect(log.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from macip_gov.disclosure.log import DecisionLog, LogEntry
    name, path = sys.argv[1], sys.argv[2]
    with DecisionLog(path) as log:
        for n in range(1000):
            rid = f"{{name}}-{{n}}"
            req = '{{"id":"' + rid + '"}}'
            dec = '{{"id":"' + rid + '","outcome":"allow","policy_revision":"r"}}'
            log.append([LogEntry(rid, "allow", "r", req, dec)], user=name)
    """
)


def test_two_concurrent_writers_lose_nothing_and_keep_the_chain(tmp_path):
    path = tmp_path / "shared.db"
    DecisionLog(path).close()
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(root=str(ROOT)))
    procs = [subprocess.Popen([sys.executable, str(script), name, str(path)]) for name in ("a", "b")]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    with DecisionLog(path, create=False) as log:
        report = log.verify()
        assert (report.ok, report.rows) == (True, 2000)
        ids = [r.request_id for r in log.records()]
    assert sorted(ids) == sorted(f"{w}-{n}" for w in ("a", "b") for n in range(1000))
    # Each writer's own rows stay in the order it wrote them.
    for w in ("a", "b"):
        assert [i for i in ids if i.startswith(w)] == [f"{w}-{n}" for n in range(1000)]


# -- malformed rows: a verification failure naming the row, never a crash -----------------

_LOOSE = "seq, recorded_at, user, request_id, outcome, policy_revision, request, decision, prev_hash, hash"


def _loosen(log: DecisionLog) -> None:
    """Rebuild the decisions table without column types or constraints, as a shell user could."""
    db = sqlite3.connect(log.path)
    with db:
        db.execute("ALTER TABLE decisions RENAME TO decisions_old")
        db.execute(f"CREATE TABLE decisions ({_LOOSE})")
        db.execute(f"INSERT INTO decisions SELECT {_LOOSE} FROM decisions_old")
        db.execute("DROP TABLE decisions_old")
    db.close()


def _rehash_row_3(log: DecisionLog, request: str) -> None:
    """Store ``request`` in row 3 with the row's hash recomputed (and the chain after it)."""
    rows = {r.seq: r for r in log.records()}
    prev = rows[2].hash
    db = sqlite3.connect(log.path)
    with db:
        for seq in (3, 4, 5):
            r = rows[seq]
            req = request if seq == 3 else canonical_json(r.request)
            digest = chain_hash(prev, row_json(seq, r.recorded_at, r.user, req, canonical_json(r.decision)))
            db.execute(
                "UPDATE decisions SET request = ?, prev_hash = ?, hash = ? WHERE seq = ?", (req, prev, digest, seq)
            )
            prev = digest
        db.execute("UPDATE chain_head SET hash = ? WHERE id = 1", (prev,))
    db.close()


MALFORMED = {
    "request-a-json-list": (None, "its stored request is not a JSON object (the row was edited)"),
    "hash-null": ("UPDATE decisions SET hash = NULL WHERE seq = 3", "its hash column is NULL, not text"),
    "user-a-number": ("UPDATE decisions SET user = 5 WHERE seq = 3", "its user column is a number, not text"),
    "request-binary": ("UPDATE decisions SET request = X'00ff' WHERE seq = 3", "its request column is binary data"),
    "recorded-at-null": ("UPDATE decisions SET recorded_at = NULL WHERE seq = 3", "its recorded_at column is NULL"),
    "prev-hash-not-hex": (
        "UPDATE decisions SET prev_hash = 'zz' || substr(prev_hash, 3) WHERE seq = 3",
        "its prev_hash is not a SHA-256 hex digest (the row was edited)",
    ),
    "hash-short": (
        "UPDATE decisions SET hash = substr(hash, 1, 10) WHERE seq = 3",
        "its hash is not a SHA-256 hex digest (the row was edited)",
    ),
    "seq-text": ("UPDATE decisions SET seq = 'five' WHERE seq = 5", "its sequence number 'five' is not a row number"),
    "seq-null": ("UPDATE decisions SET seq = NULL WHERE seq = 3", "its sequence number None is not a row number"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_row_fails_verification_naming_the_row(log, runner, case):
    from macip_gov.cli import cli

    statement, problem = MALFORMED[case]
    _loosen(log)
    if statement is None:
        _rehash_row_3(log, "[1]")
    else:
        _sql(log, statement)
    report = log.verify()
    assert report.ok is False
    assert problem in report.problem
    # A NULL sequence number sorts first: the row is named by its place in the chain.
    expected_row = {"seq-null": 1, "seq-text": 5}.get(case, 3)
    assert report.first_bad_row == expected_row
    result = runner.invoke(cli, ["disclosure", "log", "verify", "--log", str(log.path)])
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith(f"FAILED at row {expected_row}: ")
    assert problem in result.stdout
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_a_missing_column_fails_verification(log, runner):
    from macip_gov.cli import cli

    _sql(log, "ALTER TABLE decisions DROP COLUMN outcome")
    report = log.verify()
    assert (report.ok, report.first_bad_row) == (False, 1)
    assert report.problem == "the decisions table has no outcome column (the log was altered)"
    result = runner.invoke(cli, ["disclosure", "log", "verify", "--log", str(log.path)])
    assert result.exit_code == 1
    assert result.stdout.startswith("FAILED at row 1: the decisions table has no outcome column")


def test_a_missing_head_table_fails_verification(log, runner):
    from macip_gov.cli import cli

    log.close()
    _drop_guards(log.path)
    db = sqlite3.connect(log.path)
    with db:
        db.execute("DROP TABLE chain_head")
    db.close()
    result = runner.invoke(cli, ["disclosure", "log", "verify", "--log", str(log.path)])
    assert result.exit_code == 1
    assert result.stdout == (
        "FAILED at row 6: its head table (chain_head) is missing (the log was altered)\n5 rows intact before it\n"
    )


def test_reading_a_malformed_row_names_it(log, runner):
    from macip_gov.cli import cli

    _loosen(log)
    _rehash_row_3(log, "[1]")
    with pytest.raises(InvalidInputError, match=r"row 3 is malformed"):
        list(log.records())
    result = runner.invoke(cli, ["disclosure", "log", "list", "--log", str(log.path), "--last", "0"])
    assert result.exit_code == 3
    assert "row 3 is malformed" in result.stderr and "log verify" in result.stderr
    _sql(log, "UPDATE decisions SET decision = '{not json' WHERE seq = 4")
    shown = runner.invoke(cli, ["disclosure", "log", "show", "4", "--log", str(log.path)])
    assert shown.exit_code == 3
    assert "row 4 is malformed" in shown.stderr
    assert log.verify().first_bad_row == 3


HOSTILE_STORED_JSON = {
    # A rehashed row whose request repeats a key: read naively, the last value would win.
    "duplicate-key": ('{"id":"MACIP-X","id":"MACIP-Y"}', "duplicate key 'id'"),
    # Nested past the input limit: read naively, a RecursionError (exit 4) instead of a verdict.
    "too-deep": ("[" * 5000 + "]" * 5000, "nested deeper than"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_STORED_JSON))
def test_stored_json_is_read_as_strictly_as_any_input(log, runner, case):
    from macip_gov.cli import cli

    request, problem = HOSTILE_STORED_JSON[case]
    _loosen(log)
    _rehash_row_3(log, request)
    report = log.verify()
    assert (report.ok, report.first_bad_row) == (False, 3)
    assert problem in report.problem
    with pytest.raises(InvalidInputError, match=r"row 3 is malformed"):
        list(log.records())
    verified = runner.invoke(cli, ["disclosure", "log", "verify", "--log", str(log.path)])
    assert verified.exit_code == 1 and verified.stdout.startswith("FAILED at row 3: ")
    listed = runner.invoke(cli, ["disclosure", "log", "list", "--log", str(log.path)])
    assert listed.exit_code == 3 and "row 3 is malformed" in listed.stderr


# -- the head count: a log that had rows and has none fails -------------------------------


def _drop_guards(path: Path) -> None:
    db = sqlite3.connect(path)
    with db:
        for name in ("chain_head_kept", "chain_head_forward", "head_seq_kept", "head_seq_forward"):
            db.execute(f"DROP TRIGGER IF EXISTS {name}")
    db.close()


def test_the_head_cannot_be_deleted_or_moved_back(log):
    for statement in (
        "DELETE FROM chain_head",
        "UPDATE chain_head SET seq = 2",
        "DELETE FROM log_meta WHERE key = 'head_seq'",
        "UPDATE log_meta SET value = '0' WHERE key = 'head_seq'",
        "DELETE FROM log_meta",
    ):
        with pytest.raises(sqlite3.DatabaseError, match="decision log"):
            _sql(log, statement)
    assert log.verify().ok


def test_every_row_and_the_head_deleted_is_caught(log, runner):
    from macip_gov.cli import cli

    _sql(log, "DELETE FROM decisions")
    with pytest.raises(sqlite3.DatabaseError, match="the decision log head is never deleted"):
        _sql(log, "DELETE FROM chain_head")
    _drop_guards(log.path)  # even with the guards gone, the row count is kept
    _sql(log, "DELETE FROM chain_head")
    report = log.verify()
    assert (report.ok, report.rows, report.first_bad_row) == (False, 0, 1)
    assert report.problem == "the log is empty but it recorded 5 rows (rows removed)"
    result = runner.invoke(cli, ["disclosure", "log", "verify", "--log", str(log.path)])
    assert result.exit_code == 1
    assert result.stdout == (
        "FAILED at row 1: the log is empty but it recorded 5 rows (rows removed)\n0 rows intact before it\n"
    )


def test_rows_cut_from_the_end_and_the_head_moved_back_are_caught(log):
    _drop_guards(log.path)
    _sql(log, "DELETE FROM decisions WHERE seq > 3")
    _sql(log, "UPDATE chain_head SET seq = 3, hash = (SELECT hash FROM decisions WHERE seq = 3)")
    report = log.verify()
    assert (report.ok, report.rows, report.first_bad_row) == (False, 3, 4)
    assert report.problem == "the chain ends at row 3 but the log recorded 5 rows (rows removed from the end)"


def test_appending_to_a_log_cut_at_the_end_is_refused(log):
    _sql(log, "DELETE FROM decisions WHERE seq = 5")
    with pytest.raises(InvalidInputError, match="the last row is row 4 but the head records row 5; nothing was logged"):
        log.append([_entry(6)], user="bob")
    assert log.count() == 4
    report = log.verify()
    assert (report.ok, report.first_bad_row) == (False, 5)


def test_appending_to_an_emptied_log_is_refused(log):
    _sql(log, "DELETE FROM decisions")
    with pytest.raises(InvalidInputError, match="the log is empty but its head records row 5"):
        log.append([_entry(6)], user="bob")
    assert log.count() == 0


_LEGACY = """
CREATE TABLE decisions (
    seq INTEGER PRIMARY KEY, recorded_at TEXT NOT NULL, user TEXT NOT NULL, request_id TEXT NOT NULL,
    outcome TEXT NOT NULL, policy_revision TEXT NOT NULL, request TEXT NOT NULL, decision TEXT NOT NULL,
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE TABLE chain_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
CREATE TABLE log_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO log_meta VALUES ('schema_version', '1');
"""


def test_a_log_from_before_the_row_count_verifies_and_gains_it(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    db.executescript(_LEGACY)
    prev = GENESIS
    with db:
        for n in (1, 2):
            e = _entry(n)
            digest = chain_hash(prev, row_json(n, "t", "alice", e.request_json, e.decision_json))
            db.execute(
                f"INSERT INTO decisions ({_LOOSE}) VALUES (?, 't', 'alice', ?, ?, ?, ?, ?, ?, ?)",
                (n, e.request_id, e.outcome, e.policy_revision, e.request_json, e.decision_json, prev, digest),
            )
            prev = digest
        db.execute("INSERT INTO chain_head VALUES (1, 2, ?)", (prev,))
    db.close()
    with DecisionLog(path, create=False) as old:
        assert old.verify().ok
    with DecisionLog(path) as opened:  # opened to append: gains the guards and the count
        assert opened.verify().ok
        opened.append([_entry(3)], user="bob")
        assert opened.verify().ok
    db = sqlite3.connect(path)
    assert db.execute("SELECT value FROM log_meta WHERE key = 'head_seq'").fetchone() == ("3",)
    db.close()
