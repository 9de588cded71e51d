/* SPDX-License-Identifier: BSD-2-Clause */
/* coreboot CBFS: the file system coreboot images keep their stages,
 * payloads and option ROMs in (VBIOS as `pciVVVV,DDDD.rom`, raw, LZMA or
 * LZ4). Found three ways: an FMAP at the start (areas holding CBFS), the
 * legacy x86 pointer in the last 4 bytes to the "ORBC" master header, or a
 * span that starts with a "LARCHIVE" file. Layouts: coreboot
 * src/commonlib/bsd/include/commonlib/bsd/cbfs_serialized.h (big-endian
 * fields) and flashmap's fmap.h (little-endian).
 *
 * LZ4 through liblz4 (frame format, as cbfstool writes it with
 * LZ4F_compressFrame): it checks the frame's header and content xxHash32
 * checksums and block sizes, and is on every system with libarchive anyway
 * (a dependency of Debian's libarchive13); a hand-written decoder would
 * need xxHash too to give the same assurance. */
#include <lz4frame.h>
#include <stdio.h>
#include <string.h>

#include "decompress.h"

#define CBFS_ALIGN 64              /* CBFS_ALIGNMENT: files start on 64 bytes */
#define CBFS_FILE_HDR 24           /* magic[8], len, type, attributes_offset, offset */
#define CBFS_TYPE_DELETED 0x00000000u
#define CBFS_TYPE_NULL 0xFFFFFFFFu
#define CBFS_ATTR_COMPRESSION 0x42435A4Cu /* "BCZL": u32 compression, u32 decompressed_size */
#define CBFS_COMP_NONE 0
#define CBFS_COMP_LZMA 1
#define CBFS_COMP_LZ4 2
#define FMAP_HDR 56                /* signature[8], ver 2 x u8, u64 base, u32 size, name[32], u16 nareas */
#define FMAP_AREA 42               /* u32 offset, u32 size, name[32], u16 flags */
#define FMAP_MAX_AREAS 256
#define CBFS_HDR_MAGIC 0x4F524243u /* "ORBC" master header, big-endian */

/* The legacy master header's offset: the last dword is its x86 address
 * (the image is mapped to end at 4 GiB), "ORBC" must be there. */
static bool master_header(od_span s, size_t *at)
{
	uint32_t ptr, magic;
	if (s.len < 64 || s.len > 0xFFFFFFFFu || od_u32(s, s.len - 4, &ptr, NULL))
		return false;
	uint64_t base = 0x100000000ull - s.len;
	if (ptr < base || ptr - base > s.len - 32)
		return false;
	*at = (size_t)(ptr - base);
	return !od_u32be(s, *at, &magic, NULL) && magic == CBFS_HDR_MAGIC;
}

static int cbfs_probe(od_span s)
{
	size_t at;
	if (od_match(s, 0, "LARCHIVE", 8) || od_match(s, 0, "__FMAP__", 8))
		return 80;
	return master_header(s, &at) ? 80 : 0;
}

static const char *type_name(uint32_t t)
{
	switch (t) {
	case 0x01: return "bootblock";
	case 0x02: return "cbfs header";
	case 0x10: return "legacy stage";
	case 0x11: return "stage";
	case 0x20: return "simple elf";
	case 0x21: return "fit payload";
	case 0x30: return "optionrom";
	case 0x40: return "bootsplash";
	case 0x50: return "raw";
	case 0x51: return "vsa";
	case 0x52: return "mbi";
	case 0x53: return "microcode";
	case 0x60: return "fsp";
	case 0x61: return "mrc";
	case 0x63: return "efi";
	case 0x70: return "struct";
	case 0xAA: return "cmos_default";
	case 0xAB: return "spd";
	case 0xAC: return "mrc_cache";
	case 0x1AA: return "cmos_layout";
	default: return "unknown type";
	}
}

/* LZ4 frame into exactly `size` context-owned bytes (the size the
 * compression attribute states); registered (od_out_done) only once the
 * frame decoded whole, as every decoder's output. */
static int lz4_frame(od_ctx *c, od_span in, uint32_t size, od_span *out, od_err *e)
{
	uint8_t *buf = od_alloc_out(c, size, in.len, e);
	if (!buf)
		return e->code;
	LZ4F_dctx *d;
	if (LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION))) {
		return od_fail(e, OD_E_NOMEM, in.off, "LZ4 context");
	}
	size_t done_in = 0, done_out = 0, r = 1;
	while (r != 0 && done_in < in.len) {
		size_t n_in = in.len - done_in, n_out = size - done_out;
		r = LZ4F_decompress(d, buf + done_out, &n_out, in.p + done_in, &n_in, NULL);
		if (LZ4F_isError(r))
			break;
		done_in += n_in, done_out += n_out;
		if (n_in == 0 && n_out == 0)
			break; /* no progress: the output is full or the input cut */
	}
	LZ4F_freeDecompressionContext(d);
	if (LZ4F_isError(r))
		return od_fail(e, OD_E_FORMAT, in.off + done_in, "LZ4 frame corrupt after %zu output bytes: %s", done_out,
			       LZ4F_getErrorName(r));
	if (r != 0)
		return od_fail(e, OD_E_TRUNC, in.off + done_in, "LZ4 frame does not end within its %zu bytes or its stated %u",
			       in.len, size);
	if (done_out != size)
		return od_fail(e, OD_E_FORMAT, in.off, "LZ4 frame holds %zu bytes, the attribute says %u", done_out, size);
	*out = od_out_done(c, buf, done_out);
	return OD_OK;
}

typedef struct cbfs_file {
	uint32_t len, type, attr, data;
	uint32_t comp, dsize;
	char name[64];
} cbfs_file;

/* Attributes between attributes_offset and offset: {u32 tag, u32 len, ...}. */
static int read_attrs(od_span f, cbfs_file *cf, od_err *e)
{
	cf->comp = CBFS_COMP_NONE;
	if (!cf->attr)
		return OD_OK;
	size_t at = cf->attr;
	while (at + 8 <= cf->data) {
		uint32_t tag, len;
		OD_TRY(od_u32be(f, at, &tag, e));
		OD_TRY(od_u32be(f, at + 4, &len, e));
		if (tag == 0 || tag == 0xFFFFFFFFu)
			break; /* unused space */
		if (len < 8 || len > cf->data - at)
			return od_fail(e, OD_E_FORMAT, f.off + at + 4, "attribute 0x%08x of %u bytes runs past the file's data", tag, len);
		if (tag == CBFS_ATTR_COMPRESSION) {
			if (len < 16)
				return od_fail(e, OD_E_FORMAT, f.off + at, "compression attribute of %u bytes", len);
			OD_TRY(od_u32be(f, at + 8, &cf->comp, e));
			OD_TRY(od_u32be(f, at + 12, &cf->dsize, e));
		}
		at += len;
	}
	return OD_OK;
}

static int walk_file(od_ctx *c, od_span f, const cbfs_file *cf, od_err *e)
{
	od_span data, out;
	OD_TRY(od_sub(f, cf->data, cf->len, &data, e));
	OD_TRY(od_enter(c, OD_KIND_CBFS_FILE, data, e, "CBFS file \"%s\"", cf->name));
	od_note(c, "%s, %u bytes", type_name(cf->type), cf->len);
	if (cf->comp == CBFS_COMP_NONE) {
		out = data;
	} else if (cf->comp == CBFS_COMP_LZMA) {
		OD_TRY(od_enter(c, OD_KIND_LZMA, data, e, "LZMA"));
		OD_TRY(od_lzma_decompress(c, data, false, &out, e));
		if (out.len != cf->dsize)
			od_diag_fail(c, true, OD_E_FORMAT, data.off, "LZMA gives %zu bytes, the attribute says %u", out.len, cf->dsize);
	} else if (cf->comp == CBFS_COMP_LZ4) {
		OD_TRY(od_enter(c, OD_KIND_LZ4, data, e, "LZ4"));
		OD_TRY(lz4_frame(c, data, cf->dsize, &out, e));
	} else {
		return od_fail(e, OD_E_UNSUPPORTED, data.off, "compression %u", cf->comp);
	}
	return od_walk_child(c, out, e);
}

/* One file as a guarded part (walk.h): its damage is a diagnostic under
 * its path; limits end the scan. */
static int guarded_file(od_ctx *c, od_span f, const cbfs_file *cf, od_err *e)
{
	od_part p;
	int rc = walk_file(c, f, cf, od_part_begin(c, &p));
	rc = od_part_end(c, &p, rc, e, "CBFS file \"%s\"", cf->name);
	return od_fatal(rc) ? rc : OD_OK;
}

/* The header of the file at `at` of region r; *f = the file from its header
 * to the region's end. Fails when the header's sizes leave the region. */
static int read_file(od_span r, size_t at, od_span *f, cbfs_file *cf, od_err *e)
{
	OD_TRY(od_tail(r, at, f, e));
	OD_TRY(od_u32be(*f, 8, &cf->len, e));
	OD_TRY(od_u32be(*f, 12, &cf->type, e));
	OD_TRY(od_u32be(*f, 16, &cf->attr, e));
	OD_TRY(od_u32be(*f, 20, &cf->data, e));
	if (cf->data < CBFS_FILE_HDR || cf->data > f->len || cf->len > f->len - cf->data)
		return od_fail(e, OD_E_TRUNC, f->off + 8, "file of %u bytes at +0x%x runs past the CBFS end", cf->len, cf->data);
	if (cf->attr && (cf->attr < CBFS_FILE_HDR || cf->attr > cf->data))
		return od_fail(e, OD_E_FORMAT, f->off + 16, "attributes offset 0x%x outside the header", cf->attr);
	size_t name_end = cf->attr ? cf->attr : cf->data, k = 0;
	for (size_t i = CBFS_FILE_HDR; i < name_end && k + 1 < sizeof(cf->name); i++) {
		uint8_t ch;
		OD_TRY(od_u8(*f, i, &ch, e));
		if (!ch)
			break;
		cf->name[k++] = (ch >= 0x20 && ch < 0x7F && ch != '"' && ch != '\\') ? (char)ch : '?';
	}
	cf->name[k] = 0;
	return read_attrs(*f, cf, e);
}

/* The files of one CBFS region. A bad header is said and the walk goes on
 * at the next 64-byte boundary, as coreboot's own cbfs_walk does. */
static int walk_region(od_ctx *c, od_span r, const char *label, od_err *e)
{
	OD_TRY(od_enter(c, OD_KIND_CBFS, r, e, "%s", label));
	unsigned files = 0;
	for (size_t at = 0; at + CBFS_FILE_HDR <= r.len;) {
		if (!od_match(r, at, "LARCHIVE", 8)) {
			at += CBFS_ALIGN;
			continue;
		}
		od_span f;
		cbfs_file cf;
		od_err sub;
		od_err_clear(&sub);
		memset(&cf, 0, sizeof(cf));
		if (read_file(r, at, &f, &cf, &sub)) {
			od_diag_add(c, &sub, false);
			at += CBFS_ALIGN;
			continue;
		}
		files++;
		if (cf.type != CBFS_TYPE_NULL && cf.type != CBFS_TYPE_DELETED)
			OD_TRY(guarded_file(c, f, &cf, e));
		uint64_t next = (uint64_t)at + cf.data + cf.len;
		at = (size_t)((next + CBFS_ALIGN - 1) / CBFS_ALIGN * CBFS_ALIGN);
	}
	od_note(c, "%u files", files);
	od_leave(c);
	return OD_OK;
}

/* FMAP (flashmap fmap.h): areas that start with a CBFS file are walked. */
static int walk_fmap(od_ctx *c, od_span s, od_err *e)
{
	uint16_t n;
	OD_TRY(od_u16(s, 54, &n, e));
	if (n > FMAP_MAX_AREAS)
		return od_fail(e, OD_E_LIMIT, s.off + 54, "FMAP with %u areas (limit %d)", n, FMAP_MAX_AREAS);
	OD_TRY(od_enter(c, OD_KIND_FMAP, s, e, "FMAP"));
	od_note(c, "%u areas", n);
	for (unsigned i = 0; i < n; i++) {
		size_t a = FMAP_HDR + (size_t)i * FMAP_AREA;
		uint32_t off, size;
		char name[33] = { 0 };
		OD_TRY(od_u32(s, a, &off, e));
		OD_TRY(od_u32(s, a + 4, &size, e));
		OD_TRY(od_copy(s, a + 8, name, 32, e));
		for (char *p = name; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7F || *p == '"')
				*p = '?';
		od_span area;
		if (od_sub(s, off, size, &area, NULL)) {
			od_diag_fail(c, false, OD_E_TRUNC, s.off + a, "FMAP area \"%s\" (0x%x+0x%x) runs past the image end", name,
				     off, size);
			continue;
		}
		if (od_match(area, 0, "LARCHIVE", 8)) {
			char label[48];
			snprintf(label, sizeof(label), "CBFS %s", name);
			OD_TRY(walk_region(c, area, label, e));
		}
	}
	od_leave(c);
	return OD_OK;
}

static int cbfs_walk(od_ctx *c, od_span s, od_err *e)
{
	size_t hdr;
	if (od_match(s, 0, "__FMAP__", 8))
		return walk_fmap(c, s, e);
	if (od_match(s, 0, "LARCHIVE", 8))
		return walk_region(c, s, "CBFS", e);
	if (!master_header(s, &hdr))
		return od_fail(e, OD_E_FORMAT, s.off, "no CBFS master header");
	/* struct cbfs_header: magic, version, romsize, bootblocksize, align,
	 * offset (where the first file is), architecture. */
	uint32_t offset;
	OD_TRY(od_u32be(s, hdr + 20, &offset, e));
	od_span r;
	if (od_tail(s, offset, &r, NULL))
		return od_fail(e, OD_E_TRUNC, s.off + hdr + 20, "CBFS master header: first file at 0x%x, past the end", offset);
	return walk_region(c, r, "CBFS", e);
}

OD_FORMAT(cbfs, "coreboot CBFS", cbfs_probe, cbfs_walk, 0);
