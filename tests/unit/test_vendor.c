/* SPDX-License-Identifier: BSD-2-Clause */
/* Vendor containers built by the test from their published layouts around a
 * real-format volume holding an option ROM: each must yield the ROM with
 * the container path; then the malformed cases and bombs. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lzma.h>
#include <zlib.h>

#include "fvbuild.h"
#include "layout/uefi.h"
#include "layout/vendor.h"
#include "walk.h"

typedef struct blob {
	uint8_t *p;
	size_t n, cap; /* cap 0: p holds exactly n (a blob made by hand) */
} blob;

static void put(blob *b, const void *d, size_t n)
{
	if (n == 0)
		return;
	if (b->n + n > b->cap) { /* grow geometrically: bombs are built from 4096 pieces */
		size_t cap = b->cap * 2 > b->n + n ? b->cap * 2 : b->n + n + 4096;
		b->p = realloc(b->p, cap);
		b->cap = cap;
	}
	memcpy(b->p + b->n, d, n);
	b->n += n;
}

static void put32(blob *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
	put(b, x, 4);
}

static void put16(blob *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
	put(b, x, 2);
}

/* One header through its layout writer (parsers/layout/), zero-filled. */
#define PUT_HDR(b, tag, h)                        \
	do {                                      \
		uint8_t hb_[tag##_SIZE] = { 0 };  \
		tag##_write(&(h), hb_);           \
		put((b), hb_, tag##_SIZE);        \
	} while (0)

/* DellPfsEntryR1 (parsers/layout/vendor.h) with the four sizes. */
static void put_pfs_entry_hdr(blob *b, const uint8_t guid[16], uint32_t data, uint32_t sig, uint32_t meta)
{
	od_pfs_entry h = { .header_version = 1, .data_size = data, .data_sig_size = sig, .meta_size = meta };
	memcpy(h.guid.b, guid, 16);
	PUT_HDR(b, od_pfs_entry, h);
}

/* "PFS.HDR.", the body, then the footer (size, ~CRC32, "PFS.FTR."). */
static blob pfs_wrap(blob body)
{
	blob b = { 0 };
	od_pfs_hdr h = { .version = 1, .payload_size = (uint32_t)body.n };
	od_pfs_ftr f = { .payload_size = (uint32_t)body.n, .checksum = ~(uint32_t)crc32(0, body.p, (uInt)body.n) };
	memcpy(h.tag, OD_PFS_HDR_TAG, 8);
	memcpy(f.tag, OD_PFS_FTR_TAG, 8);
	PUT_HDR(&b, od_pfs_hdr, h);
	put(&b, body.p, body.n);
	PUT_HDR(&b, od_pfs_ftr, f);
	return b;
}

static blob fv_with_rom(void)
{
	size_t rl, sl, fl, n;
	uint8_t *rom = fb_rom(&rl);
	uint8_t *sec = fb_section(0x19, rom, rl, &sl);
	uint8_t *file = fb_file(0x11, 0x02, sec, sl, &fl);
	blob b = { fb_volume(file, fl, 0, &n), n, 0 };
	free(rom), free(sec), free(file);
	return b;
}

static const char *scan_path(blob b, od_ctx *c, char *path, size_t n)
{
	od_err e;
	od_ctx_init(c, "pkg");
	od_err_clear(&e);
	int rc = od_scan(c, od_span_make(b.p, b.n, 0), &e);
	cr_assert_eq(rc, OD_OK, "%s", e.msg);
	if (c->nhits != 1)
		return "(no single ROM)";
	return od_node_path(c->hits[0].node, path, n);
}

#define FV_TAIL "FV 8C8CE578 > file 11111111 > raw section > ROM 1234:1111"

static void expect_path(blob b, const char *want)
{
	if (getenv("OD_DUMP_DIR")) { /* debugging aid: keep the built container */
		char p[512];
		snprintf(p, sizeof(p), "%s/%zu.bin", getenv("OD_DUMP_DIR"), b.n);
		FILE *f = fopen(p, "wb");
		if (f)
			fwrite(b.p, 1, b.n, f), fclose(f);
	}
	od_ctx c;
	char path[1024];
	cr_assert_str_eq(scan_path(b, &c, path, sizeof(path)), want);
	cr_assert(!c.hits[0].carved);
	od_ctx_free(&c);
}

static blob capsule(const char *guid, blob payload, uint32_t hdr)
{
	blob b = { 0 };
	b.p = fb_capsule(guid, false, hdr, 0, 0, payload.p, payload.n, &b.n);
	return b;
}

Test(vendor, efi_capsule)
{
	blob fv = fv_with_rom();
	blob cap = capsule("3B6686BD-0D76-4030-B70E-B5519E2FC5A0", fv, 0x20);
	expect_path(cap, "pkg > EFI capsule > " FV_TAIL);
	/* Image size past the end: refused with its offset. */
	cap.p[24] = 0xFF, cap.p[25] = 0xFF, cap.p[26] = 0xFF;
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "pkg");
	od_err_clear(&e);
	od_scan(&c, od_span_make(cap.p, cap.n, 0), &e);
	cr_assert_geq(c.ndiags, 1);
	cr_assert(strstr(c.diags[0].err.msg, "runs past the end"), "%s", c.diags[0].err.msg);
	cr_assert_eq(c.diags[0].err.off, 24);
	od_ctx_free(&c);
	free(fv.p), free(cap.p);
}

Test(vendor, ami_aptio_capsule_uses_rom_image_offset)
{
	blob fv = fv_with_rom();
	blob cap = capsule("4A3CA68B-7723-48FB-803D-578CC1FEC44D", fv, 0x1C);
	/* Insert the u16 RomImageOffset/RomLayoutOffset and 0x400 of signature. */
	blob b = { 0 };
	put(&b, cap.p, 0x1C);
	put16(&b, 0x420);
	put16(&b, 0);
	while (b.n < 0x420)
		put(&b, "\xA5", 1);
	put(&b, fv.p, fv.n);
	b.p[24] = (uint8_t)b.n, b.p[25] = (uint8_t)(b.n >> 8), b.p[26] = (uint8_t)(b.n >> 16);
	expect_path(b, "pkg > AMI Aptio signed capsule > " FV_TAIL);
	free(fv.p), free(cap.p), free(b.p);
}

Test(vendor, fmp_capsule_item_with_payload_header)
{
	blob fv = fv_with_rom();
	size_t mn, in, imgn;
	uint8_t *mss = fb_fmp_payload(0, 0, &mn);
	uint8_t *img = fb_cat(mss, mn, fv.p, fv.n, &imgn);
	blob item = { 0 }, fmp = { 0 };
	item.p = fb_fmp_item(2, "12345678-1234-1234-1234-123456789ABC", 1, img, imgn, &in);
	item.n = in;
	fmp.p = fb_fmp(item.p, item.n, &fmp.n);
	free(mss), free(img);
	blob cap = capsule("6DCBD5ED-E82D-4C44-BDA1-7194199AD92A", fmp, 0x20);
	expect_path(cap, "pkg > FMP capsule > FMP image 0 > " FV_TAIL);
	free(fv.p), free(item.p), free(fmp.p), free(cap.p);
}

static blob iflash(blob payload, const char *tag)
{
	blob b = { 0 };
	put(&b, "MZ junk before the block", 24);
	put(&b, "$_IFLASH", 8);
	put(&b, tag, 8);
	put32(&b, (uint32_t)payload.n + 0x18);
	put32(&b, (uint32_t)payload.n);
	put(&b, payload.p, payload.n);
	return b;
}

Test(vendor, insyde_iflash_block)
{
	blob fv = fv_with_rom();
	blob b = iflash(fv, "_BIOSIMG");
	expect_path(b, "pkg > Insyde $_IFLASH_BIOSIMG > " FV_TAIL);
	/* A size of 0xFFFFFFFF is refused, named, with its offset. */
	b.p[24 + 0x14] = b.p[24 + 0x15] = b.p[24 + 0x16] = b.p[24 + 0x17] = 0xFF;
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "pkg");
	od_err_clear(&e);
	od_scan(&c, od_span_make(b.p, b.n, 0), &e);
	bool named = false;
	for (size_t i = 0; i < c.ndiags; i++)
		named |= strstr(c.diags[i].err.msg, "$_IFLASH_BIOSIMG: image size 0xffffffff") != NULL;
	cr_assert(named);
	od_ctx_free(&c);
	free(fv.p), free(b.p);
}

static blob pfs(blob data, int depth)
{
	blob body = { 0 };
	uint8_t g[16];
	memset(g, 0x22, 16);
	put_pfs_entry_hdr(&body, g, (uint32_t)data.n, 0, 0);
	cr_assert_eq(body.n, 0x48);
	put(&body, data.p, data.n);
	blob b = pfs_wrap(body);
	free(body.p);
	if (depth > 1) {
		blob inner = pfs(b, depth - 1);
		free(b.p);
		return inner;
	}
	return b;
}

static blob dell_exe(blob pfsdata)
{
	uLongf zl = compressBound(pfsdata.n);
	uint8_t *z = malloc(zl);
	cr_assert_eq(compress2(z, &zl, pfsdata.p, pfsdata.n, 9), Z_OK);
	blob b = { 0 };
	put(&b, "MZ dell flasher stub......", 26);
	put(&b, "\xEE\xAA\x76\x1B\xEC\xBB\x20\xF1\xE6\x51", 10);
	put(&b, "\x01", 1);
	put(&b, z, zl);
	put(&b, "trailing", 8);
	free(z);
	return b;
}

Test(vendor, dell_pfs_in_zlib_section_nested)
{
	blob fv = fv_with_rom();
	blob p = pfs(fv, 2);
	blob exe = dell_exe(p);
	expect_path(exe, "pkg > Dell zlib section > Dell PFS > PFS entry 22222222 > Dell PFS > PFS entry 22222222 > " FV_TAIL);
	free(fv.p), free(p.p), free(exe.p);
}

Test(vendor, dell_pfs_nested_too_deep_hits_the_depth_limit)
{
	blob fv = fv_with_rom();
	blob p = pfs(fv, 60);
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "pkg");
	od_err_clear(&e);
	cr_assert_eq(od_scan(&c, od_span_make(p.p, p.n, 0), &e), OD_E_LIMIT);
	cr_assert(strstr(e.msg, "nesting depth limit"), "%s", e.msg);
	od_ctx_free(&c);
	free(fv.p), free(p.p);
}

/* A zip with one entry (stored or deflated) holding data. */
static blob zip(blob data, bool deflated, const char *name)
{
	uint8_t *z = data.p;
	uLongf zl = data.n;
	if (deflated) {
		z_stream s;
		memset(&s, 0, sizeof(s));
		deflateInit2(&s, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
		zl = deflateBound(&s, data.n);
		z = malloc(zl);
		s.next_in = data.p, s.avail_in = (uInt)data.n, s.next_out = z, s.avail_out = (uInt)zl;
		deflate(&s, Z_FINISH);
		zl = s.total_out;
		deflateEnd(&s);
	}
	uint32_t crc = (uint32_t)crc32(0, data.p, (uInt)data.n);
	uint16_t nl = (uint16_t)strlen(name);
	blob b = { 0 };
	put(&b, "PK\x03\x04", 4), put16(&b, 20), put16(&b, 0), put16(&b, deflated ? 8 : 0), put32(&b, 0);
	put32(&b, crc), put32(&b, (uint32_t)zl), put32(&b, (uint32_t)data.n), put16(&b, nl), put16(&b, 0);
	put(&b, name, nl);
	put(&b, z, zl);
	uint32_t cd = (uint32_t)b.n;
	put(&b, "PK\x01\x02", 4), put16(&b, 20), put16(&b, 20), put16(&b, 0), put16(&b, deflated ? 8 : 0), put32(&b, 0);
	put32(&b, crc), put32(&b, (uint32_t)zl), put32(&b, (uint32_t)data.n), put16(&b, nl), put16(&b, 0), put16(&b, 0);
	put16(&b, 0), put16(&b, 0), put32(&b, 0), put32(&b, 0);
	put(&b, name, nl);
	uint32_t cdsize = (uint32_t)b.n - cd;
	put(&b, "PK\x05\x06", 4), put16(&b, 0), put16(&b, 0), put16(&b, 1), put16(&b, 1);
	put32(&b, cdsize), put32(&b, cd), put16(&b, 0);
	if (deflated)
		free(z);
	return b;
}

Test(vendor, zip_stored_and_deflated_and_nested)
{
	blob fv = fv_with_rom();
	blob a = zip(fv, false, "bios.fd");
	expect_path(a, "pkg > zip > zip entry \"bios.fd\" > " FV_TAIL);
	blob d = zip(fv, true, "bios.fd");
	expect_path(d, "pkg > zip > zip entry \"bios.fd\" > " FV_TAIL); /* libarchive inflates: no node of its own */
	blob n = zip(d, true, "inner.zip");
	expect_path(n, "pkg > zip > zip entry \"inner.zip\" > zip > zip entry \"bios.fd\" > " FV_TAIL);
	free(fv.p), free(a.p), free(d.p), free(n.p);
}

Test(vendor, zip_bomb_is_refused_naming_the_limit)
{
	blob zeros = { calloc(1, 40u << 20), 40u << 20, 0 };
	blob z = zip(zeros, true, "zeros.bin");
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "bomb.zip");
	c.lim.max_out_one = 16u << 20;
	od_err_clear(&e);
	cr_assert_eq(od_scan(&c, od_span_make(z.p, z.n, 0), &e), OD_E_LIMIT);
	cr_assert(strstr(e.msg, "limit"), "%s", e.msg);
	cr_assert_eq(c.out_used, 0, "a refused bomb allocates nothing");
	od_ctx_free(&c);
	free(zeros.p), free(z.p);
}

/* Raw deflate of DATA (no header), for building zip entries by hand. */
static blob deflate_raw(blob data)
{
	z_stream s;
	memset(&s, 0, sizeof(s));
	deflateInit2(&s, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	blob z = { malloc(deflateBound(&s, data.n)), 0, 0 };
	s.next_in = data.p, s.avail_in = (uInt)data.n, s.next_out = z.p, s.avail_out = (uInt)deflateBound(&s, data.n);
	deflate(&s, Z_FINISH);
	z.n = s.total_out;
	deflateEnd(&s);
	return z;
}

/* A zip of COPIES deflated entries, each its own copy of DATA's compressed
 * bytes (so no two entries share data: the 42.zip shape, not the overlap
 * trick refused above). Sizes are honest. */
static blob zip_copies(blob data, int copies)
{
	blob z = deflate_raw(data), b = { 0 }, cd = { 0 };
	uint32_t crc = (uint32_t)crc32(0, data.p, (uInt)data.n);
	for (int i = 0; i < copies; i++) {
		char name[8];
		snprintf(name, sizeof(name), "c%02d", i);
		uint32_t at = (uint32_t)b.n;
		put(&b, "PK\x03\x04", 4), put16(&b, 20), put16(&b, 0), put16(&b, 8), put32(&b, 0);
		put32(&b, crc), put32(&b, (uint32_t)z.n), put32(&b, (uint32_t)data.n), put16(&b, 3), put16(&b, 0);
		put(&b, name, 3), put(&b, z.p, z.n);
		put(&cd, "PK\x01\x02", 4), put16(&cd, 20), put16(&cd, 20), put16(&cd, 0), put16(&cd, 8), put32(&cd, 0);
		put32(&cd, crc), put32(&cd, (uint32_t)z.n), put32(&cd, (uint32_t)data.n), put16(&cd, 3), put16(&cd, 0);
		put16(&cd, 0), put16(&cd, 0), put16(&cd, 0), put32(&cd, 0), put32(&cd, at);
		put(&cd, name, 3);
	}
	uint32_t cdoff = (uint32_t)b.n;
	put(&b, cd.p, cd.n);
	put(&b, "PK\x05\x06", 4), put16(&b, 0), put16(&b, 0), put16(&b, (uint16_t)copies), put16(&b, (uint16_t)copies);
	put32(&b, (uint32_t)cd.n), put32(&b, cdoff), put16(&b, 0);
	free(z.p), free(cd.p);
	return b;
}

Test(vendor, nested_zip_bomb_of_4_gib_is_refused_by_the_total_limit)
{
	/* 16 x 16 x 16 MiB of zeros = 4 GiB from a file of a few KB. The limits
	 * are lowered so the test stays light; the defaults refuse it the same
	 * way at 1 GiB. */
	blob zeros = { calloc(1, 16u << 20), 16u << 20, 0 };
	blob l1 = zip_copies(zeros, 16);
	blob l2 = zip_copies(l1, 16);
	cr_assert_lt(l2.n, 64u << 10, "the bomb is %zu bytes", l2.n);
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "42.zip");
	c.lim.max_out_total = 64u << 20;
	od_err_clear(&e);
	cr_assert_eq(od_scan(&c, od_span_make(l2.p, l2.n, 0), &e), OD_E_LIMIT);
	cr_assert(strstr(e.msg, "--limit total=MiB"), "%s", e.msg);
	cr_assert(!strncmp(e.path, "42.zip > zip > zip entry \"c", 27), "%s", e.path);
	cr_assert_leq(c.out_used, 64u << 20, "never past the limit: %llu", (unsigned long long)c.out_used);
	od_ctx_free(&c);
	free(zeros.p), free(l1.p), free(l2.p);
}

/* A raw deflate stream (RFC 1951) of `mib` MiB of zeros: 1 MiB deflated
 * with a full flush is a byte-aligned, self-contained run of blocks, so
 * copies of it and a final empty block make one valid stream, about 1 KB per
 * MiB. Only a bomb can be built this way: nothing here inflates it. */
static void put_zero_deflate(blob *b, int mib)
{
	uint8_t *zeros = calloc(1, 1u << 20);
	z_stream s;
	memset(&s, 0, sizeof(s));
	deflateInit2(&s, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	uint8_t chunk[8192], fin[64];
	s.next_in = zeros, s.avail_in = 1u << 20, s.next_out = chunk, s.avail_out = sizeof(chunk);
	cr_assert_eq(deflate(&s, Z_FULL_FLUSH), Z_OK);
	size_t cl = sizeof(chunk) - s.avail_out;
	s.next_out = fin, s.avail_out = sizeof(fin);
	cr_assert_eq(deflate(&s, Z_FINISH), Z_STREAM_END);
	deflateEnd(&s);
	for (int i = 0; i < mib; i++)
		put(b, chunk, cl);
	put(b, fin, sizeof(fin) - s.avail_out);
	free(zeros);
}

Test(vendor, nested_gzip_bomb_of_4_gib_is_refused_under_the_default_limits)
{
	/* The inner stream: 4 GiB of zeros in about 4 MB of deflate (RFC 1951
	 * 3.2.3). Wrapped in gzip, and that gzipped again: a few KB. */
	blob inner = { 0 };
	put(&inner, "\x1f\x8b\x08\0\0\0\0\0\0\xff", 10);
	put_zero_deflate(&inner, 4096);
	put32(&inner, 0), put32(&inner, 0); /* CRC and size of 4 GiB: never reached */
	z_stream s;
	memset(&s, 0, sizeof(s));
	deflateInit2(&s, 9, Z_DEFLATED, MAX_WBITS + 16, 8, Z_DEFAULT_STRATEGY);
	blob outer = { malloc(deflateBound(&s, inner.n)), 0, 0 };
	s.next_in = inner.p, s.avail_in = (uInt)inner.n, s.next_out = outer.p, s.avail_out = (uInt)deflateBound(&s, inner.n);
	cr_assert_eq(deflate(&s, Z_FINISH), Z_STREAM_END);
	outer.n = s.total_out;
	deflateEnd(&s);
	cr_assert_lt(outer.n, 64u << 10, "the bomb is %zu bytes", outer.n);
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "bomb.gz");
	od_err_clear(&e);
	cr_assert_eq(od_scan(&c, od_span_make(outer.p, outer.n, 0), &e), OD_E_LIMIT);
	cr_assert(strstr(e.msg, "inflated data exceeds 268435456 bytes, the single-buffer limit (--limit one=MiB)"), "%s", e.msg);
	cr_assert_str_eq(e.path, "bomb.gz > gzip > gzip");
	/* Counted before allocating: only the outer stream's few MB were kept. */
	cr_assert_eq(c.out_used, inner.n, "%llu", (unsigned long long)c.out_used);
	od_ctx_free(&c);
	free(inner.p), free(outer.p);
}

Test(vendor, zip_entry_that_inflates_past_its_stated_size_spoils_that_entry_only)
{
	blob fv = fv_with_rom();
	blob d = zip(fv, true, "bios.fd");
	uint32_t small = 100;
	size_t eocd = d.n - 22;
	uint32_t cd = (uint32_t)(d.p[eocd + 16] | d.p[eocd + 17] << 8 | d.p[eocd + 18] << 16);
	memcpy(d.p + 22, &small, 4);      /* local header: uncompressed size */
	memcpy(d.p + cd + 24, &small, 4); /* central record: the same */
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "pkg");
	od_err_clear(&e);
	cr_assert_eq(od_scan(&c, od_span_make(d.p, d.n, 0), &e), OD_OK, "not fatal: %s", e.msg);
	/* libarchive's zip reader checks the size at the end of the stream. */
	bool said = false;
	for (size_t i = 0; i < c.ndiags; i++)
		said |= strstr(c.diags[i].err.msg, "wrong size") && strstr(c.diags[i].err.msg, "expected 100") &&
			strstr(c.diags[i].err.path, "zip entry \"bios.fd\"");
	cr_assert(said);
	od_ctx_free(&c);
	free(fv.p), free(d.p);
}

Test(vendor, zip_overlapping_entries_are_refused)
{
	blob fv = fv_with_rom();
	blob a = zip(fv, false, "a.fd");
	/* Duplicate the central record (count 2): both point at the same data. */
	size_t eocd = a.n - 22;
	uint32_t cd = (uint32_t)(a.p[eocd + 16] | a.p[eocd + 17] << 8 | a.p[eocd + 18] << 16);
	size_t cdlen = eocd - cd;
	blob b = { 0 };
	put(&b, a.p, eocd);
	put(&b, a.p + cd, cdlen);
	put(&b, a.p + eocd, 22);
	b.p[b.n - 22 + 8] = 2, b.p[b.n - 22 + 10] = 2;
	uint32_t sz = (uint32_t)(2 * cdlen);
	memcpy(b.p + b.n - 22 + 12, &sz, 4);
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "pkg");
	od_err_clear(&e);
	od_scan(&c, od_span_make(b.p, b.n, 0), &e);
	bool loop = false;
	for (size_t i = 0; i < c.ndiags; i++)
		loop |= strstr(c.diags[i].err.msg, "overlaps another entry") != NULL;
	cr_assert(loop);
	od_ctx_free(&c);
	free(fv.p), free(a.p), free(b.p);
}

Test(vendor, gzip_stream)
{
	blob fv = fv_with_rom();
	z_stream s;
	memset(&s, 0, sizeof(s));
	deflateInit2(&s, 9, Z_DEFLATED, MAX_WBITS + 16, 8, Z_DEFAULT_STRATEGY);
	uint8_t *out = malloc(fv.n + 1024);
	s.next_in = fv.p, s.avail_in = (uInt)fv.n, s.next_out = out, s.avail_out = (uInt)fv.n + 1024;
	deflate(&s, Z_FINISH);
	blob g = { out, s.total_out, 0 };
	deflateEnd(&s);
	expect_path(g, "pkg > gzip > " FV_TAIL);
	free(fv.p), free(g.p);
}

/* A minimal PE32+ with one section; payload in a section or the overlay. */
static blob pe(blob section, const char *secname, blob overlay)
{
	blob b = { 0 };
	put(&b, "MZ", 2);
	while (b.n < 0x3C)
		put(&b, "\0", 1);
	put32(&b, 0x40);
	put(&b, "PE\0\0", 4);
	put16(&b, 0x8664), put16(&b, 1), put32(&b, 0), put32(&b, 0), put32(&b, 0), put16(&b, 0xF0), put16(&b, 0x22);
	size_t opt = b.n;
	put16(&b, 0x20B);
	while (b.n < opt + 0xF0)
		put(&b, "\0", 1);
	uint32_t raw = 0x200, vsize = (uint32_t)section.n;
	memcpy(b.p + opt + 32, &(uint32_t){ 0x1000 }, 4);           /* SectionAlignment */
	memcpy(b.p + opt + 56, &(uint32_t){ 0x1000 + ((vsize + 0xFFF) & ~0xFFFu) }, 4); /* SizeOfImage */
	memcpy(b.p + opt + 60, &raw, 4);                              /* SizeOfHeaders */
	char nm[8] = { 0 };
	memcpy(nm, secname, strlen(secname) < 8 ? strlen(secname) : 8);
	put(&b, nm, 8), put32(&b, vsize), put32(&b, 0x1000), put32(&b, (uint32_t)section.n), put32(&b, raw);
	put(&b, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	while (b.n < raw)
		put(&b, "\0", 1);
	put(&b, section.p, section.n);
	put(&b, overlay.p, overlay.n);
	return b;
}

Test(vendor, pe_overlay_and_sections_are_walked)
{
	blob fv = fv_with_rom();
	blob filler = { (uint8_t *)"plain section data", 18, 0 };
	blob inner = iflash(fv, "_BIOSIMG");
	blob exe = pe(filler, ".rsrc", inner);
	expect_path(exe, "pkg > PE image > PE overlay > Insyde $_IFLASH_BIOSIMG > " FV_TAIL);
	blob none = { 0 };
	blob exe2 = pe(fv, ".data", none);
	expect_path(exe2, "pkg > PE image > PE section .data > " FV_TAIL);
	free(fv.p), free(inner.p), free(exe.p), free(exe2.p);
}

Test(vendor, upx_is_reported_not_silently_ignored)
{
	blob filler = { (uint8_t *)"packed bytes.....", 17, 0 };
	blob none = { 0 };
	blob exe = pe(filler, "UPX0", none);
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "pkg.exe");
	od_err_clear(&e);
	cr_assert_eq(od_scan(&c, od_span_make(exe.p, exe.n, 0), &e), OD_OK);
	cr_assert_geq(c.ndiags, 1);
	cr_assert(strstr(c.diags[0].err.msg, "UPX-packed executable: unpack it with its own tool"), "%s", c.diags[0].err.msg);
	cr_assert(!c.diags[0].warning);
	od_ctx_free(&c);
	free(exe.p);
}

/* A BIOS Guard RSA3k signature block (version 3, type 5). */
static void put_bg_sig(blob *b)
{
	od_bg_sig h = { .version = 3, .type = 5 };
	PUT_HDR(b, od_bg_sig, h);
	for (int i = 0; i < 384; i++)
		put(b, "\x5A", 1);
	put(b, "\x01\0\x01\0", 4);
	for (int i = 0; i < 384; i++)
		put(b, "\xA5", 1);
}

Test(vendor, aptio_capsule_with_interleaved_bios_guard_signatures)
{
	blob fv = fv_with_rom();
	blob img = { 0 };
	for (size_t at = 0; at < fv.n; at += 0x200) {
		put(&img, fv.p + at, fv.n - at < 0x200 ? fv.n - at : 0x200);
		put_bg_sig(&img);
	}
	blob b = { 0 };
	od_capsule_aptio h = { .header_size = 0x1C, .image_size = (uint32_t)(0x20 + img.n), .rom_image_offset = 0x20 };
	od_guid_parse("4A3CA68B-7723-48FB-803D-578CC1FEC44D", &h.capsule_guid);
	PUT_HDR(&b, od_capsule_aptio, h);
	put(&b, img.p, img.n);
	char want[256];
	snprintf(want, sizeof(want), "pkg > AMI Aptio signed capsule > image without %zu BIOS Guard signatures > " FV_TAIL,
		 (fv.n + 0x1FF) / 0x200);
	expect_path(b, want);
	free(fv.p), free(img.p), free(b.p);
}

Test(vendor, ami_pfat_blocks_reassemble_the_image)
{
	blob fv = fv_with_rom();
	blob b = { 0 };
	const char *text = "BIOS image\r\n0 0 2;bios.bin\r\n";
	od_pfat_hdr ph = { .size = (uint32_t)(od_pfat_hdr_SIZE + strlen(text)) };
	memcpy(ph.tag, OD_PFAT_TAG, 8);
	PUT_HDR(&b, od_pfat_hdr, ph);
	put(&b, text, strlen(text));
	size_t half = (fv.n / 2) & ~(size_t)3;
	for (int k = 0; k < 2; k++) {
		size_t off = k ? half : 0, len = k ? fv.n - half : half;
		od_bg_hdr h = { .attributes = OD_BG_ATTR_SFAM, .script_size = 8, .data_size = (uint32_t)len };
		PUT_HDR(&b, od_bg_hdr, h);
		put(&b, "\x01\0\0\0\0\0\0\0", 8); /* script */
		put(&b, fv.p + off, len);
		put_bg_sig(&b);
	}
	expect_path(b, "pkg > AMI BIOS Guard PFAT > " FV_TAIL);
	/* A block whose data runs past the end is refused with its offset. */
	b.n -= 0x30C + 100;
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "pkg");
	od_err_clear(&e);
	od_scan(&c, od_span_make(b.p, b.n, 0), &e);
	bool said = false;
	for (size_t i = 0; i < c.ndiags; i++)
		said |= strstr(c.diags[i].err.msg, "BIOS Guard block 2") != NULL;
	cr_assert(said);
	od_ctx_free(&c);
	free(fv.p), free(b.p);
}

Test(vendor, dell_zlib_bomb_of_4_gib_is_refused_naming_the_limit)
{
	/* A Dell zlib section (RFC 1950) whose stream inflates to 4 GiB of
	 * zeros from about 4 MB. It sits in a flasher stub that is itself a Dell zlib
	 * section, so the file is a few KB. The inner stream is refused at the
	 * single-buffer limit, counted before anything is allocated for it. */
	blob inner = { 0 };
	put(&inner, "MZ inner stub.............", 26);
	put(&inner, "\xEE\xAA\x76\x1B\xEC\xBB\x20\xF1\xE6\x51\x01", 11);
	put(&inner, "\x78\xDA", 2); /* zlib header, level 9 */
	put_zero_deflate(&inner, 4096);
	put32(&inner, 0); /* Adler-32 of 4 GiB: never reached */
	blob exe = dell_exe(inner);
	cr_assert_lt(exe.n, 64u << 10, "the bomb is %zu bytes", exe.n);
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "bomb.exe");
	od_err_clear(&e);
	cr_assert_eq(od_scan(&c, od_span_make(exe.p, exe.n, 0), &e), OD_E_LIMIT);
	cr_assert(strstr(e.msg, "inflated data exceeds 268435456 bytes, the single-buffer limit (--limit one=MiB)"), "%s",
		  e.msg);
	cr_assert_str_eq(e.path, "bomb.exe > Dell zlib section > Dell zlib section");
	cr_assert_eq(c.out_used, inner.n, "only the outer section's output was kept: %llu", (unsigned long long)c.out_used);
	od_ctx_free(&c);
	free(inner.p), free(exe.p);
}

/* --- Inno Setup (innoextract src/loader/offsets.cpp, src/stream/chunk.cpp) --- */

/* A chunk: "zlb\x1a" then the stream Inno writes for codec k (0 zlib, 1 LZMA1
 * with 5 property bytes, 2 LZMA2 with 1) around data. */
static void put_inno_chunk(blob *b, int k, blob data)
{
	put(b, "zlb\x1a", 4);
	size_t cap = data.n * 2 + 1024, n = 0;
	uint8_t *out = malloc(cap);
	if (k == 0) {
		uLongf zn = (uLongf)cap;
		compress2(out, &zn, data.p, (uLong)data.n, 9);
		n = zn;
	} else {
		lzma_options_lzma o;
		lzma_lzma_preset(&o, 6);
		o.dict_size = 1u << 16;
		lzma_filter f[2] = { { k == 1 ? LZMA_FILTER_LZMA1 : LZMA_FILTER_LZMA2, &o }, { LZMA_VLI_UNKNOWN, NULL } };
		cr_assert_eq(lzma_raw_buffer_encode(f, NULL, data.p, data.n, out, &n, cap), LZMA_OK);
		if (k == 1) {
			uint8_t props[5] = { (uint8_t)((o.pb * 5 + o.lp) * 9 + o.lc) };
			memcpy(props + 1, &o.dict_size, 4);
			put(b, props, 5);
		} else {
			put(b, "\x10", 1); /* dictionary code 16: 2 << 19 = 1 MiB >= 64 KiB */
		}
	}
	put(b, out, n);
	free(out);
}

/* A 5.1.5+ installer: the offset table in a PE section, the chunks in the
 * overlay, then the setup headers' version string. */
static blob inno(blob chunks, const char *version, bool good_crc)
{
	blob table = { 0 }, hdr = { 0 }, none = { 0 };
	char vs[64] = { 0 };
	snprintf(vs, sizeof(vs), "Inno Setup Setup Data (%s)", version);
	put(&hdr, vs, 64);
	put(&hdr, "compressed headers follow", 25);
	/* Layout: PE headers 0x200, section of 0x40 at 0x200, overlay at 0x240. */
	uint32_t data_off = 0x240, hdr_off = data_off + (uint32_t)chunks.n;
	uint32_t total = hdr_off + (uint32_t)hdr.n;
	put(&table, "rDlPtS\xcd\xe6\xd7{\x0b*", 12);
	put32(&table, 1), put32(&table, total), put32(&table, hdr_off + 64), put32(&table, 25), put32(&table, 0);
	put32(&table, hdr_off), put32(&table, data_off);
	put32(&table, (uint32_t)crc32(0, table.p, (uInt)table.n) ^ (good_crc ? 0 : 1));
	while (table.n < 0x40)
		put(&table, "\0", 1);
	blob overlay = { 0 };
	put(&overlay, chunks.p, chunks.n);
	put(&overlay, hdr.p, hdr.n);
	blob exe = pe(table, ".rsrc", overlay);
	cr_assert_eq(exe.n, total);
	free(table.p), free(hdr.p), free(overlay.p);
	(void)none;
	return exe;
}

/* The chunk holds files back to back: a text file, then the volume. */
static blob files_with_fv(void)
{
	blob fv = fv_with_rom(), files = { 0 };
	put(&files, "Readme for the BIOS update.\r\n", 29);
	put(&files, fv.p, fv.n);
	free(fv.p);
	return files;
}

Test(vendor, inno_setup_lzma1_chunk_yields_the_rom)
{
	blob files = files_with_fv(), chunks = { 0 };
	put_inno_chunk(&chunks, 1, files);
	blob exe = inno(chunks, "5.5.7", true);
	expect_path(exe, "pkg > Inno Setup 5.5.7 installer > chunk 0 (LZMA1) > " FV_TAIL);
	free(files.p), free(chunks.p), free(exe.p);
}

Test(vendor, inno_setup_zlib_and_lzma2_chunks_are_each_read)
{
	blob files = files_with_fv(), text = { (uint8_t *)"license text", 12, 0 }, chunks = { 0 };
	put_inno_chunk(&chunks, 0, text);
	put_inno_chunk(&chunks, 2, files);
	blob exe = inno(chunks, "6.1.0) (u", true);
	expect_path(exe, "pkg > Inno Setup 6.1.0 (u) installer > chunk 1 (LZMA2) > " FV_TAIL);
	od_ctx c;
	char path[512];
	scan_path(exe, &c, path, sizeof(path));
	cr_assert_eq(c.ndiags, 0, "%s", c.ndiags ? c.diags[0].err.msg : "");
	od_ctx_free(&c);
	free(files.p), free(chunks.p), free(exe.p);
}

/* Encrypted chunks (ARC4/XChaCha20) and bzip2 ones are named, never skipped
 * silently: the answer must not read "no VBIOS here". */
Test(vendor, inno_setup_chunk_that_cannot_be_read_is_named)
{
	blob chunks = { 0 };
	put(&chunks, "zlb\x1a", 4);
	for (int i = 0; i < 300; i++)
		put(&chunks, &(uint8_t){ (uint8_t)(i * 97 + 13) }, 1);
	blob exe = inno(chunks, "5.5.7", false);
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "pkg.exe");
	od_err_clear(&e);
	cr_assert_eq(od_scan(&c, od_span_make(exe.p, exe.n, 0), &e), OD_OK);
	cr_assert_eq(c.ndiags, 1);
	cr_assert_eq(c.diags[0].err.code, OD_E_UNSUPPORTED);
	cr_assert(strstr(c.diags[0].err.msg, "Inno Setup chunk 0: not read"), "%s", c.diags[0].err.msg);
	cr_assert(strstr(c.root->first->info, "checksum mismatch"), "%s", c.root->first->info);
	od_ctx_free(&c);
	free(chunks.p), free(exe.p);
}

Test(vendor, inno_setup_installer_cut_short_says_so)
{
	blob files = files_with_fv(), chunks = { 0 };
	put_inno_chunk(&chunks, 1, files);
	blob exe = inno(chunks, "5.5.7", true);
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "pkg.exe");
	od_err_clear(&e);
	cr_assert_eq(od_scan(&c, od_span_make(exe.p, exe.n - 40, 0), &e), OD_OK);
	cr_assert_geq(c.ndiags, 1);
	cr_assert(strstr(c.diags[0].err.msg, "cut short"), "%s", c.diags[0].err.msg);
	cr_assert_eq(c.nhits, 1, "the ROM in the whole chunk is still found");
	od_ctx_free(&c);
	free(files.p), free(chunks.p), free(exe.p);
}

/* --- recognised but not read: never a silent "no VBIOS here" (issue 19) --- */

static od_ctx scan_ctx(blob b, const char *name)
{
	od_ctx c;
	od_err e;
	od_ctx_init(&c, name);
	od_err_clear(&e);
	cr_assert_eq(od_scan(&c, od_span_make(b.p, b.n, 0), &e), OD_OK, "%s", e.msg);
	return c;
}

static bool has_unread(const od_ctx *c, const char *text)
{
	for (size_t i = 0; i < c->ndiags; i++)
		if (c->diags[i].err.code == OD_E_UNSUPPORTED && !c->diags[i].warning && strstr(c->diags[i].err.msg, text))
			return true;
	return false;
}

Test(vendor, nsis_installer_is_named_with_its_first_header)
{
	blob filler = { (uint8_t *)"stub code.........", 18, 0 }, ov = { 0 };
	for (int i = 0; i < 1024; i++) /* the first header is at a 512-byte boundary */
		put(&ov, "\0", 1);
	put32(&ov, 0), put32(&ov, 0xDEADBEEF), put(&ov, "NullsoftInst", 12), put32(&ov, 0x100), put32(&ov, 0x200);
	while (ov.n < 1024 + 0x200)
		put(&ov, "x", 1);
	blob exe = pe(filler, ".text", ov);
	od_ctx c = scan_ctx(exe, "setup.exe");
	cr_assert(has_unread(&c, "NSIS installer (first header at 0x"), "%s", c.ndiags ? c.diags[0].err.msg : "no diag");
	od_ctx_free(&c);
	free(ov.p), free(exe.p);
}

static void put_is_entry(blob *b, const char *name, blob data)
{
	char hdr[600];
	int n = snprintf(hdr, sizeof(hdr), "%s%cDisk1\\%s%c0.0.0.0%c%zu%c", name, 0, name, 0, 0, data.n, 0);
	put(b, hdr, (size_t)n);
	put(b, data.p, data.n);
}

Test(vendor, installshield_files_are_walked_and_its_cabinets_named)
{
	blob fv = fv_with_rom(), ini = { (uint8_t *)"[Startup]\r\n", 11, 0 };
	blob isc = { (uint8_t *)"ISc(\x0c\x00\x00\x01 cabinet", 16, 0 }, ov = { 0 };
	put_is_entry(&ov, "setup.ini", ini);
	put_is_entry(&ov, "data1.cab", isc);
	put_is_entry(&ov, "bios.bin", fv);
	blob filler = { (uint8_t *)"stub code.........", 18, 0 };
	blob exe = pe(filler, ".text", ov);
	expect_path(exe, "pkg > PE image > PE overlay > InstallShield files > file \"Disk1\\bios.bin\" > " FV_TAIL);
	od_ctx c = scan_ctx(exe, "setup.exe");
	cr_assert(has_unread(&c, "InstallShield cabinet \"Disk1\\data1.cab\""));
	od_ctx_free(&c);
	free(fv.p), free(ov.p), free(exe.p);
}

Test(vendor, unknown_pe_overlay_is_named_not_ignored)
{
	blob filler = { (uint8_t *)"stub code.........", 18, 0 }, ov = { 0 };
	put(&ov, "MSCF\0\0\0\0", 8);
	while (ov.n < 4096)
		put(&ov, "\x5a", 1);
	blob exe = pe(filler, ".text", ov);
	od_ctx c = scan_ctx(exe, "setup.exe");
	bool named = has_unread(&c, "PE overlay (0x1000 bytes): a Microsoft CAB archive, not read") ||
		     c.root->first->last->first; /* once CABs are read, a handler claims it */
	cr_assert(named);
	od_ctx_free(&c);
	free(ov.p), free(exe.p);
}

/* BCPSEGMENT, then BCP records (6-byte name, u16 flags, u16 length). */
Test(vendor, phoenix_bios_is_named_with_its_version)
{
	blob img = { 0 };
	while (img.n < 0x8000)
		put(&img, "\xFF", 1);
	put(&img, "BCPSEGMENT", 10);
	put(&img, "BCPCMP", 6), put16(&img, 0), put16(&img, 0x18);
	for (int i = 0; i < 0x18 - 10; i++)
		put(&img, "\0", 1);
	size_t sys = img.n;
	put(&img, "BCPSYS", 6), put16(&img, 0), put16(&img, 0x80);
	while (img.n < sys + 0x80)
		put(&img, "\0", 1);
	memcpy(img.p + sys + 0x0F, "06/01/06", 8);
	memcpy(img.p + sys + 0x37, "1.09    ", 8);
	while (img.n < 0x10000)
		put(&img, "\xFF", 1);
	od_ctx c = scan_ctx(img, "t60.bin");
	cr_assert(has_unread(&c, "Phoenix BIOS 1.09 (BCPSYS at 0x8022): its compressed modules are not read"),
		  "%s", c.ndiags ? c.diags[0].err.msg : "no diag");
	od_ctx_free(&c);
	free(img.p);
}

/* --- Dell PFS with BIOS Guard (BIOSUtilities dell_pfs_extract.py layout):
 * a PFS entry whose data is a sub-PFS of Intel BIOS Guard blocks; each
 * block's script holds the offset its data belongs at (bytes 0xC..0xF), its
 * metadata the same offset at 8 and an address at 0. */

/* A PFS entry (header v1, 0x48 bytes) with data, a 16-byte "signature" and
 * metadata. */
static void pfs_entry(blob *b, const uint8_t guid[16], blob data, blob meta)
{
	put_pfs_entry_hdr(b, guid, (uint32_t)data.n, 16, (uint32_t)meta.n);
	put(b, data.p, data.n);
	put(b, "SIGNATURE-BYTES.", 16);
	put(b, meta.p, meta.n);
}

/* Sub-PFS of BIOS Guard blocks: image cut at `cuts` (n+1 offsets), stored
 * in the order `order`; script_off/meta_off override a block's offsets
 * when not UINT32_MAX. */
static blob bg_sub_pfs(blob img, const size_t *cuts, const int *order, int n, const uint32_t *script_off,
		       const uint32_t *meta_off)
{
	blob body = { 0 };
	uint8_t g[16];
	memset(g, 0x44, 16);
	for (int k = 0; k < n; k++) {
		int i = order[k];
		uint32_t off = (uint32_t)cuts[i], len = (uint32_t)(cuts[i + 1] - cuts[i]);
		uint32_t so = script_off && script_off[i] != UINT32_MAX ? script_off[i] : off;
		uint32_t mo = meta_off && meta_off[i] != UINT32_MAX ? meta_off[i] : off;
		blob ent = { 0 }, meta = { 0 };
		od_bg_hdr bh = { .version = 2, .script_ver_major = 1, .script_size = 0x20, .data_size = len };
		memcpy(bh.platform_id, "DELL    PFAT    ", 16);
		PUT_HDR(&ent, od_bg_hdr, bh);
		/* Script: opcodes whose immediates are the offset (at 0xC) and the
		 * length (at 0x1C), as BIOS Guard's set-I0 / set-I2 carry them. */
		put32(&ent, 1), put32(&ent, 0), put32(&ent, 2), put32(&ent, so);
		put32(&ent, 3), put32(&ent, 0), put32(&ent, 4), put32(&ent, len);
		put(&ent, img.p + off, len);
		od_pfs_bg_meta mh = { .address = 0xFF000000u + mo, .offset = mo, .data_size = len };
		PUT_HDR(&meta, od_pfs_bg_meta, mh);
		pfs_entry(&body, g, ent, meta);
		free(ent.p), free(meta.p);
	}
	blob b = pfs_wrap(body);
	free(body.p);
	return b;
}

/* The outer PFS: a "PFS Information" entry, then the BIOS Guard entry,
 * then (optionally) a plain entry holding `plain`. */
static blob dell_bg_pfs(blob sub, blob plain)
{
	/* E0717CE3A9BB25824B9F0DC8FD041960 as BIOSUtilities writes it: the
	 * stored bytes read as one little-endian number. */
	static const uint8_t info[16] = { 0x60, 0x19, 0x04, 0xFD, 0xC8, 0x0D, 0x9F, 0x4B,
					  0x82, 0x25, 0xBB, 0xA9, 0xE3, 0x7C, 0x71, 0xE0 };
	uint8_t g3[16], g5[16];
	memset(g3, 0x33, 16), memset(g5, 0x55, 16);
	blob body = { 0 }, none = { 0 }, text = { (uint8_t *)"names of the entries", 20, 0 };
	pfs_entry(&body, info, text, none);
	pfs_entry(&body, g3, sub, none);
	if (plain.n)
		pfs_entry(&body, g5, plain, none);
	blob b = pfs_wrap(body);
	free(body.p);
	return b;
}

static od_ctx scan_blob(blob b, int want)
{
	if (getenv("OD_DUMP_DIR")) { /* debugging aid: keep the built container */
		char p[512];
		snprintf(p, sizeof(p), "%s/dell-%zu.bin", getenv("OD_DUMP_DIR"), b.n);
		FILE *f = fopen(p, "wb");
		if (f)
			fwrite(b.p, 1, b.n, f), fclose(f);
	}
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "dell.bin");
	od_err_clear(&e);
	cr_assert_eq(od_scan(&c, od_span_make(b.p, b.n, 0), &e), want, "%s: %s", e.path, e.msg);
	return c;
}

static bool hit_at(od_ctx *c, const char *want)
{
	char path[1024];
	for (size_t i = 0; i < c->nhits; i++)
		if (!c->hits[i].carved && !strcmp(od_node_path(c->hits[i].node, path, sizeof(path)), want))
			return true;
	return false;
}

static bool diag_says(od_ctx *c, const char *what)
{
	for (size_t i = 0; i < c->ndiags; i++)
		if (strstr(c->diags[i].err.msg, what))
			return true;
	return false;
}

#define BG_PATH "dell.bin > Dell PFS > PFS entry 33333333 > Dell PFS (BIOS Guard blocks) > BIOS Guard image > " FV_TAIL

Test(vendor, dell_bios_guard_pfs_blocks_put_back_in_script_order)
{
	blob fv = fv_with_rom(), none = { 0 };
	size_t cuts[] = { 0, 400, 800, fv.n };
	int order[] = { 2, 0, 1 }; /* stored out of order, as Dell does */
	blob sub = bg_sub_pfs(fv, cuts, order, 3, NULL, NULL);
	blob p = dell_bg_pfs(sub, none);
	od_ctx c = scan_blob(p, OD_OK);
	cr_assert(hit_at(&c, BG_PATH));
	cr_assert_eq(c.nhits, 1, "by structure only, nothing carved from the scattered blocks");
	/* The information entry is named and not walked as firmware. */
	bool named = false;
	for (od_node *n = c.root->first->first; n; n = n->next)
		named |= !strcmp(n->label, "PFS entry FD041960 \"PFS Information\"");
	cr_assert(named);
	cr_assert_eq(c.ndiags, 0);
	od_ctx_free(&c);
	/* A changed byte in the payload (inside the information entry's text):
	 * the footer's CRC says so, and the ROM is still found. */
	uint8_t *t = memmem(p.p, p.n, "names of", 8);
	cr_assert(t);
	t[0] ^= 0x20;
	c = scan_blob(p, OD_OK);
	cr_assert(diag_says(&c, "PFS payload checksum"));
	cr_assert(hit_at(&c, BG_PATH));
	od_ctx_free(&c);
	/* A gap between blocks (the middle block missing) is filled with FF:
	 * the image keeps its size and offsets. */
	int two[] = { 2, 0 };
	blob sub2 = bg_sub_pfs(fv, cuts, two, 2, NULL, NULL);
	blob p2 = dell_bg_pfs(sub2, none);
	c = scan_blob(p2, OD_OK);
	bool sized = false;
	for (od_buf *b = c.bufs; b; b = b->next)
		sized |= b->len == fv.n && b->data[500] == 0xFF && !memcmp(b->data + 800, fv.p + 800, fv.n - 800);
	cr_assert(sized);
	od_ctx_free(&c);
	free(fv.p), free(sub.p), free(p.p), free(sub2.p), free(p2.p);
}

Test(vendor, dell_bios_guard_pfs_metadata_offset_wins_over_the_script)
{
	blob fv = fv_with_rom(), none = { 0 };
	size_t cuts[] = { 0, 400, 800, fv.n };
	int order[] = { 1, 2, 0 };
	uint32_t bad_script[] = { UINT32_MAX, 0x9000, UINT32_MAX }; /* block 1's script lies */
	blob sub = bg_sub_pfs(fv, cuts, order, 3, bad_script, NULL);
	blob p = dell_bg_pfs(sub, none);
	od_ctx c = scan_blob(p, OD_OK);
	cr_assert(hit_at(&c, BG_PATH));
	cr_assert(diag_says(&c, "script says offset 0x9000, metadata 0x190 (the metadata's is used)"));
	od_ctx_free(&c);
	free(fv.p), free(sub.p), free(p.p);
}

Test(vendor, dell_bios_guard_pfs_malformed_blocks_spoil_that_entry_only)
{
	blob fv = fv_with_rom();
	size_t cuts[] = { 0, 400, 800, fv.n };
	int order[] = { 0, 1, 2 };
	/* Overlap (a loop back over written bytes): blocks 0 and 1 both at 0. */
	uint32_t same[] = { UINT32_MAX, 0, UINT32_MAX };
	blob sub = bg_sub_pfs(fv, cuts, order, 3, same, same);
	blob p = dell_bg_pfs(sub, fv); /* a plain entry with the volume after it */
	od_ctx c = scan_blob(p, OD_OK);
	cr_assert(diag_says(&c, "overlaps block"));
	cr_assert(hit_at(&c, "dell.bin > Dell PFS > PFS entry 55555555 > " FV_TAIL), "the next entry is still read");
	od_ctx_free(&c);
	free(sub.p), free(p.p);
	/* A block's data size past its entry. */
	sub = bg_sub_pfs(fv, cuts, order, 3, NULL, NULL);
	size_t first_ent = 16 + 0x48;
	uint32_t huge = 0x100000;
	memcpy(sub.p + first_ent + 0x20, &huge, 4);
	p = dell_bg_pfs(sub, fv);
	c = scan_blob(p, OD_OK);
	cr_assert(diag_says(&c, "run past its entry"));
	cr_assert(hit_at(&c, "dell.bin > Dell PFS > PFS entry 55555555 > " FV_TAIL));
	od_ctx_free(&c);
	free(sub.p), free(p.p);
	/* Entry sizes past the sub-PFS (cut short inside the second block). */
	sub = bg_sub_pfs(fv, cuts, order, 3, NULL, NULL);
	uint32_t cut = 0x7FFFFFFF;
	memcpy(sub.p + 16 + 0x28, &cut, 4); /* first entry's data size */
	p = dell_bg_pfs(sub, fv);
	c = scan_blob(p, OD_OK);
	cr_assert(diag_says(&c, "run past the PFS"));
	od_ctx_free(&c);
	free(sub.p), free(p.p), free(fv.p);
}

Test(vendor, dell_bios_guard_pfs_bomb_is_refused_before_allocating)
{
	/* One 400-byte block claiming to sit at 0x7FFFF000: a 2 GiB image from a
	 * few hundred bytes. */
	blob fv = fv_with_rom(), none = { 0 };
	size_t cuts[] = { 0, 400 };
	int order[] = { 0 };
	uint32_t far[] = { 0x7FFFF000 };
	blob sub = bg_sub_pfs(fv, cuts, order, 1, far, far);
	blob p = dell_bg_pfs(sub, none);
	od_ctx c = scan_blob(p, OD_E_LIMIT);
	cr_assert_eq(c.out_used, 0);
	od_ctx_free(&c);
	free(fv.p), free(sub.p), free(p.p);
}
