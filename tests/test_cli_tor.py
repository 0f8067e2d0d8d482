"""``macip-gov tor``: exit codes and exact output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pytest
from conftest import write_tree

from macip_gov.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = ROOT / "examples" / "governance"
GG = EXAMPLES / "macip-governance-group.yaml"
WG = EXAMPLES / "macip-working-group.yaml"
QUORUM = DATA / "failing_tor_quorum_too_large.yaml"


@pytest.fixture
def pia(tmp_path: Path) -> str:
    return str(write_tree(tmp_path / "pia", {"macip.yaml": "id: MACIP-PIA\n"}))


def _tor(runner, *args: str):
    return runner.invoke(cli, ["tor", *args])


def test_check_examples_pass(runner, pia):
    result = _tor(runner, "check", str(GG), str(WG), "--pia", pia)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (
        f"PASS {GG}: MACIP Governance Group (governance group, version 1.0)\n"
        f"PASS {WG}: MACIP Working Group (working group, version 1.0)\n"
        "2 passed, 0 failed (current PIA: MACIP-PIA)\n"
    )


def test_check_working_group_alone_names_the_reference(runner, pia):
    result = _tor(runner, "check", str(WG), "--pia", pia)
    assert result.exit_code == 0
    assert result.stdout == (
        f"PASS {WG}: MACIP Working Group (working group, version 1.0)\n"
        f"1 passed, 0 failed (current PIA: MACIP-PIA; reporting lines resolved with {GG})\n"
    )


def test_check_quorum_larger_than_membership_exits_1(runner, pia):
    result = _tor(runner, "check", str(QUORUM), "--pia", pia)
    assert result.exit_code == 1
    assert result.stderr == ""
    assert result.stdout == (
        f"FAIL {QUORUM}: Privacy Advisory Group (advisory group, version 1.0)\n"
        "  deny governance.tor.quorum_too_large: "
        "the quorum of 3 is more than the 2 voting members\n"
        "0 passed, 1 failed (current PIA: MACIP-PIA)\n"
    )


def test_check_lists_warnings_without_failing(runner, pia, tmp_path):
    text = GG.read_text(encoding="utf-8").replace('    deputy: "Director: Policy and Partnerships"\n', "")
    spec = write_tree(tmp_path, {"gg.yaml": text}) / "gg.yaml"
    result = _tor(runner, "check", str(spec), "--pia", pia)
    assert result.exit_code == 0
    assert result.stdout == (
        f"PASS {spec}: MACIP Governance Group (governance group, version 1.0)\n"
        "  warn governance.tor.no_deputy: voting member "
        "Assistant Commissioner: Security and International "
        "(police) has no named deputy\n"
        "1 passed, 0 failed (current PIA: MACIP-PIA)\n"
    )


def test_check_json(runner, pia):
    result = _tor(runner, "check", str(QUORUM), "--pia", pia, "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert re.fullmatch(r"[0-9a-f]{64}", report.pop("policy_revision"))
    assert report == {
        "passed": False,
        "bodies": [
            {
                "file": str(QUORUM),
                "body": "privacy-advisory-group",
                "name": "Privacy Advisory Group",
                "type": "advisory_group",
                "version": "1.0",
                "passed": False,
                "violations": [
                    {
                        "id": "governance.tor.quorum_too_large",
                        "msg": "the quorum of 3 is more than the 2 voting members",
                        "details": {
                            "body": "privacy-advisory-group",
                            "quorum": 3,
                            "voting_members": 2,
                        },
                        "effect": "deny",
                    }
                ],
                "warnings": [],
            }
        ],
        "references": [],
        "violations": [],
        "current_pia": "MACIP-PIA",
    }


def test_check_without_a_pia_fails_every_spec(runner, tmp_path):
    result = _tor(runner, "check", str(GG), "--pia", str(tmp_path))
    assert result.exit_code == 1
    assert result.stdout == (
        f"FAIL {GG}: MACIP Governance Group (governance group, version 1.0)\n"
        "  deny governance.tor.pia_not_current: no current PIA was found to check "
        "information_management.pia against\n"
        f"0 passed, 1 failed (no current PIA in {tmp_path})\n"
    )


def test_check_default_pia_is_the_workspace_pia_from_any_folder_below_it(runner, tmp_path, monkeypatch):
    write_tree(tmp_path, {"macip.toml": '[pia]\ndir = "records/pia"\n', "records/pia/macip.yaml": "id: MACIP-PIA\n"})
    (tmp_path / "notes" / "2026").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "notes" / "2026")
    result = _tor(runner, "check", str(GG))
    assert result.exit_code == 0
    assert result.stdout.endswith("1 passed, 0 failed (current PIA: MACIP-PIA)\n")


def test_check_outside_a_workspace_needs_pia_and_writes_nothing(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MACIP_WORKSPACE", raising=False)
    result = _tor(runner, "check", str(GG))
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: no workspace: no macip.toml in {tmp_path} or any folder above it, and MACIP_WORKSPACE is not set; "
        "run `macip-gov init` to make one, or pass --pia DIR\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_check_with_no_spec_checks_the_workspace_specs(runner, tmp_path, monkeypatch):
    write_tree(
        tmp_path,
        {
            "macip.toml": '[tor]\nspecs = "tor"\n',
            "pia/macip.yaml": "id: MACIP-PIA\n",
            "tor/gg.yaml": GG.read_text(encoding="utf-8"),
            "tor/quorum.yaml": QUORUM.read_text(encoding="utf-8"),
            "tor/notes.txt": "not a spec",
        },
    )
    monkeypatch.chdir(tmp_path)
    result = _tor(runner, "check", "--json")
    assert result.exit_code == 1
    assert [b["file"] for b in json.loads(result.stdout)["bodies"]] == ["tor/gg.yaml", "tor/quorum.yaml"]


def _expectation(path: Path) -> tuple[int, str]:
    head = path.read_text(encoding="utf-8").splitlines()[:2]
    code = int(re.fullmatch(r"# expect-exit: (\d)", head[0])[1])
    excerpt = re.fullmatch(r"# expect: (.*)", head[1])[1]
    return code, excerpt


@pytest.mark.parametrize("path", sorted(DATA.glob("failing_tor_*.yaml")), ids=lambda p: p.stem)
def test_check_failing_specs(runner, pia, path):
    code, excerpt = _expectation(path)
    result = _tor(runner, "check", str(path), "--pia", pia)
    assert result.exit_code == code
    if code == 1:
        assert result.stderr == ""
        assert f"FAIL {path}: " in result.stdout
        assert f"\n  {excerpt}" in result.stdout
    else:
        # One line naming the file, the line and the field; no traceback, nothing on stdout.
        assert result.stdout == ""
        assert re.fullmatch(rf"Error: {re.escape(str(path))}:\d+: .*\n", result.stderr)
        assert excerpt in result.stderr


@pytest.mark.parametrize("path", sorted(DATA.glob("passing_tor_*.yaml")), ids=lambda p: p.stem)
def test_check_passing_specs(runner, pia, path):
    result = _tor(runner, "check", str(path), "--pia", pia)
    assert result.exit_code == 0
    assert result.stdout.startswith(f"PASS {path}: ")


def test_check_malformed_spec_exact_error(runner, pia):
    path = DATA / "failing_tor_unknown_field.yaml"
    result = _tor(runner, "check", str(path), "--pia", pia)
    assert result.exit_code == 3
    assert result.stderr == f"Error: {path}:25: members[1].vote: Extra inputs are not permitted\n"


def test_check_missing_file_exits_3(runner, pia, tmp_path):
    result = _tor(runner, "check", str(tmp_path / "nope.yaml"), "--pia", pia)
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == f"Error: {tmp_path / 'nope.yaml'}: file not found\n"


def test_check_malformed_pia_exits_3(runner, tmp_path):
    write_tree(tmp_path, {"macip.yaml": "title: a PIA without an id\n"})
    result = _tor(runner, "check", str(GG), "--pia", str(tmp_path))
    assert result.exit_code == 3
    assert result.stderr == f"Error: {tmp_path / 'macip.yaml'}: id: the PIA has no id\n"


def test_check_needs_a_spec_outside_a_workspace(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MACIP_WORKSPACE", raising=False)
    result = _tor(runner, "check", "--pia", str(tmp_path))
    assert result.exit_code == 3
    assert result.stderr.endswith("run `macip-gov init` to make one, or name the SPEC files\n")


def test_check_with_a_broken_policy_exits_4(runner, pia, tmp_path):
    write_tree(
        tmp_path / "policies",
        {"governance/tor/tor.rego": "package governance.tor\n\ndecision := {\n"},
    )
    result = _tor(runner, "check", str(GG), "--pia", pia, "--policies", str(tmp_path / "policies"))
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert "tor.rego:" in result.stderr
    assert result.stderr.count("\n") == 1


def test_check_with_an_undefined_decision_exits_4_not_0(runner, pia, tmp_path):
    write_tree(tmp_path / "policies", {"governance/tor/tor.rego": "package governance.tor\n\nother := 1\n"})
    result = _tor(runner, "check", str(GG), "--pia", pia, "--policies", str(tmp_path / "policies"))
    assert result.exit_code == 4
    assert result.stdout == ""
    assert "governance.tor.decision" in result.stderr


# -- generate -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
@pytest.mark.parametrize("spec", [GG, WG], ids=["governance-group", "working-group"])
def test_generate_examples_in_every_format(runner, pia, tmp_path, spec, fmt):
    out = tmp_path / f"tor.{fmt}"
    result = _tor(runner, "generate", str(spec), "-o", str(out), "--pia", pia)
    name = "MACIP Governance Group" if spec == GG else "MACIP Working Group"
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == f"wrote {out} ({name}, version 1.0, {fmt})\n"
    assert out.stat().st_size > 2000


def test_generate_refuses_a_spec_with_violations(runner, pia, tmp_path):
    out = tmp_path / "tor.docx"
    result = _tor(runner, "generate", str(QUORUM), "-o", str(out), "--pia", pia)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {QUORUM}: refused, 1 violation "
        "(governance.tor.quorum_too_large: the quorum of 3 is "
        "more than the 2 voting members); correct the spec or generate a --draft\n"
    )
    assert not out.exists()


def test_generate_draft_of_a_spec_with_violations(runner, pia, tmp_path):
    out = tmp_path / "tor.docx"
    result = _tor(runner, "generate", str(QUORUM), "-o", str(out), "--draft", "--pia", pia)
    assert result.exit_code == 0
    assert result.stdout == (f"wrote {out} (Privacy Advisory Group, version 1.0, docx, DRAFT, 1 issue outstanding)\n")
    assert docx.Document(str(out)).sections[0].header.paragraphs[0].text == "DRAFT"


def test_generate_json(runner, pia, tmp_path):
    out = tmp_path / "tor.html"
    result = _tor(runner, "generate", str(QUORUM), "-o", str(out), "--draft", "--json", "--pia", pia)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "spec": str(QUORUM),
        "path": str(out),
        "format": "html",
        "body": "privacy-advisory-group",
        "name": "Privacy Advisory Group",
        "version": "1.0",
        "draft": True,
        "written": True,
        "violations": [
            {
                "id": "governance.tor.quorum_too_large",
                "msg": "the quorum of 3 is more than the 2 voting members",
                "details": {"body": "privacy-advisory-group", "quorum": 3, "voting_members": 2},
                "effect": "deny",
            }
        ],
        "warnings": [],
    }


def test_generate_refusal_json(runner, pia, tmp_path):
    out = tmp_path / "tor.html"
    result = _tor(runner, "generate", str(QUORUM), "-o", str(out), "--json", "--pia", pia)
    assert result.exit_code == 1
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert (document["written"], document["draft"], document["path"]) == (False, False, str(out))
    assert [v["id"] for v in document["violations"]] == ["governance.tor.quorum_too_large"]
    assert not out.exists()


def test_generate_format_option_and_unknown_suffix(runner, pia, tmp_path):
    unknown = _tor(runner, "generate", str(GG), "-o", str(tmp_path / "tor.txt"), "--pia", pia)
    assert unknown.exit_code == 3
    assert unknown.stderr == (
        f"Error: {tmp_path / 'tor.txt'}: cannot tell the output format (use --format md|html|docx|pdf)\n"
    )
    chosen = _tor(runner, "generate", str(GG), "-o", str(tmp_path / "tor.txt"), "--format", "md", "--pia", pia)
    assert chosen.exit_code == 0
    assert (tmp_path / "tor.txt").read_text(encoding="utf-8").startswith("# MACIP Governance Group\n")


def test_generate_usage_errors_exit_2(runner, pia):
    missing_output = _tor(runner, "generate", str(GG), "--pia", pia)
    assert missing_output.exit_code == 2
    assert "Missing option '-o' / '--output'" in missing_output.stderr
    bad_format = _tor(runner, "generate", str(GG), "-o", "x.odt", "--format", "odt", "--pia", pia)
    assert bad_format.exit_code == 2
    assert "'odt' is not one of 'md', 'html', 'docx', 'pdf'" in bad_format.stderr


def test_generate_malformed_spec_exits_3(runner, pia, tmp_path):
    path = DATA / "failing_tor_quorum_not_a_number.yaml"
    result = _tor(runner, "generate", str(path), "-o", str(tmp_path / "t.md"), "--pia", pia)
    assert result.exit_code == 3
    assert result.stderr == (
        f"Error: {path}:29: quorum: Input should be a valid integer, unable to parse string as an integer\n"
    )
    assert list(tmp_path.glob("t.md")) == []


def test_help_has_examples(runner):
    for command in ("check", "generate"):
        result = _tor(runner, command, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.stdout
        assert f"macip-gov tor {command} " in result.stdout
