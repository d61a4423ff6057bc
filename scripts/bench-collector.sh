#!/usr/bin/env bash
# Benchmarks the live collector against the moto emulator: seeds the organization of the
# end-to-end tests plus N bench accounts (each with a SAML provider, a federation role, a
# read-only role with an AWS-managed policy and a Connect instance), then runs
# `connect-guard collect` at several --concurrency values, RUNS times each, and prints per
# run: wall time, connect-guard's own user and system CPU time and their share of wall, the
# emulator's CPU time over the same run, API calls, calls per second, and the 1-minute load
# average just before the run (the benchmark machine may be shared; a loaded run is not
# comparable).
#
# Usage: scripts/bench-collector.sh [N=50] [CONCURRENCY...=8 16 32]
#   env REGIONS=us-east-1,...   regions to collect (default us-east-1,us-west-2,eu-west-2)
#   env PROFILE=debug           use the test build instead of a release build
#   env RUNS=3                  runs per concurrency (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
accounts=${1:-50}
shift || true
concurrencies=("${@:-8 16 32}")
read -r -a concurrencies <<<"${concurrencies[*]}"
regions=${REGIONS:-us-east-1,us-west-2,eu-west-2}
runs=${RUNS:-1}

profile=${PROFILE:-release}
if [ "$profile" = release ]; then cargo build --release --locked --quiet; else cargo build --locked --quiet; fi
binary="target/$profile/connect-guard"
[ -x .venv/bin/python ] || { python3 -m venv .venv; .venv/bin/pip install --quiet 'moto[server]==5.2.5' 'boto3==1.44.5'; }

dir=$(mktemp -d)
.venv/bin/python tests/emulator/moto_shim.py --port-file "$dir/port" >"$dir/shim.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 150); do [ -s "$dir/port" ] && break; sleep 0.2; done
sleep 1
url="http://127.0.0.1:$(cat "$dir/port")"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 \
  AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
seed_start=$(date +%s)
.venv/bin/python tests/emulator/seed.py "$url" "$dir/manifest.json" --bench-accounts "$accounts" >/dev/null
echo "seeded $accounts bench accounts (+8 scenario accounts) in $(( $(date +%s) - seed_start )) s; regions $regions"

# The emulator's CPU time (user + system) in seconds, from /proc.
emulator_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$pid/stat"
}

printf '%-12s %-8s %-8s %-8s %-7s %-13s %-7s %-8s %s\n' \
  concurrency wall_s user_s sys_s cg_cpu% emulator_cpu_s calls calls/s load1
for c in "${concurrencies[@]}"; do
  for _ in $(seq 1 "$runs"); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    before=$(emulator_cpu)
    /usr/bin/time -f '%e %U %S' -o "$dir/time" env AWS_ENDPOINT_URL="$url" \
      "$binary" collect --quiet --regions "$regions" --concurrency "$c" \
      --out "$dir/snapshot.json" || true
    after=$(emulator_cpu)
    read -r wall user sys < <(tail -n 1 "$dir/time")
    calls=$(python3 -c "import json,sys; print(sum(json.load(open(sys.argv[1]))['scan']['api_calls'].values()))" "$dir/snapshot.json")
    python3 - "$c" "$wall" "$user" "$sys" "$before" "$after" "$calls" "$load" <<'PY'
import sys
c, wall, user, sys_, before, after, calls, load = sys.argv[1:]
wall, user, sys_ = float(wall), float(user), float(sys_)
emulator = float(after) - float(before)
print(f"{c:<12} {wall:<8.2f} {user:<8.2f} {sys_:<8.2f} {100*(user+sys_)/wall:<7.1f} "
      f"{emulator:<14.2f} {calls:<7} {int(calls)/wall:<8.0f} {load}")
PY
  done
done
python3 - "$dir/snapshot.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
calls = s["scan"]["api_calls"]
print("api calls by operation:", json.dumps(calls, sort_keys=True))
print("errors:", len(s["scan"]["errors"]))
PY
