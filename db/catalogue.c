/* SPDX-License-Identifier: BSD-2-Clause */
/* The catalogue (SQLite): schema, migrations, ingest and queries. */
#include "catalogue.h"

#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "nvidia.h"
#include "optionrom.h"

/* Statements of the ingest path, prepared once per connection (preparing
 * them per row was most of an import's time). */
enum { ST_IMAGE_ID, ST_INSERT_IMAGE, ST_INSERT_SOURCE, ST_N };

struct od_db {
	sqlite3 *h;
	int schema; /* user_version after open: an older read-only catalogue is queried the old way */
	sqlite3_stmt *st[ST_N];
	char path[PATH_MAX];
};

/* The cached statement for slot, reset and unbound; NULL on error. */
static sqlite3_stmt *cached(od_db *db, int slot, const char *sql)
{
	if (!db->st[slot] && sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &db->st[slot], NULL) != SQLITE_OK)
		return NULL;
	sqlite3_reset(db->st[slot]);
	sqlite3_clear_bindings(db->st[slot]);
	return db->st[slot];
}

/* How many independent sources saw image ID: distinct containers (by hash,
 * by name where no hash was recorded) and distinct models. */
#define SOURCE_COUNTS(ID)                                                                                        \
	"n_containers = (SELECT count(DISTINCT coalesce(nullif(s.container_sha256, ''), s.container_name))"      \
	" FROM sources s WHERE s.image_id = " ID "),"                                                            \
	" n_models = (SELECT count(DISTINCT nullif(s.model, '')) FROM sources s WHERE s.image_id = " ID ")"

/* Forward migrations: entry i brings user_version i to i + 1. */
static const char *const migrations[] = {
	"CREATE TABLE images ("
	"  id INTEGER PRIMARY KEY,"
	"  sha256 TEXT NOT NULL UNIQUE,"
	"  size INTEGER NOT NULL,"
	"  bytes BLOB NOT NULL,"
	"  vendor INTEGER NOT NULL, device INTEGER NOT NULL, class INTEGER NOT NULL,"
	"  sub_vendor INTEGER, sub_device INTEGER,"
	"  version TEXT, kinds TEXT, is_vbios INTEGER NOT NULL,"
	"  first_seen TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	"CREATE INDEX images_ids ON images(vendor, device, sub_vendor, sub_device);"
	"CREATE TABLE sources ("
	"  id INTEGER PRIMARY KEY,"
	"  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,"
	"  container_name TEXT, container_sha256 TEXT, container_path TEXT, offset INTEGER,"
	"  obtained TEXT NOT NULL CHECK (obtained IN ('update','spi','host','rom','bundle')),"
	"  model TEXT, bios_version TEXT, sub_vendor INTEGER, sub_device INTEGER,"
	"  added TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	"  UNIQUE (image_id, container_sha256, container_path, offset, model, bios_version));"
	"CREATE INDEX sources_image ON sources(image_id);"
	"CREATE INDEX sources_subsys ON sources(sub_vendor, sub_device);",
	/* 1 -> 2: source records already taken from catalogue repositories
	 * (their file names are their hashes): `import DIR` skips them. */
	"CREATE TABLE repo_records (sha256 TEXT PRIMARY KEY) WITHOUT ROWID;",
	/* 2 -> 3: lookup p99 at 1M images. A device's images were scattered
	 * over the table and each row cost two count(DISTINCT) subqueries on
	 * scattered sources: every lookup touched hundreds of cold pages. The
	 * counts now live on the image (kept by triggers, so every ingest path
	 * and any merge order give the same values: they are functions of the
	 * set of sources) and one covering index holds a device's rows side by
	 * side, so a lookup reads a few adjacent index pages. */
	"ALTER TABLE images ADD COLUMN n_containers INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE images ADD COLUMN n_models INTEGER NOT NULL DEFAULT 0;"
	/* Inserts count up (a recount per source made ingest 4x slower): a new
	 * source adds a container, or a model, only if no other source of the
	 * image has it, which gives the distinct counts in any order. Sources
	 * are never updated in the columns counted (od_db_merge_source keeps
	 * dates, kind and subsystem); a delete recounts. */
	"CREATE TRIGGER sources_count_ins AFTER INSERT ON sources BEGIN"
	"  UPDATE images SET n_containers = n_containers + NOT EXISTS (SELECT 1 FROM sources s"
	"   WHERE s.image_id = NEW.image_id AND s.id != NEW.id AND coalesce(nullif(s.container_sha256, ''), s.container_name)"
	"   IS coalesce(nullif(NEW.container_sha256, ''), NEW.container_name)),"
	"  n_models = n_models + (nullif(NEW.model, '') IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sources s"
	"   WHERE s.image_id = NEW.image_id AND s.id != NEW.id AND s.model = NEW.model))"
	"  WHERE id = NEW.image_id; END;"
	"CREATE TRIGGER sources_count_del AFTER DELETE ON sources BEGIN"
	"  UPDATE images SET " SOURCE_COUNTS("OLD.image_id") " WHERE id = OLD.image_id; END;"
	"UPDATE images SET " SOURCE_COUNTS("images.id") ";"
	"DROP INDEX images_ids;"
	"CREATE INDEX images_lookup ON images(vendor, device, n_containers, n_models, is_vbios, size, sha256, class,"
	"  sub_vendor, sub_device, version, kinds, first_seen);",
};
#define NMIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

static int sqlerr(od_db *db, od_err *e, const char *what)
{
	od_fail_nooff(e, OD_E_IO, "%s: %s (%s)", what, db && db->h ? sqlite3_errmsg(db->h) : "no database", db ? db->path : "");
	return OD_E_IO;
}

const char *od_db_default_path(const char *explicit_path, char *buf, size_t n)
{
	const char *env = getenv("OPTIMUS_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	if (explicit_path && *explicit_path)
		snprintf(buf, n, "%s", explicit_path);
	else if (env && *env)
		snprintf(buf, n, "%s", env);
	else if (xdg && *xdg)
		snprintf(buf, n, "%s/optimus-db/catalogue.db", xdg);
	else
		snprintf(buf, n, "%s/.local/share/optimus-db/catalogue.db", home && *home ? home : ".");
	return buf;
}

/* mkdir -p for the catalogue's folder. */
static int make_parent(const char *path, od_err *e)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return OD_OK;
	*slash = 0;
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			break;
		*p = '/';
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		od_fail_nooff(e, OD_E_IO, "cannot create %s: %s", dir, strerror(errno));
		return OD_E_IO;
	}
	return OD_OK;
}

static int exec(od_db *db, const char *sql, od_err *e)
{
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sqlerr(db, e, "SQL");
	return OD_OK;
}

/* The first read of the file: where a file that is no catalogue, a damaged
 * one or an unreadable one shows. SQLite's own error is the message (the
 * schema version of a file that could not be read is not 0). */
static int open_error(od_db *db, int code, od_err *e)
{
	const char *msg = sqlite3_errmsg(db->h);
	if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) {
		od_fail_nooff(e, OD_E_FORMAT, "%s is corrupt or not an optimus-db catalogue: %s", db->path, msg);
		return OD_E_FORMAT;
	}
	od_fail_nooff(e, OD_E_IO, "cannot read catalogue %s: %s", db->path, msg);
	return OD_E_IO;
}

static int user_version(od_db *db, int *v, od_err *e)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return open_error(db, sqlite3_extended_errcode(db->h) & 0xff, e);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = open_error(db, sqlite3_extended_errcode(db->h) & 0xff, e);
		sqlite3_finalize(st);
		return rc;
	}
	*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return OD_OK;
}

static int migrate(od_db *db, bool readonly, od_err *e)
{
	int v;
	OD_TRY(user_version(db, &v, e));
	if (v > (int)NMIGRATIONS) {
		od_fail_nooff(e, OD_E_IO,
			      "%s has catalogue schema %d, newer than this optimus-db understands (%d): upgrade optimus-db",
			      db->path, v, (int)NMIGRATIONS);
		return OD_E_IO;
	}
	/* Readers need nothing newer than schema 1 (2 adds what import DIR
	 * writes): an older catalogue stays readable without an upgrade. */
	db->schema = v;
	if (v == (int)NMIGRATIONS || (readonly && v >= 1))
		return OD_OK;
	if (readonly && v == 0) {
		/* Schema 0 was never a catalogue: migration 0 creates the tables. */
		od_fail_nooff(e, OD_E_FORMAT, "%s is not an optimus-db catalogue (an empty file or another program's SQLite database)",
			db->path);
		return OD_E_FORMAT;
	}
	if (readonly) {
		od_fail_nooff(e, OD_E_IO, "%s needs a schema upgrade (%d -> %d) but is opened read-only", db->path, v,
			(int)NMIGRATIONS);
		return OD_E_IO;
	}
	OD_TRY(exec(db, "BEGIN IMMEDIATE", e));
	/* Read again under the write lock: another process may have created or
	 * migrated the catalogue since (four first-time adds at once). */
	if (user_version(db, &v, e)) {
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		return e->code;
	}
	for (; v < (int)NMIGRATIONS; v++) {
		char set[64];
		snprintf(set, sizeof(set), "PRAGMA user_version = %d", v + 1);
		if (exec(db, migrations[v], e) || exec(db, set, e)) {
			sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
			return e->code;
		}
	}
	db->schema = v;
	return exec(db, "COMMIT", e);
}

/* "file:<path>?immutable=1" with the path percent-encoded (RFC 3986). */
static void immutable_uri(const char *path, char *out, size_t n)
{
	static const char hx[] = "0123456789ABCDEF";
	size_t k = (size_t)snprintf(out, n, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p && k + 4 < n; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("/-._~", *p)) {
			out[k++] = (char)*p;
		} else {
			out[k++] = '%';
			out[k++] = hx[*p >> 4];
			out[k++] = hx[*p & 15];
		}
	}
	snprintf(out + k, n - k, "?immutable=1");
}

/* A WAL catalogue read by a user who cannot write its folder (a shared,
 * root-owned catalogue): SQLite cannot create the -shm file it needs. When
 * no -wal file exists the database file holds every committed transaction,
 * so it is opened immutable (no locks, no -shm); a writer appearing meanwhile
 * is not seen by this read, which is the price of a read-only folder. */
static bool wants_immutable(const char *path)
{
	char dir[PATH_MAX], wal[PATH_MAX + 8];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = 0;
	else
		snprintf(dir, sizeof(dir), ".");
	snprintf(wal, sizeof(wal), "%s-wal", path);
	return access(dir, W_OK) != 0 && access(wal, F_OK) != 0;
}

static int open_handle(od_db *db, bool readonly, bool immutable, od_err *e)
{
	char uri[3 * PATH_MAX + 32];
	int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (immutable)
		immutable_uri(db->path, uri, sizeof(uri));
	if (sqlite3_open_v2(immutable ? uri : db->path, &db->h, flags | (immutable ? SQLITE_OPEN_URI : 0), NULL) !=
	    SQLITE_OK) {
		sqlerr(db, e, "cannot open catalogue");
		return OD_E_IO;
	}
	sqlite3_busy_timeout(db->h, 10000);
	/* mmap reads keep lookups off the read() path: p99 at 1M rows. */
	return exec(db, "PRAGMA foreign_keys = ON; PRAGMA mmap_size = 268435456", e);
}

/* Switching a new catalogue to WAL needs the file to itself: SQLite reports
 * SQLITE_BUSY there without calling the busy handler while another process
 * is creating or migrating it (concurrent first-time adds), so wait here,
 * as long as the busy timeout would. Already WAL: nothing to switch. */
static int set_wal(od_db *db, od_err *e)
{
	for (int tries = 0;; tries++) {
		sqlite3_stmt *st;
		int rc = sqlite3_prepare_v2(db->h, "PRAGMA journal_mode = WAL", -1, &st, NULL);
		if (rc == SQLITE_OK) {
			rc = sqlite3_step(st);
			sqlite3_finalize(st);
		}
		if (rc == SQLITE_ROW || rc == SQLITE_DONE)
			return OD_OK;
		if ((rc & 0xff) != SQLITE_BUSY || tries >= 1000)
			return sqlerr(db, e, "switching the catalogue to WAL");
		sqlite3_sleep(10);
	}
}

int od_db_open(const char *path, bool readonly, od_db **out, od_err *e)
{
	od_db *db = calloc(1, sizeof(*db));
	if (!db)
		return od_fail(e, OD_E_NOMEM, 0, "db");
	snprintf(db->path, sizeof(db->path), "%s", path);
	if (!readonly && access(path, F_OK) != 0 && make_parent(path, e)) {
		free(db);
		return e->code;
	}
	if (readonly && access(path, R_OK) != 0) {
		if (errno == ENOENT)
			od_fail(e, OD_E_IO, 0, "no catalogue at %s (run 'optimus-db add' first)", path);
		else
			od_fail_nooff(e, OD_E_IO, "cannot read catalogue %s: %s", path, strerror(errno));
		free(db);
		return OD_E_IO;
	}
	int v, rc = open_handle(db, readonly, false, e);
	if (!rc)
		rc = user_version(db, &v, e);
	if (rc == OD_E_IO && readonly && db->h && wants_immutable(path)) {
		sqlite3_close(db->h);
		db->h = NULL;
		od_err_clear(e);
		rc = open_handle(db, readonly, true, e);
		if (!rc)
			rc = user_version(db, &v, e);
	}
	if (!rc && !readonly)
		rc = set_wal(db, e);
	if (!rc)
		rc = migrate(db, readonly, e);
	if (rc) {
		od_db_close(db);
		return rc;
	}
	*out = db;
	return OD_OK;
}

void od_db_close(od_db *db)
{
	if (!db)
		return;
	for (int i = 0; i < ST_N; i++)
		sqlite3_finalize(db->st[i]);
	sqlite3_close(db->h);
	free(db);
}

int od_db_begin(od_db *db, od_err *e) { return exec(db, "BEGIN IMMEDIATE", e); }
int od_db_commit(od_db *db, od_err *e) { return exec(db, "COMMIT", e); }
void od_db_rollback(od_db *db) { sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL); }

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static int image_id(od_db *db, const char *sha, int64_t *id, od_err *e)
{
	sqlite3_stmt *st = cached(db, ST_IMAGE_ID, "SELECT id FROM images WHERE sha256 = ?");
	if (!st)
		return sqlerr(db, e, "lookup");
	bind_text(st, 1, sha);
	int rc = sqlite3_step(st);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	/* An error is not "no such image" (that would insert it twice). */
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? OD_OK : sqlerr(db, e, "lookup");
	sqlite3_reset(st);
	return rc;
}

static int insert_image(od_db *db, const char *sha, const uint8_t *rom, size_t len, const od_image_meta *m,
			int64_t *id, od_err *e)
{
	const char *sql = "INSERT INTO images (sha256, size, bytes, vendor, device, class, sub_vendor, sub_device,"
			  " version, kinds, is_vbios) VALUES (?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *st = cached(db, ST_INSERT_IMAGE, sql);
	if (!st)
		return sqlerr(db, e, "insert");
	bind_text(st, 1, sha);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)len);
	sqlite3_bind_blob64(st, 3, rom, len, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, m->vendor);
	sqlite3_bind_int(st, 5, m->device);
	sqlite3_bind_int(st, 6, (int)m->class_code);
	if (m->has_subsys) {
		sqlite3_bind_int(st, 7, m->sub_vendor);
		sqlite3_bind_int(st, 8, m->sub_device);
	}
	bind_text(st, 9, m->version[0] ? m->version : NULL);
	bind_text(st, 10, m->kinds);
	sqlite3_bind_int(st, 11, m->is_vbios);
	int rc = sqlite3_step(st) == SQLITE_DONE ? OD_OK : sqlerr(db, e, "insert image");
	sqlite3_reset(st);
	*id = sqlite3_last_insert_rowid(db->h);
	return rc;
}

static int insert_source(od_db *db, int64_t id, const od_source *s, bool *is_new, od_err *e)
{
	const char *sql = "INSERT OR IGNORE INTO sources (image_id, container_name, container_sha256, container_path,"
			  " offset, obtained, model, bios_version, sub_vendor, sub_device) VALUES (?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *st = cached(db, ST_INSERT_SOURCE, sql);
	if (!st)
		return sqlerr(db, e, "insert");
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, s->container_name);
	bind_text(st, 3, s->container_sha256);
	bind_text(st, 4, s->container_path);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)s->offset);
	bind_text(st, 6, s->obtained ? s->obtained : "update");
	/* UNIQUE treats NULLs as distinct: store "" so re-adds stay idempotent. */
	bind_text(st, 7, s->model ? s->model : "");
	bind_text(st, 8, s->bios_version ? s->bios_version : "");
	if (s->has_subsys) {
		sqlite3_bind_int(st, 9, s->sub_vendor);
		sqlite3_bind_int(st, 10, s->sub_device);
	}
	int rc = sqlite3_step(st) == SQLITE_DONE ? OD_OK : sqlerr(db, e, "insert source");
	*is_new = rc == OD_OK && sqlite3_changes(db->h) > 0;
	sqlite3_reset(st);
	return rc;
}

int od_db_add(od_db *db, const uint8_t *rom, size_t len, const od_image_meta *m, const od_source *src,
	      bool *image_new, bool *source_new, od_err *e)
{
	char sha[65];
	od_sha256_hex(rom, len, sha);
	int64_t id;
	OD_TRY(image_id(db, sha, &id, e));
	*image_new = id == 0;
	if (id == 0)
		OD_TRY(insert_image(db, sha, rom, len, m, &id, e));
	*source_new = false;
	return src ? insert_source(db, id, src, source_new, e) : OD_OK;
}

int od_db_add_source(od_db *db, const char *sha, const od_source *src, bool *source_new, od_err *e)
{
	int64_t id;
	OD_TRY(image_id(db, sha, &id, e));
	if (id == 0) {
		od_fail_nooff(e, OD_E_NOTFOUND, "no image %.12s for this source", sha);
		return OD_E_NOTFOUND;
	}
	return insert_source(db, id, src, source_new, e);
}

int od_db_has_image(od_db *db, const char *sha, bool *yes, od_err *e)
{
	int64_t id;
	OD_TRY(image_id(db, sha, &id, e));
	*yes = id != 0;
	return OD_OK;
}

/* Runs sql with text parameters (NULL binds NULL); *changed = rows changed,
 * *row = whether a SELECT produced a row (then col0 is copied out). */
static int run_text(od_db *db, const char *sql, const char *const *args, int nargs, bool *row, od_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return sqlerr(db, e, "SQL");
	for (int i = 0; i < nargs; i++)
		bind_text(st, i + 1, args[i]);
	int rc = sqlite3_step(st);
	if (row)
		*row = rc == SQLITE_ROW;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? OD_OK : sqlerr(db, e, "SQL");
	sqlite3_finalize(st);
	return rc;
}

int od_db_record_seen(od_db *db, const char *sha, bool *seen, od_err *e)
{
	const char *a[] = { sha };
	return run_text(db, "SELECT 1 FROM repo_records WHERE sha256 = ?", a, 1, seen, e);
}

int od_db_record_mark(od_db *db, const char *sha, od_err *e)
{
	const char *a[] = { sha };
	return run_text(db, "INSERT OR IGNORE INTO repo_records (sha256) VALUES (?)", a, 1, NULL, e);
}

int od_db_merge_source(od_db *db, const char *sha, const od_source *s, const char *added, bool *source_new, od_err *e)
{
	int64_t id;
	if (added && !*added)
		added = NULL;
	OD_TRY(image_id(db, sha, &id, e));
	if (id == 0) {
		od_fail_nooff(e, OD_E_NOTFOUND, "no image %.12s for this source", sha);
		return OD_E_NOTFOUND;
	}
	/* The same place (the sources' UNIQUE key, NULLs equal) seen again:
	 * keep the earliest date, the least obtained kind and subsystem, so the
	 * result does not depend on which record came first. */
	const char *sel = "SELECT id FROM sources WHERE image_id = ?1 AND container_sha256 IS ?2 AND container_path IS ?3"
			  " AND offset = ?4 AND model IS ?5 AND bios_version IS ?6";
	const char *upd =
		"UPDATE sources SET added = min(added, coalesce(?2, added)), obtained = min(obtained, ?3),"
		" sub_device = CASE WHEN ?4 IS NOT NULL AND (sub_vendor IS NULL OR ?4 * 65536 + ?5 < sub_vendor * 65536 + sub_device)"
		"  THEN ?5 ELSE sub_device END,"
		" sub_vendor = CASE WHEN ?4 IS NOT NULL AND (sub_vendor IS NULL OR ?4 * 65536 + ?5 < sub_vendor * 65536 + sub_device)"
		"  THEN ?4 ELSE sub_vendor END"
		" WHERE id = ?1";
	const char *ins = "INSERT INTO sources (image_id, container_name, container_sha256, container_path, offset, obtained,"
			  " model, bios_version, sub_vendor, sub_device, added)"
			  " VALUES (?,?,?,?,?,?,?,?,?,?, coalesce(?, strftime('%Y-%m-%dT%H:%M:%SZ','now')))";
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h, sel, -1, &st, NULL) != SQLITE_OK)
		return sqlerr(db, e, "merge");
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, s->container_sha256);
	bind_text(st, 3, s->container_path);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)s->offset);
	bind_text(st, 5, s->model ? s->model : "");
	bind_text(st, 6, s->bios_version ? s->bios_version : "");
	int rc = sqlite3_step(st);
	int64_t sid = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sqlerr(db, e, "merge");
	*source_new = sid == 0;
	if (sqlite3_prepare_v2(db->h, sid ? upd : ins, -1, &st, NULL) != SQLITE_OK)
		return sqlerr(db, e, "merge");
	if (sid) {
		sqlite3_bind_int64(st, 1, sid);
		bind_text(st, 2, added);
		bind_text(st, 3, s->obtained);
		if (s->has_subsys) {
			sqlite3_bind_int(st, 4, s->sub_vendor);
			sqlite3_bind_int(st, 5, s->sub_device);
		}
	} else {
		sqlite3_bind_int64(st, 1, id);
		bind_text(st, 2, s->container_name);
		bind_text(st, 3, s->container_sha256);
		bind_text(st, 4, s->container_path);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)s->offset);
		bind_text(st, 6, s->obtained);
		bind_text(st, 7, s->model ? s->model : "");
		bind_text(st, 8, s->bios_version ? s->bios_version : "");
		if (s->has_subsys) {
			sqlite3_bind_int(st, 9, s->sub_vendor);
			sqlite3_bind_int(st, 10, s->sub_device);
		}
		bind_text(st, 11, added);
	}
	rc = sqlite3_step(st) == SQLITE_DONE ? OD_OK : sqlerr(db, e, "merge");
	sqlite3_finalize(st);
	if (rc)
		return rc;
	/* An image was first seen when its earliest source was. */
	if (sqlite3_prepare_v2(db->h, "UPDATE images SET first_seen = min(first_seen, coalesce(?2, first_seen)) WHERE id = ?1", -1, &st, NULL) !=
	    SQLITE_OK)
		return sqlerr(db, e, "merge");
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, added);
	rc = sqlite3_step(st) == SQLITE_DONE ? OD_OK : sqlerr(db, e, "merge");
	sqlite3_finalize(st);
	return rc;
}

static void row_from(sqlite3_stmt *st, od_image_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	snprintf(r->sha256, sizeof(r->sha256), "%s", (const char *)sqlite3_column_text(st, 1));
	r->size = sqlite3_column_int64(st, 2);
	r->meta.vendor = (uint16_t)sqlite3_column_int(st, 3);
	r->meta.device = (uint16_t)sqlite3_column_int(st, 4);
	r->meta.class_code = (uint32_t)sqlite3_column_int(st, 5);
	if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
		r->meta.has_subsys = true;
		r->meta.sub_vendor = (uint16_t)sqlite3_column_int(st, 6);
		r->meta.sub_device = (uint16_t)sqlite3_column_int(st, 7);
	}
	const unsigned char *v = sqlite3_column_text(st, 8), *k = sqlite3_column_text(st, 9);
	snprintf(r->meta.version, sizeof(r->meta.version), "%s", v ? (const char *)v : "");
	snprintf(r->meta.kinds, sizeof(r->meta.kinds), "%s", k ? (const char *)k : "");
	r->meta.is_vbios = sqlite3_column_int(st, 10) != 0;
	snprintf(r->first_seen, sizeof(r->first_seen), "%s", (const char *)sqlite3_column_text(st, 11));
	r->match = sqlite3_column_count(st) > 14 ? sqlite3_column_int(st, 12) : 0;
	if (r->match) {
		r->containers = sqlite3_column_int(st, 13);
		r->models = sqlite3_column_int(st, 14);
	}
}

#define IMAGE_COLS "i.id, i.sha256, i.size, i.vendor, i.device, i.class, i.sub_vendor, i.sub_device, i.version, i.kinds, i.is_vbios, i.first_seen"

static int each_row(od_db *db, sqlite3_stmt *st, od_image_cb cb, void *arg, od_err *e)
{
	int rc, n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		od_image_row r;
		row_from(st, &r);
		n++;
		if (cb(&r, arg))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sqlite3_finalize(st);
		return sqlerr(db, e, "query");
	}
	sqlite3_finalize(st);
	if (n == 0) {
		od_fail_nooff(e, OD_E_NOTFOUND, "no matching image in the catalogue");
		return OD_E_NOTFOUND;
	}
	return OD_OK;
}

int od_db_lookup(od_db *db, uint16_t vendor, uint16_t device, uint16_t sv, uint16_t sd, od_image_cb cb, void *arg,
		 od_err *e)
{
	/* Rank 2: the image or one of its sources carries the asked subsystem
	 * IDs; rank 1: same vendor:device. Then how many independent sources
	 * saw it. Schema 3: all from the covering index images_lookup, plus one
	 * range of sources_subsys for the set of images some source saw with
	 * those IDs (not correlated: read once). Older read-only catalogues
	 * count per row, as they always did. */
	static const char *const sql3 =
		"SELECT " IMAGE_COLS ", CASE WHEN ?3 != 0 AND ((i.sub_vendor = ?3 AND i.sub_device = ?4) OR i.id IN"
		" (SELECT s.image_id FROM sources s WHERE s.sub_vendor = ?3 AND s.sub_device = ?4))"
		" THEN 2 ELSE 1 END AS rank, i.n_containers, i.n_models"
		" FROM images i INDEXED BY images_lookup WHERE i.vendor = ?1 AND i.device = ?2"
		" ORDER BY rank DESC, i.n_containers DESC, i.n_models DESC, i.is_vbios DESC, i.size DESC, i.sha256";
	static const char *const sql1 =
		"SELECT " IMAGE_COLS ", CASE WHEN ?3 != 0 AND ((i.sub_vendor = ?3 AND i.sub_device = ?4) OR EXISTS"
		" (SELECT 1 FROM sources s WHERE s.image_id = i.id AND +s.sub_vendor = ?3 AND +s.sub_device = ?4))"
		" THEN 2 ELSE 1 END AS rank,"
		" (SELECT count(DISTINCT coalesce(nullif(s.container_sha256, ''), s.container_name)) FROM sources s"
		"  WHERE s.image_id = i.id) AS containers,"
		" (SELECT count(DISTINCT nullif(s.model, '')) FROM sources s WHERE s.image_id = i.id) AS models"
		" FROM images i WHERE i.vendor = ?1 AND i.device = ?2"
		" ORDER BY rank DESC, containers DESC, models DESC, i.is_vbios DESC, i.size DESC, i.sha256";
	const char *sql = db->schema >= 3 ? sql3 : sql1;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return sqlerr(db, e, "lookup");
	sqlite3_bind_int(st, 1, vendor);
	sqlite3_bind_int(st, 2, device);
	sqlite3_bind_int(st, 3, sv);
	sqlite3_bind_int(st, 4, sd);
	return each_row(db, st, cb, arg, e);
}

int od_db_find_prefix(od_db *db, const char *prefix, od_image_cb cb, void *arg, od_err *e)
{
	size_t n = strlen(prefix);
	if (n < 4 || n > 64 || strspn(prefix, "0123456789abcdefABCDEF") != n) {
		od_fail_nooff(e, OD_E_USAGE, "'%s' is not a SHA-256 prefix (4 to 64 hex digits)", prefix);
		return OD_E_USAGE;
	}
	char lo[65], hi[66];
	for (size_t i = 0; i <= n; i++)
		lo[i] = (char)(prefix[i] >= 'A' && prefix[i] <= 'F' ? prefix[i] + 32 : prefix[i]);
	snprintf(hi, sizeof(hi), "%s~", lo); /* '~' sorts after every hex digit: a range scan on the unique index */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h, "SELECT " IMAGE_COLS " FROM images i WHERE i.sha256 >= ? AND i.sha256 < ? ORDER BY i.sha256",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(db, e, "lookup");
	bind_text(st, 1, lo);
	bind_text(st, 2, hi);
	return each_row(db, st, cb, arg, e);
}

int od_db_each_image(od_db *db, od_image_cb cb, void *arg, od_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h, "SELECT " IMAGE_COLS " FROM images i ORDER BY i.sha256", -1, &st, NULL) != SQLITE_OK)
		return sqlerr(db, e, "list");
	return each_row(db, st, cb, arg, e);
}

int od_db_sources(od_db *db, int64_t image_id, od_source_cb cb, void *arg, od_err *e)
{
	sqlite3_stmt *st;
	/* Ordered by content, not by row id: catalogues merged in another order
	 * list the same sources the same way. */
	const char *sql = "SELECT container_name, container_sha256, container_path, offset, obtained, model, bios_version,"
			  " sub_vendor, sub_device, added FROM sources WHERE image_id = ? ORDER BY added, container_sha256,"
			  " container_path, offset, model, bios_version, obtained, sub_vendor, sub_device";
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return sqlerr(db, e, "sources");
	sqlite3_bind_int64(st, 1, image_id);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		od_source s = {
			.container_name = (const char *)sqlite3_column_text(st, 0),
			.container_sha256 = (const char *)sqlite3_column_text(st, 1),
			.container_path = (const char *)sqlite3_column_text(st, 2),
			.offset = (uint64_t)sqlite3_column_int64(st, 3),
			.obtained = (const char *)sqlite3_column_text(st, 4),
			.model = (const char *)sqlite3_column_text(st, 5),
			.bios_version = (const char *)sqlite3_column_text(st, 6),
		};
		if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
			s.has_subsys = true;
			s.sub_vendor = (uint16_t)sqlite3_column_int(st, 7);
			s.sub_device = (uint16_t)sqlite3_column_int(st, 8);
		}
		if (cb(&s, (const char *)sqlite3_column_text(st, 9), arg))
			break;
	}
	/* A read error is not "no more sources" (a bundle would go out short). */
	int rc = step == SQLITE_ROW || step == SQLITE_DONE ? OD_OK : sqlerr(db, e, "sources");
	sqlite3_finalize(st);
	return rc;
}

int od_db_bytes(od_db *db, int64_t id, uint8_t **data, size_t *len, od_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h, "SELECT bytes FROM images WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return sqlerr(db, e, "read");
	sqlite3_bind_int64(st, 1, id);
	int rc = OD_E_NOTFOUND, step = sqlite3_step(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		/* An error is not "no such image". */
		rc = sqlerr(db, e, "read");
		sqlite3_finalize(st);
		return rc;
	}
	if (step == SQLITE_ROW) {
		int n = sqlite3_column_bytes(st, 0);
		*data = malloc(n > 0 ? (size_t)n : 1);
		if (*data) {
			memcpy(*data, sqlite3_column_blob(st, 0), (size_t)n);
			*len = (size_t)n;
			rc = OD_OK;
		} else {
			rc = od_fail(e, OD_E_NOMEM, 0, "image bytes");
		}
	}
	sqlite3_finalize(st);
	if (rc == OD_E_NOTFOUND)
		od_fail(e, rc, 0, "image %lld not found", (long long)id);
	return rc;
}

/* One aggregate; false when it could not be read (-1 in *v). */
static bool scalar(od_db *db, const char *sql, int64_t *v)
{
	sqlite3_stmt *st;
	*v = -1;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return *v >= 0;
}

int od_db_stats_get(od_db *db, od_db_stats *s, od_err *e)
{
	/* Every figure, not only two: a read error is not a count of -1. */
	if (!scalar(db, "SELECT count(*) FROM images", &s->images) ||
	    !scalar(db, "SELECT count(*) FROM images WHERE is_vbios", &s->vbios) ||
	    !scalar(db, "SELECT count(*) FROM images WHERE vendor = 4318", &s->nvidia) ||
	    !scalar(db, "SELECT count(*) FROM sources", &s->sources) ||
	    !scalar(db, "SELECT coalesce(sum(size), 0) FROM images", &s->bytes))
		return sqlerr(db, e, "stats");
	return OD_OK;
}

int od_db_verify(od_db *db, int64_t *checked, int64_t *bad, od_image_cb cb, void *arg, od_err *e)
{
	*checked = *bad = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
		return sqlerr(db, e, "integrity check");
	/* A step that fails is an error reading the file, not damage found. */
	int step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		int rc = sqlerr(db, e, "integrity check");
		sqlite3_finalize(st);
		return rc;
	}
	const char *answer = (const char *)sqlite3_column_text(st, 0);
	bool intact = answer && !strcmp(answer, "ok");
	sqlite3_finalize(st);
	if (!intact) {
		od_fail_nooff(e, OD_E_CHECKSUM, "PRAGMA integrity_check failed on %s", db->path);
		return OD_E_CHECKSUM;
	}
	if (sqlite3_prepare_v2(db->h, "SELECT " IMAGE_COLS ", bytes FROM images i", -1, &st, NULL) != SQLITE_OK)
		return sqlerr(db, e, "verify");
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		od_image_row r;
		row_from(st, &r);
		r.match = 0;
		char sha[65];
		od_sha256_hex(sqlite3_column_blob(st, 12), (size_t)sqlite3_column_bytes(st, 12), sha);
		(*checked)++;
		if (strcmp(sha, r.sha256) != 0 || sqlite3_column_bytes(st, 12) != r.size) {
			(*bad)++;
			if (cb)
				cb(&r, arg);
		}
	}
	/* A read error is not the end of the images ("all intact" of a part). */
	int rc = step == SQLITE_DONE ? OD_OK : sqlerr(db, e, "verify");
	sqlite3_finalize(st);
	return rc;
}

void od_image_meta_from_rom(const uint8_t *rom, size_t len, od_image_meta *m)
{
	memset(m, 0, sizeof(*m));
	od_rom r;
	od_err e;
	od_span s = od_span_make(rom, len, 0);
	if (od_rom_parse(s, &r, &e) || r.nimages == 0)
		return;
	m->vendor = r.img[0].pcir.vendor;
	m->device = r.img[0].pcir.device;
	m->class_code = r.img[0].pcir.class_code;
	m->is_vbios = (m->class_code >> 16) == 0x03;
	bool legacy = false, efi = false, other = false;
	for (unsigned i = 0; i < r.nimages; i++) {
		uint8_t t = r.img[i].pcir.code_type;
		legacy |= t == OD_CODE_X86;
		efi |= t == OD_CODE_EFI;
		other |= t != OD_CODE_X86 && t != OD_CODE_EFI;
	}
	snprintf(m->kinds, sizeof(m->kinds), "%s%s%s%s%s", legacy ? "legacy" : "", legacy && efi ? "+" : "",
		 efi ? "EFI" : "", (legacy || efi) && other ? "+" : "", other ? "other" : "");
	od_vbios_facts f;
	if (od_nv_facts(s, &r, &f, &e) == OD_OK) {
		snprintf(m->version, sizeof(m->version), "%s", f.version);
		if (f.has_subsys) {
			m->has_subsys = true;
			m->sub_vendor = f.sub_vendor;
			m->sub_device = f.sub_device;
		}
	}
}
