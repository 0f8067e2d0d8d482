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
wrong = [i for i, e in expected.items()
         if (got[i]["outcome"], got[i]["legal_basis"], got[i]["pia_flow"]) != (e["outcome"], e["legal_basis"], e["pia_flow"])]
if wrong or set(got) != set(expected):
    sys.exit(f"examples not as expected: {', '.join(wrong) or 'different ids'}")
counts = {}
for d in got.values():
    counts[d["outcome"]] = counts.get(d["outcome"], 0) + 1
print(f"{len(got)} example disclosures decided as expected: "
      + ", ".join(f"{counts[o]} {o}" for o in ("allow", "allow_with_conditions", "refer", "deny") if o in counts))
PY
macip-gov disclosure explain examples/disclosures/04-health-serious-threat.yaml > out/disclosure-explanation.txt
echo "wrote out/disclosure-decisions.jsonl and out/disclosure-explanation.txt"
macip-gov disclosure log verify --log "$log"
macip-gov disclosure log export --log "$log" --format csv -o out/decisions.csv
echo "wrote out/decisions.csv"
