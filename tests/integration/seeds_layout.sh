#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The committed seeds that are layouts (FV/FFS cuts, capsules, FMP, the
# GUID-defined section wrappers) are what od-mkseed writes today through the
# layout writers the unit tests use (parsers/layout/, tests/unit/fvbuild.c):
# regenerated in a scratch copy, every file is byte-identical. And
# `scan --tree --json` names the fields of the headers it walked.
set -e
. "$(dirname "$0")/../lib.sh"
mk="$OD_BUILD/tests/od-mkseed"
[ -x "$mk" ] || skip "od-mkseed not built (-DOD_TESTS=ON builds it)"
cd "$OD_SRC/corpus"
mkdir -p "$TMP/c/scan" "$TMP/c/ffs" "$TMP/c/capsule" "$TMP/c/nvgi" "$TMP/c/ifd"
cp scan/gen-rom-raw-section.fv scan/gen-lzma-section.fv scan/gen-legacy-1image.rom "$TMP/c/scan/"
check "od-mkseed layouts runs" "$mk" layouts "$TMP/c"
for f in ffs/gen-rom-raw-section-files.bin ffs/gen-rom-raw-section-sections.bin ffs/gen-lzma-section-files.bin \
	ffs/gen-lzma-section-sections.bin capsule/gen-toshiba.cap capsule/gen-lenovo.cap capsule/gen-fmp.cap \
	capsule/gen-fmp-mss1.cap capsule/gen-fmp-signed.cap nvgi/gen-nvgi-v2.bin nvgi/gen-nvgi-v3.bin nvgi/gen-nvgi-scan.bin \
	ifd/gen-ifd-pch-bios-fv.bin ifd/gen-ifd-ich8-bios-rom.bin; do
	check "$f byte-identical" cmp -s "$f" "$TMP/c/$f"
done
# The wrappers around real compressor output: take the committed section's
# data back out (after mode byte, 4-byte section and 20-byte GUID header)
# and wrap it again.
for g in gzip:1D301FE9-BE79-4353-91C2-D23BC959AE0C brotli:3D532050-5CDA-4FD0-879E-0F7F630D5AFB \
	hp-lzma:0ED85E23-F253-413F-A03C-901987B04397 amd-zlib2:991EFAC0-E260-416B-A4B8-3B153072B804; do
	n=${g%%:*} f=ffs/guided-${g%%:*}-sections.bin
	tail -c +26 "$f" >"$TMP/data"
	check "$f re-wrapped byte-identical" sh -c "'$mk' guided ${g#*:} '$TMP/data' '$TMP/$n' && cmp -s '$f' '$TMP/$n'"
done
tail -c +$((26 + 0x100)) ffs/guided-amd-zlib-sections.bin >"$TMP/z"
"$mk" amd-zlib "$TMP/z" "$TMP/amd"
check "AMD zlib header re-written byte-identical" cmp -s "$TMP/amd" <(tail -c +26 ffs/guided-amd-zlib-sections.bin)
# The edk2 headers around xz's and brotli's output (parsers/layout/codec.h):
# the size xz leaves unknown, and the Brotli header, written again.
plen=$(( $(stat -c %s ffs/gen-rom-raw-section-sections.bin) - 1 ))
tail -c +26 ffs/guided-hp-lzma-sections.bin >"$TMP/lz"
{ head -c 5 "$TMP/lz"; printf '\377\377\377\377\377\377\377\377'; tail -c +14 "$TMP/lz"; } >"$TMP/xz"
"$mk" lzma-size "$TMP/xz" "$plen" "$TMP/lz2"
check "LZMA size field re-written byte-identical" cmp -s "$TMP/lz" "$TMP/lz2"
for f in brotli/gen-sections-q11.bin brotli/gen-sections-q1.bin brotli/gen-sections-w10.bin; do
	tail -c +17 "$f" >"$TMP/br"
	"$mk" brotli "$TMP/br" "$plen" 0x20000 "$TMP/br2"
	check "$f header re-written byte-identical" cmp -s "$f" "$TMP/br2"
done
# --tree --json prints each header's fields under the layout's names.
fv=$(stat -c %s scan/gen-rom-raw-section.fv)
run scan --tree --json capsule/gen-toshiba.cap
check "Toshiba capsule header by name in --json" grep -qF \
	"\"header\":{\"layout\":\"TOSHIBA_CAPSULE_HEADER\",\"capsule_guid\":\"3BE07062-1D51-45D2-832B-F093257ED461\",\"header_size\":32,\"full_size\":$((32 + fv)),\"flags\":0}" "$TMP/out"
check "volume header fields in --json" grep -qF '"layout":"EFI_FIRMWARE_VOLUME_HEADER"' "$TMP/out"
check "FvLength and HeaderLength by name" grep -qE "\"length\":$fv,\"signature\":\"5f465648\",\"attributes\":[0-9]+,\"hdr_len\":72" "$TMP/out"
check "file and section headers by name" sh -c "grep -qF '\"layout\":\"EFI_FFS_FILE_HEADER\"' '$TMP/out' && grep -qF '\"layout\":\"EFI_COMMON_SECTION_HEADER\"' '$TMP/out'"
check "ROM header by name" grep -qF '"layout":"PCI expansion ROM header","signature":"55aa","init_size512":' "$TMP/out"
finish
