"""``macip-gov doctor``: one line and a fix per check; exit 0 only when every required check passes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import write_tree

from macip_gov.cli import cli
from macip_gov.disclosure.log import open_log
from macip_gov.doctor import (
    ENGINE_FIX,
    Status,
    check_browser,
    check_decision_log,
    check_pia,
    check_python,
)
from macip_gov.workspace import init_workspace

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _no_workspace_variable(monkeypatch):
    monkeypatch.delenv("MACIP_WORKSPACE", raising=False)


def _doctor(runner, *args: str) -> tuple[int, dict[str, dict]]:
    result = runner.invoke(cli, ["doctor", "--json", *args])
    assert result.stderr == ""
    report = json.loads(result.stdout)
    return result.exit_code, {c["name"]: c for c in report["checks"]}


def test_a_fresh_workspace_passes_and_says_what_each_store_is(runner, tmp_path, monkeypatch):
    init_workspace(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, checks = _doctor(runner)
    assert code == 0
    assert list(checks)[:9] == [
        "python",
        "engine",
        "policies",
        "templates",
        "workspace",
        "pia",
        "decision log",
        "tor specs",
        "oia requests",
    ]
    assert checks["engine"]["detail"].startswith(
        "OPA in-process (opa-golib-python-bindings 0.4.4): loads and evaluates"
    )
    assert checks["policies"]["detail"].startswith("revision ")
    assert checks["workspace"]["detail"] == f"macip.toml (root {tmp_path})"
    assert checks["pia"]["detail"] == "pia: no PIA yet (write it as pia/macip.yaml)"
    assert checks["decision log"]["detail"] == (
        ".macip/decisions.db: not created yet; the first logged decision creates it"
    )
    assert checks["tor specs"]["detail"] == "tor: 0 specs"
    assert checks["oia requests"]["detail"] == "oia: 0 requests (folders with manifest.yaml)"
    optional = [c for c in checks.values() if not c["required"]]
    assert [c["name"] for c in optional] == ["browser"]
    assert checks["pdf output"]["required"] is True and checks["pdf output"]["status"] == "ok"
    assert checks["pdf output"]["detail"] == "WeasyPrint 70.0 with Pango"
    assert checks["word import"]["required"] is True and checks["word import"]["status"] == "ok"
    for check in optional:
        assert check["status"] in ("ok", "missing")
        assert check["status"] == "ok" or check["fix"]


def test_text_output_is_one_line_per_check_and_a_summary(runner, tmp_path, monkeypatch):
    init_workspace(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["doctor"])
    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert len(lines) == 13
    assert lines[0].startswith("ok      python        3.")
    assert lines[-1].startswith("all required checks passed")
    for line in lines[9:12]:
        assert line.startswith(("ok ", "missing ")), line
        assert line.startswith("ok ") or "; fix: " in line


def test_outside_a_workspace_the_workspace_check_fails_with_its_fix(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, checks = _doctor(runner)
    assert code == 1
    assert checks["workspace"] == {
        "name": "workspace",
        "required": True,
        "status": "FAIL",
        "detail": f"no workspace: no macip.toml in {tmp_path} or any folder above it, and MACIP_WORKSPACE is not set",
        "fix": "run `macip-gov init`, or set MACIP_WORKSPACE to the team's workspace",
    }
    assert "pia" not in checks
    assert checks["engine"]["status"] == "ok"
    assert list(tmp_path.iterdir()) == []
    text = runner.invoke(cli, ["doctor"])
    assert text.stdout.splitlines()[-1].startswith("1 required check failed")


def test_a_malformed_workspace_file_fails_naming_the_key(runner, tmp_path, monkeypatch):
    write_tree(tmp_path, {"macip.toml": "[pia]\ndir = 'pia'\nfolder = 'x'\n"})
    monkeypatch.chdir(tmp_path)
    code, checks = _doctor(runner)
    assert code == 1
    assert checks["workspace"]["detail"] == f"{tmp_path / 'macip.toml'}:3: unknown key 'pia.folder'"
    assert checks["workspace"]["fix"] == "correct macip.toml"


def test_policies_that_do_not_compile_fail_the_engine_check(runner, tmp_path, monkeypatch):
    init_workspace(tmp_path)
    monkeypatch.chdir(tmp_path)
    broken = write_tree(tmp_path / "broken", {"oia/grounds/grounds.rego": "package oia.grounds\n\ndecision := {\n"})
    code, checks = _doctor(runner, "--policies", str(broken))
    assert code == 1
    assert checks["engine"]["status"] == "FAIL"
    assert checks["engine"]["detail"].startswith(f"does not load: {broken / 'oia/grounds/grounds.rego'}:")
    assert checks["policies"]["status"] == "FAIL"


def test_policies_without_the_probe_decision_fail_the_engine_check(runner, tmp_path, monkeypatch):
    init_workspace(tmp_path)
    monkeypatch.chdir(tmp_path)
    other = write_tree(tmp_path / "other", {"a/a.rego": "package a\n\nx := 1\n"})
    code, checks = _doctor(runner, "--policies", str(other))
    assert code == 1
    assert checks["engine"]["detail"].startswith("loads, but does not evaluate: ")


def test_the_repository_workspace_passes(runner, monkeypatch):
    monkeypatch.chdir(ROOT / "examples")
    code, checks = _doctor(runner)
    assert code == 0, checks
    assert checks["pia"]["detail"].startswith(f"{ROOT / 'pia' / 'macip.yaml'}, ")
    assert checks["tor specs"]["detail"] == "governance: 2 specs"


# -- single checks, on real folders and files ----------------------------------------------


def test_python_older_than_3_11_fails():
    assert check_python((3, 10, 12)).status is Status.FAIL
    assert check_python((3, 11, 0)).status is Status.OK


def test_pia_folder_problems(tmp_path):
    missing = check_pia(tmp_path / "nope")
    assert (missing.status, missing.fix) == (
        Status.FAIL,
        f"mkdir -p {tmp_path / 'nope'}, or correct [pia] dir in macip.toml",
    )
    write_tree(tmp_path / "two", {"a.yaml": "id: A\n", "b.yml": "id: B\n"})
    two = check_pia(tmp_path / "two")
    assert (two.status, two.detail) == (Status.FAIL, f"{tmp_path / 'two'}: more than one PIA file (a.yaml, b.yml)")
    shutil.copytree(ROOT / "pia", tmp_path / "pia")
    one = check_pia(tmp_path / "pia")
    assert (one.status, one.detail) == (Status.OK, f"{tmp_path / 'pia' / 'macip.yaml'}, 4 stored revisions")


def test_decision_log_states(runner, tmp_path):
    path = tmp_path / "logs" / "d.db"
    fresh = check_decision_log(str(path), "sqlite")
    assert (fresh.status, fresh.detail) == (Status.OK, f"{path}: not created yet; the first logged decision creates it")
    batch = str(ROOT / "examples" / "disclosures" / "requests.jsonl")
    assert runner.invoke(cli, ["disclosure", "check", batch, "--log", str(path)]).exit_code == 1
    with open_log(str(path), create=False) as log:
        rows = log.count()
    assert rows == len((ROOT / "examples" / "disclosures" / "requests.jsonl").read_text(encoding="utf-8").splitlines())
    used = check_decision_log(str(path), "sqlite")
    assert (used.status, used.detail) == (Status.OK, f"{path}: {rows} rows, writable")
    stray = tmp_path / "notes.db"
    stray.write_text("not a database", encoding="utf-8")
    bad = check_decision_log(str(stray), "sqlite")
    assert bad.status is Status.FAIL and bad.detail.startswith(str(stray))


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_store_fails(tmp_path):
    (tmp_path / "ro").mkdir(mode=0o500)
    assert check_decision_log(str(tmp_path / "ro" / "d.db"), "sqlite").status is Status.FAIL
    assert check_pia(tmp_path / "ro").status is Status.FAIL


def test_browser_is_found_on_path_or_reported_missing_with_its_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    missing = check_browser()
    assert (missing.status, missing.required) == (Status.MISSING, False)
    assert missing.detail == "chromium and chromedriver not found (only the browser tests need them)"
    assert missing.fix == "apt-get install chromium chromium-driver"
    for name in ("chromium", "chromedriver"):
        (tmp_path / name).write_text("#!/bin/sh\n", encoding="utf-8")
        (tmp_path / name).chmod(0o755)
    assert check_browser().status is Status.OK


def test_the_engine_fix_is_the_readme_install_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ENGINE_FIX in readme
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"OPA_BINDINGS := {ENGINE_FIX.rsplit(' ', 1)[1]}\n" in makefile
