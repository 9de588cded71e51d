/* SPDX-License-Identifier: BSD-2-Clause */
/* The command table: one line per command. Each command is in cmd_<name>.c,
 * or in the cmd_<thing>.c of the commands over one thing: cmd_catalogue.c
 * (add, lookup, show, stats, verify), cmd_bundle.c (contribute, import),
 * cmd_ssdt.c (ssdt, vm-config). */
#include "cli.h"

/* X(function suffix, name, usage line, summary): od_cmd_<fn> is in cmd_*.c. */
#define OD_COMMANDS(X) \
	X(info, "info", "FILE... [--json] [--strip-header OUT]", "describe option ROM files") \
	X(scan, "scan", "FILE... [--tree] [--json] [--extract DIR]", "find option ROMs in firmware and updates") \
	X(add, "add", "FILE|DIR... [--model M] [--bios-version V]", "store every option ROM found in the catalogue") \
	X(lookup, "lookup", "VENDOR:DEVICE [SUBVENDOR:SUBDEVICE] | --host BDF", "which VBIOS fits this GPU") \
	X(show, "show", "SHA256-PREFIX", "everything known about one image") \
	X(export, "export", "SHA256-PREFIX|VENDOR:DEVICE --rom OUT", "write a ROM from the catalogue (QEMU paths printed absolute and normalised)") \
	X(contribute, "contribute", "SHA256-PREFIX... -o BUNDLE | --to REPO-DIR", "write images and sources for others") \
	X(import, "import", "BUNDLE | REPO-DIR", "verify and merge a bundle or a catalogue repository") \
	X(ssdt, "ssdt", "ROMFILE --acpi DIR [--guest q35|pc] [--asl]", "guest ACPI tables serving the ROM via _ROM (QEMU paths printed absolute and normalised)") \
	X(vmconfig, "vm-config", "--host BDF --rom FILE [--acpi DIR]", "QEMU and libvirt settings; every path written absolute and normalised, the ROM checked readable") \
	X(host, "host", "[--json] | dump [BDF] [-o FILE] [--add]", "this laptop's GPUs, passthrough readiness, VBIOS dump") \
	X(stats, "stats", "", "catalogue counts") \
	X(verify, "verify", "", "re-hash every image, check the database")

#define OD_CMD_DECLARE(fn, name, usage, summary) int od_cmd_##fn(int argc, char **argv);
OD_COMMANDS(OD_CMD_DECLARE)
#undef OD_CMD_DECLARE

const od_command od_commands[] = {
#define OD_CMD_ROW(fn, name, usage, summary) { name, usage, summary, od_cmd_##fn },
	OD_COMMANDS(OD_CMD_ROW)
#undef OD_CMD_ROW
	{ NULL, NULL, NULL, NULL },
};
