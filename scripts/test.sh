#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The whole test suite: what .ci/run calls and what the README's second
# command runs. Release build with -Werror and every ctest test; the same
# suite under ASan+UBSan minus the tests labelled `once` (they do not depend
# on the build flavour: the guest boots, layout checks, the OSS-Fuzz build);
# every libFuzzer target for a bounded time (its seeds first); the line
# coverage of parsers/ over the committed corpus (>= 85 %). A failing pass
# does not stop the later ones. The last line is the only "N passed, N
# failed" line (scripts/suite-summary: skips listed above it, each once).
#   scripts/test.sh --quick   the inner loop: release build, unit and fast
#                             integration tests (ctest -LE 'slow|guest'),
#                             no guests, ASan, fuzzing or coverage.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
case ${1:-} in
--quick) quick=1 ;;
"") ;;
*) echo "usage: scripts/test.sh [--quick]" >&2; exit 3 ;;
esac
if [ "$quick" = 1 ]; then bash scripts/deps.sh test; else bash scripts/deps.sh test guest; fi
jobs=$(nproc)
fuzz_secs=${OD_FUZZ_SECONDS:-15}
logs=$(mktemp -d); trap 'rm -rf "$logs"' EXIT
: >"$logs/passes"; : >"$logs/steps"
t0=$(date +%s)

step() { # NAME COMMAND...: a step that is not a ctest test, counted on the closing line
	local name=$1; shift
	if "$@"; then echo "$name passed" >>"$logs/steps"; else echo "$name failed" >>"$logs/steps"; return 1; fi
}
ctest_pass() { # PASS BUILDDIR CTEST-ARGS...: one ctest run, logged for suite-summary
	local pass=$1 dir=$2; shift 2
	mkdir -p "$logs/$pass.skips" "$dir/criterion"; rm -f "$dir"/criterion/*.tap
	(cd "$dir" && OD_SKIP_DIR=$logs/$pass.skips ctest --output-on-failure --repeat after-timeout:2 -j"$jobs" "$@") 2>&1 | tee "$logs/$pass.log" || true
	echo "$pass $PWD/$dir" >>"$logs/passes"
}

echo "== release build (-Werror) =="
if step build/release sh -c 'cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOD_WERROR=ON -DOD_TESTS=ON >/dev/null &&
	cmake --build build -j"$1"' sh "$jobs"; then
	if [ "$quick" = 1 ]; then
		# acpi_rom then loads ../shared's DSDTs or the ones a full run captured.
		ctest_pass release build -LE 'slow|guest' -FS qemu_dsdt
	else
		ctest_pass release build
	fi
fi

if [ "$quick" = 0 ]; then
	echo "== ASan+UBSan build (tests labelled 'once' or 'valgrind' ran in the release pass) =="
	if step build/asan sh -c 'CC=clang cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DOD_WERROR=ON -DOD_SANITIZE=ON -DOD_TESTS=ON >/dev/null &&
		cmake --build build-asan -j"$1"' sh "$jobs"; then
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
			ctest_pass asan build-asan -LE 'once|valgrind' -FS qemu_dsdt  # valgrind cannot run ASan binaries
	fi

	echo "== fuzzers (${fuzz_secs}s each) =="
	if step build/fuzz sh -c 'CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOD_FUZZ=ON -DOD_TESTS=OFF >/dev/null &&
		cmake --build build-fuzz -j"$1"' sh "$jobs"; then
		OD_FUZZ_BUILD=build-fuzz step fuzz/run-all bash fuzz/run-all "$fuzz_secs" || true
	fi

	echo "== coverage of parsers/ over the committed corpus =="
	OD_COV_MIN=${OD_COV_MIN:-85} step fuzz/coverage bash fuzz/coverage build-cov || true
fi
echo "== $( [ "$quick" = 1 ] && echo quick || echo full ) suite: $(( $(date +%s) - t0 )) s =="
bash scripts/suite-summary "$logs" | tee "$logs/summary"
tail -1 "$logs/summary" | grep -q ' 0 failed,'
