#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check.sh: action.yml's second step. Runs 'uds-interop check' with the action's inputs (INPUT_* environment, empty
# means the check's default), appends the Markdown summary to $GITHUB_STEP_SUMMARY, writes report-dir and the counts
# per status to $GITHUB_OUTPUT, and ends with the check's exit status (0 passed, 1 a failure, 2 bad usage).
set -uo pipefail
out=${INPUT_OUT:-uds-interop-report}
case "$out" in /*) ;; *) out=${GITHUB_WORKSPACE:-$PWD}/$out ;; esac
args=(check --out "$out" --summary-md "$out/summary.md")
option() { [ -z "${2:-}" ] || args+=("$1" "$2"); }
option --server-cmd "${INPUT_SERVER_CMD:-}"
option --server-image "${INPUT_SERVER_IMAGE:-}"
option --server-unsupported "${INPUT_SERVER_UNSUPPORTED:-}"
option --cases "${INPUT_CASES:-}"
option --clients "${INPUT_CLIENTS:-}"
option --known-failures "${INPUT_KNOWN_FAILURES:-}"
option --retries "${INPUT_RETRIES:-}"
option --shard "${INPUT_SHARD:-}"
option --timeout-scale "${INPUT_TIMEOUT_SCALE:-}"

status=0
"$UDS_INTEROP" "${args[@]}" || status=$?

echo "report-dir=$out" >> "$GITHUB_OUTPUT"
if [ -f "$out/summary.md" ]; then
  cat "$out/summary.md" >> "$GITHUB_STEP_SUMMARY"
  # The counts are the summary table's second data row: total passed failed expected-failure flaky warning skipped not-run unsupported.
  counts=$(awk -F'|' '/^\|---:/ { getline; print; exit }' "$out/summary.md" | tr -d ' ' | tr '|' ' ')
  set -- $counts
  for name in total passed failed expected-failure flaky warning skipped not-run unsupported; do
    echo "$name=${1:-0}" >> "$GITHUB_OUTPUT"
    shift || true
  done
else
  echo "## uds-interop: the check ended with exit status $status before any report (see the step's log)" >> "$GITHUB_STEP_SUMMARY"
fi
exit "$status"
