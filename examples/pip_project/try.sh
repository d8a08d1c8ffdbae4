#!/usr/bin/env bash
# Builds and installs this example the way a user would, `pip install .`, into a fresh
# virtual environment in a temporary directory, then imports the module and checks it.
#
#     ./try.sh                      # with python3
#     PYTHON=python3.12 ./try.sh    # with another interpreter
#
# pip fetches scikit-build-core (and CMake or Ninja if the system's are missing or too old)
# from PyPI for the build. Exits non-zero on any failure; the temporary directory is removed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python3}"
work="$(mktemp -d "${TMPDIR:-/tmp}/pyowned-pip-example.XXXXXX")"
trap 'rm -rf "$work"' EXIT
start=$SECONDS

step() { printf '\n== [%3ds] %s\n' "$((SECONDS - start))" "$*"; }

step "creating a virtual environment with $python ($(command -v "$python" || echo "not found")) in $work/venv"
"$python" -m venv "$work/venv"
if [ -x "$work/venv/bin/python" ]; then
    venv_python="$work/venv/bin/python"
else
    venv_python="$work/venv/Scripts/python.exe"  # Windows layout
fi
"$venv_python" -c 'import sys; print("Python", sys.version.split()[0], "at", sys.executable)'

step "pip install $here"
"$venv_python" -m pip install --disable-pip-version-check --no-cache-dir "$here"

step "importing hello (from $work, so only the installed module can be found)"
cd "$work"
"$venv_python" - <<'EOF'
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
EOF

step "ok: built, installed and imported in $((SECONDS - start)) s"
