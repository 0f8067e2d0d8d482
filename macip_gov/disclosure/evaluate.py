"""Deciding a disclosure request: one evaluation of data.sharing.decision.result per request."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..errors import PolicyError
from .models import Decision, DisclosureRequest, Outcome

if TYPE_CHECKING:
    from ..engine import PolicyEngine

ENTRYPOINT = "sharing.decision.result"
"""The decision document: outcome, legal basis, conditions, findings, claims, PIA flow, regimes."""

CATALOGUE = "sharing.decision.catalogue"
"""Static wording: provision titles, condition texts, reason templates."""

_DECISION_KEYS = ("outcome", "legal_basis", "conditions", "deny", "refer", "claims", "lawful", "pia_flow", "regimes")


@dataclass(frozen=True)
class Wording:
    """The policies' static wording for decisions (``data.sharing.decision.catalogue``).

    Attributes:
        titles: Provision citation -> what it permits.
        conditions: Condition id -> ``{"text", "authority"}``.
        messages: Sentence templates for reasons, ``%v`` filled in order.
    """

    titles: dict[str, str]
    conditions: dict[str, dict[str, str]]
    messages: dict[str, str]

    def say(self, key: str, *values: str) -> str:
        """Fill the template ``key`` with ``values`` in order."""
        text = self.messages[key]
        for value in values:
            text = text.replace("%v", value, 1)
        return text


_wordings: dict[str, Wording] = {}


def wording(engine: PolicyEngine) -> Wording:
    """The wording of the engine's policies, read once per policy revision.

    Raises:
        PolicyError: The catalogue is missing or malformed.
    """
    found = _wordings.get(engine.revision)
    if found is None:
        value = engine.evaluate(CATALOGUE)
        try:
            found = Wording(
                titles=dict(value["titles"]), conditions=dict(value["conditions"]), messages=dict(value["messages"])
            )
            for key in ("holds", "fails", "claim_holds", "claim_fails", "claim_regime", "claim_unknown"):
                found.messages[key].count("%v")
        except (KeyError, TypeError, ValueError, AttributeError):
            raise PolicyError(f"data.{CATALOGUE} is not a wording catalogue") from None
        _wordings[engine.revision] = found
    return found


_OUTCOMES = frozenset(o.value for o in Outcome)
_STATUSES = frozenset(("holds", "does_not_hold", "not_engaged"))


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def _findings(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(v, dict) and isinstance(v.get("id"), str) and isinstance(v.get("msg"), str)
        and isinstance(v.get("details"), dict)
        for v in value
    )  # fmt: skip


def _regimes(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(g, dict) and isinstance(g.get("regime"), str) and isinstance(g.get("applies"), bool)
        and isinstance(g.get("why"), str) and isinstance(g.get("considered"), dict)
        and all(
            isinstance(p, str) and isinstance(f, dict) and f.get("status") in _STATUSES
            and isinstance(f.get("why"), str)
            for p, f in g["considered"].items()
        )
        for g in value
    )  # fmt: skip


def _claims(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(c, str) and isinstance(f, dict) and isinstance(f.get("status"), str) for c, f in value.items()
    )


def check_decision(raw: Any) -> dict[str, Any]:
    """Check a decision document's shape and consistency, whichever engine produced it.

    Every decision passes here before it is shaped or logged, so a forged or broken answer
    (an OPA server's or a policy's) is an engine failure, never an allow: the keys are
    present with the right types; the outcome is one of the known four and is the one the
    findings give (deny if any deny finding, else refer if any refer finding, else
    allow_with_conditions if any condition, else allow); and an allow rests on a legal basis
    that is non-empty, lawful, and made of provisions found to hold under a regime that
    governs the request.

    Args:
        raw: The value of data.sharing.decision.result.

    Returns:
        ``raw``, checked.

    Raises:
        PolicyError: Anything else, naming the entrypoint.
    """

    def fail(detail: str) -> PolicyError:
        return PolicyError(f"data.{ENTRYPOINT} {detail}; refusing to decide")

    if not isinstance(raw, dict):
        raise fail(f"is {type(raw).__name__}, not a decision object")
    missing = next((k for k in _DECISION_KEYS if k not in raw), None)
    if missing is not None:
        raise fail(f"has no {missing!r}")
    outcome = raw["outcome"]
    if not isinstance(outcome, str) or outcome not in _OUTCOMES:
        raise fail(f"has an unknown outcome {str(outcome)[:40]!r}")
    for key, ok in (
        ("legal_basis", _strings(raw["legal_basis"])),
        ("conditions", _strings(raw["conditions"])),
        ("deny", _findings(raw["deny"])),
        ("refer", _findings(raw["refer"])),
        ("claims", _claims(raw["claims"])),
        ("lawful", isinstance(raw["lawful"], bool)),
        ("pia_flow", raw["pia_flow"] is None or isinstance(raw["pia_flow"], str)),
        ("regimes", _regimes(raw["regimes"])),
    ):
        if not ok:
            raise fail(f"is malformed at {key}")
    deny, refer, conditions = raw["deny"], raw["refer"], raw["conditions"]
    expected = "deny" if deny else "refer" if refer else "allow_with_conditions" if conditions else "allow"
    if outcome != expected:
        raise fail(f"says {outcome} where its own findings give {expected}")
    if raw["lawful"] is False and not deny:
        raise fail("finds no lawful basis yet no deny finding")
    holding = {p for g in raw["regimes"] if g["applies"] for p, s in g["considered"].items() if s["status"] == "holds"}
    if expected in ("allow", "allow_with_conditions"):
        if not raw["legal_basis"] or raw["lawful"] is not True:
            raise fail(f"says {outcome} without a legal basis")
        unfounded = next((p for p in raw["legal_basis"] if p not in holding), None)
        if unfounded is not None:
            raise fail(f"says {outcome} on {unfounded[:80]!r}, which no governing regime finds to hold")
    return raw


def evaluate_raw(engine: PolicyEngine, document: dict[str, Any]) -> dict[str, Any]:
    """Evaluate the decision document for a request already dumped to JSON data.

    Args:
        engine: A loaded policy engine.
        document: ``DisclosureRequest.model_dump(mode="json")``.

    Returns:
        The policy's result, checked to be an object (:func:`to_decision` checks the
        rest with :func:`check_decision` before anything is decided).

    Raises:
        PolicyError: The engine failed or the result is undefined or not an object.
    """
    raw = engine.evaluate(ENTRYPOINT, document)
    if not isinstance(raw, dict):
        raise PolicyError(f"data.{ENTRYPOINT} is {type(raw).__name__}, not a decision object; refusing to decide")
    return raw


def _reasons(raw: dict[str, Any], words: Wording) -> list[str]:
    """The findings as sentences, each naming its provision, in the policies' wording."""
    regimes = raw["regimes"]
    why = {p: s["why"] for g in regimes for p, s in g["considered"].items()}
    reasons = [words.say("holds", p, why[p]) for p in raw["legal_basis"]]
    for claim in sorted(raw["claims"]):
        finding = raw["claims"][claim]
        status = finding["status"]
        if status == "holds":
            reasons.append(words.say("claim_holds", claim))
        elif status == "does_not_hold":
            reasons.append(words.say("claim_fails", claim, finding["why"]))
        elif status == "does_not_apply":
            reasons.append(words.say("claim_regime", claim, finding["regime"], finding["why"]))
        else:
            reasons.append(words.say("claim_unknown", claim))
    if raw["lawful"] is False:
        reasons += [
            words.say("fails", p, s["why"])
            for g in regimes
            for p, s in sorted(g["considered"].items())
            if s["status"] == "does_not_hold"
        ]
    reasons += [v["msg"] for v in raw["deny"]] + [v["msg"] for v in raw["refer"]]
    return reasons


def to_decision(raw: dict[str, Any], request_id: str, revision: str, words: Wording) -> Decision:
    """Shape the policy's result into a :class:`Decision`, failing closed on anything odd.

    Args:
        raw: The value of data.sharing.decision.result.
        request_id: The request's id.
        revision: The policy revision that decided.
        words: The policies' wording (see :func:`wording`).

    Returns:
        The decision.

    Raises:
        PolicyError: The document fails :func:`check_decision`, or its wording or
            findings do not fit a decision.
    """
    check_decision(raw)
    try:
        conditions = [{"id": c, **words.conditions[c]} for c in raw["conditions"]]
        violations = [{**v, "effect": "deny"} for v in raw["deny"]] + [{**v, "effect": "refer"} for v in raw["refer"]]
        decision = Decision.model_validate(
            {
                "id": request_id,
                "policy_revision": revision,
                "outcome": raw["outcome"],
                "legal_basis": raw["legal_basis"],
                "conditions": conditions,
                "reasons": _reasons(raw, words),
                "violations": violations,
                "pia_flow": raw["pia_flow"],
            }
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PolicyError(f"data.{ENTRYPOINT} is malformed at {where}: {first['msg']}") from None
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise PolicyError(f"data.{ENTRYPOINT} is malformed ({type(exc).__name__}: {exc})") from None
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
    return to_decision(raw, request.id, engine.revision, wording(engine))


def decide_many(engine: PolicyEngine, requests: Iterable[DisclosureRequest]) -> Iterator[Decision]:
    """Decide requests one after another with one engine (see :mod:`.batch` for processes)."""
    for request in requests:
        yield decide(engine, request)


__all__ = [
    "CATALOGUE",
    "ENTRYPOINT",
    "Wording",
    "check_decision",
    "decide",
    "decide_many",
    "evaluate_raw",
    "to_decision",
    "wording",
]
