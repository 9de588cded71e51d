#!/usr/bin/env bash
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
check "root port with hotplug off" grep -q "pcie-root-port,id=rp1,bus=pcie.0,addr=1c.0,chassis=1,hotplug=off" "$TMP/out"
check "libvirt rom element" grep -q "<rom file='$rom'/>" "$TMP/out"
check "nouveau NvBios hint" grep -q "nouveau.config=NvBios=vgabios-stdvga.bin" "$TMP/out"
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
check "libvirt root port with hotplug off" grep -q "<target hotplug='off'/>" "$TMP/domain.xml"
check "mdev display hostdev" grep -q "type='mdev' managed='no' model='vfio-pci' display='on'" "$TMP/domain.xml"
if command -v virt-xml-validate >/dev/null; then
	check "virt-xml-validate accepts the domain" virt-xml-validate "$TMP/domain.xml" domain
else
	echo "note: virt-xml-validate absent (libvirt-clients); schema check skipped"
fi
# The topology read back from that domain gives the same ACPI path.
run ssdt "$rom" --acpi "$TMP/lv" --libvirt-xml "$TMP/domain.xml"
check "ssdt --libvirt-xml: path from the domain" grep -q 'ACPI path \\_SB.PCI0.SE0.S00 (.*read from' "$TMP/out"
run vm-config --host 0000:01:00.0 --rom "$TMP/it's.rom" --libvirt-domain x
check "XML-unsafe path refused" test "$rc" -eq 3
# The notebook chassis: vm-config writes the SMBIOS type-3 structure into the
# --acpi folder (DSP0134 table 16: type 3, length 0x16, chassis type 0x0A)
# and passes it with -smbios file=... (QEMU's type=3 keys cannot set the type).
run vm-config --host 0000:01:00.0 --rom "$rom" --acpi "$TMP/acpi"
ch=$TMP/acpi/smbios-chassis.bin
check "chassis file written" test -f "$ch"
check "type 3, length 0x16, handle 0x0300, chassis type Notebook (0x0A)" test "$(xxd -p -l 6 "$ch")" = "03160003010a"
check "strings end with a double NUL" test "$(tail -c 2 "$ch" | xxd -p)" = "0000"
check "QEMU -smbios line" grep -qF -- "-smbios file=$ch" "$TMP/out"
check "libvirt qemu:arg for -smbios" grep -qF "<qemu:arg value='file=$ch'/>" "$TMP/out"
run vm-config --host 0000:01:00.0 --rom "$rom" --acpi "$TMP/acpi"
check "same chassis file kept on a second run" test "$rc" -eq 0
printf 'not ours' > "$TMP/other.bin"
run vm-config --host 0000:01:00.0 --rom "$rom" --chassis "$TMP/other.bin"
check "a different existing file is refused (exit 4)" test "$rc" -eq 4
check "  and left alone" test "$(cat "$TMP/other.bin")" = "not ours"
run vm-config --host 0000:01:00.0 --rom "$rom" --acpi "$TMP/acpi" --no-chassis
check "--no-chassis: no -smbios" bash -c "! grep -q -- -smbios '$TMP/out'"
# fw_cfg mode: the -fw_cfg file and the one table; libvirt's <sysinfo type='fwcfg'>.
run ssdt "$rom" --acpi "$TMP/fwc" --fw-cfg
run vm-config --host 0000:01:00.0 --rom "$rom" --acpi "$TMP/fwc" --fw-cfg
check "QEMU -fw_cfg and -acpitable" grep -qF -- "-fw_cfg name=opt/org.optimus-db/vbios,file=$TMP/fwc/vbios-fwcfg.rom -acpitable file=$TMP/fwc/vbios-fwcfg.aml" "$TMP/out"
check "no split tables in fw_cfg mode" bash -c "! grep -q vbios-ssdt '$TMP/out'"
check "libvirt sysinfo fwcfg entry" grep -qF "<entry name='opt/org.optimus-db/vbios' file='$TMP/fwc/vbios-fwcfg.rom'/>" "$TMP/out"
# QEMU itself accepts the lines (-S: it stops before running anything; a bad
# option makes it exit at once, a good set keeps it waiting until timeout).
if command -v qemu-system-x86_64 >/dev/null; then
	read -ra extra <<< "$(sed -n 's/^\(-fw_cfg .*\) \\$/\1/p; s/^\(-smbios .*\) \\$/\1/p' "$TMP/out" | tr '\n' ' ')"
	set +e; timeout 5 qemu-system-x86_64 -S -machine q35 -accel tcg -display none -monitor none "${extra[@]}" 2> "$TMP/qemu.err"; qrc=$?; set -e
	check "QEMU accepts vm-config's -fw_cfg/-acpitable/-smbios (rc $qrc: $(head -c 200 "$TMP/qemu.err"))" test "$qrc" -eq 124
	run vm-config --host 0000:01:00.0 --rom "$rom" --no-chassis --looking-glass 1280x720
	read -ra extra <<< "$(sed -n 's/^\(-object memory-backend-file.*\) \\$/\1/p' "$TMP/out" | sed "s|/dev/shm/looking-glass|$TMP/lg-shm|")"
	set +e; timeout 5 qemu-system-x86_64 -S -machine q35 -accel tcg -display none -monitor none "${extra[@]}" 2> "$TMP/qemu.err"; qrc=$?; set -e
	check "QEMU accepts vm-config's Looking Glass ivshmem (rc $qrc: $(head -c 200 "$TMP/qemu.err"))" test "$qrc" -eq 124
fi
run vm-config --host 0000:01:00.0 --rom "$rom" --acpi "$TMP/fwc" --fw-cfg --libvirt-domain fwc-test
cp "$TMP/out" "$TMP/fwc.xml"
check "domain has <sysinfo type='fwcfg'>" grep -q "<sysinfo type='fwcfg'>" "$TMP/fwc.xml"
if command -v virt-xml-validate >/dev/null; then
	check "virt-xml-validate accepts the fw_cfg domain" virt-xml-validate "$TMP/fwc.xml" domain
fi
# Looking Glass: size from the resolution the way its docs give it (1080p: 32 MiB, 4K: 128 MiB).
run vm-config --host 0000:01:00.0 --rom "$rom" --no-chassis --looking-glass 1920x1080
check "Looking Glass 1080p: 32 MiB ivshmem" grep -q "size=32M,share=on -device ivshmem-plain,memdev=looking-glass" "$TMP/out"
check "libvirt <shmem> 32 MiB" grep -q "<size unit='M'>32</size>" "$TMP/out"
run vm-config --host 0000:01:00.0 --rom "$rom" --no-chassis --looking-glass 3840x2160
check "Looking Glass 4K: 128 MiB" grep -q "size=128M" "$TMP/out"
run vm-config --host 0000:01:00.0 --rom "$rom" --looking-glass 1920
check "--looking-glass without a height: usage exit 3" test "$rc" -eq 3
run vm-config --host 0000:01:00.0 --rom "$rom" --acpi "$TMP/acpi" --looking-glass 1920x1080 --libvirt-domain lg-test
cp "$TMP/out" "$TMP/lg.xml"
if command -v virt-xml-validate >/dev/null; then
	check "virt-xml-validate accepts the Looking Glass domain" virt-xml-validate "$TMP/lg.xml" domain
fi
# An SR-IOV VF of the iGPU (11th gen on) as the guest's display.
run vm-config --host 0000:01:00.0 --rom "$rom" --no-chassis --igpu-vf 0000:00:02.1
check "--igpu-vf: vfio-pci for the VF" grep -q -- "-device vfio-pci,host=0000:00:02.1 " "$TMP/out"
check "--igpu-vf: libvirt hostdev" grep -q "<source><address domain='0x0000' bus='0x00' slot='0x02' function='0x1'/></source>" "$TMP/out"
run vm-config --host 0000:01:00.0 --rom "$rom" --igpu-vf 00:02.1
check "--igpu-vf without a domain: usage exit 3" test "$rc" -eq 3
run vm-config --host 0000:01:00.0 --rom "$rom" --acpi "$TMP/acpi" --igpu-vf 0000:00:02.1 --libvirt-domain vf-test
cp "$TMP/out" "$TMP/vf.xml"
if command -v virt-xml-validate >/dev/null; then
	check "virt-xml-validate accepts the VF domain" virt-xml-validate "$TMP/vf.xml" domain
fi
# The GPU's HDMI audio function (.1) on the host: passed along in a multifunction slot, reason printed.
a=$TMP/sys/sys/bus/pci/devices/0000:01:00.1; mkdir -p "$a"; echo 0x040300 > "$a/class"
run vm-config --host 0000:01:00.0 --rom "$rom" --sysfs-root "$TMP/sys" --no-chassis
check "GPU marked multifunction" grep -q "bus=rp1,addr=00.0,multifunction=on" "$TMP/out"
check "audio function passed as .1" grep -q -- "-device vfio-pci,host=0000:01:00.1,bus=rp1,addr=00.1" "$TMP/out"
check "reason printed" grep -q "0000:01:00.1 (class 0403, HDMI audio) is the GPU's function 1: passed along" "$TMP/err"
check "libvirt: multifunction and the audio hostdev" grep -q "function='0x0' multifunction='on'/>" "$TMP/out"
run vm-config --host 0000:01:00.0 --rom "$rom" --sysfs-root "$TMP/sys" --acpi "$TMP/acpi" --libvirt-domain mf-test
cp "$TMP/out" "$TMP/mf.xml"
check "domain: audio hostdev at function 0x1" grep -q "slot='0x00' function='0x1'/>" "$TMP/mf.xml"
if command -v virt-xml-validate >/dev/null; then
	check "virt-xml-validate accepts the multifunction domain" virt-xml-validate "$TMP/mf.xml" domain
fi
if command -v qemu-system-x86_64 >/dev/null; then
	# QEMU knows every property (stand-ins: pcie-root-port is real, vfio-pci is checked with -device help).
	props=$(qemu-system-x86_64 -device vfio-pci,help 2>/dev/null)
	for p in romfile x-pci-sub-vendor-id x-pci-sub-device-id multifunction host; do
		check "QEMU's vfio-pci knows $p" grep -q "^  $p=" <<< "$props"
	done
	check "QEMU's pcie-root-port knows hotplug" grep -q "^  hotplug=" <<< "$(qemu-system-x86_64 -device pcie-root-port,help 2>/dev/null)"
fi
finish
