#!/usr/bin/env bash
# Soak: MINUTES (default 30) of mixed load on one server, to find what only
# time shows (leaks, growing caches, errors under churn). Round after round
# of ROUND seconds: creates (2 clients), GETs by id (1), 50-row lists (1),
# and web pages as a signed-in user (dashboard, a record list, a record,
# the standards overview), while the server's resident memory is sampled.
# Reports the memory after the first round (warm) and at the end, its
# growth, and every error (tandem-load's and the pages'); exits non-zero on
# any error.
#   bench/soak.sh [--minutes M] [--round S] [--bin DIR]
# ./dev bench does not run it (30 minutes); docs/performance.md quotes a run.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=30
ROUND=60
BIN=build/release
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) MINUTES=${2:?}; shift 2 ;;
    --round) ROUND=${2:?}; shift 2 ;;
    --bin) BIN=${2:?}; shift 2 ;;
    *) sed -n '2,10p' "$0" >&2; exit 2 ;;
  esac
done
BIN=$(realpath "$BIN")
WORK=$(mktemp -d)
SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status"; }

DB=sqlite:$WORK/soak.db
# No demo organization: its restricted incidents would answer the load
# generator's GETs with 403 (need-to-know), correctly but as errors here.
"$BIN/tandem" --db "$DB" init >/dev/null
echo 'a long enough load password 7' | "$BIN/tandem" --db "$DB" user add soak --admin >/dev/null
TANDEM_TOKEN=$("$BIN/tandem" --db "$DB" token add soak --name soak --scope read-write)
export TANDEM_TOKEN
"$BIN/tandem" --db "$DB" serve --port 0 > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 300); do
  PORT=$(sed -n 's#.*http://127.0.0.1:\([0-9]*\)/.*#\1#p' "$WORK/server.log")
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "${PORT:-}" ] || { cat "$WORK/server.log"; exit 1; }
BASE=http://127.0.0.1:$PORT

# A signed-in browser: the session cookie from the web sign-in form.
curl -q -s -c "$WORK/cookies" -o /dev/null -X POST "$BASE/login" \
  --data-urlencode username=soak --data-urlencode 'password=a long enough load password 7'
grep -q tandem_session "$WORK/cookies" || { echo "soak: web sign-in failed"; exit 1; }

pages() {  # pages SECONDS: fetches pages until then; prints "ok errors"
  local until=$(($(date +%s) + $1)) ok=0 bad=0 code
  while [ "$(date +%s)" -lt "$until" ]; do
    for path in / /r/incidents /r/incidents/INC-000001 /standards /r/incidents?sort=-impact; do
      code=$(curl -q -s -b "$WORK/cookies" -o /dev/null -w '%{http_code}' "$BASE$path")
      if [ "$code" = 200 ]; then ok=$((ok + 1)); else bad=$((bad + 1)); echo "page $path: $code" >&2; fi
    done
  done
  echo "$ok $bad"
}

rounds=$((MINUTES * 60 / ROUND))
log "soak: $rounds rounds of $ROUND s on $BASE (server pid $SERVER_PID)"
total_ok=0 total_errors=0 page_ok=0 page_errors=0 warm=0
printf 'round rss_kib requests errors pages page_errors\n' > "$WORK/rounds.txt"
for r in $(seq "$rounds"); do
  "$BIN/tandem-load" --port "$PORT" --mode create --clients 2 --duration "$ROUND" --seed "$r" > "$WORK/c.json" &
  sleep 1  # the first round's GETs need records to read
  a=$!
  "$BIN/tandem-load" --port "$PORT" --mode get --clients 1 --duration "$ROUND" --seed "$r" > "$WORK/g.json" &
  b=$!
  "$BIN/tandem-load" --port "$PORT" --mode list --clients 1 --duration "$ROUND" --seed "$r" > "$WORK/l.json" &
  c=$!
  read -r pok perr < <(pages "$ROUND")
  wait "$a" "$b" "$c" || true
  ok=0 errors=0
  for f in c g l; do
    ok=$((ok + $(node -e 'const l=require("fs").readFileSync(process.argv[1],"utf8").split("\n").find(x=>x.startsWith("{"));console.log(l?JSON.parse(l).ok:0)' "$WORK/$f.json")))
    errors=$((errors + $(node -e 'const l=require("fs").readFileSync(process.argv[1],"utf8").split("\n").find(x=>x.startsWith("{"));console.log(l?JSON.parse(l).errors:1)' "$WORK/$f.json")))
  done
  total_ok=$((total_ok + ok)) total_errors=$((total_errors + errors))
  page_ok=$((page_ok + pok)) page_errors=$((page_errors + perr))
  rss=$(rss_kib)
  [ "$r" = 1 ] && warm=$rss
  printf '%s %s %s %s %s %s\n' "$r" "$rss" "$ok" "$errors" "$pok" "$perr" | tee -a "$WORK/rounds.txt" >&2
done
final=$(rss_kib)
echo
cat "$WORK/rounds.txt"
awk -v w="$warm" -v f="$final" -v m="$MINUTES" -v ok="$total_ok" -v e="$total_errors" \
  -v pok="$page_ok" -v pe="$page_errors" 'BEGIN {
  printf "soak %d min: %d API requests (%d errors), %d pages (%d errors)\n", m, ok, e, pok, pe
  printf "resident memory: %.1f MiB after the first round, %.1f MiB at the end: %+.1f%%\n", w/1024, f/1024, (f-w)*100/w
}'
[ "$total_errors" = 0 ] && [ "$page_errors" = 0 ]
