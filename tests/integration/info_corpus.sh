#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# optimus-db info over the real NVIDIA/AMD/Intel ROMs in ../shared/corpus/roms,
# checked against roms/INDEX.tsv (prefix, first 55AA+PCIR offset, BIT offset,
# first image IDs and class, EFI images and their compression) and versions
# carried in file names.
set -e
. "$(dirname "$0")/../lib.sh"
need_shared
root=$OD_SHARED/corpus/roms
n=0
while IFS=$'\t' read -r file size prefix first bit chain; do
	[ "$file" = file ] && continue
	f=$root/$file
	# INDEX also lists files that Debian packages install rather than ship here.
	case $file in
	other/debian-ipxe-qemu/*) f=/usr/lib/ipxe/qemu/${file##*/};;
	other/debian-seabios/*) f=/usr/share/seabios/${file##*/};;
	esac
	[ -f "$f" ] || { fail "$file listed in INDEX.tsv but absent"; continue; }
	n=$((n + 1))
	run info --json "$f"
	if [ "$first" = "-" ]; then
		check "$file: not a PCI ROM -> exit 2" test "$rc" -eq 2
		continue
	fi
	check "$file exit 0" test "$rc" -eq 0
	check "$file ROM offset $first" grep -q "\"rom_offset\":$((first))," "$TMP/out"
	if [ "$bit" != "-" ]; then
		# INDEX gives BIT relative to the file; ours is relative to the ROM.
		check "$file BIT at $bit" grep -q "\"bit_offset\":$((bit - first))," "$TMP/out"
	fi
	# First x86/EFI image of the chain as INDEX lists it (it reads PCIR only;
	# NPDE chains show more images here, never fewer).
	img=${chain%%;*}
	ids=$(echo "$img" | grep -o '[0-9a-f]\{4\}:[0-9a-f]\{4\}')
	cls=$(echo "$img" | grep -o 'cls[0-9a-f]*' | sed 's/cls//')
	check "$file IDs $ids" grep -q "\"vendor\":\"${ids%:*}\",\"device\":\"${ids#*:}\",\"class\":\"$cls\"" "$TMP/out"
	# Every EFI image INDEX lists must be in our chain with its compression.
	for efi in $(echo "$chain" | tr ';' '\n' | grep '^EFI' | sed 's/.*comp//'); do
		check "$file EFI image compression $efi" grep -q "\"compression\":$efi" "$TMP/out"
	done
	# Versions carried in file names (e.g. 86.08.40.00.48).
	v=$(echo "$file" | grep -o '[0-9A-F]\{2\}\.[0-9A-F]\{2\}\.[0-9A-F]\{2\}\.[0-9A-F]\{2\}\.[0-9A-F]\{2\}' || true)
	[ -n "$v" ] && check "$file version $v" grep -q "\"version\":\"$v\"" "$TMP/out"
done < "$root/INDEX.tsv"
check "INDEX rows checked" test "$n" -ge 30
# K1000M: the 55AA at 0xF800 inside the legacy image is not a separate ROM
# chain start; our chain walks it as image 2 (code type 0xE0), never as ROM 1.
run info --json "$root/nvidia/eric-pierce--W530--k1000m-vbios_10de_0ffc.rom"
check "K1000M image 2 at 0xF800 is type 0xE0" grep -q '"offset":63488,"pcir_offset":64,"code_type":224' "$TMP/out"
check "K1000M W530 subsystem 17aa:21f6" grep -q '"subsystem_vendor":"17aa","subsystem_device":"21f6"' "$TMP/out"
# 0xE0 images predate FwSec (Turing): the Kepler ROM's is an extension image.
check "K1000M 0xE0 image is not called FwSec" grep -q '"fwsec":false,"ext_e0":true' "$TMP/out"
run info "$root/nvidia/eric-pierce--W530--k1000m-vbios_10de_0ffc.rom"
check "K1000M text: extension, not FwSec" grep -q "0xE0 extension image present (not FwSec" "$TMP/out"
run info --json "$root/nvidia/AvieDv--TU117.rom"
check "TU117 (Turing): FwSec" grep -q '"fwsec":true' "$TMP/out"
# --strip-header on an NVGI dump writes the bare ROM, never overwriting.
g=$root/nvidia/AvieDv--GTX1070_R1.ROM
run info "$g" --strip-header "$TMP/bare.rom"
check "strip exit 0" test "$rc" -eq 0
check "stripped file starts with 55 AA" test "$(head -c2 "$TMP/bare.rom" | od -An -tx1 | tr -d ' ')" = 55aa
run info --json "$TMP/bare.rom"
check "stripped ROM at offset 0" grep -q '"rom_offset":0,' "$TMP/out"
run info "$g" --strip-header "$TMP/bare.rom"
check "no overwrite without --force" test "$rc" -eq 4
finish
