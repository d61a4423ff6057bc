#!/usr/bin/env bash
# Runs every connect-guard test on a fresh machine: the Rust unit and integration tests
# (which include the Rego policy tests, the drift checks of generated files and the
# end-to-end CLI tests) and the built-in policy test runner.
#
# Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1; then
  echo "error: cargo not found; install Rust from https://rustup.rs" >&2
  exit 2
fi

echo "==> cargo test"
cargo test --locked

echo "==> connect-guard policy test"
cargo run --locked --quiet -- policy test
