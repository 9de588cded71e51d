#include "scanutil.h"
#include "unread.h"

#include <stdlib.h>
#include <string.h>

int od_scan_file(od_ctx *c, const od_file *f, od_err *e)
{
	OD_TRY(od_scan(c, od_span_make(f->data, f->len, 0), e));
	/* A handler that recognised the input and then failed has said why
	 * (a diagnostic with its offset and path): that is the answer, not
	 * "not recognised", which would send the user looking for the wrong
	 * tool. */
	for (size_t i = 0; i < c->ndiags; i++)
		if (!c->diags[i].warning)
			return c->diags[i].err.code ? c->diags[i].err.code : OD_E_FORMAT;
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

static bool is_decompression(const char *kind)
{
	static const char *const kinds[] = { "LZMA", "LZMA x86", "Tiano", "EFI 1.1", "zlib", "deflate", "gzip",
					     "PFAT", "BIOS Guard", NULL };
	for (size_t i = 0; kinds[i]; i++)
		if (!strcmp(kind, kinds[i]))
			return true;
	return false;
}

const char *od_hit_buffer_name(const od_hit *h)
{
	for (const od_node *n = h->node ? h->node->parent : NULL; n; n = n->parent)
		if (is_decompression(n->kind))
			return n->kind;
	return "file";
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
	if (!strncmp(arg, "depth", k) && k == 5 && v < 100000)
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
