#!/usr/bin/env bash
# Regenerates the committed artefacts that tests drift-check: the snapshot JSON Schema and
# the rule documentation pages.
#
# Usage: scripts/regenerate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --locked --quiet -- schema > schemas/snapshot.v1.json
rm -f docs/rules/*.md
cargo run --locked --quiet -- rules docs --out docs/rules
echo "regenerated schemas/snapshot.v1.json and docs/rules/"
