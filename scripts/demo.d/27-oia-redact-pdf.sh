# Redact a PDF original (the MACIP update as an agency's PDF, built by
# examples/pdf-original/build.py) with its marks file, then read the result back
# with pdfplumber, a third engine, to show that no withheld passage is left in it.
set -euo pipefail
src=examples/pdf-original/macip-update.pdf
marks=examples/pdf-original/macip-update.marks.yaml
macip-gov oia redact-pdf "$src" --marks "$marks" -o out/pdf/macip-update.pdf
python - "$src" out/pdf/macip-update.pdf <<'PY'
import re, sys
import pdfplumber

def text(path):
    with pdfplumber.open(path) as pdf:
        return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in pdf.pages))

before, after = text(sys.argv[1]), text(sys.argv[2])
withheld = ["Harbourside pilot", "coordination desk fit-out", "single-agency board", "021 555 0142", "(Invented"]
assert all(w in before for w in withheld), "the original must show every withheld passage"
left = [w for w in withheld if w in after]
if left:
    sys.exit(f"withheld text found in the redacted PDF: {left}")
print(f"checked {len(withheld)} withheld passages against the redacted PDF: none left; "
      f"{len(after.split())} of {len(before.split())} words released as text")
PY
# The same PDF original in a release (examples/pdf-original/manifest.yaml): the redacted
# PDF is documents/01-macip-update.pdf, and its pages are in release.pdf after the letter
# and the schedule.
macip-gov oia release examples/pdf-original/manifest.yaml -o out/pdf-release --replace
