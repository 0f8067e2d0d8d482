"""The engine: OPA in-process and on a server, loaded once, failing closed."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from conftest import write_tree
from opa_rest import OpaRestServer

from macip_gov.engine import DEFAULT_TIMEOUT, EmbeddedEngine, OpaServerEngine, load_engine
from macip_gov.errors import PolicyError, PolicyLoadError
from macip_gov.policyset import load_policy_set

SIMPLE = {
    "app/authz/authz.rego": (
        "package app.authz\n\n"
        'deny contains msg if {\n\tnot data.app.authz.roles[input.role]\n\tmsg := "unknown role"\n}\n\n'
        'decision := {"allow": count(deny) == 0, "deny": deny}\n'
    ),
    "app/authz/data.yaml": "roles:\n  admin: {level: 3}\n  clerk: {level: 1}\nsince: 2026-01-02\n",
}


@pytest.fixture
def simple_tree(tmp_path):
    return write_tree(tmp_path / "policies", SIMPLE)


def test_evaluates_decision_document(simple_tree):
    engine = load_engine(simple_tree)
    assert engine.evaluate("app.authz.decision", {"role": "admin"}) == {"allow": True, "deny": []}
    assert engine.evaluate("app.authz.decision", {"role": "x"}) == {"allow": False, "deny": ["unknown role"]}
    # YAML data lands at the dotted path of its directory; dates become ISO strings.
    assert engine.evaluate("app.authz.since") == "2026-01-02"


def test_loads_once_then_evaluates_many_times_without_the_files(simple_tree):
    engine = EmbeddedEngine(load_policy_set(simple_tree))
    shutil.rmtree(simple_tree)  # nothing is re-read per decision
    results = {engine.evaluate("app.authz.decision", {"role": r})["allow"] for r in ["admin", "clerk"] * 500}
    assert results == {True}


def test_revision_changes_with_any_policy_or_data_byte(simple_tree):
    before = load_policy_set(simple_tree).revision
    (simple_tree / "app/authz/data.yaml").write_text(SIMPLE["app/authz/data.yaml"] + "\n")
    after = load_policy_set(simple_tree).revision
    assert len(before) == 64 and before != after


def test_syntax_error_names_file_and_line(tmp_path):
    tree = write_tree(tmp_path, {"a/a.rego": "package a\n\nx := if {\n"})
    with pytest.raises(PolicyLoadError) as err:
        load_engine(tree)
    assert err.value.file == str(tree / "a/a.rego")
    assert err.value.location == "3"


def test_compile_error_surfaces_at_load(tmp_path):
    tree = write_tree(tmp_path, {"a/a.rego": "package a\n\nx if {\n\tz\n}\n"})
    with pytest.raises(PolicyLoadError) as err:
        load_engine(tree)
    assert (err.value.file, err.value.location) == (str(tree / "a/a.rego"), "4")
    assert "unsafe" in err.value.message


def test_runtime_conflict_is_an_error_not_an_answer(tmp_path):
    tree = write_tree(tmp_path, {"a/a.rego": "package a\n\nx := 1 if input.c\n\nx := 2 if input.c\n"})
    engine = load_engine(tree)
    assert engine.evaluate("a", {"c": False}) == {}
    with pytest.raises(PolicyError) as err:
        engine.evaluate("a.x", {"c": True})
    assert "conflict" in err.value.message and err.value.location == "5"


def test_builtin_error_is_an_error(tmp_path):
    tree = write_tree(tmp_path, {"a/a.rego": "package a\n\nn := to_number(input.s)\n"})
    with pytest.raises(PolicyError, match="to_number"):
        load_engine(tree).evaluate("a.n", {"s": "abc"})


def test_undefined_document_is_an_error(simple_tree):
    with pytest.raises(PolicyError, match="data.app.authz.nothing is undefined"):
        load_engine(simple_tree).evaluate("app.authz.nothing", {})


def test_steps_count_what_the_evaluator_did(tmp_path):
    # Rules guarded by an equality on the input are found through OPA's rule index: only
    # the one that can match is entered. Rules guarded by != are all entered.
    rules = "".join(f"indexed contains {i} if input.n == {i}\n\n" for i in range(8))
    rules += "".join(f"scanned contains {i} if input.n != {i}\n\n" for i in range(8))
    engine = EmbeddedEngine(load_policy_set(write_tree(tmp_path, {"s/s.rego": f"package s\n\n{rules}"})))
    indexed = engine.steps("s.indexed", {"n": 3})
    scanned = engine.steps("s.scanned", {"n": 3})
    assert engine.evaluate("s.indexed", {"n": 3}) == [3]
    assert indexed["Enter"] < scanned["Enter"]
    assert scanned["Eval"] >= 8
    with pytest.raises(PolicyError, match="undefined"):
        engine.steps("s.nothing", {})


def test_rejects_non_dotted_entrypoints(simple_tree):
    with pytest.raises(PolicyError, match="not a dotted entrypoint"):
        load_engine(simple_tree).evaluate("app/authz/decision", {})


def test_input_that_is_not_json_is_refused(simple_tree):
    with pytest.raises(PolicyError, match="not JSON"):
        load_engine(simple_tree).evaluate("app.authz.decision", {"x": float("nan")})


# About a million iterations of the evaluator (seconds of CPU), in little memory.
SLOW = (
    "package s\n\n"
    "n := count({x | some i in numbers.range(1, 1000); some j in numbers.range(1, 1000); x := (i * j) % 7})\n\n"
    "quick := 1\n"
)


def test_timeout_fails_closed_and_stays_closed(tmp_path):
    engine = EmbeddedEngine(load_policy_set(write_tree(tmp_path, {"s/s.rego": SLOW})), timeout=0.05)
    with pytest.raises(PolicyError) as err:
        engine.evaluate("s.n")
    assert err.value.message == "evaluation of data.s.n timed out after 0.05s"
    with pytest.raises(PolicyError, match="data.s.n timed out"):
        engine.evaluate("s.quick")
    engine.close()


def test_every_engine_has_a_deadline_by_default(simple_tree):
    assert DEFAULT_TIMEOUT == 10.0
    assert load_engine(simple_tree).timeout == DEFAULT_TIMEOUT
    assert EmbeddedEngine(load_policy_set(simple_tree)).timeout == DEFAULT_TIMEOUT
    with OpaRestServer() as opa:
        assert load_engine(simple_tree, kind="opa", opa_url=opa.url).timeout == DEFAULT_TIMEOUT


@pytest.mark.parametrize("timeout", [0, -1, float("inf"), float("nan"), "10"])
def test_a_deadline_is_a_positive_number(simple_tree, timeout):
    with pytest.raises(ValueError, match="positive number of seconds"):
        load_engine(simple_tree, timeout=timeout)


def test_data_file_of_wrong_shape(tmp_path):
    tree = write_tree(tmp_path, {"a/a.rego": "package a\n", "a/data.yaml": "- 1\n- 2\n"})
    with pytest.raises(PolicyLoadError, match="mapping") as err:
        load_policy_set(tree)
    assert err.value.file == str(tree / "a/data.yaml")


def test_malformed_data_yaml_names_line(tmp_path):
    tree = write_tree(tmp_path, {"a/a.rego": "package a\n", "a/data.yaml": "a: 1\nb: [\n"})
    with pytest.raises(PolicyLoadError) as err:
        load_policy_set(tree)
    assert err.value.file == str(tree / "a/data.yaml") and err.value.location == "3"


def test_missing_policy_directory(tmp_path):
    with pytest.raises(PolicyLoadError, match="not found"):
        load_engine(tmp_path / "nope")


def test_unknown_engine_kind(simple_tree):
    with pytest.raises(PolicyError, match="unknown engine"):
        load_engine(simple_tree, kind="wasm")


# --------------------------------------------------------------- OPA server engine


def test_server_engine_sends_opas_documented_requests(simple_tree):
    policy_set = load_policy_set(simple_tree)
    with OpaRestServer() as opa:
        engine = OpaServerEngine(policy_set, opa.url)
        result = engine.evaluate("app.authz.decision", {"role": "clerk"})
        engine.close()
    assert result == {"allow": True, "deny": []}
    requests = [(r["method"], r["path"].partition("?")[0]) for r in opa.requests]
    assert requests == [
        ("POST", "/v1/data/system/bundles"),  # no bundle serves these policies ...
        ("POST", "/v1/data/macip_gov/policy_set"),  # ... and no revision was pushed: push them
        ("PUT", "/v1/policies/app/authz/authz.rego"),
        ("PUT", "/v1/data/app/authz"),
        ("PUT", "/v1/data/macip_gov/policy_set"),
        ("POST", "/v1/data/system/bundles"),  # then read back the revision the server reports
        ("POST", "/v1/data/macip_gov/policy_set"),
        ("POST", "/v1/data/app/authz/decision"),
    ]
    put_policy, put_data, put_revision, post = (opa.requests[i] for i in (2, 3, 4, 7))
    assert put_policy["body"] == SIMPLE["app/authz/authz.rego"]
    assert put_policy["content_type"] == "text/plain"
    assert json.loads(put_data["body"]) == {"roles": {"admin": {"level": 3}, "clerk": {"level": 1}},
                                            "since": "2026-01-02"}  # fmt: skip
    assert json.loads(put_revision["body"]) == {"revision": policy_set.revision, "roots": ["app"]}
    assert json.loads(post["body"]) == {"input": {"role": "clerk"}}
    assert "strict-builtin-errors=true" in post["path"]
    assert engine.revision == engine.server_revision == policy_set.revision
    assert all(r["authorization"] is None for r in opa.requests)


def test_server_engine_matches_embedded_engine(simple_tree):
    embedded = load_engine(simple_tree)
    with OpaRestServer() as opa:
        server = load_engine(simple_tree, kind="opa", opa_url=opa.url)
        for role in ("admin", "clerk", "nobody"):
            doc = {"role": role}
            assert server.evaluate("app.authz.decision", doc) == embedded.evaluate("app.authz.decision", doc)


def test_server_undefined_is_an_error(simple_tree):
    with OpaRestServer() as opa:
        engine = OpaServerEngine(load_policy_set(simple_tree), opa.url)
        with pytest.raises(PolicyError, match="undefined"):
            engine.evaluate("app.authz.nothing", {})


def test_server_runtime_error_is_an_error(tmp_path):
    tree = write_tree(tmp_path, {"a/a.rego": "package a\n\nn := to_number(input.s)\n"})
    with OpaRestServer() as opa:
        engine = OpaServerEngine(load_policy_set(tree), opa.url)
        with pytest.raises(PolicyError, match="answered 500"):
            engine.evaluate("a.n", {"s": "abc"})


def test_unreachable_server_fails_closed(simple_tree):
    with OpaRestServer() as opa:
        url = opa.url  # the port is closed once the server stops
    with pytest.raises(PolicyError, match="unreachable") as err:
        load_engine(simple_tree, kind="opa", opa_url=url)
    assert err.value.file == url


def test_server_engine_needs_a_url(simple_tree):
    with pytest.raises(PolicyError, match="--opa-url"):
        load_engine(simple_tree, kind="opa")


@pytest.mark.skipif(not os.environ.get("MACIP_TEST_OPA_URL"), reason="set MACIP_TEST_OPA_URL to a live OPA")
def test_live_opa_server_agrees_with_embedded(policy_set):
    embedded = EmbeddedEngine(policy_set)
    server = OpaServerEngine(policy_set, os.environ["MACIP_TEST_OPA_URL"])
    doc = {"grounds": ["6(c)", "9(2)(g)", "18(d)"], "use": "withhold"}
    assert server.evaluate("oia.grounds.decision", doc) == embedded.evaluate("oia.grounds.decision", doc)
