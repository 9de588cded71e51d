#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Catalogue repositories (issue 18): `contribute --to DIR` writes the
# content-addressed layout, `import DIR` takes it incrementally with the
# bundles' validation, and two people's repositories merge to the same
# catalogue in either order or as one union checkout (show --json of every
# image compared). Also: nothing leaves with a home-directory path, refused
# files are named and contribute nothing, symlinks are not followed, and
# lookup ranks by independent sources.
set -e
. "$(dirname "$0")/../lib.sh"
need_file /usr/share/seabios/vgabios-stdvga.bin seabios
command -v sqlite3 >/dev/null || skip "sqlite3 CLI absent"
sb=/usr/share/seabios
le() { local v=$1 n=$2 i s=""; for ((i = 0; i < n; i++)); do s+=$(printf '\\x%02x' $(((v >> (8 * i)) & 255))); done; printf "$s"; }
sha() { sha256sum "$1" | cut -c1-64; }
variant() { # N OUT: the stdvga ROM with distinct bytes, checksum kept right
	cp "$sb/vgabios-stdvga.bin" "$2"
	printf '%08d' "$1" | dd of="$2" bs=1 seek=512 conv=notrunc status=none
	local size sum
	size=$(stat -c %s "$2")
	sum=$(head -c $((size - 1)) "$2" | od -An -tu1 -v | awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s % 256 }')
	le $(((256 - sum) % 256)) 1 | dd of="$2" bs=1 seek=$((size - 1)) conv=notrunc status=none
}
mkdir "$TMP/roms"
for i in 1 2 3 4 5; do variant "$i" "$TMP/roms/r$i.rom"; done
all() { sqlite3 "$1" "SELECT sha256 FROM images ORDER BY sha256"; }
dump() { # DB: show --json of every image, one after the other
	local s
	for s in $(all "$1"); do "$OD" show "$s" --json --db "$1"; done
}

# Two people, each with a catalogue: r2 and r3 seen by both (r3 from the very
# same update file, so the same source), r1 only by A, r4 only by B.
"$OD" add -q "$TMP/roms/r1.rom" "$TMP/roms/r2.rom" --model "Laptop A" --db "$TMP/a.db" >/dev/null
"$OD" add -q "$TMP/roms/r3.rom" --model "Shared" --bios-version 1.0 --db "$TMP/a.db" >/dev/null
"$OD" add -q "$TMP/roms/r2.rom" "$TMP/roms/r4.rom" --model "Laptop B" --db "$TMP/b.db" >/dev/null
"$OD" add -q "$TMP/roms/r3.rom" --model "Shared" --bios-version 1.0 --db "$TMP/b.db" >/dev/null
# Different days (the clock would give both the same second).
sqlite3 "$TMP/a.db" "UPDATE sources SET added = '2026-03-01T10:00:00Z'"
sqlite3 "$TMP/b.db" "UPDATE sources SET added = '2026-02-01T10:00:00Z'"
# A home-directory path that must not leave A's machine.
sqlite3 "$TMP/a.db" "UPDATE sources SET container_name = '/home/alice/dl/r1.rom', container_path = '/home/alice/dl/r1.rom > ROM 1234:1111' WHERE container_name = 'r1.rom'"

run contribute $(all "$TMP/a.db") --to "$TMP/repoA" --db "$TMP/a.db"
check "contribute --to: exit 0 (got $rc: $(head -1 "$TMP/err"))" test "$rc" -eq 0
check "contribute --to: counts" grep -q "3 images (3 new), 3 sources (3 new)" "$TMP/out"
s1=$(sha "$TMP/roms/r1.rom")
check "layout: images/VVVV/DDDD/<sha256>.rom" cmp -s "$TMP/repoA/images/1234/1111/$s1.rom" "$TMP/roms/r1.rom"
rec=$(ls "$TMP/repoA/sources/$s1/"*.json)
check "layout: sources/<image>/<sha256 of the record>.json" test "$(basename "$rec" .json)" = "$(sha "$rec")"
check "record is JSON naming its image" grep -q "\"image_sha256\": \"$s1\"" "$rec"
check "record carries the model and the date" grep -q '"model": "Laptop A"' "$rec"
check "no user name leaves the machine" sh -c "! grep -rq alice '$TMP/repoA'"
check "home path written as ~" grep -q '"container_path": "~/dl/r1.rom > ROM 1234:1111"' "$rec"
run contribute $(all "$TMP/a.db") --to "$TMP/repoA" --db "$TMP/a.db"
check "contribute --to again: nothing new" grep -q "3 images (0 new), 3 sources (0 new)" "$TMP/out"
run contribute $(all "$TMP/b.db") --to "$TMP/repoB" --db "$TMP/b.db"
check "B's contribution: exit 0" test "$rc" -eq 0

# Merge in both orders and as one union checkout (what git gives after
# merging both pull requests: no file is in both with different bytes).
for o in AB BA; do
	for r in $(echo $o | grep -o .); do
		run import "$TMP/repo$r" --db "$TMP/m$o.db"
		check "import repo$r into $o: exit 0 (got $rc: $(head -1 "$TMP/err"))" test "$rc" -eq 0
	done
done
mkdir "$TMP/union"
cp -r "$TMP/repoA/." "$TMP/union/"
cp -rn "$TMP/repoB/." "$TMP/union/"
run import "$TMP/union" --db "$TMP/mU.db"
check "import of the union: exit 0" test "$rc" -eq 0
check "the union has every image: 4" test "$(all "$TMP/mU.db" | wc -l)" -eq 4
dump "$TMP/mAB.db" >"$TMP/ab.json"
dump "$TMP/mBA.db" >"$TMP/ba.json"
dump "$TMP/mU.db" >"$TMP/u.json"
check "A then B = B then A (show --json of every image)" cmp -s "$TMP/ab.json" "$TMP/ba.json"
check "A then B = the union" cmp -s "$TMP/ab.json" "$TMP/u.json"
recount() { sqlite3 "$1" "SELECT count(*) FROM images i WHERE n_containers != (SELECT count(DISTINCT coalesce(nullif(container_sha256, ''), container_name)) FROM sources WHERE image_id = i.id) OR n_models != (SELECT count(DISTINCT nullif(model, '')) FROM sources WHERE image_id = i.id)"; }
for o in AB BA U; do
	check "$o: the counts the insert trigger kept equal a recount" test "$(recount "$TMP/m$o.db")" -eq 0
done
s3=$(sha "$TMP/roms/r3.rom")
check "the shared source is kept once, with its earliest date" test "$(sqlite3 "$TMP/mAB.db" "SELECT count(*) || ' ' || min(added) FROM sources s JOIN images i ON i.id = s.image_id WHERE i.sha256 = '$s3'")" = "1 2026-02-01T10:00:00Z"
check "first_seen is the earliest source's date" test "$(sqlite3 "$TMP/mAB.db" "SELECT first_seen FROM images WHERE sha256 = '$s3'")" = "2026-02-01T10:00:00Z"

# Incremental: a second import reads nothing it already has.
run import "$TMP/union" --db "$TMP/mAB.db"
check "re-import: nothing new" grep -q "4 images (0 new), 6 sources (0 new), 10 unchanged skipped, 0 files refused" "$TMP/out"

# Ranking: r2 was seen by two models (in the same file), the others by one.
run lookup 1234:1111 --db "$TMP/mU.db"
s2=$(sha "$TMP/roms/r2.rom")
check "lookup: the image seen most often first" test "$(sed -n 2p "$TMP/out" | awk '{print $1}')" = "${s2:0:8}"
check "lookup says how often it was seen" grep -q "seen in 1 BIOS update or dump of 2 models" "$TMP/out"

# More containers beat more models: r1 also inside a zip (another container).
if command -v zip >/dev/null; then
	(cd "$TMP/roms" && zip -q "$TMP/r1.zip" r1.rom)
	cp "$TMP/mU.db" "$TMP/rank.db"
	"$OD" add -q "$TMP/r1.zip" --model "Laptop A" --db "$TMP/rank.db" >/dev/null
	run lookup 1234:1111 --db "$TMP/rank.db" --json
	check "lookup: two containers rank before two models" test "$(grep -o '"sha256":"[0-9a-f]*"' "$TMP/out" | head -1 | cut -d'"' -f4)" = "$s1"
	check "lookup --json counts containers and models" grep -q '"containers":2,"models":1' "$TMP/out"

	# Schema 3 keeps the counts on the image (triggers) and one covering
	# index for lookup: a schema-2 catalogue (as the previous release wrote
	# it) answers the same read-only, and migrates to the same counts.
	run lookup 1234:1111 --db "$TMP/rank.db" --json
	cp "$TMP/out" "$TMP/rank3.json"
	check "a new catalogue has schema 3" test "$(sqlite3 "$TMP/rank.db" 'PRAGMA user_version')" -eq 3
	cp "$TMP/rank.db" "$TMP/old.db"
	sqlite3 "$TMP/old.db" "DROP TRIGGER sources_count_ins; DROP TRIGGER sources_count_del; DROP INDEX images_lookup;
		CREATE INDEX images_ids ON images(vendor, device, sub_vendor, sub_device);
		ALTER TABLE images DROP COLUMN n_containers; ALTER TABLE images DROP COLUMN n_models; PRAGMA user_version = 2"
	run lookup 1234:1111 --db "$TMP/old.db" --json
	check "schema 2 read-only: the same lookup (exit $rc)" cmp -s "$TMP/out" "$TMP/rank3.json"
	check "a lookup does not migrate (read-only)" test "$(sqlite3 "$TMP/old.db" 'PRAGMA user_version')" -eq 2
	run add -q "$sb/vgabios-qxl.bin" --db "$TMP/old.db"
	check "schema 2 migrates to 3 on a write" test "$(sqlite3 "$TMP/old.db" 'PRAGMA user_version')" -eq 3
	check "migrated counts equal the sources" test "$(recount "$TMP/old.db")" -eq 0
	run lookup 1234:1111 --db "$TMP/old.db" --json
	check "after the migration: the same lookup" cmp -s "$TMP/out" "$TMP/rank3.json"
fi

# Validation: each bad file is refused and named, the rest is imported.
cp -r "$TMP/repoA" "$TMP/bad"
s5=$(sha "$TMP/roms/r5.rom")
cp "$TMP/roms/r5.rom" "$TMP/bad/images/1234/1111/$s5.rom"
printf 'X' | dd of="$TMP/bad/images/1234/1111/$s5.rom" bs=1 seek=700 conv=notrunc status=none
printf 'just text\n' >"$TMP/text"
st=$(sha "$TMP/text")
cp "$TMP/text" "$TMP/bad/images/1234/1111/$st.rom"
mkdir -p "$TMP/bad/images/10de/139b"
sq=$(sha "$sb/vgabios-qxl.bin")
cp "$sb/vgabios-qxl.bin" "$TMP/bad/images/10de/139b/$sq.rom"
ln -s "$sb/vgabios-cirrus.bin" "$TMP/bad/images/1234/1111/$(sha "$sb/vgabios-cirrus.bin").rom"
mkdir -p "$TMP/bad/sources/$s1"
printf '{\n  "image_sha256": "%s",\n  "model": "x\\u001b[2J",\n  "obtained": "update"\n}\n' "$s1" >"$TMP/rec"
cp "$TMP/rec" "$TMP/bad/sources/$s1/$(sha "$TMP/rec").json"
mkdir -p "$TMP/bad/sources/$s5"
printf '{\n  "image_sha256": "%s",\n  "obtained": "update"\n}\n' "$s5" >"$TMP/rec5"
cp "$TMP/rec5" "$TMP/bad/sources/$s5/$(sha "$TMP/rec5").json"
printf '{\n  "image_sha256": "%s",\n  "obtained": "update", "model": "renamed"\n}\n' "$s1" >"$TMP/bad/sources/$s1/$(sha "$TMP/rec").json.x"
cp "$TMP/text" "$TMP/bad/images/1234/1111/x$(printf '\033')]0;pwned$(printf '\007').rom"
run import "$TMP/bad" --db "$TMP/v.db"
check "a file name with controls is named escaped" sh -c "grep -q 'x\\\\x1b\]0;pwned' '$TMP/err' && ! grep -q \"\$(printf '\\033')\" '$TMP/err'"
check "bad repository: exit 2 (got $rc)" test "$rc" -eq 2
check "tampered image named" grep -q "$s5.rom: .*hash to" "$TMP/err"
check "non-ROM named" grep -q "$st.rom: .*not a whole option ROM" "$TMP/err"
check "image under the wrong IDs named" grep -q "$sq.rom: .*filed under 10de/139b" "$TMP/err"
check "symlink not followed" grep -q "symlink" "$TMP/err"
check "record with a control character named" grep -q "control character" "$TMP/err"
check "record of an image not there named" grep -q "neither in the catalogue nor in the repository" "$TMP/err"
check "a file not named by its hash named" grep -q "json.x: .*not named" "$TMP/err"
check "the good files imported: 3 images" test "$(all "$TMP/v.db" | wc -l)" -eq 3
check "nothing from the refused files" test "$(sqlite3 "$TMP/v.db" "SELECT count(*) FROM images WHERE sha256 IN ('$s5', '$st', '$sq')")" -eq 0
check "no source from the refused records" test "$(sqlite3 "$TMP/v.db" "SELECT count(*) FROM sources WHERE model LIKE 'x%' OR model = 'renamed'")" -eq 0

# Shards: parallel jobs, each with its own catalogue, contribute --all into one
# folder (overlapping images); one import gives the union.
for k in 1 2 3; do
	(for i in $(seq 1 5); do echo "$TMP/roms/r$i.rom"; done | "$OD" add -q --db "$TMP/shard$k.db" $(cat) >/dev/null &&
		"$OD" contribute --all --db "$TMP/shard$k.db" --to "$TMP/sharded" >"$TMP/shard$k.out" 2>&1) &
done
wait
check "parallel shards all wrote (no clash)" sh -c "grep -q '5 images' '$TMP/shard1.out' && grep -q '5 images' '$TMP/shard2.out' && grep -q '5 images' '$TMP/shard3.out'"
check "...each image once" test "$(find "$TMP/sharded/images" -name '*.rom' | wc -l)" -eq 5
check "...and no temporary file left" test "$(find "$TMP/sharded" -name '.tmp-*' | wc -l)" -eq 0
run import "$TMP/sharded" --db "$TMP/sharded.db"
check "sharded import: 5 images" grep -q "imported .*: 5 images (5 new)" "$TMP/out"

# scan --to: shards written without a catalogue, in parallel, then one import.
"$OD" scan "$TMP/roms/r1.rom" "$TMP/roms/r2.rom" "$TMP/roms/r3.rom" --to "$TMP/scanned" --model "Scan M" >"$TMP/s1.out" 2>&1 &
"$OD" scan "$TMP/roms/r3.rom" "$TMP/roms/r4.rom" "$TMP/roms/r5.rom" --to "$TMP/scanned" --model "Scan M" >"$TMP/s2.out" 2>&1 &
wait
check "scan --to: both shards wrote ($(tail -1 "$TMP/s1.out"))" sh -c "grep -q 'scanned: 3 images' '$TMP/s1.out' && grep -q 'scanned: 3 images' '$TMP/s2.out'"
run import "$TMP/scanned" --db "$TMP/scanned.db"
check "scan --to shards import whole: 5 images, nothing refused" grep -q "5 images (5 new), .* 0 files refused" "$TMP/out"
check "...with the model and how they were obtained" test "$(sqlite3 "$TMP/scanned.db" "SELECT DISTINCT model || '/' || obtained FROM sources")" = "Scan M/rom"
run scan "$TMP/roms/r1.rom" --model X
check "scan --model without --to: usage error" test "$rc" -eq 3
cp "$TMP/roms/r5.rom" "$TMP/badsum.rom"
printf 'X' | dd of="$TMP/badsum.rom" bs=1 seek=700 conv=notrunc status=none
run scan "$TMP/badsum.rom" --to "$TMP/scanned2"
check "scan --to never writes what import would refuse (bad checksum)" test ! -e "$TMP/scanned2/images"
check "...and says so" grep -q "not a whole option ROM" "$TMP/err"

# contribute --to never writes through a symlink, and refuses what import would.
mkdir "$TMP/evil"
ln -s /tmp "$TMP/evil/images"
run contribute "${s1:0:12}" --to "$TMP/evil" --db "$TMP/a.db"
check "symlinked images/ refused (exit 4, got $rc)" test "$rc" -eq 4
finish
