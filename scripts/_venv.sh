# Shared helpers for scripts/test.sh and scripts/demo.sh. Source it from the
# repository root; it defines functions only.
# shellcheck shell=bash

cop_log() { echo "==> $*" >&2; }

# cop_apt_install PKG... : apt-get install as root (apt-get update once per run).
cop_apt_install() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "ERROR: need Debian package(s) '$*' but not root; run as root: apt-get install -y $*" >&2
        return 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    if [ "${COP_APT_UPDATED:-}" != 1 ]; then
        apt-get update -q >&2 || return 1
        export COP_APT_UPDATED=1
    fi
    apt-get install -y -q "$@" >&2
}

# cop_ensure_venv PIP_TARGET STAMP [STAMP...]
#   Make sure .venv exists and `pip install -e PIP_TARGET` has been run since
#   pyproject.toml last changed. The first STAMP is written after installing;
#   any given STAMP newer than pyproject.toml means "already installed".
cop_ensure_venv() {
    local target="$1" stamp="$2" s
    shift

    if ! command -v python3 >/dev/null 2>&1; then
        cop_log "installing python3 (apt-get)"
        cop_apt_install python3 python3-venv || return 1
    fi
    # Debian's python3 has no ensurepip (so no `venv`) without python3-venv
    if [ ! -x .venv/bin/python ] && ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
        cop_log "installing python3-venv (apt-get)"
        cop_apt_install python3-venv || return 1
    fi

    if [ ! -x .venv/bin/python ] || ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
        cop_log "creating .venv"
        python3 -m venv --clear .venv || return 1
        rm -f .venv/.cop-installed*
    fi

    for s in "$@"; do
        if [ -e "$s" ] && [ "$s" -nt pyproject.toml ]; then
            cop_log "dependencies up to date ($s newer than pyproject.toml)"
            return 0
        fi
    done

    cop_log "pip install -e '$target' into .venv (this can take a few minutes the first time)"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$target" || return 1
    touch "$stamp"
}
