# Decide the MACIP example disclosures, check them against their expected outcomes and
# provisions, explain one, then verify and export the decision log.
set -euo pipefail
log=out/decisions.db
rm -f "$log" "$log-wal" "$log-shm"
status=0
macip-gov disclosure check examples/disclosures/requests.jsonl --json --log "$log" \
  > out/disclosure-decisions.jsonl || status=$?
if [ "$status" -ne 1 ]; then
  echo "disclosure check exited $status; expected 1 (some examples are referred or denied)" >&2
  exit 1
fi
python - <<'PY'
import json, sys
expected = json.load(open("examples/disclosures/expected.json", encoding="utf-8"))
got = {d["id"]: d for d in map(json.loads, open("out/disclosure-decisions.jsonl", encoding="utf-8"))}
def seen(d):
    return {"outcome": d["outcome"], "row": d["row"], "verdict": d["legal"]["verdict"],
            "legal_basis": d["legal_basis"], "urgent": d["urgent"], "covered": d["programme"]["covered"],
            "pia_flow": d["pia_flow"], **({"missing": d["legal"]["missing"]} if d["legal"]["missing"] else {})}
wrong = [i for i, e in expected.items() if i not in got or seen(got[i]) != {k: v for k, v in e.items() if k != "file"}]
if wrong or set(got) != set(expected):
    sys.exit(f"examples not as expected: {', '.join(wrong) or 'different ids'}")
counts, verdicts = {}, {}
for d in got.values():
    counts[d["outcome"]] = counts.get(d["outcome"], 0) + 1
    verdicts[d["legal"]["verdict"]] = verdicts.get(d["legal"]["verdict"], 0) + 1
print(f"{len(got)} example disclosures decided as expected (outcome, row, verdict, basis, missing facts, urgency, coverage, flow): "
      + ", ".join(f"{counts[o]} {o}" for o in ("allow", "allow_with_conditions", "refer", "deny") if o in counts)
      + "; legal " + ", ".join(f"{verdicts[v]} {v}" for v in ("required", "permitted", "prohibited", "uncertain") if v in verdicts))
PY
# An imminent threat outside every approved flow: permitted and urgent, so allowed with conditions.
macip-gov disclosure explain examples/disclosures/22-health-threat-outside-flows.yaml > out/disclosure-explanation.txt
echo "wrote out/disclosure-decisions.jsonl and out/disclosure-explanation.txt"
macip-gov disclosure log verify --log "$log"
macip-gov disclosure log export --log "$log" --format csv -o out/decisions.csv
echo "wrote out/decisions.csv"
