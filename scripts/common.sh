# Shared helpers for pyowned's scripts; sourced, never run. Sets PYOWNED_ROOT.
# shellcheck shell=bash

PYOWNED_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PYOWNED_ROOT

# banner TEXT: a visible section header.
banner() {
    printf '\n==== %s ====\n' "$*"
}

# python_executable: the real path of the default python3 (not a pyenv shim), so that
# every build of one run finds the same interpreter.
python_executable() {
    python3 -c 'import sys; print(sys.executable)'
}

# ensure_venv DIR PYTHON PACKAGE...: a virtual environment at DIR made with PYTHON, holding
# the packages; recreated when its interpreter no longer runs. Prints nothing on stdout.
ensure_venv() {
    local dir=$1 python=$2
    shift 2
    if [[ -x "$dir/bin/python" ]] && ! "$dir/bin/python" -c 'import sys' >/dev/null 2>&1; then
        echo "setup: $dir is broken; recreating it" >&2
        rm -rf "$dir"
    fi
    if [[ ! -x "$dir/bin/python" ]]; then
        echo "setup: creating $dir with $python" >&2
        "$python" -m venv "$dir" >&2
    fi
    local pkg need=()
    for pkg in "$@"; do
        "$dir/bin/python" -c "import ${pkg//-/_}" >/dev/null 2>&1 || need+=("$pkg")
    done
    if ((${#need[@]})); then
        echo "setup: pip-installing into $dir: ${need[*]}" >&2
        # --prefer-binary: a wheel over a newer source release (NumPy's newest may have no wheel
        # for every interpreter, 3.13t's among them, and building it takes minutes)
        "$dir/bin/python" -m pip install -q --disable-pip-version-check --prefer-binary "${need[@]}" >&2
    fi
}
