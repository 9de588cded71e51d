/* SPDX-License-Identifier: BSD-2-Clause */
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

/* Parses "depth=N", "total=MiB", "one=MiB", "ratio=N" into l. */
int od_limit_parse(od_limits *l, const char *arg);

/* Runs work(i) for i in 0..n-1 on `jobs` threads and done(i) on the calling
 * thread in order 0, 1, ..., each after its work(i). work returns the bytes
 * item i holds until its done(); at most 8 * jobs items are worked ahead of
 * done, and a new one is started only while the finished ones hold under
 * 512 MiB (what bounds memory). jobs <= 1: work(i) then done(i) in turn, no
 * thread. So what done() prints and writes is the same for any jobs. */
void od_ordered_map(int n, int jobs, size_t (*work)(int i, void *arg), void (*done)(int i, void *arg), void *arg);

/* The --limit option of scan and add (od_opt callback, dst an od_limits):
 * input=MiB (od_input_limit) or one of od_limit_parse's. */
int od_limit_opt(void *dst, const char *val);
#define OD_LIMIT_HELP "input=MiB | depth=N | nodes=N | total=MiB | one=MiB | ratio=N (repeatable; see man page LIMITS)"

#endif
