#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The README's two commands on a truly fresh Debian 12: builds a minbase root
# with Debian's debootstrap, clones this repository into it (HEAD as
# committed: uncommitted changes are not in the clone, ../shared is not
# there), mounts proc, sys and dev into it, and runs exactly
#   bash scripts/quickstart.sh
#   bash scripts/test.sh
# as root in the clone, with a fresh login's environment and nothing else
# from the host. Prints both exit codes, the suite's skip/failure lines and its
# closing line. Needs root and Debian's package registry (/dev/kvm is not
# needed: the guest test runs QEMU's TCG). Takes as long as the suite plus the
# installs. Nothing stays mounted when it ends, however it ends.
# Usage: bash scripts/fresh-check.sh   (OD_FRESH_DIR=DIR: where the root and
#   logs go, default a new /var/tmp/od-fresh.XXXXXX; OD_FRESH_KEEP=1 keeps the
#   root afterwards; OD_FRESH_MIRROR: the Debian mirror)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "fresh-check: needs root (debootstrap, chroot, mount)" >&2; exit 3; }
bash scripts/deps.sh fresh-check
src=$PWD
mirror=${OD_FRESH_MIRROR:-http://deb.debian.org/debian}
work=${OD_FRESH_DIR:-$(mktemp -d /var/tmp/od-fresh.XXXXXX)}
mkdir -p "$work"
root=$work/root
mounts=()  # mounted so far, unmounted in reverse order
made_root=0  # only a root this run made is removed
[ ! -e "$root" ] || { echo "fresh-check: $root exists; give a new OD_FRESH_DIR" >&2; exit 3; }

mounted_under() { awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/self/mounts; }
cleanup() {
	local i m
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		m=${mounts[i]}
		umount "$m" 2>/dev/null || umount -l "$m" || echo "fresh-check: could not unmount $m" >&2
	done
	mounts=()
	# Never delete through a mount (a bound /dev is the host's /dev).
	if [ -n "$(mounted_under)" ]; then
		echo "fresh-check: still mounted, root left in place: $(mounted_under | tr '\n' ' ')" >&2
	elif [ "$made_root" = 1 ] && [ "${OD_FRESH_KEEP:-0}" != 1 ] && [ -d "$root" ]; then
		rm -rf --one-file-system "$root"
	fi
}
child=
on_signal() { # stop the command running in the root (its own session), then clean up
	[ -n "$child" ] && { kill -TERM -- "-$child" 2>/dev/null; wait "$child" 2>/dev/null; }
	exit 130
}
trap cleanup EXIT
trap on_signal INT TERM HUP

made_root=1
echo "fresh-check: debootstrap --variant=minbase bookworm $root (log: $work/debootstrap.log)"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
	{ tail -5 "$work/debootstrap.log"; exit 1; }
# debootstrap copies the host's resolv.conf (name resolution for apt); assert
# it rather than copying anything else in.
[ -s "$root/etc/resolv.conf" ] || cp /etc/resolv.conf "$root/etc/resolv.conf"
git clone --quiet --no-hardlinks "$src" "$root/root/optimus-db"
echo "fresh-check: cloned $(git -C "$root/root/optimus-db" log -1 --format='%h %s' | cut -c1-72)"

bind() { # TYPE-OR---bind SOURCE TARGET
	mkdir -p "$3"
	if [ "$1" = --bind ]; then mount --bind "$2" "$3"; else mount -t "$1" "$2" "$3"; fi
	mounts+=("$3")
}
bind proc proc "$root/proc"
bind sysfs sys "$root/sys"
bind --bind /dev "$root/dev"
bind --bind /dev/pts "$root/dev/pts"  # apt logs through a pty
bind tmpfs tmpfs "$root/dev/shm"

run() { # LOG COMMAND: one README command in the clone, as a fresh root login
	set +e
	setsid -w chroot "$root" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -c "cd /root/optimus-db && $2" >"$1" 2>&1 </dev/null &
	child=$!
	wait "$child"
	rc=$?
	child=
	set -e
}
t0=$(date +%s)
echo "fresh-check: bash scripts/quickstart.sh (log: $work/quickstart.log)"
run "$work/quickstart.log" "bash scripts/quickstart.sh"; qrc=$rc
t1=$(date +%s)
echo "fresh-check: bash scripts/test.sh (log: $work/test.log)"
run "$work/test.log" "bash scripts/test.sh"; trc=$rc
t2=$(date +%s)

[ "$qrc" -eq 0 ] || { echo "--- quickstart.log, last lines:"; tail -15 "$work/quickstart.log"; }
echo "--- the suite's closing lines:"
sed -n '/^== \(full\|quick\) suite: /,$p' "$work/test.log" | tail -n +2
grep -q '^suite: ' "$work/test.log" || { echo "(no closing line; last lines of test.log:)"; tail -15 "$work/test.log"; }
echo "fresh-check: quickstart exit $qrc ($((t1 - t0)) s), test.sh exit $trc ($((t2 - t1)) s)"
[ "$qrc" -eq 0 ] && [ "$trc" -eq 0 ]
