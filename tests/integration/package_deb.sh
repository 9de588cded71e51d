#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The package people install (issue 17): a plain build (tests off: criterion
# is not needed), `cpack -G DEB`, lintian with no warning or error, then the
# package's own files: --version, the man page, the bash completion. The
# installed tree is unpacked with dpkg -x; `apt-get install ./x.deb` itself
# (which changes the machine) runs only where CI=true or OD_TEST_INSTALL=1,
# and is undone afterwards unless the package was there before.
set -e
. "$(dirname "$0")/../lib.sh"
for t in cpack dpkg-deb lintian man; do
	command -v "$t" >/dev/null || skip "$t absent (scripts/deps.sh test installs cmake, lintian, man-db)"
done
b=$TMP/build
cmake -S "$OD_SRC" -B "$b" -DCMAKE_BUILD_TYPE=Release >"$TMP/cmake.log" 2>&1 || { cat "$TMP/cmake.log"; fail "configure"; finish; }
check "a plain build configures no tests (criterion not needed)" sh -c "! grep -q 'criterion' '$b/CMakeCache.txt' || ! test -d '$b/tests'"
cmake --build "$b" -j"$(nproc)" >"$TMP/build.log" 2>&1 || { tail -20 "$TMP/build.log"; fail "build"; finish; }
(cd "$b" && cpack -G DEB >"$TMP/cpack.log" 2>&1) || { cat "$TMP/cpack.log"; fail "cpack"; finish; }
deb=$(ls "$b"/optimus-db_*.deb 2>/dev/null | head -1)
check "cpack wrote a .deb" test -n "$deb"
[ -n "$deb" ] || finish
check "lintian: no warning or error" lintian --fail-on warning,error "$deb"
dpkg-deb -f "$deb" Depends >"$TMP/deps"
for lib in libsqlite3 libssl3 zlib1g liblzma5; do
	check "Depends names $lib (from the binary, by dpkg-shlibdeps)" grep -q "$lib" "$TMP/deps"
done
x=$TMP/root
dpkg-deb -x "$deb" "$x"
check "packaged binary runs: --version" sh -c "'$x/usr/bin/optimus-db' --version | grep -q '^optimus-db [0-9]'"
check "man page renders" sh -c "man -l '$x/usr/share/man/man1/optimus-db.1.gz' 2>/dev/null | grep -q 'optimus-db'"
# The completion asks the program itself: put the packaged one on PATH.
cat >"$TMP/comp.sh" <<'SH'
. "$1/usr/share/bash-completion/completions/optimus-db"
read -r -a COMP_WORDS <<<"$2"; COMP_CWORD=$3
[ "${#COMP_WORDS[@]}" -gt "$COMP_CWORD" ] || COMP_WORDS+=("")
_optimus_db
printf '%s\n' "${COMPREPLY[@]}"
SH
comp() { PATH="$x/usr/bin:$PATH" bash "$TMP/comp.sh" "$x" "$1" "$2" >"$TMP/comp.out" 2>&1 || true; }
comp 'optimus-db sc' 1
check "bash completion: commands" grep -qx scan "$TMP/comp.out"
comp 'optimus-db scan --tr' 2
check "bash completion: options of a command" grep -qx -- --tree "$TMP/comp.out"
check "zsh completion installed" test -s "$x/usr/share/zsh/vendor-completions/_optimus-db"
if [ "${CI:-}" = true ] || [ "${OD_TEST_INSTALL:-}" = 1 ]; then
	had=$(dpkg-query -W -f='${Status}' optimus-db 2>/dev/null | grep -c 'install ok installed' || true)
	if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >"$TMP/apt.log" 2>&1; then
		ok
		check "installed: optimus-db --version" sh -c "/usr/bin/optimus-db --version | grep -q '^optimus-db'"
		check "installed: man optimus-db" sh -c "man optimus-db 2>/dev/null | grep -q optimus-db"
		[ "$had" = 1 ] || apt-get purge -y -qq optimus-db >/dev/null 2>&1 || true
	else
		cat "$TMP/apt.log"
		fail "apt-get install ./optimus-db_*.deb"
	fi
else
	echo "note: apt-get install of the .deb not run here (set OD_TEST_INSTALL=1; CI does)"
fi
finish
