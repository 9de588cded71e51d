#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# OSS-Fuzz's libFuzzer+MSan build by hand, without Docker (issue 20): zlib,
# xz and brotli compiled with MSan from source, then oss-fuzz/build.sh with
# OSS-Fuzz's MSan flags, then every target over corpus/<target> and
# corpus/regressions. MSan needs every linked library instrumented, so the
# sources must be given: DEPS_DIR holds zlib-*/, xz-utils-*/ (or xz-*/),
# brotli-*/, bzip2-*/, lz4-*/ and libarchive-*/, e.g. from Debian with
# deb-src enabled:
#   cd DEPS_DIR && apt-get source zlib xz-utils brotli bzip2 lz4 libarchive
# Usage: oss-fuzz/local-msan.sh DEPS_DIR [WORK_DIR]   (exit 1 on any report)
set -euo pipefail
deps=$(cd "${1:?usage: $0 DEPS_DIR [WORK_DIR]}" && pwd)
work=${2:-$(mktemp -d)}
src=$(cd "$(dirname "$0")/.." && pwd)
export CC=clang CXX=clang++
# base-builder: SANITIZER_FLAGS_memory, the common flags, fuzzer-no-link.
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=memory -fsanitize-memory-track-origins=2 -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS" LIB_FUZZING_ENGINE=-fsanitize=fuzzer
mkdir -p "$work/deps" "$work/src" "$work/out" "$work/work"
one() { ls -d "$deps"/$1 2>/dev/null | head -1; }
z=$(one 'zlib-*/') x=$(one 'xz-utils-*/'); x=${x:-$(one 'xz-*/')}
for lib in brotli bzip2 lz4 libarchive; do
	d=$(one "$lib-*/")
	[ -n "$d" ] || { echo "need $lib-*/ under $deps" >&2; exit 2; }
	ln -sfn "$d" "$work/src/$lib" # build.sh builds these itself, with $CFLAGS
done
[ -n "$z" ] && [ -n "$x" ] || { echo "need zlib-* and xz-utils-* under $deps" >&2; exit 2; }
(cd "$z" && ./configure --static --prefix="$work/work/deps" && make -j"$(nproc)" install) >"$work/zlib.log" 2>&1
(cd "$x" && ./configure --disable-shared --disable-xz --disable-xzdec --disable-lzmadec --disable-lzmainfo \
	--disable-scripts --disable-doc --disable-nls --prefix="$work/work/deps" && make -j"$(nproc)" install) >"$work/xz.log" 2>&1
SRC=$work/src OUT=$work/out WORK=$work/work OD_SRC_DIR=$src bash "$src/oss-fuzz/build.sh" >"$work/build.log" 2>&1
# Every library must be the instrumented static one: a shared system copy
# (libarchive < 3.7 builds a shared library it cannot link from non-PIC deps,
# and build.sh then falls back to the system's) gives false reports.
if ldd "$work/out/fuzz_scan" | grep -E 'lib(archive|lz4|bz2|brotli|lzma|z)\.so'; then
	echo "an uninstrumented shared library is linked (above): link $work/work/libarchive/libarchive/libarchive.a instead" >&2
	exit 2
fi
bad=0
for t in "$work"/out/fuzz_*; do
	case $t in *.*) continue ;; esac
	name=${t##*/fuzz_}
	if "$t" -runs=0 "$src/corpus/$name" "$src/corpus/regressions" >"$work/run-$name.log" 2>&1; then
		echo "$name: clean"
	else
		bad=$((bad + 1)); echo "$name: REPORT (see $work/run-$name.log)"
	fi
done
echo "MSan: $bad targets with reports; logs in $work"
[ "$bad" -eq 0 ]
