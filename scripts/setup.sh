#!/usr/bin/env bash
# Installs what pyowned's builds and tests need: system packages and a .venv with pytest.
# Idempotent: does nothing (and needs no network) when everything is already there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

APT_PACKAGES=(cmake ninja-build g++ libgtest-dev clang-16 python3.11-dbg valgrind)
PIP_PACKAGES=(pytest)
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

# A venv whose interpreter no longer runs (python3 was upgraded or removed) is rebuilt.
if [[ -x "$VENV/bin/python" ]] && ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    echo "setup: $VENV is broken; recreating it"
    rm -rf "$VENV"
fi
if [[ ! -x "$VENV/bin/python" ]]; then
    echo "setup: creating $VENV with $(python_executable)"
    python3 -m venv "$VENV"
fi

need_pip=()
for pkg in "${PIP_PACKAGES[@]}"; do
    if ! "$VENV/bin/python" -c "import $pkg" >/dev/null 2>&1; then
        need_pip+=("$pkg")
    fi
done
if ((${#need_pip[@]})); then
    echo "setup: pip-installing into .venv: ${need_pip[*]}"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "${need_pip[@]}"
else
    echo "setup: .venv has ${PIP_PACKAGES[*]}"
fi
