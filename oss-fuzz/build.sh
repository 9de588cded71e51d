#!/bin/bash -eu
# SPDX-License-Identifier: BSD-2-Clause
# OSS-Fuzz / ClusterFuzzLite build: compiles parsers/ and readers/ (no SQLite, no
# OpenSSL) with $CC $CFLAGS, links every fuzz/fuzz_*.c (with $CXX $CXXFLAGS and
# $LIB_FUZZING_ENGINE) into $OUT, and packages its seed corpus, dictionary
# and options. zlib, xz, brotli, bzip2, lz4, libarchive and libxml2 are built from
# source when the Dockerfile cloned them into $SRC (the OSS-Fuzz way:
# instrumented, static); otherwise the system's are used (a local proof run).
# Local proof: CC=clang CFLAGS="-fsanitize=fuzzer-no-link,address" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer SRC=$PWD/.. OUT=/tmp/out WORK=/tmp/work \
#   OD_SRC_DIR=$PWD bash oss-fuzz/build.sh
: "${OD_SRC_DIR:=$SRC/optimus-db}"
: "${CXX:=clang++}"
# OSS-Fuzz sets CXXFLAGS (the C++ link line must use it: it carries the
# sanitizer and -stdlib flags the engine was built with); a local run defaults
# it to CFLAGS.
: "${CXXFLAGS:=$CFLAGS}"
mkdir -p "$OUT" "$WORK/obj"
if [ -d "$SRC/zlib" ]; then
	(cd "$SRC/zlib" && ./configure --static --prefix="$WORK/deps" && make -j"$(nproc)" install)
fi
if [ -d "$SRC/xz" ]; then
	(cd "$SRC/xz" && ./autogen.sh --no-po4a --no-doxygen && ./configure --disable-shared --disable-xz --disable-xzdec \
		--disable-lzmadec --disable-lzmainfo --disable-scripts --disable-doc --prefix="$WORK/deps" && make -j"$(nproc)" install)
fi
if [ -d "$SRC/brotli" ]; then
	# Only the decoder is needed: its C files compiled directly (no CMake
	# options that differ between releases), with a pkg-config file.
	mkdir -p "$WORK/brotli" "$WORK/deps/lib/pkgconfig" "$WORK/deps/include"
	for f in "$SRC"/brotli/c/common/*.c "$SRC"/brotli/c/dec/*.c; do
		$CC $CFLAGS -I"$SRC/brotli/c/include" -c "$f" -o "$WORK/brotli/$(basename "$f" .c).o"
	done
	ar rcs "$WORK/deps/lib/libbrotlidec.a" "$WORK"/brotli/*.o
	cp -r "$SRC/brotli/c/include/brotli" "$WORK/deps/include/"
	printf 'Name: libbrotlidec\nDescription: brotli decoder\nVersion: 1\nLibs: -L%s/lib -lbrotlidec\nCflags: -I%s/include\n' \
		"$WORK/deps" "$WORK/deps" >"$WORK/deps/lib/pkgconfig/libbrotlidec.pc"
fi
# libarchive (archive.c), instrumented like the rest: only the readers
# archive.c enables need its compressors (zlib, xz above; bzip2 when cloned).
if [ -d "$SRC/bzip2" ]; then
	(cd "$SRC/bzip2" && make -j"$(nproc)" CC="$CC" CFLAGS="$CFLAGS -fPIC" libbz2.a &&
		mkdir -p "$WORK/deps/lib" "$WORK/deps/include" && cp libbz2.a "$WORK/deps/lib/" && cp bzlib.h "$WORK/deps/include/")
fi
# lz4 (cbfs.c: LZ4 frames in coreboot CBFS files).
if [ -d "$SRC/lz4" ]; then
	(cd "$SRC/lz4/lib" && make -j"$(nproc)" CC="$CC" CFLAGS="$CFLAGS" liblz4.a &&
		mkdir -p "$WORK/deps/lib" "$WORK/deps/include" && cp liblz4.a "$WORK/deps/lib/" && cp lz4.h lz4frame.h lz4hc.h "$WORK/deps/include/")
	export OD_LZ4_LIBS="-L$WORK/deps/lib -llz4" OD_LZ4_CFLAGS="-I$WORK/deps/include"
fi
if [ -d "$SRC/libarchive" ]; then
	cmake -S "$SRC/libarchive" -B "$WORK/libarchive" -DCMAKE_INSTALL_PREFIX="$WORK/deps" -DCMAKE_PREFIX_PATH="$WORK/deps" \
		-DBUILD_SHARED_LIBS=OFF -DENABLE_TEST=OFF -DENABLE_TAR=OFF -DENABLE_CPIO=OFF -DENABLE_CAT=OFF -DENABLE_UNZIP=OFF \
		-DENABLE_ACL=OFF -DENABLE_XATTR=OFF -DENABLE_OPENSSL=OFF -DENABLE_NETTLE=OFF -DENABLE_MBEDTLS=OFF -DENABLE_LIBB2=OFF \
		-DENABLE_LZ4=OFF -DENABLE_ZSTD=OFF -DENABLE_LZO=OFF -DENABLE_LIBXML2=OFF -DENABLE_EXPAT=OFF -DENABLE_PCREPOSIX=OFF \
		-DENABLE_PCRE2POSIX=OFF -DENABLE_ICONV=OFF -DENABLE_WERROR=OFF &&
		cmake --build "$WORK/libarchive" -j"$(nproc)" && cmake --install "$WORK/libarchive"
	export OD_ARCHIVE_LIBS="-L$WORK/deps/lib -larchive -lbz2"
fi
if [ -d "$SRC/libxml2" ]; then
	# readers/libvirt.c: libxml2 without ICU, HTTP, threads or compressors (the reader needs none).
	(cd "$SRC/libxml2" && ./autogen.sh --disable-shared --without-python --without-http --without-ftp --without-icu \
		--without-zlib --without-lzma --without-threads --prefix="$WORK/deps" && make -j"$(nproc)" install)
fi
export PKG_CONFIG_PATH="$WORK/deps/lib/pkgconfig:${PKG_CONFIG_PATH:-}"
deps_cflags="$(pkg-config --cflags zlib liblzma libbrotlidec libarchive libxml-2.0) ${OD_LZ4_CFLAGS:-$(pkg-config --cflags liblz4)}"
# The system's libarchive (a local proof run) is linked shared: its
# Libs.private name libraries (acl, xml2) Debian ships no static copy of.
deps_libs="${OD_ARCHIVE_LIBS:-$(pkg-config --libs libarchive)} ${OD_LZ4_LIBS:-$(pkg-config --libs liblz4)} $(pkg-config --static --libs zlib liblzma libbrotlidec libxml-2.0)"
defs="-D_GNU_SOURCE -DOD_FUZZING=1 -DOD_VERSION=\"fuzz\" -std=c17"
rm -f "$WORK"/obj/*.o
# The firmware parsers and the readers of the other inputs (readers/: bundles,
# records, libvirt XML, AML) go into one archive: every target links both.
for f in "$OD_SRC_DIR"/parsers/*.c "$OD_SRC_DIR"/readers/*.c; do
	$CC $CFLAGS $defs $deps_cflags -I"$OD_SRC_DIR/parsers" -I"$OD_SRC_DIR/readers" -c "$f" -o "$WORK/obj/$(basename "$f" .c).o"
done
ar rcs "$WORK/libodparsers.a" "$WORK"/obj/*.o
# The test-side Tiano compressor, the differential target's oracle; linked by
# every target like the parsers (a static archive adds only what is used).
$CC $CFLAGS $defs -c "$OD_SRC_DIR/tests/unit/tiano_compress.c" -o "$WORK/tiano_compress.o"
ar rcs "$WORK/libodtianoc.a" "$WORK/tiano_compress.o"
for src in "$OD_SRC_DIR"/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c); target=${name#fuzz_}
	$CC $CFLAGS $defs -I"$OD_SRC_DIR/parsers" -I"$OD_SRC_DIR/readers" -I"$OD_SRC_DIR/fuzz" -I"$OD_SRC_DIR/tests/unit" -c "$src" -o "$WORK/$name.o"
	$CXX $CXXFLAGS $LIB_FUZZING_ENGINE "$WORK/$name.o" "$WORK/libodparsers.a" "$WORK/libodtianoc.a" $deps_libs -o "$OUT/$name"
	if [ -d "$OD_SRC_DIR/corpus/$target" ] && ls "$OD_SRC_DIR/corpus/$target"/* >/dev/null 2>&1; then
		(cd "$OD_SRC_DIR/corpus/$target" && zip -q -j "$OUT/${name}_seed_corpus.zip" ./*)
	fi
	[ -f "$OD_SRC_DIR/fuzz/$target.dict" ] && cp "$OD_SRC_DIR/fuzz/$target.dict" "$OUT/$name.dict"
	cp "$OD_SRC_DIR/fuzz/$target.options" "$OUT/$name.options"
done
echo "built $(cd "$OUT" && ls fuzz_* | grep -vc '\.') fuzz targets into $OUT"
