"""The one result contract: the violation every policy returns, and the parser of engine results.

Every ``deny``, ``warn`` and ``refer`` rule returns ``{"id", "msg", "details"}``
(see policies/). :func:`parse_results` reads such a set from a decision document
into :class:`Violation` models, and fails closed: anything that is not a list of
objects with exactly those keys is a :class:`~macip_gov.errors.PolicyError`
(exit 4), never an empty result that would read as a pass.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .errors import PolicyError

Effect = Literal["deny", "refer", "warn"]
"""What a result does: deny (the answer is no), refer (a person decides), warn (advice only)."""

RESULT_KEYS = frozenset({"id", "msg", "details"})
"""The keys of every result a rule returns."""


def _absent(value: object) -> bool:
    return value is None


class Violation(BaseModel):
    """One result of a ``deny``, ``warn`` or ``refer`` rule, with where it was found when known.

    The location fields (``document``, ``line``, ``field``) and ``effect`` are left out
    of the JSON when they are not known, so a job's output names only what it has.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, description="The rule's stable id, e.g. pia.risks.unmitigated_high.")
    msg: str = Field(description="What is wrong, in a sentence naming the provision or rule.")
    details: dict[str, Any] = Field(description="The structured facts behind the result, as the rule gave them.")
    effect: Effect | None = Field(
        default=None,
        exclude_if=_absent,
        description="deny (the answer is no), refer (a person decides) or warn (advice only).",
    )
    document: str | None = Field(
        default=None, exclude_if=_absent, description="The document the result is about (its id), when known."
    )
    line: int | None = Field(
        default=None, ge=1, exclude_if=_absent, description="The line in that document's source, when known."
    )
    field: str | None = Field(
        default=None, exclude_if=_absent, description="The input field concerned (a dotted path), when known."
    )


def _location(details: dict[str, Any]) -> dict[str, Any]:
    """The location fields a rule's details name: ``document`` and ``field`` as text, ``line`` from 1."""
    found: dict[str, Any] = {}
    for key in ("document", "field"):
        value = details.get(key)
        if isinstance(value, str) and value:
            found[key] = value
    line = details.get("line")
    if isinstance(line, int) and not isinstance(line, bool) and line > 0:
        found["line"] = line
    return found


def parse_result(item: Any, *, query: str, what: str, effect: Effect | None = None, locate: bool = False) -> Violation:
    """Read one result object of a decision document.

    Args:
        item: The result as the engine returned it.
        query: The decision evaluated, for error messages (e.g. ``pia.validate.decision``).
        what: Which set it came from, for error messages (``deny``, ``warn``, ``refer``).
        effect: The effect to record on the result, or None.
        locate: Copy ``document``, ``line`` and ``field`` from the details into the location fields.

    Returns:
        The result.

    Raises:
        PolicyError: The item is not an object with exactly ``id`` (non-empty text),
            ``msg`` (text) and ``details`` (an object).
    """

    def malformed(reason: str) -> PolicyError:
        return PolicyError(f"{query}: a {what} result is malformed ({reason})")

    if not isinstance(item, dict):
        raise malformed(f"{type(item).__name__}, not an object")
    keys = set(item)
    if keys != RESULT_KEYS:
        missing, extra = sorted(RESULT_KEYS - keys), sorted(str(k) for k in keys - RESULT_KEYS)
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
            [f"unexpected {', '.join(extra)}"] if extra else []
        )
        raise malformed("; ".join(parts))
    rule, msg, details = item["id"], item["msg"], item["details"]
    if not isinstance(rule, str) or not rule:
        raise malformed("id is not non-empty text")
    if not isinstance(msg, str):
        raise malformed(f"msg of {rule} is not text")
    if not isinstance(details, dict):
        raise malformed(f"details of {rule} is not an object")
    return Violation(id=rule, msg=msg, details=details, effect=effect, **(_location(details) if locate else {}))


def parse_results(
    value: Any, *, query: str, what: str, effect: Effect | None = None, locate: bool = False
) -> list[Violation]:
    """Read a set of results (``deny``, ``warn`` or ``refer``) from a decision document.

    Args:
        value: The set as the engine returned it (a JSON array).
        query: The decision evaluated, for error messages (e.g. ``pia.validate.decision``).
        what: Which set it is, for error messages (``deny``, ``warn``, ``refer``).
        effect: The effect to record on each result, or None.
        locate: Copy ``document``, ``line`` and ``field`` from each result's details
            into its location fields.

    Returns:
        The results sorted by id, then message.

    Raises:
        PolicyError: The value is not a list, or a result is malformed (see :func:`parse_result`).
    """
    if not isinstance(value, list):
        raise PolicyError(f"{query}: {what} is not a set of results")
    found = [parse_result(item, query=query, what=what, effect=effect, locate=locate) for item in value]
    return sorted(found, key=lambda v: (v.id, v.msg))


def decision_document(value: Any, *, query: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """Check that a decision is an object holding ``keys``.

    Args:
        value: The decision document the engine returned.
        query: The decision evaluated, for error messages.
        keys: The keys the document must hold.

    Returns:
        The document.

    Raises:
        PolicyError: The value is not an object, or lacks one of ``keys``.
    """
    if not isinstance(value, dict):
        raise PolicyError(f"{query}: the decision is not an object")
    missing = [key for key in keys if key not in value]
    if missing:
        raise PolicyError(
            f"{query}: {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing from the decision"
        )
    return value


__all__ = ["RESULT_KEYS", "Effect", "Violation", "decision_document", "parse_result", "parse_results"]
