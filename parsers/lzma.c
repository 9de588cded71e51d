/* SPDX-License-Identifier: BSD-2-Clause */
/* LZMA sections: the "LZMA alone" layout edk2's LzmaCompress writes (13-byte
 * header: properties, dictionary, uncompressed size, parsers/layout/codec.h;
 * edk2 MdeModulePkg LzmaCustomDecompressLib), optionally followed by the x86
 * BCJ filter (GUID
 * D42AE6BD..., LzmaF86). Decoded with liblzma's raw decoder so the
 * dictionary is bounded by the output size, never by what the header asks. */
#include <lzma.h>
#include <stdlib.h>
#include <string.h>

#include "decompress.h"
#include "layout/codec.h"

#define LZMA_HDR od_lzma_hdr_SIZE
#define LZMA_PROPS_MAX (9 * 5 * 5) /* lc < 9, lp < 5, pb < 5 */

/* The x86 BCJ decoder (LZMA SDK Bra86.c, the algorithm liblzma's
 * simple/x86.c also implements): E8/E9 call/jump targets were made absolute
 * by the encoder; turn them back into relative ones. Done here rather than in
 * liblzma's filter chain, which holds back the last 4 bytes of a stream that
 * has no end marker (edk2 writes none). */
static bool ms_byte(uint8_t b)
{
	return b == 0x00 || b == 0xFF;
}

static void bcj_x86_decode(uint8_t *buf, size_t size)
{
	static const bool allowed[8] = { true, true, true, false, true, false, false, false };
	static const unsigned bit_number[8] = { 0, 1, 2, 2, 3, 3, 3, 3 };
	uint32_t prev_mask = 0, prev_pos = (uint32_t)-5;
	if (size < 5)
		return;
	for (size_t pos = 0; pos <= size - 5;) {
		uint8_t b = buf[pos];
		if (b != 0xE8 && b != 0xE9) {
			pos++;
			continue;
		}
		uint32_t offset = (uint32_t)pos - prev_pos;
		prev_pos = (uint32_t)pos;
		if (offset > 5) {
			prev_mask = 0;
		} else {
			for (uint32_t i = 0; i < offset; i++) {
				prev_mask &= 0x77;
				prev_mask <<= 1;
			}
		}
		b = buf[pos + 4];
		if (ms_byte(b) && allowed[(prev_mask >> 1) & 7] && (prev_mask >> 1) < 0x10) {
			uint32_t src = (uint32_t)b << 24 | (uint32_t)buf[pos + 3] << 16 | (uint32_t)buf[pos + 2] << 8 | buf[pos + 1];
			uint32_t dest;
			for (;;) {
				dest = src - ((uint32_t)pos + 5);
				if (prev_mask == 0)
					break;
				unsigned i = bit_number[prev_mask >> 1];
				b = (uint8_t)(dest >> (24 - i * 8));
				if (!ms_byte(b))
					break;
				src = dest ^ ((1u << (32 - i * 8)) - 1);
			}
			buf[pos + 4] = (uint8_t)~(((dest >> 24) & 1) - 1);
			buf[pos + 3] = (uint8_t)(dest >> 16);
			buf[pos + 2] = (uint8_t)(dest >> 8);
			buf[pos + 1] = (uint8_t)dest;
			pos += 5;
			prev_mask = 0;
		} else {
			pos++;
			prev_mask |= 1;
			if (ms_byte(b))
				prev_mask |= 0x10;
		}
	}
}

static int decode(od_span in, bool x86, uint8_t *out, size_t out_len, od_err *e)
{
	const uint8_t *props;
	OD_TRY(od_bytes(in, 0, OD_OFF(od_lzma_hdr, uncompressed_size), &props, e));
	lzma_filter filters[2];
	lzma_filter lz = { .id = LZMA_FILTER_LZMA1, .options = NULL };
	if (lzma_properties_decode(&lz, NULL, props, OD_OFF(od_lzma_hdr, uncompressed_size)) != LZMA_OK)
		return od_fail(e, OD_E_FORMAT, in.off, "invalid LZMA properties");
	lzma_options_lzma *opt = lz.options;
	/* A dictionary larger than the output is never used: cap it so a
	 * header asking for 4 GiB costs nothing. */
	uint32_t cap = out_len < LZMA_DICT_SIZE_MIN ? LZMA_DICT_SIZE_MIN : (uint32_t)(out_len > UINT32_MAX ? UINT32_MAX : out_len);
	if (opt->dict_size > cap)
		opt->dict_size = cap;
	filters[0] = lz;
	filters[1] = (lzma_filter){ .id = LZMA_VLI_UNKNOWN, .options = NULL };
	lzma_stream st = LZMA_STREAM_INIT;
	lzma_ret r = lzma_raw_decoder(&st, filters);
	if (r != LZMA_OK) {
		free(opt);
		return od_fail(e, r == LZMA_MEM_ERROR ? OD_E_NOMEM : OD_E_FORMAT, in.off, "LZMA decoder setup failed (%d)", r);
	}
	st.next_in = in.p + LZMA_HDR;
	st.avail_in = in.len - LZMA_HDR;
	st.next_out = out;
	st.avail_out = out_len;
	while (st.avail_out > 0) {
		r = lzma_code(&st, LZMA_FINISH);
		if (r != LZMA_OK)
			break;
	}
	size_t got = out_len - st.avail_out;
	lzma_end(&st);
	free(opt);
	if (got == out_len) {
		if (x86)
			bcj_x86_decode(out, out_len);
		return OD_OK;
	}
	if (r == LZMA_DATA_ERROR || r == LZMA_FORMAT_ERROR || r == LZMA_OPTIONS_ERROR)
		return od_fail(e, OD_E_FORMAT, in.off, "corrupt LZMA data after %zu of %zu bytes", got, out_len);
	return od_fail(e, OD_E_TRUNC, in.off + in.len, "LZMA data ends after %zu of %zu bytes", got, out_len);
}

int od_lzma_decompress(od_ctx *c, od_span in, bool x86, od_span *out, od_err *e)
{
	uint8_t props;
	/* Intel "legacy LZMA" puts a 4-byte size in front: the properties byte
	 * (lc/lp/pb, always < 225) tells which layout this is. */
	OD_TRY(od_u8(in, 0, &props, e));
	if (props >= LZMA_PROPS_MAX && !od_u8(in, 4, &props, NULL) && props < LZMA_PROPS_MAX)
		OD_TRY(od_tail(in, 4, &in, e));
	od_lzma_hdr h;
	OD_TRY(od_lzma_hdr_read(in, 0, &h, e));
	uint64_t size = h.uncompressed_size;
	if (size == UINT64_MAX)
		return od_fail(e, OD_E_UNSUPPORTED, in.off + OD_OFF(od_lzma_hdr, uncompressed_size), "LZMA stream of unknown size");
	if (in.len < LZMA_HDR)
		return od_fail(e, OD_E_TRUNC, in.off, "LZMA header cut short");
	if (size > SIZE_MAX)
		return od_fail(e, OD_E_LIMIT, in.off + OD_OFF(od_lzma_hdr, uncompressed_size), "LZMA size %llu", (unsigned long long)size);
	uint8_t *buf = od_alloc_out(c, (size_t)size, in.len, e);
	if (!buf)
		return od_err_prefix(e, "LZMA");
	int rc = decode(in, x86, buf, (size_t)size, e);
	if (rc)
		return od_err_prefix(e, "LZMA");
	*out = od_out_done(c, buf, (size_t)size);
	return OD_OK;
}

/* --- raw LZMA1/LZMA2 streams after 7-Zip-style coder properties ---
 * LZMA1: props byte (lc/lp/pb) + u32 dictionary size; LZMA2: one byte
 * (dictionary size code, <= 40). This is how 7-Zip stores its coders and how
 * Inno Setup writes its chunks (innoextract src/stream/lzma.cpp). Such
 * streams carry no output size, so, as for gzip, a first pass counts the
 * output (stopping at the limit) and a second fills an exact buffer. */
static int raw_filters(od_span in, bool lzma2, lzma_options_lzma *opt, size_t *hdr, od_err *e)
{
	od_lzma_hdr h;
	OD_TRY(od_lzma_hdr_read_n(in, 0, &h, sizeof(h.properties), e));
	uint8_t p = h.properties;
	if (lzma2) {
		if (p > 40)
			return od_fail(e, OD_E_FORMAT, in.off, "LZMA2 dictionary code %u (max 40)", p);
		if (lzma_lzma_preset(opt, 6))
			return od_fail(e, OD_E_NOMEM, in.off, "LZMA2 preset");
		opt->dict_size = p == 40 ? UINT32_MAX : (2u | (p & 1u)) << (p / 2 + 11);
		*hdr = 1;
		return OD_OK;
	}
	OD_TRY(od_lzma_hdr_read_n(in, 0, &h, OD_OFF(od_lzma_hdr, uncompressed_size), e)); /* 7-Zip's 5 bytes */
	uint32_t dict = h.dict_size;
	if (p >= LZMA_PROPS_MAX)
		return od_fail(e, OD_E_FORMAT, in.off, "LZMA properties byte 0x%02x", p);
	if (lzma_lzma_preset(opt, 6))
		return od_fail(e, OD_E_NOMEM, in.off, "LZMA preset");
	opt->pb = p / (9 * 5);
	opt->lp = (p % (9 * 5)) / 9;
	opt->lc = p % 9;
	opt->dict_size = dict;
	*hdr = OD_OFF(od_lzma_hdr, uncompressed_size);
	return OD_OK;
}

/* Decodes into out (or counts when out is NULL), at most limit bytes;
 * *used = input bytes the stream spans (props included). */
static int raw_pass(od_span in, int lzma2, uint8_t *out, size_t limit, size_t *produced, size_t *used, od_err *e)
{
	lzma_options_lzma opt;
	size_t hdr = 0;
	OD_TRY(raw_filters(in, lzma2, &opt, &hdr, e));
	/* Never let a header make liblzma allocate more than the output can use. */
	uint32_t cap = limit < LZMA_DICT_SIZE_MIN ? LZMA_DICT_SIZE_MIN : (uint32_t)(limit > UINT32_MAX ? UINT32_MAX : limit);
	if (opt.dict_size > cap || opt.dict_size < LZMA_DICT_SIZE_MIN)
		opt.dict_size = opt.dict_size < LZMA_DICT_SIZE_MIN ? LZMA_DICT_SIZE_MIN : cap;
	lzma_filter f[2] = { { .id = lzma2 ? LZMA_FILTER_LZMA2 : LZMA_FILTER_LZMA1, .options = &opt },
			     { .id = LZMA_VLI_UNKNOWN, .options = NULL } };
	lzma_stream st = LZMA_STREAM_INIT;
	lzma_ret r = lzma_raw_decoder(&st, f);
	if (r != LZMA_OK)
		return od_fail(e, r == LZMA_MEM_ERROR ? OD_E_NOMEM : OD_E_FORMAT, in.off, "LZMA decoder setup failed (%d)", r);
	uint8_t scratch[65536];
	size_t total = 0;
	st.next_in = in.p + hdr;
	st.avail_in = in.len - hdr;
	while (r == LZMA_OK) {
		/* Once out is full the end marker may still be unread: read it
		 * into scratch (any byte landing there is past the limit). */
		bool full = !out || total == limit;
		size_t room = full ? sizeof(scratch) : limit - total;
		st.next_out = full ? scratch : out + total;
		st.avail_out = room;
		r = lzma_code(&st, LZMA_FINISH);
		total += room - st.avail_out;
		if (total > limit) {
			lzma_end(&st);
			return od_fail(e, OD_E_LIMIT, in.off, "LZMA output exceeds %zu bytes", limit);
		}
		if (r == LZMA_BUF_ERROR || (r == LZMA_OK && st.avail_in == 0 && st.avail_out == room))
			break;
	}
	*used = (size_t)(st.next_in - in.p);
	*produced = total;
	lzma_end(&st);
	if (r == LZMA_STREAM_END)
		return OD_OK;
	if (r == LZMA_OK || r == LZMA_BUF_ERROR)
		return od_fail(e, OD_E_TRUNC, in.off + in.len, "LZMA stream ends after %zu output bytes", total);
	return od_fail(e, OD_E_FORMAT, in.off + *used, "corrupt LZMA data after %zu output bytes", total);
}

static int raw_refuse(od_err *e, od_span in, uint64_t limit, size_t max_out, const char *why)
{
	(void)max_out;
	return od_fail(e, OD_E_LIMIT, in.off, "LZMA output exceeds %llu bytes, %s (decompression bomb?)",
		       (unsigned long long)limit, why[0] ? why : "the size the container allows");
}

int od_lzma_raw_stream(od_ctx *c, od_span in, bool lzma2, size_t max_out, od_span *out, size_t *used, od_err *e)
{
	const od_counted d = { raw_pass, lzma2, raw_refuse };
	return od_decode_counted(c, in, max_out, &d, out, used, e);
}
