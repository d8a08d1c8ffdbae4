#!/usr/bin/env bash
# Builds pyowned's examples (examples/) in build/examples and runs them:
# the embedding host examples/embed/json_stats on examples/embed/data/sample.json, then
# any tests examples/CMakeLists.txt registers with ctest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$PYOWNED_ROOT"

if [[ ! -f examples/CMakeLists.txt ]]; then
    echo "example.sh: examples/CMakeLists.txt does not exist yet; there are no examples to build" >&2
    exit 1
fi

banner "setup"
bash scripts/setup.sh
PYTHON="$(python_executable)"

banner "build examples"
bash scripts/build.sh examples -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPYOWNED_BUILD_TESTS=OFF \
    -DPYOWNED_BUILD_EXAMPLES=ON -DPython_EXECUTABLE="$PYTHON"

banner "run json_stats"
json_stats="$(find build/examples -type f -name json_stats -perm -u+x -print -quit)"
if [[ -z $json_stats ]]; then
    echo "example.sh: the build produced no json_stats program" >&2
    exit 1
fi
"$json_stats" "$PYOWNED_ROOT/examples/embed/data/sample.json"

example_tests="$(ctest --test-dir build/examples -N | sed -n 's/^Total Tests: *//p')"
if ((${example_tests:-0} > 0)); then
    banner "example tests"
    ctest --test-dir build/examples --output-on-failure -j2
fi
banner "examples passed"
