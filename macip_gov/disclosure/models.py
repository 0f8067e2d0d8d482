"""Disclosure request and decision models: the public interface of the disclosure checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_serializer,
)
from pydantic_core import PydanticCustomError

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
    """The programme's own risk tier for the person: read for proportionality only, never for a legal test."""

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


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
"""A statement of fact in plain words."""


class Subject(BaseModel):
    """The person the information is about."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    age: StrictInt = Field(ge=0, le=130, description="Age in whole years (0-130).")
    macip_participant: StrictBool = Field(description="True when the person takes part in MACIP.")
    consent: Consent = Field(description="Whether the person authorised this disclosure.")
    refusal_reasons: Text | None = Field(
        default=None,
        description="When consent is refused: the discloser's reasons for proceeding despite the refusal "
        "(HIPC r11(2) needs them; a refusal alone does not open it).",
    )

    @model_serializer(mode="wrap")
    def _reasons_only_when_stated(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("refusal_reasons", "") is None:
            del data["refusal_reasons"]
        return data

    @field_validator("refusal_reasons")
    @classmethod
    def _reasons_only_after_refusal(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("consent") not in (None, Consent.REFUSED):
            raise PydanticCustomError("refusal_reasons", "refusal_reasons are given only when consent is refused")
        return value


class ThreatTarget(str, Enum):
    """Whom a threat is to: public health or safety (IPP 11(1)(f)(i)), or a person's life or health ((f)(ii))."""

    PUBLIC = "public"
    SUBJECT = "subject"
    ANOTHER_PERSON = "another_person"


class Likelihood(str, Enum):
    """How likely the threat is to be realised (Privacy Act 2020 s7(1), serious threat (a))."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    ALMOST_CERTAIN = "almost_certain"


class Severity(str, Enum):
    """How severe the consequences would be if the threat were realised (s7(1), serious threat (b))."""

    MINOR = "minor"
    MODERATE = "moderate"
    SERIOUS = "serious"
    GRAVE = "grave"


class Imminence(str, Enum):
    """When the threat may be realised (s7(1), serious threat (c))."""

    IMMINENT = "imminent"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    UNKNOWN = "unknown"


class Threat(BaseModel):
    """A threat to life, health or safety, described by the three factors of Privacy Act 2020 s7(1)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    to: ThreatTarget = Field(description="public, subject or another_person.")
    likelihood: Likelihood | None = Field(
        default=None, description="How likely it is to be realised (null: not known)."
    )
    severity: Severity | None = Field(
        default=None, description="How severe the consequences would be (null: not known)."
    )
    imminence: Imminence | None = Field(default=None, description="When it may be realised (null: not known).")
    recipient_can_act: StrictBool | None = Field(
        default=None, description="The recipient can prevent or lessen the threat (null: not known)."
    )


class ChildPurpose(str, Enum):
    """What disclosure will assist the recipient with, among the purposes of Oranga Tamariki Act 1989 s66C(a)."""

    PREVENT_HARM = "prevent_harm"
    ASSESS_RISK_OR_NEED = "assess_risk_or_need"
    DEPARTMENT_SUPPORT_PLAN = "department_support_plan"
    DEPARTMENT_PREVENTION_PLAN = "department_prevention_plan"
    DEPARTMENT_SERVICES = "department_services"
    CARE_OR_PROTECTION_FUNCTION = "care_or_protection_function"


class RelatesToChild(BaseModel):
    """The information relates to a child or young person, or may affect a child's safety or well-being."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    age: StrictInt = Field(ge=0, le=17, description="The child's or young person's age (0-17).")
    assists: list[ChildPurpose] = Field(
        default_factory=list, description="The s66C(a) purposes disclosure will assist the recipient with."
    )

    @field_validator("assists")
    @classmethod
    def _once_sorted(cls, value: list[ChildPurpose]) -> list[ChildPurpose]:
        return sorted_unique(value)


class Requester(str, Enum):
    """Who made a statutory request."""

    CONSTABLE = "constable"
    SOCIAL_WORKER = "social_worker"
    CARE_AND_PROTECTION_COORDINATOR = "care_and_protection_coordinator"
    OTHER = "other"


class StatutoryRequest(BaseModel):
    """A request made under a statute, e.g. Oranga Tamariki Act 1989 s66(1) by a constable."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    provision: Citation = Field(description="The provision invoked, cited in full.")
    by: Requester = Field(description="Who asked: constable, social_worker, care_and_protection_coordinator or other.")


class LawLimb(str, Enum):
    """Which maintenance-of-the-law interest disclosure protects (IPP 11(1)(e)(i)-(iv))."""

    OFFENCES = "offences"
    PECUNIARY_PENALTY = "pecuniary_penalty"
    PUBLIC_REVENUE = "public_revenue"
    PROCEEDINGS = "proceedings"


class MaintenanceOfLaw(BaseModel):
    """The prejudice to the maintenance of the law that disclosure avoids."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    limb: LawLimb = Field(description="offences, pecuniary_penalty, public_revenue or proceedings.")
    prejudice: Text = Field(description="The prejudice disclosure avoids, in plain words.")
    necessary: StrictBool = Field(default=True, description="Disclosure is necessary, not merely useful.")


class CollectionUse(str, Enum):
    """How the disclosure relates to the purposes the information was obtained for."""

    ONE_OF_THE_PURPOSES = "one_of_the_purposes"
    DIRECTLY_RELATED = "directly_related"
    UNRELATED = "unrelated"


class Collection(BaseModel):
    """What the information was obtained for (IPP 11(1)(a); HIPC r11(1)(c) and r11(2)(a))."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    obtained_for: list[Text] = Field(
        min_length=1, description="The purposes it was obtained for, as the person was told."
    )
    disclosure: CollectionUse = Field(description="one_of_the_purposes, directly_related or unrelated.")


class PubliclyAvailable(BaseModel):
    """The information comes from a publicly available publication (IPP 11(1)(d))."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Text = Field(description="The publication.")
    unfair: StrictBool = Field(description="Disclosing it would be unfair or unreasonable in the circumstances.")


class IntelligenceFunction(BaseModel):
    """The function of an intelligence and security agency the disclosure serves (IPP 11(1)(g))."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    function: Text = Field(description="The function, e.g. under the Intelligence and Security Act 2017 s10.")
    necessary: StrictBool = Field(description="Disclosure is necessary for it, not merely useful.")


class DeIdentifiedUse(str, Enum):
    """How de-identified or statistical information is to be used (IPP 11(1)(h))."""

    NOT_IDENTIFIED = "not_identified"
    STATISTICS = "statistics"
    RESEARCH = "research"


class DeIdentified(BaseModel):
    """The information is to be used without identifying the person (IPP 11(1)(h); HIPC r11(2)(c))."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    use: DeIdentifiedUse = Field(description="not_identified, statistics or research.")
    published_identifiably: StrictBool = Field(
        default=False, description="Results will be published in a form that could identify the person."
    )


class FamilyViolenceHelp(str, Enum):
    """What disclosure will or may help with (Family Violence Act 2018 s20)."""

    PROTECT_VICTIM = "protect_victim"
    RISK_OR_NEEDS_ASSESSMENT = "risk_or_needs_assessment"
    DECISION_OR_PLAN = "decision_or_plan"


class FamilyViolence(BaseModel):
    """The information relates to family violence."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    helps: list[FamilyViolenceHelp] = Field(
        default_factory=list, description="What disclosure will or may help with (s20 purposes)."
    )


class OverseasSafeguard(str, Enum):
    """The safeguard at an overseas recipient (IPP 12(1)(b)-(f))."""

    SUBJECT_TO_ACT = "subject_to_act"
    COMPARABLE_LAW = "comparable_law"
    BINDING_SCHEME = "binding_scheme"
    PRESCRIBED_COUNTRY = "prescribed_country"
    AGREEMENT = "agreement"


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
    purpose: Purpose = Field(description="The programme purpose (a label: it decides no legal test).")
    risk_level: RiskLevel = Field(description="The programme's own risk tier, for proportionality only.")
    overseas: StrictBool = Field(default=False, description="True when the recipient is outside New Zealand.")
    overseas_safeguard: OverseasSafeguard | None = Field(
        default=None, description="The safeguard at an overseas recipient (IPP 12(1)(b)-(f))."
    )
    claimed_basis: list[Citation] = Field(
        default_factory=list,
        description="Provisions the requester relies on, cited in full (each is checked and named if it fails).",
    )
    statutory_request: StatutoryRequest | None = Field(
        default=None,
        validate_default=True,
        description="A request under a statute: the provision invoked and who asked.",
    )
    threat: Threat | None = Field(
        default=None, validate_default=True, description="A threat disclosure would prevent or lessen."
    )
    relates_to_child: RelatesToChild | None = Field(
        default=None,
        validate_default=True,
        description="The information relates to a child or young person, or may affect a child's safety or "
        "well-being, whoever it is about (e.g. a parent's history).",
    )
    maintenance_of_law: MaintenanceOfLaw | None = Field(
        default=None,
        validate_default=True,
        description="The prejudice to the maintenance of the law that disclosure avoids.",
    )
    collection: Collection | None = Field(default=None, description="What the information was obtained for.")
    publicly_available: PubliclyAvailable | None = Field(
        default=None, description="The information comes from a publicly available publication."
    )
    intelligence_function: IntelligenceFunction | None = Field(
        default=None, description="The intelligence and security agency function the disclosure serves."
    )
    de_identified: DeIdentified | None = Field(
        default=None, description="The information is to be used without identifying the person."
    )
    family_violence: FamilyViolence | None = Field(
        default=None,
        validate_default=True,
        description="The information relates to family violence (Family Violence Act 2018 s20).",
    )
    requested_at: date | None = Field(default=None, description="When the disclosure was requested (ISO date).")

    @model_serializer(mode="wrap")
    def _facts_only_when_stated(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # A fact the request does not state is left out, not written as null.
        data: dict[str, Any] = handler(self)
        return {k: v for k, v in data.items() if v is not None or k not in _FACTS}

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

    # A request written for the old shape, where labels decided the legal tests, is refused
    # with one line naming the field the fact now lives in.
    @field_validator(
        "statutory_request", "threat", "relates_to_child", "maintenance_of_law", "family_violence", mode="after"
    )
    @classmethod
    def _facts_not_labels(cls, value: object, info: ValidationInfo) -> object:
        if value is None and info.field_name is not None:
            require_fact(info.field_name, info.data.get("purpose"), info.data.get("claimed_basis") or [])
        return value


_FACTS = frozenset((
    "overseas_safeguard", "statutory_request", "threat", "relates_to_child", "maintenance_of_law", "collection",
    "publicly_available", "intelligence_function", "de_identified", "family_violence",
))  # fmt: skip

_OLD_SHAPE: dict[str, tuple[Callable[[object, list[str]], bool], str]] = {
    "threat": (
        lambda purpose, claims: purpose == Purpose.PREVENT_SERIOUS_THREAT,
        "purpose and risk_level no longer decide whether a threat is serious: describe the threat under "
        "`threat:` (to, likelihood, severity, imminence, recipient_can_act)",
    ),
    "relates_to_child": (
        lambda purpose, claims: purpose == Purpose.CHILD_WELLBEING,
        "the Oranga Tamariki Act routes follow the information, not the subject's age: describe the child "
        "under `relates_to_child:` (age, assists)",
    ),
    "maintenance_of_law": (
        lambda purpose, claims: purpose == Purpose.MAINTENANCE_OF_LAW,
        "the purpose label no longer decides IPP 11(1)(e): describe the prejudice to the maintenance of the "
        "law under `maintenance_of_law:` (limb, prejudice)",
    ),
    "statutory_request": (
        lambda purpose, claims: any(_names_s66(c) for c in claims),
        "s66(1) is a duty on request, not a claim: say who asked under `statutory_request:` (provision, by)",
    ),
    "family_violence": (
        lambda purpose, claims: any(c.startswith("Family Violence Act 2018 s20") for c in claims),
        "Family Violence Act 2018 s20 is applied on the facts: describe them under `family_violence:` (helps)",
    ),
}


def _names_s66(citation: str) -> bool:
    rest = citation.removeprefix("Oranga Tamariki Act 1989 s66")
    return rest != citation and (rest == "" or rest.startswith("("))


def require_fact(field: str, purpose: object, claims: list[str]) -> None:
    """Refuse a request in the old shape: a label or claim whose legal test now reads the fact in ``field``.

    Raises:
        PydanticCustomError: The fact is missing, naming the field it moved to.
    """
    applies, message = _OLD_SHAPE[field]
    if applies(purpose, claims):
        raise PydanticCustomError("moved_to_facts", message)


class Condition(BaseModel):
    """A condition the disclosure must meet."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="Stable condition id, e.g. minimum_necessary.")
    text: str = Field(description="What must be done, in plain English.")
    authority: str = Field(description="The provision or instrument that imposes it.")


class Verdict(str, Enum):
    """The law's answer on the facts."""

    REQUIRED = "required"
    PERMITTED = "permitted"
    PROHIBITED = "prohibited"
    UNCERTAIN = "uncertain"


class ExceptionFinding(BaseModel):
    """One provision considered, whether it held, why, and the fact that decided it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    provision: str = Field(description="The provision, cited in full.")
    title: str = Field(description="What the provision permits, in plain English.")
    status: Literal["holds", "does_not_hold", "not_engaged", "uncertain"] = Field(
        description="holds; does_not_hold; not_engaged (the facts do not raise it); uncertain (a fact is missing)."
    )
    held: bool = Field(description="True when it holds.")
    why: str = Field(description="Why, in terms of the request.")
    fact: str = Field(description="The request field that decided it (or, when uncertain, the one to supply).")


class Legal(BaseModel):
    """The law's verdict on the facts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    verdict: Verdict = Field(description="required, permitted, prohibited or uncertain.")
    basis: list[str] = Field(description="The provisions that hold, cited in full.")
    missing: list[str] = Field(description="The facts to supply (for uncertain).")
    duties: list[str] = Field(description="The provisions that oblige the disclosure (for required).")
    not_assessed: list[str] = Field(description="Claimed or invoked provisions these policies do not assess.")
    explain: list[ExceptionFinding] | None = Field(
        default=None, description="Every provision considered (filled by an explanation, not by a check)."
    )


class Programme(BaseModel):
    """The programme's own control: PIA flows, the sharing matrix, proportionality."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    covered: bool = Field(
        description="An approved PIA flow and a matrix route cover it, and no proportionality finding."
    )
    flow: str | None = Field(description="The approved PIA information flow that covers it, if any.")
    route: str | None = Field(description="The sharing-matrix route (sender -> recipient), if the matrix lists one.")
    lines_crossed: bool = Field(description="A proportionality line the programme does not cross is crossed.")


class Decision(BaseModel):
    """The decision on one disclosure request."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="The request's id.")
    outcome: Outcome = Field(description="allow, allow_with_conditions, refer or deny.")
    row: str = Field(description="The outcome-table row that gave the outcome.")
    legal: Legal = Field(description="The law's verdict on the facts.")
    programme: Programme = Field(description="The programme's own control.")
    urgent: bool = Field(description="The facts show a serious threat that may be realised imminently.")
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


class OutcomeRow(BaseModel):
    """A row of the outcome table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="The row's id.")
    when: dict[str, str | bool] = Field(description="The situation it applies to (absent keys: any).")
    outcome: Outcome = Field(description="The outcome it gives.")
    conditions: list[str] = Field(default_factory=list, description="Conditions it adds.")
    why: str = Field(description="Why, in plain English.")


class ProvisionFinding(BaseModel):
    """One provision as the decision assessed it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    provision: str = Field(description="The provision, cited in full.")
    title: str = Field(description="What the provision permits, in plain English.")
    status: Literal["holds", "does_not_hold", "not_engaged", "uncertain"] = Field(
        description="holds; does_not_hold; not_engaged (the request does not raise it); uncertain (a fact is missing)."
    )
    why: str = Field(description="Why, in terms of the request.")
    fact: str = Field(description="The request field that decided it (or, when uncertain, the one to supply).")


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
    decision: Decision = Field(description="The decision, with legal.explain filled.")
    row: OutcomeRow = Field(description="The outcome-table row that applied.")
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
    "Collection",
    "ExceptionFinding",
    "Legal",
    "OutcomeRow",
    "Programme",
    "RelatesToChild",
    "StatutoryRequest",
    "Threat",
    "Verdict",
    "require_fact",
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
