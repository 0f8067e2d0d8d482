"""The decision letter and schedule of documents: the typed context their templates render.

:func:`letter_context` builds a :class:`LetterContext` from the checked release, the
wording the release policy returned (ground descriptions, decision labels) and the
redacted documents; the templates read its fields by name.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import PolicyError
from ._release_check import ENTRYPOINT, S10_REASONS, doc_grounds, in_statute_order, letter_grounds, s10_interests
from .manifest import Document, DocumentDecision

if TYPE_CHECKING:
    from ._release_check import DeadlineStatus, Prepared

LETTER_TEMPLATE = "oia_letter.md.j2"
SCHEDULE_TEMPLATE = "oia_schedule.md.j2"

_NUMBER_WORDS = [
    "no",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]


_FROZEN = ConfigDict(extra="forbid", frozen=True)


class LetterExtension(BaseModel):
    """The extension of the time limit as the letter states it (s 15A)."""

    model_config = _FROZEN

    working_days: int = Field(description="Length of the extension in working days.")
    ground: str = Field(description="The reason in s 15A(1), e.g. 15A(1)(b).")
    reason: str | None = Field(default=None, description="The reason given to the requester, in words.")
    notified: _dt.date | None = Field(default=None, description="Day notice of the extension was given.")


class LetterDelay(BaseModel):
    """A decision after its time limit that the requester agreed to, as the letter acknowledges it (s 28(4))."""

    model_config = _FROZEN

    due: _dt.date = Field(description="The time limit the decision missed.")
    agreed_on: _dt.date = Field(description="Day the requester agreed to the later decision.")
    reason: str = Field(description="Why the decision is late.")


class LetterManner(BaseModel):
    """Why information is given as excerpts rather than as the requester preferred (s 16(2), (3))."""

    model_config = _FROZEN

    exception: str = Field(description="The exception in s 16(2) relied on.")
    reason: str = Field(description="The reason, in words.")


class LetterRequest(BaseModel):
    """The request as the letter and schedule name it."""

    model_config = _FROZEN

    id: str = Field(description="The agency's reference.")
    requester: str = Field(description="The requester's name as addressed.")
    contact: str | None = Field(description="Postal or email address for the letter.")
    agency: str = Field(description="The agency or Minister deciding the request.")
    subject: str = Field(description="What the request is about.")
    sought: list[str] = Field(description="The request's own words.")
    received: _dt.date = Field(description="Day the request was first received.")
    transferred: _dt.date | None = Field(description="Day it was received on transfer (s 14).")
    transferred_from: str | None = Field(description="Who transferred it.")
    decided: _dt.date = Field(description="Day of the decision (the letter's date).")
    extension: LetterExtension | None = Field(description="The extension of the time limit, if any.")


class DecisionMaker(BaseModel):
    """Who decided and signs the letter."""

    model_config = _FROZEN

    name: str = Field(description="Name as signed.")
    title: str = Field(description="Office held.")


class ScheduleEntry(BaseModel):
    """One document as the letter lists it and the schedule shows it."""

    model_config = _FROZEN

    number: int = Field(description="The document's number in the schedule (from 1).")
    id: str = Field(description="The document's key.")
    title: str = Field(description="The title the release shows.")
    date: _dt.date = Field(description="The document's date.")
    reference: str | None = Field(description="The document's own reference.")
    decision: str = Field(description="The decision's value.")
    decision_label: str = Field(description="The decision as the schedule words it.")
    grounds: list[str] = Field(description="Every ground the document relies on, in statutory order.")
    sections: str = Field(description="The grounds as a phrase ('sections 6(c) and 9(2)(a)').")
    note: str | None = Field(description="A note the letter adds after the title.")
    attachment_notes: list[str] = Field(description="One note per document attached to this one.")
    withheld: int = Field(description="How many passages are withheld from it.")


class LetterGround(BaseModel):
    """A withholding ground the letter states (s 19(a))."""

    model_config = _FROZEN

    id: str = Field(description="The ground's canonical id.")
    description: str = Field(description="The statute's wording, completing 'section <id>: ...'.")
    explanation: str | None = Field(description="The manifest's explanation of its use, if any.")


class LetterInterest(BaseModel):
    """An interest a neither-confirm-nor-deny answer protects (s 10), as the letter states it."""

    model_config = _FROZEN

    id: str = Field(description="The ground whose interest it is (s 6, s 7 or s 9(2)(b)).")
    effect: str = Field(
        description="What confirming or denying would do, with the section, completing 'Confirming whether or not "
        "such information exists ...', e.g. 'would be likely to endanger the safety of any person (section 6(d) of "
        "the OIA)'."
    )


# The part of a ground's description that says what making the information available
# would do: s 6 and s 7 "the making available of that information would be likely to ...",
# s 9(2)(b) "... where the making available of the information would disclose ...".
_EFFECT = re.compile(r"\bmaking available of (?:that|the) information (would\b.*)\Z", re.DOTALL)


def _s10_effect(ground: str, description: str) -> str:
    """What confirming that information exists would do to the interest of ``ground``, with its section."""
    found = _EFFECT.search(description)
    if found is not None:
        return f"{found.group(1)} (section {ground} of the OIA)"
    return f"would be likely to prejudice the interest protected by section {ground} of the OIA ({description})"


class NeitherConfirmNorDeny(BaseModel):
    """The letter's s 10 statement: what it covers and the interests it protects, and nothing else.

    It names no document, date, number or count: saying what was not confirmed would confirm it.
    """

    model_config = _FROZEN

    parts: list[int] = Field(description="The parts of the request (from 1) answered this way.")
    rest: bool = Field(
        description="Whether the answer also covers the rest of the request (documents neither confirmed nor denied)."
    )
    interests: list[LetterInterest] = Field(description="The interests in s 6, s 7 or s 9(2)(b) it protects.")


class LetterStatements(BaseModel):
    """The standard statements: 'standard', the manifest's own text, or None when not made.

    The Ombudsman and publication statements are always the text itself (the standard
    wording comes from the release policy's data, which also checks the Ombudsman's).
    """

    model_config = _FROZEN

    public_interest: str | None = Field(description="The s 9(1) public-interest statement.")
    excerpts: str | None = Field(description="The s 16(1)(e) excerpts statement.")
    deletions: str | None = Field(default=None, description="The s 17 statement that information was deleted.")
    ombudsman: str | None = Field(description="The s 28(3) right to complain to the Ombudsman, as the letter says it.")
    publication: str | None = Field(default=None, description="That the response may be published.")


class LetterContext(BaseModel):
    """Everything the decision letter and schedule templates render."""

    model_config = _FROZEN

    request: LetterRequest = Field(description="The request.")
    decision_maker: DecisionMaker = Field(description="Who decided and signs.")
    letterhead: list[str] = Field(description="Lines at the head of the letter.")
    salutation: str = Field(description="The 'Dear ...' line.")
    enclosed: list[ScheduleEntry] = Field(description="Documents released in full or in part, attachments aside.")
    enclosed_count: str = Field(description="How many are enclosed, in words.")
    withheld: list[ScheduleEntry] = Field(description="Documents withheld in full, attachments aside.")
    refused: list[ScheduleEntry] = Field(description="Documents whose request is refused, attachments aside.")
    excerpts: list[ScheduleEntry] = Field(description="Documents released as excerpts (s 16(1)(e)).")
    excerpts_count: str = Field(description="How many are released as excerpts, in words.")
    excerpt_sections: str = Field(description="The grounds withheld from the excerpts, as a phrase.")
    grounds: list[LetterGround] = Field(description="The withholding grounds the letter states, in its order.")
    s9_used: bool = Field(description="Whether a stated ground is subject to the public interest test.")
    deletions: bool = Field(default=False, description="Whether a document is released with information deleted.")
    neither_confirm_nor_deny: NeitherConfirmNorDeny | None = Field(
        default=None, description="The s 10 statement, when any information is neither confirmed nor denied."
    )
    delay: LetterDelay | None = Field(default=None, description="The acknowledgement of a late decision.")
    manner: LetterManner | None = Field(default=None, description="Why excerpts are given (s 16(3)).")
    statements: LetterStatements = Field(description="The standard statements.")
    closing: str = Field(description="The closing paragraph.")
    sign_off: str = Field(description="The valediction.")
    schedule: list[ScheduleEntry] = Field(description="Every document, in schedule order.")

    def template_values(self) -> dict[str, Any]:
        """The top-level fields by name, for a template (nested values stay models)."""
        return {name: getattr(self, name) for name in type(self).model_fields}


class Wording:
    """What the release policy returns for the letter and schedule (``grounds``, ``decision_labels``)."""

    def __init__(self, decision: dict[str, Any]):
        grounds, labels = decision.get("grounds"), decision.get("decision_labels")
        if not isinstance(grounds, dict) or not isinstance(labels, dict):
            raise PolicyError(f"{ENTRYPOINT} did not return grounds and decision_labels")
        self.descriptions: dict[str, str] = {}
        self.public_interest: dict[str, bool] = {}
        for ground, record in grounds.items():
            description = record.get("description") if isinstance(record, dict) else None
            test = record.get("public_interest_test") if isinstance(record, dict) else None
            if not isinstance(description, str) or not isinstance(test, bool):
                raise PolicyError(f"{ENTRYPOINT} returned a malformed record of the ground {ground}")
            self.descriptions[ground] = description
            self.public_interest[ground] = test
        if not all(isinstance(label, str) for label in labels.values()):
            raise PolicyError(f"{ENTRYPOINT} returned a decision label that is not text")
        self.labels: dict[str, str] = dict(labels)
        standard = decision.get("statements")
        if not isinstance(standard, dict) or not all(isinstance(text, str) for text in standard.values()):
            raise PolicyError(f"{ENTRYPOINT} did not return the standard statements")
        self.standard: dict[str, str] = dict(standard)

    def statement(self, name: str, value: bool | str) -> str | None:
        """A statement's text: the standard wording for true, the manifest's own text, or None."""
        if value is True:
            text = self.standard.get(name)
            if text is None:
                raise PolicyError(f"{ENTRYPOINT} returned no standard wording for the {name} statement")
            return text
        if isinstance(value, str) and value.strip():
            return value.strip()
        return None


def _sections(ids: list[str]) -> str:
    """'section 6(c)', 'sections 6(c) and 9(2)(a)', 'sections 6(c), 9(2)(a) and 9(2)(g)(i)'."""
    if not ids:
        return ""
    if len(ids) == 1:
        return f"section {ids[0]}"
    return f"sections {', '.join(ids[:-1])} and {ids[-1]}"


def _count_words(n: int) -> str:
    return _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)


def _statement(value: bool | str) -> str | None:
    if value is True:
        return "standard"
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _ground_explanation(prepared: Prepared, ground: str, explanation: str | None) -> str | None:
    """The manifest's explanation of a ground, with the enactments or orders a s 18(c) ground rests on."""
    named = list(
        dict.fromkeys(
            text.strip()
            for doc in prepared.shown
            for g, text in doc.prohibited_by.items()
            if g == ground and text.strip()
        )
    )
    if not named:
        return explanation
    what = "enactment" if ground == "18(c)(i)" else "order"
    plural = "s" if len(named) > 1 else ""
    sentence = f"The {what}{plural} concerned: {'; '.join(named)}."
    return f"{sentence} {explanation}" if explanation else sentence


def _attachment_note(doc: Document, grounds: list[str]) -> str:
    if doc.note:
        return doc.note
    if doc.decision is DocumentDecision.WITHHELD_IN_FULL:
        return f"{doc.shown_title} attached to it has been withheld in full under {_sections(grounds)} of the OIA"
    if doc.decision is DocumentDecision.REFUSED:
        return f"the request for {doc.shown_title} attached to it is refused under {_sections(grounds)} of the OIA"
    return f"{doc.shown_title} attached to it is also enclosed"


def letter_context(
    prepared: Prepared, wording: Wording, redacted: dict[str, Any], deadline: DeadlineStatus
) -> LetterContext:
    """The letter's and schedule's context for a checked release and its redacted documents.

    ``deadline`` is the checked release's status: a late decision is acknowledged
    against the limit that bound it (the extended one only when the extension had effect).
    """
    manifest = prepared.manifest
    request = manifest.request
    labels = wording.labels
    shown = prepared.shown  # a document neither confirmed nor denied (s 10) appears nowhere
    attachments: dict[str, list[Document]] = {}
    for doc in shown:
        if doc.attached_to:
            attachments.setdefault(doc.attached_to, []).append(doc)

    def entry(doc: Document) -> dict[str, Any]:
        grounds = doc_grounds(prepared, doc)
        red = redacted.get(doc.key)
        return {
            "number": prepared.numbers[doc.key],
            "id": doc.key,
            "title": doc.shown_title,
            "date": doc.date,
            "reference": doc.reference,
            "decision": doc.decision.value,
            "decision_label": labels.get(doc.decision.value, doc.decision.value),
            "grounds": grounds,
            "sections": _sections(grounds),
            "note": doc.note,
            "attachment_notes": [_attachment_note(a, doc_grounds(prepared, a)) for a in attachments.get(doc.key, [])],
            "withheld": red.withheld if red is not None else 0,
        }

    top = [doc for doc in shown if not doc.attached_to]
    enclosed = [entry(d) for d in top if d.decision in (DocumentDecision.RELEASED, DocumentDecision.RELEASED_IN_PART)]
    withheld = [entry(d) for d in top if d.decision is DocumentDecision.WITHHELD_IN_FULL]
    refused = [entry(d) for d in top if d.decision is DocumentDecision.REFUSED]
    excerpts = [entry(d) for d in shown if d.decision is DocumentDecision.EXCERPTS]
    stated = letter_grounds(prepared)
    explanations = manifest.letter.explanations
    excerpt_grounds: set[str] = set()
    for d in shown:
        if d.decision is DocumentDecision.EXCERPTS:
            excerpt_grounds.update(doc_grounds(prepared, d))
    withholding = [g for g in stated if g in wording.descriptions and g not in S10_REASONS]
    s9 = any(wording.public_interest[g] for g in withholding)
    statements = manifest.letter.statements
    deleted = any(d.decision is DocumentDecision.RELEASED_IN_PART for d in shown)
    interests = s10_interests(prepared)
    hidden_documents = len(shown) < len(manifest.documents)
    ncnd = None
    if interests or request.neither_confirm_nor_deny:
        ncnd = {
            "parts": sorted({item.part for item in request.neither_confirm_nor_deny}),
            "rest": hidden_documents,
            "interests": [
                {"id": g, "effect": _s10_effect(g, wording.descriptions[g])}
                for g in interests
                if g in wording.descriptions
            ],
        }
    delay = None
    if request.delay is not None:
        delay = {"due": deadline.final_due, "agreed_on": request.delay.agreed_on, "reason": request.delay.reason}
    manner = manifest.letter.manner
    values = {
        "request": {
            "id": request.id,
            "requester": request.requester,
            "contact": request.contact,
            "agency": request.agency,
            "subject": request.subject,
            "sought": request.sought,
            "received": request.received,
            "transferred": request.transferred,
            "transferred_from": request.transferred_from,
            "decided": request.decided,
            "extension": None
            if request.extension is None
            else {
                "working_days": request.extension.working_days,
                "ground": request.extension.ground,
                "reason": request.extension.reason,
                "notified": request.extension.notified,
            },
        },
        "decision_maker": {"name": request.decision_maker.name, "title": request.decision_maker.title},
        "letterhead": manifest.letter.letterhead,
        "salutation": manifest.letter.salutation or f"Dear {request.requester}",
        "enclosed": enclosed,
        "enclosed_count": _count_words(len(enclosed)),
        "withheld": withheld,
        "refused": refused,
        "excerpts": excerpts,
        "excerpts_count": _count_words(len(excerpts)),
        "excerpt_sections": _sections(in_statute_order(excerpt_grounds)),
        "grounds": [
            {
                "id": g,
                "description": wording.descriptions[g],
                "explanation": _ground_explanation(prepared, g, explanations.get(g)),
            }
            for g in withholding
        ],
        "s9_used": s9,
        "deletions": deleted,
        "neither_confirm_nor_deny": ncnd,
        "delay": delay,
        "manner": None if manner is None else {"exception": manner.exception, "reason": manner.reason},
        "statements": {
            "public_interest": _statement(statements.public_interest) if s9 else None,
            "excerpts": _statement(statements.excerpts) if excerpts else None,
            "deletions": _statement(statements.deletions) if deleted else None,
            "ombudsman": wording.statement("ombudsman", statements.ombudsman),
            "publication": wording.statement("publication", statements.publication),
        },
        "closing": manifest.letter.closing,
        "sign_off": manifest.letter.sign_off,
        "schedule": [entry(d) for d in shown],
    }
    return LetterContext.model_validate(values)


def excerpts_markdown(context: LetterContext, redacted: dict[str, Any]) -> str:
    """The excerpts released under s 16(1)(e), as one Markdown document."""
    from ..render import md_escape, nzdate

    parts = [f"# Excerpts relating to {md_escape(context.request.subject)}\n"]
    for item in context.excerpts:
        ref = f"{md_escape(item.reference)} " if item.reference else ""
        parts.append(f"## Excerpt from {ref}{md_escape(item.title)} (dated {nzdate(item.date)})\n")
        parts.append(redacted[item.id].markdown.rstrip("\n") + "\n")
    return "\n".join(parts)


__all__ = [
    "LETTER_TEMPLATE",
    "SCHEDULE_TEMPLATE",
    "DecisionMaker",
    "LetterContext",
    "LetterDelay",
    "LetterExtension",
    "LetterManner",
    "LetterGround",
    "LetterRequest",
    "LetterStatements",
    "NeitherConfirmNorDeny",
    "ScheduleEntry",
    "letter_context",
]
