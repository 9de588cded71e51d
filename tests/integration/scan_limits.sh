#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The safety limits seen from the command line: a gzip bomb and a 60-deep
# gzip nest (both built here with gzip) are refused with exit 2 and a message
# naming the file, the offset and the `--limit` that raises the limit; stdout
# then says the scan stopped (never "no VBIOS in this update"), --json says
# "error", --extract writes nothing unless --partial, and raising the limit
# makes the same files scan clean.
set -e
. "$(dirname "$0")/../lib.sh"
rom=/usr/share/seabios/vgabios-stdvga.bin
need_file "$rom" seabios
command -v gzip >/dev/null || skip "gzip absent"

# 64 MiB of zeros: 65 KB of gzip, over a 16 MiB one-buffer limit.
head -c 64M /dev/zero | gzip -9 >"$TMP/bomb.gz"
run scan --limit one=16 "$TMP/bomb.gz"
check "bomb: exit 2 (got $rc)" test "$rc" = 2
check "bomb: error names the file and offset" grep -q "bomb.gz.*at offset 0x" "$TMP/err"
check "bomb: error names the flag that raises the limit" grep -q -- "--limit one=" "$TMP/err"
check "bomb: stdout says the scan stopped" grep -q "before the scan stopped" "$TMP/out"
check "bomb: stdout does not claim the file has no VBIOS" sh -c "! grep -q 'normal result' '$TMP/out'"
run scan --json --limit one=16 "$TMP/bomb.gz"
check "bomb --json: exit 2" test "$rc" = 2
check "bomb --json: status error" grep -q '"status": *"error"' "$TMP/out"
run scan "$TMP/bomb.gz"
check "bomb under the default limits: exit 0 (got $rc)" test "$rc" = 0
check "bomb under the default limits: a clean zero" grep -q "normal result" "$TMP/out"

# The ROM 60 gzip layers deep: past the default depth of 48.
cp "$rom" "$TMP/n0"
for i in $(seq 1 60); do gzip -c "$TMP/n$((i - 1))" >"$TMP/n$i"; done
run scan "$TMP/n60"
check "nest: exit 2 (got $rc)" test "$rc" = 2
check "nest: message names the depth limit and its flag" grep -q "nesting depth limit reached (48).*--limit depth=N" "$TMP/err"
check "nest: message carries the container path" grep -q "n60 > gzip > gzip" "$TMP/err"
run scan --limit depth=100 --extract "$TMP/x" "$TMP/n60"
check "nest, depth raised: exit 0 (got $rc)" test "$rc" = 0
check "nest, depth raised: the ROM found 60 layers down" grep -q "1 option ROM found" "$TMP/out"
check "nest, depth raised: extracted byte for byte" cmp -s "$rom" "$TMP"/x/1234_1111_*.rom

# A zip whose first entry is a ROM and whose second is a bomb: the ROM is
# found, the bomb stops the scan under its entry's path, and --extract writes
# nothing unless --partial asks for what was found.
if command -v zip >/dev/null; then
	mkdir "$TMP/z"
	cp "$rom" "$TMP/z/a.rom"
	head -c 64M /dev/zero >"$TMP/z/b.bin"
	(cd "$TMP/z" && zip -q -9 ../t.zip a.rom b.bin)
	run scan --limit one=16 --extract "$TMP/zx" "$TMP/t.zip"
	check "zip bomb: exit 2 (got $rc)" test "$rc" = 2
	check "zip bomb: the error is under the bomb's entry" grep -q 't.zip > zip > zip entry "b.bin": at offset 0x' "$TMP/err"
	check "zip bomb: the ROM before it is listed" grep -q '1 option ROM found before the scan stopped' "$TMP/out"
	check "zip bomb: --extract refuses" grep -q "not extracting" "$TMP/err"
	check "zip bomb: nothing written" test ! -e "$TMP/zx"
	run scan --limit one=16 --extract "$TMP/zx" --partial "$TMP/t.zip"
	check "zip bomb --partial: still exit 2" test "$rc" = 2
	check "zip bomb --partial: the ROM written byte for byte" cmp -s "$rom" "$TMP"/zx/1234_1111_*.rom
else
	echo "zip absent: the zip-bomb checks are skipped (scripts/deps.sh installs it)"
fi

# Depth: the walk recurses per level, and 3,950 nested gzip layers once
# overflowed the 8 MiB main stack (issue 14). --limit depth= is capped at what
# the walk's own stack holds with margin; at the cap a deeper nest ends with
# the depth message, not a crash, even when the main stack is only 1 MiB
# (the walk runs on its own 256 MiB stack).
run scan --limit depth=99999 "$TMP/n1"
check "depth above the cap: usage error (got $rc)" test "$rc" = 3
check "depth above the cap: the message says the cap" grep -q "depth=99999: at most 1024" "$TMP/err"
printf 'not a ROM' >"$TMP/d0"
for i in $(seq 1 1040); do gzip -c "$TMP/d$((i - 1))" >"$TMP/d$i"; rm "$TMP/d$((i - 1))"; done
set +e
(ulimit -s 1024; "$OD" scan --limit depth=1024 "$TMP/d1040" >"$TMP/out" 2>"$TMP/err"); rc=$?
set -e
check "nest past the cap, 1 MiB main stack: exit 2, not a crash (got $rc)" test "$rc" = 2
check "nest past the cap: the depth message at the cap" grep -q "nesting depth limit reached (1024)" "$TMP/err"

# A limit that is not a number or not a limit is a usage error, not a scan.
run scan --limit depth=lots "$TMP/n1"
check "bad --limit value: exit 3 (got $rc)" test "$rc" = 3
run scan --limit colour=1 "$TMP/n1"
check "unknown --limit name: exit 3 (got $rc)" test "$rc" = 3
finish
