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

# Every provision the policies can rely on: each must hold in at least one example.
ROUTES = {
    "Privacy Act 2020 s22 IPP 11(1)(a)",
    "Privacy Act 2020 s22 IPP 11(1)(c)",
    "Privacy Act 2020 s22 IPP 11(1)(d)",
    "Privacy Act 2020 s22 IPP 11(1)(e)(i)",
    "Privacy Act 2020 s22 IPP 11(1)(e)(iii)",
    "Privacy Act 2020 s22 IPP 11(1)(e)(iv)",
    "Privacy Act 2020 s22 IPP 11(1)(f)(i)",
    "Privacy Act 2020 s22 IPP 11(1)(f)(ii)",
    "Privacy Act 2020 s22 IPP 11(1)(g)",
    "Privacy Act 2020 s22 IPP 11(1)(h)(i)",
    "Privacy Act 2020 s22 IPP 11(1)(h)(ii)",
    "Privacy Act 2020 s22 IPP 12(1)(a)",
    "Privacy Act 2020 s22 IPP 12(1)(c)",
    "Privacy Act 2020 s22 IPP 12(2)",
    "Health Information Privacy Code 2020 r11(1)(b)",
    "Health Information Privacy Code 2020 r11(1)(c)",
    "Health Information Privacy Code 2020 r11(2)(a)",
    "Health Information Privacy Code 2020 r11(2)(c)",
    "Health Information Privacy Code 2020 r11(2)(d)(ii)",
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
    got = {
        "file": path.name,
        "outcome": decision.outcome.value,
        "row": decision.row,
        "verdict": decision.legal.verdict.value,
        "legal_basis": decision.legal_basis,
        "urgent": decision.urgent,
        "covered": decision.programme.covered,
        "pia_flow": decision.pia_flow,
    }
    if decision.legal.missing:
        got["missing"] = decision.legal.missing
    assert got == expected
    assert decision.legal.basis == decision.legal_basis
    assert decision.policy_revision == engine.revision
    for reason in decision.reasons:
        assert any(act in reason for act in ("Act", "Code", "MACIP")), reason


def test_examples_cover_every_outcome_row_and_route(engine):
    assert len(EXAMPLE_FILES) >= 30
    assert {e["outcome"] for e in EXPECTED.values()} == {o.value for o in Outcome}
    rows = {r["id"] for r in wording(engine).rows}
    # A request missing a field never reaches the policies (it is invalid input); its row is tested in Rego.
    assert {e["row"] for e in EXPECTED.values()} == rows - {"incomplete"}
    relied_on = {b for e in EXPECTED.values() if e["verdict"] in ("permitted", "required") for b in e["legal_basis"]}
    assert relied_on == ROUTES
    assert {e["verdict"] for e in EXPECTED.values()} == {"required", "permitted", "prohibited", "uncertain"}
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
            **load_document(EXAMPLES / "21-health-to-msd-not-sought.yaml"),
            "claimed_basis": ["IPP 11(1)(a)", "HIPC r11(2)(d)", "Crimes Act 1961 s1"],
        }
    )
    decision = decide(engine, request)
    assert (decision.outcome, decision.row) == (Outcome.REFER, "prohibited_claim_not_assessed")
    assert decision.reasons == [
        "Crimes Act 1961 s1 was claimed but is not a provision these policies assess for a disclosure",
        "Health Information Privacy Code 2020 r11(2)(d) was claimed but does not hold on these facts"
        " (disclosure explain shows why)",
        "Privacy Act 2020 s22 IPP 11(1)(a) was claimed but does not hold on these facts (disclosure explain shows why)",
        "Crimes Act 1961 s1 is relied on but is not a provision these policies assess; the privacy officer decides",
    ]


def test_conditions_come_with_their_wording(engine):
    request = load_model(DisclosureRequest, EXAMPLES / "08-education-to-oranga-tamariki.yaml")
    (consult,) = [c for c in decide(engine, request).conditions if c.id == "consult_child"]
    assert (consult.id, consult.authority) == ("consult_child", "Oranga Tamariki Act 1989 s66K")
    assert consult.text == wording(engine).conditions["consult_child"]["text"]


def test_wording_fills_templates_in_order():
    words = Wording(titles={}, conditions={}, messages={"m": "%v then %v"}, rows=[])
    assert words.say("m", "a", "b") == "a then b"


_LEGAL = {"verdict": "permitted", "basis": ["P1"], "missing": [], "duties": [], "not_assessed": []}
_PROGRAMME = {"covered": True, "flow": "F1", "route": "a -> b", "lines_crossed": False}
_ALLOW = {
    "outcome": "allow", "row": "permitted_covered", "legal": _LEGAL, "programme": _PROGRAMME, "urgent": False,
    "legal_basis": ["P1"], "conditions": [], "deny": [], "refer": [], "claims": {}, "pia_flow": "F1",
}  # fmt: skip
_FINDING = {"id": "x", "msg": "no", "details": {}}
_WORDS = Wording(
    titles={"P1": "it does"},
    conditions={"c1": {"text": "t", "authority": "a"}},
    messages={"holds": "%v: %v"},
    rows=[],
)


def _allow(**legal: object) -> dict[str, object]:
    return {**_ALLOW, "legal": {**_LEGAL, **legal}}


def test_a_consistent_document_is_a_decision():
    decision = to_decision(_ALLOW, "R", "rev", _WORDS)
    assert (decision.outcome, decision.legal_basis, decision.reasons) == (Outcome.ALLOW, ["P1"], ["P1: it does"])
    assert (decision.row, decision.legal.verdict.value, decision.programme.covered) == (
        "permitted_covered",
        "permitted",
        True,
    )
    assert check_decision(_ALLOW) is _ALLOW


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (["allow"], "is list, not a decision object; refusing to decide"),
        (None, "is NoneType, not a decision object; refusing to decide"),
        ({"outcome": "allow"}, "has no 'row'; refusing to decide"),
        ({**_ALLOW, "outcome": "maybe"}, "has an unknown outcome 'maybe'; refusing to decide"),
        ({**_ALLOW, "outcome": "ALLOW"}, "has an unknown outcome 'ALLOW'; refusing to decide"),
        ({**_ALLOW, "outcome": True}, "has an unknown outcome 'True'; refusing to decide"),
        ({**_ALLOW, "row": ""}, "is malformed at row; refusing to decide"),
        (_allow(verdict="lawful"), "is malformed at legal; refusing to decide"),
        ({**_ALLOW, "programme": {**_PROGRAMME, "covered": "yes"}}, "is malformed at programme; refusing to decide"),
        ({**_ALLOW, "urgent": "no"}, "is malformed at urgent; refusing to decide"),
        ({**_ALLOW, "legal_basis": "P1"}, "is malformed at legal_basis; refusing to decide"),
        ({**_ALLOW, "legal_basis": [""]}, "is malformed at legal_basis; refusing to decide"),
        ({**_ALLOW, "conditions": [1]}, "is malformed at conditions; refusing to decide"),
        ({**_ALLOW, "deny": [{"msg": "no"}]}, "is malformed at deny; refusing to decide"),
        ({**_ALLOW, "refer": {"x": 1}}, "is malformed at refer; refusing to decide"),
        ({**_ALLOW, "claims": []}, "is malformed at claims; refusing to decide"),
        ({**_ALLOW, "claims": {"c": "maybe"}}, "is malformed at claims; refusing to decide"),
        ({**_ALLOW, "pia_flow": 3}, "is malformed at pia_flow; refusing to decide"),
        ({**_ALLOW, "pia_flow": "F2"}, "contradicts itself (legal_basis or pia_flow); refusing to decide"),
        # An allow always rests on a required or permitted verdict with a basis the policies assess.
        ({**_allow(basis=[]), "legal_basis": []}, "says allow without a legal basis; refusing to decide"),
        (_allow(verdict="prohibited"), "says allow without a legal basis; refusing to decide"),
        (_allow(verdict="uncertain", missing=["threat"]), "says allow without a legal basis; refusing to decide"),
        (_allow(verdict="required", duties=["P2"]), "says required on a duty it does not rest on; refusing to decide"),
        ({**_allow(basis=["IPP 99"]), "legal_basis": ["IPP 99"]},
         "says allow on 'IPP 99', which the policies do not assess; refusing to decide"),
        # The outcome agrees with the findings.
        ({**_ALLOW, "deny": [_FINDING]}, "says allow despite findings against it; refusing to decide"),
        ({**_ALLOW, "outcome": "allow_with_conditions", "conditions": ["c1"], "refer": [_FINDING]},
         "says allow_with_conditions despite findings against it; refusing to decide"),
        ({**_ALLOW, "conditions": ["c1"]}, "says allow with 1 conditions; refusing to decide"),
        ({**_ALLOW, "outcome": "deny"}, "says deny without a deny finding; refusing to decide"),
        ({**_ALLOW, "outcome": "refer"}, "says refer without exactly refer findings; refusing to decide"),
        ({**_ALLOW, "outcome": "refer", "refer": [_FINDING], "legal": {**_LEGAL, "verdict": "uncertain"}},
         "is uncertain without naming a missing fact; refusing to decide"),
        ({**_ALLOW, "outcome": "allow_with_conditions", "conditions": ["c2"]}, "is malformed (KeyError: 'c2')"),
    ],
)  # fmt: skip
def test_to_decision_fails_closed(raw, message):
    with pytest.raises(PolicyError) as info:
        to_decision(raw, "R", "rev", _WORDS)
    assert info.value.message == f"data.{ENTRYPOINT} {message}"


_CATALOGUE = (
    'catalogue := {"titles": {}, "conditions": {}, "rows": [], "messages": {"holds": "%v: %v", '
    '"claim_holds": "%v", "claim_considered": "%v", "claim_not_assessed": "%v"}}'
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
    with pytest.raises(PolicyError, match="has no 'row'"):
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
