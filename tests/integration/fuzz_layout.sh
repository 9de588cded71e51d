#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Every parser has what continuous fuzzing needs: each fuzz/fuzz_<t>.c has a
# non-empty seed folder corpus/<t>/ with no seed over 1 MiB (cut large real
# samples down), a dictionary fuzz/<t>.dict of valid libFuzzer entries, and
# fuzz/<t>.options with a [libfuzzer] max_len no seed exceeds; every file in
# parsers/ and readers/ is aimed at by some target (named in the map below
# or by its own name), and the OSS-Fuzz build script packages all three.
set -e
. "$(dirname "$0")/../lib.sh"
cd "$OD_SRC"
n=0
for src in fuzz/fuzz_*.c; do
	t=${src#fuzz/fuzz_}; t=${t%.c}; n=$((n + 1))
	check "$t: seed folder corpus/$t has files" sh -c "ls corpus/$t/* >/dev/null 2>&1"
	big=$(find "corpus/$t" -type f -size +1024k 2>/dev/null | head -1)
	check "$t: no seed over 1 MiB (${big:-none})" test -z "$big"
	check "$t: dictionary fuzz/$t.dict" test -s "fuzz/$t.dict"
	# libFuzzer dictionary lines: comments, blanks, or [name=]"..." entries.
	bad=$(grep -Ev '^[[:space:]]*(#.*)?$|^[A-Za-z0-9_]*=?"([^"\\]|\\.)*"[[:space:]]*$' "fuzz/$t.dict" 2>/dev/null | head -1 || true)
	check "$t: every dictionary line is a valid entry (${bad:-ok})" test -z "$bad"
	check "$t: options fuzz/$t.options has a [libfuzzer] section" grep -q '^\[libfuzzer\]' "fuzz/$t.options"
	ml=$(sed -n 's/^max_len *= *//p' "fuzz/$t.options" 2>/dev/null || true)
	largest=$(find "corpus/$t" -type f -printf '%s\n' 2>/dev/null | sort -n | tail -1)
	check "$t: max_len ${ml:-unset} >= its largest seed (${largest:-0})" test "${ml:-0}" -ge "${largest:-0}"
done
check "at least 19 fuzz targets (found $n)" test "$n" -ge 19
# Parsers without a target of their own are reached through one named here.
declare -A via=([reader]=all [layout]=all [walk]=all [registry]=scan [amlscan]=aml [section]=ffs
	[zlib]=gzip [libvirt]=libvirt [unread]=scan [eltorito]=archive)
for p in parsers/*.c readers/*.c; do
	b=$(basename "$p" .c)
	t=${via[$b]:-$b}
	[ "$t" = all ] && continue
	check "$p is fuzzed (by fuzz_$t)" test -f "fuzz/fuzz_$t.c"
done
for w in '_seed_corpus.zip' '.dict' '.options'; do
	check "oss-fuzz/build.sh packages $w" grep -qF -- "$w" oss-fuzz/build.sh
done
finish
