#!/usr/bin/env bash
# Coverage-guided fuzzing of pyowned's argument dispatch and conversions (tests/fuzz).
#
# Usage: scripts/fuzz.sh [--time SECONDS] [--merge] [libFuzzer options...]
#   default     a time-boxed run (120 s, as CI runs it) from the corpus in tests/fuzz/corpus;
#               new inputs go to build/fuzz/corpus: the repository is not changed
#   --time N    run for N seconds (the longer local mode: --time 3600)
#   --merge     afterwards, fold the inputs that reached new coverage into tests/fuzz/corpus
#               (libFuzzer's -merge=1 keeps only inputs that add coverage)
# A crash, a sanitizer report or a disagreement with tests/fuzz/reference.py stops the run,
# fails the script, and leaves the input in build/fuzz/crash-*; replay it with
#   scripts/fuzz.sh build/fuzz/crash-<hash>
# The module is built with clang++-16 (-fsanitize=fuzzer-no-link,address,undefined); the
# fuzzer is atheris, from PyPI, in .venv.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$PYOWNED_ROOT"

seconds=120
merge=0
extra=()
while (($#)); do
    case $1 in
        --time) seconds=${2:?--time needs a number of seconds}; shift 2 ;;
        --merge) merge=1; shift ;;
        *) extra+=("$1"); shift ;;
    esac
done

build="$PYOWNED_ROOT/build/fuzz"
corpus="$PYOWNED_ROOT/tests/fuzz/corpus"
python="$PYOWNED_ROOT/.venv/bin/python"
ensure_venv "$PYOWNED_ROOT/.venv" "$(python_executable)" atheris

cmake -S tests/fuzz -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-16 \
    -DPython_EXECUTABLE="$python" >/dev/null
cmake --build "$build"

# atheris ships libFuzzer and the ASan/UBSan runtimes in one library; the module leaves
# their symbols undefined, so the library is preloaded into the (uninstrumented) interpreter.
runtime="$("$python" -c 'import atheris, os; print(os.path.join(os.path.dirname(os.path.dirname(atheris.__file__)), "asan_with_fuzzer.so"))')"
# Leaks: an interpreter keeps memory until exit by design (reference leaks are the
# refcount tests' job). allocator_may_return_null: a huge list size is MemoryError, not an abort.
export ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1:halt_on_error=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export PYOWNED_FUZZ_DIR="$build/modules"
# libFuzzer's -merge runs the script again as a program: its "#!/usr/bin/env python3" must
# find the venv's interpreter first on PATH.
fuzz() {
    PATH="$PYOWNED_ROOT/.venv/bin:$PATH" LD_PRELOAD="$runtime" "$python" "$PYOWNED_ROOT/tests/fuzz/fuzz_conversions.py" "$@"
}

# An input file given: replay it and stop.
if ((${#extra[@]})) && [[ -f ${extra[0]} ]]; then
    fuzz "${extra[@]}"
    exit
fi

# New inputs go to the first corpus directory given (libFuzzer's rule): a scratch one.
work="$build/corpus"
rm -rf "$work"
mkdir -p "$work"
banner "fuzzing for ${seconds}s from $(ls "$corpus" | wc -l) corpus inputs"
log="$build/fuzz.log"
status=0
(cd "$build" && fuzz "$work" "$corpus" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$build/" "${extra[@]}") >"$log" 2>&1 || status=$?
# libFuzzer's summary: executions, coverage (edges reached), corpus size.
grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" || true
if ((status != 0)); then
    grep -v -E '^#[0-9]+|NEW_FUNC' "$log" | tail -n 60
    echo "fuzz.sh: the fuzzer stopped on a failure (exit $status); input saved as $build/crash-*" >&2
    exit "$status"
fi
if ((merge)); then
    banner "merging new inputs into tests/fuzz/corpus"
    (cd "$build" && fuzz -merge=1 "$corpus" "$work") 2>&1 | grep -E 'MERGE-OUTER: [0-9]+ new files' || true
fi
echo "fuzz.sh: no crash, sanitizer report or disagreement with the reference in ${seconds}s"
