#!/usr/bin/env bash
# The scan step of the connect-guard GitHub Action (action.yml).
#
# Every input arrives through the environment (INPUT_*), never through `${{ }}` expansion in
# the workflow, so an input cannot inject shell. connect-guard itself writes the annotations,
# the job summary ($GITHUB_STEP_SUMMARY) and the step outputs ($GITHUB_OUTPUT) because
# GITHUB_ACTIONS=true; this script validates inputs, builds the command line, and adds the
# `exit-code` output.
#
# Environment:
#   CONNECT_GUARD_BIN     the connect-guard binary (default: `connect-guard` on PATH)
#   INPUT_SNAPSHOT        snapshot file to scan; when empty (and INPUT_DEMO is not true) the
#                         organization is collected live with `connect-guard collect`
#   INPUT_DEMO            `true` scans the bundled demo organization (to try the action)
#   INPUT_IAC             templates, cdk.out directories or directories of templates to scan
#                         before they deploy, one path per line
#   INPUT_ROLE            role name to assume in each member account (live scans)
#   INPUT_REGIONS         comma-separated regions (live scans)
#   INPUT_FETCH_SAML_METADATA_URLS  "true" to fetch Cognito providers' metadata URLs (live scans)
#   INPUT_FAIL_ON         critical, high, medium, low or none
#   INPUT_POLICIES        extra policy directories, one per line
#   INPUT_PARAMS          rule parameters, one `name=value` per line
#   INPUT_SARIF_CATEGORY  SARIF runAutomationDetails.id (one per scan slice)
#   INPUT_SARIF_FILE      where to write the SARIF report (default: $RUNNER_TEMP/connect-guard/)
#   INPUT_HTML_REPORT, INPUT_MARKDOWN_REPORT, INPUT_JSON_REPORT   optional report paths
#
# Exit status: connect-guard's (0 pass, 1 findings at or above fail-on, 2 input error,
# 3 incomplete scan, 4 both); reports are written in every case.
set -euo pipefail

fail() {
  # An input error, shown as an annotation. `%`, CR and LF are escaped as the runner expects.
  local message="${1//'%'/%25}"
  message="${message//$'\r'/%0D}"
  message="${message//$'\n'/%0A}"
  echo "::error title=connect-guard action::${message}"
  exit 2
}

bin="${CONNECT_GUARD_BIN:-connect-guard}"
if ! command -v "$bin" >/dev/null 2>&1; then
  fail "connect-guard binary not found: ${bin}"
fi

work="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/connect-guard"
mkdir -p "$work"

fail_on="${INPUT_FAIL_ON:-high}"
case "$fail_on" in
  critical | high | medium | low | none) ;;
  *) fail "fail-on must be critical, high, medium, low or none, not '${fail_on}'" ;;
esac

args=(scan --fail-on "$fail_on")

iac=()
while IFS= read -r line; do
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  [[ -z "$line" ]] && continue
  [[ "$line" != -* ]] || fail "iac paths cannot start with '-': ${line}"
  [[ -e "$line" ]] || fail "iac path not found: ${line}"
  iac+=("$line")
done <<<"${INPUT_IAC:-}"

if [[ ${#iac[@]} -gt 0 ]]; then
  [[ -z "${INPUT_SNAPSHOT:-}" && "${INPUT_DEMO:-false}" != "true" ]] \
    || fail "iac takes the place of snapshot and demo; set only one"
  args+=(--iac "${iac[@]}")
elif [[ -n "${INPUT_SNAPSHOT:-}" ]]; then
  [[ -f "$INPUT_SNAPSHOT" ]] || fail "snapshot file not found: ${INPUT_SNAPSHOT}"
  args+=(--snapshot "$INPUT_SNAPSHOT")
elif [[ "${INPUT_DEMO:-false}" == "true" ]]; then
  args+=(--demo)
else
  # A live scan: collect a snapshot with the credentials configure-aws-credentials left in
  # the environment, then scan it (the collector is `connect-guard collect`).
  if ! "$bin" collect --help >/dev/null 2>&1; then
    fail "this connect-guard build cannot collect live; pass a 'snapshot' input"
  fi
  collect=(collect --out "$work/snapshot.json")
  if [[ -n "${INPUT_ROLE:-}" ]]; then
    [[ "$INPUT_ROLE" =~ ^[A-Za-z0-9+=,.@_/-]+$ ]] || fail "role is not a valid IAM role name or path"
    collect+=(--role-name "$INPUT_ROLE")
  fi
  if [[ -n "${INPUT_REGIONS:-}" ]]; then
    [[ "$INPUT_REGIONS" =~ ^[a-z0-9-]+(,[a-z0-9-]+)*$ ]] || fail "regions must be a comma-separated list such as us-east-1,eu-west-2"
    collect+=(--regions "$INPUT_REGIONS")
  fi
  case "${INPUT_FETCH_SAML_METADATA_URLS:-false}" in
    true) collect+=(--fetch-saml-metadata-urls) ;;
    false | "") ;;
    *) fail "fetch-saml-metadata-urls must be true or false" ;;
  esac
  # Exit 3 is a snapshot with recorded gaps: scanned, they are reported as not assessed.
  collected=0
  "$bin" "${collect[@]}" || collected=$?
  if [[ "$collected" -ne 0 && "$collected" -ne 3 ]]; then
    fail "collection failed (exit ${collected}); see the log above"
  fi
  args+=(--snapshot "$work/snapshot.json")
fi

while IFS= read -r dir; do
  dir="${dir#"${dir%%[![:space:]]*}"}"
  dir="${dir%"${dir##*[![:space:]]}"}"
  [[ -z "$dir" ]] && continue
  args+=(--policies "$dir")
done <<<"${INPUT_POLICIES:-}"

while IFS= read -r param; do
  param="${param#"${param%%[![:space:]]*}"}"
  param="${param%"${param##*[![:space:]]}"}"
  [[ -z "$param" ]] && continue
  args+=(--param "$param")
done <<<"${INPUT_PARAMS:-}"

if [[ -n "${INPUT_SARIF_CATEGORY:-}" ]]; then
  args+=(--sarif-category "$INPUT_SARIF_CATEGORY")
fi

args+=(--report "${INPUT_SARIF_FILE:-$work/connect-guard.sarif}")
for report in "${INPUT_HTML_REPORT:-}" "${INPUT_MARKDOWN_REPORT:-}" "${INPUT_JSON_REPORT:-}"; do
  if [[ -n "$report" ]]; then
    args+=(--report "$report")
  fi
done

# connect-guard adds annotations, the job summary and the outputs itself when it sees
# GITHUB_ACTIONS=true; make sure it does even if a caller disabled them globally.
export GITHUB_ACTIONS=true
unset CONNECT_GUARD_NO_GITHUB

status=0
"$bin" "${args[@]}" || status=$?

if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  echo "exit-code=${status}" >>"$GITHUB_OUTPUT"
fi
exit "$status"
