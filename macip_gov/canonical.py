"""Canonical JSON: the one byte-exact form of a value that hashes and chains are computed over.

Sorted keys, no spaces, non-ASCII text kept as is (never ``\\u`` escaped). The PIA
content hash and the disclosure log's hash chain both depend on it: changing it
changes every stored hash.
"""

from __future__ import annotations

import json
from typing import Any


def canonical_json(value: Any) -> str:
    """The canonical JSON text of a value: sorted keys, no spaces, UTF-8 text kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_bytes(value: Any) -> bytes:
    """:func:`canonical_json` encoded as UTF-8, the bytes a hash is taken of."""
    return canonical_json(value).encode("utf-8")


__all__ = ["canonical_bytes", "canonical_json"]
