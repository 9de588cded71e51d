/* SPDX-License-Identifier: BSD-2-Clause */
/* Decompressors used by UEFI sections and vendor containers. Each one takes
 * the walk context so its output buffer is charged to the input's budget
 * (od_alloc_out) and lives until the scan ends; none allocates what a header
 * claims before checking it against the limits. */
#ifndef OD_DECOMPRESS_H
#define OD_DECOMPRESS_H

#include "walk.h"

/* EFI 1.1 / Tiano (UEFI PI spec vol. 3 "Compression algorithm"; edk2
 * BaseUefiDecompressLib): stream = u32 CompSize, u32 OrigSize, bit stream.
 * The two differ only in the position-set bit width (PBIT 4 vs 5). */
enum od_efi_variant {
	OD_EFI_AUTO = 0,   /* decode both; keep the one that decodes (and parses, see _best) */
	OD_EFI_V1 = 1,     /* EFI 1.1, PBIT 4 (option-ROM EFI images) */
	OD_EFI_TIANO = 2,  /* Tiano, PBIT 5 */
};

/* Reads the 8-byte header only (for sizes in --tree and limit checks). */
int od_efi_sizes(od_span in, uint32_t *comp, uint32_t *orig, od_err *e);
/* Decodes into a context-owned buffer; *out views it. *used reports the
 * variant that worked when OD_EFI_AUTO was asked. */
int od_efi_decompress(od_ctx *c, od_span in, enum od_efi_variant v, od_span *out,
		      enum od_efi_variant *used, od_err *e);
/* What od_efi_decompress_best found: which variants were decoded without
 * error, whose output the judge accepted (a variant not tried is neither),
 * the one kept, and whether both decoded and neither was accepted. */
typedef struct od_efi_choice {
	bool decoded[2], valid[2]; /* [0] EFI 1.1, [1] Tiano */
	bool ambiguous;
	enum od_efi_variant used;
} od_efi_choice;
/* OD_EFI_AUTO: keeps the variant whose output valid() accepts (valid NULL:
 * accepts any), trying `prefer` first (OD_EFI_AUTO: Tiano, as UEFITool) and
 * the other only when the first is not accepted; when neither is accepted,
 * the first that decoded. A fixed v decodes just that variant. */
int od_efi_decompress_best(od_ctx *c, od_span in, enum od_efi_variant v, bool (*valid)(od_span),
			   enum od_efi_variant prefer, od_span *out, od_efi_choice *ch, od_err *e);
/* The same into caller memory (unit tests, fuzzing, option-ROM EFI images
 * outside a scan): dst must hold orig bytes. */
int od_efi_decompress_buf(od_span in, enum od_efi_variant v, uint8_t *dst, size_t dst_len, od_err *e);

/* LZMA "alone" streams as edk2 LzmaCompress writes them (13-byte header:
 * props, u32 dict size, u64 size), via liblzma's lzma_alone decoder.
 * x86: apply the BCJ x86 filter after decoding (GUID D42AE6BD...). */
int od_lzma_decompress(od_ctx *c, od_span in, bool x86, od_span *out, od_err *e);

/* zlib/deflate (raw = no zlib header, as in zip), bounded by max_out and
 * the context's limits; a bomb is refused after counting, never allocated. */
int od_zlib_decompress(od_ctx *c, od_span in, bool raw, size_t max_out, od_span *out, od_err *e);
/* The same for a zlib stream of unknown length: *used = bytes it spans. */
int od_zlib_stream(od_ctx *c, od_span in, size_t max_out, od_span *out, size_t *used, od_err *e);
/* gzip member (RFC 1952); *used = bytes of input it spans. */
int od_gzip_decompress(od_ctx *c, od_span in, size_t max_out, od_span *out, size_t *used, od_err *e);

/* Brotli as edk2's BrotliCustomDecompressLib stores it (16-byte header:
 * u64 decoded size, u64 scratch size; then the RFC 7932 stream). */
int od_brotli_decompress(od_ctx *c, od_span in, od_span *out, od_err *e);

/* A raw LZMA1 (5 property bytes) or LZMA2 (1 byte) stream after 7-Zip-style
 * coder properties, ending at its end marker (Inno Setup chunks, 7z coders);
 * *used = input bytes it spans. */
int od_lzma_raw_stream(od_ctx *c, od_span in, bool lzma2, size_t max_out, od_span *out, size_t *used, od_err *e);

#endif
