/* SPDX-License-Identifier: BSD-2-Clause */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

uint8_t *tu_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap *= 2);
			if (!nb) {
				free(buf);
				buf = NULL;
			}
			buf = nb;
		}
	}
	fclose(f);
	*len = n;
	return buf;
}

const char *tu_shared(const char *rel, char *buf, size_t n)
{
	const char *root = getenv("OD_SHARED");
	if (!root)
		root = "../shared";
	snprintf(buf, n, "%s/corpus/%s", root, rel);
	if (access(buf, R_OK) != 0) {
		fprintf(stderr, "skipping: shared corpus file %s absent (no ../shared beside the checkout)\n", buf);
		return NULL;
	}
	return buf;
}

int tu_exists(const char *path)
{
	return access(path, R_OK) == 0;
}
