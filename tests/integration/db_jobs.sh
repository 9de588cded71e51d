#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# add --jobs N (issue 18): files scanned in parallel, one writer in input
# order: stdout, stderr and the catalogue's rows (ids included) are the same
# for --jobs 1 and 3, on the committed corpus (7,500 real-format seeds,
# damaged ones among them) plus Debian's SeaBIOS and iPXE ROMs.
set -e
. "$(dirname "$0")/../lib.sh"
command -v sqlite3 >/dev/null || skip "sqlite3 CLI absent"
inputs=("$OD_SRC/corpus")
for d in /usr/share/seabios /usr/share/ipxe/qemu; do [ -d "$d" ] && inputs+=("$d"); done
q="SELECT id, sha256, size, vendor, device, class, sub_vendor, sub_device, version, kinds, is_vbios FROM images ORDER BY id;
   SELECT id, image_id, container_name, container_sha256, container_path, offset, obtained, model, bios_version,
          sub_vendor, sub_device FROM sources ORDER BY id"
for j in 1 3; do
	set +e
	"$OD" add "${inputs[@]}" --jobs "$j" --model M --db "$TMP/j$j.db" >"$TMP/j$j.out" 2>"$TMP/j$j.err"
	echo $? >"$TMP/j$j.rc"
	set -e
	sqlite3 "$TMP/j$j.db" "$q" >"$TMP/j$j.rows"
done
check "the inputs gave images (got $(tail -1 "$TMP/j1.out"))" grep -q "new images" "$TMP/j1.out"
check "some inputs are damaged (stderr is compared too)" test -s "$TMP/j1.err"
for j in 3; do
	check "--jobs $j: same exit code" cmp -s "$TMP/j1.rc" "$TMP/j$j.rc"
	check "--jobs $j: same stdout" cmp -s "$TMP/j1.out" "$TMP/j$j.out"
	check "--jobs $j: same stderr" cmp -s "$TMP/j1.err" "$TMP/j$j.err"
	check "--jobs $j: same catalogue rows, same ids" cmp -s "$TMP/j1.rows" "$TMP/j$j.rows"
done
# Found by this test: a stream that ends early left its output buffer's tail
# unwritten, and carving it found the previous input's ROMs in reused heap.
a=$OD_SRC/corpus/dellpfs/64e1e5ec5ea0a33685c9cb33565f0c4d81dfebe5
b=$OD_SRC/corpus/fv/00a37b6a1ccadb07ae3feaa0e5ff7f930811209d
if [ -f "$a" ] && [ -f "$b" ]; then
	run scan "$b"
	alone=$(grep -c '^  \[' "$TMP/out" || true)
	run scan "$a" "$b"
	after=$(sed -n "\|^$b:|,\$p" "$TMP/out" | grep -c '^  \[' || true)
	check "a cut stream's buffer holds nothing of the previous input ($alone ROMs alone, $after after another file)" test "$alone" = "$after"
fi
run add "${inputs[0]}" --jobs 0
check "--jobs 0 is a usage error" test "$rc" -eq 3
run add "${inputs[0]}" --jobs x
check "--jobs x is a usage error" test "$rc" -eq 3
finish
