# SPDX-License-Identifier: BSD-2-Clause
# Shared helpers for tests/integration/*.sh (sourced, not a test itself).
# Env from ctest: OD (binary), OD_SHARED (../shared), OD_SRC, OD_BUILD.
set -u
: "${OD:?OD must point at the optimus-db binary}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0 passes=0
ok()   { passes=$((passes + 1)); }
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
# check DESCRIPTION COMMAND...: the command must succeed.
check() { local d=$1; shift; if "$@"; then ok; else fail "$d"; fi; }
# skip REASON: exit 77 (ctest's SKIP_RETURN_CODE). The reason also goes to
# $OD_SKIP_DIR/<test> when scripts/test.sh set it: the suite lists every skip
# with its reason above its closing line.
skip() {
	echo "skipping: $*"
	[ -n "${OD_SKIP_DIR:-}" ] && [ -d "$OD_SKIP_DIR" ] && echo "$*" > "$OD_SKIP_DIR/integration_$(basename "$0" .sh)"
	exit 77
}
need_shared() { [ -d "${OD_SHARED:-}/corpus" ] || skip "shared corpus absent (${OD_SHARED:-unset}/corpus); a fresh clone has no ../shared"; }
need_file() { [ -e "$1" ] || skip "$1 absent (install ${2:-the Debian package that ships it})"; }
# Runs OD, stores stdout/stderr/exit code in $TMP/out, $TMP/err, $rc.
run() { set +e; "$OD" "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; set -e; }
finish() { echo "$passes passed, $fails failed"; [ "$fails" -eq 0 ]; }
