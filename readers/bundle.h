/* SPDX-License-Identifier: BSD-2-Clause */
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
 *   data: the image bytes. Image ranges are listed in ascending order and
 *         never overlap (so the bytes imported never exceed the bundle's).
 * The reader checks structure and the text fields (od_field_problem: the
 * same limits as `add` and `contribute`); no hashing (parsers link no
 * crypto): `import` re-hashes every image and runs it through the ROM
 * parser. */
#ifndef OD_BUNDLE_H
#define OD_BUNDLE_H

#include "reader.h"

#define OD_BUNDLE_MAX_IMAGES 100000
/* One image: a PCI expansion ROM BAR is at most 16 MiB (PCI 3.0, 6.2.5.2). */
#define OD_BUNDLE_IMAGE_MAX (16u << 20)
/* The whole data part, a cap on what one import can add. */
#define OD_BUNDLE_DATA_MAX (4ull << 30)

/* Text field limits of a source (bytes, without the NUL): one set for `add`,
 * the bundle writer and the reader, so what one accepts the others do. */
#define OD_FIELD_CONTAINER_MAX 1023
#define OD_FIELD_PATH_MAX 4095
#define OD_FIELD_MODEL_MAX 255
#define OD_FIELD_BIOS_MAX 127
#define OD_FIELD_OBTAINED_MAX 15
#define OD_BUNDLE_FIELD_MAX OD_FIELD_PATH_MAX /* the longest of them */

/* NULL when v is acceptable as a text field of at most max bytes: valid
 * UTF-8 without C0/C1 control characters or DEL (they would reach the
 * terminal); else a short reason ("too long", "control character"). */
const char *od_field_problem(const char *v, size_t max);

/* Copies v into out (n bytes) with every control character, DEL and byte
 * that is not valid UTF-8 replaced by '?' and cut to fit at a character
 * boundary: for names the user did not choose (file names, container paths). */
void od_field_sanitize(const char *v, char *out, size_t n);

typedef struct od_bundle_source {
	char sha256[65];
	char obtained[OD_FIELD_OBTAINED_MAX + 1];
	char container[OD_FIELD_CONTAINER_MAX + 1], container_sha256[65], path[OD_FIELD_PATH_MAX + 1];
	char model[OD_FIELD_MODEL_MAX + 1], bios[OD_FIELD_BIOS_MAX + 1];
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
