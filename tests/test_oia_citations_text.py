"""Citations found inside running text: sentences, schedule cells, Ombudsman "Legislation" lines."""

from __future__ import annotations

import pytest

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
    assert [(m.section, m.reason) for m in result.mentioned] == [
        ("9(1)", "not a withholding or refusal ground of the Official Information Act 1982")
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
    assert [(m.section, m.citation, m.reason) for m in result.mentioned] == [
        ("53", "s 53", "a section of the Privacy Act 2020")
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
    import json

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
