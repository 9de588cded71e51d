#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Every source file says its licence (issue 17): an SPDX line among its
# first three lines (after a shebang), BSD-2-Clause as LICENSE says.
set -e
. "$(dirname "$0")/../lib.sh"
cd "$OD_SRC"
check "LICENSE is BSD-2-Clause" grep -q "BSD 2-Clause License" LICENSE
bad=$(find . -path ./corpus -prune -o -path './build*' -prune -o -path ./.git -prune -o -type f \
	\( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.cmake' -o -name CMakeLists.txt -o -name Dockerfile \) -print |
	while read -r f; do head -3 "$f" | grep -q 'SPDX-License-Identifier: BSD-2-Clause' || echo "$f"; done)
check "every source file has an SPDX line (missing: ${bad:-none})" test -z "$bad"
finish
