"""The Privacy Impact Assessment as data, following the Privacy Commissioner's PIA toolkit.

Sections, in the toolkit's order: project description and scope, threshold
assessment, information flows, analysis against the 13 information privacy
principles, risks and mitigations, recommendations and the action plan,
consultation, the review schedule, and sign-off. Lists are kept sorted by id so
that stored revisions and their diffs are stable.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..canonical import canonical_bytes
from ..validation import AgencyId, Category, Purpose
from .validation import (
    ActionId,
    ConsultationId,
    FlowId,
    Ipp,
    MitigationId,
    RecommendationId,
    RiskId,
    ThresholdQuestionId,
    check_deprecation,
    duplicate_ids,
    require_unique_ids,
    sort_by_id,
    sorted_unique,
)

SCHEMA_VERSION = 1
"""The version of this model; stored in every PIA file as ``schema_version``."""

Text = str
Scale = int


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Frequency(str, Enum):
    """How often a flow happens."""

    PER_REFERRAL = "per_referral"
    AD_HOC = "ad_hoc"
    DAILY = "daily"
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


class IppStatus(str, Enum):
    """The finding for one principle."""

    COMPLIANT = "compliant"
    PARTIALLY_COMPLIANT = "partially_compliant"
    NOT_COMPLIANT = "not_compliant"
    NOT_APPLICABLE = "not_applicable"


class MitigationStatus(str, Enum):
    """Where a mitigation stands."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"


class ActionStatus(str, Enum):
    """Where an action-plan item stands."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DEFERRED = "deferred"
    CANCELLED = "cancelled"


class Response(str, Enum):
    """The programme's response to a recommendation."""

    ACCEPTED = "accepted"
    ACCEPTED_IN_PART = "accepted_in_part"
    DECLINED = "declined"
    PENDING = "pending"


class Versioned(_Record):
    """Fields that date an entry against the PIA's revision numbers."""

    version_added: int | None = Field(default=None, ge=1, description="The PIA revision that introduced this entry.")
    version_deprecated: int | None = Field(
        default=None, ge=1, description="The PIA revision from which this entry no longer applies."
    )
    replaced_by: str | None = Field(default=None, description="Id of the entry that replaces this one.")

    @model_validator(mode="after")
    def _deprecation(self) -> Versioned:
        check_deprecation(self.version_added, self.version_deprecated, self.replaced_by)
        return self

    @property
    def active(self) -> bool:
        """True unless the entry has been deprecated."""
        return self.version_deprecated is None


# -- project description ------------------------------------------------------


class Agency(_Record):
    """An agency taking part in the programme."""

    id: AgencyId = Field(
        description="Agency id: police, health, msd, education, oranga_tamariki, nzsis or community:<slug>."
    )
    name: Text = Field(min_length=1, description="The agency's name.")
    role: Text = Field(min_length=1, description="What the agency does in the programme.")
    health_agency: bool = Field(
        default=False,
        description="True when the agency is a health agency bound by the Health Information Privacy Code 2020.",
    )
    child_welfare_agency: bool = Field(
        default=False,
        description="True when it is a child welfare and protection agency (Oranga Tamariki Act 1989 s 2(1)).",
    )
    family_violence_agency: bool = Field(
        default=False, description="True when it is a family violence agency (Family Violence Act 2018)."
    )


class Scope(_Record):
    """What the assessment covers and what it leaves out."""

    in_scope: list[Text] = Field(min_length=1, description="Activities and information the PIA covers.")
    out_of_scope: list[Text] = Field(
        default_factory=list, description="Matters deliberately left out, with where they are covered."
    )


class Project(_Record):
    """Project description: the toolkit's first section."""

    name: Text = Field(min_length=1, description="The programme's name.")
    lead_agency: AgencyId = Field(description="The agency accountable for the programme and this PIA.")
    summary: Text = Field(min_length=1, description="What the programme does, in a paragraph.")
    background: Text = Field(default="", description="How the programme came about.")
    objectives: list[Text] = Field(min_length=1, description="What the programme is meant to achieve.")
    scope: Scope = Field(description="Scope of the assessment.")
    agencies: list[Agency] = Field(min_length=1, description="The agencies that share information.")
    prepared_by: Text = Field(min_length=1, description="Who prepared the assessment (role, not only a name).")
    related_documents: list[Text] = Field(
        default_factory=list, description="Operating protocol, agreements and other documents the PIA relies on."
    )

    @field_validator("agencies")
    @classmethod
    def _agencies(cls, value: list[Agency]) -> list[Agency]:
        require_unique_ids(value, "agency")
        return sort_by_id(value)


# -- threshold assessment -----------------------------------------------------


class ThresholdQuestion(_Record):
    """One question of the threshold assessment."""

    id: ThresholdQuestionId = Field(description="Question id, T01...")
    question: Text = Field(min_length=1, description="The question asked.")
    answer: bool = Field(description="Yes (true) or no (false).")
    notes: Text = Field(default="", description="Why the answer is what it is.")


class Threshold(_Record):
    """Threshold assessment: is a full PIA needed?"""

    questions: list[ThresholdQuestion] = Field(min_length=1, description="The threshold questions and answers.")
    full_pia_required: bool = Field(description="The conclusion: a full PIA is required.")
    rationale: Text = Field(min_length=1, description="Why, in a sentence or two.")

    @field_validator("questions")
    @classmethod
    def _questions(cls, value: list[ThresholdQuestion]) -> list[ThresholdQuestion]:
        require_unique_ids(value, "threshold question")
        return sort_by_id(value)


# -- information flows --------------------------------------------------------


class Overseas(_Record):
    """Where a flow leaves New Zealand."""

    country: Text = Field(min_length=1, description="Country the information goes to or is stored in.")
    recipient: Text = Field(min_length=1, description="Who receives or stores it there.")
    storage_only: bool = Field(
        default=False,
        description="True when the recipient only stores or processes it on the discloser's behalf "
        "(Privacy Act 2020 s 11: not a disclosure, so IPP 12 is not engaged).",
    )
    ipp12_basis: Text | None = Field(
        default=None, description="The IPP 12(1) limb relied on, e.g. 'Privacy Act 2020 s22 IPP 12(1)(f)'."
    )
    safeguards: Text = Field(default="", description="Contractual and technical safeguards.")


class Flow(Versioned):
    """One information flow between agencies."""

    id: FlowId = Field(description="Flow id, F01...")
    name: Text = Field(min_length=1, description="Short name of the flow.")
    description: Text = Field(min_length=1, description="What is shared, when and why.")
    from_agency: AgencyId = Field(description="The disclosing agency.")
    to_agency: AgencyId = Field(description="The receiving agency.")
    categories: list[Category] = Field(min_length=1, description="Information categories carried.")
    purposes: list[Purpose] = Field(min_length=1, description="Purposes the flow serves.")
    legal_basis: list[Text] = Field(description="Citations of the law authorising the disclosure.")
    frequency: Frequency = Field(description="How often the flow happens.")
    retention: Text = Field(min_length=1, description="How long the recipient keeps it, and what then happens.")
    security: Text = Field(min_length=1, description="How it is transmitted and protected.")
    overseas: Overseas | None = Field(default=None, description="Set when the information leaves New Zealand.")

    @field_validator("categories", "purposes", "legal_basis")
    @classmethod
    def _sorted(cls, value: list[Any]) -> list[Any]:
        return sorted_unique(value)

    @model_validator(mode="after")
    def _distinct_agencies(self) -> Flow:
        if self.from_agency == self.to_agency:
            raise ValueError(f"flow {self.id} goes from {self.from_agency} to itself")
        return self


# -- privacy principles -------------------------------------------------------


class IppFinding(_Record):
    """The analysis against one information privacy principle."""

    ipp: Ipp = Field(description="The principle, IPP1 to IPP13.")
    finding: Text = Field(min_length=1, description="How the programme meets (or does not meet) the principle.")
    status: IppStatus = Field(description="The conclusion.")
    evidence: list[Text] = Field(
        default_factory=list, description="Documents, controls or practice that support the finding."
    )
    risks: list[RiskId] = Field(default_factory=list, description="Risks this principle gives rise to.")

    @field_validator("risks")
    @classmethod
    def _sorted(cls, value: list[str]) -> list[str]:
        return sorted_unique(value)


# -- risks --------------------------------------------------------------------


class Mitigation(_Record):
    """A control that reduces a risk."""

    id: MitigationId = Field(description="Mitigation id, M01..., unique across the PIA.")
    description: Text = Field(min_length=1, description="What is done.")
    owner: Text | None = Field(default=None, description="Who is accountable for it.")
    due: date | None = Field(default=None, description="When it is to be in place.")
    status: MitigationStatus = Field(default=MitigationStatus.PLANNED, description="Where it stands.")


class Risk(Versioned):
    """A privacy risk, rated before and after mitigation on 1-4 scales."""

    id: RiskId = Field(description="Risk id, R01...")
    title: Text = Field(min_length=1, description="The risk in a few words.")
    description: Text = Field(min_length=1, description="What could go wrong, for whom.")
    ipps: list[Ipp] = Field(min_length=1, description="Principles affected.")
    owner: Text = Field(min_length=1, description="Who owns the risk.")
    likelihood: Scale = Field(ge=1, le=4, description="Inherent likelihood: 1 rare, 2 unlikely, 3 possible, 4 likely.")
    consequence: Scale = Field(ge=1, le=4, description="Inherent consequence: 1 minor, 2 moderate, 3 major, 4 severe.")
    mitigations: list[Mitigation] = Field(default_factory=list, description="Controls that reduce the risk.")
    residual_likelihood: Scale = Field(ge=1, le=4, description="Likelihood once the mitigations are in place.")
    residual_consequence: Scale = Field(ge=1, le=4, description="Consequence once the mitigations are in place.")

    @field_validator("ipps")
    @classmethod
    def _ipps(cls, value: list[Ipp]) -> list[Ipp]:
        return sorted_unique(value)

    @field_validator("mitigations")
    @classmethod
    def _mitigations(cls, value: list[Mitigation]) -> list[Mitigation]:
        require_unique_ids(value, "mitigation")
        return sort_by_id(value)


# -- recommendations, actions, consultation, review, sign-off ----------------


class Recommendation(_Record):
    """A recommendation of the assessment."""

    id: RecommendationId = Field(description="Recommendation id, REC01...")
    recommendation: Text = Field(min_length=1, description="What is recommended.")
    risks: list[RiskId] = Field(default_factory=list, description="Risks it addresses.")
    response: Response = Field(default=Response.PENDING, description="The programme's response.")

    @field_validator("risks")
    @classmethod
    def _sorted(cls, value: list[str]) -> list[str]:
        return sorted_unique(value)


class Action(_Record):
    """An item of the action plan."""

    id: ActionId = Field(description="Action id, A01...")
    action: Text = Field(min_length=1, description="What is to be done.")
    owner: Text = Field(min_length=1, description="Who does it.")
    due: date = Field(description="When it is due.")
    status: ActionStatus | None = Field(
        default=None, description="Where it stands; required once the due date has passed."
    )
    recommendation: RecommendationId | None = Field(default=None, description="The recommendation it implements.")
    notes: Text = Field(default="", description="Progress notes.")


class Consultation(_Record):
    """One consultation with a stakeholder."""

    id: ConsultationId = Field(description="Consultation id, C01...")
    who: Text = Field(min_length=1, description="Who was consulted.")
    when: date = Field(description="When.")
    method: Text = Field(default="", description="How (meeting, written comment, workshop).")
    outcome: Text = Field(min_length=1, description="What they said and what changed as a result.")


class ReviewSchedule(_Record):
    """When the assessment is reviewed."""

    frequency_months: int = Field(ge=1, le=36, description="Months between scheduled reviews.")
    last_review: date | None = Field(default=None, description="When it was last reviewed.")
    next_review: date = Field(description="When the next review is due.")
    triggers: list[Text] = Field(default_factory=list, description="Events that bring a review forward.")


class SignOff(_Record):
    """An approval, bound to the content it approved."""

    by: Text = Field(min_length=1, description="Who signed off.")
    role: Text = Field(min_length=1, description="Their role.")
    at: datetime = Field(description="When (ISO 8601, with time zone).")
    content_hash: str = Field(pattern=r"^sha256:[0-9a-f]{64}$", description="Content hash of the PIA as approved.")
    revision: int | None = Field(default=None, ge=1, description="The stored revision that was approved.")


class Pia(_Record):
    """A Privacy Impact Assessment."""

    schema_version: Literal[1] = Field(description="Version of the PIA data model.")
    id: str = Field(pattern=r"^[A-Z][A-Z0-9-]{1,40}$", description="Stable identifier, e.g. MACIP-PIA.")
    title: Text = Field(min_length=1, description="Title of the assessment.")
    based_on_revision: int = Field(
        default=0, ge=0, description="The stored revision this working copy was last saved as (0: none yet)."
    )
    project: Project = Field(description="Project description and scope.")
    threshold: Threshold = Field(description="Threshold assessment.")
    flows: list[Flow] = Field(min_length=1, description="Information flows.")
    ipp_analysis: list[IppFinding] = Field(description="Analysis against each information privacy principle.")
    risks: list[Risk] = Field(description="Privacy risks and their mitigations.")
    recommendations: list[Recommendation] = Field(default_factory=list, description="Recommendations.")
    actions: list[Action] = Field(default_factory=list, description="The action plan.")
    consultation: list[Consultation] = Field(default_factory=list, description="Consultation undertaken.")
    review: ReviewSchedule = Field(description="The review schedule.")
    signoffs: list[SignOff] = Field(default_factory=list, description="Approvals, oldest first.")

    @field_validator("flows", "risks", "recommendations", "actions", "consultation")
    @classmethod
    def _unique_sorted(cls, value: list[Any]) -> list[Any]:
        require_unique_ids(value, "entry")
        return sort_by_id(value)

    @field_validator("ipp_analysis")
    @classmethod
    def _ipp_sorted(cls, value: list[IppFinding]) -> list[IppFinding]:
        dupes = duplicate_ids(f.ipp.value for f in value)
        if dupes:
            raise ValueError(f"principle analysed twice: {', '.join(dupes)}")
        return sorted(value, key=lambda f: int(f.ipp.value[3:]))

    @field_validator("signoffs")
    @classmethod
    def _signoffs_in_time_order(cls, value: list[SignOff]) -> list[SignOff]:
        return sorted(value, key=lambda s: s.at)

    @model_validator(mode="after")
    def _mitigation_ids_unique(self) -> Pia:
        dupes = duplicate_ids(m.id for r in self.risks for m in r.mitigations)
        if dupes:
            raise ValueError(f"duplicate mitigation id(s) across risks: {', '.join(dupes)}")
        return self

    def content(self) -> dict[str, Any]:
        """The assessment's content: everything except sign-offs and the working-copy base.

        Fields left at their default are omitted, so adding an optional field to the
        model does not change the hash of existing assessments.
        """
        return self.model_dump(mode="json", exclude={"signoffs", "based_on_revision"}, exclude_defaults=True)

    def content_hash(self) -> str:
        """``sha256:<hex>`` over the canonical JSON of :meth:`content`."""
        return content_hash(self.content())

    @property
    def latest_signoff(self) -> SignOff | None:
        """The most recent sign-off, if any."""
        return self.signoffs[-1] if self.signoffs else None


def content_hash(content: dict[str, Any]) -> str:
    """Hash PIA content (as from :meth:`Pia.content`)."""
    return "sha256:" + hashlib.sha256(canonical_bytes(content)).hexdigest()
