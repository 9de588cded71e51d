/* SPDX-License-Identifier: BSD-2-Clause */
/* The layouts' readers, writers and field tables (layout.h), each made from
 * its one field list in parsers/layout/. */
#include "layout.h"

#include <string.h>

#include "layout/codec.h"
#include "layout/pci.h"
#include "layout/uefi.h"
#include "layout/vendor.h"

/* The reader's message ("need 4 bytes, 1 left") gains the field's name. */
static int named(int rc, const char *lt, const char *field, od_err *e)
{
	if (!rc || !e)
		return rc;
	size_t a = strlen(lt), b = strlen(field), pre = a + 1 + b + 2, old = strlen(e->msg);
	if (pre + 1 >= sizeof(e->msg))
		return rc;
	if (old > sizeof(e->msg) - 1 - pre)
		old = sizeof(e->msg) - 1 - pre; /* clip the tail, keep the name */
	memmove(e->msg + pre, e->msg, old);
	e->msg[pre + old] = 0;
	memcpy(e->msg, lt, a);
	e->msg[a] = '.';
	memcpy(e->msg + a + 1, field, b);
	memcpy(e->msg + a + 1 + b, ": ", 2);
	return rc;
}

int od_lt_get(od_span s, size_t at, enum od_lt_kind k, uint32_t width, void *dst, const char *lt,
	      const char *field, od_err *e)
{
	int rc;
	switch (k) {
	case OD_LT_U8: rc = od_u8(s, at, dst, e); break;
	case OD_LT_U16: rc = od_u16(s, at, dst, e); break;
	case OD_LT_U24: rc = od_u24(s, at, dst, e); break;
	case OD_LT_U32: rc = od_u32(s, at, dst, e); break;
	case OD_LT_U64: rc = od_u64(s, at, dst, e); break;
	case OD_LT_GUID: rc = od_guid_at(s, at, dst, e); break;
	default: rc = od_copy(s, at, dst, width, e); break;
	}
	return named(rc, lt, field, e);
}

void od_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void od_put24(uint8_t *p, uint32_t v)
{
	od_put16(p, (uint16_t)v);
	p[2] = (uint8_t)(v >> 16);
}

void od_put32(uint8_t *p, uint32_t v)
{
	od_put16(p, (uint16_t)v);
	od_put16(p + 2, (uint16_t)(v >> 16));
}

void od_put64(uint8_t *p, uint64_t v)
{
	od_put32(p, (uint32_t)v);
	od_put32(p + 4, (uint32_t)(v >> 32));
}

void od_lt_put(uint8_t *p, enum od_lt_kind k, uint32_t width, const void *src)
{
	switch (k) {
	case OD_LT_U8: *p = *(const uint8_t *)src; break;
	case OD_LT_U16: od_put16(p, *(const uint16_t *)src); break;
	case OD_LT_U24: od_put24(p, *(const uint32_t *)src); break;
	case OD_LT_U32: od_put32(p, *(const uint32_t *)src); break;
	case OD_LT_U64: od_put64(p, *(const uint64_t *)src); break;
	case OD_LT_GUID: memcpy(p, ((const od_guid *)src)->b, 16); break;
	default: memcpy(p, src, width); break;
	}
}

const od_lt_field *od_layout_field(const od_layout *l, const char *name)
{
	for (size_t i = 0; i < l->nfields; i++)
		if (!strcmp(l->fields[i].name, name))
			return &l->fields[i];
	return NULL;
}

OD_LAYOUT_DEFINE(od_fvh, OD_FVH_FIELDS, "EFI_FIRMWARE_VOLUME_HEADER")
OD_LAYOUT_DEFINE(od_fv_block, OD_FV_BLOCK_FIELDS, "EFI_FV_BLOCK_MAP_ENTRY")
OD_LAYOUT_DEFINE(od_fv_ext, OD_FV_EXT_FIELDS, "EFI_FIRMWARE_VOLUME_EXT_HEADER")
OD_LAYOUT_DEFINE(od_ffs, OD_FFS_FIELDS, "EFI_FFS_FILE_HEADER")
OD_LAYOUT_DEFINE(od_ffs_ext, OD_FFS_EXT_FIELDS, "EFI_FFS_FILE_HEADER2.ExtendedSize")
OD_LAYOUT_DEFINE(od_sec, OD_SEC_FIELDS, "EFI_COMMON_SECTION_HEADER")
OD_LAYOUT_DEFINE(od_sec_ext, OD_SEC_EXT_FIELDS, "EFI_COMMON_SECTION_HEADER2.ExtendedSize")
OD_LAYOUT_DEFINE(od_sec_compression, OD_SEC_COMPRESSION_FIELDS, "EFI_COMPRESSION_SECTION")
OD_LAYOUT_DEFINE(od_sec_guided, OD_SEC_GUIDED_FIELDS, "EFI_GUID_DEFINED_SECTION")
OD_LAYOUT_DEFINE(od_sec_crc32, OD_SEC_CRC32_FIELDS, "CRC32_SECTION_HEADER.CRC32Checksum")
OD_LAYOUT_DEFINE(od_sec_version, OD_SEC_VERSION_FIELDS, "EFI_VERSION_SECTION")
OD_LAYOUT_DEFINE(od_amd_zlib, OD_AMD_ZLIB_FIELDS, "EFI_AMD_ZLIB_SECTION_HEADER")
OD_LAYOUT_DEFINE(od_capsule, OD_CAPSULE_FIELDS, "EFI_CAPSULE_HEADER")
OD_LAYOUT_DEFINE(od_capsule_toshiba, OD_CAPSULE_TOSHIBA_FIELDS, "TOSHIBA_CAPSULE_HEADER")
OD_LAYOUT_DEFINE(od_capsule_aptio, OD_CAPSULE_APTIO_FIELDS, "APTIO_CAPSULE_HEADER")
OD_LAYOUT_DEFINE(od_fmp, OD_FMP_FIELDS, "EFI_FIRMWARE_MANAGEMENT_CAPSULE_HEADER")
OD_LAYOUT_DEFINE(od_fmp_image, OD_FMP_IMAGE_FIELDS, "EFI_FIRMWARE_MANAGEMENT_CAPSULE_IMAGE_HEADER")
OD_LAYOUT_DEFINE(od_fmp_auth, OD_FMP_AUTH_FIELDS, "EFI_FIRMWARE_IMAGE_AUTHENTICATION")
OD_LAYOUT_DEFINE(od_fmp_payload, OD_FMP_PAYLOAD_FIELDS, "FMP_PAYLOAD_HEADER")
OD_LAYOUT_DEFINE(od_rom_hdr, OD_ROM_HDR_FIELDS, "PCI expansion ROM header")
OD_LAYOUT_DEFINE(od_pcir_hdr, OD_PCIR_FIELDS, "PCI Data Structure (PCIR)")
OD_LAYOUT_DEFINE(od_npde_hdr, OD_NPDE_FIELDS, "NVIDIA PCI Data Extension (NPDE)")
OD_LAYOUT_DEFINE(od_efi_rom, OD_EFI_ROM_FIELDS, "EFI_PCI_EXPANSION_ROM_HEADER")
OD_LAYOUT_DEFINE(od_pfs_hdr, OD_PFS_HDR_FIELDS, "DellPfsHeader")
OD_LAYOUT_DEFINE(od_pfs_ftr, OD_PFS_FTR_FIELDS, "DellPfsFooter")
OD_LAYOUT_DEFINE(od_pfs_entry, OD_PFS_ENTRY_FIELDS, "DellPfsEntryR1")
OD_LAYOUT_DEFINE(od_pfs_bg_meta, OD_PFS_BG_META_FIELDS, "DellPfsPfatMetadata")
OD_LAYOUT_DEFINE(od_pfat_hdr, OD_PFAT_HDR_FIELDS, "AmiBiosGuardHeader")
OD_LAYOUT_DEFINE(od_bg_hdr, OD_BG_HDR_FIELDS, "IntelBiosGuardHeader")
OD_LAYOUT_DEFINE(od_bg_sig, OD_BG_SIG_FIELDS, "IntelBiosGuardSignature")
OD_LAYOUT_DEFINE(od_bundle_hdr, OD_BUNDLE_HDR_FIELDS, "optimus-db bundle header")
OD_LAYOUT_DEFINE(od_lzma_hdr, OD_LZMA_HDR_FIELDS, "LZMA alone header")
OD_LAYOUT_DEFINE(od_brotli_hdr, OD_BROTLI_HDR_FIELDS, "edk2 Brotli header")
OD_LAYOUT_DEFINE(od_nvgi_hdr, OD_NVGI_HDR_FIELDS, "NVGI (IFR) header")
OD_LAYOUT_DEFINE(od_nvgi_rfrd, OD_NVGI_RFRD_FIELDS, "NVGI RFRD directory")
OD_LAYOUT_DEFINE(od_ifd_hdr, OD_IFD_HDR_FIELDS, "Intel flash descriptor signature and FLMAP0")
OD_LAYOUT_DEFINE(od_ifd_freg, OD_IFD_FREG_FIELDS, "Intel flash descriptor FREG")
