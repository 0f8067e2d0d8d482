"""Validate a PIA against the Rego rules in ``policies/pia/validate``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..engine import PolicyEngine
from ..errors import ExitCode, PolicyError
from ..results import Violation as Violation  # re-exported: the PIA rules report in the shared contract
from ..results import decision_document, parse_results
from .models import Pia
from .signoff import SignoffStatus, signoff_status

ENTRYPOINT = "pia.validate.decision"
"""The one decision document evaluated per PIA."""


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

    @property
    def exit_code(self) -> ExitCode:
        """OK when no rule denied, DENIED otherwise."""
        return ExitCode.OK if self.valid else ExitCode.DENIED


def _order(v: Violation) -> tuple[str, str]:
    return (v.id, v.msg)


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
    decision = decision_document(engine.evaluate(ENTRYPOINT, policy_input(pia, today)), query=ENTRYPOINT, keys=())
    try:
        deny = parse_results(decision["deny"], query=ENTRYPOINT, what="deny", effect="deny")
        warn = parse_results(decision["warn"], query=ENTRYPOINT, what="warn", effect="warn")
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


def validate_path(
    path: Path | str, engine: PolicyEngine, *, today: date, history: Path | str | None = None
) -> PiaValidation:
    """Read the PIA at ``path`` (directory or file), verify its history and validate it.

    When a history is stored beside the PIA, its chain must verify
    (``pia.history.broken``) and every sign-off the PIA carries must be recorded in
    it (``pia.signoff.not_in_history``); sign-offs that cannot be trusted are left
    out before the rules run, so the PIA counts as not signed off (or changed since
    its last recorded sign-off). Without a history the sign-offs cannot be checked:
    they are taken as written, with the warning ``pia.signoff.no_history``.

    Args:
        path: PIA directory or working file.
        engine: Loaded policy engine.
        today: Date to check due dates against.
        history: The history folder or ``postgresql://`` URL (default ``history/`` beside the PIA).

    Raises:
        InvalidInputError: Missing or malformed file (exit 3 at the CLI).
        PolicyError: The engine failed.
    """
    from .store import check_history, has_history, load_pia, resolve, unrecorded_signoffs

    paths = resolve(path, history)
    working = paths.working
    pia = load_pia(working)
    denied: list[Violation] = []
    warned: list[Violation] = []
    if has_history(paths.history):
        # validate is the audit: every revision's document is checked, not only those read.
        chain = check_history(paths.history, full=True)
        if chain.problem is not None:
            denied.append(
                Violation(
                    id="pia.history.broken",
                    msg=f"the history does not verify: {chain.problem}",
                    details={},
                    effect="deny",
                )
            )
            trusted: list[Any] = []
        else:
            missing = unrecorded_signoffs(pia, chain)
            denied += [
                Violation(
                    id="pia.signoff.not_in_history",
                    msg=f"the sign-off by {s.by} ({s.role}) on {s.at.date().isoformat()} is not recorded in "
                    f"{paths.history} (written by hand, or from another history)",
                    details={},
                    effect="deny",
                )
                for s in missing
            ]
            trusted = [s for s in pia.signoffs if s not in missing]
        pia = pia.model_copy(update={"signoffs": trusted})
    elif pia.signoffs:
        warned.append(
            Violation(
                id="pia.signoff.no_history",
                msg=f"no history beside the PIA ({paths.history}) to check its sign-offs against",
                details={},
                effect="warn",
            )
        )
    result = validate_pia(pia, engine, today=today, file=str(working))
    if not denied and not warned:
        return result
    violations = sorted([*result.violations, *denied], key=_order)
    warnings = sorted([*result.warnings, *warned], key=_order)
    return result.model_copy(update={"violations": violations, "warnings": warnings, "valid": not violations})
