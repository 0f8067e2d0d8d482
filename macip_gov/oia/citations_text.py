"""Citations of Official Information Act grounds found inside running text.

:func:`.citations.split_citation` reads a string that is nothing but a citation
(the markup's ``ground="..."`` attribute, a manifest field). Letters, schedules
and Ombudsman case notes put citations inside sentences: "Withheld under
s 9(2)(a) OIA", "Legislation: Official Information Act 1982, ss 6(c), 9(2)(a),
9(1)". :func:`find_citations` finds every section reference in such text, keeps
those that are grounds in the policies' data, and reports the others (``9(1)``,
``15A``, a section of another Act) as mentions rather than refusing the text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InvalidInputError
from .citations import (
    _GROUP,
    _TOKEN,
    ACT,
    GroundLookup,
    _canonical_part,
    _parts,
    _range,
    _siblings,
    format_id,
    grounds_data,
)

# A named Act (or code) other than the OIA right after a citation ("s 53 of the Privacy Act 2020",
# "s 7(2)(a) LGOIMA") or right before it ("Privacy Act 2020, s 22"). Names are capitalised
# words joined by "and", "of", "&"...: "Local Government Official Information and Meetings Act 1987".
_NAME_WORD = r"[A-Z][\w'\u2019()-]*"
_OTHER_ACT = (
    r"(?:LGOIMA|HIPC|"
    rf"(?:{_NAME_WORD}\s+(?:(?:and|of|for|on|the|&)\s+)*)*?{_NAME_WORD}\s+(?:Act|Code|Regulations|Rules)"
    r"(?:\s+\d{4})?(?:\s*\((?:NZ|Cth|UK)\))?)"
)
_AFTER = re.compile(rf"\s*(?:of\s+)?(?:the\s+)?(?P<act>{_OTHER_ACT})")
_BEFORE = re.compile(rf"(?P<act>{_OTHER_ACT})\s*[,:]?\s*(?:the\s+)?$")
_BEFORE_WINDOW = 240
_OIA_NAME = re.compile(r"Official\s+Information\s+Act(?:\s+1982)?\s*(?:\(NZ\))?$", re.IGNORECASE)
_ABBREVIATIONS = {
    "LGOIMA": "Local Government Official Information and Meetings Act 1987",
    "HIPC": "Health Information Privacy Code 2020",
}
# Information privacy principles of the Privacy Act: "IPP 11", "IPP 11(1)(c)", "information
# privacy principle 6", "principle 11", and rules of the Health Information Privacy Code.
_PRINCIPLE = re.compile(
    r"\b(?:(?P<ipp>IPPs?|(?:information\s+)?privacy\s+principles?|principles?)|(?P<rule>HIPC\s+rules?))"
    r"\s*(?P<number>\d{1,2})(?P<groups>(?:\s*\(\s*[0-9A-Za-z]{1,5}\s*\))*)(?![\w(])",
    re.IGNORECASE,
)
_PRIVACY_ACT_YEAR = re.compile(r"Privacy\s+Act\s+(\d{4})")


class FoundGround(BaseModel):
    """A ground of the Act cited in the text."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ground: str = Field(description="Canonical id, e.g. 9(2)(a).")
    citation: str = Field(description="The citation as written, e.g. 's 9(2)(a) OIA'.")
    start: int = Field(description="Offset of the citation in the text (0-based).")


class MentionedSection(BaseModel):
    """A section reference in the text that is not a withholding or refusal ground of the Act."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    section: str = Field(description="The section as normalised, e.g. 9(1), 15A, 7(2)(a), IPP 11.")
    citation: str = Field(description="The citation as written.")
    start: int = Field(description="Offset of the citation in the text (0-based).")
    act: str = Field(description="The Act (or code) the section belongs to, e.g. Official Information Act 1982.")
    role: str = Field(
        description="What the section is, e.g. 'the public-interest test', 'extension of a time limit', "
        "or for another Act 'a section of the Privacy Act 2020'."
    )


class TextCitations(BaseModel):
    """Every ground cited in a text, and the section references that are not grounds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    found: list[FoundGround] = Field(default_factory=list, description="Grounds, in text order.")
    mentioned: list[MentionedSection] = Field(default_factory=list, description="References that are not grounds.")

    @property
    def grounds(self) -> list[str]:
        """The ground ids, in order of first appearance, without duplicates."""
        return list(dict.fromkeys(f.ground for f in self.found))


class TextGroundLookup(GroundLookup):
    """A lookup of the grounds found in running text, with where each was found."""

    found: list[FoundGround] = Field(default_factory=list, description="Each ground with the citation it came from.")
    mentioned: list[MentionedSection] = Field(
        default_factory=list, description="Section references in the text that are not grounds."
    )


def _runs(text: str) -> list[list[tuple[str, re.Match[str]]]]:
    """Maximal sequences of citation tokens, split at ordinary words."""
    runs: list[list[tuple[str, re.Match[str]]]] = [[]]
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "word"
        if match["act"] is not None:
            kind = "act"
        elif match["ref"] is not None:
            kind = "ref"
        if kind == "space":
            continue
        if kind == "word":
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((kind, match))
    return [run for run in runs if any(kind == "ref" for kind, _ in run)]


def _prefixed(match: re.Match[str]) -> bool:
    return not match[0][:1].isdigit()


def _act_name(name: str) -> str | None:
    """The Act a name in the text stands for; None for the Official Information Act 1982."""
    name = " ".join(name.split())
    if _OIA_NAME.match(name):
        return None
    return _ABBREVIATIONS.get(name.upper(), name)


def _context_act(text: str, start: int, end: int) -> str | None:
    """The other Act named right after or right before a citation, if any."""
    after = _AFTER.match(text, end)
    if after is not None:
        return _act_name(after["act"])
    before = _BEFORE.search(text, max(0, start - _BEFORE_WINDOW), start)
    if before is not None:
        return _act_name(before["act"])
    return None


def _other_role(act: str) -> str:
    return f"a section of the {act}" if re.search(r"\bAct\b", act) else f"a provision of the {act}"


def _principles(text: str) -> list[tuple[re.Match[str], MentionedSection]]:
    """Information privacy principles and code rules ("IPP 11", "principle 6", "HIPC rule 11")."""
    years = set(_PRIVACY_ACT_YEAR.findall(text))
    privacy_act = f"Privacy Act {years.pop()}" if len(years) == 1 else "Privacy Act 2020"
    out = []
    for m in _PRINCIPLE.finditer(text):
        number = m["number"].lstrip("0") or "0"
        ident = format_id((number, *(_canonical_part(g) for g in _GROUP.findall(m["groups"] or ""))))
        if m["rule"] is not None:
            act, section, role = _ABBREVIATIONS["HIPC"], f"rule {ident}", f"rule {ident} of the code"
        else:
            act, section, role = privacy_act, f"IPP {ident}", f"information privacy principle {ident}"
        citation = " ".join(m[0].split())
        out.append((m, MentionedSection(section=section, citation=citation, start=m.start(), act=act, role=role)))
    return out


def find_citations(text: str, grounds: Any = None) -> TextCitations:
    """Find every citation of a ground in running text.

    Args:
        text: A sentence, schedule cell, letter paragraph or Ombudsman "Legislation" line.
        grounds: Where the known grounds come from (see :func:`.citations.grounds_data`).

    Returns:
        The grounds found, each with the citation it came from, and the section
        references that are not grounds of the Act (``mentioned``), each with its
        Act and role: a section of this Act that is not a ground (``9(1)``, the
        public-interest test), a section of another Act (``s 7(2)(a) LGOIMA``,
        ``s 53(b) Privacy Act``) or a privacy principle (``IPP 11``). A bare number
        ("20 working days") is a section reference only after ``s``/``section`` or
        when it has sub-paragraphs ("9(2)(a)"). A section belongs to the Act named
        right after it ("s 9(2)(a) OIA", "s 53 of the Privacy Act 2020"), or else to
        the Act named right before the citation ("Privacy Act 2020, s 22"), or else
        to the Official Information Act.
    """
    from ._sections import section_role

    known: Mapping[str, Any] = grounds_data(grounds)
    found: list[FoundGround] = []
    principles = _principles(text)
    mentioned: list[MentionedSection] = [mention for _m, mention in principles]
    taken = [(m.start(), m.end()) for m, _mention in principles]

    def in_principle(match: re.Match[str]) -> bool:
        return any(a <= match.start() < b for a, b in taken)

    for run in _runs(text):
        while run and run[-1][0] in ("joiner", "range"):
            run = run[:-1]
        # Trim leading joiners and bare numbers from what is shown as the citation.
        while (
            run and run[0][0] != "prefix" and not (run[0][0] == "ref" and (_prefixed(run[0][1]) or run[0][1]["groups"]))
        ):
            run = run[1:]
        if not run:
            continue
        start = end = run[0][1].start()
        # Each reference (an elided one as its possible readings) with whether a range
        # joins it to the one before, and its Act once known: an Act named inside the
        # run applies to the references before it.
        assigned: list[tuple[list[tuple[str, ...]], bool, str | None]] = []
        pending: list[tuple[list[tuple[str, ...]], bool]] = []
        seen_ref = False
        seen_prefix = False
        pending_range = False
        last_end = start
        for kind, m in run:
            gap, last_end = text[last_end : m.start()], m.end()
            if kind == "act":
                year = m["year"]
                act = f"Official Information Act {year}" if year not in (None, "1982") else None
                assigned += [(readings, joined, act) for readings, joined in pending]
                pending = []
                end = m.end()
            elif kind == "prefix":
                seen_prefix = True
            elif kind == "range":
                pending_range = seen_ref
            elif kind == "joiner" and m[0] == ".":
                seen_prefix = seen_prefix and seen_ref
            elif kind not in ("ref", "elided") or in_principle(m):
                continue
            else:
                if kind == "ref":
                    parts = _parts(m["number"], m["groups"] or "")
                    if _prefixed(m):
                        seen_prefix = True
                    elif len(parts) == 1 and (not seen_prefix or "\n" in gap):
                        continue  # a bare number: a date, a count, a paragraph or list number
                elif not seen_ref:
                    continue
                else:
                    parts = tuple(_canonical_part(g) for g in _GROUP.findall(m[0]))
                pending.append(([parts] if kind == "ref" else [(), parts], pending_range))
                seen_ref = True
                pending_range = False
                end = m.end()
        citation = text[start:end].strip(" ,;.&/")
        if pending:
            act = _context_act(text, start, end)
            assigned += [(readings, joined, act) for readings, joined in pending]
        refs: list[tuple[tuple[str, ...], str | None]] = []
        previous: tuple[str, ...] | None = None
        for readings, joined, act in assigned:
            if readings[0]:
                ref = readings[0]
            else:  # elided: a sibling of a part of the reference before it
                siblings = _siblings(previous or (), readings[1])
                if not siblings:
                    continue
                ref = next((r for r in siblings if act is None and format_id(r) in known), siblings[0])
            previous = ref
            if joined and act is None and refs and refs[-1][1] is None:
                first = refs.pop()[0]
                try:
                    refs += [(r, None) for r in _range(first, ref, known, text, None, None)]
                except InvalidInputError:
                    refs += [(first, None), (ref, None)]
            else:
                refs.append((ref, act))
        for ref, act in refs:
            section = format_id(ref)
            if act is None and section in known:
                found.append(FoundGround(ground=section, citation=citation, start=start))
            else:
                mentioned.append(
                    MentionedSection(
                        section=section,
                        citation=citation,
                        start=start,
                        act=act or ACT,
                        role=_other_role(act) if act else section_role(ref),
                    )
                )
    mentioned.sort(key=lambda mention: mention.start)
    return TextCitations(found=found, mentioned=mentioned)


def no_ground_message(text: str, result: TextCitations) -> str:
    """Why ``text`` names no ground: what it mentions instead, if anything."""
    quoted = " ".join(text.split())
    quoted = repr(quoted if len(quoted) <= 80 else quoted[:77] + "...")
    if not result.mentioned:
        return f"{quoted} names no ground of the {ACT}"
    shown = [f"{m.section} ({m.role})" if m.act == ACT else f"{m.section} of the {m.act}" for m in result.mentioned[:4]]
    more = f" and {len(result.mentioned) - 4} more" if len(result.mentioned) > 4 else ""
    return f"{quoted} names no ground of the {ACT}; it mentions {', '.join(shown)}{more}"


class NoGroundInTextError(InvalidInputError):
    """Running text that cites no ground of the Act (it may mention other sections)."""

    def __init__(self, text: str, result: TextCitations):
        self.mentioned = result.mentioned
        super().__init__(no_ground_message(text, result))

    @property
    def informative(self) -> bool:
        """Whether the text mentions a section with a known role, or another Act's."""
        return any(m.act != ACT or not m.role.startswith("not a withholding") for m in self.mentioned)


def describe_text(text: str, engine: Any) -> TextGroundLookup:
    """The grounds cited anywhere in ``text``, described by the grounds policy.

    Raises:
        NoGroundInTextError: The text cites no ground (the message says what it mentions instead).
    """
    from .citations import lookup_grounds

    result = find_citations(text, engine)
    if not result.grounds:
        raise NoGroundInTextError(text, result)
    lookup = lookup_grounds(text, result.grounds, engine)
    return TextGroundLookup(**dict(lookup), found=result.found, mentioned=result.mentioned)


__all__ = [
    "FoundGround",
    "MentionedSection",
    "NoGroundInTextError",
    "TextCitations",
    "TextGroundLookup",
    "describe_text",
    "find_citations",
    "no_ground_message",
]
