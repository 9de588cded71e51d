#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The catalogue end to end on a temporary database: add (idempotent re-add),
# lookup (text/JSON, subsystem ranking, --host via a fake sysfs), show,
# export (ambiguous refused with candidates, never overwrites), contribute /
# import (merge without duplicates, both sources kept, corrupted bundle
# refused whole), verify, schema-version mismatch, read-only database file.
set -e
. "$(dirname "$0")/../lib.sh"
need_file /usr/share/seabios/vgabios-stdvga.bin seabios
export OPTIMUS_DB=$TMP/cat.db
sb=/usr/share/seabios
run add "$sb/vgabios-stdvga.bin" "$sb/vgabios-bochs-display.bin" "$sb/vgabios-qxl.bin" --model "QEMU q35" --bios-version 1.16
check "add exit 0" test "$rc" -eq 0
check "add summary" grep -q "3 new images" "$TMP/out"
run add "$sb/vgabios-stdvga.bin" "$sb/vgabios-bochs-display.bin" "$sb/vgabios-qxl.bin" --model "QEMU q35" --bios-version 1.16
check "re-add changes nothing" grep -q "0 new images, 0 new sources" "$TMP/out"
run stats
check "3 images, 3 sources" grep -q "^3 images (3 VBIOS, 0 NVIDIA), 3 sources" "$TMP/out"
run lookup 1234:1111 --json
check "lookup finds both 1234:1111 ROMs" test "$(grep -o '"sha256"' "$TMP/out" | wc -l)" -eq 2
check "lookup carries the model" grep -q '"model":"QEMU q35"' "$TMP/out"
run lookup 10de:139b
check "no match: exit 1" test "$rc" -eq 1
check "no match said plainly" grep -q "no image in the catalogue" "$TMP/out"
# show by prefix, including the ROM description.
qxl=$(sha256sum "$sb/vgabios-qxl.bin" | cut -c1-64)
run show "${qxl:0:8}"
check "show exit 0" test "$rc" -eq 0
check "show prints the ROM facts" grep -q "vendor: 1b36, device: 0100" "$TMP/out"
run show zz
check "show with a bad prefix: usage exit 3" test "$rc" -eq 3
# export: ambiguous refused with candidates, unique by prefix, no overwrite.
run export 1234:1111 --rom "$TMP/a.rom"
check "ambiguous export refused (exit 3)" test "$rc" -eq 3
check "candidates listed" test "$(grep -c '1234:1111' "$TMP/err")" -ge 2
check "nothing written" test ! -e "$TMP/a.rom"
run export "${qxl:0:10}" --rom "$TMP/q.rom"
check "export by prefix" test "$rc" -eq 0
check "exported bytes are the ROM" cmp -s "$TMP/q.rom" "$sb/vgabios-qxl.bin"
run export 1b36:0100 --rom "$TMP/q.rom"
check "export never overwrites (exit 4)" test "$rc" -eq 4
run export 1b36:0100 --rom "$TMP/q.rom" --force
check "--force overwrites" test "$rc" -eq 0
# export --acpi --fw-cfg: the one fw_cfg table and the ROM beside it, the QEMU line.
run export "${qxl:0:10}" --acpi "$TMP/fwc" --fw-cfg
check "export --acpi --fw-cfg exit 0" test "$rc" -eq 0
check "  the fw_cfg file is the ROM" cmp -s "$TMP/fwc/vbios-fwcfg.rom" "$sb/vgabios-qxl.bin"
check "  one table" test -f "$TMP/fwc/vbios-fwcfg.aml" -a ! -e "$TMP/fwc/vbios-ssdt-0.aml"
check "  -fw_cfg line" grep -q -- "-fw_cfg name=opt/org.optimus-db/vbios,file=" "$TMP/out"
# Subsystem ranking: a host-dump source with subsystem IDs makes an exact match.
run add "$sb/vgabios-stdvga.bin" --kind host
mkdir -p "$TMP/sys/sys/bus/pci/devices/0000:01:00.0"
d=$TMP/sys/sys/bus/pci/devices/0000:01:00.0
echo 0x1234 > "$d/vendor"; echo 0x1111 > "$d/device"; echo 0x1af4 > "$d/subsystem_vendor"; echo 0x1100 > "$d/subsystem_device"
run lookup --host 0000:01:00.0 --sysfs-root "$TMP/sys" --json
check "lookup --host reads sysfs IDs" grep -q '"vendor":"1234","device":"1111"' "$TMP/out"
# Contribute / import into a second catalogue, twice, and with a second source.
std=$(sha256sum "$sb/vgabios-stdvga.bin" | cut -c1-64)
run contribute "${std:0:8}" "${qxl:0:8}" -o "$TMP/b.odb"
check "contribute exit 0" test "$rc" -eq 0
OPTIMUS_DB=$TMP/two.db run import "$TMP/b.odb"
check "import exit 0" test "$rc" -eq 0
check "import counts" grep -q "2 images (2 new), 3 sources (3 new)" "$TMP/out"
OPTIMUS_DB=$TMP/two.db run import "$TMP/b.odb"
check "re-import merges without duplicates" grep -q "2 images (0 new), 3 sources (0 new)" "$TMP/out"
OPTIMUS_DB=$TMP/two.db run add "$sb/vgabios-stdvga.bin" --model "Someone else"
OPTIMUS_DB=$TMP/two.db run lookup 1234:1111 --json
check "both people's sources kept" grep -q '"model":"Someone else"' "$TMP/out"
check "...and the bundle's" grep -q '"obtained":"bundle"' "$TMP/out"
# A bundle whose bytes disagree with its manifest is refused whole.
cp "$TMP/b.odb" "$TMP/bad.odb"
size=$(stat -c %s "$TMP/bad.odb")
printf 'CORRUPT!' | dd of="$TMP/bad.odb" bs=1 seek=$((size - 100)) conv=notrunc status=none
OPTIMUS_DB=$TMP/three.db run import "$TMP/bad.odb"
check "corrupted bundle: exit 2" test "$rc" -eq 2
check "corrupted bundle: says which image" grep -q "hash to" "$TMP/err"
OPTIMUS_DB=$TMP/three.db run stats
check "nothing imported from a corrupted bundle" test "$rc" -ne 0 -o -n "$(grep '^0 images' "$TMP/out")"
head -c 20 "$TMP/b.odb" > "$TMP/cut.odb"
OPTIMUS_DB=$TMP/three.db run import "$TMP/cut.odb"
check "truncated bundle: exit 2 with offset" grep -q "at offset 0x" "$TMP/err"
# verify: clean, then a stored image tampered with behind our back.
run verify
check "verify clean" grep -q "0 bad" "$TMP/out"
if command -v sqlite3 >/dev/null; then
	sqlite3 "$OPTIMUS_DB" "UPDATE images SET bytes = zeroblob(size) WHERE sha256 = '$qxl'"
	run verify
	check "verify finds the tampered image (exit 2)" test "$rc" -eq 2
	check "verify names it" grep -q "$qxl" "$TMP/err"
	run export "${qxl:0:8}" --rom "$TMP/never.rom"
	check "export refuses a corrupt image" test ! -e "$TMP/never.rom"
	# Schema from the future: refused, clear message.
	cp "$TMP/two.db" "$TMP/future.db"
	sqlite3 "$TMP/future.db" "PRAGMA user_version = 99"
	OPTIMUS_DB=$TMP/future.db run lookup 1234:1111
	check "newer schema refused (exit 4)" test "$rc" -eq 4
	check "newer schema message" grep -q "newer than this optimus-db" "$TMP/err"
fi
# A read-only catalogue still answers lookups; add fails cleanly.
cp "$TMP/two.db" "$TMP/ro.db"; chmod 0444 "$TMP/ro.db"
if [ "$(id -u)" -ne 0 ]; then
	OPTIMUS_DB=$TMP/ro.db run add "$sb/vgabios-qxl.bin"
	check "add to read-only db fails with exit 4" test "$rc" -eq 4
fi
OPTIMUS_DB=$TMP/ro.db run lookup 1234:1111
check "lookup on a read-only db" test "$rc" -eq 0
# --db beats OPTIMUS_DB; XDG_DATA_HOME is the default.
run stats --db "$TMP/two.db"
check "--db option" grep -q "^2 images" "$TMP/out"
(unset OPTIMUS_DB; XDG_DATA_HOME=$TMP/xdg "$OD" add -q "$sb/vgabios-qxl.bin" >/dev/null)
check "default catalogue under XDG_DATA_HOME" test -f "$TMP/xdg/optimus-db/catalogue.db"
finish
