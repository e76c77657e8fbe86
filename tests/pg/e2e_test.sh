#!/usr/bin/env bash
# PostgreSQL end to end, on a private cluster of its own (it stops and starts it):
# clear startup errors for bad configuration, migration SQLite -> PostgreSQL by
# export/import, two app servers writing concurrently through HTTP with no
# lost write or update, a valid audit chain, and 503s (not crashes) while the
# database is down, with service resuming after it returns.
#   e2e_test.sh PATH/TO/tandem
set -uo pipefail
TANDEM=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  "$HERE/cluster.sh" stop "$WORK/pg" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"
passed=0 failed=0
equals() { [ "$1" = "$2" ] || { echo "got '$1', expected '$2'"; return 1; }; }
check() {
  local what=$1; shift
  if "$@" >"$WORK/out" 2>&1; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: $what"; sed 's/^/    /' "$WORK/out" | head -20
  fi
}

"$HERE/cluster.sh" start "$WORK/pg" || exit 1
URL=$(cat "$WORK/pg/url")
PG_PORT=$(sed 's#.*127.0.0.1:\([0-9]*\)/.*#\1#' <<<"$URL")
ADMIN=$(cat "$WORK/pg/admin")
psql_admin() { psql "$ADMIN" -qAt "$@"; }
psql_admin -c "CREATE DATABASE app OWNER tandem" -c "CREATE DATABASE migrated OWNER tandem"
APP="${URL%/*}/app"
MIGRATED="${URL%/*}/migrated"
sql() { psql "$(cat "$WORK/pg/admin" | sed 's#/postgres?#/app?#')" -qAt -c "$1"; }

# --- bad configuration: one clear line, non-zero exit, no hang, no password ---
bad_config() {  # bad_config URL EXPECTED-TEXT
  local out rc
  out=$(timeout 20 "$TANDEM" --db "$1" init 2>&1); rc=$?
  [ "$rc" != 0 ] && [ "$rc" != 124 ] || { echo "exit $rc"; return 1; }
  grep -q "$2" <<<"$out" || { echo "no '$2' in: $out"; return 1; }
  ! grep -q "wrong-secret\|tandem-test-password" <<<"$out" || { echo "password leaked: $out"; return 1; }
  [ "$(wc -l <<<"$out")" -le 2 ] || { echo "too chatty: $out"; return 1; }
}
check "wrong password" bad_config "postgresql://tandem:wrong-secret@127.0.0.1:$PG_PORT/app" "password authentication failed"
check "missing database" bad_config "${URL%/*}/no_such_db" "does not exist"
check "unreachable server" bad_config "postgresql://tandem:wrong-secret@127.0.0.1:1/app" "cannot connect"
check "malformed URL" bad_config "postgresql://tandem@[::1/app" "cannot connect"

# --- migration: SQLite demo -> export -> import into PostgreSQL -> identical export ---
check "sqlite demo" bash -c "'$TANDEM' --db sqlite:demo.db init && '$TANDEM' --db sqlite:demo.db demo"
check "export from sqlite" "$TANDEM" --db sqlite:demo.db export -o from-sqlite.jsonl
check "import into postgres" "$TANDEM" --db "$MIGRATED" import from-sqlite.jsonl
check "export from postgres" "$TANDEM" --db "$MIGRATED" export -o from-postgres.jsonl
check "the migration is exact" cmp from-sqlite.jsonl from-postgres.jsonl
check "audit verify on postgres" "$TANDEM" --db "$MIGRATED" audit verify
# A streaming replica is read-only: exports and verification still run there.
psql_admin -c "ALTER DATABASE migrated SET default_transaction_read_only = on"
check "export from a read-only database (as from a replica)" bash -c "'$TANDEM' --db '$MIGRATED' export -o from-replica.jsonl && cmp from-replica.jsonl from-sqlite.jsonl"
check "audit verify on a read-only database" "$TANDEM" --db "$MIGRATED" audit verify
check "and back: postgres -> sqlite" bash -c "'$TANDEM' --db sqlite:back.db import from-postgres.jsonl && '$TANDEM' --db sqlite:back.db export -o back.jsonl && cmp back.jsonl from-sqlite.jsonl"

# --- two app servers on one database ---
start_server() {  # start_server NAME: sets PORT_<NAME>
  "$TANDEM" --db "$APP" serve --port 0 >"$WORK/$1.log" 2>&1 &
  PIDS+=($!)
  # The first start on a new database loads the built-in catalogs: allow a minute.
  for _ in $(seq 600); do
    local port; port=$(sed -n 's#.*http://127.0.0.1:\([0-9]*\)/.*#\1#p' "$WORK/$1.log")
    if [ -n "$port" ]; then eval "PORT_$1=$port"; return 0; fi
    sleep 0.1
  done
  echo "server $1 did not start within 60 s"; cat "$WORK/$1.log"; return 1
}
check "init" "$TANDEM" --db "$APP" init
# Requests authenticate with an API token, sent by every curl below through its
# configuration file (CURL_HOME).
export CURL_HOME=$WORK
add_admin() {
  echo 'a long enough test password 7' | "$TANDEM" --db "$APP" user add admin --admin >/dev/null &&
    echo "header = \"Authorization: Bearer $("$TANDEM" --db "$APP" token add admin --name e2e --scope read-write)\"" >"$WORK/.curlrc"
}
check "an administrator and a token" add_admin
start_server A || exit 1
start_server B || exit 1
export PORT_A PORT_B

post() {  # post N: through A for odd N, B for even
  local port=$PORT_A; [ $(($1 % 2)) = 0 ] && port=$PORT_B
  curl -s -o /dev/null -w '%{http_code}\n' -X POST "http://127.0.0.1:$port/api/v1/incidents" \
    -H 'Content-Type: application/json' \
    -d "{\"title\": \"two servers $1\", \"kind\": \"incident\", \"classification\": \"sms\", \"impact\": \"low\", \"urgency\": \"low\"}"
}
export -f post
seq 1 400 | xargs -P 16 -I{} bash -c 'post {}' >codes.txt
check "400 creates acknowledged through two servers" equals "$(grep -c '^201$' codes.txt)" 400
check "all 400 stored" equals "$(sql 'SELECT count(*) FROM rec_incident')" 400

curl -s -X POST "http://127.0.0.1:$PORT_A/api/v1/agreements" -H 'Content-Type: application/json' \
  -d '{"title": "counter", "kind": "sla", "p1_resolution_minutes": 1}' >/dev/null
increment() {  # read-modify-write with If-Match, retrying on 412, through server $1
  local port=$1 n=0 h="$WORK/headers.$BASHPID"
  while [ $n -lt 15 ]; do
    local resp etag value code
    resp=$(curl -s -D "$h" "http://127.0.0.1:$port/api/v1/agreements/1")
    etag=$(sed -n 's/^ETag: \(.*\)\r$/\1/p' "$h")
    value=$(grep -o '"p1_resolution_minutes":[0-9]*' <<<"$resp" | cut -d: -f2)
    code=$(curl -s -o /dev/null -w '%{http_code}' -X PATCH "http://127.0.0.1:$port/api/v1/agreements/1" \
      -H 'Content-Type: application/json' -H "If-Match: $etag" -d "{\"p1_resolution_minutes\": $((value + 1))}")
    if [ "$code" = 200 ]; then n=$((n + 1)); elif [ "$code" != 412 ]; then echo "PATCH gave $code"; return 1; fi
  done
  rm -f "$h"
}
increments() {  # four concurrent workers, two per server; fails if any worker fails
  local pids=() ok=0
  for port in $PORT_A $PORT_B $PORT_A $PORT_B; do increment "$port" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || ok=1; done
  return $ok
}
check "concurrent read-modify-write through both servers" increments
check "no update was lost (1 + 4 x 15 = 61)" equals "$(sql "SELECT p1_resolution_minutes FROM rec_agreement WHERE id = 1")" 61
check "audit chain valid after concurrent writers" "$TANDEM" --db "$APP" audit verify

# --- the database goes away and comes back ---
"$HERE/cluster.sh" pause "$WORK/pg"
code=$(curl -s -o down.json -w '%{http_code}' -X POST "http://127.0.0.1:$PORT_A/api/v1/incidents" \
  -H 'Content-Type: application/json' -d '{"title": "while down", "kind": "incident", "classification": "sms", "impact": "low", "urgency": "low"}')
check "a write while the database is down is a 503" equals "$code" 503
check "as problem+json" grep -q 'urn:tandem:problem:unavailable' down.json
check "a read while the database is down is a 503" \
  equals "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT_B/api/v1/incidents/1")" 503
check "the server is live while the database is down" \
  equals "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT_A/health/live")" 200
check "but not ready" \
  equals "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT_A/health/ready")" 503
"$HERE/cluster.sh" resume "$WORK/pg"
recovered() {
  for _ in $(seq 30); do
    [ "$(post 1)" = 201 ] && [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT_B/api/v1/incidents/1")" = 200 ] && return 0
    sleep 0.5
  done
  return 1
}
check "both servers serve again once the database is back" recovered
check "and are ready" \
  equals "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT_A/health/ready")" 200
check "servers are still running" kill -0 "${PIDS[0]}" "${PIDS[1]}"
check "audit chain still valid" "$TANDEM" --db "$APP" audit verify

echo "postgres e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]
