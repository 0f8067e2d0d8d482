"""Release approvals: recorded against the release as written, stale once it changes, written atomically."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from macip_gov.errors import InvalidInputError
from macip_gov.oia.approval import APPROVAL_FILE, approval_state, approve, read_approval, release_digest
from macip_gov.oia.release import build_release

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "macip-release"
WHEN = datetime(2021, 9, 17, 9, 30, tzinfo=timezone(timedelta(hours=12)))


@pytest.fixture
def request_dir(tmp_path):
    """A small request folder (one briefing and its talking points, withheld in full)."""
    folder = tmp_path / "macip-release"
    shutil.copytree(EXAMPLE, folder)
    manifest = folder / "manifest.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    data["documents"] = [d for d in data["documents"] if d["id"] in ("macip-update", "macip-update-talking-points")]
    del data["letter"]["manner"]
    manifest.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return folder


def release(request_dir: Path, engine, *, replace: bool = False) -> Path:
    out = request_dir / "release"
    report = build_release(request_dir / "manifest.yaml", out, engine, replace=replace)
    assert report.written, report.check.violations
    return out


def test_no_release_cannot_be_approved(request_dir):
    with pytest.raises(InvalidInputError, match="no release has been written here"):
        approve(request_dir, request_dir / "release", request="2021-187", by="aroha", at=WHEN)
    assert not (request_dir / APPROVAL_FILE).exists()
    state = approval_state(request_dir, request_dir / "release")
    assert (state.approval, state.current, state.reason) == (None, False, "the release has not been approved")


def test_approval_records_who_when_and_the_release_hash(request_dir, engine):
    out = release(request_dir, engine)
    record = approve(request_dir, out, request="2021-187", by="aroha", at=WHEN)
    digest = release_digest(out)
    assert record.release_sha256 == digest
    assert digest == hashlib.sha256((out / "release.json").read_bytes()).hexdigest()
    stored = json.loads((request_dir / APPROVAL_FILE).read_text(encoding="utf-8"))
    assert stored == {
        "approved_at": "2021-09-16T21:30:00Z",
        "approved_by": "aroha",
        "release_sha256": digest,
        "request": "2021-187",
    }
    assert read_approval(request_dir) == record
    state = approval_state(request_dir, out)
    assert state.current and state.reason == "" and state.approval == record
    # The record sits beside the release, never in it: the release folder is still exactly the release.
    assert not (out / APPROVAL_FILE).exists()
    assert sorted(p.name for p in request_dir.iterdir() if p.name.startswith(".")) == []


def test_approval_is_stale_once_the_release_is_written_again(request_dir, engine):
    out = release(request_dir, engine)
    approve(request_dir, out, request="2021-187", by="aroha", at=WHEN)
    original = request_dir / "originals" / "02-macip-update.md"
    text = original.read_text(encoding="utf-8")
    original.write_text(
        text.replace(
            "Police maintains the lead agency role for MACIP.",
            '[Police maintains the lead agency role for MACIP.]{.withhold ground="6(c)"}',
        ),
        encoding="utf-8",
    )
    release(request_dir, engine, replace=True)
    state = approval_state(request_dir, out)
    assert not state.current
    assert state.reason == "the release was written again after it was approved"
    assert state.approval is not None and state.approval.approved_by == "aroha"


def test_approval_is_stale_when_a_released_file_is_edited(request_dir, engine):
    out = release(request_dir, engine)
    approve(request_dir, out, request="2021-187", by="aroha", at=WHEN)
    (out / "letter.md").write_text("edited by hand\n", encoding="utf-8")
    state = approval_state(request_dir, out)
    assert not state.current
    assert state.reason.startswith("the release is not as approved: letter.md was changed after the release")


def test_approval_is_stale_when_a_file_is_added_or_removed(request_dir, engine):
    out = release(request_dir, engine)
    approve(request_dir, out, request="2021-187", by="aroha", at=WHEN)
    (out / "notes.txt").write_text("x\n", encoding="utf-8")
    assert "holds notes.txt, which its release.json does not list" in approval_state(request_dir, out).reason
    (out / "notes.txt").unlink()
    assert approval_state(request_dir, out).current
    (out / "schedule.md").unlink()
    state = approval_state(request_dir, out)
    assert not state.current and "lists schedule.md, which is not there" in state.reason


def test_a_new_approval_replaces_the_old(request_dir, engine):
    out = release(request_dir, engine)
    approve(request_dir, out, request="2021-187", by="aroha", at=WHEN)
    later = approve(request_dir, out, request="2021-187", by="mere", at=WHEN + timedelta(days=1))
    assert read_approval(request_dir) == later
    assert [p.name for p in request_dir.iterdir() if p.name.startswith(".")] == []


def test_bad_records_and_inputs_are_refused(request_dir, engine):
    out = release(request_dir, engine)
    with pytest.raises(InvalidInputError, match="time zone"):
        approve(request_dir, out, request="2021-187", by="aroha", at=datetime(2021, 9, 17))
    with pytest.raises(InvalidInputError, match="approved_by"):
        approve(request_dir, out, request="2021-187", by="", at=WHEN)
    assert not (request_dir / APPROVAL_FILE).exists()
    (request_dir / APPROVAL_FILE).write_text('{"request": "2021-187"}', encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"approval.json: not an approval record: approved_by"):
        approval_state(request_dir, out)
    (request_dir / APPROVAL_FILE).write_bytes(b"\xff\xfe")
    with pytest.raises(InvalidInputError, match="cannot read the approval record"):
        read_approval(request_dir)


def test_approval_time_is_kept_in_utc(request_dir, engine):
    out = release(request_dir, engine)
    record = approve(request_dir, out, request="2021-187", by="aroha", at=WHEN)
    assert record.approved_at == datetime(2021, 9, 16, 21, 30, tzinfo=UTC)


def test_a_source_changed_after_the_release_was_written_blocks_approval(request_dir, engine):
    import os
    import time

    from macip_gov.oia.approval import sources_changed

    out = release(request_dir, engine)
    assert sources_changed(request_dir, out) == []
    original = request_dir / "originals" / "02-macip-update.md"
    # Made two minutes ago, released one minute ago, one original edited since.
    now = time.time_ns()
    for path in request_dir.rglob("*"):
        if path.is_file() and out not in path.parents:
            os.utime(path, ns=(now - 120_000_000_000,) * 2)
    os.utime(out / "release.json", ns=(now - 60_000_000_000,) * 2)
    assert sources_changed(request_dir, out) == []
    os.utime(original, ns=(now - 30_000_000_000,) * 2)
    assert sources_changed(request_dir, out) == ["originals/02-macip-update.md"]
    with pytest.raises(InvalidInputError, match="changed after the release was written"):
        approve(request_dir, out, request="2021-187", by="ana", at=WHEN)
    assert not (request_dir / APPROVAL_FILE).exists()
    assert approval_state(request_dir, out).sources_changed == ["originals/02-macip-update.md"]
    # Written again, the release says what the files say: it can be approved.
    out = release(request_dir, engine, replace=True)
    assert sources_changed(request_dir, out) == []
    assert approve(request_dir, out, request="2021-187", by="ana", at=WHEN).approved_by == "ana"
