"""The release manifest: one OIA request, its decision, and the documents it covers.

A manifest is YAML (or JSON) beside the marked-up originals it names. Citations
anywhere in it may be written as releases write them (``s 9(2)(a)``, ``section
6(c) of the OIA``); they are normalised to canonical ids on load. Whether a ground
exists, and whether it may be used as it is, is left to the release policy.
"""

from __future__ import annotations

import datetime as _dt
import re
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from ..errors import InvalidInputError
from .citations import split_citation
from .word._choices import ImportChoices

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
"""What a document id may be: lower case letters, digits and hyphens, starting with a letter or digit."""


def _normalise_citations(value: Any) -> Any:
    """Split each citation in a list (or one string) into canonical ids."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        return value  # let pydantic report the type
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            return value
        try:
            out.extend(split_citation(item))
        except InvalidInputError as exc:
            raise ValueError(exc.message) from None
    return list(dict.fromkeys(out))


def _normalise_one(value: str) -> str:
    try:
        ids = split_citation(value)
    except InvalidInputError as exc:
        raise ValueError(exc.message) from None
    if len(ids) != 1:
        raise ValueError(f"{value!r} names {len(ids)} provisions; give one")
    return ids[0]


Citations = Annotated[list[str], BeforeValidator(_normalise_citations)]
"""A list of canonical ground ids, accepting citations in any common form."""
Citation = Annotated[str, AfterValidator(_normalise_one)]
"""One canonical id, accepting a citation in any common form."""


class DocumentDecision(str, Enum):
    """What is done with one document."""

    RELEASED = "released"
    RELEASED_IN_PART = "released_in_part"
    WITHHELD_IN_FULL = "withheld_in_full"
    EXCERPTS = "excerpts"
    REFUSED = "refused"
    NEITHER_CONFIRM_NOR_DENY = "neither_confirm_nor_deny"

    @property
    def releases_text(self) -> bool:
        """Whether any of the document's text goes to the requester."""
        return self in (DocumentDecision.RELEASED, DocumentDecision.RELEASED_IN_PART, DocumentDecision.EXCERPTS)

    @property
    def confirms_existence(self) -> bool:
        """Whether the release may show that the document exists (every decision but s 10's)."""
        return self is not DocumentDecision.NEITHER_CONFIRM_NOR_DENY


class RequestKind(str, Enum):
    """Which part of the Act the request is made under."""

    OFFICIAL_INFORMATION = "official_information"
    PERSONAL_INFORMATION = "personal_information"


class Person(BaseModel):
    """Someone who signs or decides."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="Name as signed, e.g. 'Hon Poto Williams'.")
    title: str = Field(min_length=1, description="Office held, e.g. 'Minister of Police'.")


class Extension(BaseModel):
    """An extension of the time limit under s 15A."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    working_days: int = Field(ge=1, description="Length of the extension in working days, as the notice states it.")
    ground: Citation = Field(description="The reason in s 15A(1), e.g. 15A(1)(b).")
    notified: _dt.date | None = Field(
        default=None,
        description="Day notice of the extension was given or posted to the requester (within the original limit, "
        "s 15A(3)).",
    )
    reason: str | None = Field(
        default=None, description="The reason the notice gave, in words (s 15A(4)(b)); the letter repeats it."
    )
    complaint_right: bool = Field(
        default=False,
        description="Whether the notice told the requester of the right to complain to an Ombudsman about the "
        "extension (s 15A(4)(c), s 28(3)).",
    )


class Delay(BaseModel):
    """A decision made after its time limit (a deemed refusal, s 28(4)) that the requester agreed to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    agreed_on: _dt.date = Field(description="Day the requester agreed to receive the decision after the time limit.")
    reason: str = Field(min_length=1, description="Why the decision is late; the letter acknowledges the delay.")


class RequestPart(BaseModel):
    """A part of the request whose information is neither confirmed nor denied to exist (s 10)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    part: int = Field(ge=1, description="The item of request.sought (from 1) answered this way.")
    interests: Citations = Field(
        min_length=1,
        description="The interests in s 6, s 7 or s 9(2)(b) that disclosing whether the information exists would "
        "be likely to prejudice.",
    )


class Request(BaseModel):
    """The request and the decision on it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, description="The agency's reference, e.g. '2021-187'.")
    requester: str = Field(min_length=1, description="The requester's name as addressed.")
    contact: str | None = Field(default=None, description="Postal or email address for the letter.")
    agency: str = Field(min_length=1, description="The agency or Minister deciding the request.")
    kind: RequestKind = Field(
        default=RequestKind.OFFICIAL_INFORMATION,
        description="official_information (Part 2) or personal_information: a body corporate's request for "
        "personal information about itself (Part 4, s 24), answered under s 27.",
    )
    subject: str = Field(min_length=1, description="What the request is about, as the letter names it.")
    sought: list[str] = Field(min_length=1, description="The request's own words, quoted in the letter.")
    neither_confirm_nor_deny: list[RequestPart] = Field(
        default_factory=list,
        description="Parts of the request whose information is neither confirmed nor denied to exist (s 10).",
    )
    received: _dt.date = Field(description="Day the request was first received (day 0).")
    transferred: _dt.date | None = Field(
        default=None, description="Day this agency received the request on transfer under s 14."
    )
    transferred_from: str | None = Field(default=None, description="Who transferred it.")
    extension: Extension | None = Field(default=None, description="Extension of the time limit under s 15A.")
    delay: Delay | None = Field(
        default=None, description="A decision after its time limit that the requester agreed to (s 28(4))."
    )
    decided: _dt.date = Field(description="Day of the decision (the letter's date).")
    decision_maker: Person = Field(description="Who decided and signs the letter.")

    @model_validator(mode="after")
    def _dates_in_order(self) -> Request:
        if self.transferred is not None and self.transferred < self.received:
            raise ValueError("transferred is before received")
        start = self.transferred or self.received
        if self.decided < start:
            raise ValueError("decided is before the request was received")
        for item in self.neither_confirm_nor_deny:
            if item.part > len(self.sought):
                raise ValueError(
                    f"neither_confirm_nor_deny names part {item.part}, but the request has {len(self.sought)}"
                )
        return self


class Document(BaseModel):
    """One document within scope of the request."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str | None = Field(
        default=None,
        pattern=ID_PATTERN,
        description=(
            "Short key (lower case, digits, hyphens), used in file names; the file name stem, lower-cased, "
            "by default, which must then fit the same pattern."
        ),
    )
    path: Path | None = Field(
        default=None,
        description=(
            "The marked-up original (Markdown), a Word original (.docx) imported on the fly with its "
            "hidden-content audit (see word_import), or a PDF original (.pdf) with its marks, relative to the "
            "manifest; it must lie within the manifest's "
            "folder (or the originals root given to the release)."
        ),
    )
    marks: Path | None = Field(
        default=None,
        description=(
            "For a PDF original (a path ending .pdf): its marks file (YAML or JSON, as for `oia redact-pdf`), "
            "relative to the manifest and held to the same rules as the original (inside the manifest's folder or "
            "the originals root, a regular file). The release redacts the PDF by these marks; it is written as PDF "
            "only."
        ),
    )
    word_import: ImportChoices | None = Field(
        default=None,
        description=(
            "For a Word original: the decision on each kind of hidden content its audit finds (tracked_changes: "
            "accept or reject; show and omit: lists of kinds; show_hidden), as for `oia import`; the manifest's "
            "word_import when not given. A kind found without a decision stops the release."
        ),
    )
    title: str = Field(
        min_length=1,
        description="The document's title; the release shows it unless a public_description is given.",
    )
    public_description: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "What the release calls the document in place of its title (schedule, letter, release.json, the "
            "document's own title), for a title that would itself disclose withheld information, e.g. of a "
            "document withheld in full."
        ),
    )
    date: _dt.date = Field(description="The document's date.")
    reference: str | None = Field(default=None, description="The document's own reference, e.g. 'IPR/20/20PW'.")
    decision: DocumentDecision = Field(description="What is done with the document.")
    grounds: Citations = Field(
        default_factory=list,
        description=(
            "Grounds for the whole document (withheld in full, or refused under s 18); for a document neither "
            "confirmed nor denied (s 10), the interests in s 6, s 7 or s 9(2)(b) that disclosing its existence "
            "would be likely to prejudice."
        ),
    )
    prohibited_by: dict[Citation, str] = Field(
        default_factory=dict,
        description=(
            "For s 18(c): what making the information available would breach, by ground: the specified enactment "
            "(18(c)(i)) or the order or other basis of the contempt (18(c)(ii))."
        ),
    )
    public_interest: str | dict[Citation, str] | None = Field(
        default=None,
        description=(
            "The public-interest consideration (s 9(1) for s 9 grounds; s 27(1)(a), where the interest "
            "is one in s 9(2)(b)): one text for every such ground the document uses, or a text per ground."
        ),
    )
    attached_to: str | None = Field(default=None, description="The id of the document this is attached to.")
    note: str | None = Field(default=None, description="A note the letter adds after the document's title.")

    @model_validator(mode="after")
    def _source_when_released(self) -> Document:
        if self.decision.releases_text and self.path is None:
            decision = self.decision.value.replace("_", " ")
            raise ValueError(f"a document {decision} needs a path to its marked-up original")
        if self.id is None and self.path is None:
            raise ValueError("a document without a path needs an id")
        pdf = self.path is not None and self.path.suffix.lower() == ".pdf"
        if self.marks is not None and not pdf:
            raise ValueError("marks go with a PDF original (a path ending .pdf)")
        if pdf and self.decision is DocumentDecision.EXCERPTS:
            raise ValueError("a PDF original cannot be released as excerpts; release it in part with its marks")
        if pdf and self.decision.releases_text and self.marks is None:
            raise ValueError("a PDF original whose text is released needs marks: its marks file")
        if self.id is None and self.path is not None and not re.fullmatch(ID_PATTERN[1:-1], self.key):
            raise ValueError(
                f"the file name {self.path.name!r} does not make an id (lower case letters, digits and hyphens, "
                "starting with a letter or digit); give the document an id"
            )
        return self

    @property
    def key(self) -> str:
        """The document's id, or its file name stem."""
        if self.id:
            return self.id
        assert self.path is not None
        return self.path.stem.lower()

    @property
    def shown_title(self) -> str:
        """The title the release shows: the public description when there is one."""
        return self.public_description or self.title


class Statements(BaseModel):
    """The standard statements of the decision letter: true for the standard wording, text for your own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    public_interest: bool | str = Field(
        default=True, description="That the public interest was weighed where s 9 grounds are used (s 9(1))."
    )
    excerpts: bool | str = Field(
        default=True, description="That some information is given as excerpts under s 16(1)(e)."
    )
    deletions: bool | str = Field(
        default=True, description="That documents are released with information deleted, and why (s 17)."
    )
    ombudsman: bool | str = Field(
        default=True,
        description="The right to ask the Ombudsman to investigate and review the decision under s 28(3) (s 19(b)); "
        "your own text must say so.",
    )
    publication: bool | str = Field(
        default=False, description="That the agency may publish its response (true for the standard wording)."
    )

    def present(self, name: str) -> bool:
        """Whether the statement will appear in the letter."""
        value = getattr(self, name)
        return value is True or (isinstance(value, str) and bool(value.strip()))

    def own_text(self, name: str) -> str | None:
        """The manifest's own wording of a statement, or None (standard wording, or not made)."""
        value = getattr(self, name)
        return value.strip() if isinstance(value, str) and value.strip() else None


class Manner(BaseModel):
    """Why information is not given in the way the requester preferred (s 16(2), (3))."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    exception: Citation = Field(description="The exception in s 16(2) relied on, e.g. 16(2)(a).")
    reason: str = Field(min_length=1, description="The reason, in words, as the letter gives it (s 16(3)).")


class Letter(BaseModel):
    """Choices for the decision letter."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    letterhead: list[str] = Field(default_factory=list, description="Lines at the head of the letter.")
    salutation: str | None = Field(default=None, description="'Dear ...' line; 'Dear <requester>' by default.")
    grounds: Citations | None = Field(
        default=None,
        description="The grounds the letter gives as reasons; every ground the documents use by default.",
    )
    explanations: dict[Citation, str] = Field(
        default_factory=dict, description="A sentence per ground on how it applies in this case."
    )
    statements: Statements = Field(default_factory=Statements, description="The standard statements.")
    manner: Manner | None = Field(
        default=None,
        description="Why excerpts are given rather than the documents in the way the requester preferred "
        "(s 16(2), (3)); needed when any document is released as excerpts.",
    )
    closing: str = Field(
        default="I trust that this information will be of use to you.", description="The closing sentence."
    )
    sign_off: str = Field(default="Yours sincerely", description="The valediction.")


class Manifest(BaseModel):
    """An OIA release: the request, the decision, the documents and the letter."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    request: Request = Field(description="The request and its decision.")
    documents: list[Document] = Field(min_length=1, description="Every document within scope, in schedule order.")
    letter: Letter = Field(default_factory=Letter, description="Choices for the decision letter.")
    word_import: ImportChoices | None = Field(
        default=None,
        description="The hidden-content decisions for every Word original that gives none of its own (word_import).",
    )

    @model_validator(mode="after")
    def _references_resolve(self) -> Manifest:
        keys = [d.key for d in self.documents]
        seen: set[str] = set()
        for key in keys:
            if key in seen:
                raise ValueError(f"two documents have the id {key!r}")
            seen.add(key)
        for doc in self.documents:
            for ground in doc.prohibited_by:
                if ground not in ("18(c)(i)", "18(c)(ii)"):
                    raise ValueError(
                        f"document {doc.key!r}: prohibited_by names {ground}; it names what s 18(c)(i) or "
                        "18(c)(ii) rests on"
                    )
            if doc.attached_to is not None:
                if doc.attached_to not in seen:
                    raise ValueError(f"document {doc.key!r} is attached to {doc.attached_to!r}, which is not listed")
                if doc.attached_to == doc.key:
                    raise ValueError(f"document {doc.key!r} is attached to itself")
        return self


def load_manifest(path: Path | str) -> Manifest:
    """Read and validate a manifest.

    Raises:
        InvalidInputError: Unreadable, malformed, or does not fit the model (file, line and field named).
    """
    from ..inputs import load_model

    return load_model(Manifest, path)


__all__ = [
    "ID_PATTERN",
    "Delay",
    "Document",
    "DocumentDecision",
    "Extension",
    "Letter",
    "Manifest",
    "Manner",
    "Person",
    "Request",
    "RequestKind",
    "RequestPart",
    "Statements",
    "load_manifest",
]
