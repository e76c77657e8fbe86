#!/usr/bin/env bash
# A private, throw-away PostgreSQL cluster for tests: nothing system-wide is
# touched. The cluster lives in a new temporary directory; STATE (any
# directory) receives `url` (a password login over TCP on 127.0.0.1),
# `admin` (trust login over the cluster's private Unix socket) and `dir`.
#
#   cluster.sh start STATE [--durable]   initdb + start on a free port
#   cluster.sh restart STATE             fast restart (connections are cut)
#   cluster.sh pause STATE               stop the server, keep the data
#   cluster.sh resume STATE              start it again after pause
#   cluster.sh stop STATE                stop and delete everything
#
# Tests run with fsync off for speed; --durable keeps PostgreSQL's defaults
# (benchmarks).
set -euo pipefail
cmd=${1:?usage: cluster.sh start|restart|stop STATE}
state=$(realpath -m "${2:?usage: cluster.sh start|restart|stop STATE}")
cd /  # the postgres user may not be able to enter the caller's directory
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL server binaries not found (install postgresql)" >&2; exit 1; }

as_pg() {  # initdb and postgres refuse to run as root
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port" >&2; exit 1
}

case "$cmd" in
  start)
    durable=${3:-}
    mkdir -p "$state"
    dir=$(mktemp -d /tmp/tandem-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log"
    # The app logs in with a password over TCP; setup uses the private socket.
    printf 'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n' >"$dir/data/pg_hba.conf"
    # A free port can be taken by someone else before the server binds it:
    # try a few.
    for attempt in 1 2 3 4 5; do
      port=$(free_port)
      opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300"
      [ "$durable" = --durable ] || opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
      if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$opts" start >/dev/null; then
        break
      fi
      [ "$attempt" = 5 ] && { cat "$dir/server.log" >&2; exit 1; }
    done
    echo "$opts" >"$state/opts"
    as_pg "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -qAtc \
      "CREATE ROLE tandem LOGIN CREATEDB PASSWORD 'tandem-test-password'"
    echo "$dir" >"$state/dir"
    echo "postgresql://tandem:tandem-test-password@127.0.0.1:$port/postgres" >"$state/url"
    echo "postgresql://postgres@/postgres?host=$dir&port=$port" >"$state/admin"
    ;;
  restart)
    dir=$(cat "$state/dir")
    as_pg "$bin/pg_ctl" -D "$dir/data" -w -t 60 -m fast restart >/dev/null
    ;;
  pause)
    as_pg "$bin/pg_ctl" -D "$(cat "$state/dir")/data" -w -t 60 -m fast stop >/dev/null
    ;;
  resume)
    dir=$(cat "$state/dir")
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$(cat "$state/opts")" start >/dev/null
    ;;
  stop)
    [ -f "$state/dir" ] || exit 0
    dir=$(cat "$state/dir")
    as_pg "$bin/pg_ctl" -D "$dir/data" -w -t 60 -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir" "$state/dir" "$state/url" "$state/admin" "$state/opts"
    ;;
  *) echo "usage: cluster.sh start|restart|pause|resume|stop STATE" >&2; exit 2 ;;
esac
