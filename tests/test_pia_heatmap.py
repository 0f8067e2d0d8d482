"""The risk heat map: risks placed by likelihood and consequence, levels from the rules' own matrix."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from macip_gov.errors import PolicyError
from macip_gov.pia.check import validate_pia
from macip_gov.pia.heatmap import (
    LEVEL_COLOURS,
    OTHER_COLOURS,
    contrast_ratio,
    heatmap_css,
    level_class,
    matrix_levels,
    risk_heatmap,
    risk_heatmaps,
)
from macip_gov.pia.models import Pia
from macip_gov.pia.store import load_pia

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
TODAY = date(2026, 11, 25)

BUNDLED = [
    ["low", "low", "medium", "high"],
    ["low", "medium", "high", "high"],
    ["low", "medium", "high", "extreme"],
    ["medium", "high", "extreme", "extreme"],
]


def _risk(rid: str, lik: int, con: int, rlik: int, rcon: int, **extra) -> dict:
    return {
        "id": rid,
        "title": f"Risk {rid}",
        "description": "Something could go wrong.",
        "ipps": ["IPP5"],
        "owner": "Security Manager",
        "likelihood": lik,
        "consequence": con,
        "residual_likelihood": rlik,
        "residual_consequence": rcon,
        **extra,
    }


def _pia(*risks: dict) -> Pia:
    data = load_pia(DATA / "passing_pia_minimal.yaml").model_dump(mode="json")
    data["risks"] = list(risks)
    for finding in data["ipp_analysis"]:
        finding["risks"] = []
    data["recommendations"] = []
    data["actions"] = []
    return Pia.model_validate(data)


def _cell(heatmap, lik: int, con: int):
    row = next(r for r in heatmap.rows if r.likelihood == lik)
    return row.cells[con - 1]


def test_risks_land_in_their_cells_with_the_matrix_level():
    pia = _pia(_risk("R01", 4, 4, 2, 3), _risk("R02", 4, 4, 1, 1), _risk("R03", 1, 2, 1, 2))
    inherent = risk_heatmap(pia, BUNDLED, "inherent")
    assert [r.likelihood for r in inherent.rows] == [4, 3, 2, 1]
    assert [r.label for r in inherent.rows] == ["4 Likely", "3 Possible", "2 Unlikely", "1 Rare"]
    assert inherent.consequences == ["1 Minor", "2 Moderate", "3 Major", "4 Severe"]
    top = _cell(inherent, 4, 4)
    assert [r.id for r in top.risks] == ["R01", "R02"]
    assert (top.level, top.css_class, top.count, top.text) == ("extreme", "heat-extreme", 2, "extreme, 2 risks")
    low = _cell(inherent, 1, 2)
    assert ([r.id for r in low.risks], low.text) == (["R03"], "low, 1 risk")
    empty = _cell(inherent, 2, 3)
    assert (empty.level, empty.count, empty.text) == ("high", 0, "high, 0 risks")
    assert sum(c.count for r in inherent.rows for c in r.cells) == inherent.total == 3


def test_residual_places_by_residual_ratings_and_counts_levels():
    pia = _pia(_risk("R01", 4, 4, 2, 3), _risk("R02", 4, 4, 1, 1), _risk("R03", 1, 2, 1, 2))
    residual = risk_heatmap(pia, BUNDLED, "residual")
    assert residual.title == "Residual risk"
    assert [r.id for r in _cell(residual, 2, 3).risks] == ["R01"]
    assert _cell(residual, 4, 4).count == 0
    counts = {lc.level: lc.count for lc in residual.levels}
    assert counts == {"low": 2, "medium": 0, "high": 1, "extreme": 0}
    inherent_counts = {lc.level: lc.count for lc in risk_heatmap(pia, BUNDLED).levels}
    assert inherent_counts == {"low": 1, "medium": 0, "high": 0, "extreme": 2}


def test_deprecated_risks_are_left_out():
    pia = _pia(_risk("R01", 4, 4, 2, 3), _risk("R02", 3, 3, 2, 2, version_added=1, version_deprecated=2))
    heatmap = risk_heatmap(pia, BUNDLED)
    assert heatmap.total == 1
    assert _cell(heatmap, 3, 3).count == 0


def test_levels_come_from_the_rules_matrix_not_from_python(engine):
    pia = load_pia(ROOT / "pia" / "macip.yaml")
    validation = validate_pia(pia, engine, today=TODAY)
    assert validation.rating_matrix == BUNDLED  # the bundled policy data
    inherent, residual = risk_heatmaps(pia, validation.rating_matrix)
    assert (inherent.which, residual.which) == ("inherent", "residual")
    # Each risk's cell level is the inherent rating the rules gave it.
    for row in inherent.rows:
        for cell in row.cells:
            for risk in cell.risks:
                assert validation.ratings[risk.id].inherent == cell.level
    for row in residual.rows:
        for cell in row.cells:
            for risk in cell.risks:
                assert validation.ratings[risk.id].residual == cell.level
    assert inherent.total == residual.total == len([r for r in pia.risks if r.active])


def test_a_matrix_of_ones_own_is_followed_and_unknown_levels_get_a_neutral_class():
    own = [["green"] * 4, ["green"] * 4, ["amber"] * 4, ["Red Alert"] * 4]
    heatmap = risk_heatmap(_pia(_risk("R01", 4, 1, 1, 1)), own)
    assert [lc.level for lc in heatmap.levels] == ["green", "amber", "Red Alert"]
    cell = _cell(heatmap, 4, 1)
    assert (cell.level, cell.css_class, cell.count) == ("Red Alert", "heat-other", 1)


@pytest.mark.parametrize(
    "matrix",
    [[], BUNDLED[:3], [row[:3] for row in BUNDLED], [*BUNDLED[:3], ["low", "", "high", "extreme"]], "low"],
)
def test_a_malformed_matrix_is_refused_not_guessed(matrix):
    with pytest.raises(PolicyError, match="rating_matrix"):
        risk_heatmap(_pia(_risk("R01", 1, 1, 1, 1)), matrix)


def test_matrix_levels_lowest_first():
    assert matrix_levels(BUNDLED) == ["low", "medium", "high", "extreme"]


def test_level_class_is_a_safe_class_name():
    assert level_class("High") == "heat-high"
    assert level_class('x" onmouseover="y') == "heat-other"
    assert level_class("") == "heat-other"


@pytest.mark.parametrize("level", sorted(LEVEL_COLOURS))
def test_every_level_colour_meets_aa_contrast(level):
    background, text = LEVEL_COLOURS[level]
    assert contrast_ratio(text, background) >= 4.5
    assert f".heat-{level} {{ background: {background}; color: {text}; }}" in heatmap_css()


def test_other_colours_meet_aa_contrast_and_contrast_ratio_is_wcag():
    assert contrast_ratio(*OTHER_COLOURS) >= 4.5
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    with pytest.raises(ValueError, match="rrggbb"):
        contrast_ratio("red", "#ffffff")
