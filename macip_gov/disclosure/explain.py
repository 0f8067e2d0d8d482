"""Explaining a decision: the outcome-table row, each body of law considered, and each provision's finding."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import PolicyError
from .evaluate import EXPLANATION, to_decision, wording
from .models import DisclosureRequest, ExceptionFinding, Explanation, OutcomeRow, ProvisionFinding, RegimeFinding

if TYPE_CHECKING:
    from ..engine import PolicyEngine


def provision_titles(engine: PolicyEngine) -> dict[str, str]:
    """The title of each provision, by citation (read from the policies once per revision).

    Raises:
        PolicyError: The catalogue is missing or malformed.
    """
    return wording(engine).titles


def regime_findings(raw: dict[str, Any]) -> list[RegimeFinding]:
    """Shape the explanation's ``regimes`` into findings, provisions in citation order.

    Raises:
        PolicyError: ``regimes`` is missing or malformed.
    """
    try:
        return [
            RegimeFinding(
                regime=g["regime"],
                applies=g["applies"],
                why=g["why"],
                considered=[
                    ProvisionFinding(
                        provision=e["provision"], title=e["title"], status=e["status"], why=e["why"], fact=e["fact"]
                    )
                    for e in g["considered"]
                ],
            )
            for g in raw["regimes"]
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise PolicyError(f"the explanation's regimes are malformed ({type(exc).__name__}: {exc})") from None


def explain(engine: PolicyEngine, request: DisclosureRequest) -> Explanation:
    """Decide a request and keep the reasoning: the outcome-table row and every provision considered.

    Args:
        engine: A loaded policy engine.
        request: The validated request.

    Returns:
        The request, its decision (``legal.explain`` filled with every provision of the
        regimes that govern it), the outcome-table row, and the findings under each body of law.

    Raises:
        PolicyError: The engine failed or returned something that is not a decision.
    """
    raw = engine.evaluate(EXPLANATION, request.model_dump(mode="json"))
    if not isinstance(raw, dict):
        raise PolicyError(f"data.{EXPLANATION} is {type(raw).__name__}, not an explanation; refusing to decide")
    words = wording(engine)
    decision = to_decision({k: v for k, v in raw.items() if k not in _EXTRA}, request.id, engine.revision, words)
    regimes = regime_findings(raw)
    try:
        findings = [
            ExceptionFinding(
                provision=f.provision, title=f.title, status=f.status, held=f.status == "holds", why=f.why, fact=f.fact
            )
            for g in regimes
            if g.applies
            for f in g.considered
        ]
        row = OutcomeRow.model_validate(raw["row_detail"])
    except (KeyError, ValueError) as exc:
        raise PolicyError(f"data.{EXPLANATION} is malformed ({type(exc).__name__})") from None
    if row.id != decision.row:
        raise PolicyError(f"data.{EXPLANATION} names row {row.id!r} for a decision of row {decision.row!r}")
    decision = decision.model_copy(update={"legal": decision.legal.model_copy(update={"explain": findings})})
    return Explanation(request=request, decision=decision, row=row, regimes=regimes)


_EXTRA = ("row_detail", "situation", "regimes")

__all__ = ["explain", "provision_titles", "regime_findings"]
