"""Disclosure checks: is a proposed disclosure of personal information lawful and proportionate?

Requests are pydantic models; the Rego policies in ``policies/privacy`` and
``policies/sharing`` decide; decisions can be explained and are appended to a
hash-chained SQLite log.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .explain import explain

if TYPE_CHECKING:
    from ..canonical import canonical_json
    from .batch import BatchCheck, Checked, EngineSpec, parse_requests, start_check
    from .evaluate import ENTRYPOINT, decide, decide_many
    from .log import DecisionLog, LogEntry, LogRecord, VerifyReport
    from .models import (
        Category,
        Condition,
        Consent,
        Decision,
        DisclosureRequest,
        Explanation,
        Outcome,
        Purpose,
        RiskLevel,
        Subject,
        Violation,
    )
    from .report import render_decision, render_explanation

# ``explain`` is imported now: it is also the name of its submodule, which would
# otherwise shadow the function once imported. The other public names are imported
# when first used, so a command needing one part (a single check, say) does not load
# the rest (the batch workers, the decision log).
_WHERE = {
    "canonical_json": "..canonical",
    "BatchCheck": ".batch",
    "Checked": ".batch",
    "EngineSpec": ".batch",
    "parse_requests": ".batch",
    "start_check": ".batch",
    "ENTRYPOINT": ".evaluate",
    "decide": ".evaluate",
    "decide_many": ".evaluate",
    "DecisionLog": ".log",
    "LogEntry": ".log",
    "LogRecord": ".log",
    "VerifyReport": ".log",
    "Category": ".models",
    "Condition": ".models",
    "Consent": ".models",
    "Decision": ".models",
    "DisclosureRequest": ".models",
    "Explanation": ".models",
    "Outcome": ".models",
    "Purpose": ".models",
    "RiskLevel": ".models",
    "Subject": ".models",
    "Violation": ".models",
    "render_decision": ".report",
    "render_explanation": ".report",
}

__all__ = [
    "ENTRYPOINT",
    "BatchCheck",
    "Category",
    "Checked",
    "Condition",
    "Consent",
    "Decision",
    "DecisionLog",
    "DisclosureRequest",
    "EngineSpec",
    "Explanation",
    "LogEntry",
    "LogRecord",
    "Outcome",
    "Purpose",
    "RiskLevel",
    "Subject",
    "VerifyReport",
    "Violation",
    "canonical_json",
    "decide",
    "decide_many",
    "explain",
    "parse_requests",
    "render_decision",
    "render_explanation",
    "start_check",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
