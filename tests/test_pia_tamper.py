"""The PIA history as evidence: edited, removed, added and forged revisions and sign-offs are caught.

Every test tampers with a history the way a person with write access to the files
would, then checks that ``pia history``, ``pia validate`` and ``pia export-flows``
fail (exit 1) naming the file and field, and that nothing is exported.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from conftest import make_workspace

from macip_gov.cli import cli
from macip_gov.errors import InvalidInputError
from macip_gov.pia.history import pia_history
from macip_gov.pia.models import Pia
from macip_gov.pia.signoff import export_flows
from macip_gov.pia.store import (
    VerificationError,
    check_history,
    load_pia,
    migrate_history,
    revise,
    revision_numbers,
    sign_off,
    verify_history,
)

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "data" / "passing_pia_minimal.yaml"
TODAY = ["--today", "2026-11-25"]
T = [datetime(2026, 11, d, 9, 0, tzinfo=UTC) for d in (20, 21, 22, 23)]

NEW_FLOW = (
    "  - {id: F02, name: Progress, description: Health reports progress., from_agency: health,\n"
    "     to_agency: police, categories: [identity], purposes: [coordination_of_support],\n"
    "     legal_basis: ['Health Information Privacy Code 2020 r11(1)(b)'], frequency: monthly,\n"
    "     retention: 7 years., security: Secure email.}\nipp_analysis:\n"
)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def pia(tmp_path: Path, monkeypatch) -> Path:
    """r1 stored, r2 its sign-off, r3 an edit, r4 its sign-off; the current directory holds pia/."""
    d = tmp_path / "pia"
    d.mkdir()
    shutil.copy(MINIMAL, d / "macip.yaml")
    revise(d, author="alice", message="First", now=T[0])
    sign_off(d, by="Jo Chair", role="Chair", now=T[1])
    _edit(d / "macip.yaml", "retention: 7 years.", "retention: 9 years.")
    revise(d, author="alice", message="Keep referrals nine years", now=T[2])
    sign_off(d, by="Jo Chair", role="Chair", now=T[3])
    monkeypatch.chdir(make_workspace(tmp_path))
    assert revision_numbers(d / "history") == [1, 2, 3, 4]
    return d


def _rev(pia: Path, n: int) -> Path:
    return pia / "history" / f"r{n:04d}.yaml"


def _rewrite(path: Path, change) -> None:
    """Edit a revision file as a person would: load, change, recompute the content hash, write back."""
    text = path.read_text(encoding="utf-8")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    record = yaml.safe_load(text)
    change(record)
    record["content_hash"] = Pia.model_validate(record["document"]).content_hash()
    path.write_text(header + yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")


def _sha(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def _refused_everywhere(runner, engine_args: list[str], named: str) -> None:
    """history, validate and export-flows all fail with exit 1 naming ``named``; nothing is written."""
    history = runner.invoke(cli, ["pia", "history"])
    assert history.exit_code == 1, history.output
    failed = [line for line in history.stdout.splitlines() if line.startswith("chain: FAILED: ")]
    assert failed and named in failed[0], history.stdout
    assert "sign-off: not signed off" in history.stdout

    validate = runner.invoke(cli, ["pia", "validate", *engine_args])
    assert validate.exit_code == 1, validate.output
    assert any(line.startswith("DENY pia.") and named in line for line in validate.stdout.splitlines()), validate.stdout

    exported = runner.invoke(cli, ["pia", "export-flows", "-o", "flows.json"])
    assert exported.exit_code == 1, exported.output
    assert exported.stdout == ""
    assert exported.stderr.startswith("Error: ") and named in exported.stderr
    assert not Path("flows.json").exists()


def test_untouched_history_verifies_everywhere(runner, pia):
    assert verify_history(pia / "history").latest == 4
    history = runner.invoke(cli, ["pia", "history"])
    assert history.exit_code == 0
    assert f"chain: verified, head r4 {_sha(_rev(pia, 4))}" in history.stdout
    assert runner.invoke(cli, ["pia", "validate", *TODAY]).exit_code == 0
    exported = runner.invoke(cli, ["pia", "export-flows", "-o", "flows.json"])
    assert exported.stdout == "wrote flows.json (1 flows, 1 signed off)\n"


# -- item 10: revisions -----------------------------------------------------------


def test_middle_revision_edited_with_its_content_hash_recomputed_is_named(runner, pia):
    def change(record):
        record["document"]["flows"][0]["retention"] = "99 years."

    _rewrite(_rev(pia, 3), change)
    problem = check_history(pia / "history").problem
    assert problem is not None and problem.file.endswith("r0003.yaml")
    assert "changed since r0004.yaml was stored" in problem.message
    assert [r.record.revision for r in check_history(pia / "history").revisions] == [1, 2]
    _refused_everywhere(runner, TODAY, "r0003.yaml")


def test_latest_revision_edited_with_its_content_hash_recomputed_is_named(runner, pia):
    def change(record):
        record["document"]["flows"][0]["categories"] = ["identity"]
        record["document"]["signoffs"][-1]["content_hash"] = Pia.model_validate(record["document"]).content_hash()

    _rewrite(_rev(pia, 4), change)
    problem = check_history(pia / "history").problem
    assert problem is not None and problem.file.endswith("r0004.yaml")
    assert problem.message.startswith("changed since it was stored: its hash is ")
    _refused_everywhere(runner, TODAY, "r0004.yaml")


@pytest.mark.parametrize(
    ("field", "value"),
    [("author", "mallory"), ("message", "Nothing to see"), ("created_at", "2020-01-01T00:00:00Z")],
)
def test_edited_metadata_is_named(runner, pia, field, value):
    def change(record):
        record[field] = value

    _rewrite(_rev(pia, 2), change)
    problem = check_history(pia / "history").problem
    assert problem is not None and problem.file.endswith("r0002.yaml")
    _refused_everywhere(runner, TODAY, "r0002.yaml")


def test_deleted_middle_revision_is_named(runner, pia):
    _rev(pia, 2).unlink()
    problem = check_history(pia / "history").problem
    assert problem is not None and problem.file.endswith("r0002.yaml")
    assert problem.message == "missing: revision 2 removed (the history jumps from revision 1 to revision 3)"
    _refused_everywhere(runner, TODAY, "r0002.yaml")


def test_deleted_last_revision_is_named(runner, pia):
    _rev(pia, 4).unlink()
    problem = check_history(pia / "history").problem
    assert problem is not None and problem.file.endswith("r0004.yaml")
    assert "head.yaml records revision 4 as the latest, but the history ends at revision 3" in problem.message
    _refused_everywhere(runner, TODAY, "r0004.yaml")


def test_renumbered_revision_is_named(runner, pia):
    _rev(pia, 4).unlink()
    shutil.copy(_rev(pia, 3), _rev(pia, 4))
    problem = check_history(pia / "history").problem
    assert problem is not None and problem.file.endswith("r0004.yaml")
    assert problem.message == "revision: the file holds revision 3, not 4"


def test_removed_head_is_named(runner, pia):
    (pia / "history" / "head.yaml").unlink()
    _refused_everywhere(runner, TODAY, "head.yaml")


def test_malformed_revision_is_a_verification_failure_naming_file_and_line(runner, pia):
    _edit(_rev(pia, 2), "author: Jo Chair", "author: [Jo Chair")
    problem = check_history(pia / "history").problem
    assert problem is not None and problem.file.endswith("r0002.yaml") and problem.location
    _refused_everywhere(runner, TODAY, "r0002.yaml")


def test_revise_and_sign_off_refuse_to_extend_a_broken_history(pia):
    _rev(pia, 2).unlink()
    _edit(pia / "macip.yaml", "retention: 9 years.", "retention: 8 years.")
    before = (pia / "macip.yaml").read_bytes()
    with pytest.raises(VerificationError, match="r0002.yaml") as info:
        revise(pia, author="alice", message="More", now=T[3])
    assert info.value.exit_code == 1
    with pytest.raises(VerificationError, match="r0002.yaml"):
        sign_off(pia, by="Jo Chair", role="Chair", now=T[3])
    assert revision_numbers(pia / "history") == [1, 3, 4]
    assert (pia / "macip.yaml").read_bytes() == before


def test_diff_reads_only_a_history_that_verifies(runner, pia):
    _rewrite(_rev(pia, 3), lambda r: r["document"]["flows"][0].update(retention="99 years."))
    result = runner.invoke(cli, ["pia", "diff", "3", "4"])
    assert result.exit_code == 1
    assert "r0003.yaml" in result.stderr


# -- item 10: forged sign-offs --------------------------------------------------


def _add_flow_and_forge_signoff(working: Path) -> None:
    """Add flow F02 to the working copy and a sign-off approving the new content hash."""
    _edit(working, "ipp_analysis:\n", NEW_FLOW)
    data = yaml.safe_load(working.read_text(encoding="utf-8"))
    forged_hash = Pia.model_validate(data).content_hash()
    forged = (
        "  - by: Jo Chair\n    role: Chair\n    at: '2026-11-24T09:00:00Z'\n"
        f"    content_hash: {forged_hash}\n    revision: 5\n"
    )
    text = working.read_text(encoding="utf-8").replace("\nbased_on_revision:", "\n" + forged + "based_on_revision:")
    working.write_text(text, encoding="utf-8")
    forged_pia = load_pia(working)
    assert forged_pia.latest_signoff.content_hash == forged_pia.content_hash()  # looks signed off


def test_forged_sign_off_in_the_working_copy_is_refused(runner, pia):
    _add_flow_and_forge_signoff(pia / "macip.yaml")
    with pytest.raises(VerificationError, match="the sign-off by Jo Chair .* no stored revision records it"):
        export_flows(pia)
    _refused_everywhere(runner, TODAY, "sign-off by Jo Chair")
    validate = runner.invoke(cli, ["pia", "validate", *TODAY])
    assert "DENY pia.signoff.not_in_history: the sign-off by Jo Chair (Chair) on 2026-11-24" in validate.stdout


def test_forged_sign_off_revision_written_by_hand_is_refused(runner, pia):
    """A sign-off revision r0005.yaml copied from r0004.yaml, for new content, with its hashes recomputed."""
    _add_flow_and_forge_signoff(pia / "macip.yaml")
    forged_doc = yaml.safe_load((pia / "macip.yaml").read_text(encoding="utf-8"))
    forged_doc.pop("based_on_revision")
    r5 = _rev(pia, 5)
    shutil.copy(_rev(pia, 4), r5)

    def change(record):
        record.update(revision=5, parent=4, signoffs=3, message="Signed off by Jo Chair (Chair)", document=forged_doc)

    _rewrite(r5, change)  # previous_hash still r0003.yaml's: the chain is not continued
    _edit(pia / "macip.yaml", "based_on_revision: 4", "based_on_revision: 5")
    _refused_everywhere(runner, TODAY, "r0004.yaml")

    # Even with previous_hash pointing at r0004.yaml, the head does not record r0005.yaml.
    _rewrite(r5, lambda record: record.update(previous_hash=_sha(_rev(pia, 4))))
    problem = check_history(pia / "history").problem
    assert problem is not None and problem.file.endswith("r0005.yaml")
    assert "not recorded in head.yaml" in problem.message
    _refused_everywhere(runner, TODAY, "r0005.yaml")


def test_sign_off_edited_into_the_working_copy_cannot_be_stored(runner, pia):
    _add_flow_and_forge_signoff(pia / "macip.yaml")
    result = runner.invoke(cli, ["pia", "revise", "-m", "Sneak it in", "--author", "mallory"])
    assert result.exit_code == 3
    assert "signoffs: the working copy's sign-offs differ from revision 4's" in result.stderr
    assert revision_numbers(pia / "history") == [1, 2, 3, 4]


def test_removed_sign_off_cannot_be_stored(pia):
    text = (pia / "macip.yaml").read_text(encoding="utf-8")
    start = text.index("signoffs:\n")
    end = text.index("based_on_revision:")
    (pia / "macip.yaml").write_text(text[:start] + "signoffs: []\n" + text[end:], encoding="utf-8")
    with pytest.raises(InvalidInputError, match="sign-offs differ from revision 4's"):
        revise(pia, author="mallory", message="Forget the approvals", now=T[3])


def test_sign_off_added_by_an_edited_revision_is_caught(pia):
    """A second sign-off slipped into a stored revision (its hashes recomputed) is caught by the chain rules."""
    signoff = {
        "by": "Mallory",
        "role": "Chair",
        "at": "2026-11-21T10:00:00Z",
        "content_hash": yaml.safe_load(_rev(pia, 2).read_text(encoding="utf-8"))["content_hash"],
        "revision": 2,
    }
    _rewrite(_rev(pia, 2), lambda r: (r["document"]["signoffs"].append(signoff), r.update(signoffs=2)))
    problem = check_history(pia / "history").problem
    assert problem is not None and problem.file.endswith("r0002.yaml")
    assert problem.message == "document.signoffs: more than one sign-off added in one revision"


def test_signed_fixture_without_history_warns_that_its_sign_off_is_unchecked(engine):
    from datetime import date

    from macip_gov.pia.check import validate_path

    result = validate_path(ROOT / "tests" / "data" / "passing_pia_signed.yaml", engine, today=date(2026, 11, 25))
    assert result.valid
    assert "pia.signoff.no_history" in [w.id for w in result.warnings]


def test_export_without_history_approves_nothing_and_refuses_a_claimed_sign_off(tmp_path):
    d = tmp_path / "pia"
    d.mkdir()
    shutil.copy(ROOT / "tests" / "data" / "passing_pia_signed.yaml", d / "macip.yaml")
    with pytest.raises(VerificationError, match="no stored revision records it"):
        export_flows(d)
    shutil.copy(MINIMAL, d / "macip.yaml")
    assert [f["signed_off"] for f in export_flows(d).values()] == [False]


# -- crashes and migration ---------------------------------------------------------

_CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from macip_gov.pia import store

    signal, pia = Path(sys.argv[1]), sys.argv[2]

    def hang(tmp, dest):
        signal.write_text(str(tmp))
        time.sleep(600)

    store._before_link = hang
    store.revise(pia, author="alice", message="edit")
    """
)


def test_process_killed_after_the_head_names_the_revision_is_completed_by_the_next_reader(pia, tmp_path):
    _edit(pia / "macip.yaml", "retention: 9 years.", "retention: 8 years.")
    script = tmp_path / "child.py"
    script.write_text(_CHILD, encoding="utf-8")
    signal = tmp_path / "signal"
    proc = subprocess.Popen([sys.executable, str(script), str(signal), str(pia)])
    try:
        deadline = time.monotonic() + 60
        while not signal.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert signal.exists(), "the child never reached the link"
    finally:
        proc.kill()
        proc.wait(timeout=30)
    history = pia / "history"
    assert revision_numbers(history) == [1, 2, 3, 4]
    assert yaml.safe_load((history / "head.yaml").read_text(encoding="utf-8"))["revision"] == 5
    report = pia_history(pia)  # completes the write: the head records the temporary file's hash
    assert report.verified, report.problem
    assert revision_numbers(history) == [1, 2, 3, 4, 5]
    assert not [p for p in history.iterdir() if p.name.endswith(".tmp")]
    result = revise(pia, author="alice", message="Again", now=T[3])
    assert (result.created, result.revision.revision) == (False, 5)


def _unchained_copy(pia: Path, tmp_path: Path) -> Path:
    """The fixture's history as it was stored before revisions were chained."""
    old = tmp_path / "old"
    shutil.copytree(pia, old)
    (old / "history" / "head.yaml").unlink()
    for path in sorted((old / "history").glob("r*.yaml")):
        text = path.read_text(encoding="utf-8")
        lines = [line for line in text.splitlines(keepends=True) if not line.startswith("previous_hash:")]
        path.write_text("".join(lines), encoding="utf-8")
    return old


def test_an_unchained_history_says_how_to_chain_it_and_migrate_keeps_every_document(runner, pia, tmp_path):
    old = _unchained_copy(pia, tmp_path)
    before = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (old / "history").glob("r*.yaml")}
    history = runner.invoke(cli, ["pia", "history", str(old)])
    assert history.exit_code == 1
    assert "previous_hash: missing: this history was stored before revisions were chained" in history.stdout
    assert "`macip-gov pia migrate`" in history.stdout

    migrated = runner.invoke(cli, ["pia", "migrate", str(old)])
    assert migrated.exit_code == 0, migrated.output
    head = _sha(old / "history" / "r0004.yaml")
    assert migrated.stdout == f"chain: verified, 4 revisions, head r4 {head}\n"
    after = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (old / "history").glob("r*.yaml")}
    for n in range(1, 5):
        record = after[f"r{n:04d}.yaml"]
        assert record.pop("previous_hash") == (_sha(old / "history" / f"r{n - 1:04d}.yaml") if n > 1 else None)
        assert record == before[f"r{n:04d}.yaml"]
    # The same files as the chained store writes.
    for n in range(1, 5):
        assert (old / "history" / f"r{n:04d}.yaml").read_bytes() == _rev(pia, n).read_bytes()
    again = runner.invoke(cli, ["pia", "migrate", str(old)])
    assert again.exit_code == 0


def test_migrate_refuses_an_altered_unchained_history(pia, tmp_path):
    old = _unchained_copy(pia, tmp_path)
    _edit(old / "history" / "r0003.yaml", "retention: 9 years.", "retention: 99 years.")
    before = {p.name: p.read_bytes() for p in (old / "history").iterdir()}
    with pytest.raises(InvalidInputError, match="r0003.yaml: content_hash: revision 3 has been altered"):
        migrate_history(old / "history")
    assert {p.name: p.read_bytes() for p in (old / "history").iterdir()} == before


def test_migrate_will_not_rechain_a_chained_history_whose_head_was_removed(pia):
    (pia / "history" / "head.yaml").unlink()
    with pytest.raises(InvalidInputError, match="already chained"):
        migrate_history(pia / "history")


def test_the_committed_history_is_chained_and_verifies():
    chain = verify_history(ROOT / "pia" / "history")
    assert chain.latest == 4
    assert json.loads(json.dumps([i.message for i in chain.infos()]))[1].startswith("Signed off by")
    assert (ROOT / "pia" / "history" / ".gitattributes").read_text(encoding="utf-8").splitlines()[-1] == "* -text"


def test_report_of_a_forged_sign_off_is_a_draft_naming_it(runner, pia, tmp_path):
    _add_flow_and_forge_signoff(pia / "macip.yaml")
    result = runner.invoke(cli, ["pia", "render", "-o", str(tmp_path / "report.md"), *TODAY])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("(2 violation(s); changed since sign-off by Jo Chair (Chair) on 2026-11-23)\n")
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert report.startswith("**DRAFT**")
    assert "pia.signoff.not_in_history" in report
