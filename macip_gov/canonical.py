"""Canonical JSON: the one byte-exact form of a value that hashes and chains are computed over.

Sorted keys, no spaces, non-ASCII text kept as is (never ``\\u`` escaped). The PIA
content hash and the disclosure log's hash chain both depend on it: changing it
changes every stored hash.
"""

from __future__ import annotations

import json
from typing import Any

# What ``json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`` builds on
# every call, built once: the same text, without a new encoder for each of the many values
# a batch of decisions hashes (an encoder keeps no state between calls).
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> str:
    """The canonical JSON text of a value: sorted keys, no spaces, UTF-8 text kept as is."""
    return _ENCODER.encode(value)


def canonical_bytes(value: Any) -> bytes:
    """:func:`canonical_json` encoded as UTF-8, the bytes a hash is taken of."""
    return canonical_json(value).encode("utf-8")


__all__ = ["canonical_bytes", "canonical_json"]
