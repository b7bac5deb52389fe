#!/usr/bin/env bash
# Start (or reuse) a private, throwaway PostgreSQL cluster for the test suite.
#
#   eval "export $(bash scripts/start-postgres.sh | tail -n1)"
#   bash scripts/start-postgres.sh --stop      # stop the private server
#
# Environment:
#   COP_PG_DIR      cluster directory (default /tmp/cop-widgets-pg); holds
#                   data/ (PGDATA), socket/ (unix socket) and postgres.log
#   COP_PG_PORT     TCP port on 127.0.0.1 (default 54329)
#   COP_PG_TIMEOUT  seconds to wait for the server to answer (default 30)
#
# Idempotent: reuses a server that already answers on the port, starts a stale
# cluster whose server is down, re-initialises a cluster left half-made or
# made by another PostgreSQL major version. Installs Debian's postgresql
# package only when no initdb is found under /usr/lib/postgresql/*/bin.
#
# The only line on stdout is the last one:
#   COP_WIDGETS_TEST_PG=postgresql+psycopg://postgres@127.0.0.1:PORT/postgres
# everything else goes to stderr.
set -euo pipefail

exec 3>&1 1>&2 # keep the real stdout on fd 3 for the final line

PG_DIR="${COP_PG_DIR:-/tmp/cop-widgets-pg}"
case "$PG_DIR" in /*) ;; *) PG_DIR="$PWD/$PG_DIR" ;; esac
PG_PORT="${COP_PG_PORT:-54329}"
PG_TIMEOUT="${COP_PG_TIMEOUT:-30}"
DATA="$PG_DIR/data"
SOCK="$PG_DIR/socket"
LOG="$PG_DIR/postgres.log"
URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"

say() { echo "start-postgres: $*"; }
die() {
    echo "start-postgres: ERROR: $*"
    exit 1
}

case "$PG_PORT" in '' | *[!0-9]*) die "COP_PG_PORT must be a port number, got '$PG_PORT'" ;; esac

done_ok() {
    say "PostgreSQL ready on 127.0.0.1:$PG_PORT"
    echo "COP_WIDGETS_TEST_PG=$URL" >&3
    exit 0
}

# --- find (or install) the server binaries ---------------------------------
find_bindir() {
    local d best=""
    for d in /usr/lib/postgresql/*/bin; do
        if [ ! -x "$d/initdb" ] || [ ! -x "$d/pg_ctl" ]; then continue; fi
        # keep the highest major version
        if [ -z "$best" ] || [ "$(basename "$(dirname "$d")")" -gt "$(basename "$(dirname "$best")")" ] 2>/dev/null; then
            best="$d"
        fi
    done
    [ -n "$best" ] && echo "$best"
}

BIN="$(find_bindir || true)"
if [ -z "$BIN" ]; then
    [ "$(id -u)" -eq 0 ] || die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and we are not root: run 'apt-get install -y postgresql' as root"
    say "installing PostgreSQL with apt-get (postgresql)"
    export DEBIAN_FRONTEND=noninteractive
    if [ "${COP_APT_UPDATED:-}" != 1 ]; then
        apt-get update -q || die "apt-get update failed"
        export COP_APT_UPDATED=1
    fi
    apt-get install -y -q postgresql || die "apt-get install postgresql failed"
    BIN="$(find_bindir || true)"
    [ -n "$BIN" ] || die "postgresql installed but no initdb under /usr/lib/postgresql/*/bin"
fi
PG_MAJOR="$(basename "$(dirname "$BIN")")"

# --- run commands as the postgres OS user (initdb/postgres refuse root) ----
if [ "$(id -u)" -eq 0 ]; then
    if ! id -u postgres >/dev/null 2>&1; then
        say "creating the postgres system user"
        useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/sh postgres
    fi
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; } # initdb works as any non-root user
fi

if [ "${1:-}" = --stop ]; then
    if [ -f "$DATA/postmaster.pid" ]; then
        as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 3>&- 2>&1 &&
            say "stopped the server of $DATA" || say "no server of $DATA to stop"
    fi
    exit 0
fi

# --- reuse a server that already answers ------------------------------------
if "$BIN/pg_isready" -q -U postgres -d postgres -h 127.0.0.1 -p "$PG_PORT" -t 2; then
    say "reusing the server already answering on 127.0.0.1:$PG_PORT"
    done_ok
fi

# serialise concurrent callers (e.g. two test runs started at once)
mkdir -p "$PG_DIR"
if command -v flock >/dev/null 2>&1; then
    exec 9>>"$PG_DIR.lock"
    flock -w $((PG_TIMEOUT + 60)) 9 || die "timed out waiting for lock $PG_DIR.lock"
    # another caller may have started it while we waited
    if "$BIN/pg_isready" -q -U postgres -d postgres -h 127.0.0.1 -p "$PG_PORT" -t 2; then
        say "reusing the server already answering on 127.0.0.1:$PG_PORT"
        done_ok
    fi
fi

if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$PG_DIR"
    chmod 0755 "$PG_DIR" # data/ itself stays 0700; socket/ reachable by all
    as_pg test -w "$PG_DIR" || die "user postgres cannot write to $PG_DIR (is a parent directory private?); set COP_PG_DIR elsewhere, e.g. under /tmp"
fi

# --- initialise the cluster if needed --------------------------------------
if [ -f "$DATA/PG_VERSION" ] && [ "$(cat "$DATA/PG_VERSION")" != "$PG_MAJOR" ]; then
    say "cluster in $DATA was made by PostgreSQL $(cat "$DATA/PG_VERSION"), have $PG_MAJOR: re-initialising (throwaway data)"
    as_pg "$BIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DATA"
fi
if [ -d "$DATA" ] && [ ! -f "$DATA/PG_VERSION" ]; then
    say "removing half-initialised $DATA"
    rm -rf "$DATA"
fi
if [ ! -d "$DATA" ]; then
    say "initialising a private PostgreSQL $PG_MAJOR cluster in $DATA"
    locale_opt=(--locale=C)
    if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then locale_opt=(--locale=C.UTF-8); fi
    as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 \
        "${locale_opt[@]}" --no-sync >"$PG_DIR/initdb.log" 2>&1 ||
        {
            cat "$PG_DIR/initdb.log"
            rm -rf "$DATA"
            die "initdb failed (log above)"
        }
    # settings that may change between runs live in cop.conf, rewritten below
    echo "include_if_exists = 'cop.conf'" | as_pg tee -a "$DATA/postgresql.conf" >/dev/null
fi

# Per-start settings (the port may differ from the previous run).
as_pg mkdir -p "$SOCK"
as_pg tee "$DATA/cop.conf" >/dev/null <<EOF
# written by scripts/start-postgres.sh on every start
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$SOCK'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF

# --- start ------------------------------------------------------------------
if [ -f "$DATA/postmaster.pid" ]; then
    # a pid file left by a crash/reboot: stale unless that pid is a postgres
    pid="$(head -n1 "$DATA/postmaster.pid" 2>/dev/null || true)"
    case "$pid" in '' | *[!0-9]*) pid=0 ;; esac
    if [ "$pid" -eq 0 ] || ! grep -qs '^postgres' "/proc/$pid/comm"; then
        say "removing stale postmaster.pid (pid $pid is not running postgres)"
        rm -f "$DATA/postmaster.pid"
    fi
fi
if as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    say "server of $DATA is running but does not answer on 127.0.0.1:$PG_PORT yet; waiting"
else
    say "starting PostgreSQL (log: $LOG)"
    if [ "$(id -u)" -eq 0 ] && [ -e "$LOG" ]; then chown postgres:postgres "$LOG"; fi
    # pg_ctl detaches the postmaster into its own session, so it outlives us.
    # It must not inherit (and hold open for its whole life) fd 3, our caller's
    # stdout: a caller reading it through a pipe, as `... | tail -n1` does,
    # would wait forever for end of file. Nor fd 9, the lock.
    as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t "$PG_TIMEOUT" start >/dev/null 3>&- 9>&- ||
        {
            tail -n 20 "$LOG" || true
            die "pg_ctl start failed (last log lines above; is port $PG_PORT taken by something else?)"
        }
fi

# --- wait until it answers over TCP ----------------------------------------
deadline=$((SECONDS + PG_TIMEOUT))
until "$BIN/pg_isready" -q -U postgres -d postgres -h 127.0.0.1 -p "$PG_PORT" -t 2; do
    if [ "$SECONDS" -ge "$deadline" ]; then
        tail -n 20 "$LOG" || true
        die "PostgreSQL did not answer on 127.0.0.1:$PG_PORT within ${PG_TIMEOUT}s (log: $LOG)"
    fi
    sleep 0.5
done
done_ok
