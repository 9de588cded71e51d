/* SPDX-License-Identifier: BSD-2-Clause */
/* Dell PFS update packages (BIOSUtilities dell_pfs_extract.py; notes):
 * zlib sections marked EE AA 76 1B EC BB 20 F1 E6 51 ?? then a zlib stream
 * (78 9C) inside the flasher .exe; their output is a PFS container:
 * "PFS.HDR." header, entries, then the footer (with ~CRC32 of the payload).
 * Each entry header (rev 1 or 2) gives four sizes: data, data signature,
 * metadata, metadata signature, stored in that order after it. Entry data
 * is firmware, a nested PFS, or another zlib section. The headers' fields:
 * parsers/layout/vendor.h. */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "decompress.h"
#include "layout/vendor.h"
#include "uefi.h"

#define MARKER "\xEE\xAA\x76\x1B\xEC\xBB\x20\xF1\xE6\x51"
#define MARKER_LEN 10
#define PFS_MAX_ENTRIES 512

/* A zlib header (RFC 1950: CMF 0x78, FCHECK makes CMF*256+FLG a multiple
 * of 31); Dell writes 78 9C, other levels give 78 01/5E/DA. */
static bool zlib_at(od_span s, size_t at)
{
	uint8_t cmf, flg;
	return !od_u8(s, at, &cmf, NULL) && !od_u8(s, at + 1, &flg, NULL) && cmf == 0x78 && (cmf * 256 + flg) % 31 == 0;
}

static int pfs_probe(od_span s)
{
	if (od_match(s, 0, OD_PFS_HDR_TAG, 8))
		return 90;
	size_t at = od_find(s, 0, MARKER, MARKER_LEN);
	return at != SIZE_MAX && zlib_at(s, at + MARKER_LEN + 1) ? 45 : 0;
}

/* Entries BIOSUtilities names by GUID (dell_pfs_extract.py; its hex is the
 * 16 stored bytes read as one little-endian number, so they are reversed
 * here). The information entries hold text, not firmware. */
static const struct {
	const char *hex;
	const char *name;
	bool info;
} known_entries[] = {
	{ "E0717CE3A9BB25824B9F0DC8FD041960", "PFS Information", true },
	{ "B033CB16EC9B45A14055F80E4D583FD3", "PFS Information", true },
	{ "6F1D619A22A6CB924FD4DA68233AE3FB", "Model Information", true },
	{ "D086AFEE3ADBAEA94D5CED583C880BB7", "Signature Information", true },
	{ "900FAE60437F3AB14055F456AC9FDA84", "nested PFS", false },
};

static int known_entry(const od_guid *g)
{
	for (size_t k = 0; k < sizeof(known_entries) / sizeof(known_entries[0]); k++) {
		const char *h = known_entries[k].hex;
		bool eq = true;
		for (int i = 0; i < 16 && eq; i++)
			eq = g->b[15 - i] == (uint8_t)(od_hexval(h[2 * i]) << 4 | od_hexval(h[2 * i + 1]));
		if (eq)
			return (int)k;
	}
	return -1;
}

/* --- BIOS Guard: a PFS entry whose data is a sub-PFS of PFAT blocks
 * (BIOSUtilities dell_pfs_extract.py _parse_pfat_pfs). Each sub-entry's data
 * is an Intel BIOS Guard block: header (platform ID "DELL..."), the script,
 * the data; its metadata (DellPfsPfatMetadata) gives Address and Offset.
 * The blocks are stored out of order: each goes to the offset its script's
 * second opcode loads into I0 (script bytes 0xC..0xF), or the metadata's
 * Offset where they differ; gaps are 0xFF. */

#define BG_HDR od_bg_hdr_SIZE
#define BG_META od_pfs_bg_meta_SIZE
#define BG_SCRIPT_OFFSET 0xC /* the second opcode's immediate: where the block goes */
#define BG_MAX_BLOCKS 8192

typedef struct bg_block {
	uint32_t off, addr;
	unsigned index;
	od_span data;
} bg_block;

static size_t entry_hdr_len(uint32_t version)
{
	return version == 1 ? od_pfs_entry_SIZE : OD_PFS_ENTRY_R2_SIZE;
}

/* "PFS.HDR." whose first entry's data is a BIOS Guard block for a Dell
 * platform. */
static bool bg_pfs(od_span d)
{
	od_pfs_hdr h;
	if (!od_match(d, 0, OD_PFS_HDR_TAG, 8) || od_pfs_hdr_read(d, 0, &h, NULL) || (h.version != 1 && h.version != 2))
		return false;
	/* the first entry's data: a BIOS Guard header, PlatformID after Version */
	size_t at = od_pfs_hdr_SIZE + entry_hdr_len(h.version) + OD_OFF(od_bg_hdr, platform_id), k = 0;
	uint8_t ch = 0;
	while (k < 12 && !od_u8(d, at + k, &ch, NULL) && (ch == 0 || ch == ' '))
		k++;
	return od_match(d, at + k, "DELL", 4);
}

static int cmp_block(const void *a, const void *b)
{
	const bg_block *x = a, *y = b;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* One sub-entry: its block's data and the offset it belongs at. */
static int bg_block_at(od_ctx *c, od_span body, size_t at, size_t hdr, unsigned n, bg_block *b, size_t *next, od_err *e)
{
	od_pfs_entry pe;
	uint32_t off;
	OD_TRY(od_pfs_entry_read(body, at, &pe, e));
	uint32_t sz[4] = { pe.data_size, pe.data_sig_size, pe.meta_size, pe.meta_sig_size };
	uint64_t all = (uint64_t)sz[0] + sz[1] + sz[2] + sz[3];
	if (all > body.len - at - hdr)
		return od_fail(e, OD_E_TRUNC, body.off + at + OD_OFF(od_pfs_entry, data_size),
			       "BIOS Guard block %u: entry sizes (0x%llx) run past the PFS", n, (unsigned long long)all);
	od_span ent, meta;
	OD_TRY(od_sub(body, at + hdr, sz[0], &ent, e));
	OD_TRY(od_sub(body, at + hdr + sz[0] + sz[1], sz[2], &meta, e));
	od_bg_hdr bh;
	/* up to DataSize: the sizes are checked against the entry below */
	OD_TRY(od_bg_hdr_read_n(ent, 0, &bh, OD_OFF(od_bg_hdr, data_size) + 4, e));
	uint32_t script = bh.script_size, data = bh.data_size;
	if ((uint64_t)BG_HDR + script + data > ent.len)
		return od_fail(e, OD_E_TRUNC, ent.off + OD_OFF(od_bg_hdr, script_size),
			       "BIOS Guard block %u: script 0x%x + data 0x%x run past its entry (0x%zx)", n, script, data, ent.len);
	if (script < 0x10)
		return od_fail(e, OD_E_FORMAT, ent.off + OD_OFF(od_bg_hdr, script_size),
			       "BIOS Guard block %u: a 0x%x-byte script holds no address", n, script);
	OD_TRY(od_u32(ent, BG_HDR + BG_SCRIPT_OFFSET, &off, e));
	b->addr = off;
	if (meta.len >= BG_META) {
		od_pfs_bg_meta m;
		OD_TRY(od_pfs_bg_meta_read(meta, 0, &m, e));
		b->addr = m.address;
		if (m.offset != off) {
			od_diag_fail(c, true, OD_E_FORMAT, meta.off + OD_OFF(od_pfs_bg_meta, offset),
				     "BIOS Guard block %u: script says offset 0x%x, metadata 0x%x (the metadata's is used)", n, off,
				     m.offset);
			off = m.offset;
		}
	}
	b->off = off;
	b->index = n;
	OD_TRY(od_sub(ent, BG_HDR + (size_t)script, data, &b->data, e));
	*next = at + hdr + (size_t)all;
	return OD_OK;
}

/* Puts the blocks in order into one buffer; overlapping blocks (two
 * claiming the same bytes) are refused rather than one silently winning. */
static int bg_assemble(od_ctx *c, bg_block *b, unsigned n, size_t in_len, od_span *out, unsigned *gaps, od_err *e)
{
	qsort(b, n, sizeof(*b), cmp_block);
	uint64_t end = 0;
	*gaps = 0;
	for (unsigned i = 0; i < n; i++) {
		if (b[i].off < end)
			return od_fail(e, OD_E_LOOP, b[i].data.off,
				       "BIOS Guard block %u (offset 0x%x) overlaps block %u, which ends at 0x%llx", b[i].index, b[i].off,
				       b[i - 1].index, (unsigned long long)end);
		*gaps += b[i].off > end;
		end = (uint64_t)b[i].off + b[i].data.len;
	}
	if (end > SIZE_MAX)
		return od_fail(e, OD_E_LIMIT, 0, "BIOS Guard image of 0x%llx bytes", (unsigned long long)end);
	uint8_t *buf = od_alloc_out(c, (size_t)end, in_len, e);
	if (!buf)
		return e->code;
	memset(buf, 0xFF, (size_t)end);
	for (unsigned i = 0; i < n; i++)
		memcpy(buf + b[i].off, b[i].data.p, b[i].data.len);
	*out = od_out_done(c, buf, (size_t)end);
	return OD_OK;
}

static int pfs_body(od_span s, uint32_t *version, od_span *body, od_err *e);
static void check_footer(od_ctx *c, od_span s, od_span body);

static int walk_bg_pfs(od_ctx *c, od_span d, od_err *e)
{
	uint32_t version;
	od_span body;
	OD_TRY(pfs_body(d, &version, &body, e));
	size_t hdr = entry_hdr_len(version);
	OD_TRY(od_enter(c, OD_KIND_PFS, d, e, "Dell PFS (BIOS Guard blocks)"));
	od_node_header(c, &od_pfs_hdr_layout);
	check_footer(c, d, body);
	bg_block *b = calloc(BG_MAX_BLOCKS, sizeof(*b));
	if (!b)
		return od_fail(e, OD_E_NOMEM, d.off, "BIOS Guard block list");
	unsigned n = 0;
	int rc = OD_OK;
	for (size_t at = 0; at + hdr <= body.len && !rc;) {
		if (n == BG_MAX_BLOCKS) {
			rc = od_fail(e, OD_E_LIMIT, body.off + at, "more than %d BIOS Guard blocks", BG_MAX_BLOCKS);
			break;
		}
		rc = bg_block_at(c, body, at, hdr, n + 1, &b[n], &at, e);
		n += !rc;
	}
	od_span img;
	unsigned gaps = 0;
	if (!rc && n == 0)
		rc = od_fail(e, OD_E_FORMAT, body.off, "BIOS Guard PFS without blocks");
	if (!rc)
		rc = od_enter(c, OD_KIND_BIOS_GUARD, d, e, "BIOS Guard image");
	if (!rc)
		rc = bg_assemble(c, b, n, d.len, &img, &gaps, e);
	free(b);
	if (rc)
		return rc;
	od_note(c, "%u blocks put in order by their script offsets, 0x%zx bytes, %u gaps filled with FF", n, img.len, gaps);
	return od_walk_child(c, img, e);
}

static int walk_entries(od_ctx *c, od_span body, uint32_t version, od_err *e)
{
	size_t hdr = entry_hdr_len(version);
	size_t at = 0;
	unsigned n = 0;
	while (at + hdr <= body.len) {
		if (++n > PFS_MAX_ENTRIES)
			return od_fail(e, OD_E_LIMIT, body.off + at, "more than %d PFS entries", PFS_MAX_ENTRIES);
		od_pfs_entry pe;
		OD_TRY(od_pfs_entry_read(body, at, &pe, e));
		od_guid g = pe.guid;
		uint32_t sizes[4] = { pe.data_size, pe.data_sig_size, pe.meta_size, pe.meta_sig_size };
		od_span data;
		uint64_t all = (uint64_t)sizes[0] + sizes[1] + sizes[2] + sizes[3];
		if (all > body.len - at - hdr)
			return od_fail(e, OD_E_TRUNC, body.off + at + OD_OFF(od_pfs_entry, data_size),
				       "PFS entry sizes (0x%llx) run past the container", (unsigned long long)all);
		OD_TRY(od_sub(body, at + hdr, sizes[0], &data, e));
		char gs[9];
		int k = known_entry(&g);
		if (k >= 0)
			OD_TRY(od_enter(c, OD_KIND_PFS_ENTRY, data, e, "PFS entry %s \"%s\"", od_guid_short(&g, gs), known_entries[k].name));
		else
			OD_TRY(od_enter(c, OD_KIND_PFS_ENTRY, data, e, "PFS entry %s", od_guid_short(&g, gs)));
		od_note(c, "data 0x%x, signature 0x%x, metadata 0x%x", sizes[0], sizes[1], sizes[2]);
		if (k >= 0 && known_entries[k].info) {
			od_note(c, "information, not firmware");
		} else if (bg_pfs(data)) {
			od_part p;
			int rc = walk_bg_pfs(c, data, od_part_begin(c, &p));
			rc = od_part_end(c, &p, rc, e, "Dell PFS (BIOS Guard blocks)"); /* this entry only */
			if (od_fatal(rc))
				return rc;
		} else {
			OD_TRY(od_walk_child(c, data, e)); /* guarded: hands up fatal errors only */
		}
		od_leave(c);
		at += hdr + (size_t)all;
	}
	return OD_OK;
}

/* Header (u32 version, u32 payload size), payload, footer (u32 payload
 * size, u32 checksum, "PFS.FTR."; BIOSUtilities DellPfsFooter). */
static int pfs_body(od_span s, uint32_t *version, od_span *body, od_err *e)
{
	od_pfs_hdr h;
	od_pfs_ftr f;
	OD_TRY(od_pfs_hdr_read(s, 0, &h, e));
	*version = h.version;
	uint32_t size = h.payload_size;
	if (*version != 1 && *version != 2)
		return od_fail(e, OD_E_UNSUPPORTED, s.off + OD_OFF(od_pfs_hdr, version), "PFS version %u", *version);
	if (od_sub(s, od_pfs_hdr_SIZE, size, body, NULL))
		return od_fail(e, OD_E_TRUNC, s.off + OD_OFF(od_pfs_hdr, payload_size), "PFS payload of 0x%x bytes runs past the end",
			       size);
	size_t ftr = od_pfs_hdr_SIZE + (size_t)size;
	if (!od_match(s, ftr + OD_OFF(od_pfs_ftr, tag), OD_PFS_FTR_TAG, 8))
		return od_fail(e, OD_E_FORMAT, s.off + ftr, "no PFS.FTR. footer after the payload");
	OD_TRY(od_pfs_ftr_read(s, ftr, &f, e));
	if (f.payload_size != size)
		return od_fail(e, OD_E_FORMAT, s.off + ftr, "PFS footer says a 0x%x-byte payload, the header 0x%x", f.payload_size,
			       size);
	return OD_OK;
}

/* The footer's checksum: CRC-32 of the payload, inverted (BIOSUtilities
 * _chk_pfs_ftr: ~zlib.crc32(data, 0)). A mismatch is said; the entries are
 * still read, since what they hold may be whole. */
static void check_footer(od_ctx *c, od_span s, od_span body)
{
	od_pfs_ftr f;
	size_t ftr = od_pfs_hdr_SIZE + body.len;
	if (od_pfs_ftr_read(s, ftr, &f, NULL))
		return;
	uint32_t got = ~(uint32_t)crc32(0, body.p, (uInt)body.len);
	if (got != f.checksum)
		od_diag_fail(c, false, OD_E_CHECKSUM, s.off + ftr + OD_OFF(od_pfs_ftr, checksum),
			     "PFS payload checksum 0x%08x, the footer says 0x%08x (damaged payload)", got, f.checksum);
}

static int walk_pfs(od_ctx *c, od_span s, od_err *e)
{
	uint32_t version;
	od_span body, whole;
	OD_TRY(pfs_body(s, &version, &body, e));
	uint32_t size = (uint32_t)body.len;
	OD_TRY(od_sub(s, 0, od_pfs_hdr_SIZE + (size_t)size + od_pfs_ftr_SIZE, &whole, e));
	OD_TRY(od_enter(c, OD_KIND_PFS, whole, e, "Dell PFS"));
	od_node_header(c, &od_pfs_hdr_layout);
	check_footer(c, s, body);
	od_note(c, "version %u, 0x%x bytes", version, size);
	int rc = walk_entries(c, body, version, e);
	od_leave(c);
	return rc;
}

static int zlib_section(od_ctx *c, od_span z, od_span *out, size_t *used, od_err *e)
{
	OD_TRY(od_enter(c, OD_KIND_ZLIB, z, e, "Dell zlib section"));
	OD_TRY(od_zlib_stream(c, z, SIZE_MAX, out, used, e));
	OD_TRY(od_walk_child(c, *out, e));
	od_leave(c);
	return OD_OK;
}

/* Every marked zlib section in the span; each inflates to a PFS (or more). */
static int walk_sections(od_ctx *c, od_span s, od_err *e)
{
	size_t at = od_find(s, 0, MARKER, MARKER_LEN);
	unsigned n = 0;
	while (at != SIZE_MAX) {
		od_span z, out;
		size_t used = 0;
		if (++n > PFS_MAX_ENTRIES)
			return od_fail(e, OD_E_LIMIT, s.off + at, "more than %d Dell zlib sections", PFS_MAX_ENTRIES);
		if (zlib_at(s, at + MARKER_LEN + 1) && !od_tail(s, at + MARKER_LEN + 1, &z, NULL)) {
			od_part p;
			int rc = zlib_section(c, z, &out, &used, od_part_begin(c, &p));
			if (od_fatal(od_part_end(c, &p, rc, e, NULL)))
				return rc;
		}
		at = od_find(s, at + MARKER_LEN + 1 + used, MARKER, MARKER_LEN);
	}
	return OD_OK;
}

static int pfs_walk(od_ctx *c, od_span s, od_err *e)
{
	return od_match(s, 0, OD_PFS_HDR_TAG, 8) ? walk_pfs(c, s, e) : walk_sections(c, s, e);
}

OD_FORMAT(dellpfs, "Dell PFS package", pfs_probe, pfs_walk, 90);
