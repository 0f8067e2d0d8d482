"""Explaining a decision: each body of law considered, and each provision's finding."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import PolicyError
from .evaluate import evaluate_raw, to_decision
from .models import DisclosureRequest, Explanation, ProvisionFinding, RegimeFinding

if TYPE_CHECKING:
    from ..engine import PolicyEngine

CATALOGUE = "sharing.decision.catalogue"
"""Static titles of every provision the decision can consider, by citation."""

_titles: dict[str, dict[str, str]] = {}


def provision_titles(engine: PolicyEngine) -> dict[str, str]:
    """The title of each provision, by citation (read from the policies once per revision).

    Raises:
        PolicyError: The catalogue is missing or not an object of strings.
    """
    titles = _titles.get(engine.revision)
    if titles is None:
        value = engine.evaluate(CATALOGUE)
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise PolicyError(f"data.{CATALOGUE} is not an object of titles")
        titles = _titles[engine.revision] = value
    return titles


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
    decision = to_decision(raw, request.id, engine.revision)
    return Explanation(request=request, decision=decision, regimes=regime_findings(raw, provision_titles(engine)))


__all__ = ["CATALOGUE", "explain", "provision_titles", "regime_findings"]
