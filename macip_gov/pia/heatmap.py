"""The PIA's risk matrix as heat-map data: likelihood × consequence cells, the risks in each, and their level.

A cell's level (low, medium, ...) is read from the rating matrix the PIA rules
return (``data.pia.validate.rating_matrix``, via :class:`~macip_gov.pia.check.PiaValidation`),
never decided here, so a page, a report and the rules always agree. The scale
is the PIA model's: likelihood and consequence 1-4, named as the report names
them. Each level has a background and a text colour whose contrast is at least
4.5:1 (WCAG 2.1 AA), so the level can be shown in colour as well as in words.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import PolicyError
from .models import Pia
from .report import CONSEQUENCE, LIKELIHOOD

Which = Literal["inherent", "residual"]

SCALE = (1, 2, 3, 4)
"""The points of both scales, as the PIA model bounds them (``ge=1, le=4``)."""

LEVEL_COLOURS: dict[str, tuple[str, str]] = {
    "low": ("#cdeccf", "#0b3d12"),
    "medium": ("#fff1b8", "#4a3800"),
    "high": ("#fdd2ad", "#5c2300"),
    "extreme": ("#f6c1c3", "#6b0a10"),
}
"""Background and text colour of each level the bundled rating matrix uses."""

OTHER_COLOURS = ("#ffffff", "#0b0c0c")
"""Colours of a level the bundled matrix does not use (a policy tree of one's own)."""

_CLASS_CHARS = re.compile(r"[^a-z0-9]+")

_LAYOUT_CSS = """\
.heatmaps { display: flex; flex-wrap: wrap; gap: 1.5rem; }
.heatmap-block { min-width: 0; max-width: 100%; }
table.heatmap { border-collapse: collapse; width: auto; }
table.heatmap caption { font-weight: bold; text-align: left; padding-bottom: .4rem; }
table.heatmap th, table.heatmap td { border: 1px solid #505a5f; padding: .4rem; }
table.heatmap td { min-width: 7rem; vertical-align: top; }
table.heatmap .heat-level { display: block; font-weight: bold; text-transform: capitalize; }
table.heatmap .heat-count { display: block; }
table.heatmap ul { margin: .3rem 0 0; padding-left: 1rem; }
.heat-legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem; }
.heat-legend li { border: 1px solid #505a5f; padding: .2rem .5rem; }
"""


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HeatRisk(_Record):
    """A risk placed in a cell."""

    id: str = Field(description="The risk's id, e.g. R03.")
    title: str = Field(description="The risk in a few words.")


class HeatCell(_Record):
    """One likelihood × consequence cell."""

    likelihood: int = Field(ge=1, le=4, description="Likelihood, 1 rare to 4 likely.")
    consequence: int = Field(ge=1, le=4, description="Consequence, 1 minor to 4 severe.")
    level: str = Field(description="The cell's level from the rating matrix, e.g. high.")
    css_class: str = Field(description="The CSS class that colours the cell (heat-<level>, or heat-other).")
    risks: list[HeatRisk] = Field(description="Active risks rated here, by id.")

    @property
    def count(self) -> int:
        """How many risks are in the cell."""
        return len(self.risks)

    @property
    def text(self) -> str:
        """The cell in words, e.g. ``high, 2 risks``: the level and count never rest on colour alone."""
        return f"{self.level}, {self.count} risk{'' if self.count == 1 else 's'}"


class HeatRow(_Record):
    """One likelihood row, its cells by consequence 1 to 4."""

    likelihood: int = Field(ge=1, le=4, description="The row's likelihood.")
    label: str = Field(description="The likelihood in words, e.g. 4 Likely.")
    cells: list[HeatCell] = Field(description="Cells by consequence, 1 to 4.")


class LevelCount(_Record):
    """How many risks sit at one level."""

    level: str = Field(description="The level, e.g. extreme.")
    css_class: str = Field(description="Its CSS class.")
    count: int = Field(ge=0, description="Active risks rated at this level.")


class Heatmap(_Record):
    """The inherent or residual risk matrix of a PIA, ready to draw."""

    which: Which = Field(description="inherent (before mitigation) or residual (after).")
    title: str = Field(description="Inherent risk or Residual risk.")
    consequences: list[str] = Field(description="Column headings, consequence 1 to 4 in words.")
    rows: list[HeatRow] = Field(description="Rows from likelihood 4 down to 1, as risk matrices are drawn.")
    levels: list[LevelCount] = Field(description="Each level of the matrix, lowest first, with its count of risks.")
    total: int = Field(ge=0, description="Active risks placed (deprecated ones are left out).")


def level_class(level: str) -> str:
    """The CSS class of a level: ``heat-<level>`` for a level with colours here, else ``heat-other``."""
    slug = _CLASS_CHARS.sub("-", level.lower()).strip("-")
    return f"heat-{slug}" if slug in LEVEL_COLOURS else "heat-other"


def _checked_matrix(matrix: list[list[str]]) -> list[list[str]]:
    """The rating matrix, refused unless it is 4 rows of 4 non-empty levels (fail closed: no guessed level)."""
    ok = (
        isinstance(matrix, list)
        and len(matrix) == len(SCALE)
        and all(isinstance(row, list) and len(row) == len(SCALE) for row in matrix)
        and all(isinstance(level, str) and level.strip() for row in matrix for level in row)
    )
    if not ok:
        raise PolicyError("pia.validate.decision returned a rating_matrix that is not 4 rows of 4 levels")
    return matrix


def matrix_levels(matrix: list[list[str]]) -> list[str]:
    """The levels a rating matrix uses, lowest first.

    Read row by row from likelihood 1 and consequence 1 up: a matrix whose level
    rises with both scales names its lowest level first.
    """
    seen: list[str] = []
    for row in _checked_matrix(matrix):
        for level in row:
            if level not in seen:
                seen.append(level)
    return seen


def risk_heatmap(pia: Pia, matrix: list[list[str]], which: Which = "inherent") -> Heatmap:
    """Place the PIA's active risks on the rating matrix.

    Args:
        pia: The assessment.
        matrix: The rating matrix the PIA rules returned (rows likelihood 1-4,
            columns consequence 1-4), e.g. ``PiaValidation.rating_matrix``.
        which: ``inherent`` (the risk as rated) or ``residual`` (after mitigation).

    Returns:
        Rows from likelihood 4 down, each cell with its level and risks, and a
        count of risks at each level.

    Raises:
        PolicyError: The matrix is not 4 × 4 levels.
    """
    levels = matrix_levels(matrix)
    placed: dict[tuple[int, int], list[HeatRisk]] = {}
    for risk in pia.risks:
        if not risk.active:
            continue
        if which == "inherent":
            key = (risk.likelihood, risk.consequence)
        else:
            key = (risk.residual_likelihood, risk.residual_consequence)
        placed.setdefault(key, []).append(HeatRisk(id=risk.id, title=risk.title))
    counts = dict.fromkeys(levels, 0)
    rows = []
    for lik in reversed(SCALE):
        cells = []
        for con in SCALE:
            level = matrix[lik - 1][con - 1]
            risks = placed.get((lik, con), [])
            counts[level] += len(risks)
            cells.append(
                HeatCell(likelihood=lik, consequence=con, level=level, css_class=level_class(level), risks=risks)
            )
        rows.append(HeatRow(likelihood=lik, label=f"{lik} {LIKELIHOOD[lik]}", cells=cells))
    return Heatmap(
        which=which,
        title=f"{which.capitalize()} risk",
        consequences=[f"{con} {CONSEQUENCE[con]}" for con in SCALE],
        rows=rows,
        levels=[LevelCount(level=lv, css_class=level_class(lv), count=counts[lv]) for lv in levels],
        total=sum(counts.values()),
    )


def risk_heatmaps(pia: Pia, matrix: list[list[str]]) -> list[Heatmap]:
    """The inherent and the residual heat map, in that order (see :func:`risk_heatmap`)."""
    return [risk_heatmap(pia, matrix, "inherent"), risk_heatmap(pia, matrix, "residual")]


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a ``#rrggbb`` colour.

    Raises:
        ValueError: Not a ``#rrggbb`` colour.
    """
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    r, g, b = (_channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


def heatmap_css() -> str:
    """The heat map's stylesheet: its layout, and a colour rule per class of :func:`level_class`."""
    rules = [f".{level_class(level)} {{ background: {bg}; color: {fg}; }}" for level, (bg, fg) in LEVEL_COLOURS.items()]
    bg, fg = OTHER_COLOURS
    rules.append(f".heat-other {{ background: {bg}; color: {fg}; }}")
    return _LAYOUT_CSS + "\n".join(rules) + "\n"


__all__ = [
    "LEVEL_COLOURS",
    "HeatCell",
    "HeatRisk",
    "HeatRow",
    "Heatmap",
    "LevelCount",
    "contrast_ratio",
    "heatmap_css",
    "level_class",
    "matrix_levels",
    "relative_luminance",
    "risk_heatmap",
    "risk_heatmaps",
]
