# Compile and unit-test every policy, then evaluate a sample citation.
set -euo pipefail
macip-gov policy check
macip-gov policy test
echo '{"grounds": ["6(c)", "9(2)(a)"], "use": "withhold"}' \
  | macip-gov policy eval oia.grounds.decision --input - --json > out/sample-grounds.json
echo "wrote out/sample-grounds.json"
macip-gov policy bundle -o out/macip-policies.tar.gz
