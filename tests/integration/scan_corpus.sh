#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# optimus-db scan on the real firmware images in ../shared/corpus/firmware:
# the LG R510 Insyde image (LZMA in a type-2 compression section > FV > CRC32
# GUIDed section > raw section; Tiano sections) must yield exactly the ROMs
# UEFIExtract extracted (expected_oproms: <ven>_<dev>__ffs_<GUID>.rom), with
# the FFS GUID on the container path; --extract writes them once, never
# overwriting; the W530 flash descriptor reports its regions.
set -e
. "$(dirname "$0")/../lib.sh"
need_shared
lg=$OD_SHARED/corpus/firmware/lg-r510
for img in "$lg/QLXL3F22.fd" "$lg/origin_backup.fd"; do
	b=$(basename "$img")
	run scan --json "$img"
	check "$b exit 0" test "$rc" -eq 0
	n=0
	for want in "$lg"/expected_oproms/*.rom; do
		n=$((n + 1))
		w=$(basename "$want" .rom); ids=${w%%__*}; guid=${w##*__ffs_}
		sha=$(sha256sum "$want" | cut -c1-64)
		check "$b: $ids found with UEFIExtract's bytes" grep -q "\"sha256\":\"$sha\"" "$TMP/out"
		check "$b: $ids path names file ${guid:0:8}" grep -q "file ${guid:0:8}[^\"]*> GUID-defined section > raw section > ROM ${ids/_/:}\"" "$TMP/out"
	done
	check "$b: as many ROMs as expected ($n)" test "$(grep -o '"sha256"' "$TMP/out" | wc -l)" -eq "$n"
	check "$b: none carved (all found by structure)" test "$(grep -c '"carved":true' "$TMP/out")" -eq 0
done
# Text output: the full container path through the LZMA section.
run scan "$lg/QLXL3F22.fd"
check "text path through LZMA" grep -q "QLXL3F22.fd > FV 7A9354D9 > file 4A538818 > compressed section > LZMA > raw section > FV 7A9354D9 > file 2D673E5A > GUID-defined section > raw section > ROM 10de:0648" "$TMP/out"
check "NVIDIA version from BIT" grep -q "NVIDIA: version 62.94.35.00.46" "$TMP/out"
# --extract: vendor_device_sha8.rom, idempotent, never overwriting.
run scan "$lg/QLXL3F22.fd" --extract "$TMP/x"
check "extract exit 0" test "$rc" -eq 0
check "8 files written" test "$(ls "$TMP/x" | wc -l)" -eq 8
check "named vendor_device_sha8" test -f "$TMP/x/10de_0648_9aaa44fe.rom"
run scan "$lg/QLXL3F22.fd" --extract "$TMP/x"
check "second extract is a no-op" test "$rc" -eq 0
echo junk > "$TMP/x/10de_0652_da8105cf.rom"
run scan "$lg/QLXL3F22.fd" --extract "$TMP/x"
check "a different file in the way is not overwritten (exit 4)" test "$rc" -eq 4
check "the file in the way is intact" test "$(cat "$TMP/x/10de_0652_da8105cf.rom")" = junk
# nvflash dumps: the NVGI header is walked, not carved around.
run scan --json "$OD_SHARED/corpus/roms/nvidia/AvieDv--GTX1070_R1.ROM"
check "NVGI dump: ROM found under the header" grep -q '"path":"AvieDv--GTX1070_R1.ROM > NVIDIA dump header > ROM 10de:1ba1","offset":2560' "$TMP/out"
run scan "$OD_SHARED/corpus/roms/nvidia/bl4dee--spi_baseline_before_tools.bin"
check "blank SPI dump: refused, exit 2" test "$rc" -eq 2
# IFD: regions reported, BIOS region outside a descriptor-only dump said so.
run scan --tree "$OD_SHARED/corpus/firmware/w530/descriptor.bin"
check "IFD exit 0" test "$rc" -eq 0
check "IFD BIOS region reported" grep -q "BIOS region 0x500000-0xbfffff lies outside this file" "$TMP/out"
finish
