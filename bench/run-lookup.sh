#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Catalogue benchmark: lookup latency p50/p99 at 10k, 100k and 1M synthetic
# rows, and ingest throughput. Target p99 < 1 ms at 1M rows. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DOD_BENCH=ON >/dev/null && cmake --build build -j"$(nproc)" --target od-bench-lookup >/dev/null
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for n in ${OD_BENCH_ROWS:-10000 100000 1000000}; do
	./build/od-bench-lookup "$tmp/bench.db" "$n" 5000
done
