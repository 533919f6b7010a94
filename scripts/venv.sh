# Sourced by examples/quickstart.sh and .ci/run: finds Python 3.11+ and installs planbot into .venv.
# ensure_venv EXTRAS   e.g. ensure_venv "" or ensure_venv "[test]"

find_python() {
    local candidate
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "planbot needs Python 3.11 or newer; none was found on PATH" >&2
    return 1
}

ensure_venv() {
    local extras="$1" python
    VENV="${PLANBOT_VENV:-$here/.venv}"
    if [ ! -x "$VENV/bin/python" ]; then
        python="$(find_python)"
        "$python" -m venv "$VENV"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
    fi
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$here$extras"
}
