#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `add DIR` on a terminal (issue 19): the progress bar stays on the last line
# and per-file lines and warnings are never printed over it. Driven in a real
# pseudo-terminal by script(1) (util-linux); the typescript is replayed the
# way a terminal shows it (\r returns to column 0, ESC[K erases to the end)
# and no visible line may hold the bar, whole or torn.
set -e
. "$(dirname "$0")/../lib.sh"
command -v script >/dev/null || skip "script(1) absent (util-linux bsdutils)"
d=$TMP/in
mkdir -p "$d"
n=0
for f in /usr/share/seabios/vgabios-*.bin /usr/lib/ipxe/qemu/*.rom; do
	[ -f "$f" ] || continue
	cp "$f" "$d/$(printf '%02d' $n)-$(basename "$f")"; n=$((n + 1))
	echo "readme $n" > "$d/$(printf '%02d' $n)-readme.txt"
done
[ "$n" -ge 3 ] || skip "fewer than 3 real ROMs (Debian seabios / ipxe-qemu)"
head -c 3000 /usr/share/seabios/vgabios-stdvga.bin > "$d/99-cut.rom" # a damaged ROM: an error line
cmd="stty cols 72 rows 40; '$OD' add '$d' --db '$TMP/c.db' --jobs 2"
script -qec "$cmd" /dev/null >"$TMP/tty" 2>&1 </dev/null || true
check "the bar was drawn at all" grep -q '\] [0-9]*/[0-9]' "$TMP/tty"
check "per-file lines were printed" grep -q 'skipped (not firmware)' "$TMP/tty"
# What the terminal shows: replay \r and ESC[K per line.
awk '{
	sub(/\r$/, ""); n = split($0, seg, "\r"); buf = ""
	for (i = 1; i <= n; i++) {
		s = seg[i]
		if (substr(s, 1, 3) == "\033[K") { buf = ""; s = substr(s, 4) }
		buf = s substr(buf, length(s) + 1)
	}
	print buf
}' "$TMP/tty" >"$TMP/screen"
check "no visible line holds the bar (torn or left behind)" sh -c "! grep -E '\\[[# ]{30}\\] [0-9]+/[0-9]+' '$TMP/screen'"
check "the summary is the last line" sh -c "grep -v '^\$' '$TMP/screen' | tail -1 | grep -q '^added '"
check "every readme has its own line" test "$(grep -c '^.*readme.txt: skipped (not firmware)$' "$TMP/screen")" -eq "$n"
finish
