# The MACIP Privacy Impact Assessment: check it, list its history, render the report in
# every format, export the approved flows, then show the revision workflow (revise,
# refused stale base, diff, sign-off) on a scratch copy in out/pia-work.
set -euo pipefail
macip-gov pia validate pia/
macip-gov pia history pia/
for fmt in md html docx; do
  macip-gov pia render pia/ -o "out/macip-pia.$fmt"
done
macip-gov pia export-flows pia/ -o out/approved-flows.json
cmp out/approved-flows.json policies/pia/approved_flows/data.json
echo "policies/pia/approved_flows/data.json matches the PIA"

rm -rf out/pia-work && mkdir -p out/pia-work && cp -r pia out/pia-work/
work=out/pia-work/pia
cp "$work/macip.yaml" out/pia-work/colleague.yaml
python - "$work/macip.yaml" <<'PY'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
old = "        due: 2027-02-28\n        status: in_progress"
assert old in text
open(path, "w", encoding="utf-8").write(text.replace(old, "        due: 2027-02-28\n        status: implemented"))
PY
macip-gov pia diff latest --pia "$work"
if macip-gov pia validate "$work"; then
  echo "expected the edited PIA to need a new sign-off" >&2; exit 1
fi
macip-gov pia revise "$work" -m "M07 implemented" --author "MACIP Privacy Officer"
# A colleague's copy from the same base is refused (exit 3) and nothing is overwritten.
sed -i 's/  frequency_months: 12/  frequency_months: 6/' out/pia-work/colleague.yaml
status=0
macip-gov pia revise out/pia-work/colleague.yaml --history "$work/history" -m "Six-monthly review" \
  --author "Colleague" || status=$?
test "$status" -eq 3
echo "the colleague's copy from a stale base was refused (exit 3); nothing was overwritten"
macip-gov pia sign-off "$work" --by "MACIP Governance Group" --role "Chair, MACIP Governance Group"
macip-gov pia validate "$work"
macip-gov pia history "$work"
