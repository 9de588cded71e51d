/* SPDX-License-Identifier: BSD-2-Clause */
/* The headers decoders read in front of their streams, written once
 * (parsers/layout.h). */
#ifndef OD_LAYOUT_CODEC_H
#define OD_LAYOUT_CODEC_H

#include "../layout.h"

/* "LZMA alone" header (LZMA SDK lzma-file-format.txt; edk2 LzmaCompress
 * writes the real size where xz writes all ones): properties (lc/lp/pb),
 * dictionary size, uncompressed size. 7-Zip coder properties are its first
 * five bytes. */
#define OD_LZMA_HDR_FIELDS(X)          \
	X(u8, properties, 0)           \
	X(u32, dict_size, 1)           \
	X(u64, uncompressed_size, 5)
OD_LAYOUT_DECLARE(od_lzma_hdr, OD_LZMA_HDR_FIELDS, 13)

/* edk2 BrotliCustomDecompressLib's header (BrotliDecompress.c,
 * BROTLI_DECODE_MAX / BROTLI_SCRATCH_MAX): decoded size, then the scratch
 * size, edk2's allocator hint. */
#define OD_BROTLI_HDR_FIELDS(X)   \
	X(u64, decoded_size, 0)   \
	X(u64, scratch_size, 8)
OD_LAYOUT_DECLARE(od_brotli_hdr, OD_BROTLI_HDR_FIELDS, 16)

#endif
