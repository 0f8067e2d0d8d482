"""Validate a PIA against the Rego rules in ``policies/pia/validate``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..engine import PolicyEngine
from ..errors import PolicyError
from .models import Pia
from .signoff import SignoffStatus, signoff_status

ENTRYPOINT = "pia.validate.decision"
"""The one decision document evaluated per PIA."""


class Violation(BaseModel):
    """One deny or warn result."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule_id: str = Field(description="Stable rule id, e.g. pia.risks.unmitigated_high.")
    msg: str = Field(description="What is wrong, in a sentence.")
    details: dict[str, Any] = Field(default_factory=dict, description="Structured details from the rule.")


class RiskRating(BaseModel):
    """A risk's rating before and after mitigation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    inherent: str = Field(description="low, medium, high or extreme.")
    residual: str = Field(description="low, medium, high or extreme.")


class PiaValidation(BaseModel):
    """The result of checking a PIA."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str = Field(description="The PIA file checked.")
    valid: bool = Field(description="True when no rule denied.")
    violations: list[Violation] = Field(description="Deny results, sorted by rule id.")
    warnings: list[Violation] = Field(description="Warn results, sorted by rule id.")
    content_hash: str = Field(description="Content hash of the PIA checked.")
    signoff: SignoffStatus = Field(description="The PIA against its latest sign-off.")
    ratings: dict[str, RiskRating] = Field(description="Rating of each risk, by risk id.")
    rating_matrix: list[list[str]] = Field(description="Rows likelihood 1-4, columns consequence 1-4.")
    today: date = Field(description="The date due dates were checked against.")
    policy_revision: str = Field(description="Hash of the policy set that decided.")
    query: str = Field(default=ENTRYPOINT, description="The decision evaluated.")


def _violations(values: Any, what: str) -> list[Violation]:
    if not isinstance(values, list):
        raise PolicyError(f"{ENTRYPOINT}.{what} is not a set of results")
    out = [Violation(rule_id=v["id"], msg=v["msg"], details=v.get("details") or {}) for v in values]
    return sorted(out, key=lambda v: (v.rule_id, v.msg))


def policy_input(pia: Pia, today: date) -> dict[str, Any]:
    """The input document the PIA rules read."""
    return {"pia": pia.model_dump(mode="json"), "content_hash": pia.content_hash(), "today": today.isoformat()}


def validate_pia(pia: Pia, engine: PolicyEngine, *, today: date, file: str = "-") -> PiaValidation:
    """Evaluate the PIA rules once for ``pia``.

    Args:
        pia: The assessment.
        engine: A loaded policy engine (reuse it across PIAs).
        today: Date to check due dates and the review date against.
        file: Name of the file, for reports.

    Returns:
        Violations, warnings, ratings and sign-off state.

    Raises:
        PolicyError: The engine failed or the decision is malformed (never a pass).
    """
    decision = engine.evaluate(ENTRYPOINT, policy_input(pia, today))
    try:
        deny = _violations(decision["deny"], "deny")
        warn = _violations(decision["warn"], "warn")
        ratings = {k: RiskRating.model_validate(v) for k, v in decision["ratings"].items()}
        matrix = decision["rating_matrix"]
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise PolicyError(f"{ENTRYPOINT} returned a malformed decision: {exc}") from None
    return PiaValidation(
        file=file,
        valid=not deny,
        violations=deny,
        warnings=warn,
        content_hash=pia.content_hash(),
        signoff=signoff_status(pia),
        ratings=ratings,
        rating_matrix=matrix,
        today=today,
        policy_revision=engine.revision,
    )


def validate_path(path: Path | str, engine: PolicyEngine, *, today: date) -> PiaValidation:
    """Read the PIA at ``path`` (directory or file) and validate it.

    Raises:
        InvalidInputError: Missing or malformed file (exit 3 at the CLI).
        PolicyError: The engine failed.
    """
    from .store import load_pia, resolve

    working = resolve(path).working
    return validate_pia(load_pia(working), engine, today=today, file=str(working))
