#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The README's optional third command: build the Debian package and install
# it (binary, man page, bash/zsh completions). Needs root, as apt-get does.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build-pkg -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-pkg -j"$(nproc)" >/dev/null
(cd build-pkg && rm -f optimus-db_*.deb && cpack -G DEB >/dev/null)
deb=$(ls "$PWD"/build-pkg/optimus-db_*.deb)
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "$deb"
optimus-db --version
