/* SPDX-License-Identifier: BSD-2-Clause */
/* zlib / raw deflate / gzip streams through zlib (RFC 1950/1951/1952).
 * Headers cannot be trusted for the output size (gzip's ISIZE is mod 2^32
 * and may lie), so a first pass counts the output into a scratch buffer,
 * stopping at the limit: a bomb is refused after at most `limit` bytes of
 * inflating, never allocated. The second pass fills an exact buffer. */
#include <string.h>
#include <zlib.h>

#include "decompress.h"

enum { MODE_ZLIB, MODE_RAW, MODE_GZIP };

static int window_bits(int mode)
{
	return mode == MODE_RAW ? -MAX_WBITS : mode == MODE_GZIP ? MAX_WBITS + 16 : MAX_WBITS;
}

/* Inflates in into out (or counts when out is NULL), at most limit bytes.
 * *used = input bytes consumed. */
static int inflate_pass(od_span in, int mode, uint8_t *out, size_t limit, size_t *produced, size_t *used, od_err *e)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, window_bits(mode)) != Z_OK)
		return od_fail(e, OD_E_NOMEM, in.off, "zlib init");
	uint8_t scratch[65536];
	size_t total = 0;
	int r = Z_OK;
	z.next_in = (Bytef *)in.p;
	z.avail_in = in.len > UINT32_MAX ? UINT32_MAX : (uInt)in.len;
	while (r != Z_STREAM_END) {
		size_t room = out ? limit - total : sizeof(scratch);
		if (out && room == 0)
			break;
		z.next_out = out ? out + total : scratch;
		z.avail_out = room > UINT32_MAX ? UINT32_MAX : (uInt)room;
		r = inflate(&z, Z_NO_FLUSH);
		size_t got = (size_t)(z.next_out - (out ? out + total : scratch));
		total += got;
		if (r != Z_OK && r != Z_STREAM_END)
			break;
		if (total > limit) {
			inflateEnd(&z);
			return od_fail(e, OD_E_LIMIT, in.off, "inflated data exceeds %zu bytes", limit);
		}
		if (r == Z_OK && got == 0 && z.avail_in == 0)
			break;
	}
	*used = (size_t)(z.next_in - in.p);
	inflateEnd(&z);
	*produced = total;
	if (r == Z_STREAM_END)
		return OD_OK;
	if (r == Z_DATA_ERROR || r == Z_NEED_DICT)
		return od_fail(e, OD_E_FORMAT, in.off + *used, "corrupt deflate data after %zu output bytes", total);
	return od_fail(e, OD_E_TRUNC, in.off + in.len, "deflate stream ends after %zu output bytes", total);
}

static int inflate_refuse(od_err *e, od_span in, uint64_t limit, size_t max_out, const char *why)
{
	if (limit == max_out) /* a lying header, not a bomb: this entry only */
		return od_fail(e, OD_E_FORMAT, in.off, "inflates past the %zu bytes the container states", max_out);
	return od_fail(e, OD_E_LIMIT, in.off, "inflated data exceeds %llu bytes, %s (decompression bomb?)",
		       (unsigned long long)limit, why);
}

static int inflate_any(od_ctx *c, od_span in, int mode, size_t max_out, od_span *out, size_t *used, od_err *e)
{
	const od_counted d = { inflate_pass, mode, inflate_refuse };
	return od_decode_counted(c, in, max_out, &d, out, used, e);
}

int od_zlib_decompress(od_ctx *c, od_span in, bool raw, size_t max_out, od_span *out, od_err *e)
{
	size_t used;
	return inflate_any(c, in, raw ? MODE_RAW : MODE_ZLIB, max_out, out, &used, e);
}

int od_zlib_stream(od_ctx *c, od_span in, size_t max_out, od_span *out, size_t *used, od_err *e)
{
	return inflate_any(c, in, MODE_ZLIB, max_out, out, used, e);
}

int od_gzip_decompress(od_ctx *c, od_span in, size_t max_out, od_span *out, size_t *used, od_err *e)
{
	return inflate_any(c, in, MODE_GZIP, max_out, out, used, e);
}
