"""The decision log on a real PostgreSQL server: the same chain and checks as SQLite, concurrent writers, migration.

Concurrency and crash tests run on both stores, against one shared log each.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psycopg
import pytest

from macip_gov.canonical import canonical_json
from macip_gov.cli import cli
from macip_gov.disclosure.log import LogEntry, display_url, open_log, sqlite_path
from macip_gov.errors import InvalidInputError
from macip_gov.signing import generate_key, load_private_key

ROOT = Path(__file__).resolve().parent.parent


def _entry(n: int, outcome: str = "allow") -> LogEntry:
    request = {"id": f"R-{n}", "from_agency": "msd", "to_agency": "police", "note": "whānau"}
    decision = {"id": f"R-{n}", "outcome": outcome, "policy_revision": "rev1", "legal_basis": ["IPP"]}
    return LogEntry(f"R-{n}", outcome, "rev1", canonical_json(request), canonical_json(decision))


def _pg(url: str, statement: str, *params) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement.replace("?", "%s"), params)


@pytest.fixture
def pg_log(pg_url):
    with open_log(pg_url) as log:
        log.append([_entry(n) for n in range(1, 6)], user="alice", recorded_at="2026-03-01T00:00:00.000000Z")
    return pg_url


# -- the same chain, the same answers --------------------------------------------------


def test_postgres_and_sqlite_store_the_same_chain(pg_url, tmp_path):
    heads = []
    for url in (pg_url, str(tmp_path / "d.db")):
        with open_log(url) as log:
            assert log.append([_entry(n) for n in range(1, 4)], user="u", recorded_at="2026-01-01T00:00:00Z") == [
                1,
                2,
                3,
            ]
            assert log.append([_entry(4)], user="u", recorded_at="2026-01-01T00:00:01Z") == [4]
            report = log.verify()
            heads.append((report.ok, report.rows, report.head, [r.model_dump() for r in log.records()]))
            assert [r.seq for r in log.records(last=2)] == [3, 4]
            assert log.get("R-2").seq == 2 and log.get("3").request_id == "R-3"
            assert "".join(log.export("csv")).count("\n") == 5
    assert heads[0] == heads[1]
    assert heads[0][:2] == (True, 4)


@pytest.mark.parametrize(
    ("statement", "bad_row", "problem"),
    [
        ("UPDATE decisions SET outcome = 'deny' WHERE seq = 3", 3,
         "its outcome column does not match the stored decision (the row was edited)"),
        ("UPDATE decisions SET \"user\" = 'mallory' WHERE seq = 2", 2,
         "its contents do not match its hash (the row was edited)"),
        ("DELETE FROM decisions WHERE seq = 2", 3, "row 2 missing: the chain jumps from row 1 to row 3"),
        ("DELETE FROM decisions WHERE seq = 5", 5,
         "the chain ends at row 4 but the head records row 5 (rows removed from the end)"),
        ("UPDATE decisions SET seq = 9 WHERE seq = 5", 9, "rows 5-8 missing: the chain jumps from row 4 to row 9"),
    ],
)  # fmt: skip
def test_tampering_on_postgres_is_named_as_on_sqlite(pg_log, tmp_path, statement, bad_row, problem):
    lite = tmp_path / "d.db"
    with open_log(lite) as log:
        log.append([_entry(n) for n in range(1, 6)], user="alice", recorded_at="2026-03-01T00:00:00.000000Z")
    db = sqlite3.connect(lite)
    with db:
        db.execute(statement)
    db.close()
    _pg(pg_log, statement)
    found = []
    for url in (pg_log, lite):
        with open_log(url, create=False) as log:
            report = log.verify()
        found.append((report.ok, report.rows, report.head, report.first_bad_row, report.problem))
    assert found[0] == found[1]
    assert found[0][::3] == (False, bad_row) and found[0][4] == problem


def test_postgres_refuses_to_extend_a_log_whose_end_was_cut(pg_log):
    _pg(pg_log, "DELETE FROM decisions WHERE seq = 5")
    with open_log(pg_log, create=False) as log, pytest.raises(InvalidInputError) as caught:
        log.append([_entry(6)], user="bob")
    assert "the last row is row 4 but the head records row 5; nothing was logged" in caught.value.message
    with open_log(pg_log, create=False) as log:
        assert log.count() == 4


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("DELETE FROM chain_head", "the decision log head is never deleted"),
        ("UPDATE chain_head SET seq = 1", "the decision log head only moves forward"),
        ("DELETE FROM log_meta WHERE key = 'head_seq'", "the decision log row count is never deleted"),
        ("UPDATE log_meta SET value = '1' WHERE key = 'head_seq'", "the decision log row count only moves forward"),
    ],
)
def test_postgres_guards_the_head_as_sqlite_does(pg_log, statement, message):
    with pytest.raises(psycopg.Error, match=message):
        _pg(pg_log, statement)


def test_a_missing_postgres_log_is_not_created_by_readers(pg_url, runner):
    with pytest.raises(InvalidInputError, match="not a macip-gov decision log"):
        open_log(pg_url, create=False)
    result = runner.invoke(cli, ["disclosure", "log", "verify", "--log", pg_url])
    assert result.exit_code == 3
    assert result.stderr == f"Error: {pg_url}: not a macip-gov decision log (no decisions table)\n"


def test_an_unreachable_server_is_one_line_exit_3(runner, postgres):
    url = f"postgresql://macip@127.0.0.1:{postgres.port}/no_such_database"
    result = runner.invoke(cli, ["disclosure", "log", "list", "--log", url])
    assert result.exit_code == 3
    assert result.stderr.startswith(f"Error: {url}: cannot connect to the decision log: ")
    assert result.stderr.count("\n") == 1


def test_an_unknown_kind_of_log_is_invalid_input(runner):
    result = runner.invoke(cli, ["disclosure", "log", "list", "--log", "mysql://db/log"])
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: mysql://db/log: unknown kind of decision log 'mysql': use sqlite:///PATH, a path, or postgresql://…\n"
    )


def test_passwords_are_never_shown():
    assert display_url("postgresql://app:s3cret@db.example:5432/macip") == "postgresql://app:***@db.example:5432/macip"
    assert display_url("postgresql://app@db/macip") == "postgresql://app@db/macip"
    assert sqlite_path("sqlite:///rel/d.db") == Path("rel/d.db")
    assert sqlite_path("sqlite:////abs/d.db") == Path("/abs/d.db")


def test_log_environment_variable_names_the_log(runner, pg_log):
    result = runner.invoke(cli, ["disclosure", "log", "verify"], env={"MACIP_DECISION_LOG": pg_log})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: 5 rows, chain intact; head ")


# -- concurrent writers and a writer killed mid-transaction ----------------------------

WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from macip_gov.disclosure.log import LogEntry, open_log
    name, url = sys.argv[1], sys.argv[2]
    with open_log(url) as log:
        for n in range(1000):
            rid = f"{{name}}-{{n}}"
            req = '{{"id":"' + rid + '"}}'
            dec = '{{"id":"' + rid + '","outcome":"allow","policy_revision":"r"}}'
            log.append([LogEntry(rid, "allow", "r", req, dec)], user=name)
    """
)


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_url(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "shared.db")
    return request.getfixturevalue("pg_url")


def test_eight_concurrent_writers_lose_nothing_and_keep_one_chain(shared_url, tmp_path):
    open_log(shared_url).close()
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(root=str(ROOT)))
    writers = [f"w{i}" for i in range(8)]
    procs = [subprocess.Popen([sys.executable, str(script), name, shared_url]) for name in writers]
    assert [p.wait(timeout=600) for p in procs] == [0] * 8
    with open_log(shared_url, create=False) as log:
        report = log.verify()
        assert (report.ok, report.rows) == (True, 8000)
        ids = [r.request_id for r in log.records()]
    assert sorted(ids) == sorted(f"{w}-{n}" for w in writers for n in range(1000))
    for w in writers:
        assert [i for i in ids if i.startswith(w + "-")] == [f"{w}-{n}" for n in range(1000)]


STALLED = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    sys.path.insert(0, {tests!r})
    from macip_gov.disclosure.log import open_log
    from test_log_postgres import _entry
    url, flag = sys.argv[1], sys.argv[2]
    log = open_log(url)
    run = log._run

    def stall(sql, params=()):
        run(sql, params)
        if sql.startswith("INSERT INTO chain_head"):  # rows and head written, not committed
            open(flag, "w").close()
            time.sleep(300)

    log._run = stall
    log.append([_entry(n) for n in range(100, 150)], user="killed")
    """
)


def test_a_writer_killed_mid_transaction_loses_only_its_own_chunk(shared_url, tmp_path):
    with open_log(shared_url) as log:
        log.append([_entry(n) for n in range(1, 11)], user="before")
    script, flag = tmp_path / "stalled.py", tmp_path / "in-transaction"
    script.write_text(STALLED.format(root=str(ROOT), tests=str(ROOT / "tests")))
    proc = subprocess.Popen([sys.executable, str(script), shared_url, str(flag)])
    try:
        for _ in range(600):
            if flag.exists() or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert flag.exists(), "the writer never reached the middle of its transaction"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    with open_log(shared_url, timeout=30) as log:
        assert log.append([_entry(11)], user="after") == [11]
        report = log.verify()
        users = {r.user for r in log.records()}
    assert (report.ok, report.rows) == (True, 11)
    assert users == {"before", "after"}


# -- migration -------------------------------------------------------------------------


def test_migrate_copies_rows_and_checkpoints_and_verifies(runner, tmp_path, pg_url):
    source = str(tmp_path / "d.db")
    generate_key(tmp_path / "k")
    key = load_private_key(tmp_path / "k")
    with open_log(source) as log:
        log.append([_entry(n) for n in range(1, 8)], user="alice")
        checkpoint = log.checkpoint(key)
        source_head = log.verify().head
    result = runner.invoke(cli, ["disclosure", "log", "migrate", "--from", f"sqlite:///{source}", "--to", pg_url])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        f"copied 7 rows and 1 checkpoints to {pg_url}",
        f"ok: 7 rows, chain intact; head {source_head} (row 7)",
    ]
    with open_log(pg_url, create=False) as log:
        report = log.verify(public_keys=[key.public], checkpoints=[checkpoint])
        assert (report.ok, report.checkpoints, report.signed) == (True, 1, True)
        assert log.append([_entry(8)], user="bob") == [8]
    again = runner.invoke(cli, ["disclosure", "log", "migrate", "--from", source, "--to", pg_url])
    assert again.exit_code == 3
    assert again.stderr == f"Error: {pg_url}: the destination log is not empty; nothing was copied\n"


def test_migrate_refuses_a_source_that_does_not_verify(runner, tmp_path, pg_url):
    source = tmp_path / "d.db"
    with open_log(source) as log:
        log.append([_entry(n) for n in range(1, 4)], user="alice")
    db = sqlite3.connect(source)
    with db:
        db.execute("UPDATE decisions SET \"user\" = 'mallory' WHERE seq = 2")
    db.close()
    result = runner.invoke(cli, ["disclosure", "log", "migrate", "--from", str(source), "--to", pg_url])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {source}: not copied: the source fails at row 2: its contents do not match its hash (the row was "
        "edited)\n"
    )
    with open_log(pg_url, create=False) as log:
        assert log.count() == 0
