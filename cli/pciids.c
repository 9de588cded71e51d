/* SPDX-License-Identifier: BSD-2-Clause */
/* PCI vendor/device names from the system's pci.ids (Debian `pci.ids`). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static FILE *open_ids(void)
{
	const char *env = getenv("OD_PCI_IDS");
	const char *paths[] = { env, "/usr/share/misc/pci.ids", "/usr/share/hwdata/pci.ids" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		if (!paths[i])
			continue;
		struct stat st;
		int fd = od_input_open(paths[i], &st, NULL); /* OD_PCI_IDS may name a FIFO */
		FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
		if (f)
			return f;
		if (fd >= 0)
			close(fd);
	}
	return NULL;
}

static void copy_name(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src);
	dst[strcspn(dst, "\r\n")] = 0;
}

/* Format: "vvvv  Vendor" at column 0, "\tdddd  Device" under it. */
bool od_pci_name(uint16_t vendor, uint16_t device, char *vname, size_t vn, char *dname, size_t dn)
{
	FILE *f = open_ids();
	if (!f)
		return false;
	char line[512], want[8];
	bool in_vendor = false, found = false;
	if (vn)
		vname[0] = 0;
	if (dn)
		dname[0] = 0;
	snprintf(want, sizeof(want), "%04x", vendor);
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (line[0] != '\t') {
			if (in_vendor)
				break;
			if (strncmp(line, want, 4) == 0 && line[4] == ' ') {
				in_vendor = true;
				found = true;
				if (vn)
					copy_name(vname, vn, line + 6);
				snprintf(want, sizeof(want), "%04x", device);
			}
			continue;
		}
		if (in_vendor && line[1] != '\t' && strncmp(line + 1, want, 4) == 0 && line[5] == ' ') {
			if (dn)
				copy_name(dname, dn, line + 7);
			break;
		}
	}
	fclose(f);
	return found;
}
