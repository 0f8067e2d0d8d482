"""Running the disclosure commands over one input: explain every request; check and log every request."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from .models import DisclosureRequest, Explanations

if TYPE_CHECKING:
    from ..engine import PolicyEngine


def _engine(engine: PolicyEngine | Callable[[], PolicyEngine]) -> PolicyEngine:
    """The engine itself, or the one a loader returns (loaded only when needed)."""
    if hasattr(engine, "evaluate"):
        return cast("PolicyEngine", engine)
    return engine()


def explain_requests(text: str, name: str, engine: PolicyEngine | Callable[[], PolicyEngine]) -> Explanations:
    """Explain the decision on each request in one input (a document or JSON Lines).

    Every request is validated before the engine is loaded or anything is decided.

    Args:
        text: The input's text.
        name: Its name (file or ``-``), for errors.
        engine: A loaded policy engine, or a function returning one (called once,
            after the requests are read).

    Returns:
        The explanations, in input order; ``exit_code`` is OK only when every request is allowed.

    Raises:
        InvalidInputError: A request is malformed (the first one, with its line).
        PolicyError: The engine failed or returned something that is not a decision.
    """
    from .batch import parse_requests
    from .explain import explain

    parsed = parse_requests(text, name)
    if parsed.errors:
        raise parsed.errors[0]
    loaded = _engine(engine)
    return Explanations(
        explanations=[explain(loaded, DisclosureRequest.model_validate_json(raw)) for _, raw in parsed.items]
    )


__all__ = ["explain_requests"]
