/* SPDX-License-Identifier: BSD-2-Clause */
/* io/fileio.c: the file rules every command relies on, without the CLI. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fileio.h"

static char dir[64];

static void mkdir_tmp(void)
{
	snprintf(dir, sizeof(dir), "/tmp/od-fileio-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void rm_tmp(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

static const char *at(const char *name)
{
	static char p[4][128];
	static int k;
	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

static void put(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(s, f);
	fclose(f);
}

TestSuite(fileio, .init = mkdir_tmp, .fini = rm_tmp);

Test(fileio, map_reads_a_regular_file_and_an_empty_one)
{
	od_map m;
	od_err e;
	put(at("a"), "hello");
	cr_assert_eq(od_input_map(at("a"), 100, &m, &e), OD_OK);
	cr_assert_eq(m.len, 5);
	cr_assert(!memcmp(m.data, "hello", 5));
	od_input_unmap(&m);
	put(at("empty"), "");
	cr_assert_eq(od_input_map(at("empty"), 100, &m, &e), OD_OK);
	cr_assert_eq(m.len, 0);
	cr_assert_not_null(m.data);
	od_input_unmap(&m);
}

Test(fileio, map_refuses_above_the_limit)
{
	od_map m;
	od_err e;
	put(at("a"), "hello");
	od_err_clear(&e);
	cr_assert_eq(od_input_map(at("a"), 4, &m, &e), OD_E_LIMIT);
	cr_assert(strstr(e.msg, "--limit input=MiB"), "%s", e.msg);
}

Test(fileio, a_fifo_is_refused_without_blocking)
{
	od_map m;
	od_err e;
	cr_assert_eq(mkfifo(at("p"), 0600), 0);
	od_err_clear(&e);
	cr_assert_eq(od_input_map(at("p"), 100, &m, &e), OD_E_IO);
	cr_assert(strstr(e.msg, "is a FIFO"), "%s", e.msg);
	cr_assert(!e.has_off);
	char b[4];
	cr_assert_eq(od_input_read(at("p"), b, sizeof(b)), -1);
}

Test(fileio, a_folder_is_not_an_input)
{
	od_map m;
	od_err e;
	od_err_clear(&e);
	cr_assert_eq(od_input_map(dir, 100, &m, &e), OD_E_IO);
	cr_assert(strstr(e.msg, "is a folder"), "%s", e.msg);
}

Test(fileio, output_new_then_force_only)
{
	od_err e;
	cr_assert_eq(od_output_write(at("o"), "one", 3, false, &e), OD_OK);
	od_err_clear(&e);
	cr_assert_eq(od_output_write(at("o"), "two", 3, false, &e), OD_E_IO);
	cr_assert(strstr(e.msg, "use --force"), "%s", e.msg);
	cr_assert_eq(od_output_write(at("o"), "two", 3, true, &e), OD_OK);
	od_map m;
	cr_assert_eq(od_input_map(at("o"), 100, &m, &e), OD_OK);
	cr_assert(!memcmp(m.data, "two", 3));
	od_input_unmap(&m);
}

Test(fileio, output_never_through_a_symlink_nor_over_a_fifo)
{
	od_err e;
	put(at("victim"), "keep");
	cr_assert_eq(symlink(at("victim"), at("link")), 0);
	od_err_clear(&e);
	cr_assert_eq(od_output_write(at("link"), "x", 1, true, &e), OD_E_IO);
	cr_assert(strstr(e.msg, "symbolic link"), "%s", e.msg);
	struct stat st;
	cr_assert_eq(lstat(at("link"), &st), 0);
	cr_assert(S_ISLNK(st.st_mode));
	od_map m;
	cr_assert_eq(od_input_map(at("victim"), 100, &m, &e), OD_OK);
	cr_assert(!memcmp(m.data, "keep", 4));
	od_input_unmap(&m);
	cr_assert_eq(mkfifo(at("p"), 0600), 0);
	cr_assert_eq(od_output_write(at("p"), "x", 1, true, &e), OD_E_IO);
	cr_assert_eq(stat(at("p"), &st), 0);
	cr_assert(S_ISFIFO(st.st_mode));
	/* Nothing left behind: only victim, link and p. */
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "test $(ls -A '%s' | wc -l) -eq 3", dir);
	cr_assert_eq(system(cmd), 0);
}

Test(fileio, output_check_names_the_type)
{
	od_err e;
	od_err_clear(&e);
	cr_assert_eq(od_output_check(dir, true, &e), OD_E_IO);
	cr_assert(strstr(e.msg, "is a folder; only regular files"), "%s", e.msg);
	cr_assert_eq(od_output_check(at("absent"), false, &e), OD_OK);
	if (geteuid() == 0 && mknod(at("null"), S_IFCHR | 0666, makedev(1, 3)) == 0) {
		od_err_clear(&e);
		cr_assert_eq(od_output_write(at("null"), "x", 1, true, &e), OD_E_IO);
		cr_assert(strstr(e.msg, "character device"), "%s", e.msg);
		struct stat st;
		cr_assert_eq(lstat(at("null"), &st), 0);
		cr_assert(S_ISCHR(st.st_mode));
	}
}
