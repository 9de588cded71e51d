#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# optimus-db host on fake sysfs/debugfs trees (--sysfs-root): a muxless
# Optimus laptop ready for passthrough, an MXM laptop, IOMMU off, a GPU
# sharing its group with a non-bridge, GVT-g absent; then a VBIOS dump via
# nouveau's debugfs copy, validated, written and added with the host's IDs.
set -e
. "$(dirname "$0")/../lib.sh"
need_file /usr/share/seabios/vgabios-stdvga.bin seabios
export OPTIMUS_DB=$TMP/cat.db

. "$(dirname "$0")/../fake_sysfs.sh"

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

# 11th gen on: no GVT-g, SR-IOV virtual functions instead (sriov_totalvfs / sriov_numvfs).
laptop "$TMP/sriov" 030200 yes no no
echo 7 > "$TMP/sriov/sys/bus/pci/devices/0000:00:02.0/sriov_totalvfs"
echo 0 > "$TMP/sriov/sys/bus/pci/devices/0000:00:02.0/sriov_numvfs"
run host --sysfs-root "$TMP/sriov"
check "SR-IOV iGPU: counts reported" grep -q "SR-IOV: 0 of 7 virtual functions enabled" "$TMP/out"
check "SR-IOV iGPU: how to enable them, not GVT-g" grep -q "offers 7 SR-IOV virtual functions, none enabled" "$TMP/out"
check "SR-IOV iGPU: no GVT-g advice" sh -c "! grep -q 'i915.enable_gvt=1' '$TMP/out'"
run host --sysfs-root "$TMP/sriov" --json
check "SR-IOV in JSON" grep -q '"sriov_totalvfs":7,"sriov_numvfs":0' "$TMP/out"
echo 2 > "$TMP/sriov/sys/bus/pci/devices/0000:00:02.0/sriov_numvfs"
run host --sysfs-root "$TMP/sriov"
check "SR-IOV enabled: no display item missing" sh -c "! grep -q 'SR-IOV virtual functions, none enabled' '$TMP/out'"
check "SR-IOV enabled: the hint" grep -q "2 of 7 virtual functions enabled (pass one to the guest: vm-config --igpu-vf BDF)" "$TMP/out"

# The GPU's HDMI audio function (.1, in its IOMMU group, on snd_hda_intel): host sees a clean
# group, and vm-config finds it in the same sysfs and passes it along in one multifunction slot.
laptop "$TMP/audio" 030200 yes yes no
dev "$TMP/audio" 0000:01:00.1 10de 10f1 1028 07be 040300 snd_hda_intel 1
run host --sysfs-root "$TMP/audio"
check "audio function: group still clean" grep -q "IOMMU group 1 (only bridges and the GPU's functions): .*0000:01:00.1" "$TMP/out"
run vm-config --host 0000:01:00.0 --rom /usr/share/seabios/vgabios-stdvga.bin --sysfs-root "$TMP/audio" --no-chassis
check "vm-config: audio function found" grep -q -- "-device vfio-pci,host=0000:01:00.1,bus=rp1,addr=00.1" "$TMP/out"
check "vm-config: the GPU's slot is multifunction" grep -q -- "addr=00.0,multifunction=on" "$TMP/out"
check "vm-config: says why, and that QEMU needs it on vfio-pci" grep -q "0000:01:00.1 (HDMI audio, class 040300, snd_hda_intel) is the GPU's function .1 on the host: passed along.*bound to vfio-pci first" "$TMP/err"
run vm-config --host 0000:01:00.0 --rom /usr/share/seabios/vgabios-stdvga.bin --sysfs-root "$TMP/ready" --no-chassis
check "vm-config: no other function, no multifunction" sh -c "! grep -q multifunction '$TMP/out'"
# An SR-IOV VF given to vm-config: an Intel display function in the tree, so no warning.
dev "$TMP/sriov" 0000:00:02.1 8086 4680 1028 07be 030000 - -
run vm-config --host 0000:01:00.0 --rom /usr/share/seabios/vgabios-stdvga.bin --sysfs-root "$TMP/sriov" --no-chassis --igpu-vf 0000:00:02.1
check "vm-config --igpu-vf: a VF in the tree, no warning" sh -c "! grep -q 'igpu-vf' '$TMP/err'"
run vm-config --host 0000:01:00.0 --rom /usr/share/seabios/vgabios-stdvga.bin --sysfs-root "$TMP/sriov" --no-chassis --igpu-vf 0000:00:01.0
check "vm-config --igpu-vf on a bridge: warned" grep -q "igpu-vf 0000:00:01.0 is 8086:1901, class 060400: not an Intel display function" "$TMP/err"

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
