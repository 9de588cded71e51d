#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The damage rule (issue 13 sec. 3, issue 14): damage confined to a part is a
# warning with its container path, the walk goes on, exit 0, and every ROM
# found whole is reported, stored by `add` and written by `--extract`;
# `--strict` makes any warning exit 2; `--json` lists them under "warnings".
# A ROM whose own chain is cut (a VBIOS cut inside its EFI image) is not whole:
# exit 2, not stored and not extracted unless --keep-damaged, and said so.
# Inputs: Debian's iPXE option ROM (legacy + EFI images) and OVMF, zipped by
# the real zip tool.
set -e
. "$(dirname "$0")/../lib.sh"
rom=/usr/lib/ipxe/qemu/efi-e1000.rom
ovmf=/usr/share/OVMF/OVMF_CODE_4M.fd
need_file "$rom" ipxe-qemu
need_file "$ovmf" ovmf
command -v zip >/dev/null || skip "zip absent (scripts/deps.sh installs it)"
export OPTIMUS_DB="$TMP/cat.db"

# 1. A zip holding a whole ROM and a cut OVMF image: the cut volume is damage
# inside one entry, not the input's.
mkdir "$TMP/z"
cp "$rom" "$TMP/z/nic.rom"
head -c 3000000 "$ovmf" >"$TMP/z/cut.fd"
(cd "$TMP/z" && zip -q ../pkg.zip nic.rom cut.fd)
run scan --extract "$TMP/x" "$TMP/pkg.zip"
check "part damaged: exit 0 (got $rc)" test "$rc" = 0
check "part damaged: a warning with the container path and offset" \
	grep -q 'warning: pkg.zip > zip > zip entry "cut.fd" > .*FV 0: at offset 0x20: truncated' "$TMP/err"
check "part damaged: the whole ROM is reported" grep -q "1 option ROM found" "$TMP/out"
check "part damaged: the whole ROM is extracted byte for byte" cmp -s "$rom" "$TMP"/x/8086_100e_*.rom
run scan --strict "$TMP/pkg.zip"
check "part damaged, --strict: exit 2 (got $rc)" test "$rc" = 2
run scan --json "$TMP/pkg.zip"
check "part damaged, --json: a warnings array with the path" grep -q '"warnings": *\[{"path": *"pkg.zip > zip > zip entry' "$TMP/out"
run add "$TMP/pkg.zip"
check "part damaged, add: exit 0 (got $rc)" test "$rc" = 0
check "part damaged, add: the ROM is stored" grep -q "pkg.zip: 1 option ROM, 1 new" "$TMP/out"

# 2. The same ROM cut inside its EFI image (0x12600 legacy + part of the EFI).
head -c $((0x12600 + 0x8000)) "$rom" >"$TMP/cut.rom"
run scan --extract "$TMP/y" "$TMP/cut.rom"
check "cut ROM: exit 2 (got $rc)" test "$rc" = 2
check "cut ROM: said to be cut" grep -q "only 0x8000 present: the ROM is cut" "$TMP/err"
check "cut ROM: marked DAMAGED on stdout" grep -q "DAMAGED" "$TMP/out"
check "cut ROM: nothing extracted" sh -c "! ls '$TMP'/y/*.rom >/dev/null 2>&1"
run scan --keep-damaged --extract "$TMP/y" "$TMP/cut.rom"
check "cut ROM, --keep-damaged: still exit 2 (got $rc)" test "$rc" = 2
check "cut ROM, --keep-damaged: written, and said so" grep -q "DAMAGED.*--keep-damaged" "$TMP/err"
check "cut ROM, --keep-damaged: the bytes as found" cmp -s "$TMP/cut.rom" "$TMP"/y/8086_100e_*.rom
run add "$TMP/cut.rom"
check "cut ROM, add: exit 2 (got $rc)" test "$rc" = 2
check "cut ROM, add: not stored" grep -q "cut.rom: 0 option ROMs, 0 new (1 damaged not stored" "$TMP/out"
run add --keep-damaged "$TMP/cut.rom"
check "cut ROM, add --keep-damaged: stored" grep -q "cut.rom: 1 option ROM, 1 new" "$TMP/out"
run lookup 8086:100e
check "cut ROM: the catalogue marks it damaged" grep -q "damaged" "$TMP/out"
sha=$(sha256sum "$TMP/cut.rom" | cut -c1-16)
run export "$sha" --rom "$TMP/out.rom"
check "cut ROM, export: never silent" grep -q "is DAMAGED" "$TMP/err"
finish
