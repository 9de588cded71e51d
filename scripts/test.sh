#!/usr/bin/env bash
# The whole test suite: what .ci/run calls and what the README's second
# command runs. Release build with -Werror, the same suite under ASan+UBSan,
# then every libFuzzer target for a bounded time plus a replay of corpus/,
# then the line coverage of parsers/ over the committed corpus (>= 85 %).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
jobs=$(nproc)
fuzz_secs=${OD_FUZZ_SECONDS:-15}
logs=$(mktemp -d); trap 'rm -rf "$logs"' EXIT
log_rel=$logs/release.txt log_asan=$logs/asan.txt

echo "== release build (-Werror) =="
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOD_WERROR=ON -DOD_TESTS=ON >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs" | tee "$log_rel")

echo "== ASan+UBSan build =="
CC=clang cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DOD_WERROR=ON -DOD_SANITIZE=ON -DOD_TESTS=ON >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest --output-on-failure -j"$jobs" | tee "$log_asan")

echo "== fuzzers (${fuzz_secs}s each) =="
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOD_FUZZ=ON -DOD_TESTS=OFF >/dev/null
cmake --build build-fuzz -j"$jobs"
OD_FUZZ_BUILD=build-fuzz bash fuzz/run-all "$fuzz_secs"

echo "== coverage of parsers/ over the committed corpus =="
OD_COV_MIN=${OD_COV_MIN:-85} bash fuzz/coverage build-cov
# One closing line for the whole suite (ctest counts from both builds).
count() { grep -Eo "$1" "$2" | grep -Eo '[0-9]+' | tail -1; }
p=0 f=0 s=0
for l in "$log_rel" "$log_asan"; do
	total=$(count 'tests failed out of [0-9]+' "$l"); failed=$(count '[0-9]+ tests failed' "$l")
	skipped=$(grep -c '\*\*\*Skipped\|Not Run (Disabled)\| Skipped ' "$l" || true)
	p=$((p + total - failed - skipped)); f=$((f + failed)); s=$((s + skipped))
done
echo "suite: $p passed, $f failed, $s skipped"
