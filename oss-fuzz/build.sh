#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build: compiles the parsers (no SQLite, no
# OpenSSL) with $CC $CFLAGS, links every fuzz/fuzz_*.c with
# $LIB_FUZZING_ENGINE into $OUT, and packages its seed corpus, dictionary
# and options. zlib, xz and libxml2 are built from source when the Dockerfile cloned
# them into $SRC (the OSS-Fuzz way: instrumented, static); otherwise the
# system's are used (a local proof run).
# Local proof: CC=clang CFLAGS="-fsanitize=fuzzer-no-link,address" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer SRC=$PWD/.. OUT=/tmp/out WORK=/tmp/work \
#   OD_SRC_DIR=$PWD bash oss-fuzz/build.sh
: "${OD_SRC_DIR:=$SRC/optimus-db}"
: "${CXX:=clang++}"
mkdir -p "$OUT" "$WORK/obj"
if [ -d "$SRC/zlib" ]; then
	(cd "$SRC/zlib" && ./configure --static --prefix="$WORK/deps" && make -j"$(nproc)" install)
fi
if [ -d "$SRC/xz" ]; then
	(cd "$SRC/xz" && ./autogen.sh --no-po4a --no-doxygen && ./configure --disable-shared --disable-xz --disable-xzdec \
		--disable-lzmadec --disable-lzmainfo --disable-scripts --disable-doc --prefix="$WORK/deps" && make -j"$(nproc)" install)
fi
if [ -d "$SRC/libxml2" ]; then
	(cd "$SRC/libxml2" && ./autogen.sh --disable-shared --without-python --without-http --without-ftp --without-icu \
		--without-zlib --without-lzma --without-threads --prefix="$WORK/deps" && make -j"$(nproc)" install)
fi
export PKG_CONFIG_PATH="$WORK/deps/lib/pkgconfig:${PKG_CONFIG_PATH:-}"
deps_cflags=$(pkg-config --cflags zlib liblzma libxml-2.0)
deps_libs=$(pkg-config --static --libs zlib liblzma libxml-2.0)
defs="-D_GNU_SOURCE -DOD_FUZZING=1 -DOD_VERSION=\"fuzz\" -std=c17"
rm -f "$WORK"/obj/*.o
for f in "$OD_SRC_DIR"/parsers/*.c; do
	$CC $CFLAGS $defs $deps_cflags -I"$OD_SRC_DIR/parsers" -c "$f" -o "$WORK/obj/$(basename "$f" .c).o"
done
ar rcs "$WORK/libodparsers.a" "$WORK"/obj/*.o
# The test-side Tiano compressor, the differential target's oracle; linked by
# every target like the parsers (a static archive adds only what is used).
$CC $CFLAGS $defs -c "$OD_SRC_DIR/tests/unit/tiano_compress.c" -o "$WORK/tiano_compress.o"
ar rcs "$WORK/libodtianoc.a" "$WORK/tiano_compress.o"
for src in "$OD_SRC_DIR"/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c); target=${name#fuzz_}
	$CC $CFLAGS $defs $deps_cflags -I"$OD_SRC_DIR/parsers" -I"$OD_SRC_DIR/fuzz" -I"$OD_SRC_DIR/tests/unit" -c "$src" -o "$WORK/$name.o"
	$CXX $CFLAGS $LIB_FUZZING_ENGINE "$WORK/$name.o" "$WORK/libodparsers.a" "$WORK/libodtianoc.a" $deps_libs -o "$OUT/$name"
	if [ -d "$OD_SRC_DIR/corpus/$target" ] && ls "$OD_SRC_DIR/corpus/$target"/* >/dev/null 2>&1; then
		(cd "$OD_SRC_DIR/corpus/$target" && zip -q -j "$OUT/${name}_seed_corpus.zip" ./*)
	fi
	[ -f "$OD_SRC_DIR/fuzz/$target.dict" ] && cp "$OD_SRC_DIR/fuzz/$target.dict" "$OUT/$name.dict"
	cp "$OD_SRC_DIR/fuzz/$target.options" "$OUT/$name.options"
done
echo "built $(cd "$OUT" && ls fuzz_* | grep -vc '\.') fuzz targets into $OUT"
