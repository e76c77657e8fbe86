#!/usr/bin/env bash
# Crash loop: concurrent clients create incidents and link them to a service
# while the server is killed with SIGKILL at a random moment, ROUNDS times on
# one SQLite database. Afterwards every write a client saw acknowledged is
# there, PRAGMA integrity_check is ok, `tandem audit verify` is ok, and no
# record or link exists without the audit event written in its transaction
# (nothing half-written).
#   crash_loop.sh PATH/TO/tandem [ROUNDS (default 10)]
# ./dev test runs 10 rounds; docs/operations.md quotes a run of 100.
set -uo pipefail
TANDEM=$(realpath "$1")
ROUNDS=${2:-10}
WORK=$(mktemp -d)
SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
cd "$WORK"
DB=sqlite:crash.db
fail() { echo "FAIL: $*"; exit 1; }

"$TANDEM" --db "$DB" init >/dev/null || fail "init"
echo 'a long enough crash password 3' | "$TANDEM" --db "$DB" user add admin --admin >/dev/null
echo "header = \"Authorization: Bearer $("$TANDEM" --db "$DB" token add admin --name crash --scope read-write)\"" > .curlrc
export CURL_HOME=$WORK

start_server() {
  "$TANDEM" --db "$DB" serve --port 0 > server.log 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 600); do
    PORT=$(sed -n 's#.*http://127.0.0.1:\([0-9]*\)/.*#\1#p' server.log)
    [ -n "$PORT" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat server.log; fail "the server did not start"
}

# One client's work: create an incident, then link it to the service. Each
# acknowledged write is logged as "incident TITLE" or "link TITLE".
client() {  # client ROUND N
  local title="crash $1-$2" body code
  body=$(curl -s -m 5 -w '\n%{http_code}' -X POST "http://127.0.0.1:$PORT/api/v1/incidents" \
    -H 'Content-Type: application/json' \
    -d "{\"title\": \"$title\", \"kind\": \"incident\", \"classification\": \"sms\", \"impact\": \"low\", \"urgency\": \"low\"}")
  [ "${body##*$'\n'}" = 201 ] || return 0
  echo "incident $title"
  local id; id=$(sed -n 's/^{.*"id":\([0-9]*\).*/\1/p' <<<"${body%$'\n'*}")
  code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' -X POST \
    "http://127.0.0.1:$PORT/api/v1/incidents/$id/links" -H 'Content-Type: application/json' \
    -d "{\"relation\": \"affects\", \"target\": {\"type\": \"service\", \"id\": $SERVICE}}")
  [ "$code" = 201 ] && echo "link $title"
  return 0
}
export -f client

start_server
SERVICE=$(curl -s -X POST "http://127.0.0.1:$PORT/api/v1/services" -H 'Content-Type: application/json' \
  -d '{"name": "Crash-tested service", "criticality": "high"}' | sed -n 's/^{.*"id":\([0-9]*\).*/\1/p')
[ -n "$SERVICE" ] || fail "no service created"
export SERVICE
: > acked.txt
for round in $(seq "$ROUNDS"); do
  [ -n "$SERVER_PID" ] || start_server
  export PORT
  seq 1 400 | xargs -P 8 -I{} bash -c "client $round {}" >> acked.txt 2>/dev/null &
  load=$!
  sleep "0.$((RANDOM % 8 + 2))"
  kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
  wait "$load"
done

acked_incidents=$(grep -c '^incident ' acked.txt)
acked_links=$(grep -c '^link ' acked.txt)
sqlite3 crash.db "SELECT 'incident ' || title FROM rec_incident" | sort > stored_incidents.txt
missing=$(grep '^incident ' acked.txt | sort | comm -23 - stored_incidents.txt | wc -l)
[ "$missing" = 0 ] || fail "$missing acknowledged incidents are missing"
linked=$(sqlite3 crash.db "SELECT count(*) FROM links WHERE to_type = 'service' AND to_id = $SERVICE")
[ "$linked" -ge "$acked_links" ] || fail "$acked_links links acknowledged, $linked stored"
[ "$(sqlite3 crash.db 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
"$TANDEM" --db "$DB" audit verify > verify.txt 2>&1 || { cat verify.txt; fail "audit verify"; }
half=$(sqlite3 crash.db "SELECT count(*) FROM rec_incident r WHERE NOT EXISTS (SELECT 1 FROM
  audit_events a WHERE a.record_type = 'incident' AND a.record_id = r.id AND a.action = 'create')")
[ "$half" = 0 ] || fail "$half incidents without their create event"
half_links=$(sqlite3 crash.db "SELECT count(*) FROM links l WHERE to_type = 'service' AND
  to_id = $SERVICE AND NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.action = 'link' AND
  a.record_type = 'incident' AND a.record_id = l.from_id)")
[ "$half_links" = 0 ] || fail "$half_links links without their audit event"
[ "$acked_incidents" -gt 0 ] || fail "no write was acknowledged: the rounds measured nothing"
echo "crash loop: $ROUNDS kills, $acked_incidents incidents and $acked_links links acknowledged," \
  "all present; integrity_check ok; audit chain ok"
