/* Replays every file in corpus/regressions/ and every fuzz seed in
 * corpus/<target>/ through the whole scan pipeline on every build: each must end
 * (ok or a clean error) without a sanitizer report, within the limits. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "walk.h"

static int replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strstr(de->d_name, ".md"))
			continue;
		char p[4096];
		snprintf(p, sizeof(p), "%.2000s/%.1000s", dir, de->d_name);
		size_t len;
		uint8_t *buf = tu_read(p, &len);
		if (!buf)
			continue; /* a subdirectory */
		od_ctx c;
		od_err e;
		od_err_clear(&e);
		od_ctx_init(&c, de->d_name);
		int rc = od_scan(&c, od_span_make(buf, len, 0), &e);
		cr_assert(rc == OD_OK || e.msg[0], "%s: failed without a message", p);
		for (size_t i = 0; i < c.nhits; i++)
			cr_assert(c.hits[i].rom.len > 0 && c.hits[i].rom.len <= len + c.out_used, "%s: bogus hit", p);
		od_ctx_free(&c);
		free(buf);
		n++;
	}
	closedir(d);
	return n;
}

Test(regressions, every_stored_input_replays_cleanly)
{
	const char *src = getenv("OD_SRC");
	char root[1024];
	snprintf(root, sizeof(root), "%s/corpus", src ? src : ".");
	DIR *d = opendir(root);
	cr_assert_not_null(d, "no corpus folder at %s", root);
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char p[4096];
		snprintf(p, sizeof(p), "%.2000s/%.1000s", root, de->d_name);
		n += replay_dir(p);
	}
	closedir(d);
	cr_assert_geq(n, 20, "only %d stored inputs replayed", n);
}
