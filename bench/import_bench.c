/* SPDX-License-Identifier: BSD-2-Clause */
/* Bundle import benchmark (not a test): a bundle of N distinct, valid
 * 512-byte option ROMs, checked (no catalogue) and imported into a new
 * catalogue, in process. Linear in N means the per-image time stays flat
 * from 10,000 to 100,000 images (before the hash set the reader compared
 * each record with every earlier one: 100,000 images took 75 s).
 * Then the same images as a catalogue repository: contribute --to DIR of all
 * of them, import DIR into a new catalogue, and import DIR again (every
 * file skipped by hash).
 * usage: od-bench-import DB N [DIR] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hash.h"
#include "ingest.h"
#include "layout/vendor.h"
#include "repo.h"

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

typedef struct repo_run {
	od_db *db;
	const char *dir;
	od_repo_counts c;
	int failed;
} repo_run;

static int to_repo(const od_image_row *row, void *arg)
{
	repo_run *r = arg;
	od_err e;
	od_err_clear(&e);
	if (od_repo_contribute(r->db, r->dir, row, &r->c, &e)) {
		fprintf(stderr, "contribute: %s\n", e.msg);
		r->failed++;
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return fprintf(stderr, "usage: %s DB N [DIR]\n", argv[0]), 3;
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
	od_bundle_hdr h = { .version = 1, .manifest_len = (uint32_t)mlen, .data_len = (uint64_t)n * 512 };
	memcpy(h.tag, OD_BUNDLE_TAG, 8);
	od_bundle_hdr_write(&h, b);
	memcpy(b + od_bundle_hdr_SIZE, man, mlen);
	memcpy(b + od_bundle_hdr_SIZE + mlen, data, (size_t)n * 512);
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
	printf("import %ld images: check %.2f s (%.1f us/image), import %.2f s (%.1f us/image), %d new\n", n, t1 - t0,
	       (t1 - t0) * 1e6 / (double)n, t3 - t2, (t3 - t2) * 1e6 / (double)n, c.new_images);
	if (argc > 3) {
		repo_run r = { db, argv[3], { 0 }, 0 };
		double t4 = now();
		od_db_each_image(db, to_repo, &r, &e);
		double t5 = now();
		od_db_close(db);
		char path[4096];
		snprintf(path, sizeof(path), "%s.repo", argv[1]);
		remove(path);
		if (r.failed || od_db_open(path, false, &db, &e))
			return fprintf(stderr, "repo: %s\n", e.msg), 4;
		od_repo_counts rc;
		double t6 = now();
		if (od_repo_import(db, argv[3], &rc, NULL, NULL, &e))
			return fprintf(stderr, "import DIR: %s\n", e.msg), 4;
		double t7 = now();
		od_repo_counts again;
		if (od_repo_import(db, argv[3], &again, NULL, NULL, &e))
			return fprintf(stderr, "import DIR: %s\n", e.msg), 4;
		double t8 = now();
		printf("repository of %ld images: contribute %.2f s (%.1f us/image), import DIR %.2f s (%.1f us/image, %d new,"
		       " %d refused), again %.2f s (%d skipped)\n",
		       n, t5 - t4, (t5 - t4) * 1e6 / (double)n, t7 - t6, (t7 - t6) * 1e6 / (double)n, rc.new_images, rc.failed,
		       t8 - t7, again.skipped);
	}
	od_db_close(db);
	free(man), free(data), free(b);
	return 0;
}
