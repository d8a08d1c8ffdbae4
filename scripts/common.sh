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
