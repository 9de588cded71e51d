#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The man page lists every option every command accepts: the flags come
# from each command's --help, which is printed from the very table the
# parser uses (cli/args.c), so a flag added to the code and not to
# man/optimus-db.1 fails here. Each flag must appear in its command's
# ".SS" section (export and vm-config share the ACPI options of ssdt).
set -e
. "$(dirname "$0")/../lib.sh"
man=${OD_SRC:?}/man/optimus-db.1
need_file "$man" "the source tree"
# The man source with groff escapes undone: \-\-db -> --db, \fB..\fR dropped.
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$man" >"$TMP/man.txt"
section() { # NAME: the text of the .SS section(s) whose heading names NAME
	awk -v n="$1" '
		/^\.S[HS] / { on = 0 }
		/^\.SS / { split(substr($0, 5), w, /[ ,]+/); on = (w[1] == n || w[2] == n) }
		on' "$TMP/man.txt"
}
cmds=$("$OD" --help | awk '/^  optimus-db / { print $2 }')
check "the command list is read from --help" test "$(echo "$cmds" | wc -w)" -ge 13
grep -q -- "--help" "$TMP/man.txt" && ok || fail "the man page mentions --help"
for c in $cmds; do
	"$OD" "$c" --help >"$TMP/help" || fail "$c --help exit 0"
	section "$c" >"$TMP/sec"
	check "man page has a section for $c" test -s "$TMP/sec"
	grep -q "ACPI options of ssdt" "$TMP/sec" && section ssdt >>"$TMP/sec"
	flags=$(grep -E '^  -' "$TMP/help" | grep -oE '(^|[ ,])--?[a-z][a-z0-9-]*' | tr -d ' ,' | grep -vx -e -h -e --help | sort -u)
	check "$c --help lists options or none" true
	for f in $flags; do
		check "man page lists $c $f" grep -qE -- "(^|[^a-z-])$f([^a-z-]|\$)" "$TMP/sec"
	done
done
# And the other way: no flag in a section that the command does not accept.
for c in $cmds; do
	"$OD" "$c" --help >"$TMP/help"
	section "$c" | grep -E '^\.(TP|B|BI|BR) ' -A1 | grep -oE '^\.B[IR]? --?[a-z][a-z0-9-]*' | awk '{ print $2 }' | sort -u >"$TMP/manflags"
	while read -r f; do
		check "$c accepts $f (the man page lists it)" grep -qE -- "(^|[ ,])$f( |,|\$)" "$TMP/help"
	done <"$TMP/manflags"
done
finish
