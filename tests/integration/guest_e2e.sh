#!/usr/bin/env bash
# End to end in a real guest kernel: QEMU (TCG) boots Debian's Linux 6.1 with
# a busybox initramfs holding Debian's acpi_call module (built here against
# linux-headers) and a static optimus-db. The guest gets our SSDTs with
# -acpitable and a stand-in display device (bochs-display, ROM BAR off) at
# the GPU's address. Inside, the test checks the device's firmware_node/path
# is the path optimus-db chose, and `optimus-db host dump` reads the whole ROM
# through _ROM via acpi_call (32-byte calls, the stock module); the SHA-256
# must equal the ROM's. Topologies q35 + root port, q35 root bus and pc, each
# with SeaBIOS and OVMF, ROMs of 40 KiB to 1 MiB (and a real NVIDIA ROM).
set -e
. "$(dirname "$0")/../lib.sh"
for t in qemu-system-x86_64 dpkg-deb apt-get gzip; do command -v $t >/dev/null || skip "$t absent (scripts/deps.sh installs it)"; done
[ -x /bin/busybox ] || skip "busybox-static absent"
hdr=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | head -1)
[ -n "$hdr" ] || skip "linux-headers-amd64 absent"
kv=${hdr#/usr/src/linux-headers-}
cache=${OD_SRC}/build-guest
mkdir -p "$cache"
# The kernel, the acpi_call module and a static optimus-db, cached across runs.
if [ ! -f "$cache/vmlinuz-$kv" ]; then
	(cd "$cache" && apt-get download "linux-image-$kv-unsigned" >/dev/null 2>&1 || apt-get download "linux-image-$kv" >/dev/null 2>&1) ||
		skip "cannot download linux-image-$kv (no access to Debian's package registry)"
	dpkg-deb -x "$(ls "$cache"/linux-image-"$kv"*.deb | head -1)" "$cache/k"
	cp "$cache/k/boot/vmlinuz-$kv" "$cache/vmlinuz-$kv"
fi
if [ ! -f "$cache/acpi_call-$kv.ko" ]; then
	(cd "$cache" && apt-get download acpi-call-dkms >/dev/null 2>&1) || skip "cannot download acpi-call-dkms"
	rm -rf "$cache/acall" && dpkg-deb -x "$cache"/acpi-call-dkms_*.deb "$cache/acall"
	src=$(ls -d "$cache"/acall/usr/src/acpi-call-*)
	make -C "$hdr" M="$src" modules >/dev/null 2>&1 || { fail "acpi_call did not build against $kv"; finish; }
	cp "$src/acpi_call.ko" "$cache/acpi_call-$kv.ko"
fi
cmake -S "$OD_SRC" -B "$cache/static" -DOD_STATIC=ON -DOD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$cache/static" -j2 >/dev/null 2>&1  # static-link warnings about dlopen are expected
# The initramfs.
ir=$TMP/ir; mkdir -p "$ir/bin"
cp /bin/busybox "$ir/bin/"; cp "$cache/acpi_call-$kv.ko" "$ir/acpi_call.ko"; cp "$cache/static/optimus-db" "$ir/"
cat > "$ir/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /tmp /sbin /usr/bin /usr/sbin
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys
for a in $(cat /proc/cmdline); do case $a in od.bdf=*) BDF=${a#od.bdf=};; esac; done
echo "OD-PATH $(cat /sys/bus/pci/devices/$BDF/firmware_node/path 2>/dev/null)"
insmod /acpi_call.ko && echo "OD-ACPICALL ok"
/optimus-db host dump $BDF -o /tmp/rom.bin > /tmp/dump.log 2>&1; echo "OD-DUMP rc=$?"
sed 's/^/OD-LOG /' /tmp/dump.log
echo "OD-SHA $(sha256sum /tmp/rom.bin | cut -c1-64)"
base64 /sys/firmware/acpi/tables/DSDT | sed 's/^/OD-DSDT /'
poweroff -f
INIT
chmod +x "$ir/init"
(cd "$ir" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 > "$TMP/initrd.gz")

mkrom() { # FILE SIZE: a valid single-image ROM 10de:1c8d, random body
	head -c "$2" /dev/urandom > "$1"
	local units=$(($2 / 512))
	w() { printf "$2" | dd of="$1" bs=1 seek=$(($3)) conv=notrunc status=none; }
	w "$1" '\x55\xaa' 0; w "$1" '\x20\x00' 0x18; w "$1" 'PCIR\xde\x10\x8d\x1c\x00\x00\x18\x00\x03\x00\x02\x03' 0x20
	w "$1" "$(printf '\\x%02x\\x%02x\\x01\\x00\\x00\\x80' $((units & 255)) $((units >> 8)))" 0x30
}
mkrom "$TMP/r60k.rom" 61440; mkrom "$TMP/r128k.rom" 131072; mkrom "$TMP/r1m.rom" 1048576
real=${OD_SHARED:-/nonexistent}/corpus/roms/nvidia/eric-pierce--W530--k1000m-vbios_10de_0ffc.rom
[ -f "$real" ] || real=$TMP/r128k.rom

# QEMU's DSDT as each guest saw it (printed base64 on the console), kept for
# acpi_rom under ../shared's names (dsdt-q35-ovmf-rp.aml, dsdt-pc-seabios.aml).
rm -rf "$cache/dsdt"
save_dsdt() { # CONSOLE NAME WHAT: a whole table (signature, length, checksum) or a failure
	local f=$TMP/dsdt.aml len sum
	sed -n 's/.*OD-DSDT \([A-Za-z0-9+/=]*\).*/\1/p' "$1" | base64 -d > "$f" 2>/dev/null || true
	len=$(od -An -tu4 -j4 -N4 "$f" | tr -d ' ')
	sum=$(od -An -v -tu1 "$f" | tr -s ' ' '\n' | awk '{s += $1} END {print s % 256}')
	if [ "$(head -c4 "$f")" = DSDT ] && [ "${len:-0}" = "$(stat -c %s "$f")" ] && [ "$sum" = 0 ]; then
		ok; mkdir -p "$cache/dsdt"; cp "$f" "$cache/dsdt/$2"
	else fail "$3: no whole DSDT on the console (${len:-no} bytes announced)"; fi
}

boot() { # MACHINE FIRMWARE GUEST-ADDR ROOT-PORT|- ROM
	local machine=$1 fw=$2 addr=$3 port=$4 rom=$5 dir=$TMP/acpi-$1-$2-${3//:/-}  # QEMU splits -acpitable file= at ":"
	local args=(--guest "$machine" --guest-addr "$addr") qemu=(-machine "$machine" -m 512 -nographic -no-reboot -vga none)
	[ "$port" != - ] && args+=(--root-port "$port")
	"$OD" ssdt "$rom" --acpi "$dir" "${args[@]}" > "$TMP/ssdt.out"
	local path; path=$(sed -n 's/^ACPI path \([^ ]*\) .*/\1/p' "$TMP/ssdt.out")
	local bus=${addr%%:*} slot=${addr#*:}; [ "$addr" = "$slot" ] && bus=00
	if [ "$port" != - ]; then
		qemu+=(-device "pcie-root-port,id=rp1,bus=pcie.0,addr=0x${port#*:},chassis=1"
			-device "bochs-display,bus=rp1,addr=0x${slot},romfile=")
	else
		qemu+=(-device "bochs-display,addr=0x${slot},romfile=")
	fi
	if [ "$fw" = ovmf ]; then
		cp /usr/share/OVMF/OVMF_VARS_4M.fd "$TMP/vars.fd"
		qemu+=(-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd -drive "if=pflash,format=raw,file=$TMP/vars.fd")
	fi
	for t in "$dir"/vbios-ssdt-*.aml; do qemu+=(-acpitable "file=$t"); done
	local bdf="0000:$bus:${slot%.*}.${slot#*.}"
	[ "$bus" = 00 ] && bdf="0000:00:$(printf %02x $((16#${slot%.*}))).${slot#*.}"
	[ "$bus" != 00 ] && bdf="0000:$(printf %02x $((16#$bus))):$(printf %02x $((16#${slot%.*}))).${slot#*.}"
	timeout 400 qemu-system-x86_64 "${qemu[@]}" -kernel "$cache/vmlinuz-$kv" -initrd "$TMP/initrd.gz" \
		-append "console=ttyS0 quiet panic=-1 no_timer_check od.bdf=$bdf" > "$TMP/console" 2>&1 || true
	local len want got gpath
	len=$("$OD" info --json "$rom" | grep -o '"rom":{"length":[0-9]*' | grep -o '[0-9]*$')
	want=$(head -c "$len" "$rom" | sha256sum | cut -c1-64)
	got=$(sed -n 's/.*OD-SHA \([0-9a-f]\{64\}\).*/\1/p' "$TMP/console" | head -1)
	gpath=$(sed -n 's/.*OD-PATH \([^ \r]*\).*/\1/p' "$TMP/console" | head -1 | tr -d '\r' | sed 's/_\././g; s/_$//')
	local what="$machine/$fw GPU at $addr, $(basename "$rom")"
	save_dsdt "$TMP/console" "dsdt-$machine-$fw$([ "$machine" = q35 ] && { [ "$port" != - ] && echo -rp || echo -root; }).aml" "$what"
	check "$what: guest bound the node at $path" test "$gpath" = "$path"
	check "$what: host dump via acpi_call in the guest" grep -q "dumped $bdf with ACPI _ROM via acpi_call" "$TMP/console"
	if [ -n "$want" ] && [ "$got" = "$want" ]; then ok; echo "$what: SHA-256 ${got:0:16} equal"; else
		fail "$what: SHA-256 differs (got '${got:0:16}', want '${want:0:16}')"; grep -a "OD-\\|qemu" "$TMP/console" | head -8 >&2; tail -c 600 "$TMP/console" >&2; fi
}
boot q35 seabios 01:00.0 00:1c.0 /usr/share/seabios/vgabios-stdvga.bin
boot q35 ovmf    01:00.0 00:1c.0 "$real"
boot q35 seabios 00:02.0 -       "$TMP/r60k.rom"
boot q35 ovmf    00:02.0 -       "$TMP/r1m.rom"
boot pc  seabios 00:05.0 -       "$TMP/r128k.rom"
boot pc  ovmf    00:05.0 -       /usr/share/seabios/vgabios-stdvga.bin
finish
