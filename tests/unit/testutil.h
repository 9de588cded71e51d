/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers shared by the criterion unit tests. */
#ifndef OD_TESTUTIL_H
#define OD_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Reads a whole file into a malloc'd buffer; NULL when absent. */
uint8_t *tu_read(const char *path, size_t *len);
/* Path to ../shared/corpus/<rel>, or NULL (and a "skipping" line on stderr)
 * when the shared corpus is absent, as in a user's fresh clone. */
const char *tu_shared(const char *rel, char *buf, size_t n);
/* Same for files Debian packages install (e.g. /usr/share/seabios/...). */
int tu_exists(const char *path);

#endif
