/* SPDX-License-Identifier: BSD-2-Clause */
/* PCI expansion ROM headers, written once (parsers/layout.h): the legacy
 * header, PCIR, NVIDIA's NPDE, the EFI ROM header. */
#ifndef OD_LAYOUT_PCI_H
#define OD_LAYOUT_PCI_H

#include "../layout.h"

/* PCI expansion ROM header (PCI Firmware Spec 3.0 sec. 5.1.1, table 5-1);
 * NVIDIA's later images start "VN" or 77 BB instead of 55 AA. */
#define OD_ROM_HDR_FIELDS(X)     \
	X(b2, signature, 0x00)   \
	X(u8, init_size512, 0x02) \
	X(u16, pcir_ptr, 0x18)
OD_LAYOUT_DECLARE(od_rom_hdr, OD_ROM_HDR_FIELDS, 0x1A)

/* PCI Data Structure (PCI Firmware Spec 3.0 sec. 5.1.2, table 5-2); the
 * three fields from MaxRuntimeImageLength on are revision 3 (0x1C bytes). */
#define OD_PCIR_FIELDS(X)            \
	X(b4, signature, 0x00)       \
	X(u16, vendor, 0x04)         \
	X(u16, device, 0x06)         \
	X(u16, devlist_ptr, 0x08)    \
	X(u16, length, 0x0A)         \
	X(u8, revision, 0x0C)        \
	X(u24, class_code, 0x0D)     \
	X(u16, image_len512, 0x10)   \
	X(u16, code_rev, 0x12)       \
	X(u8, code_type, 0x14)       \
	X(u8, indicator, 0x15)       \
	X(u16, max_runtime512, 0x16) \
	X(u16, config_util_ptr, 0x18) \
	X(u16, clp_ptr, 0x1A)
OD_LAYOUT_DECLARE(od_pcir_hdr, OD_PCIR_FIELDS, 0x1C)
#define OD_PCIR_V2_SIZE 0x16 /* the fields up to Indicator (revision < 3: a reserved u16 follows) */

/* NVIDIA PCI Data Extension (Linux Documentation/gpu/nova/core/vbios.rst,
 * nouveau bios/image.c): after PCIR, 16-aligned; Flags only when Length
 * covers it. */
#define OD_NPDE_FIELDS(X)          \
	X(b4, signature, 0x00)     \
	X(u16, revision, 0x04)     \
	X(u16, length, 0x06)       \
	X(u16, image_len512, 0x08) \
	X(u8, indicator, 0x0A)     \
	X(u8, flags, 0x0B)
OD_LAYOUT_DECLARE(od_npde_hdr, OD_NPDE_FIELDS, 0x0C)

/* EFI_PCI_EXPANSION_ROM_HEADER (UEFI 2.10 sec. 14.4.2). */
#define OD_EFI_ROM_FIELDS(X)            \
	X(b2, signature, 0x00)          \
	X(u16, init_size512, 0x02)      \
	X(u32, efi_signature, 0x04)     \
	X(u16, subsystem, 0x08)         \
	X(u16, machine, 0x0A)           \
	X(u16, compression, 0x0C)       \
	X(u16, image_off, 0x16)
OD_LAYOUT_DECLARE(od_efi_rom, OD_EFI_ROM_FIELDS, 0x1A)
#define OD_EFI_ROM_SIGNATURE 0x0EF1

#endif
