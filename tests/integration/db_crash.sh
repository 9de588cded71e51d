#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Crash safety and concurrency of the catalogue: `add` of a few hundred ROMs
# is killed with SIGKILL at many points; after each kill the database passes
# PRAGMA integrity_check and `verify`, and every file that `add` reported as
# committed is in it, byte for byte. Meanwhile `lookup` runs in parallel and
# must always answer (WAL readers never see a half-written ingest).
set -e
. "$(dirname "$0")/../lib.sh"
need_file /usr/share/seabios/vgabios-stdvga.bin seabios
command -v sqlite3 >/dev/null || skip "sqlite3 CLI absent"
export OPTIMUS_DB=$TMP/cat.db
mkdir "$TMP/roms"
src=/usr/share/seabios/vgabios-stdvga.bin
for i in $(seq 1 400); do
	cp "$src" "$TMP/roms/r$i.rom"
	printf '%08d' "$i" | dd of="$TMP/roms/r$i.rom" bs=1 seek=512 conv=notrunc status=none
done
# The catalogue exists before the readers start (a lookup with no catalogue
# at all is a clear exit 4, tested elsewhere).
"$OD" add -q /usr/share/seabios/vgabios-qxl.bin > /dev/null
for round in 1 2 3 4 5 6; do
	"$OD" add "$TMP/roms" > "$TMP/add.$round" 2>&1 &
	pid=$!
	# Readers in parallel with the writer.
	for k in 1 2 3; do
		"$OD" lookup 1234:1111 > /dev/null 2> "$TMP/lookup.err" && ok || { r=$?; [ $r -eq 1 ] && ok || fail "lookup during add: exit $r ($(cat "$TMP/lookup.err"))"; }
	done
	sleep "0.$((round * 13 % 10))"
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	check "round $round: integrity_check ok" test "$(sqlite3 "$OPTIMUS_DB" 'PRAGMA integrity_check')" = ok
	run verify
	check "round $round: verify clean" grep -q " 0 bad" "$TMP/out"
	# Every reported file is there with its exact bytes.
	missing=0
	while read -r f _; do
		f=${f%:}
		[ -f "$f" ] || continue
		sha=$(sha256sum "$f" | cut -c1-64)
		[ "$(sqlite3 "$OPTIMUS_DB" "SELECT count(*) FROM images WHERE sha256 = '$sha'")" = 1 ] || missing=$((missing + 1))
	done < <(grep 'option ROM' "$TMP/add.$round")
	check "round $round: every committed file present ($(grep -c 'option ROM' "$TMP/add.$round") reported)" test "$missing" -eq 0
done
# Finally a full run completes, idempotently.
run add -q "$TMP/roms"
check "full add completes" test "$rc" -eq 0
check "400 images + qxl" test "$(sqlite3 "$OPTIMUS_DB" 'SELECT count(*) FROM images')" -eq 401
finish
