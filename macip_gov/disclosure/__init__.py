"""Disclosure checks: is a proposed disclosure of personal information lawful and proportionate?

Requests are pydantic models; the Rego policies in ``policies/privacy`` and
``policies/sharing`` decide; decisions can be explained and are appended to a
hash-chained SQLite log.
"""

from __future__ import annotations

from ..canonical import canonical_json
from .batch import BatchCheck, Checked, EngineSpec, parse_requests, start_check
from .evaluate import ENTRYPOINT, decide, decide_many
from .explain import explain
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
