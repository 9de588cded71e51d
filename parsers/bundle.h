/* Contribution bundles: a self-describing file of catalogue images and
 * their provenance, written by `contribute` and read by `import`.
 *
 * Layout (all integers little-endian):
 *   "ODBUNDLE"  u32 version (1)  u32 manifest length  u64 data length
 *   manifest: UTF-8 text, one record per line, fields separated by spaces,
 *             values percent-encoded (%20 for space, %0A for newline):
 *     image SHA256 OFFSET SIZE            (OFFSET/SIZE in the data part)
 *     source SHA256 KEY=VALUE...          (obtained, container, container_sha256,
 *                                          path, offset, model, bios, subsys)
 *     note KEY=VALUE...                   (creator, created; ignored by import)
 *   data: the image bytes.
 * The reader checks structure only (no hashing: parsers link no crypto);
 * `import` re-hashes every image against its manifest line. */
#ifndef OD_BUNDLE_H
#define OD_BUNDLE_H

#include "reader.h"

#define OD_BUNDLE_MAX_IMAGES 100000
#define OD_BUNDLE_FIELD_MAX 1024

typedef struct od_bundle_source {
	char sha256[65];
	char obtained[16];
	char container[OD_BUNDLE_FIELD_MAX], container_sha256[65], path[OD_BUNDLE_FIELD_MAX];
	char model[256], bios[128];
	uint64_t offset;
	bool has_subsys;
	uint16_t sub_vendor, sub_device;
} od_bundle_source;

typedef struct od_bundle_cb {
	int (*image)(void *arg, const char *sha256, od_span bytes, od_err *e);
	int (*source)(void *arg, const od_bundle_source *s, od_err *e);
	void *arg;
} od_bundle_cb;

/* Walks a bundle; every source must name an image listed before it. */
int od_bundle_walk(od_span s, const od_bundle_cb *cb, od_err *e);

/* Percent-encodes v into out (for writers); returns false if it does not fit. */
bool od_bundle_encode(const char *v, char *out, size_t n);

#endif
