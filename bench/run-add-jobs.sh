#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# add --jobs benchmark: N (default 1,000) real-format files -- the shared
# corpus's ROMs and firmware images where present, Debian's SeaBIOS, iPXE and
# OVMF -- each copy given 8 bytes of its own at the end so the container
# hashes differ, added with --jobs 1 and --jobs 2 into fresh catalogues.
# Prints the wall times and their ratio (target: >= 1.8x on 2 idle cores).
# Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build >/dev/null && cmake --build build -j2 --target optimus-db >/dev/null
n=${OD_BENCH_FILES:-1000}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
src=()
for f in ../shared/corpus/roms/* ../shared/corpus/firmware/*/* /usr/share/seabios/*.bin /usr/share/ipxe/qemu/*.rom \
	/usr/share/OVMF/OVMF_CODE.fd /usr/share/OVMF/OVMF_VARS.fd; do
	[ -f "$f" ] && [ ! -L "$f" ] && [ "$(stat -c %s "$f")" -le $((8 << 20)) ] && src+=("$f")
done
mkdir "$tmp/in"
for ((i = 0; i < n; i++)); do
	f=${src[$((i % ${#src[@]}))]}
	{ cat "$f"; printf '%08d' "$i"; } >"$tmp/in/$(printf '%05d' "$i")-$(basename "$f")"
done
echo "add --jobs: $n files ($(du -sh "$tmp/in" | cut -f1)) from ${#src[@]} real-format inputs, $(nproc) cores"
t() { local s e; s=$(date +%s.%N); ./build/optimus-db add -q --jobs "$1" --db "$tmp/j$1.db" "$tmp/in" >/dev/null 2>&1 || true; e=$(date +%s.%N); awk -v a="$s" -v b="$e" 'BEGIN { print b - a }'; }
t1=$(t 1); t2=$(t 2)
awk -v a="$t1" -v b="$t2" 'BEGIN { printf "jobs 1: %.2f s, jobs 2: %.2f s, ratio %.2fx\n", a, b, a / b }'
