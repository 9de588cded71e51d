#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The catalogue against hostile and careless input (issue 14): concurrent
# first-time adds, a disk that fills during add, bundles that carry non-ROMs,
# overlapping ranges, control characters, over-long fields or bad hashes,
# field limits shared by add / contribute / import, and catalogues that
# cannot be read (corrupt, another file type, a shared root-owned one).
set -e
. "$(dirname "$0")/../lib.sh"
need_file /usr/share/seabios/vgabios-stdvga.bin seabios
command -v sqlite3 >/dev/null || skip "sqlite3 CLI absent"
sb=/usr/share/seabios
count() { sqlite3 "$1" "SELECT count(*) FROM images"; }

# Little-endian integers and a bundle from a manifest file and a data file.
le() { local v=$1 n=$2 i s=""; for ((i = 0; i < n; i++)); do s+=$(printf '\\x%02x' $(((v >> (8 * i)) & 255))); done; printf "$s"; }
mkbundle() { # OUT MANIFEST DATA
	{ printf ODBUNDLE; le 1 4; le "$(stat -c %s "$2")" 4; le "$(stat -c %s "$3")" 8; cat "$2" "$3"; } >"$1"
}
sha() { sha256sum "$1" | cut -c1-64; }
# A valid copy of the stdvga ROM with distinct bytes: 8 digits at 0x200, the
# last byte re-balanced so the 8-bit sum is 0 again.
variant() { # N OUT
	cp "$sb/vgabios-stdvga.bin" "$2"
	printf '%08d' "$1" | dd of="$2" bs=1 seek=512 conv=notrunc status=none
	local size sum
	size=$(stat -c %s "$2")
	sum=$(head -c $((size - 1)) "$2" | od -An -tu1 -v | awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s % 256 }')
	le $(((256 - sum) % 256)) 1 | dd of="$2" bs=1 seek=$((size - 1)) conv=notrunc status=none
}
mkdir "$TMP/roms"
for i in $(seq 1 12); do variant "$i" "$TMP/roms/r$i.rom"; done
run scan "$TMP/roms/r1.rom"
check "test ROMs are valid (checksum ok)" test "$rc" -eq 0

# --- Four first-time adds at once on a new catalogue: all succeed, nothing lost.
lost=0
for round in 1 2 3 4 5; do
	db=$TMP/conc$round.db
	pids=()
	for i in 1 2 3 4; do "$OD" add -q "$TMP/roms/r$i.rom" --db "$db" >"$TMP/c$i.out" 2>"$TMP/c$i.err" & pids+=($!); done
	k=0
	for p in "${pids[@]}"; do
		k=$((k + 1))
		set +e; wait "$p"; r=$?; set -e
		[ "$r" -eq 0 ] || { lost=$((lost + 1)); echo "round $round add $k: exit $r ($(cat "$TMP/c$k.err"))" >>"$TMP/conc.log"; }
	done
	[ "$(count "$db")" = 4 ] || { lost=$((lost + 1)); echo "round $round: $(count "$db") images stored" >>"$TMP/conc.log"; }
done
check "concurrent first-time adds: none fails, all 4 stored, 5 rounds ($lost failures: $(head -3 "$TMP/conc.log" 2>/dev/null))" test "$lost" -eq 0

# --- A disk that fills during add (RLIMIT_FSIZE: writes fail with EFBIG):
# what add reports as new is exactly what the catalogue holds.
db=$TMP/full.db
"$OD" add -q "$sb/vgabios-qxl.bin" --db "$db" >/dev/null
set +e
(trap '' XFSZ; ulimit -f 200; exec "$OD" add "$TMP/roms" --db "$db") >"$TMP/out" 2>"$TMP/err"
rc=$?
set -e
said=$(sed -n 's/.* option ROMs, \([0-9]*\) new image.*/\1/p' "$TMP/out")
have=$(($(count "$db") - 1))
check "disk full: add fails (exit 4, got $rc)" test "$rc" -eq 4
check "disk full: the failure was a write error" grep -q "I/O error" "$TMP/err"
check "disk full: reported new images ($said) = images stored ($have)" test "$said" = "$have"
check "disk full: fewer than all stored (the limit bit)" test "$have" -lt 12

# --- import runs every image through the ROM parser; one bad image refuses all.
good=$TMP/roms/r1.rom
badimg() { # NAME FILE: a bundle of the good ROM and FILE; import must refuse it whole
	local name=$1 f=$2 gs fs gl
	gs=$(sha "$good"); fs=$(sha "$f"); gl=$(stat -c %s "$good")
	printf 'image %s 0 %s\nsource %s model=ok\nimage %s %s %s\n' "$gs" "$gl" "$gs" "$fs" "$gl" "$(stat -c %s "$f")" >"$TMP/m"
	cat "$good" "$f" >"$TMP/d"
	mkbundle "$TMP/$name.odb" "$TMP/m" "$TMP/d"
	run import "$TMP/$name.odb" --db "$TMP/imp.db"
	check "import $name: exit 2 (got $rc)" test "$rc" -eq 2
	check "import $name: names the image ${fs:0:12}" grep -q "image ${fs:0:12}" "$TMP/err"
	check "import $name: nothing imported" test ! -e "$TMP/imp.db"
}
printf 'hello, this is text\n' >"$TMP/text"
badimg text "$TMP/text"
head -c 20000 "$sb/vgabios-qxl.bin" >"$TMP/half"
badimg half-rom "$TMP/half"
cp "$TMP/roms/r2.rom" "$TMP/badsum"
printf 'X' | dd of="$TMP/badsum" bs=1 seek=600 conv=notrunc status=none
badimg bad-checksum "$TMP/badsum"
# A 0-byte image (its hash is the empty string's).
gs=$(sha "$good"); gl=$(stat -c %s "$good"); es=$(sha /dev/null)
printf 'image %s 0 %s\nimage %s %s 0\n' "$gs" "$gl" "$es" "$gl" >"$TMP/m"
mkbundle "$TMP/empty.odb" "$TMP/m" "$good"
run import "$TMP/empty.odb" --db "$TMP/imp.db"
check "import 0-byte image: exit 2" test "$rc" -eq 2
check "import 0-byte image: nothing imported" test ! -e "$TMP/imp.db"

# --- Overlapping ranges: the same bytes listed under two records.
cat "$good" >"$TMP/d"
tail -c +513 "$good" >"$TMP/tail"
printf 'image %s 0 %s\nimage %s 512 %s\n' "$gs" "$gl" "$(sha "$TMP/tail")" $((gl - 512)) >"$TMP/m"
mkbundle "$TMP/overlap.odb" "$TMP/m" "$TMP/d"
run import "$TMP/overlap.odb" --db "$TMP/imp.db"
check "overlapping ranges refused (exit 2, got $rc)" test "$rc" -eq 2
check "overlapping ranges: said so" grep -q "overlap" "$TMP/err"
check "overlapping ranges: nothing imported" test ! -e "$TMP/imp.db"

# --- Control characters and bad hashes in source fields.
ctl() { # NAME FIELD=VALUE: refused, nothing imported
	printf 'image %s 0 %s\nsource %s %s\n' "$gs" "$gl" "$gs" "$2" >"$TMP/m"
	mkbundle "$TMP/$1.odb" "$TMP/m" "$good"
	run import "$TMP/$1.odb" --db "$TMP/imp.db"
	check "import $1: exit 2 (got $rc)" test "$rc" -eq 2
	check "import $1: nothing imported" test ! -e "$TMP/imp.db"
	cp "$TMP/err" "$TMP/$1.err"
}
ctl esc-in-model 'model=%1B%5B2J%1B%5D0%3Bpwned%07'
ctl newline-in-path 'path=x%0A%20%20%20%20%20%20exact%20subsystem%20match'
ctl c1-csi-in-bios 'bios=1.0%C2%9B2J'
ctl bad-utf8 'container=%FF%FE'
ctl container-sha-not-hex 'container_sha256=zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz'
ctl unknown-obtained 'obtained=magic'
ctl esc-in-unknown-key $'\e]0;t=%07'
check "an unknown key with controls is not echoed raw" sh -c "! grep -q \"\$(printf '\\033')\" '$TMP/esc-in-unknown-key.err'"
check "a control character is named as such" grep -q "model: control character" "$TMP/esc-in-model.err"
check "container_sha256 must be hex" grep -q "container_sha256 is not 64" "$TMP/container-sha-not-hex.err"
# Output escapes what an older catalogue may already hold, and what add
# takes from file names.
db=$TMP/esc.db
nl=$'\n'; esc=$'\e'
cp "$TMP/roms/r3.rom" "$TMP/evil${esc}]0;t${esc}\\${nl}      exact subsystem match.rom"
run add "$TMP/evil${esc}]0;t${esc}\\${nl}      exact subsystem match.rom" --db "$db"
check "add of a file name with controls: exit 0" test "$rc" -eq 0
sqlite3 "$db" "UPDATE sources SET model = 'M' || char(27) || '[2J' || char(155) || 'x' || char(10) || 'forged'"
run lookup 1234:1111 --db "$db"
check "lookup prints no ESC byte" sh -c "! grep -q \"\$(printf '\\033')\" '$TMP/out'"
check "lookup prints no C1 CSI" sh -c "! LC_ALL=C grep -q \"\$(printf '\\302\\233')\" '$TMP/out'"
check "lookup: no forged line" test "$(grep -c '^ *exact subsystem match' "$TMP/out")" -eq 0
check "lookup shows the escape as \\x1b" grep -q '\\x1b\[2J' "$TMP/out"
run lookup 1234:1111 --db "$db" --json
check "JSON escapes C0 and C1" grep -q 'M\\u001b\[2J\\u009bx\\u000aforged' "$TMP/out"

# --- One set of field limits for add, contribute and import.
m255=$(printf 'M%.0s' $(seq 1 255)); m256=${m255}X
run add "$TMP/roms/r4.rom" --model "$m256" --db "$TMP/lim.db"
check "add --model of 256 bytes: usage error (exit 3, got $rc)" test "$rc" -eq 3
run add "$TMP/roms/r4.rom" --model "$m255" --db "$TMP/lim.db"
check "add --model of 255 bytes: ok" test "$rc" -eq 0
s4=$(sha "$TMP/roms/r4.rom")
run contribute "${s4:0:12}" -o "$TMP/lim.odb" --db "$TMP/lim.db"
check "contribute at the limit: ok" test "$rc" -eq 0
run import "$TMP/lim.odb" --db "$TMP/lim2.db"
check "import of what contribute wrote at the limit: ok (got $rc: $(head -1 "$TMP/err"))" test "$rc" -eq 0
# A catalogue from before the limits (model stored longer): contribute refuses.
sqlite3 "$TMP/lim.db" "UPDATE sources SET model = model || 'XY'"
run contribute "${s4:0:12}" -o "$TMP/lim-long.odb" --db "$TMP/lim.db"
check "contribute of an over-long field: exit 2 (got $rc)" test "$rc" -eq 2
check "contribute of an over-long field: says which image" grep -q "${s4:0:12}" "$TMP/err"
check "contribute of an over-long field: writes nothing" test ! -e "$TMP/lim-long.odb"

# contribute never writes an image import would refuse (bad checksum).
"$OD" add -q "$TMP/badsum" --db "$TMP/lim.db" >/dev/null 2>&1 || true
bs=$(sha "$TMP/badsum")
if [ "$(sqlite3 "$TMP/lim.db" "SELECT count(*) FROM images WHERE sha256 = '$bs'")" = 1 ]; then
	run contribute "${bs:0:12}" -o "$TMP/badsum.odb" --db "$TMP/lim.db"
	check "contribute of a bad-checksum image: exit 2 (got $rc)" test "$rc" -eq 2
	check "contribute of a bad-checksum image: says why" grep -q "${bs:0:12} is not a whole option ROM" "$TMP/err"
	check "contribute of a bad-checksum image: writes nothing" test ! -e "$TMP/badsum.odb"
fi

# --- Catalogues that cannot be read: SQLite's own error, verify says corrupt.
"$OD" add -q "$TMP/roms" --db "$TMP/real.db" >/dev/null
head -c 3000 "$TMP/real.db" >"$TMP/trunc.db"
head -c 8192 /dev/urandom >"$TMP/random.db"
cp "$sb/vgabios-qxl.bin" "$TMP/other.db"
: >"$TMP/empty.db"
for f in trunc random other empty; do
	run lookup 1234:1111 --db "$TMP/$f.db"
	check "$f catalogue: lookup exit 2 (got $rc)" test "$rc" -eq 2
	check "$f catalogue: not called a schema upgrade" sh -c "! grep -q 'schema upgrade' '$TMP/err'"
	run verify --db "$TMP/$f.db"
	check "$f catalogue: verify exit 2 (got $rc)" test "$rc" -eq 2
	check "$f catalogue: verify says it is not a catalogue or corrupt" grep -Eq "corrupt|not an optimus-db catalogue" "$TMP/err"
done
run lookup 1234:1111 --db "$TMP/random.db"
check "random bytes: SQLite's message" grep -q "file is not a database" "$TMP/err"

# A shared catalogue: root's WAL catalogue in a folder only root can write,
# read by another user (nobody) with lookup.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	mkdir -m 0755 "$TMP/shared"
	chmod 0755 "$TMP"
	cp "$TMP/real.db" "$TMP/shared/cat.db"
	chmod 0644 "$TMP/shared/cat.db"
	check "shared catalogue is in WAL mode" test "$(sqlite3 "$TMP/shared/cat.db" 'PRAGMA journal_mode')" = wal
	set +e
	setpriv --reuid=65534 --regid=65534 --clear-groups "$OD" lookup 1234:1111 --db "$TMP/shared/cat.db" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	set -e
	check "nobody can lookup root's shared catalogue (exit 0, got $rc: $(head -1 "$TMP/err"))" test "$rc" -eq 0
	check "...and sees its images" grep -q "1234:1111" "$TMP/out"
	check "...without leaving files in the folder" test "$(ls "$TMP/shared")" = cat.db
else
	echo "note: not root (or no setpriv): the shared-catalogue case is not run"
fi
finish
