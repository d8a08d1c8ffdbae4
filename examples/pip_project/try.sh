#!/usr/bin/env bash
# Builds pyowned's Python package and this example the way a user would, in throwaway virtual
# environments in a temporary directory:
#   1. pyowned's sdist and wheel with `python -m build` (the wheel built from the sdist);
#   2. a fresh environment with the wheel installed and no source tree in reach:
#      `python -m pyowned` checked (--version, --cmake_dir, --include_dir, a bad option);
#   3. `pip install .` of this project into it, its build requirements (scikit-build-core,
#      pyowned) from a local directory only, then the module imported and checked.
#
#     ./try.sh                      # with python3
#     PYTHON=python3.12 ./try.sh    # with another interpreter
#
# pip fetches build and scikit-build-core (and CMake or Ninja if the system's are missing or
# too old) from the package index. Exits non-zero on any failure; the temporary directory is
# removed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"
work="$(mktemp -d "${TMPDIR:-/tmp}/pyowned-pip-example.XXXXXX")"
trap 'rm -rf "$work"' EXIT
start=$SECONDS
pip_args=(--disable-pip-version-check --no-cache-dir --quiet)

step() { printf '\n== [%3ds] %s\n' "$((SECONDS - start))" "$*"; }
fail() { echo "try.sh: $*" >&2; exit 1; }
venv_python() {  # venv_python DIR: the interpreter of the virtual environment in DIR
    if [ -x "$1/bin/python" ]; then echo "$1/bin/python"; else echo "$1/Scripts/python.exe"; fi
}

step "pyowned's sdist and wheel: python -m build $repo"
"$python" -m venv "$work/build-env"
build_python="$(venv_python "$work/build-env")"
"$build_python" -m pip install "${pip_args[@]}" build
"$build_python" -m build --outdir "$work/dist" "$repo" >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "python -m build failed"; }
ls "$work/dist"
wheel=("$work"/dist/pyowned-*-py3-none-any.whl)
[ -f "${wheel[0]}" ] || fail "no py3-none-any wheel in $work/dist"
[ -f "$(ls "$work"/dist/pyowned-*.tar.gz)" ] || fail "no sdist in $work/dist"
version="$(sed -n 's/^#define PYOWNED_VERSION "\(.*\)"$/\1/p' "$repo/include/pyowned/version.h")"
grep -q "^## \[$version\]" "$repo/CHANGELOG.md" || fail "CHANGELOG.md has no section for $version, the version.h version"

step "a fresh environment with $python ($(command -v "$python" || echo "not found")), the wheel installed"
"$python" -m venv "$work/venv"
py="$(venv_python "$work/venv")"
"$py" -c 'import sys; print("Python", sys.version.split()[0], "at", sys.executable)'
"$py" -m pip install "${pip_args[@]}" "${wheel[0]}"
cd "$work"  # no source tree in reach: only the installed package can be imported

step "python -m pyowned"
[ "$("$py" -m pyowned --version)" = "$version" ] || fail "python -m pyowned --version is not $version"
cmake_dir="$("$py" -m pyowned --cmake_dir)"
include_dir="$("$py" -m pyowned --include_dir)"
[ -f "$cmake_dir/pyownedConfig.cmake" ] || fail "no pyownedConfig.cmake in $cmake_dir"
[ -f "$include_dir/pyowned/pyowned.h" ] || fail "no pyowned/pyowned.h in $include_dir"
case "$cmake_dir" in "$work/venv"/*) ;; *) fail "$cmake_dir is not in the fresh environment" ;; esac
if "$py" -m pyowned --no-such-option 2>"$work/usage.txt"; then fail "an unknown option did not fail"; fi
"$py" -m pyowned --no-such-option 2>/dev/null || [ $? -eq 2 ] || fail "an unknown option did not exit with 2"
grep -q "^usage: python -m pyowned" "$work/usage.txt" || fail "an unknown option printed no usage"
echo "version $version, cmake_dir $cmake_dir, include_dir $include_dir"

step "pip install $here, its build requirements from $work/wheels only"
"$py" -m pip download "${pip_args[@]}" --dest "$work/wheels" scikit-build-core
cp "${wheel[0]}" "$work/wheels/"
"$py" -m pip install "${pip_args[@]}" --no-index --find-links "$work/wheels" "$here"

step "importing hello (from $work, so only the installed module can be found)"
"$py" - <<'PY'
import inspect
import hello

assert hello.greet("x") == "Hello, x!", hello.greet("x")
assert hello.greet("x", punctuation="?") == "Hello, x?"
assert hello.add(2) == 3 and hello.add(2, 5) == 7 and hello.add(a=-1, b=-2) == -3
assert str(inspect.signature(hello.greet)) == "(name, *, punctuation='!')", inspect.signature(hello.greet)
assert str(inspect.signature(hello.add)) == "(a, b=1)", inspect.signature(hello.add)
for call, error, message in [
    (lambda: hello.greet(""), ValueError, "greet() name must not be empty"),
    (lambda: hello.greet(1), TypeError, "greet() argument 'name' must be str, not int"),
    (lambda: hello.add(2**62, 2**62), OverflowError, "add() result does not fit in 64 bits"),
]:
    try:
        call()
    except error as e:
        assert str(e) == message, str(e)
    else:
        raise AssertionError(f"no {error.__name__}")

print("installed at", hello.__file__)
print("hello.greet('pip') ->", repr(hello.greet("pip")))
print("hello.add(40, 2)   ->", hello.add(40, 2))
print("signatures:", "greet" + str(inspect.signature(hello.greet)), "add" + str(inspect.signature(hello.add)))
PY

step "hello.pyi: the typed stubs the build wrote (pyowned_add_module STUBS), installed beside the module"
"$py" - <<'PY'
import pathlib
import hello

text = pathlib.Path(hello.__file__).with_name("hello.pyi").read_text()
for line in ("def greet(name: str, *, punctuation: str = '!') -> str:", "def add(a: int, b: int = 1) -> int:"):
    assert line in text, f"{line!r} not in hello.pyi:\n{text}"
print(text)
PY

step "ok: pyowned packaged, installed, found, and the example built and imported in $((SECONDS - start)) s"
