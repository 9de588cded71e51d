#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# What a user sees for bad input: one "optimus-db: FILE: ..." line that names
# the file, the container path and the byte offset, exit 2, and nothing
# written. A recognised but damaged input is reported as damaged, never as
# "not a recognised firmware image" (which would send the user looking for
# another tool); only unrecognisable data gets that answer.
set -e
. "$(dirname "$0")/../lib.sh"
ovmf=/usr/share/OVMF/OVMF_CODE_4M.fd
need_file "$ovmf" ovmf

# Debian's OVMF cut short: the volume header says 0x348000 bytes.
head -c 3000000 "$ovmf" >"$TMP/cut.fd"
run scan --extract "$TMP/x" "$TMP/cut.fd"
check "cut volume: exit 2 (got $rc)" test "$rc" = 2
check "cut volume: file, path, offset and what is wrong" \
	grep -q '^optimus-db: .*cut.fd: error: cut.fd > FV 0: at offset 0x20: truncated: FvLength 0x348000 runs past the end' "$TMP/err"
check "cut volume: not called unrecognised" sh -c "! grep -q 'not a recognised' '$TMP/err'"
check "cut volume: stdout says the file was not fully read" grep -q "not fully read" "$TMP/out"
check "cut volume: nothing extracted" test ! -e "$TMP/x"

# An nvflash dump header with no ROM behind it.
printf 'NVGI\0\3\x10\0' >"$TMP/dump.bin"
head -c 2048 /dev/zero >>"$TMP/dump.bin"
run scan "$TMP/dump.bin"
check "bad NVGI dump: exit 2 (got $rc)" test "$rc" = 2
check "bad NVGI dump: the handler is in the path" \
	grep -q 'dump.bin > NVIDIA flash dump (NVGI header): at offset 0x0: malformed: no 55 AA + PCIR' "$TMP/err"
check "bad NVGI dump: not called unrecognised" sh -c "! grep -q 'not a recognised' '$TMP/err'"

# Data no handler recognises and carving finds nothing in.
head -c 5000 /dev/zero | tr '\0' 'x' >"$TMP/junk.bin"
run scan "$TMP/junk.bin"
check "junk: exit 2 (got $rc)" test "$rc" = 2
check "junk: said plainly" grep -q 'junk.bin: at offset 0x0: not supported: not a recognised firmware image' "$TMP/err"
check "every stderr line is an optimus-db: line" sh -c "! grep -v '^optimus-db: ' '$TMP/err'"
finish
