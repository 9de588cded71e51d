/* SPDX-License-Identifier: BSD-2-Clause */
/* Capsules: EFI_CAPSULE_HEADER (UEFI 2.10 sec. 8.5.3: GUID, HeaderSize,
 * Flags, CapsuleImageSize), the Toshiba variant (HeaderSize, FullSize, Flags),
 * AMI Aptio capsules incl. ASUS .CAP (RomImageOffset u16 at 0x1C), and FMP
 * capsules (UEFI 2.10 sec. 23.3: EFI_FIRMWARE_MANAGEMENT_CAPSULE_HEADER and
 * _IMAGE_HEADER v1-v3). GUIDs and quirks: UEFITool common/ffsparser.cpp,
 * shared/notes/formats-and-oss-fuzz.md. */
#include <string.h>

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
	OD_TRY(od_u32(s, 16, &hdr, e));
	OD_TRY(od_u32(s, kind == CAP_TOSHIBA ? 20 : 24, &size, e));
	if (hdr < 28 || hdr > size)
		return od_fail(e, OD_E_FORMAT, s.off + 16, "capsule header size 0x%x, image size 0x%x", hdr, size);
	if (size > s.len)
		return od_fail(e, OD_E_TRUNC, s.off + 24, "capsule image size 0x%x runs past the end (0x%zx)", size, s.len);
	if (kind == CAP_APTIO) {
		uint16_t rom_off;
		OD_TRY(od_u16(s, 0x1C, &rom_off, e));
		if (rom_off < 0x20 || rom_off > size)
			return od_fail(e, OD_E_FORMAT, s.off + 0x1C, "Aptio ROM image offset 0x%x", rom_off);
		hdr = rom_off;
	}
	return od_sub(s, hdr, size - hdr, out, e);
}

/* One FMP payload item: skip EFI_FIRMWARE_IMAGE_AUTHENTICATION and the
 * FMP_PAYLOAD_HEADER ("MSS1") when present, then dispatch. */
static int fmp_item(od_ctx *c, od_span fmp, uint64_t off, unsigned i, od_err *e)
{
	uint32_t version, size, vendor_size;
	od_guid type;
	OD_TRY(od_u32(fmp, off, &version, e));
	OD_TRY(od_guid_at(fmp, off + 4, &type, e));
	OD_TRY(od_u32(fmp, off + 24, &size, e));
	OD_TRY(od_u32(fmp, off + 28, &vendor_size, e));
	size_t hdr = version >= 3 ? 48 : version == 2 ? 40 : 32;
	od_span img;
	OD_TRY(od_sub(fmp, off + hdr, size, &img, e));
	char g[37];
	OD_TRY(od_enter(c, OD_KIND_FMP_IMAGE, img, e, "FMP image %u", i));
	od_note(c, "image type %s, %u bytes", od_guid_str(&type, g), size);
	size_t skip = 0;
	uint32_t cert_len;
	/* EFI_FIRMWARE_IMAGE_AUTHENTICATION: u64 monotonic count, then
	 * WIN_CERTIFICATE_UEFI_GUID (dwLength, revision 0x0200, type 0x0EF1). */
	if (od_match(img, 12, "\x00\x02\xF1\x0E", 4) && !od_u32(img, 8, &cert_len, NULL) && cert_len >= 24) {
		skip = 8 + (size_t)cert_len;
		od_note(c, "signed");
	}
	uint32_t mss_len;
	if (od_match(img, skip, "MSS1", 4) && !od_u32(img, skip + 4, &mss_len, NULL))
		skip += mss_len;
	od_span body;
	OD_TRY(od_tail(img, skip, &body, e));
	return od_walk_child(c, body, e);
}

static int fmp_walk(od_ctx *c, od_span fmp, od_err *e)
{
	uint32_t version;
	uint16_t drivers, items;
	OD_TRY(od_u32(fmp, 0, &version, e));
	OD_TRY(od_u16(fmp, 4, &drivers, e));
	OD_TRY(od_u16(fmp, 6, &items, e));
	if (version != 1)
		return od_fail(e, OD_E_UNSUPPORTED, fmp.off, "FMP capsule header version %u", version);
	if ((unsigned)drivers + items > 256)
		return od_fail(e, OD_E_LIMIT, fmp.off + 4, "%u drivers + %u items", drivers, items);
	for (unsigned i = drivers; i < (unsigned)drivers + items; i++) {
		uint64_t off;
		OD_TRY(od_u64(fmp, 8 + 8u * i, &off, e));
		if (off >= fmp.len)
			return od_fail(e, OD_E_TRUNC, fmp.off + 8 + 8u * i, "item offset 0x%llx past the capsule", (unsigned long long)off);
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
