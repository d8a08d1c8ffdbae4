#!/usr/bin/env bash
# Packaging tests: installs pyowned into a temporary prefix, then builds and runs two
# consumer projects (tests/packaging/find_package and tests/packaging/add_subdirectory),
# each with an embedding program and an extension module made by pyowned_add_module; then
# checks the formatting (scripts/format.sh --check) and builds the documentation site
# (scripts/docs.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PYTHON="${PYTHON:-$(python_executable)}"
WORK="$PYOWNED_ROOT/build/packaging"
PACKAGING="$PYOWNED_ROOT/tests/packaging"
PREFIX="$(mktemp -d "${TMPDIR:-/tmp}/pyowned-prefix.XXXXXX")"
trap 'rm -rf "$PREFIX"' EXIT

rm -rf "$WORK"
mkdir -p "$WORK"

# check_consumer BUILD_DIR: runs the program, and imports and calls the two modules built in
# BUILD_DIR: one linked to the compiled core (which the build made), one HEADER_ONLY.
check_consumer() {
    local dir=$1
    "$dir/consumer"
    echo "consumer program: ok"
    [[ -n $(find "$dir" -name 'libpyowned_core.a') ]] || { echo "packaging: no compiled core was built in $dir" >&2; exit 1; }
    for module in pyowned_packaging_mod pyowned_packaging_header_only; do
        PYTHONPATH="$dir" "$PYTHON" - "$module" <<'PY'
import importlib, sys
m = importlib.import_module(sys.argv[1])
assert m.__doc__ == "pyowned packaging test module", m.__doc__
assert m.scale(1.5) == 3.0 and m.scale(x=2.0, factor=0.5) == 1.0
c = m.Counter()
assert c.add(2) == 2 and c.add(k=3) == 5 and c.total == 5
try:
    m.scale("x")
except TypeError as e:
    assert "'x'" in str(e) or "str" in str(e), e
else:
    raise AssertionError("scale('x') did not raise")
PY
        echo "extension module $module: ok"
    done
}

banner "packaging: install pyowned into $PREFIX"
cmake -S "$PYOWNED_ROOT" -B "$WORK/pyowned" -G Ninja -DPYOWNED_BUILD_TESTS=OFF \
    -DCMAKE_INSTALL_PREFIX="$PREFIX" -DPython_EXECUTABLE="$PYTHON"
cmake --build "$WORK/pyowned" -j2
cmake --install "$WORK/pyowned"
for f in include/pyowned/pyowned.h share/cmake/pyowned/pyownedConfig.cmake \
    share/cmake/pyowned/pyownedConfigVersion.cmake share/cmake/pyowned/pyownedTargets.cmake \
    share/cmake/pyowned/pyownedHelpers.cmake; do
    [[ -f $PREFIX/$f ]] || { echo "packaging: $f was not installed" >&2; exit 1; }
done

banner "packaging: each entry header compiles on its own"
# What a consumer may include first: the umbrella headers and each std conversion alone.
PY_INCLUDE="$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')"
headers=(pyowned.h stl.h ndarray.h functional.h)  # the documented entry points
for h in "$PREFIX"/include/pyowned/stl/*.h; do
    [[ $(basename "$h") == common.h ]] || headers+=("stl/$(basename "$h")")
done
printf '%s\n' "${headers[@]}" | xargs -P2 -I{} sh -c \
    'echo "#include <pyowned/{}>" | "${CXX:-c++}" -std=c++20 -fsyntax-only -Werror -x c++ - -I"$0" -I"$1" || { echo "packaging: <pyowned/{}> does not compile alone" >&2; exit 255; }' \
    "$PREFIX/include" "$PY_INCLUDE"
echo "${#headers[@]} headers: ok"

banner "packaging: find_package consumer"
cmake -S "$PACKAGING/find_package" -B "$WORK/find_package" -G Ninja \
    -DCMAKE_PREFIX_PATH="$PREFIX" -DPython_EXECUTABLE="$PYTHON"
cmake --build "$WORK/find_package" -j2
check_consumer "$WORK/find_package"

banner "packaging: add_subdirectory consumer"
cmake -S "$PACKAGING/add_subdirectory" -B "$WORK/add_subdirectory" -G Ninja \
    -DPython_EXECUTABLE="$PYTHON"
targets="$(cmake --build "$WORK/add_subdirectory" --target help)"
if grep -q 'pyowned_cpp_tests' <<<"$targets"; then
    echo "packaging: add_subdirectory(pyowned) defined pyowned's own test target" >&2
    exit 1
fi
if [[ -e $WORK/add_subdirectory/pyowned/tests || -e $WORK/add_subdirectory/pyowned/examples ]]; then
    echo "packaging: add_subdirectory(pyowned) configured pyowned's tests or examples" >&2
    exit 1
fi
echo "add_subdirectory build has none of pyowned's tests or examples: ok"
cmake --build "$WORK/add_subdirectory" -j2
check_consumer "$WORK/add_subdirectory"
# pyowned_add_module(... STUBS) wrote the module's stubs beside it, with the source tree's stubgen
stub="$WORK/add_subdirectory/pyowned_packaging_mod.pyi"
grep -q '^def ' "$stub" || { echo "packaging: no typed stubs in $stub" >&2; exit 1; }
echo "stubs written by STUBS: $stub ($(grep -c '^def ' "$stub") functions)"

# Formatting: every C and C++ file as clang-format (pinned, from PyPI) formats it with the
# repository's .clang-format.
banner "packaging: formatting"
bash "$PYOWNED_ROOT/scripts/format.sh" --check

# The documentation site: scripts/docs.sh makes .venv-docs with mkdocs-material the first
# time, then builds docs/ with --strict, so a broken link or anchor, a page missing from
# the nav or a missing included file fails the stage.
banner "packaging: documentation site"
bash "$PYOWNED_ROOT/scripts/docs.sh"

banner "packaging: passed"
