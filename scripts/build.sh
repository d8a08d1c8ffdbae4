#!/usr/bin/env bash
# Usage: scripts/build.sh NAME [cmake args...]
# Configures build/NAME with Ninja (passing the cmake args) and builds it with -j2.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if (($# < 1)) || [[ $1 == -* ]]; then
    echo "usage: $0 NAME [cmake args...]" >&2
    exit 2
fi
name=$1
shift
dir="$PYOWNED_ROOT/build/$name"

cmake -S "$PYOWNED_ROOT" -B "$dir" -G Ninja "$@"
cmake --build "$dir" -j2
