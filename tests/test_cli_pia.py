"""``macip-gov pia``: exit codes and exact output of every command."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from conftest import make_workspace

from macip_gov.cli import cli
from macip_gov.pia.store import load_pia

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
TODAY = ["--today", "2026-11-25"]


@pytest.fixture
def in_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture
def work(tmp_path, monkeypatch) -> Path:
    """A PIA directory holding a copy of the minimal fixture, as the current directory."""
    d = tmp_path / "pia"
    d.mkdir()
    shutil.copy(DATA / "passing_pia_minimal.yaml", d / "macip.yaml")
    make_workspace(tmp_path)
    monkeypatch.chdir(tmp_path)
    return d


def _short(h: str) -> str:
    return h[:19]


def test_validate_project_pia(runner, in_root):
    result = runner.invoke(cli, ["pia", "validate", *TODAY])
    h = load_pia(ROOT / "pia").content_hash()
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "pia/macip.yaml: valid (signed off by MACIP Governance Group (Chair, MACIP Governance Group) "
        f"on 2026-11-25; {_short(h)})\n"
    )
    assert result.stderr == ""


def test_validate_lists_violations_with_rule_ids(runner, in_root):
    result = runner.invoke(cli, ["pia", "validate", "tests/data/failing_pia_unmitigated_high_risk.yaml", *TODAY])
    assert result.exit_code == 1
    assert result.stdout == (
        "DENY pia.risks.unmitigated_high: risk R01 is rated high but has no mitigation with an owner and a due date\n"
        "WARN pia.signoff.none: the PIA has not been signed off\n"
        "tests/data/failing_pia_unmitigated_high_risk.yaml: 1 violation(s)\n"
    )
    assert result.stderr == ""


def test_validate_json(runner, in_root):
    result = runner.invoke(cli, ["pia", "validate", "tests/data/failing_pia_review_overdue.yaml", "--json", *TODAY])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["valid"] is False
    assert doc["violations"] == [
        {
            "id": "pia.review.overdue",
            "msg": "the review due on 2026-10-31 has not been done",
            "details": {"next_review": "2026-10-31"},
            "effect": "deny",
        }
    ]
    assert doc["query"] == "pia.validate.decision"
    assert doc["today"] == "2026-11-25"
    assert doc["ratings"] == {"R01": {"inherent": "high", "residual": "medium"}}


def test_validate_malformed_yaml_exits_3_with_file_and_line(runner, in_root):
    result = runner.invoke(cli, ["pia", "validate", "tests/data/failing_pia_malformed_yaml.yaml", *TODAY])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == (
        "Error: tests/data/failing_pia_malformed_yaml.yaml:38: invalid YAML: expected ',' or '}', but got '{'\n"
    )


def test_validate_bad_field_exits_3_naming_field_and_line(runner, in_root):
    result = runner.invoke(cli, ["pia", "validate", "tests/data/failing_pia_likelihood_out_of_range.yaml"])
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: tests/data/failing_pia_likelihood_out_of_range.yaml:53: risks[0].likelihood: "
        "Input should be less than or equal to 4\n"
    )


def test_validate_missing_file_exits_3(runner, tmp_path):
    result = runner.invoke(cli, ["pia", "validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 3
    assert result.stderr == f"Error: {tmp_path / 'nope.yaml'}: file not found\n"


def test_validate_directory_with_two_pias_exits_3(runner, tmp_path):
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(DATA / "passing_pia_minimal.yaml", tmp_path / name)
    result = runner.invoke(cli, ["pia", "validate", str(tmp_path)])
    assert result.exit_code == 3
    assert result.stderr == f"Error: {tmp_path}: more than one PIA file (a.yaml, b.yaml); name one\n"


def test_validate_broken_policy_fails_closed_with_4(runner, tmp_path, in_root):
    broken = tmp_path / "policies" / "pia" / "validate"
    broken.mkdir(parents=True)
    (broken / "validate.rego").write_text("package pia.validate\n\ndecision := {\n", encoding="utf-8")
    result = runner.invoke(cli, ["pia", "validate", "--policies", str(tmp_path / "policies"), *TODAY])
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert "validate.rego" in result.stderr


def test_revise_history_sign_off_diff_and_export(runner, work):
    r1 = runner.invoke(cli, ["pia", "revise", "-m", "First", "--author", "alice"])
    h = load_pia(work).content_hash()
    assert (r1.exit_code, r1.stderr) == (0, "")
    assert r1.stdout == f"stored revision 1 ({_short(h)}) at pia/history/r0001.yaml\n"

    again = runner.invoke(cli, ["pia", "revise", "-m", "Again", "--author", "alice"])
    assert again.stdout == f"unchanged: already stored as revision 1 ({_short(h)})\n"

    signed = runner.invoke(cli, ["pia", "sign-off", "--by", "Jo Chair", "--role", "Chair"])
    assert signed.exit_code == 0
    assert signed.stdout == f"signed off {_short(h)} by Jo Chair (Chair); stored as revision 2\n"

    text = (work / "macip.yaml").read_text(encoding="utf-8")
    (work / "macip.yaml").write_text(text.replace("retention: 7 years.", "retention: 9 years."), encoding="utf-8")
    history = runner.invoke(cli, ["pia", "history"])
    assert history.exit_code == 0
    lines = history.stdout.splitlines()
    assert len(lines) == 5
    assert lines[0].startswith("r1  ") and lines[0].endswith(f"  {_short(h)}  alice: First")
    assert lines[1].endswith(f"  {_short(h)}  Jo Chair: Signed off by Jo Chair (Chair)")
    head = "sha256:" + hashlib.sha256((work / "history" / "r0002.yaml").read_bytes()).hexdigest()
    assert lines[2] == f"chain: verified, head r2 {head}"
    assert lines[3] == "working copy: edited since revision 2 (not stored)"
    assert lines[4].startswith("sign-off: changed since sign-off by Jo Chair (Chair) on ")

    diff = runner.invoke(cli, ["pia", "diff", "signed"])
    assert (diff.exit_code, diff.stdout) == (0, "~ flows F01: retention 7 years. -> 9 years.\n")
    as_json = json.loads(runner.invoke(cli, ["pia", "diff", "2", "working", "--json"]).stdout)
    assert as_json["old"] == "r2" and as_json["new"] == "working"
    assert as_json["changes"] == [
        {
            "section": "flows",
            "id": "F01",
            "change": "changed",
            "parent": None,
            "label": "Referral",
            "fields": [{"path": "retention", "old": "7 years.", "new": "9 years.", "added": None, "removed": None}],
        }
    ]
    signoff_added = runner.invoke(cli, ["pia", "diff", "1", "latest"]).stdout
    assert signoff_added.startswith("+ signoffs 2026-")
    assert signoff_added.endswith("Z: Jo Chair\n")
    assert signoff_added.count("\n") == 1
    same = runner.invoke(cli, ["pia", "diff", "latest", "2"])
    assert same.stdout == "no differences between r2 and r2\n"

    exported = runner.invoke(cli, ["pia", "export-flows"])
    assert exported.exit_code == 0
    assert json.loads(exported.stdout)["F01"]["signed_off"] is False  # changed since sign-off
    out = runner.invoke(cli, ["pia", "export-flows", "-o", "flows/data.json"])
    assert out.stdout == "wrote flows/data.json (1 flows, 0 signed off)\n"
    assert json.loads(Path("flows/data.json").read_text(encoding="utf-8")) == json.loads(exported.stdout)

    invalid = runner.invoke(cli, ["pia", "validate", *TODAY])
    assert invalid.exit_code == 1
    assert "DENY pia.signoff.changed_since_signoff: changed since sign-off by Jo Chair (Chair) on " in invalid.stdout


def test_revise_from_a_stale_base_exits_3_and_writes_nothing(runner, work, tmp_path):
    assert runner.invoke(cli, ["pia", "revise", "-m", "First", "--author", "a"]).exit_code == 0
    stale = tmp_path / "stale.yaml"
    shutil.copy(work / "macip.yaml", stale)
    text = (work / "macip.yaml").read_text(encoding="utf-8")
    (work / "macip.yaml").write_text(text.replace("retention: 7 years.", "retention: 8 years."), encoding="utf-8")
    assert runner.invoke(cli, ["pia", "revise", "-m", "Second", "--author", "a"]).exit_code == 0
    stale.write_text(stale.read_text(encoding="utf-8").replace("7 years.", "9 years."), encoding="utf-8")
    before = sorted(p.name for p in (work / "history").iterdir())
    result = runner.invoke(
        cli, ["pia", "revise", str(stale), "--history", "pia/history", "-m", "Mine", "--author", "b"]
    )
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == (
        "Error: the working copy is based on revision 1, but revision 2 is the latest; bring in its changes "
        "and set based_on_revision to 2 before storing\n"
    )
    assert sorted(p.name for p in (work / "history").iterdir()) == before


def test_revise_needs_a_message(runner, work):
    result = runner.invoke(cli, ["pia", "revise"])
    assert result.exit_code == 2
    assert "Missing option '-m' / '--message'" in result.stderr


def test_diff_unknown_version_exits_3(runner, work):
    runner.invoke(cli, ["pia", "revise", "-m", "First", "--author", "a"])
    result = runner.invoke(cli, ["pia", "diff", "yesterday"])
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: cannot read 'yesterday' as a version: use a revision number, latest, working or signed\n"
    )


def test_render_all_formats(runner, in_root, tmp_path):
    for fmt in ("md", "html", "docx"):
        out = tmp_path / f"report.{fmt}"
        result = runner.invoke(cli, ["pia", "render", "tests/data/passing_pia_minimal.yaml", "-o", str(out), *TODAY])
        assert result.exit_code == 0, result.stderr
        assert result.stdout == f"wrote {out} (valid; not signed off)\n"
        assert out.stat().st_size > 1000
    forced = runner.invoke(cli, ["pia", "render", "-o", str(tmp_path / "x.txt"), "--format", "md", *TODAY])
    assert forced.exit_code == 0
    assert (tmp_path / "x.txt").read_text(encoding="utf-8").startswith("# Privacy Impact Assessment")


def test_render_unknown_suffix_exits_3(runner, in_root, tmp_path):
    result = runner.invoke(cli, ["pia", "render", "-o", str(tmp_path / "report.odt")])
    assert result.exit_code == 3
    assert (
        result.stderr
        == f"Error: {tmp_path / 'report.odt'}: cannot tell the output format (use --format md|html|docx|pdf)\n"
    )


def test_help_lists_every_command(runner):
    result = runner.invoke(cli, ["pia", "--help"])
    assert result.exit_code == 0
    for name in ("validate", "revise", "history", "diff", "sign-off", "render", "export-flows"):
        assert f"  {name}" in result.stdout
