/* SPDX-License-Identifier: BSD-2-Clause */
/* AMI UCP packages built from BIOSUtilities' ami_ucp_extract.py layout
 * (UafHeader: tag, u32 size, u16 word-sum checksum, 6 bytes; UafModule:
 * u32 CompressSize, u32 OriginalSize) around a real-format volume holding
 * an option ROM: stored and Tiano-compressed @ROM modules, a nested @AMI
 * UCP, one inside a flasher .exe; then the malformed cases: wrong
 * checksums, a module past the end, a zero-size module (a loop), a module
 * claiming gigabytes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fvbuild.h"
#include "tiano_compress.h"
#include "walk.h"

typedef struct ub {
	uint8_t *p;
	size_t n;
} ub;

static void add(ub *b, const void *d, size_t n)
{
	b->p = realloc(b->p, b->n + n + 1);
	memcpy(b->p + b->n, d, n);
	b->n += n;
}

static void add32(ub *b, uint32_t v)
{
	add(b, &v, 4); /* little-endian host (x86, as the tests run) */
}

static uint16_t sum16(const uint8_t *p, size_t n)
{
	uint16_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s = (uint16_t)(s + (p[i] | p[i + 1] << 8));
	return s;
}

/* Header of `tag` whose checksum field makes the n bytes at p sum to 0. */
static void fix_sum(uint8_t *p, size_t n)
{
	p[8] = p[9] = 0;
	uint16_t s = (uint16_t)-sum16(p, n);
	p[8] = (uint8_t)s, p[9] = (uint8_t)(s >> 8);
}

/* One module: header, CompressSize, OriginalSize, data (padded to even). */
static void module(ub *b, const char *tag, uint32_t comp, uint32_t orig, const uint8_t *d, size_t n)
{
	size_t at = b->n, len = 0x18 + n + (n & 1);
	add(b, tag, 4), add32(b, (uint32_t)len), add32(b, 0), add32(b, 0);
	add32(b, comp), add32(b, orig);
	add(b, d, n);
	if (n & 1)
		add(b, "", 1);
	fix_sum(b->p + at, len);
}

static ub ucp(const char *main, ub mods)
{
	ub b = { 0 };
	size_t len = 0x10 + mods.n;
	if (len < 0x400)
		len = 0x400;
	add(&b, main, 4), add32(&b, (uint32_t)len), add32(&b, 0), add32(&b, 0);
	add(&b, mods.p, mods.n);
	while (b.n < len) /* what follows the modules: zeros, not '@' */
		add(&b, "", 1);
	fix_sum(b.p, b.n);
	return b;
}

static ub fv_rom(void)
{
	size_t rl, sl, fl, n;
	uint8_t *rom = fb_rom(&rl);
	uint8_t *sec = fb_section(0x19, rom, rl, &sl);
	uint8_t *file = fb_file(0x11, 0x02, sec, sl, &fl);
	ub b = { fb_volume(file, fl, 0, &n), n };
	free(rom), free(sec), free(file);
	return b;
}

static od_ctx scan(ub b, int want)
{
	if (getenv("OD_DUMP_DIR")) { /* debugging aid (and the fuzz seeds): keep the input */
		char p[512];
		snprintf(p, sizeof(p), "%s/ucp-%zu.bin", getenv("OD_DUMP_DIR"), b.n);
		FILE *f = fopen(p, "wb");
		if (f)
			fwrite(b.p, 1, b.n, f), fclose(f);
	}
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "ucp.bin");
	od_err_clear(&e);
	cr_assert_eq(od_scan(&c, od_span_make(b.p, b.n, 0), &e), want, "%s: %s", e.path, e.msg);
	return c;
}

static bool hit(od_ctx *c, const char *want)
{
	char path[1024];
	for (size_t i = 0; i < c->nhits; i++)
		if (!c->hits[i].carved && !strcmp(od_node_path(c->hits[i].node, path, sizeof(path)), want))
			return true;
	return false;
}

static bool said(od_ctx *c, const char *what)
{
	for (size_t i = 0; i < c->ndiags; i++)
		if (strstr(c->diags[i].err.msg, what))
			return true;
	return false;
}

#define TAIL "FV 8C8CE578 > file 11111111 > raw section > ROM 1234:1111"

/* @UII, @NAL, a stored @ROM and a Tiano-compressed @R01. */
static ub standard(void)
{
	ub fv = fv_rom(), mods = { 0 };
	size_t zl;
	uint8_t *z = tc_compress(fv.p, fv.n, 5, true, &zl);
	module(&mods, "@UII", 0x10, 0x10, (const uint8_t *)"utility info....", 16);
	module(&mods, "@NAL", 28, 28, (const uint8_t *)"@ROM:BIOS.bin\n@R01:R01.bin\n", 28);
	module(&mods, "@ROM", (uint32_t)fv.n, (uint32_t)fv.n, fv.p, fv.n);
	/* A compressed module's 8 size bytes are the stream's own header. */
	uint32_t comp, orig;
	memcpy(&comp, z, 4), memcpy(&orig, z + 4, 4);
	module(&mods, "@R01", comp, orig, z + 8, zl - 8);
	ub u = ucp("@UAF", mods);
	free(fv.p), free(mods.p), free(z);
	return u;
}

Test(ucp, stored_and_tiano_modules_named_by_tag)
{
	ub u = standard();
	od_ctx c = scan(u, OD_OK);
	cr_assert(hit(&c, "ucp.bin > AMI UCP @UAF > UCP module @ROM \"BIOS.bin\" > " TAIL));
	cr_assert(hit(&c, "ucp.bin > AMI UCP @UAF > UCP module @R01 \"BIOS_01.bin\" > EFI/Tiano > " TAIL));
	cr_assert_eq(c.nhits, 2);
	cr_assert_eq(c.ndiags, 0);
	od_ctx_free(&c);
	free(u.p);
}

Test(ucp, nested_ucp_and_ucp_inside_an_exe)
{
	ub inner = standard(), mods = { 0 };
	module(&mods, "@AMI", (uint32_t)inner.n, (uint32_t)inner.n, inner.p, inner.n);
	ub outer = ucp("@HPU", mods);
	od_ctx c = scan(outer, OD_OK);
	cr_assert(hit(&c, "ucp.bin > AMI UCP @HPU > UCP module @AMI \"nested AMI UCP\" > AMI UCP @UAF > UCP module @ROM \"BIOS.bin\" > " TAIL));
	od_ctx_free(&c);
	/* In a flasher: MZ, code, the UCP at an odd place, more code. */
	ub exe = { 0 };
	add(&exe, "MZ flasher code ................", 32);
	add(&exe, "x", 1);
	add(&exe, inner.p, inner.n);
	add(&exe, "more code", 9);
	c = scan(exe, OD_OK);
	cr_assert(hit(&c, "ucp.bin > AMI UCP @UAF > UCP module @ROM \"BIOS.bin\" > " TAIL));
	od_ctx_free(&c);
	free(inner.p), free(mods.p), free(outer.p), free(exe.p);
}

Test(ucp, wrong_checksums_are_said_and_the_modules_still_read)
{
	ub u = standard();
	uint8_t *t = memmem(u.p, u.n, "utility info", 12);
	cr_assert(t);
	t[0] ^= 1; /* breaks the @UII module's sum and the whole UCP's */
	od_ctx c = scan(u, OD_OK);
	cr_assert(said(&c, "its 16-bit words sum to"));
	cr_assert(said(&c, "module @UII: its words do not sum to 0"));
	cr_assert(hit(&c, "ucp.bin > AMI UCP @UAF > UCP module @ROM \"BIOS.bin\" > " TAIL));
	od_ctx_free(&c);
	free(u.p);
}

Test(ucp, module_sizes_past_the_end_zero_or_huge)
{
	/* @R01's size past the UCP: said; the @ROM before it still found. */
	ub u = standard();
	uint8_t *r = memmem(u.p, u.n, "@R01", 4); /* first in the @NAL text */
	cr_assert(r);
	r = memmem(r + 4, u.n - (size_t)(r + 4 - u.p), "@R01", 4); /* the module */
	cr_assert(r);
	uint32_t big = 0x10000000;
	memcpy(r + 4, &big, 4);
	od_ctx c = scan(u, OD_OK);
	cr_assert(said(&c, "module @R01 of 0x10000000 bytes runs past the UCP"));
	cr_assert(hit(&c, "ucp.bin > AMI UCP @UAF > UCP module @ROM \"BIOS.bin\" > " TAIL));
	od_ctx_free(&c);
	/* Size 0 would loop on the same module: refused as too short. */
	uint32_t zero = 0;
	memcpy(r + 4, &zero, 4);
	c = scan(u, OD_OK);
	cr_assert(said(&c, "module @R01 of 0x0 bytes"));
	od_ctx_free(&c);
	free(u.p);
	/* A compressed module whose stream claims 3 GiB: the limits refuse it
	 * before anything is allocated. */
	ub mods = { 0 };
	uint8_t junk[64];
	memset(junk, 0x5A, sizeof(junk));
	module(&mods, "@ROM", 64, 0xC0000000u, junk, sizeof(junk));
	u = ucp("@UAF", mods);
	c = scan(u, OD_E_LIMIT);
	cr_assert_eq(c.out_used, 0);
	od_ctx_free(&c);
	free(mods.p), free(u.p);
	/* A stored module stating more than it holds. */
	mods = (ub){ 0 };
	module(&mods, "@ROM", 0x1000, 0x1000, junk, sizeof(junk));
	u = ucp("@UAF", mods);
	c = scan(u, OD_OK);
	cr_assert(said(&c, "module @ROM: 0x1000 bytes stated, 0x40 present"));
	od_ctx_free(&c);
	free(mods.p), free(u.p);
}
