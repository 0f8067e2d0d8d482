"""Regenerate the lookup indexes the disclosure policies read (run after editing the outcome table or exporting flows).

    .venv/bin/python scripts/policy_indexes.py [POLICIES_DIR]

Writes sharing/outcome/by_situation/data.json from sharing/outcome/data.yaml, and
sharing/flows/by_pair/data.json from pia/approved_flows/data.json. The tests fail while a
committed index differs from the data it was made from.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macip_gov.disclosure.indexes import flows_index_json, outcome_index_json  # noqa: E402
from macip_gov.policyset import load_policy_set  # noqa: E402


def main() -> int:
    """Write the outcome table and approved flows indexes in the policy directory given (default: policies/)."""
    policies = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "policies"
    data = load_policy_set(policies).data
    indexes = {
        policies / "sharing" / "outcome" / "by_situation" / "data.json": outcome_index_json(
            data["sharing.outcome"]["rows"]
        ),
        policies / "sharing" / "flows" / "by_pair" / "data.json": flows_index_json(data.get("pia.approved_flows", {})),
    }
    for target, text in indexes.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        sys.stdout.write(f"wrote {target}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
