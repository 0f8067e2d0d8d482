"""The PIA history in PostgreSQL: the same bytes, chain, checks and refusals as a history folder.

Every test runs on a real PostgreSQL server (the session's ``postgres`` fixture), each
in a schema of its own. Tampering tests make the same edit to a folder and to the
database, as a person with write access to each would, and compare what is reported.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
import yaml
from conftest import write_tree

from macip_gov.cli import cli
from macip_gov.errors import InvalidInputError, StaleRevisionError
from macip_gov.pia.checkpoints import checkpoint_pia, checkpoints_problem, stored_checkpoints
from macip_gov.pia.history import pia_history
from macip_gov.pia.models import Pia
from macip_gov.pia.store import (
    VerificationError,
    check_history,
    checkout,
    copy_history,
    load_pia,
    open_store,
    restore_text,
    revise,
    sign_off,
    verify_history,
)
from macip_gov.signing import generate_key, load_private_key, load_public_key

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "data" / "passing_pia_minimal.yaml"
GG = ROOT / "examples" / "governance" / "macip-governance-group.yaml"
T = [datetime(2026, 11, d, 9, 0, tzinfo=UTC) for d in (20, 21, 22, 23)]


def _pg(url: str, *statements: str, params: tuple = ()) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement, params)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _build(folder: Path, history: Path | str | None) -> Path:
    """r1 stored, r2 its sign-off, r3 an edit, r4 its sign-off, at fixed times."""
    folder.mkdir(parents=True)
    shutil.copy(MINIMAL, folder / "macip.yaml")
    revise(folder, author="alice", message="First", now=T[0], history=history)
    sign_off(folder, by="Jo Chair", role="Chair", now=T[1], history=history)
    _edit(folder / "macip.yaml", "retention: 7 years.", "retention: 9 years.")
    revise(folder, author="alice", message="Keep referrals nine years", now=T[2], history=history)
    sign_off(folder, by="Jo Chair", role="Chair", now=T[3], history=history)
    return folder


@pytest.fixture
def both(tmp_path, pg_url):
    """The same four revisions in a folder and in PostgreSQL: (folder PIA, its history, PostgreSQL PIA, URL)."""
    files = _build(tmp_path / "files" / "pia", None)
    served = _build(tmp_path / "served" / "pia", pg_url)
    assert not (served / "history").exists()
    return files, files / "history", served, pg_url


def _report(location: Path | str) -> tuple:
    """What verifying says, with each store's own name for itself taken out of the file named."""
    chain = check_history(location)
    store = open_store(location)
    problem = chain.problem
    where = problem.file[len(store.label) + 1 :] if problem is not None and problem.file else None
    return chain.ok, chain.latest, chain.head_hash, where, problem.message if problem else None


# -- the same history -------------------------------------------------------------------


def test_both_stores_hold_the_same_bytes_and_report_the_same_history(both):
    files, history, served, url = both
    assert open_store(history).snapshot() == open_store(url).snapshot()
    assert _report(history) == _report(url)
    assert _report(url)[:2] == (True, 4)
    a, b = pia_history(files), pia_history(served, history=url)
    assert a.model_dump(exclude={"file"}) == b.model_dump(exclude={"file"})
    assert b.verified and b.latest == 4 and b.stored and b.signoff.state.value == "current"


def test_revision_names_in_postgres_are_the_url_and_the_file_it_would_be(both):
    _, _, served, url = both
    _edit(served / "macip.yaml", "retention: 9 years.", "retention: 10 years.")
    result = revise(served, author="bob", message="Ten years", history=url)
    assert result.created and result.path == f"{url}#r0005.yaml"


# -- tampering: the same edit, the same report ---------------------------------------------


def _rechained(data: bytes, change) -> bytes:
    """A revision file edited as a person would: load, change, recompute the content hash, dump."""
    text = data.decode("utf-8")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    record = yaml.safe_load(text)
    change(record)
    record["content_hash"] = Pia.model_validate(record["document"]).content_hash()
    return (header + yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=100)).encode("utf-8")


def _set_retention(record: dict) -> None:
    record["document"]["flows"][0]["retention"] = "Forever."


_UNGUARDED = "ALTER TABLE pia_revisions DISABLE TRIGGER USER; ALTER TABLE pia_head DISABLE TRIGGER USER"


def _tamper_files(history: Path, kind: str) -> None:
    if kind == "edit middle":
        path = history / "r0003.yaml"
        path.write_bytes(_rechained(path.read_bytes(), _set_retention))
    elif kind == "edit latest":
        path = history / "r0004.yaml"
        path.write_bytes(_rechained(path.read_bytes(), _set_retention))
    elif kind == "delete middle":
        (history / "r0002.yaml").unlink()
    elif kind == "delete latest":
        (history / "r0004.yaml").unlink()
    elif kind == "delete head":
        (history / "head.yaml").unlink()
    elif kind == "add revision":
        (history / "r0005.yaml").write_bytes((history / "r0004.yaml").read_bytes())


def _tamper_pg(url: str, kind: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in _UNGUARDED.split("; "):
            conn.execute(statement)
        if kind.startswith("edit"):
            number = 3 if kind == "edit middle" else 4
            row = conn.execute("SELECT data FROM pia_revisions WHERE revision = %s", (number,)).fetchone()
            edited = _rechained(bytes(row[0]), _set_retention)
            conn.execute("UPDATE pia_revisions SET data = %s WHERE revision = %s", (edited, number))
        elif kind == "delete middle":
            conn.execute("DELETE FROM pia_revisions WHERE revision = 2")
        elif kind == "delete latest":
            conn.execute("DELETE FROM pia_revisions WHERE revision = 4")
        elif kind == "delete head":
            conn.execute("DELETE FROM pia_head")
        elif kind == "add revision":
            conn.execute("INSERT INTO pia_revisions SELECT 5, data FROM pia_revisions WHERE revision = 4")


@pytest.mark.parametrize(
    ("kind", "where", "problem"),
    [
        ("edit middle", "r0003.yaml", "changed since r0004.yaml was stored"),
        ("edit latest", "r0004.yaml", "document.signoffs: the sign-off by Jo Chair approves sha256:"),
        ("delete middle", "r0002.yaml", "missing: revision 2 removed"),
        ("delete latest", "r0004.yaml", "missing: head.yaml records revision 4 as the latest"),
        ("delete head", "head.yaml", "missing: the history has revisions but no head (removed?)"),
        ("add revision", "r0005.yaml", "revision: the file holds revision 4, not 5"),
    ],
)
def test_tampering_in_postgres_is_reported_as_in_a_folder(both, kind, where, problem):
    _, history, _, url = both
    _tamper_files(history, kind)
    _tamper_pg(url, kind)
    found = [_report(history), _report(url)]
    assert found[0] == found[1]
    ok, _, _, named, message = found[0]
    assert not ok and named == where and message.startswith(problem)
    for location in (history, url):
        with pytest.raises(VerificationError):
            verify_history(location)


def test_a_broken_postgres_history_is_refused_by_revise_and_reported_by_the_cli(both, runner, monkeypatch):
    _, _, served, url = both
    _tamper_pg(url, "edit middle")
    _edit(served / "macip.yaml", "retention: 9 years.", "retention: 10 years.")
    with pytest.raises(VerificationError):
        revise(served, author="mallory", message="On a broken chain", history=url)
    monkeypatch.chdir(served.parent)
    result = runner.invoke(cli, ["pia", "history", "pia", "--history", url])
    assert result.exit_code == 1
    assert f"chain: FAILED: {url}#r0003.yaml: changed since r0004.yaml was stored" in result.stdout
    validate = runner.invoke(cli, ["pia", "validate", "pia", "--history", url, "--today", "2026-11-25"])
    assert validate.exit_code == 1 and "DENY pia.history.broken" in validate.stdout


def test_postgres_guards_stored_revisions_and_the_head(both):
    url = both[3]
    for statement, message in [
        ("UPDATE pia_revisions SET data = 'x' WHERE revision = 1", "a stored PIA revision is never changed"),
        ("DELETE FROM pia_revisions WHERE revision = 4", "a stored PIA revision is never changed or deleted"),
        ("DELETE FROM pia_head", "the PIA history head is never deleted"),
        ("UPDATE pia_head SET revision = 1", "the PIA history head only moves forward"),
    ]:
        with pytest.raises(psycopg.Error, match=message):
            _pg(url, statement)
    assert _report(url)[:2] == (True, 4)


# -- checkpoints ----------------------------------------------------------------------------


def _rewrite_everything(history: Path | str, url: str | None) -> None:
    """Rewrite revision 3 and rechain every later revision and the head, as an insider with write access would."""
    store = open_store(url or history)
    head, files = store.snapshot()
    files[3] = _rechained(files[3], _set_retention)
    previous = "sha256:" + hashlib.sha256(files[3]).hexdigest()
    for n in range(4, max(files) + 1):
        files[n] = _rechained(files[n], lambda r, p=previous: r.update(previous_hash=p))
        previous = "sha256:" + hashlib.sha256(files[n]).hexdigest()
    new_head = f"revision: {max(files)}\nfile_hash: {previous}\n".encode()
    if url is None:
        for n, data in files.items():
            (Path(history) / f"r{n:04d}.yaml").write_bytes(data)
        (Path(history) / "head.yaml").write_bytes(new_head)
        return
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in _UNGUARDED.split("; "):
            conn.execute(statement)
        for n, data in files.items():
            conn.execute("UPDATE pia_revisions SET data = %s WHERE revision = %s", (data, n))
        conn.execute("UPDATE pia_head SET data = %s", (new_head,))


def test_a_rewritten_postgres_history_verifies_alone_but_contradicts_its_checkpoint(both, tmp_path):
    files, history, served, url = both
    key = tmp_path / "cp.key"
    generate_key(key)
    private, public = load_private_key(key), load_public_key(Path(f"{key}.pub"))
    signed = [checkpoint_pia(files, private), checkpoint_pia(served, private, history=url)]
    assert signed[0].body.file_hash == signed[1].body.file_hash
    problems = []
    for location, served_url in ((history, None), (url, url)):
        _rewrite_everything(location, served_url)
        chain = verify_history(location)  # the chain alone cannot tell
        problem = checkpoints_problem(chain, stored_checkpoints(chain.store), [public], [])
        assert problem is not None and problem.file == chain.store.checkpoint_name(1)
        problems.append(problem.message)
    assert problems[0] == problems[1]
    assert problems[0].startswith("the history contradicts checkpoint 1: revision 4's file hash is ")


# -- stale writers -------------------------------------------------------------------------


def test_a_writer_based_on_an_old_head_is_refused_and_nothing_is_lost(both, tmp_path, runner, monkeypatch):
    _, _, served, url = both
    other = tmp_path / "other" / "pia"
    shutil.copytree(served, other)
    _edit(served / "macip.yaml", "retention: 9 years.", "retention: 10 years.")
    assert revise(served, author="alice", message="Ten years", history=url).created
    before = open_store(url).snapshot()
    _edit(other / "macip.yaml", "retention: 9 years.", "retention: 11 years.")
    with pytest.raises(StaleRevisionError):
        revise(other, author="bob", message="Eleven years", history=url)
    monkeypatch.chdir(other.parent)
    result = runner.invoke(cli, ["pia", "revise", "pia", "--history", url, "-m", "Eleven years"])
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1 and "based on revision 4, but revision 5 is the latest" in result.stderr
    assert open_store(url).snapshot() == before
    assert verify_history(url).latest == 5


def test_a_commit_whose_head_moved_meanwhile_is_refused(both):
    url = both[3]
    chain = verify_history(url)
    store = open_store(url)
    head, files = store.snapshot()
    base = (4, str(chain.head_hash))
    with pytest.raises(StaleRevisionError, match="revision 4 was stored by another writer meanwhile"):
        store.commit(4, files[4], base=(3, chain.revisions[2].file_hash), head=head or b"")
    with pytest.raises(StaleRevisionError, match="revision 5 was stored by another writer meanwhile"):
        store.commit(5, files[4], base=(4, "sha256:" + "0" * 64), head=head or b"")
    assert store.snapshot() == (head, files) and base == (chain.latest, chain.head_hash)


_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from macip_gov.errors import StaleRevisionError
    from macip_gov.pia.store import latest_revision, restore_text, revise

    folder, url, name, rounds = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    stored = refused = 0
    while stored < rounds:
        text = restore_text(latest_revision(url))
        text = text.replace("title: ", f"title: {name} {stored} ", 1)
        (folder / "macip.yaml").write_text(text, encoding="utf-8")
        try:
            revise(folder, author=name, message=f"{name} round {stored}", history=url)
        except StaleRevisionError as exc:
            line = exc.one_line()
            assert "\\n" not in line and ("nothing was written" in line or "is the latest" in line), line
            refused += 1
            continue
        stored += 1
    print(stored, refused)
    """
)


def test_several_processes_revising_at_once_keep_one_linear_chain(both, tmp_path):
    url = both[3]
    writers, rounds = 4, 5
    procs = []
    for n in range(writers):
        folder = tmp_path / f"writer{n}"
        folder.mkdir()
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", _WRITER, str(folder), url, f"w{n}", str(rounds)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    results = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in results]
    counts = [tuple(int(x) for x in out.split()) for out, _ in results]
    assert all(stored == rounds for stored, _ in counts)
    chain = check_history(url, full=True)
    assert chain.ok and chain.latest == 4 + writers * rounds
    authors = [info.author for info in chain.infos()[4:]]
    assert sorted(authors) == sorted(f"w{n}" for n in range(writers) for _ in range(rounds))
    # Each revision was based on the one before it: its title carries its writer's round.
    for info in chain.infos()[4:]:
        title = chain.get(info.revision).document.title
        assert re.match(rf"{info.author} \d ", title)


# -- copying a history into PostgreSQL --------------------------------------------------------


def test_migrate_to_postgres_copies_every_revision_and_checkpoint_and_verifies(tmp_path, pg_url, runner, monkeypatch):
    files = _build(tmp_path / "pia", None)
    key = tmp_path / "cp.key"
    generate_key(key)
    checkpoint_pia(files, load_private_key(key))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["pia", "migrate", "pia", "--to", pg_url])
    assert result.exit_code == 0, result.output
    head = verify_history(files / "history").head_hash
    assert result.stdout == (
        f"copied 4 revisions from pia/history to {pg_url}\nchain: verified, 4 revisions, head r4 {head}\n"
    )
    assert open_store(pg_url).snapshot() == open_store(files / "history").snapshot()
    shown = runner.invoke(cli, ["pia", "history", "pia", "--history", pg_url, "--public-key", f"{key}.pub"])
    assert shown.exit_code == 0, shown.output
    assert "checkpoints: 1 in the chain (signatures hold)" in shown.stdout
    again = runner.invoke(cli, ["pia", "migrate", "pia", "--to", pg_url])
    assert again.exit_code == 3
    assert again.stderr == f"Error: {pg_url}: not empty: a history is copied only into a store holding none; " \
        "nothing was written\n"  # fmt: skip


def test_a_history_that_does_not_verify_is_not_copied(tmp_path, pg_url):
    files = _build(tmp_path / "pia", None)
    _tamper_files(files / "history", "edit middle")
    with pytest.raises(VerificationError):
        copy_history(files / "history", pg_url)
    assert open_store(pg_url).snapshot() == (None, {})


def test_a_postgres_history_copies_back_to_a_folder_unchanged(both, tmp_path):
    url = both[3]
    backup = tmp_path / "backup"
    copy = copy_history(url, backup)
    assert copy.ok and copy.head_hash == verify_history(url).head_hash
    with pytest.raises(InvalidInputError, match="not empty"):
        copy_history(url, backup)


# -- the workspace, tor and doctor -----------------------------------------------------------


@pytest.fixture
def team(tmp_path, pg_url, monkeypatch):
    """A workspace whose PIA history is in PostgreSQL, and one stored revision."""
    write_tree(tmp_path, {"macip.toml": f'[pia]\ndir = "pia"\nhistory = "{pg_url}"\n'})
    (tmp_path / "pia").mkdir()
    shutil.copy(MINIMAL, tmp_path / "pia" / "macip.yaml")
    (tmp_path / "notes").mkdir()
    monkeypatch.chdir(tmp_path / "notes")
    return tmp_path, pg_url


def test_workspace_pia_commands_use_its_postgres_history(team, runner):
    root, url = team
    stored = runner.invoke(cli, ["pia", "revise", "-m", "First"])
    assert stored.exit_code == 0, stored.output
    assert stored.stdout.startswith("stored revision 1 (") and stored.stdout.endswith(f" at {url}#r0001.yaml\n")
    signed = runner.invoke(cli, ["pia", "sign-off", "--by", "Jo Chair", "--role", "Chair"])
    assert signed.exit_code == 0, signed.output
    history = runner.invoke(cli, ["pia", "history", "--json"])
    assert history.exit_code == 0
    report = json.loads(history.stdout)
    assert report["verified"] and report["latest"] == 2 and report["signoff"]["state"] == "current"
    validate = runner.invoke(cli, ["pia", "validate", "--today", "2026-11-25"])
    assert validate.exit_code == 0, validate.output
    flows = runner.invoke(cli, ["pia", "export-flows"])
    assert flows.exit_code == 0 and json.loads(flows.stdout)["F01"]["signed_off"] is True
    diff = runner.invoke(cli, ["pia", "diff", "1", "latest"])
    assert diff.exit_code == 0 and diff.stdout.startswith("+ signoffs ") and diff.stdout.endswith(": Jo Chair\n")
    assert not (root / "pia" / "history").exists()


def test_tor_reads_the_current_pia_from_the_postgres_history(team, runner):
    root, url = team
    spec = root / "gg.yaml"
    spec.write_text(GG.read_text(encoding="utf-8").replace("MACIP-PIA", "TEST-PIA"), encoding="utf-8")
    empty = runner.invoke(cli, ["tor", "check", str(spec)])
    assert empty.exit_code == 1 and empty.stdout.endswith(f"0 passed, 1 failed (no current PIA in {url})\n")
    assert revise(root / "pia", author="alice", message="First", history=url).created
    result = runner.invoke(cli, ["tor", "check", str(spec)])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("1 passed, 0 failed (current PIA: TEST-PIA)\n")
    named = runner.invoke(cli, ["tor", "check", str(spec), "--pia", url])
    assert named.exit_code == 0 and named.stdout == result.stdout
    _tamper_pg(url, "delete head")
    broken = runner.invoke(cli, ["tor", "check", str(spec)])
    assert broken.exit_code == 1 and broken.stderr.startswith(f"Error: {url}#head.yaml: missing: ")


def test_doctor_checks_the_postgres_history(team, runner, postgres):
    root, url = team
    result = runner.invoke(cli, ["doctor", "--json"])
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert checks["pia history"]["status"] == "ok"
    assert checks["pia history"]["detail"].startswith(f"{url}: reachable, no revision yet")
    revise(root / "pia", author="alice", message="First", history=url)
    checks = {c["name"]: c for c in json.loads(runner.invoke(cli, ["doctor", "--json"]).stdout)["checks"]}
    assert checks["pia history"] == {
        "name": "pia history", "required": True, "status": "ok",
        "detail": f"{url}: 1 revision, chain verified", "fix": None,
    }  # fmt: skip
    closed = f"postgresql://macip@127.0.0.1:{postgres.port + 1}/postgres"
    (root / "macip.toml").write_text(f'[pia]\nhistory = "{closed}"\n', encoding="utf-8")
    failed = runner.invoke(cli, ["doctor", "--json"])
    assert failed.exit_code == 1
    check = {c["name"]: c for c in json.loads(failed.stdout)["checks"]}["pia history"]
    assert check["status"] == "FAIL" and check["detail"].startswith(f"{closed}: cannot connect to the PIA history: ")


def test_a_pia_history_of_another_kind_is_refused_naming_the_line(tmp_path, runner, monkeypatch):
    write_tree(tmp_path, {"macip.toml": '[pia]\ndir = "pia"\nhistory = "mysql://db/pia"\n', "pia/macip.yaml": ""})
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["pia", "history"])
    assert result.exit_code == 3
    assert result.stderr.startswith(f"Error: {tmp_path / 'macip.toml'}:3: pia.history: mysql:// is not a kind")
    option = runner.invoke(cli, ["pia", "history", "--history", "mysql://db/pia"])
    assert option.exit_code == 2 and "mysql:// is not a kind of PIA history" in option.stderr


def test_restored_text_from_postgres_is_a_working_copy_based_on_the_latest(both, tmp_path):
    url = both[3]
    chain = verify_history(url)
    text = restore_text(chain.get(chain.latest))
    assert yaml.safe_load(text)["based_on_revision"] == 4


def test_a_second_team_member_checks_out_revises_and_catches_up(both, tmp_path, runner, monkeypatch):
    _, _, served, url = both
    bob = tmp_path / "bob" / "pia"
    bob.mkdir(parents=True)
    monkeypatch.chdir(bob.parent)
    first = runner.invoke(cli, ["pia", "checkout", "pia", "--history", url])
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("wrote the working copy is revision 4 (sha256:")
    assert load_pia_text(bob) == load_pia_text(served)
    _edit(bob / "macip.yaml", "retention: 9 years.", "retention: 10 years.")
    assert runner.invoke(cli, ["pia", "revise", "pia", "--history", url, "-m", "Ten years"]).exit_code == 0
    # Alice's working copy is behind but holds no edits of her own: she catches up.
    assert checkout(served, history=url).created
    assert load_pia_text(served) == load_pia_text(bob)
    _edit(served / "macip.yaml", "retention: 10 years.", "retention: 12 years.")
    refused = runner.invoke(cli, ["pia", "checkout", str(served), "--history", url])
    assert refused.exit_code == 3 and "the working copy has edits not stored (based on revision 5)" in refused.stderr
    assert "retention: 12 years." in (served / "macip.yaml").read_text(encoding="utf-8")


def load_pia_text(folder: Path) -> Pia:
    return load_pia(folder / "macip.yaml")
