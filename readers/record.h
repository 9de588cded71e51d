/* SPDX-License-Identifier: BSD-2-Clause */
/* Source records of a catalogue repository (README "Contributing"):
 * sources/<image sha256>/<sha256 of the record>.json, one flat JSON object
 * (RFC 8259) per place an image was found, with string members and one
 * non-negative integer (offset):
 *   image_sha256 (required), obtained (required: update|spi|host|rom|bundle),
 *   container, container_sha256, container_path, offset, model,
 *   bios_version, subsystem ("1028:06da"), added ("2026-12-01T10:00:00Z"),
 *   optimus_db_version.
 * Unknown members are skipped (newer writers may add some); nesting, true,
 * false, null, duplicate members and anything after the object are refused.
 * Text fields hold the bundle limits (bundle.h: od_field_problem). The
 * writer emits the canonical form (sorted members, one per line), so equal
 * records are equal files with equal names. */
#ifndef OD_RECORD_H
#define OD_RECORD_H

#include "bundle.h"

#define OD_RECORD_MAX (64u * 1024u)

typedef struct od_record {
	od_bundle_source src;  /* sha256 = image_sha256 */
	char added[21];        /* "" or YYYY-MM-DDTHH:MM:SSZ */
	char version[32];      /* optimus_db_version */
} od_record;

int od_record_parse(od_span s, od_record *r, od_err *e);

/* Canonical text of r into out (n bytes, NUL-terminated); returns its length,
 * or 0 when it does not fit or a field breaks the limits. */
size_t od_record_write(const od_record *r, char *out, size_t n);

#endif
