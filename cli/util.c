/* File I/O, error printing and JSON output for the commands. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int od_exit_for(int code)
{
	switch (code) {
	case OD_OK: return OD_EXIT_OK;
	case OD_E_NOTFOUND: return OD_EXIT_NOTFOUND;
	case OD_E_USAGE: return OD_EXIT_USAGE;
	case OD_E_IO:
	case OD_E_NOMEM: return OD_EXIT_IO;
	}
	return OD_EXIT_BADINPUT;
}

int od_file_load(const char *path, od_file *f, od_err *e)
{
	memset(f, 0, sizeof(*f));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return od_fail(e, OD_E_IO, 0, "cannot open: %s", strerror(errno)), e->has_off = false, OD_E_IO;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		od_fail(e, OD_E_IO, 0, "not a regular file");
		e->has_off = false;
		return OD_E_IO;
	}
	size_t len = (size_t)st.st_size;
	uint8_t *data = malloc(len ? len : 1);
	if (!data) {
		close(fd);
		return od_fail(e, OD_E_NOMEM, 0, "cannot allocate %zu bytes", len);
	}
	size_t got = 0;
	while (got < len) {
		ssize_t r = read(fd, data + got, len - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != len) {
		free(data);
		od_fail(e, OD_E_IO, got, "short read (%zu of %zu bytes)", got, len);
		return OD_E_IO;
	}
	f->path = strdup(path);
	if (!f->path) {
		free(data);
		return od_fail(e, OD_E_NOMEM, 0, "path");
	}
	const char *slash = strrchr(f->path, '/');
	f->name = slash ? slash + 1 : f->path;
	f->data = data;
	f->len = len;
	return OD_OK;
}

void od_file_free(od_file *f)
{
	free(f->path);
	free(f->data);
	memset(f, 0, sizeof(*f));
}

int od_file_write_new(const char *path, const void *buf, size_t len, bool force, od_err *e)
{
	if (!force && access(path, F_OK) == 0) {
		od_fail(e, OD_E_IO, 0, "%s exists (use --force to overwrite)", path);
		e->has_off = false;
		return OD_E_IO;
	}
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	if (!tmp)
		return od_fail(e, OD_E_NOMEM, 0, "path");
	snprintf(tmp, n, "%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		od_fail(e, OD_E_IO, 0, "cannot create %s: %s", path, strerror(errno));
		e->has_off = false;
		free(tmp);
		return OD_E_IO;
	}
	const uint8_t *p = buf;
	size_t done = 0;
	while (done < len) {
		ssize_t w = write(fd, p + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	int ok = done == len && fchmod(fd, 0644) == 0 && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	/* link() refuses to replace an existing file, closing the race between
	 * the access() check and the rename. */
	if (ok)
		ok = force ? rename(tmp, path) == 0 : link(tmp, path) == 0;
	int err = errno;
	unlink(tmp);
	free(tmp);
	if (!ok) {
		od_fail(e, OD_E_IO, 0, "cannot write %s: %s", path, strerror(err));
		e->has_off = false;
		return OD_E_IO;
	}
	return OD_OK;
}

void od_print_err(const char *file, const od_err *e)
{
	char msg[OD_ERR_PATH_MAX + OD_ERR_MSG_MAX + 64];
	od_err_str(e, msg, sizeof(msg));
	/* Container paths already start with the file's base name; print the
	 * full path first so the user knows which argument failed. */
	if (file)
		fprintf(stderr, "optimus-db: %s: %s\n", file, msg);
	else
		fprintf(stderr, "optimus-db: %s\n", msg);
}

/* --- JSON --- */

void od_json_init(od_json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

static void put_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			fprintf(f, "\\u%04x", *++p); /* C1 controls too */
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void pre(od_json *j, const char *key)
{
	if (j->need_comma[j->depth])
		fputc(',', j->f);
	j->need_comma[j->depth] = true;
	if (key) {
		put_str(j->f, key);
		fputc(':', j->f);
	}
}

static void open_(od_json *j, const char *key, char c)
{
	pre(j, key);
	fputc(c, j->f);
	if (j->depth < 63)
		j->depth++;
	j->need_comma[j->depth] = false;
}

void od_json_obj_begin(od_json *j, const char *key) { open_(j, key, '{'); }
void od_json_arr_begin(od_json *j, const char *key) { open_(j, key, '['); }

void od_json_obj_end(od_json *j)
{
	fputc('}', j->f);
	if (j->depth)
		j->depth--;
}

void od_json_arr_end(od_json *j)
{
	fputc(']', j->f);
	if (j->depth)
		j->depth--;
}

void od_json_str(od_json *j, const char *key, const char *val)
{
	pre(j, key);
	if (val)
		put_str(j->f, val);
	else
		fputs("null", j->f);
}

void od_json_int(od_json *j, const char *key, long long val)
{
	pre(j, key);
	fprintf(j->f, "%lld", val);
}

void od_json_bool(od_json *j, const char *key, bool val)
{
	pre(j, key);
	fputs(val ? "true" : "false", j->f);
}

void od_json_hex(od_json *j, const char *key, unsigned val, int width)
{
	pre(j, key);
	fprintf(j->f, "\"%0*x\"", width, val);
}

void od_json_end(od_json *j)
{
	fputc('\n', j->f);
}

const char *od_esc(const char *s, char *buf, size_t n)
{
	/* Catalogue text comes from other people's bundles and file names: a
	 * control character would reach the terminal (clear it, set its title,
	 * forge a line). Printed as \xNN instead; UTF-8 text passes. */
	static const char hx[] = "0123456789abcdef";
	size_t k = 0;
	if (n == 0)
		return "";
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && k + 5 < n; p++) {
		bool c1 = p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F;
		if (*p < 0x20 || *p == 0x7F || c1) {
			unsigned v = c1 ? p[1] : *p;
			buf[k++] = '\\';
			buf[k++] = 'x';
			buf[k++] = hx[v >> 4];
			buf[k++] = hx[v & 15];
			p += c1;
		} else {
			buf[k++] = (char)*p;
		}
	}
	buf[k] = 0;
	return buf;
}
