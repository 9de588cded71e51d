/* SPDX-License-Identifier: BSD-2-Clause */
/* optimus-db export SHA256-PREFIX|VENDOR:DEVICE[:SUBVENDOR:SUBDEVICE] --rom OUT.rom [--force]
 * Writes one catalogue image; ambiguous targets are refused with the list of
 * candidates so the user picks by SHA-256 prefix. */
#include <stdlib.h>
#include <string.h>

#include "acpiout.h"
#include "catcli.h"
#include "hash.h"
#include "vmpath.h"

typedef struct rows {
	od_image_row r[16];
	int n, total;
} rows;

static int keep(const od_image_row *r, void *arg)
{
	rows *rs = arg;
	if (rs->n < 16)
		rs->r[rs->n++] = *r;
	rs->total++;
	return 0;
}

static bool parse_target(const char *t, uint16_t ids[4], int *nids)
{
	int k = od_parse_hex_ids(t, ids, 4);
	if (k != 2 && k != 4)
		return false;
	for (int i = k; i < 4; i++)
		ids[i] = 0;
	*nids = k;
	return true;
}

int od_resolve_image(od_db *db, const char *target, od_image_row *row, uint8_t **bytes, size_t *len)
{
	rows rs = { .n = 0 };
	od_err e;
	od_err_clear(&e);
	uint16_t ids[4];
	int nids = 0, rc;
	if (strchr(target, ':')) {
		if (!parse_target(target, ids, &nids)) {
			fprintf(stderr, "optimus-db: '%s' is neither VENDOR:DEVICE[:SUBVENDOR:SUBDEVICE] nor a SHA-256 prefix\n", target);
			return OD_EXIT_USAGE;
		}
		rc = od_db_lookup(db, ids[0], ids[1], ids[2], ids[3], keep, &rs, &e);
	} else {
		rc = od_db_find_prefix(db, target, keep, &rs, &e);
	}
	if (rc) {
		od_print_err(NULL, &e);
		return od_exit_for(rc);
	}
	int pick = rs.total == 1 ? 0 : -1;
	/* With subsystem IDs asked, a single exact match wins over same-device ones. */
	if (pick < 0 && nids == 4 && rs.n >= 1 && rs.r[0].match == 2 && (rs.n == 1 || rs.r[1].match != 2))
		pick = 0;
	if (pick < 0) {
		fprintf(stderr, "optimus-db: '%s' matches %d images; name one by SHA-256 prefix:\n", target, rs.total);
		for (int i = 0; i < rs.n; i++)
			fprintf(stderr, "  %.12s  %04x:%04x  %lld bytes  %s  %s%s\n", rs.r[i].sha256, rs.r[i].meta.vendor,
				rs.r[i].meta.device, (long long)rs.r[i].size, rs.r[i].meta.version, rs.r[i].meta.kinds,
				rs.r[i].match == 2 ? "  (subsystem match)" : "");
		return OD_EXIT_USAGE;
	}
	*row = rs.r[pick];
	if (od_db_bytes(db, row->id, bytes, len, &e))
		return od_print_fail(NULL, &e);
	char sha[65];
	if (strcmp(od_sha256_hex(*bytes, *len, sha), row->sha256) != 0) {
		fprintf(stderr, "optimus-db: stored image %s is corrupt (hash mismatch); run 'optimus-db verify'\n", row->sha256);
		free(*bytes);
		return OD_EXIT_BADINPUT;
	}
	return OD_EXIT_OK;
}

int od_cmd_export(int argc, char **argv)
{
	const char *db_opt = NULL, *target = NULL, *rom_out = NULL;
	bool force = false;
	od_acpi_args acpi = { 0 };
	const od_opt opts[] = {
		OD_OPT_DB(&db_opt),
		{ "--rom", NULL, OD_OPT_STR, &rom_out, NULL, "OUT", "write the ROM to OUT" },
		{ "--force", NULL, OD_OPT_FLAG, &force, NULL, NULL, "replace existing regular files" },
		OD_OPT_END,
	};
	od_opt acpi_opts[OD_ACPI_NOPTS];
	od_acpi_options(&acpi, acpi_opts);
	const od_cmdline cl = { "export", "SHA256-PREFIX|VENDOR:DEVICE[:SUBVENDOR:SUBDEVICE]", opts, acpi_opts, 1, 1 };
	int nops, prc;
	if (!od_args_parse(&cl, argc, argv, &nops, &prc))
		return prc;
	target = argv[1];
	if (!rom_out && !acpi.dir)
		return od_usage_error("export", "give --rom OUT, --acpi DIR or both");
	od_db *db;
	int rc = od_open_catalogue(db_opt, true, &db);
	if (rc)
		return rc;
	od_image_row row;
	uint8_t *bytes = NULL;
	size_t len = 0;
	rc = od_resolve_image(db, target, &row, &bytes, &len);
	od_db_close(db);
	if (rc)
		return rc;
	if (strstr(row.meta.kinds, "damaged"))
		/* Stored on request (add --keep-damaged): never passed off as whole. */
		fprintf(stderr, "optimus-db: warning: image %.12s is DAMAGED (its chain is cut; stored with --keep-damaged): "
				"a guest given it may get no display\n", row.sha256);
	od_err e;
	od_err_clear(&e);
	if (rom_out && od_file_write_new(rom_out, bytes, len, force, &e)) {
		rc = od_print_fail(NULL, &e);
	} else if (rom_out) {
		/* QEMU and libvirt run elsewhere: the path they get is absolute. */
		char abs[4096], q[8200], arg[8300];
		if (!od_abs_path(rom_out, abs, sizeof(abs)))
			snprintf(abs, sizeof(abs), "%s", rom_out);
		printf("wrote %s: %zu bytes, %04x:%04x, sha256 %s\n", abs, len, row.meta.vendor, row.meta.device, row.sha256);
		od_check_for_vm(abs, "ROM", 'f', OD_VM_QEMU | OD_VM_LIBVIRT, false);
		od_qemu_escape(abs, q, sizeof(q));
		snprintf(arg, sizeof(arg), "vfio-pci,host=<BDF>,romfile=%s", q);
		printf("QEMU: -device ");
		od_put_shell(stdout, arg);
		printf("\n");
	}
	if (!rc && acpi.dir)
		rc = od_write_acpi(bytes, len, &acpi, force);
	free(bytes);
	return rc;
}
