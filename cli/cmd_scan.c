/* SPDX-License-Identifier: BSD-2-Clause */
/* optimus-db scan FILE... [--tree] [--json] [--extract DIR [--partial]] [--limit NAME=VALUE]
 * Finds every option ROM in firmware images and update files, with the
 * container path it was found under. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "hash.h"
#include "layout.h"
#include "optionrom.h"
#include "scanutil.h"
#include "bundle.h"
#include "ingest.h"
#include "repo.h"

#include <time.h>

typedef struct scan_opts {
	bool tree, json, partial, force, strict, keep_damaged;
	const char *extract, *to, *model, *bios;
	od_limits lim;
	od_repo_counts repo; /* --to, over all inputs */
} scan_opts;

static void print_tree(const od_node *n, int depth)
{
	for (; n; n = n->next) {
		printf("%*s%-s  [%s @0x%llx, 0x%llx bytes]%s%s\n", depth * 2, "", n->label, od_kind_name(n->kind),
		       (unsigned long long)n->off, (unsigned long long)n->size, n->info[0] ? "  " : "", n->info);
		print_tree(n->first, depth + 1);
	}
}

/* The node's header, field by field under the names of its layout
 * (parsers/layout/): numbers, GUIDs as text, byte runs as hex. A field the
 * node's bytes do not hold ends the list. */
static void json_header(od_json *j, const od_node *n)
{
	const od_layout *l = n->header;
	od_span s = od_span_make(n->data, (size_t)n->size, n->off);
	od_json_obj_begin(j, "header");
	od_json_str(j, "layout", l->title);
	for (size_t i = 0; i < l->nfields; i++) {
		const od_lt_field *f = &l->fields[i];
		union {
			uint8_t b[16], u8;
			uint16_t u16;
			uint32_t u32;
			uint64_t u64;
			od_guid g;
		} v;
		char text[37];
		if (f->width > sizeof(v.b) || od_lt_get(s, f->off, f->kind, f->width, &v, l->name, f->name, NULL))
			break;
		switch (f->kind) {
		case OD_LT_U8: od_json_int(j, f->name, v.u8); break;
		case OD_LT_U16: od_json_int(j, f->name, v.u16); break;
		case OD_LT_U24:
		case OD_LT_U32: od_json_int(j, f->name, v.u32); break;
		case OD_LT_U64: od_json_int(j, f->name, (long long)v.u64); break;
		case OD_LT_GUID: od_json_str(j, f->name, od_guid_str(&v.g, text)); break;
		default:
			for (uint32_t k = 0; k < f->width; k++)
				snprintf(text + 2 * k, 3, "%02x", v.b[k]);
			od_json_str(j, f->name, text);
		}
	}
	od_json_obj_end(j);
}

static void json_tree(od_json *j, const od_node *n)
{
	od_json_obj_begin(j, NULL);
	od_json_str(j, "kind", od_kind_name(n->kind));
	od_json_str(j, "label", n->label);
	od_json_int(j, "offset", (long long)n->off);
	od_json_int(j, "size", (long long)n->size);
	if (n->info[0])
		od_json_str(j, "info", n->info);
	if (n->header && n->data)
		json_header(j, n);
	if (n->first) {
		od_json_arr_begin(j, "children");
		for (const od_node *k = n->first; k; k = k->next)
			json_tree(j, k);
		od_json_arr_end(j);
	}
	od_json_obj_end(j);
}

static void rom_name(const od_hit *h, char *buf, size_t n)
{
	od_rom r;
	od_err e;
	char sha[65];
	od_sha256_hex(h->rom.p, h->rom.len, sha);
	uint16_t v = 0, d = 0;
	if (!od_rom_parse(h->rom, &r, &e)) {
		v = r.img[0].pcir.vendor;
		d = r.img[0].pcir.device;
	}
	snprintf(buf, n, "%04x_%04x_%.8s.rom", v, d, sha);
}

/* Writes each ROM once; an identical file already there is not an error. */
static int extract(const od_ctx *c, const char *dir, bool force, bool keep_damaged, od_err *e)
{
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		od_fail_nooff(e, OD_E_IO, "cannot create %s: %s", dir, strerror(errno));
		return OD_E_IO;
	}
	for (size_t i = 0; i < c->nhits; i++) {
		char name[64], path[4096];
		if (c->hits[i].damaged && !keep_damaged)
			continue;
		rom_name(&c->hits[i], name, sizeof(name));
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		od_file old;
		od_err ignore;
		struct stat st;
		/* Only a regular file (not a symlink) at the name counts as "already
		 * extracted"; anything else goes to the writer, which refuses it. */
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && od_file_load(path, &old, &ignore) == OD_OK) {
			bool same = old.len == c->hits[i].rom.len && !memcmp(old.data, c->hits[i].rom.p, old.len);
			od_file_free(&old);
			if (same)
				continue;
		}
		OD_TRY(od_file_write_new(path, c->hits[i].rom.p, c->hits[i].rom.len, force, e));
		fprintf(stderr, "optimus-db: wrote %s%s\n", path,
			c->hits[i].damaged ? " (DAMAGED: its chain is cut; kept because of --keep-damaged)" : "");
	}
	return OD_OK;
}

/* After a fatal error (a limit) the count is only what was read before the
 * walk stopped, so the text says so: "0 ROMs" must never read as "this update
 * has no VBIOS"; nor may it after damage or a part that was not read. */
static void print_text(const od_file *f, const od_ctx *c, const scan_opts *o, bool stopped, int status)
{
	bool unknown = status == OD_E_UNSUPPORTED && !c->ndiags, input = false, cut = false, unread = false;
	for (size_t i = 0; i < c->ndiags; i++) {
		input |= c->diags[i].input;
		unread |= c->diags[i].err.code == OD_E_UNSUPPORTED && !c->diags[i].warning;
	}
	for (size_t i = 0; i < c->nhits; i++)
		cut |= c->hits[i].damaged;
	printf("%s: %zu option ROM%s found%s\n", f->path, c->nhits, c->nhits == 1 ? "" : "s",
	       stopped   ? " before the scan stopped at an error (see stderr); the file was not fully read"
	       : unknown ? "; the file is not recognised (see stderr)"
	       : input   ? "; the input itself is damaged (see stderr) and was not fully read"
	       : cut     ? "; a ROM found is cut (see stderr)"
	       : unread  ? "; parts were not read (see stderr), so a VBIOS may be in them"
	       : status  ? "; warnings, an error under --strict (see stderr)"
			 : "");
	if (o->tree)
		print_tree(c->root, 1);
	for (size_t i = 0; i < c->nhits; i++) {
		const od_hit *h = &c->hits[i];
		char path[2048], sha[65];
		od_node_path(h->node, path, sizeof(path));
		printf("  [%zu] %s\n", i + 1, path);
		printf("      offset 0x%llx in %s, %zu bytes, sha256 %s%s%s\n", (unsigned long long)h->rom.off,
		       od_hit_buffer_name(h), h->rom.len, od_sha256_hex(h->rom.p, h->rom.len, sha),
		       h->carved ? ", found by carving" : "", h->damaged ? ", DAMAGED (chain cut: not a whole ROM)" : "");
		od_rom_print_text(stdout, h->rom, "      ");
	}
	if (c->nhits == 0 && !status && !unread && c->caveat[0])
		printf("  no option ROM found in what was read (%s)\n", c->caveat);
	else if (c->nhits == 0 && !status && !unread)
		printf("  no option ROM in this file (a normal result: some updates carry no VBIOS)\n");
}

static void print_json(od_json *j, const od_file *f, const od_ctx *c, const scan_opts *o, int status)
{
	od_json_obj_begin(j, NULL);
	od_json_str(j, "file", f->path);
	od_json_int(j, "size", (long long)f->len);
	od_json_str(j, "status", status ? "error" : "ok");
	od_json_str(j, "caveat", c->caveat[0] ? c->caveat : NULL);
	od_json_arr_begin(j, "roms");
	for (size_t i = 0; i < c->nhits; i++) {
		const od_hit *h = &c->hits[i];
		char path[2048], sha[65];
		od_json_obj_begin(j, NULL);
		od_json_str(j, "path", od_node_path(h->node, path, sizeof(path)));
		od_json_int(j, "offset", (long long)h->rom.off);
		od_json_str(j, "buffer", od_hit_buffer_name(h));
		od_json_int(j, "size", (long long)h->rom.len);
		od_json_str(j, "sha256", od_sha256_hex(h->rom.p, h->rom.len, sha));
		od_json_bool(j, "carved", h->carved);
		od_json_bool(j, "damaged", h->damaged);
		od_rom_print_json(j, "rom", h->rom);
		od_json_obj_end(j);
	}
	od_json_arr_end(j);
	od_json_arr_begin(j, "diagnostics");
	for (size_t i = 0; i < c->ndiags; i++) {
		char msg[OD_ERR_PATH_MAX + OD_ERR_MSG_MAX + 64];
		od_json_obj_begin(j, NULL);
		od_json_str(j, "severity", c->diags[i].input ? "error" : "warning");
		od_json_str(j, "message", od_err_str(&c->diags[i].err, msg, sizeof(msg)));
		od_json_obj_end(j);
	}
	od_json_arr_end(j);
	/* Damage confined to parts: the walk went on past each (exit 0 unless
	 * --strict); "diagnostics" above also lists the input-level errors. */
	od_json_arr_begin(j, "warnings");
	for (size_t i = 0; i < c->ndiags; i++) {
		if (c->diags[i].input)
			continue;
		char msg[OD_ERR_PATH_MAX + OD_ERR_MSG_MAX + 64];
		od_json_obj_begin(j, NULL);
		od_json_str(j, "path", c->diags[i].err.path);
		if (c->diags[i].err.has_off)
			od_json_int(j, "offset", (long long)c->diags[i].err.off);
		od_json_str(j, "message", od_err_str(&c->diags[i].err, msg, sizeof(msg)));
		od_json_obj_end(j);
	}
	od_json_arr_end(j);
	/* What was recognised and not read (issue 19): the reason "0 ROMs" is
	 * not "no VBIOS here". */
	od_json_arr_begin(j, "unread");
	for (size_t i = 0; i < c->ndiags; i++) {
		const od_err *d = &c->diags[i].err;
		if (d->code != OD_E_UNSUPPORTED)
			continue;
		char format[OD_ERR_MSG_MAX];
		snprintf(format, sizeof(format), "%.*s", (int)strcspn(d->msg, "(:"), d->msg);
		for (size_t k = strlen(format); k && format[k - 1] == ' ';)
			format[--k] = 0;
		od_json_obj_begin(j, NULL);
		od_json_str(j, "format", format);
		od_json_int(j, "offset", d->has_off ? (long long)d->off : 0);
		od_json_str(j, "path", d->path);
		od_json_str(j, "reason", d->msg);
		od_json_obj_end(j);
	}
	od_json_arr_end(j);
	if (o->tree && c->root) {
		od_json_arr_begin(j, "tree");
		json_tree(j, c->root);
		od_json_arr_end(j);
	}
	od_json_obj_end(j);
}

/* --to DIR: each whole ROM and where it was found, straight into a
 * catalogue repository (a shard of a large run; import merges them). */
static int to_repo(const od_file *f, const od_ctx *c, scan_opts *o)
{
	char fsha[65], added[24], path[2048], safe[OD_FIELD_PATH_MAX + 1], name[OD_FIELD_CONTAINER_MAX + 1];
	od_sha256_hex(f->data, f->len, fsha);
	time_t now = time(NULL);
	struct tm tm;
	strftime(added, sizeof(added), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	od_field_sanitize(f->name, name, sizeof(name));
	int rc = OD_EXIT_OK;
	for (size_t i = 0; i < c->nhits; i++) {
		const od_hit *h = &c->hits[i];
		if (h->damaged)
			continue; /* import refuses a cut chain: never written */
		od_field_sanitize(od_node_path(h->node, path, sizeof(path)), safe, sizeof(safe));
		od_source s = { .container_name = name, .container_sha256 = fsha, .container_path = safe,
				.offset = h->rom.off, .obtained = h->node->parent == c->root ? "rom" : "update",
				.model = o->model, .bios_version = o->bios };
		od_err e;
		od_err_clear(&e);
		if (od_repo_put(o->to, h->rom, &s, added, &o->repo, &e)) {
			od_print_err(f->path, &e);
			if (od_exit_for(e.code) > rc)
				rc = od_exit_for(e.code);
		}
	}
	return rc;
}

static int scan_one(const char *path, scan_opts *o, od_json *j)
{
	od_file f;
	od_err e;
	od_err_clear(&e);
	if (od_file_load(path, &f, &e))
		return od_print_fail(path, &e);
	od_ctx c;
	od_ctx_init(&c, f.name);
	c.lim = o->lim;
	int status = od_scan_file(&c, &f, o->strict, &e);
	for (size_t i = 0; i < c.ndiags; i++) {
		char msg[OD_ERR_PATH_MAX + OD_ERR_MSG_MAX + 64];
		fprintf(stderr, "optimus-db: %s: %s: %s\n", path, c.diags[i].input ? "error" : "warning",
			od_err_str(&c.diags[i].err, msg, sizeof(msg)));
	}
	bool stopped = status && e.msg[0] && od_fatal(e.code);
	if (status && e.msg[0])
		od_print_err(path, &e);
	if (o->json)
		print_json(j, &f, &c, o, status);
	else
		print_text(&f, &c, o, stopped, status);
	int rc = status ? od_exit_for(status) : OD_EXIT_OK;
	/* Every ROM found whole is written whatever else was damaged; a damaged
	 * one only when asked, and said so. A limit is not damage: it stopped the
	 * walk, so what was found is written only with --partial. */
	if (o->extract && c.nhits && stopped && !o->partial) {
		fprintf(stderr, "optimus-db: %s: not extracting: the scan stopped at a limit (--partial extracts what was found)\n",
			path);
	} else if (o->extract && c.nhits && extract(&c, o->extract, o->force, o->keep_damaged, &e)) {
		rc = od_print_fail(path, &e);
	}
	if (o->to && c.nhits && (!stopped || o->partial)) {
		int trc = to_repo(&f, &c, o);
		if (trc > rc)
			rc = trc;
	}
	od_ctx_free(&c);
	od_file_free(&f);
	return rc;
}

int od_cmd_scan(int argc, char **argv)
{
	scan_opts o = { 0 };
	od_limits_default(&o.lim);
	const od_opt opts[] = {
		{ "--tree", NULL, OD_OPT_FLAG, &o.tree, NULL, NULL, "print the container tree" },
		{ "--json", NULL, OD_OPT_FLAG, &o.json, NULL, NULL, "JSON output" },
		{ "--extract", NULL, OD_OPT_STR, &o.extract, NULL, "DIR", "write each whole ROM found (whatever else was damaged) to DIR/VVVV_DDDD_SHA.rom" },
		{ "--partial", NULL, OD_OPT_FLAG, &o.partial, NULL, NULL, "with --extract: also after a limit stopped the scan" },
		{ "--strict", NULL, OD_OPT_FLAG, &o.strict, NULL, NULL, "any warning (a damaged part) makes the exit status 2" },
		{ "--keep-damaged", NULL, OD_OPT_FLAG, &o.keep_damaged, NULL, NULL, "also write ROMs whose own chain is cut (marked DAMAGED)" },
		{ "--force", NULL, OD_OPT_FLAG, &o.force, NULL, NULL, "replace a different regular file at an --extract name" },
		{ "--limit", NULL, OD_OPT_FN, &o.lim, od_limit_opt, "NAME=VALUE", OD_LIMIT_HELP },
		{ "--to", NULL, OD_OPT_STR, &o.to, NULL, "DIR", "write each whole ROM and its source into the catalogue repository DIR (a shard; import merges)" },
		{ "--model", NULL, OD_OPT_STR, &o.model, NULL, "M", "with --to: the laptop model the inputs belong to" },
		{ "--bios-version", NULL, OD_OPT_STR, &o.bios, NULL, "V", "with --to: their BIOS version" },
		OD_OPT_END,
	};
	const od_cmdline cl = { "scan", "FILE...", opts, NULL, 1, -1 };
	int n, rc;
	if (!od_args_parse(&cl, argc, argv, &n, &rc))
		return rc;
	od_source given = { .model = o.model, .bios_version = o.bios };
	od_err ge;
	od_err_clear(&ge);
	if ((o.model || o.bios) && !o.to)
		return od_usage_error("scan", "--model and --bios-version go with --to DIR");
	if (od_source_check(&given, &ge))
		return od_usage_error("scan", "--model/--bios-version: %s", ge.msg);
	char **files = argv + 1;
	od_json j;
	od_json_init(&j, stdout);
	if (o.json)
		od_json_arr_begin(&j, NULL);
	int worst = OD_EXIT_OK;
	for (int i = 0; i < n; i++) {
		int one = scan_one(files[i], &o, &j);
		if (one > worst)
			worst = one;
	}
	if (o.json) {
		od_json_arr_end(&j);
		od_json_end(&j);
	}
	if (o.to)
		fprintf(o.json ? stderr : stdout, "%s: %d image%s (%d new), %d source%s (%d new)\n", o.to, o.repo.images,
			o.repo.images == 1 ? "" : "s", o.repo.new_images, o.repo.sources, o.repo.sources == 1 ? "" : "s",
			o.repo.new_sources);
	return worst;
}
