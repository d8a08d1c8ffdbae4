#!/usr/bin/env bash
# valgrind memcheck over pyowned's C++ suites and pytest suite, on a build made for CPython
# 3.11 (default build/gcc-release, the release stage's: scripts/test.sh builds it first).
#
# Usage: scripts/valgrind.sh [BUILD_DIR]
#
# The interpreter is Debian's own /usr/bin/python3.11 (and its libpython for the embedding
# suites), run with PYTHONMALLOC=malloc so that every object is a malloc block memcheck
# watches. (The pyenv build of 3.11.7 that the other stages use trips memcheck in CPython
# itself at every start: 3.11.7's _PyLong_FromByteArray reads the digit of a zero-size int,
# multiplied by zero, and every later use of that int is reported.) Extension modules built
# for 3.11.7 load in 3.11.2: CPython keeps the ABI within a minor version.
#
# Fails on any memcheck error (invalid read or write, use of uninitialised memory, invalid
# free) and on any definite loss, apart from tests/valgrind.supp's entries (CPython's own,
# each explained). The suite runs at PYOWNED_TEST_SCALE=0.02 (tests/python/repeats.py): a
# memory error shows at the first repetitions as at the thousandth.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$PYOWNED_ROOT"

build=$(cd "${1:-build/gcc-release}" && pwd)
system_python=/usr/bin/python3.11
venv="$PYOWNED_ROOT/.venv-valgrind"
ensure_venv "$venv" "$system_python" pytest numpy
logs="$build/valgrind"
rm -rf "$logs"
mkdir -p "$logs"

# --fair-sched=yes: valgrind runs one thread at a time, and its default lock lets a thread that
# spins (a native loop polling py::check_signals) take it back before a waiting thread (the one
# that sends the signal) gets it; a ticket lock hands it round in turn.
vg=(valgrind --tool=memcheck --error-exitcode=86 --fair-sched=yes --leak-check=full --show-leak-kinds=definite
    --errors-for-leak-kinds=definite --num-callers=30 --child-silent-after-fork=yes
    --suppressions="$PYOWNED_ROOT/tests/valgrind.supp"
    --log-file="$logs/%q{PYOWNED_VALGRIND_JOB}.%p.log")
# The embedding suites load Debian's libpython (LD_LIBRARY_PATH is searched before the
# binaries' RUNPATH) and take the venv's site-packages (py::Interpreter reads VIRTUAL_ENV).
# Two differences from the pytest runs: libpython3.11.so (unlike the python3.11 program)
# trips memcheck's definedness tracking in int.from_bytes at every start (3.11's
# _PyLong_FromByteArray multiplies the unset digit of a zero-size int by its size, zero, and
# every later use of that int is reported), so definedness errors are off there; and the
# Python objects that finalization leaves are suppressed (tests/valgrind-embed.supp says why).
embed=(env LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu VIRTUAL_ENV="$venv" "${vg[@]}"
       --undef-value-errors=no --suppressions="$PYOWNED_ROOT/tests/valgrind-embed.supp")
export PYTHONMALLOC=malloc PYOWNED_TEST_SCALE=0.02 PYOWNED_UNDER_VALGRIND=1
export PYOWNED_EXT_DIR="$build/tests/python/modules"

# The pytest suite in two parts of about equal cost: the bad-input matrix (two thousand small
# tests) with every third other file, and the rest.
mapfile -t files < <(ls tests/python/test_*.py | grep -v '/test_bad_input\.py$')
part1=(tests/python/test_bad_input.py)
part2=()
for i in "${!files[@]}"; do
    if ((i % 3 == 0)); then part1+=("${files[$i]}"); else part2+=("${files[$i]}"); fi
done
pytest=("$venv/bin/python" -m pytest -q -p no:cacheprovider)

# Four jobs, two at a time (the machine's two cores), the longest first. env
# --default-signal=INT: bash starts background commands with SIGINT ignored, and the
# interpreter would keep it ignored (the tests of KeyboardInterrupt need its handler).
launch() {
    local name=$1
    case $name in
        pytest-1) set -- "${vg[@]}" "${pytest[@]}" "${part1[@]}" ;;
        pytest-2) set -- "${vg[@]}" "${pytest[@]}" "${part2[@]}" ;;
        cpp) set -- "${embed[@]}" "$build/tests/pyowned_cpp_tests" ;;
        lifetime) set -- "${embed[@]}" "$build/tests/pyowned_lifetime_tests" ;;
    esac
    PYOWNED_VALGRIND_JOB=$name env --default-signal=INT "$@" >"$logs/$name.out" 2>&1 &
    running[$!]=$name
}
declare -A running=()
failed=0
reap() {
    local pid status=0
    wait -n -p pid || status=$?
    local name=${running[$pid]}
    unset "running[$pid]"
    echo "$name ($((SECONDS - start))s): $(tail -n 1 "$logs/$name.out")"
    if ((status)); then
        echo "valgrind.sh: $name failed (exit $status)" >&2
        failed=1
    fi
}
start=$SECONDS
for job in pytest-1 pytest-2 lifetime cpp; do
    while ((${#running[@]} >= 2)); do reap; done
    launch "$job"
done
while ((${#running[@]})); do reap; done

banner "memcheck summary ($((SECONDS - start))s)"
grep -h "ERROR SUMMARY" "$logs"/*.log | sort | uniq -c
if ((failed)); then
    # The failed tests of each job (gtest's and pytest's own lines), then the memcheck reports
    # (not CPython's start-up chatter) of every log that has any.
    for out in "$logs"/*.out; do
        if grep -q -E '^\[  FAILED  \]|^FAILED |^ERROR ' "$out"; then
            echo "---- $out"
            grep -E -B 2 -A 12 'Failure$|^\[  FAILED  \]|^FAILED |^ERROR |^E  ' "$out" | tail -n 120
        fi
    done
    for log in "$logs"/*.log; do
        if ! grep -q "ERROR SUMMARY: 0 errors" "$log"; then
            echo "---- $log"
            grep -v -E '^==[0-9]+== *$' "$log" | tail -n 80
        fi
    done
    exit 1
fi
