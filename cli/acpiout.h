/* SPDX-License-Identifier: BSD-2-Clause */
/* The "--acpi DIR" options shared by ssdt, export and vm-config. */
#ifndef OD_ACPIOUT_H
#define OD_ACPIOUT_H

#include "cli.h"

/* fw_cfg mode writes the ROM chain beside the table, as the file QEMU hands over. */
#define OD_FWCFG_ROM "vbios-fwcfg.rom"
/* vm-config's SMBIOS type-3 (Notebook) file in the --acpi folder. */
#define OD_CHASSIS_FILE "smbios-chassis.bin"

typedef struct od_acpi_args {
	const char *dir, *guest, *guest_addr, *root_port, *acpi_path, *libvirt_xml;
	bool asl, no_battery, windows, fw_cfg; /* windows: the old flag, now a no-op */
} od_acpi_args;

/* The ACPI options (ending with OD_OPT_END), writing into a. */
#define OD_ACPI_NOPTS 11
void od_acpi_options(od_acpi_args *a, od_opt out[OD_ACPI_NOPTS]);
/* Parses cl's options with the ACPI ones (cl.more is ignored) into a, as
 * od_args_parse does. refused (NULL, or NULL-terminated) names ACPI options
 * the command does not take: left out of its --help, and when given, a
 * usage error (exit 3) naming ssdt, the command they belong to. */
bool od_acpi_parse(od_cmdline cl, od_acpi_args *a, const char *const *refused, int argc, char **argv, int *nops,
		   int *rc);
/* Builds and writes vbios-ssdt-*.aml (and .dsl with --asl) into a->dir,
 * printing the chosen ACPI path and why. Returns an exit code. */
int od_write_acpi(const uint8_t *rom, size_t len, const od_acpi_args *a, bool force);
/* Loads a ROM file and finds its chain (dump headers skipped). */
int od_load_rom_chain(const char *path, od_file *f, size_t *off, size_t *len);

#endif
