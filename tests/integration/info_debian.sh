#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# optimus-db info over the real option ROMs Debian ships (seabios VGA BIOSes,
# iPXE legacy+EFI chains): IDs must match the QEMU devices they are built for.
set -e
. "$(dirname "$0")/../lib.sh"
need_file /usr/share/seabios/vgabios-stdvga.bin seabios
need_file /usr/lib/ipxe/qemu/efi-e1000.rom ipxe-qemu
# PCI IDs of the QEMU devices (QEMU hw/display, hw/net; pci.ids).
declare -A ids=(
	[vgabios-stdvga.bin]=1234:1111 [vgabios-bochs-display.bin]=1234:1111 [vgabios-qxl.bin]=1b36:0100
	[vgabios-ati.bin]=1002:5159 [vgabios-cirrus.bin]=1013:00b8 [vgabios-virtio.bin]=1af4:1050
	[vgabios-vmware.bin]=15ad:0405
	[e1000]=8086:100e [e1000e]=8086:10d3 [eepro100]=8086:1229 [pcnet]=1022:2000
	[rtl8139]=10ec:8139 [virtio]=1af4:1041 [vmxnet3]=15ad:07b0
)
for f in /usr/share/seabios/vgabios-*.bin; do
	b=$(basename "$f")
	run info --json "$f"
	case $b in
	vgabios-isavga.bin|vgabios-ramfb.bin)
		# ISA ROMs: 55 AA without PCIR. A clear refusal, exit 2.
		check "$b refused with exit 2" test "$rc" -eq 2
		check "$b says why" grep -q "without a PCI Data Structure" "$TMP/err";;
	*)
		check "$b exit 0" test "$rc" -eq 0
		want=${ids[$b]:-}
		[ -n "$want" ] || { fail "$b: no expected IDs in this test"; continue; }
		check "$b is ${want}" grep -q "\"vendor\":\"${want%:*}\",\"device\":\"${want#*:}\"" "$TMP/out"
		check "$b class 03xxxx" grep -q '"class":"03' "$TMP/out"
		check "$b checksum ok" grep -q '"checksum_ok":true' "$TMP/out";;
	esac
done
for f in /usr/lib/ipxe/qemu/*.rom; do
	b=$(basename "$f" .rom); dev=${b#*-}
	run info --json "$f"
	check "$b exit 0" test "$rc" -eq 0
	want=${ids[$dev]:-}
	if [ -n "$want" ]; then
		check "$b is $want" grep -q "\"vendor\":\"${want%:*}\",\"device\":\"${want#*:}\"" "$TMP/out"
	fi
	case $b in
	efi-*)  # legacy + EFI chain; Debian's EFI images are uncompressed.
		check "$b has 2 images" test "$(grep -o '"code_type":' "$TMP/out" | wc -l)" -eq 2
		check "$b EFI image X64" grep -q '"machine":"8664"' "$TMP/out"
		check "$b EFI uncompressed" grep -q '"compression":0' "$TMP/out";;
	pxe-*)
		check "$b has 1 image" test "$(grep -o '"code_type":' "$TMP/out" | wc -l)" -eq 1;;
	esac
done
# Text output is rom-parser's.
run info /usr/share/seabios/vgabios-stdvga.bin
check "rom-parser style line" grep -q "PCIR: type 0 (x86 legacy), vendor: 1234, device: 1111, class: 030000" "$TMP/out"
check "rom-parser Last image" grep -q "Last image" "$TMP/out"
# Read-only input works (rom-parser opened O_RDWR).
cp /usr/share/seabios/vgabios-qxl.bin "$TMP/ro.bin"; chmod 0444 "$TMP/ro.bin"
run info "$TMP/ro.bin"
check "read-only file accepted" test "$rc" -eq 0
# Garbage: exit 2, message with file and offset, nothing written.
head -c 4096 /dev/urandom > "$TMP/junk.bin"
run info "$TMP/junk.bin" --strip-header "$TMP/never.rom"
check "garbage exit 2" test "$rc" -eq 2
check "garbage names the file and offset" grep -q "junk.bin.*at offset 0x0" "$TMP/err"
check "nothing written on error" test ! -e "$TMP/never.rom"
run info
check "no file: usage exit 3" test "$rc" -eq 3
finish
