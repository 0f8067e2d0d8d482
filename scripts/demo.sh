#!/usr/bin/env bash
# The main job on the bundled MACIP example. Each part lives in scripts/demo.d/,
# run in name order; output lands in out/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p out
for part in scripts/demo.d/*.sh; do
  echo "== ${part#scripts/demo.d/}"
  bash "$part"
done
