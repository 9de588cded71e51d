/* SPDX-License-Identifier: BSD-2-Clause */
/* Capsules: EFI_CAPSULE_HEADER (UEFI 2.10 sec. 8.5.3: GUID, HeaderSize,
 * Flags, CapsuleImageSize), the Toshiba variant (HeaderSize, FullSize, Flags),
 * AMI Aptio capsules incl. ASUS .CAP (RomImageOffset after it), and FMP
 * capsules (UEFI 2.10 sec. 23.3: EFI_FIRMWARE_MANAGEMENT_CAPSULE_HEADER and
 * _IMAGE_HEADER v1-v3). GUIDs and quirks: UEFITool common/ffsparser.cpp,
 * shared/notes/formats-and-oss-fuzz.md. The fields: parsers/layout/uefi.h. */
#include <string.h>

#include "layout/uefi.h"
#include "pfat.h"
#include "walk.h"

enum cap_kind { CAP_EFI, CAP_TOSHIBA, CAP_APTIO, CAP_FMP };

static const struct {
	const char *guid, *name;
	enum cap_kind kind;
} capsules[] = {
	{ "3B6686BD-0D76-4030-B70E-B5519E2FC5A0", "EFI capsule", CAP_EFI },
	{ "539182B9-ABB5-4391-B69A-E3A943F72FCC", "Intel capsule", CAP_EFI },
	{ "E20BAFD3-9914-4F4F-9537-3129E090EB3C", "Lenovo capsule", CAP_EFI },
	{ "25B5FE76-8243-4A5C-A9BD-7EE3246198B5", "Lenovo capsule", CAP_EFI },
	{ "3BE07062-1D51-45D2-832B-F093257ED461", "Toshiba capsule", CAP_TOSHIBA },
	{ "4A3CA68B-7723-48FB-803D-578CC1FEC44D", "AMI Aptio signed capsule", CAP_APTIO },
	{ "14EEBB90-890A-43DB-AED1-5D3C4588A418", "AMI Aptio capsule", CAP_APTIO },
	{ "6DCBD5ED-E82D-4C44-BDA1-7194199AD92A", "FMP capsule", CAP_FMP },
};
#define NCAPS (sizeof(capsules) / sizeof(capsules[0]))

static int which(od_span s)
{
	od_guid g, want;
	if (od_guid_at(s, 0, &g, NULL))
		return -1;
	for (size_t i = 0; i < NCAPS; i++)
		if (od_guid_parse(capsules[i].guid, &want) && od_guid_eq(&g, &want))
			return (int)i;
	return -1;
}

static int capsule_probe(od_span s)
{
	return which(s) >= 0 ? 90 : 0;
}

/* The payload span: header size and image size checked the way UEFITool
 * does (0 < HeaderSize <= CapsuleImageSize <= file size). */
static int payload(od_span s, enum cap_kind kind, od_span *out, od_err *e)
{
	uint32_t hdr, size;
	if (kind == CAP_TOSHIBA) {
		od_capsule_toshiba t;
		OD_TRY(od_capsule_toshiba_read(s, 0, &t, e));
		hdr = t.header_size;
		size = t.full_size;
	} else {
		od_capsule h;
		OD_TRY(od_capsule_read(s, 0, &h, e));
		hdr = h.header_size;
		size = h.image_size;
	}
	if (hdr < od_capsule_SIZE || hdr > size)
		return od_fail(e, OD_E_FORMAT, s.off + OD_OFF(od_capsule, header_size),
			       "capsule header size 0x%x, image size 0x%x", hdr, size);
	if (size > s.len)
		return od_fail(e, OD_E_TRUNC, s.off + OD_OFF(od_capsule, image_size),
			       "capsule image size 0x%x runs past the end (0x%zx)", size, s.len);
	if (kind == CAP_APTIO) {
		od_capsule_aptio a;
		OD_TRY(od_capsule_aptio_read(s, 0, &a, e));
		if (a.rom_image_offset < od_capsule_aptio_SIZE || a.rom_image_offset > size)
			return od_fail(e, OD_E_FORMAT, s.off + OD_OFF(od_capsule_aptio, rom_image_offset),
				       "Aptio ROM image offset 0x%x", a.rom_image_offset);
		hdr = a.rom_image_offset;
	}
	return od_sub(s, hdr, size - hdr, out, e);
}

/* One FMP payload item: skip EFI_FIRMWARE_IMAGE_AUTHENTICATION and the
 * FMP_PAYLOAD_HEADER ("MSS1") when present, then dispatch. */
static int fmp_item(od_ctx *c, od_span fmp, uint64_t off, unsigned i, od_err *e)
{
	od_fmp_image h;
	OD_TRY(od_fmp_image_read(fmp, off, &h, e));
	/* v2 adds UpdateHardwareInstance, v3 ImageCapsuleSupport (u64 each) */
	size_t hdr = h.version >= 3 ? od_fmp_image_SIZE + 16 : h.version == 2 ? od_fmp_image_SIZE + 8 : od_fmp_image_SIZE;
	od_span img;
	OD_TRY(od_sub(fmp, off + hdr, h.update_image_size, &img, e));
	char g[37];
	OD_TRY(od_enter(c, OD_KIND_FMP_IMAGE, img, e, "FMP image %u", i));
	od_note(c, "image type %s, %u bytes", od_guid_str(&h.update_image_type_id, g), h.update_image_size);
	size_t skip = 0;
	/* A WIN_CERTIFICATE_UEFI_GUID's dwLength covers its header (8) and the
	 * CertType GUID (16) at least. */
	od_fmp_auth a;
	if (!od_fmp_auth_read(img, 0, &a, NULL) && a.cert_revision == OD_WIN_CERT_REVISION &&
	    a.cert_type == OD_WIN_CERT_TYPE_EFI_GUID && a.cert_length >= 24) {
		skip = OD_OFF(od_fmp_auth, cert_length) + (size_t)a.cert_length;
		od_note(c, "signed");
	}
	od_fmp_payload mss;
	if (!od_fmp_payload_read(img, skip, &mss, NULL) && !memcmp(mss.signature, "MSS1", 4))
		skip += mss.header_size;
	od_span body;
	OD_TRY(od_tail(img, skip, &body, e));
	return od_walk_child(c, body, e);
}

static int fmp_walk(od_ctx *c, od_span fmp, od_err *e)
{
	od_fmp h;
	OD_TRY(od_fmp_read(fmp, 0, &h, e));
	unsigned drivers = h.embedded_driver_count, items = h.payload_item_count;
	if (h.version != 1)
		return od_fail(e, OD_E_UNSUPPORTED, fmp.off, "FMP capsule header version %u", h.version);
	if (drivers + items > 256)
		return od_fail(e, OD_E_LIMIT, fmp.off + OD_OFF(od_fmp, embedded_driver_count), "%u drivers + %u items",
			       drivers, items);
	for (unsigned i = drivers; i < drivers + items; i++) {
		uint64_t off;
		size_t at = od_fmp_SIZE + 8u * i; /* ItemOffsetList[i] */
		OD_TRY(od_u64(fmp, at, &off, e));
		if (off >= fmp.len)
			return od_fail(e, OD_E_TRUNC, fmp.off + at, "item offset 0x%llx past the capsule", (unsigned long long)off);
		od_part p;
		int rc = fmp_item(c, fmp, off, i - drivers, od_part_begin(c, &p));
		if (od_fatal(od_part_end(c, &p, rc, e, "FMP item %u", i - drivers)))
			return rc;
	}
	return OD_OK;
}

static int capsule_walk(od_ctx *c, od_span s, od_err *e)
{
	int k = which(s);
	if (k < 0)
		return od_fail(e, OD_E_FORMAT, s.off, "not a capsule");
	od_span body;
	OD_TRY(payload(s, capsules[k].kind, &body, e));
	OD_TRY(od_enter(c, OD_KIND_CAPSULE, s, e, "%s", capsules[k].name));
	static const od_layout *const headers[] = { [CAP_EFI] = &od_capsule_layout, [CAP_TOSHIBA] = &od_capsule_toshiba_layout,
						    [CAP_APTIO] = &od_capsule_aptio_layout, [CAP_FMP] = &od_capsule_layout };
	od_node_header(c, headers[capsules[k].kind]);
	od_note(c, "payload at 0x%llx, 0x%zx bytes", (unsigned long long)(body.off - s.off), body.len);
	int rc;
	if (capsules[k].kind == CAP_FMP) {
		rc = fmp_walk(c, body, e);
	} else if (capsules[k].kind == CAP_APTIO) {
		/* Signed Aptio capsules interleave BIOS Guard signatures with the
		 * image: volumes only parse once they are cut out. */
		od_span image;
		unsigned n;
		OD_TRY(od_bg_strip(c, body, &image, &n, e));
		if (n) {
			OD_TRY(od_enter(c, OD_KIND_BIOS_GUARD, image, e, "image without %u BIOS Guard signatures", n));
			rc = od_walk_child(c, image, e);
			od_leave(c);
		} else {
			rc = od_walk_child(c, body, e);
		}
	} else {
		rc = od_walk_child(c, body, e);
	}
	od_leave(c);
	return rc;
}

OD_FORMAT(capsule, "UEFI/AMI/FMP capsule", capsule_probe, capsule_walk, 0);
