#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Installs what optimus-db needs from Debian 12 packages, one list per purpose:
#   bash scripts/deps.sh              build + run: what scripts/quickstart.sh needs
#   bash scripts/deps.sh test         + the unit/integration tests, ASan, fuzzing, coverage
#   bash scripts/deps.sh test guest   + the QEMU guest tests (QEMU, kernel headers: ~400 MB)
#   bash scripts/deps.sh fresh-check  what scripts/fresh-check.sh needs on the host
#   bash scripts/deps.sh --list SET.. print the packages instead of installing them
# Every command a script or test runs must come from a list here: a fresh
# `debootstrap --variant=minbase bookworm` root has only Essential/Required
# packages (coreutils, grep, sed, mawk, findutils, diffutils, gzip, dpkg, apt),
# and apt runs with --no-install-recommends (libvirt-clients only recommends
# libxml2-utils, whose xmllint virt-xml-validate calls). scripts/fresh-check.sh
# proves the lists on such a root. Idempotent; needs root (or sudo); skips apt
# when everything is present.
set -euo pipefail

# The library, its build, and what the quickstart reads (SeaBIOS's VGA ROMs,
# pci.ids for device names).
build=(build-essential cmake pkg-config
	libsqlite3-dev libssl-dev zlib1g-dev liblzma-dev libxml2-dev  # libxml2: libvirt.c
	libarchive-dev liblz4-dev libzstd-dev  # archive.c, cbfs.c; zstd: the static link (OD_STATIC)
	libbrotli-dev  # brotli.c: Brotli GUID-defined sections
	seabios pci.ids)
# The suite minus the guests: criterion; clang, its sanitizer runtimes and
# llvm (ASan pass, libFuzzer, fuzz/coverage); the real inputs and oracles
# (ovmf, ipxe-qemu, UEFIExtract, ACPICA's acpiexec/iasl); and every command a
# test calls: sqlite3, virt-xml-validate + xmllint, zip/unzip (scan_limits,
# ossfuzz_build), xxd (acpi_rom), xz (corpus/make-seeds).
test=(libcriterion-dev clang libclang-rt-14-dev llvm
	ovmf ovmf-ia32 ipxe-qemu uefitool-cli acpica-tools
	sqlite3 libvirt-clients libxml2-utils zip unzip xxd xz-utils
	innoextract clamav-testfiles  # vendor installers: innoextract as oracle, real test files
	gcab 7zip gcc-mingw-w64-x86-64 bzip2 xorriso dosfstools mtools coreboot-utils  # containers made by real tools (scan_archives, scan_lenovo_iso, scan_cbfs, corpus/make-seeds)
	valgrind brotli pigz  # valgrind/memcheck; the real compressors of test_guided and corpus/make-seeds (gzip is Essential)
	lintian man-db)  # package_deb: the .deb checked and its man page read
# tests/integration/guest_e2e.sh: QEMU (TCG), a busybox initramfs, and the
# headers to build Debian's acpi_call module for the guest kernel (which it
# downloads with apt-get download, so a reachable Debian registry too).
# The guest runs a static optimus-db (OD_STATIC): libarchive.a needs
# libnettle.a and libbz2.a, which libarchive-dev does not pull in.
guest=(qemu-system-x86 busybox-static linux-headers-amd64 nettle-dev libbz2-dev)
# scripts/fresh-check.sh: the minbase root, and git to clone into it.
fresh_check=(debootstrap git)

list=0
[ "${1:-}" = --list ] && { list=1; shift; }
[ $# -gt 0 ] || set -- build
pkgs=()
for set in "$@"; do
	case $set in
	build) pkgs+=("${build[@]}") ;;
	test) pkgs+=("${build[@]}" "${test[@]}") ;;
	guest) pkgs+=("${build[@]}" "${guest[@]}") ;;
	fresh-check) pkgs+=("${fresh_check[@]}") ;;
	*) echo "deps: unknown set '$set' (build, test, guest, fresh-check)" >&2; exit 3 ;;
	esac
done
if [ "$list" = 1 ]; then printf '%s\n' "${pkgs[@]}" | sort -u; exit 0; fi
missing=()
for p in $(printf '%s\n' "${pkgs[@]}" | sort -u); do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "deps: all present ($*)"
