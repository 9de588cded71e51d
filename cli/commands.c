/* SPDX-License-Identifier: BSD-2-Clause */
/* The command table: one line per command, each in its own cmd_<name>.c. */
#include "cli.h"

int od_cmd_info(int argc, char **argv);
int od_cmd_scan(int argc, char **argv);
int od_cmd_add(int argc, char **argv);
int od_cmd_lookup(int argc, char **argv);
int od_cmd_show(int argc, char **argv);
int od_cmd_export(int argc, char **argv);
int od_cmd_stats(int argc, char **argv);
int od_cmd_verify(int argc, char **argv);
int od_cmd_contribute(int argc, char **argv);
int od_cmd_import(int argc, char **argv);
int od_cmd_ssdt(int argc, char **argv);
int od_cmd_vmconfig(int argc, char **argv);
int od_cmd_host(int argc, char **argv);

const od_command od_commands[] = {
	{ "info", "FILE... [--json] [--strip-header OUT]", "describe option ROM files", od_cmd_info },
	{ "scan", "FILE... [--tree] [--json] [--extract DIR]", "find option ROMs in firmware and updates", od_cmd_scan },
	{ "add", "FILE|DIR... [--model M] [--bios-version V]", "store every option ROM found in the catalogue", od_cmd_add },
	{ "lookup", "VENDOR:DEVICE [SUBVENDOR:SUBDEVICE] | --host BDF", "which VBIOS fits this GPU", od_cmd_lookup },
	{ "show", "SHA256-PREFIX", "everything known about one image", od_cmd_show },
	{ "export", "SHA256-PREFIX|VENDOR:DEVICE --rom OUT", "write a ROM from the catalogue (QEMU paths printed absolute and normalised)", od_cmd_export },
	{ "contribute", "SHA256-PREFIX... -o BUNDLE | --to REPO-DIR", "write images and sources for others", od_cmd_contribute },
	{ "import", "BUNDLE | REPO-DIR", "verify and merge a bundle or a catalogue repository", od_cmd_import },
	{ "ssdt", "ROMFILE --acpi DIR [--guest q35|pc] [--asl]", "guest ACPI tables serving the ROM via _ROM (QEMU paths printed absolute and normalised)", od_cmd_ssdt },
	{ "vm-config", "--host BDF --rom FILE [--acpi DIR]", "QEMU and libvirt settings; every path written absolute and normalised, the ROM checked readable", od_cmd_vmconfig },
	{ "host", "[--json] | dump [BDF] [-o FILE] [--add]", "this laptop's GPUs, passthrough readiness, VBIOS dump", od_cmd_host },
	{ "stats", "", "catalogue counts", od_cmd_stats },
	{ "verify", "", "re-hash every image, check the database", od_cmd_verify },
	{ NULL, NULL, NULL, NULL },
};
