/* SPDX-License-Identifier: BSD-2-Clause */
/* The walk context: what every container handler receives.
 *
 * A scan walks one input as a tree of containers. Handlers (one file per
 * format, listed in registry.c) probe a span and walk it: they open nodes for
 * what they recognise, hand inner spans back to the dispatcher, allocate
 * decompressed buffers through the context (which charges the budget), and
 * report option ROMs. Handlers never print and never touch files.
 *
 * Offsets: every node and hit carries the offset within the buffer it lives
 * in (the input file, or the decompressed output named by the nearest
 * decompression node on its path). */
#ifndef OD_WALK_H
#define OD_WALK_H

#include "kind.h"
#include "reader.h"

/* Budget for one input. Defaults are far above anything real images need
 * (the largest real SPI images are 32 MiB and inflate to < 200 MiB) and far
 * below what a bomb asks for. Fuzz builds use smaller ones. */
typedef struct od_limits {
	unsigned max_depth;      /* nesting of nodes */
	size_t max_nodes;        /* nodes in the tree */
	uint64_t max_out_total;  /* decompressed bytes for the whole input */
	uint64_t max_out_one;    /* one decompressed buffer */
	unsigned max_ratio;      /* output/input for one decompression (beyond 1 MiB) */
} od_limits;

void od_limits_default(od_limits *l);

/* A node of the container tree (for `scan --tree`, JSON and paths). */
typedef struct od_node {
	od_kind kind;         /* OD_KIND_FV, ...; printed as od_kind_name() ("FV", "file", "LZMA") */
	char label[96];       /* path component: "FV 8C8CE578", "file A0327FE0 \"NvidiaGop\"" */
	char info[160];       /* one line of details for --tree (sizes, checksum ok, ...) */
	uint64_t off, size;   /* within the buffer that holds it */
	const uint8_t *data;  /* the span it covers (for loop detection) */
	const char *format;   /* registry name of the handler that opened it, or NULL */
	const struct od_layout *header; /* the layout of the header it starts with, or NULL (--json) */
	unsigned depth;
	struct od_node *parent, *first, *last, *next;
} od_node;

/* A decompressed (or otherwise produced) buffer owned by the context.
 * len counts only the bytes its producer reported written (od_out_done):
 * 0 until then, so nothing reads what no decoder wrote. */
typedef struct od_buf {
	uint8_t *data;
	size_t len;           /* bytes written and reported by the producer */
	size_t cap;           /* bytes allocated (and charged to the budget) */
	od_node *owner;       /* node whose children live in this buffer */
	struct od_buf *next;
} od_buf;

/* An option ROM found in the input: a view into the file or an od_buf. */
typedef struct od_hit {
	od_span rom;          /* the ROM bytes (whole image chain) */
	od_node *node;        /* its "ROM" node; path = od_node_path(node) */
	bool carved;          /* found by the carving fallback, not by structure */
	bool damaged;         /* its own chain is cut or broken: not a whole ROM */
} od_hit;

/* A problem found below the top level: the walk goes on past it. */
typedef struct od_diag {
	od_err err;           /* path already includes the container path */
	bool warning;         /* true: cosmetic (bad checksum in an unrelated file) */
	bool input;           /* the input's own top-level framing is broken (cut
	                       * container, bad outer header): the input is not what
	                       * it claims; else the damage is confined to a part */
} od_diag;

typedef struct od_ctx {
	od_limits lim;
	const char *name;     /* input name for paths (basename of the file) */
	od_node *root, *cur;
	size_t nnodes;
	uint64_t out_used;
	od_buf *bufs;
	od_hit *hits;
	size_t nhits, hits_cap;
	od_diag *diags;
	size_t ndiags, diags_cap;
	bool carve;           /* run the carving fallback after the walk (default true) */
	const char *pending_format; /* handler being entered (set by od_walk_child) */
	/* Why a read that found no ROM is not a proof that none is there, though
	 * nothing failed (a handler that decodes every byte but not the structure
	 * above them); the first one set wins. Empty: the read was whole. */
	char caveat[192];
	unsigned efi_votes[2];  /* type-1 sections decided EFI 1.1 / Tiano without a tie, so far */
} od_ctx;

/* Lifecycle. od_ctx_init never fails; od_ctx_free releases every buffer. */
void od_ctx_init(od_ctx *c, const char *name);
void od_ctx_free(od_ctx *c);

/* Opens a child of the current node covering s (offset/size from s) and makes
 * it current. Fails with OD_E_LIMIT past max_depth/max_nodes, OD_E_LOOP when
 * the same handler re-enters the very span of an ancestor. */
int od_enter(od_ctx *c, od_kind kind, od_span s, od_err *e, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void od_leave(od_ctx *c);
/* Names the layout (parsers/layout/) of the header the current node starts
 * with: --json prints its fields by name. */
static inline void od_node_header(od_ctx *c, const struct od_layout *l)
{
	if (c->cur)
		c->cur->header = l;
}
/* Appends printf text to the current node's info line. */
void od_note(od_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "file.bin > FV 2 > file 7a9354d9 > LZMA" (up to and including n). */
const char *od_node_path(const od_node *n, char *buf, size_t len);

/* Allocates an output buffer for a decompressor, charging the budget:
 * `want` bytes (the size the stream will produce, already checked against
 * `in_len` * max_ratio). The buffer's owner is the current node. Returns NULL
 * with e set (OD_E_LIMIT names the limit, OD_E_NOMEM) on failure.
 *
 * The buffer is registered EMPTY (len 0): the carver and everything else
 * that scans the context's buffers see only the bytes the producer reports
 * with od_out_done once it has decoded successfully. A decoder that fails
 * (or returns before reporting) leaves a buffer nobody reads: its partial
 * output is not trusted (a wrong Tiano variant or a corrupt LZMA stream can
 * write plausible bytes before it notices), the walk never descends into it,
 * and the carver does not scan it either. Found by MSan (issue 20): the
 * carver used to scan the unwritten tail of a failed decode. */
uint8_t *od_alloc_out(od_ctx *c, size_t want, size_t in_len, od_err *e);
/* For streams that state no output size (they are counted before they are
 * allocated): the most a decoder may produce from in_len bytes: the caller's
 * max_out, the single-buffer limit, what the total leaves, and the ratio rule
 * od_alloc_out applies beyond 1 MiB. *why names the limit that binds ("" for
 * max_out), since that is the one to raise. */
uint64_t od_out_limit(const od_ctx *c, size_t max_out, size_t in_len, const char **why);
/* A decoder of such a stream, in two passes. pass decodes in into out (only
 * counts when out is NULL), at most limit bytes, in its variant `mode`;
 * *used = input bytes the stream spans. refuse words the error when the
 * count passes the limit (od_out_limit's limit and why, the caller's max_out). */
typedef struct od_counted {
	int (*pass)(od_span in, int mode, uint8_t *out, size_t limit, size_t *produced, size_t *used, od_err *e);
	int mode;
	int (*refuse)(od_err *e, od_span in, uint64_t limit, size_t max_out, const char *why);
} od_counted;
/* Counts the output under od_out_limit (a bomb is refused after at most
 * limit bytes decoded, never allocated), allocates exactly that, decodes
 * again into it and reports it done (od_out_done). */
int od_decode_counted(od_ctx *c, od_span in, size_t max_out, const od_counted *d, od_span *out, size_t *used, od_err *e);
/* Reports that buf (from od_alloc_out) holds `written` valid bytes from its
 * start (written <= the allocated size; larger values are clamped) and gives
 * the unused rest back to the budget. Call it once, after a successful
 * decode. Returns the span of the written bytes. */
od_span od_out_done(od_ctx *c, uint8_t *buf, size_t written);
/* The name before issue 20, for branches still calling it: the same. */
static inline void od_shrink_out(od_ctx *c, uint8_t *buf, size_t used)
{
	(void)od_out_done(c, buf, used);
}

/* Which buffer a hit's offset refers to: "file", or the kind of the nearest
 * node above it whose children live in a buffer of their own ("LZMA",
 * "unpacked entry", ...: OD_KF_OWN_BUFFER). */
const char *od_hit_buffer_name(const od_hit *h);

/* Reports an option ROM chain at s (opens and closes its "ROM" node). */
int od_report_rom(od_ctx *c, od_span s, bool carved, od_err *e, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* A fatal error (limit, memory, loop) ends the whole walk; this stamps it with
 * the full path of the node it happened in before the handlers unwind c->cur,
 * so "t.zip > zip > zip entry "b.bin" > deflate" survives to the message. */
void od_err_locate(const od_ctx *c, od_err *e);

/* The one rule for damage (issue 13). Fatal, ending the whole walk: resource
 * limits (OD_E_LIMIT: depth, nodes, output bytes) and out-of-memory. Every
 * other failure, loops included (a loop is detected where it closes, so the
 * part that loops is dropped and its siblings are still read), is damage
 * confined to the part it happened in: recorded as a diagnostic with its
 * container path and offset, and the walk goes on with the next sibling. */
bool od_fatal(int rc);

/* A guarded child: every place a handler walks one part of its container
 * (a volume, a file, a section, an archive entry...) brackets it with
 *     od_part p;
 *     int rc = walk_the_part(c, ..., od_part_begin(c, &p));
 *     rc = od_part_end(c, &p, rc, e, "FV %u", i);
 *     if (od_fatal(rc)) return rc;
 *     if (rc) ...part-specific recovery (skip it, stop framing)...
 * od_part_end restores the current node (a failed part may leave its nodes
 * open: handlers need not close them on error paths), records a non-fatal
 * failure as a diagnostic (named by fmt when it failed before opening a node
 * of its own) and returns rc; a fatal one is located at the node it happened
 * in and copied to *e. */
typedef struct od_part {
	od_node *at;
	od_err err;
} od_part;
od_err *od_part_begin(od_ctx *c, od_part *p);
int od_part_end(od_ctx *c, od_part *p, int rc, od_err *e, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Records a non-fatal problem at the current path. */
void od_diag_add(od_ctx *c, const od_err *e, bool warning);
/* The same, built in place: od_diag_fail(c, true, OD_E_CHECKSUM, off, "..."). */
void od_diag_fail(od_ctx *c, bool warning, int code, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Dispatch: probes every registered handler on s and walks it with the most
 * confident one, as a guarded part (od_part_begin/end). Returns 0 and does
 * nothing when no handler claims s. A non-fatal failure inside the child is
 * recorded as a diagnostic (with its path) and 0 is returned so the parent
 * goes on; fatal ones (od_fatal) abort the whole scan and are returned. */
int od_walk_child(od_ctx *c, od_span s, od_err *e);

/* Carving fallback: scans every buffer (input and decompressed) for valid
 * 55AA+PCIR chains not already reported. */
int od_carve(od_ctx *c, od_span input, od_err *e);

/* The whole pipeline for one input: root node, dispatch, carving.
 * Returns 0 when the input was walked (diagnostics may still be present),
 * an error when the top level was unreadable or a limit was hit. */
int od_scan(od_ctx *c, od_span input, od_err *e);

/* --- the format table (registry.c) --- */
typedef struct od_format {
	const char *name;   /* short id: "optionrom", "fv", "capsule" */
	const char *title;  /* human name */
	/* 0 = not mine; 1..100 = how sure. Must be cheap and read only via s. */
	int (*probe)(od_span s);
	int (*walk)(od_ctx *c, od_span s, od_err *e);
	/* The highest score probe() can return (0: up to 100). The dispatcher
	 * skips a probe that cannot beat the best bid so far (libarchive-style):
	 * the probes that scan a whole span (a signature anywhere in it) are not
	 * run again on spans another format already claimed. */
	int max_bid;
} od_format;

/* A handler's entry, e.g. OD_FORMAT(fv, "UEFI firmware volume", fv_probe,
 * fv_walk, 80): defines od_format_fv (listed in registry.c), named "fv";
 * max_bid 0 = up to 100. */
#define OD_FORMAT(id, title_, probe_, walk_, max_bid_) \
	const od_format od_format_##id = { .name = #id, .title = title_, .probe = probe_, .walk = walk_, .max_bid = max_bid_ }

extern const od_format *const od_formats[];
const od_format *od_format_find(const char *name);

#endif
