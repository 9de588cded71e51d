/* SPDX-License-Identifier: BSD-2-Clause */
/* Vendor GUID-defined sections (issue 13 section 2): gzip, AMD zlib (both
 * GUIDs), HP LZMA and edk2 Brotli, each on data made by the real compressor
 * (Debian's gzip, pigz -z, xz --format=lzma, brotli), wrapped in the header
 * layout the vendor uses, inside a volume; cut and lying streams, bombs, and
 * volumes placed after AMD PSP directories. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fvbuild.h"
#include "layout/codec.h"
#include "layout/uefi.h"
#include "testutil.h"
#include "uefi.h"
#include "walk.h"

#define GUID_GZIP "1D301FE9-BE79-4353-91C2-D23BC959AE0C"
#define GUID_ZLIB_AMD "CE3233F5-2CD6-4D87-9152-4A238BB6D1C4"
#define GUID_ZLIB_AMD2 "991EFAC0-E260-416B-A4B8-3B153072B804"
#define GUID_LZMA_HP "0ED85E23-F253-413F-A03C-901987B04397"
#define GUID_BROTLI "3D532050-5CDA-4FD0-879E-0F7F630D5AFB"

/* Runs `cmd < in > out` (the real compressor) and returns out's bytes;
 * skips the test when the tool is not installed (scripts/deps.sh has it). */
static uint8_t *run_tool(const char *tool, const char *args, const uint8_t *in, size_t n, size_t *outn)
{
	char dir[] = "/tmp/od-guided-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char src[128], dst[128], cmd[512];
	snprintf(src, sizeof(src), "%s/in", dir);
	snprintf(dst, sizeof(dst), "%s/out", dir);
	FILE *f = fopen(src, "wb");
	cr_assert(f && fwrite(in, 1, n, f) == n);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null || exit 127; %s %s < %s > %s", tool, tool, args, src, dst);
	int rc = system(cmd);
	if (WEXITSTATUS(rc) == 127)
		cr_skip_test("%s not installed (scripts/deps.sh installs it)", tool);
	cr_assert_eq(rc, 0, "%s failed", cmd);
	uint8_t *out = tu_read(dst, outn);
	cr_assert_not_null(out);
	unlink(src), unlink(dst), rmdir(dir);
	return out;
}


/* The section data each vendor stores around the compressor's output. */
static uint8_t *wrap(const char *guid, const uint8_t *plain, size_t pn, size_t *n)
{
	size_t cn;
	if (!strcmp(guid, GUID_GZIP))
		return run_tool("gzip", "-9nc", plain, pn, n);
	if (!strcmp(guid, GUID_ZLIB_AMD) || !strcmp(guid, GUID_ZLIB_AMD2)) {
		uint8_t *z = run_tool("pigz", "-z -9 -c", plain, pn, &cn);
		uint8_t *d = calloc(1, od_amd_zlib_SIZE + cn);
		fb_amd_zlib_hdr(d, (uint32_t)cn);
		memcpy(d + od_amd_zlib_SIZE, z, cn);
		free(z);
		*n = od_amd_zlib_SIZE + cn;
		return d;
	}
	if (!strcmp(guid, GUID_LZMA_HP)) {
		/* xz writes "size unknown" in the .lzma header; edk2's
		 * LzmaCompress (and HP's) write the real size there. */
		uint8_t *d = run_tool("xz", "--format=lzma -c", plain, pn, n);
		fb_lzma_size(d, pn);
		return d;
	}
	/* Brotli: edk2 BrotliCustomDecompressLib header, u64 decoded size and
	 * u64 scratch size (edk2's allocator hint; any value), then the stream. */
	uint8_t *b = run_tool("brotli", "-c -q 11", plain, pn, &cn);
	uint8_t *d = calloc(1, od_brotli_hdr_SIZE + cn);
	fb_brotli_hdr(d, pn, 0x20000);
	memcpy(d + od_brotli_hdr_SIZE, b, cn);
	free(b);
	*n = od_brotli_hdr_SIZE + cn;
	return d;
}

/* FV > file <name> > GUID-defined section(guid, data). */
static uint8_t *volume(const char *guid, const uint8_t *data, size_t dn, uint8_t name, size_t *n)
{
	size_t gl, fl;
	uint8_t *g = fb_guid_section(guid, 0x01, data, dn, &gl);
	uint8_t *file = fb_file(name, 0x07, g, gl, &fl);
	uint8_t *fv = fb_volume(file, fl, 0, n);
	free(g), free(file);
	return fv;
}

/* A raw section holding the 1 KiB test ROM 1234:1111: what gets compressed. */
static uint8_t *payload(size_t *n)
{
	size_t rl;
	uint8_t *rom = fb_rom(&rl);
	uint8_t *raw = fb_section(0x19, rom, rl, n);
	free(rom);
	return raw;
}

/* one_mib: the single-buffer limit (0 = the default). */
static int scan_lim(const uint8_t *buf, size_t n, od_ctx *c, od_err *e, unsigned one_mib)
{
	od_ctx_init(c, "t.fd");
	if (one_mib)
		c->lim.max_out_one = (uint64_t)one_mib << 20;
	od_err_clear(e);
	return od_scan(c, od_span_make(buf, n, 0), e);
}

static int scan(const uint8_t *buf, size_t n, od_ctx *c, od_err *e)
{
	return scan_lim(buf, n, c, e, 0);
}

static bool has_diag(const od_ctx *c, const char *needle)
{
	for (size_t i = 0; i < c->ndiags; i++) {
		char m[1024];
		od_err_str(&c->diags[i].err, m, sizeof(m));
		if (strstr(m, needle))
			return true;
	}
	return false;
}

static void found_through(const char *guid, const char *kind)
{
	size_t pn, dn, n;
	uint8_t *plain = payload(&pn);
	uint8_t *data = wrap(guid, plain, pn, &dn);
	uint8_t *fv = volume(guid, data, dn, 0x33, &n);
	od_ctx c;
	od_err e;
	cr_assert_eq(scan(fv, n, &c, &e), OD_OK, "%s: %s", kind, e.msg);
	cr_assert_eq(c.ndiags, 0, "%s: %zu diagnostics", kind, c.ndiags);
	cr_assert_eq(c.nhits, 1, "%s: %zu ROMs", kind, c.nhits);
	cr_assert(!c.hits[0].carved, "%s: found by carving, not by structure", kind);
	char path[512], want[256];
	snprintf(want, sizeof(want), "t.fd > FV 8C8CE578 > file 33333333 > GUID-defined section > %s > raw section > ROM 1234:1111",
		 kind);
	cr_assert_str_eq(od_node_path(c.hits[0].node, path, sizeof(path)), want);
	/* Its offset is in the decoder's output, and the answer says so
	 * (was "file" for zlib (AMD), LZMA (HP) and Brotli). */
	cr_assert_str_eq(od_hit_buffer_name(&c.hits[0]), kind);
	od_ctx_free(&c);
	/* The same stream cut in half: a diagnostic naming the decoder, no ROM. */
	free(fv);
	fv = volume(guid, data, dn / 2, 0x33, &n);
	cr_assert_eq(scan(fv, n, &c, &e), OD_OK, "%s cut: %s", kind, e.msg);
	cr_assert_eq(c.nhits, 0, "%s cut: a ROM from a cut stream", kind);
	cr_assert_geq(c.ndiags, 1, "%s cut: not reported", kind);
	od_ctx_free(&c);
	free(plain), free(data), free(fv);
}

Test(guided, gzip_section) { found_through(GUID_GZIP, "gzip"); }
Test(guided, amd_zlib_section) { found_through(GUID_ZLIB_AMD, "zlib (AMD)"); }
Test(guided, amd_zlib_second_guid) { found_through(GUID_ZLIB_AMD2, "zlib (AMD)"); }
Test(guided, hp_lzma_section) { found_through(GUID_LZMA_HP, "LZMA (HP)"); }
Test(guided, brotli_section) { found_through(GUID_BROTLI, "Brotli"); }

Test(guided, amd_zlib_size_past_the_section_is_refused)
{
	size_t pn, dn, n;
	uint8_t *plain = payload(&pn);
	uint8_t *data = wrap(GUID_ZLIB_AMD, plain, pn, &dn);
	fb_amd_zlib_hdr(data, (uint32_t)dn); /* more than follows the header */
	uint8_t *fv = volume(GUID_ZLIB_AMD, data, dn, 0x33, &n);
	od_ctx c;
	od_err e;
	cr_assert_eq(scan(fv, n, &c, &e), OD_OK, "%s", e.msg);
	cr_assert(has_diag(&c, "AMD zlib compressed size"), "not reported");
	cr_assert_eq(c.nhits, 0);
	od_ctx_free(&c);
	free(plain), free(data), free(fv);
}

/* A Brotli header that understates the output: refused, never grown; one
 * that overstates it: refused too (the stream must fill it exactly). */
Test(guided, brotli_size_must_match_the_stream)
{
	size_t pn, dn, n;
	uint8_t *plain = payload(&pn);
	uint8_t *data = wrap(GUID_BROTLI, plain, pn, &dn);
	const uint64_t sizes[2] = { pn - 1, pn + 1 };
	const char *msgs[2] = { "decodes past", "ends after" };
	for (int i = 0; i < 2; i++) {
		fb_brotli_hdr(data, sizes[i], 0x20000);
		uint8_t *fv = volume(GUID_BROTLI, data, dn, 0x33, &n);
		od_ctx c;
		od_err e;
		cr_assert_eq(scan(fv, n, &c, &e), OD_OK, "%s", e.msg);
		cr_assert(has_diag(&c, msgs[i]), "size %llu: no \"%s\" diagnostic", (unsigned long long)sizes[i], msgs[i]);
		cr_assert_eq(c.nhits, 0);
		od_ctx_free(&c);
		free(fv);
	}
	free(plain), free(data);
}

/* Bombs: a Brotli header claiming 8 GiB is refused before allocating; an
 * AMD zlib stream (no stated size) inflating past the single-buffer limit
 * is refused after counting, naming the limit to raise. */
Test(guided, bombs_are_refused_naming_the_limit)
{
	size_t pn, dn, n;
	uint8_t *plain = payload(&pn);
	uint8_t *data = wrap(GUID_BROTLI, plain, pn, &dn);
	fb_brotli_hdr(data, 8ull << 30, 0x20000);
	uint8_t *fv = volume(GUID_BROTLI, data, dn, 0x33, &n);
	od_ctx c;
	od_err e;
	cr_assert_eq(scan(fv, n, &c, &e), OD_E_LIMIT, "%s", e.msg);
	cr_assert(strstr(e.msg, "--limit one=MiB"), "%s", e.msg);
	cr_assert_eq(c.out_used, 0);
	od_ctx_free(&c), free(data), free(fv);

	size_t zn = 8u << 20;
	uint8_t *zeros = calloc(1, zn);
	data = wrap(GUID_ZLIB_AMD, zeros, zn, &dn);
	free(zeros);
	fv = volume(GUID_ZLIB_AMD, data, dn, 0x33, &n);
	cr_assert_eq(scan_lim(fv, n, &c, &e, 1), OD_E_LIMIT, "%s", e.msg);
	cr_assert(strstr(e.msg, "decompression bomb") && strstr(e.msg, "--limit one=MiB"), "%s", e.msg);
	cr_assert_eq(c.out_used, 0);
	od_ctx_free(&c), free(data), free(fv), free(plain);
}

/* AMD laptop flash: EFS (signature 0x55AA55AA at 0x20000, AMD PSP
 * specification as coreboot's amdfwtool writes it), a "$PSP" directory, then
 * the BIOS volumes far into the image, one with AMD zlib, one with Brotli.
 * Both ROMs must be found by structure. */
Test(guided, volumes_after_psp_directories_are_found)
{
	size_t img_len = 2u << 20;
	uint8_t *img = malloc(img_len);
	memset(img, 0xFF, img_len);
	od_put32(img + 0x20000, 0x55AA55AA);
	od_put32(img + 0x20014, 0x40000); /* EFS: PSP directory pointer */
	memcpy(img + 0x40000, "$PSP", 4);
	od_put32(img + 0x40008, 2);        /* two entries */
	size_t pn, dn, n;
	uint8_t *plain = payload(&pn);
	const char *guids[2] = { GUID_ZLIB_AMD, GUID_BROTLI };
	const size_t at[2] = { 0x100000, 0x180000 };
	for (int i = 0; i < 2; i++) {
		uint8_t *data = wrap(guids[i], plain, pn, &dn);
		uint8_t *fv = volume(guids[i], data, dn, (uint8_t)(0x51 + i), &n);
		cr_assert_lt(n, 0x80000);
		memcpy(img + at[i], fv, n);
		free(data), free(fv);
	}
	od_ctx c;
	od_err e;
	cr_assert_eq(scan(img, img_len, &c, &e), OD_OK, "%s", e.msg);
	cr_assert_eq(c.nhits, 2, "%zu ROMs", c.nhits);
	char path[512];
	cr_assert(strstr(od_node_path(c.hits[0].node, path, sizeof(path)), "file 51515151 > GUID-defined section > zlib (AMD)"),
		  "%s", path);
	cr_assert(strstr(od_node_path(c.hits[1].node, path, sizeof(path)), "file 52525252 > GUID-defined section > Brotli"),
		  "%s", path);
	cr_assert(!c.hits[0].carved && !c.hits[1].carved);
	od_ctx_free(&c);
	free(plain), free(img);
}

/* The committed seeds (corpus/make-seeds, made by the same real tools) walk
 * to their ROM without the tools installed: a fresh clone covers every
 * decoder. Each seed is fuzz_ffs's input: mode byte 1 (a section run). */
Test(guided, committed_seeds_decode_without_the_tools)
{
	const char *src = getenv("OD_SRC");
	const char *names[] = { "gzip", "amd-zlib", "amd-zlib2", "hp-lzma", "brotli" };
	const char *kinds[] = { "gzip", "zlib (AMD)", "zlib (AMD)", "LZMA (HP)", "Brotli" };
	for (int i = 0; i < 5; i++) {
		char p[1024];
		snprintf(p, sizeof(p), "%s/corpus/ffs/guided-%s-sections.bin", src ? src : ".", names[i]);
		size_t n;
		uint8_t *buf = tu_read(p, &n);
		cr_assert_not_null(buf, "%s missing", p);
		od_ctx c;
		od_err e;
		od_ctx_init(&c, "seed");
		od_err_clear(&e);
		od_span s = od_span_make(buf + 1, n - 1, 1);
		cr_assert_eq(od_enter(&c, OD_KIND_INPUT, s, &e, "seed"), OD_OK);
		cr_assert_eq(od_sections_walk(&c, s, &e), OD_OK, "%s: %s", names[i], e.msg);
		cr_assert_eq(c.nhits, 1, "%s: %zu ROMs", names[i], c.nhits);
		char path[512], want[128];
		snprintf(want, sizeof(want), "seed > GUID-defined section > %s > raw section > ROM", kinds[i]);
		cr_assert(strstr(od_node_path(c.hits[0].node, path, sizeof(path)), want), "%s: %s", names[i], path);
		od_ctx_free(&c);
		free(buf);
	}
}

/* A ROM in an Inno Setup chunk (the committed seed: an FV inside an LZMA1
 * chunk of an 805-byte installer) sits at 0x81 of the chunk's output, not of
 * the file: its buffer is the chunk (was "file"). */
Test(guided, inno_chunk_offset_names_the_chunk)
{
	const char *src = getenv("OD_SRC");
	char p[512];
	snprintf(p, sizeof(p), "%s/corpus/inno/29d4362d03c5261194e8e5a1059a40b06e7c1898", src ? src : ".");
	size_t n;
	uint8_t *buf = tu_read(p, &n);
	cr_assert_not_null(buf, "%s absent", p);
	od_ctx c;
	od_err e;
	cr_assert_eq(scan(buf, n, &c, &e), OD_OK, "%s", e.msg);
	cr_assert_eq(c.nhits, 1);
	cr_assert_eq(c.hits[0].rom.off, 0x81);
	cr_assert_gt(0x81 + c.hits[0].rom.len, n, "the ROM does not fit the file: it is in the chunk's output");
	cr_assert_str_eq(od_hit_buffer_name(&c.hits[0]), "Inno chunk");
	od_ctx_free(&c);
	free(buf);
}
