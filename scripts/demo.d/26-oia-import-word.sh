# Import a Word original of the MACIP update (built by examples/word/make_word_example.py):
# its hidden content stops the import until each kind is decided, then the Markdown
# (with the comment marks applied) is redacted like any marked-up original.
set -euo pipefail
src=examples/word/macip-update.docx
mkdir -p out/word
rm -f out/word/macip-update.md
status=0
macip-gov oia import "$src" -o out/word/macip-update.md || status=$?
if [ "$status" -ne 1 ] || [ -e out/word/macip-update.md ]; then
  echo "expected the import to stop (exit 1) and write nothing, got exit $status" >&2
  exit 1
fi
echo "-- refused until decided (exit 1); now the decisions:"
macip-gov oia import "$src" -o out/word/macip-update.md \
  --tracked-changes accept --omit hidden-text --omit comments --omit headers-footers --omit properties
macip-gov oia redact out/word/macip-update.md -o out/word/macip-update.release.html
if grep -q "Harbourside\|0142\|working title" out/word/macip-update.release.html; then
  echo "withheld or hidden text found in the release" >&2
  exit 1
fi
