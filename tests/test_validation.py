"""The shared identifier types and named validators."""

from __future__ import annotations

from enum import Enum

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

from macip_gov.validation import (
    AgencyId,
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
