#!/usr/bin/env bash
# optimus-db scan --tree against UEFIExtract's report (uefitool-cli) as an
# independent oracle: the same volumes, files and sections, in the same order,
# with the same sizes. Debian's OVMF images (LZMA-compressed nested volumes)
# always; the real firmware volumes of ../shared/corpus/firmware when present.
set -e
. "$(dirname "$0")/../lib.sh"
need_file /usr/share/OVMF/OVMF_CODE_4M.fd ovmf
command -v UEFIExtract >/dev/null || skip "UEFIExtract absent (install uefitool-cli)"

compare_tree() {
	local img=$1 b; b=$(basename "$img")
	mkdir -p "$TMP/$b.d"; cp "$img" "$TMP/$b.d/"
	(cd "$TMP/$b.d" && UEFIExtract "$b" report >/dev/null 2>&1) || { fail "UEFIExtract failed on $b"; return; }
	# Oracle rows "Volume|File|Section <size>", in tree order.
	awk -F'|' 'NR > 1 { t = $1; gsub(/ /, "", t); s = $4; gsub(/ /, "", s);
		if (t == "Volume" || t == "File" || t == "Section") print t, s }' "$TMP/$b.d/$b.report.txt" |
		while read -r k s; do echo "$k $((16#$s))"; done > "$TMP/$b.oracle"
	run scan --tree "$img"
	check "$b scan exit 0" test "$rc" -eq 0
	sed -n 's/^ *\(.*\)  \[\(FV\|file\|section\) @0x[0-9a-f]*, 0x\([0-9a-f]*\) bytes\].*/\2 \3/p' "$TMP/out" |
		while read -r k s; do
			case $k in FV) k=Volume;; file) k=File;; section) k=Section;; esac
			echo "$k $((16#$s))"
		done > "$TMP/$b.ours"
	local n; n=$(wc -l < "$TMP/$b.oracle")
	check "$b: oracle lists volumes/files/sections ($n)" test "$n" -gt 0
	if diff "$TMP/$b.oracle" "$TMP/$b.ours" > "$TMP/$b.diff"; then ok; echo "$b: $n nodes match UEFIExtract"
	else fail "$b tree differs from UEFIExtract:"; head -20 "$TMP/$b.diff" >&2; fi
}

for img in /usr/share/OVMF/OVMF_CODE_4M.fd /usr/share/OVMF/OVMF_CODE.fd /usr/share/OVMF/OVMF_VARS_4M.fd; do
	[ -f "$img" ] && compare_tree "$img"
done
run scan /usr/share/OVMF/OVMF_CODE_4M.fd
check "OVMF: no option ROM, said plainly, exit 0" grep -q "no option ROM in this file" "$TMP/out"
if [ -d "${OD_SHARED:-}/corpus/firmware" ]; then
	for img in "$OD_SHARED"/corpus/firmware/amd-vangogh-fsp/*.fd "$OD_SHARED"/corpus/firmware/fiano-testdata/integration_roms_ovmfSECFV.fv \
		"$OD_SHARED"/corpus/firmware/lg-r510/*.fd; do
		[ -f "$img" ] && compare_tree "$img"
	done
else
	echo "note: shared corpus absent; only Debian's OVMF compared"
fi
finish
