/* SPDX-License-Identifier: BSD-2-Clause */
/* The host AML scan on real laptop ACPI dumps (../shared/corpus/acpi):
 * every table listed in linuxhw/INDEX.tsv yields a _ROM at the recorded
 * device path, with the memory region where the AML makes it known; the
 * laptops without _ROM yield none. Plus truncated-table refusals. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amlscan.h"
#include "testutil.h"

static void norm(const char *in, char *out, size_t n)
{
	size_t k = 0;
	for (const char *p = in; *p && k + 1 < n; p++)
		if (*p != '\\' && !(*p == '_' && (p[1] == '.' || p[1] == 0 || p[1] == '\t') && p > in && p[-1] != '.' && p[-1] != '\\'))
			out[k++] = *p;
	out[k] = 0;
}

Test(amlscan, linuxhw_laptops_rom_paths)
{
	char idx[512], base[512];
	if (!tu_shared("acpi/linuxhw/INDEX.tsv", idx, sizeof(idx)))
		cr_skip_test("shared corpus absent");
	tu_shared("acpi/linuxhw", base, sizeof(base));
	FILE *f = fopen(idx, "r");
	char line[4096];
	int rows = 0, paths = 0, fixed = 0;
	cr_assert_not_null(fgets(line, sizeof(line), f), "INDEX header");
	while (fgets(line, sizeof(line), f)) {
		char *col[9] = { 0 };
		int k = 0;
		line[strcspn(line, "\n")] = 0;
		for (char *s = line; s && k < 9; k++) { /* empty columns are kept */
			col[k] = s;
			char *tab = strchr(s, '\t');
			if (tab)
				*tab = 0;
			s = tab ? tab + 1 : NULL;
		}
		if (k < 3)
			continue;
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s/%s", base, col[0], col[2]);
		size_t len;
		uint8_t *t = tu_read(path, &len);
		cr_assert_not_null(t, "%s", path);
		od_aml_scan s;
		od_err e;
		od_err_clear(&e);
		cr_assert_eq(od_aml_scan_table(od_span_make(t, len, 0), &s, &e), OD_OK, "%s: %s", path, e.msg);
		cr_assert_geq(s.nroms, 1, "%s: no _ROM found", path);
		rows++;
		/* Where INDEX gives a clean device path, ours must equal it. */
		const char *dp = k >= 7 && col[6] ? col[6] + (col[6][0] == '\\') : "";
		if (!strncmp(dp, "_SB.", 4) && !strchr(dp + 4, '_')) {
			char want[160], got[160];
			norm(dp, want, sizeof(want));
			bool match = false;
			for (unsigned i = 0; i < s.nroms; i++) {
				norm(s.roms[i].path, got, sizeof(got));
				match |= !strcmp(got, want);
			}
			cr_assert(match, "%s: _ROM at %s expected (got %s)", col[0], want, s.roms[0].path);
			paths++;
		}
		if (k >= 9 && strstr(col[8], "VBOR(SystemMemory, 0x")) {
			bool fx = false;
			for (unsigned i = 0; i < s.nroms; i++)
				fx |= s.roms[i].region_fixed && !strcmp(s.roms[i].region, "VBOR");
			cr_assert(fx, "%s: fixed VBOR region expected", col[0]);
			fixed++;
		}
		free(t);
	}
	fclose(f);
	cr_assert_geq(rows, 60, "only %d rows", rows);
	cr_assert_geq(paths, 25, "only %d clean paths compared", paths);
	fprintf(stderr, "amlscan: %d tables, %d paths compared, %d fixed regions\n", rows, paths, fixed);
}

Test(amlscan, laptops_without_rom)
{
	char dir[512];
	if (!tu_shared("acpi/linuxhw-no-rom", dir, sizeof(dir)))
		cr_skip_test("shared corpus absent");
	DIR *d = opendir(dir);
	struct dirent *m;
	int tables = 0;
	while ((m = readdir(d))) {
		if (m->d_name[0] == '.')
			continue;
		char sub[1024];
		snprintf(sub, sizeof(sub), "%s/%s", dir, m->d_name);
		DIR *t = opendir(sub);
		struct dirent *f;
		while (t && (f = readdir(t))) {
			if (strncmp(f->d_name, "dsdt", 4) && strncmp(f->d_name, "ssdt", 4))
				continue;
			if (!strstr(f->d_name, ".dat"))
				continue;
			char p[2048];
			snprintf(p, sizeof(p), "%s/%s", sub, f->d_name);
			size_t len;
			uint8_t *b = tu_read(p, &len);
			od_aml_scan s;
			od_err e;
			if (od_aml_scan_table(od_span_make(b, len, 0), &s, &e) == OD_OK)
				cr_assert_eq(s.nroms, 0, "%s has no _ROM, scan found %s", p, s.roms[0].path);
			tables++;
			free(b);
		}
		if (t)
			closedir(t);
	}
	closedir(d);
	cr_assert_geq(tables, 20);
}

Test(amlscan, truncated_table_is_refused)
{
	uint8_t t[40] = "SSDT";
	t[4] = 0x00, t[5] = 0x10; /* claims 4096 bytes */
	od_aml_scan s;
	od_err e;
	od_err_clear(&e);
	cr_assert_eq(od_aml_scan_table(od_span_make(t, sizeof(t), 0), &s, &e), OD_E_TRUNC);
	cr_assert_eq(od_aml_scan_table(od_span_make(t, 10, 0), &s, &e), OD_E_TRUNC);
}
