"""The release's procedure checked on substance, s 18(c) and Part 4 grounds, and originals with nothing withheld.

Each case is a small real release (manifest and originals in a temporary folder)
checked or built through the bundled policies.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from macip_gov.cli import cli
from macip_gov.errors import ExitCode
from macip_gov.oia.release import build_release, check_release

MARKED = (
    "# Briefing on the pilot\n"
    "\n"
    "The pilot starts in May and runs for a year.\n"
    "\n"
    'The site is [the Quarry Lane depot]{.withhold ground="6(c)"}.\n'
)
PLAIN = "# Briefing on the pilot\n\nThe pilot starts in May and runs for a year.\n"


def manifest_data(**request) -> dict:
    return {
        "request": {
            "id": "2024-001",
            "requester": "Ana Tipene",
            "agency": "the Ministry",
            "subject": "the pilot",
            "sought": ["All briefings about the pilot"],
            "received": "2024-03-04",
            "decided": "2024-03-28",
            "decision_maker": {"name": "Jo Bloggs", "title": "Chief Executive"},
            **request,
        },
        "documents": [
            {
                "id": "briefing",
                "path": "originals/briefing.md",
                "title": "Briefing on the pilot",
                "date": "2024-03-01",
                "decision": "released_in_part",
            }
        ],
    }


def write_case(folder: Path, data: dict, original: str = MARKED) -> Path:
    (folder / "originals").mkdir(parents=True, exist_ok=True)
    (folder / "originals" / "briefing.md").write_text(original, encoding="utf-8")
    path = folder / "release.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def ids(findings) -> list[str]:
    return [f.id for f in findings]


NOTICE = {
    "working_days": 10,
    "ground": "s 15A(1)(b)",
    "notified": "2024-03-20",
    "reason": "because we needed to consult the Police",
    "complaint_right": True,
}


def test_the_small_release_passes(tmp_path, engine):
    report = check_release(write_case(tmp_path, manifest_data()), engine)
    assert (report.violations, report.warnings) == ([], [])


def test_extension_of_200_working_days_without_notice(tmp_path, engine):
    extension = {k: v for k, v in NOTICE.items() if k != "notified"} | {"working_days": 200}
    report = check_release(write_case(tmp_path, manifest_data(extension=extension)), engine)
    assert ids(report.violations) == ["oia.release.extension_not_notified"]
    assert [(w.id, w.details["working_days"], w.details["threshold"]) for w in report.warnings] == [
        ("oia.release.extension_long", 200, 30)
    ]


def test_extension_notice_without_reason_or_complaint_right(tmp_path, engine):
    extension = {k: v for k, v in NOTICE.items() if k not in ("reason", "complaint_right")}
    report = check_release(write_case(tmp_path, manifest_data(extension=extension)), engine)
    assert sorted(v.details["citation"] for v in report.violations) == ["15A(4)(b)", "15A(4)(c)"]


def test_extension_notified_after_the_original_limit_leaves_a_deemed_refusal(tmp_path, engine):
    # Due 3 April 2024 (20 working days after 4 March, Good Friday and Easter Monday excluded).
    late_notice = NOTICE | {"notified": "2024-04-04"}
    data = manifest_data(extension=late_notice, decided="2024-04-10")
    report = check_release(write_case(tmp_path, data), engine)
    assert [(v.id, v.details.get("due")) for v in report.violations] == [
        ("oia.release.deemed_refusal", "2024-04-03"),
        ("oia.release.extension_notice_late", "2024-04-03"),
    ]
    in_time = check_release(write_case(tmp_path, manifest_data(extension=NOTICE, decided="2024-04-10")), engine)
    assert in_time.violations == []


def test_letter_states_the_extension_and_the_publication_notice(tmp_path, engine):
    data = manifest_data(extension=NOTICE)
    data["letter"] = {"statements": {"publication": True}}
    out = tmp_path / "out"
    assert build_release(write_case(tmp_path / "case", data), out, engine).written
    letter = (out / "letter.md").read_text(encoding="utf-8")
    assert (
        "On 20 March 2024, the time limit for deciding your request was extended by 10 working days under "
        "section 15A(1)(b) of the OIA, because we needed to consult the Police." in letter
    )
    assert "Responses to official information requests may be published on our website." in letter
    assert "Some information has been deleted from the document enclosed, as section 17 of the OIA provides." in letter


def test_deletions_statement_switched_off_is_a_violation(tmp_path, engine):
    data = manifest_data()
    data["letter"] = {"statements": {"deletions": False}}
    assert ids(check_release(write_case(tmp_path, data), engine).violations) == ["oia.release.deletions_not_stated"]


def test_transferred_request_runs_from_the_transfer_and_names_the_transferor(tmp_path, engine):
    # Transfer due by 18 March (10 working days); made on 19 March, so this agency's 20 days run from then.
    data = manifest_data(transferred="2024-03-19", decided="2024-04-12")
    report = check_release(write_case(tmp_path, data), engine)
    assert ids(report.violations) == ["oia.release.transfer_unnamed"]
    assert report.deadline.due.isoformat() == "2024-04-18"
    data["request"]["transferred_from"] = "New Zealand Police"
    report = check_release(write_case(tmp_path, data), engine)
    assert (report.violations, ids(report.warnings)) == ([], ["oia.release.transfer_late"])


def test_excerpts_need_the_reason_the_preferred_form_was_not_used(tmp_path, engine):
    data = manifest_data()
    data["documents"][0]["decision"] = "excerpts"
    manifest = write_case(tmp_path / "case", data)
    assert ids(check_release(manifest, engine).violations) == ["oia.release.manner_reason_missing"]
    data["letter"] = {"manner": {"exception": "s 16(2)(a)", "reason": "the briefing is mostly about other matters"}}
    out = tmp_path / "out"
    assert build_release(write_case(tmp_path / "case", data), out, engine).written
    letter = (out / "letter.md").read_text(encoding="utf-8")
    assert (
        "I have given this information as excerpts rather than in the way you asked for it because the briefing is "
        "mostly about other matters (section 16(2)(a) of the OIA)." in letter
    )


ENACTMENT = "Tax Administration Act 1994, section 18"


def test_passage_withheld_under_s18c_i_names_its_enactment(tmp_path, engine):
    original = PLAIN + '\nThe taxpayer is [Kowhai Holdings]{.withhold ground="18(c)(i)"}.\n'
    data = manifest_data()
    manifest = write_case(tmp_path / "case", data, original)
    report = check_release(manifest, engine)
    assert [(v.id, v.line) for v in report.violations] == [("oia.release.prohibition_unnamed", 5)]
    data["documents"][0]["prohibited_by"] = {"s 18(c)(i)": ENACTMENT}
    out = tmp_path / "out"
    built = build_release(write_case(tmp_path / "case", data, original), out, engine)
    assert built.written, [v.msg for v in built.check.violations]
    assert "s.18(c)(i) OIA \\[REDACTED\\]" in (out / "documents" / "01-briefing.md").read_text(encoding="utf-8")
    letter = (out / "letter.md").read_text(encoding="utf-8")
    assert f"would be contrary to the provisions of a specified enactment. The enactment concerned: {ENACTMENT}." in (
        letter.replace("\n", " ")
    )
    assert "Kowhai" not in letter


def test_prohibited_by_names_only_s18c(tmp_path, runner):
    data = manifest_data()
    data["documents"][0]["prohibited_by"] = {"s 9(2)(a)": ENACTMENT}
    manifest = write_case(tmp_path, data)
    result = runner.invoke(cli, ["oia", "check", str(manifest)])
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert result.stderr.count("\n") == 1
    assert "prohibited_by names 9(2)(a); it names what s 18(c)(i) or 18(c)(ii) rests on" in result.stderr


def test_other_s18_reasons_cannot_withhold_a_passage(tmp_path, engine):
    original = PLAIN + '\nSee [the annual report]{.withhold ground="18(d)"}.\n'
    report = check_release(write_case(tmp_path, manifest_data(), original), engine)
    assert ids(report.violations) == ["oia.release.refusal_ground_withholds"]


@pytest.mark.parametrize(
    ("kind", "ground", "expected"),
    [
        ("personal_information", "27(1)(b)", []),
        ("official_information", "27(1)(b)", ["oia.release.part4_ground_outside_part4"]),
        ("personal_information", "6(c)", ["oia.release.part2_ground_in_part4"]),
    ],
)
def test_part4_requests_rest_on_s27(tmp_path, engine, kind, ground, expected):
    original = PLAIN + f'\nThe informant is [Hemi Walker]{{.withhold ground="{ground}"}}.\n'
    report = check_release(write_case(tmp_path, manifest_data(kind=kind), original), engine)
    assert ids(report.violations) == expected


@pytest.mark.parametrize(
    ("public_interest", "expected"),
    [
        (None, ["oia.release.part4_public_interest_missing"]),
        ({"27(1)(a)": "The interest is the supplier's commercial position; none outweighs it."}, []),
        ("The interest is the maintenance of the law (s 6(c)); s 27(1)(a) asks for no weighing.", []),
    ],
)
def test_s27_1_a_records_the_public_interest_for_s9_2_b_interests(tmp_path, engine, public_interest, expected):
    original = PLAIN + '\nThe price is [$41,200]{.withhold ground="27(1)(a)"}.\n'
    data = manifest_data(kind="personal_information")
    if public_interest is not None:
        data["documents"][0]["public_interest"] = public_interest
    report = check_release(write_case(tmp_path, data, original), engine)
    assert ids(report.violations) == expected
    assert [v.details["citation"] for v in report.violations] == ["27(1)(a)"] * len(expected)


@pytest.mark.parametrize(
    ("decision", "original", "expected"),
    [
        ("released", PLAIN, []),
        ("released_in_part", PLAIN, ["oia.release.decision_mismatch"]),
        ("released_in_part", PLAIN + "\n[Unrelated]{.out-of-scope}\n", ["oia.release.decision_mismatch"]),
    ],
)
def test_original_with_nothing_withheld(tmp_path, engine, decision, original, expected):
    data = manifest_data()
    data["documents"][0]["decision"] = decision
    report = check_release(write_case(tmp_path, data, original), engine)
    assert ids(report.violations) == expected
