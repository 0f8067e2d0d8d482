"""Citations of OIA grounds: the forms seen in releases, and what is refused."""

from __future__ import annotations

import pytest

from macip_gov.errors import ExitCode, InvalidInputError
from macip_gov.oia.citations import (
    UnknownGroundError,
    format_id,
    ground_key,
    grounds_data,
    parse_citation,
    split_citation,
    split_id,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("s.6(c) OIA", ["6(c)"]),
        ("s 9(2)(g)(ii)", ["9(2)(g)(ii)"]),
        ("section 9(2)(g)(i) of the OIA", ["9(2)(g)(i)"]),
        ("Official Information Act 1982, s 9(2)(a)", ["9(2)(a)"]),
        ("ss 9(2)(i), 9(2)(j)", ["9(2)(i)", "9(2)(j)"]),
        ("s.6(c) OIA, s.9(2)(g)(i) OIA", ["6(c)", "9(2)(g)(i)"]),
        ("sections 9(2)(b), (ba), (i) & (j)", ["9(2)(b)", "9(2)(ba)", "9(2)(i)", "9(2)(j)"]),
        ("9(2)(ba)", ["9(2)(ba)"]),
        ("s 18(da)(ii)", ["18(da)(ii)"]),
        ("9(2)(g)", ["9(2)(g)"]),
        ("s9(2)(a)", ["9(2)(a)"]),
        ("s6(c)", ["6(c)"]),
        ("6(c) 9(2)(g)(i)", ["6(c)", "9(2)(g)(i)"]),
        ("s 9(2)(g)(i) and (ii)", ["9(2)(g)(i)", "9(2)(g)(ii)"]),
        ("9(2)(g)(i), (h)", ["9(2)(g)(i)", "9(2)(h)"]),
        ("s 6(a) and (b)(i)", ["6(a)", "6(b)(i)"]),
        ("9(2)(f)(i)-(iv)", ["9(2)(f)(i)", "9(2)(f)(ii)", "9(2)(f)(iii)", "9(2)(f)(iv)"]),
        ("sections 9(2)(b)(i) to (ii)", ["9(2)(b)(i)", "9(2)(b)(ii)"]),
        ("s.6(c) OIA [REDACTED]", ["6(c)"]),
        ("section 6(c) of the Official Information Act 1982 (OIA)", ["6(c)"]),
        ("under section 9(2)(a) of the Act", ["9(2)(a)"]),
        ("Section 9 (2) (BA) (II)", ["9(2)(ba)(ii)"]),
        ("s.6(c).", ["6(c)"]),
        ("section 10", ["10"]),
        ("s 6(c); s 6(c)", ["6(c)"]),
    ],
)
def test_parse_citation_forms(text, expected):
    assert parse_citation(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Out of scope", "'Out of scope' names no ground of the Official Information Act 1982"),
        (
            "Not relevant to the request",
            "'Not relevant to the request' names no ground of the Official Information Act 1982",
        ),
        ("[REDACTED]", "'[REDACTED]' names no ground of the Official Information Act 1982"),
        ("", "'' names no ground of the Official Information Act 1982"),
        ("s 15A", "15A is not a withholding or refusal ground of the Official Information Act 1982"),
        (
            "section 16(1)(e) of the OIA",
            "16(1)(e) is not a withholding or refusal ground of the Official Information Act 1982",
        ),
        ("s 9(2)(z)", "9(2)(z) is not a withholding or refusal ground of the Official Information Act 1982"),
        ("9(a)", "9(a) is not a withholding or refusal ground of the Official Information Act 1982"),
        (
            "5 U.S.C. 552(b)(6)",
            "'U.S.C.' is not part of a citation of the Official Information Act 1982 (in '5 U.S.C. 552(b)(6)')",
        ),
        (
            "section 40(2) of the Freedom of Information Act 2000",
            "'Freedom' is not part of a citation of the Official Information Act 1982 "
            "(in 'section 40(2) of the Freedom of Information Act 2000')",
        ),
        (
            "s 22 FOI Act 1982 (Cth)",
            "'FOI' is not part of a citation of the Official Information Act 1982 (in 's 22 FOI Act 1982 (Cth)')",
        ),
        (
            "s 7(2)(a) LGOIMA",
            "'LGOIMA' is not part of a citation of the Official Information Act 1982 (in 's 7(2)(a) LGOIMA')",
        ),
        (
            "s 9(2)(a) of the Privacy Act 2020",
            "'Privacy' is not part of a citation of the Official Information Act 1982 "
            "(in 's 9(2)(a) of the Privacy Act 2020')",
        ),
        (
            "Official Information Act 1987, s 6(c)",
            "the Official Information Act is the Act of 1982, not 1987 (in 'Official Information Act 1987, s 6(c)')",
        ),
        ("(ba)", "(ba) follows no section number (in '(ba)')"),
        ("s 6(c) -", "a range needs a ground on each side (in 's 6(c) -')"),
        ("9(2)(a)-(c)", "cannot expand the range 9(2)(a) to 9(2)(c) in '9(2)(a)-(c)'; cite each ground"),
    ],
)
def test_parse_citation_refuses_non_grounds(text, message):
    with pytest.raises(InvalidInputError) as info:
        parse_citation(text)
    assert info.value.message == message
    assert info.value.exit_code == ExitCode.INVALID_INPUT


def test_unknown_ground_error_names_the_ground_and_location():
    with pytest.raises(UnknownGroundError) as info:
        parse_citation("6(c) 9(2)(z)", file="brief.md", location="12")
    assert info.value.ground == "9(2)(z)"
    assert info.value.one_line() == (
        "brief.md:12: 9(2)(z) is not a withholding or refusal ground of the Official Information Act 1982"
    )


def test_existence_is_decided_by_the_grounds_data():
    # The same text is a ground or not according to the data handed in, not a list in the parser.
    assert parse_citation("s 9(2)(z)", {"9(2)(z)": {}}) == ["9(2)(z)"]
    with pytest.raises(UnknownGroundError):
        parse_citation("s 6(c)", {"9(2)(a)": {}})
    assert parse_citation("s 6(c)", ["6(c)"]) == ["6(c)"]


def test_grounds_data_comes_from_the_policies(policy_set, engine):
    bundled = grounds_data()
    assert bundled == policy_set.data["oia.grounds"]["grounds"]
    assert grounds_data(engine) == bundled
    assert grounds_data(policy_set) == bundled
    assert bundled["9(2)(g)"]["children"] == ["9(2)(g)(i)", "9(2)(g)(ii)"]


def test_elided_reference_prefers_a_reading_that_exists():
    # Without data, (h) after 9(2)(g)(i) is read as a sibling of (i); with data, as 9(2)(h).
    assert split_citation("9(2)(g)(i), (h)") == ["9(2)(g)(i)", "9(2)(g)(h)"]
    assert split_citation("9(2)(g)(i), (h)", grounds_data()) == ["9(2)(g)(i)", "9(2)(h)"]


def test_split_citation_does_not_check_existence():
    assert split_citation("s 9(2)(z)") == ["9(2)(z)"]


def test_id_round_trip():
    assert split_id("9(2)(ba)(i)") == ("9", "2", "ba", "i")
    assert format_id(("9", "2", "ba", "i")) == "9(2)(ba)(i)"
    assert split_id("15A") == ("15A",)
    with pytest.raises(ValueError):
        split_id("s 9(2)")


def test_public_api_is_importable_from_the_package():
    import macip_gov.oia as oia

    for name in oia.__all__:
        assert getattr(oia, name) is not None, name
    assert oia.parse_citation is parse_citation
    with pytest.raises(AttributeError):
        oia.nothing  # noqa: B018


def test_the_grounds_data_lists_grounds_in_statutory_order():
    """One ordering of ground ids: ground_key agrees with the order the grounds data lists them in."""
    grounds = grounds_data()
    listed = list(grounds)
    assert len(listed) > 50
    assert sorted(listed, key=ground_key) == listed
    for ground, record in grounds.items():
        children = list(record["children"])
        assert sorted(children, key=ground_key) == children, ground
        assert all(child in grounds and grounds[child]["parent"] == ground for child in children), ground
        # Every ground naming this one as its parent is one of its children, in the same order.
        assert [g for g in listed if grounds[g]["parent"] == ground] == children, ground


def test_a_range_from_a_bare_section_is_refused_not_a_crash(engine):
    # "s 11 to 9(2)(a)": a section with no parent gives no children to expand through.
    with pytest.raises(InvalidInputError, match=r"cannot expand the range 11 to 9\(2\)\(a\)"):
        split_citation("s 11 to 9(2)(a)", grounds_data(engine))
