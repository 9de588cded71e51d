/* SPDX-License-Identifier: BSD-2-Clause */
/* Insyde H2O iFlash packages: blocks "$_IFLASH" + an 8-byte tag
 * ("_BIOSIMG", "_INI_IMG", "_EC_IMG_", ...), u32 total size at +0x10,
 * u32 image size at +0x14, image data at +0x18 (BIOSUtilities
 * insyde_ifd_extract.py; shared/notes). Every block in the span is walked;
 * sizes of 0 or 0xFFFFFFFF and overruns are refused. */
#include <string.h>

#include "walk.h"

#define IFLASH "$_IFLASH"
#define MAX_BLOCKS 64

static int insyde_probe(od_span s)
{
	size_t at = od_find(s, 0, IFLASH, 8);
	return at == SIZE_MAX ? 0 : at == 0 ? 85 : 40;
}

static int block(od_ctx *c, od_span s, size_t at, size_t *next, od_err *e)
{
	char tag[9] = { 0 };
	uint32_t total, size;
	OD_TRY(od_copy(s, at + 8, tag, 8, e));
	for (int i = 0; i < 8; i++)
		if (tag[i] < 0x20 || tag[i] > 0x7E)
			tag[i] = '?';
	OD_TRY(od_u32(s, at + 0x10, &total, e));
	OD_TRY(od_u32(s, at + 0x14, &size, e));
	*next = at + 8;
	if (size == 0 || size == 0xFFFFFFFF || total == 0xFFFFFFFF)
		return od_fail(e, OD_E_FORMAT, s.off + at + 0x14, "$_IFLASH%s: image size 0x%x", tag, size);
	od_span data;
	if (od_sub(s, at + 0x18, size, &data, NULL))
		return od_fail(e, OD_E_TRUNC, s.off + at + 0x14, "$_IFLASH%s: image of 0x%x bytes runs past the end", tag, size);
	*next = at + 0x18 + size;
	OD_TRY(od_enter(c, OD_KIND_INSYDE, data, e, "Insyde $_IFLASH%s", tag));
	od_note(c, "0x%x bytes (total field 0x%x)", size, total);
	int rc = od_walk_child(c, data, e);
	od_leave(c);
	return rc;
}

static int insyde_walk(od_ctx *c, od_span s, od_err *e)
{
	size_t at = od_find(s, 0, IFLASH, 8);
	unsigned n = 0;
	while (at != SIZE_MAX) {
		if (++n > MAX_BLOCKS)
			return od_fail(e, OD_E_LIMIT, s.off + at, "more than %d $_IFLASH blocks", MAX_BLOCKS);
		size_t next = at + 8;
		od_part p;
		int rc = block(c, s, at, &next, od_part_begin(c, &p));
		if (od_fatal(od_part_end(c, &p, rc, e, NULL)))
			return rc;
		at = od_find(s, next, IFLASH, 8);
	}
	return OD_OK;
}

OD_FORMAT(insyde, "Insyde iFlash package", insyde_probe, insyde_walk, 85);
