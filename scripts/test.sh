#!/usr/bin/env bash
# Runs every connect-guard test on a fresh machine: the Rust unit and integration tests
# (which include the Rego policy tests, the drift checks of generated files, the end-to-end
# CLI tests, the offline collector tests and the end-to-end collector tests against the moto
# emulator) and the built-in policy test runner.
#
# The emulator: moto[server] (pinned) in a virtualenv under .venv/, patched by
# tests/emulator/moto_shim.py, started on a free 127.0.0.1 port, seeded by
# tests/emulator/seed.py, and stopped when this script exits. Set
# CONNECT_GUARD_SKIP_EMULATOR=1 to run without it (the emulator tests then skip with a note).
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

# The CDK app the template tests synthesize with the real CDK (tests/cdk-app: aws-cdk-lib and
# the cdk CLI, pinned in its package-lock.json), installed into its git-ignored node_modules.
if [ "${CONNECT_GUARD_SKIP_CDK:-}" != "1" ]; then
  if [ ! -x tests/cdk-app/node_modules/.bin/cdk ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "error: npm not found; it installs the AWS CDK (or set CONNECT_GUARD_SKIP_CDK=1)" >&2
      exit 2
    fi
    echo "==> npm ci --prefix tests/cdk-app (AWS CDK, for the template tests)"
    npm ci --prefix tests/cdk-app --no-audit --no-fund
  fi
  export CONNECT_GUARD_REQUIRE_CDK=1
fi

MOTO_REQUIREMENTS=('moto[server]==5.2.5' 'boto3==1.44.5')

# AWS's CloudFormation linter validates the template fixtures of the `scan --iac` tests
# (tests/iac.rs), installed into the same virtualenv.
CFN_LINT_VERSION=1.58.0
if [ "${CONNECT_GUARD_SKIP_CFN_LINT:-}" != "1" ]; then
  if [ "$(.venv/bin/cfn-lint --version 2>/dev/null)" != "cfn-lint $CFN_LINT_VERSION" ]; then
    if ! command -v python3 >/dev/null 2>&1; then
      echo "error: python3 not found; it runs cfn-lint (or set CONNECT_GUARD_SKIP_CFN_LINT=1)" >&2
      exit 2
    fi
    echo "==> installing cfn-lint $CFN_LINT_VERSION into .venv/"
    [ -x .venv/bin/pip ] || python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check "cfn-lint==$CFN_LINT_VERSION"
  fi
  export CONNECT_GUARD_REQUIRE_CFN_LINT=1
fi

start_emulator() {
  if ! command -v python3 >/dev/null 2>&1; then
    echo "error: python3 not found; it runs the moto emulator (or set CONNECT_GUARD_SKIP_EMULATOR=1)" >&2
    exit 2
  fi
  if ! .venv/bin/python -c 'import moto, boto3' >/dev/null 2>&1 \
    || [ "$(.venv/bin/python -c 'import moto; print(moto.__version__)')" != "5.2.5" ]; then
    echo "==> installing the emulator into .venv/ (${MOTO_REQUIREMENTS[*]})"
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check "${MOTO_REQUIREMENTS[@]}"
  fi

  emulator_dir=$(mktemp -d)
  .venv/bin/python tests/emulator/moto_shim.py --port-file "$emulator_dir/port" \
    >"$emulator_dir/shim.log" 2>&1 &
  emulator_pid=$!
  trap 'kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; rm -rf "$emulator_dir"' EXIT

  for _ in $(seq 1 150); do
    if [ -s "$emulator_dir/port" ] && (exec 3<>"/dev/tcp/127.0.0.1/$(cat "$emulator_dir/port")") 2>/dev/null; then
      break
    fi
    if ! kill -0 "$emulator_pid" 2>/dev/null; then
      echo "error: the emulator did not start:" >&2
      cat "$emulator_dir/shim.log" >&2
      exit 2
    fi
    sleep 0.2
  done
  local url="http://127.0.0.1:$(cat "$emulator_dir/port")"
  echo "==> emulator on $url, seeding"
  AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 \
    AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    .venv/bin/python tests/emulator/seed.py "$url" "$emulator_dir/manifest.json"
  export CONNECT_GUARD_EMULATOR_URL="$url"
  export CONNECT_GUARD_EMULATOR_MANIFEST="$emulator_dir/manifest.json"
}

if [ -z "${CONNECT_GUARD_SKIP_EMULATOR:-}" ]; then
  start_emulator
fi

echo "==> cargo test"
cargo test --locked

echo "==> connect-guard policy test"
cargo run --locked --quiet -- policy test
