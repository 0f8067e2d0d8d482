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
        ("Oranga Tamariki Act 1989", True),
        ("Family Violence Act 2018", True),
        ("Privacy Act 2020 s22 IPP 12", False),
    ]
    assert e.regimes[0].why == "governs contact, identity, risk_assessment"
    assert e.regimes[1].why == "governs health information held by a health agency: mental_health"
    ipp11 = {f.provision: f for f in e.regimes[0].considered}
    assert [f.provision for f in e.regimes[0].considered] == sorted(ipp11)
    serious = ipp11["Privacy Act 2020 s22 IPP 11(1)(f)(ii)"]
    assert (serious.status, serious.fact) == ("holds", "threat")
    assert serious.title == (
        "Necessary to prevent or lessen a serious threat to the life or health of the individual concerned or"
        " another individual"
    )
    assert serious.why == (
        "a serious threat (likelihood high, severity grave, imminence imminent) that New Zealand Police can"
        " prevent or lessen"
    )
    assert ipp11["Privacy Act 2020 s22 IPP 11(1)(c)"].status == "does_not_hold"
    assert ipp11["Privacy Act 2020 s22 IPP 11(1)(b)"].status == "not_engaged"
    hipc = {f.provision: f.status for f in e.regimes[1].considered}
    assert hipc["Health Information Privacy Code 2020 r11(2)"] == "holds"
    assert hipc["Health Information Privacy Code 2020 r11(2)(d)(ii)"] == "holds"
    assert e.regimes[4].considered == []
    assert (e.row.id, e.row.outcome.value) == ("permitted_urgent", "allow_with_conditions")
    assert e.row.when == {"verdict": "permitted", "urgent": True}


def test_explanation_carries_the_decision_of_check_with_every_exception(engine):
    request = _request("10-family-violence-whanau-service.yaml")
    explained = explain(engine, request)
    decided = decide(engine, request)
    assert explained.decision.legal.explain is not None and decided.legal.explain is None
    assert explained.decision.model_copy(update={"legal": decided.legal}) == decided
    held = {f.provision for f in explained.decision.legal.explain if f.held}
    assert held == {"Family Violence Act 2018 s20"}


def test_uncertain_explanation_names_the_facts_to_supply(engine):
    e = explain(engine, _request("30-threat-facts-missing.yaml"))
    assert e.decision.legal.missing == ["threat.recipient_can_act"]
    unsure = [f for f in e.decision.legal.explain or [] if f.status == "uncertain"]
    assert {f.fact for f in unsure} == {"threat.recipient_can_act"}
    assert "Supply:     threat.recipient_can_act" in render_explanation(e)


def test_every_considered_provision_has_a_title(engine):
    titles = provision_titles(engine)
    assert len(titles) == 36
    for path in sorted(EXAMPLES.glob("[0-9]*.yaml")):
        for regime in explain(engine, load_model(DisclosureRequest, path)).regimes:
            for finding in regime.considered:
                assert finding.title == titles[finding.provision]


def test_malformed_regimes_fail_closed():
    with pytest.raises(PolicyError, match="the explanation's regimes are malformed"):
        regime_findings({"regimes": [{"regime": "x"}]})
    with pytest.raises(PolicyError, match="the explanation's regimes are malformed"):
        regime_findings({})


def test_outcome_label():
    assert outcome_label("allow_with_conditions") == "ALLOW WITH CONDITIONS"


def test_render_decision(engine):
    request = _request("01-msd-support-status.yaml")
    assert render_decision(decide(engine, request), request) == "\n".join(
        [
            "MACIP-D-0001  ALLOW  msd -> police",
            "  Legal:      permitted",
            "  Programme:  covered; route msd -> police; row permitted_covered",
            "  Basis:      Privacy Act 2020 s22 IPP 11(1)(a)",
            "              Privacy Act 2020 s22 IPP 11(1)(c)",
            "  Reasons:    Privacy Act 2020 s22 IPP 11(1)(a): Disclosure is one of the purposes the information",
            "              was obtained for, or directly related to them",
            "              Privacy Act 2020 s22 IPP 11(1)(c): Disclosure is authorised by the individual",
            "              concerned",
            "  PIA flow:   F05",
        ]
    )


def test_render_denied_decision_has_no_basis_or_conditions(engine):
    request = _request("21-health-to-msd-not-sought.yaml")
    text = render_decision(decide(engine, request))
    assert text.splitlines()[:4] == [
        "MACIP-D-0021  DENY",
        "  Legal:      prohibited",
        "  Programme:  not covered; route health -> msd; row prohibited",
        "  Basis:      none",
    ]
    assert "Conditions:" not in text
    assert "Privacy Act 2020 s22 IPP 11(1): no exception holds for identity" in text


def test_render_explanation(engine):
    text = render_explanation(explain(engine, _request("14-constable-s66-request.yaml")))
    lines = text.splitlines()
    assert lines[:4] == [
        "Disclosure MACIP-D-0014: community:mentoring-service -> police",
        "  Information: contact, identity",
        "  Purpose:     child_wellbeing (programme tier high), within New Zealand",
        "  Person:      age 16, a MACIP participant, consent not_sought",
    ]
    assert "Decision: ALLOW WITH CONDITIONS" in lines
    assert "  Verdicts:   legal required; programme not covered; not urgent" in lines
    assert "   [holds] Oranga Tamariki Act 1989 s66(1)" in lines
    assert "   [does not hold] Oranga Tamariki Act 1989 s66C(b)" in lines
    assert "      Here: Contracted community mentoring service is not a child welfare and protection agency" in text
    assert "      Deciding fact: statutory_request" in lines
    assert lines[-2:] == [
        "Programme checks (sharing matrix, proportionality, PIA flows)",
        "   not covered (the outcome table does not need the programme's review for this row)",
    ]


def test_render_explanation_writes_the_row_as_the_table_does(engine):
    lines = render_explanation(explain(engine, _request("22-health-threat-outside-flows.yaml"))).splitlines()
    start = lines.index("  Row:        Outcome table row permitted_urgent (urgent true, verdict permitted):")
    assert lines[start + 1].strip().startswith("allow_with_conditions; a serious threat may be realised imminently")
