#!/usr/bin/env bash
# Usage: scripts/build-python.sh VERSION[t]  (e.g. 3.13t)
# Prints (last line) the path of a CPython built from Debian's source package, building it
# the first time (about 4 minutes on 2 cores) and reusing it from ~/.cache/pyowned after.
# A trailing "t" builds the free-threaded interpreter (--disable-gil).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
want=${1:?usage: build-python.sh VERSION[t]}

# The workspace's shared tool, when the checkout sits beside it, does exactly this.
shared="$PYOWNED_ROOT/../shared/tools/build-python"
if [[ -x $shared ]]; then
    exec "$shared" "$want"
fi

version=${want%t}
flags=(--enable-shared --with-ensurepip=install)
suffix=""
if [[ $want == *t ]]; then flags+=(--disable-gil); suffix=t; fi
prefix="$HOME/.cache/pyowned/python-$want"
exe="$prefix/bin/python$version$suffix"
if [[ -x $exe ]] && "$exe" -c 'import sys' 2>/dev/null; then echo "$exe"; exit 0; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Debian 13 carries CPython 3.13: fetch its source package through this machine's mirror.
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
[[ -n $mirror ]] || mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[[ -n $mirror ]] || { echo "build-python.sh: no Debian mirror in the apt sources" >&2; exit 1; }
mkdir -p "$work/lists/partial" "$work/src"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" >"$work/sources.list"
apt=(apt-get -qq -o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
     -o "Dir::State::Lists=$work/lists" -o "APT::Sandbox::User=root")
"${apt[@]}" update >&2
(cd "$work/src" && "${apt[@]}" source --download-only "python$version" >&2)
tar -xf "$(ls "$work"/src/python"$version"_*.orig.tar.* | head -n1)" -C "$work/src"
src=$(find "$work/src" -maxdepth 1 -type d -name 'Python-*' | head -n1)
echo "build-python.sh: building $(basename "$src") ${flags[*]}" >&2
(cd "$src" && ./configure --prefix="$prefix" "${flags[@]}" LDFLAGS="-Wl,-rpath,$prefix/lib" >"$work/log" 2>&1 &&
    make -j"$(nproc)" >>"$work/log" 2>&1 && make install >>"$work/log" 2>&1) ||
    { tail -n 30 "$work/log" >&2; exit 1; }
echo "$exe"
