"""A decided request ready for the decision log (kept apart from the log itself so deciding needs no database code)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LogEntry:
    """A decision ready to be logged: its request and decision as canonical JSON.

    Attributes:
        request_id: The request's id.
        outcome: The decision's outcome.
        policy_revision: The policy revision that decided.
        request_json: The request, canonical JSON (see ``canonical_json``).
        decision_json: The decision, canonical JSON.
    """

    request_id: str
    outcome: str
    policy_revision: str
    request_json: str
    decision_json: str


__all__ = ["LogEntry"]
