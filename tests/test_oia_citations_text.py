"""Citations found inside running text: sentences, schedule cells, Ombudsman "Legislation" lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from macip_gov.cli import cli
from macip_gov.errors import InvalidInputError
from macip_gov.oia.citations import split_citation
from macip_gov.oia.citations_text import find_citations

# (sentence in the style of NZ OIA letters, schedules and Ombudsman case notes, grounds expected)
SENTENCES = [
    ("Withheld under s 9(2)(a) OIA", ["9(2)(a)"]),
    ("Section 9(2)(f)(iv) OIA applied to briefing from the Ministry dated 3 May 2023", ["9(2)(f)(iv)"]),
    ("6. s.6(c) OIA [REDACTED]", ["6(c)"]),
    ("Released with some information withheld under s.9(2)(g)(i) OIA", ["9(2)(g)(i)"]),
    ("Some information has been withheld under section 9(2)(a) of the OIA to protect privacy.", ["9(2)(a)"]),
    (
        "I am withholding parts of the document under sections 9(2)(b)(ii) and 9(2)(ba)(i) of the Act.",
        ["9(2)(b)(ii)", "9(2)(ba)(i)"],
    ),
    ("Your request is refused under section 18(d) of the Act, as the information will soon be public.", ["18(d)"]),
    ("Refused under s 18(e) OIA as the document does not exist.", ["18(e)"]),
    ("Withheld in full - s 6(a) and s 6(b)(i) OIA", ["6(a)", "6(b)(i)"]),
    ("Names of junior staff have been withheld under s9(2)(a).", ["9(2)(a)"]),
    ("Pursuant to section 9(2)(h) of the Official Information Act 1982, legal advice is withheld.", ["9(2)(h)"]),
    ("Official Information Act 1982, s 9(2)(j): commercial negotiations", ["9(2)(j)"]),
    ("Part released: ss 9(2)(g)(i), 9(2)(h) OIA", ["9(2)(g)(i)", "9(2)(h)"]),
    ("Withheld under sections 9(2)(b), (ba), (i) & (j).", ["9(2)(b)", "9(2)(ba)", "9(2)(i)", "9(2)(j)"]),
    ("Document 4 | 12 March 2023 | Aide memoire | Withhold in part | s 9(2)(f)(iv)", ["9(2)(f)(iv)"]),
    ("The Ombudsman accepted that s 9(2)(g)(i) applied, and that s 9(1) did not outweigh it.", ["9(2)(g)(i)"]),
    ("The Minister relied on section 6(a) of the OIA (security and defence).", ["6(a)"]),
    ("Information was withheld under s 9(2)(c) to avoid prejudice to health or safety.", ["9(2)(c)"]),
    ("We extended the time limit under s 15A and withheld pages 3-4 under s 9(2)(ba)(ii) OIA.", ["9(2)(ba)(ii)"]),
    ("Refused under s 18(f) because of the substantial collation required; see also s 18A.", ["18(f)"]),
    ("Section 7(a) OIA applies to information about the Cook Islands.", ["7(a)"]),
    ("Withheld under s 9(2)(k) OIA to prevent improper gain.", ["9(2)(k)"]),
    ("s.6(c) OIA, s.9(2)(g)(i) OIA", ["6(c)", "9(2)(g)(i)"]),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_grounds_found_in_sentences(text, expected):
    assert find_citations(text).grounds == expected


def test_strict_reader_unchanged():
    # Markup attributes and manifests still take nothing but a citation.
    with pytest.raises(InvalidInputError):
        split_citation("Withheld under s 9(2)(a) OIA")


def test_legislation_line_with_public_interest_section():
    result = find_citations("Legislation: Official Information Act 1982, ss 6(c), 9(2)(a), 9(2)(ba), 9(1)")
    assert result.grounds == ["6(c)", "9(2)(a)", "9(2)(ba)"]
    assert [(m.section, m.act, m.role) for m in result.mentioned] == [
        ("9(1)", "Official Information Act 1982", "the public-interest test")
    ]


def test_legislation_line_with_section_of_another_act():
    result = find_citations("Legislation: Official Information Act 1982, ss 18(c)(i), 52(3)(b)(i) and 9(2)(h)")
    assert result.grounds == ["18(c)(i)", "9(2)(h)"]
    assert [m.section for m in result.mentioned] == ["52(3)(b)(i)"]
    assert result.found[0].citation == "ss 18(c)(i), 52(3)(b)(i) and 9(2)(h)"
    assert result.found[0].start == 44


def test_other_acts_are_not_oia_grounds():
    result = find_citations("Withheld under s 53 of the Privacy Act 2020 and s 9(2)(a)")
    assert result.grounds == ["9(2)(a)"]
    assert [(m.section, m.citation, m.act, m.role) for m in result.mentioned] == [
        ("53", "s 53", "Privacy Act 2020", "a section of the Privacy Act 2020")
    ]


def test_dates_and_counts_are_not_sections():
    assert find_citations("Received 20 March 2023; 20 working days; 3 documents").model_dump() == {
        "found": [],
        "mentioned": [],
    }


def test_cli_sentence(runner):
    result = runner.invoke(cli, ["oia", "ground", "Withheld under s 9(2)(a) OIA"])
    assert result.exit_code == 0
    assert result.stdout == (
        "section 9(2)(a)  (s9, withhold; public-interest test (s 9(1)) applies)\n"
        "    withholding the information is necessary to protect the privacy of natural persons, "
        "including that of deceased natural persons\n"
        "found: 9(2)(a) in 's 9(2)(a) OIA' at offset 15\n"
    )


def test_cli_legislation_line(runner):
    text = "Legislation: Official Information Act 1982, ss 18(c)(i), 52(3)(b)(i) and 9(2)(h)"
    result = runner.invoke(cli, ["oia", "ground", "--json", text])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert [g["id"] for g in document["grounds"]] == ["18(c)(i)", "9(2)(h)"]
    assert [f["ground"] for f in document["found"]] == ["18(c)(i)", "9(2)(h)"]
    assert [m["section"] for m in document["mentioned"]] == ["52(3)(b)(i)"]


@pytest.mark.parametrize(("text", "expected"), SENTENCES[:5])
def test_cli_sentences_exit_0(runner, text, expected):
    result = runner.invoke(cli, ["oia", "ground", text])
    assert result.exit_code == 0
    assert [line.split()[1] for line in result.stdout.splitlines() if line.startswith("found: ")] == expected


def test_cli_strict_keeps_whole_string_rule(runner):
    result = runner.invoke(cli, ["oia", "ground", "--strict", "Withheld under s 9(2)(a) OIA"])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.startswith("Error: 'Withheld' is not part of a citation")


def test_cli_no_ground_in_text_exits_3(runner):
    result = runner.invoke(cli, ["oia", "ground", "We extended the time limit under s 15A."])
    assert result.exit_code == 3
    assert result.stdout == ""


# Sections of the Act that are not grounds: each reported with its own role.


@pytest.mark.parametrize(
    ("text", "section", "role"),
    [
        ("the public interest test in s 9(1)", "9(1)", "the public-interest test"),
        ("We extended the time limit under section 15A.", "15A", "extension of a time limit"),
        ("notice under s 15A(1)(b) OIA", "15A(1)(b)", "extension of a time limit"),
        (
            "provided as excerpts under section 16(1)(e) of the OIA",
            "16(1)(e)",
            "an excerpt or summary as the form of release",
        ),
        (
            "You may complain to the Ombudsman under section 28(3) of the Act.",
            "28(3)",
            "the right to complain to the Ombudsman",
        ),
        ("a deemed refusal under s 28(4)", "28(4)", "a decision not made in time, treated as a refusal"),
        ("transferred under section 14 of the OIA", "14", "transfer of a request"),
        ("the decision due under section 15(1)", "15(1)", "the time limit for a decision (20 working days)"),
        (
            "refused after consulting you under s 18B",
            "18B",
            "consulting the requester before refusing under s 18(e) or (f)",
        ),
        ("the reasons required by section 19 of the OIA", "19", "giving the reasons for a refusal"),
        ("ss 18(c)(i), 52(3)(b)(i) and 9(2)(h)", "52(3)(b)(i)", "savings for other enactments and rules of law"),
        (
            "withheld under s 9(2)(z)",
            "9(2)(z)",
            "not a withholding or refusal ground of the Act (no such paragraph among the grounds)",
        ),
        ("the definition in section 2(1)", "2(1)", "definitions (interpretation)"),
        ("under section 99(1)", "99(1)", "not a withholding or refusal ground of the Act"),
    ],
)
def test_sections_that_are_not_grounds_are_mentioned_with_their_role(text, section, role):
    mentioned = {m.section: m for m in find_citations(text).mentioned}
    assert mentioned[section].act == "Official Information Act 1982"
    assert mentioned[section].role == role


@pytest.mark.parametrize(
    ("text", "grounds", "mentioned"),
    [
        ("s 7(2)(a) LGOIMA", [], [("7(2)(a)", "Local Government Official Information and Meetings Act 1987")]),
        (
            "withheld under s 7(2)(a) LGOIMA and s 9(2)(a) OIA",
            ["9(2)(a)"],
            [("7(2)(a)", "Local Government Official Information and Meetings Act 1987")],
        ),
        ("s 53(b) Privacy Act", [], [("53(b)", "Privacy Act")]),
        ("Privacy Act 2020, s 22", [], [("22", "Privacy Act 2020")]),
        ("IPP 11", [], [("IPP 11", "Privacy Act 2020")]),
        ("disclosed under IPP 11(1)(e) of the Privacy Act 2020", [], [("IPP 11(1)(e)", "Privacy Act 2020")]),
        ("information privacy principle 6 and s 9(2)(a)", ["9(2)(a)"], [("IPP 6", "Privacy Act 2020")]),
        ("HIPC rule 11(2)(d)", [], [("rule 11(2)(d)", "Health Information Privacy Code 2020")]),
        ("ss 9(2)(a) OIA, 53(b) Privacy Act", ["9(2)(a)"], [("53(b)", "Privacy Act")]),
        ("section 6(c) of the Official Information Act 1987", [], [("6(c)", "Official Information Act 1987")]),
        ("s 9(2)(a) of the Official Information Act 1982 (NZ)", ["9(2)(a)"], []),
    ],
)
def test_other_acts_are_recognised(text, grounds, mentioned):
    result = find_citations(text)
    assert result.grounds == grounds
    assert [(m.section, m.act) for m in result.mentioned] == mentioned


# Real sentences from published letters, schedules and Ombudsman material.

ACTS = {"OIA": "Official Information Act 1982", "LGOIMA": "Local Government Official Information and Meetings Act 1987"}
REAL = yaml.safe_load((Path(__file__).parent / "data" / "citation_sentences.yaml").read_text(encoding="utf-8"))


def test_the_real_sentences_are_at_least_thirty_with_grounds_each_with_its_source():
    with_grounds = [entry for entry in REAL if entry["expect"]]
    assert len(with_grounds) >= 30
    for entry in REAL:
        assert set(entry) <= {"text", "source", "title", "expect", "mentioned"}
        assert entry["source"] and entry["title"] and entry["text"].strip()


@pytest.mark.parametrize("entry", REAL, ids=[entry["text"][:60] for entry in REAL])
def test_real_sentences(entry):
    result = find_citations(entry["text"])
    assert result.grounds == entry["expect"]
    if "mentioned" in entry:
        expected = [(section, ACTS.get(act, act)) for section, act in entry["mentioned"]]
        assert [(m.section, m.act) for m in result.mentioned] == expected


@pytest.mark.parametrize("entry", [e for e in REAL if e["expect"]][:8], ids=lambda e: e["text"][:40])
def test_cli_real_sentences_exit_0(runner, entry):
    result = runner.invoke(cli, ["oia", "ground", "--json", entry["text"]])
    assert result.exit_code == 0, result.stderr
    assert [g["id"] for g in json.loads(result.stdout)["grounds"]] == entry["expect"]


def test_cli_mentions_show_role_and_act(runner):
    text = "Withheld under s 9(2)(a) OIA; see s 7(2)(a) LGOIMA and the public interest test in s 9(1)."
    result = runner.invoke(cli, ["oia", "ground", text])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[2:] == [
        "found: 9(2)(a) in 's 9(2)(a) OIA' at offset 15",
        "mentioned: 7(2)(a) (Local Government Official Information and Meetings Act 1987) in 's 7(2)(a)' "
        "at offset 34: a section of the Local Government Official Information and Meetings Act 1987",
        "mentioned: 9(1) in 's 9(1)' at offset 83: the public-interest test",
    ]


def test_cli_no_ground_names_what_is_mentioned(runner):
    result = runner.invoke(cli, ["oia", "ground", "Extended under s 15A; see s 53(b) Privacy Act and IPP 11."])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == (
        "Error: 'Extended under s 15A; see s 53(b) Privacy Act and IPP 11.' names no ground of the "
        "Official Information Act 1982; it mentions 15A (extension of a time limit), 53(b) of the Privacy Act, "
        "IPP 11 of the Privacy Act 2020\n"
    )


def test_cli_strict_refuses_what_the_text_reader_accepts(runner):
    text = "Official Information Act 1982, ss 6(c), 9(1)"
    assert runner.invoke(cli, ["oia", "ground", text]).exit_code == 0
    strict = runner.invoke(cli, ["oia", "ground", "--strict", text])
    assert strict.exit_code == 3
    assert strict.stderr == "Error: 9(1) is not a withholding or refusal ground of the Official Information Act 1982\n"


# Any text: the reader never fails, every ground found is a ground of the Act, and
# every offset points at the citation shown.

_PIECES = [
    "s",
    "s.",
    "ss",
    "section",
    "sections",
    "9(2)(a)",
    "6(c)",
    "(ba)",
    "(i)",
    "(ii)",
    "9(1)",
    "15A",
    "16(1)(e)",
    "18(c)(i)",
    "52(3)(b)(i)",
    "7(2)(a)",
    "53(b)",
    "IPP",
    "11",
    "principle",
    "HIPC rule",
    "OIA",
    "(OIA)",
    "LGOIMA",
    "the Act",
    "Official Information Act 1982",
    "Official Information Act 1987",
    "Privacy Act 2020",
    "of the",
    "and",
    "or",
    "to",
    "-",
    "–",
    ",",
    ";",
    "&",
    ".",
    "\n",
    "[REDACTED]",
    "withheld under",
    "12 March 2021",
    "2.",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=4), max_size=30))
def test_any_text_is_read_without_error(pieces):
    from macip_gov.oia.citations import grounds_data

    text = " ".join(pieces)
    result = find_citations(text)
    known = grounds_data()
    for f in result.found:
        assert f.ground in known
        assert text[f.start : f.start + len(f.citation)] == f.citation
    for m in result.mentioned:
        assert m.act and m.role
        assert text[m.start : m.start + len(m.citation)] == m.citation or m.section.startswith(("IPP", "rule"))
