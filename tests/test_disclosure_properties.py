"""Properties of disclosure decisions: labels never decide a legal test."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macip_gov.disclosure.evaluate import decide
from macip_gov.disclosure.models import DisclosureRequest, Purpose, RiskLevel, Verdict
from macip_gov.inputs import load_document

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "disclosures"
# Requests the law prohibits on their facts; purposes whose old-shape rule needs a fact are left out below.
PROHIBITED = [load_document(p) for p in sorted(EXAMPLES.glob("[0-9]*.yaml"))]
_NEEDS_FACT = {
    Purpose.PREVENT_SERIOUS_THREAT.value: "threat",
    Purpose.CHILD_WELLBEING.value: "relates_to_child",
    Purpose.MAINTENANCE_OF_LAW.value: "maintenance_of_law",
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    index=st.integers(min_value=0, max_value=len(PROHIBITED) - 1),
    purpose=st.sampled_from([p.value for p in Purpose]),
    risk=st.sampled_from([r.value for r in RiskLevel]),
)
def test_relabelling_never_turns_prohibited_into_permitted(engine, index, purpose, risk):
    document = PROHIBITED[index]
    before = decide(engine, DisclosureRequest.model_validate(document))
    needed = _NEEDS_FACT.get(purpose)
    if before.legal.verdict is not Verdict.PROHIBITED or (needed is not None and needed not in document):
        return
    after = decide(engine, DisclosureRequest.model_validate({**document, "purpose": purpose, "risk_level": risk}))
    assert after.legal.verdict is Verdict.PROHIBITED
    assert after.legal_basis == before.legal_basis


def test_some_examples_are_prohibited(engine):
    verdicts = {decide(engine, DisclosureRequest.model_validate(d)).legal.verdict for d in PROHIBITED}
    assert Verdict.PROHIBITED in verdicts
