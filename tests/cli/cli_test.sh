#!/usr/bin/env bash
# End-to-end checks of the tandem command line and server process:
# demo load, audit verify (and tampering, against signed anchors too),
# export/import round trip,
# acknowledged writes surviving kill -9, online backup, accounts and tokens,
# TLS, clear startup errors.
#   cli_test.sh PATH/TO/tandem
set -uo pipefail
TANDEM=$(realpath "$1")
WORK=$(mktemp -d)
SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
cd "$WORK"
passed=0 failed=0
check() {  # check "description" command...
  local what=$1; shift
  if "$@" >"$WORK/out" 2>&1; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: $what"; sed 's/^/    /' "$WORK/out" | head -20
  fi
}
expect_exit() {  # expect_exit CODE command...
  local code=$1; shift
  "$@"; local rc=$?
  [ "$rc" = "$code" ] || { echo "exit code $rc, expected $code"; return 1; }
}

start_server() {  # start_server DB [serve options]: serves on a free port, sets PORT and SERVER_PID
  local db=$1; shift
  "$TANDEM" --db "sqlite:$db" serve --port 0 "$@" > "$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  # The first start on a new database loads the built-in catalogs: allow a minute.
  for _ in $(seq 600); do
    PORT=$(sed -n 's#.*https*://127.0.0.1:\([0-9]*\)/.*#\1#p' "$WORK/server.log")
    [ -n "$PORT" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "server did not start"; cat "$WORK/server.log"; return 1
}

# Every API request needs credentials: curl sends this header from its
# configuration file (CURL_HOME), so each request below stays short.
use_token() { echo "header = \"Authorization: Bearer $1\"" > "$WORK/.curlrc"; }
export CURL_HOME=$WORK
PASSWORD='a long enough test password 7'
add_admin() {  # add_admin DB: an administrator and a read-write token for curl
  echo "$PASSWORD" | "$TANDEM" --db "sqlite:$1" user add admin --admin >/dev/null &&
    use_token "$("$TANDEM" --db "sqlite:$1" token add admin --name tests --scope read-write)"
}

# --- demo data and audit verify ------------------------------------------------
check "init creates a database" "$TANDEM" --db sqlite:demo.db init
check "demo loads and prints a demo login" \
  bash -c "'$TANDEM' --db sqlite:demo.db demo | grep -q 'Sign in as admin'"
check "demo refuses to load twice" expect_exit 1 "$TANDEM" --db sqlite:demo.db demo
check "audit verify passes on the demo" "$TANDEM" --db sqlite:demo.db audit verify

# --- export / import round trip ------------------------------------------------
check "export" "$TANDEM" --db sqlite:demo.db export -o first.jsonl
check "import into a fresh database" "$TANDEM" --db sqlite:copy.db import first.jsonl
check "export of the import" "$TANDEM" --db sqlite:copy.db export -o second.jsonl
check "round trip is byte-identical" cmp first.jsonl second.jsonl
check "import refuses a non-empty database" expect_exit 1 "$TANDEM" --db sqlite:copy.db import first.jsonl
printf '{"format":"tandem-export","format_version":1}\n{"kind":"record","record":{"type":"service"}}\n' > bad.jsonl
check "a bad import names the line and imports nothing" \
  bash -c "! '$TANDEM' --db sqlite:bad.db import bad.jsonl 2>&1 | grep -q 'nothing was imported' && exit 1; '$TANDEM' --db sqlite:bad.db import bad.jsonl 2>&1 | grep -q 'line 2'"

# --- tampering with the file is detected ----------------------------------------
cp copy.db tampered.db
sqlite3 tampered.db "UPDATE audit_events SET actor = 'mallory' WHERE seq = 5"
check "audit verify fails on an altered event" expect_exit 2 "$TANDEM" --db sqlite:tampered.db audit verify
check "and names it" bash -c "'$TANDEM' --db sqlite:tampered.db audit verify 2>&1 | grep -q 'BROKEN at event 5'"
cp copy.db deleted.db
sqlite3 deleted.db "DELETE FROM audit_events WHERE seq = 3"
check "audit verify fails on a deleted event" bash -c "'$TANDEM' --db sqlite:deleted.db audit verify 2>&1 | grep -q 'BROKEN at event 3'"

# --- signed anchors catch a rewritten or cut chain ------------------------------------
check "audit keygen prints a public key" bash -c "'$TANDEM' audit keygen audit.key > audit.pub && test -s audit.pub"
check "the key file is readable by its owner only" test "$(stat -c %a audit.key)" = 600
check "audit keygen never overwrites a key" expect_exit 1 "$TANDEM" audit keygen audit.key
cp copy.db anchored.db
check "audit anchor signs the head" bash -c "'$TANDEM' --db sqlite:anchored.db audit anchor --audit-key audit.key --anchor-log anchors.jsonl | grep -q 'anchored event'"
check "audit verify checks the anchors" bash -c "'$TANDEM' --db sqlite:anchored.db audit verify --anchors anchors.jsonl --trusted-keys audit.pub | grep -q 'anchors OK: 1 anchors'"
check "verifying anchors needs the keys to trust" expect_exit 1 "$TANDEM" --db sqlite:anchored.db audit verify --anchors anchors.jsonl
head_seq=$(sqlite3 anchored.db "SELECT max(seq) FROM audit_events")
cp anchored.db cut.db
sqlite3 cut.db "DELETE FROM audit_events WHERE seq > $((head_seq - 3))"
check "a cut chain verifies alone" "$TANDEM" --db sqlite:cut.db audit verify
check "but not against its anchors" expect_exit 2 "$TANDEM" --db sqlite:cut.db audit verify --anchors anchors.jsonl --audit-key audit.key
check "which name the removed events" bash -c "'$TANDEM' --db sqlite:cut.db audit verify --anchors anchors.jsonl --audit-key audit.key 2>&1 | grep -q 'were removed (truncated)'"
"$TANDEM" audit keygen other.key > other.pub
check "anchors of a key not trusted do not count" expect_exit 2 "$TANDEM" --db sqlite:anchored.db audit verify --anchors anchors.jsonl --trusted-keys other.pub
# The server anchors the head when it stops (and serves metrics to the token).
echo "metrics-scrape-token-$RANDOM$RANDOM" > metrics.token
start_server anchored.db --audit-key audit.key --anchor-log served.jsonl --metrics-token-file metrics.token || exit 1
check "metrics need the scrape token" \
  test "$(curl -q -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/metrics")" = 401
check "metrics answer the scrape token" bash -c "curl -q -s -H \"Authorization: Bearer \$(cat metrics.token)\" http://127.0.0.1:$PORT/metrics | grep -q '^tandem_store_readers_limit 8'"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
echo short > short.token
check "a short metrics token is refused" bash -c "! timeout 10 '$TANDEM' --db sqlite:anchored.db serve --port 0 --metrics-token-file short.token 2>err.txt && grep -q 'at least 16 characters' err.txt"
check "serve anchors the head on shutdown" bash -c "'$TANDEM' --db sqlite:anchored.db audit verify --anchors served.jsonl --audit-key audit.key | grep -q 'anchors OK'"
check "the key never appears in the server log" bash -c "! grep -q \"\$(cat audit.key)\" server.log"

# --- accounts, tokens, sign-in ------------------------------------------------------
check "user add refuses a short password" \
  bash -c "! echo short | '$TANDEM' --db sqlite:demo.db user add shorty 2>err.txt && grep -q 'at least 12' err.txt"
check "user add refuses a common password" \
  bash -c "! echo password1234 | '$TANDEM' --db sqlite:demo.db user add common 2>err.txt && grep -q 'too common' err.txt"
check "user add creates an account" \
  bash -c "echo '$PASSWORD' | '$TANDEM' --db sqlite:demo.db user add ops --role viewer"
check "user list shows it" bash -c "'$TANDEM' --db sqlite:demo.db user list | grep -q '^ops'"
check "no password hash, token or session id is stored in clear or exported" bash -c "
  '$TANDEM' --db sqlite:demo.db token add ops --name probe > token.txt &&
  ! grep -q \"\$(cat token.txt)\" demo.db && '$TANDEM' --db sqlite:demo.db export -o secrets.jsonl &&
  ! grep -q \"\$(cat token.txt)\" secrets.jsonl && ! grep -q 'argon2id' secrets.jsonl"
start_server demo.db || exit 1
check "a request without credentials is refused with 401" \
  test "$(curl -q -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/services")" = 401
check "the demo administrator signs in" bash -c "curl -q -s -D login.h -X POST http://127.0.0.1:$PORT/api/v1/auth/login \
  -H 'Content-Type: application/json' -d '{\"username\":\"admin\",\"password\":\"Northbridge-Demo-2026\"}' | grep -q csrf_token"
check "the session cookie is HttpOnly and SameSite=Lax" grep -qi '^set-cookie: tandem_session=.*; HttpOnly; SameSite=Lax' login.h
check "a read-only token reads" \
  test "$(curl -q -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat token.txt)" "http://127.0.0.1:$PORT/api/v1/services")" = 200
check "a read-only token cannot write" \
  test "$(curl -q -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat token.txt)" -X POST -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$PORT/api/v1/services")" = 403
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
check "no password or token appears in the server log" bash -c "! grep -q -e Northbridge-Demo -e \"\$(cat token.txt)\" server.log"

# --- JSON logs ---------------------------------------------------------------------
TANDEM_LOG_FORMAT=json start_server demo.db --access-log || exit 1
curl -q -s -D json.h -o /dev/null "http://127.0.0.1:$PORT/api/v1/health"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
request_id=$(sed -n 's/^x-request-id: *\([0-9a-f]*\).*/\1/Ip' json.h)
check "every log line is a JSON object" node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
  for (const l of lines) { const o = JSON.parse(l); if (!o.time || !o.level) throw new Error(l); }' server.log
check "an access line carries the request id as a field" node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
  if (!lines.some(o => o.logger === "access" && o.path === "/api/v1/health" && o.status === 200 &&
                       o.request_id === process.argv[2])) throw new Error("no access line");' server.log "$request_id"

# A decoded path cannot forge a line of the text access log.
start_server demo.db --access-log || exit 1
curl -q -s -o /dev/null "http://127.0.0.1:$PORT/no-such%0Aforged%20line"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
check "control characters in a path are escaped in the access log" bash -c \
  "! grep -q '^forged' server.log && grep -q 'no-such\\\\x0aforged line' server.log"

# --- TLS: HTTPS only, HSTS, Secure cookies -------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 \
  -subj /CN=127.0.0.1 >/dev/null 2>&1
start_server demo.db --tls-cert cert.pem --tls-key key.pem || exit 1
check "serves HTTPS with Strict-Transport-Security" bash -c "curl -q -s -k -D - -o /dev/null https://127.0.0.1:$PORT/api/v1/health | grep -qi '^strict-transport-security: max-age='"
check "the session cookie is Secure over TLS" bash -c "curl -q -s -k -D - -o /dev/null -X POST https://127.0.0.1:$PORT/api/v1/auth/login \
  -H 'Content-Type: application/json' -d '{\"username\":\"admin\",\"password\":\"Northbridge-Demo-2026\"}' | grep -qi '^set-cookie: tandem_session=.*; Secure'"
check "plain HTTP gets no answer from the TLS port" bash -c "! curl -q -s -m 5 http://127.0.0.1:$PORT/api/v1/health | grep -q ok"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
check "a missing certificate fails clearly" bash -c "! timeout 10 '$TANDEM' --db sqlite:demo.db serve --port 0 --tls-cert nope.pem --tls-key key.pem 2>err.txt && grep -q 'cannot load the TLS certificate' err.txt"

# --- acknowledged writes survive kill -9 -----------------------------------------
"$TANDEM" --db sqlite:crash.db init >/dev/null
add_admin crash.db
start_server crash.db || exit 1
post() {
  curl -s -o /dev/null -w '%{http_code}\n' -X POST "http://127.0.0.1:$PORT/api/v1/incidents" \
    -H 'Content-Type: application/json' \
    -d "{\"title\": \"crash test $1\", \"kind\": \"incident\", \"classification\": \"sms\", \"impact\": \"low\", \"urgency\": \"low\"}"
}
export -f post; export PORT
seq 1 300 | xargs -P 16 -I{} bash -c 'post {}' > codes.txt
kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
acked=$(grep -c '^201$' codes.txt)
stored=$(sqlite3 crash.db "SELECT count(*) FROM rec_incident")
check "all 300 creates were acknowledged" test "$acked" = 300
check "every acknowledged create survived kill -9 ($stored stored)" test "$stored" -ge "$acked"
check "audit chain intact after kill -9" "$TANDEM" --db sqlite:crash.db audit verify

# --- online backup while writes continue -------------------------------------------
start_server crash.db || exit 1
(seq 301 600 | xargs -P 8 -I{} bash -c 'post {}' > codes2.txt) &
writer=$!
sleep 0.3
check "backup of a live database" "$TANDEM" --db sqlite:crash.db backup backup.db
wait $writer
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
check "the backup verifies" "$TANDEM" --db sqlite:backup.db audit verify
check "the backup holds at least the writes acknowledged before it" \
  test "$(sqlite3 backup.db 'SELECT count(*) FROM rec_incident')" -ge 300
check "backup refuses to overwrite" expect_exit 1 "$TANDEM" --db sqlite:crash.db backup backup.db

# --- custom frameworks --------------------------------------------------------------
printf 'ref,title,parent\nB,Baseline,\nB-1,"Backups, tested",B\n' > good.csv
printf 'ref,title,parent\nB-1,One,\nB-1,Again,\n' > bad.csv
check "framework import from CSV" \
  bash -c "'$TANDEM' --db sqlite:demo.db framework import good.csv --key acme:1 --title Acme --system isms | grep -q 'imported acme:1: 2 requirements'"
check "a bad CSV names the line and imports nothing" \
  bash -c "! '$TANDEM' --db sqlite:demo.db framework import bad.csv --key acme:2 --title Bad 2>err.txt && grep -q 'line 3: duplicate ref B-1' err.txt && test \"\$(sqlite3 demo.db \"SELECT count(*) FROM rec_standard WHERE key = 'acme:2'\")\" = 0"
check "a taken key is refused" expect_exit 1 "$TANDEM" --db sqlite:demo.db framework import good.csv --key acme:1 --title Again
check "a CSV file needs a key" expect_exit 1 "$TANDEM" --db sqlite:demo.db framework import good.csv

# --- bad configuration: one clear line, non-zero exit, no hang ----------------------
check "unwritable path" bash -c "! timeout 10 '$TANDEM' --db sqlite:/nonexistent/dir/x.db init 2>err.txt && grep -q 'cannot open' err.txt"
echo "not a database at all, certainly not one SQLite would accept as such" > junk.db
check "not a database" bash -c "! timeout 10 '$TANDEM' --db sqlite:junk.db init 2>err.txt && grep -q 'not a usable SQLite database' err.txt"
check "postgres is refused clearly for now" bash -c "! timeout 10 '$TANDEM' --db postgresql://u:secret@localhost/x init 2>err.txt && ! grep -q secret err.txt"
start_server crash.db || exit 1
check "a second server on the same port fails clearly" \
  bash -c "! timeout 10 '$TANDEM' --db sqlite:crash.db serve --port $PORT 2>err.txt && grep -q 'cannot listen' err.txt"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=

echo "cli: $passed passed, $failed failed"
[ "$failed" = 0 ]
