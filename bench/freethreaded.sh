#!/usr/bin/env bash
# The class cases on free-threaded CPython 3.13t, counted by callgrind: makes the private
# environment .venv-bench-3.13t (the 3.13t interpreter of scripts/build-python.sh, built
# once) with nanobind, pybind11, Cython and NumPy (which the array cases' check needs) from
# pip, builds every peer for it into build/bench-3.13t (bench/CMakeLists.txt; cargo for the
# PyO3 crates) and prints the table
# `| case | capi | pyowned | ... |` of instructions per call (ratio to capi). A peer that
# does not build for 3.13t is named with the reason and left out. Arguments go to
# bench/freethreaded.py (--build-dir, --jobs, --n N1 N2).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"
cd "$PYOWNED_ROOT"

bash scripts/setup.sh >&2   # cmake, ninja, g++, valgrind
ft="$(bash scripts/build-python.sh 3.13t | tail -n1)"
VENV="$PYOWNED_ROOT/.venv-bench-3.13t"
ensure_venv "$VENV" "$ft"
for pkg in nanobind pybind11 Cython numpy; do
    "$VENV/bin/python" -c "import $pkg" 2>/dev/null && continue
    echo "freethreaded: pip-installing $pkg into $VENV" >&2
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$pkg" >&2 ||
        echo "freethreaded: could not install $pkg; its peer will be reported as unavailable" >&2
done
if ! command -v cargo >/dev/null && [[ -x "$HOME/.cargo/bin/cargo" ]]; then
    export PATH="$HOME/.cargo/bin:$PATH"
fi

cd "$PYOWNED_ROOT/bench"
# PYTHON_GIL=0: a module that does not declare free-threading support leaves the GIL off
PYTHON_GIL=0 exec "$VENV/bin/python" freethreaded.py "$@"
