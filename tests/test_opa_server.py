"""An OPA server is not believed blindly: its revision, every decision's shape, its token and TLS.

A fake OPA server on 127.0.0.1 (``opa_rest.OpaRestServer``) answers with OPA's own engine,
or forges an answer; the real command line decides through it. Whatever the server says
that is not a well-formed, consistent decision at the local policy revision is an engine
failure: exit 4, nothing decided, nothing logged.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import write_tree
from opa_rest import OpaRestServer

from macip_gov import engine as engine_module
from macip_gov.cli import cli
from macip_gov.disclosure.log import DecisionLog
from macip_gov.engine import OpaServerEngine, load_engine
from macip_gov.errors import PolicyError
from macip_gov.policyset import load_policy_set
from macip_gov.resources import policies_dir

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "disclosures"
ALLOW = str(EXAMPLES / "01-msd-support-status.yaml")
DENY = str(EXAMPLES / "20-refused-msd-referral.yaml")
DECISION = "/v1/data/sharing/decision/result"
REVISION = "/v1/data/macip_gov/policy_set"
LOCAL = load_policy_set(policies_dir()).revision
OTHER = "0" * 64


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("MACIP_OPA_TOKEN", "MACIP_OPA_CA_BUNDLE", "MACIP_TIMEOUT", "MACIP_ENGINE", "MACIP_OPA_URL"):
        monkeypatch.delenv(name, raising=False)


def _check(runner, url, request=ALLOW, *extra, env=None):
    args = ["disclosure", "check", request, "--engine", "opa", "--opa-url", url, "--log", "d.db", "--json", *extra]
    return runner.invoke(cli, args, env=env)


def _logged() -> list[tuple[str, str, str]]:
    if not Path("d.db").exists():
        return []
    with DecisionLog("d.db", create=False) as log:
        return [(r.request_id, r.outcome, r.policy_revision) for r in log.records()]


def _on_decision(change):
    """A forger that rewrites only the decision document's answer."""

    def forge(method, route, given, status, body):
        if method == "POST" and route == DECISION:
            return change(status, body)
        return None

    return forge


def _result(**fields):
    return lambda status, body: (status, {"result": {**body["result"], **fields}})


FORGED = {
    "allow with no basis": _result(outcome="allow", legal_basis=[], conditions=[], deny=[], refer=[]),
    "allow on a made-up basis": _result(
        outcome="allow", legal_basis=["Forged Act 2026 s1"], conditions=[], deny=[], refer=[], lawful=True
    ),
    "allow despite deny findings": _result(outcome="allow", deny=[{"id": "x", "msg": "no", "details": {}}]),
    "unknown outcome": _result(outcome="permit"),
    "outcome of the wrong type": _result(outcome=["allow"]),
    "findings of the wrong type": _result(deny="none"),
    "a key missing": lambda status, body: (status, {"result": {"outcome": "allow", "legal_basis": ["x"]}}),
    "garbage": lambda status, body: (200, b"<html>allow</html>"),
    "truncated JSON": lambda status, body: (200, b'{"result": {"outcome": "allow"'),
    "non-object result": lambda status, body: (200, {"result": "allow"}),
    "true result": lambda status, body: (200, {"result": True}),
    "non-object body": lambda status, body: (200, [{"result": body["result"]}]),
    "undefined": lambda status, body: (200, {}),
    "server error": lambda status, body: (500, {"code": "internal_error", "message": "boom"}),
    "redirect": lambda status, body: (307, b""),
}


def test_an_honest_server_decides_and_its_revision_is_logged(runner):
    with OpaRestServer() as opa:
        result = _check(runner, opa.url)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout)["policy_revision"] == LOCAL
    assert _logged() == [("MACIP-D-0001", "allow", LOCAL)]


@pytest.mark.parametrize("request_file", [ALLOW, DENY], ids=["allowed", "denied"])
@pytest.mark.parametrize("case", sorted(FORGED))
def test_a_forged_decision_is_an_engine_failure(runner, case, request_file):
    with OpaRestServer(forge=_on_decision(FORGED[case])) as opa:
        result = _check(runner, opa.url, request_file)
    assert result.exit_code == 4, (case, result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1
    assert "sharing" in result.stderr and "decision" in result.stderr  # the entrypoint is named
    assert _logged() == []


@pytest.mark.parametrize("answer", [{"result": False}, {}, {"result": "yes"}], ids=["false", "undefined", "text"])
def test_a_server_that_does_not_read_metadata_is_refused(runner, answer):
    # Result ids come from each rule's METADATA: a server that ignores it would report every
    # finding as lib.result.missing_id. Nothing is decided or logged.
    def forge(method, route, given, status, body):
        return (200, answer) if method == "POST" and route == "/v1/data/lib/result/annotations_read" else None

    with OpaRestServer(forge=forge) as opa:
        result = _check(runner, opa.url)
    assert result.exit_code == 4, result.stdout
    assert result.stdout == ""
    assert "does not read the policies' METADATA annotations" in result.stderr
    assert [r["path"] for r in opa.requests if r["path"].startswith(DECISION)] == []
    assert _logged() == []


@pytest.mark.parametrize(
    "revision",
    [{"result": {"revision": OTHER, "roots": ["sharing"]}}, {"result": {"roots": ["sharing"]}}, {}, b"garbage",
     {"result": {"revision": "two words"}}, {"result": "x"}],
    ids=["another", "none", "undefined", "garbage", "not a revision", "not an object"],
)  # fmt: skip
def test_a_server_at_another_revision_is_refused(runner, revision):
    def forge(method, route, given, status, body):
        return (200, revision) if method == "POST" and route == REVISION else None

    with OpaRestServer(forge=forge) as opa:
        result = _check(runner, opa.url)
    assert result.exit_code == 4, result.stdout
    assert result.stdout == ""
    assert "revision" in result.stderr or "not JSON" in result.stderr
    assert [r["path"] for r in opa.requests if r["path"].startswith(DECISION)] == []  # nothing was asked
    assert _logged() == []


def test_a_revision_mismatch_can_be_allowed_and_the_servers_revision_is_logged(runner):
    def forge(method, route, given, status, body):
        return (200, {"result": {"revision": OTHER}}) if method == "POST" and route == REVISION else None

    with OpaRestServer(forge=forge) as opa:
        refused = _check(runner, opa.url)
        allowed = _check(runner, opa.url, ALLOW, "--allow-revision-mismatch")
    assert refused.exit_code == 4
    assert f"the OPA server's policy revision {OTHER[:12]}" in refused.stderr
    assert f"is not the local policy revision {LOCAL[:12]}" in refused.stderr
    assert allowed.exit_code == 0, allowed.stderr
    assert allowed.stderr == f"Warning: deciding with the OPA server's policy revision {OTHER[:12]}, not the local " \
                             f"{LOCAL[:12]} (--allow-revision-mismatch)\n"  # fmt: skip
    assert json.loads(allowed.stdout)["policy_revision"] == OTHER
    assert _logged() == [("MACIP-D-0001", "allow", OTHER)]


# ---------------------------------------------------------------- a server serving the bundle


def _serve_bundle(opa: OpaRestServer, policy_set, revision: str, roots=None) -> None:
    """Make the fake server serve ``policy_set`` as a bundle at ``revision``, as `opa run --bundle` does."""
    opa.policies = dict(policy_set.modules)
    opa.data = dict(policy_set.data)
    opa.bundles = {"dist/macip-policies.tar.gz": {"revision": revision, "roots": roots or ["sharing", "privacy"]}}


def test_a_served_bundle_at_the_local_revision_is_used_without_pushing(policy_set):
    with OpaRestServer() as opa:
        _serve_bundle(opa, policy_set, policy_set.revision)
        engine = OpaServerEngine(policy_set, opa.url)
        assert engine.evaluate("sharing.decision.catalogue")["titles"]
    assert [(r["method"], r["path"].partition("?")[0]) for r in opa.requests] == [
        ("POST", "/v1/data/system/bundles"),
        ("POST", "/v1/data/lib/result/annotations_read"),  # the server reads METADATA (rule ids)
        ("POST", "/v1/data/sharing/decision/catalogue"),
    ]
    assert engine.revision == policy_set.revision


def test_a_served_bundle_at_another_revision_is_refused(runner, policy_set):
    with OpaRestServer() as opa:
        _serve_bundle(opa, policy_set, "v2-not-ours")
        with pytest.raises(PolicyError) as err:
            OpaServerEngine(policy_set, opa.url)
        result = _check(runner, opa.url)
    assert "the OPA server's policy revision v2-not-ours (bundle 'dist/macip-policies.tar.gz')" in err.value.message
    assert result.exit_code == 4
    assert all(r["method"] == "POST" for r in opa.requests)  # never pushed over the bundle
    assert _logged() == []


def test_bundles_that_do_not_cover_the_policies_are_ignored(policy_set):
    with OpaRestServer(bundles={"other": {"revision": "x", "roots": ["billing"]}}) as opa:
        engine = OpaServerEngine(policy_set, opa.url)
    assert engine.revision == policy_set.revision
    assert any(r["method"] == "PUT" for r in opa.requests)


def test_two_bundles_under_the_same_roots_are_refused(policy_set):
    bundles = {"a": {"revision": policy_set.revision, "roots": ["sharing"]}, "b": {"revision": "y"}}
    with OpaRestServer(bundles=bundles) as opa, pytest.raises(PolicyError, match="several bundles"):
        OpaServerEngine(policy_set, opa.url)


def test_without_push_a_server_with_no_revision_is_refused(tmp_path):
    tree = write_tree(tmp_path / "p", {"a/a.rego": "package a\n\nx := 1\n"})
    with OpaRestServer() as opa, pytest.raises(PolicyError) as err:
        OpaServerEngine(load_policy_set(tree), opa.url, push=False)
    assert "reports no usable policy revision" in err.value.message
    assert [r["method"] for r in opa.requests] == ["POST", "POST"]


def test_a_revision_that_changes_during_the_run_is_refused(tmp_path, monkeypatch):
    tree = write_tree(tmp_path / "p", {"a/a.rego": "package a\n\nx := 1\n"})
    with OpaRestServer() as opa:
        engine = OpaServerEngine(load_policy_set(tree), opa.url)
        assert engine.evaluate("a.x") == 1
        opa.data["macip_gov.policy_set"] = {"revision": OTHER}
        opa._engine = None  # the fake's engine is rebuilt from its data
        assert engine.evaluate("a.x") == 1  # read again only once REVISION_RECHECK has passed
        monkeypatch.setattr(engine_module, "REVISION_RECHECK", 0.0)
        with pytest.raises(PolicyError, match="changed from .* during the run"):
            engine.evaluate("a.x")


# ---------------------------------------------------------------- token, TLS, deadline


def test_a_bearer_token_is_sent_on_every_request(runner, monkeypatch):
    with OpaRestServer(token="s3cret") as opa:
        without = _check(runner, opa.url)
        monkeypatch.setenv("MACIP_OPA_TOKEN", "s3cret")
        with_token = _check(runner, opa.url)
    assert without.exit_code == 4
    assert "answered 401: missing or invalid bearer token" in without.stderr
    assert with_token.exit_code == 0, with_token.stderr
    sent = [r["authorization"] for r in opa.requests]
    assert sent[0] is None and sent[-1] == "Bearer s3cret" and sent.count("Bearer s3cret") == len(sent) - 1


def test_a_token_is_never_sent_in_clear_text_off_this_machine():
    policy_set = load_policy_set(policies_dir())
    with pytest.raises(PolicyError, match="refusing to send the OPA token in clear text to opa.example"):
        OpaServerEngine(policy_set, "http://opa.example:8181", token="s3cret")
    with pytest.raises(PolicyError, match="needs an https:// OPA server URL"):
        OpaServerEngine(policy_set, "http://127.0.0.1:1", ca_bundle=__file__)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    where = tmp_path_factory.mktemp("tls")
    cert, key = where / "cert.pem", where / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


def test_tls_is_verified_against_the_given_authorities(runner, certificate):
    cert, _ = certificate
    with OpaRestServer(tls=certificate) as opa:
        assert opa.url.startswith("https://")
        unverified = _check(runner, opa.url)
        verified = _check(runner, opa.url, ALLOW, "--opa-ca-bundle", cert)
    assert unverified.exit_code == 4
    assert "TLS with the OPA server failed" in unverified.stderr
    assert verified.exit_code == 0, verified.stderr
    assert _logged() == [("MACIP-D-0001", "allow", LOCAL)]


def test_a_server_that_does_not_answer_in_time_is_an_engine_failure(runner, tmp_path):
    def stall(method, route, given, status, body):
        if method == "POST" and route == DECISION:
            time.sleep(3)
        return None

    # A small policy tree, so only the decision is slow.
    tree = write_tree(tmp_path / "p", {"sharing/decision/d.rego": "package sharing.decision\n\nresult := {}\n"})
    with OpaRestServer(forge=stall) as opa:
        result = _check(runner, opa.url, ALLOW, "--timeout", "0.5", "--policies", str(tree))
    assert result.exit_code == 4
    assert "evaluating data.sharing.decision.result: the OPA server did not answer within 0.5s" in result.stderr
    assert _logged() == []


def test_load_engine_passes_the_server_settings(tmp_path):
    tree = write_tree(tmp_path / "p", {"a/a.rego": "package a\n\nx := 1\n"})
    with OpaRestServer(token="t") as opa:
        engine = load_engine(tree, kind="opa", opa_url=opa.url, timeout=3, opa_token="t")
        assert (engine.timeout, engine.evaluate("a.x")) == (3, 1)
