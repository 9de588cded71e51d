/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared pieces of the UEFI PI firmware-file-system parsers (fv.c, ffs.c,
 * section.c, lzma.c): UEFI PI spec 1.8 vol. 3 ch. 2-3. */
#ifndef OD_UEFI_H
#define OD_UEFI_H

#include "walk.h"

/* Walks the files of a volume body [first, fv.len) of fv. */
int od_ffs_walk(od_ctx *c, od_span fv, size_t first, bool erase_one, bool ffs3, od_err *e);
/* Walks a run of sections (a file's data or a decompressed buffer). */
int od_sections_walk(od_ctx *c, od_span s, od_err *e);

/* First 8 hex digits of a GUID, the short form used in container paths. */
const char *od_guid_short(const od_guid *g, char out[9]);

/* True when s holds a plausible volume header at offset 0 (probe helper). */
bool od_fv_header_ok(od_span s);

#endif
