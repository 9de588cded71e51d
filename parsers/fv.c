/* SPDX-License-Identifier: BSD-2-Clause */
/* UEFI firmware volumes: EFI_FIRMWARE_VOLUME_HEADER and extended header
 * (UEFI PI spec 1.8 vol. 3 sec. 3.2.1). The handler walks every volume in a
 * span, so flash images made of several volumes (OVMF_CODE.fd) and images
 * with a vendor header in front are covered by the same code. */
#include <string.h>

#include "layout/uefi.h"
#include "uefi.h"

#define FVH_MIN_LEN (od_fvh_SIZE + 2 * od_fv_block_SIZE) /* one block map entry + terminator */
#define FVB2_ERASE_POLARITY 0x800
#define FV_SCAN_LIMIT (64u << 20)  /* vendor header in front: scan this far for a volume */

/* Framework-era FFS (v1): same file and section layout as FFSv2. */
static const char *const FS_FFS1 = "7A9354D9-0468-444A-81CE-0BF617D890DF";
static const char *const FS_FFS2 = "8C8CE578-8A3D-4F1C-9935-896185C32DD3";
static const char *const FS_FFS3 = "5473C07A-3DCB-4DCA-BD6F-1E9689E7349A";

#define FVH_OFF(f) OD_OFF(od_fvh, f)
typedef od_fvh fv_header;

const char *od_guid_short(const od_guid *g, char out[9])
{
	char full[37];
	od_guid_str(g, full);
	memcpy(out, full, 8);
	out[8] = 0;
	return out;
}

static int read_header(od_span s, fv_header *h, od_err *e)
{
	if (!od_match(s, FVH_OFF(signature), OD_FVH_SIGNATURE, 4))
		return od_fail(e, OD_E_FORMAT, s.off + FVH_OFF(signature), "no _FVH signature");
	OD_TRY(od_fvh_read(s, 0, h, e));
	/* Revision 1 (Framework FV spec 0.9, EFI_FIRMWARE_VOLUME_HEADER with
	 * UINT8 Reserved[3] at 0x34) has no extended header: those bytes are
	 * reserved and Apple images keep data there. Every other field the walk
	 * reads (signature, FvLength, Attributes' erase polarity bit 11,
	 * HeaderLength, Checksum, block map) has the same place and meaning in
	 * both revisions. */
	if (h->revision < 2)
		h->ext_off = 0;
	if (h->hdr_len < FVH_MIN_LEN || (h->hdr_len & 1))
		return od_fail(e, OD_E_FORMAT, s.off + FVH_OFF(hdr_len), "header length 0x%x", h->hdr_len);
	if (h->length < h->hdr_len)
		return od_fail(e, OD_E_FORMAT, s.off + FVH_OFF(length), "FvLength 0x%llx smaller than its header",
			       (unsigned long long)h->length);
	return OD_OK;
}

bool od_fv_header_ok(od_span s)
{
	fv_header h;
	return read_header(s, &h, NULL) == OD_OK;
}

/* Block map: {NumBlocks, Length} pairs ending with {0, 0}; their product
 * should equal FvLength (PI vol. 3 sec. 3.2.1.1). Mismatch is a warning. */
static void check_block_map(od_ctx *c, od_span fv, const fv_header *h)
{
	uint64_t total = 0;
	for (size_t at = od_fvh_SIZE; at + od_fv_block_SIZE <= h->hdr_len; at += od_fv_block_SIZE) {
		od_fv_block b;
		if (od_fv_block_read(fv, at, &b, NULL))
			return;
		if (b.num_blocks == 0 && b.length == 0)
			break;
		total += (uint64_t)b.num_blocks * b.length;
	}
	if (total != h->length)
		od_note(c, "block map covers 0x%llx of 0x%llx bytes", (unsigned long long)total,
			(unsigned long long)h->length);
}

/* Files start after the extended header when there is one, 8-aligned. */
static int body_start(od_ctx *c, od_span fv, const fv_header *h, size_t *first, od_err *e)
{
	size_t at = h->hdr_len;
	if (h->ext_off && h->ext_off < h->hdr_len) {
		/* An extended header inside the header it extends is no header. */
		od_diag_fail(c, true, OD_E_FORMAT, fv.off + FVH_OFF(ext_off), "ExtHeaderOffset 0x%x inside the 0x%x-byte header: ignored",
			     h->ext_off, h->hdr_len);
	} else if (h->ext_off) {
		od_fv_ext x;
		OD_TRY(od_fv_ext_read(fv, h->ext_off, &x, e));
		if (x.ext_size < od_fv_ext_SIZE || (uint64_t)h->ext_off + x.ext_size > h->length)
			return od_fail(e, OD_E_FORMAT, fv.off + h->ext_off, "extended header size %u", x.ext_size);
		char g[37];
		od_note(c, "name %s", od_guid_str(&x.fv_name, g));
		at = (size_t)h->ext_off + x.ext_size;
	}
	*first = (at + 7) & ~(size_t)7;
	return OD_OK;
}

static int walk_one(od_ctx *c, od_span s, size_t at, uint64_t *len_out, unsigned index, od_err *e)
{
	od_span rest, fv;
	fv_header h;
	OD_TRY(od_tail(s, at, &rest, e));
	OD_TRY(read_header(rest, &h, e));
	if (h.length > rest.len)
		return od_fail(e, OD_E_TRUNC, rest.off + FVH_OFF(length), "FvLength 0x%llx runs past the end (0x%zx left)",
			       (unsigned long long)h.length, rest.len);
	OD_TRY(od_sub(rest, 0, (size_t)h.length, &fv, e));
	*len_out = h.length;
	char gs[9], gfull[37];
	OD_TRY(od_enter(c, OD_KIND_FV, fv, e, "FV %s", od_guid_short(&h.fs_guid, gs)));
	od_node_header(c, &od_fvh_layout);
	od_guid_str(&h.fs_guid, gfull);
	od_note(c, "volume %u, file system %s, rev %u, 0x%llx bytes", index, gfull, h.revision,
		(unsigned long long)h.length);
	od_span hdr;
	OD_TRY(od_sub(fv, 0, h.hdr_len, &hdr, e));
	if (od_sum16(hdr) != 0) {
		od_diag_fail(c, true, OD_E_CHECKSUM, fv.off + FVH_OFF(checksum), "volume header checksum 0x%04x does not sum to zero", h.checksum);
		od_note(c, "header checksum BAD");
	}
	check_block_map(c, fv, &h);
	bool ffs2 = !strcmp(gfull, FS_FFS2) || !strcmp(gfull, FS_FFS1), ffs3 = !strcmp(gfull, FS_FFS3);
	int rc = OD_OK;
	if (ffs2 || ffs3) {
		size_t first = 0;
		rc = body_start(c, fv, &h, &first, e);
		if (!rc)
			rc = od_ffs_walk(c, fv, first, (h.attributes & FVB2_ERASE_POLARITY) != 0, ffs3, e);
	} else {
		/* NVRAM stores, Apple and vendor file systems: reported, not walked. */
		od_note(c, "file system not FFS: contents not walked");
	}
	od_leave(c);
	return rc;
}

/* Header checksum holds: the stronger test used when looking for volumes
 * away from offset 0, where "_FVH" may just be a string in code. */
static bool checksum_ok(od_span rest)
{
	uint16_t hl;
	od_span hdr;
	return !od_u16(rest, FVH_OFF(hdr_len), &hl, NULL) && !od_sub(rest, 0, hl, &hdr, NULL) && od_sum16(hdr) == 0;
}

/* Next volume at or after `from`. Volumes in raw sections are not aligned to
 * the section body (LG R510: LZMA > raw section > FV at +4), so any offset
 * counts if the header is sane and its checksum holds. */
static size_t next_volume(od_span s, size_t from, size_t limit)
{
	size_t at = from;
	while (at < limit) {
		size_t sig = od_find(s, at + FVH_OFF(signature), OD_FVH_SIGNATURE, 4);
		if (sig == SIZE_MAX || sig - FVH_OFF(signature) >= limit)
			return SIZE_MAX;
		size_t start = sig - FVH_OFF(signature);
		od_span rest;
		if (!od_tail(s, start, &rest, NULL) && od_fv_header_ok(rest) && (start == 0 || checksum_ok(rest)))
			return start;
		at = start + 1;
	}
	return SIZE_MAX;
}

static int fv_walk(od_ctx *c, od_span s, od_err *e)
{
	size_t limit = s.len < FV_SCAN_LIMIT ? s.len : FV_SCAN_LIMIT;
	size_t at = next_volume(s, 0, limit);
	unsigned index = 0;
	if (at == SIZE_MAX)
		return od_fail(e, OD_E_FORMAT, s.off, "no firmware volume");
	if (at > 0) {
		od_span pre;
		OD_TRY(od_sub(s, 0, at, &pre, e));
		OD_TRY(od_enter(c, OD_KIND_FV_PREFIX, pre, e, "data before the first volume"));
		od_note(c, "0x%zx bytes (vendor header or non-UEFI region)", at);
		od_leave(c);
	}
	while (at != SIZE_MAX) {
		uint64_t len = 0;
		od_part p;
		int rc = walk_one(c, s, at, &len, index, od_part_begin(c, &p));
		rc = od_part_end(c, &p, rc, e, "FV %u", index); /* a bad header: named by its place */
		index++;
		if (od_fatal(rc))
			return rc;
		if (rc)
			len = FVH_MIN_LEN; /* skip past the damaged header and look again */
		at = next_volume(s, at + (size_t)len, limit);
	}
	return OD_OK;
}

/* Confident when the span starts with a volume; a faint bid when one sits
 * further in (vendor header in front), so other handlers win when they match. */
static int fv_probe(od_span s)
{
	if (od_fv_header_ok(s))
		return 80;
	size_t limit = s.len < FV_SCAN_LIMIT ? s.len : FV_SCAN_LIMIT;
	return next_volume(s, 0, limit) != SIZE_MAX ? 5 : 0;
}

OD_FORMAT(fv, "UEFI firmware volume", fv_probe, fv_walk, 80);
