/* ZIP archives (PKWARE APPNOTE.TXT 6.3: local file header 4.3.7, central
 * directory 4.3.12, end of central directory 4.3.16) and gzip members
 * (RFC 1952). Entries are found through the central directory, checked
 * against their local headers, and must not overlap (the classic
 * overlapping-entry zip bomb); stored and deflate are supported. */
#include <stdlib.h>
#include <string.h>

#include "decompress.h"

#define ZIP_MAX_ENTRIES 10000
#define EOCD_MIN 22
#define EOCD_SEARCH (EOCD_MIN + 0xFFFF) /* comment is at most 64 KiB */

typedef struct zip_entry {
	uint16_t flags, method;
	uint32_t crc, csize, usize, local_off;
	char name[96];
} zip_entry;

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

static int zip_probe(od_span s)
{
	if (od_match(s, 0, "PK\x03\x04", 4))
		return 70;
	return 0;
}

static int gzip_probe(od_span s)
{
	return od_match(s, 0, "\x1F\x8B\x08", 3) ? 70 : 0;
}

static void copy_name(od_span s, size_t at, uint16_t n, char *out, size_t cap)
{
	size_t k = 0;
	for (uint16_t i = 0; i < n && k + 1 < cap; i++) {
		uint8_t ch;
		if (od_u8(s, at + i, &ch, NULL))
			break;
		out[k++] = (ch >= 0x20 && ch < 0x7F && ch != '"') ? (char)ch : '?';
	}
	out[k] = 0;
}

/* Central directory record (APPNOTE 4.3.12) at `at`; *next = following one. */
static int read_central(od_span s, size_t at, zip_entry *z, size_t *next, od_err *e)
{
	uint16_t nlen, xlen, clen;
	if (!od_match(s, at, "PK\x01\x02", 4))
		return od_fail(e, OD_E_FORMAT, s.off + at, "central directory record signature missing");
	OD_TRY(od_u16(s, at + 8, &z->flags, e));
	OD_TRY(od_u16(s, at + 10, &z->method, e));
	OD_TRY(od_u32(s, at + 16, &z->crc, e));
	OD_TRY(od_u32(s, at + 20, &z->csize, e));
	OD_TRY(od_u32(s, at + 24, &z->usize, e));
	OD_TRY(od_u16(s, at + 28, &nlen, e));
	OD_TRY(od_u16(s, at + 30, &xlen, e));
	OD_TRY(od_u16(s, at + 32, &clen, e));
	OD_TRY(od_u32(s, at + 42, &z->local_off, e));
	copy_name(s, at + 46, nlen, z->name, sizeof(z->name));
	*next = at + 46 + (size_t)nlen + xlen + clen;
	return OD_OK;
}

/* The entry's data span, from its local header (APPNOTE 4.3.7). */
static int entry_data(od_span s, const zip_entry *z, od_span *data, od_err *e)
{
	uint16_t nlen, xlen, method;
	size_t at = z->local_off;
	if (!od_match(s, at, "PK\x03\x04", 4))
		return od_fail(e, OD_E_FORMAT, s.off + at, "entry \"%s\": no local header where the directory points", z->name);
	OD_TRY(od_u16(s, at + 8, &method, e));
	OD_TRY(od_u16(s, at + 26, &nlen, e));
	OD_TRY(od_u16(s, at + 28, &xlen, e));
	if (method != z->method)
		return od_fail(e, OD_E_FORMAT, s.off + at + 8, "entry \"%s\": local and central methods differ", z->name);
	return od_sub(s, at + 30 + (size_t)nlen + xlen, z->csize, data, e);
}

static int walk_entry(od_ctx *c, od_span s, const zip_entry *z, od_err *e)
{
	od_span data, out;
	OD_TRY(entry_data(s, z, &data, e));
	OD_TRY(od_enter(c, "zip entry", data, e, "zip entry \"%s\"", z->name));
	od_note(c, "method %u, %u -> %u bytes", z->method, z->csize, z->usize);
	if (z->flags & 1)
		return od_fail(e, OD_E_UNSUPPORTED, data.off, "entry \"%s\" is encrypted", z->name);
	if (z->method == 0) {
		out = data;
	} else if (z->method == 8) {
		OD_TRY(od_enter(c, "deflate", data, e, "deflate"));
		OD_TRY(od_zlib_decompress(c, data, true, z->usize, &out, e));
		if (out.len != z->usize)
			return od_fail(e, OD_E_FORMAT, data.off, "entry \"%s\" inflates to %zu bytes, directory says %u", z->name,
				       out.len, z->usize);
	} else {
		return od_fail(e, OD_E_UNSUPPORTED, data.off, "entry \"%s\": compression method %u", z->name, z->method);
	}
	return od_walk_child(c, out, e);
}

static int zip_walk(od_ctx *c, od_span s, od_err *e)
{
	size_t eocd = find_eocd(s);
	if (eocd == SIZE_MAX)
		return od_fail(e, OD_E_TRUNC, s.off + s.len, "no end of central directory (cut or not a zip)");
	uint16_t count;
	uint32_t cd_size, cd_off;
	OD_TRY(od_u16(s, eocd + 10, &count, e));
	OD_TRY(od_u32(s, eocd + 12, &cd_size, e));
	OD_TRY(od_u32(s, eocd + 16, &cd_off, e));
	if (cd_off == 0xFFFFFFFF || count == 0xFFFF)
		return od_fail(e, OD_E_UNSUPPORTED, s.off + eocd, "ZIP64 archives are not supported");
	if (count > ZIP_MAX_ENTRIES)
		return od_fail(e, OD_E_LIMIT, s.off + eocd + 10, "%u entries (limit %d)", count, ZIP_MAX_ENTRIES);
	OD_TRY(od_enter(c, "zip", s, e, "zip"));
	od_note(c, "%u entries", count);
	/* Data ranges seen so far: overlapping entries are refused. Per call,
	 * since entries may hold zips themselves. */
	uint64_t(*ranges)[2] = calloc(count ? count : 1, sizeof(*ranges));
	if (!ranges)
		return od_fail(e, OD_E_NOMEM, s.off, "zip index");
	size_t at = cd_off;
	int rc = OD_OK;
	for (unsigned i = 0; i < count && !rc; i++) {
		zip_entry z;
		size_t next = at;
		if ((rc = read_central(s, at, &z, &next, e)))
			break;
		uint64_t lo = z.local_off, hi = (uint64_t)z.local_off + 30 + z.csize;
		for (unsigned k = 0; k < i && !rc; k++)
			if (lo < ranges[k][1] && ranges[k][0] < hi)
				rc = od_fail(e, OD_E_LOOP, s.off + at, "entry \"%s\" overlaps another entry's data", z.name);
		if (rc)
			break;
		ranges[i][0] = lo;
		ranges[i][1] = hi;
		od_part p;
		int erc = walk_entry(c, s, &z, od_part_begin(c, &p));
		if (od_fatal(od_part_end(c, &p, erc, e, "zip entry \"%s\"", z.name)))
			rc = erc;
		at = next;
	}
	free(ranges);
	if (!rc)
		od_leave(c);
	return rc;
}

static int gzip_walk(od_ctx *c, od_span s, od_err *e)
{
	od_span out;
	size_t used;
	OD_TRY(od_enter(c, "gzip", s, e, "gzip"));
	OD_TRY(od_gzip_decompress(c, s, SIZE_MAX, &out, &used, e));
	od_note(c, "%zu -> %zu bytes", used, out.len);
	OD_TRY(od_walk_child(c, out, e));
	od_leave(c);
	return OD_OK;
}

const od_format od_format_zip = {
	.name = "zip",
	.title = "ZIP archive",
	.probe = zip_probe,
	.walk = zip_walk,
};

const od_format od_format_gzip = {
	.name = "gzip",
	.title = "gzip stream",
	.probe = gzip_probe,
	.walk = gzip_walk,
};
