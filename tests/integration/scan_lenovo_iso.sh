#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Lenovo-style bootable BIOS update ISOs, made with the real tools:
# mkfs.fat + mcopy put the capsules ($01AB000.FL1: a Lenovo capsule holding
# a volume with ROM 1234:1111, from corpus/capsule; $01AB000.FL2: a Lenovo
# capsule around Debian's OVMF code volumes) into a FAT image, xorriso makes
# it the El Torito boot image, floppy (1.44M) or hard-disk emulation, hidden
# from the ISO's tree as Lenovo's are. The ROM must be found through the
# boot image; a visible boot image is walked once, not twice.
set -e
. "$(dirname "$0")/../lib.sh"
ovmf=/usr/share/OVMF/OVMF_CODE_4M.fd
need_file "$ovmf" ovmf
for t in xorriso mkfs.fat mcopy mmd; do command -v $t >/dev/null || skip "$t absent (scripts/deps.sh installs xorriso, dosfstools, mtools)"; done
cap=$OD_SRC/corpus/capsule/gen-lenovo.cap
need_file "$cap" "the committed seed corpus/capsule/gen-lenovo.cap"
le32() { printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"; }
# Lenovo capsule header (GUID E20BAFD3-9914-4F4F-9537-3129E090EB3C, header
# size 32, flags, image size), as corpus/make-seeds writes it.
{ printf '\xd3\xaf\x0b\xe2\x14\x99\x4f\x4f\x95\x37\x31\x29\xe0\x90\xeb\x3c'; le32 32; le32 0x50000
  le32 $((32 + $(stat -c %s "$ovmf"))); printf '\xff\xff\xff\xff'; cat "$ovmf"; } >"$TMP/ovmf.FL2"
P='FV 8C8CE578 > file 11111111 > raw section > ROM 1234:1111'

# Floppy emulation: the FL1 on a 1.44 MB FAT12 image.
mkfs.fat -C -n BIOSUPD "$TMP/floppy.img" 1440 >/dev/null
mmd -i "$TMP/floppy.img" ::/FLASH
mcopy -i "$TMP/floppy.img" "$cap" '::/FLASH/$01AB000.FL1'
mkdir "$TMP/root" && cp "$TMP/floppy.img" "$TMP/root/"
echo "BIOS update" >"$TMP/root/README.TXT"
xorriso -as mkisofs -quiet -b floppy.img -c boot.cat -hide floppy.img -hide boot.cat -o "$TMP/floppy.iso" "$TMP/root" 2>/dev/null
run scan "$TMP/floppy.iso"
check "floppy.iso: exit 0 (got $rc)" test "$rc" -eq 0
check "floppy.iso: the ROM through the hidden boot image" grep -qF "floppy.iso > iso9660 > El Torito image 1 > $P" "$TMP/out"
run scan --tree "$TMP/floppy.iso"
check "floppy.iso: the image is named as floppy emulation" grep -q 'El Torito image 1 .*floppy 1.44M' "$TMP/out"
# The same image visible in the tree (xorriso's default): one ROM, not two.
xorriso -as mkisofs -quiet -b floppy.img -c boot.cat -o "$TMP/visible.iso" "$TMP/root" 2>/dev/null
run scan "$TMP/visible.iso"
check "visible.iso: the ROM under the boot image's file name" grep -qF "visible.iso > iso9660 > iso9660 entry \"floppy.img\" > $P" "$TMP/out"
check "visible.iso: found once" grep -q 'visible.iso: 1 option ROM found' "$TMP/out"

# Hard-disk emulation: an MBR with one FAT16 partition from LBA 1 holding
# both capsules (OVMF's needs the room).
mkfs.fat -C -F 16 -s 2 -n BIOSUPD "$TMP/part.img" 8192 >/dev/null
mmd -i "$TMP/part.img" ::/FLASH
mcopy -i "$TMP/part.img" "$cap" '::/FLASH/$01AB000.FL1'
mcopy -i "$TMP/part.img" "$TMP/ovmf.FL2" '::/FLASH/$01AB000.FL2'
sectors=$(($(stat -c %s "$TMP/part.img") / 512))
{ head -c 446 /dev/zero; printf '\x80\x00\x02\x00\x06\xfe\xff\xff'; le32 1; le32 "$sectors"; head -c 48 /dev/zero; printf '\x55\xaa'
  cat "$TMP/part.img"; } >"$TMP/root2.img"
mkdir "$TMP/root2" && mv "$TMP/root2.img" "$TMP/root2/hdd.img"
xorriso -as mkisofs -quiet -b hdd.img -hard-disk-boot -c boot.cat -hide hdd.img -hide boot.cat -o "$TMP/hdd.iso" "$TMP/root2" 2>/dev/null
run scan --tree "$TMP/hdd.iso"
check "hdd.iso: exit 0 (got $rc)" test "$rc" -eq 0
check "hdd.iso: hard-disk emulation, the image sized by its partition" grep -q "El Torito image 1 .*hard disk, sector [0-9]*, $((512 + sectors * 512)) bytes" "$TMP/out"
check "hdd.iso: the ROM through the boot image" grep -qF "hdd.iso > iso9660 > El Torito image 1 > $P" "$TMP/out"
check "hdd.iso: OVMF's volumes in the FL2 walked too" test "$(grep -c 'FV 8C8CE578' "$TMP/out")" -ge 3
# A boot catalog pointing past the end: said, the ISO's files still read.
cp "$TMP/floppy.iso" "$TMP/bad.iso"
printf '\xff\xff\xff\x00' | dd of="$TMP/bad.iso" bs=1 seek=$((17 * 2048 + 0x47)) conv=notrunc 2>/dev/null
run scan "$TMP/bad.iso"
check "bad.iso: no crash (exit $rc)" test "$rc" -lt 64
check "bad.iso: the catalog damage is reported" grep -q 'bad.iso > iso9660.*boot catalog' "$TMP/err"
finish
