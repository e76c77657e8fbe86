#!/usr/bin/env bash
# Before/after of the request hot path: two release builds (each a directory
# holding tandem and tandem-load, e.g. build/release of two checkouts) serve a
# fresh SQLite database each, side by side on loopback, and one client times
# GET by id and the 50-row list against each in turn, ROUNDS times, so that
# drift of the machine falls on both alike (docs/performance.md).
#   bench/compare.sh BEFORE_DIR AFTER_DIR [ROUNDS (default 4)] [SECONDS (default 5)]
# MODES picks the runs, each MODE:CLIENTS for tandem-load (default
# "get:1 list:1"; e.g. MODES="create:64 get:8" for group commits and
# concurrent reads).
set -euo pipefail
BEFORE=$(realpath "$1"); AFTER=$(realpath "$2"); ROUNDS=${3:-4}; SECONDS_EACH=${4:-5}
WORK=$(mktemp -d)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

serve() {  # serve BIN PORT NAME: a server with an admin token and incidents to read
  local bin=$1 port=$2 dir=$WORK/$3
  mkdir -p "$dir"
  "$bin/tandem" --db "sqlite:$dir/a.db" init >/dev/null
  echo 'a long enough bench password 9' | "$bin/tandem" --db "sqlite:$dir/a.db" user add admin --admin >/dev/null
  "$bin/tandem" --db "sqlite:$dir/a.db" token add admin --name bench --scope read-write >"$dir/token"
  "$bin/tandem" --db "sqlite:$dir/a.db" serve --port "$port" >"$dir/log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 600); do curl -sf -o /dev/null "http://127.0.0.1:$port/api/v1/health" && break; sleep 0.1; done
  TANDEM_TOKEN=$(cat "$dir/token") "$bin/tandem-load" --port "$port" --mode create --clients 8 --duration 3 >/dev/null
}
serve "$BEFORE" 18401 before
serve "$AFTER" 18402 after
for round in $(seq "$ROUNDS"); do
  for side in "before 18401" "after 18402"; do
    set -- $side
    for run in ${MODES:-get:1 list:1}; do
      printf 'round %s %-6s %-9s ' "$round" "$1" "$run"
      TANDEM_TOKEN=$(cat "$WORK/$1/token") "$AFTER/tandem-load" --port "$2" --mode "${run%%:*}" \
        --clients "${run##*:}" --duration "$SECONDS_EACH" |
        grep -o 'throughput=[0-9.]* req/s latency_ms p50=[0-9.]*'
    done
  done
done
