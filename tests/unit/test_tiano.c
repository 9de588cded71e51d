/* SPDX-License-Identifier: BSD-2-Clause */
/* EFI 1.1 / Tiano decompressor: real compressed EFI drivers from NVIDIA and
 * QEMU option ROMs, round trips through the test compressor, every failure
 * path, and bombs. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decompress.h"
#include "nvidia.h"
#include "optionrom.h"
#include "pe.h"
#include "testutil.h"
#include "tiano_compress.h"

static uint8_t *sample(size_t n, unsigned seed)
{
	uint8_t *b = malloc(n);
	uint32_t x = seed * 2654435761u + 1;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		/* Mix of runs, text-like bytes and noise so matches of all sizes occur. */
		b[i] = (i % 1000) < 300 ? (uint8_t)"optimus-db EFI\n"[i % 15] : (i % 7 == 0 ? (uint8_t)(x >> 24) : (uint8_t)(i / 97));
	}
	return b;
}

static void round_trip(size_t n, unsigned pbit, bool matches)
{
	uint8_t *in = sample(n, (unsigned)n + pbit);
	size_t clen;
	uint8_t *c = tc_compress(in, n, pbit, matches, &clen);
	uint8_t *out = malloc(n ? n : 1);
	od_err e;
	od_err_clear(&e);
	enum od_efi_variant v = pbit == 4 ? OD_EFI_V1 : OD_EFI_TIANO;
	int rc = od_efi_decompress_buf(od_span_make(c, clen, 0), v, out, n, &e);
	cr_assert_eq(rc, OD_OK, "n=%zu pbit=%u: %s", n, pbit, e.msg);
	cr_assert(memcmp(in, out, n) == 0, "n=%zu pbit=%u: output differs", n, pbit);
	free(in);
	free(c);
	free(out);
}

Test(tiano, round_trips_both_variants)
{
	size_t sizes[] = { 1, 2, 100, 4096, 70000, 200000 };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		round_trip(sizes[i], 4, true);
		round_trip(sizes[i], 5, true);
		round_trip(sizes[i], 4, false);
	}
}

Test(tiano, auto_picks_the_variant_that_decodes)
{
	uint8_t *in = sample(5000, 7);
	size_t clen;
	uint8_t *c = tc_compress(in, 5000, 5, true, &clen);
	od_ctx ctx;
	od_ctx_init(&ctx, "t");
	od_span out;
	enum od_efi_variant used = OD_EFI_AUTO;
	od_err e;
	od_err_clear(&e);
	cr_assert_eq(od_efi_decompress(&ctx, od_span_make(c, clen, 0), OD_EFI_AUTO, &out, &used, &e), OD_OK, "%s", e.msg);
	cr_assert_eq(used, OD_EFI_TIANO);
	cr_assert_eq(out.len, 5000);
	cr_assert(memcmp(out.p, in, 5000) == 0);
	od_ctx_free(&ctx);
	free(in);
	free(c);
}

Test(tiano, truncated_stream_is_an_error_never_zero_fill)
{
	uint8_t *in = sample(20000, 3);
	size_t clen;
	uint8_t *c = tc_compress(in, 20000, 4, true, &clen);
	uint8_t *out = malloc(20000);
	od_err e;
	/* Claim fewer compressed bytes than the stream needs. */
	for (size_t cut = 8; cut < clen; cut += clen / 7 + 1) {
		uint32_t c32 = (uint32_t)(cut - 8);
		memcpy(c, &c32, 4);
		od_err_clear(&e);
		int rc = od_efi_decompress_buf(od_span_make(c, cut, 0), OD_EFI_V1, out, 20000, &e);
		cr_assert_neq(rc, OD_OK, "cut at %zu of %zu decoded", cut, clen);
	}
	free(in);
	free(c);
	free(out);
}

Test(tiano, compressed_size_past_end_is_refused)
{
	uint8_t *in = sample(1000, 1);
	size_t clen;
	uint8_t *c = tc_compress(in, 1000, 4, true, &clen);
	uint32_t big = (uint32_t)clen; /* 8 more than present */
	memcpy(c, &big, 4);
	uint32_t comp, orig;
	od_err e;
	od_err_clear(&e);
	cr_assert_eq(od_efi_sizes(od_span_make(c, clen, 0x40), &comp, &orig, &e), OD_E_TRUNC);
	cr_assert_eq(e.off, 0x40);
	free(in);
	free(c);
}

Test(tiano, match_before_output_start_is_refused)
{
	size_t clen;
	uint8_t *c = tc_match_before_start(4, &clen);
	uint8_t out[64];
	od_err e;
	od_err_clear(&e);
	cr_assert_eq(od_efi_decompress_buf(od_span_make(c, clen, 0), OD_EFI_V1, out, sizeof(out), &e), OD_E_FORMAT);
	cr_assert(strstr(e.msg, "refers 100 bytes back"), "%s", e.msg);
	free(c);
}

Test(tiano, incomplete_code_is_a_bad_table)
{
	uint8_t *in = sample(300, 2);
	size_t clen;
	uint8_t *c = tc_compress(in, 300, 4, false, &clen);
	/* Byte 10-11 hold the T-set count (5 bits after the 16-bit block size):
	 * 12 -> 13 adds a zero-length entry... instead flip a T length to 2,
	 * leaving an incomplete prefix code. Bits: 16 size, 5 count, 3x3, 2, 4x3
	 * then symbol 10's length (3 bits) at bit 44. */
	size_t bit = 8 * 8 + 44 + 1; /* middle bit of "001" -> "011" = 3 */
	c[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
	uint8_t out[300];
	od_err e;
	od_err_clear(&e);
	cr_assert_eq(od_efi_decompress_buf(od_span_make(c, clen, 0), OD_EFI_V1, out, sizeof(out), &e), OD_E_FORMAT);
	cr_assert(strstr(e.msg, "bad Huffman table"), "%s", e.msg);
	free(in);
	free(c);
}

Test(tiano, bomb_is_refused_before_allocating)
{
	/* 16 bytes claiming 4 GiB - 1 of output. */
	uint8_t bomb[16] = { 8, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF };
	od_ctx ctx;
	od_ctx_init(&ctx, "bomb.bin");
	od_span out;
	od_err e;
	od_err_clear(&e);
	cr_assert_eq(od_efi_decompress(&ctx, od_span_make(bomb, sizeof(bomb), 0), OD_EFI_AUTO, &out, NULL, &e), OD_E_LIMIT);
	cr_assert(strstr(e.msg, "limit"), "%s", e.msg);
	cr_assert_eq(ctx.out_used, 0, "nothing may be charged for a refused buffer");
	od_ctx_free(&ctx);
}

/* MSB-first bit writer for hand-built streams (UEFI 2.10 Appendix H). */
typedef struct bits {
	uint8_t b[64];
	unsigned pos;
} bits;

static void put_bits(bits *w, unsigned n, uint32_t v)
{
	while (n--) {
		if (v >> n & 1)
			w->b[w->pos >> 3] |= (uint8_t)(0x80 >> (w->pos & 7));
		w->pos++;
	}
}

/* One block of N symbols whose tables each hold a single symbol (code length
 * 0): the C set is the literal 'A', so the block is N x 'A' and the stream
 * ends after the headers. EFI 1.1 variant (PBIT 4). */
static size_t one_symbol_stream(uint8_t *out, uint16_t nsym, uint32_t orig)
{
	bits w = { { 0 }, 0 };
	put_bits(&w, 16, nsym);           /* block size */
	put_bits(&w, 5, 0), put_bits(&w, 5, 0); /* T set: one symbol, 0 */
	put_bits(&w, 9, 0), put_bits(&w, 9, 'A'); /* C set: one symbol, 'A' */
	put_bits(&w, 4, 0), put_bits(&w, 4, 0); /* P set: one symbol, 0 */
	uint32_t comp = (w.pos + 7) / 8;
	memcpy(out, &comp, 4);
	memcpy(out + 4, &orig, 4);
	memcpy(out + 8, w.b, comp);
	return 8 + comp;
}

Test(tiano, one_symbol_block_decodes_to_a_run)
{
	uint8_t s[80], *dst = malloc(70000);
	od_err e;
	size_t n = one_symbol_stream(s, 60000, 60000);
	cr_assert_eq(n, 8 + 7);
	cr_assert_eq(od_efi_decompress_buf(od_span_make(s, n, 0), OD_EFI_V1, dst, 60000, &e), OD_OK, "%s", e.msg);
	for (size_t i = 0; i < 60000; i++)
		cr_assert_eq(dst[i], 'A', "byte %zu", i);
	/* Asking for more than the block holds needs a second block header the
	 * stream does not have: an error, never zero fill. */
	n = one_symbol_stream(s, 60000, 60001);
	cr_assert_eq(od_efi_decompress_buf(od_span_make(s, n, 0), OD_EFI_V1, dst, 60001, &e), OD_E_TRUNC);
	/* A block shorter than the output: the run stops at the block's end. */
	n = one_symbol_stream(s, 10, 11);
	cr_assert_eq(od_efi_decompress_buf(od_span_make(s, n, 0), OD_EFI_V1, dst, 11, &e), OD_E_TRUNC);
	free(dst);
}

Test(tiano, every_single_bit_flip_ends_cleanly)
{
	uint8_t *in = sample(3000, 9);
	size_t clen;
	uint8_t *c = tc_compress(in, 3000, 4, true, &clen);
	uint8_t *out = malloc(3000);
	for (size_t bit = 64; bit < clen * 8; bit += 3) {
		c[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
		od_err e;
		od_err_clear(&e);
		int rc = od_efi_decompress_buf(od_span_make(c, clen, 0), OD_EFI_AUTO, out, 3000, &e);
		cr_assert(rc == OD_OK || e.msg[0], "failure without a message at bit %zu", bit);
		c[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
	}
	free(in);
	free(c);
	free(out);
}

/* Real data: the EFI images in NVIDIA and QEMU option ROMs are EFI 1.1
 * compressed and must decode to PE images for the ROM's machine type. */
static int check_rom_file(const char *path)
{
	size_t len;
	uint8_t *buf = tu_read(path, &len);
	cr_assert_not_null(buf, "%s", path);
	od_span all = od_span_make(buf, len, 0), rom;
	size_t off;
	const char *kind;
	od_err e;
	od_err_clear(&e);
	int found = 0;
	od_rom r;
	if (od_nv_find_rom(all, &off, &kind, &e) || od_tail(all, off, &rom, &e) || od_rom_parse(rom, &r, &e)) {
		free(buf);
		return 0;
	}
	for (unsigned i = 0; i < r.nimages; i++) {
		const od_rom_image *im = &r.img[i];
		if (!im->efi.present || im->efi.compression != 1)
			continue;
		od_span s;
		cr_assert_eq(od_sub(rom, im->off + im->efi.image_off, im->len - im->efi.image_off, &s, &e), OD_OK);
		uint32_t comp, orig;
		cr_assert_eq(od_efi_sizes(s, &comp, &orig, &e), OD_OK, "%s: %s", path, e.msg);
		uint8_t *d = malloc(orig);
		cr_assert_eq(od_efi_decompress_buf(s, OD_EFI_V1, d, orig, &e), OD_OK, "%s image %u: %s", path, i, e.msg);
		od_pe pe;
		cr_assert_eq(od_pe_parse(od_span_make(d, orig, 0), &pe, &e), OD_OK, "%s image %u: %s", path, i, e.msg);
		cr_assert_eq(pe.machine, im->efi.machine, "%s: PE machine %04x vs ROM %04x", path, pe.machine,
			     im->efi.machine);
		cr_assert_leq(pe.size_of_image, 16u << 20);
		/* Tiano (PBIT 5) must not also accept an EFI 1.1 stream silently. */
		od_err e2;
		od_err_clear(&e2);
		cr_assert_neq(od_efi_decompress_buf(s, OD_EFI_TIANO, d, orig, &e2), OD_OK);
		free(d);
		found++;
	}
	free(buf);
	return found;
}

Test(tiano, real_efi_images_in_option_roms)
{
	char dir[512];
	if (!tu_shared("roms/nvidia", dir, sizeof(dir)))
		cr_skip_test("shared corpus absent: round-trip tests stand in");
	int images = 0;
	const char *dirs[] = { "roms/nvidia", "roms/other" };
	for (int d = 0; d < 2; d++) {
		tu_shared(dirs[d], dir, sizeof(dir));
		DIR *dh = opendir(dir);
		struct dirent *de;
		while ((de = readdir(dh))) {
			if (de->d_name[0] == '.')
				continue;
			char p[1024];
			snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
			images += check_rom_file(p);
		}
		closedir(dh);
	}
	/* INDEX.tsv lists 22 compressed EFI images across these ROMs. */
	cr_assert_geq(images, 20, "only %d compressed EFI images decoded", images);
}
