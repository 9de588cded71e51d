/* SPDX-License-Identifier: BSD-2-Clause */
/* gzip members (RFC 1952) through zlib.c: counted before allocating, one
 * node per layer. ZIP archives moved to archive.c (libarchive); gzip stays
 * here because libarchive decodes nested filters in one read and we want
 * every layer named and budgeted on its own. */
#include <stdint.h>

#include "decompress.h"

static int gzip_probe(od_span s)
{
	return od_match(s, 0, "\x1F\x8B\x08", 3) ? 70 : 0;
}

static int gzip_walk(od_ctx *c, od_span s, od_err *e)
{
	od_span out;
	size_t used;
	OD_TRY(od_enter(c, OD_KIND_GZIP, s, e, "gzip"));
	OD_TRY(od_gzip_decompress(c, s, SIZE_MAX, &out, &used, e));
	od_note(c, "%zu -> %zu bytes", used, out.len);
	OD_TRY(od_walk_child(c, out, e));
	od_leave(c);
	return OD_OK;
}

OD_FORMAT(gzip, "gzip stream", gzip_probe, gzip_walk, 0);
