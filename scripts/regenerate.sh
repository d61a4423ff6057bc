#!/usr/bin/env bash
# Regenerates the committed artefacts that tests drift-check: the snapshot JSON Schema, the
# rule documentation pages and the example reports of the demo organization; and, when
# Chromium is installed, the README screenshot of the HTML report.
#
# Usage: scripts/regenerate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --locked --quiet -- schema > schemas/snapshot.v1.json
rm -f docs/rules/*.md
cargo run --locked --quiet -- rules docs --out docs/rules

# The demo organization has findings and a coverage gap, so the scan exits 1, 3 or 4 by
# design; only 2 (bad input or a failed rule) is an error here.
scan_demo() {
  local code=0
  cargo run --locked --quiet -- scan --demo --format json "$@" > /dev/null || code=$?
  if [ "$code" -eq 2 ] || [ "$code" -gt 4 ]; then
    echo "error: demo scan failed with exit code $code" >&2
    exit "$code"
  fi
}
mkdir -p reports/examples
scan_demo --report reports/examples/demo.html

if command -v chromium >/dev/null 2>&1; then
  profile=$(mktemp -d)
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$profile" --window-size=1280,1800 \
    --virtual-time-budget=5000 --screenshot="$PWD/docs/images/html-report.png" \
    "file://$PWD/reports/examples/demo.html" 2>/dev/null
  rm -rf "$profile"
else
  echo "note: chromium not installed; docs/images/html-report.png left as it is" >&2
fi
echo "regenerated schemas/snapshot.v1.json, docs/rules/, reports/examples/ and docs/images/"
