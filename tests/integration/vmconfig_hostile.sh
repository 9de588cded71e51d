#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# vm-config and ssdt given hostile or careless values (issue 14): guest
# addresses checked by the one validator ssdt uses, QEMU's comma escape and
# XML escaping (the output parsed back by QEMU's rules and by libvirt's
# schema), bad --acpi-path refused naming the rule, stale tables of a bigger
# ROM neither left by 'ssdt --force' nor passed on by vm-config, and the
# sizes ssdt reports equal to the files it wrote.
set -e
. "$(dirname "$0")/../lib.sh"
need_file /usr/share/seabios/vgabios-stdvga.bin seabios
rom=/usr/share/seabios/vgabios-stdvga.bin
mkrom() { # FILE SIZE: a valid single-image ROM 10de:1c8d of SIZE bytes, random body
	head -c "$2" /dev/urandom > "$1"
	local units=$(($2 / 512))
	w() { printf "$2" | dd of="$1" bs=1 seek=$(($3)) conv=notrunc status=none; }
	w "$1" '\x55\xaa' 0; w "$1" '\x20\x00' 0x18; w "$1" 'PCIR\xde\x10\x8d\x1c\x00\x00\x18\x00\x03\x00\x02\x03' 0x20
	w "$1" "$(printf '\\x%02x\\x%02x\\x01\\x00\\x00\\x80' $((units & 255)) $((units >> 8)))" 0x30
}
run ssdt "$rom" --acpi "$TMP/acpi"
check "ssdt exit 0" test "$rc" -eq 0

# One validator for ssdt and vm-config.
for bad in zz 1:2:3 01:00.8 01:20.0 "01:00.0 " 0x1:00.0 -1:00.0; do
	run vm-config --host 0000:01:00.0 --rom "$rom" --guest-addr "$bad"
	check "vm-config --guest-addr '$bad': exit 3 ($rc)" test "$rc" -eq 3
	run ssdt "$rom" --acpi "$TMP/x" --guest-addr "$bad"
	check "ssdt --guest-addr '$bad': exit 3 ($rc)" test "$rc" -eq 3
done
run vm-config --host 0000:01:00.0 --rom "$rom" --root-port zz
check "vm-config --root-port zz: exit 3" test "$rc" -eq 3
check "  says why" grep -q "root port address 'zz' must be 00:DD.F" "$TMP/err"
run vm-config --host 0000:01:00.0 --rom "$rom" --guest-addr 02:00.0 --root-port 00:1d.0
check "vm-config 02:00.0 behind 00:1d.0" grep -q "pcie-root-port,id=rp1,bus=pcie.0,addr=1d.0" "$TMP/out"
run vm-config --host 0000:01:00.0 --rom "$rom" --guest-addr 02:00.0 --root-port 00:1d.0 --libvirt-domain d
cp "$TMP/out" "$TMP/d.xml"
run vm-config --host 0000:01:00.0 --rom "$rom" --libvirt-xml "$TMP/d.xml"
check "vm-config --libvirt-xml: the domain's placement, as ssdt reads it" grep -q "pcie-root-port,id=rp1,bus=pcie.0,addr=1d.0" "$TMP/out"
run vm-config --host 0000:01:00.0 --rom "$rom" --acpi-path '\_SB.PCI0.S10'
check "vm-config --acpi-path (a node, not a placement): exit 3" test "$rc" -eq 3
run vm-config --host 0000:01:00.0 --rom "$rom" --guest pc
check "vm-config --guest pc: root bus, slot 5" grep -q "bus=pci.0,addr=05.0" "$TMP/out"

# --host is a PCI address, nothing else; other values are escaped.
run vm-config --host "0000:01:00.0,x-evil=on" --rom "$rom"
check "--host with a property: exit 3" test "$rc" -eq 3
run vm-config --host 0000:01:00.0 --rom "$rom" --sub zz
check "--sub zz: exit 3" test "$rc" -eq 3
mkdir "$TMP/we,ird"
cp "$rom" "$TMP/we,ird/it's <&>,x-evil=on.rom"
cp -r "$TMP/acpi" "$TMP/we,ird/ac pi"
cd "$TMP"
run vm-config --host 0000:01:00.0 --rom "we,ird/it's <&>,x-evil=on.rom" --acpi "we,ird/ac pi"
check "odd names: exit 0" test "$rc" -eq 0
# The QEMU block as a shell reads it: the vfio-pci argument, split by QEMU's rule.
eval "set -- $(sed -n '/^# QEMU/,/^$/p' "$TMP/out" | sed '1d' | sed -e ':a' -e '/\\$/N; s/\\\n//; ta')" 2>/dev/null || { fail "the QEMU block is not valid shell"; set --; }
dev=
while [ $# -gt 0 ]; do [ "$1" = -device ] && case $2 in vfio-pci,*) dev=$2;; esac; shift; done
props=$(printf '%s' "$dev" | sed 's/,,/\x01/g' | tr ',' '\n' | tr '\001' ',')
check "romfile is one property, comma kept" grep -qxF "romfile=$TMP/we,ird/it's <&>,x-evil=on.rom" <<<"$props"
check "no injected property" bash -c "! grep -qx 'x-evil=on' <<<\"\$1\"" _ "$props"
check "acpitable path comma doubled" grep -qF "file=$TMP/we,,ird/ac pi/vbios-ssdt-0.aml" "$TMP/out"
sed -n '/<!-- libvirt/,$p' "$TMP/out" | sed '1d' > "$TMP/frag.xml"
{ echo "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><name>t</name><memory>1</memory>"
  echo "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>"
  sed '/<qemu:commandline>/,$d' "$TMP/frag.xml"; echo "</devices>"; sed -n '/<qemu:commandline>/,$p' "$TMP/frag.xml"; echo "</domain>"; } > "$TMP/wrapped.xml"
check "the fragment is well-formed XML" xmllint --noout "$TMP/wrapped.xml" 2>/dev/null
check "rom file escaped, read back exact" test "$(xmllint --xpath "string(//hostdev/rom/@file)" "$TMP/wrapped.xml" 2>/dev/null)" = "$TMP/we,ird/it's <&>,x-evil=on.rom"
run vm-config --host 0000:01:00.0 --rom "we,ird/it's <&>,x-evil=on.rom" --acpi "we,ird/ac pi" --libvirt-domain "a&b<c>'d"
check "domain with odd names: exit 0" test "$rc" -eq 0
if command -v virt-xml-validate >/dev/null; then
	check "virt-xml-validate accepts it" virt-xml-validate "$TMP/out" domain
fi
# fw_cfg mode and the chassis file, with the same odd folder.
run ssdt "$rom" --acpi "we,ird/fw cfg" --fw-cfg
check "ssdt --fw-cfg: exit 0" test "$rc" -eq 0
check "ssdt --fw-cfg: QEMU line escaped, absolute" grep -qF "QEMU: -fw_cfg 'name=opt/org.optimus-db/vbios,file=$TMP/we,,ird/fw cfg/vbios-fwcfg.rom' -acpitable 'file=$TMP/we,,ird/fw cfg/vbios-fwcfg.aml'" "$TMP/out"
run vm-config --host 0000:01:00.0 --rom "$rom" --acpi "we,ird/fw cfg" --fw-cfg --libvirt-domain "f&w"
check "vm-config --fw-cfg domain: exit 0" test "$rc" -eq 0
check "  fw_cfg entry absolute" grep -qF "<entry name='opt/org.optimus-db/vbios' file='$TMP/we,ird/fw cfg/vbios-fwcfg.rom'/>" "$TMP/out"
check "  chassis file absolute, comma doubled" grep -qF "value='file=$TMP/we,,ird/fw cfg/smbios-chassis.bin'" "$TMP/out"
if command -v virt-xml-validate >/dev/null; then
	check "  virt-xml-validate accepts it" virt-xml-validate "$TMP/out" domain
fi
run vm-config --host 0000:01:00.0 --rom "$rom" --gvt "/sys/bus/mdev/devices/x'/><evil/>"
check "--gvt without a UUID: exit 3" test "$rc" -eq 3
mkdir "$TMP/colon:dir"; cp "$TMP/acpi"/* "$TMP/colon:dir/"
run vm-config --host 0000:01:00.0 --rom "$rom" --acpi "$TMP/colon:dir"
check "ACPI folder with ':' (QEMU splits file= there): exit 3" test "$rc" -eq 3

# --acpi-path: a bad path is a usage error naming the rule.
for p in "" '\' '^^^^' '^_SB.PCI0' '\_SB..S00' '\_SB.PCI0.' '\_SB.pci0' '\_SB.PCI0.TOOLONG' '\_SB.1ABC' "\\$(printf '_SB.%.0s' $(seq 40))S00"; do
	run ssdt "$rom" --acpi "$TMP/p" --acpi-path "$p"
	check "--acpi-path '${p:0:24}': exit 3 ($rc)" test "$rc" -eq 3
	check "--acpi-path '${p:0:24}': names the rule" grep -Eq "empty|characters|segment|parent prefix|names no segment" "$TMP/err"
	check "--acpi-path '${p:0:24}': nothing written" test ! -e "$TMP/p/vbios-ssdt-0.aml"
done
run ssdt "$rom" --acpi "$TMP/p" --acpi-path '\_SB.PCI0.PEG0.PEGP'
check "a good --acpi-path: exit 0" test "$rc" -eq 0
run ssdt "$rom" --acpi "$TMP/p2" --acpi-path '_SB.PCI0.GFX'
check "a relative path at the root, 3-letter segment: exit 0" test "$rc" -eq 0

# Stale tables: a 1 MiB ROM (18 tables + table 0), then the small ROM with --force.
mkrom "$TMP/r1m.rom" 1048576
run ssdt "$TMP/r1m.rom" --acpi "$TMP/st" --asl
check "1 MiB ROM: exit 0" test "$rc" -eq 0
n=$(ls "$TMP"/st/vbios-ssdt-*.aml | wc -l)
total=$(cat "$TMP"/st/vbios-ssdt-*.aml | wc -c)
largest=$(stat -c %s "$TMP"/st/vbios-ssdt-*.aml | sort -n | tail -1)
fmt() { printf "%'d" "$1" 2>/dev/null | grep -q , && printf "%'d" "$1" || echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
check "says the count written ($n)" grep -q "^wrote $n tables" "$TMP/out"
check "says the bytes written ($total) and the largest ($largest)" grep -q "$(fmt "$total") bytes, the largest $(fmt "$largest")" "$TMP/out"
ln -s "$TMP/r1m.rom" "$TMP/st/vbios-ssdt-40.aml"
touch "$TMP/st/vbios-ssdt-07.aml" "$TMP/st/notes.txt"
run ssdt "$rom" --acpi "$TMP/st" --force
check "small ROM over it: exit 0" test "$rc" -eq 0
check "stale tables removed" test "$(ls "$TMP"/st/vbios-ssdt-*.aml | wc -l)" -eq 4
check "  and their ASL" test ! -e "$TMP/st/vbios-ssdt-5.dsl"
check "a symlink is not ours: left alone" test -L "$TMP/st/vbios-ssdt-40.aml"
check "its target untouched" test "$(stat -c %s "$TMP/r1m.rom")" -eq 1048576
check "other names untouched" test -e "$TMP/st/vbios-ssdt-07.aml" -a -e "$TMP/st/notes.txt"
# A stale table that ssdt did not remove (copied in) is not passed to QEMU.
run ssdt "$TMP/r1m.rom" --acpi "$TMP/st2"
run ssdt "$rom" --acpi "$TMP/st3"
cp "$TMP"/st2/vbios-ssdt-{2,3}.aml "$TMP/st3/"
run vm-config --host 0000:01:00.0 --rom "$rom" --acpi "$TMP/st3"
check "vm-config counts the tables table 0 names (2)" test "$(grep -o -- '-acpitable' "$TMP/out" | wc -l)" -eq 4
rm "$TMP/st2/vbios-ssdt-5.aml"
run vm-config --host 0000:01:00.0 --rom "$TMP/r1m.rom" --acpi "$TMP/st2"
check "a missing chunk table: exit 2" test "$rc" -eq 2
finish
