"""Section 10: a document neither confirmed nor denied leaves no trace in anything the release writes.

A release with one document released in part, one neither confirmed nor denied (with
an original on disk) and one part of the request answered the same way is built for
real; every artefact (Markdown, HTML, each DOCX part, release.json, file names) is
searched for the hidden document's title, reference, id, date in every written form
and the sentences of its original.
"""

from __future__ import annotations

import json
import re
import zipfile
from datetime import date
from pathlib import Path

import pdf_read
import pytest
import yaml

from macip_gov.oia.release import build_release, check_release

HIDDEN_TITLE = "Operation Quillwort surveillance summary"
HIDDEN_REFERENCE = "CT/24/117QW"
HIDDEN_ID = "quillwort-summary"
HIDDEN_DATE = date(2024, 2, 29)
HIDDEN_TEXT = (
    "# Operation Quillwort\n"
    "\n"
    "The Vantrell cell met twice at the Ostrander boatshed in January.\n"
    "\n"
    "Intercepts continue under warrant until the end of March.\n"
)
SHOWN_TEXT = (
    "# Briefing on the pilot\n"
    "\n"
    "1. The pilot starts in May and runs for a year.\n"
    '2. [Its budget is set out in the annex.]{.withhold ground="9(2)(g)(i)"}\n'
)


def _date_forms(day: date) -> list[str]:
    """Every way a release might write the date."""
    return [
        day.isoformat(),
        f"{day.day} {day:%B %Y}",
        f"{day:%d/%m/%Y}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day:%d %b %Y}",
    ]


def manifest_data() -> dict:
    return {
        "request": {
            "id": "2024-031",
            "requester": "Ana Tipene",
            "agency": "the Ministry",
            "subject": "the pilot",
            "sought": [
                "All briefings about the pilot",
                "Any surveillance of community groups connected with the pilot",
            ],
            "neither_confirm_nor_deny": [{"part": 2, "interests": ["s 6(c)"]}],
            "received": "2024-03-04",
            "decided": "2024-03-28",
            "decision_maker": {"name": "Jo Bloggs", "title": "Chief Executive"},
        },
        "documents": [
            {
                "id": "briefing",
                "path": "originals/briefing.md",
                "title": "Briefing on the pilot",
                "date": "2024-03-01",
                "decision": "released_in_part",
                "public_interest": "Officials' advice on the budget is still being considered.",
            },
            {
                "id": HIDDEN_ID,
                "path": "originals/hidden.md",
                "title": HIDDEN_TITLE,
                "reference": HIDDEN_REFERENCE,
                "date": HIDDEN_DATE.isoformat(),
                "decision": "neither_confirm_nor_deny",
                "grounds": ["s 10", "s 6(c)"],
            },
            {
                "id": "closing-note",
                "path": "originals/closing.md",
                "title": "Closing note on the pilot",
                "date": "2024-03-20",
                "decision": "released",
            },
        ],
    }


def write_case(folder: Path, data: dict) -> Path:
    (folder / "originals").mkdir(parents=True, exist_ok=True)
    (folder / "originals" / "briefing.md").write_text(SHOWN_TEXT, encoding="utf-8")
    (folder / "originals" / "hidden.md").write_text(HIDDEN_TEXT, encoding="utf-8")
    (folder / "originals" / "closing.md").write_text("# Closing note\n\nThe pilot closed.\n", encoding="utf-8")
    path = folder / "release.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def artefact_texts(out: Path):
    """Every file of a release as text (each DOCX part and PDF reading apart), with its name, and every file name."""
    for path in sorted(out.rglob("*")):
        name = path.relative_to(out).as_posix()
        yield f"name:{name}", name
        if not path.is_file():
            continue
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                for part in archive.namelist():
                    text = archive.read(part).decode("utf-8", errors="replace")
                    yield f"{name}:{part}", re.sub(r"<[^>]+>", "", text)
        elif path.suffix == ".pdf":  # each engine's text, then every string and decompressed stream
            for where, text in pdf_read.everything(path.read_bytes()).items():
                yield f"{name}:{where}", text
        else:
            yield name, path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def released(tmp_path_factory, engine):
    folder = tmp_path_factory.mktemp("s10")
    manifest = write_case(folder / "case", manifest_data())
    out = folder / "out"
    report = build_release(manifest, out, engine)
    assert report.written, [v.msg for v in report.check.violations]
    return report, out


def test_nothing_in_any_artefact_names_dates_or_quotes_the_hidden_document(released):
    _, out = released
    needles = [HIDDEN_TITLE, "Quillwort", HIDDEN_REFERENCE, HIDDEN_ID, "hidden.md", *_date_forms(HIDDEN_DATE)]
    needles += ["Vantrell", "Ostrander", "Intercepts continue under warrant"]
    found = [
        (where, needle) for where, text in artefact_texts(out) for needle in needles if needle.lower() in text.lower()
    ]
    assert found == []


def test_the_leak_search_finds_what_it_looks_for(released):
    # The same search finds the released document's title and date: it can fail.
    _, out = released
    texts = "\n".join(text for _, text in artefact_texts(out))
    assert "Briefing on the pilot" in texts
    assert "1 March 2024" in texts
    assert "Closing note on the pilot" in texts


def test_release_json_neither_lists_nor_counts_the_hidden_document(released):
    report, out = released
    record = json.loads((out / "release.json").read_text(encoding="utf-8"))
    assert [(d["number"], d["id"]) for d in record["documents"]] == [(1, "briefing"), (2, "closing-note")]
    assert record["counts"]["documents"] == 2
    assert "neither_confirm_nor_deny" not in record["counts"]
    assert "6(c)" not in record["grounds"]
    assert sorted(name.split("/")[-1] for name in report.artefacts if name.startswith("documents/")) == [
        "01-briefing.docx",
        "01-briefing.html",
        "01-briefing.md",
        "01-briefing.pdf",
        "02-closing-note.docx",
        "02-closing-note.html",
        "02-closing-note.md",
        "02-closing-note.pdf",
    ]


def test_schedule_numbers_only_what_it_shows(released):
    _, out = released
    schedule = (out / "schedule.md").read_text(encoding="utf-8")
    rows = [line.split("|")[1].strip() for line in schedule.splitlines() if re.match(r"^\| \d", line)]
    assert rows == ["1", "2"]


def test_letter_carries_the_s10_statement_and_the_right_to_complain(released):
    _, out = released
    letter = (out / "letter.md").read_text(encoding="utf-8")
    assert (
        "In relation to part 2 of your request, and any other information within the scope of your request, I "
        "neither confirm nor deny the existence or non-existence of the information you have asked for, as "
        "section 10 of the OIA allows. Confirming whether or not such information exists would be likely to "
        "prejudice the maintenance of the law, including the prevention, investigation, and detection of offences, "
        "and the right to a fair trial (section 6(c) of the OIA). To that extent your request is refused under "
        "section 18(b) of the OIA.\n\nI trust"
    ) in letter
    # The right to complain (s 19(b), s 28(3)) covers the whole decision, this answer with it; it is said once.
    assert letter.count("You have the right, under section 28(3) of the OIA, to ask the Ombudsman") == 1
    assert "to ask the Ombudsman to investigate and review my decision" in letter.split("section 18(b)")[1]
    # s 10 is never among the grounds for withholding information from the documents.
    grounds = letter.split("under the following grounds of the OIA:")[1].split("\n\n")[1]
    assert grounds.startswith("- section 9(2)(g)(i):") and "section 10" not in grounds and "6(c)" not in grounds


def test_released_field_naming_the_hidden_document_is_a_violation(tmp_path, engine):
    data = manifest_data()
    data["documents"][2]["note"] = f"read with the {HIDDEN_TITLE}"
    report = check_release(write_case(tmp_path / "case", data), engine)
    assert [(v.id, v.field, v.details["citation"]) for v in report.violations] == [
        ("oia.release.s10_text_released", "documents[2].note", "10")
    ]


def test_released_field_quoting_the_hidden_original_is_a_violation(tmp_path, engine):
    data = manifest_data()
    data["request"]["subject"] = (
        "the pilot, given that the Vantrell cell met twice at the Ostrander boatshed in January"
    )
    report = check_release(write_case(tmp_path / "case", data), engine)
    assert [(v.id, v.field) for v in report.violations] == [("oia.release.s10_text_released", "request.subject")]


def test_document_refused_under_s10_by_name_is_refused_and_writes_nothing(tmp_path, engine):
    data = manifest_data()
    data["documents"][1]["decision"] = "refused"
    out = tmp_path / "out"
    report = build_release(write_case(tmp_path / "case", data), out, engine)
    assert not report.written and not out.exists()
    assert [v.id for v in report.check.violations] == ["oia.release.s10_document_named"]


def test_s10_withholding_a_passage_is_a_violation(tmp_path, engine):
    folder = tmp_path / "case"
    manifest = write_case(folder, manifest_data())
    (folder / "originals" / "briefing.md").write_text(
        SHOWN_TEXT + '3. [The source is protected.]{.withhold ground="10"}\n', encoding="utf-8"
    )
    report = check_release(manifest, engine)
    assert [(v.id, v.line) for v in report.violations] == [("oia.release.refusal_ground_withholds", 5)]


def test_interest_s10_does_not_protect_is_a_violation(tmp_path, engine):
    data = manifest_data()
    data["documents"][1]["grounds"] = ["s 9(2)(a)"]
    data["request"]["neither_confirm_nor_deny"] = [{"part": 2, "interests": ["s 9(2)(b)(ii)"]}]
    report = check_release(write_case(tmp_path / "case", data), engine)
    assert [(v.id, v.details["citation"]) for v in report.violations] == [
        ("oia.release.s10_interest_not_protected", "9(2)(a)")
    ]


def test_part_beyond_the_request_is_invalid_input(tmp_path, engine):
    from macip_gov.errors import InvalidInputError

    data = manifest_data()
    data["request"]["neither_confirm_nor_deny"] = [{"part": 3, "interests": ["s 6(c)"]}]
    with pytest.raises(InvalidInputError) as info:
        check_release(write_case(tmp_path / "case", data), engine)
    assert "neither_confirm_nor_deny names part 3, but the request has 2" in info.value.one_line()


@pytest.mark.parametrize(
    ("ground", "description", "effect"),
    [
        (
            "6(d)",
            "the making available of that information would be likely to endanger the safety of any person",
            "would be likely to endanger the safety of any person (section 6(d) of the OIA)",
        ),
        (
            "9(2)(b)(ii)",
            "withholding the information is necessary to protect information where the making available of the "
            "information would be likely unreasonably to prejudice the commercial position of the person who "
            "supplied or who is the subject of the information",
            "would be likely unreasonably to prejudice the commercial position of the person who supplied or who is "
            "the subject of the information (section 9(2)(b)(ii) of the OIA)",
        ),
        (
            "7(z)",
            "an interest worded some other way",
            "would be likely to prejudice the interest protected by section 7(z) of the OIA (an interest worded "
            "some other way)",
        ),
    ],
)
def test_the_s10_statement_says_what_confirming_would_do(ground, description, effect):
    from macip_gov.oia.letter import _s10_effect

    assert _s10_effect(ground, description) == effect
