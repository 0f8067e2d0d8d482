"""Terms of Reference spec models: what a valid spec is, and the named cross-field rules."""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from macip_gov.governance import models
from macip_gov.governance.check import load_spec
from macip_gov.governance.models import (
    Member,
    TorSpec,
    VersionEntry,
    require_history_ends_at,
    require_unique_roles,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = ROOT / "examples" / "governance"


def _models() -> list[type[BaseModel]]:
    return [
        obj
        for _, obj in inspect.getmembers(models, inspect.isclass)
        if issubclass(obj, BaseModel) and obj.__module__ == models.__name__ and obj.__name__ != "_Record"
    ]


@pytest.mark.parametrize("model", _models(), ids=lambda m: m.__name__)
def test_every_model_forbids_extra_fields_and_is_frozen(model):
    assert model.model_config["extra"] == "forbid"
    assert model.model_config["frozen"] is True


@pytest.mark.parametrize("model", _models(), ids=lambda m: m.__name__)
def test_every_field_is_described(model):
    undescribed = [name for name, field in model.model_fields.items() if not field.description]
    assert undescribed == []


@pytest.mark.parametrize(
    "path",
    sorted(DATA.glob("passing_tor_*.yaml")) + sorted(EXAMPLES.glob("*.yaml")),
    ids=lambda p: p.name,
)
def test_passing_specs_validate(path):
    loaded = load_spec(path)
    assert loaded.file == str(path)
    assert loaded.spec.members
    assert loaded.spec.history[-1].version == loaded.spec.version


def test_spec_fields_parse_to_their_types():
    spec = load_spec(EXAMPLES / "macip-working-group.yaml").spec
    assert spec.type is models.BodyType.WORKING_GROUP
    assert spec.decision_making.method is models.DecisionMethod.CONSENSUS
    assert spec.approval.date == dt.date(2021, 7, 8)
    assert spec.review_date == dt.date(2022, 7, 8)
    assert spec.authority.reports_to.body == "macip-governance-group"
    assert [m.voting for m in spec.members].count(True) == 6
    assert spec.conflicts_of_interest is not None


def test_optional_governance_fields_are_left_to_the_policy():
    # The policy, not the model, decides that these are required, so a spec
    # missing them is reported as a violation (exit 1), not as malformed (exit 3).
    data = load_spec(DATA / "passing_tor_minimal.yaml").spec.model_dump(mode="json")
    del data["conflicts_of_interest"], data["review_date"]
    data["approval"]["date"] = None
    data["information_management"]["pia"] = None
    spec = TorSpec.model_validate(data)
    assert (spec.conflicts_of_interest, spec.review_date, spec.approval.date) == (None, None, None)
    assert spec.information_management.pia is None


def test_spec_is_immutable():
    spec = load_spec(DATA / "passing_tor_minimal.yaml").spec
    with pytest.raises(ValidationError):
        spec.quorum = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id", "MACIP Governance Group", "String should match pattern"),
        ("quorum", -1, "Input should be greater than or equal to 0"),
        ("members", [], "List should have at least 1 item"),
        ("objectives", ["   "], "String should have at least 1 character"),
        ("purpose", "", "String should have at least 1 character"),
    ],
)
def test_field_constraints(field, value, message):
    data = load_spec(DATA / "passing_tor_minimal.yaml").spec.model_dump(mode="json")
    data[field] = value
    with pytest.raises(ValidationError) as info:
        TorSpec.model_validate(data)
    assert message in str(info.value)
    assert info.value.errors()[0]["loc"][0] == field


def _member(role: str) -> Member:
    return Member(role=role, agency="police", voting=True)


def test_unique_roles_accepts_distinct_roles():
    assert require_unique_roles([_member("Chair"), _member("Member")]) is None


def test_unique_roles_refuses_a_role_holding_two_seats():
    with pytest.raises(ValueError, match="the role 'Chair' holds more than one seat"):
        require_unique_roles([_member("Chair"), _member("Member"), _member("Chair")])


def _entry(version: str, day: int) -> VersionEntry:
    return VersionEntry(version=version, date=dt.date(2021, 6, day), author="Secretariat", changes="x")


def test_history_ending_at_the_version_is_accepted():
    assert require_history_ends_at([_entry("0.1", 1), _entry("1.0", 2)], "1.0") is None
    assert require_history_ends_at([_entry("0.1", 1), _entry("0.2", 1)], "0.2") is None


@pytest.mark.parametrize(
    ("history", "version", "message"),
    [
        (
            [_entry("0.1", 1), _entry("1.0", 2)],
            "1.1",
            "the last version is 1.0, but the document is version 1.1",
        ),
        ([_entry("1.0", 2), _entry("0.1", 1)], "0.1", "versions are not in date order"),
        ([_entry("1.0", 1), _entry("1.0", 2)], "1.0", "a version appears more than once"),
    ],
)
def test_history_rules(history, version, message):
    with pytest.raises(ValueError, match=message):
        require_history_ends_at(history, version)
