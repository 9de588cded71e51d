/* SPDX-License-Identifier: BSD-2-Clause */
/* The walk context: node tree, budget, hits, diagnostics, dispatch. */
#include "walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/pci.h"
#include "optionrom.h"

void od_limits_default(od_limits *l)
{
#ifdef OD_FUZZING
	/* Small enough that the fuzzer's 2 GB RSS limit is never the finding,
	 * and that one input cannot decode megabytes per run (a 4 KB input may
	 * claim 8 MB at ratio 2048, which cut fuzz_fv to 100 runs/s). 2 MiB per
	 * buffer keeps the ratio rule (beyond 1 MiB) reachable. */
	l->max_depth = 24;
	l->max_nodes = 20000;
	l->max_out_total = 8u << 20;
	l->max_out_one = 2u << 20;
#else
	l->max_depth = 48;
	l->max_nodes = 1000000;
	l->max_out_total = 1ull << 30;
	l->max_out_one = 256u << 20;
#endif
	l->max_ratio = 2048;
}

void od_ctx_init(od_ctx *c, const char *name)
{
	memset(c, 0, sizeof(*c));
	od_limits_default(&c->lim);
	c->name = name ? name : "input";
	c->carve = true;
}

static void free_nodes(od_node *n)
{
	while (n) {
		od_node *next = n->next;
		free_nodes(n->first);
		free(n);
		n = next;
	}
}

void od_ctx_free(od_ctx *c)
{
	free_nodes(c->root);
	for (od_buf *b = c->bufs, *next; b; b = next) {
		next = b->next;
		free(b->data);
		free(b);
	}
	free(c->hits);
	free(c->diags);
	memset(c, 0, sizeof(*c));
}

/* FLAG is the `scan --limit` name that raises this limit, so the message says
 * exactly what to type when a genuine image is bigger than the default. */
static int limit(od_err *e, uint64_t off, const char *what, uint64_t max, const char *flag)
{
	return od_fail(e, OD_E_LIMIT, off, "%s limit reached (%llu); if the input is genuine, raise it with --limit %s",
		       what, (unsigned long long)max, flag);
}

static const struct {
	const char *name;
	unsigned flags;
} kinds[OD_KIND_COUNT] = {
#define OD_KIND_ROW(id, name, flags) [OD_KIND_##id] = { name, flags },
	OD_KINDS(OD_KIND_ROW)
#undef OD_KIND_ROW
};

const char *od_kind_name(od_kind k)
{
	return (unsigned)k < OD_KIND_COUNT ? kinds[k].name : "?";
}

bool od_kind_is(od_kind k, unsigned flags)
{
	return (unsigned)k < OD_KIND_COUNT && (kinds[k].flags & flags) == flags;
}

int od_enter(od_ctx *c, od_kind kind, od_span s, od_err *e, const char *fmt, ...)
{
	od_node *parent = c->cur;
	unsigned depth = parent ? parent->depth + 1 : 0;
	if (depth > c->lim.max_depth)
		return limit(e, s.off, "nesting depth", c->lim.max_depth, "depth=N");
	if (c->nnodes >= c->lim.max_nodes)
		return limit(e, s.off, "node count", c->lim.max_nodes, "nodes=N");
	od_node *n = calloc(1, sizeof(*n));
	if (!n)
		return od_fail(e, OD_E_NOMEM, s.off, "node");
	n->kind = kind;
	n->off = s.off;
	n->size = s.len;
	n->data = s.p;
	n->depth = depth;
	n->parent = parent;
	/* The first node a handler opens is tagged with the handler's name, so
	 * the dispatcher can spot a span that nests itself. */
	n->format = c->pending_format;
	c->pending_format = NULL;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(n->label, sizeof(n->label), fmt, ap);
	va_end(ap);
	if (parent) {
		if (parent->last)
			parent->last->next = n;
		else
			parent->first = n;
		parent->last = n;
	} else {
		c->root = n;
	}
	c->cur = n;
	c->nnodes++;
	return OD_OK;
}

void od_leave(od_ctx *c)
{
	if (c->cur)
		c->cur = c->cur->parent;
}

void od_note(od_ctx *c, const char *fmt, ...)
{
	if (!c->cur)
		return;
	size_t used = strlen(c->cur->info);
	if (used + 3 >= sizeof(c->cur->info))
		return;
	if (used)
		used += (size_t)snprintf(c->cur->info + used, sizeof(c->cur->info) - used, "; ");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->cur->info + used, sizeof(c->cur->info) - used, fmt, ap);
	va_end(ap);
}

const char *od_node_path(const od_node *n, char *buf, size_t len)
{
	const od_node *chain[64];
	size_t k = 0;
	for (const od_node *p = n; p && k < 64; p = p->parent)
		chain[k++] = p;
	size_t used = 0;
	buf[0] = 0;
	while (k-- > 0 && used < len) {
		int w = snprintf(buf + used, len - used, "%s%s", used ? " > " : "", chain[k]->label);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}

uint64_t od_out_limit(const od_ctx *c, size_t max_out, size_t in_len, const char **why)
{
	uint64_t limit = max_out;
	*why = "";
	if (limit > c->lim.max_out_one)
		limit = c->lim.max_out_one, *why = "the single-buffer limit (--limit one=MiB)";
	if (limit > c->lim.max_out_total - c->out_used)
		limit = c->lim.max_out_total - c->out_used, *why = "what the total limit leaves (--limit total=MiB)";
	uint64_t ratio_cap = (uint64_t)in_len * c->lim.max_ratio;
	if (ratio_cap < (1u << 20))
		ratio_cap = 1u << 20;
	if (limit > ratio_cap)
		limit = ratio_cap, *why = "the compression ratio limit (--limit ratio=N)";
	return limit;
}

const char *od_hit_buffer_name(const od_hit *h)
{
	for (const od_node *n = h->node ? h->node->parent : NULL; n; n = n->parent)
		if (od_kind_is(n->kind, OD_KF_OWN_BUFFER))
			return od_kind_name(n->kind);
	return "file";
}

int od_decode_counted(od_ctx *c, od_span in, size_t max_out, const od_counted *d, od_span *out, size_t *used, od_err *e)
{
	const char *why;
	uint64_t limit = od_out_limit(c, max_out, in.len, &why);
	size_t n;
	int rc = d->pass(in, d->mode, NULL, (size_t)limit, &n, used, e);
	if (rc == OD_E_LIMIT)
		return d->refuse(e, in, limit, max_out, why);
	if (rc)
		return rc;
	uint8_t *buf = od_alloc_out(c, n, in.len, e);
	if (!buf)
		return e->code;
	size_t n2;
	OD_TRY(d->pass(in, d->mode, buf, n, &n2, used, e));
	*out = od_out_done(c, buf, n2);
	return OD_OK;
}

uint8_t *od_alloc_out(od_ctx *c, size_t want, size_t in_len, od_err *e)
{
	uint64_t off = c->cur ? c->cur->off : 0;
	if (want > c->lim.max_out_one)
		return limit(e, off, "single decompressed buffer size", c->lim.max_out_one, "one=MiB"), NULL;
	if (want > (1u << 20) && want / c->lim.max_ratio > in_len)
		return od_fail(e, OD_E_LIMIT, off,
			       "compression ratio limit: %zu bytes claimed from %zu (max ratio %u; --limit ratio=N raises it)", want,
			       in_len, c->lim.max_ratio),
		       NULL;
	if (want > c->lim.max_out_total - c->out_used)
		return limit(e, off, "total decompressed bytes", c->lim.max_out_total, "total=MiB"), NULL;
	od_buf *b = calloc(1, sizeof(*b));
	/* Not zeroed on purpose (issue 20): only the bytes a decoder reports
	 * written (od_out_done) are registered and carved, so an unwritten tail
	 * is never read; zeroing would only hide a decoder that over-reports
	 * from valgrind and MSan. db_jobs (add --jobs 1 vs 3 on the corpus)
	 * catches stale heap carved as a ROM. */
	uint8_t *data = malloc(want ? want : 1);
	if (!b || !data) {
		free(b);
		free(data);
		od_fail(e, OD_E_NOMEM, off, "cannot allocate %zu bytes", want);
		return NULL;
	}
	b->data = data;
	b->len = 0; /* nothing written yet: see od_out_done */
	b->cap = want;
	b->owner = c->cur;
	b->next = c->bufs;
	c->bufs = b;
	c->out_used += want;
	return data;
}

od_span od_out_done(od_ctx *c, uint8_t *buf, size_t written)
{
	for (od_buf *b = c->bufs; b; b = b->next) {
		if (b->data == buf) {
			if (written > b->cap)
				written = b->cap;
			c->out_used -= b->cap - written;
			b->cap = b->len = written;
			break;
		}
	}
	return od_span_make(buf, written, 0);
}

static bool grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p = realloc(*arr, ncap * elem);
	if (!p)
		return false;
	*arr = p;
	*cap = ncap;
	return true;
}

int od_report_rom(od_ctx *c, od_span s, bool carved, od_err *e, const char *fmt, ...)
{
	char label[96];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(label, sizeof(label), fmt, ap);
	va_end(ap);
	OD_TRY(od_enter(c, OD_KIND_ROM, s, e, "%s", label));
	od_node_header(c, &od_rom_hdr_layout);
	od_node *n = c->cur;
	od_leave(c);
	if (!grow((void **)&c->hits, &c->hits_cap, c->nhits + 1, sizeof(od_hit)))
		return od_fail(e, OD_E_NOMEM, s.off, "hit list");
	c->hits[c->nhits++] = (od_hit){ .rom = s, .node = n, .carved = carved };
	return OD_OK;
}

void od_err_locate(const od_ctx *c, od_err *e)
{
	if (e->located || !c->cur)
		return;
	char path[OD_ERR_PATH_MAX], full[OD_ERR_PATH_MAX];
	od_node_path(c->cur, path, sizeof(path));
	int w = snprintf(full, sizeof(full), "%s%s%s", path, e->path[0] ? " > " : "", e->path);
	if (w < 0 || (size_t)w >= sizeof(full)) /* say it was cut, not end on a bare " >" */
		memcpy(full + sizeof(full) - 5, " ...", 5);
	memcpy(e->path, full, sizeof(full));
	e->located = true;
}

void od_diag_add(od_ctx *c, const od_err *e, bool warning)
{
	if (!grow((void **)&c->diags, &c->diags_cap, c->ndiags + 1, sizeof(od_diag)))
		return; /* losing a diagnostic under OOM beats aborting the scan */
	od_diag *d = &c->diags[c->ndiags++];
	d->err = *e;
	d->warning = warning;
	d->input = !warning && c->cur == c->root;
	if (c->cur) {
		/* Prefix the container path the error happened under. */
		char path[OD_ERR_PATH_MAX];
		od_node_path(c->cur, path, sizeof(path));
		od_err_prefix(&d->err, "%s", path);
	}
}

void od_diag_fail(od_ctx *c, bool warning, int code, uint64_t off, const char *fmt, ...)
{
	od_err e;
	od_err_clear(&e);
	e.code = code;
	e.off = off;
	e.has_off = true;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);
	od_diag_add(c, &e, warning);
}

bool od_fatal(int rc)
{
	return rc == OD_E_LIMIT || rc == OD_E_NOMEM;
}

od_err *od_part_begin(od_ctx *c, od_part *p)
{
	p->at = c->cur;
	od_err_clear(&p->err);
	return &p->err;
}

int od_part_end(od_ctx *c, od_part *p, int rc, od_err *e, const char *fmt, ...)
{
	/* Before unwinding: the full path to the node the failure happened in
	 * (when the part got as far as opening one; fatal errors always). */
	if (rc && (od_fatal(rc) || c->cur != p->at))
		od_err_locate(c, &p->err);
	c->cur = p->at;
	if (!rc)
		return OD_OK;
	if (od_fatal(rc)) {
		*e = p->err;
		return rc;
	}
	if (!p->err.path[0] && fmt) {
		/* Failed before naming anything (a bad header): name the part. */
		char name[OD_ERR_PATH_MAX];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(name, sizeof(name), fmt, ap);
		va_end(ap);
		od_err_prefix(&p->err, "%s", name);
	}
	od_diag_add(c, &p->err, false);
	return rc;
}

int od_walk_child(od_ctx *c, od_span s, od_err *e)
{
	const od_format *best = NULL;
	int best_score = 0;
	for (size_t i = 0; od_formats[i]; i++) {
		int cap = od_formats[i]->max_bid ? od_formats[i]->max_bid : 100;
		if (cap <= best_score) /* ties go to the earlier format: it cannot win */
			continue;
		int sc = od_formats[i]->probe(s);
		if (sc > best_score) {
			best_score = sc;
			best = od_formats[i];
		}
	}
	if (!best)
		return OD_OK;
	/* A handler that re-enters the exact span an ancestor of the same format
	 * covers would recurse forever (self-nesting volumes): a loop, confined
	 * to this part like any other damage. */
	for (const od_node *p = c->cur; p; p = p->parent)
		if (p->format == best->name && p->data == s.p && p->size == s.len) {
			od_diag_fail(c, false, OD_E_LOOP, s.off, "%s nests itself", best->title);
			return OD_OK;
		}
	od_part part;
	od_err *sub = od_part_begin(c, &part);
	c->pending_format = best->name;
	int rc = best->walk(c, s, sub);
	c->pending_format = NULL;
	rc = od_part_end(c, &part, rc, e, "%s", best->title);
	return od_fatal(rc) ? rc : OD_OK;
}

static bool claimed(const od_ctx *c, const uint8_t *p)
{
	for (size_t i = 0; i < c->nhits; i++)
		if (p >= c->hits[i].rom.p && p < c->hits[i].rom.p + c->hits[i].rom.len)
			return true;
	return false;
}

/* Carved chains must look intact: a 55AA+PCIR pair inside unrelated data
 * (or a ROM cut by interleaved signatures) fails the x86 image checksum. */
static bool carve_ok(const od_rom *r)
{
	if (r->nimages == 0)
		return false;
	for (unsigned i = 0; i < r->nimages; i++)
		if (r->img[i].truncated || (r->img[i].checksum_applies && !r->img[i].checksum_ok))
			return false;
	return true;
}

/* Next 55 AA at or after `at`: memchr for the 55 (vectorised), then the AA;
 * memmem on a 2-byte needle was a seventh of an Apple image's walk. */
static size_t next_sig(od_span buf, size_t at)
{
	while (at + 1 < buf.len) {
		const uint8_t *p = memchr(buf.p + at, 0x55, buf.len - 1 - at);
		if (!p)
			return SIZE_MAX;
		at = (size_t)(p - buf.p);
		if (buf.p[at + 1] == 0xAA)
			return at;
		at++;
	}
	return SIZE_MAX;
}

static int carve_buf(od_ctx *c, od_span buf, od_node *owner, od_err *e)
{
	size_t at = 0;
	while ((at = next_sig(buf, at)) != SIZE_MAX) {
		od_span tail;
		if (od_tail(buf, at, &tail, NULL) || claimed(c, tail.p)) {
			at++;
			continue;
		}
		od_rom rom;
		od_err ignore;
		if (od_rom_parse(tail, &rom, &ignore) == OD_OK && carve_ok(&rom)) {
			od_span s;
			if (!od_sub(tail, 0, rom.total_len, &s, NULL)) {
				od_node *save = c->cur;
				c->cur = owner;
				int rc = od_report_rom(c, s, true, e, "ROM %04x:%04x (carved)",
						       rom.img[0].pcir.vendor, rom.img[0].pcir.device);
				c->cur = save;
				OD_TRY(rc);
				at += rom.total_len;
				continue;
			}
		}
		at++;
	}
	return OD_OK;
}

int od_carve(od_ctx *c, od_span input, od_err *e)
{
	OD_TRY(carve_buf(c, input, c->root, e));
	for (od_buf *b = c->bufs; b; b = b->next)
		OD_TRY(carve_buf(c, od_span_make(b->data, b->len, 0), b->owner ? b->owner : c->root, e));
	return OD_OK;
}

int od_scan(od_ctx *c, od_span input, od_err *e)
{
	OD_TRY(od_enter(c, OD_KIND_INPUT, input, e, "%s", c->name));
	int rc = od_walk_child(c, input, e);
	c->cur = c->root;
	if (rc)
		return od_err_prefix(e, "%s", c->name);
	if (c->carve) {
		rc = od_carve(c, input, e);
		if (rc)
			return od_err_prefix(e, "%s", c->name);
	}
	return OD_OK;
}

const od_format *od_format_find(const char *name)
{
	for (size_t i = 0; od_formats[i]; i++)
		if (strcmp(od_formats[i]->name, name) == 0)
			return od_formats[i];
	return NULL;
}
