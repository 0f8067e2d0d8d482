"""Citations of Official Information Act grounds, normalised to canonical ids.

Real releases and Ombudsman material cite grounds in many ways: ``s.6(c) OIA``,
``s 9(2)(g)(ii)``, ``section 9(2)(g)(i) of the OIA``, ``Official Information
Act 1982, s 9(2)(a)``, ``ss 9(2)(i), 9(2)(j)``, or elided lists such as
``sections 9(2)(b), (ba), (i) & (j)``. :func:`parse_citation` turns any of these
into canonical ids (``6(c)``, ``9(2)(ba)``, ``9(2)(g)(i)``) and refuses text that
names no ground: labels such as ``Out of scope``, redaction markers, procedural
sections (``15A``, ``16(1)(e)``), sections of other Acts, and ids the Act does not
contain (``9(2)(z)``).

Whether an id exists is decided by the grounds data the policies use
(``data.oia.grounds.grounds``), never by a list kept here. The tokeniser works on
a short citation string, not on Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import ExitCode, InvalidInputError, PolicyError
from ..results import Violation, decision_document, parse_results

ACT = "Official Information Act 1982"

# One alternation, tried left to right at each position. Order matters: an Act
# name in brackets, "(OIA)", must win over an elided paragraph such as "(ba)".
_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<act>
          \(\s*(?:the\s+)?OIA\s*\)
        | (?:the\s+)?OIA\b
        | (?:the\s+)?Official\s+Information\s+Act(?:\s+(?P<year>\d{4}))?(?:\s*\(\s*NZ\s*\))?
        | the\s+Act\b
      )
    | (?P<marker>\[\s*(?:REDACTED|WITHHELD)\s*\])
    | (?P<ref>
          (?:(?:ss?|secs?|sections?)\b\.?\s*|(?:ss?|secs?)(?=\d))?
          (?P<number>\d+[A-Za-z]?)
          (?P<groups>(?:\s*\(\s*[0-9A-Za-z]+\s*\))*)
      )
    | (?P<prefix>(?:ss?|secs?|sections?)\b\.?)
    | (?P<elided>(?:\(\s*[0-9A-Za-z]{1,5}\s*\))+)
    | (?P<range>[-\u2013\u2014]|\bto\b)
    | (?P<joiner>,|;|&|/|\band\b|\bor\b|\bunder\b|\bof\b|\bthe\b|\bpursuant\s+to\b|\.)
    | (?P<word>[^\s,;&/()\[\]]+|.)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_GROUP = re.compile(r"\(\s*([0-9A-Za-z]+)\s*\)")


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    parts: tuple[str, ...] = ()


def _canonical_part(part: str) -> str:
    # Paragraph letters and roman numerals are lower case; subsection numbers
    # such as "1A" keep the statute's capital.
    return part.upper() if part[0].isdigit() else part.lower()


def _parts(number: str, groups: str) -> tuple[str, ...]:
    head = number[:-1] + number[-1].upper() if number[-1].isalpha() else number
    return (head, *(_canonical_part(g) for g in _GROUP.findall(groups)))


def format_id(parts: tuple[str, ...]) -> str:
    """Join ``("9", "2", "g", "i")`` into the canonical id ``9(2)(g)(i)``."""
    return parts[0] + "".join(f"({p})" for p in parts[1:])


def split_id(ground: str) -> tuple[str, ...]:
    """Split a canonical id such as ``9(2)(g)(i)`` into ``("9", "2", "g", "i")``."""
    match = re.fullmatch(r"(\d+[A-Z]?)((?:\([0-9A-Za-z]+\))*)", ground)
    if not match:
        raise ValueError(f"not a canonical ground id: {ground!r}")
    return _parts(match[1], match[2])


def ground_key(ground: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key putting ground ids in statutory order (6(c) < 9(2)(a) < 9(2)(g)(ii) < 18(d)).

    The one ordering of ground ids: the grounds data lists grounds and each parent's
    children in this order (a test checks every ground), and ranges are expanded by it.
    """
    head, *parts = ground.replace(")", "").split("(")
    digits = len(head) - len(head.lstrip("0123456789"))
    key: list[tuple[int, int | str]] = [(0, int(head[:digits] or 0)), (1, head[digits:])]
    previous_alpha = False
    for part in parts:
        if part.isdigit():
            key.append((0, int(part)))
        elif previous_alpha and part and set(part) <= set("ivxl"):
            key.append((0, _roman(part)))  # a sub-paragraph after a paragraph letter
        else:
            key.append((1, part))
        previous_alpha = part.isalpha()
    return tuple(key)


def _roman(text: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50}
    total = 0
    for i, ch in enumerate(text):
        value = values[ch]
        total += -value if i + 1 < len(text) and values[text[i + 1]] > value else value
    return total


def _tokens(text: str) -> Iterator[_Token]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "word"
        if match["act"] is not None:
            year = match["year"]
            yield _Token("act", match[0], (year,) if year else ())
        elif match["ref"] is not None:
            yield _Token("ref", match[0], _parts(match["number"], match["groups"] or ""))
        elif match["elided"] is not None:
            yield _Token("elided", match[0], tuple(_canonical_part(g) for g in _GROUP.findall(match[0])))
        elif kind != "space":
            yield _Token(kind, match[0])


@lru_cache(maxsize=4)
def _bundled_grounds(root: str) -> Mapping[str, Any]:
    from ..policyset import load_policy_set

    data = load_policy_set(root).data.get("oia.grounds", {})
    grounds = data.get("grounds") if isinstance(data, dict) else None
    if not isinstance(grounds, dict):
        from ..errors import PolicyLoadError

        raise PolicyLoadError("data.oia.grounds.grounds is missing", file=root)
    return grounds


def grounds_data(source: Any = None) -> Mapping[str, Any]:
    """The ground records keyed by canonical id, from the policies' own data.

    Args:
        source: None for the bundled policies; a policy directory; a loaded
            ``PolicySet``; an engine (anything with ``policy_set``); a mapping
            of id -> record, returned unchanged; or a collection of ids.

    Returns:
        ``data.oia.grounds.grounds``.

    Raises:
        PolicyLoadError: The policies hold no grounds data.
    """
    if isinstance(source, Mapping):
        return source
    if isinstance(source, Collection) and not isinstance(source, str | Path):
        return dict.fromkeys(source, {})
    policy_set = getattr(source, "policy_set", source)
    if hasattr(policy_set, "data"):
        data = policy_set.data.get("oia.grounds", {})
        grounds = data.get("grounds") if isinstance(data, dict) else None
        if not isinstance(grounds, dict):
            from ..errors import PolicyLoadError

            raise PolicyLoadError("data.oia.grounds.grounds is missing", file=str(policy_set.root))
        return grounds
    if source is None:
        from ..resources import policies_dir

        source = policies_dir()
    return _bundled_grounds(str(Path(source)))


def _siblings(anchor: tuple[str, ...], elided: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Readings of an elided reference such as ``(ba)`` after ``anchor``, most likely first.

    ``(ii)`` after ``9(2)(g)(i)`` is a sibling of the last part (``9(2)(g)(ii)``);
    ``(h)`` after ``9(2)(g)(i)`` can only be a sibling of an earlier part (``9(2)(h)``).
    """
    out = []
    for keep in range(len(anchor) - 1, 0, -1):
        out.append(anchor[:keep] + elided)
    return out


def _range(
    start: tuple[str, ...],
    end: tuple[str, ...],
    known: Mapping[str, Any] | None,
    text: str,
    file: str | None,
    location: str | None,
) -> list[tuple[str, ...]]:
    # A range is expanded only through the parent's children in the grounds data,
    # taken in statutory order (ground_key). A bare section ("11 to 9(2)(a)") has no
    # parent to take children from.
    if len(start) < 2 or len(end) < 2:
        raise InvalidInputError(
            f"cannot expand the range {format_id(start)} to {format_id(end)} in {text!r}; cite each ground",
            file=file,
            location=location,
        )
    parent = format_id(start[:-1])
    record = known.get(parent) if known is not None else None
    listed = record.get("children") or [] if isinstance(record, Mapping) else []
    children = sorted((c for c in listed if isinstance(c, str)), key=ground_key)
    first, last = format_id(start), format_id(end)
    if start[:-1] != end[:-1] or first not in children or last not in children:
        raise InvalidInputError(
            f"cannot expand the range {first} to {last} in {text!r}; cite each ground",
            file=file,
            location=location,
        )
    i, j = children.index(first), children.index(last)
    if j < i:
        raise InvalidInputError(f"the range {first} to {last} runs backwards", file=file, location=location)
    return [split_id(c) for c in children[i : j + 1]]


def split_citation(
    text: str,
    grounds: Collection[str] | Mapping[str, Any] | None = None,
    *,
    file: str | None = None,
    location: str | None = None,
) -> list[str]:
    """Normalise a citation to ids without checking that they exist.

    Args:
        text: The citation, e.g. ``sections 9(2)(b), (ba), (i) & (j)``.
        grounds: Known ids, used only to choose between readings of an elided
            reference and to expand ranges; None takes the first reading.
        file: File name for error messages.
        location: Line (or other location) for error messages.

    Returns:
        Canonical ids in citation order, without duplicates.

    Raises:
        InvalidInputError: The text is not a citation of the Official Information Act 1982.
    """
    known: Mapping[str, Any] | None = (
        grounds if grounds is None or isinstance(grounds, Mapping) else dict.fromkeys(grounds, {})
    )
    refs: list[tuple[str, ...]] = []
    pending_range = False

    def fail(message: str) -> InvalidInputError:
        return InvalidInputError(message, file=file, location=location)

    for token in _tokens(text):
        if token.kind == "word":
            if not any(t.kind == "ref" for t in _tokens(text)):
                raise fail(f"{text.strip()!r} names no ground of the {ACT}")
            raise fail(f"{token.text!r} is not part of a citation of the {ACT} (in {text!r})")
        if token.kind == "act":
            if token.parts and token.parts[0] != "1982":
                raise fail(f"the Official Information Act is the Act of 1982, not {token.parts[0]} (in {text!r})")
            continue
        if token.kind == "range":
            if not refs or pending_range:
                raise fail(f"a range needs a ground on each side (in {text!r})")
            pending_range = True
            continue
        if token.kind in ("ref", "elided"):
            if token.kind == "ref":
                ref = token.parts
            else:
                if not refs:
                    raise fail(f"{token.text.strip()} follows no section number (in {text!r})")
                readings = _siblings(refs[-1], token.parts)
                if not readings:
                    raise fail(f"{token.text.strip()} follows no section number (in {text!r})")
                ref = readings[0]
                if known is not None:
                    ref = next((r for r in readings if format_id(r) in known), ref)
            if pending_range:
                start = refs.pop()
                refs.extend(_range(start, ref, known, text, file, location))
                pending_range = False
            else:
                refs.append(ref)
        # prefixes, joiners and redaction markers carry no ground
    if pending_range:
        raise fail(f"a range needs a ground on each side (in {text!r})")
    if not refs:
        raise fail(f"{text.strip()!r} names no ground of the {ACT}")
    return list(dict.fromkeys(format_id(r) for r in refs))


def parse_citation(
    text: str,
    grounds: Any = None,
    *,
    file: str | None = None,
    location: str | None = None,
) -> list[str]:
    """Normalise a citation to canonical ground ids and check each exists.

    Args:
        text: The citation, e.g. ``s.6(c) OIA, s.9(2)(g)(i) OIA``.
        grounds: Where the known grounds come from (see :func:`grounds_data`);
            None means the bundled policies.
        file: File name for error messages.
        location: Line (or other location) for error messages.

    Returns:
        Canonical ids (``["6(c)", "9(2)(g)(i)"]``) in citation order, without duplicates.
        A parent such as ``9(2)(g)`` stays the parent.

    Raises:
        InvalidInputError: The text names no ground, or names something that is
            not a withholding or refusal ground of the Act (``UnknownGroundError``).
    """
    known = grounds_data(grounds)
    ids = split_citation(text, known, file=file, location=location)
    for ground in ids:
        if ground not in known:
            raise UnknownGroundError(ground, file=file, location=location)
    return ids


class UnknownGroundError(InvalidInputError):
    """A well-formed section reference that is not a ground of the Act (``15A``, ``9(2)(z)``)."""

    def __init__(self, ground: str, *, file: str | None = None, location: str | None = None):
        self.ground = ground
        super().__init__(f"{ground} is not a withholding or refusal ground of the {ACT}", file=file, location=location)


class Ground(BaseModel):
    """One ground of the Act, as the policies' data describes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="Canonical id, e.g. 9(2)(g)(i).")
    family: str = Field(description="s6, s7, s9, s10 or s18.")
    family_title: str = Field(description="What the family of grounds is, e.g. 'Conclusive reasons for withholding'.")
    use: str = Field(description="withhold (a passage may be withheld) or refuse (a request may be refused).")
    description: str = Field(description="The ground in the statute's words, as a decision letter gives it.")
    public_interest_test: bool = Field(description="Whether the s 9(1) public-interest test applies.")
    public_interest_condition: str | None = Field(
        default=None,
        description="A public-interest test of the ground's own that applies to some of its interests only, and "
        "which (s 27(1)(a): the interests in s 9(2)(b)); None for every other ground.",
    )
    parent: str | None = Field(default=None, description="The paragraph this sub-paragraph belongs to.")
    children: list[str] = Field(default_factory=list, description="Sub-paragraphs, for a parent.")


class GroundLookup(BaseModel):
    """The grounds one citation names, and what the grounds policy says about them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    input: str = Field(description="The citation as given.")
    grounds: list[Ground] = Field(description="The grounds it names, in citation order.")
    violations: list[Violation] = Field(
        default_factory=list, description="Results of the grounds policy that refuse the citation (effect deny)."
    )
    warnings: list[Violation] = Field(
        default_factory=list, description="Advice from the grounds policy (effect warn), e.g. a parent-only citation."
    )

    @property
    def exit_code(self) -> ExitCode:
        """OK when the grounds policy refused nothing, DENIED otherwise."""
        return ExitCode.DENIED if self.violations else ExitCode.OK


GROUNDS_DECISION = "oia.grounds.decision"
"""The decision that validates grounds and describes them (records and families)."""


def describe_citation(text: str, engine: Any) -> GroundLookup:
    """The grounds a citation names, each with family, description and public-interest test.

    Args:
        text: The citation, e.g. ``s.6(c) OIA, s.9(2)(g)(i) OIA``.
        engine: A loaded policy engine; its ``oia.grounds`` data and policy decide.

    Returns:
        The grounds, anything the policy refuses (``violations``, exit 1) and any
        warnings (e.g. a parent cited without its sub-paragraph).

    Raises:
        InvalidInputError: The text names no valid ground.
        PolicyError: The grounds policy failed or returned something unexpected.
    """
    return lookup_grounds(text, parse_citation(text, engine), engine)


def lookup_grounds(text: str, ids: list[str], engine: Any) -> GroundLookup:
    """Describe known ground ``ids`` (cited in ``text``) through the grounds policy; see :func:`describe_citation`."""
    # A lookup is not a redaction, so it is asked as a refusal (s 18(a) admits
    # every s 6, 7 and 9 ground): only unknown ids are denied.
    decision = decision_document(
        engine.evaluate(GROUNDS_DECISION, {"grounds": ids, "use": "refuse"}),
        query=GROUNDS_DECISION,
        keys=("grounds", "families", "deny", "warn"),
    )
    denies = parse_results(decision["deny"], query=GROUNDS_DECISION, what="deny", effect="deny")
    warns = parse_results(decision["warn"], query=GROUNDS_DECISION, what="warn", effect="warn")
    try:
        records, families = decision["grounds"], decision["families"]
        out = []
        for record in records:
            family = families[record["family"]]
            out.append(
                Ground(
                    id=record["id"],
                    family=record["family"],
                    family_title=family["title"],
                    use=family["use"],
                    description=record["description"],
                    public_interest_test=bool(record["public_interest_test"]),
                    public_interest_condition=_condition(record.get("public_interest_condition")),
                    parent=record.get("parent"),
                    children=list(record.get("children") or []),
                )
            )
    except (KeyError, TypeError, ValueError) as exc:
        raise PolicyError(f"{GROUNDS_DECISION} returned an unexpected document ({exc})") from None
    return GroundLookup(input=text, grounds=out, violations=denies, warnings=warns)


def _condition(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"public_interest_condition is {type(value).__name__}, not text")


__all__ = [
    "ACT",
    "GROUNDS_DECISION",
    "Ground",
    "GroundLookup",
    "UnknownGroundError",
    "describe_citation",
    "format_id",
    "grounds_data",
    "ground_key",
    "parse_citation",
    "split_citation",
    "split_id",
]
