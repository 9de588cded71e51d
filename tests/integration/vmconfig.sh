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
# --- VM settings users ask for (issue 16) ---
# The root port without hotplug (Windows treats a hot-pluggable dGPU as removable).
run vm-config --host 0000:01:00.0 --rom "$rom" --acpi "$TMP/acpi" --no-chassis
check "QEMU root port with hotplug=off" grep -q -- "-device pcie-root-port,id=rp1,bus=pcie.0,addr=1c.0,chassis=1,hotplug=off " "$TMP/out"
check "fragment names hotplug='off' for the user's root port" grep -q "controller index 1): <target hotplug='off'/>" "$TMP/out"
rp_hotplug_off() { grep -A1 "model='pcie-root-port'" "$1" | grep -q "<target hotplug='off'/>"; }
check "libvirt domain root port with <target hotplug='off'/>" rp_hotplug_off "$TMP/domain.xml"
# nouveau's NvBios alternative, with the ROM's name as the guest's /lib/firmware has it.
check "nouveau NvBios line" grep -q "nouveau.config=NvBios=vgabios-stdvga.bin" "$TMP/out"
check "nouveau: where the guest needs the file" grep -q "/lib/firmware/vgabios-stdvga.bin (and into its initramfs" "$TMP/out"
check "domain carries the nouveau hint as a comment" grep -q "nouveau.config=NvBios=vgabios-stdvga.bin" "$TMP/domain.xml"
cp "$rom" "$TMP/vbios,acpi.rom" # nouveau's option parser ends a value at ','
run vm-config --host 0000:01:00.0 --rom "$TMP/vbios,acpi.rom" --no-chassis
check "NvBios: a name nouveau cannot take gets one it can" grep -q "NvBios=optimus-db-vbios.rom" "$TMP/out"
# Table options are ssdt's: vm-config refuses them, naming ssdt, and does not list them.
for f in --asl --no-battery --windows; do
	run vm-config --host 0000:01:00.0 --rom "$rom" --acpi "$TMP/acpi" $f
	check "vm-config $f: usage exit 3" test "$rc" -eq 3
	check "vm-config $f: names ssdt" grep -q -- "$f shapes the tables, which 'optimus-db ssdt ROM --acpi DIR $f'" "$TMP/err"
	run vm-config --help
	check "vm-config --help does not list $f" sh -c "! grep -q -- '$f' '$TMP/out'"
done
run vm-config --host 0000:01:00.0 --rom "$rom" --chassis --asl --no-chassis
check "a value spelled like a table option is a value" test "$rc" -eq 0

# The GPU's other host functions: HDMI audio at .1 goes along in one multifunction slot.
f=$TMP/sys/sys/bus/pci/devices/0000:01:00.1; mkdir -p "$f"; echo 0x040300 > "$f/class"; echo 0x10de > "$f/vendor"
run vm-config --host 0000:01:00.0 --rom "$rom" --acpi "$TMP/acpi" --sysfs-root "$TMP/sys" --no-chassis
check "GPU is function 0 of a multifunction slot" grep -q -- "bus=rp1,addr=00.0,multifunction=on " "$TMP/out"
check "HDMI audio at .1 of the same slot" grep -q -- "-device vfio-pci,host=0000:01:00.1,bus=rp1,addr=00.1 " "$TMP/out"
check "why it goes along" grep -q "0000:01:00.1 (HDMI audio, class 040300, no driver) is the GPU's function .1 on the host: passed along" "$TMP/err"
check "libvirt GPU address multifunction='on'" grep -q "slot='0x00' function='0x0' multifunction='on'/>" "$TMP/out"
check "libvirt audio hostdev at guest .1" grep -q "<address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x1'/>" "$TMP/out"
cp "$TMP/out" "$TMP/mf.txt"
run vm-config --host 0000:01:00.0 --rom "$rom" --acpi "$TMP/acpi" --sysfs-root "$TMP/sys" --libvirt-domain mf
cp "$TMP/out" "$TMP/mf.xml"
run vm-config --host 0000:01:00.0 --rom "$rom" --sysfs-root "$TMP/sys" --guest-addr 01:00.1 --root-port 00:1c.0 --no-chassis
check "GPU not at guest .0: audio left out" sh -c "! grep -q 'host=0000:01:00.1' '$TMP/out' && ! grep -q multifunction '$TMP/out'"
check "GPU not at guest .0: the reason" grep -q "0000:01:00.1 (HDMI audio, class 040300) left out of the guest: the GPU's guest address is not function 0" "$TMP/err"

# An SR-IOV virtual function of the iGPU (11th gen on) as the guest's display.
run vm-config --host 0000:01:00.0 --rom "$rom" --no-chassis --igpu-vf 0000:00:02.1
check "--igpu-vf: exit 0" test "$rc" -eq 0
check "--igpu-vf: vfio-pci for the VF" grep -q -- "-device vfio-pci,host=0000:00:02.1" "$TMP/out"
check "--igpu-vf: libvirt hostdev" grep -q "<source><address domain='0x0000' bus='0x00' slot='0x02' function='0x1'/></source>" "$TMP/out"
check "--igpu-vf absent from sysfs: how to enable VFs" grep -q "sriov_numvfs" "$TMP/err"
for bad in 0000:00:02 00:02.9 0000:00:02.1x zz; do
	run vm-config --host 0000:01:00.0 --rom "$rom" --igpu-vf "$bad"
	check "--igpu-vf $bad: usage exit 3" test "$rc" -eq 3
	check "--igpu-vf $bad: said" grep -q "igpu-vf '$bad' is not a PCI address" "$TMP/err"
done
run vm-config --host 0000:01:00.0 --rom "$rom" --igpu-vf 0000:00:02.1 --gvt /sys/bus/mdev/devices/a297db4a-f4c2-11e6-90f6-d3b88d6c9525
check "--igpu-vf with --gvt: usage exit 3" test "$rc" -eq 3

# Looking Glass: the size from the resolution as its docs compute it
# (W*H*4*2 + 10 MiB, next power of two MiB): 1080p 32, 720p 32, 4K 128, 8K 512.
for r in 1920x1080:32 1280x720:32 3840x2160:128 7680x4320:512; do
	run vm-config --host 0000:01:00.0 --rom "$rom" --no-chassis --looking-glass "${r%:*}"
	check "Looking Glass ${r%:*}: ${r#*:} MiB" grep -q -- "-object memory-backend-file,id=looking-glass,mem-path=/dev/shm/looking-glass,size=${r#*:}M,share=on -device ivshmem-plain,memdev=looking-glass" "$TMP/out"
	check "Looking Glass ${r%:*}: libvirt <shmem> ${r#*:} MiB" grep -q "<size unit='M'>${r#*:}</size>" "$TMP/out"
done
for bad in 0x1080 1920x0 1920x 1920 x1080 100000x100000 16385x1 1920x1080x2 -5x5 +5x5 abc 1920*1080 ''; do
	run vm-config --host 0000:01:00.0 --rom "$rom" --looking-glass "$bad"
	check "--looking-glass '$bad': usage exit 3" test "$rc" -eq 3
	check "--looking-glass '$bad': said" grep -qF "looking-glass takes the guest display's WIDTHxHEIGHT in pixels, each 1 to 16384 (e.g. 1920x1080), not '$bad'" "$TMP/err"
done

# Everything at once: libvirt's schema, and QEMU itself.
run vm-config --host 0000:01:00.0 --rom "$rom" --acpi "$TMP/acpi" --sysfs-root "$TMP/sys" --igpu-vf 0000:00:02.1 \
	--looking-glass 1920x1080 --libvirt-domain all
cp "$TMP/out" "$TMP/all.xml"
check "domain with every setting: exit 0" test "$rc" -eq 0
check "domain: shmem" grep -q "<shmem name='looking-glass'>" "$TMP/all.xml"
if command -v virt-xml-validate >/dev/null; then
	for x in mf all; do check "virt-xml-validate accepts the $x domain" virt-xml-validate "$TMP/$x.xml" domain; done
fi
run vm-config --host 0000:01:00.0 --rom "$rom" --acpi "$TMP/acpi" --sysfs-root "$TMP/sys" --igpu-vf 0000:00:02.1 \
	--looking-glass 1920x1080
cp "$TMP/out" "$TMP/all.txt"
if command -v qemu-system-x86_64 >/dev/null && [ -e /usr/share/OVMF/OVMF_CODE_4M.fd ]; then
	props() { qemu-system-x86_64 -device "$1,help" 2>/dev/null | sed -n 's/^  \([a-z0-9-]*\)=.*/\1/p'; }
	props vfio-pci > "$TMP/vfio.props"
	check "QEMU lists vfio-pci's properties" grep -qx romfile "$TMP/vfio.props"
	# Starts QEMU (-S, TCG, no display) with the QEMU block of a vm-config output. Each
	# vfio-pci (host-only) has every property checked against QEMU's own list, then
	# becomes a bochs-display of the same romfile/bus/addr/multifunction shape; the
	# Looking Glass file moves from /dev/shm into $TMP.
	on_bad=fail
	qemu_block() {
		local block args=() prev= a p keep
		block=$(sed -n '/^# QEMU/,/^$/p' "$1" | sed '1d' | sed -e ':a' -e '/\\$/N; s/\\\n//; ta')
		eval "set -- $block"
		for a in "$@"; do
			if [ "$prev" = -device ] && [[ $a == vfio-pci,* ]]; then
				keep=()
				while IFS= read -r p; do
					case ${p%%=*} in bus|id) ;; *) grep -qx "${p%%=*}" "$TMP/vfio.props" || "$on_bad" "$1: vfio-pci has no property '${p%%=*}'";; esac
					case ${p%%=*} in romfile|bus|addr|multifunction) keep+=("$p");; esac
				done < <(printf '%s\n' "${a#vfio-pci,}" | tr ',' '\n')
				a=bochs-display$(printf ',%s' "${keep[@]}")
			fi
			args+=("${a//mem-path=\/dev\/shm\/looking-glass/mem-path=$TMP/lg-shm}"); prev=$a
		done
		echo quit | timeout 60 qemu-system-x86_64 -accel tcg -display none -nodefaults -S -monitor stdio "${args[@]}" > "$TMP/qemu.log" 2>&1 ||
			{ sed 's/^/    /' "$TMP/qemu.log" >&2; return 1; }
	}
	check "QEMU starts with the multifunction block (hotplug=off, audio at .1)" qemu_block "$TMP/mf.txt"
	check "QEMU starts with every setting (VF, Looking Glass)" qemu_block "$TMP/all.txt"
	check "the Looking Glass file was the stand-in, 32 MiB" test "$(stat -c %s "$TMP/lg-shm")" -eq $((32 << 20))
	# A property QEMU does not know fails the check (the judge judges).
	sed 's/hotplug=off/hotplug-x=off/' "$TMP/mf.txt" > "$TMP/bad.txt"
	if qemu_block "$TMP/bad.txt" 2>/dev/null; then fail "QEMU took an unknown root port property"; else ok; fi
	sed 's/multifunction=on/multifunctio=on/' "$TMP/mf.txt" > "$TMP/bad.txt"
	caught() { echo "$*" > "$TMP/caught"; }
	on_bad=caught qemu_block "$TMP/bad.txt" 2>/dev/null || true
	check "an unknown vfio-pci property is caught" grep -q "vfio-pci has no property 'multifunctio'" "$TMP/caught"
else
	echo "note: qemu-system-x86_64 or OVMF absent; QEMU check skipped"
fi
finish
