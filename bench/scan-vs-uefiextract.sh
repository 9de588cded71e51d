#!/usr/bin/env bash
# optimus-db scan vs UEFIExtract (uefitool-cli) on the same images, in one
# run, plus the floor: liblzma alone (xz --format=lzma) on the same LZMA
# sections. Prints mean wall time per run and the ratios. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-10}
od=./build/optimus-db
[ -x "$od" ] || { cmake -S . -B build >/dev/null && cmake --build build -j"$(nproc)" >/dev/null; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
imgs=(/usr/share/OVMF/OVMF_CODE_4M.fd /usr/share/OVMF/OVMF_CODE.fd)
for f in ../shared/corpus/firmware/lg-r510/QLXL3F22.fd; do [ -f "$f" ] && imgs+=("$f"); done
mean() { # COMMAND...: mean seconds over $runs runs
	local t0 t1; t0=$(date +%s%N)
	for ((i = 0; i < runs; i++)); do "$@" >/dev/null 2>&1 || true; done
	t1=$(date +%s%N); echo "scale=6; ($t1 - $t0) / $runs / 1000000000" | bc
}
printf '%-22s %12s %12s %12s %10s %10s\n' image optimus-db UEFIExtract lzma-floor "UE/ours" "ours/floor"
for img in "${imgs[@]}"; do
	b=$(basename "$img"); cp "$img" "$tmp/$b"
	ours=$(mean "$od" scan "$tmp/$b")
	ue=$(cd "$tmp" && mean UEFIExtract "$b" report)
	# Floor: every LZMA stream our tree shows, decoded by xz alone.
	"$od" scan --json --tree "$tmp/$b" | grep -o '"kind":"LZMA[^}]*' >/dev/null || true
	python3 - "$tmp/$b" "$tmp/streams" <<'PY' 2>/dev/null || true
import sys, struct
data = open(sys.argv[1], 'rb').read()
guid = bytes.fromhex('98584eee14395942 9d6edc7bd79403cf'.replace(' ', ''))
out = []
at = data.find(guid)
while at >= 4:
    sec = at - 4
    size = int.from_bytes(data[sec:sec+3], 'little'); off = int.from_bytes(data[at+16:at+18], 'little')
    out.append(data[sec+off:sec+size]); at = data.find(guid, at + 1)
open(sys.argv[2], 'wb').write(b''.join(len(s).to_bytes(4, 'little') + s for s in out))
PY
	floor=0
	if [ -s "$tmp/streams" ]; then
		python3 - "$tmp/streams" "$tmp" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read(); i = 0; k = 0
while i < len(d):
    n = int.from_bytes(d[i:i+4], 'little'); open(f"{sys.argv[2]}/s{k}.lzma", 'wb').write(d[i+4:i+4+n]); i += 4 + n; k += 1
PY
		floor=$(mean sh -c "for s in $tmp/s*.lzma; do xz --format=lzma -dc \"\$s\" >/dev/null 2>&1; done")
	fi
	r1=$(echo "scale=1; $ue / $ours" | bc); r2=$( [ "$floor" != 0 ] && echo "scale=2; $ours / $floor" | bc || echo n/a)
	printf '%-22s %11.4fs %11.4fs %11.4fs %9sx %9sx\n' "$b" "$ours" "$ue" "$floor" "$r1" "$r2"
	rm -f "$tmp"/s*.lzma "$tmp/streams"
done
