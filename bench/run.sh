#!/usr/bin/env bash
# The benchmark suite (docs/performance.md). ./dev bench builds the release
# binaries and then runs this; it builds nothing itself.
#
#   bench/run.sh [--backend sqlite|postgres] [--records N] [--duration S] [--port P]
#                [--create-clients "1 8 64"] [--read-clients "1 8"] [--only SECTION] [--keep]
#
# (a) durable creates: a fresh database, POSTs with 1, 8 and 64 clients;
# (b) reads at scale: seeds N incidents (default 1,000,000), imports them,
#     then GETs by id and 50-row filtered lists;
# (c) traceability: 5,000 IMS elements and 20,000 traces, then the
#     traceability matrix and derived correspondences timed in process.
# (d) ui: 100,000 incidents, then the web UI's 50-row list page rendered in
#     process.
# (e) framework: a 15,000-entry CSV framework imported while another user
#     creates incidents, then the matrix of a 150,000-requirement framework.
# (f) review: 100,000 records of each kind a management review reads, then
#     the review's input pack, in process.
# --only creates|reads|traceability|ui|framework|review runs one section.
# With --backend postgres, a private PostgreSQL cluster with durable settings
# (fsync and synchronous_commit on) is started for the run and removed after.
# Results go to bench/results/<UTC time>/ (gitignored). Only the loopback
# interface is used; the servers started here are stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

BACKEND=sqlite
RECORDS=1000000
DURATION=10
PORT=18080
CREATE_CLIENTS="1 8 64"
READ_CLIENTS="1 8"
KEEP=0
ONLY=
HOST=127.0.0.1
BIN=build/release

usage() { sed -n '5,6p;13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --backend) BACKEND=${2:?}; shift 2 ;;
    --records) RECORDS=${2:?}; shift 2 ;;
    --duration) DURATION=${2:?}; shift 2 ;;
    --port) PORT=${2:?}; shift 2 ;;
    --create-clients) CREATE_CLIENTS=${2:?}; shift 2 ;;
    --read-clients) READ_CLIENTS=${2:?}; shift 2 ;;
    --only) ONLY=${2:?}; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage ;;
    *) printf 'bench: unknown argument %s\n' "$1" >&2; usage ;;
  esac
done
[[ $BACKEND =~ ^(sqlite|postgres)$ ]] || die "--backend must be sqlite or postgres"
[[ $RECORDS =~ ^[1-9][0-9]*$ ]] || die "--records must be a positive integer"
[[ $DURATION =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--duration must be a number of seconds"
[[ -z $ONLY || $ONLY =~ ^(creates|reads|traceability|ui|framework|review)$ ]] ||
  die "--only must be creates, reads, traceability, ui, framework or review"
# want SECTION: whether this run includes SECTION.
want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }
BINARIES=()
{ want creates || want reads; } && BINARIES+=(tandem tandem-load tandem-seed)
want traceability && BINARIES+=(tandem-bench-traceability)
want ui && BINARIES+=(tandem-bench-ui)
want review && BINARIES+=(tandem-bench-review)
want framework && BINARIES+=(tandem-bench-framework)
for b in "${BINARIES[@]}"; do
  [ -x "$BIN/$b" ] || die "$BIN/$b is missing; run ./dev bench (or ./dev build release)"
done

TICKS=$(getconf CLK_TCK)
# Busy CPU ticks of the whole machine so far (user, nice, system, irq,
# softirq, steal).
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

# Other work on the machine takes cores from the server; say so up front (the
# summary's "other" column shows how much it took during each run).
BUSY_AT_START=$(a=$(machine_ticks); sleep 1; awk -v a="$a" -v b="$(machine_ticks)" -v hz="$TICKS" \
  'BEGIN { printf "%.2f", (b - a) / hz }')
if awk -v c="$BUSY_AT_START" 'BEGIN { exit !(c > 0.2) }'; then
  printf 'bench: warning: other processes keep %s cores busy; figures will be low\n' "$BUSY_AT_START" >&2
fi

OUT=bench/results/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
RESULTS=$OUT/results.jsonl
: > "$RESULTS"
URL=http://$HOST:$PORT

# db_url NAME: the database NAME of the backend under test.
db_url() {
  if [ "$BACKEND" = sqlite ]; then echo "sqlite:$OUT/$1.db"; return; fi
  local base; base=$(cat "$OUT/pg/url")
  psql "$(cat "$OUT/pg/admin")" -qAtc "CREATE DATABASE bench_$1 OWNER tandem" >/dev/null
  echo "${base%/*}/bench_$1"
}

SERVER_PID=
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}
cleanup() {
  stop_server
  # Databases and the seed file run to gigabytes; keep them only on request.
  [ "$KEEP" = 1 ] || rm -f "$OUT"/*.db "$OUT"/*.db-wal "$OUT"/*.db-shm "$OUT"/seed.jsonl
  [ "$BACKEND" = sqlite ] || tests/pg/cluster.sh stop "$OUT/pg" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_server() {  # db-url name
  # A server already listening there would be measured instead of ours.
  if curl -s -o /dev/null "$URL/"; then die "something already listens on $URL; pass --port"; fi
  "$BIN/tandem" --db "$1" serve --host "$HOST" --port "$PORT" >"$OUT/server-$2.log" 2>&1 &
  SERVER_PID=$!
  # The first start on a new database loads the built-in catalogs.
  for _ in $(seq 600); do
    curl -sf -o /dev/null "$URL/api/v1/health" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited; see $OUT/server-$2.log"
    sleep 0.1
  done
  die "the server did not answer within 60 s; see $OUT/server-$2.log"
}

# admin DB-URL: an administrator and a read-write API token for tandem-load,
# passed in the environment (not on a command line other users can read).
admin() {
  echo 'a long enough bench password 9' | "$BIN/tandem" --db "$1" user add admin --admin >/dev/null
  TANDEM_TOKEN=$("$BIN/tandem" --db "$1" token add admin --name bench --scope read-write)
  export TANDEM_TOKEN
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# Runs tandem-load and files its JSON line under `phase`. It also reports the
# CPU cores the server, the generator and everything else used during the
# timed window: on two cores shared with the generator, that split explains
# the figures. A run with errors is recorded (the table shows them) rather
# than aborting the suite.
load() {  # phase mode clients [extra tandem-load options...]
  local phase=$1 mode=$2 clients=$3 json
  shift 3
  log "$phase: $mode with $clients client(s) for ${DURATION}s"
  "$BIN/tandem-load" --host "$HOST" --port "$PORT" --mode "$mode" --clients "$clients" \
    --duration "$DURATION" --cpu-pid "$SERVER_PID" "$@" >"$OUT/load.tmp" \
    2> >(tee -a "$OUT/load-errors.log" >&2) || true
  grep -v '^{' "$OUT/load.tmp" | tee -a "$OUT/load.log" >&2 || true
  json=$(grep '^{' "$OUT/load.tmp" || true)
  rm -f "$OUT/load.tmp"
  [ -n "$json" ] || return 0
  printf '{"phase":"%s","records":%s,%s\n' "$phase" "$RECORDS_IN_DB" "${json#\{}" >>"$RESULTS"
}

durable_creates() {
  local db; db=$(db_url create)
  "$BIN/tandem" --db "$db" init >/dev/null
  admin "$db"
  RECORDS_IN_DB=0
  start_server "$db" create
  for c in $CREATE_CLIENTS; do load create create "$c"; done
  stop_server
  log "verifying the audit chain written under load"
  "$BIN/tandem" --db "$db" audit verify | tee "$OUT/create-audit-verify.txt" >&2
}

seed_and_import() {
  local db seed=$OUT/seed.jsonl t
  db=$(db_url read)
  log "seeding $RECORDS incidents"
  "$BIN/tandem-seed" --records "$RECORDS" --output "$seed" >&2
  "$BIN/tandem" --db "$db" init >/dev/null
  log "importing"
  t=$(now)
  "$BIN/tandem" --db "$db" import "$seed" >/dev/null 2>"$OUT/import.log" ||
    die "import failed: $(tail -c 500 "$OUT/import.log")"
  admin "$db"
  local secs; secs=$(since "$t")
  local seed_mib db_mib
  seed_mib=$(du -m "$seed" | cut -f1)
  if [ "$BACKEND" = sqlite ]; then db_mib=$(du -cm "$OUT"/read.db* | tail -1 | cut -f1)
  else db_mib=$(psql "$(cat "$OUT/pg/admin")" -qAtc "SELECT pg_database_size('bench_read') / 1048576"); fi
  printf '{"phase":"import","records":%s,"seconds":%s,"records_per_s":%s,"file_mib":%s,"db_mib":%s}\n' \
    "$RECORDS" "$secs" "$(awk -v n="$RECORDS" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')" \
    "$seed_mib" "$db_mib" >>"$RESULTS"
  log "imported $RECORDS incidents ($seed_mib MiB of JSON lines) in ${secs}s; database $db_mib MiB"
  rm -f "$seed"
}

reads() {
  local db; db=$(db_url read)
  RECORDS_IN_DB=$RECORDS
  start_server "$db" read
  # One untimed pass each, so the timed runs start with a warm page cache as
  # a long-running server would have.
  log "warming up (untimed)"
  "$BIN/tandem-load" --host "$HOST" --port "$PORT" --mode get --clients 8 --duration 3 >/dev/null || true
  "$BIN/tandem-load" --host "$HOST" --port "$PORT" --mode list --clients 8 --duration 3 >/dev/null || true
  for c in $READ_CLIENTS; do load read get "$c" --max-id "$RECORDS"; done
  for c in $READ_CLIENTS; do load read list "$c"; done
  stop_server
}

# In process, no server: builds the data through the engine, then times the
# standards views (docs/performance.md, "Traceability").
traceability() {
  local db; db=$(db_url traceability)
  log "traceability: 5,000 elements, 20,000 traces, then the matrix and derived correspondences"
  "$BIN/tandem-bench-traceability" --db "$db" | tee "$OUT/traceability.txt" >&2
}

# In process, no server: the web UI's list page (docs/performance.md, "Web UI").
ui() {
  local db; db=$(db_url ui)
  log "ui: 100,000 incidents, then the 50-row list page"
  "$BIN/tandem-bench-ui" --db "$db" | tee "$OUT/ui.txt" >&2
}

# In process, no server: large custom frameworks (docs/performance.md,
# "Large frameworks").
framework() {
  local db; db=$(db_url framework)
  log "framework: a 15,000-entry import beside another writer, then a 150,000-requirement matrix"
  "$BIN/tandem-bench-framework" --db "$db" | tee "$OUT/framework.txt" >&2
}

# In process, no server: the management review pack (docs/performance.md,
# "Management review pack").
review() {
  local db; db=$(db_url review)
  log "review: 100,000 records of each kind, then the management review pack"
  "$BIN/tandem-bench-review" --db "$db" | tee "$OUT/review.txt" >&2
}

summary() {
  {
    echo "Tandem benchmarks on $BACKEND, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "machine: $(nproc) CPUs, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), kernel $(uname -r)"
    echo "$BUSY_AT_START cores busy at start"
    if [ -s "$RESULTS" ]; then
      echo "load generator on the same machine as the server; ${DURATION}s per run"
      echo "server/gen/other: CPU cores used by the server, the load generator and all other processes"
    fi
    echo
    awk '
      function get(k,   v) {
        if (!match($0, "\"" k "\":\"?[^,\"}]*")) return "";
        v = substr($0, RSTART, RLENGTH); sub("^\"" k "\":\"?", "", v); return v
      }
      /"phase":"import"/ {
        imp = sprintf("import: %s incidents in %s s (%s records/s), %s MiB file, %s MiB database",
                      get("records"), get("seconds"), get("records_per_s"), get("file_mib"), get("db_mib"))
        next
      }
      {
        f = "%-6s %-6s %8s %7s %9s %6s %9s %7s %7s %7s %8s %6s %6s %6s\n"
        if (!header++) printf f, "phase", "mode", "records", "clients", "requests", "errors", "req/s",
          "p50 ms", "p90 ms", "p99 ms", "max ms", "server", "gen", "other"
        printf f, get("phase"), get("mode"), get("records"), get("clients"), get("requests"),
          get("errors"), get("throughput_rps"), get("p50_ms"), get("p90_ms"), get("p99_ms"),
          get("max_ms"), sprintf("%.2f", get("server_cores")), sprintf("%.2f", get("generator_cores")),
          sprintf("%.2f", get("other_cores"))
      }
      END { if (imp) print "\n" imp }' "$RESULTS"
    if [ -s "$OUT/traceability.txt" ]; then
      [ -s "$RESULTS" ] && echo
      cat "$OUT/traceability.txt"
    fi
    for section in ui framework review; do
      if [ -s "$OUT/$section.txt" ]; then
        echo
        cat "$OUT/$section.txt"
      fi
    done
  } | tee "$OUT/summary.txt"
}

if [ "$BACKEND" = postgres ]; then
  log "starting a private PostgreSQL cluster (durable settings)"
  tests/pg/cluster.sh start "$OUT/pg" --durable
fi
if want creates; then durable_creates; fi
if want reads; then seed_and_import; reads; fi
if want traceability; then traceability; fi
if want ui; then ui; fi
if want framework; then framework; fi
if want review; then review; fi
summary
log "results in $OUT"
