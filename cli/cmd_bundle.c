/* SPDX-License-Identifier: BSD-2-Clause */
/* optimus-db contribute SHA256-PREFIX... -o BUNDLE / import BUNDLE
 * Sharing catalogue entries: a bundle carries images, their sources and a
 * manifest with hashes (readers/bundle.h); import verifies everything before
 * writing anything. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bundle.h"
#include "catcli.h"
#include "hash.h"
#include "ingest.h"
#include "layout/vendor.h"
#include "repo.h"

typedef struct buf {
	char *p;
	size_t len, cap;
} buf;

static bool put(buf *b, const void *d, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = (b->len + n) * 2 + 4096;
		char *p = realloc(b->p, cap);
		if (!p)
			return false;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
	return true;
}

static void putf(buf *b, const char *k, const char *v)
{
	/* Fits: od_source_check held every field to at most OD_BUNDLE_FIELD_MAX bytes. */
	static char enc[3 * OD_BUNDLE_FIELD_MAX + 1];
	if (v && *v && od_bundle_encode(v, enc, sizeof(enc))) {
		put(b, " ", 1);
		put(b, k, strlen(k));
		put(b, "=", 1);
		put(b, enc, strlen(enc));
	}
}

typedef struct contrib {
	od_db *db;
	buf man, data;
	const char *sha;
	int images, bad;
} contrib;

static int add_source(const od_source *s, const char *added, void *arg)
{
	contrib *c = arg;
	char line[128], off[24], sub[16];
	/* The reader's limits, checked here: never write what import refuses
	 * (a catalogue written by an older optimus-db may hold such a source). */
	od_err e;
	od_err_clear(&e);
	if (od_source_check(s, &e)) {
		fprintf(stderr, "optimus-db: image %.12s has a source import would refuse: %s\n", c->sha, e.msg);
		c->bad++;
		return 1;
	}
	snprintf(line, sizeof(line), "source %s", c->sha);
	put(&c->man, line, strlen(line));
	putf(&c->man, "obtained", s->obtained);
	putf(&c->man, "container", s->container_name);
	putf(&c->man, "container_sha256", s->container_sha256);
	putf(&c->man, "path", s->container_path);
	snprintf(off, sizeof(off), "%llu", (unsigned long long)s->offset);
	putf(&c->man, "offset", off);
	putf(&c->man, "model", s->model);
	putf(&c->man, "bios", s->bios_version);
	if (s->has_subsys) {
		snprintf(sub, sizeof(sub), "%04x:%04x", s->sub_vendor, s->sub_device);
		putf(&c->man, "subsys", sub);
	}
	putf(&c->man, "added", added);
	put(&c->man, "\n", 1);
	return 0;
}

static int add_image(const od_image_row *r, void *arg)
{
	contrib *c = arg;
	uint8_t *bytes;
	size_t len;
	od_err e;
	if (od_db_bytes(c->db, r->id, &bytes, &len, &e))
		return 1;
	/* Import runs every image through the ROM parser; never write one it
	 * would refuse (a modified VBIOS with a bad checksum, a cut dump). */
	od_err_clear(&e);
	if (od_rom_check_whole(od_span_make(bytes, len, 0), &e)) {
		char msg[600];
		fprintf(stderr, "optimus-db: image %.12s is not a whole option ROM (%s): import would refuse it, not contributed\n",
			r->sha256, od_err_str(&e, msg, sizeof(msg)));
		free(bytes);
		c->bad++;
		return 1;
	}
	char line[160];
	snprintf(line, sizeof(line), "image %s %zu %zu\n", r->sha256, c->data.len, len);
	put(&c->man, line, strlen(line));
	put(&c->data, bytes, len);
	free(bytes);
	c->sha = r->sha256;
	c->images++;
	od_err_clear(&e);
	if (od_db_sources(c->db, r->id, add_source, c, &e)) {
		od_print_err(NULL, &e); /* a bundle must not go out with sources missing */
		c->bad++;
	}
	return c->bad != 0;
}

/* contribute --to DIR: each image and its sources into a catalogue repository. */
typedef struct to_repo {
	od_db *db;
	const char *dir;
	od_repo_counts c;
	int rc;
} to_repo;

static int repo_image(const od_image_row *r, void *arg)
{
	to_repo *t = arg;
	od_err e;
	od_err_clear(&e);
	if (od_repo_contribute(t->db, t->dir, r, &t->c, &e)) {
		t->rc = od_print_fail(NULL, &e);
		return 1;
	}
	return 0;
}

static int contribute_to(od_db *db, const char *dir, char *const *prefixes, int n, bool all)
{
	to_repo t = { .db = db, .dir = dir };
	od_err e;
	od_err_clear(&e);
	if (all && od_db_each_image(db, repo_image, &t, &e) && !t.rc && e.code != OD_E_NOTFOUND) {
		t.rc = od_print_fail(NULL, &e);
	}
	for (int i = 0; i < n && !t.rc; i++) {
		if (od_db_find_prefix(db, prefixes[i], repo_image, &t, &e) && !t.rc) {
			t.rc = od_print_fail(NULL, &e);
		}
	}
	printf("%s: %d image%s (%d new), %d source%s (%d new)%s\n", dir, t.c.images, t.c.images == 1 ? "" : "s",
	       t.c.new_images, t.c.sources, t.c.sources == 1 ? "" : "s", t.c.new_sources,
	       t.rc ? " before the error above" : "; commit and push them, then open a pull request");
	return t.rc;
}

int od_cmd_contribute(int argc, char **argv)
{
	const char *db_opt = NULL, *out = NULL, *to = NULL;
	bool force = false, all = false;
	const od_opt opts[] = {
		{ "--output", "-o", OD_OPT_STR, &out, NULL, "BUNDLE", "the bundle file to write" },
		{ "--to", NULL, OD_OPT_STR, &to, NULL, "DIR", "a catalogue repository (checkout) to write into instead" },
		{ "--all", NULL, OD_OPT_FLAG, &all, NULL, NULL, "every image of the catalogue (with --to)" },
		{ "--force", NULL, OD_OPT_FLAG, &force, NULL, NULL, "replace BUNDLE if it is a regular file" },
		OD_OPT_DB(&db_opt),
		OD_OPT_END,
	};
	const od_cmdline cl = { "contribute", "SHA256-PREFIX...", opts, NULL, 0, -1 };
	int n, prc;
	if (!od_args_parse(&cl, argc, argv, &n, &prc))
		return prc;
	char **prefixes = argv + 1;
	if (!out == !to)
		return od_usage_error("contribute", "one of -o BUNDLE or --to DIR is required");
	if (all ? n > 0 || !to : n == 0)
		return od_usage_error("contribute", all ? "--all goes with --to and no SHA256-PREFIX" : "no SHA256-PREFIX given");
	od_db *db;
	int rc = od_open_catalogue(db_opt, true, &db);
	if (rc)
		return rc;
	if (to) {
		rc = contribute_to(db, to, prefixes, n, all);
		od_db_close(db);
		return rc;
	}
	contrib c = { .db = db };
	put(&c.man, "note creator=optimus-db/" OD_VERSION "\n", strlen("note creator=optimus-db/" OD_VERSION "\n"));
	od_err e;
	od_err_clear(&e);
	for (int i = 0; i < n && !rc; i++) {
		if (od_db_find_prefix(db, prefixes[i], add_image, &c, &e)) {
			rc = od_print_fail(NULL, &e);
		}
	}
	od_db_close(db);
	if (!rc && c.bad)
		rc = OD_EXIT_BADINPUT;
	if (!rc) {
		buf file = { 0 };
		uint8_t hdr[od_bundle_hdr_SIZE];
		od_bundle_hdr h = { .version = 1, .manifest_len = (uint32_t)c.man.len, .data_len = c.data.len };
		memcpy(h.tag, OD_BUNDLE_TAG, 8);
		od_bundle_hdr_write(&h, hdr);
		put(&file, hdr, sizeof(hdr));
		put(&file, c.man.p, c.man.len);
		if (c.data.len)
			put(&file, c.data.p, c.data.len);
		if (od_file_write_new(out, file.p, file.len, force, &e)) {
			rc = od_print_fail(NULL, &e);
		} else {
			printf("wrote %s: %d image%s, %zu bytes\n", out, c.images, c.images == 1 ? "" : "s", file.len);
		}
		free(file.p);
	}
	free(c.man.p);
	free(c.data.p);
	return rc;
}

static void report_file(const char *rel, const od_err *e, void *arg)
{
	/* File names in someone else's checkout may hold control characters. */
	char p[4096], shown[4 * sizeof(p)];
	snprintf(p, sizeof(p), "%s/%s", (const char *)arg, rel);
	od_print_err(od_esc(p, shown, sizeof(shown)), e);
}

static int import_repo(const char *db_opt, const char *dir)
{
	od_db *db;
	int rc = od_open_catalogue(db_opt, false, &db);
	if (rc)
		return rc;
	od_repo_counts c;
	od_err e;
	od_err_clear(&e);
	rc = od_repo_import(db, dir, &c, report_file, (void *)dir, &e);
	od_db_close(db);
	if (rc) {
		od_print_err(dir, &e);
		return od_exit_for(rc);
	}
	printf("imported %s: %d images (%d new), %d sources (%d new), %d unchanged skipped, %d file%s refused\n", dir,
	       c.images, c.new_images, c.sources, c.new_sources, c.skipped, c.failed, c.failed == 1 ? "" : "s");
	return c.failed ? OD_EXIT_BADINPUT : OD_EXIT_OK;
}

int od_cmd_import(int argc, char **argv)
{
	const char *db_opt = NULL, *path = NULL;
	const od_opt opts[] = { OD_OPT_DB(&db_opt), OD_OPT_END };
	const od_cmdline cl = { "import", "BUNDLE|REPOSITORY-DIR", opts, NULL, 1, 1 };
	int nops, prc;
	if (!od_args_parse(&cl, argc, argv, &nops, &prc))
		return prc;
	path = argv[1];
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return import_repo(db_opt, path);
	od_file f;
	od_err e;
	od_err_clear(&e);
	if (od_file_load(path, &f, &e))
		return od_print_fail(path, &e);
	/* Everything is checked before the catalogue is opened (or created). */
	od_span s = od_span_make(f.data, f.len, 0);
	od_import_counts ic;
	int rc = od_import_bundle(NULL, s, &ic, &e);
	if (rc) {
		od_err_prefix(&e, "%s", f.name);
		od_print_err(path, &e);
		od_file_free(&f);
		return od_exit_for(rc);
	}
	od_db *db;
	if ((rc = od_open_catalogue(db_opt, false, &db))) {
		od_file_free(&f);
		return rc;
	}
	if ((rc = od_import_bundle(db, s, &ic, &e)))
		od_print_err(path, &e);
	else
		printf("imported %s: %d images (%d new), %d sources (%d new)\n", path, ic.images, ic.new_images, ic.sources,
		       ic.new_sources);
	od_db_close(db);
	od_file_free(&f);
	return od_exit_for(rc);
}
