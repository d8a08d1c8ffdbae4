#!/usr/bin/env bash
# clang-format over every tracked C and C++ file, with the repository's .clang-format.
#   bash scripts/format.sh           formats them in place
#   bash scripts/format.sh --check   changes nothing; fails, naming the files, if any differs
# clang-format is pinned (the style moves between versions) and comes from PyPI into
# .venv-format: Debian's clang-format-16 splits short lambdas that hold a braced initializer
# (`[](V v) { return V{v.x}; }`) over three lines, which version 19 does not.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

VERSION=19.1.7
VENV="$PYOWNED_ROOT/.venv-format"
ensure_venv "$VENV" python3
if [[ "$("$VENV/bin/clang-format" --version 2>/dev/null)" != *"version $VERSION"* ]]; then
    echo "format: pip-installing clang-format==$VERSION into $VENV" >&2
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "clang-format==$VERSION"
fi

cd "$PYOWNED_ROOT"
mapfile -t files < <(git ls-files '*.h' '*.hpp' '*.c' '*.cpp')
if [[ ${1:-} == --check ]]; then
    log="$(mktemp)"
    trap 'rm -f "$log"' EXIT
    if ! "$VENV/bin/clang-format" --dry-run -Werror "${files[@]}" 2>"$log"; then
        grep -o '^[^:]*:[0-9]*:[0-9]*: error' "$log" | cut -d: -f1 | sort | uniq -c >&2
        echo "format: the files above differ from clang-format $VERSION's output; run: bash scripts/format.sh" >&2
        exit 1
    fi
    echo "format: ${#files[@]} files as clang-format $VERSION formats them"
else
    "$VENV/bin/clang-format" -i "${files[@]}"
    echo "format: ${#files[@]} files formatted"
fi
