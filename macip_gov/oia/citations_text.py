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

# A named Act other than the OIA right after a citation ("s 53 of the Privacy Act 2020", "s 7 LGOIMA")
# or right before it ("Privacy Act 2020, s 22").
_OTHER_ACT = (
    r"(?:LGOIMA|(?:[A-Z][\w'()-]*\s+)*?(?:[A-Z][\w'()-]*)\s+Act(?:\s+\d{4})?"
    r"|(?:[A-Z][\w'()-]*\s+)+Regulations(?:\s+\d{4})?)"
)
_AFTER = re.compile(rf"\s*(?:of\s+)?(?:the\s+)?(?P<act>{_OTHER_ACT})")
_BEFORE = re.compile(rf"(?P<act>{_OTHER_ACT})\s*[,:]?\s*(?:the\s+)?$")
_OIA_NAME = re.compile(r"Official\s+Information\s+Act", re.IGNORECASE)


class FoundGround(BaseModel):
    """A ground of the Act cited in the text."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ground: str = Field(description="Canonical id, e.g. 9(2)(a).")
    citation: str = Field(description="The citation as written, e.g. 's 9(2)(a) OIA'.")
    start: int = Field(description="Offset of the citation in the text (0-based).")


class MentionedSection(BaseModel):
    """A section reference in the text that is not a withholding or refusal ground of the Act."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    section: str = Field(description="The section as normalised, e.g. 9(1).")
    citation: str = Field(description="The citation as written.")
    start: int = Field(description="Offset of the citation in the text (0-based).")
    reason: str = Field(description="Why it is not a ground: another Act, or not a ground of this one.")


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


def find_citations(text: str, grounds: Any = None) -> TextCitations:
    """Find every citation of a ground in running text.

    Args:
        text: A sentence, schedule cell, letter paragraph or Ombudsman "Legislation" line.
        grounds: Where the known grounds come from (see :func:`.citations.grounds_data`).

    Returns:
        The grounds found, each with the citation it came from, and the section
        references that are not grounds of the Act (``mentioned``). A bare number
        ("20 working days") is a section reference only after ``s``/``section``
        or when it has sub-paragraphs ("9(2)(a)").
    """
    known: Mapping[str, Any] = grounds_data(grounds)
    found: list[FoundGround] = []
    mentioned: list[MentionedSection] = []
    for run in _runs(text):
        while run[-1][0] in ("joiner", "range"):
            run = run[:-1]
        end = run[-1][1].end()
        # Trim leading and trailing joiners from what is shown as the citation.
        while run[0][0] != "prefix" and not (run[0][0] == "ref" and (_prefixed(run[0][1]) or run[0][1]["groups"])):
            run = run[1:]
            if not run:
                break
        if not run:
            continue
        start = run[0][1].start()
        citation = text[start:end].strip(" ,;.&/")
        other_act = None
        after = _AFTER.match(text, end)
        before = _BEFORE.search(text[:start])
        for m in (after, before):
            if m is not None and not _OIA_NAME.search(m["act"]):
                other_act = " ".join(m["act"].split())
                break
        if any(kind == "act" and m["year"] not in (None, "1982") for kind, m in run):
            other_act = "Official Information Act " + next(m["year"] for k, m in run if k == "act" and m["year"])
        refs: list[tuple[tuple[str, ...], re.Match[str]]] = []
        seen_prefix = False
        pending_range = False
        for kind, m in run:
            if kind == "prefix":
                seen_prefix = True
            elif kind == "range":
                pending_range = bool(refs)
            elif kind == "joiner" and m[0] == ".":
                seen_prefix = seen_prefix and bool(refs)
            elif kind in ("ref", "elided"):
                if kind == "ref":
                    ref = _parts(m["number"], m["groups"] or "")
                    if _prefixed(m):
                        seen_prefix = True
                    elif len(ref) == 1 and not seen_prefix:
                        continue  # a bare number: a date, a count, a paragraph
                else:
                    if not refs:
                        continue
                    parts = tuple(_canonical_part(g) for g in _GROUP.findall(m[0]))
                    readings = _siblings(refs[-1][0], parts)
                    if not readings:
                        continue
                    ref = next((r for r in readings if format_id(r) in known), readings[0])
                if pending_range and other_act is None:
                    first = refs.pop()
                    try:
                        refs.extend((r, first[1]) for r in _range(first[0], ref, known, text, None, None))
                    except InvalidInputError:
                        refs += [first, (ref, m)]
                else:
                    refs.append((ref, m))
                pending_range = False
        for ref, _m in refs:
            section = format_id(ref)
            if other_act is not None:
                mentioned.append(
                    MentionedSection(
                        section=section, citation=citation, start=start, reason=f"a section of the {other_act}"
                    )
                )
            elif section in known:
                found.append(FoundGround(ground=section, citation=citation, start=start))
            else:
                mentioned.append(
                    MentionedSection(
                        section=section,
                        citation=citation,
                        start=start,
                        reason=f"not a withholding or refusal ground of the {ACT}",
                    )
                )
    return TextCitations(found=found, mentioned=mentioned)


__all__ = ["FoundGround", "MentionedSection", "TextCitations", "TextGroundLookup", "describe_text", "find_citations"]


def describe_text(text: str, engine: Any) -> TextGroundLookup | None:
    """The grounds cited anywhere in ``text``, described by the grounds policy; None when there are none."""
    from .citations import lookup_grounds

    result = find_citations(text, engine)
    if not result.grounds:
        return None
    lookup = lookup_grounds(text, result.grounds, engine)
    return TextGroundLookup(**dict(lookup), found=result.found, mentioned=result.mentioned)
