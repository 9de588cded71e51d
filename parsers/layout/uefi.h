/* SPDX-License-Identifier: BSD-2-Clause */
/* UEFI PI firmware file system and UEFI capsule headers, written once
 * (parsers/layout.h says what each list gives). Some lists end at the last
 * field a parser reads: reading further would turn a short but usable
 * header into damage (tag_read_n reads a prefix where a tail is optional). */
#ifndef OD_LAYOUT_UEFI_H
#define OD_LAYOUT_UEFI_H

#include "../layout.h"

/* EFI_FIRMWARE_VOLUME_HEADER up to its BlockMap (PI 1.8 vol. 3 sec. 3.2.1.1);
 * revision 1 (Framework FV 0.9) has Reserved[3] where ext_off/reserved are. */
#define OD_FVH_FIELDS(X)             \
	X(b16, zero_vector, 0x00)    \
	X(guid, fs_guid, 0x10)       \
	X(u64, length, 0x20)         \
	X(b4, signature, 0x28)       \
	X(u32, attributes, 0x2C)     \
	X(u16, hdr_len, 0x30)        \
	X(u16, checksum, 0x32)       \
	X(u16, ext_off, 0x34)        \
	X(u8, reserved, 0x36)        \
	X(u8, revision, 0x37)
OD_LAYOUT_DECLARE(od_fvh, OD_FVH_FIELDS, 0x38)
#define OD_FVH_SIGNATURE "_FVH"

/* EFI_FV_BLOCK_MAP_ENTRY (PI 1.8 vol. 3 sec. 3.2.1.1): the map after the
 * fixed header ends with {0, 0}. */
#define OD_FV_BLOCK_FIELDS(X) \
	X(u32, num_blocks, 0)   \
	X(u32, length, 4)
OD_LAYOUT_DECLARE(od_fv_block, OD_FV_BLOCK_FIELDS, 8)

/* EFI_FIRMWARE_VOLUME_EXT_HEADER (PI 1.8 vol. 3 sec. 3.2.1.2). */
#define OD_FV_EXT_FIELDS(X) \
	X(guid, fv_name, 0)   \
	X(u32, ext_size, 16)
OD_LAYOUT_DECLARE(od_fv_ext, OD_FV_EXT_FIELDS, 20)

/* EFI_FFS_FILE_HEADER (PI 1.8 vol. 3 sec. 2.2.3). */
#define OD_FFS_FIELDS(X)         \
	X(guid, name, 0x00)      \
	X(u8, hdr_sum, 0x10)     \
	X(u8, file_sum, 0x11)    \
	X(u8, type, 0x12)        \
	X(u8, attributes, 0x13)  \
	X(u24, size, 0x14)       \
	X(u8, state, 0x17)
OD_LAYOUT_DECLARE(od_ffs, OD_FFS_FIELDS, 0x18)

/* EFI_FFS_FILE_HEADER2's ExtendedSize after the header above (PI 1.8
 * vol. 3 sec. 3.2.3; FFSv3 files with FFS_ATTRIB_LARGE_FILE). */
#define OD_FFS_EXT_FIELDS(X) X(u64, extended_size, 0)
OD_LAYOUT_DECLARE(od_ffs_ext, OD_FFS_EXT_FIELDS, 8)

/* EFI_COMMON_SECTION_HEADER (PI 1.8 vol. 3 sec. 2.2.4); Size 0xFFFFFF
 * means EFI_COMMON_SECTION_HEADER2, whose ExtendedSize follows. */
#define OD_SEC_FIELDS(X) \
	X(u24, size, 0)  \
	X(u8, type, 3)
OD_LAYOUT_DECLARE(od_sec, OD_SEC_FIELDS, 4)
#define OD_SEC_EXT_FIELDS(X) X(u32, extended_size, 0)
OD_LAYOUT_DECLARE(od_sec_ext, OD_SEC_EXT_FIELDS, 4)

/* The typed section headers after the common one (PI 1.8 vol. 3
 * sec. 2.2.4.1 and 3.2.5): EFI_COMPRESSION_SECTION, EFI_GUID_DEFINED_SECTION
 * (edk2's CRC32 GUIDed section adds the CRC after it), EFI_VERSION_SECTION. */
#define OD_SEC_COMPRESSION_FIELDS(X)  \
	X(u32, uncompressed_len, 0)   \
	X(u8, compression_type, 4)
OD_LAYOUT_DECLARE(od_sec_compression, OD_SEC_COMPRESSION_FIELDS, 5)
#define OD_SEC_GUIDED_FIELDS(X) \
	X(guid, guid, 0)        \
	X(u16, data_off, 16)    \
	X(u16, attributes, 18)
OD_LAYOUT_DECLARE(od_sec_guided, OD_SEC_GUIDED_FIELDS, 20)
#define OD_SEC_CRC32_FIELDS(X) X(u32, crc32, 0)
OD_LAYOUT_DECLARE(od_sec_crc32, OD_SEC_CRC32_FIELDS, 4)
#define OD_SEC_VERSION_FIELDS(X) X(u16, build, 0)
OD_LAYOUT_DECLARE(od_sec_version, OD_SEC_VERSION_FIELDS, 2)

/* EFI_AMD_ZLIB_SECTION_HEADER (UEFITool common/ffs.h): 0x100 bytes, of which
 * only CompressedSize is read; the zlib stream follows. */
#define OD_AMD_ZLIB_FIELDS(X) X(u32, compressed_size, 0x14)
OD_LAYOUT_DECLARE(od_amd_zlib, OD_AMD_ZLIB_FIELDS, 0x100)

/* EFI_CAPSULE_HEADER (UEFI 2.10 sec. 8.5.3). Toshiba's variant swaps the
 * last two (UEFITool common/ffs.h TOSHIBA_CAPSULE_HEADER); AMI Aptio's
 * (APTIO_CAPSULE_HEADER) adds RomImageOffset (then RomLayoutOffset, unread). */
#define OD_CAPSULE_FIELDS(X)      \
	X(guid, capsule_guid, 0)  \
	X(u32, header_size, 16)   \
	X(u32, flags, 20)         \
	X(u32, image_size, 24)
OD_LAYOUT_DECLARE(od_capsule, OD_CAPSULE_FIELDS, 28)
#define OD_CAPSULE_TOSHIBA_FIELDS(X) \
	X(guid, capsule_guid, 0)     \
	X(u32, header_size, 16)      \
	X(u32, full_size, 20)        \
	X(u32, flags, 24)
OD_LAYOUT_DECLARE(od_capsule_toshiba, OD_CAPSULE_TOSHIBA_FIELDS, 28)
#define OD_CAPSULE_APTIO_FIELDS(X) \
	OD_CAPSULE_FIELDS(X)       \
	X(u16, rom_image_offset, 0x1C)
OD_LAYOUT_DECLARE(od_capsule_aptio, OD_CAPSULE_APTIO_FIELDS, 0x20)

/* EFI_FIRMWARE_MANAGEMENT_CAPSULE_HEADER (UEFI 2.10 sec. 23.3.3); the u64
 * ItemOffsetList follows, one per driver and item. */
#define OD_FMP_FIELDS(X)                 \
	X(u32, version, 0)               \
	X(u16, embedded_driver_count, 4) \
	X(u16, payload_item_count, 6)
OD_LAYOUT_DECLARE(od_fmp, OD_FMP_FIELDS, 8)
/* EFI_FIRMWARE_MANAGEMENT_CAPSULE_IMAGE_HEADER v1 (UEFI 2.10 sec. 23.3.3);
 * v2 adds u64 UpdateHardwareInstance (40 bytes), v3 u64 ImageCapsuleSupport
 * (48): skipped by size, not read. */
#define OD_FMP_IMAGE_FIELDS(X)            \
	X(u32, version, 0)                \
	X(guid, update_image_type_id, 4)  \
	X(u8, update_image_index, 20)     \
	X(u32, update_image_size, 24)     \
	X(u32, update_vendor_code_size, 28)
OD_LAYOUT_DECLARE(od_fmp_image, OD_FMP_IMAGE_FIELDS, 32)
/* EFI_FIRMWARE_IMAGE_AUTHENTICATION (UEFI 2.10 sec. 23.2): MonotonicCount,
 * then WIN_CERTIFICATE_UEFI_GUID's Hdr (CertType GUID and data follow). */
#define OD_FMP_AUTH_FIELDS(X)        \
	X(u64, monotonic_count, 0)   \
	X(u32, cert_length, 8)       \
	X(u16, cert_revision, 12)    \
	X(u16, cert_type, 14)
OD_LAYOUT_DECLARE(od_fmp_auth, OD_FMP_AUTH_FIELDS, 16)
#define OD_WIN_CERT_REVISION 0x0200
#define OD_WIN_CERT_TYPE_EFI_GUID 0x0EF1
/* FMP_PAYLOAD_HEADER (edk2 FmpDevicePkg FmpPayloadHeaderLib). */
#define OD_FMP_PAYLOAD_FIELDS(X)             \
	X(b4, signature, 0)                  \
	X(u32, header_size, 4)               \
	X(u32, fw_version, 8)                \
	X(u32, lowest_supported_version, 12)
OD_LAYOUT_DECLARE(od_fmp_payload, OD_FMP_PAYLOAD_FIELDS, 16)

#endif
