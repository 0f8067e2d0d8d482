"""The wheel carries the policies and templates; an installed macip-gov finds them anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("macip_gov-*.whl"))


def test_wheel_ships_policies_and_templates(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for rego in (ROOT / "policies").rglob("*.rego"):
        assert f"macip_gov/_bundled/policies/{rego.relative_to(ROOT / 'policies').as_posix()}" in names
    for template in (ROOT / "templates").glob("*"):
        if template.is_file():
            assert f"macip_gov/_bundled/templates/{template.name}" in names
    assert "macip_gov/py.typed" in names


def test_installed_wheel_runs_policy_tests_from_an_unrelated_directory(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        f"import sys; sys.path.insert(0, {str(target)!r})\n"
        "import macip_gov, macip_gov.resources as r\n"
        f"assert macip_gov.__file__.startswith({str(target)!r}), macip_gov.__file__\n"
        "print(r.policies_dir())\n"
        "from macip_gov.cli import cli\n"
        "cli(['policy', 'test'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    first, *_, last = out.stdout.strip().splitlines()
    assert first == str(target / "macip_gov" / "_bundled" / "policies")
    assert last.endswith(" passed, 0 failed")
