/* SPDX-License-Identifier: BSD-2-Clause */
/* Guest ACPI tables that serve a VBIOS through _ROM at the GPU's ACPI path.
 *
 * QEMU refuses a single -acpitable over 65,535 bytes, so the ROM is split:
 * table 0 holds Method _ROM (and a chunk selector) inside Scope(<GPU path>),
 * tables 1..N each hold one chunk as Name(\VBnn, Buffer). _ROM(off, len)
 * returns exactly min(len, 4096) bytes, zero-filled past the ROM end, never an
 * error and never a short buffer (nouveau stops at the first short read). */
#ifndef OD_SSDT_H
#define OD_SSDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reader.h"

#define OD_SSDT_CHUNK 61440u /* 15 x 4 KiB: a table stays under 65,535 bytes */
#define OD_SSDT_MAX_ROM (OD_SSDT_CHUNK * 100u)

#define OD_ACPI_PATH_MAX 128u /* with its NUL */

typedef struct od_acpi_opts {
	char path[OD_ACPI_PATH_MAX];   /* ACPI path of the GPU node, e.g. \_SB.PCI0.SE0.S00 */
	bool battery;     /* also add a battery (PNP0C0A) and an AC adapter (ACPI0003) */
} od_acpi_opts;

typedef struct od_ssdt {
	char name[32];    /* vbios-ssdt-0.aml, ... */
	uint8_t *aml;
	size_t len;
	char *asl;        /* readable source (NULL unless asked) */
} od_ssdt;

/* QEMU's node name for a PCI function: "S" + two hex digits of devfn. */
void od_acpi_slot_name(unsigned dev, unsigned fn, char out[5]);

/* Resolves the GPU's ACPI path from the guest topology (QEMU 7.2 naming,
 * measured in guests): guest "q35" or "pc", the GPU's guest address
 * "[BB:]DD.F", and for a GPU behind a q35 pcie-root-port that port's
 * address on bus 0. why gets one line explaining the choice. */
int od_acpi_path_for(const char *guest, const char *guest_addr, const char *root_port, char *out, size_t n,
		     char *why, size_t wn, od_err *e);

/* The guest placement both ssdt and vm-config use: q35 or pc, the GPU at
 * bus:dev.fn, and on q35 with bus != 0 the pcie-root-port at 00:rd.rf.
 * Defaults as od_acpi_path_for; refusals are OD_E_USAGE naming the rule. */
typedef struct od_guest_topo {
	bool q35;
	unsigned bus, dev, fn, rd, rf;
} od_guest_topo;
int od_guest_topology(const char *guest, const char *guest_addr, const char *root_port, od_guest_topo *t, od_err *e);

/* A user-given ACPI path (--acpi-path): OD_E_USAGE naming the rule it breaks
 * (1-4 character segments [A-Z_][A-Z0-9_]*, an optional leading root
 * backslash, no '^',
 * under OD_ACPI_PATH_MAX characters). */
int od_acpi_path_check(const char *path, od_err *e);

/* Builds the tables; *tables is malloc'd (free with od_ssdt_free). */
int od_ssdt_build(const uint8_t *rom, size_t len, const od_acpi_opts *o, bool with_asl, od_ssdt **tables,
		  size_t *n, od_err *e);
void od_ssdt_free(od_ssdt *t, size_t n);

#endif
