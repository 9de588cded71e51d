/* SPDX-License-Identifier: BSD-2-Clause */
/* FFS sections: EFI_COMMON_SECTION_HEADER(2) and the typed headers (UEFI PI
 * spec 1.8 vol. 3 sec. 2.2.4 and 3.2.4/3.2.5): 4-byte header (8 with the
 * 32-bit extended size when Size is 0xFFFFFF), 4-byte aligned. Compression and
 * GUID-defined sections decode into context buffers whose contents are
 * sections again; FV image and raw sections go back to the dispatcher. */
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "decompress.h"
#include "layout/uefi.h"
#include "uefi.h"

enum {
	ST_COMPRESSION = 0x01,
	ST_GUID_DEFINED = 0x02,
	ST_DISPOSABLE = 0x03,
	ST_PE32 = 0x10,
	ST_PIC = 0x11,
	ST_TE = 0x12,
	ST_DXE_DEPEX = 0x13,
	ST_VERSION = 0x14,
	ST_USER_INTERFACE = 0x15,
	ST_COMPATIBILITY16 = 0x16,
	ST_FV_IMAGE = 0x17,
	ST_FREEFORM_GUID = 0x18,
	ST_RAW = 0x19,
	ST_PEI_DEPEX = 0x1B,
	ST_MM_DEPEX = 0x1C,
	ST_INSYDE_POSTCODE = 0x20,
	ST_PHOENIX_POSTCODE = 0xF0,
};

#define GUIDED_PROCESSING_REQUIRED 0x01

/* GUIDs of GUID-defined sections (edk2 MdeModulePkg, IntelFrameworkPkg). */
#define GUID_LZMA "EE4E5898-3914-4259-9D6E-DC7BD79403CF"
#define GUID_LZMAF86 "D42AE6BD-1352-4BFB-909A-CA72A6EAE889"
#define GUID_TIANO "A31280AD-481E-41B6-95E8-127F4C984779"
#define GUID_CRC32 "FC1BCDB0-7D31-49AA-936A-A4600D9DD083"
/* Vendor GUIDs, as UEFITool names them (common/ffs.h, ffsparser.cpp
 * parseGuidedSectionBody): HP's LZMA is edk2's LZMA under another GUID;
 * gzip is an RFC 1952 member; Brotli is edk2 BrotliCustomDecompressLib's. */
#define GUID_LZMA_HP "0ED85E23-F253-413F-A03C-901987B04397"
#define GUID_GZIP "1D301FE9-BE79-4353-91C2-D23BC959AE0C"
#define GUID_BROTLI "3D532050-5CDA-4FD0-879E-0F7F630D5AFB"
/* AMD zlib: CE3233F5 (UEFITool EFI_GUIDED_SECTION_ZLIB_AMD) and 991EFAC0,
 * the GUID AMD's AGESA build gives its CompressBios tool (the same header:
 * UEFITool lists it as EFI_GUIDED_SECTION_ZLIB_AMD2 but decodes only the
 * first). EFI_AMD_ZLIB_SECTION_HEADER (parsers/layout/uefi.h), then a zlib
 * (RFC 1950) stream. */
#define GUID_ZLIB_AMD "CE3233F5-2CD6-4D87-9152-4A238BB6D1C4"
#define GUID_ZLIB_AMD2 "991EFAC0-E260-416B-A4B8-3B153072B804"
#define AMD_ZLIB_HDR od_amd_zlib_SIZE
#define SEC_SIZE_EXTENDED 0xFFFFFF /* EFI_COMMON_SECTION_HEADER2 follows */

static const char *type_name(uint8_t t)
{
	switch (t) {
	case ST_COMPRESSION: return "compressed";
	case ST_GUID_DEFINED: return "GUID-defined";
	case ST_DISPOSABLE: return "disposable";
	case ST_PE32: return "PE32";
	case ST_PIC: return "PIC";
	case ST_TE: return "TE";
	case ST_DXE_DEPEX: return "DXE dependency";
	case ST_VERSION: return "version";
	case ST_USER_INTERFACE: return "UI";
	case ST_COMPATIBILITY16: return "16-bit";
	case ST_FV_IMAGE: return "FV image";
	case ST_FREEFORM_GUID: return "freeform GUID";
	case ST_RAW: return "raw";
	case ST_PEI_DEPEX: return "PEI dependency";
	case ST_MM_DEPEX: return "MM dependency";
	case ST_INSYDE_POSTCODE: return "Insyde postcode";
	case ST_PHOENIX_POSTCODE: return "Phoenix postcode";
	}
	return "unknown";
}

/* UCS-2 text to ASCII for labels; non-ASCII becomes '?'. */
static void ucs2_to_ascii(od_span s, char *out, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i + 1 < s.len && k + 1 < n; i += 2) {
		uint16_t ch;
		if (od_u16(s, i, &ch, NULL) || ch == 0)
			break;
		out[k++] = (ch >= 0x20 && ch < 0x7F && ch != '"') ? (char)ch : '?';
	}
	out[k] = 0;
}

/* The UI name belongs on the enclosing file's label (path readability). */
static void name_file(od_ctx *c, const char *name)
{
	for (od_node *n = c->cur; n; n = n->parent) {
		if (n->kind == OD_KIND_FFS_FILE) {
			if (!strchr(n->label, '"')) {
				size_t used = strlen(n->label);
				snprintf(n->label + used, sizeof(n->label) - used, " \"%s\"", name);
			}
			return;
		}
	}
}

static int decompressed(od_ctx *c, od_kind kind, od_span out, od_err *e)
{
	OD_TRY(od_enter(c, kind, out, e, "%s", od_kind_name(kind)));
	od_note(c, "0x%zx bytes decompressed", out.len);
	int rc = od_sections_walk(c, out, e);
	od_leave(c);
	return rc;
}

/* The common header: size and type, and the header length (4, or 8 with
 * ExtendedSize). e may be NULL (a yes/no test). */
static int read_header(od_span s, size_t at, uint32_t *size, uint8_t *type, size_t *hdr, od_err *e)
{
	od_sec h;
	OD_TRY(od_sec_read(s, at, &h, e));
	*size = h.size;
	*type = h.type;
	*hdr = od_sec_SIZE;
	if (h.size == SEC_SIZE_EXTENDED) {
		od_sec_ext x;
		OD_TRY(od_sec_ext_read(s, at + od_sec_SIZE, &x, e));
		*size = x.extended_size;
		*hdr = od_sec_SIZE + od_sec_ext_SIZE;
	}
	return OD_OK;
}

/* The output of a type-1 section is a section stream: sections framed end to
 * end (sizes at least their header, inside the buffer, 4-aligned), each of a
 * known type, up to fewer than 4 trailing bytes. Wrong-variant output (right
 * length, scrambled bytes) fails this at its first section header. */
static bool frames_as_sections(od_span s)
{
	size_t at = 0;
	while (at + od_sec_SIZE <= s.len) {
		uint32_t size;
		uint8_t type;
		size_t hdr;
		if (read_header(s, at, &size, &type, &hdr, NULL))
			return false;
		if (size < hdr || size > s.len - at || !strcmp(type_name(type), "unknown"))
			return false;
		at = (at + size + 3) & ~(size_t)3;
	}
	return true;
}

/* Type 1 "EFI standard" compression is EFI 1.1 or Tiano coded and the header
 * does not say which: both are decoded, the one whose output parses as a
 * section stream wins; a tie goes to the variant this image's other type-1
 * sections used (Tiano when there are none yet, as UEFITool). The node's info
 * line says what was chosen and why. */
static int efi_standard(od_ctx *c, od_span body, od_span data, uint32_t ulen, od_err *e)
{
	enum od_efi_variant prefer = c->efi_votes[0] > c->efi_votes[1] ? OD_EFI_V1 : OD_EFI_TIANO;
	od_efi_choice ch;
	od_span out;
	OD_TRY(od_efi_decompress_best(c, data, OD_EFI_AUTO, frames_as_sections, prefer, &out, &ch, e));
	if (out.len != ulen)
		return od_fail(e, OD_E_FORMAT, body.off, "decompressed 0x%zx bytes, header says 0x%x", out.len, ulen);
	bool tiano = ch.used == OD_EFI_TIANO;
	od_kind k = tiano ? OD_KIND_TIANO : OD_KIND_EFI11;
	const char *kind = od_kind_name(k), *other = od_kind_name(tiano ? OD_KIND_EFI11 : OD_KIND_TIANO);
	int u = tiano, o = !tiano;
	if (ch.valid[u] && !ch.decoded[o] && !ch.valid[o] && ch.decoded[u] && u == (prefer == OD_EFI_TIANO))
		od_note(c, "%s: its output parses as sections (tried first: %s)", kind,
			c->efi_votes[0] + c->efi_votes[1] ? "the variant this image's other sections use"
							  : "no other section decided yet, Tiano as UEFITool");
	else if (ch.valid[u] && ch.decoded[o])
		od_note(c, "EFI 1.1 and Tiano both decode; %s chosen: only its output parses as sections", kind);
	else if (ch.valid[u])
		od_note(c, "%s: its output parses as sections; %s does not decode", kind, other);
	else if (ch.decoded[o])
		od_note(c, "EFI 1.1 and Tiano both decode, neither parses as sections; %s tried", kind);
	else
		od_note(c, "%s coded (%s does not decode); its output does not parse as sections", kind, other);
	if (ch.valid[u])
		c->efi_votes[tiano]++;
	return decompressed(c, k, out, e);
}

/* EFI_COMPRESSION_SECTION: u32 UncompressedLength, u8 CompressionType. */
static int compression(od_ctx *c, od_span body, od_err *e)
{
	od_sec_compression h;
	OD_TRY(od_sec_compression_read(body, 0, &h, e));
	uint32_t ulen = h.uncompressed_len;
	uint8_t type = h.compression_type;
	od_span data, out;
	OD_TRY(od_tail(body, od_sec_compression_SIZE, &data, e));
	od_note(c, "type %u, 0x%x bytes uncompressed", type, ulen);
	if (type == 0) {
		if (ulen > data.len)
			return od_fail(e, OD_E_TRUNC, body.off, "uncompressed length 0x%x exceeds the section", ulen);
		OD_TRY(od_sub(data, 0, ulen, &out, e));
		return od_sections_walk(c, out, e);
	}
	if (type == 1)
		return efi_standard(c, body, data, ulen, e);
	if (type == 2) {
		/* Insyde images (LG R510) put raw LZMA here. */
		OD_TRY(od_lzma_decompress(c, data, false, &out, e));
		return decompressed(c, OD_KIND_LZMA, out, e);
	}
	return od_fail(e, OD_E_UNSUPPORTED, body.off + OD_OFF(od_sec_compression, compression_type), "compression type %u", type);
}

/* CRC-32 (IEEE 802.3, as edk2's CalculateCrc32) through zlib's table-driven
 * crc32: the bitwise loop it replaces was a third of an Apple image's walk. */
static uint32_t crc32_ieee(od_span s)
{
	uLong crc = crc32(0L, Z_NULL, 0);
	for (size_t at = 0; at < s.len;) {
		size_t n = s.len - at > 0x40000000u ? 0x40000000u : s.len - at;
		crc = crc32(crc, s.p + at, (uInt)n);
		at += n;
	}
	return (uint32_t)crc;
}

/* The AMD zlib header, then CompressedSize bytes of zlib stream; the output
 * size is not stored, so the context's limits bound it. */
static int amd_zlib(od_ctx *c, od_span data, od_span *out, od_err *e)
{
	od_amd_zlib h;
	od_span z;
	OD_TRY(od_amd_zlib_read(data, 0, &h, e));
	uint32_t csize = h.compressed_size;
	if (data.len < AMD_ZLIB_HDR)
		return od_fail(e, OD_E_TRUNC, data.off, "AMD zlib header cut short (0x%zx of 0x%x bytes)", data.len,
			       AMD_ZLIB_HDR);
	if (csize > data.len - AMD_ZLIB_HDR)
		return od_fail(e, OD_E_TRUNC, data.off + OD_OFF(od_amd_zlib, compressed_size), "AMD zlib compressed size 0x%x runs past the section (0x%zx left)",
			       csize, data.len - AMD_ZLIB_HDR);
	OD_TRY(od_sub(data, AMD_ZLIB_HDR, csize, &z, e));
	od_note(c, "AMD zlib, 0x%x bytes compressed", csize);
	return od_zlib_decompress(c, z, false, SIZE_MAX, out, e);
}

/* The GUIDs whose data is a compressed section stream; *kind =
 * OD_KIND_NONE: not one. */
static int guided_decode(od_ctx *c, const char *gs, od_span data, od_span *out, od_kind *kind, od_err *e)
{
	if (!strcmp(gs, GUID_LZMA) || !strcmp(gs, GUID_LZMAF86) || !strcmp(gs, GUID_LZMA_HP)) {
		bool x86 = !strcmp(gs, GUID_LZMAF86);
		*kind = x86 ? OD_KIND_LZMA_X86 : !strcmp(gs, GUID_LZMA_HP) ? OD_KIND_LZMA_HP : OD_KIND_LZMA;
		return od_lzma_decompress(c, data, x86, out, e);
	}
	if (!strcmp(gs, GUID_TIANO)) {
		*kind = OD_KIND_TIANO;
		return od_efi_decompress(c, data, OD_EFI_TIANO, out, NULL, e);
	}
	if (!strcmp(gs, GUID_GZIP)) {
		size_t used;
		*kind = OD_KIND_GZIP;
		return od_gzip_decompress(c, data, SIZE_MAX, out, &used, e);
	}
	if (!strcmp(gs, GUID_ZLIB_AMD) || !strcmp(gs, GUID_ZLIB_AMD2)) {
		*kind = OD_KIND_ZLIB_AMD;
		return amd_zlib(c, data, out, e);
	}
	if (!strcmp(gs, GUID_BROTLI)) {
		*kind = OD_KIND_BROTLI;
		return od_brotli_decompress(c, data, out, e);
	}
	*kind = OD_KIND_NONE;
	return OD_OK;
}

/* EFI_GUID_DEFINED_SECTION: GUID, u16 DataOffset, u16 Attributes. */
static int guid_defined(od_ctx *c, od_span sec, size_t hdr, od_err *e)
{
	od_sec_guided h;
	OD_TRY(od_sec_guided_read(sec, hdr, &h, e));
	uint16_t data_off = h.data_off, attrs = h.attributes;
	if (data_off < hdr + od_sec_guided_SIZE)
		return od_fail(e, OD_E_FORMAT, sec.off + hdr + OD_OFF(od_sec_guided, data_off),
			       "data offset 0x%x inside the header", data_off);
	od_span data, out;
	OD_TRY(od_tail(sec, data_off, &data, e));
	char gs[37];
	od_guid_str(&h.guid, gs);
	od_note(c, "GUID %s", gs);
	od_kind kind;
	OD_TRY(guided_decode(c, gs, data, &out, &kind, e));
	if (kind != OD_KIND_NONE)
		return decompressed(c, kind, out, e);
	if (!strcmp(gs, GUID_CRC32)) {
		od_sec_crc32 crc;
		OD_TRY(od_sec_crc32_read(sec, hdr + od_sec_guided_SIZE, &crc, e));
		uint32_t want = crc.crc32, got = crc32_ieee(data);
		od_note(c, "CRC32 %s", got == want ? "ok" : "BAD");
		if (got != want) {
			od_diag_fail(c, true, OD_E_CHECKSUM, sec.off + hdr + od_sec_guided_SIZE, "CRC32 0x%08x, data gives 0x%08x", want, got);
		}
		return od_sections_walk(c, data, e);
	}
	if (attrs & GUIDED_PROCESSING_REQUIRED) {
		od_note(c, "unknown GUID, needs processing: not walked");
		return OD_OK;
	}
	return od_sections_walk(c, data, e);
}

static int walk_section(od_ctx *c, od_span sec, size_t hdr, uint8_t type, od_err *e)
{
	od_span body;
	OD_TRY(od_tail(sec, hdr, &body, e));
	switch (type) {
	case ST_COMPRESSION:
		return compression(c, body, e);
	case ST_GUID_DEFINED:
		return guid_defined(c, sec, hdr, e);
	case ST_DISPOSABLE:
		return od_sections_walk(c, body, e);
	case ST_USER_INTERFACE: {
		char name[64];
		ucs2_to_ascii(body, name, sizeof(name));
		od_note(c, "\"%s\"", name);
		name_file(c, name);
		return OD_OK;
	}
	case ST_VERSION: {
		/* EFI_VERSION_SECTION: u16 BuildNumber, then UCS-2 text. */
		od_sec_version v;
		char ver[64] = "";
		od_span text;
		if (od_sec_version_read(body, 0, &v, NULL)) { /* valgrind: was printed unread */
			od_note(c, "cut short: no build number");
			return OD_OK;
		}
		if (!od_tail(body, od_sec_version_SIZE, &text, NULL))
			ucs2_to_ascii(text, ver, sizeof(ver));
		od_note(c, "build %u \"%s\"", v.build, ver);
		return OD_OK;
	}
	case ST_FREEFORM_GUID: {
		od_span data;
		OD_TRY(od_tail(body, 16, &data, e));
		return od_walk_child(c, data, e);
	}
	case ST_FV_IMAGE:
	case ST_RAW:
	case ST_COMPATIBILITY16:
		return od_walk_child(c, body, e);
	default:
		/* PE32/TE/depex...: recorded, not parsed (carving still sees
		 * ROMs embedded in drivers). */
		return OD_OK;
	}
}

/* One section as its own node; closed by the caller's od_part_end on error. */
static int section(od_ctx *c, od_span sec, size_t hdr, uint8_t type, od_err *e)
{
	OD_TRY(od_enter(c, OD_KIND_SECTION, sec, e, "%s section", type_name(type)));
	od_node_header(c, &od_sec_layout);
	od_note(c, "type 0x%02x, 0x%x bytes", type, (unsigned)sec.len);
	OD_TRY(walk_section(c, sec, hdr, type, e));
	od_leave(c);
	return OD_OK;
}

int od_sections_walk(od_ctx *c, od_span s, od_err *e)
{
	size_t at = 0;
	unsigned n = 0;
	while (at + od_sec_SIZE <= s.len) {
		uint32_t size;
		uint8_t type;
		size_t hdr;
		OD_TRY(read_header(s, at, &size, &type, &hdr, e));
		if (size < hdr)
			return od_fail(e, OD_E_FORMAT, s.off + at, "section size 0x%x smaller than its header", size);
		od_span sec;
		if (size > s.len - at)
			return od_fail(e, OD_E_TRUNC, s.off + at, "section size 0x%x runs past the end (0x%zx left)", size,
				       s.len - at);
		OD_TRY(od_sub(s, at, size, &sec, e));
		/* The framing holds: damage inside this section (a stream that
		 * does not decode, a bad inner header) leaves its siblings
		 * readable. */
		od_part p;
		int rc = section(c, sec, hdr, type, od_part_begin(c, &p));
		rc = od_part_end(c, &p, rc, e, "%s section %u", type_name(type), n);
		if (od_fatal(rc))
			return rc;
		n++;
		at = (at + size + 3) & ~(size_t)3;
	}
	return OD_OK;
}
