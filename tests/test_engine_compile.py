"""Compile once: every entrypoint a command evaluates shares the query the engine prepared at load.

The bindings compile every module again for each distinct query string they are sent, so
the number of distinct query strings is the number of compiles; these tests count them.
They also pin what sharing one query must not change: the policies' input, what is
evaluated (the addressed document only), and failing closed.
"""

from __future__ import annotations

import os
import subprocess
import sys

import opa_bindings
import pytest
from conftest import write_tree

from macip_gov.cli._options import Settings
from macip_gov.disclosure import batch
from macip_gov.engine import (
    BATCH_GO_RUNTIME,
    DEFAULT_TIMEOUT,
    DISPATCH_DEPTH,
    DISPATCH_QUERY,
    GO_RUNTIME,
    EmbeddedEngine,
    EngineSpec,
    apply_go_runtime,
    decision_modules,
    go_runtime_env,
)
from macip_gov.errors import PolicyError, PolicyLoadError
from macip_gov.policyset import load_policy_set
from macip_gov.policytools import check_policies, run_policy_tests

TREE = {
    "app/authz/authz.rego": (
        "package app.authz\n\n"
        'decision := {"allow": input.role == "admin"}\n\n'
        "bad := 1 / 0 if input.boom\n\n"
        'noisy := 1 if {\n\tprint("noisy evaluated")\n}\n\n'
        'seen := {"input": input} if input\n\n'
        'seen := "no input" if not input\n'
    ),
    "app/authz/data.yaml": "roles:\n  admin: {level: 3}\n",
    "app/authz/authz_test.rego": (
        "package app.authz_test\n\nimport data.app.authz\n\n"
        'test_admin if authz.decision.allow with input as {"role": "admin"}\n'
    ),
    "a/b/c/d/e/f/g.rego": "package a.b.c.d.e.f\n\ng := 7\n",
    "top.rego": "package top\n\nx := 1\n",
}


@pytest.fixture
def tree(tmp_path):
    return write_tree(tmp_path / "policies", TREE)


@pytest.fixture
def sent(monkeypatch):
    """Every query string and document path sent to the bindings, in order."""
    calls: list[tuple[str, str]] = []
    eval_query, eval_document = opa_bindings.OpaEngine.eval_query, opa_bindings.OpaEngine.eval_document

    def query(self, query, input=None, **kwargs):
        calls.append(("query", query))
        return eval_query(self, query, input, **kwargs)

    def document(self, path, input=None, **kwargs):
        calls.append(("document", path))
        return eval_document(self, path, input, **kwargs)

    monkeypatch.setattr(opa_bindings.OpaEngine, "eval_query", query)
    monkeypatch.setattr(opa_bindings.OpaEngine, "eval_document", document)
    return calls


def test_every_entrypoint_shares_the_query_prepared_at_load(tree, sent):
    engine = EmbeddedEngine(load_policy_set(tree))
    assert sent == [("query", DISPATCH_QUERY)]  # the compile at load
    assert engine.evaluate("app.authz.decision", {"role": "admin"}) == {"allow": True}
    assert engine.evaluate("app.authz.decision", {"role": "clerk"}) == {"allow": False}
    assert engine.evaluate("app.authz.roles") == {"admin": {"level": 3}}
    assert engine.evaluate("app.authz.roles.admin.level") == 3
    assert engine.evaluate("top.x") == 1
    assert engine.evaluate("top") == {"x": 1}
    assert engine.evaluate("a.b.c.d.e.f") == {"g": 7}
    assert set(sent) == {("query", DISPATCH_QUERY)}
    assert len(sent) == 8
    engine.close()


def test_entrypoints_deeper_than_the_shared_query_get_one_of_their_own(tree, sent):
    engine = EmbeddedEngine(load_policy_set(tree))
    deep = "a.b.c.d.e.f.g"
    assert len(deep.split(".")) == DISPATCH_DEPTH + 1
    assert engine.evaluate(deep) == 7
    assert sent[-1] == ("document", deep)
    with pytest.raises(PolicyError, match=r"data\.a\.b\.c\.d\.e\.f\.nothing is undefined"):
        engine.evaluate("a.b.c.d.e.f.nothing")


def test_the_policies_see_the_callers_input_or_none(tree):
    engine = EmbeddedEngine(load_policy_set(tree))
    assert engine.evaluate("app.authz.seen") == "no input"
    assert engine.evaluate("app.authz.seen", {}) == {"input": {}}
    assert engine.evaluate("app.authz.seen", [1, "a"]) == {"input": [1, "a"]}
    assert engine.evaluate("app.authz.seen", {"p": ["x"]}) == {"input": {"p": ["x"]}}


def test_only_the_addressed_document_is_evaluated(tree):
    engine = EmbeddedEngine(load_policy_set(tree))
    prints: list[str] = []
    engine._opa.print_handler = lambda message, location: prints.append(message)
    # A sibling that raises, and one that prints, are not evaluated.
    assert engine.evaluate("app.authz.decision", {"role": "admin", "boom": True}) == {"allow": True}
    assert prints == []
    assert engine.evaluate("app.authz.noisy") == 1
    assert prints == ["noisy evaluated"]
    with pytest.raises(PolicyError, match="divide by zero") as err:
        engine.evaluate("app.authz.bad", {"boom": True})
    assert err.value.location == "5"
    with pytest.raises(PolicyError, match="divide by zero"):
        engine.evaluate("app.authz", {"boom": True})  # the package document holds it


def test_undefined_is_an_error_at_every_depth(tree):
    engine = EmbeddedEngine(load_policy_set(tree))
    for entrypoint in ("nothing", "app.nothing", "app.authz.nothing", "app.authz.bad", "top.x.y"):
        with pytest.raises(PolicyError, match=f"data.{entrypoint} is undefined"):
            engine.evaluate(entrypoint, {})


def test_an_answer_for_another_entrypoint_is_refused(tree):
    engine = EmbeddedEngine(load_policy_set(tree))
    original = engine._dispatch

    def crossed(path, input):
        return original(["top", "x"] if path else path, input)

    engine._dispatch = crossed  # type: ignore[method-assign]
    with pytest.raises(PolicyError, match="did not answer for data.app.authz.decision; refusing to decide"):
        engine.evaluate("app.authz.decision", {"role": "admin"})


def test_a_dedicated_entrypoint_gets_its_own_query(tree, sent):
    engine = EmbeddedEngine(load_policy_set(tree))
    shared = engine.evaluate("app.authz.decision", {"role": "admin"})
    engine.dedicate("app.authz.decision")
    assert engine.evaluate("app.authz.decision", {"role": "admin"}) == shared
    assert sent[-1] == ("document", "app.authz.decision")
    assert engine.evaluate("top.x") == 1
    assert sent[-1] == ("query", DISPATCH_QUERY)
    with pytest.raises(PolicyError, match="not a dotted entrypoint"):
        engine.dedicate("app/authz")


def test_decisions_leave_the_rego_tests_out(tree):
    policy_set = load_policy_set(tree)
    decisions = EmbeddedEngine(policy_set)
    assert "app/authz/authz_test.rego" not in decisions.modules
    with pytest.raises(PolicyError, match="undefined"):
        decisions.evaluate("app.authz_test.test_admin")
    tooling = EmbeddedEngine(policy_set, tests=True)
    assert set(tooling.modules) == set(policy_set.modules)
    assert tooling.evaluate("app.authz_test.test_admin") is True


def test_a_broken_test_module_fails_the_tooling_not_the_decisions(tmp_path):
    tree = write_tree(tmp_path, {**TREE, "app/authz/authz_test.rego": "package app.authz_test\n\ntest_x if {\n"})
    policy_set = load_policy_set(tree)
    assert EmbeddedEngine(policy_set).evaluate("top.x") == 1
    with pytest.raises(PolicyLoadError) as err:
        check_policies(policy_set)
    assert err.value.file == str(tree / "app/authz/authz_test.rego")
    with pytest.raises(PolicyLoadError):
        run_policy_tests(policy_set)


@pytest.mark.parametrize(
    "source",
    [
        "package uses\n\nimport data.app.authz_test\n\nx := authz_test.test_admin\n",
        "package uses\n\nx := data[input.pkg]\n",
        'package uses\n\nx := object.get(data, ["app", input.pkg], null)\n',
        "package uses\n\nimport data\n\nx := data.app\n",
    ],
)
def test_every_module_is_kept_when_a_policy_could_reach_a_test_package(source):
    modules = {"uses/uses.rego": source, "app/authz/authz_test.rego": TREE["app/authz/authz_test.rego"]}
    assert decision_modules(modules) == modules


def test_comments_and_strings_do_not_keep_the_tests():
    source = (
        "package uses\n\n# the data[...] of authz_test is not read\n"
        'x := "data[1] authz_test" if input.a\n\ny := `data, authz_test` if data.app.authz.decision\n'
    )
    modules = {"uses/uses.rego": source, "app/authz/authz_test.rego": TREE["app/authz/authz_test.rego"]}
    assert decision_modules(modules) == {"uses/uses.rego": source}


def test_only_test_packages_in_test_files_are_left_out():
    helper = "package app.helpers\n\nh := 1\n"
    modules = {
        "app/helpers_test.rego": helper,  # a *_test.rego file whose package is not a test package
        "app/authz/authz_test.rego": TREE["app/authz/authz_test.rego"],
        "app/authz/authz.rego": TREE["app/authz/authz.rego"],
    }
    assert set(decision_modules(modules)) == {"app/helpers_test.rego", "app/authz/authz.rego"}


SLOW = "n := count({x | some i in numbers.range(1, 1000); some j in numbers.range(1, 1000); x := (i * j) % 7})"


def test_tooling_queries_have_the_deadline_too(tree):
    engine = EmbeddedEngine(load_policy_set(tree), timeout=0.05)
    assert engine.query("x := data.top.x") == [{"x": 1}]
    with pytest.raises(PolicyError, match="timed out after 0.05s"):
        engine.query(SLOW)
    with pytest.raises(PolicyError, match="timed out"):
        engine.evaluate("top.x")  # the engine stays closed
    engine.close()


def test_policy_tests_run_with_the_deadline_given(tmp_path):
    tree = write_tree(tmp_path, {
        "s/s.rego": f"package s\n\n{SLOW}\n\nquick := 1\n",
        "s/s_test.rego": "package s_test\n\nimport data.s\n\ntest_slow if s.n > 0\n\ntest_quick if s.quick == 1\n",
    })  # fmt: skip
    report = run_policy_tests(load_policy_set(tree), timeout=0.2)
    assert (report.passed, report.failed) == (0, 2)
    assert all("timed out after 0.2s" in (r.error or "") for r in report.results)


def test_policy_tests_compile_the_policies_once(tree, sent):
    report = run_policy_tests(load_policy_set(tree))
    assert (report.passed, report.failed) == (1, 0)
    # The parser's queries run on an engine without policies; the policies compile once.
    assert sent.count(("query", DISPATCH_QUERY)) >= 2
    assert {q for kind, q in sent if kind == "query"} == {
        DISPATCH_QUERY,
        "m := rego.parse_module(input.f, input.s)",
    }


# ------------------------------------------------------------------ Go runtime settings


def test_the_engine_spec_carries_the_go_runtime_settings():
    assert dict(EngineSpec().go_env) == GO_RUNTIME == {"GOGC": "400"}
    assert BATCH_GO_RUNTIME == {"GOGC": "400", "GOMAXPROCS": "1"}
    assert batch.GO_RUNTIME == BATCH_GO_RUNTIME
    assert batch.EngineSpec is EngineSpec


def test_a_value_the_user_set_wins(monkeypatch):
    monkeypatch.setenv("GOGC", "150")
    monkeypatch.delenv("GOMAXPROCS", raising=False)
    assert go_runtime_env(BATCH_GO_RUNTIME) == {"GOGC": "150", "GOMAXPROCS": "1"}
    assert apply_go_runtime(BATCH_GO_RUNTIME) == {"GOGC": "150", "GOMAXPROCS": "1"}
    assert (os.environ["GOGC"], os.environ["GOMAXPROCS"]) == ("150", "1")


def test_batch_workers_start_with_the_settings_in_their_environment(monkeypatch):
    monkeypatch.delenv("GOGC", raising=False)
    monkeypatch.setenv("GOMAXPROCS", "3")
    probe = "import os; print(os.environ.get('GOGC'), os.environ.get('GOMAXPROCS'))"
    with batch._environment(BATCH_GO_RUNTIME):
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["400", "3"]
    assert "GOGC" not in os.environ and os.environ["GOMAXPROCS"] == "3"


def test_settings_build_the_spec_of_the_invocation(tmp_path):
    settings = Settings(policies=tmp_path, timeout=2.5, engine_kind="embedded")
    spec = settings.spec()
    assert (spec.policies, spec.timeout, spec.kind, spec.tests) == (str(tmp_path), 2.5, "embedded", False)
    assert dict(spec.go_env) == GO_RUNTIME
    assert Settings().spec(tests=True).timeout == DEFAULT_TIMEOUT


GC_PROBE = """
import os, sys
if sys.argv[1] == "late":
    os.environ["GODEBUG"] = "gctrace=1"  # too late: the Go runtime reads the environment the process started with
from macip_gov.engine import go_runtime_active, startup_environment
from opa_bindings import OpaEngine
engine = OpaEngine()
engine.add_policy("a.rego", "package a\\n\\nx := count([i | some i in numbers.range(1, 300000)])\\n")
engine.eval_document("a.x")
print(go_runtime_active(), "GODEBUG" in startup_environment())
"""


@pytest.mark.parametrize("when", ["late", "at start"])
def test_the_go_runtime_reads_the_environment_the_process_started_with(when, monkeypatch):
    monkeypatch.delenv("GODEBUG", raising=False)
    monkeypatch.delenv("GOGC", raising=False)
    env = dict(os.environ, **({"GODEBUG": "gctrace=1", "GOGC": "400"} if when == "at start" else {}))
    out = subprocess.run([sys.executable, "-c", GC_PROBE, when], env=env, capture_output=True, text=True, check=True)
    traced = "gc 1 @" in out.stderr
    assert traced == (when == "at start")
    assert out.stdout.split() == (["True", "True"] if when == "at start" else ["False", "False"])


def test_an_abandoned_evaluation_keeps_its_callback_alive(tmp_path):
    from macip_gov import engine as engine_module

    tree = write_tree(tmp_path, {"s/s.rego": f"package s\n\n{SLOW}\n"})
    engine = EmbeddedEngine(load_policy_set(tree), timeout=0.05)
    opa = engine._opa
    with pytest.raises(PolicyError, match="timed out"):
        engine.evaluate("s.n")
    engine.close()
    del engine
    assert any(kept is opa for kept in engine_module._ABANDONED)
