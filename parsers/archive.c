/* SPDX-License-Identifier: BSD-2-Clause */
/* Archives through libarchive: ZIP (incl. ZIP64), 7z, Microsoft CAB (MSZIP,
 * LZX), ISO 9660, tar, RAR 4/5, and xz / bzip2 streams (alone or around a
 * tar). libarchive parses; this file keeps the budget, which libarchive does
 * not know: every entry is read as a stream from memory in chunks, counted
 * against the single-buffer limit, what the total limit leaves and the ratio
 * rule (output against the whole archive's size) before a byte of it is
 * registered, and an entry that runs past the size its header states spoils
 * that entry only. Each entry becomes a node named after it
 * ("update.cab > cab entry "firmware.bin" > ...") and its bytes are walked
 * like any other span.
 *
 * gzip stays on zlib.c (the gzip handler): libarchive decodes a stack of
 * filters in one read (gzip in gzip comes out as one stream), and we want
 * each layer named in the path and counted before it is allocated. */
#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

#include "eltorito.h"
#include "walk.h"

#define ARC_MAX_ENTRIES 10000
#define ARC_CHUNK (64u << 10)

/* Signatures: ZIP local header (APPNOTE 4.3.7), 7z (7zFormat.txt), CAB
 * "MSCF" + reserved1 = 0 (MS-CAB CFHEADER), ISO 9660 primary volume
 * descriptor "CD001" at sector 16 (ECMA-119 8.1), ustar magic at 257 (POSIX
 * tar), xz stream header (xz-file-format 2.1.1.1), bzip2 "BZh" + level +
 * block magic 0x314159265359, RAR 4 and 5 markers. */
static int arc_probe(od_span s)
{
	uint8_t lvl;
	if (od_match(s, 0, "PK\x03\x04", 4) || od_match(s, 0, "7z\xBC\xAF\x27\x1C", 6) ||
	    od_match(s, 0, "MSCF\0\0\0\0", 8) || od_match(s, 0, "\xFD" "7zXZ\0", 6) ||
	    od_match(s, 0, "Rar!\x1A\x07\x00", 7) || od_match(s, 0, "Rar!\x1A\x07\x01\x00", 8))
		return 70;
	if (od_match(s, 0, "BZh", 3) && !od_u8(s, 3, &lvl, NULL) && lvl >= '1' && lvl <= '9' &&
	    od_match(s, 4, "\x31\x41\x59\x26\x53\x59", 6))
		return 70;
	if (od_match(s, 0x8001, "CD001", 5) || od_match(s, 257, "ustar", 5))
		return 60;
	return 0;
}

/* The format the signature promises (for messages when libarchive cannot
 * open it at all). */
static const char *sig_label(od_span s)
{
	static const struct { size_t at; const char *sig; size_t n; const char *label; } t[] = {
		{ 0, "PK\x03\x04", 4, "zip" }, { 0, "7z\xBC\xAF\x27\x1C", 6, "7z" }, { 0, "MSCF", 4, "cab" },
		{ 0, "\xFD" "7zXZ", 5, "xz" }, { 0, "BZh", 3, "bzip2" }, { 0, "Rar!", 4, "rar" },
		{ 0x8001, "CD001", 5, "iso9660" }, { 257, "ustar", 5, "tar" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (od_match(s, t[i].at, t[i].sig, t[i].n))
			return t[i].label;
	return "archive";
}

/* --- ZIP: refuse entries whose data overlap before libarchive reads them.
 * Overlapping entries are the zip bomb that needs no nesting (every entry
 * inflates the same kernel); the total limit would stop it too, but late and
 * as if it were a genuine big archive. Central directory (APPNOTE 4.3.12)
 * and end record (4.3.16) only; ZIP64 archives skip this check. */

#define EOCD_MIN 22
#define EOCD_SEARCH (EOCD_MIN + 0xFFFF) /* comment is at most 64 KiB */

static size_t find_eocd(od_span s)
{
	if (s.len < EOCD_MIN)
		return SIZE_MAX;
	size_t lo = s.len > EOCD_SEARCH ? s.len - EOCD_SEARCH : 0;
	for (size_t at = s.len - EOCD_MIN + 1; at-- > lo;)
		if (od_match(s, at, "PK\x05\x06", 4))
			return at;
	return SIZE_MAX;
}

static int zip_overlaps(od_span s, od_err *e)
{
	size_t eocd = find_eocd(s);
	uint16_t count;
	uint32_t cd_off;
	if (eocd == SIZE_MAX || od_u16(s, eocd + 10, &count, NULL) || od_u32(s, eocd + 16, &cd_off, NULL) ||
	    cd_off == 0xFFFFFFFF || count == 0xFFFF || count == 0)
		return OD_OK; /* not found or ZIP64: libarchive judges it */
	if (count > ARC_MAX_ENTRIES)
		return od_fail(e, OD_E_LIMIT, s.off + eocd + 10, "%u zip entries (limit %d)", count, ARC_MAX_ENTRIES);
	uint64_t(*r)[2] = calloc(count, sizeof(*r));
	if (!r)
		return od_fail(e, OD_E_NOMEM, s.off, "zip index");
	size_t at = cd_off;
	int rc = OD_OK;
	unsigned n = 0;
	for (; n < count; n++) {
		uint32_t csize, local;
		uint16_t nlen, xlen, clen;
		if (!od_match(s, at, "PK\x01\x02", 4) || od_u32(s, at + 20, &csize, NULL) || od_u16(s, at + 28, &nlen, NULL) ||
		    od_u16(s, at + 30, &xlen, NULL) || od_u16(s, at + 32, &clen, NULL) || od_u32(s, at + 42, &local, NULL))
			break; /* a damaged directory is libarchive's to report */
		uint64_t lo = local, hi = (uint64_t)local + 30 + csize;
		for (unsigned k = 0; k < n && !rc; k++)
			if (lo < r[k][1] && r[k][0] < hi)
				rc = od_fail(e, OD_E_LOOP, s.off + at, "zip entry %u overlaps another entry's data", n);
		if (rc)
			break;
		r[n][0] = lo, r[n][1] = hi;
		at += 46 + (size_t)nlen + xlen + clen;
	}
	free(r);
	return rc;
}

/* --- reading one entry under the budget --- */

typedef struct arc_limit {
	uint64_t max;     /* bytes the entry may produce */
	const char *why;  /* the limit that binds, with the flag that raises it */
	bool stated;      /* max is the size the archive states, not a budget */
} arc_limit;

static arc_limit entry_limit(const od_ctx *c, size_t in_len, int64_t stated)
{
	arc_limit l = { c->lim.max_out_one, "the single-buffer limit (--limit one=MiB)", false };
	if (l.max > c->lim.max_out_total - c->out_used)
		l.max = c->lim.max_out_total - c->out_used, l.why = "what the total limit leaves (--limit total=MiB)";
	uint64_t ratio_cap = (uint64_t)in_len * c->lim.max_ratio;
	if (ratio_cap < (1u << 20))
		ratio_cap = 1u << 20;
	if (l.max > ratio_cap)
		l.max = ratio_cap, l.why = "the compression ratio limit (--limit ratio=N)";
	if (stated >= 0 && (uint64_t)stated < l.max)
		l.max = (uint64_t)stated, l.stated = true;
	return l;
}

/* Reads the current entry's data into a context-owned buffer: the bytes
 * libarchive actually wrote, never more. The working copy grows as data
 * comes (never to what a header claims) and is registered only once the
 * entry ends within its limit, so a refused bomb leaves nothing charged. */
static int read_entry(od_ctx *c, struct archive *a, od_span s, size_t *hint, int64_t stated, od_span *out, bool *broken,
		      od_err *e)
{
	arc_limit l = entry_limit(c, s.len, stated);
	size_t cap = 0, n = 0;
	uint8_t *tmp = NULL, probe;
	for (;;) {
		if (n == cap && n < l.max) {
			size_t ncap = cap ? cap * 2 : ARC_CHUNK;
			if (ncap > l.max)
				ncap = (size_t)l.max;
			uint8_t *p = realloc(tmp, ncap);
			if (!p) {
				free(tmp);
				return od_fail(e, OD_E_NOMEM, 0, "cannot allocate %zu bytes", ncap);
			}
			tmp = p, cap = ncap;
		}
		/* At the limit, one more byte asked for tells a bomb from a fit. */
		la_ssize_t got = n < cap ? archive_read_data(a, tmp + n, cap - n) : archive_read_data(a, &probe, 1);
		if (got < 0) {
			*broken = got == ARCHIVE_FATAL;
			/* A method libarchive does not implement (ZIP deflate64,
			 * implode) is data we did not read, not damage: it must
			 * never end in "no VBIOS here" (issue 19). */
			const char *why = archive_error_string(a);
			int code = n == 0 && why && strstr(why, "Unsupported") ? OD_E_UNSUPPORTED : OD_E_FORMAT;
			od_fail(e, code, n, "unreadable after %zu bytes: %s", n, why ? why : "libarchive error");
			free(tmp);
			return code;
		}
		if (got == 0)
			break;
		if (n == cap) {
			free(tmp);
			if (l.stated)
				return od_fail(e, OD_E_FORMAT, 0, "inflates past the %llu bytes the container states",
					       (unsigned long long)l.max);
			return od_fail(e, OD_E_LIMIT, 0, "data exceeds %llu bytes, %s (decompression bomb?)",
				       (unsigned long long)l.max, l.why);
		}
		n += (size_t)got;
	}
	/* Stored data (tar, ISO, stored ZIP/CAB entries) is in the input as
	 * is: a view of it keeps the file offset, charges nothing, and lets the
	 * carving pass know those bytes are claimed. Looked for from where the
	 * previous entry's bytes ended, so identical entries map in order. */
	if (n >= 64) {
		for (int pass = 0; pass < 2; pass++) {
			size_t from = pass ? 0 : *hint;
			if (from >= s.len)
				continue;
			const uint8_t *hit = memmem(s.p + from, s.len - from, tmp, n);
			if (hit) {
				free(tmp);
				*hint = (size_t)(hit - s.p) + n;
				return od_sub(s, (size_t)(hit - s.p), n, out, e);
			}
		}
	}
	uint8_t *buf = od_alloc_out(c, n, s.len, e);
	if (buf && n)
		memcpy(buf, tmp, n);
	free(tmp);
	if (!buf)
		return e->code;
	*out = od_out_done(c, buf, n);
	return OD_OK;
}

/* --- names --- */

static od_kind filter_kind(int code)
{
	switch (code) {
	case ARCHIVE_FILTER_XZ: return OD_KIND_XZ;
	case ARCHIVE_FILTER_BZIP2: return OD_KIND_BZIP2;
	case ARCHIVE_FILTER_GZIP: return OD_KIND_GZIP;
	case ARCHIVE_FILTER_LZMA: return OD_KIND_LZMA_ALONE;
	default: return OD_KIND_STREAM;
	}
}

static od_kind format_kind(int fmt)
{
	switch (fmt & ARCHIVE_FORMAT_BASE_MASK) {
	case ARCHIVE_FORMAT_ZIP: return OD_KIND_ZIP;
	case ARCHIVE_FORMAT_7ZIP: return OD_KIND_SEVENZIP;
	case ARCHIVE_FORMAT_CAB: return OD_KIND_CAB;
	case ARCHIVE_FORMAT_ISO9660: return OD_KIND_ISO9660;
	case ARCHIVE_FORMAT_TAR: return OD_KIND_TAR;
	case ARCHIVE_FORMAT_RAR: return OD_KIND_RAR;
	case ARCHIVE_FORMAT_RAR_V5: return OD_KIND_RAR5;
	case ARCHIVE_FORMAT_RAW: return OD_KIND_NONE; /* a bare compressed stream */
	default: return OD_KIND_ARCHIVE;
	}
}

/* Printable ASCII only, quotes replaced: the name goes into paths and JSON. */
static void entry_name(struct archive_entry *ent, char *out, size_t cap)
{
	const char *p = archive_entry_pathname(ent);
	if (!p)
		p = archive_entry_pathname_utf8(ent);
	if (!p)
		p = "?";
	size_t k = 0;
	for (; *p && k + 1 < cap; p++)
		out[k++] = ((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7F && *p != '"' && *p != '\\') ? *p : '?';
	out[k] = 0;
}

/* --- the walk --- */

/* NULL with e set: out of memory, or libarchive refusing the bytes as soon
 * as it opens them (a damaged stream header: damage, not a fatal error). */
static struct archive *arc_open(od_span s, od_err *e)
{
	struct archive *a = archive_read_new();
	if (!a) {
		od_fail(e, OD_E_NOMEM, s.off, "libarchive init");
		return NULL;
	}
	archive_read_support_format_zip(a); /* the seekable reader wins on memory: central directory first */
	archive_read_support_format_7zip(a);
	archive_read_support_format_cab(a);
	archive_read_support_format_iso9660(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_rar(a);
	archive_read_support_format_rar5(a);
	archive_read_support_format_raw(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_bzip2(a);
	if (archive_read_open_memory(a, s.p, s.len) != ARCHIVE_OK) {
		const char *why = archive_error_string(a);
		od_fail(e, OD_E_FORMAT, s.off, "not readable: %s", why ? why : "cut or damaged (libarchive gives no reason)");
		od_err_prefix(e, "%s", sig_label(s));
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* The entry's node, bytes and walk; its damage is confined to it. */
static int entry_body(od_ctx *c, struct archive *a, struct archive_entry *ent, od_span s, size_t *hint,
		      const char *fmt, const char *name, bool *broken, od_err *e)
{
	int64_t stated = archive_entry_size_is_set(ent) ? archive_entry_size(ent) : -1;
	OD_TRY(od_enter(c, OD_KIND_ARCHIVE_ENTRY, s, e, "%s entry \"%s\"", fmt, name));
	if (archive_entry_is_encrypted(ent))
		return od_fail(e, OD_E_UNSUPPORTED, 0, "entry is encrypted");
	od_span out;
	OD_TRY(read_entry(c, a, s, hint, stated, &out, broken, e));
	c->cur->off = out.off, c->cur->size = out.len, c->cur->data = out.p;
	/* A view keeps file offsets; a decoded copy is a buffer of its own
	 * (the CLI says "offset 0x40 in unpacked entry"). */
	bool view = out.p >= s.p && out.p < s.p + s.len;
	c->cur->kind = view ? OD_KIND_ARCHIVE_ENTRY : OD_KIND_UNPACKED_ENTRY;
	od_note(c, "%zu bytes", out.len);
	return od_walk_child(c, out, e);
}

/* One entry as a guarded part (walk.h): a damaged entry becomes a
 * diagnostic under its path and the next entry is read; *broken says
 * libarchive cannot go on. */
static int walk_entry(od_ctx *c, struct archive *a, struct archive_entry *ent, od_span s, size_t *hint,
		      const char *fmt, bool *broken, od_err *e)
{
	char name[80];
	entry_name(ent, name, sizeof(name));
	od_part p;
	int rc = entry_body(c, a, ent, s, hint, fmt, name, broken, od_part_begin(c, &p));
	rc = od_part_end(c, &p, rc, e, "%s entry \"%s\"", fmt, name);
	return od_fatal(rc) ? rc : OD_OK;
}

static int walk_entries(od_ctx *c, struct archive *a, struct archive_entry *ent, od_span s, const char *fmt, od_err *e)
{
	size_t count = 0, hint = 0;
	int r = ARCHIVE_OK;
	for (; r == ARCHIVE_OK || r == ARCHIVE_WARN; r = archive_read_next_header(a, &ent)) {
		if (archive_entry_filetype(ent) != AE_IFREG)
			continue; /* directories, links, devices: no bytes of their own */
		if (++count > ARC_MAX_ENTRIES)
			return od_fail(e, OD_E_LIMIT, s.off, "more than %d %s entries", ARC_MAX_ENTRIES, fmt);
		bool broken = false;
		OD_TRY(walk_entry(c, a, ent, s, &hint, fmt, &broken, e));
		if (broken)
			return OD_OK; /* said under the entry; nothing after it is reachable */
	}
	od_note(c, "%zu entries", count);
	if (r != ARCHIVE_EOF)
		od_diag_fail(c, false, OD_E_FORMAT, s.off, "%s directory unreadable after %zu entries: %s", fmt, count,
			     archive_error_string(a));
	return OD_OK;
}

/* A bare xz / bzip2 stream: one node per filter layer, then its bytes. */
static int walk_raw(od_ctx *c, struct archive *a, od_span s, od_err *e)
{
	od_span out;
	bool broken = false;
	int64_t unknown = -1;
	size_t hint = 0;
	OD_TRY(read_entry(c, a, s, &hint, unknown, &out, &broken, e));
	od_note(c, "%zu -> %zu bytes", s.len, out.len);
	return od_walk_child(c, out, e);
}

static int arc_walk(od_ctx *c, od_span s, od_err *e)
{
	if (od_match(s, 0, "PK\x03\x04", 4))
		OD_TRY(zip_overlaps(s, e));
	struct archive *a = arc_open(s, e);
	if (!a)
		return e->code;
	struct archive_entry *ent = NULL;
	int r = archive_read_next_header(a, &ent);
	int rc = OD_OK;
	int nfilters = archive_filter_count(a);
	od_kind fk = format_kind(archive_format(a));
	const char *fmt = fk == OD_KIND_NONE ? NULL : od_kind_name(fk);
	if (r != ARCHIVE_OK && r != ARCHIVE_WARN && r != ARCHIVE_EOF) {
		/* Named after its signature, so the path says what failed. */
		const char *guess = sig_label(s);
		const char *why = archive_error_string(a);
		od_fail(e, OD_E_FORMAT, s.off, "not readable: %s", why ? why : "cut or damaged (libarchive gives no reason)");
		rc = od_err_prefix(e, "%s", guess);
	} else if (!fmt && (nfilters < 2 || archive_filter_code(a, 0) == ARCHIVE_FILTER_NONE)) {
		rc = od_fail(e, OD_E_FORMAT, s.off, "no archive or compressed stream libarchive reads");
	} else {
		/* Filter 0 is the innermost (its output is what the format sees);
		 * the last is "none", the bytes themselves. Outermost first. */
		for (int i = nfilters - 2; i >= 0 && !rc; i--) {
			od_kind f = filter_kind(archive_filter_code(a, i));
			rc = od_enter(c, f, s, e, "%s", od_kind_name(f));
		}
		if (!rc && fmt) {
			rc = od_enter(c, fk, s, e, "%s", fmt);
			if (!rc && r != ARCHIVE_EOF)
				rc = walk_entries(c, a, ent, s, fmt, e);
			/* Boot images hidden from the ISO's tree (Lenovo's bootable
			 * BIOS updates): libarchive does not list them. */
			if (!rc && (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ISO9660)
				rc = od_eltorito_walk(c, s, e);
		} else if (!rc && r != ARCHIVE_EOF) {
			rc = walk_raw(c, a, s, e);
		}
	}
	archive_read_free(a);
	return rc;
}

OD_FORMAT(archive, "archive (libarchive)", arc_probe, arc_walk, 0);
