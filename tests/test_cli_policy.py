"""`macip-gov policy ...`: exit codes, exact output, fail-closed errors."""

from __future__ import annotations

import json

import pytest
from conftest import declared_rego_tests, write_tree

from macip_gov.cli import cli

PASS_FAIL = {
    "demo/rule/rule.rego": "package demo.rule\n\nallow if input.ok == true\n",
    "demo/rule/rule_test.rego": (
        "package demo.rule_test\n\nimport data.demo.rule\n\n"
        'test_success_ok if {\n\trule.allow with input as {"ok": true}\n}\n\n'
        'test_fail_wrong if {\n\trule.allow with input as {"ok": false}\n}\n'
    ),
}


@pytest.fixture
def pass_fail_tree(tmp_path):
    return write_tree(tmp_path / "p", PASS_FAIL)


def test_policy_test_on_bundled_policies_passes(runner):
    result = runner.invoke(cli, ["policy", "test"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{len(declared_rego_tests())} passed, 0 failed\n"
    assert result.stderr == ""


def test_policy_test_counts_failures_and_exits_1(runner, pass_fail_tree):
    result = runner.invoke(cli, ["policy", "test", "--policies", str(pass_fail_tree)])
    assert result.exit_code == 1
    assert result.stdout == "FAIL demo/rule/rule_test.rego: data.demo.rule_test.test_fail_wrong\n1 passed, 1 failed\n"


def test_policy_test_verbose_lists_every_test(runner, pass_fail_tree):
    result = runner.invoke(cli, ["policy", "test", "-v", "--policies", str(pass_fail_tree)])
    assert result.stdout.splitlines() == [
        "PASS demo/rule/rule_test.rego: data.demo.rule_test.test_success_ok",
        "FAIL demo/rule/rule_test.rego: data.demo.rule_test.test_fail_wrong",
        "1 passed, 1 failed",
    ]


def test_policy_test_json(runner, pass_fail_tree):
    result = runner.invoke(cli, ["policy", "test", "--json", "--policies", str(pass_fail_tree)])
    report = json.loads(result.stdout)
    assert (report["passed"], report["failed"], result.exit_code) == (1, 1, 1)
    assert [r["name"] for r in report["results"]] == ["test_success_ok", "test_fail_wrong"]


def test_policy_test_env_var_points_at_a_tree(runner, pass_fail_tree):
    result = runner.invoke(cli, ["policy", "test"], env={"MACIP_POLICIES": str(pass_fail_tree)})
    assert result.stdout.endswith("1 passed, 1 failed\n")


def test_policy_test_reports_runtime_errors_as_failures(runner, tmp_path):
    tree = write_tree(
        tmp_path,
        {
            "e/e.rego": "package e\n\nn := to_number(input.s)\n",
            "e/e_test.rego": (
                'package e_test\n\nimport data.e\n\ntest_success_n if {\n\te.n == 1 with input as {"s": "x"}\n}\n'
            ),
        },
    )
    result = runner.invoke(cli, ["policy", "test", "--policies", str(tree)])
    assert result.exit_code == 1
    assert "to_number" in result.stdout and result.stdout.endswith("0 passed, 1 failed\n")


def test_policy_test_broken_policy_exits_4_naming_file_and_line(runner, tmp_path):
    tree = write_tree(tmp_path, dict(PASS_FAIL, **{"demo/bad/bad.rego": "package demo.bad\n\nx = 1 { true }\n"}))
    result = runner.invoke(cli, ["policy", "test", "--policies", str(tree)])
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {tree / 'demo/bad/bad.rego'}:3: rego_parse_error: `if` keyword is required before rule body\n"
    )


def test_policy_check_ok(runner, pass_fail_tree):
    result = runner.invoke(cli, ["policy", "check", "--policies", str(pass_fail_tree)])
    assert result.exit_code == 0
    assert result.stdout.startswith("ok: 2 modules, 0 data documents compiled (revision ")


def test_policy_check_compile_error_exits_4(runner, tmp_path):
    tree = write_tree(tmp_path, {"a/a.rego": "package a\n\nx if {\n\tz\n}\n"})
    result = runner.invoke(cli, ["policy", "check", "--policies", str(tree)])
    assert result.exit_code == 4
    assert result.stderr == f"Error: {tree / 'a/a.rego'}:4: rego_unsafe_var_error: var z is unsafe\n"


def test_policy_eval_from_stdin(runner):
    result = runner.invoke(
        cli, ["policy", "eval", "oia.grounds.deny", "--input", "-"], input='{"grounds": ["9(2)(z)"]}'
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {
            "details": {"ground": "9(2)(z)"},
            "id": "oia.grounds.unknown",
            "msg": "9(2)(z) is not a withholding or refusal ground of the Official Information Act 1982",
        }
    ]


def test_policy_eval_yaml_input_json_output(runner, tmp_path):
    doc = tmp_path / "in.yaml"
    doc.write_text("grounds:\n  - 6(c)\nuse: withhold\n")
    result = runner.invoke(cli, ["policy", "eval", "oia.grounds.decision", "--input", str(doc), "--json"])
    body = json.loads(result.stdout)
    assert body["result"]["public_interest_test"] is False and len(body["policy_revision"]) == 64


def test_policy_eval_undefined_exits_4(runner):
    result = runner.invoke(cli, ["policy", "eval", "oia.grounds.nothing_here"])
    assert result.exit_code == 4
    assert result.stderr.startswith("Error: ")
    assert result.stderr.endswith("data.oia.grounds.nothing_here is undefined\n")
    assert result.stdout == ""


def test_policy_eval_missing_input_file_exits_3(runner, tmp_path):
    missing = tmp_path / "missing.json"
    result = runner.invoke(cli, ["policy", "eval", "oia.grounds.decision", "--input", str(missing)])
    assert result.exit_code == 3
    assert result.stderr == f"Error: {missing}: file not found\n"


def test_policy_eval_invalid_json_exits_3_with_line(runner, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "grounds": [\n    "6(c)",\n  ]\n}\n')
    result = runner.invoke(cli, ["policy", "eval", "oia.grounds.decision", "--input", str(bad)])
    assert result.exit_code == 3
    assert result.stderr == f"Error: {bad}:4: invalid JSON: Expecting value (column 3)\n"


def test_policy_eval_invalid_yaml_exits_3_with_line(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("grounds:\n  - 6(c)\n use: x\n")
    result = runner.invoke(cli, ["policy", "eval", "oia.grounds.decision", "--input", str(bad)])
    assert result.exit_code == 3
    assert result.stderr.startswith(f"Error: {bad}:3: invalid YAML:")
    assert len(result.stderr.splitlines()) == 1


def test_engine_opa_without_url_is_a_policy_error(runner):
    args = ["policy", "eval", "oia.grounds.decision", "--engine", "opa"]
    result = runner.invoke(cli, args, env={"MACIP_OPA_URL": ""})
    assert result.exit_code == 4
    assert result.stderr == "Error: the opa engine needs --opa-url (or MACIP_OPA_URL)\n"


def test_unreachable_opa_server_exits_4(runner, tmp_path):
    from opa_rest import OpaRestServer

    with OpaRestServer() as opa:
        url = opa.url
    result = runner.invoke(cli, ["policy", "eval", "oia.grounds.decision", "--engine", "opa", "--opa-url", url])
    assert result.exit_code == 4
    assert result.stderr.startswith(f"Error: {url}: reading the server's bundles: OPA server unreachable")


def test_policy_eval_through_opa_server(runner):
    from opa_rest import OpaRestServer

    with OpaRestServer() as opa:
        result = runner.invoke(
            cli,
            ["policy", "eval", "oia.grounds.deny", "--engine", "opa", "--opa-url", opa.url, "--input", "-"],
            input='{"grounds": ["18(d)"]}',
        )
    assert result.exit_code == 0
    assert [v["id"] for v in json.loads(result.stdout)] == ["oia.grounds.refusal_used_to_withhold"]


def test_usage_error_exits_2(runner):
    result = runner.invoke(cli, ["policy", "eval"])
    assert result.exit_code == 2
    assert "Missing argument 'ENTRYPOINT'" in result.stderr
