"""Deciding requests: the MACIP examples, the PIA link, and failing closed on a bad policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write_tree

from macip_gov.canonical import canonical_bytes, canonical_json
from macip_gov.disclosure.evaluate import (
    ENTRYPOINT,
    Wording,
    check_decision,
    decide,
    decide_many,
    to_decision,
    wording,
)
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
    assert canonical_bytes({"b": "ā", "a": 1}) == '{"a":1,"b":"ā"}'.encode()


def test_to_decision_shapes_the_result(engine):
    request = load_model(DisclosureRequest, EXAMPLE_FILES[0])
    raw = engine.evaluate(ENTRYPOINT, request.model_dump(mode="json"))
    decision = to_decision(raw, "X-1", "rev", wording(engine))
    assert (decision.id, decision.policy_revision, decision.outcome) == ("X-1", "rev", Outcome.ALLOW)


def test_reasons_are_the_findings_in_the_policies_wording(engine):
    request = DisclosureRequest.model_validate(
        {
            **load_document(EXAMPLES / "20-refused-msd-referral.yaml"),
            "claimed_basis": ["IPP 11(1)(a)", "HIPC r11(2)(d)", "OTA s66C", "Crimes Act 1961 s1"],
        }
    )
    assert decide(engine, request).reasons == [
        "Crimes Act 1961 s1 was claimed but is not a provision these policies assess for a disclosure",
        "Health Information Privacy Code 2020 r11(2)(d) was claimed but Health Information Privacy Code 2020 r11"
        " does not apply: New Zealand Police is not a health agency",
        "Oranga Tamariki Act 1989 s66C was claimed but Oranga Tamariki Act 1989 does not apply: the person is not"
        " shown to be under 18, and the Act's sharing provisions cover only children and young people",
        "Privacy Act 2020 s22 IPP 11(1)(a) was claimed but does not hold: the person refused; MACIP is voluntary,"
        " so a refusal takes their information outside its purposes",
        "Privacy Act 2020 s22 IPP 11(1)(a) does not hold: the person refused; MACIP is voluntary, so a refusal"
        " takes their information outside its purposes",
        "Privacy Act 2020 s22 IPP 11(1)(c) does not hold: the person refused to authorise it",
        "Privacy Act 2020 s22 IPP 11(1): no exception holds for contact, identity, risk_assessment, and no"
        " enactment authorises the disclosure",
    ]


def test_conditions_come_with_their_wording(engine):
    request = load_model(DisclosureRequest, EXAMPLES / "08-education-to-oranga-tamariki.yaml")
    (consult, *_) = decide(engine, request).conditions
    assert (consult.id, consult.authority) == ("consult_child", "Oranga Tamariki Act 1989 s66K")
    assert consult.text == wording(engine).conditions["consult_child"]["text"]


def test_wording_fills_templates_in_order():
    words = Wording(titles={}, conditions={}, messages={"m": "%v then %v"})
    assert words.say("m", "a", "b") == "a then b"


_REGIME = {"regime": "R", "applies": True, "why": "w", "considered": {"P1": {"status": "holds", "why": "it does"}}}
_ALLOW = {
    "outcome": "allow", "legal_basis": ["P1"], "conditions": [], "deny": [], "refer": [], "claims": {},
    "lawful": True, "pia_flow": "F1", "regimes": [_REGIME],
}  # fmt: skip
_FINDING = {"id": "x", "msg": "no", "details": {}}
_WORDS = Wording(titles={}, conditions={"c1": {"text": "t", "authority": "a"}}, messages={"holds": "%v: %v"})


def test_a_consistent_document_is_a_decision():
    decision = to_decision(_ALLOW, "R", "rev", _WORDS)
    assert (decision.outcome, decision.legal_basis, decision.reasons) == (Outcome.ALLOW, ["P1"], ["P1: it does"])
    assert check_decision(_ALLOW) is _ALLOW


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (["allow"], "is list, not a decision object; refusing to decide"),
        (None, "is NoneType, not a decision object; refusing to decide"),
        ({"outcome": "allow"}, "has no 'legal_basis'; refusing to decide"),
        ({**_ALLOW, "outcome": "maybe"}, "has an unknown outcome 'maybe'; refusing to decide"),
        ({**_ALLOW, "outcome": "ALLOW"}, "has an unknown outcome 'ALLOW'; refusing to decide"),
        ({**_ALLOW, "outcome": True}, "has an unknown outcome 'True'; refusing to decide"),
        ({**_ALLOW, "legal_basis": "P1"}, "is malformed at legal_basis; refusing to decide"),
        ({**_ALLOW, "legal_basis": [""]}, "is malformed at legal_basis; refusing to decide"),
        ({**_ALLOW, "conditions": [1]}, "is malformed at conditions; refusing to decide"),
        ({**_ALLOW, "deny": [{"msg": "no"}]}, "is malformed at deny; refusing to decide"),
        ({**_ALLOW, "refer": {"x": 1}}, "is malformed at refer; refusing to decide"),
        ({**_ALLOW, "claims": []}, "is malformed at claims; refusing to decide"),
        ({**_ALLOW, "lawful": "yes"}, "is malformed at lawful; refusing to decide"),
        ({**_ALLOW, "pia_flow": 3}, "is malformed at pia_flow; refusing to decide"),
        ({**_ALLOW, "regimes": [{**_REGIME, "considered": {"P1": {"status": "maybe", "why": "w"}}}]},
         "is malformed at regimes; refusing to decide"),
        # An allow always rests on a basis that holds under a regime that governs the request.
        ({**_ALLOW, "legal_basis": []}, "says allow without a legal basis; refusing to decide"),
        ({**_ALLOW, "outcome": "allow_with_conditions", "conditions": ["c1"], "legal_basis": []},
         "says allow_with_conditions without a legal basis; refusing to decide"),
        ({**_ALLOW, "lawful": False}, "finds no lawful basis yet no deny finding; refusing to decide"),
        ({**_ALLOW, "legal_basis": ["IPP 99"]},
         "says allow on 'IPP 99', which no governing regime finds to hold; refusing to decide"),
        ({**_ALLOW, "regimes": [{**_REGIME, "applies": False}]},
         "says allow on 'P1', which no governing regime finds to hold; refusing to decide"),
        ({**_ALLOW, "regimes": [{**_REGIME, "considered": {"P1": {"status": "does_not_hold", "why": "w"}}}]},
         "says allow on 'P1', which no governing regime finds to hold; refusing to decide"),
        # The outcome is the one the findings give.
        ({**_ALLOW, "deny": [_FINDING]}, "says allow where its own findings give deny; refusing to decide"),
        ({**_ALLOW, "outcome": "allow_with_conditions", "conditions": ["c1"], "refer": [_FINDING]},
         "says allow_with_conditions where its own findings give refer; refusing to decide"),
        ({**_ALLOW, "conditions": ["c1"]}, "says allow where its own findings give allow_with_conditions; "
         "refusing to decide"),
        ({**_ALLOW, "outcome": "deny"}, "says deny where its own findings give allow; refusing to decide"),
        ({**_ALLOW, "outcome": "allow_with_conditions", "conditions": ["c2"]}, "is malformed (KeyError: 'c2')"),
    ],
)  # fmt: skip
def test_to_decision_fails_closed(raw, message):
    with pytest.raises(PolicyError) as info:
        to_decision(raw, "R", "rev", _WORDS)
    assert info.value.message == f"data.{ENTRYPOINT} {message}"


_CATALOGUE = (
    'catalogue := {"titles": {}, "conditions": {}, "messages": {"holds": "%v: %v", "fails": "%v", '
    '"claim_holds": "%v", "claim_fails": "%v", "claim_regime": "%v", "claim_unknown": "%v"}}'
)


def _policy(tmp_path: Path, body: str) -> EmbeddedEngine:
    source = f"package sharing.decision\n\n{body}\n\n{_CATALOGUE}\n"
    root = write_tree(tmp_path / "policies", {"sharing/decision/decision.rego": source})
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


def test_a_missing_catalogue_fails_closed(tmp_path):
    root = write_tree(
        tmp_path / "policies", {"sharing/decision/decision.rego": "package sharing.decision\n\ncatalogue := 1\n"}
    )
    with pytest.raises(PolicyError, match="data.sharing.decision.catalogue is not a wording catalogue"):
        wording(EmbeddedEngine(load_policy_set(root)))
