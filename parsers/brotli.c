/* SPDX-License-Identifier: BSD-2-Clause */
/* Brotli (RFC 7932) as edk2's BrotliCustomDecompressLib reads it in
 * GUID-defined sections 3D532050-5CDA-4FD0-879E-0F7F630D5AFB: a 16-byte
 * header (edk2 MdeModulePkg/Library/BrotliCustomDecompressLib/
 * BrotliDecompress.c; parsers/layout/codec.h: decoded size, scratch size),
 * then the stream.
 * The scratch size is edk2's allocator hint and is ignored here. The decoded
 * size is checked against the context's limits before anything is
 * allocated; the stream must produce exactly that many bytes. */
#include <brotli/decode.h>

#include "decompress.h"
#include "layout/codec.h"

#define BROTLI_HDR od_brotli_hdr_SIZE

int od_brotli_decompress(od_ctx *c, od_span in, od_span *out, od_err *e)
{
	od_brotli_hdr h;
	/* the decoded size first; a header cut after it is said as such */
	OD_TRY(od_brotli_hdr_read_n(in, 0, &h, sizeof(h.decoded_size), e));
	uint64_t size = h.decoded_size;
	if (in.len < BROTLI_HDR)
		return od_fail(e, OD_E_TRUNC, in.off, "Brotli header cut short (%zu of %d bytes)", in.len, BROTLI_HDR);
	if (size > SIZE_MAX)
		return od_fail(e, OD_E_LIMIT, in.off, "Brotli size %llu", (unsigned long long)size);
	uint8_t *buf = od_alloc_out(c, (size_t)size, in.len - BROTLI_HDR, e);
	if (!buf)
		return od_err_prefix(e, "Brotli");
	BrotliDecoderState *st = BrotliDecoderCreateInstance(NULL, NULL, NULL);
	if (!st)
		return od_fail(e, OD_E_NOMEM, in.off, "Brotli decoder setup failed");
	const uint8_t *next_in = in.p + BROTLI_HDR;
	size_t avail_in = in.len - BROTLI_HDR, avail_out = (size_t)size;
	uint8_t *next_out = buf;
	/* One call: all input and the whole output buffer are there, so the
	 * decoder stops only at the end of the stream, on an error, for more
	 * input (the stream is cut) or for more room (it is longer than the
	 * header says: refused, never grown). */
	BrotliDecoderResult r = BrotliDecoderDecompressStream(st, &avail_in, &next_in, &avail_out, &next_out, NULL);
	size_t got = (size_t)(next_out - buf);
	const char *why = r == BROTLI_DECODER_RESULT_ERROR ? BrotliDecoderErrorString(BrotliDecoderGetErrorCode(st)) : "";
	BrotliDecoderDestroyInstance(st);
	if (r == BROTLI_DECODER_RESULT_SUCCESS && got == (size_t)size) {
		*out = od_out_done(c, buf, got);
		return OD_OK;
	}
	if (r == BROTLI_DECODER_RESULT_SUCCESS)
		return od_fail(e, OD_E_FORMAT, in.off, "Brotli stream ends after %zu of the %zu bytes its header states", got,
			       (size_t)size);
	if (r == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT)
		return od_fail(e, OD_E_FORMAT, in.off, "Brotli stream decodes past the %zu bytes its header states",
			       (size_t)size);
	if (r == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT)
		return od_fail(e, OD_E_TRUNC, in.off + in.len, "Brotli data ends after %zu of %zu bytes", got, (size_t)size);
	return od_fail(e, OD_E_FORMAT, in.off, "corrupt Brotli data after %zu of %zu bytes (%s)", got, (size_t)size, why);
}
