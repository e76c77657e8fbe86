#!/usr/bin/env bash
# Idle and slow clients do not starve others (http/connections.h):
#   - with 1,000 idle connections open, a normal client's requests are all
#     answered (before the event loop, 128 idle connections took every worker
#     and the rest waited for keep-alive timeouts);
#   - connections beyond the per-address limit are refused with a 429;
#   - a slowloris header is cut off at the header timeout with a 408, idle
#     connections at the same time without a word;
#   - the same over TLS, where idle connections stall in the handshake;
#   - /metrics counts what was refused and timed out.
#   connections_test.sh PATH/TO/tandem PATH/TO/tandem-idle
set -uo pipefail
TANDEM=$(realpath "$1")
IDLE=$(realpath "$2")
WORK=$(mktemp -d)
SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
cd "$WORK"
failures=0
check() {
  local name=$1; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}

start_server() {  # start_server ARGS...
  "$TANDEM" --db sqlite:c.db serve --port 0 "$@" > server.log 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 600); do
    PORT=$(sed -n 's#.*https\{0,1\}://127.0.0.1:\([0-9]*\)/.*#\1#p' server.log)
    [ -n "$PORT" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat server.log; echo "FAIL the server did not start"; exit 1
}
stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=; }

"$TANDEM" --db sqlite:c.db init >/dev/null || exit 1
head -c 24 /dev/urandom | base64 > metrics.token

# --- 1,000 idle connections; the limit per address --------------------------------
start_server --max-connections-per-client 300 --metrics-token-file metrics.token
# The crowd comes from 127.0.0.1, the normal client from 127.0.0.2.
"$IDLE" --port "$PORT" --idle 1000 --requests 300 --source 127.0.0.2 --timeout-ms 2000 > idle.txt
check "a normal client is answered while 1,000 idle connections are open" test $? = 0
cat idle.txt
check "connections beyond 300 from one address are refused" grep -q "700 closed by the server" idle.txt
"$IDLE" --port "$PORT" --idle 300 --requests 0 --hold-ms 1500 > /dev/null &
HOLDER=$!
sleep 0.7
curl -q -s -D over.h -o over.json "http://127.0.0.1:$PORT/health/live"
wait "$HOLDER"
check "the refusal is a 429 problem with Retry-After" bash -c \
  "grep -q '^HTTP/1.1 429' over.h && grep -qi '^retry-after: 1' over.h && grep -q 'too many open connections from 127.0.0.1' over.json"
curl -q -s -H "Authorization: Bearer $(cat metrics.token)" "http://127.0.0.1:$PORT/metrics" > metrics.txt
check "metrics count the refusals by limit" grep -Eq '^tandem_http_connections_refused_total\{limit="per_client"\} 70[0-9]' metrics.txt
check "metrics show the open connections" grep -q '^tandem_http_connections_open ' metrics.txt
stop_server

# --- slowloris and idle connections against the header timeout -------------------
start_server --header-timeout 1 --metrics-token-file metrics.token
"$IDLE" --port "$PORT" --idle 50 --slow 50 --requests 100 --source 127.0.0.2 --timeout-ms 2000 \
  --hold-ms 3500 > slow.txt
check "a normal client is answered while slow headers trickle in" test $? = 0
cat slow.txt
check "idle and slow connections are closed at the header timeout" grep -q "100 closed by the server" slow.txt
# One slow request by hand, to read the answer.
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET /health/live HTTP/1.1\r\nHost: x\r\n' >&3
timeout 5 cat <&3 > timeout.txt
exec 3<&-
check "a started header that stalls gets a 408 problem" bash -c \
  "grep -q '^HTTP/1.1 408' timeout.txt && grep -q 'urn:tandem:problem:request-timeout' timeout.txt"
big=$(head -c 5000 /dev/zero | tr '\0' a)
curl -q -s -o /dev/null -w '%{http_code}' -H "X-1: $big" -H "X-2: $big" -H "X-3: $big" -H "X-4: $big" \
  -H "X-5: $big" -H "X-6: $big" -H "X-7: $big" "http://127.0.0.1:$PORT/health/live" > big.code
check "a header over 32 KiB gets a 431" grep -q 431 big.code
curl -q -s -H "Authorization: Bearer $(cat metrics.token)" "http://127.0.0.1:$PORT/metrics" > metrics.txt
check "metrics count the header timeouts" grep -Eq '^tandem_http_header_timeouts_total (5[1-9]|[6-9][0-9])' metrics.txt
stop_server

# --- TLS: connections that never start the handshake ------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 \
  -subj /CN=127.0.0.1 >/dev/null 2>&1
start_server --tls-cert cert.pem --tls-key key.pem --max-connections-per-client 0
"$IDLE" --port "$PORT" --idle 500 --requests 0 --hold-ms 6000 > /dev/null &
HOLDER=$!
sleep 0.5
ok=0
for _ in $(seq 20); do
  code=$(curl -q -s -k -m 2 -o /dev/null -w '%{http_code}' "https://127.0.0.1:$PORT/health/live")
  [ "$code" = 200 ] && ok=$((ok + 1))
done
check "HTTPS is answered while 500 connections stall before the handshake ($ok of 20)" test "$ok" = 20
kill "$HOLDER" 2>/dev/null; wait "$HOLDER" 2>/dev/null
stop_server

[ "$failures" = 0 ] && echo "all connection checks passed" || { echo "$failures failed"; exit 1; }
