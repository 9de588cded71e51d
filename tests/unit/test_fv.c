/* SPDX-License-Identifier: BSD-2-Clause */
/* UEFI volume walker on volumes built by the test: the valid case with its
 * container path, then truncation, bad checksums, sizes past the end,
 * nesting thousands deep, LZMA sections and an LZMA bomb. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decompress.h"
#include "fvbuild.h"
#include "testutil.h"
#include "walk.h"

#define GUID_LZMA "EE4E5898-3914-4259-9D6E-DC7BD79403CF"

/* FV > freeform file 0x11.. > raw section > ROM 1234:1111 */
static uint8_t *volume_with_rom(size_t *n)
{
	size_t rl, sl, fl;
	uint8_t *rom = fb_rom(&rl);
	uint8_t *sec = fb_section(0x19, rom, rl, &sl);
	uint8_t *file = fb_file(0x11, 0x02, sec, sl, &fl);
	uint8_t *fv = fb_volume(file, fl, 0x1000, n);
	free(rom);
	free(sec);
	free(file);
	return fv;
}

static int scan(const uint8_t *buf, size_t n, od_ctx *c, od_err *e)
{
	od_ctx_init(c, "t.fd");
	od_err_clear(e);
	return od_scan(c, od_span_make(buf, n, 0), e);
}

static bool has_diag(const od_ctx *c, bool warning, const char *needle)
{
	for (size_t i = 0; i < c->ndiags; i++) {
		char m[1024];
		od_err_str(&c->diags[i].err, m, sizeof(m));
		if (c->diags[i].warning == warning && strstr(m, needle))
			return true;
	}
	return false;
}

Test(fv, rom_in_raw_section_found_with_its_path)
{
	size_t n;
	uint8_t *fv = volume_with_rom(&n);
	od_ctx c;
	od_err e;
	cr_assert_eq(scan(fv, n, &c, &e), OD_OK, "%s", e.msg);
	cr_assert_eq(c.nhits, 1);
	cr_assert(!c.hits[0].carved);
	char path[512];
	cr_assert_str_eq(od_node_path(c.hits[0].node, path, sizeof(path)),
			 "t.fd > FV 8C8CE578 > file 11111111 > raw section > ROM 1234:1111");
	cr_assert_eq(c.hits[0].rom.off, 0x48 + 24 + 4);
	cr_assert_eq(c.ndiags, 0);
	od_ctx_free(&c);
	free(fv);
}

Test(fv, bad_header_checksum_is_a_warning_and_the_walk_goes_on)
{
	size_t n;
	uint8_t *fv = volume_with_rom(&n);
	fv[0x32] ^= 0x01;
	od_ctx c;
	od_err e;
	cr_assert_eq(scan(fv, n, &c, &e), OD_OK);
	cr_assert_eq(c.nhits, 1);
	cr_assert(has_diag(&c, true, "volume header checksum"));
	od_ctx_free(&c);
	free(fv);
}

Test(fv, bad_file_header_checksum_is_a_warning)
{
	size_t n;
	uint8_t *fv = volume_with_rom(&n);
	fv[0x48 + 0x10] ^= 0x01;
	od_ctx c;
	od_err e;
	cr_assert_eq(scan(fv, n, &c, &e), OD_OK);
	cr_assert(has_diag(&c, true, "file header checksum"));
	od_ctx_free(&c);
	free(fv);
}

Test(fv, volume_length_past_end_is_an_error_with_offset)
{
	size_t n;
	uint8_t *fv = volume_with_rom(&n);
	od_ctx c;
	od_err e;
	cr_assert_eq(scan(fv, 0x800, &c, &e), OD_OK);
	cr_assert(has_diag(&c, false, "FvLength 0x1000 runs past the end"), "diags: %zu", c.ndiags);
	/* ...and the ROM is still found by carving, marked as such. */
	cr_assert_eq(c.nhits, 1);
	cr_assert(c.hits[0].carved);
	od_ctx_free(&c);
	free(fv);
}

Test(fv, file_size_past_volume_is_an_error_naming_the_volume)
{
	size_t n;
	uint8_t *fv = volume_with_rom(&n);
	fv[0x48 + 0x16] = 0x7F; /* file size 0x7Fxxxx */
	od_ctx c;
	od_err e;
	cr_assert_eq(scan(fv, n, &c, &e), OD_OK);
	cr_assert(has_diag(&c, false, "t.fd > FV 8C8CE578 > file at 0x48: at offset 0x5c: truncated: file size"));
	od_ctx_free(&c);
	free(fv);
}

Test(fv, section_size_past_file_is_an_error_naming_the_file)
{
	size_t n;
	uint8_t *fv = volume_with_rom(&n);
	fv[0x48 + 24 + 1] = 0x40; /* raw section claims 0x4xxx bytes */
	od_ctx c;
	od_err e;
	cr_assert_eq(scan(fv, n, &c, &e), OD_OK);
	cr_assert(has_diag(&c, false, "file 11111111: at offset 0x60: truncated: section size"));
	od_ctx_free(&c);
	free(fv);
}

Test(fv, nested_thousands_deep_is_refused_by_the_depth_limit)
{
	size_t n;
	uint8_t *cur = volume_with_rom(&n);
	for (int i = 0; i < 2000; i++) {
		size_t sl, fl, vl;
		uint8_t *sec = fb_section(0x17, cur, n, &sl);
		uint8_t *file = fb_file(0x22, 0x0B, sec, sl, &fl);
		uint8_t *vol = fb_volume(file, fl, 0, &vl);
		free(cur);
		free(sec);
		free(file);
		cur = vol;
		n = vl;
	}
	od_ctx c;
	od_err e;
	int rc = scan(cur, n, &c, &e);
	cr_assert_eq(rc, OD_E_LIMIT);
	cr_assert(strstr(e.msg, "nesting depth limit"), "%s", e.msg);
	cr_assert(!strncmp(e.path, "t.fd > FV 8C8CE578 > file 22222222 > ", 37), "%s", e.path);
	cr_assert(strstr(e.msg, "--limit depth=N"), "%s", e.msg);
	od_ctx_free(&c);
	free(cur);
}

Test(fv, lzma_section_is_decoded_and_walked)
{
	size_t rl, sl, zl, gl, fl, n;
	uint8_t *rom = fb_rom(&rl);
	uint8_t *raw = fb_section(0x19, rom, rl, &sl);
	uint8_t *z = fb_lzma(raw, sl, &zl);
	uint8_t *g = fb_guid_section(GUID_LZMA, 0x01, z, zl, &gl);
	uint8_t *file = fb_file(0x33, 0x07, g, gl, &fl);
	uint8_t *fv = fb_volume(file, fl, 0, &n);
	od_ctx c;
	od_err e;
	cr_assert_eq(scan(fv, n, &c, &e), OD_OK, "%s", e.msg);
	cr_assert_eq(c.nhits, 1);
	char path[512];
	cr_assert_str_eq(od_node_path(c.hits[0].node, path, sizeof(path)),
			 "t.fd > FV 8C8CE578 > file 33333333 > GUID-defined section > LZMA > raw section > ROM 1234:1111");
	cr_assert_eq(c.hits[0].rom.off, 4, "offsets inside LZMA output are relative to it");
	/* A cut stream is an error, never a silently short buffer. */
	od_ctx_free(&c);
	g = (free(g), fb_guid_section(GUID_LZMA, 0x01, z, zl / 2, &gl));
	free(file);
	file = fb_file(0x33, 0x07, g, gl, &fl);
	free(fv);
	fv = fb_volume(file, fl, 0, &n);
	cr_assert_eq(scan(fv, n, &c, &e), OD_OK);
	cr_assert(has_diag(&c, false, "LZMA"), "cut LZMA must be reported");
	od_ctx_free(&c);
	free(rom), free(raw), free(z), free(g), free(file), free(fv);
}

Test(fv, lzma_bomb_is_refused_naming_the_limit)
{
	uint8_t zeros[4096] = { 0 };
	size_t zl, gl, fl, n;
	uint8_t *z = fb_lzma(zeros, sizeof(zeros), &zl);
	/* Claim 8 GiB in the LZMA header. */
	uint64_t big = 8ull << 30;
	memcpy(z + 5, &big, 8);
	uint8_t *g = fb_guid_section(GUID_LZMA, 0x01, z, zl, &gl);
	uint8_t *file = fb_file(0x44, 0x07, g, gl, &fl);
	uint8_t *fv = fb_volume(file, fl, 0, &n);
	od_ctx c;
	od_err e;
	cr_assert_eq(scan(fv, n, &c, &e), OD_E_LIMIT);
	cr_assert(strstr(e.msg, "limit"), "%s", e.msg);
	/* The fatal error keeps the full path down to where it happened, not
	 * just the input's name (od_err_locate), and names the flag to raise. */
	cr_assert_str_eq(e.path, "t.fd > FV 8C8CE578 > file 44444444 > GUID-defined section > LZMA");
	cr_assert(strstr(e.msg, "--limit one=MiB"), "%s", e.msg);
	cr_assert_eq(c.out_used, 0);
	od_ctx_free(&c);
	free(z), free(g), free(file), free(fv);
}

Test(fv, fiano_lzma_vectors_match_their_input)
{
	char p[512], q[512];
	if (!tu_shared("firmware/fiano-testdata/pkg_compression_testdata_random.bin", p, sizeof(p)))
		cr_skip_test("shared corpus absent; the synthetic LZMA tests stand in");
	size_t plain_len;
	uint8_t *plain = tu_read(p, &plain_len);
	const char *names[] = { "pkg_compression_testdata_random.bin.lzma", "pkg_compression_testdata_random.bin.lzma86" };
	for (int i = 0; i < 2; i++) {
		snprintf(q, sizeof(q), "firmware/fiano-testdata/%s", names[i]);
		char path[512];
		cr_assert_not_null(tu_shared(q, path, sizeof(path)));
		size_t len;
		uint8_t *z = tu_read(path, &len);
		od_ctx c;
		od_ctx_init(&c, "v");
		od_span out;
		od_err e;
		od_err_clear(&e);
		cr_assert_eq(od_lzma_decompress(&c, od_span_make(z, len, 0), i == 1, &out, &e), OD_OK, "%s: %s", names[i], e.msg);
		cr_assert_eq(out.len, plain_len);
		cr_assert(memcmp(out.p, plain, plain_len) == 0, "%s decodes to the plain input", names[i]);
		od_ctx_free(&c);
		free(z);
	}
	free(plain);
}
