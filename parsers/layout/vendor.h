/* SPDX-License-Identifier: BSD-2-Clause */
/* Vendor update containers, written once (parsers/layout.h): Dell PFS,
 * AMI/Intel BIOS Guard (PFAT), and optimus-db's own bundle header. */
#ifndef OD_LAYOUT_VENDOR_H
#define OD_LAYOUT_VENDOR_H

#include "../layout.h"

/* Dell PFS header and footer (BIOSUtilities dell_pfs_extract.py DellPfsHeader,
 * DellPfsFooter); the payload lies between them. */
#define OD_PFS_HDR_FIELDS(X)       \
	X(b8, tag, 0)              \
	X(u32, version, 8)         \
	X(u32, payload_size, 12)
OD_LAYOUT_DECLARE(od_pfs_hdr, OD_PFS_HDR_FIELDS, 16)
#define OD_PFS_HDR_TAG "PFS.HDR."
#define OD_PFS_FTR_FIELDS(X)       \
	X(u32, payload_size, 0)    \
	X(u32, checksum, 4)        \
	X(b8, tag, 8)
OD_LAYOUT_DECLARE(od_pfs_ftr, OD_PFS_FTR_FIELDS, 16)
#define OD_PFS_FTR_TAG "PFS.FTR."

/* PFS entry (BIOSUtilities DellPfsEntryR1, 0x48 bytes; R2 is 0x58 with a
 * longer reserved tail): the four sizes give data, data signature,
 * metadata and metadata signature, stored in that order after the header. */
#define OD_PFS_ENTRY_FIELDS(X)        \
	X(guid, guid, 0x00)           \
	X(u32, header_version, 0x10)  \
	X(b4, version_type, 0x14)     \
	X(b8, version, 0x18)          \
	X(u64, reserved, 0x20)        \
	X(u32, data_size, 0x28)       \
	X(u32, data_sig_size, 0x2C)   \
	X(u32, meta_size, 0x30)       \
	X(u32, meta_sig_size, 0x34)
OD_LAYOUT_DECLARE(od_pfs_entry, OD_PFS_ENTRY_FIELDS, 0x48)
#define OD_PFS_ENTRY_R2_SIZE 0x58

/* DellPfsPfatMetadata (BIOSUtilities): a BIOS Guard sub-entry's metadata. */
#define OD_PFS_BG_META_FIELDS(X) \
	X(u32, address, 0)       \
	X(u32, unknown, 4)       \
	X(u32, offset, 8)        \
	X(u32, data_size, 12)
OD_LAYOUT_DECLARE(od_pfs_bg_meta, OD_PFS_BG_META_FIELDS, 0x19)

/* AMI PFAT package header (BIOSUtilities ami_pfat_extract.py AmiBiosGuardHeader):
 * Size covers the header and the ASCII block index after it. */
#define OD_PFAT_HDR_FIELDS(X)  \
	X(u32, size, 0x00)     \
	X(u32, checksum, 0x04) \
	X(b8, tag, 0x08)       \
	X(u8, flags, 0x10)
OD_LAYOUT_DECLARE(od_pfat_hdr, OD_PFAT_HDR_FIELDS, 0x11)
#define OD_PFAT_TAG "_AMIPFAT"

/* Intel BIOS Guard update package header (Intel BiosGuard.h BGUP_HEADER;
 * BIOSUtilities IntelBiosGuardHeader); the script, then the data follow;
 * Attributes bit 0 (SFAM): a signature follows too. */
#define OD_BG_HDR_FIELDS(X)              \
	X(u16, version, 0x00)            \
	X(b2, reserved, 0x02)            \
	X(b16, platform_id, 0x04)        \
	X(u32, attributes, 0x14)         \
	X(u16, script_ver_major, 0x18)   \
	X(u16, script_ver_minor, 0x1A)   \
	X(u32, script_size, 0x1C)        \
	X(u32, data_size, 0x20)          \
	X(u32, bios_svn, 0x24)           \
	X(u32, ec_svn, 0x28)             \
	X(u32, vendor_info, 0x2C)
OD_LAYOUT_DECLARE(od_bg_hdr, OD_BG_HDR_FIELDS, 0x30)
#define OD_BG_ATTR_SFAM 0x1
/* The signature after a block (BIOSUtilities IntelBiosGuardSignature2k/3k):
 * version 1 RSA2k, 2/3 RSA3k; modulus, exponent 65537, signature follow. */
#define OD_BG_SIG_FIELDS(X) \
	X(u32, version, 0)  \
	X(u32, type, 4)
OD_LAYOUT_DECLARE(od_bg_sig, OD_BG_SIG_FIELDS, 8)

/* NVIDIA flash dump (nvflash/IFR) header (Linux nova-core vbios.rs):
 * Fixed1 bits 15:8 version, 30:16 size of the fixed part; v1/2 store the
 * ROM offset as a u32 after the fixed part, v3's Fixed2 bits 19:0 give
 * the total size, where a u32 points (+4096) at an "RFRD" directory. */
#define OD_NVGI_HDR_FIELDS(X)  \
	X(b4, signature, 0)    \
	X(u32, fixed1, 4)      \
	X(u32, fixed2, 8)
OD_LAYOUT_DECLARE(od_nvgi_hdr, OD_NVGI_HDR_FIELDS, 12)
#define OD_NVGI_RFRD_FIELDS(X)  \
	X(b4, signature, 0)     \
	X(u32, reserved, 4)     \
	X(u32, rom_offset, 8)
OD_LAYOUT_DECLARE(od_nvgi_rfrd, OD_NVGI_RFRD_FIELDS, 12)

/* Intel flash descriptor (coreboot util/ifdtool/ifdtool.h, PCH datasheets
 * "SPI flash descriptor"): the signature (at 0x10, at 0 on ICH8-era parts),
 * FLMAP0 with FRBA in bits 23:16 (x16), then at FRBA the FREG entries, one
 * u32 each: base 14:0 and limit 30:16, in 4 KiB units. */
#define OD_IFD_HDR_FIELDS(X) \
	X(b4, signature, 0)  \
	X(u32, flmap0, 4)
OD_LAYOUT_DECLARE(od_ifd_hdr, OD_IFD_HDR_FIELDS, 8)
#define OD_IFD_SIGNATURE "\x5A\xA5\xF0\x0F"
#define OD_IFD_FREG_FIELDS(X) X(u32, freg, 0)
OD_LAYOUT_DECLARE(od_ifd_freg, OD_IFD_FREG_FIELDS, 4)

/* optimus-db bundle (parsers/bundle.h): "ODBUNDLE", version, manifest and
 * data lengths; the manifest, then the data. */
#define OD_BUNDLE_HDR_FIELDS(X)   \
	X(b8, tag, 0)             \
	X(u32, version, 8)        \
	X(u32, manifest_len, 12)  \
	X(u64, data_len, 16)
OD_LAYOUT_DECLARE(od_bundle_hdr, OD_BUNDLE_HDR_FIELDS, 24)
#define OD_BUNDLE_TAG "ODBUNDLE"

#endif
