#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The README is a test (issue 21). Every ```sh block of README.md outside
# "Quick start" must carry a marker comment on the lines before it:
#   <!-- readme-test: run ... -->   this test runs it
#   <!-- readme-test: skip REASON -->  it is not run (say why)
# A run block is executed line by line, literally, in a scratch folder:
# inputs it names are replaced by real stand-ins (each *.exe: a zip around
# Debian's SeaBIOS VGA ROM with its PCI IDs set to the fake laptop's GPU,
# 10de:1c8d; the host: the fake sysfs of host_fake.sh through
# $OPTIMUS_DB_SYSFS_ROOT; virsh: a stand-in that validates what it is given
# to define). Every line must exit 0. Then every QEMU argument list printed
# (vm-config's block, the "QEMU:" lines of export/ssdt, the <qemu:arg>s of
# each domain) starts a real QEMU (-S, TCG, no display, quit through the
# monitor) with stand-ins for what only a host has (a vfio-pci GPU becomes a
# bochs-display with the same romfile/bus/addr, after its properties are
# checked against QEMU's own vfio-pci property list), and every domain and
# fragment is checked with virt-xml-validate. Paths must be absolute, without
# '//', and readable by an unprivileged QEMU user (OD_QEMU_USER=nobody).
set -e
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fake_sysfs.sh"
vga=/usr/share/seabios/vgabios-stdvga.bin
need_file "$vga" seabios
need_file /usr/share/OVMF/OVMF_CODE_4M.fd ovmf
for t in qemu-system-x86_64 virt-xml-validate xmllint zip timeout; do
	command -v "$t" >/dev/null || skip "$t absent (bash scripts/deps.sh test guest installs it)"
done
readme=$OD_SRC/README.md

# --- the blocks ---
mkdir -p "$TMP/blocks"
awk -v dir="$TMP/blocks" '
	/^## / { section = $0 }
	/^<!-- readme-test: *run/ { mark = "run" }
	/^<!-- readme-test: *skip/ { mark = "skip" }
	/^```sh/ {
		inblock = 1; n++
		if (section ~ /Quick start/) kind = "quick"
		else if (mark == "") { kind = "unmarked"; print "unmarked " NR > (dir "/unmarked") }
		else kind = mark
		mark = ""; next
	}
	/^```/ && inblock { inblock = 0; next }
	inblock && kind == "run" { print > (dir "/" n ".sh") }
' "$readme"
check "every sh block outside Quick start is marked (readme-test: run|skip)" test ! -e "$TMP/blocks/unmarked"
[ -e "$TMP/blocks/unmarked" ] && cat "$TMP/blocks/unmarked" >&2
ls "$TMP"/blocks/*.sh >/dev/null 2>&1 || { fail "no readme-test: run block in README.md"; finish; exit 1; }

# --- stand-ins ---
work=$TMP/work bin=$TMP/bin out=$TMP/o
mkdir -p "$work" "$bin" "$out" "$TMP/home"
chmod 755 "$TMP" # an unprivileged QEMU user must reach the files, as in /var/lib/libvirt
ln -s "$OD" "$bin/optimus-db"
cat > "$bin/virsh" <<EOF
#!/usr/bin/env bash
# stand-in: 'virsh define FILE' validates FILE against libvirt's schema
[ "\$1" = define ] && [ -f "\$2" ] || { echo "virsh stand-in: only 'define FILE'" >&2; exit 1; }
virt-xml-validate "\$2" domain >/dev/null && echo "\$2" >> "$TMP/defined" && echo "Domain defined from \$2"
EOF
chmod +x "$bin/virsh"
# The update: a zip around a Debian ROM given the fake GPU's IDs (checksum fixed).
standin_rom() {
	cp "$vga" "$1"
	local pcir len sum
	pcir=$(od -An -tu2 -j24 -N2 "$1" | tr -d ' ')
	len=$(($(od -An -tu1 -j2 -N1 "$1" | tr -d ' ') * 512))
	printf '\xde\x10\x8d\x1c' | dd of="$1" bs=1 seek=$((pcir + 4)) conv=notrunc status=none
	printf '\x00' | dd of="$1" bs=1 seek=$((len - 1)) conv=notrunc status=none
	sum=$(od -An -tu1 -v -N"$len" "$1" | tr -s ' ' '\n' | awk '{ s += $1 } END { print s % 256 }')
	printf "\\x$(printf %02x $(((256 - sum) % 256)))" | dd of="$1" bs=1 seek=$((len - 1)) conv=notrunc status=none
}
standin_rom "$TMP/gp107m.rom"
for exe in $(cat "$TMP"/blocks/*.sh | grep -o '[A-Za-z0-9_.-]*\.exe' | sort -u); do
	(cd "$TMP" && zip -q -j "$work/$exe" gp107m.rom) # zip names it as given: .exe kept
done
laptop "$TMP/sys" 030200 yes yes no
for uuid in $(cat "$TMP"/blocks/*.sh | grep -o '/sys/bus/mdev/devices/[0-9a-f-]*' | sed 's|.*/||' | sort -u); do
	mkdir -p "$TMP/sys/sys/bus/mdev/devices/$uuid"
done
export PATH="$bin:$PATH" HOME=$TMP/home OPTIMUS_DB=$TMP/cat.db OPTIMUS_DB_SYSFS_ROOT=$TMP/sys OD_QEMU_USER=nobody
unset XDG_DATA_HOME

# --- run each block, line by line, in the scratch folder ---
n=0
for b in "$TMP"/blocks/*.sh; do
	# Logical lines: a trailing backslash joins the next line.
	sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$b" | grep -v '^[[:space:]]*\(#\|$\)' > "$b.lines" || true
	while IFS= read -r line; do
		n=$((n + 1))
		printf '%s\n' "$line" > "$out/$n.cmd"
		# the newline before } keeps a trailing '# comment' from eating it
		(cd "$work" && bash -c "{ $line
}" >"$out/$n.out" 2>"$out/$n.err") && rc=0 || rc=$?
		check "README line $n exits 0 ($rc): $line" test "$rc" -eq 0
		[ "$rc" -eq 0 ] || sed 's/^/    /' "$out/$n.err" >&2
		grep -v 'warning: GVT-g mdev' "$out/$n.err" | grep -q 'not readable\|warning: .*home directory' &&
			fail "README line $n: a path QEMU could not read: $(grep 'not readable\|home directory' "$out/$n.err" | head -1)"
	done < "$b.lines"
done
check "ran the README's commands ($n lines)" test "$n" -ge 5

# --- judges ---
vfio_props() { qemu-system-x86_64 -device "$1,help" 2>/dev/null | sed -n 's/^  \([a-z0-9-]*\)=.*/\1/p'; }
vfio_props vfio-pci > "$TMP/vfio-pci.props"; vfio_props vfio-pci-nohotplug > "$TMP/vfio-pci-nohotplug.props"
check "QEMU lists vfio-pci's properties" grep -qx romfile "$TMP/vfio-pci.props"
qemu_runs=0
# starts QEMU with the arguments given; vfio devices become stand-ins.
qemu_try() {
	local what=$1; shift
	local args=() prev= a drv p keep
	for a in "$@"; do
		if [ "$prev" = -device ] && [[ $a == vfio-pci* ]]; then
			drv=${a%%,*} keep=()
			while IFS= read -r p; do
				[ -z "$p" ] && continue
				# bus and id belong to every device (qdev), not to the driver's list
				case ${p%%=*} in bus|id) ;; *) grep -qx "${p%%=*}" "$TMP/$drv.props" || fail "$what: $drv has no property '${p%%=*}' (QEMU's list)";; esac
				case ${p%%=*} in romfile|bus|addr|multifunction) keep+=("$p");; esac
			done < <(printf '%s\n' "${a#"$drv"}" | sed 's/,,/\x01/g' | tr ',' '\n' | sed 's/\x01/,,/g')
			if [ "$drv" = vfio-pci ]; then
				a=bochs-display$(printf ',%s' "${keep[@]}")
			else
				unset 'args[${#args[@]}-1]'; prev=; continue # the GVT-g mdev: host-only, checked above
			fi
		fi
		if [[ $a == *file=* || $a == *romfile=* ]]; then
			local f=${a##*file=}; f=${f%%,[a-z]*}; f=${f//,,/,}
			case $f in /*) ;; *) fail "$what: relative path $f";; esac
			case $f in *//*) fail "$what: '//' in $f";; esac
		fi
		args+=("${a//mem-path=\/dev\/shm\/looking-glass/mem-path=$TMP\/lg-shm}"); prev=$a # not the host's /dev/shm
	done
	local log=$TMP/qemu-$qemu_runs.log
	qemu_runs=$((qemu_runs + 1))
	if echo quit | timeout 60 qemu-system-x86_64 -accel tcg -display none -nodefaults -S -monitor stdio "${args[@]}" >"$log" 2>&1; then
		ok
	else
		fail "$what: QEMU refused: $(grep -v '^QEMU\|(qemu)' "$log" | head -3)"
		printf '    qemu-system-x86_64 %s\n' "${args[*]}" >&2
	fi
}
# A domain: libvirt's schema, its ROM and the QEMU arguments it passes through.
domain_check() {
	check "$2: virt-xml-validate" virt-xml-validate "$1" domain
	local rom c i v args=()
	rom=$(xmllint --xpath 'string(//hostdev[@type="pci"]/rom/@file)' "$1" 2>/dev/null)
	check "$2: rom file '$rom' absolute and readable" test "${rom:0:1}" = / -a -r "$rom"
	c=$(xmllint --xpath 'count(//*[local-name()="commandline"]/*[local-name()="arg"])' "$1" 2>/dev/null || echo 0)
	for ((i = 1; i <= c; i++)); do
		v=$(xmllint --xpath "string((//*[local-name()='commandline']/*[local-name()='arg'])[$i]/@value)" "$1")
		if [ ${#args[@]} -gt 0 ] && [ "${args[${#args[@]}-1]}" = -set ]; then # device.hostdev0.PROP=V: libvirt's vfio-pci
			unset 'args[${#args[@]}-1]'
			p=${v#device.hostdev0.}; grep -qx "${p%%=*}" "$TMP/vfio-pci.props" || fail "$2: -set $v: no such vfio-pci property"
			continue
		fi
		args+=("$v")
	done
	v=${rom//,/,,}
	qemu_try "$2 (qemu:commandline + its rom)" -machine q35 -device "bochs-display,romfile=$v" "${args[@]}"
}
doms=0
for ((i = 1; i <= n; i++)); do
	cmd=$(cat "$out/$i.cmd")
	if grep -q '^# QEMU' "$out/$i.out"; then
		block=$(sed -n '/^# QEMU/,/^$/p' "$out/$i.out" | sed '1d' | sed -e ':a' -e '/\\$/N; s/\\\n//; ta')
		eval "set -- $block" || fail "line $i: the QEMU block is not shell"
		qemu_try "line $i QEMU block" "$@"
	fi
	while IFS= read -r q; do
		eval "set -- ${q#QEMU:}" || fail "line $i: 'QEMU:' line is not shell"
		[[ $* == *"<BDF>"* ]] && set -- "${@//host=<BDF>,/}" && set -- "${@/#vfio-pci,romfile=/vfio-pci,host=00:00.0,romfile=}"
		qemu_try "line $i 'QEMU:' line" -machine q35 "$@"
	done < <(grep '^QEMU: ' "$out/$i.out" || true)
	if grep -q '^<!-- libvirt: inside' "$out/$i.out"; then
		f=$TMP/frag-$i.xml
		sed -n '/^<!-- libvirt: inside/,$p' "$out/$i.out" | sed '1d' > "$f.in"
		{ echo "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><name>t</name>"
		  echo "<memory unit='GiB'>1</memory><os><type arch='x86_64' machine='q35'>hvm</type></os><devices>"
		  sed '/<qemu:commandline>/,$d' "$f.in"; echo "</devices>"; sed -n '/<qemu:commandline>/,$p' "$f.in"
		  echo "</domain>"; } > "$f"
		domain_check "$f" "line $i libvirt fragment (in a minimal domain)"
		doms=$((doms + 1))
	fi
	if head -c 7 "$out/$i.out" | grep -q '^<domain'; then
		domain_check "$out/$i.out" "line $i domain"
		doms=$((doms + 1))
	fi
done
for x in "$work"/*.xml; do
	[ -e "$x" ] || continue
	domain_check "$x" "README's $(basename "$x")"
	doms=$((doms + 1))
done
check "QEMU started with the README's arguments ($qemu_runs runs)" test "$qemu_runs" -ge 2
check "domains checked ($doms)" test "$doms" -ge 2
grep -q virsh "$TMP"/blocks/*.sh && check "virsh define was given a domain" test -s "$TMP/defined"
finish
