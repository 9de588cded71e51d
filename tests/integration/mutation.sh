#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Mutation test: every real sample available -- Debian's SeaBIOS, iPXE and
# OVMF files, the shared corpus's ROMs and firmware images where present, and
# the committed hand-made fuzz seeds -- mutated in a deterministic sequence: byte flips
# anywhere, flips next to a structure signature (55 AA, PCIR, _FVH, NVGI,
# capsule and archive magics: where parsers make decisions), truncations and
# extensions cut from the sample itself. `optimus-db scan` on each mutant must
# end with exit 0 or 2 and errors as "optimus-db: FILE: ..." lines, never
# crash, hang (OD_MUTANT_TIMEOUT, 20 s) or trip a sanitizer or LSan (this runs
# under ASan+UBSan in CI). OD_MUTANTS sets the total (default 3000, at least
# 12 per sample); the mutants of a sample depend only on its place in the
# list and OD_MUTANTS, so a failure line reproduces with the same settings.
set -e
. "$(dirname "$0")/../lib.sh"
need_file /usr/share/seabios/vgabios-stdvga.bin seabios
total_wanted=${OD_MUTANTS:-3000}
limit=${OD_MUTANT_TIMEOUT:-20}

samples=()
add() { for f in "$@"; do [ -f "$f" ] && [ ! -L "$f" ] && [ -s "$f" ] && samples+=("$f"); done; return 0; }
add /usr/share/seabios/*.bin /usr/lib/ipxe/qemu/*.rom /usr/share/OVMF/*.fd
if [ -d "${OD_SHARED:-}/corpus" ]; then
	add "$OD_SHARED"/corpus/roms/*/* "$OD_SHARED"/corpus/firmware/*/*
else
	echo "mutation: shared corpus absent (${OD_SHARED:-unset}/corpus): Debian's files and the seeds only"
fi
# The hand-made seeds only: inputs the fuzzers found are named by their SHA-1
# and are replayed by fuzz_replay/* instead.
for f in "$OD_SRC"/corpus/*/*; do
	[[ $(basename "$f") =~ ^[0-9a-f]{40}$ ]] || add "$f"
done
# Skip the shared corpus's text files (indexes, expected-output lists).
keep=()
for s in "${samples[@]}"; do case $s in *.md|*.tsv|*.txt|*/expected_oproms*|*/make-seeds) ;; *) keep+=("$s") ;; esac; done
samples=("${keep[@]}")
n=${#samples[@]}
per=$(( total_wanted / n )); [ "$per" -ge 12 ] || per=12
echo "mutation: $n samples, $per mutants each"

# One sample's mutants; prints one line per bad mutant, then "done N".
mutate_sample() { # INDEX PATH
	local idx=$1 s=$2 m="$TMP/m$1" size sigs=() i off k
	size=$(stat -c %s "$s")
	# Offsets of structure signatures in the first 4 MiB (at most 64).
	mapfile -t sigs < <(head -c 4194304 "$s" | LC_ALL=C grep -obaP \
		'\x55\xAA|PCIR|_FVH|NVGI|NPDE|\$_IF|_AMIPFAT|PFS\.HDR|PK\x03\x04|\x1F\x8B|\x5A\xA5\xF0\x0F|\xBD\x86\x66\x3B|\x8B\xA6\x3C\x4A|MZ' \
		2>/dev/null | cut -d: -f1 | awk 'NR % 7 == 1' | head -64 || true)
	RANDOM=$((20261124 + idx * 7919 + per))
	for ((i = 0; i < per; i++)); do
		k=$((i % 5))
		case $k in
		0|1) cp "$s" "$m"; for j in 1 2 3; do
			off=$(( (RANDOM * 32768 + RANDOM) % size ))
			[ $k = 1 ] && [ ${#sigs[@]} -gt 0 ] && off=$(( (sigs[RANDOM % ${#sigs[@]}] + RANDOM % 64) % size ))
			printf "\\x$(printf %02x $((RANDOM % 256)))" | dd of="$m" bs=1 seek="$off" conv=notrunc status=none
		     done;;
		2) head -c $(( (RANDOM * 32768 + RANDOM) % size )) "$s" > "$m";;
		3) cp "$s" "$m"; tail -c +$(( (RANDOM * 32768 + RANDOM) % size + 1 )) "$s" | head -c $((RANDOM % 4096 + 1)) >> "$m";;
		4) cp "$s" "$m"; off=$(( (RANDOM * 32768 + RANDOM) % size ))
		   # A 4-byte field set to 0xFFFFFFFF or 0: the lengths and counts parsers must check.
		   if [ $((RANDOM % 2)) = 0 ]; then printf '\xff\xff\xff\xff'; else printf '\0\0\0\0'; fi |
			dd of="$m" bs=1 seek="$off" conv=notrunc status=none;;
		esac
		set +e
		timeout "$limit" "$OD" scan "$m" > /dev/null 2> "$m.err"
		local rc=$?
		set -e
		if { [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; } || grep -q "Sanitizer\|runtime error" "$m.err" ||
			grep -v "^optimus-db: " "$m.err" | grep -q .; then
			echo "BAD mutant $i (kind $k) of sample $idx $(basename "$s"): exit $rc$([ "$rc" = 124 ] && echo ", over ${limit}s")"
			head -5 "$m.err" | sed 's/^/    /'
		fi
	done
	rm -f "$m" "$m.err"
	echo "done $per"
}

# Samples are shared out to one worker per core; each sample's sequence is
# its own, so the split does not change which mutants are run.
jobs=$(nproc 2>/dev/null || echo 2)
for ((w = 0; w < jobs; w++)); do
	( for ((idx = w; idx < n; idx += jobs)); do mutate_sample "$idx" "${samples[idx]}"; done ) > "$TMP/w$w" 2>&1 &
done
wait
ran=$(cat "$TMP"/w* | awk '/^done / { s += $2 } END { print s + 0 }')
bad=$(cat "$TMP"/w* | grep -c '^BAD' || true)
grep -h -A5 '^BAD' "$TMP"/w* | head -60 >&2 || true
echo "mutation: $ran mutants of $n samples, $bad bad"
check "every sample was mutated ($ran of $((n * per)))" test "$ran" -eq $((n * per))
check "every mutant ended cleanly ($ran runs, $bad bad)" test "$bad" -eq 0
finish
