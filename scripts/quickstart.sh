#!/usr/bin/env bash
# The README's first command: install, build, and run the main job on the
# default embedded catalogue (the real VGA option ROMs Debian's seabios ships).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
od=./build/optimus-db
echo "== optimus-db info over Debian's real VGA option ROMs =="
$od info /usr/share/seabios/vgabios-stdvga.bin /usr/share/seabios/vgabios-qxl.bin
