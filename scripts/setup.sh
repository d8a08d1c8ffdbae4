#!/usr/bin/env bash
# Installs what pyowned's builds and tests need: system packages and a .venv with pytest.
# Idempotent: does nothing (and needs no network) when everything is already there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# libclang-rt-16-dev: clang-16's sanitizer runtimes and ignorelists, which any clang
# -fsanitize build needs (the fuzz stage's module; ThreadSanitizer: build-python.sh 3.13t-tsan).
# libpython3.11: Debian's own, which the valgrind stage's embedding suites load.
APT_PACKAGES=(cmake ninja-build g++ libgtest-dev clang-16 libclang-rt-16-dev python3.11-dbg python3.11-venv
              libpython3.11 valgrind)
PIP_PACKAGES=(pytest mypy)  # mypy: the stub tests (stubtest, mypy --strict)
VENV="$PYOWNED_ROOT/.venv"

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    if ! dpkg -s "$pkg" >/dev/null 2>&1; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]})); then
    echo "setup: installing system packages: ${missing[*]}"
    sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
        sudo=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
else
    echo "setup: system packages present: ${APT_PACKAGES[*]}"
fi

ensure_venv "$VENV" "$(python_executable)" "${PIP_PACKAGES[@]}"
echo "setup: $VENV ready ($("$VENV/bin/python" --version 2>&1))"
