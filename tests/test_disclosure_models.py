"""Disclosure request and decision models: validation, ordering, closed records."""

from __future__ import annotations

import inspect
import json
from datetime import date
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

import macip_gov.disclosure.models as models
from macip_gov.disclosure.models import Category, Decision, DisclosureRequest, Outcome, Violation
from macip_gov.errors import ExitCode, InvalidInputError
from macip_gov.inputs import load_model

DATA = Path(__file__).resolve().parent / "data"

BASE = {
    "id": "T-1",
    "from_agency": "police",
    "to_agency": "health",
    "subject": {"age": 30, "macip_participant": True, "consent": "given"},
    "categories": ["identity"],
    "purpose": "referral_assessment",
    "risk_level": "medium",
}


def _with(**changes):
    return {**BASE, **changes}


def test_passing_request_is_read_sorted_and_tidied():
    request = load_model(DisclosureRequest, DATA / "passing_disclosure_request.yaml")
    assert request.categories == [Category.CONTACT, Category.IDENTITY]
    assert request.claimed_basis == ["IPP 11(1)(c)"]
    assert request.requested_at == date(2026, 3, 16)
    assert request.overseas is False
    assert request.model_dump(mode="json") == {
        "id": "T-0001",
        "from_agency": "police",
        "to_agency": "community:mentoring-service",
        "subject": {"age": 26, "macip_participant": True, "consent": "given"},
        "categories": ["contact", "identity"],
        "purpose": "coordination_of_support",
        "risk_level": "low",
        "overseas": False,
        "claimed_basis": ["IPP 11(1)(c)"],
        "requested_at": "2026-03-16",
    }


@pytest.mark.parametrize("path", sorted(DATA.glob("failing_disclosure_*.yaml")), ids=lambda p: p.stem)
def test_failing_requests_name_file_line_and_field(path: Path, monkeypatch):
    monkeypatch.chdir(DATA)
    expected = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# error: ")
    with pytest.raises(InvalidInputError) as info:
        load_model(DisclosureRequest, path.name)
    assert info.value.one_line() == expected


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"subject": {"age": "30", "macip_participant": True, "consent": "given"}}, "subject.age"),
        ({"subject": {"age": 30.5, "macip_participant": True, "consent": "given"}}, "subject.age"),
        ({"subject": {"age": 30, "macip_participant": "true", "consent": "given"}}, "subject.macip_participant"),
        ({"subject": {"age": -1, "macip_participant": True, "consent": "given"}}, "subject.age"),
        ({"overseas": 1}, "overseas"),
        ({"categories": ["identity", "dna"]}, "categories.1"),
        ({"purpose": "research"}, "purpose"),
        ({"risk_level": "severe"}, "risk_level"),
        ({"id": ""}, "id"),
        ({"claimed_basis": [""]}, "claimed_basis.0"),
        ({"requested_at": "2026-02-30"}, "requested_at"),
    ],
)
def test_strict_fields(change, field):
    with pytest.raises(ValidationError) as info:
        DisclosureRequest.model_validate(_with(**change))
    assert ".".join(str(p) for p in info.value.errors()[0]["loc"]) == field


def test_missing_fields_are_named():
    data = dict(BASE)
    del data["risk_level"]
    with pytest.raises(ValidationError) as info:
        DisclosureRequest.model_validate(data)
    assert info.value.errors()[0]["loc"] == ("risk_level",)
    assert info.value.errors()[0]["type"] == "missing"


def test_requests_are_frozen():
    request = DisclosureRequest.model_validate(BASE)
    with pytest.raises(ValidationError):
        request.purpose = "risk_assessment"  # type: ignore[assignment]


@pytest.mark.parametrize(
    ("changes", "field", "moved"),
    [
        ({"purpose": "prevent_serious_threat", "risk_level": "imminent"}, "threat", "`threat:`"),
        ({"purpose": "child_wellbeing"}, "relates_to_child", "`relates_to_child:`"),
        ({"purpose": "maintenance_of_law"}, "maintenance_of_law", "`maintenance_of_law:`"),
        ({"claimed_basis": ["Oranga Tamariki Act 1989 s66(1)"]}, "statutory_request", "`statutory_request:`"),
        ({"claimed_basis": ["Family Violence Act 2018 s20"]}, "family_violence", "`family_violence:`"),
    ],
)
def test_old_shape_names_the_field_the_fact_moved_to(changes, field, moved):
    with pytest.raises(ValidationError) as info:
        DisclosureRequest.model_validate(_with(**changes))
    (error,) = info.value.errors()
    assert error["loc"] == (field,)
    assert moved in error["msg"]


def test_claiming_s66c_is_not_the_old_s66_shape():
    request = DisclosureRequest.model_validate(_with(claimed_basis=["Oranga Tamariki Act 1989 s66C(b)"]))
    assert request.statutory_request is None


def test_refusal_reasons_only_with_a_refusal():
    with pytest.raises(ValidationError, match="only when consent is refused"):
        DisclosureRequest.model_validate(_with(subject={**BASE["subject"], "refusal_reasons": "x"}))
    subject = {**BASE["subject"], "consent": "refused", "refusal_reasons": " specific threat "}
    assert DisclosureRequest.model_validate(_with(subject=subject)).subject.refusal_reasons == "specific threat"


def test_facts_not_stated_are_left_out_of_the_document():
    threat = {"to": "public", "likelihood": "high"}
    document = DisclosureRequest.model_validate(_with(threat=threat)).model_dump(mode="json")
    assert document["threat"] == {**threat, "severity": None, "imminence": None, "recipient_can_act": None}
    assert "relates_to_child" not in document and "collection" not in document


def test_json_round_trip():
    request = DisclosureRequest.model_validate(_with(claimed_basis=["b", "a"], overseas=True))
    assert DisclosureRequest.model_validate_json(request.model_dump_json()) == request
    assert request.claimed_basis == ["a", "b"]


def test_every_record_model_is_closed_and_described():
    classes = [
        c for _, c in inspect.getmembers(models, inspect.isclass) if issubclass(c, BaseModel) and c is not BaseModel
    ]
    assert len(classes) >= 20
    for cls in classes:
        assert cls.model_config.get("extra") == "forbid", cls
        assert cls.model_config.get("frozen") is True, cls
        for name, field in cls.model_fields.items():
            assert field.description, f"{cls.__name__}.{name}"


_VERDICTS = {
    "row": "prohibited", "urgent": False,
    "legal": {"verdict": "prohibited", "basis": [], "missing": [], "duties": [], "not_assessed": []},
    "programme": {"covered": False, "flow": None, "route": None, "lines_crossed": False},
}  # fmt: skip


def test_decision_allowed():
    common = {
        "id": "x", "legal_basis": [], "conditions": [], "reasons": [], "violations": [],
        "pia_flow": None, "policy_revision": "r", **_VERDICTS,
    }  # fmt: skip
    assert Decision(outcome=Outcome.ALLOW, **common).allowed
    assert Decision(outcome=Outcome.ALLOW_WITH_CONDITIONS, **common).allowed
    assert not Decision(outcome=Outcome.REFER, **common).allowed
    assert not Decision(outcome=Outcome.DENY, **common).allowed


def _decision(**changes):
    common = {
        "id": "x", "outcome": "deny", "legal_basis": [], "conditions": [], "reasons": [], "violations": [],
        "pia_flow": None, "policy_revision": "r", **_VERDICTS,
    }  # fmt: skip
    return Decision.model_validate({**common, **changes})


@pytest.mark.parametrize(
    ("outcome", "code"),
    [("allow", ExitCode.OK), ("allow_with_conditions", ExitCode.OK), ("refer", ExitCode.DENIED), ("deny", 1)],
)
def test_decision_exit_code(outcome, code):
    assert _decision(outcome=outcome).exit_code == code


def test_decision_findings_keep_their_json_shape():
    finding = {"id": "privacy.ipp11.no_exception", "msg": "no exception", "details": {"n": 1}, "effect": "deny"}
    decision = _decision(violations=[finding])
    assert decision.violations == [Violation(**finding)]
    assert json.loads(decision.model_dump_json())["violations"] == [finding]


@pytest.mark.parametrize("effect", ["warn", None])
def test_a_decision_finding_must_deny_or_refer(effect):
    finding = {"id": "a.b", "msg": "m", "details": {}}
    if effect is not None:
        finding["effect"] = effect
    with pytest.raises(ValidationError, match="not deny or refer"):
        _decision(violations=[finding])


def test_a_decision_finding_without_details_is_refused():
    with pytest.raises(ValidationError):
        _decision(violations=[{"id": "a.b", "msg": "m", "effect": "deny"}])
