#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# coreboot CBFS: images made by coreboot's own cbfstool (Debian
# coreboot-utils) around real ROMs (SeaBIOS's vgabios-stdvga 1234:1111,
# iPXE's efi-virtio 1af4:1041), stored raw, LZMA and LZ4: each ROM found
# under its CBFS file name, byte for byte what `cbfstool extract` gives; the
# real coreboot 4.17 ThinkPad T60 image in ../shared (FMAP, ORBC master
# header) yields the ATI X1400 VBIOS pci1002,7145.rom by structure, not by
# carving, with cbfstool's bytes.
set -e
. "$(dirname "$0")/../lib.sh"
vga=/usr/share/seabios/vgabios-stdvga.bin
virtio=/usr/lib/ipxe/qemu/efi-virtio.rom
need_file "$vga" seabios
need_file "$virtio" ipxe-qemu
command -v cbfstool >/dev/null || skip "cbfstool absent (scripts/deps.sh installs coreboot-utils)"
sha() { sha256sum "$1" | cut -c1-64; }
img=$TMP/cb.rom
cbfstool "$img" create -m x86 -s 524288 >/dev/null
cbfstool "$img" add -f "$vga" -n pci1234,1111.rom -t optionrom
cbfstool "$img" add -f "$vga" -n vgaroms/lzma.rom -t optionrom -c lzma
cbfstool "$img" add -f "$virtio" -n pci1af4,1041.rom -t optionrom -c lz4
cbfstool "$img" print >"$TMP/print"
check "cbfstool stored one LZMA and one LZ4 file" sh -c "grep -q 'lzma.rom.*LZMA' '$TMP/print' && grep -q 'pci1af4,1041.rom.*LZ4' '$TMP/print'"
run scan --json "$img"
check "cb.rom: exit 0 (got $rc)" test "$rc" -eq 0
check "cb.rom: three ROMs, none carved" sh -c "[ \$(grep -o '\"sha256\"' '$TMP/out' | wc -l) -eq 3 ] && ! grep -q '\"carved\":true' '$TMP/out'"
for f in pci1234,1111.rom vgaroms/lzma.rom pci1af4,1041.rom; do
	cbfstool "$img" extract -n "$f" -f "$TMP/x.rom" >/dev/null
	check "cb.rom: $f has cbfstool's bytes" grep -q "\"sha256\":\"$(sha "$TMP/x.rom")\"" "$TMP/out"
done
run scan "$img"
check "raw file path" grep -qF 'cb.rom > CBFS > CBFS file "pci1234,1111.rom" > ROM 1234:1111' "$TMP/out"
check "LZMA file path" grep -qF 'cb.rom > CBFS > CBFS file "vgaroms/lzma.rom" > LZMA > ROM 1234:1111' "$TMP/out"
check "LZ4 file path" grep -qF 'cb.rom > CBFS > CBFS file "pci1af4,1041.rom" > LZ4 > ROM 1af4:1041' "$TMP/out"
# A cut image: the file that runs past the end is named, the earlier ones found.
head -c $((0x10000)) "$img" >"$TMP/cut.rom"
run scan "$TMP/cut.rom"
check "cut.rom: the first ROM still found" grep -qF 'CBFS file "pci1234,1111.rom" > ROM 1234:1111' "$TMP/out"
check "cut.rom: the cut file is reported" grep -q 'cut.rom > CBFS.*runs past the CBFS end' "$TMP/err"

t60=${OD_SHARED:-/nonexistent}/corpus/firmware/coreboot/DMachala-0--ThinkPad_T60_ATI-coreboot4.17-CBFS--t60_3G5M_RAM.ROM
if [ -f "$t60" ]; then
	run scan "$t60"
	check "T60: exit 0" test "$rc" -eq 0
	check "T60: the VBIOS under its CBFS name, by structure" grep -qF 'ROM > FMAP > CBFS COREBOOT > CBFS file "pci1002,7145.rom" > ROM 1002:7145' "$TMP/out"
	check "T60: nothing carved" sh -c "! grep -q 'carved' '$TMP/out'"
	cbfstool "$t60" extract -n pci1002,7145.rom -f "$TMP/t60.rom" >/dev/null
	check "T60: the bytes cbfstool extracts" grep -q "sha256 $(sha "$TMP/t60.rom")" "$TMP/out"
	run scan --tree "$t60"
	check "T60: the LZMA ramstage decodes, nothing on stderr" sh -c "grep -A1 'CBFS file \"fallback/ramstage\"' '$TMP/out' | grep -q '  LZMA  ' && [ ! -s '$TMP/err' ]"
	check "T60: all 18 files listed" grep -q 'CBFS COREBOOT .* 18 files' "$TMP/out"
else
	echo "shared T60 coreboot image absent: its checks skipped (the cbfstool images above still ran)"
fi
finish
