#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# One way to parse every command's options (cli/args.c): --db and every
# other option anywhere among the operands, unknown options and stray
# operands are usage errors (exit 3) instead of being ignored, IDs are
# strict hex (lookup -1:-1 is not ffff:ffff), --help lists every option,
# and scan reads every FILE it is given (it stopped at 512).
set -e
. "$(dirname "$0")/../lib.sh"
rom=/usr/share/seabios/vgabios-stdvga.bin
need_file "$rom" seabios
export OPTIMUS_DB=$TMP/default.db
run add "$rom" -q
check "default catalogue made" test "$rc" -eq 0
head -c 8192 /dev/urandom >"$TMP/corrupt.db"

# verify -v --db corrupt.db verified the default catalogue and said ok.
run verify -v --db "$TMP/corrupt.db"
check "verify -v: unknown option, exit 3 (got $rc)" test "$rc" -eq 3
check "verify -v: the option is named" grep -q "unknown option '-v'" "$TMP/err"
check "verify -v: nothing verified" sh -c "! grep -q 'integrity ok' '$TMP/out'"
run verify --db="$TMP/corrupt.db"
check "verify --db=corrupt: not the default catalogue (got $rc)" test "$rc" -ne 0 -a "$rc" -ne 3
run stats extra --db "$TMP/default.db"
check "stats with an operand: exit 3 (got $rc)" test "$rc" -eq 3
run stats --db "$TMP/corrupt.db"
check "stats --db corrupt: that catalogue is read (got $rc)" test "$rc" -ne 0
run stats --db
check "--db without a value: exit 3 (got $rc)" test "$rc" -eq 3
check "--db without a value: said" grep -q -- "--db needs a value" "$TMP/err"
mkdir -p "$TMP/empty"
run stats --db "$TMP/empty/new.db"
check "stats --db elsewhere: that catalogue is named" grep -q "$TMP/empty/new.db" "$TMP/err"

# Options after operands, and -- before an operand that starts with '-'.
sha=$(sha256sum "$rom" | cut -c1-12)
run show "$sha" --json
check "show PREFIX --json: JSON (got $rc)" grep -q '^\[{"sha256"' "$TMP/out"
run show --json --db "$OPTIMUS_DB" "$sha"
check "show --json --db PATH PREFIX: found" test "$rc" -eq 0
cp "$rom" "$TMP/-odd.rom"
run info -- "$TMP/-odd.rom"
check "info -- FILE: read (got $rc)" test "$rc" -eq 0

# Unknown options are usage errors for every command.
for cmd in info scan add lookup show export contribute import ssdt vm-config host stats verify; do
	run "$cmd" --no-such-flag
	check "$cmd --no-such-flag: exit 3 (got $rc)" test "$rc" -eq 3
	check "$cmd --no-such-flag: named" grep -q "unknown option '--no-such-flag'" "$TMP/err"
	run "$cmd" --help
	check "$cmd --help: exit 0 (got $rc)" test "$rc" -eq 0
	check "$cmd --help: usage line" grep -q "^usage: optimus-db $cmd" "$TMP/out"
done
run host --help
check "host --help lists --sysfs-root" grep -q -- "--sysfs-root" "$TMP/out"
run host dump 0000:01:00.0 extra
check "host dump with two BDFs: exit 3 (got $rc)" test "$rc" -eq 3
run host frobnicate
check "host with an unknown subcommand: exit 3 (got $rc)" test "$rc" -eq 3

# IDs: strict hex, 1-4 digits per group.
for bad in -1:-1 10de 10de:139b0 10de:13g0 10de: :139b 0x10de:139b; do
	run lookup -- "$bad"
	check "lookup '$bad': exit 3 (got $rc)" test "$rc" -eq 3
	check "lookup '$bad': no lookup done" test ! -s "$TMP/out"
done
run lookup -1:-1
check "lookup -1:-1: exit 3 (got $rc)" test "$rc" -eq 3
run export -- -1:-1:-1:-1 --rom "$TMP/x.rom"
check "export -1:-1:-1:-1: exit 3 (got $rc)" test "$rc" -eq 3
check "export -1:-1:-1:-1: nothing written" test ! -e "$TMP/x.rom"
run lookup 1234:1111
check "lookup 1234:1111 still works (got $rc)" test "$rc" -eq 0

# Messages: a usage error has no byte offset; host dump without a GPU.
run ssdt "$rom" --acpi "$TMP/acpi" --guest foo
check "bad --guest: exit 3 (got $rc)" test "$rc" -eq 3
check "bad --guest: said, with no byte offset" sh -c "grep -q 'guest' '$TMP/err' && ! grep -q 'at offset' '$TMP/err'"
mkdir -p "$TMP/nogpu/sys/bus/pci/devices"
run host dump --sysfs-root "$TMP/nogpu"
check "host dump, no GPU: exit 1 (got $rc)" test "$rc" -eq 1
check "host dump, no GPU: said plainly" grep -q "^optimus-db: no NVIDIA GPU found among the display devices" "$TMP/err"
check "host dump, no GPU: no double negative" sh -c "! grep -q 'GPU not found' '$TMP/err'"

# scan reads every file: 600 names, one line each.
mkdir "$TMP/many"
for i in $(seq 1 600); do ln "$TMP/-odd.rom" "$TMP/many/r$i.rom" 2>/dev/null || cp "$rom" "$TMP/many/r$i.rom"; done
run scan "$TMP"/many/r*.rom
check "scan of 600 files: exit 0 (got $rc)" test "$rc" -eq 0
check "scan of 600 files: 600 results" test "$(grep -c 'option ROM found' "$TMP/out")" -eq 600
check "scan of 600 files: the 600th is there" grep -q "r600.rom: 1 option ROM found" "$TMP/out"
finish
