#!/usr/bin/env bash
# The main-job command:  bash scripts/demo.sh
#
# Makes sure .venv has the package installed, seeds the demo data into the
# default embedded SQLite database (a file in the repository root) and serves
# the Voila app in the foreground.
#
# Environment: HOST (default 127.0.0.1), PORT (default 8866),
#              BASE_URL (default http://HOST:PORT, the URL printed/linked by demo)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/_venv.sh
. scripts/_venv.sh

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8866}"
BASE_URL="${BASE_URL:-http://$HOST:$PORT}"

# a '.[test]' install (scripts/test.sh) also covers the plain run dependencies
cop_ensure_venv . .venv/.cop-installed-run .venv/.cop-installed

cop_log "cop-widgets demo --base-url $BASE_URL"
.venv/bin/cop-widgets demo --base-url "$BASE_URL"

cop_log "cop-widgets serve --host $HOST --port $PORT"
exec .venv/bin/cop-widgets serve --port "$PORT" --host "$HOST"
