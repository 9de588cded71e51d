/* SPDX-License-Identifier: BSD-2-Clause */
/* db/catalogue.c: a failing sqlite3_step is an error, never "no (more) rows".
 * SQLite fails a step on its own only on a damaged or locked file, which
 * integrity_check or the busy timeout get to first; here a progress handler
 * interrupts the one statement named (SQLITE_INTERRUPT), deterministically.
 * The handle comes from sqlite3_auto_extension, so the catalogue's code is
 * the one the CLI runs. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalogue.h"

static char dir[64];
static const char *armed; /* a piece of the statement to interrupt, or NULL */

static int interrupt_armed(void *arg)
{
	sqlite3 *h = arg;
	for (sqlite3_stmt *st = sqlite3_next_stmt(h, NULL); armed && st; st = sqlite3_next_stmt(h, st))
		if (sqlite3_stmt_busy(st) && strstr(sqlite3_sql(st), armed))
			return 1;
	return 0;
}

static int on_open(sqlite3 *h, char **err, const sqlite3_api_routines *api)
{
	(void)err, (void)api;
	sqlite3_progress_handler(h, 1, interrupt_armed, h);
	return SQLITE_OK;
}

/* A catalogue with two images, then the handler armed with `what`. */
static od_db *catalogue(const char *what)
{
	snprintf(dir, sizeof(dir), "/tmp/od-catalogue-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(sqlite3_auto_extension((void (*)(void))on_open), SQLITE_OK);
	char path[128];
	snprintf(path, sizeof(path), "%s/c.db", dir);
	od_db *db;
	od_err e;
	od_err_clear(&e);
	cr_assert_eq(od_db_open(path, false, &db, &e), OD_OK, "%s", e.msg);
	for (int i = 0; i < 2; i++) {
		uint8_t rom[512] = { 0x55, 0xAA, (uint8_t)i };
		od_image_meta m = { .vendor = 0x10de, .device = (uint16_t)(0x1000 + i), .is_vbios = true };
		od_source s = { .container_name = "t.bin", .obtained = "rom" };
		bool in, sn;
		cr_assert_eq(od_db_add(db, rom, sizeof(rom), &m, &s, &in, &sn, &e), OD_OK, "%s", e.msg);
	}
	armed = what;
	return db;
}

static void done(od_db *db)
{
	armed = NULL;
	od_db_close(db);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

Test(catalogue, verify_read_error_is_not_an_empty_catalogue)
{
	od_db *db = catalogue(", bytes FROM images i");
	int64_t checked = -1, bad = -1;
	od_err e;
	od_err_clear(&e);
	int rc = od_db_verify(db, &checked, &bad, NULL, NULL, &e);
	/* Was OD_OK with 0 checked: "every image intact" of a catalogue not read. */
	cr_assert_eq(rc, OD_E_IO, "rc %d, %lld checked", rc, (long long)checked);
	cr_assert(strstr(e.msg, "verify"), "%s", e.msg);
	done(db);
}

Test(catalogue, integrity_check_error_is_not_damage)
{
	od_db *db = catalogue("integrity_check");
	int64_t checked, bad;
	od_err e;
	od_err_clear(&e);
	/* Was OD_E_CHECKSUM, "integrity_check failed": the file was never checked. */
	cr_assert_eq(od_db_verify(db, &checked, &bad, NULL, NULL, &e), OD_E_IO, "%s", e.msg);
	done(db);
}

Test(catalogue, stats_read_error_is_reported)
{
	od_db *db = catalogue("WHERE is_vbios");
	od_db_stats s;
	od_err e;
	od_err_clear(&e);
	/* Was OD_OK with vbios = -1, printed as a count. */
	cr_assert_eq(od_db_stats_get(db, &s, &e), OD_E_IO, "vbios %lld", (long long)s.vbios);
	done(db);
}

Test(catalogue, verify_counts_what_it_read)
{
	od_db *db = catalogue(NULL);
	int64_t checked, bad;
	od_err e;
	od_err_clear(&e);
	cr_assert_eq(od_db_verify(db, &checked, &bad, NULL, NULL, &e), OD_OK, "%s", e.msg);
	cr_assert_eq(checked, 2);
	cr_assert_eq(bad, 0);
	od_db_stats s;
	cr_assert_eq(od_db_stats_get(db, &s, &e), OD_OK, "%s", e.msg);
	cr_assert_eq(s.images, 2);
	cr_assert_eq(s.vbios, 2);
	done(db);
}
