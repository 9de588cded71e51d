/* SPDX-License-Identifier: BSD-2-Clause */
/* NVIDIA VBIOS facts: BIT table, version, subsystem IDs (NVGI dump headers:
 * nvgi.h, included here for the callers that need both).
 * Sources: nouveau bios/base.c + bit.c, envytools docs (hwdocs/vbios),
 * Linux Documentation/gpu/nova/core/vbios.rst (NPDE, FwSec images). */
#ifndef OD_NVIDIA_H
#define OD_NVIDIA_H

#include "nvgi.h"
#include "optionrom.h"

typedef struct od_vbios_facts {
	bool has_bit;
	uint32_t bit_off;          /* of the FF B8 'BIT' signature within the ROM */
	char version[24];          /* "86.08.40.00.48" as NVIDIA prints it, or "" */
	bool has_subsys;
	uint16_t sub_vendor, sub_device;
	bool has_efi;              /* an EFI (GOP) image is in the chain */
	bool has_fwsec;            /* code type 0xE0 images */
} od_vbios_facts;

/* Facts for a parsed ROM chain (vendor 0x10de images; others get has_efi only). */
int od_nv_facts(od_span rom, const od_rom *parsed, od_vbios_facts *f, od_err *e);

#endif
