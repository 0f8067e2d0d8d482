"""Official Information Act releases: citations of grounds, markup and redaction, the statutory clock, releases.

The public API is imported lazily, so ``import macip_gov.oia`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "parse_citation": "citations",
    "split_citation": "citations",
    "describe_citation": "citations",
    "grounds_data": "citations",
    "Ground": "citations",
    "GroundLookup": "citations",
    "UnknownGroundError": "citations",
    "find_citations": "citations_text",
    "describe_text": "citations_text",
    "TextCitations": "citations_text",
    "grounds_in": "grounds_in",
    "GroundsInFile": "grounds_in",
    "compute_deadline": "deadlines",
    "add_working_days": "deadlines",
    "is_working_day": "deadlines",
    "non_working_reason": "deadlines",
    "working_days_after": "deadlines",
    "Deadline": "deadlines",
    "ExcludedDay": "deadlines",
    "parse_markup": "markup",
    "MarkedDocument": "markup",
    "redact_document": "redact",
    "redact_file": "redact",
    "write_redacted": "redact",
    "RedactedDocument": "redact",
    "Manifest": "manifest",
    "load_manifest": "manifest",
    "check_release": "release",
    "build_release": "release",
    "CheckReport": "release",
    "ReleaseReport": "release",
    "Violation": "release",
    "LetterContext": "letter",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
