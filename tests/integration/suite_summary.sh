#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# scripts/suite-summary, the closing lines of scripts/test.sh, on real ctest
# output: a throwaway CMake project runs a passing, a skipping (tests/lib.sh's
# skip, exit 77) and a failing script, and this build's criterion test_amlscan
# with ../shared absent (two of its three tests skip: the executable passes);
# twice, as the release and the ASan pass. Criterion's skips must count as
# skips, a test skipped in both passes once, with its reason; the last line
# is the only "N passed, N failed" line.
set -e
. "$(dirname "$0")/../lib.sh"
exe=$OD_BUILD/tests/test_amlscan
[ -x "$exe" ] || skip "$exe not built"
command -v cmake >/dev/null && command -v ctest >/dev/null || skip "cmake absent"
p=$TMP/proj; mkdir -p "$p"
cat >"$p/ok.sh" <<'EOF'
exit 0
EOF
cat >"$p/skip.sh" <<EOF
OD=/bin/true; . "$OD_SRC/tests/lib.sh"; skip "no frobnicator here"
EOF
cat >"$p/bad.sh" <<'EOF'
exit 1
EOF
cat >"$p/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.18)
project(t NONE)
enable_testing()
foreach(n ok skip bad)
  add_test(NAME integration/\${n} COMMAND bash $p/\${n}.sh)
  set_tests_properties(integration/\${n} PROPERTIES SKIP_RETURN_CODE 77)
endforeach()
add_test(NAME unit/test_amlscan COMMAND $exe --jobs 1 --tap=\${CMAKE_BINARY_DIR}/criterion/test_amlscan.tap)
set_tests_properties(unit/test_amlscan PROPERTIES ENVIRONMENT "OD_SHARED=/nonexistent;OD_SRC=$OD_SRC")
EOF
cmake -S "$p" -B "$TMP/b" >/dev/null
mkdir -p "$TMP/b/criterion" "$TMP/logs"
for pass in release asan; do
	mkdir -p "$TMP/logs/$pass.skips"
	(cd "$TMP/b" && OD_SKIP_DIR=$TMP/logs/$pass.skips ctest >"$TMP/logs/$pass.log" 2>&1) || true
	echo "$pass $TMP/b" >>"$TMP/logs/passes"
done
printf 'fuzz/run-all passed\nfuzz/coverage failed\n' >"$TMP/logs/steps"
bash "$OD_SRC/scripts/suite-summary" "$TMP/logs" >"$TMP/sum"
cat "$TMP/sum"
# Per pass: ok + amlscan's one real test pass, bad fails; plus the two steps.
check "closing line counts criterion's skips, each skipped test once" \
	test "$(tail -1 "$TMP/sum")" = "suite: 5 passed, 3 failed, 3 skipped"
check "exactly one 'N passed, N failed' line, the last" \
	test "$(grep -cE '[0-9]+ passed, [0-9]+ failed' "$TMP/sum")" = 1
check "the script's skip listed once, both passes, with its reason" \
	grep -qx 'skipped: integration/skip \[release asan\]: no frobnicator here' "$TMP/sum"
check "criterion's skip listed with its reason" \
	grep -qx 'skipped: unit/test_amlscan: amlscan::laptops_without_rom \[release asan\]: shared corpus absent' "$TMP/sum"
check "failures listed" grep -qx 'failed: integration/bad \[asan\]: Failed' "$TMP/sum"
check "a failed step is a failure" grep -qx 'failed: fuzz/coverage \[steps\]' "$TMP/sum"

# A test that times out once and passes when ctest reruns it (test.sh's
# --repeat after-timeout:2) is a pass, listed as rerun; one that times out
# twice is a failure.
q=$TMP/rq; mkdir -p "$q"
cat >"$q/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.18)
project(r NONE)
enable_testing()
add_test(NAME integration/flaky COMMAND bash -c "[ -f $TMP/once ] || { touch $TMP/once; sleep 30; }")
add_test(NAME integration/stuck COMMAND sleep 30)
set_tests_properties(integration/flaky integration/stuck PROPERTIES TIMEOUT 1)
EOF
cmake -S "$q" -B "$TMP/rb" >/dev/null
mkdir -p "$TMP/rlogs/release.skips"
(cd "$TMP/rb" && ctest --repeat after-timeout:2 >"$TMP/rlogs/release.log" 2>&1) || true
echo "release $TMP/rb" >"$TMP/rlogs/passes"
bash "$OD_SRC/scripts/suite-summary" "$TMP/rlogs" >"$TMP/rsum"
cat "$TMP/rsum"
check "a pass after a timeout counts once as a pass; twice timed out fails" \
	test "$(tail -1 "$TMP/rsum")" = "suite: 1 passed, 1 failed, 0 skipped"
check "the rerun is listed" grep -q '^retried: integration/flaky \[release\]: passed on a rerun after a Timeout' "$TMP/rsum"
check "the twice-stuck test is named" grep -qx 'failed: integration/stuck \[release\]: Timeout' "$TMP/rsum"
finish
