# Is everything in place? The engine, the policies, and the repository's own workspace
# (macip.toml: the PIA in pia/, the decision log, the ToR specs and the OIA request).
set -euo pipefail
macip-gov doctor
