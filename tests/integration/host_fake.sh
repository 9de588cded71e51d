#!/usr/bin/env bash
# optimus-db host on fake sysfs/debugfs trees (--sysfs-root): a muxless
# Optimus laptop ready for passthrough, an MXM laptop, IOMMU off, a GPU
# sharing its group with a non-bridge, GVT-g absent; then a VBIOS dump via
# nouveau's debugfs copy, validated, written and added with the host's IDs.
set -e
. "$(dirname "$0")/../lib.sh"
need_file /usr/share/seabios/vgabios-stdvga.bin seabios
export OPTIMUS_DB=$TMP/cat.db

dev() { # ROOT BDF VENDOR DEVICE SUBV SUBD CLASS DRIVER GROUP
	local d=$1/sys/bus/pci/devices/$2
	mkdir -p "$d" "$1/sys/bus/pci/drivers/$8"
	echo "0x$3" > "$d/vendor"; echo "0x$4" > "$d/device"
	echo "0x$5" > "$d/subsystem_vendor"; echo "0x$6" > "$d/subsystem_device"; echo "0x$7" > "$d/class"
	[ "$8" != - ] && ln -sfn "../../drivers/$8" "$d/driver"
	if [ "$9" != - ]; then
		mkdir -p "$1/sys/kernel/iommu_groups/$9/devices"
		ln -sfn "../../../../kernel/iommu_groups/$9" "$d/iommu_group"
		ln -sfn "../../../../bus/pci/devices/$2" "$1/sys/kernel/iommu_groups/$9/devices/$2"
	fi
}

laptop() { # ROOT CLASS-OF-DGPU IOMMU(yes/no) GVT(yes/no) EXTRA-IN-GROUP(yes/no)
	local r=$1 g=1; [ "$3" = no ] && g=-
	mkdir -p "$r/sys/class/dmi/id"
	echo "Dell Inc." > "$r/sys/class/dmi/id/sys_vendor"; echo "XPS 15 9560" > "$r/sys/class/dmi/id/product_name"
	echo "1.7.0" > "$r/sys/class/dmi/id/bios_version"
	dev "$r" 0000:00:02.0 8086 591b 1028 07be 030000 i915 "$([ "$3" = no ] && echo - || echo 0)"
	dev "$r" 0000:00:01.0 8086 1901 0000 0000 060400 pcieport $g
	dev "$r" 0000:01:00.0 10de 1c8d 1028 07be "$2" vfio-pci $g
	[ "$5" = yes ] && dev "$r" 0000:00:1f.3 8086 a171 1028 07be 040300 snd_hda_intel $g
	if [ "$4" = yes ]; then
		mkdir -p "$r/sys/bus/pci/devices/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_4"
		echo 1 > "$r/sys/bus/pci/devices/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_4/available_instances"
	fi
	mkdir -p "$r/sys/bus/pci/devices/0000:01:00.0/firmware_node" "$r/sys/firmware/acpi/tables"
	echo '\_SB_.PCI0.PEG0.PEGP' > "$r/sys/bus/pci/devices/0000:01:00.0/firmware_node/path"
	# Host tables: a DSDT-like SSDT that defines _ROM under the GPU's node.
	"$OD" ssdt /usr/share/seabios/vgabios-stdvga.bin --acpi "$r/acpi" --acpi-path '\_SB.PCI0.PEG0.PEGP' > /dev/null
	cp "$r/acpi/vbios-ssdt-0.aml" "$r/sys/firmware/acpi/tables/SSDT3"
}

laptop "$TMP/ready" 030200 yes yes no
run host --sysfs-root "$TMP/ready"
check "ready laptop: exit 0" test "$rc" -eq 0
check "muxless explained" grep -q "3D controller: muxless Optimus" "$TMP/out"
check "group is clean" grep -q "IOMMU group 1 (only bridges and the GPU's functions): 0000:00:01.0 (bridge) 0000:01:00.0" "$TMP/out"
check "host _ROM found at the node" grep -q 'ACPI path \\_SB_.PCI0.PEG0.PEGP; host _ROM: yes' "$TMP/out"
check "GVT-g types listed" grep -q "i915-GVTg_V5_4 (1 free)" "$TMP/out"
check "nothing missing" grep -q "nothing: ready" "$TMP/out"
run host --sysfs-root "$TMP/ready" --json
check "JSON: muxless" grep -q '"muxless":true' "$TMP/out"
check "JSON: nothing missing" grep -q '"missing":\[\]' "$TMP/out"

laptop "$TMP/mxm" 030000 yes yes no
run host --sysfs-root "$TMP/mxm"
check "MXM explained" grep -q "VGA controller: MXM/muxed" "$TMP/out"

laptop "$TMP/noiommu" 030200 no yes no
run host --sysfs-root "$TMP/noiommu"
check "IOMMU off: exit 5" test "$rc" -eq 5
check "IOMMU off: fix named" grep -q "intel_iommu=on iommu=pt" "$TMP/out"

laptop "$TMP/shared" 030200 yes yes yes
run host --sysfs-root "$TMP/shared"
check "shared group: exit 5" test "$rc" -eq 5
check "shared group: said" grep -q "IOMMU group 1 has devices other than bridges" "$TMP/out"

laptop "$TMP/nogvt" 030200 yes no no
run host --sysfs-root "$TMP/nogvt"
check "no GVT-g: exit 5" test "$rc" -eq 5
check "no GVT-g: fix named" grep -q "i915.enable_gvt=1" "$TMP/out"

mkdir -p "$TMP/empty/sys/bus/pci/devices"
run host --sysfs-root "$TMP/empty"
check "no NVIDIA GPU: exit 1" test "$rc" -eq 1
check "no DMI (VMs, containers): said plainly" grep -q "^machine: unknown (no DMI)" "$TMP/out"
check "no DMI: no ' , BIOS ?' line" sh -c "! grep -q '^ , BIOS' '$TMP/out'"

# Dump: no ROM BAR, no acpi_call; nouveau's debugfs copy (behind an NVGI-less ROM).
r=$TMP/ready
mkdir -p "$r/sys/kernel/debug/dri/1"
echo "nouveau dev=0000:01:00.0 unique=0000:01:00.0" > "$r/sys/kernel/debug/dri/1/name"
cp /usr/share/seabios/vgabios-stdvga.bin "$r/sys/kernel/debug/dri/1/vbios.rom"
run host dump --sysfs-root "$r" -o "$TMP/dump.rom" --add
check "dump exit 0" test "$rc" -eq 0
check "says which method worked" grep -q "dumped 0000:01:00.0 with nouveau debugfs vbios.rom" "$TMP/out"
check "says which did not" grep -q "sysfs ROM BAR: unavailable" "$TMP/err"
check "dump written" cmp -s "$TMP/dump.rom" /usr/share/seabios/vgabios-stdvga.bin
run lookup 1234:1111 1028:07be --json
check "added with the host's subsystem IDs and DMI model" grep -q '"match":"subsystem"' "$TMP/out"
check "model from DMI" grep -q '"model":"XPS 15 9560"' "$TMP/out"
# A garbage debugfs file is refused, nothing written.
head -c 4096 /dev/urandom > "$r/sys/kernel/debug/dri/1/vbios.rom"
run host dump --sysfs-root "$r" -o "$TMP/bad.rom"
check "invalid dump refused" test "$rc" -eq 1
check "nothing written" test ! -e "$TMP/bad.rom"
check "debugfs copy judged invalid" grep -q "nouveau debugfs vbios.rom: read, but not a valid option ROM" "$TMP/err"
check "acpi_call: how to get it" grep -q "apt install acpi-call-dkms" "$TMP/err"
finish
