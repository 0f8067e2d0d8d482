"""The committed JSON Schema of a Terms of Reference spec matches the models."""

from __future__ import annotations

import json
from pathlib import Path

from macip_gov.schemas import schema_text

SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "tor-spec.schema.json"
REGENERATE = ".venv/bin/macip-gov schema tor-spec > schemas/tor-spec.schema.json"


def test_committed_schema_is_current():
    assert SCHEMA.read_text(encoding="utf-8") == schema_text("tor-spec"), f"stale; regenerate with: {REGENERATE}"


def test_schema_describes_a_closed_spec():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "TorSpec"
    assert schema["additionalProperties"] is False
    assert all(d["additionalProperties"] is False for d in schema["$defs"].values() if d.get("type") == "object")
    assert {"id", "name", "type", "members", "chair", "quorum", "history"} <= set(schema["required"])
    assert "conflicts_of_interest" not in schema["required"]  # enforced by the policy, exit 1
    assert schema["$defs"]["BodyType"]["enum"] == [
        "governance_group",
        "working_group",
        "advisory_group",
    ]
    assert all(p.get("description") for p in schema["properties"].values())
