"""Deciding requests: the MACIP examples, the PIA link, and failing closed on a bad policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write_tree

from macip_gov.disclosure.evaluate import ENTRYPOINT, canonical_json, decide, decide_many, to_decision
from macip_gov.disclosure.models import DisclosureRequest, Outcome
from macip_gov.engine import EmbeddedEngine
from macip_gov.errors import PolicyError
from macip_gov.inputs import load_document, load_model
from macip_gov.policyset import load_policy_set

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "disclosures"
EXPECTED = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))
EXAMPLE_FILES = sorted(EXAMPLES.glob("[0-9]*.yaml"))

# Every lawful route the policies know: each must hold in at least one example.
ROUTES = {
    "Privacy Act 2020 s22 IPP 11(1)(a)",
    "Privacy Act 2020 s22 IPP 11(1)(c)",
    "Privacy Act 2020 s22 IPP 11(1)(e)(i)",
    "Privacy Act 2020 s22 IPP 11(1)(f)(ii)",
    "Privacy Act 2020 s22 IPP 11(1)(g)",
    "Privacy Act 2020 s22 IPP 12(1)(a)",
    "Privacy Act 2020 s22 IPP 12(2)",
    "Health Information Privacy Code 2020 r11(1)(b)",
    "Health Information Privacy Code 2020 r11(1)(c)",
    "Health Information Privacy Code 2020 r11(2)(a)",
    "Health Information Privacy Code 2020 r11(2)(d)",
    "Health Information Privacy Code 2020 r11(2)(i)(i)",
    "Oranga Tamariki Act 1989 s66C(b)",
    "Oranga Tamariki Act 1989 s66(1)",
    "Family Violence Act 2018 s20",
}


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_gets_its_expected_decision(engine, path: Path):
    request = load_model(DisclosureRequest, path)
    decision = decide(engine, request)
    expected = EXPECTED[request.id]
    assert expected["file"] == path.name
    assert (decision.outcome.value, decision.legal_basis, decision.pia_flow) == (
        expected["outcome"],
        expected["legal_basis"],
        expected["pia_flow"],
    )
    assert decision.policy_revision == engine.revision
    for reason in decision.reasons:
        assert any(act in reason for act in ("Act", "Code", "MACIP")), reason


def test_examples_cover_every_outcome_and_route():
    assert len(EXAMPLE_FILES) >= 15
    assert {e["outcome"] for e in EXPECTED.values()} == {o.value for o in Outcome}
    relied_on = {b for e in EXPECTED.values() for b in e["legal_basis"]}
    assert relied_on == ROUTES
    assert len(EXPECTED) == len(EXAMPLE_FILES)


def test_batch_file_holds_exactly_the_examples():
    lines = (EXAMPLES / "requests.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [load_document(p) for p in EXAMPLE_FILES]


def test_every_covering_flow_exists_in_the_pia(policy_set):
    flows = policy_set.data["pia.approved_flows"]
    for e in EXPECTED.values():
        if e["pia_flow"] is not None:
            assert flows[e["pia_flow"]]["signed_off"] is True


def test_decide_many_keeps_order(engine):
    requests = [load_model(DisclosureRequest, p) for p in EXAMPLE_FILES[:4]]
    assert [d.id for d in decide_many(engine, requests)] == [r.id for r in requests]


def test_canonical_json():
    assert canonical_json({"b": [1, {"d": "ā", "c": None}], "a": True}) == '{"a":true,"b":[1,{"c":null,"d":"ā"}]}'


def test_to_decision_shapes_the_result(engine):
    request = load_model(DisclosureRequest, EXAMPLE_FILES[0])
    raw = engine.evaluate(ENTRYPOINT, request.model_dump(mode="json"))
    decision = to_decision(raw, "X-1", "rev")
    assert (decision.id, decision.policy_revision, decision.outcome) == ("X-1", "rev", Outcome.ALLOW)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"outcome": "allow"}, "has no 'legal_basis'; refusing to decide"),
        (
            {
                "outcome": "maybe",
                "legal_basis": [],
                "conditions": [],
                "reasons": [],
                "violations": [],
                "pia_flow": None,
            },
            "is malformed at outcome: Input should be 'allow', 'allow_with_conditions', 'refer' or 'deny'",
        ),
        (
            {
                "outcome": "allow",
                "legal_basis": [],
                "conditions": [],
                "reasons": [],
                "pia_flow": None,
                "violations": [{"id": "x", "msg": "no", "details": {}, "effect": "deny"}],
            },
            "says allow for R despite its own findings",
        ),
        (
            {
                "outcome": "allow_with_conditions",
                "legal_basis": [],
                "conditions": [],
                "reasons": [],
                "pia_flow": None,
                "violations": [{"id": "x", "msg": "no", "details": {}, "effect": "refer"}],
            },
            "says allow_with_conditions for R despite its own findings",
        ),
    ],
)
def test_to_decision_fails_closed(raw, message):
    with pytest.raises(PolicyError) as info:
        to_decision(raw, "R", "rev")
    assert info.value.message == f"data.{ENTRYPOINT} {message}"


def _policy(tmp_path: Path, body: str) -> EmbeddedEngine:
    root = write_tree(
        tmp_path / "policies", {"sharing/decision/decision.rego": f"package sharing.decision\n\n{body}\n"}
    )
    return EmbeddedEngine(load_policy_set(root))


def test_undefined_decision_fails_closed(tmp_path):
    engine = _policy(tmp_path, "result := {} if false")
    request = load_model(DisclosureRequest, EXAMPLE_FILES[0])
    with pytest.raises(PolicyError, match="data.sharing.decision.result is undefined"):
        decide(engine, request)


def test_runtime_error_fails_closed(tmp_path):
    engine = _policy(tmp_path, 'result := {"outcome": "allow", "x": 1 / 0}')
    request = load_model(DisclosureRequest, EXAMPLE_FILES[0])
    with pytest.raises(PolicyError, match="divide by zero"):
        decide(engine, request)


def test_an_allow_without_its_parts_fails_closed(tmp_path):
    engine = _policy(tmp_path, 'result := {"outcome": "allow"}')
    request = load_model(DisclosureRequest, EXAMPLE_FILES[0])
    with pytest.raises(PolicyError, match="has no 'legal_basis'"):
        decide(engine, request)


def test_a_non_object_decision_fails_closed(tmp_path):
    engine = _policy(tmp_path, 'result := "allow"')
    request = load_model(DisclosureRequest, EXAMPLE_FILES[0])
    with pytest.raises(PolicyError, match="is str, not a decision object"):
        decide(engine, request)
