#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Paths as QEMU and libvirt get them (issue 21): absolute and normalised
# whatever was typed, the ROM required to exist, and warnings where the
# user libvirt runs QEMU as cannot read a file or the file sits in a home
# directory (libvirt's AppArmor/SELinux confinement refuses those).
set -e
. "$(dirname "$0")/../lib.sh"
need_file /usr/share/seabios/vgabios-stdvga.bin seabios
rom=/usr/share/seabios/vgabios-stdvga.bin
getent passwd nobody >/dev/null || skip "no user 'nobody' to stand in for libvirt-qemu"
chmod 755 "$TMP"
mkdir -p "$TMP/w/sub" "$TMP/home"
cp "$rom" "$TMP/w/vbios.rom"
cd "$TMP/w/sub"
export OD_QEMU_USER=nobody HOME=$TMP/home
run ssdt ../vbios.rom --acpi ./../acpi//
check "ssdt: exit 0" test "$rc" -eq 0
check "ssdt: the folder absolute, normalised" grep -q "^wrote 2 tables to $TMP/w/acpi:" "$TMP/out"
check "ssdt: QEMU line absolute, no //" grep -q "^QEMU: -acpitable file=$TMP/w/acpi/vbios-ssdt-0.aml -acpitable file=$TMP/w/acpi/vbios-ssdt-1.aml$" "$TMP/out"
run vm-config --host 01:00.0 --rom ..//./vbios.rom --acpi ../acpi/ --libvirt-domain t
check "vm-config: exit 0" test "$rc" -eq 0
check "vm-config: BB:DD.F host completed" grep -q "<address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>" "$TMP/out"
check "vm-config: rom absolute" grep -q "<rom file='$TMP/w/vbios.rom'/>" "$TMP/out"
check "vm-config: tables absolute" grep -q "value='file=$TMP/w/acpi/vbios-ssdt-1.aml'" "$TMP/out"
check "vm-config: no warning for readable files" bash -c "! grep -q warning '$TMP/err'"
check "no // anywhere" bash -c "! grep -q '[^:]//' '$TMP/out'"
# Not readable by the QEMU user: a 0700 folder.
mkdir -m 700 "$TMP/private"; cp "$rom" "$TMP/private/v.rom"
run vm-config --host 0000:01:00.0 --rom "$TMP/private/v.rom" --libvirt-domain t
check "unreadable by libvirt's QEMU user: still exit 0" test "$rc" -eq 0
check "  warned, naming the user and the folder" grep -q "not readable by nobody, the user libvirt starts QEMU as ($TMP/private is mode 0700" "$TMP/err"
# In a home directory.
cp "$rom" "$TMP/home/v.rom"
run vm-config --host 0000:01:00.0 --rom "$TMP/home/v.rom"
check "in a home directory: warned with the fix" grep -q "home directory: .*AppArmor.*/var/lib/libvirt/" "$TMP/err"
run vm-config --host 0000:01:00.0 --rom "$TMP/missing.rom"
check "missing ROM: exit 4" test "$rc" -eq 4
run vm-config --host 0000:01:00.0 --rom "$TMP/w"
check "a folder as ROM: exit 4" test "$rc" -eq 4
check "  said" grep -q "not a regular file" "$TMP/err"
finish
