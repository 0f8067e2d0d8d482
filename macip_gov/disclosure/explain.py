"""Explaining a decision: each body of law considered, and each provision's finding."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import PolicyError
from .evaluate import evaluate_raw, to_decision, wording
from .models import DisclosureRequest, Explanation, ProvisionFinding, RegimeFinding

if TYPE_CHECKING:
    from ..engine import PolicyEngine


def provision_titles(engine: PolicyEngine) -> dict[str, str]:
    """The title of each provision, by citation (read from the policies once per revision).

    Raises:
        PolicyError: The catalogue is missing or malformed.
    """
    return wording(engine).titles


def regime_findings(raw: dict[str, Any], titles: dict[str, str]) -> list[RegimeFinding]:
    """Shape the decision document's ``regimes`` into findings, provisions in citation order.

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
                        provision=p,
                        title=titles.get(p, ""),
                        status=g["considered"][p]["status"],
                        why=g["considered"][p]["why"],
                    )  # fmt: skip
                    for p in sorted(g["considered"])
                ],
            )
            for g in raw["regimes"]
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise PolicyError(f"the decision's regimes are malformed ({type(exc).__name__}: {exc})") from None


def explain(engine: PolicyEngine, request: DisclosureRequest) -> Explanation:
    """Decide a request and keep the reasoning: every regime and provision considered.

    Args:
        engine: A loaded policy engine.
        request: The validated request.

    Returns:
        The request, its decision, and the findings under each body of law.

    Raises:
        PolicyError: The engine failed or returned something that is not a decision.
    """
    raw = evaluate_raw(engine, request.model_dump(mode="json"))
    words = wording(engine)
    decision = to_decision(raw, request.id, engine.revision, words)
    return Explanation(request=request, decision=decision, regimes=regime_findings(raw, words.titles))


__all__ = ["explain", "provision_titles", "regime_findings"]
