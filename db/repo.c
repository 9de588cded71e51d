/* SPDX-License-Identifier: BSD-2-Clause */
/* Catalogue repositories (repo.h): contribute into one, import one. */
#include "repo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "ingest.h"
#include "record.h"

static int io_fail(od_err *e, const char *what, const char *name)
{
	od_fail_nooff(e, OD_E_IO, "%s %s: %s", what, name, strerror(errno));
	return OD_E_IO;
}

/* Opens (creating if asked) the folder name under parent, never through a
 * symlink. */
static int sub_dir(int parent, const char *name, bool create, int *fd, od_err *e)
{
	if (create && mkdirat(parent, name, 0755) != 0 && errno != EEXIST)
		return io_fail(e, "cannot create", name);
	*fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return *fd < 0 ? io_fail(e, "cannot open folder", name) : OD_OK;
}

/* Reads a regular file (not a symlink, FIFO or device) of at most max bytes. */
static int read_at(int dfd, const char *name, size_t max, uint8_t **data, size_t *len, od_err *e)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno == ELOOP ? (od_fail_nooff(e, OD_E_FORMAT, "a symlink (not followed)"), OD_E_FORMAT)
				      : io_fail(e, "cannot open", name);
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
		close(fd);
		od_fail_nooff(e, OD_E_LIMIT, "not a regular file of at most %zu bytes", max);
		return OD_E_LIMIT;
	}
	*len = (size_t)st.st_size;
	*data = malloc(*len ? *len : 1);
	size_t got = 0;
	while (*data && got < *len) {
		ssize_t r = read(fd, *data + got, *len - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (!*data || got != *len) {
		free(*data);
		return *data ? io_fail(e, "cannot read", name) : od_fail(e, OD_E_NOMEM, 0, "file");
	}
	return OD_OK;
}

/* name exists in dfd: fine when it holds exactly buf (content-addressed). */
static int same_file(int dfd, const char *name, const void *buf, size_t len, od_err *e)
{
	uint8_t *old;
	size_t olen;
	od_err sub;
	od_err_clear(&sub);
	if (read_at(dfd, name, 64u << 20, &old, &olen, &sub)) {
		od_fail_nooff(e, OD_E_IO, "%s exists and is not a regular file: not replaced", name);
		return OD_E_IO;
	}
	bool same = olen == len && !memcmp(old, buf, len);
	free(old);
	if (same)
		return OD_OK;
	od_fail_nooff(e, OD_E_IO, "%s exists with other contents (its name is its hash: the file is damaged)", name);
	return OD_E_IO;
}

/* Writes name in dfd with exactly these bytes: created through a temporary
 * file and link() (which never replaces), or kept when already identical. */
static int write_at(int dfd, const char *name, const void *buf, size_t len, bool *created, od_err *e)
{
	*created = false;
	if (faccessat(dfd, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return same_file(dfd, name, buf, len, e);
	char tmp[128];
	snprintf(tmp, sizeof(tmp), ".tmp-%ld-%.64s", (long)getpid(), name);
	int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return io_fail(e, "cannot create", tmp);
	size_t done = 0;
	while (done < len) {
		ssize_t w = write(fd, (const uint8_t *)buf + done, len - done);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	/* No fsync per file (it made contribute 10 ms an image): a file cut by
	 * a power loss fails its hash, which import and a contribute run again
	 * both check, naming it. */
	int rc = done == len ? OD_OK : io_fail(e, "cannot write", name);
	close(fd);
	bool raced = false;
	if (!rc && linkat(dfd, tmp, dfd, name, 0) != 0) {
		/* Another writer (a parallel shard) made it first: fine if equal. */
		raced = errno == EEXIST;
		rc = raced ? OD_OK : io_fail(e, "cannot create", name);
	}
	unlinkat(dfd, tmp, 0);
	if (raced)
		return same_file(dfd, name, buf, len, e);
	*created = rc == OD_OK;
	return rc;
}

/* --- contribute --- */

/* Base name, and "/home/NAME/", "/Users/NAME/", "/root/" written as "~/". */
static void strip_home(const char *in, char *out, size_t n, bool base)
{
	if (base) {
		const char *slash = strrchr(in, '/'), *bs = strrchr(in, '\\');
		const char *cut = slash > bs ? slash : bs;
		in = cut ? cut + 1 : in;
	}
	size_t k = 0;
	while (*in && k + 2 < n) {
		static const char *const homes[] = { "/home/", "/Users/", "/root/" };
		size_t skip = 0;
		for (int h = 0; h < 3 && !skip; h++) {
			size_t hl = strlen(homes[h]);
			if (!strncmp(in, homes[h], hl)) {
				const char *end = h == 2 ? in + hl - 1 : strchr(in + hl, '/');
				skip = end ? (size_t)(end - in) : 0;
			}
		}
		if (skip) {
			out[k++] = '~';
			in += skip;
		} else {
			out[k++] = *in++;
		}
	}
	out[k] = 0;
}

typedef struct contrib {
	int srcdir;
	const char *sha; /* the image's */
	od_repo_counts *c;
	od_err *e;
	int rc;
} contrib;

static int put_source(const od_source *s, const char *added, void *arg)
{
	contrib *k = arg;
	static _Thread_local od_record r;
	static _Thread_local char text[OD_RECORD_MAX];
	memset(&r, 0, sizeof(r));
	od_bundle_source *b = &r.src;
	snprintf(b->sha256, sizeof(b->sha256), "%s", k->sha);
	snprintf(b->obtained, sizeof(b->obtained), "%s", s->obtained ? s->obtained : "update");
	strip_home(s->container_name ? s->container_name : "", b->container, sizeof(b->container), true);
	strip_home(s->container_path ? s->container_path : "", b->path, sizeof(b->path), false);
	snprintf(b->container_sha256, sizeof(b->container_sha256), "%s", s->container_sha256 ? s->container_sha256 : "");
	snprintf(b->model, sizeof(b->model), "%s", s->model ? s->model : "");
	snprintf(b->bios, sizeof(b->bios), "%s", s->bios_version ? s->bios_version : "");
	b->offset = s->offset;
	b->has_subsys = s->has_subsys;
	b->sub_vendor = s->sub_vendor;
	b->sub_device = s->sub_device;
	snprintf(r.added, sizeof(r.added), "%s", added ? added : "");
	snprintf(r.version, sizeof(r.version), "%s", OD_VERSION);
	od_source chk = { .container_name = b->container, .container_path = b->path, .model = b->model,
			  .bios_version = b->bios, .obtained = b->obtained,
			  .container_sha256 = b->container_sha256[0] ? b->container_sha256 : NULL };
	size_t len = 0;
	if ((k->rc = od_source_check(&chk, k->e)) == OD_OK && (len = od_record_write(&r, text, sizeof(text))) == 0)
		k->rc = od_fail(k->e, OD_E_FORMAT, 0, "source record does not fit %u bytes", OD_RECORD_MAX);
	if (k->rc) {
		od_err_prefix(k->e, "image %.12s: a source import would refuse", k->sha);
		return 1;
	}
	char sha[65], name[80];
	od_sha256_hex(text, len, sha);
	snprintf(name, sizeof(name), "%s.json", sha);
	bool created;
	if ((k->rc = write_at(k->srcdir, name, text, len, &created, k->e)))
		return 1;
	k->c->sources++;
	k->c->new_sources += created;
	return 0;
}

/* Writes the image file and opens sources/<sha>/ for its records
 * (fds: top, images, VVVV, DDDD, sources, <sha>; closed by the caller). */
static int put_image(const char *dir, od_span rom, const char *sha, int fds[6], od_repo_counts *c, od_err *e)
{
	int rc = od_rom_check_whole(rom, e);
	if (rc)
		return od_err_prefix(e, "image %.12s is not a whole option ROM: import would refuse it, not contributed", sha);
	od_image_meta m;
	od_image_meta_from_rom(rom.p, rom.len, &m);
	char vv[8], dd[8], name[80];
	snprintf(vv, sizeof(vv), "%04x", m.vendor);
	snprintf(dd, sizeof(dd), "%04x", m.device);
	snprintf(name, sizeof(name), "%s.rom", sha);
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return io_fail(e, "cannot create", dir);
	if ((fds[0] = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return io_fail(e, "cannot open folder", dir);
	bool created = false;
	OD_TRY(sub_dir(fds[0], "images", true, &fds[1], e));
	OD_TRY(sub_dir(fds[1], vv, true, &fds[2], e));
	OD_TRY(sub_dir(fds[2], dd, true, &fds[3], e));
	OD_TRY(write_at(fds[3], name, rom.p, rom.len, &created, e));
	c->images++;
	c->new_images += created;
	OD_TRY(sub_dir(fds[0], "sources", true, &fds[4], e));
	return sub_dir(fds[4], sha, true, &fds[5], e);
}

static void close_all(int fds[6])
{
	for (int i = 0; i < 6; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

int od_repo_contribute(od_db *db, const char *dir, const od_image_row *row, od_repo_counts *c, od_err *e)
{
	uint8_t *bytes;
	size_t len;
	OD_TRY(od_db_bytes(db, row->id, &bytes, &len, e));
	int fds[6] = { -1, -1, -1, -1, -1, -1 };
	int rc = put_image(dir, od_span_make(bytes, len, 0), row->sha256, fds, c, e);
	free(bytes);
	if (!rc) {
		contrib k = { fds[5], row->sha256, c, e, OD_OK };
		od_err se;
		od_err_clear(&se);
		if (od_db_sources(db, row->id, put_source, &k, &se))
			rc = se.code, *e = se;
		else
			rc = k.rc;
	}
	close_all(fds);
	return rc;
}

int od_repo_put(const char *dir, od_span rom, const od_source *src, const char *added, od_repo_counts *c, od_err *e)
{
	char sha[65];
	od_sha256_hex(rom.p, rom.len, sha);
	int fds[6] = { -1, -1, -1, -1, -1, -1 };
	int rc = put_image(dir, od_span_make(rom.p, rom.len, 0), sha, fds, c, e);
	if (!rc) {
		contrib k = { fds[5], sha, c, e, OD_OK };
		put_source(src, added, &k);
		rc = k.rc;
	}
	close_all(fds);
	return rc;
}

/* --- import --- */

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The sorted entries of a folder (no "." names: git's and ours are skipped). */
static int list_dir(int dfd, char ***names, size_t *n, od_err *e)
{
	*names = NULL;
	*n = 0;
	int fd = dup(dfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return io_fail(e, "cannot list", "folder");
	}
	size_t cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			char **p = realloc(*names, cap * sizeof(char *));
			if (!p)
				break;
			*names = p;
		}
		(*names)[(*n)++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(*names, *n, sizeof(char *), by_name);
	return OD_OK;
}

static void free_list(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static bool hex_name(const char *s, size_t n, const char *suffix)
{
	return strlen(s) == n + strlen(suffix) && strspn(s, "0123456789abcdef") == n && !strcmp(s + n, suffix);
}

typedef struct walker {
	od_db *db;
	od_repo_counts *c;
	od_repo_report rep;
	void *arg;
} walker;

static void refuse(walker *w, const char *rel, od_err *e)
{
	w->c->failed++;
	if (w->rep)
		w->rep(rel, e, w->arg);
}

/* One image file: its name is its hash, its folders its IDs. Returns an
 * error only for the catalogue (which stops the import). */
static int take_image(walker *w, int dfd, const char *vv, const char *dd, const char *name)
{
	char rel[256], sha[65];
	snprintf(rel, sizeof(rel), "images/%s/%s/%s", vv, dd, name);
	od_err e;
	od_err_clear(&e);
	if (!hex_name(name, 64, ".rom")) {
		od_fail_nooff(&e, OD_E_FORMAT, "not named <sha256>.rom");
		refuse(w, rel, &e);
		return OD_OK;
	}
	memcpy(sha, name, 64);
	sha[64] = 0;
	bool have;
	OD_TRY(od_db_has_image(w->db, sha, &have, &e));
	w->c->images++;
	if (have) {
		w->c->skipped++;
		return OD_OK;
	}
	uint8_t *data;
	size_t len;
	if (read_at(dfd, name, OD_BUNDLE_IMAGE_MAX, &data, &len, &e)) {
		refuse(w, rel, &e);
		return OD_OK;
	}
	char got[65];
	od_sha256_hex(data, len, got);
	od_image_meta m;
	int rc = OD_OK;
	if (strcmp(got, sha)) {
		od_fail_nooff(&e, OD_E_CHECKSUM, "contents hash to %.12s, not to the file's name", got);
	} else if (!od_rom_check_whole(od_span_make(data, len, 0), &e)) {
		od_image_meta_from_rom(data, len, &m);
		char v[8], d[8];
		snprintf(v, sizeof(v), "%04x", m.vendor);
		snprintf(d, sizeof(d), "%04x", m.device);
		if (strcmp(v, vv) || strcmp(d, dd)) {
			od_fail_nooff(&e, OD_E_FORMAT, "the ROM is %s:%s, filed under %s/%s", v, d, vv, dd);
		} else {
			bool inew, snew;
			rc = od_db_add(w->db, data, len, &m, NULL, &inew, &snew, &e);
			w->c->new_images += inew;
			free(data);
			if (rc && w->rep)
				w->rep(rel, &e, w->arg);
			return rc;
		}
	} else {
		od_err_prefix(&e, "not a whole option ROM");
	}
	free(data);
	refuse(w, rel, &e);
	return OD_OK;
}

static int take_record(walker *w, int dfd, const char *image, const char *name)
{
	char rel[256], sha[65];
	snprintf(rel, sizeof(rel), "sources/%s/%s", image, name);
	od_err e;
	od_err_clear(&e);
	if (!hex_name(name, 64, ".json")) {
		od_fail_nooff(&e, OD_E_FORMAT, "not named <sha256>.json");
		refuse(w, rel, &e);
		return OD_OK;
	}
	memcpy(sha, name, 64);
	sha[64] = 0;
	bool seen;
	OD_TRY(od_db_record_seen(w->db, sha, &seen, &e));
	w->c->sources++;
	if (seen) {
		w->c->skipped++;
		return OD_OK;
	}
	uint8_t *data;
	size_t len;
	if (read_at(dfd, name, OD_RECORD_MAX, &data, &len, &e)) {
		refuse(w, rel, &e);
		return OD_OK;
	}
	char got[65];
	od_sha256_hex(data, len, got);
	static _Thread_local od_record r;
	bool have = false;
	int bad = OD_OK;
	if (strcmp(got, sha)) {
		bad = od_fail_nooff(&e, OD_E_CHECKSUM, "contents hash to %.12s, not to the file's name", got);
	} else {
		bad = od_record_parse(od_span_make(data, len, 0), &r, &e);
	}
	free(data);
	if (!bad) {
		if (strcmp(r.src.sha256, image)) {
			bad = od_fail_nooff(&e, OD_E_FORMAT, "record of image %.12s filed under %.12s", r.src.sha256, image);
		} else {
			OD_TRY(od_db_has_image(w->db, image, &have, &e));
			if (!have) {
				bad = od_fail_nooff(&e, OD_E_NOTFOUND, "its image is neither in the catalogue nor in the repository");
			}
		}
	}
	const od_bundle_source *b = &r.src;
	od_source s = { .container_name = b->container[0] ? b->container : NULL,
			.container_sha256 = b->container_sha256[0] ? b->container_sha256 : NULL,
			.container_path = b->path[0] ? b->path : NULL, .offset = b->offset, .obtained = b->obtained,
			.model = b->model, .bios_version = b->bios, .has_subsys = b->has_subsys,
			.sub_vendor = b->sub_vendor, .sub_device = b->sub_device };
	if (!bad)
		bad = od_source_check(&s, &e);
	if (bad) {
		refuse(w, rel, &e);
		return OD_OK;
	}
	bool snew;
	OD_TRY(od_db_merge_source(w->db, image, &s, r.added, &snew, &e));
	OD_TRY(od_db_record_mark(w->db, sha, &e));
	w->c->new_sources += snew;
	return OD_OK;
}

/* Calls fn for each entry of dfd/sub (a folder): names checked by the callee. */
static int each_image_dir(walker *w, int top, od_err *e)
{
	int images;
	if (faccessat(top, "images", F_OK, AT_SYMLINK_NOFOLLOW) != 0)
		return OD_OK;
	OD_TRY(sub_dir(top, "images", false, &images, e));
	char **vs;
	size_t nv;
	int rc = list_dir(images, &vs, &nv, e);
	for (size_t i = 0; i < nv && !rc; i++) {
		int vfd, dfd;
		od_err se;
		od_err_clear(&se);
		if (!hex_name(vs[i], 4, "") || sub_dir(images, vs[i], false, &vfd, &se)) {
			char rel[300];
			snprintf(rel, sizeof(rel), "images/%s", vs[i]);
			if (!se.msg[0])
				od_fail_nooff(&se, OD_E_FORMAT, "not a vendor folder (4 lower-case hex digits)");
			refuse(w, rel, &se);
			continue;
		}
		char **ds;
		size_t nd;
		rc = list_dir(vfd, &ds, &nd, e);
		for (size_t j = 0; j < nd && !rc; j++) {
			od_err_clear(&se);
			if (!hex_name(ds[j], 4, "") || sub_dir(vfd, ds[j], false, &dfd, &se)) {
				char rel[300];
				snprintf(rel, sizeof(rel), "images/%s/%s", vs[i], ds[j]);
				if (!se.msg[0])
					od_fail_nooff(&se, OD_E_FORMAT, "not a device folder (4 lower-case hex digits)");
				refuse(w, rel, &se);
				continue;
			}
			char **fs;
			size_t nf;
			rc = list_dir(dfd, &fs, &nf, e);
			for (size_t k = 0; k < nf && !rc; k++)
				rc = take_image(w, dfd, vs[i], ds[j], fs[k]);
			free_list(fs, nf);
			close(dfd);
		}
		free_list(ds, nd);
		close(vfd);
	}
	free_list(vs, nv);
	close(images);
	return rc;
}

static int each_source_dir(walker *w, int top, od_err *e)
{
	int sources;
	if (faccessat(top, "sources", F_OK, AT_SYMLINK_NOFOLLOW) != 0)
		return OD_OK;
	OD_TRY(sub_dir(top, "sources", false, &sources, e));
	char **is;
	size_t ni;
	int rc = list_dir(sources, &is, &ni, e);
	for (size_t i = 0; i < ni && !rc; i++) {
		int ifd;
		od_err se;
		od_err_clear(&se);
		if (!hex_name(is[i], 64, "") || sub_dir(sources, is[i], false, &ifd, &se)) {
			char rel[300];
			snprintf(rel, sizeof(rel), "sources/%s", is[i]);
			if (!se.msg[0])
				od_fail_nooff(&se, OD_E_FORMAT, "not an image folder (a SHA-256)");
			refuse(w, rel, &se);
			continue;
		}
		char **fs;
		size_t nf;
		rc = list_dir(ifd, &fs, &nf, e);
		for (size_t k = 0; k < nf && !rc; k++)
			rc = take_record(w, ifd, is[i], fs[k]);
		free_list(fs, nf);
		close(ifd);
	}
	free_list(is, ni);
	close(sources);
	return rc;
}

int od_repo_import(od_db *db, const char *dir, od_repo_counts *c, od_repo_report rep, void *arg, od_err *e)
{
	memset(c, 0, sizeof(*c));
	int top = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (top < 0)
		return io_fail(e, "cannot open folder", dir);
	walker w = { db, c, rep, arg };
	int rc = od_db_begin(db, e);
	/* Images first: every record names an image that must be stored. */
	if (!rc && !(rc = each_image_dir(&w, top, e)) && !(rc = each_source_dir(&w, top, e)))
		rc = od_db_commit(db, e);
	if (rc)
		od_db_rollback(db);
	close(top);
	return rc;
}
