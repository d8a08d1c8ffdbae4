#!/usr/bin/env bash
# The stable ABI's cost: the benchmark on CPython 3.12 (the oldest the abi3 build supports)
# with capi, pyowned and pyowned-abi3 (the same peer module built with STABLE_ABI) side by
# side, the call, object and callback cases timed and counted in one process. Makes the
# private environment .venv-bench-3.12 (pyenv's 3.12, or python3.12 on the PATH; NumPy), then
# runs bench/bench.py with the arguments given (--quick: the test suite's mode). Writes
# bench/results-abi3/ (the quick mode: build/bench-abi3/quick).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"
cd "$PYOWNED_ROOT"

bash scripts/setup.sh >&2
python="$(ls -d /root/.pyenv/versions/3.12.*/bin/python3.12 2>/dev/null | sort -V | tail -n1 || true)"
python="${python:-$(command -v python3.12 || true)}"
[[ -n $python ]] || { echo "bench/abi3.sh: CPython 3.12 is not installed on this machine" >&2; exit 1; }
VENV="$PYOWNED_ROOT/.venv-bench-3.12"
ensure_venv "$VENV" "$python" numpy matplotlib

out=()
[[ " $* " == *" --quick "* ]] || out=(--out "$PYOWNED_ROOT/bench/results-abi3")
cd "$PYOWNED_ROOT/bench"
export BENCH_COMMAND="bash bench/abi3.sh${*:+ $*}"
exec "$VENV/bin/python" bench.py --peers pyowned,pyowned-abi3 --no-memory --no-build-figure \
    --build-dir "$PYOWNED_ROOT/build/bench-abi3" "${out[@]}" "$@"
