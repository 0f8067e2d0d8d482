# The OIA release in the shape of the published MACIP response: grounds, the clock,
# the release check and the release itself (letter, schedule, redacted documents, each
# as Markdown, HTML, Word and PDF), with out/macip-release/release.pdf: the whole
# response in one file, as agencies publish it.
set -euo pipefail
macip-gov oia ground "s.6(c) OIA, s.9(2)(g)(i) OIA"
macip-gov oia deadline 2021-07-12 --transferred 2021-07-19 --extended-by 25
macip-gov oia check examples/macip-release/manifest.yaml
macip-gov oia release examples/macip-release/manifest.yaml -o out/macip-release --replace
