/* SPDX-License-Identifier: BSD-2-Clause */
/* El Torito boot images on ISO 9660 (the "El Torito" Bootable CD-ROM Format
 * Specification 1.0, Phoenix/IBM 1995): Lenovo's bootable BIOS update ISOs
 * carry the flasher and its .FL1/.FL2 capsules in a FAT floppy or hard-disk
 * image that is often hidden from the ISO's directory tree, so libarchive
 * never lists it. The image is handed to the dispatcher as a span; the
 * volume search finds the capsule's firmware volumes inside the FAT image
 * (files written once onto a fresh FAT are contiguous), so no FAT reader. */
#include "eltorito.h"

#include <string.h>

#define ISO_SECTOR 2048
#define VD_FIRST 16      /* volume descriptors start at sector 16 (ECMA-119 8) */
#define VD_MAX 32        /* descriptors looked at before giving up */
#define CAT_MAX 64       /* catalog entries read (32 bytes each) */

/* The Boot Record volume descriptor (El Torito 2.0): type 0, "CD001",
 * version 1, "EL TORITO SPECIFICATION" at 7, catalog sector (u32) at 0x47. */
static bool boot_record(od_span iso, uint32_t *cat)
{
	for (unsigned i = 0; i < VD_MAX; i++) {
		size_t at = (size_t)(VD_FIRST + i) * ISO_SECTOR;
		uint8_t type;
		if (od_u8(iso, at, &type, NULL) || !od_match(iso, at + 1, "CD001", 5))
			return false;
		if (type == 255)
			return false; /* set terminator */
		if (type == 0 && od_match(iso, at + 7, "EL TORITO SPECIFICATION", 23))
			return !od_u32(iso, at + 0x47, cat, NULL);
	}
	return false;
}

static const char *media_name(uint8_t m)
{
	static const char *const n[] = { "no emulation", "floppy 1.2M", "floppy 1.44M", "floppy 2.88M", "hard disk" };
	return m < 5 ? n[m] : "unknown media";
}

/* The image's bytes: floppies by their size, a hard disk by the end of its
 * furthest MBR partition, no-emulation by the sector count (512-byte
 * virtual sectors; 0 or 1 often means "to the end", so at least 2 KiB). */
static int image_span(od_span iso, uint8_t media, uint16_t count, uint32_t rba, od_span *img, od_err *e)
{
	static const uint32_t floppy[] = { 0, 1228800, 1474560, 2949120 };
	uint64_t start = (uint64_t)rba * ISO_SECTOR, len;
	if (start >= iso.len)
		return od_fail(e, OD_E_TRUNC, iso.off, "boot image at sector %u lies past the end", rba);
	od_span tail;
	OD_TRY(od_tail(iso, (size_t)start, &tail, e));
	if (media >= 1 && media <= 3) {
		len = floppy[media];
	} else if (media == 4) {
		len = 0;
		if (!od_match(tail, 510, "\x55\xAA", 2))
			return od_fail(e, OD_E_FORMAT, tail.off, "hard-disk boot image without an MBR signature");
		for (unsigned p = 0; p < 4; p++) {
			uint32_t lba, n;
			OD_TRY(od_u32(tail, 446 + p * 16 + 8, &lba, e));
			OD_TRY(od_u32(tail, 446 + p * 16 + 12, &n, e));
			if (n && ((uint64_t)lba + n) * 512 > len)
				len = ((uint64_t)lba + n) * 512;
		}
		if (!len)
			return od_fail(e, OD_E_FORMAT, tail.off + 446, "hard-disk boot image with no partition");
	} else {
		len = (uint64_t)count * 512;
		if (len < ISO_SECTOR)
			len = ISO_SECTOR;
	}
	if (len > tail.len)
		return od_fail(e, OD_E_TRUNC, tail.off, "%s boot image of %llu bytes runs past the end", media_name(media),
			       (unsigned long long)len);
	return od_sub(tail, 0, (size_t)len, img, e);
}

/* Already walked as a file of the ISO (xorriso lists the image it boots). */
static bool listed(const od_node *iso_node, od_span img)
{
	for (const od_node *n = iso_node->first; n; n = n->next)
		if (n->data == img.p && n->size == img.len)
			return true;
	return false;
}

static int walk_image(od_ctx *c, od_span iso, const uint8_t *ent, unsigned idx, od_err *e)
{
	uint8_t media = ent[1] & 0x0F;
	uint16_t count = (uint16_t)(ent[6] | ent[7] << 8);
	uint32_t rba = (uint32_t)ent[8] | (uint32_t)ent[9] << 8 | (uint32_t)ent[10] << 16 | (uint32_t)ent[11] << 24;
	od_span img;
	od_err sub;
	od_err_clear(&sub);
	od_node *here = c->cur;
	if (image_span(iso, media, count, rba, &img, &sub)) {
		od_err_prefix(&sub, "El Torito image %u", idx);
		od_diag_add(c, &sub, false);
		return OD_OK;
	}
	if (listed(here, img))
		return OD_OK;
	od_part p; /* a guarded part (walk.h) */
	od_err *pe = od_part_begin(c, &p);
	int rc = od_enter(c, OD_KIND_ELTORITO, img, pe, "El Torito image %u", idx);
	if (!rc) {
		od_note(c, "%s, sector %u, %zu bytes", media_name(media), rba, img.len);
		rc = od_walk_child(c, img, pe);
	}
	rc = od_part_end(c, &p, rc, e, "El Torito image %u", idx);
	return od_fatal(rc) ? rc : OD_OK;
}

int od_eltorito_walk(od_ctx *c, od_span iso, od_err *e)
{
	uint32_t cat;
	if (!boot_record(iso, &cat))
		return OD_OK;
	const uint8_t *p;
	size_t at = (size_t)cat * ISO_SECTOR;
	/* Validation entry: header 1, key bytes 55 AA, 16-bit words sum to 0. */
	if ((uint64_t)cat * ISO_SECTOR > iso.len || od_bytes(iso, at, 32, &p, NULL) || p[0] != 1 || p[30] != 0x55 ||
	    p[31] != 0xAA) {
		od_diag_fail(c, false, OD_E_FORMAT, iso.off + at, "El Torito boot catalog at sector %u has no validation entry",
			     cat);
		return OD_OK;
	}
	od_span v = od_span_make(p, 32, iso.off + at);
	if (od_sum16(v) != 0)
		od_diag_fail(c, true, OD_E_CHECKSUM, iso.off + at + 28, "El Torito validation entry checksum is wrong");
	unsigned images = 0;
	/* Entry 1: the initial/default entry. Then section headers (0x90 more
	 * follow, 0x91 last) each followed by their section entries; 0x44
	 * extension entries are skipped. */
	bool last_section = false;
	for (unsigned i = 1; i < CAT_MAX; i++) {
		if (od_bytes(iso, at + (size_t)i * 32, 32, &p, NULL))
			break;
		if (i > 1 && (p[0] == 0x90 || p[0] == 0x91)) {
			if (last_section)
				break;
			last_section = p[0] == 0x91;
			continue;
		}
		if (p[0] == 0x88)
			OD_TRY(walk_image(c, iso, p, ++images, e));
		else if (i > 1 && p[0] != 0x00 && p[0] != 0x44)
			break; /* past the catalog's entries */
	}
	return OD_OK;
}
