#!/usr/bin/env bash
# pyowned's whole test suite, as CI runs it. Stops at the first failing stage.
#
# Stages, in order (select some with PYOWNED_STAGES="release clang ..."; default all):
#   release    GCC, RelWithDebInfo (-O2, NDEBUG) + ctest
#   debug      GCC, Debug (assertions on, so the debug attachment checks run) + ctest
#   clang      clang++-16, Debug, warnings as errors + ctest
#   sanitize   GCC, AddressSanitizer + UndefinedBehaviorSanitizer + ctest
#   pydebug    GCC against the debug interpreter (python3.11-dbg) + ctest with
#              PYOWNED_LEAK_CHECK=1 (each test is repeated to check sys.gettotalrefcount)
#   packaging  install + find_package / add_subdirectory consumer projects
#   pytest     pytest over tests/python (against the release build's extension modules)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$PYOWNED_ROOT"

ALL_STAGES=(release debug clang sanitize pydebug packaging pytest)
read -r -a STAGES <<<"${PYOWNED_STAGES:-${ALL_STAGES[*]}}"
for s in "${STAGES[@]}"; do
    if [[ " ${ALL_STAGES[*]} " != *" $s "* ]]; then
        echo "test.sh: unknown stage '$s' in PYOWNED_STAGES; stages: ${ALL_STAGES[*]}" >&2
        exit 2
    fi
done

JOBS=2
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
PYTHON="$(python_executable)"
echo "python: $PYTHON ($("$PYTHON" --version 2>&1))"

# build_and_ctest NAME [cmake args...]: configure + build build/NAME, then run its tests.
build_and_ctest() {
    local name=$1
    shift
    bash "$PYOWNED_ROOT/scripts/build.sh" "$name" "$@"
    ctest --test-dir "$PYOWNED_ROOT/build/$name" --output-on-failure -j "$JOBS" --timeout "$CTEST_TIMEOUT"
}

stage_release() {
    build_and_ctest gcc-release -DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DPython_EXECUTABLE="$PYTHON"
}

stage_debug() {
    build_and_ctest gcc-debug -DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=Debug \
        -DPython_EXECUTABLE="$PYTHON"
}

stage_clang() {
    build_and_ctest clang -DCMAKE_CXX_COMPILER=clang++-16 -DCMAKE_BUILD_TYPE=Debug \
        -DPYOWNED_WERROR=ON -DPython_EXECUTABLE="$PYTHON"
}

stage_sanitize() {
    build_and_ctest asan -DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=Debug -DPYOWNED_SANITIZE=ON \
        -DPython_EXECUTABLE="$PYTHON"
}

stage_pydebug() {
    (
        export PYOWNED_LEAK_CHECK=1
        build_and_ctest pydebug -DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=Debug \
            -DPython_EXECUTABLE="$DEBUG_PYTHON"
    )
}

stage_packaging() {
    bash "$PYOWNED_ROOT/scripts/test-packaging.sh"
}

stage_pytest() {
    local tests_dir="$PYOWNED_ROOT/tests/python"
    if [[ ! -d $tests_dir ]] || [[ -z $(find "$tests_dir" -name 'test_*.py' -print -quit) ]]; then
        echo "no Python tests (tests/python/test_*.py) exist yet; nothing to run"
        return 0
    fi
    # tests/python/CMakeLists.txt builds the extension modules under test in the release
    # build and writes their directory to ext_dir.txt; pytest finds them via PYOWNED_EXT_DIR.
    local build="$PYOWNED_ROOT/build/gcc-release"
    bash "$PYOWNED_ROOT/scripts/build.sh" gcc-release -DCMAKE_CXX_COMPILER=g++ \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPython_EXECUTABLE="$PYTHON"
    local ext_dir_file="$build/tests/python/ext_dir.txt"
    if [[ ! -f $ext_dir_file ]]; then
        echo "test.sh: $ext_dir_file is missing: tests/python/CMakeLists.txt built no modules" >&2
        return 1
    fi
    local ext_dir
    ext_dir="$(<"$ext_dir_file")"
    local rc=0
    # The .venv interpreter is the python3 the modules were built for (setup.sh made it).
    PYOWNED_EXT_DIR="$ext_dir" "$PYOWNED_ROOT/.venv/bin/python" -m pytest -p no:cacheprovider "$tests_dir" || rc=$?
    if ((rc == 5)); then
        echo "pytest collected no tests"
    elif ((rc != 0)); then
        return "$rc"
    fi
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
