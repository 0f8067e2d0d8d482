"""The one result contract: the Violation model and the parser of engine result sets."""

from __future__ import annotations

import json

import pytest
from conftest import write_tree
from pydantic import ValidationError

from macip_gov.engine import EmbeddedEngine
from macip_gov.errors import PolicyError
from macip_gov.policyset import load_policy_set
from macip_gov.results import Violation, decision_document, parse_results

Q = "x.decision"


def _parse(value, **kwargs):
    return parse_results(value, query=Q, what="deny", **kwargs)


def test_results_are_read_sorted_by_id_then_message():
    found = _parse(
        [
            {"id": "b.rule", "msg": "second", "details": {}},
            {"id": "a.rule", "msg": "zeta", "details": {"n": 1}},
            {"id": "a.rule", "msg": "alpha", "details": {}},
        ]
    )
    assert [(v.id, v.msg) for v in found] == [("a.rule", "alpha"), ("a.rule", "zeta"), ("b.rule", "second")]
    assert found[1].details == {"n": 1}


def test_an_empty_set_is_no_results():
    assert _parse([]) == []


def test_effect_is_recorded_and_unknown_fields_are_left_out_of_the_json():
    [v] = _parse([{"id": "a", "msg": "m", "details": {"k": "v"}}], effect="warn")
    assert v.effect == "warn"
    assert json.loads(v.model_dump_json()) == {"id": "a", "msg": "m", "details": {"k": "v"}, "effect": "warn"}
    [plain] = _parse([{"id": "a", "msg": "m", "details": {}}])
    assert plain.model_dump(mode="json") == {"id": "a", "msg": "m", "details": {}}


def test_locate_copies_document_line_and_field_from_the_details():
    details = {"document": "brief", "line": 7, "field": "letter.grounds", "citation": "6(c)"}
    [v] = _parse([{"id": "a", "msg": "m", "details": details}], locate=True)
    assert (v.document, v.line, v.field) == ("brief", 7, "letter.grounds")
    assert v.details == details
    [unlocated] = _parse([{"id": "a", "msg": "m", "details": details}])
    assert (unlocated.document, unlocated.line, unlocated.field) == (None, None, None)


@pytest.mark.parametrize(
    "details",
    [{"line": 0}, {"line": -3}, {"line": "7"}, {"line": True}, {"document": ""}, {"document": 3}, {"field": None}],
)
def test_locate_ignores_what_is_not_a_location(details):
    [v] = _parse([{"id": "a", "msg": "m", "details": details}], locate=True)
    assert (v.document, v.line, v.field) == (None, None, None)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "x.decision: deny is not a set of results"),
        ({"id": "a", "msg": "m", "details": {}}, "x.decision: deny is not a set of results"),
        ("a", "x.decision: deny is not a set of results"),
        (["a"], "x.decision: a deny result is malformed (str, not an object)"),
        ([{"id": "a", "msg": "m"}], "x.decision: a deny result is malformed (missing details)"),
        ([{"id": "a"}], "x.decision: a deny result is malformed (missing details, msg)"),
        (
            [{"id": "a", "msg": "m", "details": {}, "effect": "deny"}],
            "x.decision: a deny result is malformed (unexpected effect)",
        ),
        ([{"id": "", "msg": "m", "details": {}}], "x.decision: a deny result is malformed (id is not non-empty text)"),
        ([{"id": 1, "msg": "m", "details": {}}], "x.decision: a deny result is malformed (id is not non-empty text)"),
        ([{"id": "a", "msg": ["m"], "details": {}}], "x.decision: a deny result is malformed (msg of a is not text)"),
        (
            [{"id": "a", "msg": "m", "details": None}],
            "x.decision: a deny result is malformed (details of a is not an object)",
        ),
        (
            [{"id": "a", "msg": "m", "details": []}],
            "x.decision: a deny result is malformed (details of a is not an object)",
        ),
    ],
)
def test_a_malformed_result_set_fails_closed(value, message):
    with pytest.raises(PolicyError) as info:
        _parse(value)
    assert info.value.message == message
    assert info.value.exit_code == 4


def test_the_model_is_a_frozen_record_with_every_field_described():
    assert Violation.model_config["extra"] == "forbid"
    assert Violation.model_config["frozen"] is True
    assert all(f.description for f in Violation.model_fields.values())
    v = Violation(id="a", msg="m", details={})
    with pytest.raises(ValidationError):
        v.id = "b"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        Violation.model_validate({"id": "a", "msg": "m", "details": {}, "severity": "error"})
    with pytest.raises(ValidationError):
        Violation.model_validate({"id": "a", "msg": "m", "details": {}, "effect": "block"})
    with pytest.raises(ValidationError):
        Violation.model_validate({"id": "a", "msg": "m"})


def test_a_violation_round_trips_through_its_json():
    v = Violation(id="a", msg="m", details={"n": [1, 2]}, effect="refer", document="d", line=3, field="f")
    assert Violation.model_validate_json(v.model_dump_json()) == v


def test_decision_document_names_what_is_missing():
    assert decision_document({"deny": [], "warn": []}, query=Q, keys=("deny", "warn")) == {"deny": [], "warn": []}
    with pytest.raises(PolicyError, match=r"^x.decision: the decision is not an object$"):
        decision_document([], query=Q, keys=("deny",))
    with pytest.raises(PolicyError, match=r"^x.decision: warn is missing from the decision$"):
        decision_document({"deny": []}, query=Q, keys=("deny", "warn"))
    with pytest.raises(PolicyError, match=r"^x.decision: deny, warn are missing from the decision$"):
        decision_document({}, query=Q, keys=("deny", "warn"))


_REGO = """package x

deny contains {"id": "x.b", "msg": "second", "details": {"line": 4, "document": "d"}} if input.b

deny contains {"id": "x.a", "msg": "first", "details": {}} if input.a

warn contains {"id": "x.w", "msg": "advice"} if input.w

decision := {"deny": deny, "warn": warn}
"""


@pytest.fixture
def tiny_engine(tmp_path):
    eng = EmbeddedEngine(load_policy_set(write_tree(tmp_path / "policies", {"x/x.rego": _REGO})))
    yield eng
    eng.close()


def test_a_set_from_the_engine_is_read_as_results(tiny_engine):
    decision = tiny_engine.evaluate(Q, {"a": True, "b": True})
    found = parse_results(decision["deny"], query=Q, what="deny", effect="deny", locate=True)
    assert found == [
        Violation(id="x.a", msg="first", details={}, effect="deny"),
        Violation(id="x.b", msg="second", details={"line": 4, "document": "d"}, effect="deny", document="d", line=4),
    ]
    assert parse_results(tiny_engine.evaluate(Q, {})["deny"], query=Q, what="deny") == []


def test_a_rule_that_breaks_the_contract_fails_closed(tiny_engine):
    decision = tiny_engine.evaluate(Q, {"w": True})
    with pytest.raises(PolicyError, match=r"a warn result is malformed \(missing details\)"):
        parse_results(decision["warn"], query=Q, what="warn")
