#!/usr/bin/env bash
# Mutation test: real samples (Debian's SeaBIOS/iPXE ROMs and OVMF variable
# store, the shared corpus where present) flipped, truncated and extended in a
# deterministic sequence; `optimus-db scan` on each must end with exit 0 or 2,
# print errors as one clear "optimus-db: FILE: ..." line, never crash, hang
# (20 s bound) or trip a sanitizer (this runs under ASan+UBSan in CI).
# OD_MUTANTS sets how many per sample (default 125: 2000 mutants with the
# shared corpus). The sequence depends only on the seed: extensions are cut
# from the sample itself, never read from /dev/urandom.
set -e
. "$(dirname "$0")/../lib.sh"
need_file /usr/share/seabios/vgabios-stdvga.bin seabios
per=${OD_MUTANTS:-125}
samples=(/usr/share/seabios/vgabios-stdvga.bin /usr/lib/ipxe/qemu/efi-e1000.rom /usr/share/OVMF/OVMF_VARS_4M.fd)
if [ -d "${OD_SHARED:-}/corpus" ]; then
	samples+=("$OD_SHARED/corpus/roms/nvidia/eric-pierce--W530--k1000m-vbios_10de_0ffc.rom"
		"$OD_SHARED/corpus/firmware/lg-r510/QLXL3F22.fd" "$OD_SHARED/corpus/firmware/fiano-testdata/integration_roms_ovmfSECFV.fv")
fi
# Generated containers too (the test corpus seeds).
for f in "$OD_SRC"/corpus/scan/*; do samples+=("$f"); done
RANDOM=20261124
total=0 bad=0
for s in "${samples[@]}"; do
	[ -f "$s" ] || continue
	size=$(stat -c %s "$s")
	for ((i = 0; i < per; i++)); do
		m=$TMP/mutant
		case $((i % 4)) in
		0|1) cp "$s" "$m"; for k in 1 2 3; do
			off=$(( (RANDOM * 32768 + RANDOM) % size ))
			printf "\\x$(printf %02x $((RANDOM % 256)))" | dd of="$m" bs=1 seek="$off" conv=notrunc status=none
		     done;;
		2) head -c $(( (RANDOM * 32768 + RANDOM) % size )) "$s" > "$m";;
		3) cp "$s" "$m"; tail -c +$(( (RANDOM * 32768 + RANDOM) % size + 1 )) "$s" | head -c $((RANDOM % 4096 + 1)) >> "$m";;
		esac
		total=$((total + 1))
		set +e
		timeout 20 "$OD" scan "$m" > /dev/null 2> "$TMP/err"
		rc=$?
		set -e
		if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ] || grep -q "Sanitizer\|runtime error\|LeakSanitizer" "$TMP/err" ||
			grep -v "^optimus-db: " "$TMP/err" | grep -q .; then
			bad=$((bad + 1))
			echo "mutant $i of $(basename "$s") (kind $((i % 4))): exit $rc (OD_MUTANTS=$per reproduces it)" >&2
			head -5 "$TMP/err" >&2
		fi
	done
done
echo "mutation: $total mutants, $bad bad"
check "every mutant ended cleanly ($total runs)" test "$bad" -eq 0
finish
