/* SPDX-License-Identifier: BSD-2-Clause */
/* Catalogue benchmark (not a test): ingest throughput and lookup latency
 * p50/p99 at N synthetic image rows, in process (no exec cost), over all
 * lookups and over those that found rows (a device with ~N/4096 images:
 * the ones that read the most). OD_BENCH_REUSE=1 keeps a DB of N rows made
 * by an earlier run instead of ingesting again.
 * usage: od-bench-lookup DB N [LOOKUPS] */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalogue.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int count_cb(const od_image_row *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return fprintf(stderr, "usage: %s DB N [LOOKUPS]\n", argv[0]), 3;
	long n = atol(argv[2]), q = argc > 3 ? atol(argv[3]) : 5000;
	od_db *db;
	od_err e;
	od_err_clear(&e);
	bool reuse = getenv("OD_BENCH_REUSE") && *getenv("OD_BENCH_REUSE") == '1';
	if (!reuse)
		remove(argv[1]);
	if (od_db_open(argv[1], false, &db, &e))
		return fprintf(stderr, "%s\n", e.msg), 4;
	uint8_t rom[256];
	double t0 = now();
	srand(42);
	for (long i = 0; i < (reuse ? 0 : n); i++) {
		if (i % 20000 == 0 && (i ? od_db_commit(db, &e) : 0) + od_db_begin(db, &e))
			return fprintf(stderr, "%s\n", e.msg), 4;
		for (size_t k = 0; k < sizeof(rom); k++)
			rom[k] = (uint8_t)rand();
		memcpy(rom, &i, sizeof(i));
		od_image_meta m = { .vendor = (uint16_t)(0x1000 + i % 64), .device = (uint16_t)(i % 4096),
				    .class_code = 0x030000, .is_vbios = true, .has_subsys = true,
				    .sub_vendor = (uint16_t)(i % 16), .sub_device = (uint16_t)(i % 1024) };
		od_source s = { .container_name = "bench", .container_path = "bench > ROM", .obtained = "update" };
		bool a, b;
		if (od_db_add(db, rom, sizeof(rom), &m, &s, &a, &b, &e))
			return fprintf(stderr, "%s\n", e.msg), 4;
	}
	if (!reuse)
		od_db_commit(db, &e);
	double ingest = now() - t0;
	double *lat = malloc(sizeof(double) * (size_t)q), *hit = malloc(sizeof(double) * (size_t)q);
	int rows = 0;
	long nhit = 0;
	for (long i = 0; i < q; i++) {
		uint16_t v = (uint16_t)(0x1000 + rand() % 64), d = (uint16_t)(rand() % 4096);
		int before = rows;
		double a = now();
		od_db_lookup(db, v, d, (uint16_t)(d % 16), (uint16_t)(d % 1024), count_cb, &rows, &e);
		lat[i] = (now() - a) * 1e3;
		if (rows > before)
			hit[nhit++] = lat[i];
	}
	qsort(lat, (size_t)q, sizeof(double), cmp);
	qsort(hit, (size_t)nhit, sizeof(double), cmp);
	if (reuse)
		printf("rows %ld (reused):", n);
	else
		printf("rows %ld: ingest %.0f images/s;", n, (double)n / ingest);
	printf(" lookup p50 %.3f ms, p99 %.3f ms (%ld lookups, %d rows returned)", lat[q / 2], lat[q * 99 / 100], q, rows);
	if (nhit)
		printf("; the %ld that found rows: p50 %.3f ms, p99 %.3f ms", nhit, hit[nhit / 2], hit[nhit * 99 / 100]);
	printf("\n");
	free(lat);
	free(hit);
	od_db_close(db);
	return 0;
}
