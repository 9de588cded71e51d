/* SPDX-License-Identifier: BSD-2-Clause */
/* Bundle import benchmark (not a test): a bundle of N distinct, valid
 * 512-byte option ROMs, checked (no catalogue) and imported into a new
 * catalogue, in process. Linear in N means the per-image time stays flat
 * from 10,000 to 100,000 images (before the hash set the reader compared
 * each record with every earlier one: 100,000 images took 75 s).
 * usage: od-bench-import DB N */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hash.h"
#include "ingest.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* One legacy x86 image (PCI Firmware Spec 3.0 5.1: 55 AA, size in 512-byte
 * units at 2, PCIR pointer at 0x18; PCIR table 5-2), unique bytes at 0x100,
 * the 8-bit sum fixed to 0 in the last byte. */
static void make_rom(uint8_t *r, long i)
{
	memset(r, 0, 512);
	r[0] = 0x55, r[1] = 0xAA, r[2] = 1;
	le(r + 0x18, 0x20, 2);
	memcpy(r + 0x20, "PCIR", 4);
	le(r + 0x24, 0x1234, 2);
	le(r + 0x26, 0x1111, 2);
	le(r + 0x2A, 0x18, 2);
	r[0x2C] = 3;
	r[0x2F] = 0x03; /* class 03 00 00: display */
	le(r + 0x30, 1, 2);
	r[0x35] = 0x80; /* last image */
	le(r + 0x100, (uint64_t)i, 8);
	uint8_t sum = 0;
	for (int k = 0; k < 511; k++)
		sum = (uint8_t)(sum + r[k]);
	r[511] = (uint8_t)-sum;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return fprintf(stderr, "usage: %s DB N\n", argv[0]), 3;
	long n = atol(argv[2]);
	size_t mcap = (size_t)n * 256 + 64, mlen = 0;
	char *man = malloc(mcap);
	uint8_t *data = malloc((size_t)n * 512);
	if (!man || !data)
		return 4;
	for (long i = 0; i < n; i++) {
		make_rom(data + i * 512, i);
		char sha[65];
		od_sha256_hex(data + i * 512, 512, sha);
		mlen += (size_t)snprintf(man + mlen, mcap - mlen, "image %s %ld 512\nsource %s model=bench container=b%ld.bin\n",
					 sha, i * 512, sha, i);
	}
	size_t len = 24 + mlen + (size_t)n * 512;
	uint8_t *b = malloc(len);
	if (!b)
		return 4;
	memcpy(b, "ODBUNDLE", 8);
	le(b + 8, 1, 4);
	le(b + 12, mlen, 4);
	le(b + 16, (uint64_t)n * 512, 8);
	memcpy(b + 24, man, mlen);
	memcpy(b + 24 + mlen, data, (size_t)n * 512);
	od_span s = od_span_make(b, len, 0);
	od_import_counts c;
	od_err e;
	od_err_clear(&e);
	double t0 = now();
	if (od_import_bundle(NULL, s, &c, &e))
		return fprintf(stderr, "check: %s\n", e.msg), 2;
	double t1 = now();
	od_db *db;
	remove(argv[1]);
	if (od_db_open(argv[1], false, &db, &e))
		return fprintf(stderr, "%s\n", e.msg), 4;
	double t2 = now();
	if (od_import_bundle(db, s, &c, &e))
		return fprintf(stderr, "import: %s\n", e.msg), 2;
	double t3 = now();
	od_db_close(db);
	printf("import %ld images: check %.2f s (%.1f us/image), import %.2f s (%.1f us/image), %d new\n", n, t1 - t0,
	       (t1 - t0) * 1e6 / (double)n, t3 - t2, (t3 - t2) * 1e6 / (double)n, c.new_images);
	free(man), free(data), free(b);
	return 0;
}
