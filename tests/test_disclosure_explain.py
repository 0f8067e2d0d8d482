"""Explanations: every regime and provision considered, and the plain-text views."""

from __future__ import annotations

from pathlib import Path

import pytest

from macip_gov.disclosure.evaluate import decide
from macip_gov.disclosure.explain import explain, provision_titles, regime_findings
from macip_gov.disclosure.models import DisclosureRequest
from macip_gov.disclosure.report import outcome_label, render_decision, render_explanation
from macip_gov.errors import PolicyError
from macip_gov.inputs import load_model

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "disclosures"


def _request(name: str) -> DisclosureRequest:
    return load_model(DisclosureRequest, EXAMPLES / name)


def test_explanation_lists_every_regime_in_order(engine):
    e = explain(engine, _request("04-health-serious-threat.yaml"))
    assert [(r.regime, r.applies) for r in e.regimes] == [
        ("Privacy Act 2020 s22 IPP 11", True),
        ("Health Information Privacy Code 2020 r11", True),
        ("Oranga Tamariki Act 1989", False),
        ("Family Violence Act 2018", False),
        ("Privacy Act 2020 s22 IPP 12", False),
    ]
    assert e.regimes[0].why == "governs contact, identity, risk_assessment"
    assert e.regimes[1].why == "governs health information held by a health agency: mental_health"
    ipp11 = {f.provision: f for f in e.regimes[0].considered}
    assert [f.provision for f in e.regimes[0].considered] == sorted(ipp11)
    serious = ipp11["Privacy Act 2020 s22 IPP 11(1)(f)(ii)"]
    assert serious.status == "holds"
    assert serious.title == (
        "Necessary to prevent or lessen a serious threat to the life or health of the individual or another individual"
    )
    assert ipp11["Privacy Act 2020 s22 IPP 11(1)(c)"].status == "does_not_hold"
    assert ipp11["Privacy Act 2020 s22 IPP 11(1)(b)"].status == "not_engaged"
    hipc = {f.provision: f.status for f in e.regimes[1].considered}
    assert hipc["Health Information Privacy Code 2020 r11(2)"] == "holds"
    assert hipc["Health Information Privacy Code 2020 r11(2)(d)"] == "holds"
    assert e.regimes[2].considered == []


def test_explanation_carries_the_same_decision_as_check(engine):
    request = _request("10-family-violence-whanau-service.yaml")
    assert explain(engine, request).decision == decide(engine, request)


def test_every_considered_provision_has_a_title(engine):
    titles = provision_titles(engine)
    assert len(titles) == 23
    for path in sorted(EXAMPLES.glob("[0-9]*.yaml")):
        for regime in explain(engine, load_model(DisclosureRequest, path)).regimes:
            for finding in regime.considered:
                assert finding.title == titles[finding.provision]


def test_malformed_regimes_fail_closed():
    with pytest.raises(PolicyError, match="the decision's regimes are malformed"):
        regime_findings({"regimes": [{"regime": "x"}]}, {})
    with pytest.raises(PolicyError, match="the decision's regimes are malformed"):
        regime_findings({}, {})


def test_outcome_label():
    assert outcome_label("allow_with_conditions") == "ALLOW WITH CONDITIONS"


def test_render_decision(engine):
    request = _request("01-msd-support-status.yaml")
    assert render_decision(decide(engine, request), request) == "\n".join(
        [
            "MACIP-D-0001  ALLOW  msd -> police",
            "  Basis:      Privacy Act 2020 s22 IPP 11(1)(a)",
            "              Privacy Act 2020 s22 IPP 11(1)(c)",
            "  Reasons:    Privacy Act 2020 s22 IPP 11(1)(a): the person is a MACIP participant and",
            "              coordination_of_support is one of the programme purposes",
            "              Privacy Act 2020 s22 IPP 11(1)(c): the person authorised the disclosure",
            "  PIA flow:   F05",
        ]
    )


def test_render_denied_decision_has_no_basis_or_conditions(engine):
    request = _request("20-refused-msd-referral.yaml")
    text = render_decision(decide(engine, request))
    assert text.splitlines()[:2] == ["MACIP-D-0020  DENY", "  Basis:      none"]
    assert "Conditions:" not in text
    assert "Privacy Act 2020 s22 IPP 11(1)(a) was claimed but does not hold: the person refused;" in text


def test_render_explanation(engine):
    text = render_explanation(explain(engine, _request("14-constable-s66-request.yaml")))
    lines = text.splitlines()
    assert lines[:5] == [
        "Disclosure MACIP-D-0014: community:mentoring-service -> police",
        "  Information: contact, identity",
        "  Purpose:     child_wellbeing, risk high, within New Zealand",
        "  Person:      age 16, a MACIP participant, consent not_sought",
        "  Claimed:     Oranga Tamariki Act 1989 s66(1)",
    ]
    assert "Decision: REFER" in lines
    assert "3. Oranga Tamariki Act 1989: applies; the person is a child or young person (under 18)." in lines
    assert "   [holds] Oranga Tamariki Act 1989 s66(1)" in lines
    assert "   [does not hold] Oranga Tamariki Act 1989 s66C(b)" in lines
    assert "      Here: Contracted community mentoring service is not a child welfare and protection agency" in text
    assert lines[-5:] == [
        "Programme checks (sharing matrix, proportionality, PIA flows)",
        "   [refer] MACIP information-sharing matrix (operating protocol): community -> police does not list",
        "      contact, identity for child_wellbeing",
        "   [refer] MACIP Privacy Impact Assessment (approved information flows): no approved information",
        "      flow covers community:mentoring-service -> police for contact, identity (child_wellbeing)",
    ]
