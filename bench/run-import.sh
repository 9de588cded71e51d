#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Import benchmark: a bundle of N = 10,000 and 100,000 images, then the same
# images as a catalogue repository (contribute --to, import DIR, import DIR
# again); import is linear when the per-image figures stay flat. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DOD_BENCH=ON >/dev/null && cmake --build build -j2 --target od-bench-import >/dev/null
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for n in ${OD_BENCH_IMAGES:-10000 100000}; do
	rm -rf "$tmp/repo"
	./build/od-bench-import "$tmp/bench.db" "$n" "$tmp/repo"
done
