#!/usr/bin/env bash
# The benchmark, in one command: makes the private environment .venv-bench (CPython 3.11,
# the machine's default python3) with the peers from the package registries (nanobind,
# pybind11, Cython, NumPy and matplotlib with pip; PyO3 and its numpy crate are fetched by
# cargo when their crates build), then runs bench/bench.py with the arguments given
# (--quick: the test suite's mode).
# A peer whose package cannot be installed is reported by bench.py and left out.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"
cd "$PYOWNED_ROOT"

bash scripts/setup.sh >&2   # cmake, ninja, g++, valgrind
VENV="$PYOWNED_ROOT/.venv-bench"
ensure_venv "$VENV" "$(python_executable)"
for pkg in nanobind pybind11 Cython numpy matplotlib; do
    "$VENV/bin/python" -c "import $pkg" 2>/dev/null && continue
    echo "bench: pip-installing $pkg into $VENV" >&2
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$pkg" >&2 ||
        echo "bench: could not install $pkg; its peer will be reported as unavailable" >&2
done
# rustup installs cargo into ~/.cargo/bin, which a non-login shell may not have on its PATH
if ! command -v cargo >/dev/null && [[ -x "$HOME/.cargo/bin/cargo" ]]; then
    export PATH="$HOME/.cargo/bin:$PATH"
fi
command -v cargo >/dev/null || echo "bench: cargo is not installed; the PyO3 peers will be reported as unavailable" >&2

cd "$PYOWNED_ROOT/bench"
exec "$VENV/bin/python" bench.py "$@"
