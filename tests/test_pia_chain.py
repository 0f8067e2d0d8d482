"""Verifying the PIA history: every file hashed each time, only the documents a command reads parsed.

The chain vouches for every byte, so a document nobody reads need not be parsed;
each one read is checked as it is parsed. These tests count the work (parses and
hashes, not seconds) and tamper with histories in ways only a parse can see.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from conftest import make_workspace

from macip_gov.cli import cli
from macip_gov.pia import store
from macip_gov.pia.history import pia_history
from macip_gov.pia.models import Pia
from macip_gov.pia.signoff import SignoffState
from macip_gov.pia.store import VerificationError, check_history, revise, sign_off

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "data" / "passing_pia_minimal.yaml"
START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _store_history(directory: Path, revisions: int) -> Path:
    """``revisions`` revisions: an edit each time, every third a sign-off (r3, r6, ...)."""
    directory.mkdir()
    shutil.copy(MINIMAL, directory / "macip.yaml")
    working = directory / "macip.yaml"
    for n in range(1, revisions + 1):
        text = working.read_text(encoding="utf-8")
        working.write_text(re.sub(r"retention: [^\n]*", f"retention: {n} years.", text, count=1), encoding="utf-8")
        moment = START + timedelta(days=n)
        if n % 3 == 0:
            sign_off(directory, by="Jo Chair", role="Chair", now=moment)
        else:
            revise(directory, author="alice", message=f"Edit {n}", now=moment)
    return directory


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> dict[int, Path]:
    """Histories of 3 and 9 revisions, to copy."""
    root = tmp_path_factory.mktemp("stored")
    return {n: _store_history(root / f"h{n}", n) for n in (3, 9)}


@pytest.fixture
def pia(stored, tmp_path) -> Path:
    """A copy of the 9-revision history (r3, r6 and r9 sign-offs)."""
    return Path(shutil.copytree(stored[9], tmp_path / "pia"))


def _rev(pia: Path, n: int) -> Path:
    return pia / "history" / f"r{n:04d}.yaml"


def _sha(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def _rechain(pia: Path, start: int) -> None:
    """Recompute previous_hash from revision ``start`` on and the head: the rewrite the chain cannot catch."""
    history = pia / "history"
    numbers = store.revision_numbers(history)
    for n in numbers:
        if n >= start and n > 1:
            path = _rev(pia, n)
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"^previous_hash: .*$", f"previous_hash: {_sha(_rev(pia, n - 1))}", text, flags=re.M)
            path.write_text(text, encoding="utf-8")
    last = numbers[-1]
    (history / "head.yaml").write_text(f"revision: {last}\nfile_hash: {_sha(_rev(pia, last))}\n", encoding="utf-8")


def _rewrite(path: Path, change, *, rehash: bool = True) -> None:
    """Load a revision file, change it, optionally recompute its content hash, and write it back."""
    text = path.read_text(encoding="utf-8")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    record = yaml.safe_load(text)
    change(record)
    if rehash:
        record["content_hash"] = Pia.model_validate(record["document"]).content_hash()
    path.write_text(header + yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")


class Work:
    """Counts full parses of revision files and file hashes."""

    def __init__(self, monkeypatch):
        self.parsed: list[str] = []
        self.hashed = 0
        parse, hash_ = store._parse_revision, store.file_hash

        def counting_parse(data, path):
            self.parsed.append(Path(path).name)
            return parse(data, path)

        def counting_hash(data):
            self.hashed += 1
            return hash_(data)

        monkeypatch.setattr(store, "_parse_revision", counting_parse)
        monkeypatch.setattr(store, "file_hash", counting_hash)

    def reset(self) -> None:
        self.parsed, self.hashed = [], 0


# -- the cost ----------------------------------------------------------------------


@pytest.mark.parametrize("revisions", [3, 9])
def test_verifying_hashes_every_file_and_parses_only_the_latest(stored, monkeypatch, revisions):
    history = stored[revisions] / "history"
    work = Work(monkeypatch)
    chain = check_history(history)
    assert chain.ok and chain.latest == revisions
    assert work.parsed == [f"r{revisions:04d}.yaml"]
    assert work.hashed == revisions  # every file, every time: nothing is taken on trust
    assert [i.revision for i in chain.infos()] == list(range(1, revisions + 1))


@pytest.mark.parametrize("revisions", [3, 9])
def test_pia_history_parses_one_document_however_many_sign_offs(stored, monkeypatch, revisions):
    work = Work(monkeypatch)
    report = pia_history(stored[revisions])
    assert report.verified and report.stored and report.signoff.state is SignoffState.CURRENT
    assert len(report.revisions) == revisions
    assert work.parsed == [f"r{revisions:04d}.yaml"]


def test_a_revision_is_parsed_when_read_and_once(stored, monkeypatch):
    work = Work(monkeypatch)
    chain = check_history(stored[9] / "history")
    work.reset()
    assert chain.get(4).revision == 4
    assert chain.get(4).document.signoffs == chain.get(9).document.signoffs[:1]
    assert work.parsed == ["r0004.yaml"]


def test_the_quick_pass_reads_what_the_full_check_reads(stored):
    quick = check_history(stored[9] / "history")
    full = check_history(stored[9] / "history", full=True)
    assert quick.ok and full.ok
    assert quick.infos() == full.infos()
    assert [r.file_hash for r in quick.revisions] == [r.file_hash for r in full.revisions]
    for n in range(1, 10):
        assert quick.get(n) == full.get(n)
    latest = full.get(9).document.signoffs
    for s in latest:
        assert quick.records(s) and full.records(s)
    moved = latest[0].model_copy(update={"revision": 6})
    assert not quick.records(moved) and not full.records(moved)


# -- what only a parse can see -------------------------------------------------------


def test_a_rechained_middle_revision_is_refused_when_read(runner, pia, monkeypatch):
    """r4 edited without its content hash, then every later file and the head rewritten to match.

    The chain cannot catch a rewrite of every file after the edit (the head hash
    changes: compare it with the one noted). The edited document is still refused
    wherever it is read, and by a full check.
    """
    _rewrite(_rev(pia, 4), lambda r: r["document"]["flows"][0].update(retention="99 years."), rehash=False)
    _rechain(pia, 5)
    chain = check_history(pia / "history")
    assert chain.ok
    with pytest.raises(VerificationError, match=r"r0004\.yaml: content_hash: revision 4 has been altered"):
        chain.get(4)
    problem = check_history(pia / "history", full=True).problem
    assert problem is not None and problem.one_line().startswith(
        f"{_rev(pia, 4)}: content_hash: revision 4 has been altered"
    )
    monkeypatch.chdir(make_workspace(pia.parent))
    result = runner.invoke(cli, ["pia", "diff", "4", "5"])
    assert result.exit_code == 1
    assert "r0004.yaml: content_hash: revision 4 has been altered" in result.stderr


def test_pia_validate_audits_every_revision(runner, pia, monkeypatch):
    """pia validate is the audit: a rechained middle revision fails it though no command reads that revision."""
    _rewrite(_rev(pia, 4), lambda r: r["document"]["flows"][0].update(retention="99 years."), rehash=False)
    _rechain(pia, 5)
    monkeypatch.chdir(pia.parent)
    result = runner.invoke(cli, ["pia", "validate", "pia"])
    assert result.exit_code == 1, result.output
    assert "pia.history.broken" in result.stdout and "revision 4 has been altered" in result.stdout


def test_a_rechained_latest_revision_is_refused_by_every_command(runner, pia, monkeypatch):
    _rewrite(_rev(pia, 9), lambda r: r["document"]["flows"][0].update(retention="99 years."), rehash=False)
    _rechain(pia, 10)
    problem = check_history(pia / "history").problem
    assert problem is not None and problem.file.endswith("r0009.yaml")
    assert problem.message.startswith("content_hash: revision 9 has been altered")
    monkeypatch.chdir(pia.parent)
    history = runner.invoke(cli, ["pia", "history", "pia"])
    assert history.exit_code == 1
    assert "r0009.yaml" in history.stdout and "content_hash" in history.stdout


def test_a_sign_off_moved_in_the_latest_revision_is_refused(pia):
    """The latest revision's sign-offs must name the revisions whose records added them."""

    def move(record):
        record["document"]["signoffs"][0]["revision"] = 4

    _rewrite(_rev(pia, 9), move)
    _rechain(pia, 10)
    problem = check_history(pia / "history").problem
    assert problem is not None and problem.file.endswith("r0009.yaml")
    assert problem.message == "document.signoffs: the sign-off by Jo Chair stored in revision 3 is missing"


def test_a_sign_off_changed_in_a_rechained_middle_revision_is_refused_when_read(pia):
    """r4 carries r3's sign-off with another role; every later file and the head rewritten to match."""

    def change(record):
        record["document"]["signoffs"][0]["role"] = "Deputy"

    _rewrite(_rev(pia, 4), change)
    _rechain(pia, 5)
    chain = check_history(pia / "history")
    assert chain.ok
    with pytest.raises(
        VerificationError,
        match=r"r0004\.yaml: document\.signoffs: revision 4's sign-offs are not the first 1 of revision 9's",
    ):
        chain.get(4)
    problem = check_history(pia / "history", full=True).problem
    assert problem is not None and problem.file.endswith("r0004.yaml")
    assert problem.message == "document.signoffs: the sign-off by Jo Chair stored in revision 3 is missing"


def test_a_sign_off_dropped_from_a_middle_revision_is_named_as_the_full_check_names_it(pia):
    def drop(record):
        record["document"]["signoffs"] = []
        record["signoffs"] = 0

    _rewrite(_rev(pia, 4), drop)
    _rechain(pia, 5)
    problem = check_history(pia / "history").problem
    assert problem is not None and problem.file.endswith("r0004.yaml")
    assert problem.message == "document.signoffs: the sign-off by Jo Chair stored in revision 3 is missing"


def test_a_revision_laid_out_by_hand_is_checked_in_full_and_verifies(pia, monkeypatch):
    """Keys in another order (document first): the quick pass cannot read it, the full check can."""
    path = _rev(pia, 2)
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    reordered = {"document": record.pop("document"), **record}
    path.write_text(yaml.safe_dump(reordered, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    _rechain(pia, 3)
    work = Work(monkeypatch)
    chain = check_history(pia / "history")
    assert chain.ok, chain.problem
    assert len(work.parsed) == 9  # every revision, in full
    assert chain.infos() == check_history(pia / "history", full=True).infos()


@pytest.mark.parametrize(
    ("extra", "refused"),
    [
        ("author: mallory\n", "duplicate key 'author'"),  # a second key after the document
        ("---\nrevision: 1\n", "found another document"),  # a second document
        ("...\n", None),  # a document end marker: the same record, but not the layout the store writes
    ],
)
def test_anything_after_the_document_sends_the_history_to_the_full_check(pia, monkeypatch, extra, refused):
    path = _rev(pia, 2)
    path.write_bytes(path.read_bytes() + extra.encode())
    _rechain(pia, 3)
    work = Work(monkeypatch)
    problem = check_history(pia / "history").problem
    if refused is None:
        assert problem is None
        assert len(work.parsed) == 9  # every revision, in full
    else:
        assert work.parsed[-1] == "r0002.yaml"
        assert problem is not None and problem.file.endswith("r0002.yaml") and refused in problem.message
