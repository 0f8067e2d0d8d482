"""Lookup indexes the disclosure policies read instead of scanning their tables.

The outcome table (``data.sharing.outcome.rows``) is read by the first row whose every
``when`` entry equals the situation's. Scanning it costs more than the rest of the
outcome step, so the decision looks the row up in ``data.sharing.outcome.by_situation``, an
object keyed by every situation the decision can be in. The index is generated from the
table, committed beside it, and checked: a pytest compares it with a fresh one, and a
Rego test compares every entry with the table's own first-match row. The decision checks
the indexed row against the situation as it reads it, and scans the table when the two
disagree, so a stale index is slow, never a different answer for the situation it names.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from typing import Any

VERDICTS = ("required", "permitted", "prohibited", "uncertain")
"""The legal verdicts a situation can carry."""

FLAGS = ("urgent", "covered", "lines_crossed", "claim_not_assessed")
"""The situation's yes/no entries after ``complete`` and ``verdict``, in key order."""


def situation_key(situation: Mapping[str, Any]) -> str:
    """The index key of a situation: ``complete|verdict|urgent|covered|lines_crossed|claim_not_assessed``.

    Booleans are written ``true``/``false``, as Rego's ``sprintf("%v")`` writes them.
    """
    values = [situation["complete"], situation["verdict"], *(situation[f] for f in FLAGS)]
    return "|".join(json.dumps(v) if isinstance(v, bool) else str(v) for v in values)


def situations() -> list[dict[str, Any]]:
    """Every situation a complete or incomplete request can be in (128)."""
    out = []
    for complete, verdict, *flags in itertools.product((True, False), VERDICTS, *([(True, False)] * len(FLAGS))):
        out.append({"complete": complete, "verdict": verdict, **dict(zip(FLAGS, flags, strict=True))})
    return out


def first_row(rows: Sequence[Mapping[str, Any]], situation: Mapping[str, Any]) -> int | None:
    """The position of the first row whose every ``when`` entry equals the situation's, or None."""
    for position, row in enumerate(rows):
        if all(k in situation and situation[k] == v for k, v in row["when"].items()):
            return position
    return None


def outcome_index(rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """The index of an outcome table: situation key -> position of the row that applies.

    Situations no row applies to are left out (the decision then finds no row and fails closed).
    """
    index: dict[str, int] = {}
    for situation in situations():
        position = first_row(rows, situation)
        if position is not None:
            index[situation_key(situation)] = position
    return index


def outcome_index_json(rows: Sequence[Mapping[str, Any]]) -> str:
    """The index as the committed file holds it (sorted keys, two-space indent)."""
    return json.dumps(outcome_index(rows), indent=2, sort_keys=True) + "\n"


def flows_index(flows: Mapping[str, Any]) -> dict[str, Any]:
    """The index of approved flows: ``{"flows": flows, "pairs": {from: {to: [flow ids, sorted]}}}``.

    A flow whose from_agency or to_agency is not a string is left out of ``pairs``: the
    policy looks pairs up only for requests whose agencies are strings, which such a flow
    never covers.
    """
    pairs: dict[str, dict[str, list[str]]] = {}
    for flow_id in sorted(flows):
        flow = flows[flow_id]
        sender = flow.get("from_agency") if isinstance(flow, Mapping) else None
        recipient = flow.get("to_agency") if isinstance(flow, Mapping) else None
        if isinstance(sender, str) and isinstance(recipient, str):
            pairs.setdefault(sender, {}).setdefault(recipient, []).append(flow_id)
    return {"flows": dict(flows), "pairs": pairs}


def flows_index_json(flows: Mapping[str, Any]) -> str:
    """The flows index as the committed file holds it (sorted keys, two-space indent)."""
    return json.dumps(flows_index(flows), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


__all__ = [
    "FLAGS",
    "VERDICTS",
    "first_row",
    "flows_index",
    "flows_index_json",
    "outcome_index",
    "outcome_index_json",
    "situation_key",
    "situations",
]
