#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# oss-fuzz/build.sh (which .clusterfuzzlite/build.sh runs too) proved the way
# OSS-Fuzz calls it, minus Docker: $CC $CFLAGS $LIB_FUZZING_ENGINE $SRC $OUT
# $WORK set, into a temporary $OUT. Every fuzz/fuzz_<t>.c must come out as an
# executable with <t>'s seeds zipped, its dictionary and its options, and
# each built target must run its own seed corpus cleanly.
set -e
. "$(dirname "$0")/../lib.sh"
command -v clang >/dev/null && command -v clang++ >/dev/null || skip "clang/clang++ absent (scripts/deps.sh installs clang)"
command -v zip >/dev/null && command -v unzip >/dev/null || skip "zip/unzip absent"
# Reproducible, OSS-Fuzz-correct build files (issue 20): every clone pinned to
# a tag, the C++ link line with $CXXFLAGS, MSan in the batch workflow.
for df in "$OD_SRC/oss-fuzz/Dockerfile" "$OD_SRC/.clusterfuzzlite/Dockerfile"; do
	check "$df: every git clone pinned to a tag" test "$(grep -c 'git clone' "$df")" -eq "$(grep -c 'git clone --depth 1 --branch [A-Za-z0-9._-]*[0-9]' "$df")"
done
check "build.sh links with \$CXXFLAGS" grep -q '\$CXX \$CXXFLAGS \$LIB_FUZZING_ENGINE' "$OD_SRC/oss-fuzz/build.sh"
check "build.sh never links with \$CFLAGS" test "$(grep -c '\$CXX \$CFLAGS' "$OD_SRC/oss-fuzz/build.sh")" -eq 0
check "batch workflow runs MSan" grep -q 'sanitizer: \[address, undefined, memory\]' "$OD_SRC/.github/workflows/cflite_batch.yml"
mkdir -p "$TMP/src" "$TMP/out" "$TMP/work"
set +e
CC=clang CXX=clang++ CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize=fuzzer-no-link" \
	LIB_FUZZING_ENGINE=-fsanitize=fuzzer SRC=$TMP/src OUT=$TMP/out WORK=$TMP/work OD_SRC_DIR=$OD_SRC \
	bash "$OD_SRC/oss-fuzz/build.sh" >"$TMP/build.log" 2>&1
rc=$?
set -e
check "build.sh succeeds (exit $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || tail -20 "$TMP/build.log" >&2
n=0
for src in "$OD_SRC"/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c); t=${name#fuzz_}; n=$((n + 1))
	check "$name built" test -x "$TMP/out/$name"
	check "$name.dict packaged" cmp -s "$OD_SRC/fuzz/$t.dict" "$TMP/out/$name.dict"
	check "$name.options packaged" cmp -s "$OD_SRC/fuzz/$t.options" "$TMP/out/$name.options"
	seeds=$(ls "$OD_SRC/corpus/$t" | wc -l)
	zipped=$(unzip -Z1 "$TMP/out/${name}_seed_corpus.zip" 2>/dev/null | wc -l)
	check "${name}_seed_corpus.zip holds its $seeds seeds ($zipped)" test "$seeds" -eq "$zipped"
	rm -rf "$TMP/seeds"; mkdir "$TMP/seeds"
	unzip -q "$TMP/out/${name}_seed_corpus.zip" -d "$TMP/seeds" 2>/dev/null || true
	set +e
	"$TMP/out/$name" -runs=0 "$TMP/seeds" >"$TMP/run.log" 2>&1
	rc=$?
	set -e
	check "$name runs its seed corpus cleanly (exit $rc)" test "$rc" -eq 0
	[ "$rc" -eq 0 ] || tail -5 "$TMP/run.log" >&2
done
check "build.sh reports all $n targets" grep -q "built $n fuzz targets" "$TMP/build.log"
finish
