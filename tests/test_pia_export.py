"""The approved-flows policy data is generated from the PIA and kept in step with it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from macip_gov.pia.signoff import approved_flows_json, export_flows
from macip_gov.resources import policies_dir

ROOT = Path(__file__).resolve().parent.parent

COMMITTED = policies_dir() / "pia" / "approved_flows" / "data.json"


def test_committed_approved_flows_are_not_stale():
    fresh = approved_flows_json(export_flows(ROOT / "pia"))
    assert COMMITTED.read_text(encoding="utf-8") == fresh, (
        "policies/pia/approved_flows/data.json is stale: run "
        "`macip-gov pia export-flows -o policies/pia/approved_flows/data.json`"
    )


def test_committed_flows_have_the_contract_shape():
    flows = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert flows, "at least one flow"
    for flow_id, flow in flows.items():
        assert flow_id.startswith("F")
        assert set(flow) == {"from_agency", "to_agency", "categories", "purposes", "legal_basis", "signed_off"}
        assert flow["signed_off"] is True


def test_exporting_into_a_policies_tree_rewrites_the_flows_index(tmp_path):

    from macip_gov.disclosure.indexes import flows_index_json
    from macip_gov.pia.views import export_text

    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    index = policies / "sharing" / "flows" / "by_pair" / "data.json"
    index.write_text("{}\n")  # stale on purpose
    output = policies / "pia" / "approved_flows" / "data.json"
    flows = export_flows(ROOT / "pia", output)
    assert index.read_text() == flows_index_json(flows)
    assert set(json.loads(index.read_text())["flows"]) == set(flows)
    assert str(index) in export_text(output, flows)
    # Anywhere else, only the flows are written.
    elsewhere = tmp_path / "flows.json"
    export_flows(ROOT / "pia", elsewhere)
    assert "index" not in export_text(elsewhere, flows)
