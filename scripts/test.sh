#!/usr/bin/env bash
# pyowned's whole test suite, as CI runs it. Stops at the first failing stage.
#
# Stages, in order (select some with PYOWNED_STAGES="release clang ..."; default all):
#   release    GCC -O2, CPython 3.11: C++ suite, must-not-compile tests, examples, pytest suite
#   clang      clang++-16, Debug (assertions on), warnings as errors: the same
#   sanitize   GCC Debug with AddressSanitizer + UndefinedBehaviorSanitizer: C++ and pytest suites
#   pydebug    the debug interpreter (python3.11-dbg): C++ suite with the reference-leak check
#              (PYOWNED_LEAK_CHECK=1) and the pytest suite with its sys.gettotalrefcount checks
#   versions   the oldest and newest other CPythons (3.10, 3.13), Debug: C++ and pytest suites
#   freethreaded  free-threaded CPython 3.13t (built once by ../shared/tools/build-python or
#              tools/build-python.sh): C++ and pytest suites, then pytest on 8 threads at once
#              (pytest-run-parallel); the GIL must stay off after importing every module
#   packaging  install + find_package / add_subdirectory consumers; pip install of examples/pip_project
#   valgrind   memcheck over the release build's C++ suites and pytest suite (scripts/valgrind.sh),
#              on Debian's own python3.11 with PYTHONMALLOC=malloc; tests/valgrind.supp
#   fuzz       coverage-guided fuzzing of dispatch and conversions for 120 s (scripts/fuzz.sh):
#              atheris driving tests/fuzz's module built by clang with ASan+UBSan, every result
#              checked against a pure-Python reference (tests/fuzz/reference.py)
#   bench      the benchmark's quick mode (bench/run.sh --quick): every peer built (the
#              registries' nanobind, pybind11, Cython, PyO3 and PyO3 0.20) and checked against
#              bench/cases.py, every measurement run small; a peer that cannot be installed is
#              reported by name and the others still run
# Every ctest run includes the pytest suite (test python.pytest) for that build's interpreter.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$PYOWNED_ROOT"

ALL_STAGES=(release valgrind versions freethreaded packaging bench clang fuzz sanitize pydebug)
read -r -a STAGES <<<"${PYOWNED_STAGES:-${ALL_STAGES[*]}}"
for s in "${STAGES[@]}"; do
    if [[ " ${ALL_STAGES[*]} " != *" $s "* ]]; then
        echo "test.sh: unknown stage '$s' in PYOWNED_STAGES; stages: ${ALL_STAGES[*]}" >&2
        exit 2
    fi
done

JOBS=2
# Compile time is most of the suite's time, and debug information is a third of it at -O2 (a
# sixth at -O0): only the sanitizer stage, whose reports want file and line, builds with -g.
RELEASE_FLAGS=(-DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG")
DEBUG_FLAGS=(-DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O0)
CTEST_TIMEOUT=600
DEBUG_PYTHON=/usr/bin/python3.11-dbg

current_stage=""
summary=()
on_exit() {
    local rc=$?
    if ((rc != 0)) && [[ -n $current_stage ]]; then
        printf '\n==== FAILED: stage %s (exit %d) ====\n' "$current_stage" "$rc" >&2
    fi
}
trap on_exit EXIT

banner "setup"
bash "$PYOWNED_ROOT/scripts/setup.sh"
PYTHON="$PYOWNED_ROOT/.venv/bin/python"
ensure_venv "$PYOWNED_ROOT/.venv" "$PYTHON" numpy  # the array tests' (pyowned itself needs no NumPy)
echo "python: $PYTHON ($("$PYTHON" --version 2>&1))"

# build_and_ctest NAME [cmake args...]: configure + build build/NAME, then run its tests.
build_and_ctest() {
    local name=$1
    shift
    bash "$PYOWNED_ROOT/scripts/build.sh" "$name" "$@"
    ctest --test-dir "$PYOWNED_ROOT/build/$name" --output-on-failure -j "$JOBS" --timeout "$CTEST_TIMEOUT"
}

# venv_python NAME PYTHON: a virtual environment .venv-NAME made with PYTHON, with pytest.
venv_python() {
    ensure_venv "$PYOWNED_ROOT/.venv-$1" "$2" pytest numpy
    echo "$PYOWNED_ROOT/.venv-$1/bin/python"
}

stage_release() {
    build_and_ctest gcc-release -DCMAKE_CXX_COMPILER=g++ "${RELEASE_FLAGS[@]}" \
        -DPython_EXECUTABLE="$PYTHON"
}

# The release stage's build (built here when that stage did not run: the same flags, so
# nothing is rebuilt when it did).
stage_valgrind() {
    bash "$PYOWNED_ROOT/scripts/build.sh" gcc-release -DCMAKE_CXX_COMPILER=g++ "${RELEASE_FLAGS[@]}" \
        -DPython_EXECUTABLE="$PYTHON"
    bash "$PYOWNED_ROOT/scripts/valgrind.sh" "$PYOWNED_ROOT/build/gcc-release"
}

stage_fuzz() {
    bash "$PYOWNED_ROOT/scripts/fuzz.sh" --time 120
}

stage_clang() {
    build_and_ctest clang -DCMAKE_CXX_COMPILER=clang++-16 "${DEBUG_FLAGS[@]}" \
        -DPYOWNED_WERROR=ON -DPython_EXECUTABLE="$PYTHON"
}

stage_sanitize() {
    build_and_ctest asan -DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=Debug -DPYOWNED_SANITIZE=ON \
        -DPYOWNED_COMPILE_FAIL_TESTS=OFF -DPYOWNED_BUILD_EXAMPLES=OFF -DPython_EXECUTABLE="$PYTHON"
}

stage_pydebug() {
    local python
    python="$(venv_python dbg "$DEBUG_PYTHON")"
    (
        export PYOWNED_LEAK_CHECK=1
        build_and_ctest pydebug -DCMAKE_CXX_COMPILER=g++ "${DEBUG_FLAGS[@]}" \
            -DPYOWNED_COMPILE_FAIL_TESTS=OFF -DPYOWNED_BUILD_EXAMPLES=OFF -DPython_EXECUTABLE="$python"
    )
}

stage_versions() {
    local version python
    for version in 3.10 3.13; do
        python="$(ls -d /root/.pyenv/versions/"$version".*/bin/python"$version" 2>/dev/null | sort -V | tail -n1 || true)"
        if [[ -z $python ]]; then
            python="$(command -v "python$version" || true)"
        fi
        if [[ -z $python ]]; then
            echo "versions: CPython $version is not installed on this machine" >&2
            return 1
        fi
        banner "CPython $version: $python"
        build_and_ctest "py$version" -DCMAKE_CXX_COMPILER=g++ "${DEBUG_FLAGS[@]}" \
            -DPYOWNED_COMPILE_FAIL_TESTS=OFF -DPYOWNED_BUILD_EXAMPLES=OFF \
            -DPython_EXECUTABLE="$(venv_python "$version" "$python")"
    done
}

stage_freethreaded() {
    local ft python build="$PYOWNED_ROOT/build/freethreaded"
    ft="$(bash "$PYOWNED_ROOT/scripts/build-python.sh" 3.13t | tail -n1)"
    ensure_venv "$PYOWNED_ROOT/.venv-3.13t" "$ft" pytest pytest-run-parallel numpy
    python="$PYOWNED_ROOT/.venv-3.13t/bin/python"
    "$python" -c 'import sys, sysconfig; assert sysconfig.get_config_var("Py_GIL_DISABLED"), sys.version'
    # Debug: GCC 12 at -O2 reports false -Wstringop-overflow positives inside CPython 3.13t's
    # own atomics header (pyatomic_gcc.h), which -Werror would turn into errors.
    build_and_ctest freethreaded -DCMAKE_CXX_COMPILER=g++ "${DEBUG_FLAGS[@]}" \
        -DPYOWNED_COMPILE_FAIL_TESTS=OFF -DPYOWNED_BUILD_EXAMPLES=OFF -DPython_EXECUTABLE="$python"
    banner "pytest on 8 threads at once (pytest-run-parallel)"
    PYOWNED_EXT_DIR="$(cat "$build/tests/python/ext_dir.txt")" \
        "$python" -m pytest -q -p no:cacheprovider --parallel-threads=8 "$PYOWNED_ROOT/tests/python"
}

stage_packaging() {
    bash "$PYOWNED_ROOT/scripts/test-packaging.sh"
    PYTHON="$PYTHON" bash "$PYOWNED_ROOT/examples/pip_project/try.sh"
}

stage_bench() {
    bash "$PYOWNED_ROOT/bench/run.sh" --quick
}

total_start=$SECONDS
for stage in "${STAGES[@]}"; do
    current_stage=$stage
    banner "stage: $stage"
    start=$SECONDS
    "stage_$stage"
    elapsed=$((SECONDS - start))
    summary+=("$(printf '%-10s %4ds' "$stage" "$elapsed")")
    banner "stage $stage passed in ${elapsed}s"
done
current_stage=""

banner "all stages passed in $((SECONDS - total_start))s"
printf '  %s\n' "${summary[@]}"
