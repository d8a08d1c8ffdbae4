#!/usr/bin/env bash
# pyowned's whole test suite, as CI runs it. Stops at the first failing stage.
#
# Stages, in order (select some with PYOWNED_STAGES="release clang ..."; default all):
#   release    GCC -O2, CPython 3.11: C++ suite, must-not-compile tests, examples, pytest suite
#   clang      clang++-16, Debug (assertions on), warnings as errors, on CPython 3.13 (the newest
#              other CPython): the same
#   sanitize   GCC Debug with AddressSanitizer + UndefinedBehaviorSanitizer, on CPython 3.10 (the
#              oldest supported): C++ and pytest suites
#   pydebug    the debug interpreter (python3.11-dbg): C++ suite with the reference-leak check
#              (PYOWNED_LEAK_CHECK=1) and the pytest suite with its sys.gettotalrefcount checks
#   freethreaded  free-threaded CPython 3.13t (built once by scripts/build-python.sh, kept in
#              ~/.cache/pyowned): C++ and pytest suites, then pytest on 8 threads at once
#              (pytest-run-parallel); the GIL must stay off after importing every module
#   tsan       ThreadSanitizer: free-threaded 3.13t built with TSan by clang (scripts/build-python.sh
#              3.13t-tsan) and pyowned's thread tests built with -fsanitize=thread: the C++
#              thread, attach and parallel tests and the pytest tests marked `threads` (only
#              their binaries and modules are built); tests/tsan.supp
#   packaging  install + find_package / add_subdirectory consumers; the pip package (sdist and wheel
#              built, the wheel installed in a fresh environment, examples/pip_project built against it);
#              the formatting check (scripts/format.sh --check) and the documentation site (scripts/docs.sh)
#   abi3       the stable ABI: every test module as an abi3 module (STABLE_ABI; arrays_ext without
#              its def_buffer classes) built once with CPython 3.12, then the pytest suite run on
#              3.12 and on 3.13 (the same files; mypy's stub checks on 3.13); a consumer's
#              STABLE_ABI module built with 3.12, imported by 3.13; the benchmark's quick mode with
#              its pyowned-abi3 peer (bench/abi3.sh); the configure errors for 3.11 and 3.13t
#   valgrind   memcheck over the release build's C++ suites and pytest suite (scripts/valgrind.sh),
#              on Debian's own python3.11 with PYTHONMALLOC=malloc; tests/valgrind.supp
#   fuzz       coverage-guided fuzzing of dispatch and conversions for 120 s (scripts/fuzz.sh):
#              atheris driving tests/fuzz's module built by clang with ASan+UBSan, every result
#              checked against a pure-Python reference (tests/fuzz/reference.py)
#   bench      the benchmark's quick mode (bench/run.sh --quick): every peer built (the
#              registries' nanobind, pybind11, Cython, PyO3 and PyO3 0.20) and checked against
#              bench/cases.py, every measurement run small; a peer that cannot be installed is
#              reported by name and the others still run
# Every ctest run includes the pytest suite (tests python.pytest.*, one per file) for that build's interpreter.
# CPython 3.10 and 3.13 (from /root/.pyenv/versions, or python3.10 / python3.13 on the PATH)
# ride on the sanitize and clang stages rather than getting a build of their own: compiling is
# most of the suite's time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$PYOWNED_ROOT"

ALL_STAGES=(release valgrind freethreaded tsan packaging bench clang abi3 fuzz sanitize pydebug)
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

# venv_python NAME PYTHON [PACKAGE...]: a virtual environment .venv-NAME made with PYTHON, with
# pytest, NumPy and the packages named.
venv_python() {
    ensure_venv "$PYOWNED_ROOT/.venv-$1" "$2" pytest numpy "${@:3}"
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

# other_python VERSION [PACKAGE...]: a virtual environment's interpreter (pytest, NumPy, the
# packages named) made from CPython VERSION: pyenv's newest VERSION.x, else pythonVERSION on the PATH.
other_python() {
    local version=$1 python
    python="$(ls -d /root/.pyenv/versions/"$version".*/bin/python"$version" 2>/dev/null | sort -V | tail -n1 || true)"
    if [[ -z $python ]]; then
        python="$(command -v "python$version" || true)"
    fi
    if [[ -z $python ]]; then
        echo "test.sh: CPython $version is not installed on this machine" >&2
        return 1
    fi
    venv_python "$version" "$python" "${@:2}"
}

stage_clang() {
    local python
    # mypy: the stub tests' type checks run on 3.13 too (the release stage's run them on 3.11),
    # where CPython decides PEP 800's disjoint bases by another rule
    python="$(other_python 3.13 mypy)"
    build_and_ctest clang-py3.13 -DCMAKE_CXX_COMPILER=clang++-16 "${DEBUG_FLAGS[@]}" \
        -DPYOWNED_WERROR=ON -DPython_EXECUTABLE="$python"
}

stage_abi3() {
    local python312 python313 build="$PYOWNED_ROOT/build/abi3" dir features files=() f
    python312="$(other_python 3.12)"
    python313="$(other_python 3.13 mypy)"
    cmake -S "$PYOWNED_ROOT" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=g++ "${RELEASE_FLAGS[@]}" \
        -DPYOWNED_TEST_STABLE_ABI=ON -DPYOWNED_COMPILE_FAIL_TESTS=OFF -DPYOWNED_BUILD_EXAMPLES=OFF \
        -DPython_EXECUTABLE="$python312"
    cmake --build "$build" -j "$JOBS" --target pyowned_pytest_modules
    dir="$(cat "$build/tests/python/ext_dir.txt")"
    features="$(cat "$build/tests/python/ext_features.txt")"
    # every module is an abi3 one: 3.13 must load the very files 3.12 does
    if ls "$dir" | grep -v '\.abi3\.so$' | grep -q '\.so$'; then
        echo "abi3: a module without the .abi3.so suffix in $dir" >&2
        exit 1
    fi
    # every test file but those of modules not built
    for f in "$PYOWNED_ROOT"/tests/python/test_*.py; do
        local stem=${f##*/test_}
        stem=${stem%.py}
        if [[ -e $PYOWNED_ROOT/tests/python/ext/${stem}_ext.cpp && " $features " != *" $stem "* ]]; then continue; fi
        files+=("$f")
    done
    for python in "$python312" "$python313"; do
        banner "abi3 modules (built with 3.12) on $("$python" --version)"
        PYOWNED_EXT_DIR="$dir" PYOWNED_EXT_FEATURES="$features" \
            "$python" -m pytest -q -p no:cacheprovider "${files[@]}"
    done
    banner "a consumer's STABLE_ABI module (add_subdirectory), built with 3.12, imported by 3.13"
    cmake -S "$PYOWNED_ROOT/tests/packaging/stable_abi" -B "$build-consumer" -G Ninja "${RELEASE_FLAGS[@]}" \
        -DPython_EXECUTABLE="$python312"
    cmake --build "$build-consumer" -j "$JOBS" --target pyowned_abi3_mod
    PYTHONPATH="$build-consumer" "$python313" -c '
import pyowned_abi3_mod as m
assert m.__file__.endswith(".abi3.so"), m.__file__
assert m.scale(1.5) == 3.0 and m.scale(x=2.0, factor=0.25) == 0.5
print("pyowned_abi3_mod on 3.13: ok")'
    banner "the benchmark's pyowned-abi3 peer beside capi and pyowned on 3.12 (bench/abi3.sh --quick)"
    bash "$PYOWNED_ROOT/bench/abi3.sh" --quick >/dev/null
    banner "STABLE_ABI refused for interpreters without a 3.12 stable ABI"
    expect_stable_abi_refused "$PYTHON" "the stable ABI needs CPython 3.12 or newer"
    expect_stable_abi_refused "$(bash "$PYOWNED_ROOT/scripts/build-python.sh" 3.13t | tail -n1)" \
        "free-threaded CPython \\(cpython-313t-[^)]*\\) has no stable ABI"
}

# expect_stable_abi_refused PYTHON MESSAGE: configuring tests/packaging/stable_abi for PYTHON
# fails, saying MESSAGE (an extended regular expression).
expect_stable_abi_refused() {
    local log
    log="$(mktemp)"
    rm -rf "$PYOWNED_ROOT/build/abi3-refused"
    if cmake -S "$PYOWNED_ROOT/tests/packaging/stable_abi" -B "$PYOWNED_ROOT/build/abi3-refused" -G Ninja \
        -DPython_EXECUTABLE="$1" >"$log" 2>&1; then
        echo "abi3: configuring a STABLE_ABI module for $1 succeeded" >&2
        exit 1
    fi
    local text  # CMake wraps its messages: one line, single spaces
    text="$(tr -s '\n ' '  ' <"$log")"
    grep -Eq "$2" <<<"$text" || { cat "$log" >&2; echo "abi3: no '$2' in the error for $1" >&2; exit 1; }
    echo "refused for $1: $(grep -Eo "pyowned_add_module[^:]*: .*" <<<"$text" | sed 's/ Call Stack.*//' | head -n1)"
    rm -rf "$log" "$PYOWNED_ROOT/build/abi3-refused"
}

stage_sanitize() {
    local python
    python="$(other_python 3.10)"
    build_and_ctest asan-py3.10 -DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=Debug -DPYOWNED_SANITIZE=ON \
        -DPYOWNED_COMPILE_FAIL_TESTS=OFF -DPYOWNED_BUILD_EXAMPLES=OFF -DPython_EXECUTABLE="$python"
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

# The ThreadSanitizer stage's tests: C++ tests (a ctest regex), and the pytest files holding
# tests marked `threads`, with the modules they import.
TSAN_CPP_TESTS='Thread|^Attach\.|^Parallel\.|^OnceCell\.'
TSAN_PYTEST_FILES=(test_threads test_callbacks test_classes_borrow test_classes_virtual test_arrays test_bad_input)
TSAN_MODULES=(refcount callbacks classes_borrow classes_virtual arrays bad_input)

stage_tsan() {
    local ft python build="$PYOWNED_ROOT/build/tsan" targets=(pyowned_cpp_tests pyowned_lifetime_tests) files=() m
    ft="$(bash "$PYOWNED_ROOT/scripts/build-python.sh" 3.13t-tsan | tail -n1)"
    python="$PYOWNED_ROOT/.venv-3.13t-tsan/bin/python"
    # Its virtual environment has no pip: pip run by the instrumented interpreter takes minutes,
    # so the main environment's pip installs the wheels for that interpreter's tags. Running
    # it needs CPython's own suppressions (build-python.sh puts them in the prefix).
    export TSAN_OPTIONS="suppressions=${ft%/bin/*}/tsan-suppressions.txt"
    if ! "$python" -c 'import pytest, numpy' >/dev/null 2>&1; then
        local version abi site
        rm -rf "$PYOWNED_ROOT/.venv-3.13t-tsan"
        "$ft" -m venv --without-pip "$PYOWNED_ROOT/.venv-3.13t-tsan"
        read -r version abi site < <("$python" -c 'import sys, sysconfig; v = sys.version_info; print(f"{v.major}.{v.minor} cp{v.major}{v.minor}t", sysconfig.get_path("purelib"))')
        "$PYTHON" -m pip install -q --disable-pip-version-check --only-binary=:all: --target "$site" \
            --platform "manylinux2014_$(uname -m)" --implementation cp \
            --python-version "$version" --abi "$abi" pytest numpy
    fi
    unset TSAN_OPTIONS
    for m in "${TSAN_MODULES[@]}"; do targets+=("${m}_ext"); done
    for m in "${TSAN_PYTEST_FILES[@]}"; do files+=("$PYOWNED_ROOT/tests/python/$m.py"); done
    # -O1, as TSan's documentation recommends for speed; -g for file:line in its reports.
    cmake -S "$PYOWNED_ROOT" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-16 \
        -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g" -DPYOWNED_TSAN=ON \
        -DPYOWNED_COMPILE_FAIL_TESTS=OFF -DPYOWNED_BUILD_EXAMPLES=OFF -DPython_EXECUTABLE="$python"
    cmake --build "$build" -j "$JOBS" --target "${targets[@]}"
    ctest --test-dir "$build" -R "$TSAN_CPP_TESTS" --output-on-failure -j "$JOBS" --timeout "$CTEST_TIMEOUT"
    banner "pytest's thread tests under ThreadSanitizer"
    # A tenth of the repetitions (tests/python/repeats.py): TSan reports a race from the
    # happens-before order of the accesses it sees, not from the luck of many tries.
    PYOWNED_TEST_SCALE=0.1 TSAN_OPTIONS="$(sed -n 's/^PYOWNED_TSAN_OPTIONS:INTERNAL=//p' "$build/CMakeCache.txt")" \
        PYOWNED_EXT_DIR="$(cat "$build/tests/python/ext_dir.txt")" PYOWNED_EXT_FEATURES="${TSAN_MODULES[*]}" \
        "$python" -m pytest -q -p no:cacheprovider -m threads "${files[@]}"
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
