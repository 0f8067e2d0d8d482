"""The disclosure form: its description against the model and the policy data, and reading a form back."""

from __future__ import annotations

from pathlib import Path

import pytest

from macip_gov.disclosure.form import (
    CATEGORY_LABELS,
    OTHER_PROVIDER,
    PURPOSE_LABELS,
    FormErrors,
    describe,
    form_values,
    request_from_form,
)
from macip_gov.disclosure.models import DisclosureRequest
from macip_gov.errors import InvalidInputError
from macip_gov.inputs import load_model, validate_model
from macip_gov.validation import MEMBER_AGENCIES

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples" / "disclosures").glob("*.yaml"))


@pytest.fixture(scope="module")
def form(policy_set):
    return describe(policy_set)


def _threat_case() -> dict[str, str | list[str]]:
    return {
        "id": "WEB-0001",
        "from_agency": "health",
        "to_agency": "police",
        "subject.age": "29",
        "subject.macip_participant": "yes",
        "subject.consent": "not_sought",
        "categories": ["identity", "mental_health"],
        "purpose": "prevent_serious_threat",
        "risk_level": "imminent",
        "threat": "yes",
        "threat.to": "another_person",
        "threat.likelihood": "high",
        "threat.severity": "grave",
        "threat.imminence": "imminent",
        "threat.recipient_can_act": "yes",
        "csrf_token": "ignored",
    }


# -- the description ------------------------------------------------------------------------


def _data_categories(policy_set) -> set[str]:
    routes = policy_set.data["sharing.matrix"]["routes"]
    return {c for to in routes.values() for cats in to.values() for c in cats}


def _data_purposes(policy_set) -> set[str]:
    return {p for s in policy_set.data["sharing.matrix"]["purpose_sets"].values() for p in s}


def test_category_choices_are_the_model_s_and_the_policy_data_s(form, policy_set):
    offered = [c.value for c in form.field("categories").choices]
    schema = DisclosureRequest.model_json_schema()["$defs"]["Category"]["enum"]
    assert offered == schema
    assert set(offered) == _data_categories(policy_set)
    assert set(CATEGORY_LABELS) == set(offered), "every category the data names has a display name, and no other"


def test_purpose_choices_are_the_model_s_and_the_policy_data_s(form, policy_set):
    offered = [c.value for c in form.field("purpose").choices]
    assert offered == DisclosureRequest.model_json_schema()["$defs"]["Purpose"]["enum"]
    assert set(offered) == _data_purposes(policy_set)
    assert set(PURPOSE_LABELS) == set(offered)


def test_agency_choices_and_names_come_from_the_policy_data(form, policy_set):
    data = policy_set.data["sharing.agencies"]
    choices = form.field("to_agency").choices
    expected = list(data["agencies"]) + [f"community:{k}" for k in data["community_providers"]] + [OTHER_PROVIDER]
    assert [c.value for c in choices] == expected
    assert set(data["agencies"]) == set(MEMBER_AGENCIES)
    assert form.field("from_agency").choice_label("health") == data["agencies"]["health"]["name"]
    assert (
        form.field("to_agency")
        .choice_label("community:mentoring-service")
        .startswith(data["community_providers"]["mentoring-service"]["name"])
    )


def test_agency_choices_follow_the_data_they_are_given(policy_set):
    import dataclasses

    data = dict(policy_set.data)
    agencies = dict(data["sharing.agencies"])
    agencies["community_providers"] = {"night-shelter": {"name": "Night shelter"}}
    data["sharing.agencies"] = agencies
    changed = describe(dataclasses.replace(policy_set, data=data))
    assert "community:night-shelter" in [c.value for c in changed.field("to_agency").choices]
    assert "community:mentoring-service" not in [c.value for c in changed.field("to_agency").choices]


def test_policy_data_without_agencies_is_refused(policy_set):
    import dataclasses

    data = {k: v for k, v in policy_set.data.items() if k != "sharing.agencies"}
    with pytest.raises(InvalidInputError, match="names no agencies"):
        describe(dataclasses.replace(policy_set, data=data))


def test_every_enum_choice_matches_the_schema(form):
    defs = DisclosureRequest.model_json_schema()["$defs"]
    enum_fields = {
        "subject.consent": "Consent", "risk_level": "RiskLevel", "threat.to": "ThreatTarget",
        "threat.likelihood": "Likelihood", "threat.severity": "Severity", "threat.imminence": "Imminence",
        "relates_to_child.assists": "ChildPurpose", "statutory_request.by": "Requester",
        "maintenance_of_law.limb": "LawLimb", "collection.disclosure": "CollectionUse",
        "de_identified.use": "DeIdentifiedUse", "family_violence.helps": "FamilyViolenceHelp",
        "overseas_safeguard": "OverseasSafeguard",
    }  # fmt: skip
    for name, enum in enum_fields.items():
        field = form.field(name)
        assert [c.value for c in field.choices] == defs[enum]["enum"], name
        assert all(c.label and c.label != c.value for c in field.choices), name


def test_groups_are_asked_as_a_person_thinks(form):
    keys = [g.key for g in form.groups]
    assert keys[:6] == ["request", "who", "subject", "what", "why", "threat"]
    facts = {g.key for g in form.groups if g.optional}
    assert facts == {
        "threat", "relates_to_child", "statutory_request", "maintenance_of_law", "collection", "publicly_available",
        "intelligence_function", "de_identified", "family_violence", "overseas",
    }  # fmt: skip


def test_every_request_field_is_asked(form):
    asked = {f.name for f in form.fields()}
    schema = DisclosureRequest.model_json_schema()
    for name, prop in schema["properties"].items():
        ref = prop.get("$ref") or next((a.get("$ref") for a in prop.get("anyOf", []) if "$ref" in a), None)
        if ref is None or name == "subject":
            assert name in asked or name in {g.key for g in form.groups}, name
        if ref is not None and name not in ("subject",) and not ref.endswith(("Consent", "RiskLevel")):
            sub = schema["$defs"][ref.rsplit("/", 1)[1]]
            for inner in sub.get("properties", {}):
                assert f"{name}.{inner}" in asked, f"{name}.{inner}"
    for inner in schema["$defs"]["Subject"]["properties"]:
        assert f"subject.{inner}" in asked


def test_help_names_the_statutory_test(form):
    assert "s 7(1)" in form.field("threat.likelihood").help
    assert "likely" in form.field("threat.likelihood").help
    assert "IPP 11(1)(c)" in form.field("subject.consent").help
    assert all(f.label and f.help for f in form.fields())


def test_refusal_reasons_apply_only_when_consent_is_refused(form):
    reasons = form.field("subject.refusal_reasons")
    assert reasons.show_when is not None
    assert (reasons.show_when.field, reasons.show_when.values) == ("subject.consent", ("refused",))
    assert reasons.applies == "only when consent is refused"


def test_label_of_a_missing_fact(form):
    assert form.label_of("threat.recipient_can_act") == "The recipient can prevent or lessen it"
    assert form.label_of("collection") == "What the information was obtained for"
    assert form.label_of("nothing.like.this") == "nothing.like.this"


# -- reading the form back ------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_survives_the_form(form, path):
    request = load_model(DisclosureRequest, path)
    assert request_from_form(form_values(request, form), form) == request


def test_a_filled_form_is_the_request_the_yaml_gives(form):
    request = request_from_form(_threat_case(), form)
    yaml_like = {
        "id": "WEB-0001", "from_agency": "health", "to_agency": "police",
        "subject": {"age": 29, "macip_participant": True, "consent": "not_sought"},
        "categories": ["mental_health", "identity"], "purpose": "prevent_serious_threat", "risk_level": "imminent",
        "threat": {"to": "another_person", "likelihood": "high", "severity": "grave", "imminence": "imminent",
                   "recipient_can_act": True},
    }  # fmt: skip
    assert request == validate_model(DisclosureRequest, yaml_like, "request.yaml")


def test_not_known_threat_factors_stay_unstated(form):
    fields = {**_threat_case(), "threat.likelihood": "", "threat.recipient_can_act": ""}
    threat = request_from_form(fields, form).threat
    assert threat is not None
    assert (threat.likelihood, threat.recipient_can_act, threat.severity.value) == (None, None, "grave")


def test_errors_name_every_field_at_fault_in_form_order(form):
    fields = {
        **_threat_case(),
        "id": "<script>",
        "subject.age": "twenty",
        "categories": [],
        "subject.consent": "maybe",
        "threat.severity": "catastrophic",
    }
    with pytest.raises(FormErrors) as caught:
        request_from_form(fields, form)
    errors = caught.value.errors
    assert list(errors) == ["id", "subject.age", "subject.consent", "categories", "threat.severity"]
    assert errors["subject.age"] == "enter a whole number of years"
    assert errors["categories"] == "give at least one"
    assert errors["subject.consent"] == "choose one of the options"
    assert "not a record id" in errors["id"]
    assert isinstance(caught.value, InvalidInputError)
    assert caught.value.one_line().startswith("form: id: ")


def test_required_fields_missing_from_an_empty_form(form):
    with pytest.raises(FormErrors) as caught:
        request_from_form({}, form)
    assert caught.value.errors == {
        "id": "this is required", "from_agency": "this is required", "to_agency": "this is required",
        "subject.age": "this is required", "subject.macip_participant": "this is required",
        "subject.consent": "this is required", "categories": "give at least one", "purpose": "this is required",
        "risk_level": "this is required",
    }  # fmt: skip


def test_answers_in_an_unticked_section_are_refused_not_dropped(form):
    fields = {**_threat_case(), "threat": ""}
    with pytest.raises(FormErrors) as caught:
        request_from_form(fields, form)
    assert list(caught.value.errors) == ["threat"]
    assert "tick it" in caught.value.errors["threat"]


def test_an_unticked_section_with_only_its_defaults_is_not_stated(form):
    fields = {**_threat_case(), "maintenance_of_law.necessary": "yes", "de_identified.published_identifiably": "no"}
    request = request_from_form(fields, form)
    assert request.maintenance_of_law is None and request.de_identified is None


def test_a_ticked_section_needs_its_required_answers(form):
    fields = {**_threat_case(), "statutory_request": "yes", "statutory_request.by": "constable"}
    with pytest.raises(FormErrors) as caught:
        request_from_form(fields, form)
    assert caught.value.errors == {"statutory_request.provision": "this is required"}


def test_refusal_reasons_given_without_a_refusal(form):
    fields = {**_threat_case(), "subject.refusal_reasons": "they asked us not to"}
    with pytest.raises(FormErrors) as caught:
        request_from_form(fields, form)
    assert caught.value.errors == {"subject.refusal_reasons": "refusal_reasons are given only when consent is refused"}
    refused = request_from_form({**fields, "subject.consent": "refused"}, form)
    assert refused.subject.refusal_reasons == "they asked us not to"


def test_the_same_agency_twice(form):
    with pytest.raises(FormErrors) as caught:
        request_from_form({**_threat_case(), "to_agency": "health"}, form)
    assert list(caught.value.errors) == ["to_agency"]
    assert "must differ from from_agency" in caught.value.errors["to_agency"]


def test_an_agency_the_form_does_not_offer(form):
    with pytest.raises(FormErrors) as caught:
        request_from_form({**_threat_case(), "to_agency": "community:not-listed"}, form)
    assert caught.value.errors == {"to_agency": "choose one of the agencies listed"}


def test_another_community_provider_is_named_in_its_own_field(form):
    fields = {**_threat_case(), "to_agency": OTHER_PROVIDER, "to_agency_provider": "night-shelter"}
    assert request_from_form(fields, form).to_agency == "community:night-shelter"
    with pytest.raises(FormErrors) as caught:
        request_from_form({**fields, "to_agency_provider": "Night Shelter!"}, form)
    assert list(caught.value.errors) == ["to_agency_provider"]
    with pytest.raises(FormErrors) as caught:
        request_from_form({**fields, "to_agency_provider": ""}, form)
    assert caught.value.errors == {"to_agency_provider": "name the community provider"}


def test_a_purpose_that_needs_a_fact_points_at_its_section(form):
    fields = {k: v for k, v in _threat_case().items() if not k.startswith("threat")}
    with pytest.raises(FormErrors) as caught:
        request_from_form(fields, form)
    assert list(caught.value.errors) == ["threat"]


def test_two_answers_to_a_one_answer_field(form):
    with pytest.raises(FormErrors) as caught:
        request_from_form({**_threat_case(), "purpose": ["risk_assessment", "child_wellbeing"]}, form)
    assert caught.value.errors == {"purpose": "give one answer"}


def test_one_per_line_fields(form):
    fields = {
        **_threat_case(),
        "claimed_basis": "Privacy Act 2020 s22 IPP 11(1)(f)(ii)\r\n\r\n  HIPC r11(2)(d)  \n",
        "collection": "yes",
        "collection.obtained_for": "treatment\nreferral",
        "collection.disclosure": "unrelated",
    }
    request = request_from_form(fields, form)
    assert request.claimed_basis == ["HIPC r11(2)(d)", "Privacy Act 2020 s22 IPP 11(1)(f)(ii)"]
    assert request.collection is not None and request.collection.obtained_for == ["treatment", "referral"]


def test_overseas_safeguard_needs_the_overseas_box(form):
    with pytest.raises(FormErrors) as caught:
        request_from_form({**_threat_case(), "overseas_safeguard": "comparable_law"}, form)
    assert list(caught.value.errors) == ["overseas"]
    request = request_from_form({**_threat_case(), "overseas": "yes", "overseas_safeguard": "comparable_law"}, form)
    assert request.overseas and request.overseas_safeguard is not None


def test_ages_out_of_range_and_dates(form):
    with pytest.raises(FormErrors) as caught:
        request_from_form(
            {**_threat_case(), "subject.age": "131", "relates_to_child": "yes", "relates_to_child.age": "18",
             "requested_at": "20/03/2026"},
            form,
        )  # fmt: skip
    errors = caught.value.errors
    assert set(errors) == {"requested_at", "subject.age", "relates_to_child.age"}
    assert errors["subject.age"].startswith("out of range")
    assert errors["requested_at"] == "enter a date as YYYY-MM-DD"
