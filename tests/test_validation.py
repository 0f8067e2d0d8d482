"""The shared identifier types and named validators."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

from macip_gov.validation import (
    AGENCY_KEY_PATTERN,
    MEMBER_AGENCIES,
    AgencyId,
    AgencyKey,
    Citation,
    RecordId,
    Slug,
    normalise_citation,
    require_distinct,
    sorted_unique,
    validate_agency_id,
    validate_record_id,
    validate_slug,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("value", ["police", "health", "msd", "education", "oranga_tamariki", "nzsis"])
def test_member_agencies_are_agency_ids(value):
    assert validate_agency_id(value) == value


@pytest.mark.parametrize("value", ["community:mentoring-service", "community:a", "community:kaupapa-2-go"])
def test_community_providers_are_agency_ids(value):
    assert validate_agency_id(value) == value


@pytest.mark.parametrize(
    "value",
    ["Police", "corrections", "community:", "community:Big-Trust", "community:a--b", "community:-a", "police "],
)
def test_other_agency_ids_are_refused_with_the_list(value):
    with pytest.raises(PydanticCustomError) as info:
        validate_agency_id(value)
    assert str(info.value) == (
        f"unknown agency {value!r}; expected one of police, health, msd, education, oranga_tamariki, nzsis"
        " or community:<slug>"
    )


def test_slug():
    assert validate_slug("whanau-support-service") == "whanau-support-service"
    with pytest.raises(PydanticCustomError, match="is not a slug"):
        validate_slug("Whānau")


@pytest.mark.parametrize("value", ["REQ-2026-0142", "a", "MACIP/D:7_x.1", "9" * 100])
def test_record_ids(value):
    assert validate_record_id(value) == value


@pytest.mark.parametrize("value", ["", "-lead", "has space", "9" * 101, "tab\tid"])
def test_bad_record_ids(value):
    with pytest.raises(PydanticCustomError, match="is not a record id"):
        validate_record_id(value)


def test_citations_are_tidied():
    assert normalise_citation("  Privacy Act 2020   s22\tIPP 11(1)(c) ") == "Privacy Act 2020 s22 IPP 11(1)(c)"


@pytest.mark.parametrize("value", ["", "   ", "x" * 161, "IPP\x0011"])
def test_bad_citations(value):
    with pytest.raises(PydanticCustomError, match="is not a citation"):
        normalise_citation(value)


def test_require_distinct():
    require_distinct("police", "health", first_name="from_agency", second_name="to_agency")
    with pytest.raises(PydanticCustomError) as info:
        require_distinct("police", "police", first_name="from_agency", second_name="to_agency")
    assert str(info.value) == "to_agency must differ from from_agency (both are 'police')"


class _Colour(str, Enum):
    """Test enum."""

    RED = "red"
    BLUE = "blue"


def test_sorted_unique_orders_by_value_and_drops_repeats():
    assert sorted_unique([_Colour.RED, _Colour.BLUE, _Colour.RED]) == [_Colour.BLUE, _Colour.RED]
    assert sorted_unique(["b", "a", "b"]) == ["a", "b"]
    assert sorted_unique([]) == []


class _Probe(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agency: AgencyId
    record: RecordId
    slug: Slug
    citation: Citation


def test_annotated_types_validate_in_a_model():
    probe = _Probe(agency="nzsis", record="R-1", slug="a-b", citation=" IPP  11(1)(c)")
    assert probe.citation == "IPP 11(1)(c)"
    with pytest.raises(ValidationError) as info:
        _Probe(agency="sis", record="R-1", slug="a-b", citation="x")
    error = info.value.errors()[0]
    assert error["loc"] == ("agency",)
    assert error["type"] == "agency_id"


def test_annotated_types_document_their_pattern():
    props = _Probe.model_json_schema()["properties"]
    assert props["agency"]["pattern"] == (
        "^(?:police|health|msd|education|oranga_tamariki|nzsis|community:[a-z0-9]+(?:-[a-z0-9]+)*)$"
    )
    assert props["record"]["pattern"] == "^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$"
    assert props["slug"]["pattern"] == "^[a-z0-9]+(?:-[a-z0-9]+)*$"
    assert props["citation"]["maxLength"] == 160


def _policy_agencies(relative: str) -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "policies" / relative).read_text(encoding="utf-8"))
    return dict(data["agencies"])


def test_the_member_agency_list_is_the_one_the_policies_use():
    assert tuple(_policy_agencies("pia/validate/data.yaml")) == MEMBER_AGENCIES
    assert tuple(_policy_agencies("sharing/agencies/data.yaml")) == MEMBER_AGENCIES
    tor = _policy_agencies("governance/tor/data.yaml")
    assert tuple(key for key, record in tor.items() if record["lead"]) == MEMBER_AGENCIES


class _TorProbe(BaseModel):
    agency: AgencyKey


def test_an_agency_key_is_any_agency_the_programme_may_list():
    for key in (*MEMBER_AGENCIES, "dpmc", "corrections", "acme_consulting"):
        assert _TorProbe(agency=key).agency == key
    for bad in ("Police", "community:trust", "1st", "a" * 61):
        with pytest.raises(ValidationError):
            _TorProbe(agency=bad)
    assert _TorProbe.model_json_schema()["properties"]["agency"]["pattern"] == AGENCY_KEY_PATTERN
