#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End to end in a real guest kernel: QEMU (TCG) boots Debian's Linux 6.1 with
# a busybox initramfs holding Debian's acpi_call module (built here against
# linux-headers) and a static optimus-db. The guest gets our SSDTs with
# -acpitable and a stand-in display device (bochs-display, ROM BAR off) at
# the GPU's address. Inside, the test checks the device's firmware_node/path
# is the path optimus-db chose, and `optimus-db host dump` reads the whole ROM
# through _ROM via acpi_call (32-byte calls, the stock module); the SHA-256
# must equal the ROM's. Topologies q35 + root port, q35 root bus and pc, each
# with SeaBIOS and OVMF, ROMs of 40 KiB to 1 MiB (and a real NVIDIA ROM).
# In the same boot a second stand-in device in the same topology gets the
# fw_cfg table (ssdt --fw-cfg, the ROM as QEMU's -fw_cfg file from vm-config's
# line): SHA-256 equal, and the guest's time for the whole read is printed.
# Every boot also has the battery and AC adapter (Linux's battery and ac
# modules bind them: type Battery, present 1, technology Li-ion, AC online 1)
# and vm-config's SMBIOS type-3 file (chassis_type 10, Notebook).
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
# Linux's battery and ac drivers (modules in Debian's kernel, no dependencies).
mods=$cache/k/lib/modules/$kv/kernel/drivers/acpi
if [ ! -f "$mods/battery.ko" ]; then
	deb=$(ls "$cache"/linux-image-"$kv"*.deb 2>/dev/null | head -1)
	[ -n "$deb" ] || (cd "$cache" && apt-get download "linux-image-$kv-unsigned" >/dev/null 2>&1) || skip "cannot download linux-image-$kv"
	dpkg-deb -x "$(ls "$cache"/linux-image-"$kv"*.deb | head -1)" "$cache/k"
fi
cmake -S "$OD_SRC" -B "$cache/static" -DOD_STATIC=ON -DOD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
# Static-link warnings about dlopen are expected; a failure is shown, not
# swallowed (a fresh Debian 12 once lacked libnettle.a and this test ended
# after 16 s with no output at all).
if ! cmake --build "$cache/static" -j2 >"$TMP/static.log" 2>&1; then
	grep -E 'error|cannot find' "$TMP/static.log" | head -20 >&2
	fail "the static optimus-db for the guest did not build (scripts/deps.sh guest installs what it links)"
	finish
fi
# The initramfs.
ir=$TMP/ir; mkdir -p "$ir/bin"
cp /bin/busybox "$ir/bin/"; cp "$cache/acpi_call-$kv.ko" "$ir/acpi_call.ko"; cp "$cache/static/optimus-db" "$ir/"
cp "$mods/battery.ko" "$mods/ac.ko" "$ir/"
cat > "$ir/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /tmp /sbin /usr/bin /usr/sbin
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys
for a in $(cat /proc/cmdline); do case $a in od.bdf=*) BDF=${a#od.bdf=};; od.fwc=*) FWC=${a#od.fwc=};; esac; done
echo "OD-PATH $(cat /sys/bus/pci/devices/$BDF/firmware_node/path 2>/dev/null)"
insmod /acpi_call.ko && echo "OD-ACPICALL ok"
/optimus-db host dump $BDF -o /tmp/rom.bin > /tmp/dump.log 2>&1; echo "OD-DUMP rc=$?"
sed 's/^/OD-LOG /' /tmp/dump.log
echo "OD-SHA $(sha256sum /tmp/rom.bin | cut -c1-64)"
# The fw_cfg device: the first _ROM call reads the whole file (timed alone),
# then the dump reads it through _ROM (timed from the start).
t0=$(cut -d' ' -f1 /proc/uptime)
echo "$(cat /sys/bus/pci/devices/$FWC/firmware_node/path)._ROM 0x0 0x20" > /proc/acpi/call; head -c 64 /proc/acpi/call > /dev/null
echo "OD-FWC-LOAD $t0 $(cut -d' ' -f1 /proc/uptime)"
/optimus-db host dump $FWC -o /tmp/fwc.bin > /tmp/fwc.log 2>&1; echo "OD-FWC-DUMP rc=$?"
t1=$(cut -d' ' -f1 /proc/uptime)
echo "OD-FWC-TIME $t0 $t1"
sed 's/^/OD-FWC-LOG /' /tmp/fwc.log
echo "OD-FWC-SHA $(sha256sum /tmp/fwc.bin | cut -c1-64)"
insmod /ac.ko; insmod /battery.ko
for b in /sys/class/power_supply/BAT*; do
	echo "OD-BAT $(cat $b/type) present=$(cat $b/present) technology=$(cat $b/technology) status=$(cat $b/status)"
done
echo "OD-AC online=$(cat /sys/class/power_supply/AC*/online)"
echo "OD-CHASSIS $(cat /sys/class/dmi/id/chassis_type)"
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

bdf_of() { # [BB:]DD.F -> 0000:BB:DD.F
	local bus=${1%%:*} slot=${1#*:}; [ "$1" = "$slot" ] && bus=00
	printf '0000:%02x:%02x.%s' $((16#$bus)) $((16#${slot%.*})) "${slot#*.}"
}
device() { # ADDR ROOT-PORT|- PORT-ID CHASSIS: QEMU args for a stand-in display device there
	local slot=${1#*:}
	if [ "$2" != - ]; then
		echo "-device pcie-root-port,id=$3,bus=pcie.0,addr=0x${2#*:},chassis=$4,hotplug=off -device bochs-display,bus=$3,addr=0x${slot},romfile="
	else
		echo "-device bochs-display,addr=0x${slot},romfile="
	fi
}
nboot=0 walls=""
# MACHINE FIRMWARE GUEST-ADDR ROOT-PORT|- ROM  FWCFG-ADDR FWCFG-ROOT-PORT|- FWCFG-ROM
# OD_GUEST_ONLY=N runs only the N-th boot (while iterating; the suite runs all).
boot() {
	local machine=$1 fw=$2 addr=$3 port=$4 rom=$5 faddr=$6 fport=$7 from=$8 dir=$TMP/acpi-$1-$2-${3//:/-}  # QEMU splits -acpitable file= at ":"
	nboot=$((nboot + 1))
	[ -n "${OD_GUEST_ONLY:-}" ] && [ "$OD_GUEST_ONLY" != "$nboot" ] && return 0
	local fdir=$TMP/fwcfg-$1-$2-${6//:/-}
	local args=(--guest "$machine" --guest-addr "$addr") fargs=(--guest "$machine" --guest-addr "$faddr" --no-battery)
	local qemu=(-machine "$machine" -accel "${OD_GUEST_ACCEL:-tcg}" -m 512 -nographic -no-reboot -vga none)
	[ "$port" != - ] && args+=(--root-port "$port")
	[ "$fport" != - ] && fargs+=(--root-port "$fport")
	"$OD" ssdt "$rom" --acpi "$dir" "${args[@]}" > "$TMP/ssdt.out"
	"$OD" ssdt "$from" --acpi "$fdir" --fw-cfg "${fargs[@]}" > "$TMP/fwc.out"
	local path fpath; path=$(sed -n 's/^ACPI path \([^ ]*\) .*/\1/p' "$TMP/ssdt.out")
	fpath=$(sed -n 's/^ACPI path \([^ ]*\) .*/\1/p' "$TMP/fwc.out")
	# vm-config's own lines for fw_cfg (the file and the table) and the SMBIOS chassis.
	"$OD" vm-config --host 0000:01:00.0 --rom "$from" --acpi "$fdir" --fw-cfg > "$TMP/vmc.out" 2>/dev/null
	local fwline smline
	read -ra fwline <<< "$(sed -n 's/^\(-fw_cfg .*\)/\1/p' "$TMP/vmc.out" | sed 's/ *\\$//')"
	read -ra smline <<< "$(sed -n 's/^\(-smbios [^ ]*\).*/\1/p' "$TMP/vmc.out")"
	local d; read -ra d <<< "$(device "$addr" "$port" rp1 1) $(device "$faddr" "$fport" rp2 2)"
	qemu+=("${d[@]}" "${fwline[@]}" "${smline[@]}")
	if [ "$fw" = ovmf ]; then
		cp /usr/share/OVMF/OVMF_VARS_4M.fd "$TMP/vars.fd"
		qemu+=(-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd -drive "if=pflash,format=raw,file=$TMP/vars.fd")
	fi
	for t in "$dir"/vbios-ssdt-*.aml; do qemu+=(-acpitable "file=$t"); done
	local bdf fbdf; bdf=$(bdf_of "$addr"); fbdf=$(bdf_of "$faddr")
	local t0=$SECONDS
	timeout "${OD_GUEST_TIMEOUT:-400}" qemu-system-x86_64 "${qemu[@]}" -kernel "$cache/vmlinuz-$kv" -initrd "$TMP/initrd.gz" \
		-append "console=ttyS0 quiet panic=-1 no_timer_check od.bdf=$bdf od.fwc=$fbdf" > "$TMP/console" 2>&1 || true
	walls="$walls $((SECONDS - t0))"
	tr -d '\r' < "$TMP/console" > "$TMP/con"
	local len want got gpath
	len=$("$OD" info --json "$rom" | grep -o '"rom":{"length":[0-9]*' | grep -o '[0-9]*$')
	want=$(head -c "$len" "$rom" | sha256sum | cut -c1-64)
	got=$(sed -n 's/.*OD-SHA \([0-9a-f]\{64\}\).*/\1/p' "$TMP/con" | head -1)
	gpath=$(sed -n 's/.*OD-PATH \([^ ]*\).*/\1/p' "$TMP/con" | head -1 | sed 's/_\././g; s/_$//')
	local what="$machine/$fw GPU at $addr, $(basename "$rom")"
	save_dsdt "$TMP/con" "dsdt-$machine-$fw$([ "$machine" = q35 ] && { [ "$port" != - ] && echo -rp || echo -root; }).aml" "$what"
	check "$what: guest bound the node at $path" test "$gpath" = "$path"
	check "$what: host dump via acpi_call in the guest" grep -q "dumped $bdf with ACPI _ROM via acpi_call" "$TMP/con"
	if [ -n "$want" ] && [ "$got" = "$want" ]; then ok; echo "$what: SHA-256 ${got:0:16} equal"; else
		fail "$what: SHA-256 differs (got '${got:0:16}', want '${want:0:16}')"; grep -a "OD-\\|qemu" "$TMP/con" | head -8 >&2; tail -c 600 "$TMP/con" >&2; fi
	# fw_cfg: the same ROM bytes through the one small table.
	local fwant fgot ft fl
	fwant=$(sha256sum < "$fdir/vbios-fwcfg.rom" | cut -c1-64)
	fgot=$(sed -n 's/.*OD-FWC-SHA \([0-9a-f]\{64\}\).*/\1/p' "$TMP/con" | head -1)
	ft=$(sed -n 's/.*OD-FWC-TIME \([0-9.]*\) \([0-9.]*\).*/\1 \2/p' "$TMP/con" | awk '{ printf "%.1f", $2 - $1 }')
	fl=$(sed -n 's/.*OD-FWC-LOAD \([0-9.]*\) \([0-9.]*\).*/\1 \2/p' "$TMP/con" | awk '{ printf "%.1f", $2 - $1 }')
	what="$machine/$fw fw_cfg device at $faddr ($fpath), $(stat -c %s "$from")-byte $(basename "$from")"
	check "$what: vm-config gave the -fw_cfg and -smbios lines" test "${#fwline[@]}" -eq 4 -a "${#smline[@]}" -eq 2
	check "$what: host dump via acpi_call" grep -q "dumped $fbdf with ACPI _ROM via acpi_call" "$TMP/con"
	if [ "$fgot" = "$fwant" ]; then ok; echo "$what: SHA-256 ${fgot:0:16} equal, first _ROM call (the fw_cfg read) ${fl} s, whole ROM ${ft} s in the guest (${OD_GUEST_ACCEL:-tcg})"; else
		fail "$what: SHA-256 differs (got '${fgot:0:16}', want '${fwant:0:16}')"; grep -a "OD-FWC" "$TMP/con" | head -8 >&2; fi
	# The battery, the AC adapter and the chassis, as Linux sees them.
	check "$machine/$fw: battery bound: type Battery, present 1, technology Li-ion" \
		grep -q "OD-BAT Battery present=1 technology=Li-ion status=Full" "$TMP/con"
	check "$machine/$fw: AC adapter online" grep -q "OD-AC online=1" "$TMP/con"
	check "$machine/$fw: SMBIOS chassis_type 10 (Notebook)" grep -q "OD-CHASSIS 10$" "$TMP/con"
	grep -a "OD-BAT\|OD-AC\|OD-CHASSIS" "$TMP/con" | sed "s|^|$machine/$fw: |"
}
# fw_cfg reads cost ~0.5 ms per byte of AML under TCG (measured): small ROMs
# here (2.5 and 4 pieces of 4 KiB); OD_GUEST_FWCFG_SIZE=BYTES times a bigger one
# (OD_GUEST_TIMEOUT=SECONDS for a big one; OD_GUEST_ACCEL=kvm for KVM, which
# hung at boot on this nested machine; the suite uses TCG).
mkrom "$TMP/r10k.rom" 10240; mkrom "$TMP/r16k.rom" 16384
f1=$TMP/r10k.rom f2=$TMP/r16k.rom
if [ -n "${OD_GUEST_FWCFG_SIZE:-}" ]; then mkrom "$TMP/rfw.rom" "$OD_GUEST_FWCFG_SIZE"; f1=$TMP/rfw.rom f2=$TMP/rfw.rom; fi
vga=/usr/share/seabios/vgabios-stdvga.bin
boot q35 seabios 01:00.0 00:1c.0 "$vga"           02:00.0 00:1d.0 "$f1"
boot q35 ovmf    01:00.0 00:1c.0 "$real"          02:00.0 00:1d.0 "$f2"
boot q35 seabios 00:02.0 -       "$TMP/r60k.rom"  00:03.0 -       "$f2"
boot q35 ovmf    00:02.0 -       "$TMP/r1m.rom"   00:03.0 -       "$f1"
boot pc  seabios 00:05.0 -       "$TMP/r128k.rom" 00:06.0 -       "$f1"
boot pc  ovmf    00:05.0 -       "$vga"           00:06.0 -       "$f2"
echo "guest boot wall times (s):$walls"
finish
