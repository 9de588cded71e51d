#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Real installers nobody here made (issue 19): never a false "no VBIOS here".
# Inno Setup (../shared/corpus/installers/inno, setup data 5.3.7 to 6.4.0.1):
# the version is named and every file chunk is decoded; innoextract (Debian)
# is the oracle: the bytes of the distinct files it extracts add up to what
# our chunks decode to (files are stored once per content, back to back).
# Debian's clamav-testfiles: real NSIS, InstallShield and UPX executables and
# CAB/7z archives: each is named with what it is, exit 2, never "normal".
set -e
. "$(dirname "$0")/../lib.sh"
cv=/usr/share/clamav-testfiles
dir=${OD_SHARED:-/nonexistent}/corpus/installers/inno
[ -d "$cv" ] || [ -d "$dir" ] || skip "neither $cv (Debian clamav-testfiles) nor $dir is here"
expect_named() { # FILE TEXT: exit 2, TEXT on stderr, no "normal" answer
	run scan "$cv/$1"
	check "$1: exit 2 (rc $rc)" test "$rc" -eq 2
	check "$1: names '$2'" grep -qF "$2" "$TMP/err"
	check "$1: not called a normal result" sh -c "! grep -q 'a normal result' '$TMP/out'"
}
if [ -d "$cv" ]; then
	expect_named clam-nsis.exe "NSIS installer (first header at 0xb400"
	expect_named clam_IScab_int.exe 'InstallShield cabinet "Disk1\data1.cab" (ISc(): not read'
	expect_named clam_IScab_ext.exe 'InstallShield cabinet "Disk1\data2.cab"'
	expect_named clam_ISmsi_int.exe "InstallShield installer (4 encoded files at 0xdf869): not read"
	expect_named clam_ISmsi_ext.exe "InstallShield installer (5 encoded files at 0xdf869): not read"
	expect_named clam-upx.exe "UPX-packed executable"
	# Packers leave their section names, or code starting in a section that
	# the loader makes writable and executable or that has no bytes in the file.
	expect_named clam-aspack.exe "ASPack-packed executable"
	expect_named clam-petite.exe "Petite-packed executable"
	expect_named clam-wwpack.exe "WWPack32-packed executable"
	expect_named clam-mew.exe "MEW-packed executable"
	expect_named clam-upack.exe "packed executable (its code starts in a section filled at run time)"
	# A ZIP entry in a method libarchive lacks is unread, not "normal".
	expect_named clam.d64.zip "Unsupported ZIP compression method (9: deflation-64-bit)"
	expect_named clam.impl.zip "Unsupported ZIP compression method (6: imploded)"
	run scan --json "$cv/clam-nsis.exe"
	check "json: unread names NSIS with its offset" grep -q '"unread":\[{"format":"NSIS installer","offset":46080' "$TMP/out"
	# A CAB inside InstallShield's files (engine32.cab, Microsoft LZX):
	# archive.c (libarchive) reads it under the InstallShield file's path.
	run scan --tree "$cv/clam_IScab_int.exe"
	check "IScab_int: engine32.cab read as a CAB of 13 entries" sh -c "grep -A1 'file \"Disk1.engine32.cab\"' '$TMP/out' | grep -q 'cab .*13 entries'"
	# A plain PE with nothing after it stays a normal "no ROM".
	run scan "$cv/clam.exe"
	check "clam.exe (no overlay): exit 0, normal" test "$rc" -eq 0
	check "clam.exe: said to be normal" grep -q "a normal result" "$TMP/out"
else
	echo "note: $cv absent (Debian clamav-testfiles): NSIS/InstallShield checks not run"
fi
if [ ! -d "$dir" ]; then
	echo "note: $dir absent (a fresh clone has no ../shared): real Inno Setup installers not checked"
	finish
	exit $?
fi
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
	run scan "$f"
	check "$b: the no-ROM answer names Inno Setup" grep -qF "no option ROM found in what was read ($label" "$TMP/out"
	check "$b: not called a normal result" sh -c "! grep -q 'a normal result' '$TMP/out'"
	run scan --tree "$f"
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
