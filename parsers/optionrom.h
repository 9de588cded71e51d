/* SPDX-License-Identifier: BSD-2-Clause */
/* PCI expansion ROM image chains (PCI Firmware Spec 3.0 ch. 5; UEFI 2.10
 * sec. 14.4.2 for the EFI header; NVIDIA NPDE from Linux
 * Documentation/gpu/nova/core/vbios.rst). */
#ifndef OD_OPTIONROM_H
#define OD_OPTIONROM_H

#include "reader.h"

#define OD_ROM_MAX_IMAGES 16

enum od_code_type {
	OD_CODE_X86 = 0,
	OD_CODE_OPENFW = 1,
	OD_CODE_HPPA = 2,
	OD_CODE_EFI = 3,
	OD_CODE_NV_NBSI = 0x70,
	OD_CODE_NV_FWSEC = 0xE0,
};

/* PCI Data Structure ("PCIR"), PCI Firmware Spec 3.0 table 5-2. */
typedef struct od_pcir {
	uint32_t off;             /* of the PCIR signature, within the image */
	uint16_t vendor, device;
	uint16_t devlist_ptr;     /* 3.0: device list pointer (0 = none) */
	uint16_t length;          /* of this structure */
	uint8_t revision;
	uint32_t class_code;      /* 24 bits: base << 16 | sub << 8 | prog-if */
	uint16_t image_len512;    /* image length in 512-byte units */
	uint16_t code_rev;
	uint8_t code_type;
	uint8_t indicator;        /* bit 7: last image */
	uint16_t max_runtime512;  /* 3.0 */
	uint16_t config_util_ptr; /* 3.0 */
	uint16_t clp_ptr;         /* 3.0 DMTF CLP entry point */
} od_pcir;

/* NVIDIA PCI Data Extension ("NPDE"): overrides PCIR's length and last bit. */
typedef struct od_npde {
	bool present;
	uint32_t off;
	uint16_t revision;        /* 0x100 / 0x101 */
	uint16_t length;
	uint16_t image_len512;
	uint8_t indicator;        /* bit 7: last image */
	uint8_t flags;            /* bit 2: checksum disabled */
} od_npde;

/* EFI PCI expansion ROM header, UEFI 2.10 table 14-? (signature 0x0EF1). */
typedef struct od_efi_hdr {
	bool present;
	uint16_t init_size512;
	uint16_t subsystem;       /* 0x0B boot service driver, 0x0C runtime */
	uint16_t machine;         /* 0x014C IA32, 0x8664 X64, 0xAA64, 0x0EBC EBC */
	uint16_t compression;     /* 0 none, 1 EFI compressed */
	uint16_t image_off;       /* of the EFI image within this ROM image */
} od_efi_hdr;

typedef struct od_rom_image {
	uint64_t off;             /* of the 55AA within the span given to od_rom_parse */
	uint32_t len;             /* bytes this image occupies (NPDE over PCIR) */
	uint16_t init_size512;    /* byte 2 of the legacy header */
	od_pcir pcir;
	od_npde npde;
	od_efi_hdr efi;
	bool last;                /* effective last-image flag (NPDE over PCIR) */
	bool checksum_applies;    /* legacy x86 image whose 8-bit sum must be 0 */
	bool checksum_ok;
	bool truncated;           /* len runs past the end of the data */
} od_rom_image;

typedef struct od_rom {
	size_t prefix_len;        /* bytes before the first 55AA (dump header) */
	unsigned nimages;
	od_rom_image img[OD_ROM_MAX_IMAGES];
	size_t total_len;         /* prefix excluded: from the first 55AA to the end of the last image */
	size_t trailing;          /* bytes after the chain within the span */
	bool trailing_nonblank;   /* something other than 00/FF follows the chain */
	unsigned chain_errors;    /* images past "last" etc. are reported, not fatal */
} od_rom;

/* Parses the chain that starts at offset 0 of s (which must hold 55 AA).
 * Fails on a bad first image; later images that are damaged end the chain
 * (recorded, not fatal). A chain that loops or overlaps is OD_E_LOOP. */
int od_rom_parse(od_span s, od_rom *out, od_err *e);

const char *od_code_type_name(uint8_t code_type);
const char *od_efi_machine_name(uint16_t machine);

#endif
