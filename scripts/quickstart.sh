#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The README's first command: install what is needed, build, and run the main
# job on the default catalogue: add the real option ROMs Debian ships (SeaBIOS
# VGA BIOSes; plus anything in $OD_EXTRA, e.g. a BIOS update you downloaded),
# look one up, export it, and write the guest ACPI tables that serve it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
# No tests here: criterion and the test tools come with scripts/test.sh.
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOD_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
od=$PWD/build/optimus-db
out=${OD_OUT:-$PWD/out}
mkdir -p "$out"
echo "== 1. what is in a ROM (optimus-db info) =="
$od info /usr/share/seabios/vgabios-stdvga.bin
echo "== 2. add the real VGA option ROMs Debian ships to the catalogue =="
$od add /usr/share/seabios/ ${OD_EXTRA:-}
echo "== 3. which VBIOS fits 1234:1111 (QEMU standard VGA)? =="
$od lookup 1234:1111
sha=$($od lookup 1234:1111 --json | grep -o '"sha256":"[0-9a-f]*"' | head -1 | cut -d'"' -f4)
echo "== 4. export it =="
$od export "${sha:0:12}" --rom "$out/vbios.rom" --force
echo "== 5. the guest ACPI tables that serve it through _ROM (q35, GPU behind a root port) =="
$od ssdt "$out/vbios.rom" --acpi "$out/acpi" --guest q35 --force
echo "== 6. the VM settings =="
$od vm-config --host 0000:01:00.0 --rom "$out/vbios.rom" --acpi "$out/acpi" --sub 1028:07be
$od stats
echo "catalogue: ${OPTIMUS_DB:-${XDG_DATA_HOME:-$HOME/.local/share}/optimus-db/catalogue.db}; exports in $out"
