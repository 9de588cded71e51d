#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Per real image (issue 13 sec. 5): `optimus-db scan` wall time, UEFIExtract
# `report` wall time (uefitool-cli), and in-process (od-bench-scan, one
# thread, the same run) the walk's time vs the decode floor: the decoders
# alone on exactly the streams the image holds. Ratios printed. Not a test:
# times vary with the machine; run it on an idle one.
#   bench/scan-vs-uefiextract.sh            (RUNS=10 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-10}
cmake -S . -B build -DOD_BENCH=ON >/dev/null
cmake --build build -j"$(nproc)" --target optimus-db od-bench-scan >/dev/null
od=$PWD/build/optimus-db bench=$PWD/build/od-bench-scan
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
imgs=(/usr/share/OVMF/OVMF_CODE_4M.fd /usr/share/OVMF/OVMF_CODE.fd /usr/share/OVMF/OVMF32_CODE_4M.secboot.fd)
for f in ../shared/corpus/firmware/apple/*.fd ../shared/corpus/firmware/lg-r510/*.fd \
	../shared/corpus/firmware/amd-vangogh-fsp/*.fd; do
	[ -f "$f" ] && imgs+=("$f")
done
mean() { # COMMAND...: mean seconds over $runs runs
	local t0 t1; t0=$(date +%s%N)
	for ((i = 0; i < runs; i++)); do "$@" >/dev/null 2>&1 || true; done
	t1=$(date +%s%N); echo "scale=6; ($t1 - $t0) / $runs / 1000000000" | bc
}
printf '%-28s %10s %12s %9s | %10s %10s %8s %7s\n' image "scan(CLI)" "UEFIExtract" "UE/ours" \
	"walk(ms)" "floor(ms)" "walk/fl" streams
for img in "${imgs[@]}"; do
	[ -f "$img" ] || continue
	b=$(basename "$img"); cp "$img" "$tmp/$b"
	ours=$(mean "$od" scan "$tmp/$b")
	ue=$(cd "$tmp" && mean UEFIExtract "$b" report)
	read -r _ walk floor ratio n < <("$bench" "$tmp/$b" "$runs")
	printf '%-28s %9.4fs %11.4fs %8.1fx | %10s %10s %8s %7s\n' "$b" "$ours" "$ue" "$(echo "scale=2; $ue / $ours" | bc)" \
		"$walk" "$floor" "$ratio" "$n"
	rm -f "$tmp/$b" "$tmp/$b.report.txt"
done
