"""Stored revisions: numbering, immutability, stale bases, atomic writes, crashes, sign-off."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from macip_gov.errors import InvalidInputError, StaleRevisionError
from macip_gov.files import STORE, atomic_write
from macip_gov.pia.history import pia_history
from macip_gov.pia.signoff import SignoffState, approved_flows, signoff_status
from macip_gov.pia.store import (
    VerificationError,
    list_revisions,
    load_pia,
    load_revision,
    restore_text,
    revise,
    revision_numbers,
    sign_off,
)

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "data" / "passing_pia_minimal.yaml"
T1 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
T2 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


@pytest.fixture
def pia_dir(tmp_path: Path) -> Path:
    d = tmp_path / "pia"
    d.mkdir()
    shutil.copy(MINIMAL, d / "macip.yaml")
    return d


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def test_revisions_are_numbered_and_record_hash_author_time_message(pia_dir):
    first = revise(pia_dir, author="alice", message="First", now=T1)
    _edit(pia_dir / "macip.yaml", "summary: Police refers", "summary: New Zealand Police refers")
    second = revise(pia_dir, author="bob", message="Reword the summary", now=T2)
    assert (first.created, second.created) == (True, True)
    assert revision_numbers(pia_dir / "history") == [1, 2]
    infos = list_revisions(pia_dir / "history")
    assert [(i.revision, i.parent, i.author, i.message) for i in infos] == [
        (1, None, "alice", "First"),
        (2, 1, "bob", "Reword the summary"),
    ]
    assert infos[1].created_at == T2
    assert infos[1].content_hash == load_pia(pia_dir).content_hash() != infos[0].content_hash
    working = (pia_dir / "macip.yaml").read_text(encoding="utf-8")
    assert "based_on_revision: 2" in working
    assert working.startswith("# A small but complete PIA")  # comments survive


def test_unchanged_working_copy_is_not_stored_twice(pia_dir):
    revise(pia_dir, author="alice", message="First", now=T1)
    again = revise(pia_dir, author="alice", message="Again", now=T2)
    assert again.created is False
    assert again.revision.revision == 1
    assert revision_numbers(pia_dir / "history") == [1]


def test_stale_base_is_refused_and_nothing_is_written(pia_dir, tmp_path):
    revise(pia_dir, author="alice", message="First", now=T1)
    stale = tmp_path / "stale.yaml"
    shutil.copy(pia_dir / "macip.yaml", stale)
    _edit(pia_dir / "macip.yaml", "summary: Police refers", "summary: Police now refers")
    revise(pia_dir, author="alice", message="Second", now=T2)
    _edit(stale, "summary: Police refers", "summary: Police sometimes refers")
    before_history, before_stale = _snapshot(pia_dir / "history"), stale.read_bytes()
    with pytest.raises(StaleRevisionError) as info:
        revise(stale, author="bob", message="Mine", history=pia_dir / "history", now=T2)
    assert "based on revision 1, but revision 2 is the latest" in info.value.one_line()
    assert info.value.exit_code == 3
    assert _snapshot(pia_dir / "history") == before_history
    assert stale.read_bytes() == before_stale


def test_invalid_working_copy_is_refused_before_anything_is_written(pia_dir):
    revise(pia_dir, author="alice", message="First", now=T1)
    _edit(pia_dir / "macip.yaml", "likelihood: 3", "likelihood: 9")
    with pytest.raises(InvalidInputError, match=r"risks\[0\]\.likelihood"):
        revise(pia_dir, author="alice", message="Broken", now=T2)
    assert revision_numbers(pia_dir / "history") == [1]


def test_exclusive_write_never_replaces_an_existing_file(tmp_path):
    target = tmp_path / "r0001.yaml"
    target.write_bytes(b"original")
    with pytest.raises(FileExistsError):
        atomic_write(target, b"replacement", policy=STORE, exclusive=True, error=None)
    assert target.read_bytes() == b"original"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r0001.yaml"]  # no temp file left


def test_altered_revision_is_detected(pia_dir):
    revise(pia_dir, author="alice", message="First", now=T1)
    path = pia_dir / "history" / "r0001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Police refers", "Police never refers"), encoding="utf-8")
    # A stored history that does not verify is a verification failure (exit 1), as in `log verify`.
    with pytest.raises(VerificationError, match="r0001.yaml: content_hash: revision 1 has been altered") as info:
        load_revision(pia_dir / "history", 1)
    assert info.value.exit_code == 1


def test_missing_revision_names_what_is_stored(pia_dir):
    revise(pia_dir, author="alice", message="First", now=T1)
    with pytest.raises(InvalidInputError, match=r"no revision 7 \(stored: r1..r1\)"):
        load_revision(pia_dir / "history", 7)


def test_restore_text_round_trips(pia_dir, tmp_path):
    revise(pia_dir, author="alice", message="First", now=T1)
    rev = load_revision(pia_dir / "history", 1)
    (tmp_path / "restored.yaml").write_text(restore_text(rev), encoding="utf-8")
    restored = load_pia(tmp_path / "restored.yaml")
    assert restored == load_pia(pia_dir)


# -- sign-off ------------------------------------------------------------------


def test_sign_off_binds_to_the_content_hash(pia_dir):
    revise(pia_dir, author="alice", message="First", now=T1)
    record, rev = sign_off(pia_dir, by="Jo Chair", role="Chair", now=T2)
    pia = load_pia(pia_dir)
    assert record.content_hash == pia.content_hash()
    assert (record.revision, rev.revision, rev.message) == (2, 2, "Signed off by Jo Chair (Chair)")
    assert pia.signoffs == [record]
    assert signoff_status(pia).state is SignoffState.CURRENT
    # The sign-off itself does not change the content.
    assert load_revision(pia_dir / "history", 2).content_hash == load_revision(pia_dir / "history", 1).content_hash

    _edit(pia_dir / "macip.yaml", "retention: 7 years.", "retention: 10 years.")
    changed = load_pia(pia_dir)
    status = signoff_status(changed)
    assert status.state is SignoffState.CHANGED
    assert status.label == "changed since sign-off by Jo Chair (Chair) on 2026-11-21"
    report = pia_history(pia_dir)
    assert report.working_state == "edited since revision 2 (not stored)"
    assert report.signoff.state is SignoffState.CHANGED


def test_sign_off_from_a_stale_base_is_refused(pia_dir, tmp_path):
    revise(pia_dir, author="alice", message="First", now=T1)
    other = tmp_path / "other.yaml"
    shutil.copy(pia_dir / "macip.yaml", other)
    _edit(pia_dir / "macip.yaml", "retention: 7 years.", "retention: 10 years.")
    revise(pia_dir, author="alice", message="Second", now=T2)
    before = _snapshot(pia_dir / "history")
    with pytest.raises(StaleRevisionError):
        sign_off(other, by="Jo", role="Chair", history=pia_dir / "history")
    assert _snapshot(pia_dir / "history") == before


def test_approved_flows_after_a_change_keep_only_untouched_flows(pia_dir):
    _edit(
        pia_dir / "macip.yaml",
        "ipp_analysis:\n",
        "  - {id: F02, name: Progress, description: Health reports progress., from_agency: health,\n"
        "     to_agency: police, categories: [identity], purposes: [coordination_of_support],\n"
        "     legal_basis: ['Health Information Privacy Code 2020 r11(1)(b)'], frequency: monthly,\n"
        "     retention: 7 years., security: Secure email.}\nipp_analysis:\n",
    )
    revise(pia_dir, author="alice", message="Two flows", now=T1)
    sign_off(pia_dir, by="Jo", role="Chair", now=T2)
    history = pia_dir / "history"
    assert {k: v["signed_off"] for k, v in approved_flows(load_pia(pia_dir), history).items()} == {
        "F01": True,
        "F02": True,
    }
    _edit(pia_dir / "macip.yaml", "categories: [identity, contact, mental_health]", "categories: [identity, contact]")
    changed = load_pia(pia_dir)
    assert {k: v["signed_off"] for k, v in approved_flows(changed, history).items()} == {"F01": False, "F02": True}
    # Without the history the approved content cannot be read back: nothing is approved.
    assert {k: v["signed_off"] for k, v in approved_flows(changed, None).items()} == {"F01": False, "F02": False}
    assert approved_flows(changed, history)["F02"] == {
        "from_agency": "health",
        "to_agency": "police",
        "categories": ["identity"],
        "purposes": ["coordination_of_support"],
        "legal_basis": ["Health Information Privacy Code 2020 r11(1)(b)"],
        "signed_off": True,
    }


def test_unsigned_pia_approves_no_flow(pia_dir):
    flows = approved_flows(load_pia(pia_dir), pia_dir / "history")
    assert [f["signed_off"] for f in flows.values()] == [False]


# -- real processes ------------------------------------------------------------

_CHILD = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from macip_gov.errors import StaleRevisionError
    from macip_gov.pia import store

    mode, signal_dir, target, pia, history = sys.argv[1:6]
    signal_dir = Path(signal_dir)

    def pause(tmp, dest):
        if dest.name != target:
            return
        (signal_dir / f"ready-{os.getpid()}").write_text(str(tmp))
        if mode in ("hang", "signoff"):
            time.sleep(600)
        # barrier: wait until both writers hold a finished temporary file
        deadline = time.monotonic() + 60
        while len(list(signal_dir.glob("ready-*"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.005)

    store._before_commit = pause
    try:
        if mode == "signoff":
            store.sign_off(pia, by="Jo", role="Chair", history=history)
        else:
            store.revise(pia, author=f"writer-{os.getpid()}", message="edit", history=history)
    except StaleRevisionError as exc:
        print(exc.one_line())
        sys.exit(3)
    """
)


def _child(tmp_path: Path, mode: str, target: str, pia: Path, history: Path, signals: Path) -> subprocess.Popen:
    script = tmp_path / "child.py"
    script.write_text(_CHILD, encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, str(script), mode, str(signals), target, str(pia), str(history)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(path_glob, directory: Path, limit: float = 60.0) -> list[Path]:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        found = sorted(directory.glob(path_glob))
        if found:
            return found
        time.sleep(0.01)
    raise AssertionError(f"child never reached {path_glob}")


def _two_working_copies(pia_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    revise(pia_dir, author="alice", message="First", now=T1)
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    shutil.copy(pia_dir / "macip.yaml", a)
    shutil.copy(pia_dir / "macip.yaml", b)
    _edit(a, "retention: 7 years.", "retention: 8 years.")
    _edit(b, "retention: 7 years.", "retention: 9 years.")
    return a, b


def test_two_writers_from_the_same_base_one_wins_one_is_refused(pia_dir, tmp_path):
    a, b = _two_working_copies(pia_dir, tmp_path)
    history = pia_dir / "history"
    signals = tmp_path / "signals"
    signals.mkdir()
    # Both processes stop with a finished temporary file for r0002 until the other
    # has one too, so both really try to create the same revision.
    procs = [_child(tmp_path, "race", "r0002.yaml", p, history, signals) for p in (a, b)]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 3], results
    loser_out = next(out for code, out, _ in results if code == 3)
    assert "revision 2 was stored by another writer meanwhile; nothing was written" in loser_out
    assert revision_numbers(history) == [1, 2]
    stored = load_revision(history, 2).document
    winner, loser = (a, b) if stored.flows[0].retention == "8 years." else (b, a)
    assert stored == load_pia(winner).model_copy(update={"based_on_revision": 0})
    assert "based_on_revision: 2" in winner.read_text(encoding="utf-8")
    assert "based_on_revision: 1" in loser.read_text(encoding="utf-8")  # loser untouched
    assert not [p for p in history.iterdir() if p.name.startswith(".")]  # no temp files left


def test_two_cli_writers_race_freely_one_wins(pia_dir, tmp_path):
    a, b = _two_working_copies(pia_dir, tmp_path)
    history = pia_dir / "history"
    exe = Path(sys.executable).with_name("macip-gov")
    procs = [
        subprocess.Popen(
            [str(exe), "pia", "revise", str(p), "--history", str(history), "-m", "edit", "--author", p.stem],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in (a, b)
    ]
    outcomes = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        outcomes.append((p.returncode, out, err))
    assert sorted(code for code, _, _ in outcomes) == [0, 3], outcomes
    refused = next(err for code, _, err in outcomes if code == 3)
    assert refused.startswith("Error: ")
    assert "Traceback" not in refused
    assert revision_numbers(history) == [1, 2]


def test_process_killed_before_the_revision_is_renamed_leaves_the_last_revision(pia_dir, tmp_path):
    revise(pia_dir, author="alice", message="First", now=T1)
    history = pia_dir / "history"
    _edit(pia_dir / "macip.yaml", "retention: 7 years.", "retention: 8 years.")
    working_before = (pia_dir / "macip.yaml").read_bytes()
    r1_before = (history / "r0001.yaml").read_bytes()
    signals = tmp_path / "signals"
    signals.mkdir()
    proc = _child(tmp_path, "hang", "r0002.yaml", pia_dir, history, signals)
    try:
        ready = _wait_for("ready-*", signals)
        temp = Path(ready[0].read_text())
        assert temp.exists() and temp.stat().st_size > 0  # the new revision is fully written...
        proc.kill()  # ...and the process dies before moving it into place
        proc.wait(timeout=30)
    finally:
        proc.stdout.close()
        proc.stderr.close()
    assert revision_numbers(history) == [1]
    assert (history / "r0001.yaml").read_bytes() == r1_before
    assert load_revision(history, 1).revision == 1
    assert [r.revision for r in pia_history(pia_dir).revisions] == [1]
    assert (pia_dir / "macip.yaml").read_bytes() == working_before
    # The work is not lost: storing again succeeds.
    assert revise(pia_dir, author="alice", message="Again", now=T2).revision.revision == 2


def test_process_killed_before_the_working_file_is_updated_recovers(pia_dir, tmp_path):
    revise(pia_dir, author="alice", message="First", now=T1)
    history = pia_dir / "history"
    _edit(pia_dir / "macip.yaml", "retention: 7 years.", "retention: 8 years.")
    signals = tmp_path / "signals"
    signals.mkdir()
    proc = _child(tmp_path, "hang", "macip.yaml", pia_dir, history, signals)
    try:
        _wait_for("ready-*", signals)
        proc.kill()
        proc.wait(timeout=30)
    finally:
        proc.stdout.close()
        proc.stderr.close()
    assert revision_numbers(history) == [1, 2]
    assert "based_on_revision: 1" in (pia_dir / "macip.yaml").read_text(encoding="utf-8")
    # The next command sees the working copy is already stored and records the base.
    result = revise(pia_dir, author="alice", message="Again", now=T2)
    assert (result.created, result.revision.revision) == (False, 2)
    assert "based_on_revision: 2" in (pia_dir / "macip.yaml").read_text(encoding="utf-8")


def test_process_killed_during_sign_off_recovers_the_sign_off(pia_dir, tmp_path):
    revise(pia_dir, author="alice", message="First", now=T1)
    history = pia_dir / "history"
    signals = tmp_path / "signals"
    signals.mkdir()
    proc = _child(tmp_path, "signoff", "macip.yaml", pia_dir, history, signals)
    try:
        _wait_for("ready-*", signals)
    finally:
        proc.kill()
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert revision_numbers(history) == [1, 2]
    assert load_pia(pia_dir).signoffs == []
    record, rev = sign_off(pia_dir, by="Jo", role="Chair")
    assert rev.revision == 2  # recovered, not signed twice
    pia = load_pia(pia_dir)
    assert pia.signoffs == [record]
    assert pia.based_on_revision == 2
    assert revision_numbers(history) == [1, 2]


def test_revision_files_are_plain_reviewable_yaml(pia_dir):
    revise(pia_dir, author="alice", message="First", now=T1)
    text = (pia_dir / "history" / "r0001.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Stored revision 1 of TEST-PIA. Immutable")
    record = yaml.safe_load(text)
    assert list(record)[:7] == ["revision", "parent", "content_hash", "author", "created_at", "message", "signoffs"]
    assert "based_on_revision" not in record["document"]
