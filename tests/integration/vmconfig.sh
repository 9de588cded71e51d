#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# ssdt + vm-config on a real ROM: the QEMU arguments name every table ssdt
# wrote, the romfile, the subsystem IDs (given, or read from sysfs), and the
# root port that matches the ACPI path; the libvirt fragment carries the same.
set -e
. "$(dirname "$0")/../lib.sh"
need_file /usr/share/seabios/vgabios-stdvga.bin seabios
rom=/usr/share/seabios/vgabios-stdvga.bin
run ssdt "$rom" --acpi "$TMP/acpi"
check "ssdt exit 0" test "$rc" -eq 0
n=$(ls "$TMP"/acpi/vbios-ssdt-*.aml | wc -l)
run vm-config --host 0000:01:00.0 --rom "$rom" --acpi "$TMP/acpi" --sub 1028:07be
check "vm-config exit 0" test "$rc" -eq 0
check "one -acpitable per table ($n) on the QEMU line" test "$(grep '^-acpitable' "$TMP/out" | grep -o -- '-acpitable' | wc -l)" -eq "$n"
check "one qemu:arg pair per table" test "$(grep -c "qemu:arg value='-acpitable'" "$TMP/out")" -eq "$n"
check "romfile" grep -q "romfile=$rom" "$TMP/out"
check "subsystem IDs" grep -q "x-pci-sub-vendor-id=0x1028,x-pci-sub-device-id=0x07be" "$TMP/out"
check "root port at 00:1c.0 (SE0) and GPU at 00.0 (S00)" grep -q "pcie-root-port,id=rp1,bus=pcie.0,addr=1c.0" "$TMP/out"
check "libvirt rom element" grep -q "<rom file='$rom'/>" "$TMP/out"
# Subsystem IDs read from the host's sysfs when not given.
d=$TMP/sys/sys/bus/pci/devices/0000:01:00.0; mkdir -p "$d"
echo 0x10de > "$d/vendor"; echo 0x1c8d > "$d/device"; echo 0x1043 > "$d/subsystem_vendor"; echo 0x1a8d > "$d/subsystem_device"
run vm-config --host 0000:01:00.0 --rom "$rom" --sysfs-root "$TMP/sys"
check "subsystem IDs from sysfs" grep -q "x-pci-sub-vendor-id=0x1043,x-pci-sub-device-id=0x1a8d" "$TMP/out"
run vm-config --rom "$rom"
check "missing --host: usage exit 3" test "$rc" -eq 3
# A whole domain, with the GVT-g display, that libvirt's own schema accepts.
run vm-config --host 0000:01:00.0 --rom "$rom" --acpi "$TMP/acpi" --sub 1028:07be \
	--gvt /sys/bus/mdev/devices/a297db4a-f4c2-11e6-90f6-d3b88d6c9525 --libvirt-domain optimus-test
check "domain exit 0" test "$rc" -eq 0
cp "$TMP/out" "$TMP/domain.xml"
check "root port controller at 00:1c.0" grep -q "model='pcie-root-port'" "$TMP/domain.xml"
check "mdev display hostdev" grep -q "type='mdev' managed='no' model='vfio-pci' display='on'" "$TMP/domain.xml"
if command -v virt-xml-validate >/dev/null; then
	check "virt-xml-validate accepts the domain" virt-xml-validate "$TMP/domain.xml" domain
else
	echo "note: virt-xml-validate absent (libvirt-clients); schema check skipped"
fi
# The topology read back from that domain gives the same ACPI path.
run ssdt "$rom" --acpi "$TMP/lv" --libvirt-xml "$TMP/domain.xml"
check "ssdt --libvirt-xml: path from the domain" grep -q 'ACPI path \\_SB.PCI0.SE0.S00 (.*read from' "$TMP/out"
run vm-config --host 0000:01:00.0 --rom "$TMP/none.rom" --libvirt-domain x
check "a ROM that does not exist: exit 4" test "$rc" -eq 4
check "a ROM that does not exist: named" grep -q "ROM $TMP/none.rom: No such file" "$TMP/err"
finish
