"""The PIA models and their named validation functions."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from macip_gov.pia import models
from macip_gov.pia.models import Agency, Flow, Pia, Risk
from macip_gov.pia.store import load_pia
from macip_gov.pia.validation import (
    CATEGORY_LABELS,
    IPP_TITLES,
    PURPOSE_LABELS,
    Category,
    Ipp,
    Purpose,
    check_deprecation,
    duplicate_ids,
    natural_key,
    sorted_unique,
)
from macip_gov.validation import validate_agency_id

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "data" / "passing_pia_minimal.yaml"

FLOW = {
    "id": "F01",
    "name": "n",
    "description": "d",
    "from_agency": "police",
    "to_agency": "health",
    "categories": ["mental_health", "identity", "identity"],
    "purposes": ["referral_assessment"],
    "legal_basis": ["b", "a"],
    "frequency": "ad_hoc",
    "retention": "r",
    "security": "s",
}


@pytest.mark.parametrize(
    "agency", ["police", "health", "msd", "education", "oranga_tamariki", "nzsis", "community:whanau-trust"]
)
def test_agency_ids_accepted(agency):
    assert validate_agency_id(agency) == agency


@pytest.mark.parametrize("agency", ["Police", "ird", "community:", "community:Bad_Slug", "community:a--b", ""])
def test_agency_ids_refused(agency):
    with pytest.raises(ValueError, match="unknown agency"):
        validate_agency_id(agency)


def test_duplicates_and_natural_order():
    assert duplicate_ids(["F01", "F02", "F01", "F03", "F02"]) == ["F01", "F02"]
    assert sorted_unique([Ipp.IPP10, Ipp.IPP2, Ipp.IPP2]) == [Ipp.IPP2, Ipp.IPP10]
    assert natural_key("R10") > natural_key("R9")


def test_deprecation_rules():
    check_deprecation(1, 2, "F02")
    check_deprecation(None, None, None)
    with pytest.raises(ValueError, match="replaced_by is set but version_deprecated is not"):
        check_deprecation(1, None, "F02")
    with pytest.raises(ValueError, match="must be later than version_added"):
        check_deprecation(3, 3, None)


def test_flow_lists_are_sorted_and_deduplicated():
    flow = Flow.model_validate(FLOW)
    assert flow.categories == [Category.IDENTITY, Category.MENTAL_HEALTH]
    assert flow.legal_basis == ["a", "b"]
    assert flow.active


def test_flow_to_itself_is_refused():
    with pytest.raises(ValidationError, match="goes from police to itself"):
        Flow.model_validate(dict(FLOW, to_agency="police"))


def test_flow_id_shape():
    with pytest.raises(ValidationError, match="flow id 'X1' must look like F01"):
        Flow.model_validate(dict(FLOW, id="X1"))


def test_risk_scales_are_1_to_4():
    base = {
        "id": "R01",
        "title": "t",
        "description": "d",
        "ipps": ["IPP5"],
        "owner": "o",
        "likelihood": 4,
        "consequence": 1,
        "residual_likelihood": 1,
        "residual_consequence": 1,
    }
    assert Risk.model_validate(base).likelihood == 4
    with pytest.raises(ValidationError, match="less than or equal to 4"):
        Risk.model_validate(dict(base, consequence=5))
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        Risk.model_validate(dict(base, residual_likelihood=0))


def test_records_are_closed_and_frozen():
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Agency.model_validate({"id": "police", "name": "P", "role": "r", "colour": "blue"})
    agency = Agency(id="police", name="P", role="r")
    with pytest.raises(ValidationError):
        agency.name = "Q"  # type: ignore[misc]
    classes = [
        v for v in vars(models).values() if isinstance(v, type) and issubclass(v, BaseModel) and v is not BaseModel
    ]
    assert len(classes) >= 18
    assert all(c.model_config.get("extra") == "forbid" for c in classes)
    assert all(c.model_config.get("frozen") for c in classes)


def test_content_hash_ignores_signoffs_base_and_explicit_defaults():
    pia = load_pia(MINIMAL)
    h = pia.content_hash()
    assert h.startswith("sha256:") and len(h) == 71
    data = pia.model_dump(mode="json")
    data["based_on_revision"] = 7
    data["signoffs"] = [{"by": "x", "role": "y", "at": "2026-01-01T00:00:00Z", "content_hash": h}]
    data["project"]["agencies"][0]["child_welfare_agency"] = False  # the default, written out
    assert Pia.model_validate(data).content_hash() == h
    data["flows"][0]["retention"] = "8 years."
    assert Pia.model_validate(data).content_hash() != h


def test_duplicate_mitigation_ids_across_risks_are_refused():
    data = load_pia(MINIMAL).model_dump(mode="json")
    second = dict(data["risks"][0], id="R02")
    data["risks"].append(second)
    with pytest.raises(ValidationError, match="duplicate mitigation id"):
        Pia.model_validate(data)


def test_ipp_analysis_sorted_by_number_and_unique():
    data = load_pia(MINIMAL).model_dump(mode="json")
    data["ipp_analysis"].reverse()
    assert [f.ipp for f in Pia.model_validate(data).ipp_analysis][:3] == [Ipp.IPP1, Ipp.IPP2, Ipp.IPP3]
    data["ipp_analysis"].append(dict(data["ipp_analysis"][0]))
    with pytest.raises(ValidationError, match="principle analysed twice: IPP13"):
        Pia.model_validate(data)


def test_labels_cover_every_id():
    assert set(CATEGORY_LABELS) == set(Category)
    assert set(PURPOSE_LABELS) == set(Purpose)
    assert set(IPP_TITLES) == set(Ipp)
