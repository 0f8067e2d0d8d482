"""Identifier types and cross-field checks for the PIA models, each a named, tested function."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, WithJsonSchema

from ..validation import Category, Purpose


class Ipp(str, Enum):
    """The 13 information privacy principles of the Privacy Act 2020, s 22."""

    IPP1 = "IPP1"
    IPP2 = "IPP2"
    IPP3 = "IPP3"
    IPP4 = "IPP4"
    IPP5 = "IPP5"
    IPP6 = "IPP6"
    IPP7 = "IPP7"
    IPP8 = "IPP8"
    IPP9 = "IPP9"
    IPP10 = "IPP10"
    IPP11 = "IPP11"
    IPP12 = "IPP12"
    IPP13 = "IPP13"


IPP_TITLES = {
    Ipp.IPP1: "Purpose of collection",
    Ipp.IPP2: "Source of personal information",
    Ipp.IPP3: "Collection of information from subject",
    Ipp.IPP4: "Manner of collection",
    Ipp.IPP5: "Storage and security",
    Ipp.IPP6: "Access",
    Ipp.IPP7: "Correction",
    Ipp.IPP8: "Accuracy before use or disclosure",
    Ipp.IPP9: "Retention",
    Ipp.IPP10: "Limits on use",
    Ipp.IPP11: "Limits on disclosure",
    Ipp.IPP12: "Disclosure outside New Zealand",
    Ipp.IPP13: "Unique identifiers",
}
"""Short titles of the principles, for reports."""


CATEGORY_LABELS = {
    Category.IDENTITY: "identity",
    Category.CONTACT: "contact details",
    Category.CRIMINAL_HISTORY: "criminal history",
    Category.INTELLIGENCE: "intelligence",
    Category.HEALTH: "health",
    Category.MENTAL_HEALTH: "mental health",
    Category.ALCOHOL_DRUG: "alcohol and drug",
    Category.EDUCATION: "education",
    Category.INCOME_BENEFIT: "income and benefit",
    Category.FAMILY_WHANAU: "family and whānau",
    Category.CARE_PROTECTION: "care and protection",
    Category.RISK_ASSESSMENT: "risk assessment",
}
"""How each category reads in a report."""

PURPOSE_LABELS = {
    Purpose.REFERRAL_ASSESSMENT: "referral assessment",
    Purpose.COORDINATION_OF_SUPPORT: "coordination of support",
    Purpose.RISK_ASSESSMENT: "risk assessment",
    Purpose.PREVENT_SERIOUS_THREAT: "preventing a serious threat",
    Purpose.MAINTENANCE_OF_LAW: "maintenance of the law",
    Purpose.CHILD_WELLBEING: "child well-being and safety",
}
"""How each purpose reads in a report."""


def _id_type(prefix: str, what: str) -> Any:
    source = rf"^{prefix}[0-9]{{2,3}}$"
    pattern = re.compile(source)

    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(f"{what} id {value!r} must look like {prefix}01")
        return value

    return Annotated[str, AfterValidator(check), WithJsonSchema({"type": "string", "pattern": source})]


FlowId = _id_type("F", "flow")
RiskId = _id_type("R", "risk")
MitigationId = _id_type("M", "mitigation")
RecommendationId = _id_type("REC", "recommendation")
ActionId = _id_type("A", "action")
ConsultationId = _id_type("C", "consultation")
ThresholdQuestionId = _id_type("T", "threshold question")

T = TypeVar("T")


def duplicate_ids(ids: Iterable[str]) -> list[str]:
    """The ids that occur more than once, sorted."""
    seen: set[str] = set()
    dupes: set[str] = set()
    for i in ids:
        (dupes if i in seen else seen).add(i)
    return sorted(dupes)


def require_unique_ids(items: Sequence[Any], what: str) -> None:
    """Raise when two records in a list share an ``id``.

    Raises:
        ValueError: Names the duplicated ids.
    """
    dupes = duplicate_ids(item.id for item in items)
    if dupes:
        raise ValueError(f"duplicate {what} id(s): {', '.join(dupes)}")


def sort_by_id(items: list[T]) -> list[T]:
    """Order records by ``id`` so that stored PIAs and their diffs are stable."""
    return sorted(items, key=lambda item: natural_key(getattr(item, "id")))  # noqa: B009


def natural_key(value: Any) -> tuple[Any, ...]:
    """Sort key that puts IPP2 before IPP10 (digit runs compare as numbers)."""
    text = value.value if isinstance(value, Enum) else str(value)
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def sorted_unique(values: list[Any]) -> list[Any]:
    """Sort a list of enum members or strings naturally and drop repeats."""
    return sorted(set(values), key=natural_key)


def check_deprecation(version_added: int | None, version_deprecated: int | None, replaced_by: str | None) -> None:
    """Deprecated comes after added; a replacement implies deprecation.

    Raises:
        ValueError: The three fields contradict each other.
    """
    if replaced_by is not None and version_deprecated is None:
        raise ValueError("replaced_by is set but version_deprecated is not")
    if version_deprecated is not None and version_added is not None and version_deprecated <= version_added:
        raise ValueError(
            f"version_deprecated ({version_deprecated}) must be later than version_added ({version_added})"
        )
