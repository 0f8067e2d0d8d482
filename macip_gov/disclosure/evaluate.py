"""Deciding a disclosure request: one evaluation of data.sharing.decision.result per request."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..errors import PolicyError
from .models import Decision, DisclosureRequest, Outcome

if TYPE_CHECKING:
    from ..engine import PolicyEngine

ENTRYPOINT = "sharing.decision.result"
"""The decision document: outcome, legal basis, conditions, reasons, violations, PIA flow, regimes."""

_DECISION_KEYS = ("outcome", "legal_basis", "conditions", "reasons", "violations", "pia_flow")


def canonical_json(value: Any) -> str:
    """The canonical JSON of a value: sorted keys, no spaces, UTF-8 text kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def evaluate_raw(engine: PolicyEngine, document: dict[str, Any]) -> dict[str, Any]:
    """Evaluate the decision document for a request already dumped to JSON data.

    Args:
        engine: A loaded policy engine.
        document: ``DisclosureRequest.model_dump(mode="json")``.

    Returns:
        The policy's result, checked to be an object.

    Raises:
        PolicyError: The engine failed or the result is undefined or not an object.
    """
    raw = engine.evaluate(ENTRYPOINT, document)
    if not isinstance(raw, dict):
        raise PolicyError(f"data.{ENTRYPOINT} is {type(raw).__name__}, not a decision object")
    return raw


def to_decision(raw: dict[str, Any], request_id: str, revision: str) -> Decision:
    """Shape the policy's result into a :class:`Decision`, failing closed on anything odd.

    Args:
        raw: The value of data.sharing.decision.result.
        request_id: The request's id.
        revision: The policy revision that decided.

    Returns:
        The decision.

    Raises:
        PolicyError: A key is missing, a value has the wrong shape, or the outcome
            contradicts the violations (an allow with a deny finding).
    """
    try:
        fields = {key: raw[key] for key in _DECISION_KEYS}
        decision = Decision.model_validate({"id": request_id, "policy_revision": revision, **fields})
    except KeyError as exc:
        raise PolicyError(f"data.{ENTRYPOINT} has no {exc.args[0]!r}; refusing to decide") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PolicyError(f"data.{ENTRYPOINT} is malformed at {where}: {first['msg']}") from None
    denied = any(v.effect == "deny" for v in decision.violations)
    referred = any(v.effect == "refer" for v in decision.violations)
    if (denied and decision.outcome is not Outcome.DENY) or (referred and decision.allowed):
        raise PolicyError(f"data.{ENTRYPOINT} says {decision.outcome.value} for {request_id} despite its own findings")
    return decision


def decide(engine: PolicyEngine, request: DisclosureRequest) -> Decision:
    """Decide one disclosure request.

    Args:
        engine: A loaded policy engine (load it once, decide many).
        request: The validated request.

    Returns:
        The decision, carrying the engine's policy revision.

    Raises:
        PolicyError: The engine failed or returned something that is not a decision.
    """
    raw = evaluate_raw(engine, request.model_dump(mode="json"))
    return to_decision(raw, request.id, engine.revision)


def decide_many(engine: PolicyEngine, requests: Iterable[DisclosureRequest]) -> Iterator[Decision]:
    """Decide requests one after another with one engine (see :mod:`.batch` for processes)."""
    for request in requests:
        yield decide(engine, request)


__all__ = ["ENTRYPOINT", "canonical_json", "decide", "decide_many", "evaluate_raw", "to_decision"]
