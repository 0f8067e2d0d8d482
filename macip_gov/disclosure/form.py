"""The disclosure request as a form a person fills in: its fields, their wording, and reading it back.

:func:`describe` lays the request's fields out in the order a privacy officer thinks about a
disclosure (who, about whom, what, why, then the facts the law turns on), each with a label,
help text naming the statutory test it informs, its choices and when it applies. The
choices come from the request model's JSON Schema and the policy data (agency names from
``data.sharing.agencies``), so the form offers exactly what the policies know.

:func:`request_from_form` turns submitted values (every value a string, or a list of
strings for fields that take several) back into a :class:`DisclosureRequest` through the
same model the CLI validates YAML with, and raises :class:`FormErrors` naming every field
at fault. :func:`form_values` is its inverse, to show a request in the form again.

Field names are the request's own paths (``subject.consent``, ``threat.likelihood``). An
optional fact (a threat, a child, a statutory request, ...) is stated only when its section
is ticked (a field named after the fact, value ``yes``); answers left in a section that is
not ticked are refused rather than ignored, so no fact is dropped without the person knowing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InvalidInputError
from ..validation import COMMUNITY_PREFIX
from .models import (
    ChildPurpose,
    CollectionUse,
    Consent,
    DeIdentifiedUse,
    DisclosureRequest,
    FamilyViolenceHelp,
    Imminence,
    LawLimb,
    Likelihood,
    OverseasSafeguard,
    Requester,
    RiskLevel,
    Severity,
    ThreatTarget,
)

if TYPE_CHECKING:
    from ..policyset import PolicySet

Widget = Literal["text", "textarea", "lines", "number", "date", "select", "radio", "checkboxes", "toggle"]
"""How a field is asked: ``lines`` is a text area read one item per line; ``toggle`` a single tick box."""

YES = "yes"
NO = "no"
OTHER_PROVIDER = COMMUNITY_PREFIX
"""The agency choice for a community provider the policy data does not list (named in ``*_provider``)."""

FormValue = str | list[str]


class Choice(BaseModel):
    """One answer a field offers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: str = Field(description="The value submitted.")
    label: str = Field(description="What the person reads.")
    help: str = Field(default="", description="What choosing it means, when the label needs it.")


class ShowWhen(BaseModel):
    """A field that applies only when another field has one of some values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str = Field(description="The field it depends on.")
    values: tuple[str, ...] = Field(description="The values of that field for which it applies.")


class FormField(BaseModel):
    """One question of the form."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="The submitted name: the request's path, e.g. threat.likelihood.")
    label: str = Field(description="The question, in plain English.")
    help: str = Field(description="What it means and the statutory test it informs.")
    widget: Widget = Field(description="How it is asked.")
    choices: tuple[Choice, ...] = Field(default=(), description="The answers offered (select, radio, checkboxes).")
    required: bool = Field(description="True when the request cannot be decided without it (where it applies).")
    applies: str = Field(default="", description="When it applies, in plain English (empty: always).")
    show_when: ShowWhen | None = Field(default=None, description="The field and values it applies for.")
    default: str = Field(default="", description="The value shown in an empty form.")
    minimum: int | None = Field(default=None, description="Smallest number accepted (number fields).")
    maximum: int | None = Field(default=None, description="Largest number accepted (number fields).")
    max_length: int | None = Field(default=None, description="Longest text accepted (text fields; per line for lines).")

    @property
    def multiple(self) -> bool:
        """True when the field submits several values (checkboxes, lines)."""
        return self.widget in ("checkboxes", "lines")

    def choice_label(self, value: str) -> str:
        """The label of one of the field's values (the value itself when it offers no such choice)."""
        return next((c.label for c in self.choices if c.value == value), value)


class FieldGroup(BaseModel):
    """Questions asked together, under one legend."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(description="The group's id (for a fact section, the request field it states).")
    legend: str = Field(description="The group's heading.")
    intro: str = Field(default="", description="What the group is about, and the law it serves.")
    toggle: FormField | None = Field(
        default=None, description="For an optional fact: the tick box that states it (its fields count only then)."
    )
    fields: tuple[FormField, ...] = Field(description="The questions, in order.")

    @property
    def optional(self) -> bool:
        """True for a fact the request need not state."""
        return self.toggle is not None


class FormDescription(BaseModel):
    """The whole disclosure form."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    groups: tuple[FieldGroup, ...] = Field(description="The groups, in the order they are asked.")
    policy_revision: str = Field(default="", description="The policy revision whose data gave the choices.")

    def fields(self) -> Iterator[FormField]:
        """Every field (section toggles included), in order."""
        for group in self.groups:
            if group.toggle is not None:
                yield group.toggle
            yield from group.fields

    def field(self, name: str) -> FormField:
        """The field of that name.

        Raises:
            KeyError: No such field.
        """
        for f in self.fields():
            if f.name == name:
                return f
        raise KeyError(name)

    def label_of(self, path: str) -> str:
        """The label of a request path (e.g. a fact a decision names as missing), or the path itself."""
        for group in self.groups:
            if group.key == path:
                return group.legend
        for f in self.fields():
            if f.name == path:
                return f.label
        return path


class FormErrors(InvalidInputError):
    """The submitted form does not make a valid request; ``errors`` maps each field at fault to its message."""

    def __init__(self, errors: Mapping[str, str]):
        """Carry every field's message; the first one becomes the one-line message."""
        self.errors = dict(errors)
        first = next(iter(self.errors.items()), ("form", "the form is not valid"))
        more = len(self.errors) - 1
        super().__init__(f"{first[0]}: {first[1]}" + (f" (and {more} more)" if more else ""), file="form")


# -- wording -------------------------------------------------------------------------------
# Display names for the ids the policy data uses. Every id the data knows must have one:
# tests/test_disclosure_form.py compares these keys with the policy data and the model.

CATEGORY_LABELS: dict[str, str] = {
    "identity": "Identity (name, date of birth, identifiers)",
    "contact": "Contact details",
    "criminal_history": "Criminal history",
    "intelligence": "Intelligence",
    "health": "Health summary (conditions and services in outline)",
    "mental_health": "Mental health detail",
    "alcohol_drug": "Alcohol and drug use",
    "education": "Education (enrolment, attendance)",
    "income_benefit": "Income and benefits",
    "family_whanau": "Family and whānau",
    "care_protection": "Care and protection",
    "risk_assessment": "Risk assessment",
}

PURPOSE_LABELS: dict[str, str] = {
    "referral_assessment": "Referral and assessment",
    "coordination_of_support": "Coordination of support",
    "risk_assessment": "Risk assessment",
    "prevent_serious_threat": "Preventing a serious threat",
    "maintenance_of_law": "Maintenance of the law",
    "child_wellbeing": "A child's well-being",
}

_ENUM_LABELS: dict[type[Enum], dict[str, str]] = {
    Consent: {
        "given": "Given: the person authorised this disclosure",
        "refused": "Refused: the person was asked and said no",
        "not_sought": "Not sought: the person was not asked",
        "not_possible": "Not possible: the person could not be asked or could not give it",
    },
    RiskLevel: {"low": "Low", "medium": "Medium", "high": "High", "imminent": "Imminent"},
    ThreatTarget: {
        "public": "Public health or public safety",
        "subject": "The life or health of the person the information is about",
        "another_person": "The life or health of another person",
    },
    Likelihood: {"low": "Low", "moderate": "Moderate", "high": "High", "almost_certain": "Almost certain"},
    Severity: {"minor": "Minor", "moderate": "Moderate", "serious": "Serious", "grave": "Grave"},
    Imminence: {
        "imminent": "Imminent (it may happen at any moment)",
        "days": "Within days",
        "weeks": "Within weeks",
        "months": "Within months",
        "unknown": "Unknown",
    },
    ChildPurpose: {
        "prevent_harm": "Prevent or reduce the risk of harm to a child or young person",
        "assess_risk_or_need": "Make or contribute to an assessment of the risk of harm or of needs",
        "department_support_plan": "Make, carry out or monitor a plan or service for support (the department)",
        "department_prevention_plan": "Make, carry out or monitor a plan to prevent harm (the department)",
        "department_services": "Provide services to the child or young person or their family (the department)",
        "care_or_protection_function": "Carry out a care or protection function under the Act",
    },
    Requester: {
        "constable": "A constable",
        "social_worker": "A social worker",
        "care_and_protection_coordinator": "A care and protection co-ordinator",
        "other": "Someone else",
    },
    LawLimb: {
        "offences": "Preventing, detecting, investigating, prosecuting or punishing offences",
        "pecuniary_penalty": "Enforcing a law that imposes a pecuniary penalty",
        "public_revenue": "Protecting the public revenue",
        "proceedings": "Conducting court or tribunal proceedings (begun or reasonably in contemplation)",
    },
    CollectionUse: {
        "one_of_the_purposes": "It is one of the purposes it was obtained for",
        "directly_related": "It is directly related to those purposes",
        "unrelated": "It is unrelated to those purposes",
    },
    DeIdentifiedUse: {
        "not_identified": "Used in a form that does not identify the person",
        "statistics": "Used for statistics",
        "research": "Used for research",
    },
    FamilyViolenceHelp: {
        "protect_victim": "Protect a victim from family violence",
        "risk_or_needs_assessment": "Make or contribute to a family violence risk or needs assessment",
        "decision_or_plan": "Make, carry out or monitor a decision or plan about family violence",
    },
    OverseasSafeguard: {
        "subject_to_act": "The recipient is subject to the Privacy Act 2020 (IPP 12(1)(b))",
        "comparable_law": "The recipient is subject to comparable privacy laws (IPP 12(1)(c))",
        "binding_scheme": "The recipient is in a binding scheme prescribed by regulations (IPP 12(1)(d))",
        "prescribed_country": "The recipient is in a prescribed country (IPP 12(1)(e))",
        "agreement": "The recipient is bound by an agreement giving comparable safeguards (IPP 12(1)(f))",
    },
}

_YES_NO = (Choice(value=YES, label="Yes"), Choice(value=NO, label="No"))
_YES_NO_UNKNOWN = (*_YES_NO, Choice(value="", label="Not known"))


def humanise(value: str) -> str:
    """``alcohol_drug`` -> ``Alcohol drug``: the fallback name of an id without a display name."""
    text = value.removeprefix(COMMUNITY_PREFIX).replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:] if text else value


def _schema_values(schema: dict[str, Any], name: str) -> list[str]:
    """The allowed values of an enum in the request's JSON Schema (its order)."""
    return [str(v) for v in schema["$defs"][name]["enum"]]


def _enum_choices(enum: type[Enum], schema: dict[str, Any]) -> tuple[Choice, ...]:
    labels = _ENUM_LABELS[enum]
    return tuple(Choice(value=v, label=labels.get(v, humanise(v))) for v in _schema_values(schema, enum.__name__))


def agency_choices(policy_set: PolicySet) -> tuple[Choice, ...]:
    """The agencies the policy data names: member agencies, then contracted community providers, then any other.

    Raises:
        InvalidInputError: The policy data has no agency list.
    """
    data = policy_set.data.get("sharing.agencies")
    if not isinstance(data, dict) or not isinstance(data.get("agencies"), dict):
        raise InvalidInputError("the policy data names no agencies (data.sharing.agencies)", file="policies")
    choices = [Choice(value=str(key), label=_name(value, key)) for key, value in data["agencies"].items()]
    providers = data.get("community_providers") or {}
    choices += [
        Choice(value=f"{COMMUNITY_PREFIX}{key}", label=f"{_name(value, key)} (community provider)")
        for key, value in providers.items()
    ]
    choices.append(
        Choice(
            value=OTHER_PROVIDER,
            label="Another community provider (name it below)",
            help="A provider the programme's data does not list has no service agreement on record.",
        )
    )
    return tuple(choices)


def _name(profile: Any, key: str) -> str:
    name = profile.get("name") if isinstance(profile, dict) else None
    return str(name) if name else humanise(key)


def _labelled(values: list[str], labels: Mapping[str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(value=v, label=labels.get(v, humanise(v))) for v in values)


def _f(name: str, label: str, help: str, widget: Widget, **kw: Any) -> FormField:
    kw.setdefault("required", False)
    return FormField(name=name, label=label, help=help, widget=widget, **kw)


def _toggle(key: str, label: str, help: str) -> FormField:
    return _f(key, label, help, "toggle", choices=(Choice(value=YES, label=label),))


def _when(field: str, *values: str) -> ShowWhen:
    return ShowWhen(field=field, values=values)


def describe(policy_set: PolicySet) -> FormDescription:
    """The disclosure form, its choices taken from the request's schema and the policy data.

    Args:
        policy_set: The policies the decisions are made with (their data names the agencies).

    Returns:
        The groups of questions in the order they are asked.

    Raises:
        InvalidInputError: The policy data has no agency list.
    """
    schema = DisclosureRequest.model_json_schema()
    agencies = agency_choices(policy_set)
    categories = _labelled(_schema_values(schema, "Category"), CATEGORY_LABELS)
    purposes = _labelled(_schema_values(schema, "Purpose"), PURPOSE_LABELS)
    provider_help = (
        "The provider's short name as its agreement gives it: lower-case words joined by hyphens, "
        "e.g. youth-mentoring-trust."
    )
    groups = [
        FieldGroup(
            key="request",
            legend="The request",
            fields=(
                _f(
                    "id",
                    "Request id",
                    "Your reference for this request, e.g. REQ-2026-0142: letters, digits and "
                    ". _ : / - (up to 100). The decision log finds it by this id.",
                    "text",
                    required=True,
                    max_length=100,
                ),
                _f("requested_at", "Date requested", "When the disclosure was asked for (optional).", "date"),
            ),
        ),  # fmt: skip
        FieldGroup(
            key="who",
            legend="Who: the agencies",
            intro="The agency that holds the information and the agency that would receive it. Which bodies of "
            "law apply (the Health Information Privacy Code, the Oranga Tamariki Act, the Family Violence Act) "
            "and whether the programme's matrix has a route follow from these two.",
            fields=(
                _f(
                    "from_agency",
                    "From (the agency disclosing)",
                    "The agency holding the information. A health "
                    "agency's health information falls under the Health Information Privacy Code 2020 r11 rather "
                    "than IPP 11.",
                    "select",
                    choices=agencies,
                    required=True,
                ),
                _f(
                    "from_agency_provider",
                    "From: the provider's short name",
                    provider_help,
                    "text",
                    required=True,
                    applies="only for another community provider",
                    show_when=_when("from_agency", OTHER_PROVIDER),
                    max_length=60,
                ),
                _f(
                    "to_agency",
                    "To (the agency receiving)",
                    "The agency that would receive it. Some exceptions "
                    "turn on the recipient: whether it can act on a threat (IPP 11(1)(f)), has a law enforcement "
                    "function (IPP 11(1)(e)) or is an intelligence and security agency (IPP 11(1)(g)).",
                    "select",
                    choices=agencies,
                    required=True,
                ),
                _f(
                    "to_agency_provider",
                    "To: the provider's short name",
                    provider_help,
                    "text",
                    required=True,
                    applies="only for another community provider",
                    show_when=_when("to_agency", OTHER_PROVIDER),
                    max_length=60,
                ),
            ),
        ),  # fmt: skip
        FieldGroup(
            key="subject",
            legend="About whom: the person",
            fields=(
                _f(
                    "subject.age",
                    "Age",
                    "The person's age in whole years (0-130). Under 18 they are a child or "
                    "young person for the Oranga Tamariki Act 1989.",
                    "number",
                    required=True,
                    minimum=0,
                    maximum=130,
                ),
                _f(
                    "subject.macip_participant",
                    "Takes part in MACIP",
                    "Whether the person is a participant in the "
                    "programme. MACIP is voluntary, so the programme reviews sharing about a participant who "
                    "refused.",
                    "radio",
                    choices=_YES_NO,
                    required=True,
                ),
                _f(
                    "subject.consent",
                    "Consent",
                    "Privacy Act 2020 s22 IPP 11(1)(c) and HIPC r11(1)(b): has the person authorised this disclosure?",
                    "radio",
                    choices=_enum_choices(Consent, schema),
                    required=True,
                ),
                _f(
                    "subject.refusal_reasons",
                    "Reasons for going ahead despite the refusal",
                    "HIPC r11(2): when the "
                    "person refused, the discloser must record why it proceeds anyway; a refusal alone does not "
                    "open any exception.",
                    "textarea",
                    applies="only when consent is refused",
                    show_when=_when("subject.consent", Consent.REFUSED.value),
                    max_length=2000,
                ),
            ),
        ),  # fmt: skip
        FieldGroup(
            key="what",
            legend="What: the information",
            fields=(
                _f(
                    "categories",
                    "Categories of information",
                    "Tick every kind of information to be disclosed. "
                    "Health information held by a health agency is governed by the Health Information Privacy "
                    "Code 2020; sensitive categories are always shared on the minimum-necessary condition.",
                    "checkboxes",
                    choices=categories,
                    required=True,
                ),
            ),
        ),  # fmt: skip
        FieldGroup(
            key="why",
            legend="Why: the programme's purpose and tier",
            intro="These are the programme's own labels: they decide which matrix routes and approved PIA flows "
            "can cover the disclosure, never a legal test.",
            fields=(
                _f(
                    "purpose",
                    "Programme purpose",
                    "Why the information moves within MACIP.",
                    "select",
                    choices=purposes,
                    required=True,
                ),
                _f(
                    "risk_level",
                    "Programme risk tier",
                    "The programme's own tier for the person, read for "
                    "proportionality only (e.g. health detail beyond a summary needs high or imminent).",
                    "radio",
                    choices=_enum_choices(RiskLevel, schema),
                    required=True,
                ),
                _f(
                    "claimed_basis",
                    "Provisions relied on",
                    "Any provision the requester relies on, "
                    "cited in full, one per line (e.g. Privacy Act 2020 s22 IPP 11(1)(f)(ii)). Each is checked "
                    "and named in the decision if it fails.",
                    "lines",
                    max_length=160,
                ),
            ),
        ),  # fmt: skip
        FieldGroup(
            key="threat",
            legend="A threat to life, health or safety",
            intro="Privacy Act 2020 s22 IPP 11(1)(f) and HIPC r11(2)(d): disclosure necessary to prevent or "
            "lessen a serious threat. Whether a threat is serious is weighed on its likelihood, severity and "
            "timing (s 7(1)); answer 'Not known' rather than guess.",
            toggle=_toggle(
                "threat",
                "There is a threat that disclosure would prevent or lessen",
                "Tick to describe the threat; leave unticked when there is none.",
            ),
            fields=(
                _f(
                    "threat.to",
                    "The threat is to",
                    "IPP 11(1)(f)(i) covers public health or safety; (f)(ii) the "
                    "life or health of the person or another person.",
                    "radio",
                    choices=_enum_choices(ThreatTarget, schema),
                    required=True,
                ),
                _f(
                    "threat.likelihood",
                    "Likelihood",
                    "Privacy Act 2020 s 7(1)(a): how likely is it that the threat will be realised?",
                    "select",
                    choices=_enum_choices(Likelihood, schema),
                ),
                _f(
                    "threat.severity",
                    "Severity",
                    "Privacy Act 2020 s 7(1)(b): how severe would the consequences be if it were realised?",
                    "select",
                    choices=_enum_choices(Severity, schema),
                ),
                _f(
                    "threat.imminence",
                    "When it may be realised",
                    "Privacy Act 2020 s 7(1)(c): the time at which "
                    "the threat may be realised. A serious threat that may be realised imminently makes the "
                    "disclosure urgent.",
                    "select",
                    choices=_enum_choices(Imminence, schema),
                ),
                _f(
                    "threat.recipient_can_act",
                    "The recipient can prevent or lessen it",
                    "IPP 11(1)(f): disclosure is necessary only if the recipient can do something about the threat.",
                    "radio",
                    choices=_YES_NO_UNKNOWN,
                ),
            ),
        ),  # fmt: skip
        FieldGroup(
            key="relates_to_child",
            legend="A child or young person",
            intro="Oranga Tamariki Act 1989 ss 66C-66F: information that relates to a child or young person, or "
            "may affect a child's safety or well-being, whoever it is about (e.g. a parent's history).",
            toggle=_toggle(
                "relates_to_child",
                "The information relates to a child or young person",
                "Tick when the information relates to a child or may affect a child's safety or well-being.",
            ),
            fields=(
                _f(
                    "relates_to_child.age",
                    "The child's age",
                    "Age in whole years (0-17).",
                    "number",
                    required=True,
                    minimum=0,
                    maximum=17,
                ),
                _f(
                    "relates_to_child.assists",
                    "Disclosure will assist the recipient to",
                    "Oranga Tamariki Act "
                    "1989 s 66C(a): the purposes disclosure will assist the recipient with (tick each that "
                    "applies).",
                    "checkboxes",
                    choices=_enum_choices(ChildPurpose, schema),
                ),
            ),
        ),  # fmt: skip
        FieldGroup(
            key="statutory_request",
            legend="A request under a statute",
            intro="Oranga Tamariki Act 1989 s 66(1): a constable or social worker may require information for a "
            "child's care or protection, and the agency must then supply it.",
            toggle=_toggle(
                "statutory_request",
                "Someone asked for the information under a statute",
                "Tick when the information was required under a provision such as s 66(1).",
            ),
            fields=(
                _f(
                    "statutory_request.provision",
                    "Provision invoked",
                    "Cited in full, e.g. Oranga Tamariki Act 1989 s66(1).",
                    "text",
                    required=True,
                    max_length=160,
                ),
                _f(
                    "statutory_request.by",
                    "Who asked",
                    "s 66(1) gives the power to constables and social workers only.",
                    "radio",
                    choices=_enum_choices(Requester, schema),
                    required=True,
                ),
            ),
        ),  # fmt: skip
        FieldGroup(
            key="maintenance_of_law",
            legend="Maintenance of the law",
            intro="Privacy Act 2020 s22 IPP 11(1)(e) and HIPC r11(2)(i): disclosure necessary to avoid "
            "prejudice to the maintenance of the law by a public sector agency.",
            toggle=_toggle(
                "maintenance_of_law",
                "Disclosure avoids prejudice to the maintenance of the law",
                "Tick to describe the prejudice.",
            ),
            fields=(
                _f(
                    "maintenance_of_law.limb",
                    "The interest protected",
                    "IPP 11(1)(e)(i)-(iv): the recipient must hold the law enforcement function for (i)-(iii).",
                    "radio",
                    choices=_enum_choices(LawLimb, schema),
                    required=True,
                ),
                _f(
                    "maintenance_of_law.prejudice",
                    "The prejudice disclosure avoids",
                    "In plain words: what would go wrong for the maintenance of the law without it.",
                    "textarea",
                    required=True,
                    max_length=2000,
                ),
                _f(
                    "maintenance_of_law.necessary",
                    "Disclosure is necessary, not merely useful",
                    "IPP 11(1)(e) needs the agency to believe on reasonable grounds that disclosure is necessary.",
                    "radio",
                    choices=_YES_NO,
                    required=True,
                    default=YES,
                ),
            ),
        ),  # fmt: skip
        FieldGroup(
            key="collection",
            legend="What the information was obtained for",
            intro="Privacy Act 2020 s22 IPP 11(1)(a) and HIPC r11(1)(c), r11(2)(a): disclosure that is one of, "
            "or directly related to, the purposes the information was obtained for.",
            toggle=_toggle(
                "collection",
                "State the purposes the information was obtained for",
                "Tick to say what the person was told the information was for.",
            ),
            fields=(
                _f(
                    "collection.obtained_for",
                    "Purposes it was obtained for",
                    "As the person was told, one per line.",
                    "lines",
                    required=True,
                    max_length=2000,
                ),
                _f(
                    "collection.disclosure",
                    "This disclosure",
                    "How this disclosure relates to those purposes.",
                    "radio",
                    choices=_enum_choices(CollectionUse, schema),
                    required=True,
                ),
            ),
        ),  # fmt: skip
        FieldGroup(
            key="publicly_available",
            legend="A public source",
            intro="Privacy Act 2020 s22 IPP 11(1)(d): the source is a publicly available publication and "
            "disclosure would not be unfair or unreasonable.",
            toggle=_toggle(
                "publicly_available",
                "The information comes from a publicly available publication",
                "Tick to name the publication.",
            ),
            fields=(
                _f(
                    "publicly_available.source",
                    "The publication",
                    "Where it was published.",
                    "text",
                    required=True,
                    max_length=2000,
                ),
                _f(
                    "publicly_available.unfair",
                    "Disclosing it would be unfair or unreasonable",
                    "IPP 11(1)(d) does not hold when it would be, in the circumstances.",
                    "radio",
                    choices=_YES_NO,
                    required=True,
                ),
            ),
        ),  # fmt: skip
        FieldGroup(
            key="intelligence_function",
            legend="An intelligence and security function",
            intro="Privacy Act 2020 s22 IPP 11(1)(g): disclosure necessary to enable an intelligence and "
            "security agency to perform any of its functions.",
            toggle=_toggle(
                "intelligence_function",
                "Disclosure serves a function of an intelligence and security agency",
                "Tick to name the function.",
            ),
            fields=(
                _f(
                    "intelligence_function.function",
                    "The function",
                    "E.g. under the Intelligence and Security Act 2017 s10.",
                    "text",
                    required=True,
                    max_length=2000,
                ),
                _f(
                    "intelligence_function.necessary",
                    "Disclosure is necessary for it, not merely useful",
                    "IPP 11(1)(g) needs necessity.",
                    "radio",
                    choices=_YES_NO,
                    required=True,
                ),
            ),
        ),  # fmt: skip
        FieldGroup(
            key="de_identified",
            legend="Use without identifying the person",
            intro="Privacy Act 2020 s22 IPP 11(1)(h) and HIPC r11(2)(c): information used in a form that does "
            "not identify the person, or for statistics or research not published identifiably.",
            toggle=_toggle(
                "de_identified",
                "The information is to be used without identifying the person",
                "Tick to say how it will be used.",
            ),
            fields=(
                _f(
                    "de_identified.use",
                    "How it will be used",
                    "IPP 11(1)(h)(i) covers use in a form that does not "
                    "identify the person; (h)(ii) statistics and research.",
                    "radio",
                    choices=_enum_choices(DeIdentifiedUse, schema),
                    required=True,
                ),
                _f(
                    "de_identified.published_identifiably",
                    "Results will be published in a form that could identify the person",
                    "IPP 11(1)(h)(ii) does not hold if they will.",
                    "radio",
                    choices=_YES_NO,
                    required=True,
                    default=NO,
                ),
            ),
        ),  # fmt: skip
        FieldGroup(
            key="family_violence",
            legend="Family violence",
            intro="Family Violence Act 2018 s 20: a family violence agency may disclose information to another "
            "if it may help protect a victim or with a family violence assessment, decision or plan.",
            toggle=_toggle(
                "family_violence",
                "The information relates to family violence",
                "Tick when it does, whether or not s 20 is relied on.",
            ),
            fields=(
                _f(
                    "family_violence.helps",
                    "Disclosure will or may help to",
                    "Family Violence Act 2018 s 20 (tick each that applies).",
                    "checkboxes",
                    choices=_enum_choices(FamilyViolenceHelp, schema),
                ),
            ),
        ),  # fmt: skip
        FieldGroup(
            key="overseas",
            legend="An overseas recipient",
            intro="Privacy Act 2020 s22 IPP 12: disclosure to a foreign person or entity needs one of the "
            "safeguards of IPP 12(1)(b)-(f), or the person's authorisation.",
            toggle=_toggle("overseas", "The recipient is outside New Zealand", "Tick when it is."),
            fields=(
                _f(
                    "overseas_safeguard",
                    "The safeguard at the recipient",
                    "IPP 12(1)(b)-(f). Leave empty when none is known.",
                    "select",
                    choices=_enum_choices(OverseasSafeguard, schema),
                ),
            ),
        ),  # fmt: skip
    ]
    return FormDescription(groups=tuple(groups), policy_revision=policy_set.revision)


# -- reading a submitted form ----------------------------------------------------------------

_INT_FIELDS = frozenset(("subject.age", "relates_to_child.age"))
_BOOL_FIELDS = frozenset((
    "subject.macip_participant", "threat.recipient_can_act", "maintenance_of_law.necessary",
    "publicly_available.unfair", "intelligence_function.necessary", "de_identified.published_identifiably",
))  # fmt: skip


def request_from_form(fields: Mapping[str, FormValue], form: FormDescription | None = None) -> DisclosureRequest:
    """Read a submitted form into a validated request, with the same model the CLI validates YAML with.

    Args:
        fields: The submitted values: a string per field, or a list of strings for fields
            that take several (checkboxes, one-per-line text); a list of one counts as its
            string. Names the form does not have (a CSRF token, a button) are ignored.
        form: The form the values came from (for the agency choices); None lays out the
            fields without checking the agency list.

    Returns:
        The request.

    Raises:
        FormErrors: Every field at fault, with a message for each.
    """
    errors: dict[str, str] = {}
    data: dict[str, Any] = {}
    values = _Values(fields, errors)

    data["id"] = values.text("id")
    if values.text("requested_at"):
        data["requested_at"] = values.text("requested_at")
    for side in ("from_agency", "to_agency"):
        data[side] = _agency(values, side, form, errors)
    data["subject"] = _without_empty(
        {
            "age": values.integer("subject.age"),
            "macip_participant": values.boolean("subject.macip_participant"),
            "consent": values.text("subject.consent"),
            "refusal_reasons": values.text("subject.refusal_reasons"),
        }
    )
    data["categories"] = values.several("categories")
    data["purpose"] = values.text("purpose")
    data["risk_level"] = values.text("risk_level")
    data["claimed_basis"] = values.lines("claimed_basis")

    sections: dict[str, dict[str, Any]] = {
        "threat": {
            "to": values.text("threat.to"),
            "likelihood": values.text("threat.likelihood") or None,
            "severity": values.text("threat.severity") or None,
            "imminence": values.text("threat.imminence") or None,
            "recipient_can_act": values.boolean("threat.recipient_can_act"),
        },
        "relates_to_child": {
            "age": values.integer("relates_to_child.age"),
            "assists": values.several("relates_to_child.assists"),
        },
        "statutory_request": {"provision": values.text("statutory_request.provision"),
                              "by": values.text("statutory_request.by")},
        "maintenance_of_law": {
            "limb": values.text("maintenance_of_law.limb"),
            "prejudice": values.text("maintenance_of_law.prejudice"),
            "necessary": values.boolean("maintenance_of_law.necessary", default=True),
        },
        "collection": {"obtained_for": values.lines("collection.obtained_for"),
                       "disclosure": values.text("collection.disclosure")},
        "publicly_available": {"source": values.text("publicly_available.source"),
                               "unfair": values.boolean("publicly_available.unfair")},
        "intelligence_function": {"function": values.text("intelligence_function.function"),
                                  "necessary": values.boolean("intelligence_function.necessary")},
        "de_identified": {"use": values.text("de_identified.use"),
                          "published_identifiably": values.boolean("de_identified.published_identifiably",
                                                                   default=False)},
        "family_violence": {"helps": values.several("family_violence.helps")},
    }  # fmt: skip
    for key, section in sections.items():
        stated = values.ticked(key)
        if stated:
            data[key] = _without_empty(section)
        elif _answered(section, _SECTION_DEFAULTS.get(key, {})):
            errors[key] = "you answered questions in this section: tick it to include them, or clear the answers"
    data["overseas"] = values.ticked("overseas")
    safeguard = values.text("overseas_safeguard")
    if safeguard:
        if data["overseas"]:
            data["overseas_safeguard"] = safeguard
        else:
            errors["overseas"] = "a safeguard is chosen: tick this to say the recipient is overseas, or clear it"

    request = None
    try:
        request = DisclosureRequest.model_validate(_without_empty(data, keep=("claimed_basis",)))
    except ValidationError as exc:
        for error in exc.errors():
            name = _field_name(tuple(error["loc"]))
            if name in ("from_agency", "to_agency") and values.text(name) == OTHER_PROVIDER:
                name = f"{name}_provider"
            errors.setdefault(name, _message(error))
    if errors or request is None:
        raise FormErrors(_in_form_order(errors, form))
    return request


def _in_form_order(errors: dict[str, str], form: FormDescription | None) -> dict[str, str]:
    """The errors in the order their fields are asked (others after), so the first is the first on the page."""
    if form is None:
        return errors
    order = {f.name: i for i, f in enumerate(form.fields())}  # a section's tick box is named after it
    return dict(sorted(errors.items(), key=lambda item: order.get(item[0], len(order))))


_SECTION_DEFAULTS: dict[str, dict[str, Any]] = {
    "maintenance_of_law": {"necessary": True},
    "de_identified": {"published_identifiably": False},
}


def _answered(section: Mapping[str, Any], defaults: Mapping[str, Any]) -> bool:
    """True when any answer in a section differs from what an empty form shows."""
    return any(v not in (None, "", [], _INVALID) and defaults.get(k, _UNSET) != v for k, v in section.items())


_UNSET = object()
_INVALID = object()
"""An answer that could not be read (its error is already recorded)."""


def _without_empty(data: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """Drop unanswered values so the model's own defaults and missing-field messages apply."""
    return {k: v for k, v in data.items() if k in keep or v not in (None, "", _INVALID)}


def _agency(values: _Values, side: str, form: FormDescription | None, errors: dict[str, str]) -> str:
    chosen = values.text(side)
    if chosen == OTHER_PROVIDER:
        slug = values.text(f"{side}_provider").removeprefix(COMMUNITY_PREFIX)
        if not slug:
            errors[f"{side}_provider"] = "name the community provider"
            return ""
        return f"{COMMUNITY_PREFIX}{slug}"
    if chosen and form is not None and chosen not in {c.value for c in form.field(side).choices}:
        errors[side] = "choose one of the agencies listed"
    return chosen


class _Values:
    """Typed reads of submitted values; a value that cannot be read records its field's error."""

    def __init__(self, fields: Mapping[str, FormValue], errors: dict[str, str]):
        self._fields = fields
        self._errors = errors

    def _raw(self, name: str) -> list[str]:
        value = self._fields.get(name)
        if value is None:
            return []
        return [value] if isinstance(value, str) else [str(v) for v in value]

    def text(self, name: str) -> str:
        raw = [v for v in self._raw(name) if v.strip()]
        if len(raw) > 1:
            self._errors[name] = "give one answer"
            return raw[0].strip()
        return raw[0].strip() if raw else ""

    def several(self, name: str) -> list[str]:
        return [v.strip() for v in self._raw(name) if v.strip()]

    def lines(self, name: str) -> list[str]:
        return [line.strip() for v in self._raw(name) for line in v.splitlines() if line.strip()]

    def ticked(self, name: str) -> bool:
        value = self.text(name)
        if value not in ("", YES):
            self._errors[name] = "tick the box, or leave it empty"
        return value == YES

    def integer(self, name: str) -> int | object | None:
        value = self.text(name)
        if not value:
            return None
        if not value.isascii() or not value.isdigit() or len(value) > 4:
            self._errors[name] = "enter a whole number of years"
            return _INVALID
        return int(value)

    def boolean(self, name: str, default: bool | None = None) -> bool | object | None:
        value = self.text(name)
        if not value:
            return default
        if value not in (YES, NO):
            self._errors[name] = "choose yes or no"
            return _INVALID
        return value == YES


def _field_name(loc: tuple[int | str, ...]) -> str:
    """The form field a model error belongs to: its path without list positions."""
    parts = [str(p) for p in loc if not isinstance(p, int)]
    if parts[:1] in (["from_agency"], ["to_agency"]):
        return parts[0]
    return ".".join(parts) or "form"


def _message(error: Mapping[str, Any]) -> str:
    """A model error as a message beside its field (the model's own words for its own rules)."""
    kind = error["type"]
    if kind == "missing":
        return "this is required"
    if kind == "enum":
        return "choose one of the options"
    if kind == "too_short" and error["loc"][-1:] in (("categories",), ("obtained_for",)):
        return "give at least one"
    if kind in ("string_too_short",):
        return "this is required"
    if kind in ("string_too_long",):
        return f"too long (at most {error.get('ctx', {}).get('max_length')} characters)"
    if kind in ("less_than_equal", "greater_than_equal"):
        return f"out of range: {error['msg'].removeprefix('Input should be ')}"
    if kind == "date_from_datetime_parsing" or kind.startswith("date_"):
        return "enter a date as YYYY-MM-DD"
    if kind == "moved_to_facts":
        return "the purpose or the provisions relied on turn on this fact: tick it and describe it"
    msg = str(error["msg"])
    return msg.removeprefix("Value error, ")


def form_values(request: DisclosureRequest, form: FormDescription | None = None) -> dict[str, FormValue]:
    """The submitted values that would give ``request`` (to show a request in the form again).

    Args:
        request: A validated request.
        form: The form (for the agency choices): an agency it does not list is shown as
            another community provider, named in ``*_provider``.

    Returns:
        ``{field: value}`` as :func:`request_from_form` reads it.
    """
    data = request.model_dump(mode="json")
    out: dict[str, FormValue] = {"id": data["id"], "requested_at": data.get("requested_at") or ""}
    listed = {c.value for c in form.field("from_agency").choices} if form is not None else None
    for side in ("from_agency", "to_agency"):
        agency = data[side]
        if agency.startswith(COMMUNITY_PREFIX) and (listed is None or agency not in listed):
            out[side], out[f"{side}_provider"] = OTHER_PROVIDER, agency.removeprefix(COMMUNITY_PREFIX)
        else:
            out[side] = agency
    subject = data["subject"]
    out["subject.age"] = str(subject["age"])
    out["subject.macip_participant"] = _yes_no(subject["macip_participant"])
    out["subject.consent"] = subject["consent"]
    if subject.get("refusal_reasons"):
        out["subject.refusal_reasons"] = subject["refusal_reasons"]
    out["categories"] = list(data["categories"])
    out["purpose"], out["risk_level"] = data["purpose"], data["risk_level"]
    out["claimed_basis"] = "\n".join(data["claimed_basis"])
    for key in ("threat", "relates_to_child", "statutory_request", "maintenance_of_law", "collection",
                "publicly_available", "intelligence_function", "de_identified", "family_violence"):  # fmt: skip
        section = data.get(key)
        if section is None:
            continue
        out[key] = YES
        for name, value in section.items():
            path = f"{key}.{name}"
            if isinstance(value, bool):
                out[path] = _yes_no(value)
            elif value is None:
                out[path] = ""
            elif isinstance(value, list):
                out[path] = "\n".join(value) if path == "collection.obtained_for" else list(value)
            else:
                out[path] = str(value)
    if data.get("overseas"):
        out["overseas"] = YES
    if data.get("overseas_safeguard"):
        out["overseas_safeguard"] = data["overseas_safeguard"]
    return out


def _yes_no(value: bool) -> str:
    return YES if value else NO


def category_label(value: str) -> str:
    """The display name of a category id."""
    return CATEGORY_LABELS.get(value, humanise(value))


def purpose_label(value: str) -> str:
    """The display name of a purpose id."""
    return PURPOSE_LABELS.get(value, humanise(value))


__all__ = [
    "CATEGORY_LABELS",
    "OTHER_PROVIDER",
    "PURPOSE_LABELS",
    "Choice",
    "FieldGroup",
    "FormDescription",
    "FormErrors",
    "FormField",
    "FormValue",
    "ShowWhen",
    "agency_choices",
    "category_label",
    "describe",
    "form_values",
    "humanise",
    "purpose_label",
    "request_from_form",
]
