#!/usr/bin/env bash
# The Debian package, built by cpack from an already built tree (it builds
# nothing itself):
#   - package metadata and contents, the conffile, the maintainer scripts;
#   - `systemd-analyze verify` and an offline security score of the unit;
#   - as root: dpkg -i (the user, the directories and their owners and
#     modes), the server started the way the unit starts it (its
#     ExecStartPre and ExecStart lines, its environment and settings file, as
#     the tandem user without privileges or capabilities, with no
#     write+execute memory where the kernel can refuse it), a record created
#     through the API and the demo through the command line; an upgrade to a
#     higher version (data kept, the locally modified conffile kept); dpkg -r
#     (data, settings and user kept); dpkg -P (all gone).
# Not root: the static checks run, then the test is skipped (exit 77).
# A machine that already has a tandem installation (package, user or
# directories) is never touched: skipped too.
#   package_test.sh BUILD_DIR
set -uo pipefail
BUILD=$(realpath "${1:?usage: package_test.sh BUILD_DIR}")
[ -f "$BUILD/CPackConfig.cmake" ] || { echo "no $BUILD/CPackConfig.cmake: configure the build first"; exit 1; }
WORK=$(mktemp -d)
UNIT_PATH=/usr/lib/systemd/system/tandem.service
ENV_FILE=/etc/tandem/tandem.env
SERVER_PID=
INSTALLED=  # set once this test has installed the package: cleanup purges it and removes what is left

cleanup() {
  if [ -n "$SERVER_PID" ]; then kill -9 "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; fi
  if [ -n "$INSTALLED" ]; then
    dpkg -P tandem >/dev/null 2>&1 </dev/null
    # Whatever a failed purge may have left.
    rm -rf /var/lib/tandem /var/log/tandem /var/cache/tandem /etc/tandem
    getent passwd tandem >/dev/null && userdel tandem 2>/dev/null
    getent group tandem >/dev/null && groupdel tandem 2>/dev/null
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cd "$WORK" || exit 1

passed=0 failed=0
check() {  # check "description" command...
  local what=$1; shift
  if "$@" >"$WORK/out" 2>&1; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: $what"; sed 's/^/    /' "$WORK/out" | head -20
  fi
}
finish() {
  echo "package: $passed passed, $failed failed"
  [ "$failed" = 0 ]
  exit $?
}
# mode_owner PATH: "MODE USER:GROUP", e.g. "750 tandem:tandem"
mode_owner() { stat -c '%a %U:%G' "$1"; }

# --- build the package -------------------------------------------------------------
VERSION=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$BUILD/CMakeCache.txt")
# A sanitizer build's binary is large (about 280 MB): zstd is the quickest
# to pack and unpack it (the shipped package keeps the configured xz).
start=$(date +%s)
cpack --config "$BUILD/CPackConfig.cmake" -B "$WORK/v1" -D CPACK_DEBIAN_COMPRESSION_TYPE=zstd \
  >"$WORK/cpack1.log" 2>&1 || { echo "cpack failed"; cat "$WORK/cpack1.log"; exit 1; }
DEB=$(ls "$WORK"/v1/tandem_*.deb)
echo "built $(basename "$DEB") in $(($(date +%s) - start)) s"

# --- metadata and contents ---------------------------------------------------------
field() { dpkg-deb -f "$DEB" "$1"; }
check "package name" test "$(field Package)" = tandem
check "version is the project's ($VERSION)" test "$(field Version)" = "$VERSION"
check "architecture is this machine's" test "$(field Architecture)" = "$(dpkg --print-architecture)"
check "section and maintainer" bash -c "test '$(field Section)' = web && test -n '$(field Maintainer)'"
check "depends on adduser and, through dpkg-shlibdeps, the libraries" \
  bash -c "dpkg-deb -f '$DEB' Depends | grep -q 'adduser' && dpkg-deb -f '$DEB' Depends | grep -q 'libsqlite3-0' && dpkg-deb -f '$DEB' Depends | grep -q 'libpq5'"
dpkg-deb --contents "$DEB" | awk '{print $1, $2, $NF}' > contents.txt
has() { grep -q "^$1 root/root \./$2\$" contents.txt; }
check "binary in /usr/bin" has -rwxr-xr-x usr/bin/tandem
check "unit in /usr/lib/systemd/system" has -rw-r--r-- usr/lib/systemd/system/tandem.service
check "settings file in /etc/tandem" has -rw-r--r-- etc/tandem/tandem.env
check "documentation in /usr/share/doc/tandem" has -rw-r--r-- usr/share/doc/tandem/operations.md
check "no data directory shipped (postinst creates it)" bash -c "! grep -q '\./var/' contents.txt"
check "everything owned by root" bash -c "! awk '{print \$2}' contents.txt | grep -v '^root/root$'"
mkdir ctrl && dpkg-deb --control "$DEB" ctrl
check "the settings file is a conffile" test "$(cat ctrl/conffiles)" = "$ENV_FILE"
check "maintainer scripts are executable" test -x ctrl/postinst -a -x ctrl/prerm -a -x ctrl/postrm
check "maintainer scripts are valid sh" bash -c 'for s in ctrl/postinst ctrl/prerm ctrl/postrm; do sh -n "$s" || exit 1; done'
if command -v shellcheck >/dev/null; then check "maintainer scripts pass shellcheck" shellcheck -s sh ctrl/postinst ctrl/prerm ctrl/postrm; fi

# --- the unit ----------------------------------------------------------------------
mkdir root && dpkg-deb -x "$DEB" root
# Every option of the packaged binary's `tandem --help` and `tandem serve
# --help` has its place in the settings file.
options() { "$WORK/root/usr/bin/tandem" "$@" --help | grep -oE '^ +(-[a-z],)?--[a-z-]+' | sed 's/.*--/--/'; }
for option in $( (options; options serve) | grep -vxE -- '--help|--version'); do
  check "the settings file describes $option" grep -qE -- "$option([ ,;)]|$)" "$WORK/root$ENV_FILE"
done
UNIT=$WORK/root$UNIT_PATH
check "unit runs as the tandem user with its state in /var/lib/tandem" \
  bash -c "grep -qx 'User=tandem' '$UNIT' && grep -qx 'StateDirectory=tandem' '$UNIT' && grep -qx 'EnvironmentFile=$ENV_FILE' '$UNIT'"
for setting in NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes PrivateDevices=yes \
  ProtectKernelTunables=yes ProtectKernelModules=yes ProtectKernelLogs=yes ProtectControlGroups=yes \
  ProtectClock=yes ProtectHostname=yes 'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' \
  RestrictNamespaces=yes RestrictRealtime=yes RestrictSUIDSGID=yes LockPersonality=yes \
  MemoryDenyWriteExecute=yes SystemCallArchitectures=native SystemCallFilter=@system-service \
  CapabilityBoundingSet= UMask=0077 LimitNOFILE=65536 Restart=on-failure; do
  check "unit sets $setting" grep -qx "$setting" "$UNIT"
done
if command -v systemd-analyze >/dev/null; then
  # verify wants the binary where ExecStart names it: point it at the
  # unpacked one (after installation the installed unit is verified as is).
  sed "s#/usr/bin/tandem#$WORK/root/usr/bin/tandem#g" "$UNIT" > "$WORK/tandem.service"
  check "systemd-analyze verify (unpacked unit)" bash -c "systemd-analyze verify '$WORK/tandem.service' 2>&1 | tee verify.txt; test ! -s verify.txt"
  # Exposure 0 (locked down) to 10 (exposed); --threshold is tenths.
  check "systemd-analyze security: exposure at most 2.0" \
    systemd-analyze security --offline=yes --threshold=20 "$WORK/tandem.service"
else
  echo "systemd-analyze not found (Debian package systemd): unit not verified"
fi

if [ "$(id -u)" != 0 ]; then
  echo "not root: package installation not tested (skipped)"
  [ "$failed" = 0 ] || finish
  exit 77
fi
if dpkg-query -W -f='${Status}' tandem 2>/dev/null | grep -qv 'not-installed' ||
  getent passwd tandem >/dev/null || getent group tandem >/dev/null ||
  [ -e /var/lib/tandem ] || [ -e /etc/tandem ]; then
  echo "a tandem installation exists on this machine: not touching it (installation test skipped;"
  echo "if a killed run of this test left it: dpkg -P tandem; userdel tandem; rm -rf /var/lib/tandem /etc/tandem)"
  [ "$failed" = 0 ] || finish
  exit 77
fi

# --- install -----------------------------------------------------------------------
INSTALLED=1
start=$(date +%s)
check "dpkg -i installs (no systemd running: no service started)" dpkg -i "$DEB" </dev/null
echo "installed in $(($(date +%s) - start)) s"
check "package is installed" bash -c "dpkg-query -W -f='\${Status}' tandem | grep -q 'install ok installed'"
check "system user tandem, no login shell, home /var/lib/tandem" \
  bash -c "getent passwd tandem | awk -F: '\$3 < 1000 && \$6 == \"/var/lib/tandem\" && \$7 ~ /nologin\$/' | grep -q ."
check "group tandem" getent group tandem
check "/var/lib/tandem is 0750 tandem:tandem" test "$(mode_owner /var/lib/tandem)" = "750 tandem:tandem"
check "/var/log/tandem is 0750 tandem:tandem" test "$(mode_owner /var/log/tandem)" = "750 tandem:tandem"
check "/etc/tandem is 0750 root:tandem" test "$(mode_owner /etc/tandem)" = "750 root:tandem"
check "settings file is 0640 root:tandem" test "$(mode_owner $ENV_FILE)" = "640 root:tandem"
check "dpkg lists the conffile" bash -c "dpkg-query -W -f='\${Conffiles}' tandem | grep -q '$ENV_FILE'"
check "tandem --help runs" bash -c "/usr/bin/tandem --help | grep -q 'serve'"
check "tandem --version is the package's" test "$(/usr/bin/tandem --version)" = "tandem $VERSION"
if command -v systemd-analyze >/dev/null; then
  check "systemd-analyze verify (installed unit)" bash -c "systemd-analyze verify $UNIT_PATH 2>&1 | tee verify.txt; test ! -s verify.txt"
fi

# --- run it the way the unit does ---------------------------------------------------
# The environment the unit gives the service: its Environment= lines, then
# the settings file (which wins), as systemd reads them.
unit_env() {
  local line
  printf '%s\0' PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/var/lib/tandem USER=tandem LOGNAME=tandem SHELL=/usr/sbin/nologin
  # A sanitizer build needs its options (leak checks off where ptrace is not allowed).
  [ -n "${ASAN_OPTIONS:-}" ] && printf '%s\0' "ASAN_OPTIONS=$ASAN_OPTIONS"
  [ -n "${UBSAN_OPTIONS:-}" ] && printf '%s\0' "UBSAN_OPTIONS=$UBSAN_OPTIONS"
  while IFS= read -r line; do
    eval "printf '%s\0' ${line#Environment=}"
  done < <(grep '^Environment=' "$UNIT_PATH")
  while IFS= read -r line; do
    case "$line" in '' | '#'*) continue ;; esac
    eval "printf '%s\0' $line"
  done < "$ENV_FILE"
}
# unit_command KEY: the argv of the unit's KEY= line (ExecStart, ExecStartPre)
# with its ${VAR} and $VAR expanded from that environment.
unit_command() {
  local line; line=$(sed -n "s/^$1=//p" "$UNIT_PATH")
  (
    mapfile -d '' vars < <(unit_env)
    for v in "${vars[@]}"; do export "${v?}"; done
    eval "set -- $line"
    printf '%s\0' "$@"
  )
}
# as_unit KEY (in a subshell: it execs): run that line as the unit would:
# as tandem:tandem, in /var/lib/tandem, umask 0077, a clean environment, no
# new privileges, no capabilities, and (where the kernel has PR_SET_MDWE,
# Linux 6.3 and later) no memory both writable and executable, as
# MemoryDenyWriteExecute=yes.
as_unit() {
  local cmd env
  mapfile -d '' cmd < <(unit_command "$1")
  mapfile -d '' env < <(unit_env)
  cd /var/lib/tandem && umask 0077 &&
    exec setpriv --reuid=tandem --regid=tandem --init-groups --no-new-privs \
      --inh-caps=-all --bounding-set=-all \
      env -i "${env[@]}" perl -e "$NO_WX_EXEC" "${cmd[@]}"
}
# perl -e "$NO_WX_EXEC" COMMAND...: COMMAND with PR_SET_MDWE (refuse memory
# that is or becomes writable and executable), kept across exec; where the
# kernel does not know it (EINVAL), COMMAND runs without.
NO_WX_EXEC='
  require "syscall.ph";
  syscall(&SYS_prctl, 65, 1, 0, 0, 0) == 0 or $! == 22 or die "PR_SET_MDWE: $!\n";
  exec { $ARGV[0] } @ARGV or die "exec $ARGV[0]: $!\n";'
unit_run() { (as_unit "$1"); }
# cli ARGS...: the command line as an operator runs it (docs/operations.md).
cli() { (cd / && runuser -u tandem -- sh -c 'umask 077; set -a; . /etc/tandem/tandem.env; exec tandem "$@"' tandem "$@"); }
# cli_says TEXT ARGS...: cli ARGS succeeds and prints TEXT
cli_says() { local text=$1; shift; cli "$@" > "$WORK/cli.out" && grep -q -- "$text" "$WORK/cli.out"; }

start_server() {  # runs the unit's ExecStartPre, then its ExecStart in the background
  unit_run ExecStartPre > "$WORK/init.log" 2>&1 || { echo "ExecStartPre failed"; cat "$WORK/init.log"; return 1; }
  : > "$WORK/server.log"  # there before the loop below reads it
  (as_unit ExecStart) >> "$WORK/server.log" 2>&1 &
  SERVER_PID=$!  # the server itself: the subshell execs it
  for _ in $(seq 600); do
    PORT=$(sed -n 's#.*http://127.0.0.1:\([0-9]*\)/.*#\1#p' "$WORK/server.log")
    if [ -n "$PORT" ] &&
      [ "$(curl -q -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health/ready")" = 200 ]; then
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "server did not start"; cat "$WORK/server.log"; return 1
}
stop_server() {  # SIGTERM, as systemctl stop sends; a clean exit is expected
  kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; local rc=$?; SERVER_PID=
  [ "$rc" = 0 ] || { echo "server exited with $rc"; tail -20 "$WORK/server.log"; return 1; }
}

# A local change to the conffile: any free port instead of 8080 (the banner
# names the one picked), and a line to find after the upgrade.
sed -i 's/^TANDEM_PORT=.*/TANDEM_PORT=0/' "$ENV_FILE"
echo '# changed locally by package_test.sh' >> "$ENV_FILE"

if [ "$(perl -e "$NO_WX_EXEC" perl -e 'require "syscall.ph"; print syscall(&SYS_prctl, 66, 0, 0, 0, 0)')" = 1 ]; then
  echo "the server runs with PR_SET_MDWE (as MemoryDenyWriteExecute=yes)"
else
  echo "this kernel has no PR_SET_MDWE: MemoryDenyWriteExecute=yes is not emulated"
fi
check "the unit's ExecStartPre (tandem init) runs as tandem" unit_run ExecStartPre
check "init is idempotent" unit_run ExecStartPre
check "the database is in /var/lib/tandem, 0600 tandem:tandem" \
  test "$(mode_owner /var/lib/tandem/tandem.db)" = "600 tandem:tandem"
check "the command line as tandem loads the demo" cli_says Loaded demo
if start_server; then
  passed=$((passed + 1))
  check "serves as the tandem user" test "$(stat -c %U /proc/$SERVER_PID)" = tandem
  check "with no new privileges" grep -q '^NoNewPrivs:[[:space:]]*1' /proc/$SERVER_PID/status
  check "and no capabilities" grep -q '^CapBnd:[[:space:]]*0000000000000000' /proc/$SERVER_PID/status
  check "GET /health/ready" test "$(curl -q -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health/ready")" = 200
  TOKEN=$(cli token add admin --name package-test --scope read-write 2>"$WORK/token.err")
  check "an API token from the command line" test -n "$TOKEN"
  curl -q -s -o created.json -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/api/v1/incidents" \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d '{"title": "package test", "kind": "incident", "classification": "sms", "impact": "low", "urgency": "low"}' \
    > created.code
  check "an incident is created through the API" test "$(cat created.code)" = 201
  INCIDENT=$(sed -n 's/.*"id": *"\{0,1\}\([0-9A-Za-z-]*\).*/\1/p' created.json | head -1)
  check "the created incident reads back" \
    test "$(curl -q -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/incidents/$INCIDENT")" = 200
  # Pango, Cairo and librsvg under MemoryDenyWriteExecute.
  check "a PDF report (Pango, Cairo, librsvg)" bash -c \
    "curl -q -s -H 'Authorization: Bearer $TOKEN' 'http://127.0.0.1:$PORT/api/v1/audits/1/report?format=pdf' | head -c 5 | grep -q '%PDF-'"
  check "stops cleanly on SIGTERM" stop_server
else
  failed=$((failed + 1))
fi

# --- upgrade -----------------------------------------------------------------------
# The same tree as a higher version; its dependencies are the first package's
# (dpkg-shlibdeps on a sanitizer build takes long and would find the same).
NEXT="$VERSION+upgrade1"
cpack --config "$BUILD/CPackConfig.cmake" -B "$WORK/v2" -D CPACK_DEBIAN_COMPRESSION_TYPE=zstd \
  -D CPACK_PACKAGE_VERSION="$NEXT" -D CPACK_DEBIAN_PACKAGE_SHLIBDEPS=OFF \
  -D CPACK_DEBIAN_PACKAGE_DEPENDS="$(field Depends)" >"$WORK/cpack2.log" 2>&1 ||
  { echo "cpack (upgrade) failed"; cat "$WORK/cpack2.log"; finish; }
DEB2=$(ls "$WORK"/v2/tandem_*.deb)
check "upgrade package has version $NEXT" test "$(dpkg-deb -f "$DEB2" Version)" = "$NEXT"
check "dpkg -i upgrades" dpkg -i "$DEB2" </dev/null
check "version $NEXT is installed" test "$(dpkg-query -W -f='${Version}' tandem)" = "$NEXT"
check "the locally modified conffile is kept" grep -qx '# changed locally by package_test.sh' "$ENV_FILE"
check "and keeps its mode" test "$(mode_owner $ENV_FILE)" = "640 root:tandem"
check "the data directory keeps its owner and mode" test "$(mode_owner /var/lib/tandem)" = "750 tandem:tandem"
if start_server; then
  passed=$((passed + 1))
  check "the incident survived the upgrade" \
    test "$(curl -q -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/incidents/$INCIDENT")" = 200
  check "stops cleanly on SIGTERM" stop_server
else
  failed=$((failed + 1))
fi
check "the accounts survived the upgrade" cli_says admin user list
check "the audit trail verifies" cli_says 'audit trail OK' audit verify

# --- remove: data, settings and user stay ------------------------------------------------
check "dpkg -r removes" dpkg -r tandem </dev/null
check "the binary is gone" test ! -e /usr/bin/tandem
check "the unit is gone" test ! -e $UNIT_PATH
check "the package is in state config-files" test "$(dpkg-query -W -f='${db:Status-Status}' tandem)" = config-files
check "the database is kept" test -s /var/lib/tandem/tandem.db
check "the settings are kept (with the local change)" grep -qx '# changed locally by package_test.sh' "$ENV_FILE"
check "the user is kept" getent passwd tandem

# --- purge: all gone ---------------------------------------------------------------
check "dpkg -P purges" dpkg -P tandem </dev/null
check "the package is unknown to dpkg" bash -c "! dpkg-query -W -f='\${db:Status-Status}' tandem 2>/dev/null | grep -qv not-installed"
check "/var/lib/tandem is gone" test ! -e /var/lib/tandem
check "/var/log/tandem is gone" test ! -e /var/log/tandem
check "/etc/tandem is gone" test ! -e /etc/tandem
check "the user is gone" bash -c "! getent passwd tandem"
check "the group is gone" bash -c "! getent group tandem"
finish
