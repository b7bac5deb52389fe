#!/usr/bin/env bash
# The test command:  bash scripts/test.sh [pytest args...]
#
# Installs what is missing (Debian chromium, .venv with '.[test]'), starts a
# private PostgreSQL (scripts/start-postgres.sh), runs ruff, then pytest.
# Extra arguments go to pytest, e.g.  bash scripts/test.sh -k store -x
#
# Environment:
#   CI=true                  a PostgreSQL that cannot be started is an error
#                            (locally the PostgreSQL tests are skipped instead)
#   COP_WIDGETS_TEST_PG      if already set, used as is (no server is started)
#   COP_WIDGETS_CHROMIUM     browser for the Playwright tests (default /usr/bin/chromium)
#   COP_PG_DIR, COP_PG_PORT  see scripts/start-postgres.sh
#   COP_TEST_WORKERS         pytest-xdist workers (default 2; 0: one process)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/_venv.sh
. scripts/_venv.sh

# --- browser: Debian's chromium, never a Playwright download ----------------
export COP_WIDGETS_CHROMIUM="${COP_WIDGETS_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$COP_WIDGETS_CHROMIUM" ]; then
    if [ "$COP_WIDGETS_CHROMIUM" != /usr/bin/chromium ]; then
        echo "ERROR: COP_WIDGETS_CHROMIUM=$COP_WIDGETS_CHROMIUM is not an executable" >&2
        exit 1
    fi
    cop_log "installing chromium (apt-get)"
    cop_apt_install chromium || {
        echo "ERROR: /usr/bin/chromium is missing and could not be installed" >&2
        exit 1
    }
fi

# --- HAProxy: the reverse proxy of the two-server test (tests/browser/test_proxy.py) ---
if ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then
    cop_log "installing haproxy (apt-get)"
    cop_apt_install haproxy || echo "WARNING: haproxy could not be installed" >&2
fi

# --- Python environment ------------------------------------------------------
cop_ensure_venv '.[test]' .venv/.cop-installed

# --- PostgreSQL ---------------------------------------------------------------
if [ -n "${COP_WIDGETS_TEST_PG:-}" ]; then
    cop_log "using COP_WIDGETS_TEST_PG from the environment"
else
    cop_log "starting private PostgreSQL (scripts/start-postgres.sh)"
    # its stdout goes to a file, not a pipe: nothing the server inherits can
    # keep this script waiting for end of file
    pg_out="$(mktemp)"
    pg_line=""
    if bash scripts/start-postgres.sh >"$pg_out"; then pg_line="$(tail -n 1 "$pg_out")"; fi
    rm -f "$pg_out"
    if [[ "$pg_line" == COP_WIDGETS_TEST_PG=* ]]; then
        if [ "${CI:-}" = true ]; then
            # a CI machine is left as it was found: no server outlives the run
            trap 'bash scripts/start-postgres.sh --stop || true' EXIT
        fi
        export COP_WIDGETS_TEST_PG="${pg_line#COP_WIDGETS_TEST_PG=}"
        cop_log "COP_WIDGETS_TEST_PG=$COP_WIDGETS_TEST_PG"
    elif [ "${CI:-}" = true ]; then
        echo "ERROR: could not start PostgreSQL (CI=true, so this is fatal)" >&2
        exit 1
    else
        echo "WARNING: could not start PostgreSQL; PostgreSQL tests will be skipped" >&2
        unset COP_WIDGETS_TEST_PG
    fi
fi

# --- lint ---------------------------------------------------------------------
lint_dirs=()
for d in cop_widgets tests benchmarks; do
    [ -d "$d" ] && lint_dirs+=("$d")
done
if [ "${#lint_dirs[@]}" -gt 0 ]; then
    cop_log "ruff check ${lint_dirs[*]}"
    .venv/bin/ruff check "${lint_dirs[@]}"
fi

# --- tests --------------------------------------------------------------------
cop_log "pytest $*"
rc=0
# two workers (pytest-xdist): most of the suite's time is spent waiting on servers,
# kernels and the browser. The browser tests stay together on one of them (tests/conftest.py);
# COP_TEST_WORKERS=0 runs everything in this one process.
# --durations: the slowest tests, named in every log (CI time is a goal: under 20 minutes)
.venv/bin/python -m pytest -n "${COP_TEST_WORKERS:-2}" --dist loadgroup --durations=25 "$@" || rc=$?
if [ "$rc" -eq 5 ]; then
    echo "ERROR: pytest collected no tests (exit code 5); treating as failure" >&2
fi
exit "$rc"
