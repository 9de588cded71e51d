#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Archives made by independent real tools around real firmware (SeaBIOS's
# vgabios-stdvga.bin = ROM 1234:1111, iPXE's efi-virtio.rom = ROM 1af4:1041,
# OVMF's code volume): gcab (CAB, MSZIP), 7zz (7z), a 7z behind a PE stub
# built with mingw-w64 (the 7-Zip SFX shape), zip -fz (ZIP64), tar, xz,
# bzip2, xorriso (ISO 9660). Each ROM must come out with the container path
# naming every layer; bombs in these formats stop under their entry's path;
# cut archives are refused with the file named, never a crash.
set -e
. "$(dirname "$0")/../lib.sh"
vga=/usr/share/seabios/vgabios-stdvga.bin
virtio=/usr/lib/ipxe/qemu/efi-virtio.rom
ovmf=/usr/share/OVMF/OVMF_CODE_4M.fd
need_file "$vga" seabios
need_file "$virtio" ipxe-qemu
need_file "$ovmf" ovmf
mkdir "$TMP/in"
cp "$vga" "$TMP/in/vga.rom"
cp "$virtio" "$TMP/in/efi-virtio.rom"
cp "$ovmf" "$TMP/in/OVMF_CODE_4M.fd"
cd "$TMP/in"
V='ROM 1234:1111' E='ROM 1af4:1041'
has() { grep -qF "$1" "$TMP/out"; }
# found FILE PATH...: scan FILE, exit 0, every PATH listed.
found() {
	local f=$1; shift
	run scan "$TMP/$f"
	check "$f: exit 0 (got $rc)" test "$rc" -eq 0
	for p in "$@"; do check "$f: $p" has "$p"; done
}
tool() { command -v "$1" >/dev/null; }
missing=""

if tool gcab; then
	gcab -c -z "$TMP/update.cab" vga.rom efi-virtio.rom OVMF_CODE_4M.fd
	found update.cab "update.cab > cab > cab entry \"vga.rom\" > $V" "update.cab > cab > cab entry \"efi-virtio.rom\" > $E"
	run scan --tree "$TMP/update.cab"
	check "update.cab: OVMF's volumes walked inside the CAB" grep -q 'FV 8C8CE578' "$TMP/out"
else missing+=" gcab"; fi

if tool 7zz; then
	7zz a -bd -bso0 "$TMP/fw.7z" vga.rom efi-virtio.rom OVMF_CODE_4M.fd
	found fw.7z "fw.7z > 7z > 7z entry \"vga.rom\" > $V" "fw.7z > 7z > 7z entry \"efi-virtio.rom\" > $E"
	if tool x86_64-w64-mingw32-gcc; then
		printf 'int main(void) { return 0; }\n' >"$TMP/stub.c"
		x86_64-w64-mingw32-gcc -Os -s -o "$TMP/stub.exe" "$TMP/stub.c"
		cat "$TMP/stub.exe" "$TMP/fw.7z" >"$TMP/flash.exe"
		found flash.exe "flash.exe > PE image > PE overlay > 7z > 7z entry \"vga.rom\" > $V" \
			"flash.exe > PE image > PE overlay > 7z > 7z entry \"efi-virtio.rom\" > $E"
		check "flash.exe: the SFX is no longer reported unsupported" sh -c "! grep -q 'self-extracting' '$TMP/err'"
	else missing+=" x86_64-w64-mingw32-gcc"; fi
	# 64 MiB of zeros in 7z: over a 16 MiB one-buffer limit, under its entry.
	head -c 64M /dev/zero >"$TMP/zeros.bin"
	(cd "$TMP" && 7zz a -bd -bso0 bomb.7z zeros.bin)
	run scan --limit one=16 "$TMP/bomb.7z"
	check "bomb.7z: exit 2 (got $rc)" test "$rc" -eq 2
	check "bomb.7z: stopped under its entry, naming the flag" grep -q 'bomb.7z > 7z > 7z entry "zeros.bin".*--limit one=MiB' "$TMP/err"
	# Cut in half: refused with the file named, exit not a crash.
	head -c $(($(stat -c %s "$TMP/fw.7z") / 2)) "$TMP/fw.7z" >"$TMP/cut.7z"
	run scan "$TMP/cut.7z"
	check "cut.7z: no crash (exit $rc)" test "$rc" -lt 64
	check "cut.7z: the damage is reported under 7z" grep -q 'cut.7z > 7z' "$TMP/err"
else missing+=" 7zz"; fi

zip -q -fz "$TMP/fw64.zip" vga.rom efi-virtio.rom
check "fw64.zip really is ZIP64 (end-of-central-directory-64 record)" grep -qa $'PK\x06\x06' "$TMP/fw64.zip"
found fw64.zip "fw64.zip > zip > zip entry \"vga.rom\" > $V" "fw64.zip > zip > zip entry \"efi-virtio.rom\" > $E"

tar cf "$TMP/fw.tar" vga.rom efi-virtio.rom
found fw.tar "fw.tar > tar > tar entry \"vga.rom\" > $V"
check "fw.tar: a stored entry keeps its file offset (0x200, after its header)" sh -c "grep -A1 'tar entry \"vga.rom\"' '$TMP/out' | grep -q 'offset 0x200 in file'"
xz -k "$TMP/fw.tar"
found fw.tar.xz "fw.tar.xz > xz > tar > tar entry \"vga.rom\" > $V" "fw.tar.xz > xz > tar > tar entry \"efi-virtio.rom\" > $E"
bzip2 -k "$TMP/fw.tar"
found fw.tar.bz2 "fw.tar.bz2 > bzip2 > tar > tar entry \"efi-virtio.rom\" > $E"
# Cut so that libarchive refuses it while opening: damage (exit 2, named),
# not "out of memory" (exit 4), which a refused open once was.
head -c 100 "$TMP/fw.tar.bz2" >"$TMP/cut.tar.bz2"
run scan "$TMP/cut.tar.bz2"
check "cut.tar.bz2: exit 2 (got $rc)" test "$rc" -eq 2
check "cut.tar.bz2: named as a damaged bzip2 stream" grep -q 'cut.tar.bz2 > bzip2: .*not readable' "$TMP/err"
xz -c vga.rom >"$TMP/vga.rom.xz"
found vga.rom.xz "vga.rom.xz > xz > $V"
head -c 64M /dev/zero | tr '\0' '\377' | xz -c >"$TMP/bomb.xz" # 0xFF: zeros read as an empty tar
run scan --limit one=16 "$TMP/bomb.xz"
check "bomb.xz: exit 2 (got $rc)" test "$rc" -eq 2
check "bomb.xz: refused under xz, naming the flag" grep -q 'bomb.xz > xz: .*--limit one=MiB' "$TMP/err"

if tool xorriso; then
	mkdir -p "$TMP/isoroot/FW"
	cp vga.rom "$TMP/isoroot/FW/VGA.ROM"
	xorriso -as mkisofs -quiet -o "$TMP/fw.iso" "$TMP/isoroot" 2>/dev/null
	found fw.iso "fw.iso > iso9660 > iso9660 entry \"FW/VGA.ROM\" > $V"
else missing+=" xorriso"; fi

# LZX: no Debian tool writes it; the InstallShield test file in Debian's
# clamav-testfiles holds a real Microsoft LZX CAB (folder type 0x1503) at
# 0x733b9 of its overlay. Cut out, every entry must inflate without a word.
is=/usr/share/clamav-testfiles/clam_IScab_int.exe
if [ -f "$is" ]; then
	tail -c +$((0x733b9 + 1)) "$is" | head -c 543349 >"$TMP/lzx.cab"
	check "lzx.cab: really LZX (CFFOLDER typeCompress 0x1503)" test "$(od -An -tx2 -j42 -N2 "$TMP/lzx.cab" | tr -d ' ')" = 1503
	run scan --tree "$TMP/lzx.cab"
	check "lzx.cab: exit 0, nothing on stderr" sh -c "[ $rc -eq 0 ] && [ ! -s '$TMP/err' ]"
	check "lzx.cab: 13 entries" grep -q 'cab  .*13 entries' "$TMP/out"
	check "lzx.cab: IKernel.dll inflates to its 753664 bytes, a PE" grep -A1 'cab entry "IKernel.dll".*753664 bytes' "$TMP/out"
	check "lzx.cab: the last entry (ISBEW64A.exe) too" grep -q 'cab entry "ISBEW64A.exe".*63488 bytes' "$TMP/out"
else missing+=" clamav-testfiles"; fi

[ -z "$missing" ] || echo "not installed (scripts/deps.sh installs them), their checks skipped:$missing"
finish
