#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The generated SSDTs in ACPICA's interpreter: acpiexec (acpica-tools) loads
# QEMU's real DSDT for each guest topology plus our tables and evaluates _ROM
# at every 4 KiB offset and at unaligned ones, for synthetic 60 KiB, 128 KiB
# and 1 MiB ROMs and a real NVIDIA ROM: the bytes equal the ROM, lengths are
# exactly min(len, 4096), reads past the end are zero-filled. Every table is
# <= 65,535 bytes, disassembles with iasl -d and recompiles.
set -e
. "$(dirname "$0")/../lib.sh"
command -v acpiexec >/dev/null && command -v iasl >/dev/null || skip "acpica-tools absent"
# QEMU's DSDTs: ../shared's, else the ones guest_e2e copied out of its guests
# (ctest runs it first: fixture qemu_dsdt).
qemu=${OD_SHARED:-/nonexistent}/corpus/acpi/qemu
[ -d "$qemu" ] || qemu=$OD_SRC/build-guest/dsdt
for d in dsdt-q35-ovmf-rp.aml dsdt-q35-seabios-root.aml dsdt-pc-seabios.aml; do
	[ -f "$qemu/$d" ] || skip "QEMU's $d absent: no ../shared, and guest_e2e has not captured it into $qemu (ctest -R 'guest_e2e|acpi_rom')"
done
echo "acpi_rom: QEMU's DSDTs from $qemu"

mkrom() { # FILE SIZE: a valid single-image ROM 10de:1c8d of SIZE bytes, random body
	head -c "$2" /dev/urandom > "$1"
	local units=$(($2 / 512))
	w() { printf "$2" | dd of="$1" bs=1 seek=$(($3)) conv=notrunc status=none; }
	w "$1" '\x55\xaa' 0; w "$1" '\x20\x00' 0x18; w "$1" 'PCIR\xde\x10\x8d\x1c\x00\x00\x18\x00\x03\x00\x02\x03' 0x20
	w "$1" "$(printf '\\x%02x\\x%02x\\x01\\x00\\x00\\x80' $((units & 255)) $((units >> 8)))" 0x30
}

# hex of FILE[off, off+n) with zeros past its end
expect() {
	local f=$1 off=$2 n=$3 size; size=$(stat -c %s "$f")
	local have=$(( off >= size ? 0 : (size - off < n ? size - off : n) ))
	{ [ "$have" -gt 0 ] && xxd -p -s "$off" -l "$have" "$f"; head -c $((n - have)) /dev/zero | xxd -p; } | tr -d '\n'
}

evaluate() { # PATH DSDT DIR ROM OFFSETS...: one acpiexec run, then compare each result
	local path=$1 dsdt=$2 dir=$3 rom=$4; shift 4
	local o
	# Interactive mode on stdin: batch mode (-b) caps its command line at 1023 chars.
	# acpiexec reads numbers as hex: pass them as 0x...
	{ for o in "$@"; do printf 'evaluate %s._ROM 0x%X 0x1000\n' "$path" "$o"; done
	  printf 'evaluate %s._ROM 0x0 0x2000\nevaluate %s._ROM 0x10 0x7\nquit\n' "$path" "$path"; } |
		timeout 300 acpiexec "$dsdt" "$dir"/vbios-ssdt-*.aml > "$TMP/exec.out" 2>&1 || true
	# One line of hex per evaluation, in order (short buffers print on the
	# "[Buffer]" line itself).
	awk '/\[Buffer\] Length/ { if (cur != "") print cur; cur = "+" }
	     cur != "" { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9A-F][0-9A-F][0-9A-F][0-9A-F]:$/) {
			for (j = i + 1; j <= i + 16 && j <= NF; j++) if ($j ~ /^[0-9A-F][0-9A-F]$/) cur = cur tolower($j); else break
			break } }
	     END { if (cur != "") print cur }' "$TMP/exec.out" | sed 's/^+//' > "$TMP/results"
	local k=0 bad=0
	for o in "$@" 0 16; do
		k=$((k + 1))
		local n=4096; [ "$k" -eq $(($# + 2)) ] && n=7  # the 0x2000 ask returns 4096, the last asks 7
		local got; got=$(sed -n "${k}p" "$TMP/results")
		[ "$got" = "$(expect "$rom" $((o)) $n)" ] || { bad=$((bad + 1)); [ $bad -le 3 ] && echo "  mismatch at offset $o (got ${#got} hex digits)" >&2; }
	done
	check "$(basename "$rom") via $(basename "$dsdt"): $k _ROM reads exact" test "$bad" -eq 0
}

for size in 61440 131072 1048576; do
	mkrom "$TMP/r$size.rom" "$size"
done
roms=("$TMP/r61440.rom" "$TMP/r131072.rom" "$TMP/r1048576.rom")
real=$OD_SHARED/corpus/roms/nvidia/eric-pierce--W530--k1000m-vbios_10de_0ffc.rom
[ -f "$real" ] && roms+=("$real")

while read -r dsdt guest addr port path; do
	for rom in "${roms[@]}"; do
		dir=$TMP/acpi-$(basename "$rom")-$guest-$addr
		args=(--guest "$guest" --guest-addr "$addr"); [ "$port" != - ] && args+=(--root-port "$port")
		run ssdt "$rom" --acpi "$dir" "${args[@]}" --asl
		check "ssdt $(basename "$rom") $guest $addr exit 0" test "$rc" -eq 0
		check "path $path chosen and explained" grep -qF "ACPI path $path (" "$TMP/out"
		for t in "$dir"/*.aml; do
			[ "$(stat -c %s "$t")" -le 65535 ] || fail "$t over 65,535 bytes"
		done
		size=$(stat -c %s "$rom")
		offs=()
		for ((o = 0; o < size + 8192; o += 4096)); do offs+=("$o"); done
		offs+=(1 4095 61439 61441 $((size - 5)) $((size + 100)))
		evaluate "$path" "$qemu/$dsdt" "$dir" "$rom" "${offs[@]}"
	done
done <<'TOPO'
dsdt-q35-ovmf-rp.aml q35 01:00.0 00:1c.0 \_SB.PCI0.SE0.S00
dsdt-q35-seabios-root.aml q35 00:02.0 - \_SB.PCI0.S10
dsdt-pc-seabios.aml pc 00:05.0 - \_SB.PCI0.S28
TOPO

# iasl round trip on one set: disassemble every table, recompile, same AML.
dir=$TMP/acpi-r131072.rom-q35-01:00.0
mkdir -p "$TMP/rt"; cp "$dir"/*.aml "$TMP/rt/"
(cd "$TMP/rt" && for t in *.aml; do iasl -d "$t" >/dev/null 2>&1 || exit 1; done) && ok || fail "iasl -d failed"
(cd "$TMP/rt" && iasl -e vbios-ssdt-1.aml -d vbios-ssdt-0.aml >/dev/null 2>&1 || true)
for dsl in "$TMP"/rt/*.dsl; do
	(cd "$TMP/rt" && iasl -p "re-$(basename "$dsl" .dsl)" "$dsl" >/dev/null 2>&1) && ok || fail "iasl could not recompile $(basename "$dsl")"
done
# The header differs (iasl writes its own compiler ID); the AML body must not.
check "chunk table recompiles to identical AML" cmp -s <(tail -c +37 "$TMP/rt/re-vbios-ssdt-1.aml") <(tail -c +37 "$dir/vbios-ssdt-1.aml")
# Our own --asl source compiles too.
(cd "$dir" && iasl -p "$TMP/asl0" vbios-ssdt-0.dsl >/dev/null 2>&1) && ok || fail "our ASL for table 0 does not compile"
# Checksums: every table sums to zero.
for t in "$dir"/*.aml; do
	sum=$(od -An -v -tu1 "$t" | tr -s ' ' '\n' | awk '{s += $1} END {print s % 256}')
	check "$(basename "$t") checksum" test "$sum" -eq 0
done
# The battery (default): the values NVIDIA's driver checks (nv-acpi.c:
# _BIX[4] or _BIF[3] == 1, rechargeable), _STA with "battery present", the AC
# adapter on line. --no-battery leaves both devices out.
run ssdt "$TMP/r61440.rom" --acpi "$TMP/win"
acpiexec -b "evaluate \_SB.BAT0._STA; evaluate \_SB.BAT0._BIX; evaluate \_SB.BAT0._BIF; evaluate \_SB.AC._PSR" \
	"$qemu/dsdt-q35-ovmf-rp.aml" "$TMP"/win/*.aml > "$TMP/bat.out" 2>&1 || true
check "battery _STA = 0x1F" grep -q "\[Integer\] = 0*1F$" "$TMP/bat.out"
elem() { # METHOD N: element N of the package METHOD returned
	awk -v m="$1" -v n="$2" '/^Evaluation of/ { on = index($0, m) > 0; i = -1; next }
		on && /^ +\[(Integer|String)\]/ { if (++i == n) { print; exit } }' "$TMP/bat.out"
}
check "_BIX has 21 elements" grep -q "Contains 21 Elements" "$TMP/bat.out"
check "_BIX[4] technology = 1 (rechargeable)" test "$(elem _BIX 4 | tr -d ' ')" = "[Integer]=0000000000000001"
check "_BIF[3] technology = 1 (rechargeable)" test "$(elem _BIF 3 | tr -d ' ')" = "[Integer]=0000000000000001"
check "_BIX[18] type LION" grep -q '"LION"' <(elem _BIX 18)
check "AC _PSR = 1" grep -q "_SB.AC._PSR" "$TMP/bat.out"
run ssdt "$TMP/r61440.rom" --acpi "$TMP/nobat" --no-battery
check "--no-battery: no BAT0 in the table" bash -c "! grep -q BAT0 '$TMP/nobat/vbios-ssdt-0.aml'"
check "with battery: BAT0 in the table" grep -q BAT0 "$TMP/win/vbios-ssdt-0.aml"

# The ASL twin: every --asl source compiles with iasl (-oi: integers as written)
# to the same AML as ours
# (after the header, and after the If (Zero) { External (...) } blocks iasl
# adds for External declarations, which our AML leaves out on purpose).
body() { # AML: the body hex without iasl's leading External blocks
	local h; h=$(tail -c +37 "$1" | xxd -p | tr -d '\n')
	while [ "${h:0:2}" = a0 ] && [ "${h:4:4}" = 0015 ]; do h=${h:$(( (1 + 16#${h:2:2}) * 2 ))}; done
	echo "$h"
}
twin() { # DIR NAME: DIR/NAME.dsl compiles to DIR/NAME.aml
	(cd "$1" && iasl -oi -p "$TMP/twin" "$2.dsl" >/dev/null 2>&1) || { fail "$2.dsl does not compile"; return; }
	check "ASL twin $2 compiles to the same AML" test "$(body "$TMP/twin.aml")" = "$(body "$1/$2.aml")"
}
run ssdt "$TMP/r131072.rom" --acpi "$TMP/twin-split" --asl
for t in "$TMP"/twin-split/*.aml; do twin "$TMP/twin-split" "$(basename "$t" .aml)"; done
run ssdt "$TMP/r131072.rom" --acpi "$TMP/twin-nobat" --asl --no-battery --guest pc --guest-addr 00:05.0
twin "$TMP/twin-nobat" vbios-ssdt-0

# fw_cfg mode: one small table, the ROM beside it, the QEMU line; its _ROM
# loads in ACPICA (acpiexec has no fw_cfg: the bytes are checked in the guest).
run ssdt "$TMP/r1048576.rom" --acpi "$TMP/fwc" --fw-cfg --asl
check "ssdt --fw-cfg exit 0" test "$rc" -eq 0
check "one table and the ROM" test "$(ls "$TMP/fwc" | tr '\n' ' ')" = "vbios-fwcfg.aml vbios-fwcfg.dsl vbios-fwcfg.rom "
check "the fw_cfg file is the ROM" cmp -s "$TMP/fwc/vbios-fwcfg.rom" "$TMP/r1048576.rom"
check "the table is small" test "$(stat -c %s "$TMP/fwc/vbios-fwcfg.aml")" -lt 4096
check "QEMU line names the fw_cfg file" grep -qF -- "-fw_cfg name=opt/org.optimus-db/vbios,file=$TMP/fwc/vbios-fwcfg.rom -acpitable file=$TMP/fwc/vbios-fwcfg.aml" "$TMP/out"
twin "$TMP/fwc" vbios-fwcfg
acpiexec -b "evaluate \_SB.BAT0._STA" "$qemu/dsdt-q35-ovmf-rp.aml" "$TMP/fwc/vbios-fwcfg.aml" > "$TMP/fwc.out" 2>&1 || true
check "fw_cfg table loads beside QEMU's DSDT" grep -q "\[Integer\] = 0*1F$" "$TMP/fwc.out"
check "fw_cfg table loads without errors" bash -c "! grep -qi 'AE_ALREADY_EXISTS\|ACPI Error' '$TMP/fwc.out'"
# Refusals: pc guest behind a root port; overwriting without --force.
run ssdt "$TMP/r61440.rom" --acpi "$TMP/x" --guest pc --guest-addr 01:00.0
check "pc guest has no root ports (exit 3)" test "$rc" -eq 3
run ssdt "$TMP/r61440.rom" --acpi "$TMP/win"
check "no overwrite without --force (exit 4)" test "$rc" -eq 4
finish
