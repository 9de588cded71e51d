/* SPDX-License-Identifier: BSD-2-Clause */
/* In-process scan time vs the decode floor (issue 13 sec. 5), single thread:
 *   od-bench-scan FILE [RUNS]
 * scan  = od_scan on the whole image (walk, decoders, carving), mean of RUNS;
 * floor = the decompressors alone on exactly the compressed streams the walk
 *         decoded (found from its tree: the section above each LZMA / Tiano /
 *         EFI 1.1 node, UEFI PI vol. 3 sec. 2.2.4 layouts), mean of RUNS.
 * Prints "image scan_ms floor_ms scan/floor streams". Not a test. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decompress.h"
#include "walk.h"

typedef struct stream {
	od_span in;
	int kind; /* 0 LZMA, 1 LZMA x86, 2 Tiano, 3 EFI 1.1 */
} stream;

static stream streams[65536];
static size_t nstreams;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* 0 LZMA, 1 LZMA x86, 2 Tiano, 3 EFI 1.1 (decode_all's codes); -1 other. */
static int kind_of(od_kind k)
{
	static const od_kind kinds[] = { OD_KIND_LZMA, OD_KIND_LZMA_X86, OD_KIND_TIANO, OD_KIND_EFI11 };
	for (int i = 0; i < 4; i++)
		if (k == kinds[i])
			return i;
	return -1;
}

/* The compressed bytes of a section node: EFI_COMPRESSION_SECTION data after
 * its 5-byte header, or EFI_GUID_DEFINED_SECTION data at DataOffset. */
static bool stream_of(const od_node *sec, od_span *out)
{
	od_span s = od_span_make(sec->data, (size_t)sec->size, 0);
	uint32_t size;
	uint8_t type;
	uint16_t data_off;
	size_t hdr = 4;
	if (od_u24(s, 0, &size, NULL) || od_u8(s, 3, &type, NULL))
		return false;
	if (size == 0xFFFFFF)
		hdr = 8;
	if (type == 0x01)
		return !od_tail(s, hdr + 5, out, NULL);
	if (type == 0x02)
		return !od_u16(s, hdr + 16, &data_off, NULL) && !od_tail(s, data_off, out, NULL);
	return false;
}

static void collect(const od_node *n)
{
	for (; n; n = n->next) {
		int k = kind_of(n->kind);
		od_span in;
		if (k >= 0 && n->parent && n->parent->kind == OD_KIND_SECTION && stream_of(n->parent, &in) &&
		    nstreams < sizeof(streams) / sizeof(streams[0]))
			streams[nstreams++] = (stream){ in, k };
		collect(n->first);
	}
}

static void decode_all(void)
{
	for (size_t i = 0; i < nstreams; i++) {
		od_ctx c;
		od_err e;
		od_span out;
		od_ctx_init(&c, "floor");
		if (streams[i].kind <= 1)
			od_lzma_decompress(&c, streams[i].in, streams[i].kind == 1, &out, &e);
		else
			od_efi_decompress(&c, streams[i].in, streams[i].kind == 2 ? OD_EFI_TIANO : OD_EFI_V1, &out, NULL, &e);
		od_ctx_free(&c);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: od-bench-scan FILE [RUNS]\n");
		return 3;
	}
	int runs = argc > 2 ? atoi(argv[2]) : 10;
	FILE *f = fopen(argv[1], "rb");
	if (!f)
		return 4;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = malloc((size_t)len);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
		return 4;
	fclose(f);
	od_span in = od_span_make(buf, (size_t)len, 0);
	od_ctx keep;
	od_err e;
	od_ctx_init(&keep, "image");
	od_scan(&keep, in, &e);
	collect(keep.root);
	double t0 = now();
	for (int r = 0; r < runs; r++) {
		od_ctx c;
		od_ctx_init(&c, "image");
		od_scan(&c, in, &e);
		od_ctx_free(&c);
	}
	double scan = (now() - t0) / runs;
	t0 = now();
	for (int r = 0; r < runs; r++)
		decode_all();
	double floor = (now() - t0) / runs;
	const char *base = strrchr(argv[1], '/');
	printf("%-28s %9.3f %9.3f %7.2fx %5zu\n", base ? base + 1 : argv[1], scan * 1e3, floor * 1e3,
	       floor > 0 ? scan / floor : 0.0, nstreams);
	od_ctx_free(&keep);
	free(buf);
	return 0;
}
