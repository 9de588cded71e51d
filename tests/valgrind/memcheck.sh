#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# valgrind memcheck over what the fuzzers and real firmware feed the parsers
# (issue 20: MSan found the carver reading a decoder's unwritten tail; MSan
# needs instrumented zlib/liblzma, which this suite cannot build, so memcheck
# on the release binaries is the check that runs everywhere):
#  1. every fuzz target's replay binary (fuzz/replay_main.c) over its whole
#     committed corpus (corpus/<target>/) and corpus/regressions/, one
#     process per target;
#  2. `optimus-db scan` on a bounded, representative set of real images:
#     Debian's OVMF (x64 2 MiB and 4 MiB secure boot, ia32, varstore),
#     SeaBIOS and its VGA BIOSes, iPXE's legacy and EFI ROMs, and, where
#     ../shared/corpus is present, one image of each real family there
#     (Apple EFI, LG R510 Insyde, AMD FSP, coreboot, fiano's OVMF SEC FV and
#     LZMA files, the NVIDIA ROMs). OD_VALGRIND_ALL=1 takes every file instead
#     (all of Debian's, every shared image; several times slower).
# Any memcheck report fails the test (--error-exitcode); the scan's own exit
# code is not judged here (other tests do that). Release (non-sanitizer)
# builds only: valgrind cannot run ASan binaries, so sanitizer builds skip.
set -u
: "${OD:?OD must point at the optimus-db binary}"
: "${OD_BUILD:?}" "${OD_SRC:?}"
command -v valgrind >/dev/null || { echo "skipping: valgrind absent (scripts/deps.sh installs it)"; exit 77; }
[ "${OD_SANITIZE:-OFF}" = ON ] && { echo "skipping: sanitizer build (valgrind runs on the release build)"; exit 77; }
VG=(valgrind -q --tool=memcheck --error-exitcode=99 --track-origins=yes)
log=$(mktemp); trap 'rm -f "$log"' EXIT
fails=0 runs=0 start=$SECONDS
vg() { # LABEL COMMAND...
	local what=$1; shift
	runs=$((runs + 1))
	"${VG[@]}" "$@" >/dev/null 2>"$log"
	if [ $? -eq 99 ]; then
		fails=$((fails + 1))
		echo "FAIL: memcheck report in $what:"; head -40 "$log"
	fi
}
for bin in "$OD_BUILD"/tests/replay_*; do
	t=${bin##*/replay_}
	vg "replay_$t" "$bin" "$OD_SRC/corpus/$t" "$OD_SRC/corpus/regressions"
done
echo "replays: $runs targets in $((SECONDS - start)) s"
files=()
if [ "${OD_VALGRIND_ALL:-0}" = 1 ]; then
	for f in /usr/share/OVMF/* /usr/share/AAVMF/* /usr/share/seabios/*.bin /usr/lib/ipxe/qemu/*.rom /usr/share/qemu/OVMF.fd; do
		[ -f "$f" ] && [ ! -L "$f" ] && files+=("$f")
	done
	[ -d "${OD_SHARED:-}/corpus" ] && while IFS= read -r f; do files+=("$f"); done < <(
		find "$OD_SHARED/corpus/firmware" "$OD_SHARED/corpus/roms" "$OD_SHARED/corpus/installers" -type f \
			! -name '*.md' ! -name '*.tsv' ! -path '*/expected_oproms/*' | sort)
else
	for f in /usr/share/OVMF/OVMF_CODE.fd /usr/share/OVMF/OVMF_CODE_4M.secboot.fd \
		/usr/share/OVMF/OVMF32_CODE_4M.secboot.fd /usr/share/OVMF/OVMF_VARS_4M.fd \
		/usr/share/seabios/bios-256k.bin /usr/share/seabios/vgabios-stdvga.bin /usr/share/seabios/vgabios-qxl.bin \
		/usr/lib/ipxe/qemu/pxe-e1000.rom /usr/lib/ipxe/qemu/efi-virtio.rom; do
		[ -f "$f" ] && files+=("$f")
	done
	if [ -d "${OD_SHARED:-}/corpus" ]; then
		c=$OD_SHARED/corpus/firmware
		for f in "$c/apple/MBP21_00A5_07B_LOCKED.fd" "$c/lg-r510/QLXL3F22.fd" \
			"$c/amd-vangogh-fsp/VangoghSet1ExternalReleaseS.fd" "$c"/coreboot/*.ROM \
			"$c/fiano-testdata/integration_roms_ovmfSECFV.fv" "$c/fiano-testdata/pkg_compression_testdata_random.bin.lzma86"; do
			[ -f "$f" ] && files+=("$f")
		done
		while IFS= read -r f; do files+=("$f"); done < <(find "$OD_SHARED/corpus/roms/nvidia" -type f | sort | head -8)
	fi
fi
[ ${#files[@]} -gt 0 ] || echo "note: no real images found (install ovmf, seabios, ipxe-qemu)"
t0=$SECONDS
for f in "${files[@]}"; do vg "optimus-db scan $f" "$OD" scan "$f"; done
echo "scans: ${#files[@]} real images in $((SECONDS - t0)) s"
echo "memcheck: $runs runs, $fails with reports, $((SECONDS - start)) s"
[ "$fails" -eq 0 ]
