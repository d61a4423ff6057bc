#!/usr/bin/env bash
# Regenerates the committed artefacts that tests drift-check: the snapshot JSON Schema, the
# rule documentation pages and the example reports of the demo organization.
#
# Usage: scripts/regenerate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --locked --quiet -- schema > schemas/snapshot.v1.json
rm -f docs/rules/*.md
cargo run --locked --quiet -- rules docs --out docs/rules
# Example reports. The demo scan is incomplete on purpose (two accounts cannot be read), so
# exit code 3 is expected with --fail-on none; anything else is an error.
status=0
cargo run --locked --quiet -- scan --demo --fail-on none --no-github \
  --report reports/examples/demo.sarif \
  --report reports/examples/demo.md \
  --report reports/examples/demo.json >/dev/null || status=$?
if [[ "$status" -ne 0 && "$status" -ne 3 ]]; then
  echo "error: the demo scan failed with exit code $status" >&2
  exit "$status"
fi
echo "regenerated schemas/snapshot.v1.json, docs/rules/ and reports/examples/"
