"""OIA release packages: the manifest model, the release policy through the engine, and the release written."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
import yaml

from macip_gov.errors import ExitCode, InvalidInputError
from macip_gov.oia.manifest import Manifest, load_manifest
from macip_gov.oia.release import Violation, build_release, check_release, policy_input
from macip_gov.oia.report import check_text
from macip_gov.schemas import schema_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "macip-release"
SCHEMA = ROOT / "schemas" / "oia-manifest.schema.json"
GOLDEN = Path(__file__).resolve().parent / "golden" / "oia_release"
REGENERATE = ".venv/bin/macip-gov schema oia-manifest > schemas/oia-manifest.schema.json"
# Set MACIP_UPDATE_GOLDEN=1 to rewrite the expected files; commit them saying so.
UPDATE = bool(os.environ.get("MACIP_UPDATE_GOLDEN"))

# Text that only the withheld passages of the example originals contain.
WITHHELD_MARKS = ["(Invented", "Harbourside", "555 0", "fictional liaison", "forty people"]


@pytest.fixture
def example(tmp_path):
    """A copy of the example release that a test may edit."""
    target = tmp_path / "release"
    shutil.copytree(EXAMPLE, target)
    return target / "manifest.yaml"


def edit_manifest(path: Path, change) -> Path:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def doc(data, key):
    return next(d for d in data["documents"] if d.get("id") == key)


# ------------------------------------------------------------------ the manifest model


def test_committed_schema_is_current():
    assert SCHEMA.read_text(encoding="utf-8") == schema_text("oia-manifest"), f"stale; regenerate with: {REGENERATE}"


def test_schema_describes_a_closed_manifest():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert all(d["additionalProperties"] is False for d in schema["$defs"].values() if d.get("type") == "object")
    assert schema["$defs"]["DocumentDecision"]["enum"] == [
        "released",
        "released_in_part",
        "withheld_in_full",
        "excerpts",
        "refused",
        "neither_confirm_nor_deny",
    ]
    for definition in schema["$defs"].values():
        for name, prop in definition.get("properties", {}).items():
            assert prop.get("description"), name


def test_manifest_normalises_citations():
    manifest = load_manifest(EXAMPLE / "manifest.yaml")
    assert manifest.request.extension is not None
    assert manifest.request.extension.ground == "15A(1)(b)"
    assert manifest.documents[0].public_interest is not None
    assert sorted(manifest.documents[0].public_interest) == ["9(2)(a)", "9(2)(g)(i)"]
    assert manifest.documents[2].grounds == ["9(2)(g)(i)"]
    assert sorted(manifest.letter.explanations) == ["6(c)", "9(2)(a)"]
    assert [d.key for d in manifest.documents] == [
        "rcoi-macip",
        "macip-update",
        "macip-update-talking-points",
        "ipr-20-20pw",
        "ipr-20-30pw-cabinet",
        "ipr-20-30pw-ministers",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: doc(d, "macip-update-talking-points").update(grounds=["Out of scope"]),
            "documents[2].grounds: Value error, 'Out of scope' names no ground of the Official Information Act 1982",
        ),
        (lambda d: d["request"].update(colour="blue"), "request.colour: Extra inputs are not permitted"),
        (
            lambda d: d["request"].update(decided="2021-07-01"),
            "request: Value error, decided is before the request was received",
        ),
        (
            lambda d: doc(d, "rcoi-macip").pop("path"),
            "documents[0]: Value error, a document released in part needs a path to its marked-up original",
        ),
        (
            lambda d: doc(d, "macip-update-talking-points").update(attached_to="nowhere"),
            "(document): Value error, document 'macip-update-talking-points' is attached to 'nowhere', "
            "which is not listed",
        ),
        (
            lambda d: d["request"]["extension"].update(working_days=0),
            "request.extension.working_days: Input should be greater than or equal to 1",
        ),
    ],
)
def test_invalid_manifest_names_file_and_field(example, change, message):
    edit_manifest(example, change)
    with pytest.raises(InvalidInputError) as info:
        load_manifest(example)
    assert info.value.exit_code == ExitCode.INVALID_INPUT
    assert info.value.file == str(example)
    assert info.value.message == message


# ------------------------------------------------------------------ the check


def test_example_release_passes_the_check(engine):
    report = check_release(EXAMPLE / "manifest.yaml", engine)
    assert report.ok
    assert report.violations == []
    assert report.warnings == []
    assert report.policy_revision == engine.revision
    assert report.deadline.model_dump(mode="json") == {
        "received": "2021-07-12",
        "transferred": "2021-07-19",
        "transfer_by": "2021-07-26",
        "due": "2021-08-16",
        "extended_due": "2021-09-20",
        "extension_effective": True,
        "final_due": "2021-09-20",
        "decided": "2021-09-17",
        "working_days_late": 0,
        "status": "on time",
    }


def test_s9_ground_without_public_interest_consideration_fails_naming_it(example, engine):
    edit_manifest(example, lambda d: doc(d, "macip-update").pop("public_interest"))
    report = check_release(example, engine)
    assert not report.ok
    assert report.violations == [
        Violation(
            id="oia.release.public_interest_missing",
            msg=(
                "document 2 (Multi-Agency Coordination and Intervention Programme (MACIP) Update) "
                "withholds under s 9(2)(a) but records no public-interest consideration (s 9(1))"
            ),
            details={"document": "macip-update", "number": 2, "citation": "9(2)(a)", "line": 0},
            effect="deny",
            document="macip-update",
        )
    ]


def test_policy_input_describes_documents_spans_and_letter(engine):
    from macip_gov.oia.release import _prepare

    document = policy_input(_prepare(EXAMPLE / "manifest.yaml", engine))
    assert document["letter"] == {
        "grounds": ["6(c)", "9(2)(a)", "9(2)(g)(i)"],
        "statements": {
            "public_interest": True,
            "excerpts": True,
            "deletions": True,
            "ombudsman": True,
            "publication": False,
        },
        "texts": {},
        "manner": {"exception": "16(2)(a)"},
    }
    first = document["documents"][0]
    assert first["public_interest"] == {"all": False, "grounds": ["9(2)(a)", "9(2)(g)(i)"]}
    assert first["spans"][0] == {"kind": "withhold", "grounds": ["6(c)"], "line": 30, "nested": False}
    talking_points = document["documents"][2]
    assert talking_points == {
        "number": 3,
        "id": "macip-update-talking-points",
        "title": "Talking points: MACIP Update",
        "decision": "withheld_in_full",
        "grounds": ["9(2)(g)(i)"],
        "attached_to": "macip-update",
        "prohibited_by": [],
        "public_interest": {"all": True, "grounds": []},
        "spans": [],
    }
    assert document["request"]["extension"] == {
        "ground": "15A(1)(b)",
        "working_days": 25,
        "notified": "2021-08-13",
        "reason_given": True,
        "complaint_right": True,
    }
    assert document["request"]["kind"] == "official_information"
    assert document["request"]["neither_confirm_nor_deny"] == []
    assert document["deadline"]["transfer_in_time"] is True
    assert document["deadline"]["working_days_after_due"] == 24


def test_late_decision_is_a_deemed_refusal(example, engine):
    edit_manifest(example, lambda d: d["request"].pop("extension"))
    report = check_release(example, engine)
    assert not report.ok
    assert [(v.id, v.details["working_days_late"], v.details["due"]) for v in report.violations] == [
        ("oia.release.deemed_refusal", 24, "2021-08-16")
    ]
    assert report.deadline.status == "late"


@pytest.mark.parametrize(
    ("extension", "violation"),
    [
        ({"notified": "2021-08-17"}, "oia.release.extension_notice_late"),
        ({"notified": None}, "oia.release.extension_not_notified"),
        ({"ground": "15A(1)(c)"}, "oia.release.extension_ground"),
    ],
)
def test_an_extension_without_effect_leaves_the_original_limit_binding(example, engine, extension, violation):
    # The example is decided on 17 September 2021, within the extended limit (20 September)
    # but 24 working days after the original one (16 August). An extension noticed too late
    # (s 15A(3)), never noticed, or for no reason in s 15A(1) has no effect: the status the
    # report and release.json show is the one the deemed-refusal rule applies.
    edit_manifest(example, lambda d: d["request"]["extension"].update(extension))
    report = check_release(example, engine)
    assert not report.ok
    assert {v.id for v in report.violations} == {violation, "oia.release.deemed_refusal"}
    refusal = next(v for v in report.violations if v.id == "oia.release.deemed_refusal")
    assert report.deadline.model_dump(mode="json") == {
        "received": "2021-07-12",
        "transferred": "2021-07-19",
        "transfer_by": "2021-07-26",
        "due": "2021-08-16",
        "extended_due": "2021-09-20",
        "extension_effective": False,
        "final_due": "2021-08-16",
        "decided": "2021-09-17",
        "working_days_late": 24,
        "status": "late",
    }
    assert (refusal.details["due"], refusal.details["working_days_late"]) == ("2021-08-16", 24)
    assert check_text(report).splitlines()[-2] == "decision due 16 August 2021, made 17 September 2021: late"
    result = build_release(example, example.parent / "out", engine)
    assert not result.written
    assert result.check.deadline == report.deadline


def test_the_binding_limit_is_the_policys_answer_checked_against_the_dates(example, engine):
    from macip_gov.errors import PolicyError
    from macip_gov.oia._release_check import deadline_status, prepare

    dates = policy_input(prepare(example, engine))["deadline"]
    extended = {"extension_effective": True, "final_due": "2021-09-20", "working_days_late": 0, "status": "on time"}
    assert deadline_status(dates, {"deadline": extended}).final_due == date(2021, 9, 20)
    for wrong in [
        None,
        {**extended, "extension_effective": None},
        {**extended, "final_due": "2021-09-21"},
        {**extended, "extension_effective": False},
        {**extended, "status": "late"},
        {**extended, "working_days_late": 1},
    ]:
        with pytest.raises(PolicyError, match="deadline"):
            deadline_status(dates, {"deadline": wrong})


def test_late_decision_the_requester_agreed_to_is_a_warning_and_acknowledged(example, engine):
    def change(d):
        d["request"].pop("extension")
        d["request"]["delay"] = {"agreed_on": "2021-08-12", "reason": "Consulting three agencies took longer."}

    edit_manifest(example, change)
    report = check_release(example, engine)
    assert report.ok
    assert [(w.id, w.details["working_days_late"]) for w in report.warnings] == [("oia.release.decision_late", 24)]
    out = example.parent / "out"
    build_release(example, out, engine)
    letter = (out / "letter.md").read_text(encoding="utf-8")
    assert (
        "I apologise that this decision is late: it was due by 16 August 2021. On 12 August 2021 you agreed to "
        "receive it after that date. Consulting three agencies took longer." in letter
    )


def test_letter_ground_absent_and_unused(example, engine):
    edit_manifest(example, lambda d: d["letter"].update(grounds=["s 6(c)", "s 9(2)(a)", "s 6(d)"]))
    report = check_release(example, engine)
    assert [(v.id, v.document, v.details["citation"]) for v in report.violations] == [
        ("oia.release.ground_not_in_letter", "rcoi-macip", "9(2)(g)(i)"),
        ("oia.release.ground_not_in_letter", "macip-update-talking-points", "9(2)(g)(i)"),
    ]
    assert [(w.id, w.details["citation"]) for w in report.warnings] == [("oia.release.letter_ground_unused", "6(d)")]


def test_statements_left_out_of_the_letter(example, engine):
    edit_manifest(
        example,
        lambda d: d["letter"].update(statements={"ombudsman": False, "excerpts": "", "public_interest": False}),
    )
    report = check_release(example, engine)
    assert sorted({v.id for v in report.violations}) == [
        "oia.release.excerpts_not_stated",
        "oia.release.no_ombudsman_statement",
        "oia.release.public_interest_statement_missing",
    ]
    excerpts = [v for v in report.violations if v.id == "oia.release.excerpts_not_stated"]
    assert [v.document for v in excerpts] == ["ipr-20-20pw", "ipr-20-30pw-cabinet", "ipr-20-30pw-ministers"]


def test_unknown_ground_and_refusal_ground_in_markup_are_violations_with_lines(example, engine):
    original = example.parent / "originals" / "05-excerpt-ipr-20-30pw-ministers.md"
    original.write_text(
        original.read_text(encoding="utf-8")
        + '\n[Invented aside]{.withhold ground="9(2)(z)"} and [another]{.withhold ground="18(d)"}\n',
        encoding="utf-8",
    )
    edit_manifest(example, lambda d: d["letter"].update(grounds=["6(c)", "9(2)(a)", "9(2)(g)(i)", "18(d)"]))
    report = check_release(example, engine)
    assert [(v.id, v.document, v.details["citation"], v.line) for v in report.violations] == [
        ("oia.release.refusal_ground_withholds", "ipr-20-30pw-ministers", "18(d)", 10),
        ("oia.release.unknown_ground", "ipr-20-30pw-ministers", "9(2)(z)", 10),
    ]


def test_refused_document(example, engine):
    def change(d):
        d["documents"].append(
            {
                "id": "cabinet-paper",
                "title": "Cabinet paper on the investment package",
                "date": "2020-12-07",
                "decision": "refused",
                "grounds": ["s 18(d)"],
                "note": "it will be published on the Police website",
            }
        )
        d["letter"]["grounds"] = ["6(c)", "9(2)(a)", "9(2)(g)(i)", "18(d)"]

    edit_manifest(example, change)
    assert check_release(example, engine).ok
    report = build_release(example, example.parent / "out", engine)
    letter = (example.parent / "out" / "letter.md").read_text(encoding="utf-8")
    assert report.written
    assert (
        "I have refused your request for the following document:\n\n"
        "- Cabinet paper on the investment package (dated 7 December 2020), under section 18(d) of the OIA"
        " – it will be published on the Police website\n"
    ) in letter
    assert "- section 18(d): the information requested is or will soon be publicly available.\n" in letter


# ------------------------------------------------------------------ the release written


@pytest.fixture(scope="module")
def released(tmp_path_factory, engine):
    out = tmp_path_factory.mktemp("release")
    report = build_release(EXAMPLE / "manifest.yaml", out, engine)
    return report, out


def test_release_writes_every_artefact(released):
    report, out = released
    assert report.written
    expected = sorted(
        [
            f"documents/{stem}.{fmt}"
            for stem in ("01-rcoi-macip", "02-macip-update", "excerpts")
            for fmt in ("docx", "html", "md", "pdf")
        ]
        + [f"{name}.{fmt}" for name in ("letter", "schedule") for fmt in ("docx", "html", "md", "pdf")]
        + ["release.pdf"]
    )
    assert sorted(report.artefacts) == expected
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == sorted([*expected, "release.json"])


def test_release_json_records_grounds_counts_deadline_revision_and_hashes(released, engine):
    report, out = released
    record = json.loads((out / "release.json").read_text(encoding="utf-8"))
    assert record["policy_revision"] == engine.revision
    for name, digest in record["artefacts"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert record["artefacts"] == report.artefacts
    assert record["grounds"] == ["6(c)", "9(2)(a)", "9(2)(g)(i)"]
    assert [(d["id"], d["decision"], d["grounds"], d["passages_withheld"]) for d in record["documents"]] == [
        ("rcoi-macip", "released_in_part", ["6(c)", "9(2)(a)", "9(2)(g)(i)"], 15),
        ("macip-update", "released_in_part", ["6(c)", "9(2)(a)"], 13),
        ("macip-update-talking-points", "withheld_in_full", ["9(2)(g)(i)"], 0),
        ("ipr-20-20pw", "excerpts", [], 0),
        ("ipr-20-30pw-cabinet", "excerpts", ["6(c)"], 2),
        ("ipr-20-30pw-ministers", "excerpts", [], 0),
    ]
    assert record["counts"] == {
        "documents": 6,
        "released": 0,
        "released_in_part": 2,
        "withheld_in_full": 1,
        "excerpts": 3,
        "refused": 0,
        "passages_withheld": 30,
        "passages_out_of_scope": 0,
    }
    assert record["deadline"] == report.check.deadline.model_dump(mode="json")
    assert record["deadline"]["status"] == "on time"
    assert record["deadline"]["final_due"] == "2021-09-20"
    assert record["deadline"]["extension_effective"] is True
    assert record["documents"][3]["artefacts"] == [
        "documents/excerpts.docx",
        "documents/excerpts.html",
        "documents/excerpts.md",
        "documents/excerpts.pdf",
    ]


def _texts(out: Path):
    for path in sorted(out.rglob("*")):
        if path.suffix in (".md", ".html", ".json"):
            yield path.name, path.read_text(encoding="utf-8")
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                for part in archive.namelist():
                    yield f"{path.name}:{part}", archive.read(part).decode("utf-8", errors="replace")


def test_no_withheld_text_in_any_artefact(released):
    _, out = released
    for name, text in _texts(out):
        for mark in WITHHELD_MARKS:
            assert mark not in text, (name, mark)


def test_markers_follow_the_reference_style(released):
    _, out = released
    first = (out / "documents" / "01-rcoi-macip.md").read_text(encoding="utf-8")
    assert "s.6(c) OIA, s.9(2)(g)(i) OIA \\[REDACTED\\]" in first
    assert (
        "| Reviewed by | Gillian Ferguson, Acting Director: Policy and Partnerships | s.9(2)(a) OIA \\[REDACTED\\] |"
    ) in first
    excerpts = (out / "documents" / "excerpts.md").read_text(encoding="utf-8")
    assert "## Excerpt from IPR/20/30PW 7 December Cabinet: RCOI Report (dated 6 December 2020)" in excerpts
    assert "- s.6(c) OIA \\[REDACTED\\] per year are expected to receive" in excerpts


def _golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def test_letter_matches_golden(released):
    _, out = released
    _golden("letter.md", (out / "letter.md").read_text(encoding="utf-8"))


def test_schedule_matches_golden(released):
    _, out = released
    _golden("schedule.md", (out / "schedule.md").read_text(encoding="utf-8"))


def test_letter_has_the_reference_letters_shape(released):
    _, out = released
    letter = (out / "letter.md").read_text(encoding="utf-8")
    # Documents listed, the withheld attachment noted against its briefing.
    assert "Please find enclosed copies of the following two documents:" in letter
    assert (
        "- Multi-Agency Coordination and Intervention Programme (MACIP) Update (dated 17 February 2021)"
        " – talking points attached to this briefing have been withheld under section 9(2)(g)(i) of the OIA"
    ) in letter
    # Every ground relied on, with its description and the case's explanation.
    assert (
        "- section 6(c): the making available of that information would be likely to prejudice the maintenance"
        " of the law, including the prevention, investigation, and detection of offences, and the right to a"
        " fair trial. In this case, I believe the release of the information would be likely to prejudice the"
        " prevention of offences.\n"
    ) in letter
    assert "- section 9(2)(a): withholding the information is necessary to protect the privacy" in letter
    # The s 9(1) statement, the excerpts statement and the Ombudsman.
    assert "considered the public interest considerations in section 9(1) of the OIA" in letter
    assert "As provided for by section 16(1)(e) of the OIA" in letter
    assert "withheld from these excerpts under section 6(c) of the OIA" in letter
    assert "to ask the Ombudsman to investigate and review my decision" in letter


def test_html_and_docx_carry_the_letter(released):
    import docx

    _, out = released
    html = (out / "letter.html").read_text(encoding="utf-8")
    assert "<title>Decision on OIA request 2021-187</title>" in html
    assert "<li>section 9(2)(a): withholding the information is necessary" in html
    document = docx.Document(str(out / "letter.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Dear Harold" in text
    assert "Yours sincerely" in text


def test_violation_writes_nothing(example, engine):
    edit_manifest(example, lambda d: doc(d, "rcoi-macip").pop("public_interest"))
    out = example.parent / "out"
    report = build_release(example, out, engine)
    assert not report.written
    assert report.artefacts == {}
    assert [v.details["citation"] for v in report.check.violations] == ["9(2)(a)", "9(2)(g)(i)"]
    assert report.exit_code == 1
    assert not out.exists()


def test_malformed_markup_is_invalid_input_and_writes_nothing(example, engine):
    original = example.parent / "originals" / "03-excerpt-ipr-20-20pw.md"
    original.write_text('Intro\n\n::: {.withhold ground="6(c)"}\nnever closed\n', encoding="utf-8")
    out = example.parent / "out"
    with pytest.raises(InvalidInputError) as info:
        build_release(example, out, engine)
    assert info.value.file == str(original)
    assert not out.exists()


def test_missing_original_is_invalid_input(example, engine):
    (example.parent / "originals" / "02-macip-update.md").unlink()
    with pytest.raises(InvalidInputError) as info:
        check_release(example, engine)
    assert info.value.one_line() == f"{example.parent / 'originals' / '02-macip-update.md'}: file not found"


def test_custom_style_and_statement_wording(example, engine):
    own = "You have the right to complain to the Ombudsman under section 28(3)."
    edit_manifest(example, lambda d: d["letter"].update(statements={"ombudsman": own}))
    out = example.parent / "out"
    build_release(example, out, engine, style="[withheld under {sections}]")
    first = (out / "documents" / "01-rcoi-macip.md").read_text(encoding="utf-8")
    assert "\\[withheld under section 6(c), section 9(2)(g)(i)\\]" in first
    letter = (out / "letter.md").read_text(encoding="utf-8")
    assert f"I trust that this information will be of use to you. {own}\n" in letter


def test_ombudsman_statement_without_substance_is_a_violation(example, engine):
    edit_manifest(example, lambda d: d["letter"].update(statements={"ombudsman": "Complain to the Ombudsman."}))
    report = check_release(example, engine)
    assert [(v.id, v.details["missing"]) for v in report.violations] == [
        ("oia.release.ombudsman_statement_incomplete", ["section 28(3)", "the right to complain"])
    ]


def test_manifest_model_is_closed():
    assert Manifest.model_config["extra"] == "forbid"
    assert Manifest.model_config["frozen"] is True
    assert date(2021, 9, 17) == load_manifest(EXAMPLE / "manifest.yaml").request.decided
