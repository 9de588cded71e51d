/* SPDX-License-Identifier: BSD-2-Clause */
#include "scanutil.h"
#include "unread.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The walk recurses once per nesting level (a few hundred bytes to a few KB
 * of stack per level; several times that under ASan): 3,950 nested gzip
 * layers overflowed the 8 MiB main stack. So the walk runs on its own 256 MiB
 * stack (address space: only the pages a deep input touches are ever
 * mapped), and --limit depth= stops at OD_DEPTH_MAX (1024), which leaves
 * 256 KiB of that stack per level: 100x what a level takes in release. */
#define OD_DEPTH_MAX 1024u
#define OD_WALK_STACK ((size_t)256 << 20)

typedef struct scan_job {
	od_ctx *c;
	od_span in;
	od_err *e;
	int rc;
} scan_job;

static void *scan_thread(void *arg)
{
	scan_job *j = arg;
	j->rc = od_scan(j->c, j->in, j->e);
	return NULL;
}

static int scan_on_big_stack(od_ctx *c, od_span in, od_err *e)
{
	scan_job j = { c, in, e, 0 };
	pthread_attr_t attr;
	pthread_t t;
	if (pthread_attr_init(&attr) == 0) {
		bool started = pthread_attr_setstacksize(&attr, OD_WALK_STACK) == 0 &&
			       pthread_create(&t, &attr, scan_thread, &j) == 0;
		pthread_attr_destroy(&attr);
		if (started) {
			pthread_join(t, NULL);
			return j.rc;
		}
	}
	/* No thread (address space ulimit): the main stack holds the default
	 * depth many times over, not the cap. */
	if (c->lim.max_depth > 256)
		return od_fail(e, OD_E_NOMEM, 0, "cannot start the walk on a %zu MiB stack for --limit depth=%u",
			       OD_WALK_STACK >> 20, c->lim.max_depth);
	return od_scan(c, in, e);
}

int od_scan_file(od_ctx *c, const od_file *f, bool strict, od_err *e)
{
	OD_TRY(scan_on_big_stack(c, od_span_make(f->data, f->len, 0), e));
	/* The exit-code rule (README "Exit codes"): damage confined to parts is
	 * a warning (exit 0); the input's own framing broken, a ROM whose own
	 * chain is cut, or nothing recognised is exit 2; --strict: any warning.
	 * A handler that recognised the input and then failed has said why (a
	 * diagnostic with its offset and path): that is the answer, not "not
	 * recognised", which would send the user looking for the wrong tool. */
	for (size_t i = 0; i < c->ndiags; i++)
		if (c->diags[i].input || strict)
			return c->diags[i].err.code ? c->diags[i].err.code : OD_E_FORMAT;
	for (size_t i = 0; i < c->nhits; i++)
		if (c->hits[i].damaged)
			return OD_E_TRUNC;
	/* A part recognised but not read (an installer, a packer: issue 19) and
	 * no ROM found at all: "0 ROMs, exit 0" would read as "no VBIOS here"
	 * while the payload was never looked at. With ROMs found elsewhere it is
	 * a warning like any part. */
	for (size_t i = 0; i < c->ndiags && c->nhits == 0; i++)
		if (c->diags[i].err.code == OD_E_UNSUPPORTED && !c->diags[i].warning)
			return OD_E_UNSUPPORTED;
	if (c->root && !c->root->first && c->nhits == 0) {
		const char *kind = od_unread_kind(od_span_make(f->data, f->len, 0));
		if (kind)
			return od_fail(e, OD_E_UNSUPPORTED, 0, "%s: optimus-db does not read this format (yet); unpack it "
				       "with its own tool, then scan the result", kind);
		return od_fail(e, OD_E_UNSUPPORTED, 0,
			       "not a recognised firmware image, update package or option ROM (nothing found by carving either)");
	}
	return OD_OK;
}

int od_limit_parse(od_limits *l, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq)
		return OD_E_USAGE;
	char *end;
	unsigned long long v = strtoull(eq + 1, &end, 0);
	if (*end || v == 0)
		return OD_E_USAGE;
	size_t k = (size_t)(eq - arg);
	if (!strncmp(arg, "depth", k) && k == 5 && v > OD_DEPTH_MAX) {
		fprintf(stderr, "optimus-db: --limit depth=%llu: at most %u (what the walk's stack holds, with margin)\n", v,
			OD_DEPTH_MAX);
		return OD_E_USAGE;
	}
	if (!strncmp(arg, "depth", k) && k == 5)
		l->max_depth = (unsigned)v;
	else if (!strncmp(arg, "total", k) && k == 5 && v < (1ull << 24))
		l->max_out_total = v << 20;
	else if (!strncmp(arg, "one", k) && k == 3 && v < (1ull << 24))
		l->max_out_one = v << 20;
	else if (!strncmp(arg, "nodes", k) && k == 5 && v < (1ull << 32))
		l->max_nodes = (size_t)v;
	else if (!strncmp(arg, "ratio", k) && k == 5 && v < (1ull << 31))
		l->max_ratio = (unsigned)v;
	else
		return OD_E_USAGE;
	return OD_OK;
}

/* --- ordered parallel map (add --jobs) --- */

/* Items finished ahead of done() wait in order. A window of 2 per job left
 * a core idle behind every large image (add --jobs 2 at 1.55x of --jobs 1
 * on 1,000 real files; 8 per job: ~2x), so the window is 8 per job, and
 * what the waiting items hold (input and decoded bytes) is bounded too: a
 * worker claims a new item only while they hold under OD_MAP_HELD, so the
 * peak is that plus one item per job, whatever the inputs. */
#define OD_MAP_WINDOW 8
#define OD_MAP_HELD ((size_t)512 << 20)

typedef struct omap {
	int n, window, next, written;
	size_t held; /* bytes of the items finished and not yet done() */
	size_t *weight;
	bool *ready;
	size_t (*work)(int, void *);
	void *arg;
	pthread_mutex_t mu;
	pthread_cond_t cv;
} omap;

static bool omap_may_claim(const omap *m)
{
	if (m->next >= m->written + m->window)
		return false;
	/* The item done() waits for is always allowed: no stall. */
	return m->next == m->written || m->held < OD_MAP_HELD;
}

static void *omap_worker(void *p)
{
	omap *m = p;
	pthread_mutex_lock(&m->mu);
	for (;;) {
		while (m->next < m->n && !omap_may_claim(m))
			pthread_cond_wait(&m->cv, &m->mu);
		if (m->next >= m->n)
			break;
		int i = m->next++;
		pthread_mutex_unlock(&m->mu);
		size_t w = m->work(i, m->arg);
		pthread_mutex_lock(&m->mu);
		m->weight[i] = w;
		m->held += w;
		m->ready[i] = true;
		pthread_cond_broadcast(&m->cv);
	}
	pthread_mutex_unlock(&m->mu);
	return NULL;
}

void od_ordered_map(int n, int jobs, size_t (*work)(int i, void *arg), void (*done)(int i, void *arg), void *arg)
{
	omap m = { .n = n, .window = OD_MAP_WINDOW * (jobs > 0 ? jobs : 1), .work = work, .arg = arg };
	pthread_t *th = jobs > 1 && n > 1 ? calloc((size_t)jobs, sizeof(*th)) : NULL;
	m.ready = th ? calloc((size_t)n, sizeof(bool)) : NULL;
	m.weight = m.ready ? calloc((size_t)n, sizeof(size_t)) : NULL;
	if (!m.weight) {
		free(m.ready);
		m.ready = NULL;
	}
	int started = 0;
	if (m.ready) {
		pthread_mutex_init(&m.mu, NULL);
		pthread_cond_init(&m.cv, NULL);
		while (started < jobs && pthread_create(&th[started], NULL, omap_worker, &m) == 0)
			started++;
	}
	if (started == 0) {
		/* One job (or no thread could start): in turn, same results. */
		for (int i = 0; i < n; i++) {
			work(i, arg);
			done(i, arg);
		}
	} else {
		for (int i = 0; i < n; i++) {
			pthread_mutex_lock(&m.mu);
			while (!m.ready[i])
				pthread_cond_wait(&m.cv, &m.mu);
			pthread_mutex_unlock(&m.mu);
			done(i, arg);
			pthread_mutex_lock(&m.mu);
			m.held -= m.weight[i];
			m.written = i + 1;
			pthread_cond_broadcast(&m.cv);
			pthread_mutex_unlock(&m.mu);
		}
		for (int k = 0; k < started; k++)
			pthread_join(th[k], NULL);
		pthread_mutex_destroy(&m.mu);
		pthread_cond_destroy(&m.cv);
	}
	free(m.ready);
	free(m.weight);
	free(th);
}

int od_limit_opt(void *dst, const char *val)
{
	/* input=MiB is the CLI's (how big a file may be mapped); the rest are
	 * the walk's. */
	if (!strncmp(val, "input=", 6)) {
		char *end;
		unsigned long long v = strtoull(val + 6, &end, 10);
		if (val[6] && !*end && v > 0 && v < (1ull << 24)) {
			od_input_limit = (size_t)(v << 20);
			return 0;
		}
	} else if (od_limit_parse(dst, val) == OD_OK) {
		return 0;
	}
	fprintf(stderr, "optimus-db: bad --limit '%s' (input=MiB, depth=N, nodes=N, total=MiB, one=MiB or ratio=N)\n", val);
	return 1;
}
