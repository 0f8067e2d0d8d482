"""The outcome table's index: committed fresh, and the same row as the table for every situation."""

from __future__ import annotations

import pytest

from macip_gov.disclosure.indexes import (
    first_row,
    flows_index,
    flows_index_json,
    outcome_index,
    outcome_index_json,
    situation_key,
    situations,
)
from macip_gov.resources import policies_dir

COMMITTED = policies_dir() / "sharing" / "outcome" / "by_situation" / "data.json"
FLOWS_COMMITTED = policies_dir() / "sharing" / "flows" / "by_pair" / "data.json"


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


def test_committed_flows_index_is_not_stale(policy_set):
    fresh = flows_index_json(policy_set.data["pia.approved_flows"])
    assert FLOWS_COMMITTED.read_text(encoding="utf-8") == fresh, (
        "policies/sharing/flows/by_pair/data.json is stale: run `python scripts/policy_indexes.py`"
    )


def test_flows_index_keys_flows_by_pair():
    flows = {
        "F2": {"from_agency": "msd", "to_agency": "police"},
        "F1": {"from_agency": "msd", "to_agency": "police"},
        "F3": {"from_agency": "health", "to_agency": "police"},
        "F4": {"from_agency": 7, "to_agency": "police"},
    }
    index = flows_index(flows)
    assert index["pairs"] == {"msd": {"police": ["F1", "F2"]}, "health": {"police": ["F3"]}}
    assert index["flows"] == flows


def test_decisions_read_the_flows_index(engine):
    # The bundled index fits the bundled flows, so a decision takes its pair's flows from it.
    found = engine.query(
        "ids := data.sharing.flows._pair_flows",
        {"from_agency": "health", "to_agency": "police", "categories": ["identity"], "purpose": "x"},
    )
    assert (
        found
        and found[0]["ids"] == flows_index(engine.policy_set.data["pia.approved_flows"])["pairs"]["health"]["police"]
    )
