# Terms of Reference: check the MACIP Governance Group and Working Group specs
# against the governance rules (and the current PIA in pia/), then generate
# each as Markdown, HTML, Word and PDF.
set -euo pipefail
macip-gov tor check examples/governance/macip-governance-group.yaml examples/governance/macip-working-group.yaml
for body in macip-governance-group macip-working-group; do
  for fmt in md html docx pdf; do
    macip-gov tor generate "examples/governance/$body.yaml" -o "out/tor/$body.$fmt"
  done
done
