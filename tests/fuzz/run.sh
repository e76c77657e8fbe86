#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each, starting from the seeds in
# tests/fuzz/corpus/TARGET (which include every crash found so far, as a
# regression case). New inputs go to a scratch corpus, so the repository's
# seeds change only by hand. Exits non-zero on the first crash, leak,
# timeout or broken property, leaving the input under build/fuzz/crashes/.
#   tests/fuzz/run.sh FUZZ_BUILD_DIR SECONDS [TARGET...]
# ./dev test runs 15 s each; docs/security.md quotes the long runs.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(realpath "$1")
SECONDS_EACH=$2
shift 2
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(record_input list_query csv oscal headers template)
mkdir -p "$BUILD/crashes"
status=0
for t in "${TARGETS[@]}"; do
  scratch=$(mktemp -d)
  log="$BUILD/crashes/$t.log"
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb: ASan's shadow
  # memory included; -max_len: larger than any seed, small enough to stay fast.
  if "$BUILD/fuzz_$t" "$scratch" "$HERE/corpus/$t" -max_total_time="$SECONDS_EACH" \
      -timeout=10 -rss_limit_mb=4096 -max_len=16384 -print_final_stats=1 \
      -artifact_prefix="$BUILD/crashes/$t-" > "$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
    echo "fuzz $t: ${runs:-?} inputs in ${SECONDS_EACH} s, $cov, no crash"
  else
    echo "fuzz $t: FAILED (log $log)"
    grep -E 'ERROR|property violated|SUMMARY|Test unit written' "$log" | head -5
    status=1
  fi
  rm -rf "$scratch"
done
exit $status
