"""Signed checkpoints of the PIA history: a history rewritten with every hash recomputed is caught."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from conftest import make_workspace

from macip_gov.cli import cli
from macip_gov.pia.checkpoints import checkpoint_pia, stored_checkpoints
from macip_gov.pia.history import pia_history
from macip_gov.pia.store import VerificationError, revise, sign_off
from macip_gov.signing import generate_key, load_private_key, load_public_key

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "data" / "passing_pia_minimal.yaml"
T = [datetime(2026, 11, d, 9, 0, tzinfo=UTC) for d in (20, 21)]


@pytest.fixture
def pia(tmp_path: Path, monkeypatch) -> Path:
    d = tmp_path / "pia"
    d.mkdir()
    shutil.copy(MINIMAL, d / "macip.yaml")
    revise(d, author="alice", message="First", now=T[0])
    sign_off(d, by="Jo Chair", role="Chair", now=T[1])
    monkeypatch.chdir(make_workspace(tmp_path))
    return d


@pytest.fixture
def key(tmp_path):
    generate_key(tmp_path / "approver.key")
    return load_private_key(tmp_path / "approver.key")


def _sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _forge(pia: Path) -> None:
    """Change revision 1's author, then re-chain every later file and the head, as an insider could."""
    history = pia / "history"
    numbers = sorted(int(p.name[1:5]) for p in history.glob("r*.yaml"))
    previous = None
    for n in numbers:
        path = history / f"r{n:04d}.yaml"
        text = path.read_text(encoding="utf-8")
        header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
        record = yaml.safe_load(text)
        if n == 1:
            record["author"] = "mallory"
        record["previous_hash"] = previous
        data = (header + yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=100)).encode("utf-8")
        path.write_bytes(data)
        previous = _sha(data)
    (history / "head.yaml").write_text(f"revision: {numbers[-1]}\nfile_hash: {previous}\n", encoding="utf-8")


def test_a_rewritten_history_verifies_alone_but_contradicts_its_checkpoint(pia, key):
    checkpoint_pia(pia, key)
    _forge(pia)
    # The chain alone cannot tell: every hash was recomputed.
    assert pia_history(pia).problem is not None
    shutil.rmtree(pia / "history" / "checkpoints")
    assert pia_history(pia).verified


def test_the_checkpoint_names_the_rewrite(pia, key):
    checkpoint_pia(pia, key)
    _forge(pia)
    report = pia_history(pia, public_keys=[key.public])
    assert not report.verified
    assert report.problem.startswith(
        f"{pia / 'history' / 'checkpoints' / 'c0001.json'}: the history contradicts checkpoint 1: revision 2's file "
    )
    assert report.problem.endswith("(the history was rewritten at or before revision 2)")
    assert report.signoff.state.value == "not_signed_off"


def test_sign_off_with_a_key_signs_the_revision_holding_it(pia, key, runner, tmp_path):
    text = (pia / "macip.yaml").read_text(encoding="utf-8").replace("retention: 7 years.", "retention: 9 years.")
    (pia / "macip.yaml").write_text(text, encoding="utf-8")
    assert runner.invoke(cli, ["pia", "revise", "-m", "Nine years"]).exit_code == 0
    args = ["pia", "sign-off", "--by", "Jo Chair", "--role", "Chair", "--key", str(tmp_path / "approver.key")]
    result = runner.invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    signed = json.loads(result.stdout)["checkpoint"]
    assert (signed["body"]["revision"], signed["body"]["signer"], signed["body"]["key_id"]) == (
        4, "Jo Chair (Chair)", key.key_id
    )  # fmt: skip
    public = str(tmp_path / "approver.key.pub")
    ok = runner.invoke(cli, ["pia", "history", "--public-key", public])
    assert ok.exit_code == 0, ok.output
    assert "checkpoints: 1 in the chain (signatures hold)" in ok.stdout.splitlines()


def test_cli_checkpoint_and_published_copy(pia, key, runner, tmp_path):
    out = tmp_path / "cp.json"
    made = runner.invoke(cli, ["pia", "checkpoint", "--key", str(tmp_path / "approver.key"), "-o", str(out)])
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout) == json.loads(out.read_text())
    verify = ["pia", "history", "--public-key", str(tmp_path / "approver.key.pub"), "--checkpoint", str(out)]
    assert runner.invoke(cli, verify).exit_code == 0
    (pia / "history" / "checkpoints" / "c0001.json").unlink()
    removed = runner.invoke(cli, verify)
    assert removed.exit_code == 1
    assert "chain: FAILED: " in removed.stdout and "checkpoint 1 as published is not stored" in removed.stdout


def test_wrong_key_missing_signature_and_no_checkpoint_all_fail(pia, key, tmp_path):
    generate_key(tmp_path / "other.key")
    other = load_public_key(tmp_path / "other.key.pub")
    assert "no signed checkpoint to verify" in pia_history(pia, public_keys=[key.public]).problem
    checkpoint_pia(pia, key)
    assert "which is not among the public keys given" in pia_history(pia, public_keys=[other]).problem
    path = pia / "history" / "checkpoints" / "c0001.json"
    stored = json.loads(path.read_text())
    path.write_text(json.dumps({**stored, "signature": ""}))
    assert "carries no signature (fail closed)" in pia_history(pia, public_keys=[key.public]).problem
    path.write_text(json.dumps({**stored, "body": {**stored["body"], "revision": 1}}))
    assert "signature does not hold" in pia_history(pia, public_keys=[key.public]).problem


def test_a_history_that_does_not_verify_is_never_signed(pia, key):
    _forge(pia)
    (pia / "history" / "head.yaml").write_text("revision: 2\nfile_hash: sha256:" + "0" * 64 + "\n")
    with pytest.raises(VerificationError):
        checkpoint_pia(pia, key)
    assert stored_checkpoints(pia / "history") == []
