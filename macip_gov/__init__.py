"""macip-gov: privacy-impact and governance compliance for the MACIP programme.

The public API is imported lazily so the command line starts fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "EmbeddedEngine",
    "ExitCode",
    "InvalidInputError",
    "MacipError",
    "OpaServerEngine",
    "PolicyError",
    "load_engine",
    "load_policy_set",
    "run_policy_tests",
    "write_bundle",
]

_WHERE = {
    "EmbeddedEngine": "engine",
    "OpaServerEngine": "engine",
    "load_engine": "engine",
    "ExitCode": "errors",
    "InvalidInputError": "errors",
    "MacipError": "errors",
    "PolicyError": "errors",
    "load_policy_set": "policyset",
    "run_policy_tests": "policytools",
    "write_bundle": "bundle",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
