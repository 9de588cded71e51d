/* optimus-db contribute SHA256-PREFIX... -o BUNDLE / import BUNDLE
 * Sharing catalogue entries: a bundle carries images, their sources and a
 * manifest with hashes (parsers/bundle.h); import verifies everything before
 * writing anything. */
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "catcli.h"
#include "hash.h"

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

static void le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void putf(buf *b, const char *k, const char *v)
{
	char enc[3 * OD_BUNDLE_FIELD_MAX + 1];
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
	int images;
} contrib;

static int add_source(const od_source *s, const char *added, void *arg)
{
	contrib *c = arg;
	char line[128], off[24], sub[16];
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
	char line[160];
	snprintf(line, sizeof(line), "image %s %zu %zu\n", r->sha256, c->data.len, len);
	put(&c->man, line, strlen(line));
	put(&c->data, bytes, len);
	free(bytes);
	c->sha = r->sha256;
	c->images++;
	od_db_sources(c->db, r->id, add_source, c, &e);
	return 0;
}

int od_cmd_contribute(int argc, char **argv)
{
	const char *db_opt = NULL, *out = NULL;
	bool force = false;
	const od_opt opts[] = {
		{ "--output", "-o", OD_OPT_STR, &out, NULL, "BUNDLE", "the bundle file to write" },
		{ "--force", NULL, OD_OPT_FLAG, &force, NULL, NULL, "replace BUNDLE if it is a regular file" },
		OD_OPT_DB(&db_opt),
		OD_OPT_END,
	};
	const od_cmdline cl = { "contribute", "SHA256-PREFIX...", opts, NULL, 1, -1 };
	int n, prc;
	if (!od_args_parse(&cl, argc, argv, &n, &prc))
		return prc;
	char **prefixes = argv + 1;
	if (!out)
		return od_usage_error("contribute", "-o BUNDLE is required");
	od_db *db;
	int rc = od_open_catalogue(db_opt, true, &db);
	if (rc)
		return rc;
	contrib c = { .db = db };
	put(&c.man, "note creator=optimus-db/" OD_VERSION "\n", strlen("note creator=optimus-db/" OD_VERSION "\n"));
	od_err e;
	od_err_clear(&e);
	for (int i = 0; i < n && !rc; i++) {
		if (od_db_find_prefix(db, prefixes[i], add_image, &c, &e)) {
			od_print_err(NULL, &e);
			rc = od_exit_for(e.code);
		}
	}
	od_db_close(db);
	if (!rc) {
		buf file = { 0 };
		uint8_t hdr[16];
		le(hdr, 1, 4);
		le(hdr + 4, c.man.len, 4);
		le(hdr + 8, c.data.len, 8);
		put(&file, "ODBUNDLE", 8);
		put(&file, hdr, sizeof(hdr));
		put(&file, c.man.p, c.man.len);
		if (c.data.len)
			put(&file, c.data.p, c.data.len);
		if (od_file_write_new(out, file.p, file.len, force, &e)) {
			od_print_err(NULL, &e);
			rc = od_exit_for(e.code);
		} else {
			printf("wrote %s: %d image%s, %zu bytes\n", out, c.images, c.images == 1 ? "" : "s", file.len);
		}
		free(file.p);
	}
	free(c.man.p);
	free(c.data.p);
	return rc;
}

/* Import: pass 1 verifies every hash; pass 2 writes in one transaction. */
typedef struct importer {
	od_db *db;
	bool write;
	int images, new_images, sources, new_sources;
	const od_span *last_bytes;
} importer;

static int on_image(void *arg, const char *sha, od_span bytes, od_err *e)
{
	importer *im = arg;
	char got[65];
	od_sha256_hex(bytes.p, bytes.len, got);
	if (strcmp(got, sha) != 0)
		return od_fail(e, OD_E_CHECKSUM, bytes.off, "image %.12s: contents hash to %.12s; bundle refused", sha, got);
	im->images++;
	if (!im->write)
		return OD_OK;
	od_image_meta m;
	od_image_meta_from_rom(bytes.p, bytes.len, &m);
	bool inew, snew;
	OD_TRY(od_db_add(im->db, bytes.p, bytes.len, &m, NULL, &inew, &snew, e));
	im->new_images += inew;
	return OD_OK;
}

static int on_source(void *arg, const od_bundle_source *b, od_err *e)
{
	importer *im = arg;
	im->sources++;
	if (!im->write)
		return OD_OK;
	od_source s = { .container_name = b->container, .container_sha256 = b->container_sha256[0] ? b->container_sha256 : NULL,
			.container_path = b->path, .offset = b->offset, .obtained = "bundle", .model = b->model,
			.bios_version = b->bios, .has_subsys = b->has_subsys, .sub_vendor = b->sub_vendor,
			.sub_device = b->sub_device };
	/* The image is already stored (its record precedes its sources). */
	bool snew;
	OD_TRY(od_db_add_source(im->db, b->sha256, &s, &snew, e));
	im->new_sources += snew;
	return OD_OK;
}

int od_cmd_import(int argc, char **argv)
{
	const char *db_opt = NULL, *path = NULL;
	const od_opt opts[] = { OD_OPT_DB(&db_opt), OD_OPT_END };
	const od_cmdline cl = { "import", "BUNDLE", opts, NULL, 1, 1 };
	int nops, prc;
	if (!od_args_parse(&cl, argc, argv, &nops, &prc))
		return prc;
	path = argv[1];
	od_file f;
	od_err e;
	od_err_clear(&e);
	if (od_file_load(path, &f, &e)) {
		od_print_err(path, &e);
		return od_exit_for(e.code);
	}
	importer im = { 0 };
	od_bundle_cb cb = { on_image, on_source, &im };
	od_span s = od_span_make(f.data, f.len, 0);
	int rc = od_bundle_walk(s, &cb, &e);
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
	im = (importer){ .db = db, .write = true };
	if (!(rc = od_db_begin(db, &e)) && !(rc = od_bundle_walk(s, &cb, &e)))
		rc = od_db_commit(db, &e);
	if (rc) {
		od_db_rollback(db);
		od_print_err(path, &e);
	} else {
		printf("imported %s: %d images (%d new), %d sources (%d new)\n", path, im.images, im.new_images, im.sources,
		       im.new_sources);
	}
	od_db_close(db);
	od_file_free(&f);
	return od_exit_for(rc);
}
