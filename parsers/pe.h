/* SPDX-License-Identifier: BSD-2-Clause */
/* PE/COFF images (Microsoft PE Format specification, "PE Format" on
 * learn.microsoft.com): headers, section table, overlay. Used to validate
 * decompressed EFI drivers and to walk vendor flasher .exe files. */
#ifndef OD_PE_H
#define OD_PE_H

#include "reader.h"

#define OD_PE_MAX_SECTIONS 96

typedef struct od_pe_section {
	char name[9];
	uint32_t virtual_size, virtual_address;
	uint32_t raw_size, raw_offset;
	uint32_t flags;           /* Characteristics (0x80000000 writable, 0x20000000 executable) */
} od_pe_section;

typedef struct od_pe {
	uint32_t pe_off;          /* e_lfanew */
	uint16_t machine;
	uint16_t nsections;
	uint16_t opt_magic;       /* 0x10B PE32, 0x20B PE32+ */
	uint16_t subsystem;
	uint32_t size_of_image;
	uint32_t section_alignment;
	uint32_t size_of_headers;
	od_pe_section sec[OD_PE_MAX_SECTIONS];
	uint64_t raw_end;         /* end of the last section's raw data: overlay starts here */
	uint32_t cert_off, cert_size; /* Authenticode table (data directory 4: a file offset) */
	uint32_t entry;           /* AddressOfEntryPoint (an RVA) */
} od_pe;

/* Parses and cross-checks the headers: SizeOfImage must cover every
 * section, raw data must lie inside the file. */
int od_pe_parse(od_span s, od_pe *pe, od_err *e);

#endif
