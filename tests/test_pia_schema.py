"""The committed JSON Schema of a PIA matches the models, and the models are closed."""

from __future__ import annotations

import json
from pathlib import Path

from macip_gov.schemas import schema_text
from macip_gov.validation import AGENCY_PATTERN

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "pia.schema.json"
REGENERATE = ".venv/bin/macip-gov schema pia > schemas/pia.schema.json"


def test_committed_schema_is_current():
    assert SCHEMA.read_text(encoding="utf-8") == schema_text("pia"), f"stale; regenerate with: {REGENERATE}"


def test_schema_is_closed_and_every_field_is_described():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["title"] == "Pia"
    assert schema["additionalProperties"] is False
    objects = [d for d in schema["$defs"].values() if d.get("type") == "object"]
    assert len(objects) >= 15
    assert all(d["additionalProperties"] is False for d in objects)
    for d in [schema, *objects]:
        for name, prop in d["properties"].items():
            assert prop.get("description"), name


def test_schema_carries_the_shared_vocabularies():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    defs = schema["$defs"]
    assert defs["Category"]["enum"] == [
        "identity",
        "contact",
        "criminal_history",
        "intelligence",
        "health",
        "mental_health",
        "alcohol_drug",
        "education",
        "income_benefit",
        "family_whanau",
        "care_protection",
        "risk_assessment",
    ]
    assert defs["Purpose"]["enum"] == [
        "referral_assessment",
        "coordination_of_support",
        "risk_assessment",
        "prevent_serious_threat",
        "maintenance_of_law",
        "child_wellbeing",
    ]
    assert defs["Ipp"]["enum"] == [f"IPP{n}" for n in range(1, 14)]
    assert defs["Flow"]["properties"]["id"]["pattern"] == "^F[0-9]{2,3}$"
    assert defs["Flow"]["properties"]["from_agency"]["pattern"] == AGENCY_PATTERN
