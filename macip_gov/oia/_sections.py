"""What the sections of the Official Information Act 1982 that are not grounds are about.

A letter or case note cites more than grounds: the public-interest test (s 9(1)), an
extension (s 15A), an excerpt (s 16(1)(e)), the right to complain (s 28(3)). When such
a section is found in running text it is reported as a mention with its role, taken
from this table of the Act's section headings and the subsections letters usually
cite. The table labels text for the reader and decides nothing: whether an id is a
ground is decided only by the grounds data the policies use.
"""

from __future__ import annotations

from .citations import format_id

# id -> (role, whether ids below it share the role). Family sections (6, 7, 9, 9(2), 18)
# do not pass their role down: an id below them that is not in the grounds data is
# not a paragraph of the Act's grounds (9(2)(z)).
_ROLES: dict[str, tuple[str, bool]] = {
    "2": ("definitions (interpretation)", True),
    "4": ("the purposes of the Act", True),
    "5": ("the principle of availability", True),
    "6": ("the conclusive reasons for withholding, as a whole (a ground is one paragraph, e.g. 6(c))", False),
    "7": ("the special reasons for withholding for the Cook Islands, Niue, Tokelau and the Ross Dependency", False),
    "9": ("the other reasons for withholding, as a whole (a ground is one paragraph of s 9(2))", False),
    "9(1)": ("the public-interest test", True),
    "9(2)": ("the other reasons for withholding, as a whole (a ground is one paragraph of s 9(2))", False),
    "12": ("making a request", True),
    "12(2)": ("a request specified with due particularity", True),
    "13": ("the duty to give reasonable assistance", True),
    "14": ("transfer of a request", True),
    "15": ("the decision on a request and its time limit", True),
    "15(1)": ("the time limit for a decision (20 working days)", True),
    "15A": ("extension of a time limit", True),
    "16": ("the form in which information is made available", True),
    "16(1)(e)": ("an excerpt or summary as the form of release", True),
    "16(2)": ("the exceptions to the requester's preferred form", True),
    "17": ("deletion of information from a released document", True),
    "18": ("the reasons for refusing a request, as a whole (a reason is one paragraph, e.g. 18(d))", False),
    "18A": ("a request needing substantial collation or research (charge or extend before refusing)", True),
    "18B": ("consulting the requester before refusing under s 18(e) or (f)", True),
    "19": ("giving the reasons for a refusal", True),
    "20": ("publication of the directory of official information", True),
    "22": ("access to internal rules and guidelines", True),
    "23": ("a statement of reasons for a decision about the requester", True),
    "24": ("personal information requested by a body corporate about itself (Part 4)", True),
    "27": ("the reasons for refusing a Part 4 request", True),
    "28": ("the Ombudsman's review of decisions", True),
    "28(1)": ("the decisions the Ombudsman may investigate", True),
    "28(2)": ("complaints about an extension", True),
    "28(3)": ("the right to complain to the Ombudsman", True),
    "28(4)": ("a decision not made in time, treated as a refusal", True),
    "28(5)": ("undue delay in making information available, treated as a refusal", True),
    "48": ("protection for release in good faith", True),
    "52": ("savings for other enactments and rules of law", True),
}
_NOT_A_GROUND = "not a withholding or refusal ground of the Act"


def section_role(parts: tuple[str, ...]) -> str:
    """What a section of the Act that is not a ground is about, e.g. ``("9", "1")`` -> the public-interest test."""
    for keep in range(len(parts), 0, -1):
        entry = _ROLES.get(format_id(parts[:keep]))
        if entry is None:
            continue
        role, inherited = entry
        if keep == len(parts) or inherited:
            return role
        return f"{_NOT_A_GROUND} (no such paragraph among the grounds)"
    return _NOT_A_GROUND


__all__ = ["section_role"]
