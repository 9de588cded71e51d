/* The scan pipeline as the commands use it (scan, add, host dump). */
#ifndef OD_SCANUTIL_H
#define OD_SCANUTIL_H

#include "cli.h"
#include "walk.h"

/* Walks f with c (already initialised). Returns 0 when the input was read
 * with at most warnings confined to parts (any diagnostic fails under
 * strict), OD_E_UNSUPPORTED when nothing in it was recognised, else an error
 * code: e holds a top-level error (a limit), or is left empty when the
 * failure is one of c->diags (already detailed) or a damaged ROM (hit
 * marked damaged). Whole ROMs (c->hits not damaged) are good whatever the
 * result: callers report, store and extract them. */
int od_scan_file(od_ctx *c, const od_file *f, bool strict, od_err *e);

/* Which buffer a hit's offset refers to: "file" or the decompression
 * ("LZMA output", "EFI 1.1 output", ...). */
const char *od_hit_buffer_name(const od_hit *h);

/* Parses "depth=N", "total=MiB", "one=MiB", "ratio=N" into l. */
int od_limit_parse(od_limits *l, const char *arg);

#endif
