/* SPDX-License-Identifier: BSD-2-Clause */
/* coreboot CBFS built from the published layout (coreboot
 * cbfs_serialized.h, flashmap fmap.h) around a 1 KiB option ROM: raw,
 * LZMA and LZ4 files; the three ways in (a file at the start, the legacy
 * master-header pointer, an FMAP); then the malformed cases: sizes past
 * the end, lying attributes, a broken LZ4 frame, an LZ4 bomb. The same
 * formats made by coreboot's own cbfstool: tests/integration/scan_cbfs.sh. */
#include <criterion/criterion.h>
#include <lz4frame.h>
#include <stdlib.h>
#include <string.h>

#include "fvbuild.h"
#include "walk.h"

typedef struct img {
	uint8_t p[1 << 16];
	size_t n;
} img;

static void be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

/* Appends one CBFS file at the next 64-byte boundary: header, name padded
 * to 16, an optional compression attribute ("BCZL"), the data. */
static size_t add_file(img *m, const char *name, uint32_t type, int comp, uint32_t dsize, const void *data, size_t len)
{
	size_t at = (m->n + 63) / 64 * 64;
	memset(m->p + m->n, 0xFF, at - m->n);
	size_t nl = (strlen(name) + 1 + 15) / 16 * 16;
	size_t attr = comp >= 0 ? 24 + nl : 0, off = 24 + nl + (comp >= 0 ? 16 : 0);
	uint8_t *h = m->p + at;
	memset(h, 0, off);
	memcpy(h, "LARCHIVE", 8);
	be32(h + 8, (uint32_t)len), be32(h + 12, type), be32(h + 16, (uint32_t)attr), be32(h + 20, (uint32_t)off);
	memcpy(h + 24, name, strlen(name));
	if (comp >= 0)
		memcpy(h + attr, "BCZL", 4), be32(h + attr + 4, 16), be32(h + attr + 8, (uint32_t)comp), be32(h + attr + 12, dsize);
	memcpy(h + off, data, len);
	m->n = at + off + len;
	return at;
}

static void pad_to(img *m, size_t n)
{
	memset(m->p + m->n, 0xFF, n - m->n);
	m->n = n;
}

static od_ctx scan(const img *m, int want_rc)
{
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "cb.rom");
	od_err_clear(&e);
	cr_assert_eq(od_scan(&c, od_span_make(m->p, m->n, 0), &e), want_rc, "%s: %s", e.path, e.msg);
	return c;
}

static bool has_path(od_ctx *c, const char *want, bool carved)
{
	char path[1024];
	for (size_t i = 0; i < c->nhits; i++)
		if (!strcmp(od_node_path(c->hits[i].node, path, sizeof(path)), want) && c->hits[i].carved == carved)
			return true;
	return false;
}

static bool has_diag(od_ctx *c, const char *msg, const char *path)
{
	for (size_t i = 0; i < c->ndiags; i++)
		if (strstr(c->diags[i].err.msg, msg) && (!path || strstr(c->diags[i].err.path, path)))
			return true;
	return false;
}

static uint8_t *lz4(const uint8_t *d, size_t n, size_t *out)
{
	LZ4F_preferences_t pr;
	memset(&pr, 0, sizeof(pr));
	pr.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
	size_t cap = LZ4F_compressFrameBound(n, &pr);
	uint8_t *z = malloc(cap);
	*out = LZ4F_compressFrame(z, cap, d, n, &pr);
	cr_assert(!LZ4F_isError(*out));
	return z;
}

#define ROMP "CBFS file \"pci1234,1111.rom\" > ROM 1234:1111"

Test(cbfs, raw_lzma_and_lz4_files_from_a_file_at_the_start)
{
	size_t rl, zl, ll;
	uint8_t *rom = fb_rom(&rl), *z = lz4(rom, rl, &zl), *lz = fb_lzma(rom, rl, &ll);
	static img m;
	m.n = 0;
	add_file(&m, "pci1234,1111.rom", 0x30, -1, 0, rom, rl);
	add_file(&m, "vgaroms/a.rom", 0x30, 2, (uint32_t)rl, z, zl);
	add_file(&m, "vgaroms/b.rom", 0x30, 1, (uint32_t)rl, lz, ll);
	pad_to(&m, 8192);
	od_ctx c = scan(&m, OD_OK);
	cr_assert_eq(c.nhits, 3);
	cr_assert(has_path(&c, "cb.rom > CBFS > " ROMP, false));
	cr_assert(has_path(&c, "cb.rom > CBFS > CBFS file \"vgaroms/a.rom\" > LZ4 > ROM 1234:1111", false));
	cr_assert(has_path(&c, "cb.rom > CBFS > CBFS file \"vgaroms/b.rom\" > LZMA > ROM 1234:1111", false));
	cr_assert_eq(c.ndiags, 0);
	od_ctx_free(&c);
	free(rom), free(z), free(lz);
}

Test(cbfs, legacy_master_header_pointer_and_fmap)
{
	size_t rl;
	uint8_t *rom = fb_rom(&rl);
	/* Legacy x86: junk, CBFS at 0x400, "ORBC" header at 0x200 whose
	 * offset field says 0x400; the last dword is the header's address in
	 * an image mapped to end at 4 GiB. */
	static img m;
	memset(m.p, 0x5A, 0x400);
	uint8_t *h = m.p + 0x200;
	be32(h, 0x4F524243), be32(h + 4, 0x31313132), be32(h + 8, 0x2000), be32(h + 12, 0), be32(h + 16, 64), be32(h + 20, 0x400);
	m.n = 0x400;
	add_file(&m, "pci1234,1111.rom", 0x30, -1, 0, rom, rl);
	pad_to(&m, 0x2000);
	uint32_t ptr = (uint32_t)(0x100000000ull - 0x2000 + 0x200);
	memcpy(m.p + 0x2000 - 4, &ptr, 4); /* little-endian, as x86 reads it */
	od_ctx c = scan(&m, OD_OK);
	cr_assert(has_path(&c, "cb.rom > CBFS > " ROMP, false));
	od_ctx_free(&c);
	/* FMAP at 0: one area "COREBOOT" at 0x200 holding the CBFS. */
	memset(m.p, 0, 0x200);
	memcpy(m.p, "__FMAP__", 8);
	m.p[8] = 1, m.p[9] = 1;
	uint32_t size = 0x2000;
	memcpy(m.p + 18, &size, 4);
	memcpy(m.p + 22, "FLASH", 5);
	m.p[54] = 1;
	uint32_t aoff = 0x200, asz = 0x1E00;
	memcpy(m.p + 56, &aoff, 4), memcpy(m.p + 60, &asz, 4), memcpy(m.p + 64, "COREBOOT", 8);
	m.n = 0x200;
	add_file(&m, "pci1234,1111.rom", 0x30, -1, 0, rom, rl);
	pad_to(&m, 0x2000);
	c = scan(&m, OD_OK);
	cr_assert(has_path(&c, "cb.rom > FMAP > CBFS COREBOOT > " ROMP, false));
	od_ctx_free(&c);
	free(rom);
}

Test(cbfs, a_file_past_the_end_is_said_and_the_next_file_still_found)
{
	size_t rl;
	uint8_t *rom = fb_rom(&rl);
	static img m;
	m.n = 0;
	size_t bad = add_file(&m, "broken.bin", 0x50, -1, 0, rom, 64);
	add_file(&m, "pci1234,1111.rom", 0x30, -1, 0, rom, rl);
	pad_to(&m, 4096);
	be32(m.p + bad + 8, 0x7FFFFFFF); /* len far past the end */
	od_ctx c = scan(&m, OD_OK);
	cr_assert(has_diag(&c, "runs past the CBFS end", "cb.rom > CBFS"));
	cr_assert(has_path(&c, "cb.rom > CBFS > " ROMP, false));
	od_ctx_free(&c);
	/* Attributes offset inside the name, and an attribute longer than the
	 * header: both said, neither hides the ROM. */
	m.n = 0;
	bad = add_file(&m, "a.bin", 0x50, 2, 64, rom, 64);
	size_t bad2 = add_file(&m, "b.bin", 0x50, 2, 64, rom, 64);
	add_file(&m, "pci1234,1111.rom", 0x30, -1, 0, rom, rl);
	pad_to(&m, 4096);
	be32(m.p + bad + 16, 8);
	be32(m.p + bad2 + 40 + 4, 0x1000);
	c = scan(&m, OD_OK);
	cr_assert(has_diag(&c, "attributes offset 0x8 outside the header", NULL));
	cr_assert(has_diag(&c, "runs past the file's data", NULL));
	cr_assert(has_path(&c, "cb.rom > CBFS > " ROMP, false));
	od_ctx_free(&c);
	free(rom);
}

Test(cbfs, lz4_lying_size_corrupt_frame_and_bomb)
{
	size_t rl, zl;
	uint8_t *rom = fb_rom(&rl), *z = lz4(rom, rl, &zl);
	static img m;
	/* The attribute says 100 bytes: the frame holds more. That file only. */
	m.n = 0;
	add_file(&m, "small.rom", 0x30, 2, 100, z, zl);
	add_file(&m, "pci1234,1111.rom", 0x30, -1, 0, rom, rl);
	pad_to(&m, 8192);
	od_ctx c = scan(&m, OD_OK);
	cr_assert(has_diag(&c, "LZ4", "CBFS file \"small.rom\" > LZ4"));
	cr_assert(has_path(&c, "cb.rom > CBFS > " ROMP, false));
	cr_assert_eq(c.out_used, 100, "only the bytes written are registered: %llu", (unsigned long long)c.out_used);
	od_ctx_free(&c);
	/* A flipped byte inside the frame: the content checksum says so. */
	m.n = 0;
	size_t at = add_file(&m, "bad.rom", 0x30, 2, (uint32_t)rl, z, zl);
	pad_to(&m, 8192);
	m.p[at + 24 + 16 + 16 + zl / 2] ^= 0x55;
	c = scan(&m, OD_OK);
	cr_assert(has_diag(&c, "LZ4 frame", "CBFS file \"bad.rom\" > LZ4"));
	od_ctx_free(&c);
	/* 4 GiB claimed from a small frame: the limits refuse it before
	 * anything is allocated. */
	m.n = 0;
	add_file(&m, "bomb.rom", 0x30, 2, 0xFFFFFF00u, z, zl);
	pad_to(&m, 8192);
	c = scan(&m, OD_E_LIMIT);
	cr_assert_eq(c.out_used, 0);
	od_ctx_free(&c);
	free(rom), free(z);
}
