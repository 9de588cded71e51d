#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Real installers nobody here made (issue 19): never a false "no VBIOS here".
# Inno Setup (../shared/corpus/installers/inno, setup data 5.3.7 to 6.4.0.1):
# the version is named and every file chunk is decoded; innoextract (Debian)
# is the oracle: the bytes of the distinct files it extracts add up to what
# our chunks decode to (files are stored once per content, back to back).
set -e
. "$(dirname "$0")/../lib.sh"
need_shared
dir=$OD_SHARED/corpus/installers/inno
[ -d "$dir" ] || skip "$dir absent"
have_oracle=1
command -v innoextract >/dev/null || { echo "note: innoextract absent (Debian innoextract): byte totals not compared"; have_oracle=0; }
for f in "$dir"/*.exe; do
	b=$(basename "$f")
	want_ver=$(echo "$b" | sed -n 's/.*-inno\([0-9.]*[0-9]\)\(u\?\)--.*/\1 \2/p')
	ver=${want_ver% *}; uni=${want_ver#* }
	run scan --tree "$f"
	check "$b: exit 0 (rc $rc)" test "$rc" -eq 0
	label="Inno Setup $ver${uni:+ (u)} installer"
	check "$b: names '$label'" grep -qF "$label" "$TMP/out"
	check "$b: no chunk left unread" test "$(grep -c 'not read' "$TMP/err" || true)" -eq 0
	ours=$(grep -o '[0-9]* bytes of files from' "$TMP/out" | awk '{s += $1} END {print s + 0}')
	check "$b: chunks decoded ($ours bytes)" test "$ours" -gt 0
	[ "$have_oracle" = 1 ] || continue
	mkdir -p "$TMP/x/$b"
	if innoextract -s -q -d "$TMP/x/$b" "$f" >/dev/null 2>&1; then
		theirs=$(find "$TMP/x/$b" -type f -exec sha256sum {} + | sort -u -k1,1 | awk '{print $2}' |
			xargs -r stat -c %s | awk '{s += $1} END {print s + 0}')
		check "$b: decoded bytes equal innoextract's distinct files ($ours vs $theirs)" test "$ours" -eq "$theirs"
	else
		echo "note: innoextract cannot read $b (too new for Debian's 1.9): totals not compared"
	fi
done
finish
