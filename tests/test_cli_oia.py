"""``macip-gov oia ground|deadline|check|release``: every exit code, exact output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import write_tree

from macip_gov.cli import cli
from macip_gov.resources import policies_dir

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "macip-release"
GROUNDS_DATA = (policies_dir() / "oia" / "grounds" / "data.yaml").read_text(encoding="utf-8")


@pytest.fixture
def example(tmp_path):
    target = tmp_path / "release"
    shutil.copytree(EXAMPLE, target)
    return target / "manifest.yaml"


@pytest.fixture
def grounds_only_policies(tmp_path):
    """Policies with the grounds but no release policy: oia.release.decision is undefined."""
    root = tmp_path / "policies"
    shutil.copytree(policies_dir() / "oia" / "grounds", root / "oia" / "grounds")
    shutil.copytree(policies_dir() / "lib", root / "lib")
    return root


@pytest.fixture
def hollow_grounds_policies(tmp_path):
    """The grounds data with a grounds package that decides nothing."""
    return write_tree(
        tmp_path / "hollow",
        {
            "oia/grounds/data.yaml": GROUNDS_DATA,
            "oia/grounds/grounds.rego": "package oia.grounds\n\nnothing := true\n",
        },
    )


# ------------------------------------------------------------------ oia ground


def test_ground_prints_each_ground(runner):
    result = runner.invoke(cli, ["oia", "ground", "s.6(c) OIA, s 9(2)(g)"])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (
        "section 6(c)  (s6, withhold; no public-interest test)\n"
        "    the making available of that information would be likely to prejudice the maintenance of the law,"
        " including the prevention, investigation, and detection of offences, and the right to a fair trial\n"
        "section 9(2)(g)  (s9, withhold; public-interest test (s 9(1)) applies)\n"
        "    withholding the information is necessary to maintain the effective conduct of public affairs through"
        " the free and frank expression of opinions by or between or to Ministers of the Crown, members of an"
        " organisation, or officers and employees, and their protection from improper pressure or harassment\n"
        "warning: 9(2)(g) has sub-paragraphs (9(2)(g)(i), 9(2)(g)(ii)); cite the one relied on\n"
    )


def test_ground_json(runner):
    result = runner.invoke(cli, ["oia", "ground", "--json", "sections 9(2)(b), (ba)"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["input"] == "sections 9(2)(b), (ba)"
    assert [g["id"] for g in document["grounds"]] == ["9(2)(b)", "9(2)(ba)"]
    assert document["grounds"][0] == {
        "id": "9(2)(b)",
        "family": "s9",
        "family_title": "Other reasons for withholding, subject to the public interest test in section 9(1)",
        "use": "withhold",
        "description": (
            "withholding the information is necessary to protect information where the making available of the"
            " information would disclose a trade secret or would be likely unreasonably to prejudice the commercial"
            " position of the person who supplied or who is the subject of the information"
        ),
        "public_interest_test": True,
        "public_interest_condition": None,
        "parent": None,
        "children": ["9(2)(b)(i)", "9(2)(b)(ii)"],
    }
    assert [(w["id"], w["effect"], w["details"]["ground"]) for w in document["warnings"]] == [
        ("oia.grounds.parent_only", "warn", "9(2)(b)"),
        ("oia.grounds.parent_only", "warn", "9(2)(ba)"),
    ]
    assert document["violations"] == []


def test_ground_s27_1_a_has_a_public_interest_test_for_s9_2_b_only(runner):
    result = runner.invoke(cli, ["oia", "ground", "s 27(1)(a)"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "section 27(1)(a)  (s27, withhold; public-interest test only for the interests in section 9(2)(b), which "
        "count only when there is no countervailing public interest (s 27(1)(a)); none for those in section 6(a) "
        "to (d) or section 7)"
    )
    document = json.loads(runner.invoke(cli, ["oia", "ground", "--json", "s 27(1)(a)"]).stdout)
    assert document["grounds"][0]["public_interest_test"] is False
    assert document["grounds"][0]["public_interest_condition"].startswith("only for the interests in section 9(2)(b)")


def test_ground_refusal_ground_is_described(runner):
    result = runner.invoke(cli, ["oia", "ground", "--json", "s 18(d)"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "input": "s 18(d)",
        "grounds": [
            {
                "id": "18(d)",
                "family": "s18",
                "family_title": "Reasons for refusing a request",
                "use": "refuse",
                "description": "the information requested is or will soon be publicly available",
                "public_interest_test": False,
                "public_interest_condition": None,
                "parent": None,
                "children": [],
            }
        ],
        "violations": [],
        "warnings": [],
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Out of scope", "'Out of scope' names no ground of the Official Information Act 1982"),
        ("s 16(1)(e)", "16(1)(e) is not a withholding or refusal ground of the Official Information Act 1982"),
        (
            "5 U.S.C. 552(b)(6)",
            "'U.S.C.' is not part of a citation of the Official Information Act 1982 (in '5 U.S.C. 552(b)(6)')",
        ),
    ],
)
def test_ground_no_valid_ground_exits_3(runner, text, message):
    result = runner.invoke(cli, ["oia", "ground", text])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == f"Error: {message}\n"


def test_ground_usage_exits_2(runner):
    result = runner.invoke(cli, ["oia", "ground"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Usage: cli oia ground [OPTIONS] TEXT\nTry 'cli oia ground --help' for help.\n\n"
        "Error: Missing argument 'TEXT'.\n"
    )


def test_ground_undefined_policy_exits_4(runner, hollow_grounds_policies):
    result = runner.invoke(cli, ["oia", "ground", "--policies", str(hollow_grounds_policies), "s 6(c)"])
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr == f"Error: {hollow_grounds_policies}: data.oia.grounds.decision is undefined\n"


# A grounds policy that refuses every ground it is asked about, or answers with a malformed result.
_REFUSING_GROUNDS = """package oia.grounds

cited := [object.union(data.oia.grounds.grounds[id], {"id": id}) | some id in input.grounds]

deny contains v if {
	some id in input.grounds
	v := {"id": "test.grounds.refused", "msg": sprintf("%v may not be cited here", [id]), "details": DETAILS}
}

decision := {
	"grounds": cited,
	"families": {g.family: data.oia.grounds.families[g.family] | some g in cited},
	"deny": deny,
	"warn": set(),
}
"""


def _grounds_policy(root, details):
    return write_tree(
        root,
        {
            "oia/grounds/data.yaml": GROUNDS_DATA,
            "oia/grounds/grounds.rego": _REFUSING_GROUNDS.replace("DETAILS", details),
        },
    )


def test_ground_refused_by_the_policy_is_reported_and_exits_1(runner, tmp_path):
    root = _grounds_policy(tmp_path / "refusing", '{"ground": id}')
    result = runner.invoke(cli, ["oia", "ground", "--policies", str(root), "s 6(d)"])
    assert result.exit_code == 1
    assert result.stderr == ""
    assert result.stdout == (
        "section 6(d)  (s6, withhold; no public-interest test)\n"
        "    the making available of that information would be likely to endanger the safety of any person\n"
        "error: 6(d) may not be cited here (test.grounds.refused)\n"
    )
    as_json = runner.invoke(cli, ["oia", "ground", "--policies", str(root), "--json", "s 6(d)"])
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout)["violations"] == [
        {
            "id": "test.grounds.refused",
            "msg": "6(d) may not be cited here",
            "details": {"ground": "6(d)"},
            "effect": "deny",
        },
    ]


def test_ground_malformed_result_exits_4(runner, tmp_path):
    root = _grounds_policy(tmp_path / "malformed", "null")
    result = runner.invoke(cli, ["oia", "ground", "--policies", str(root), "s 6(d)"])
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr == (
        "Error: oia.grounds.decision: a deny result is malformed (details of test.grounds.refused is not an object)\n"
    )


# ------------------------------------------------------------------ oia deadline


def test_deadline_text(runner):
    result = runner.invoke(cli, ["oia", "deadline", "2021-07-12", "--transferred", "2021-07-19", "--extended-by", "25"])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (
        "received:      Monday 12 July 2021 (day 0)\n"
        "transfer by:   Monday 26 July 2021 (s 14: 10 working days; transferred Monday 19 July 2021, in time)\n"
        "decision due:  Monday 16 August 2021 (s 15(1): 20 working days after transfer)\n"
        "extended to:   Monday 20 September 2021 (s 15A: 25 more working days)\n"
    )


def test_deadline_explain_lists_every_excluded_day(runner):
    result = runner.invoke(cli, ["oia", "deadline", "2022-06-01", "--explain"])
    assert result.exit_code == 0
    assert result.stdout == (
        "received:      Wednesday 1 June 2022 (day 0)\n"
        "transfer by:   Thursday 16 June 2022 (s 14: 10 working days)\n"
        "decision due:  Friday 1 July 2022 (s 15(1): 20 working days after receipt)\n"
        "days not counted (10):\n"
        "  Sat 2022-06-04  Saturday\n"
        "  Sun 2022-06-05  Sunday\n"
        "  Mon 2022-06-06  the Sovereign's birthday\n"
        "  Sat 2022-06-11  Saturday\n"
        "  Sun 2022-06-12  Sunday\n"
        "  Sat 2022-06-18  Saturday\n"
        "  Sun 2022-06-19  Sunday\n"
        "  Fri 2022-06-24  Te Rā Aro ki a Matariki (Matariki Observance Day)\n"
        "  Sat 2022-06-25  Saturday\n"
        "  Sun 2022-06-26  Sunday\n"
    )


def test_deadline_json(runner):
    result = runner.invoke(cli, ["oia", "deadline", "2022-11-28", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "received": "2022-11-28",
        "transfer_by": "2022-12-12",
        "transferred": None,
        "transfer_in_time": None,
        "clock_starts": "2022-11-28",
        "due": "2023-01-16",
        "extended_by": None,
        "extended_due": None,
        "final_due": "2023-01-16",
    }


def test_deadline_json_explain_includes_excluded_days(runner):
    result = runner.invoke(cli, ["oia", "deadline", "2023-07-03", "--json", "--explain"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["due"] == "2023-08-01"
    assert {"date": "2023-07-14", "reason": "Te Rā Aro ki a Matariki (Matariki Observance Day)"} in document["excluded"]


def test_deadline_invalid_input_exits_3(runner):
    result = runner.invoke(cli, ["oia", "deadline", "2021-07-19", "--transferred", "2021-07-01"])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == "Error: the transfer date 2021-07-01 is before the receipt date 2021-07-19\n"


def test_deadline_beyond_the_calendar_exits_3(runner):
    result = runner.invoke(cli, ["oia", "deadline", "2060-03-01"])
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: no Matariki date is known for 2060: the holidays calendar ends before it, so working days cannot"
        " be counted\n"
    )


def test_deadline_bad_date_exits_2(runner):
    result = runner.invoke(cli, ["oia", "deadline", "2021-02-30"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Usage: cli oia deadline [OPTIONS] RECEIVED\nTry 'cli oia deadline --help' for help.\n\n"
        "Error: Invalid value for 'RECEIVED': '2021-02-30' does not match the format '%Y-%m-%d'.\n"
    )


# ------------------------------------------------------------------ oia check


def test_check_example_passes(runner):
    result = runner.invoke(cli, ["oia", "check", str(EXAMPLE / "manifest.yaml")])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (
        "decision due 20 September 2021, made 17 September 2021: on time\n0 violations, 0 warnings\n"
    )


def test_check_s9_without_public_interest_exits_1_naming_it(runner, example):
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    del data["documents"][1]["public_interest"]
    del data["request"]["extension"]
    example.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = runner.invoke(cli, ["oia", "check", str(example)])
    assert result.exit_code == 1
    assert result.stderr == ""
    assert result.stdout == (
        "error: the decision of 2021-09-17 is 24 working day(s) after its time limit of 2021-08-16: a deemed"
        " refusal (s 28(4)); record the requester's agreement to the delay (request.delay) or decide within the"
        " limit (oia.release.deemed_refusal) [citation 28(4)]\n"
        "error: document 2 (Multi-Agency Coordination and Intervention Programme (MACIP) Update) withholds under"
        " s 9(2)(a) but records no public-interest consideration (s 9(1)) (oia.release.public_interest_missing)"
        " [document macip-update, citation 9(2)(a)]\n"
        "decision due 16 August 2021, made 17 September 2021: late\n"
        "2 violations, 0 warnings\n"
    )


def test_check_json(runner, example):
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    del data["documents"][1]["public_interest"]
    example.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = runner.invoke(cli, ["oia", "check", "--json", str(example)])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["ok"] is False
    assert document["violations"] == [
        {
            "id": "oia.release.public_interest_missing",
            "msg": (
                "document 2 (Multi-Agency Coordination and Intervention Programme (MACIP) Update) withholds under"
                " s 9(2)(a) but records no public-interest consideration (s 9(1))"
            ),
            "details": {"document": "macip-update", "number": 2, "citation": "9(2)(a)", "line": 0},
            "effect": "deny",
            "document": "macip-update",
        }
    ]


def test_check_invalid_manifest_exits_3(runner, example):
    example.write_text(example.read_text(encoding="utf-8").replace("decision: excerpts", "decision: lost", 1))
    result = runner.invoke(cli, ["oia", "check", str(example)])
    assert result.exit_code == 3
    assert result.stdout == ""
    line = example.read_text(encoding="utf-8").splitlines().index("    decision: lost") + 1
    assert result.stderr == (
        f"Error: {example}:{line}: documents[3].decision: Input should be 'released', 'released_in_part',"
        " 'withheld_in_full', 'excerpts', 'refused' or 'neither_confirm_nor_deny'\n"
    )


def test_check_malformed_markup_exits_3(runner, example):
    original = example.parent / "originals" / "05-excerpt-ipr-20-30pw-ministers.md"
    original.write_text('Text\n\n::: {.withhold ground="6(c)"}\nnot closed\n', encoding="utf-8")
    result = runner.invoke(cli, ["oia", "check", str(example)])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {original}:3: ")
    assert result.stderr.count("\n") == 1


def test_check_undefined_policy_exits_4(runner, grounds_only_policies):
    result = runner.invoke(
        cli, ["oia", "check", "--policies", str(grounds_only_policies), str(EXAMPLE / "manifest.yaml")]
    )
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr == f"Error: {grounds_only_policies}: data.oia.release.decision is undefined\n"


# ------------------------------------------------------------------ oia release


def test_release_writes_the_example(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(cli, ["oia", "release", str(EXAMPLE / "manifest.yaml"), "-o", str(out)])
    assert result.exit_code == 0
    assert result.stderr == ""
    names = [
        *(
            f"documents/{stem}.{fmt}"
            for stem in ("01-rcoi-macip", "02-macip-update", "excerpts")
            for fmt in ("docx", "html", "md", "pdf")
        ),
        *(f"letter.{fmt}" for fmt in ("docx", "html", "md", "pdf")),
        "release.pdf",
        *(f"schedule.{fmt}" for fmt in ("docx", "html", "md", "pdf")),
        "release.json",
    ]
    assert result.stdout == "".join(f"wrote {out / name}\n" for name in names)
    assert all((out / name).is_file() for name in names)


def test_release_json_output(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(cli, ["oia", "release", "--json", str(EXAMPLE / "manifest.yaml"), "-o", str(out)])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["written"] is True
    assert document["directory"] == str(out)
    assert len(document["artefacts"]) == 21


def test_release_with_violations_exits_1_and_writes_nothing(runner, example):
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    data["letter"]["statements"] = {"ombudsman": False}
    example.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    out = example.parent / "out"
    result = runner.invoke(cli, ["oia", "release", str(example), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == ""
    assert result.stdout == (
        "error: the decision letter does not tell the requester of the right to complain to the Ombudsman"
        " (s 19(b)) (oia.release.no_ombudsman_statement) [citation 19(b)]\n"
        "decision due 20 September 2021, made 17 September 2021: on time\n"
        "1 violation, 0 warnings\n"
        "nothing written\n"
    )
    assert not out.exists()


def test_release_missing_manifest_exits_3(runner, tmp_path):
    missing = tmp_path / "nope.yaml"
    result = runner.invoke(cli, ["oia", "release", str(missing), "-o", str(tmp_path / "out")])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == f"Error: {missing}: file not found\n"


def test_release_bad_style_exits_3_and_writes_nothing(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(
        cli, ["oia", "release", str(EXAMPLE / "manifest.yaml"), "-o", str(out), "--style", "[REDACTED]"]
    )
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.startswith("Error: --style: ")
    assert not out.exists()


def test_release_undefined_policy_exits_4(runner, tmp_path, grounds_only_policies):
    out = tmp_path / "out"
    result = runner.invoke(
        cli,
        ["oia", "release", "--policies", str(grounds_only_policies), str(EXAMPLE / "manifest.yaml"), "-o", str(out)],
    )
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr == f"Error: {grounds_only_policies}: data.oia.release.decision is undefined\n"
    assert not out.exists()


def test_release_usage_exits_2(runner):
    result = runner.invoke(cli, ["oia", "release", str(EXAMPLE / "manifest.yaml")])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.endswith("Error: Missing option '-o' / '--output'.\n")
