"""Deciding a disclosure request: one evaluation of data.sharing.decision.result per request."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..errors import PolicyError
from .models import Decision, DisclosureRequest, Outcome, Verdict

if TYPE_CHECKING:
    from ..engine import PolicyEngine

ENTRYPOINT = "sharing.decision.result"
"""The decision document: outcome and row, legal and programme verdicts, urgent, conditions, findings, claims."""

CATALOGUE = "sharing.decision.catalogue"
"""Static wording: provision titles, condition texts, reason templates, the outcome table."""

EXPLANATION = "sharing.explanation.result"
"""The decision with its reasoning: the outcome-table row and every provision considered (asked for only)."""

_DECISION_KEYS = (
    "outcome", "row", "legal", "programme", "urgent", "legal_basis", "conditions", "deny", "refer", "claims",
    "pia_flow",
)  # fmt: skip


@dataclass(frozen=True)
class Wording:
    """The policies' static wording for decisions (``data.sharing.decision.catalogue``).

    Attributes:
        titles: Provision citation -> what it permits.
        conditions: Condition id -> ``{"text", "authority"}``.
        messages: Sentence templates for reasons, ``%v`` filled in order.
        rows: The outcome table, in order.
    """

    titles: dict[str, str]
    conditions: dict[str, dict[str, str]]
    messages: dict[str, str]
    rows: list[dict[str, Any]]

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
                titles=dict(value["titles"]),
                conditions=dict(value["conditions"]),
                messages=dict(value["messages"]),
                rows=[dict(r) for r in value["rows"]],
            )
            for key in ("holds", "claim_holds", "claim_considered", "claim_not_assessed"):
                found.messages[key].count("%v")
        except (KeyError, TypeError, ValueError, AttributeError):
            raise PolicyError(f"data.{CATALOGUE} is not a wording catalogue") from None
        _wordings[engine.revision] = found
    return found


_OUTCOMES = frozenset(o.value for o in Outcome)
_VERDICTS = frozenset(v.value for v in Verdict)
_CLAIM_STATUSES = frozenset(("holds", "considered", "not_assessed"))


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def _findings(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(v, dict) and isinstance(v.get("id"), str) and isinstance(v.get("msg"), str)
        and isinstance(v.get("details"), dict)
        for v in value
    )  # fmt: skip


def _legal(value: Any) -> bool:
    return (
        isinstance(value, dict) and value.get("verdict") in _VERDICTS
        and all(_strings(value.get(k)) for k in ("basis", "missing", "duties", "not_assessed"))
    )  # fmt: skip


def _programme(value: Any) -> bool:
    return (
        isinstance(value, dict) and isinstance(value.get("covered"), bool)
        and isinstance(value.get("lines_crossed"), bool)
        and all(value.get(k) is None or isinstance(value.get(k), str) for k in ("flow", "route"))
        and "flow" in value and "route" in value
    )  # fmt: skip


def _claims(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(c, str) and f in _CLAIM_STATUSES for c, f in value.items())


def check_decision(raw: Any, known: Collection[str] | None = None) -> dict[str, Any]:
    """Check a decision document's shape and consistency, whichever engine produced it.

    Every decision passes here before it is shaped or logged, so a forged or broken answer
    (an OPA server's or a policy's) is an engine failure, never an allow: the keys are
    present with the right types; the outcome is one of the known four and agrees with the
    findings (deny findings for a deny, refer findings for a refer, none for an allow; an
    allow has conditions exactly when it is allow_with_conditions); an allow rests on a
    required or permitted legal verdict whose basis is non-empty and made of provisions
    the policies assess; a prohibited or uncertain verdict is never allowed, and an
    uncertain one names its missing facts.

    Args:
        raw: The value of data.sharing.decision.result.
        known: The provisions the policies assess (the catalogue's titles); None skips
            that check.

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
        ("row", isinstance(raw["row"], str) and raw["row"] != ""),
        ("legal", _legal(raw["legal"])),
        ("programme", _programme(raw["programme"])),
        ("urgent", isinstance(raw["urgent"], bool)),
        ("legal_basis", _strings(raw["legal_basis"])),
        ("conditions", _strings(raw["conditions"])),
        ("deny", _findings(raw["deny"])),
        ("refer", _findings(raw["refer"])),
        ("claims", _claims(raw["claims"])),
        ("pia_flow", raw["pia_flow"] is None or isinstance(raw["pia_flow"], str)),
    ):
        if not ok:
            raise fail(f"is malformed at {key}")
    legal, deny, refer, conditions = raw["legal"], raw["deny"], raw["refer"], raw["conditions"]
    if raw["legal_basis"] != legal["basis"] or raw["pia_flow"] != raw["programme"]["flow"]:
        raise fail("contradicts itself (legal_basis or pia_flow)")
    if outcome == "deny" and not deny:
        raise fail("says deny without a deny finding")
    if outcome == "refer" and (deny or not refer):
        raise fail("says refer without exactly refer findings")
    if outcome in ("allow", "allow_with_conditions"):
        if deny or refer:
            raise fail(f"says {outcome} despite findings against it")
        if (outcome == "allow") == bool(conditions):
            raise fail(f"says {outcome} with {len(conditions)} conditions")
        if legal["verdict"] not in ("required", "permitted") or not legal["basis"]:
            raise fail(f"says {outcome} without a legal basis")
        if legal["verdict"] == "required" and not set(legal["duties"]) <= set(legal["basis"]):
            raise fail("says required on a duty it does not rest on")
        if known is not None:
            unfounded = next((p for p in legal["basis"] if p not in known), None)
            if unfounded is not None:
                raise fail(f"says {outcome} on {unfounded[:80]!r}, which the policies do not assess")
    if legal["verdict"] == "uncertain" and not legal["missing"]:
        raise fail("is uncertain without naming a missing fact")
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


_CLAIM_MESSAGE = {"holds": "claim_holds", "considered": "claim_considered", "not_assessed": "claim_not_assessed"}


def _reasons(raw: dict[str, Any], words: Wording) -> list[str]:
    """The findings as sentences, each naming its provision, in the policies' wording."""
    reasons = [words.say("holds", p, words.titles.get(p, "")) for p in raw["legal_basis"]]
    claims = raw["claims"]
    reasons += [words.say(_CLAIM_MESSAGE[claims[c]], c) for c in sorted(claims)]
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
    check_decision(raw, words.titles)
    try:
        conditions = [{"id": c, **words.conditions[c]} for c in raw["conditions"]]
        violations = [{**v, "effect": "deny"} for v in raw["deny"]] + [{**v, "effect": "refer"} for v in raw["refer"]]
        decision = Decision.model_validate(
            {
                "id": request_id,
                "policy_revision": revision,
                "outcome": raw["outcome"],
                "row": raw["row"],
                "legal": raw["legal"],
                "programme": raw["programme"],
                "urgent": raw["urgent"],
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
    "EXPLANATION",
    "ENTRYPOINT",
    "Wording",
    "check_decision",
    "decide",
    "decide_many",
    "evaluate_raw",
    "to_decision",
    "wording",
]
