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
# Example reports. The demo organization has findings and a coverage gap, so the scan exits
# 1, 3 or 4 by design; only 2 (bad input or a failed rule) or worse is an error here.
status=0
cargo run --locked --quiet -- scan --demo --fail-on none --no-github \
  --report reports/examples/demo.sarif \
  --report reports/examples/demo.md \
  --report reports/examples/demo.json \
  --report reports/examples/demo.html >/dev/null || status=$?
if [[ "$status" -ne 0 && "$status" -ne 3 ]]; then
  echo "error: the demo scan failed with exit code $status" >&2
  exit "$status"
fi

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
