# SPDX-License-Identifier: BSD-2-Clause
# Fake sysfs/debugfs trees for --sysfs-root (sourced by host_fake.sh and
# readme_flow.sh, not a test itself): dev ROOT BDF ... makes one PCI device,
# laptop ROOT ... a whole Optimus laptop (Dell XPS 15 9560 IDs). Needs $OD.
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
