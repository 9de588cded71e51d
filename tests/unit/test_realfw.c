/* SPDX-License-Identifier: BSD-2-Clause */
/* The two classes of bug real firmware showed (issue 13), on inputs built
 * from the published layouts so a fresh clone covers them:
 * - a Framework (revision 1) volume header, whose bytes at 0x34 are reserved
 *   and, in Apple images, hold what a revision-2 reader takes for an
 *   ExtHeaderOffset (Framework FV spec 0.9 vs PI 1.8 vol. 3 sec. 3.2.1);
 * - a type-1 compressed section whose stream decodes without error as both
 *   EFI 1.1 and Tiano, only one of them giving a section stream. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "decompress.h"
#include "fvbuild.h"
#include "tiano_compress.h"
#include "walk.h"

static uint16_t sum16(const uint8_t *p, size_t n)
{
	uint16_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s = (uint16_t)(s + (p[i] | p[i + 1] << 8));
	return s;
}

/* Revision 1 header with 0x34..0x36 set as a Framework image may: 0x48 reads
 * as an ExtHeaderOffset pointing at the first file, whose bytes then give a
 * nonsense extended-header size. Header checksum fixed up. */
static void make_rev1(uint8_t *fv)
{
	fv[0x34] = 0x48;
	fv[0x35] = 0x00;
	fv[0x36] = 0x00;
	fv[0x37] = 1;
	fv[0x32] = fv[0x33] = 0;
	uint16_t s = sum16(fv, 0x48);
	uint16_t fix = (uint16_t)(0x10000 - s);
	fv[0x32] = (uint8_t)fix;
	fv[0x33] = (uint8_t)(fix >> 8);
}

static uint8_t *rom_volume(const uint8_t *sections, size_t len, size_t *n)
{
	size_t fl;
	uint8_t *file = fb_file(0x11, 0x02, sections, len, &fl);
	uint8_t *fv = fb_volume(file, fl, 0x2000, n);
	free(file);
	return fv;
}

/* First node of `kind` (or, kind NULL, labelled `label`) in tree order. */
static const od_node *find_node(const od_node *n, const char *kind, const char *label)
{
	for (; n; n = n->next) {
		if (kind ? !strcmp(od_kind_name(n->kind), kind) : !strcmp(n->label, label))
			return n;
		const od_node *k = find_node(n->first, kind, label);
		if (k)
			return k;
	}
	return NULL;
}

Test(realfw, revision1_reserved_bytes_are_not_an_extended_header)
{
	size_t rl, sl, n;
	uint8_t *rom = fb_rom(&rl);
	uint8_t *sec = fb_section(0x19, rom, rl, &sl);
	uint8_t *fv = rom_volume(sec, sl, &n);
	make_rev1(fv);
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "rev1.fd");
	od_err_clear(&e);
	cr_assert_eq(od_scan(&c, od_span_make(fv, n, 0), &e), OD_OK, "%s", e.msg);
	cr_assert_eq(c.ndiags, 0, "revision 1 volume gave a diagnostic: %s", c.ndiags ? c.diags[0].err.msg : "");
	cr_assert_eq(c.nhits, 1);
	cr_assert(!c.hits[0].carved, "the ROM must be found by structure, not by carving");
	od_ctx_free(&c);
	free(rom);
	free(sec);
	free(fv);
}

Test(realfw, revision2_extended_header_inside_the_header_is_ignored_with_a_warning)
{
	size_t rl, sl, n;
	uint8_t *rom = fb_rom(&rl);
	uint8_t *sec = fb_section(0x19, rom, rl, &sl);
	uint8_t *fv = rom_volume(sec, sl, &n);
	make_rev1(fv);
	fv[0x34] = 0x10; /* inside the header */
	fv[0x37] = 2;
	fv[0x32] = fv[0x33] = 0;
	uint16_t fix = (uint16_t)(0x10000 - sum16(fv, 0x48));
	fv[0x32] = (uint8_t)fix;
	fv[0x33] = (uint8_t)(fix >> 8);
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "rev2.fd");
	od_err_clear(&e);
	cr_assert_eq(od_scan(&c, od_span_make(fv, n, 0), &e), OD_OK, "%s", e.msg);
	cr_assert_eq(c.nhits, 1);
	cr_assert_eq(c.ndiags, 1);
	cr_assert(c.diags[0].warning);
	cr_assert(strstr(c.diags[0].err.msg, "ExtHeaderOffset"), "%s", c.diags[0].err.msg);
	od_ctx_free(&c);
	free(rom);
	free(sec);
	free(fv);
}

/* EFI_COMPRESSION_SECTION of type 1 around `stream`. */
static uint8_t *compressed_section(const uint8_t *stream, size_t len, uint32_t ulen, size_t *n)
{
	uint8_t *body = malloc(5 + len);
	memcpy(body, &ulen, 4);
	body[4] = 1;
	memcpy(body + 5, stream, len);
	uint8_t *s = fb_section(0x01, body, 5 + len, n);
	free(body);
	return s;
}

/* raw section > ROM, type-1 compressed with PBIT pbit; the premise (both
 * variants decode without error, to different bytes) is asserted. */
static uint8_t *ambiguous_rom_section(unsigned pbit, size_t *n)
{
	size_t rl, sl, cl;
	uint8_t *rom = fb_rom(&rl);
	uint8_t *raw = fb_section(0x19, rom, rl, &sl);
	uint8_t *cs = tc_compress_runs(raw, sl, pbit, &cl);
	uint8_t *a = malloc(sl), *b = malloc(sl);
	od_err e;
	cr_assert_eq(od_efi_decompress_buf(od_span_make(cs, cl, 0), OD_EFI_V1, a, sl, &e), OD_OK, "%s", e.msg);
	cr_assert_eq(od_efi_decompress_buf(od_span_make(cs, cl, 0), OD_EFI_TIANO, b, sl, &e), OD_OK, "%s", e.msg);
	cr_assert_neq(memcmp(a, b, sl), 0, "premise: the two variants give different bytes");
	cr_assert_eq(memcmp(pbit == 5 ? b : a, raw, sl), 0);
	uint8_t *sec = compressed_section(cs, cl, (uint32_t)sl, n);
	free(a);
	free(b);
	free(rom);
	free(raw);
	free(cs);
	return sec;
}

static void expect_rom_under(unsigned pbit, const char *kind)
{
	size_t sl, n;
	uint8_t *sec = ambiguous_rom_section(pbit, &sl);
	uint8_t *fv = rom_volume(sec, sl, &n);
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "t1.fd");
	od_err_clear(&e);
	cr_assert_eq(od_scan(&c, od_span_make(fv, n, 0), &e), OD_OK, "%s", e.msg);
	cr_assert_eq(c.ndiags, 0, "%s", c.ndiags ? c.diags[0].err.msg : "");
	cr_assert_eq(c.nhits, 1);
	cr_assert(!c.hits[0].carved);
	const od_node *d = find_node(c.root, kind, NULL);
	cr_assert(d, "no %s node", kind);
	cr_assert(strstr(d->parent->info, "output parses as sections"), "--tree must say why: %s", d->parent->info);
	od_ctx_free(&c);
	free(sec);
	free(fv);
}

Test(realfw, type1_stream_valid_under_both_variants_keeps_the_tiano_one_that_parses)
{
	expect_rom_under(5, "Tiano");
}

Test(realfw, type1_stream_valid_under_both_variants_keeps_the_efi11_one_that_parses)
{
	expect_rom_under(4, "EFI 1.1");
}

/* Both variants decode 3 zero bytes (no section: both parse), so the tie is
 * broken by the variant the image's other type-1 section used: EFI 1.1
 * here, although Tiano is the default (and is tried first without votes). */
Test(realfw, type1_tie_goes_to_the_variant_the_image_uses)
{
	size_t s1, s2, cl;
	uint8_t *first = ambiguous_rom_section(4, &s1);
	uint8_t zeros[3] = { 0 };
	uint8_t *cs = tc_compress_runs(zeros, 3, 5, &cl);
	uint8_t *second = compressed_section(cs, cl, 3, &s2);
	size_t f1, f2, n;
	uint8_t *file1 = fb_file(0x11, 0x02, first, s1, &f1);
	uint8_t *file2 = fb_file(0x22, 0x02, second, s2, &f2);
	size_t pad = (f1 + 7) & ~(size_t)7;
	uint8_t *files = calloc(1, pad + f2);
	memset(files, 0xFF, pad);
	memcpy(files, file1, f1);
	memcpy(files + pad, file2, f2);
	uint8_t *fv = fb_volume(files, pad + f2, 0x2000, &n);
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "tie.fd");
	od_err_clear(&e);
	cr_assert_eq(od_scan(&c, od_span_make(fv, n, 0), &e), OD_OK, "%s", e.msg);
	cr_assert_eq(c.ndiags, 0, "%s", c.ndiags ? c.diags[0].err.msg : "");
	cr_assert_eq(c.nhits, 1);
	const od_node *f = find_node(c.root, NULL, "file 22222222");
	cr_assert(f);
	const od_node *d = find_node(f->first, "EFI 1.1", NULL);
	cr_assert(d, "the tie must follow the image (EFI 1.1), not the default");
	cr_assert(strstr(d->parent->info, "the variant this image's other sections use"), "%s", d->parent->info);
	od_ctx_free(&c);
	free(first);
	free(cs);
	free(second);
	free(file1);
	free(file2);
	free(files);
	free(fv);
}
