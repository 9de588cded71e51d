/* SPDX-License-Identifier: BSD-2-Clause */
/* A bounded AML scanner (ACPI 6.5 ch. 20 grammar) for host tables: finds
 * Method (_ROM) definitions with their absolute paths, and where the method
 * reads its bytes from when the tables make that determinable. Not an
 * interpreter: it follows Scope/Device/Processor/PowerResource/ThermalZone
 * nesting through package lengths, skips method bodies and data objects, and
 * links Field unit names to their OperationRegion. */
#ifndef OD_AMLSCAN_H
#define OD_AMLSCAN_H

#include "reader.h"

#define OD_AML_MAX_ROMS 8

typedef struct od_aml_rom {
	char path[160];        /* \_SB.PCI0.PEG0.PEGP (of the device owning _ROM) */
	uint64_t method_off;   /* offset of the MethodOp in the table */
	char region[8];        /* OperationRegion the method's fields belong to, or "" */
	bool region_fixed;     /* its address is a constant in the table */
	uint64_t region_addr, region_len;
	char region_base[8];   /* when not fixed: the name holding the address (NVHA) */
} od_aml_rom;

typedef struct od_aml_scan {
	char sig[5], oem_table_id[9];
	unsigned nroms;
	od_aml_rom roms[OD_AML_MAX_ROMS];
} od_aml_scan;

/* Scans one DSDT/SSDT (header included). */
int od_aml_scan_table(od_span t, od_aml_scan *out, od_err *e);

#endif
