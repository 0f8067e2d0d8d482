"""The outcome table's index: committed fresh, and the same row as the table for every situation."""

from __future__ import annotations

import pytest

from macip_gov.disclosure.indexes import (
    first_row,
    outcome_index,
    outcome_index_json,
    situation_key,
    situations,
)
from macip_gov.resources import policies_dir

COMMITTED = policies_dir() / "sharing" / "outcome" / "by_situation" / "data.json"


def test_committed_index_is_not_stale(policy_set):
    fresh = outcome_index_json(policy_set.data["sharing.outcome"]["rows"])
    assert COMMITTED.read_text(encoding="utf-8") == fresh, (
        "policies/sharing/outcome/by_situation/data.json is stale: run `python scripts/policy_indexes.py`"
    )


def test_every_situation_is_keyed_once():
    keys = [situation_key(s) for s in situations()]
    assert len(keys) == len(set(keys)) == 128
    assert situation_key(situations()[0]) == "true|required|true|true|true|true"


def test_first_matching_row_wins():
    rows = [{"when": {"verdict": "prohibited"}}, {"when": {}}, {"when": {"verdict": "permitted"}}]
    assert first_row(rows, {"verdict": "prohibited"}) == 0
    assert first_row(rows, {"verdict": "permitted"}) == 1
    assert first_row([{"when": {"urgent": True}}], {"verdict": "permitted"}) is None


def test_situations_no_row_applies_to_are_left_out():
    index = outcome_index([{"when": {"complete": True, "verdict": "permitted"}}])
    assert len(index) == 16
    assert set(index.values()) == {0}


@pytest.mark.parametrize("situation", situations()[::9], ids=situation_key)
def test_rego_keys_and_reads_the_index_as_python_does(engine, situation):
    rows = engine.evaluate("sharing.outcome.rows")
    [found] = engine.query("k := data.sharing.outcome.key(input); r := data.sharing.outcome.indexed(input)", situation)
    assert found["k"] == situation_key(situation)
    assert found["r"] == rows[first_row(rows, situation)]
