/* SPDX-License-Identifier: BSD-2-Clause */
/* od-mkseed: the fuzz seeds that are layouts (FV/FFS cuts, capsules, FMP,
 * GUID-defined section wrappers), written by the same layout writers as the
 * unit tests' fixtures (tests/unit/fvbuild.c on parsers/layout/). Called by
 * corpus/make-seeds, which keeps the parts that run real tools (compressors,
 * gcab, cbfstool, Debian's OVMF). Deterministic: rerun and
 * `git diff --stat corpus/` stays empty.
 *   od-mkseed layouts CORPUS_DIR
 *   od-mkseed guided GUID DATA_FILE OUT   (mode byte 1 + GUID-defined section)
 *   od-mkseed amd-zlib ZLIB_FILE OUT      (EFI_AMD_ZLIB_SECTION_HEADER + stream)
 *   od-mkseed lzma-size LZMA_FILE SIZE OUT (xz's .lzma with the size edk2 writes)
 *   od-mkseed brotli BROTLI_FILE SIZE SCRATCH OUT (edk2's Brotli header + stream) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fvbuild.h"
#include "layout/codec.h"
#include "layout/uefi.h"

static uint8_t *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(1);
	}
	size_t cap = 1 << 16, len = 0;
	uint8_t *p = malloc(cap);
	size_t got;
	while ((got = fread(p + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap)
			p = realloc(p, cap *= 2);
	}
	fclose(f);
	*n = len;
	return p;
}

/* dir/name (name alone when dir is NULL); mode: the fuzz_ffs harness's
 * first byte, -1 for none. */
static void emit(const char *dir, const char *name, int mode, const uint8_t *p, size_t n)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s%s%s", dir ? dir : "", dir ? "/" : "", name);
	FILE *f = fopen(path, "wb");
	if (!f || (mode >= 0 && fputc(mode, f) == EOF) || (n && fwrite(p, 1, n, f) != n) || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static void die(const char *what, const od_err *e)
{
	char m[1024];
	fprintf(stderr, "od-mkseed: %s: %s\n", what, od_err_str(e, m, sizeof(m)));
	exit(1);
}

/* fuzz_ffs seeds: mode 2 (files, erase polarity 1) = the volume body; mode 1
 * (sections) = the first file's data. */
static void ffs_cuts(const char *dir, const char *name)
{
	char in[1024], out[256];
	snprintf(in, sizeof(in), "%s/scan/%s.fv", dir, name);
	size_t n;
	uint8_t *fv = slurp(in, &n);
	od_span s = od_span_make(fv, n, 0);
	od_fvh h;
	od_ffs f;
	od_err e;
	od_err_clear(&e);
	if (od_fvh_read(s, 0, &h, &e) || od_ffs_read(s, h.hdr_len, &f, &e))
		die(in, &e);
	if (h.hdr_len > n || f.size < od_ffs_SIZE || f.size > n - h.hdr_len) {
		fprintf(stderr, "od-mkseed: %s: first file does not fit\n", in);
		exit(1);
	}
	snprintf(out, sizeof(out), "ffs/%s-files.bin", name);
	emit(dir, out, 0x02, fv + h.hdr_len, n - h.hdr_len);
	snprintf(out, sizeof(out), "ffs/%s-sections.bin", name);
	emit(dir, out, 0x01, fv + h.hdr_len + od_ffs_SIZE, f.size - od_ffs_SIZE);
	free(fv);
}

/* The capsule variants the first corpus lacked (UEFI 2.10 sec. 8.5.3 and
 * 23.3): Toshiba, Lenovo, and FMP capsules with one v2 image each -- plain,
 * behind an MSS1 payload header, and signed. */
#define FLAGS_PERSIST_INITIATE 0x50000 /* CAPSULE_FLAGS_PERSIST_ACROSS_RESET | _INITIATE_RESET */
static void fmp_capsule(const char *dir, const char *name, const uint8_t *pre, size_t pn, const uint8_t *fv, size_t fn)
{
	size_t in, itn, bn, cn;
	uint8_t *img = fb_cat(pre, pn, fv, fn, &in);
	uint8_t *item = fb_fmp_item(2, "12345678-1234-4321-ABCD-0123456789AB", 1, img, in, &itn);
	uint8_t *body = fb_fmp(item, itn, &bn);
	uint8_t *cap = fb_capsule("6DCBD5ED-E82D-4C44-BDA1-7194199AD92A", false, 32, FLAGS_PERSIST_INITIATE, 0xFF, body,
				  bn, &cn);
	emit(dir, name, -1, cap, cn);
	free(img), free(item), free(body), free(cap);
}

static void capsules(const char *dir)
{
	char in[1024];
	snprintf(in, sizeof(in), "%s/scan/gen-rom-raw-section.fv", dir);
	size_t fn, cn, pn;
	uint8_t *fv = slurp(in, &fn);
	uint8_t *cap = fb_capsule("3BE07062-1D51-45D2-832B-F093257ED461", true, 32, 0, 0xFF, fv, fn, &cn);
	emit(dir, "capsule/gen-toshiba.cap", -1, cap, cn);
	free(cap);
	cap = fb_capsule("E20BAFD3-9914-4F4F-9537-3129E090EB3C", false, 32, FLAGS_PERSIST_INITIATE, 0xFF, fv, fn, &cn);
	emit(dir, "capsule/gen-lenovo.cap", -1, cap, cn);
	free(cap);
	fmp_capsule(dir, "capsule/gen-fmp.cap", NULL, 0, fv, fn);
	uint8_t *pre = fb_fmp_payload(0x10000, 0x10000, &pn);
	fmp_capsule(dir, "capsule/gen-fmp-mss1.cap", pre, pn, fv, fn);
	free(pre);
	static const uint8_t cert[8] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
	pre = fb_fmp_auth(7, "4AAFD29D-68DF-49EE-8AA9-347D375665A7", cert, sizeof(cert), &pn);
	fmp_capsule(dir, "capsule/gen-fmp-signed.cap", pre, pn, fv, fn);
	free(pre), free(fv);
}

/* nvflash dump headers (nova-core vbios.rs): v2 with the ROM offset after
 * the fixed part, v3 with an RFRD directory, and an unknown version found by
 * the 512-byte scan, around scan/gen-legacy-1image.rom. */
static void nvgi(const char *dir)
{
	char in[1024];
	snprintf(in, sizeof(in), "%s/scan/gen-legacy-1image.rom", dir);
	size_t rn, n;
	uint8_t *rom = slurp(in, &rn);
	static const struct {
		unsigned version;
		const char *name;
	} v[] = { { 2, "nvgi/gen-nvgi-v2.bin" }, { 3, "nvgi/gen-nvgi-v3.bin" }, { 9, "nvgi/gen-nvgi-scan.bin" } };
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t *d = fb_nvgi(v[i].version, rom, rn, &n);
		emit(dir, v[i].name, -1, d, n);
		free(d);
	}
	free(rom);
}

/* A 4 KiB descriptor and a BIOS region holding a volume (PCH, signature at
 * 0x10) or a ROM (ICH8, at 0). */
static void ifd(const char *dir)
{
	static const struct {
		size_t sig_at;
		const char *in, *out;
	} v[] = { { 0x10, "scan/gen-rom-raw-section.fv", "ifd/gen-ifd-pch-bios-fv.bin" },
		  { 0, "scan/gen-legacy-1image.rom", "ifd/gen-ifd-ich8-bios-rom.bin" } };
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char in[1024];
		size_t bn, n;
		snprintf(in, sizeof(in), "%s/%s", dir, v[i].in);
		uint8_t *bios = slurp(in, &bn);
		uint8_t *d = fb_ifd(v[i].sig_at, bios, bn, &n);
		emit(dir, v[i].out, -1, d, n);
		free(bios), free(d);
	}
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "layouts")) {
		ffs_cuts(argv[2], "gen-rom-raw-section");
		ffs_cuts(argv[2], "gen-lzma-section");
		capsules(argv[2]);
		nvgi(argv[2]);
		ifd(argv[2]);
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "guided")) {
		size_t dn, n;
		uint8_t *data = slurp(argv[3], &dn);
		uint8_t *sec = fb_guid_section(argv[2], 0x01, data, dn, &n); /* PROCESSING_REQUIRED */
		emit(NULL, argv[4], 0x01, sec, n);
		free(data), free(sec);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "amd-zlib")) {
		size_t zn;
		uint8_t *z = slurp(argv[2], &zn);
		uint8_t *d = malloc(od_amd_zlib_SIZE + zn);
		fb_amd_zlib_hdr(d, (uint32_t)zn);
		memcpy(d + od_amd_zlib_SIZE, z, zn);
		emit(NULL, argv[3], -1, d, od_amd_zlib_SIZE + zn);
		free(z), free(d);
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "lzma-size")) {
		size_t zn;
		uint8_t *z = slurp(argv[2], &zn);
		if (zn < od_lzma_hdr_SIZE) {
			fprintf(stderr, "od-mkseed: %s: no LZMA header\n", argv[2]);
			return 1;
		}
		fb_lzma_size(z, strtoull(argv[3], NULL, 0));
		emit(NULL, argv[4], -1, z, zn);
		free(z);
		return 0;
	}
	if (argc == 6 && !strcmp(argv[1], "brotli")) {
		size_t bn;
		uint8_t *b = slurp(argv[2], &bn);
		uint8_t *d = malloc(od_brotli_hdr_SIZE + bn);
		fb_brotli_hdr(d, strtoull(argv[3], NULL, 0), strtoull(argv[4], NULL, 0));
		memcpy(d + od_brotli_hdr_SIZE, b, bn);
		emit(NULL, argv[5], -1, d, od_brotli_hdr_SIZE + bn);
		free(b), free(d);
		return 0;
	}
	fprintf(stderr, "usage: od-mkseed layouts CORPUS_DIR | guided GUID DATA OUT | amd-zlib ZLIB OUT |\n"
			"       lzma-size LZMA SIZE OUT | brotli BROTLI SIZE SCRATCH OUT\n");
	return 2;
}
