"""Every Rego unit test under policies/ passes, run through the same engine as decisions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import declared_rego_tests

from macip_gov.policytools import run_policy_tests
from macip_gov.resources import policies_dir


def test_every_rego_test_passes(policy_set):
    report = run_policy_tests(policy_set)
    failures = [f"{r.file}: {r.name} {r.error or ''}" for r in report.results if not r.passed]
    assert failures == []
    assert {(r.package, r.name) for r in report.results} == declared_rego_tests()
    assert (report.passed, report.failed) == (len(declared_rego_tests()), 0)


def _rego_files():
    return sorted(policies_dir().rglob("*.rego"))


@pytest.mark.parametrize("path", _rego_files(), ids=lambda p: str(p.relative_to(policies_dir())))
def test_package_matches_directory(path: Path):
    text = path.read_text()
    package = re.search(r"^package\s+(\S+)", text, re.M).group(1)
    rel_dir = path.parent.relative_to(policies_dir()).as_posix().replace("/", ".")
    expected = rel_dir + "_test" if path.name.endswith("_test.rego") else rel_dir
    assert package == expected


@pytest.mark.parametrize("path", _rego_files(), ids=lambda p: str(p.relative_to(policies_dir())))
def test_opa_1_syntax_only(path: Path):
    text = path.read_text()
    assert "import rego.v1" not in text
    assert "future.keywords" not in text
    assert not re.search(r'\$"', text), "string templates may be missing in the in-process engine"
    assert all(len(line.expandtabs(4)) <= 120 for line in text.splitlines())


@pytest.mark.parametrize(
    "path",
    [p for p in _rego_files() if not p.name.endswith("_test.rego")],
    ids=lambda p: str(p.relative_to(policies_dir())),
)
def test_policy_has_a_test_file_with_empty_input_case(path: Path):
    test_file = path.with_name(path.stem + "_test.rego")
    assert test_file.exists()
    assert "with input as {}" in test_file.read_text()
