#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# fuzz/run-all proved on a target with a planted bug: a libFuzzer target that
# traps on inputs starting "OD!" must make run-all fail, and the finding must
# land minimised in the regressions folder, where it still crashes the target
# (what fuzz_replay/* then replays on every build); a clean run of the same
# target with the bug fixed replays that folder and writes one ledger line.
set -e
. "$(dirname "$0")/../lib.sh"
command -v clang >/dev/null || skip "clang absent (scripts/deps.sh installs it)"
mkdir -p "$TMP/build/fuzz" "$TMP/reg"
cat >"$TMP/boom.c" <<'C'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
#ifndef FIXED
	if (n >= 3 && d[0] == 'O' && d[1] == 'D' && d[2] == '!')
		__builtin_trap();
#endif
	return 0;
}
C
clang -g -fsanitize=fuzzer "$TMP/boom.c" -o "$TMP/build/fuzz/fuzz_boom" 2>"$TMP/cc.err" ||
	skip "clang cannot link libFuzzer here: $(head -1 "$TMP/cc.err")"
runall() { # SECONDS OUTFILE: run-all on fuzz_boom only, into $TMP; sets rc
	set +e
	OD_FUZZ_BUILD=$TMP/build OD_FUZZ_REGRESSIONS=$TMP/reg OD_FUZZ_LEDGER=$TMP/ledger \
		bash "$OD_SRC/fuzz/run-all" "$1" fuzz_boom >"$2" 2>&1
	rc=$?
	set -e
}
runall 60 "$TMP/out"
check "run-all fails on the planted bug (exit $rc)" test "$rc" -ne 0
check "run-all says it found a problem" grep -q "fuzz_boom FOUND A PROBLEM" "$TMP/out"
found=$(ls "$TMP"/reg/boom-* 2>/dev/null | head -1)
check "the finding is saved as reg/boom-<sha256 prefix>" test -n "$found"
if [ -n "$found" ]; then
	size=$(stat -c %s "$found")
	check "the finding is minimised (${size} bytes, 3 needed)" test "$size" -le 16
	check "the saved finding starts with the trigger" sh -c "head -c 3 '$found' | grep -q 'OD!'"
	set +e; "$TMP/build/fuzz/fuzz_boom" -runs=1 "$found" >/dev/null 2>&1; rrc=$?; set -e
	check "the saved finding still crashes the unfixed target (exit $rrc)" test "$rrc" -ne 0
fi
check "the ledger records the finding" grep -q $'\tboom\t.*\tfinding$' "$TMP/ledger"
# Fixed: the same folder replays cleanly and the run is recorded as ok.
clang -g -DFIXED -fsanitize=fuzzer "$TMP/boom.c" -o "$TMP/build/fuzz/fuzz_boom"
runall 2 "$TMP/out2"
check "run-all passes once the bug is fixed (exit $rc)" test "$rc" -eq 0
check "the fixed run replayed the stored finding" grep -q "1 stored inputs replayed" "$TMP/out2"
check "the ledger records the clean run with its executions" grep -qE $'\tboom\t[0-9]+\t[1-9][0-9]*\tok:' "$TMP/ledger"
finish
