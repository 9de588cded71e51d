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
	bool asl, no_battery, fw_cfg;
} od_acpi_args;

/* Consumes argv[*i] (and its value) when it is an ACPI option; returns 1. */
int od_acpi_opt(od_acpi_args *a, int argc, char **argv, int *i);
/* Builds and writes vbios-ssdt-*.aml (and .dsl with --asl) into a->dir,
 * printing the chosen ACPI path and why. Returns an exit code. */
int od_write_acpi(const uint8_t *rom, size_t len, const od_acpi_args *a, bool force);
/* Loads a ROM file and finds its chain (dump headers skipped). */
int od_load_rom_chain(const char *path, od_file *f, size_t *off, size_t *len);

#endif
