/* SPDX-License-Identifier: BSD-2-Clause */
/* optimus-db info FILE... [--json] [--strip-header OUT] [--force]
 * What rom-parser prints, plus checksums, EFI details, NVIDIA facts, and
 * detection of dump headers (NVGI) that make a ROM fail as QEMU romfile. */
#include <string.h>

#include "cli.h"
#include "nvidia.h"

typedef struct info_opts {
	bool json, force;
	const char *strip_out;
} info_opts;

typedef struct info_result {
	od_file f;
	size_t rom_off;
	const char *prefix_kind;
	od_rom rom;
} info_result;

static int load_rom(const char *path, info_result *r, od_err *e)
{
	memset(r, 0, sizeof(*r));
	OD_TRY(od_file_load(path, &r->f, e));
	od_span all = od_span_make(r->f.data, r->f.len, 0);
	int rc = od_nv_find_rom(all, &r->rom_off, &r->prefix_kind, e);
	if (!rc) {
		od_span rom;
		rc = od_tail(all, r->rom_off, &rom, e);
		if (!rc)
			rc = od_rom_parse(rom, &r->rom, e);
	}
	if (rc)
		od_err_prefix(e, "%s", r->f.name);
	return rc;
}

static od_span rom_span(const info_result *r)
{
	return od_span_make(r->f.data + r->rom_off, r->rom.total_len, r->rom_off);
}

static void print_text(const char *path, const info_result *r)
{
	printf("%s:\n", path);
	if (r->rom_off)
		printf("  Dump header: %s; the ROM starts at 0x%zx (%zu bytes before it). QEMU romfile needs\n"
		       "  the bare ROM: rerun with --strip-header OUT.rom\n",
		       r->prefix_kind ? r->prefix_kind : "unknown", r->rom_off, r->rom_off);
	od_rom_print_text(stdout, rom_span(r), "  ");
	printf("  Chain: %u image(s), %zu bytes", r->rom.nimages, r->rom.total_len);
	if (r->rom.trailing)
		printf(", %zu bytes after it%s", r->rom.trailing, r->rom.trailing_nonblank ? " (not blank)" : " (padding)");
	printf("\n");
}

static void print_json(od_json *j, const char *path, const info_result *r)
{
	od_json_obj_begin(j, NULL);
	od_json_str(j, "file", path);
	od_json_int(j, "file_size", (long long)r->f.len);
	od_json_int(j, "rom_offset", (long long)r->rom_off);
	od_json_str(j, "prefix", r->prefix_kind);
	od_json_int(j, "trailing", (long long)r->rom.trailing);
	od_rom_print_json(j, "rom", rom_span(r));
	od_json_obj_end(j);
}

static int strip(const info_result *r, const info_opts *o, od_err *e)
{
	od_span s = rom_span(r);
	OD_TRY(od_file_write_new(o->strip_out, s.p, s.len, o->force, e));
	fprintf(stderr, "optimus-db: wrote %zu bytes (ROM from offset 0x%zx) to %s\n", s.len, r->rom_off, o->strip_out);
	return OD_OK;
}

int od_cmd_info(int argc, char **argv)
{
	info_opts o = { 0 };
	const od_opt opts[] = {
		{ "--json", NULL, OD_OPT_FLAG, &o.json, NULL, NULL, "JSON output" },
		{ "--strip-header", NULL, OD_OPT_STR, &o.strip_out, NULL, "OUT", "write the bare ROM (dump header cut off) to OUT (one FILE only)" },
		{ "--force", NULL, OD_OPT_FLAG, &o.force, NULL, NULL, "replace OUT if it is a regular file" },
		OD_OPT_END,
	};
	const od_cmdline cl = { "info", "FILE...", opts, NULL, 1, -1 };
	int nfiles, prc;
	if (!od_args_parse(&cl, argc, argv, &nfiles, &prc))
		return prc;
	char **files = argv + 1;
	if (o.strip_out && nfiles != 1)
		return od_usage_error("info", "--strip-header takes exactly one FILE");
	int worst = OD_EXIT_OK;
	od_json j;
	od_json_init(&j, stdout);
	if (o.json)
		od_json_arr_begin(&j, NULL);
	for (int i = 0; i < nfiles; i++) {
		info_result r;
		od_err e;
		od_err_clear(&e);
		int rc = load_rom(files[i], &r, &e);
		if (!rc && o.strip_out)
			rc = strip(&r, &o, &e);
		if (rc) {
			od_print_err(files[i], &e);
			if (od_exit_for(rc) > worst)
				worst = od_exit_for(rc);
		} else if (o.json) {
			print_json(&j, files[i], &r);
		} else {
			print_text(files[i], &r);
		}
		od_file_free(&r.f);
	}
	if (o.json) {
		od_json_arr_end(&j);
		od_json_end(&j);
	}
	return worst;
}
