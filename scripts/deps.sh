#!/usr/bin/env bash
# Installs what optimus-db needs to build and test, from Debian 12 packages.
# Idempotent; needs root (or sudo). Skips apt when everything is present.
set -euo pipefail
pkgs=(build-essential cmake pkg-config clang libclang-rt-14-dev llvm
      libsqlite3-dev libssl-dev zlib1g-dev liblzma-dev libxml2-dev libcriterion-dev
      sqlite3 pci.ids pciutils
      seabios ipxe-qemu ovmf uefitool-cli acpica-tools libvirt-clients libxml2-utils zip
      innoextract clamav-testfiles
      qemu-system-x86 busybox-static linux-headers-amd64)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "deps: all present"
