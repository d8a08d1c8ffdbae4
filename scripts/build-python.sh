#!/usr/bin/env bash
# Usage: scripts/build-python.sh VERSION[t][-tsan]  (e.g. 3.13t, 3.13t-tsan)
# Prints (last line) the path of a CPython built from Debian's source package, building it
# the first time and reusing it from ~/.cache/pyowned after (the prefix the workspace's
# ../shared/tools/build-python uses too: either's build serves both). A trailing "t" builds
# the free-threaded interpreter (--disable-gil). A "-tsan" suffix builds it with
# ThreadSanitizer (--with-thread-sanitizer, by clang-16) and copies CPython's own TSan
# suppressions (Tools/tsan/) to PREFIX/tsan-suppressions.txt.
# Cold, on 2 cores (2026-12-04): the TSan build about 4.5 minutes (configure 1, make 2.3,
# install 1.1).
# Only what the tests need is built: no test modules (pyowned's tests use none), no pip in
# the prefix (a virtual environment gets its own from the bundled wheel), and the library is
# not byte-compiled by `make install` (three optimization levels of the whole library, with
# the new and for TSan instrumented interpreter: 1.5 minutes of the TSan build); a module is
# compiled when first imported instead.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
want=${1:?usage: build-python.sh VERSION[t][-tsan]}
base=${want%-tsan}

version=${base%t}
flags=(--enable-shared --without-ensurepip --disable-test-modules)
suffix=""
supp=Tools/tsan/suppressions.txt
if [[ $base == *t ]]; then
    flags+=(--disable-gil)
    suffix=t
    supp=Tools/tsan/suppressions_free_threading.txt
fi
tools=()
if [[ $want != "$base" ]]; then
    # clang, as CPython's own TSan CI builds: its runtime is linked statically into the
    # python executable (libpython and extension modules resolve __tsan_* from there), so
    # whatever is loaded into that process must be compiled by clang too, never GCC, whose
    # libtsan.so would be a second runtime. Debian's libclang-rt-16-dev holds the runtime.
    flags+=(--with-thread-sanitizer)
    tools=(CC=clang-16 CXX=clang++-16)
fi
prefix="$HOME/.cache/pyowned/python-$want"
exe="$prefix/bin/python$version$suffix"
# A TSan build's run reads its suppressions (CPython's own races) from the prefix.
if [[ $want != "$base" ]]; then export TSAN_OPTIONS="suppressions=$prefix/tsan-suppressions.txt"; fi
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
if [[ $want != "$base" ]]; then
    # The build runs the new interpreter (its extension modules checked): with
    # CPython's suppressions from the source tree until they are installed in the prefix.
    export TSAN_OPTIONS="suppressions=$src/$supp"
fi
echo "build-python.sh: building $(basename "$src") ${flags[*]} ${tools[*]}" >&2
(cd "$src" && ./configure --prefix="$prefix" "${flags[@]}" "${tools[@]}" LDFLAGS="-Wl,-rpath,$prefix/lib" >"$work/log" 2>&1 &&
    make -j"$(nproc)" >>"$work/log" 2>&1 &&
    # install's recipes run the new interpreter ($(PYTHON_FOR_BUILD)) only to byte-compile the
    # library and for ensurepip (not configured): `true` skips the byte-compiling
    make install PYTHON_FOR_BUILD=true >>"$work/log" 2>&1) ||
    { tail -n 30 "$work/log" >&2; exit 1; }
if [[ $want != "$base" ]]; then cp "$src/$supp" "$prefix/tsan-suppressions.txt"; fi
echo "$exe"
