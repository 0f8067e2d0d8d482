"""Disclosure request and decision models: the public interface of the disclosure checks."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationInfo, field_validator

from ..errors import ExitCode
from ..results import Violation
from ..validation import AgencyId, Category, Citation, Purpose, RecordId, require_distinct, sorted_unique


class Consent(str, Enum):
    """Whether the person the information is about authorised the disclosure."""

    GIVEN = "given"
    REFUSED = "refused"
    NOT_SOUGHT = "not_sought"
    NOT_POSSIBLE = "not_possible"


class RiskLevel(str, Enum):
    """The risk assessed for the person, on MACIP's risk framework (likelihood, severity, timing)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    IMMINENT = "imminent"


class Outcome(str, Enum):
    """What the policy decided about a disclosure."""

    ALLOW = "allow"
    ALLOW_WITH_CONDITIONS = "allow_with_conditions"
    REFER = "refer"
    DENY = "deny"


class Subject(BaseModel):
    """The person the information is about."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    age: StrictInt = Field(ge=0, le=130, description="Age in whole years (0-130).")
    macip_participant: StrictBool = Field(description="True when the person takes part in MACIP.")
    consent: Consent = Field(description="Whether the person authorised this disclosure.")


class DisclosureRequest(BaseModel):
    """A proposed disclosure of personal information from one agency to another."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="DisclosureRequest")

    id: RecordId = Field(description="The request's id, unique within its batch, e.g. REQ-2026-0142.")
    from_agency: AgencyId = Field(description="The agency holding the information and proposing to disclose it.")
    to_agency: AgencyId = Field(description="The agency that would receive it.")
    subject: Subject = Field(description="The person the information is about: age, participation, consent.")
    categories: list[Category] = Field(
        min_length=1, description="The categories of information to disclose (sorted, each once)."
    )
    purpose: Purpose = Field(description="Why the information is to be disclosed (one purpose per request).")
    risk_level: RiskLevel = Field(description="The risk currently assessed for the person.")
    overseas: StrictBool = Field(default=False, description="True when the recipient is outside New Zealand.")
    claimed_basis: list[Citation] = Field(
        default_factory=list,
        description="Provisions the requester relies on, cited in full (each is checked and named if it fails).",
    )
    requested_at: date | None = Field(default=None, description="When the disclosure was requested (ISO date).")

    @field_validator("categories")
    @classmethod
    def _categories_once_sorted(cls, value: list[Category]) -> list[Category]:
        return sorted_unique(value)

    @field_validator("claimed_basis")
    @classmethod
    def _claims_once_sorted(cls, value: list[str]) -> list[str]:
        return sorted_unique(value)

    @field_validator("to_agency")
    @classmethod
    def _two_parties(cls, value: str, info: ValidationInfo) -> str:
        require_distinct(info.data.get("from_agency"), value, first_name="from_agency", second_name="to_agency")
        return value


class Condition(BaseModel):
    """A condition the disclosure must meet."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="Stable condition id, e.g. minimum_necessary.")
    text: str = Field(description="What must be done, in plain English.")
    authority: str = Field(description="The provision or instrument that imposes it.")


class Decision(BaseModel):
    """The decision on one disclosure request."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="The request's id.")
    outcome: Outcome = Field(description="allow, allow_with_conditions, refer or deny.")
    legal_basis: list[str] = Field(description="The provisions that hold, cited in full.")
    conditions: list[Condition] = Field(description="Conditions the disclosure must meet (none when denied).")
    reasons: list[str] = Field(description="Plain-English reasons, each naming its provision.")
    violations: list[Violation] = Field(
        description="Deny and refer findings (effect deny: the disclosure must not go ahead; refer: a person "
        "reviews it)."
    )
    pia_flow: str | None = Field(description="The approved PIA information flow that covers the request, if any.")
    policy_revision: str = Field(description="SHA-256 of the policy set that decided.")

    @field_validator("violations")
    @classmethod
    def _deny_or_refer(cls, value: list[Violation]) -> list[Violation]:
        require_deny_or_refer(value)
        return value

    @property
    def allowed(self) -> bool:
        """True for allow and allow_with_conditions."""
        return self.outcome in (Outcome.ALLOW, Outcome.ALLOW_WITH_CONDITIONS)

    @property
    def exit_code(self) -> ExitCode:
        """OK when the disclosure is allowed (with or without conditions), DENIED when referred or denied."""
        return ExitCode.OK if self.allowed else ExitCode.DENIED


def require_deny_or_refer(violations: list[Violation]) -> None:
    """Every finding on a disclosure decision either stops it (deny) or sends it for review (refer).

    Raises:
        ValueError: A finding has another effect, or none.
    """
    for v in violations:
        if v.effect not in ("deny", "refer"):
            raise ValueError(f"the finding {v.id} has effect {v.effect!r}, not deny or refer")


class ProvisionFinding(BaseModel):
    """One provision as the decision assessed it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    provision: str = Field(description="The provision, cited in full.")
    title: str = Field(description="What the provision permits, in plain English.")
    status: Literal["holds", "does_not_hold", "not_engaged"] = Field(
        description="holds; does_not_hold (engaged but a condition fails); not_engaged (the request does not raise it)."
    )
    why: str = Field(description="Why, in terms of the request.")


class RegimeFinding(BaseModel):
    """One body of law: whether it governs the request, and each provision considered under it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    regime: str = Field(description="The Act, code or principle, e.g. Privacy Act 2020 s22 IPP 11.")
    applies: bool = Field(description="True when it governs this request.")
    why: str = Field(description="Why it does or does not govern the request.")
    considered: list[ProvisionFinding] = Field(description="The provisions assessed (empty when it does not apply).")


class Explanation(BaseModel):
    """A decision with the reasoning behind it, for a privacy officer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    request: DisclosureRequest = Field(description="The request as validated.")
    decision: Decision = Field(description="The decision.")
    regimes: list[RegimeFinding] = Field(description="Each body of law assessed, in order.")

    @property
    def exit_code(self) -> ExitCode:
        """The decision's exit code."""
        return self.decision.exit_code


class Explanations(BaseModel):
    """The explanation of every request in one input, in input order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    explanations: list[Explanation] = Field(description="One explanation per request, in input order.")

    @property
    def exit_code(self) -> ExitCode:
        """OK when every request is allowed (with or without conditions), DENIED when any is referred or denied."""
        return ExitCode.OK if all(e.decision.allowed for e in self.explanations) else ExitCode.DENIED


__all__ = [
    "Category",
    "Condition",
    "Consent",
    "Decision",
    "DisclosureRequest",
    "Explanation",
    "Explanations",
    "Outcome",
    "ProvisionFinding",
    "Purpose",
    "RegimeFinding",
    "RiskLevel",
    "Subject",
    "Violation",
    "require_deny_or_refer",
]
