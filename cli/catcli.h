/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers shared by the catalogue commands. */
#ifndef OD_CATCLI_H
#define OD_CATCLI_H

#include "catalogue.h"
#include "cli.h"

/* Opens the catalogue named by --db / OPTIMUS_DB / XDG; prints errors.
 * Returns an exit code (0 on success). */
int od_open_catalogue(const char *db_opt, bool readonly, od_db **db);
/* "10de:139b" -> 0x10de, 0x139b. */
bool od_parse_ids(const char *s, uint16_t *a, uint16_t *b);
/* "10de:139b:1028:07be" -> up to max numbers; -1 unless every group is 1-4 hex digits. */
int od_parse_hex_ids(const char *s, uint16_t *out, int max);
/* vendor, device, subsystem vendor, subsystem device from
 * <root>/sys/bus/pci/devices/<bdf>/. */
bool od_host_ids(const char *root, const char *bdf, uint16_t ids[4]);

/* Resolves "SHA256-PREFIX" or "VENDOR:DEVICE[:SUBVENDOR:SUBDEVICE]" to one
 * image: refuses (listing candidates) when more than one fits. Returns an
 * exit code; on success *id and the bytes (malloc'd) are set. */
int od_resolve_image(od_db *db, const char *target, od_image_row *row, uint8_t **bytes, size_t *len);

#endif
