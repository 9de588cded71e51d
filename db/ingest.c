/* SPDX-License-Identifier: BSD-2-Clause */
/* The one ingest path: scan hits and bundles to catalogue rows (ingest.h). */
#include "ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "hash.h"
#include "optionrom.h"

static int field_check(const char *name, const char *v, size_t max, od_err *e)
{
	const char *why = v ? od_field_problem(v, max) : NULL;
	if (!why)
		return OD_OK;
	od_fail_nooff(e, OD_E_FORMAT, "%s: %s (at most %zu bytes of UTF-8 text without control characters)", name, why, max);
	return OD_E_FORMAT;
}

int od_source_check(const od_source *s, od_err *e)
{
	OD_TRY(field_check("container name", s->container_name, OD_FIELD_CONTAINER_MAX, e));
	OD_TRY(field_check("container path", s->container_path, OD_FIELD_PATH_MAX, e));
	OD_TRY(field_check("model", s->model, OD_FIELD_MODEL_MAX, e));
	OD_TRY(field_check("BIOS version", s->bios_version, OD_FIELD_BIOS_MAX, e));
	OD_TRY(field_check("obtained", s->obtained, OD_FIELD_OBTAINED_MAX, e));
	const char *h = s->container_sha256;
	if (h && (strlen(h) != 64 || strspn(h, "0123456789abcdef") != 64)) {
		od_fail_nooff(e, OD_E_FORMAT, "container SHA-256 is not 64 lower-case hex digits");
		return OD_E_FORMAT;
	}
	return OD_OK;
}

int od_rom_check_whole(od_span rom, od_err *e)
{
	od_rom r;
	if (rom.len < 2 || rom.p[0] != 0x55 || rom.p[1] != 0xAA)
		return od_fail(e, OD_E_FORMAT, rom.off, "not an option ROM (no 55 AA at its start)");
	OD_TRY(od_rom_parse(rom, &r, e));
	for (unsigned i = 0; i < r.nimages; i++) {
		const od_rom_image *im = &r.img[i];
		if (im->truncated)
			return od_fail(e, OD_E_TRUNC, rom.off + im->off, "ROM image %u is cut: %u bytes claimed, %zu present",
				       i + 1, im->len, rom.len - (size_t)im->off);
		if (im->checksum_applies && !im->checksum_ok)
			return od_fail(e, OD_E_CHECKSUM, rom.off + im->off, "ROM image %u: checksum does not sum to 0", i + 1);
	}
	if (r.chain_errors)
		return od_fail(e, OD_E_FORMAT, rom.off + r.total_len, "the image chain is damaged after image %u", r.nimages);
	return OD_OK;
}

int od_ingest_hits(od_db *db, const od_source *src, const od_ingest_hit *hits, size_t n, od_ingest_counts *counts,
		   od_err *e)
{
	static _Thread_local char name[OD_FIELD_CONTAINER_MAX + 1], path[OD_FIELD_PATH_MAX + 1];
	od_source s = *src;
	if (src->container_name) {
		od_field_sanitize(src->container_name, name, sizeof(name));
		s.container_name = name;
	}
	s.container_path = NULL;
	OD_TRY(od_source_check(&s, e));
	OD_TRY(od_db_begin(db, e));
	od_ingest_counts got = { 0 };
	for (size_t i = 0; i < n; i++) {
		const od_ingest_hit *h = &hits[i];
		od_image_meta m;
		od_image_meta_from_rom(h->rom.p, h->rom.len, &m);
		if (h->damaged) {
			/* Kept on request, and marked so export never passes it off. */
			size_t k = strlen(m.kinds);
			snprintf(m.kinds + k, sizeof(m.kinds) - k, "+damaged");
			m.is_vbios = false;
		}
		od_field_sanitize(h->container_path ? h->container_path : "", path, sizeof(path));
		s.container_path = path;
		s.offset = h->rom.off;
		s.obtained = src->obtained ? src->obtained : h->direct ? "rom" : "update";
		bool inew, snew;
		int rc = od_db_add(db, h->rom.p, h->rom.len, &m, &s, &inew, &snew, e);
		if (rc) {
			od_db_rollback(db);
			return rc;
		}
		got.new_images += inew;
		got.new_sources += snew;
		got.roms++;
	}
	OD_TRY(od_db_commit(db, e));
	counts->roms += got.roms;
	counts->new_images += got.new_images;
	counts->new_sources += got.new_sources;
	return OD_OK;
}

/* --- bundles --- */

typedef struct importer {
	od_db *db; /* NULL: check only */
	od_import_counts c;
} importer;

static int on_image(void *arg, const char *sha, od_span bytes, od_err *e)
{
	importer *im = arg;
	char got[65];
	od_sha256_hex(bytes.p, bytes.len, got);
	if (strcmp(got, sha) != 0)
		return od_fail(e, OD_E_CHECKSUM, bytes.off, "image %.12s: contents hash to %.12s; bundle refused", sha, got);
	od_span rom = od_span_make(bytes.p, bytes.len, 0);
	if (od_rom_check_whole(rom, e)) {
		/* The ROM parser's offset is within the image: say where in the bundle. */
		e->off += bytes.off;
		return od_err_prefix(e, "image %.12s is not a whole option ROM; bundle refused", sha);
	}
	im->c.images++;
	im->c.bytes += bytes.len;
	if (!im->db)
		return OD_OK;
	od_image_meta m;
	od_image_meta_from_rom(bytes.p, bytes.len, &m);
	bool inew, snew;
	OD_TRY(od_db_add(im->db, bytes.p, bytes.len, &m, NULL, &inew, &snew, e));
	im->c.new_images += inew;
	return OD_OK;
}

static int on_source(void *arg, const od_bundle_source *b, od_err *e)
{
	importer *im = arg;
	od_source s = { .container_name = b->container, .container_sha256 = b->container_sha256[0] ? b->container_sha256 : NULL,
			.container_path = b->path, .offset = b->offset, .obtained = "bundle", .model = b->model,
			.bios_version = b->bios, .has_subsys = b->has_subsys, .sub_vendor = b->sub_vendor,
			.sub_device = b->sub_device };
	OD_TRY(od_source_check(&s, e));
	im->c.sources++;
	if (!im->db)
		return OD_OK;
	/* The image is already stored (its record precedes its sources). */
	bool snew;
	OD_TRY(od_db_add_source(im->db, b->sha256, &s, &snew, e));
	im->c.new_sources += snew;
	return OD_OK;
}

int od_import_bundle(od_db *db, od_span bundle, od_import_counts *c, od_err *e)
{
	importer im = { .db = db };
	od_bundle_cb cb = { on_image, on_source, &im };
	memset(c, 0, sizeof(*c));
	if (!db)
		OD_TRY(od_bundle_walk(bundle, &cb, e));
	else {
		OD_TRY(od_db_begin(db, e));
		int rc = od_bundle_walk(bundle, &cb, e);
		if (!rc)
			rc = od_db_commit(db, e);
		if (rc) {
			od_db_rollback(db);
			return rc;
		}
	}
	*c = im.c;
	return OD_OK;
}
