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

# The HTML report is tested in headless Chromium (tests/html_report.rs). Install the Debian
# package when it is missing, unless the browser tests are skipped on purpose.
if [ "${CONNECT_GUARD_SKIP_BROWSER:-}" != "1" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "==> installing chromium for the HTML report tests"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update && apt-get install -y chromium
  else
    sudo apt-get update && sudo apt-get install -y chromium
  fi
fi

# Differential-test oracle (tests/differential.rs): @cloud-copilot/iam-simulate, pinned in
# tests/oracle/package-lock.json, installed at test time into the git-ignored
# tests/oracle/node_modules and run as a separate node process (AGPL-3.0: never shipped).
if [ "${CONNECT_GUARD_SKIP_ORACLE:-}" != "1" ] && [ ! -d tests/oracle/node_modules ]; then
  echo "==> npm ci --prefix tests/oracle (differential-test oracle)"
  npm ci --prefix tests/oracle --no-audit --no-fund
fi

echo "==> cargo test"
cargo test --locked

echo "==> connect-guard policy test"
cargo run --locked --quiet -- policy test
