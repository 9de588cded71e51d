/* LZMA sections: the "LZMA alone" layout edk2's LzmaCompress writes (13-byte
 * header: 5 property bytes, u64 uncompressed size; edk2 MdeModulePkg
 * LzmaCustomDecompressLib), optionally followed by the x86 BCJ filter (GUID
 * D42AE6BD..., LzmaF86). Decoded with liblzma's raw decoder so the
 * dictionary is bounded by the output size, never by what the header asks. */
#include <lzma.h>
#include <stdlib.h>
#include <string.h>

#include "decompress.h"

#define LZMA_HDR 13

static int decode(od_span in, bool x86, uint8_t *out, size_t out_len, od_err *e)
{
	const uint8_t *props;
	OD_TRY(od_bytes(in, 0, 5, &props, e));
	lzma_filter filters[3];
	lzma_options_bcj bcj = { 0 };
	lzma_filter lz = { .id = LZMA_FILTER_LZMA1, .options = NULL };
	if (lzma_properties_decode(&lz, NULL, props, 5) != LZMA_OK)
		return od_fail(e, OD_E_FORMAT, in.off, "invalid LZMA properties");
	lzma_options_lzma *opt = lz.options;
	/* A dictionary larger than the output is never used: cap it so a
	 * header asking for 4 GiB costs nothing. */
	uint32_t cap = out_len < LZMA_DICT_SIZE_MIN ? LZMA_DICT_SIZE_MIN : (uint32_t)(out_len > UINT32_MAX ? UINT32_MAX : out_len);
	if (opt->dict_size > cap)
		opt->dict_size = cap;
	size_t k = 0;
	if (x86)
		filters[k++] = (lzma_filter){ .id = LZMA_FILTER_X86, .options = &bcj };
	filters[k++] = lz;
	filters[k] = (lzma_filter){ .id = LZMA_VLI_UNKNOWN, .options = NULL };
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
	if (got == out_len)
		return OD_OK;
	if (r == LZMA_DATA_ERROR || r == LZMA_FORMAT_ERROR || r == LZMA_OPTIONS_ERROR)
		return od_fail(e, OD_E_FORMAT, in.off, "corrupt LZMA data after %zu of %zu bytes", got, out_len);
	return od_fail(e, OD_E_TRUNC, in.off + in.len, "LZMA data ends after %zu of %zu bytes", got, out_len);
}

int od_lzma_decompress(od_ctx *c, od_span in, bool x86, od_span *out, od_err *e)
{
	uint64_t size;
	uint8_t props;
	/* Intel "legacy LZMA" puts a 4-byte size in front: the properties byte
	 * (lc/lp/pb, always < 225) tells which layout this is. */
	OD_TRY(od_u8(in, 0, &props, e));
	if (props >= 225 && !od_u8(in, 4, &props, NULL) && props < 225)
		OD_TRY(od_tail(in, 4, &in, e));
	OD_TRY(od_u64(in, 5, &size, e));
	if (size == UINT64_MAX)
		return od_fail(e, OD_E_UNSUPPORTED, in.off + 5, "LZMA stream of unknown size");
	if (in.len < LZMA_HDR)
		return od_fail(e, OD_E_TRUNC, in.off, "LZMA header cut short");
	if (size > SIZE_MAX)
		return od_fail(e, OD_E_LIMIT, in.off + 5, "LZMA size %llu", (unsigned long long)size);
	uint8_t *buf = od_alloc_out(c, (size_t)size, in.len, e);
	if (!buf)
		return od_err_prefix(e, "LZMA");
	int rc = decode(in, x86, buf, (size_t)size, e);
	if (rc)
		return od_err_prefix(e, "LZMA");
	*out = od_span_make(buf, (size_t)size, 0);
	return OD_OK;
}
