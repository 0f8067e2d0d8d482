"""Signed checkpoints: an insider who rewrites the whole chain without the private key is caught.

Every test runs on SQLite and on a real PostgreSQL server.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat

import pytest

from macip_gov.canonical import canonical_json
from macip_gov.cli import cli
from macip_gov.disclosure.log import (
    LogEntry,
    LogVerificationError,
    chain_hash,
    open_log,
    read_checkpoint,
    row_json,
    sqlite_path,
)
from macip_gov.errors import InvalidInputError
from macip_gov.signing import generate_key, load_private_key, load_public_key


def _entry(n: int) -> LogEntry:
    request = {"id": f"R-{n}", "from_agency": "msd", "to_agency": "police", "note": "whānau"}
    decision = {"id": f"R-{n}", "outcome": "allow", "policy_revision": "rev1", "legal_basis": ["IPP"]}
    return LogEntry(f"R-{n}", "allow", "rev1", canonical_json(request), canonical_json(decision))


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "decisions.db")
    return request.getfixturevalue("pg_url")


def _sql(url: str, statement: str, *params) -> None:
    """Run SQL on the log's database directly, as someone with write access to it could."""
    path = sqlite_path(url)
    if path is not None:
        db = sqlite3.connect(path)
        with db:
            db.execute(statement, params)
        db.close()
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement.replace("?", "%s"), params)


def _rewrite(url: str, seq: int, note: str) -> None:
    """Edit row ``seq``'s request and recompute every hash after it, and the head: a consistent forgery."""
    with open_log(url, create=False) as log:
        rows = list(log.records())
    prev = rows[seq - 2].hash if seq > 1 else "0" * 64
    for r in rows[seq - 1 :]:
        request = dict(r.request, note=note) if r.seq == seq else r.request
        req, dec = canonical_json(request), canonical_json(r.decision)
        digest = chain_hash(prev, row_json(r.seq, r.recorded_at, r.user, req, dec))
        _sql(url, "UPDATE decisions SET request = ?, prev_hash = ?, hash = ? WHERE seq = ?", req, prev, digest, r.seq)
        prev = digest
    _sql(url, "UPDATE chain_head SET hash = ? WHERE id = 1", prev)


@pytest.fixture
def key(tmp_path):
    generate_key(tmp_path / "cp.key")
    return load_private_key(tmp_path / "cp.key")


def _filled(url: str, key, rows=(5, 3)):
    """A log with ``rows`` appended in turn, a checkpoint signed after each batch."""
    checkpoints = []
    with open_log(url) as log:
        n = 0
        for count in rows:
            log.append([_entry(n + i) for i in range(1, count + 1)], user="alice")
            n += count
            checkpoints.append(log.checkpoint(key))
    return checkpoints


def test_checkpoints_sign_the_head_and_verify(url, key):
    first, second = _filled(url, key)
    assert (first.body.number, first.body.seq, second.body.number, second.body.seq) == (1, 5, 2, 8)
    assert second.body.previous == first.digest()
    with open_log(url, create=False) as log:
        assert log.checkpoints() == [first, second]
        report = log.verify(public_keys=[key.public], checkpoints=[second])
        assert second.body.hash == report.head
    assert (report.ok, report.rows, report.checkpoints, report.signed, report.problem) == (True, 8, 2, True, None)


def test_a_recomputed_chain_is_detected_and_the_checkpoint_named(url, key):
    _filled(url, key)
    _rewrite(url, 2, "rewritten by an insider")
    with open_log(url, create=False) as log:
        # The chain is consistent again: without checkpoints nothing would show.
        report = log.verify(public_keys=[key.public])
    assert not report.ok
    assert report.bad_checkpoint == 1
    assert report.first_bad_row == 5
    assert report.problem.startswith("the chain contradicts checkpoint 1: row 5's hash is ")
    assert report.problem.endswith("(the log was rewritten at or before row 5)")


def test_a_rewrite_after_the_last_checkpoint_is_named_by_its_published_copy(url, key):
    _, second = _filled(url, key)
    _rewrite(url, 7, "after checkpoint 1, before checkpoint 2")
    with open_log(url, create=False) as log:
        report = log.verify(public_keys=[key.public], checkpoints=[second])
    assert (report.ok, report.bad_checkpoint) == (False, 2)
    assert "contradicts checkpoint 2" in report.problem


def test_a_checkpoint_edited_to_match_the_forgery_fails_its_signature(url, key):
    _filled(url, key, rows=(5,))
    _rewrite(url, 2, "forged")
    with open_log(url, create=False) as log:
        head = log.verify().head
        stored = log.checkpoints()[0]
    body = canonical_json(stored.body.model_copy(update={"hash": head}).model_dump(mode="json"))
    _drop_guards(url)
    _sql(url, "UPDATE checkpoints SET body = ? WHERE number = 1", body)
    with open_log(url, create=False) as log:
        report = log.verify(public_keys=[key.public])
    assert (report.ok, report.bad_checkpoint) == (False, 1)
    assert report.problem.startswith("checkpoint 1's signature does not hold under ")


def test_a_checkpoint_re_signed_with_another_key_is_refused(url, key, tmp_path):
    _filled(url, key, rows=(5,))
    generate_key(tmp_path / "insider.key")
    insider = load_private_key(tmp_path / "insider.key")
    _drop_guards(url)
    _sql(url, "DELETE FROM checkpoints")
    _rewrite(url, 3, "forged")
    with open_log(url, create=False) as log:
        log.checkpoint(insider)
        report = log.verify(public_keys=[key.public])
    assert (report.ok, report.bad_checkpoint) == (False, 1)
    assert report.problem == (
        f"checkpoint 1 was signed by key {insider.key_id}, which is not among the public keys given"
    )


def test_the_wrong_public_key_fails(url, key, tmp_path):
    _filled(url, key, rows=(2,))
    generate_key(tmp_path / "other.key")
    other = load_public_key(tmp_path / "other.key.pub")
    with open_log(url, create=False) as log:
        report = log.verify(public_keys=[other])
    assert (report.ok, report.bad_checkpoint) == (False, 1)
    assert "not among the public keys given" in report.problem


def test_a_missing_signature_fails_closed(url, key):
    _filled(url, key, rows=(2,))
    _drop_guards(url)
    _sql(url, "UPDATE checkpoints SET signature = '' WHERE number = 1")
    with open_log(url, create=False) as log:
        report = log.verify(public_keys=[key.public])
    assert (report.ok, report.bad_checkpoint, report.problem) == (
        False, 1, "checkpoint 1 carries no signature (fail closed)"
    )  # fmt: skip


def test_removed_checkpoints_fail_closed(url, key):
    first, _ = _filled(url, key)
    _drop_guards(url)
    _sql(url, "DELETE FROM checkpoints")
    with open_log(url, create=False) as log:
        bare = log.verify(public_keys=[key.public])
        published = log.verify(public_keys=[key.public], checkpoints=[first])
    assert (bare.ok, bare.problem) == (
        False, "no signed checkpoint to verify (fail closed: sign one with `log checkpoint`)"
    )  # fmt: skip
    assert (published.ok, published.bad_checkpoint) == (False, 1)
    assert published.problem == "checkpoint 1 as published is not stored in the log (checkpoints removed or replaced)"


def test_a_checkpoint_removed_from_the_middle_breaks_their_chain(url, key):
    with open_log(url) as log:
        for n in range(3):
            log.append([_entry(n)], user="a")
            log.checkpoint(key)
    _drop_guards(url)
    _sql(url, "DELETE FROM checkpoints WHERE number = 2")
    with open_log(url, create=False) as log:
        report = log.verify()
    assert (report.ok, report.bad_checkpoint) == (False, 2)
    assert report.problem == "checkpoint 2 is missing (checkpoints removed or renumbered)"


def test_a_log_that_does_not_verify_is_never_signed(url, key):
    _filled(url, key, rows=(3,))
    _sql(url, "UPDATE decisions SET \"user\" = 'mallory' WHERE seq = 2")
    with open_log(url, create=False) as log, pytest.raises(LogVerificationError) as caught:
        log.checkpoint(key)
    assert "not signed: the log fails at row 2: its contents do not match its hash" in caught.value.message
    with open_log(url, create=False) as log:
        assert len(log.checkpoints()) == 1


def test_checkpoints_are_guarded_against_a_naive_delete(url, key):
    _filled(url, key, rows=(1,))
    with pytest.raises(Exception, match="never"):
        _sql(url, "DELETE FROM checkpoints")


def _drop_guards(url: str) -> None:
    """Remove the checkpoint guards, as an insider with full rights to the database could."""
    if sqlite_path(url) is not None:
        _sql(url, "DROP TRIGGER checkpoints_kept")
        _sql(url, "DROP TRIGGER checkpoints_fixed")
    else:
        _sql(url, "DROP TRIGGER checkpoints_kept ON checkpoints")


# -- keys ------------------------------------------------------------------------------


def test_keygen_writes_a_private_key_only_its_owner_reads_and_never_overwrites(tmp_path):
    public, key_id = generate_key(tmp_path / "k")
    assert public == tmp_path / "k.pub"
    assert stat.S_IMODE((tmp_path / "k").stat().st_mode) & 0o077 == 0
    assert load_public_key(public).key_id == load_private_key(tmp_path / "k").key_id == key_id
    with pytest.raises(InvalidInputError, match="never overwritten"):
        generate_key(tmp_path / "k")


def test_a_private_key_others_can_read_is_refused(tmp_path):
    generate_key(tmp_path / "k")
    os.chmod(tmp_path / "k", 0o644)
    with pytest.raises(InvalidInputError) as caught:
        load_private_key(tmp_path / "k")
    assert caught.value.one_line() == (
        f"{tmp_path / 'k'}: the private key is readable by others (mode 0644); restrict it with chmod 600"
    )


def test_a_public_key_file_is_not_a_private_key(tmp_path):
    generate_key(tmp_path / "k")
    with pytest.raises(InvalidInputError, match="not a usable public key"):
        load_public_key(tmp_path / "k")


# -- the command line ------------------------------------------------------------------


def test_cli_keygen_checkpoint_verify(runner, tmp_path, url):
    with open_log(url) as log:
        log.append([_entry(1), _entry(2)], user="alice")
    key = tmp_path / "cp.key"
    made = runner.invoke(cli, ["disclosure", "log", "keygen", "-o", str(key)])
    assert made.exit_code == 0, made.output
    assert made.stdout.startswith(f"wrote {key} (private, mode 0600) and {key}.pub (public); key id ed25519:")
    out = tmp_path / "cp.json"
    signed = runner.invoke(cli, ["disclosure", "log", "checkpoint", "--log", url, "--key", str(key), "-o", str(out)])
    assert signed.exit_code == 0, signed.output
    printed = json.loads(signed.stdout)
    assert printed == json.loads(out.read_text()) == read_checkpoint(out).model_dump(mode="json")
    assert (printed["body"]["number"], printed["body"]["seq"]) == (1, 2)
    verify = ["disclosure", "log", "verify", "--log", url, "--public-key", f"{key}.pub", "--checkpoint", str(out)]
    ok = runner.invoke(cli, verify)
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.splitlines()[1:] == ["1 checkpoints in the chain (signatures hold)"]
    _rewrite(url, 1, "forged")
    failed = runner.invoke(cli, verify)
    assert failed.exit_code == 1
    assert failed.stdout.startswith("FAILED at checkpoint 1: the chain contradicts checkpoint 1: row 2's hash is ")


def test_cli_verify_refuses_a_checkpoint_without_a_key(runner, tmp_path):
    result = runner.invoke(cli, ["disclosure", "log", "verify", "--log", str(tmp_path / "x.db"), "--checkpoint", "c"])
    assert result.exit_code == 2
    assert "--checkpoint needs --public-key" in result.stderr


def test_cli_malformed_checkpoint_file_is_invalid_input(runner, tmp_path, key):
    url = str(tmp_path / "d.db")
    open_log(url).close()
    bad = tmp_path / "cp.json"
    bad.write_text('{"body": {"kind": "macip-gov decision log checkpoint"}, "signature": ""}')
    args = ["--log", url, "--public-key", str(tmp_path / "cp.key.pub"), "--checkpoint", str(bad)]
    result = runner.invoke(cli, ["disclosure", "log", "verify", *args])
    assert result.exit_code == 3
    assert result.stderr.startswith(f"Error: {bad}:") and "body.log_id" in result.stderr
