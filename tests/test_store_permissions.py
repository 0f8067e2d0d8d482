"""File modes of the stores: created 0600 less the umask, never widened, under umask 077 and 022."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import make_workspace

from macip_gov.canonical import canonical_json
from macip_gov.cli import cli
from macip_gov.disclosure.log import DecisionLog, LogEntry
from macip_gov.files import STORE, atomic_write
from macip_gov.pia.signoff import export_flows
from macip_gov.pia.store import revise, sign_off

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "data" / "passing_pia_minimal.yaml"
T1 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
T2 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
UMASKS = [0o077, 0o022]


@contextmanager
def umask(mask: int) -> Iterator[None]:
    """Run with the process umask set to ``mask``, restoring the previous one after."""
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _pia(tmp_path: Path, working_mode: int | None = None) -> Path:
    d = tmp_path / "pia"
    d.mkdir()
    shutil.copy(MINIMAL, d / "macip.yaml")
    if working_mode is not None:
        os.chmod(d / "macip.yaml", working_mode)
    return d


def _entry(n: int) -> LogEntry:
    request = {"id": f"R-{n}"}
    decision = {"id": f"R-{n}", "outcome": "allow", "policy_revision": "rev1"}
    return LogEntry(f"R-{n}", "allow", "rev1", canonical_json(request), canonical_json(decision))


# -- PIA files ---------------------------------------------------------------------


@pytest.mark.parametrize("mask", UMASKS, ids=oct)
def test_new_pia_store_files_are_private(tmp_path, mask):
    with umask(mask):
        d = _pia(tmp_path)
        revise(d, author="alice", message="First", now=T1)
        sign_off(d, by="Jo", role="Chair", now=T2)
    history = d / "history"
    for name in ("r0001.yaml", "r0002.yaml", "head.yaml"):
        assert _mode(history / name) == 0o600, name
    assert _mode(history) == 0o700 & ~mask


@pytest.mark.parametrize("mask", UMASKS, ids=oct)
@pytest.mark.parametrize("before", [0o600, 0o640], ids=oct)
def test_the_working_file_keeps_its_mode(tmp_path, mask, before):
    d = _pia(tmp_path, before)
    with umask(mask):
        revise(d, author="alice", message="First", now=T1)
        sign_off(d, by="Jo", role="Chair", now=T2)
    assert _mode(d / "macip.yaml") == before


@pytest.mark.parametrize("mask", UMASKS, ids=oct)
def test_atomic_write_creates_0600_less_the_umask_and_never_widens(tmp_path, mask):
    with umask(mask):
        atomic_write(tmp_path / "new.yaml", b"a", policy=STORE)
        assert _mode(tmp_path / "new.yaml") == 0o600
        private = tmp_path / "private.yaml"
        private.write_bytes(b"old")
        os.chmod(private, 0o600)
        atomic_write(private, b"new", policy=STORE)
        assert (_mode(private), private.read_bytes()) == (0o600, b"new")
        tight = tmp_path / "tight.yaml"
        tight.write_bytes(b"old")
        os.chmod(tight, 0o400)
        atomic_write(tight, b"new", policy=STORE)
        assert _mode(tight) == 0o400


@pytest.mark.parametrize("mask", UMASKS, ids=oct)
def test_exported_flows_are_a_document_written_with_the_umask(tmp_path, mask):
    d = _pia(tmp_path)
    revise(d, author="alice", message="First", now=T1)
    with umask(mask):
        export_flows(d, tmp_path / "flows.json")
        assert _mode(tmp_path / "flows.json") == 0o666 & ~mask
        existing = tmp_path / "existing.json"
        existing.write_text("{}", encoding="utf-8")
        os.chmod(existing, 0o600)
        export_flows(d, existing)
        assert _mode(existing) == 0o600


def test_cli_revise_under_umask_022_stores_private_files(runner, tmp_path, monkeypatch):
    d = _pia(tmp_path, 0o600)
    monkeypatch.chdir(make_workspace(tmp_path))
    with umask(0o022):
        result = runner.invoke(cli, ["pia", "revise", "-m", "First", "--author", "alice"])
    assert result.exit_code == 0, result.output
    assert (_mode(d / "history" / "r0001.yaml"), _mode(d / "macip.yaml")) == (0o600, 0o600)


# -- the decision log ----------------------------------------------------------------


def _log_files(path: Path) -> dict[str, int]:
    return {p.name: _mode(p) for p in sorted(path.parent.iterdir()) if p.name.startswith(path.name)}


def test_a_new_decision_log_and_its_wal_files_are_private_and_an_existing_one_keeps_its_mode(tmp_path):
    for mask in UMASKS:
        path = tmp_path / oct(mask) / ".macip" / "decisions.db"
        with umask(mask), DecisionLog(path) as log:
            log.append([_entry(1), _entry(2)], user="alice")
            files = _log_files(path)  # while open: the -wal and -shm files exist
        assert set(files) >= {"decisions.db", "decisions.db-wal", "decisions.db-shm"}, files
        assert all(mode == 0o600 for mode in files.values()), (oct(mask), {k: oct(v) for k, v in files.items()})
        assert _mode(path.parent) == 0o700
        os.chmod(path, 0o640)
        with umask(mask), DecisionLog(path) as log:
            log.append([_entry(3)], user="alice")
        assert _mode(path) == 0o640


def test_cli_check_under_umask_022_creates_a_private_log(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    request = ROOT / "tests" / "data" / "passing_disclosure_request.yaml"
    with umask(0o022):
        result = runner.invoke(cli, ["disclosure", "check", str(request), "--log", "logs/d.db"])
    assert result.exit_code in (0, 1), result.output
    assert _mode(tmp_path / "logs" / "d.db") == 0o600
    assert _mode(tmp_path / "logs") == 0o700
