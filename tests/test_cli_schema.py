"""``macip-gov schema``: the registry, the printed schemas, and the committed disclosure schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from macip_gov.cli import cli
from macip_gov.disclosure.models import DisclosureRequest
from macip_gov.schemas import SCHEMAS, model_schema, schema_of, schema_text

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "schemas" / "disclosure-request.schema.json"
REGENERATE = ".venv/bin/macip-gov schema disclosure-request > schemas/disclosure-request.schema.json"


def test_committed_disclosure_schema_is_current():
    assert COMMITTED.read_text(encoding="utf-8") == schema_text("disclosure-request"), f"stale; run: {REGENERATE}"


def test_disclosure_schema_is_the_models():
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert schema == model_schema(DisclosureRequest)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "DisclosureRequest"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {
        "id", "from_agency", "to_agency", "subject", "categories", "purpose", "risk_level",
    }  # fmt: skip
    assert set(schema["properties"]) == set(DisclosureRequest.model_fields)
    assert all(p.get("description") for p in schema["properties"].values())
    assert schema["properties"]["categories"]["minItems"] == 1
    assert schema["$defs"]["Subject"]["properties"]["age"] == {
        "description": "Age in whole years (0-130).", "maximum": 130, "minimum": 0, "title": "Age", "type": "integer",
    }  # fmt: skip


def test_schema_command_prints_the_committed_schema(runner):
    result = runner.invoke(cli, ["schema", "disclosure-request"])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == COMMITTED.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_registered_schema_loads(name):
    schema = schema_of(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"


@pytest.mark.parametrize("name", ["tor-spec", "oia-manifest"])
def test_registry_matches_other_committed_schemas(name):
    committed = ROOT / "schemas" / f"{name}.schema.json"
    assert schema_text(name) == committed.read_text(encoding="utf-8")


def test_schema_group_lists_the_registry(runner):
    result = runner.invoke(cli, ["schema", "--help"])
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == sorted(SCHEMAS)


def test_unknown_schema_is_a_usage_error(runner):
    result = runner.invoke(cli, ["schema", "nope"])
    assert result.exit_code == 2
    assert "No such command 'nope'" in result.stderr


def test_registry_entries_are_module_colon_attribute():
    for target in SCHEMAS.values():
        module, _, attr = target.partition(":")
        assert module.startswith("macip_gov.") and attr
