/* SPDX-License-Identifier: BSD-2-Clause */
/* Inno Setup installers: Lenovo's Windows BIOS updaters (and many others)
 * are Inno Setup executables whose file data holds the capsule.
 *
 * The setup loader (a small PE) carries an offset table naming where the
 * setup headers ("setup-0") and the file data ("setup-1") live in the file
 * (innoextract src/loader/offsets.cpp: before 5.1.5 a pointer at 0x30 after
 * the "Inno" magic, from 5.1.5 on a PE resource; we find the table by its
 * 12-byte magic and check its CRC-32 instead of walking the resource tree).
 * The headers start with a 64-byte version string ("Inno Setup Setup Data
 * (5.3.7)", src/setup/version.cpp). The file data is a series of chunks,
 * each "zlb\x1a" then a zlib, LZMA1 (5 property bytes) or LZMA2 (1 byte)
 * stream holding the files of that chunk back to back (src/stream/chunk.cpp).
 * We decode every chunk and walk what it holds; the header's file list is not
 * needed for that, and a chunk we cannot decode (encrypted, bzip2) is named. */
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "decompress.h"
#include "pe.h"

#define INNO_MAX_CHUNKS 4096

/* Offset-table magics and the earliest version using each (offsets.cpp). */
static const struct {
	char magic[12];
	unsigned version; /* major*10000 + minor*100 + patch */
} loader_magics[] = {
	{ "rDlPtS02\x87" "eVx", 11210 },
	{ "rDlPtS04\x87" "eVx", 40000 },
	{ "rDlPtS05\x87" "eVx", 40003 },
	{ "rDlPtS06\x87" "eVx", 40010 },
	{ "rDlPtS07\x87" "eVx", 40106 },
	{ "rDlPtS\xcd\xe6\xd7{\x0b*", 50105 },
	{ "nS5W7dT\x83\xaa\x1b\x0fj", 50105 },
};

typedef struct inno_table {
	size_t at;         /* where the table is */
	unsigned version;  /* loader generation, from the magic */
	uint32_t total;    /* file size the table states */
	uint32_t header;   /* setup-0: version string, compressed headers */
	uint32_t data;     /* setup-1: the file chunks (0 = external .bin files) */
	bool crc_ok;       /* table checksum (4.0.10 and later) */
} inno_table;

static int magic_version(od_span s, size_t at)
{
	for (size_t i = 0; i < sizeof(loader_magics) / sizeof(loader_magics[0]); i++)
		if (od_match(s, at, loader_magics[i].magic, 12))
			return (int)loader_magics[i].version;
	return -1;
}

/* The table's fields, in order, as offsets.cpp reads them per generation. */
static int read_table(od_span s, size_t at, inno_table *t, od_err *e)
{
	int v = magic_version(s, at);
	if (v < 0)
		return od_fail(e, OD_E_FORMAT, s.off + at, "no Inno Setup offset table magic");
	memset(t, 0, sizeof(*t));
	t->at = at;
	t->version = (unsigned)v;
	size_t p = at + 12;
	uint32_t skip;
	if (t->version >= 50105) {
		OD_TRY(od_u32(s, p, &skip, e)); /* revision */
		p += 4;
	}
	OD_TRY(od_u32(s, p, &t->total, e));
	p += 4 + 4; /* total, setup exe offset */
	if (t->version < 40106)
		p += 4; /* setup exe compressed size */
	p += 4 + 4; /* setup exe size, its CRC-32 or Adler-32 */
	size_t checked = p - at;
	if (t->version < 40000)
		p += 4; /* message offset: outside the checksum */
	OD_TRY(od_u32(s, p, &t->header, e));
	OD_TRY(od_u32(s, p + 4, &t->data, e));
	p += 8;
	checked += 8;
	t->crc_ok = true;
	if (t->version >= 40010) {
		uint32_t want;
		const uint8_t *bytes;
		OD_TRY(od_u32(s, p, &want, e));
		OD_TRY(od_bytes(s, at, checked, &bytes, e));
		t->crc_ok = crc32(0, bytes, (uInt)checked) == want;
	}
	return OD_OK;
}

/* Where the table is: the pre-5.1.5 pointer at 0x30, else the magic inside
 * the loader image (not its overlay, which is the installer's payload). */
static size_t find_table(od_span s)
{
	uint32_t magic, ptr, inv;
	if (!od_u32(s, 0x30, &magic, NULL) && magic == 0x6f6e6e49 /* "Inno" */ && !od_u32(s, 0x34, &ptr, NULL) &&
	    !od_u32(s, 0x38, &inv, NULL) && ptr == ~inv && magic_version(s, ptr) >= 0)
		return ptr;
	od_pe pe;
	if (od_pe_parse(s, &pe, NULL))
		return SIZE_MAX;
	od_span image;
	if (od_sub(s, 0, pe.raw_end < s.len ? (size_t)pe.raw_end : s.len, &image, NULL))
		return SIZE_MAX;
	for (size_t at = od_find(image, 0, "rDlPtS", 6); at != SIZE_MAX; at = od_find(image, at + 1, "rDlPtS", 6))
		if (magic_version(image, at) >= 0)
			return at;
	for (size_t at = od_find(image, 0, "nS5W7dT", 7); at != SIZE_MAX; at = od_find(image, at + 1, "nS5W7dT", 7))
		if (magic_version(image, at) >= 0)
			return at;
	return SIZE_MAX;
}

/* Above the PE handler (60): the loader's own code is of no interest. */
static int inno_probe(od_span s)
{
	return od_match(s, 0, "MZ", 2) && find_table(s) != SIZE_MAX ? 85 : 0;
}

/* "5.3.7 (u)" from "Inno Setup Setup Data (5.3.7) (u)". */
static void setup_version(od_span s, uint32_t at, char *out, size_t n)
{
	static const char *const prefixes[] = { "Inno Setup Setup Data (", "My Inno Setup Extensions Setup Data (" };
	snprintf(out, n, "(unknown version)");
	const uint8_t *v;
	if (od_bytes(s, at, 64, &v, NULL))
		return;
	for (size_t i = 0; i < 2; i++) {
		size_t pl = strlen(prefixes[i]), k = 0;
		if (memcmp(v, prefixes[i], pl))
			continue;
		char text[64];
		for (size_t j = pl; j < 64 && v[j] >= 0x20 && v[j] < 0x7f; j++)
			text[k++] = (char)v[j];
		text[k] = 0;
		char *close = strchr(text, ')'); /* "5.3.7) (u)": drop the first ')' */
		if (close)
			memmove(close, close + 1, strlen(close));
		snprintf(out, n, "%s", text);
		return;
	}
}

enum chunk_codec { CODEC_NONE, CODEC_ZLIB, CODEC_LZMA1, CODEC_LZMA2 };

/* Which stream follows the chunk magic, judged by its first bytes; more than
 * one may fit (an LZMA2 code byte is also a valid LZMA1 properties byte), so
 * the caller tries them in this order until one decodes. */
static enum chunk_codec next_codec(od_span body, enum chunk_codec after)
{
	uint8_t b0, b1;
	uint32_t dict;
	if (od_u8(body, 0, &b0, NULL) || od_u8(body, 1, &b1, NULL))
		return CODEC_NONE;
	if (after < CODEC_ZLIB && (b0 & 0x0f) == 8 && ((unsigned)b0 << 8 | b1) % 31 == 0)
		return CODEC_ZLIB;
	if (after < CODEC_LZMA1 && b0 < 225 && !od_u32(body, 1, &dict, NULL) && dict >= 4096 && dict <= (3u << 29))
		return CODEC_LZMA1;
	if (after < CODEC_LZMA2 && b0 <= 40 && (b1 == 0x01 || b1 >= 0xE0))
		return CODEC_LZMA2;
	return CODEC_NONE;
}

static const char *codec_name(enum chunk_codec k)
{
	return k == CODEC_ZLIB ? "zlib" : k == CODEC_LZMA1 ? "LZMA1" : "LZMA2";
}

/* Decodes one chunk's stream; *used = bytes it spans after the magic. */
static int decode_chunk(od_ctx *c, od_span body, enum chunk_codec k, od_span *out, size_t *used, od_err *e)
{
	size_t max = (size_t)c->lim.max_out_one;
	if (k == CODEC_ZLIB)
		return od_zlib_stream(c, body, max, out, used, e);
	return od_lzma_raw_stream(c, body, k == CODEC_LZMA2, max, out, used, e);
}

/* A chunk holds its files back to back and we do not read the file list
 * that says where each ends, so a container followed by the next file looks
 * cut or padded to its parser. The whole chunk was decoded (and is carved),
 * so such findings are warnings, said to be what they may be. */
static void soften(od_ctx *c, size_t first)
{
	for (size_t i = first; i < c->ndiags; i++) {
		od_diag *d = &c->diags[i];
		if (d->warning || d->err.code == OD_E_LIMIT || d->err.code == OD_E_NOMEM)
			continue;
		d->warning = true;
		size_t n = strlen(d->err.msg);
		snprintf(d->err.msg + n, sizeof(d->err.msg) - n, " (in an Inno Setup chunk, whose files are read as one stream: "
			 "the next file may follow)");
	}
}

/* One chunk: a node, its stream decoded under the budget, the files it holds
 * walked. Returns a fatal error only; *used = 0 when nothing decoded. A codec
 * that does not fit costs a counting pass and allocates nothing. */
static int walk_chunk(od_ctx *c, od_span s, size_t at, unsigned index, size_t *used, od_err *e)
{
	od_span body;
	*used = 0;
	if (od_tail(s, at + 4, &body, NULL))
		return OD_OK;
	OD_TRY(od_enter(c, OD_KIND_INNO_CHUNK, body, e, "chunk %u", index));
	for (enum chunk_codec k = next_codec(body, CODEC_NONE); k != CODEC_NONE; k = next_codec(body, k)) {
		od_span out;
		od_err sub;
		od_err_clear(&sub);
		int rc = decode_chunk(c, body, k, &out, used, &sub);
		if (od_fatal(rc)) {
			od_err_locate(c, &sub);
			*e = sub;
			return rc;
		}
		if (rc) {
			*used = 0;
			continue;
		}
		snprintf(c->cur->label, sizeof(c->cur->label), "chunk %u (%s)", index, codec_name(k));
		c->cur->size = *used;
		od_note(c, "%zu bytes of files from %zu compressed", out.len, *used);
		size_t first = c->ndiags;
		rc = od_walk_child(c, out, e); /* guarded: fatal errors only, located */
		soften(c, first);
		od_leave(c);
		return rc;
	}
	od_note(c, "not read");
	od_diag_fail(c, false, OD_E_UNSUPPORTED, s.off + at,
		     "Inno Setup chunk %u: not read (encrypted, bzip2 or stored data)", index);
	od_leave(c);
	return OD_OK;
}

static int inno_walk(od_ctx *c, od_span s, od_err *e)
{
	inno_table t;
	size_t at = find_table(s);
	if (at == SIZE_MAX)
		return od_fail(e, OD_E_FORMAT, s.off, "no Inno Setup offset table");
	OD_TRY(read_table(s, at, &t, e));
	char version[64];
	setup_version(s, t.header, version, sizeof(version));
	OD_TRY(od_enter(c, OD_KIND_INNO, s, e, "Inno Setup %s installer", version));
	od_note(c, "offset table at 0x%zx%s; setup headers at 0x%x, file data at 0x%x", t.at,
		t.crc_ok ? "" : " (checksum mismatch)", t.header, t.data);
	if (t.total > s.len)
		od_diag_fail(c, false, OD_E_TRUNC, s.off + t.at,
			     "Inno Setup installer cut short: its offset table states 0x%x bytes, the file has 0x%zx", t.total,
			     s.len);
	if (t.data == 0 || t.data >= s.len) {
		od_diag_fail(c, false, OD_E_UNSUPPORTED, s.off + t.at,
			     "Inno Setup %s installer: its file data is not in this file (%s): scan the setup-1.bin "
			     "or .bin slices beside it",
			     version, t.data ? "the offset points past the end" : "external data files");
		od_leave(c);
		return OD_OK;
	}
	unsigned index = 0;
	size_t from = t.data;
	for (size_t p = od_find(s, from, "zlb\x1a", 4); p != SIZE_MAX; p = od_find(s, from, "zlb\x1a", 4)) {
		if (index == INNO_MAX_CHUNKS) {
			od_diag_fail(c, false, OD_E_LIMIT, s.off + p, "more than %u Inno Setup chunks: the rest not read",
				     INNO_MAX_CHUNKS);
			break;
		}
		size_t used;
		int rc = walk_chunk(c, s, p, index++, &used, e);
		if (rc)
			return rc;
		from = p + 4 + used;
	}
	if (index == 0)
		od_diag_fail(c, false, OD_E_UNSUPPORTED, s.off + t.data,
			     "Inno Setup %s installer: no file data chunk found at its data offset", version);
	else if (!c->caveat[0])
		snprintf(c->caveat, sizeof(c->caveat),
			 "Inno Setup %s installer: %u chunk%s decoded and carved, but its file list is not parsed, so "
			 "the files were walked as one stream",
			 version, index, index == 1 ? "" : "s");
	od_leave(c);
	return OD_OK;
}

OD_FORMAT(inno, "Inno Setup installer", inno_probe, inno_walk, 0);
