/* SPDX-License-Identifier: BSD-2-Clause */
/* FFS files: EFI_FFS_FILE_HEADER / EFI_FFS_FILE_HEADER2 (UEFI PI spec 1.8
 * vol. 3 sec. 2.2.3 and 3.2.3): 24-byte header (32 with the 64-bit large-file
 * size in FFSv3), 8-byte aligned within the volume. */
#include <string.h>

#include "layout/uefi.h"
#include "uefi.h"

#define FFS_ATTRIB_LARGE_FILE 0x01 /* FFSv3 only */
#define FFS_ATTRIB_TAIL_PRESENT 0x01 /* FFSv2/Framework: a u16 ~IntegrityCheck ends the file */
#define FFS_ATTRIB_CHECKSUM 0x40
#define FFS_FIXED_CHECKSUM 0xAA
#define FFS_FIXED_CHECKSUM_V1 0x5A /* Framework FFS spec 0.9 */
#define EFI_FILE_DATA_VALID 0x04
#define EFI_FILE_DELETED 0x10
#define FT_RAW 0x01
#define FT_PAD 0xF0

/* The on-disk header (layout/uefi.h od_ffs) and what the walk derives. */
#define FFS_OFF(f) OD_OFF(od_ffs, f)
typedef struct ffs_header {
	od_ffs f;
	uint64_t size;        /* Size, or ExtendedSize of a large FFSv3 file */
	size_t hdr_len;
	size_t tail_len;      /* 2 with a Framework file tail, else 0 */
} ffs_header;

static const char *file_type_name(uint8_t t)
{
	static const char *const names[] = { "all", "raw", "freeform", "SEC core", "PEI core", "DXE core",
					     "PEIM", "DXE driver", "combined PEIM/driver", "application", "MM",
					     "FV image", "combined MM/DXE", "MM core", "MM standalone",
					     "MM core standalone" };
	if (t < sizeof(names) / sizeof(names[0]))
		return names[t];
	if (t == FT_PAD)
		return "pad";
	if (t >= 0xC0 && t <= 0xDF)
		return "OEM";
	return "unknown";
}

static int read_header(od_span fv, size_t at, bool ffs3, ffs_header *h, od_err *e)
{
	OD_TRY(od_ffs_read(fv, at, &h->f, e));
	h->size = h->f.size;
	h->hdr_len = od_ffs_SIZE;
	h->tail_len = 0;
	if (ffs3 && (h->f.attributes & FFS_ATTRIB_LARGE_FILE)) {
		od_ffs_ext x;
		OD_TRY(od_ffs_ext_read(fv, at + od_ffs_SIZE, &x, e));
		h->size = x.extended_size;
		h->hdr_len = od_ffs_SIZE + od_ffs_ext_SIZE;
	} else if (!ffs3 && (h->f.attributes & FFS_ATTRIB_TAIL_PRESENT)) {
		/* Framework FFS 0.9 sec. 2.2.2 (EFI_FFS_FILE_TAIL); UEFITool
		 * reads bit 0 as the tail in every FFSv2 volume too. */
		h->tail_len = 2;
	}
	if (h->size < h->hdr_len + h->tail_len)
		return od_fail(e, OD_E_FORMAT, fv.off + at + FFS_OFF(size), "file size 0x%llx smaller than its header",
			       (unsigned long long)h->size);
	return OD_OK;
}

/* All erase-polarity bytes: the rest of the volume is free space. */
static bool is_free(od_span fv, size_t at, uint8_t erase)
{
	const uint8_t *p;
	if (od_bytes(fv, at, od_ffs_SIZE, &p, NULL))
		return true;
	for (int i = 0; i < od_ffs_SIZE; i++)
		if (p[i] != erase)
			return false;
	return true;
}

/* Header checksum: the header sums to zero with State and the file checksum
 * taken as zero (PI vol. 3 sec. 2.2.3, IntegrityCheck). */
static void check_sums(od_ctx *c, od_span file, const ffs_header *h)
{
	od_span hdr, data;
	if (od_sub(file, 0, h->hdr_len, &hdr, NULL) ||
	    od_sub(file, h->hdr_len, file.len - h->hdr_len - h->tail_len, &data, NULL))
		return;
	uint8_t sum = (uint8_t)(od_sum8(hdr) - h->f.file_sum - h->f.state);
	if (sum != 0) {
		od_diag_fail(c, true, OD_E_CHECKSUM, file.off + FFS_OFF(hdr_sum), "file header checksum does not sum to zero");
		od_note(c, "header checksum BAD");
	}
	if (h->f.attributes & FFS_ATTRIB_CHECKSUM) {
		if ((uint8_t)(od_sum8(data) + h->f.file_sum) != 0) {
			od_diag_fail(c, true, OD_E_CHECKSUM, file.off + FFS_OFF(file_sum), "file data checksum does not sum to zero");
			od_note(c, "data checksum BAD");
		}
	} else if (h->f.file_sum != FFS_FIXED_CHECKSUM && h->f.file_sum != FFS_FIXED_CHECKSUM_V1) {
		od_note(c, "data checksum 0x%02x instead of the fixed 0xAA (0x5A in Framework FFS)", h->f.file_sum);
	}
	uint16_t tail;
	if (h->tail_len && !od_u16(file, file.len - 2, &tail, NULL)) {
		uint16_t want = (uint16_t)~(h->f.hdr_sum | (uint16_t)h->f.file_sum << 8);
		if (tail != want) {
			od_diag_fail(c, true, OD_E_CHECKSUM, file.off + file.len - 2, "file tail 0x%04x, header gives 0x%04x",
				     tail, want);
			od_note(c, "tail BAD");
		}
	}
}

static int walk_file(od_ctx *c, od_span fv, size_t at, bool erase_one, bool ffs3, size_t *next, od_err *e)
{
	ffs_header h;
	OD_TRY(read_header(fv, at, ffs3, &h, e));
	if (h.size > fv.len - at)
		return od_fail(e, OD_E_TRUNC, fv.off + at + FFS_OFF(size), "file size 0x%llx runs past the volume end",
			       (unsigned long long)h.size);
	od_span file, data;
	OD_TRY(od_sub(fv, at, (size_t)h.size, &file, e));
	OD_TRY(od_sub(file, h.hdr_len, file.len - h.hdr_len - h.tail_len, &data, e));
	*next = (at + (size_t)h.size + 7) & ~(size_t)7;
	uint8_t state = erase_one ? (uint8_t)~h.f.state : h.f.state;
	char gs[9], gfull[37];
	OD_TRY(od_enter(c, OD_KIND_FFS_FILE, file, e, "file %s", od_guid_short(&h.f.name, gs)));
	od_node_header(c, &od_ffs_layout);
	od_note(c, "%s, %s, type 0x%02x (%s), 0x%llx bytes", od_guid_str(&h.f.name, gfull),
		(state & EFI_FILE_DELETED) ? "deleted" : (state & EFI_FILE_DATA_VALID) ? "valid" : "incomplete",
		h.f.type, file_type_name(h.f.type), (unsigned long long)h.size);
	check_sums(c, file, &h);
	int rc = OD_OK;
	if (h.f.type == FT_RAW) {
		/* Raw files hold option ROMs, microcode, nested volumes... */
		rc = od_walk_child(c, data, e);
	} else if (h.f.type != FT_PAD) {
		/* A damaged section stream spoils this file, not the volume. */
		od_part p;
		rc = od_sections_walk(c, data, od_part_begin(c, &p));
		rc = od_part_end(c, &p, rc, e, NULL);
		if (!od_fatal(rc))
			rc = OD_OK;
	}
	od_leave(c);
	return rc;
}

int od_ffs_walk(od_ctx *c, od_span fv, size_t first, bool erase_one, bool ffs3, od_err *e)
{
	uint8_t erase = erase_one ? 0xFF : 0x00;
	size_t at = first;
	while (at + od_ffs_SIZE <= fv.len) {
		if (is_free(fv, at, erase)) {
			od_span rest;
			OD_TRY(od_tail(fv, at, &rest, e));
			OD_TRY(od_enter(c, OD_KIND_FFS_FREE, rest, e, "free space"));
			od_leave(c);
			/* Data after free space is not part of the file system, but
			 * may still hold something (carving sees it). */
			return OD_OK;
		}
		size_t next = 0;
		od_part p;
		int rc = walk_file(c, fv, at, erase_one, ffs3, &next, od_part_begin(c, &p));
		rc = od_part_end(c, &p, rc, e, "file at 0x%llx", (unsigned long long)(fv.off + at));
		if (od_fatal(rc))
			return rc;
		if (rc) /* a broken file header: the rest of the volume cannot be framed */
			return OD_OK;
		if (next <= at)
			return od_fail(e, OD_E_LOOP, fv.off + at, "file does not advance");
		at = next;
	}
	return OD_OK;
}
