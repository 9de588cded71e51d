#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Files the commands read and write (io/fileio.c, host/host.c):
# - every writer (export --rom / --acpi, info --strip-header, contribute -o,
#   host dump -o, scan --extract, ssdt --acpi) writes only regular files:
#   a device node, FIFO, folder or symlink at the output name is refused
#   and left as it was, even with --force (export --rom /dev/null --force
#   used to turn /dev/null into a regular file);
# - host dump on a --sysfs-root tree never writes into its rom attribute,
#   nor through a symlink there (a user's ROM lost its first byte);
# - a FIFO at any input (scan, info, import, ssdt, --libvirt-xml, the
#   --extract name, a sysfs attribute, OD_PCI_IDS) is refused at once, not
#   waited on; inside 'add DIR' it is skipped with a note;
# - inputs are mapped, not copied (a 150 MiB file scans with 100 MiB of
#   data memory), and inputs above --limit input=MiB are refused.
# 'timeout' only guards against a hang; no test asserts a time.
set -e
. "$(dirname "$0")/../lib.sh"
rom=/usr/share/seabios/vgabios-stdvga.bin
need_file "$rom" seabios
export OPTIMUS_DB=$TMP/cat.db
T() { set +e; timeout 20 "$OD" "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; set -e; }
"$OD" add -q "$rom" >/dev/null
sha=$(sha256sum "$rom" | cut -c1-12)
cp "$rom" "$TMP/user.rom"
usersum=$(sha256sum "$TMP/user.rom")
unchanged() { [ "$(sha256sum "$TMP/user.rom")" = "$usersum" ]; }

# --- outputs: symlinks, FIFOs, folders, device nodes ---
# Each writer as a function of its output name (and --force).
w_export() { T export "$sha" --rom "$1" --force; }
w_strip() { T info "$rom" --strip-header "$1" --force; }
w_contrib() { T contribute "$sha" -o "$1" --force; }
w_extract() { T scan "$rom" --extract "$TMP/xd" --force; }
ext_name=$TMP/xd/1234_1111_$(sha256sum "$rom" | cut -c1-8).rom
mkdir -p "$TMP/xd"
for w in export strip contrib; do
	ln -sfn "$TMP/user.rom" "$TMP/o-$w"
	"w_$w" "$TMP/o-$w"
	check "$w over a symlink: refused, exit 4 (got $rc)" test "$rc" -eq 4
	check "$w over a symlink: said" grep -q "is a symbolic link; not written through" "$TMP/err"
	check "$w over a symlink: still a symlink" test -L "$TMP/o-$w"
	check "$w over a symlink: its target untouched" unchanged
	rm -f "$TMP/o-$w"; mkfifo "$TMP/o-$w"
	"w_$w" "$TMP/o-$w"
	check "$w over a FIFO: refused, exit 4 (got $rc)" test "$rc" -eq 4
	check "$w over a FIFO: still a FIFO" test -p "$TMP/o-$w"
	rm -f "$TMP/o-$w"; mkdir "$TMP/o-$w"
	"w_$w" "$TMP/o-$w"
	check "$w over a folder: refused (got $rc)" test "$rc" -eq 4 -a -d "$TMP/o-$w"
	rmdir "$TMP/o-$w"; echo old >"$TMP/o-$w"
	"w_$w" "$TMP/o-$w"
	check "$w --force over a regular file: replaced (got $rc)" test "$rc" -eq 0 -a "$(cat "$TMP/o-$w" | head -c 3)" != old
done
ln -sfn "$TMP/user.rom" "$ext_name"
w_extract
check "extract over a symlink: refused (got $rc)" test "$rc" -eq 4 -a -L "$ext_name"
check "extract over a symlink: its target untouched" unchanged
rm -f "$ext_name"; mkfifo "$ext_name"
w_extract
check "extract over a FIFO: refused, no hang (got $rc)" test "$rc" -eq 4 -a -p "$ext_name"
check "extract over a FIFO: said" grep -q "is a FIFO" "$TMP/err"
rm -f "$ext_name"; echo different >"$ext_name"
run scan "$rom" --extract "$TMP/xd"
check "extract over a different file: refused (got $rc)" test "$rc" -eq 4
check "extract over a different file: --force named, and scan has it" grep -q "exists (use --force to replace it)" "$TMP/err"
run scan "$rom" --extract "$TMP/xd" --force
check "extract --force over a different regular file: replaced (got $rc)" test "$rc" -eq 0
check "extract --force: the ROM is there" cmp -s "$ext_name" "$rom"
run scan "$rom" --extract "$TMP/xd2"
run scan "$rom" --extract "$TMP/xd2"
check "extract of the same ROM again: fine (got $rc)" test "$rc" -eq 0
mkdir -p "$TMP/acpi"
ln -sfn "$TMP/user.rom" "$TMP/acpi/vbios-ssdt-0.aml"
T ssdt "$rom" --acpi "$TMP/acpi" --force
check "ssdt --force over a symlinked table: refused (got $rc)" test "$rc" -eq 4 -a -L "$TMP/acpi/vbios-ssdt-0.aml"
check "ssdt: the symlink's target untouched" unchanged
T export "$sha" --acpi "$TMP/acpi" --force
check "export --acpi --force over a symlinked table: refused (got $rc)" test "$rc" -eq 4
check "export --acpi: the symlink's target untouched" unchanged
if [ "$(id -u)" = 0 ]; then
	mknod "$TMP/null" c 1 3
	for w in export strip contrib; do
		"w_$w" "$TMP/null"
		check "$w --force over a character device: refused (got $rc)" test "$rc" -eq 4 -a -c "$TMP/null"
		check "$w over a device: said" grep -q "is a character device; only regular files" "$TMP/err"
	done
	rm -f "$TMP/acpi/vbios-ssdt-0.aml"; mknod "$TMP/acpi/vbios-ssdt-0.aml" c 1 3
	T export "$sha" --acpi "$TMP/acpi" --force
	check "export --acpi --force over a device: refused (got $rc)" test "$rc" -eq 4 -a -c "$TMP/acpi/vbios-ssdt-0.aml"
else
	echo "not root: device-node checks skipped (FIFOs, folders and symlinks were checked)"
fi

# --- host dump: the fake tree's rom attribute is read, never written ---
r=$TMP/host
d=$r/sys/bus/pci/devices/0000:01:00.0
mkdir -p "$d"
echo 0x10de >"$d/vendor"; echo 0x1c8d >"$d/device"; echo 0x030200 >"$d/class"
echo 0x1028 >"$d/subsystem_vendor"; echo 0x07be >"$d/subsystem_device"
cp "$rom" "$d/rom"
T host dump --sysfs-root "$r" -o "$TMP/dump.rom"
check "host dump from the tree's rom: exit 0 (got $rc)" test "$rc" -eq 0
check "host dump: the sysfs ROM BAR method" grep -q "dumped 0000:01:00.0 with sysfs ROM BAR" "$TMP/out"
check "host dump: the tree's rom untouched" cmp -s "$d/rom" "$rom"
check "host dump: written" cmp -s "$TMP/dump.rom" "$rom"
ln -s "$TMP/user.rom" "$TMP/hd.rom"
T host dump --sysfs-root "$r" -o "$TMP/hd.rom" --force
check "host dump -o over a symlink: refused (got $rc)" test "$rc" -eq 4 -a -L "$TMP/hd.rom"
check "host dump -o over a symlink: its target untouched" unchanged
if [ "$(id -u)" = 0 ]; then
	T host dump --sysfs-root "$r" -o "$TMP/null" --force
	check "host dump -o over a character device: refused (got $rc)" test "$rc" -eq 4 -a -c "$TMP/null"
fi
rm "$d/rom"; ln -s "$TMP/user.rom" "$d/rom"
T host dump --sysfs-root "$r"
check "host dump via a symlinked rom: its target untouched" unchanged
rm "$d/rom"; echo 1 >"$d/rom"
T host dump --sysfs-root "$r"
check "host dump of a tree without a ROM: not found, exit 1 (got $rc)" test "$rc" -eq 1
check "host dump of a tree without a ROM: rom left as it was" test "$(cat "$d/rom")" = 1
host_dump_out=$(cat "$TMP/out" "$TMP/err")
mkdir -p "$r/sys/kernel/debug/dri/0" "$r/proc/acpi"
: >"$r/proc/acpi/call"
mkdir -p "$d/firmware_node"; echo '\_SB.PCI0.PEG0.PEGP' >"$d/firmware_node/path"
T host dump --sysfs-root "$r"
check "host dump: the tree's acpi_call file is not written" test ! -s "$r/proc/acpi/call"

# --- inputs: FIFOs are refused at once ---
mkfifo "$TMP/fifo"
for args in "scan $TMP/fifo" "info $TMP/fifo" "import $TMP/fifo" "ssdt $TMP/fifo --acpi $TMP/a2" \
	"add $TMP/fifo" "ssdt $rom --acpi $TMP/a3 --libvirt-xml $TMP/fifo"; do
	# shellcheck disable=SC2086
	T $args
	check "FIFO input ($args): no hang, exit 4 (got $rc)" test "$rc" -eq 4
	check "FIFO input ($args): said" grep -q "is a FIFO (named pipe); only regular files are read" "$TMP/err"
done
for cmd in stats verify "lookup 1234:1111" "add $rom"; do
	# shellcheck disable=SC2086
	T $cmd --db "$TMP/fifo"
	check "FIFO catalogue ($cmd): no hang, exit 4 (got $rc)" test "$rc" -eq 4
	check "FIFO catalogue ($cmd): said" grep -q "is a FIFO (named pipe); it must be a regular file" "$TMP/err"
done
mkdir "$TMP/dir"
cp "$rom" "$TMP/dir/a.rom"; mkfifo "$TMP/dir/b.fifo"; ln -s "$TMP/dir" "$TMP/dir/loop"
ln -s "$TMP/user.rom" "$TMP/dir/c.rom"
T add "$TMP/dir"
check "add DIR with a FIFO inside: exit 0 (got $rc)" test "$rc" -eq 0
check "add DIR with a FIFO inside: skipped with a note" grep -q "b.fifo: skipped (a FIFO (named pipe), not a regular file)" "$TMP/out"
check "add DIR with a symlinked folder inside: skipped with a note" grep -q "loop: skipped (a symbolic link to a folder, not followed)" "$TMP/out"
check "add DIR: a symlink to a file is read" grep -q "c.rom: 1 option ROM" "$TMP/out"
check "add DIR: 2 files added" grep -q "^added 2 files" "$TMP/out"
rm "$d/vendor"; mkfifo "$d/vendor"
T host --sysfs-root "$r"
check "FIFO sysfs attribute: no hang (got $rc)" test "$rc" -ne 124
T lookup --host 0000:01:00.0 --sysfs-root "$r"
check "FIFO sysfs attribute (lookup --host): no hang, exit 4 (got $rc)" test "$rc" -eq 4
OD_PCI_IDS=$TMP/fifo T lookup 1234:1111
check "OD_PCI_IDS a FIFO: no hang, lookup works (got $rc)" test "$rc" -eq 0

# --- inputs: mapped, and a size limit ---
truncate -s 150M "$TMP/big.bin"
if (ulimit -d 100000 && "$OD" --version) >/dev/null 2>&1; then
	set +e; (ulimit -d 100000; exec "$OD" scan "$TMP/big.bin") >"$TMP/out" 2>"$TMP/err"; rc=$?; set -e
	check "150 MiB input with 100 MiB of data memory: scanned, not copied (exit 2: nothing in it, got $rc)" test "$rc" -eq 2
	check "150 MiB input: walked to the end" grep -q "not a recognised firmware image" "$TMP/err"
else
	echo "ulimit -d unusable with this binary (sanitizer build): mapping check skipped"
fi
run scan "$TMP/big.bin" --limit input=100
check "input above --limit input=100: exit 2 (got $rc)" test "$rc" -eq 2
check "input above the limit: says which limit" grep -q "big.bin is 150 MiB, above the input size limit of 100 MiB (--limit input=MiB raises it)" "$TMP/err"
run add "$TMP/big.bin" --limit input=100
check "add: input above --limit input=100: exit 2 (got $rc)" test "$rc" -eq 2
truncate -s 1025M "$TMP/huge.bin"
run scan "$TMP/huge.bin"
check "input above the default limit (1024 MiB): refused (got $rc)" test "$rc" -eq 2
check "default limit named" grep -q "above the input size limit of 1024 MiB" "$TMP/err"
run scan "$TMP/big.bin" --limit input=0
check "--limit input=0: usage error (got $rc)" test "$rc" -eq 3
finish
