/* SPDX-License-Identifier: BSD-2-Clause */
/* Decoder output buffers (issue 20): a buffer is registered with the bytes its
 * decoder reported written and no more, so the carver never reads memory no
 * decoder wrote (MSan found it scanning the unwritten tail of failed Tiano
 * and LZMA decodes), and a failed decode leaves nothing to carve. */
#include <criterion/criterion.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "decompress.h"

static size_t registered(const od_ctx *c)
{
	size_t n = 0;
	for (const od_buf *b = c->bufs; b; b = b->next)
		n += b->len;
	return n;
}

static void start(od_ctx *c, od_err *e)
{
	static uint8_t root[1];
	od_ctx_init(c, "t");
	od_err_clear(e);
	cr_assert_eq(od_enter(c, OD_KIND_INPUT, od_span_make(root, 1, 0), e, "t"), OD_OK);
}

/* One 512-byte option ROM (PCI Firmware Spec 3.0: 55AA, PCIR at 0x18,
 * code type 0 with a zero byte sum) that the carver accepts. */
static void make_rom(uint8_t *p)
{
	memset(p, 0, 512);
	p[0] = 0x55, p[1] = 0xAA, p[2] = 1, p[0x18] = 0x20;
	memcpy(p + 0x20, "PCIR", 4);
	p[0x24] = 0xDE, p[0x25] = 0x10, p[0x26] = 0x34, p[0x27] = 0x12;
	p[0x2A] = 0x18, p[0x2C] = 3, p[0x2E] = 2, p[0x2F] = 3, p[0x30] = 1, p[0x32] = 1, p[0x35] = 0x80;
	uint8_t sum = 0;
	for (int i = 0; i < 511; i++)
		sum = (uint8_t)(sum + p[i]);
	p[511] = (uint8_t)(0x100 - sum);
}

Test(outbuf, allocated_buffer_is_empty_until_the_decoder_reports)
{
	od_ctx c;
	od_err e;
	start(&c, &e);
	uint8_t *b = od_alloc_out(&c, 4096, 4096, &e);
	cr_assert_not_null(b);
	cr_assert_eq(registered(&c), 0, "registered before anything was written");
	cr_assert_eq(c.out_used, 4096);
	od_span s = od_out_done(&c, b, 1000);
	cr_assert_eq(s.len, 1000);
	cr_assert_eq(registered(&c), 1000);
	cr_assert_eq(c.out_used, 1000, "the unused rest goes back to the budget");
	od_ctx_free(&c);
}

/* A decoder that wrote a whole ROM and then failed: its bytes are not
 * trusted, so the carver must not report it (it used to, from whatever the
 * buffer held). */
Test(outbuf, failed_decode_is_not_carved)
{
	od_ctx c;
	od_err e;
	start(&c, &e);
	uint8_t *b = od_alloc_out(&c, 4096, 4096, &e);
	cr_assert_not_null(b);
	make_rom(b);
	c.cur = c.root;
	cr_assert_eq(od_carve(&c, od_span_make("", 0, 0), &e), OD_OK);
	cr_assert_eq(c.nhits, 0, "carved %zu ROMs out of a buffer nobody finished", c.nhits);
	od_out_done(&c, b, 512);
	cr_assert_eq(od_carve(&c, od_span_make("", 0, 0), &e), OD_OK);
	cr_assert_eq(c.nhits, 1, "the reported bytes are carved");
	od_ctx_free(&c);
}

Test(outbuf, failed_tiano_leaves_no_registered_bytes)
{
	uint8_t in[64];
	memset(in, 0xA5, sizeof(in));
	in[0] = 56, in[1] = in[2] = in[3] = 0;  /* CompSize: the rest */
	in[4] = 0, in[5] = 0x10, in[6] = in[7] = 0; /* OrigSize 4096 */
	od_ctx c;
	od_err e;
	start(&c, &e);
	od_span out;
	int rc = od_efi_decompress(&c, od_span_make(in, sizeof(in), 0), OD_EFI_AUTO, &out, NULL, &e);
	cr_assert_neq(rc, OD_OK, "noise decoded");
	cr_assert_eq(registered(&c), 0, "%zu bytes registered after a failed decode", registered(&c));
	od_ctx_free(&c);
}

Test(outbuf, failed_lzma_leaves_no_registered_bytes)
{
	/* A real stream (liblzma's lzma_alone encoder, the layout edk2's
	 * LzmaCompress writes), cut in half. */
	uint8_t src[8192], enc[16384];
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + (i >> 5));
	lzma_options_lzma opt;
	cr_assert_eq(lzma_lzma_preset(&opt, 6), 0);
	lzma_stream st = LZMA_STREAM_INIT;
	cr_assert_eq(lzma_alone_encoder(&st, &opt), LZMA_OK);
	st.next_in = src, st.avail_in = sizeof(src), st.next_out = enc, st.avail_out = sizeof(enc);
	cr_assert_eq(lzma_code(&st, LZMA_FINISH), LZMA_STREAM_END);
	size_t n = sizeof(enc) - st.avail_out;
	lzma_end(&st);
	/* lzma_alone writes an unknown size (all ones); edk2 writes the real one. */
	for (int i = 0; i < 8; i++)
		enc[5 + i] = (uint8_t)((uint64_t)sizeof(src) >> (8 * i));
	od_ctx c;
	od_err e;
	start(&c, &e);
	od_span out;
	cr_assert_eq(od_lzma_decompress(&c, od_span_make(enc, n, 0), false, &out, &e), OD_OK, "%s", e.msg);
	cr_assert_eq(out.len, sizeof(src));
	cr_assert(memcmp(out.p, src, sizeof(src)) == 0);
	cr_assert_eq(registered(&c), sizeof(src));
	od_ctx_free(&c);

	start(&c, &e);
	cr_assert_neq(od_lzma_decompress(&c, od_span_make(enc, n / 2, 0), false, &out, &e), OD_OK);
	cr_assert_eq(registered(&c), 0, "%zu bytes registered after a cut stream", registered(&c));
	od_ctx_free(&c);
}

Test(outbuf, zlib_registers_exactly_its_output)
{
	uint8_t src[5000], enc[8192];
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i % 251);
	uLongf n = sizeof(enc);
	cr_assert_eq(compress2(enc, &n, src, sizeof(src), 9), Z_OK);
	od_ctx c;
	od_err e;
	start(&c, &e);
	od_span out;
	cr_assert_eq(od_zlib_decompress(&c, od_span_make(enc, n, 0), false, 1u << 20, &out, &e), OD_OK, "%s", e.msg);
	cr_assert_eq(out.len, sizeof(src));
	cr_assert_eq(registered(&c), sizeof(src));
	cr_assert_neq(od_zlib_decompress(&c, od_span_make(enc, n / 2, 0), false, 1u << 20, &out, &e), OD_OK);
	cr_assert_eq(registered(&c), sizeof(src), "the cut stream added bytes");
	od_ctx_free(&c);
}
