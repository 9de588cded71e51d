/* SPDX-License-Identifier: BSD-2-Clause */
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

size_t od_input_limit = OD_INPUT_MAX_DEFAULT;

int od_file_load(const char *path, od_file *f, od_err *e)
{
	memset(f, 0, sizeof(*f));
	OD_TRY(od_input_map(path, od_input_limit, &f->map, e));
	f->path = strdup(path);
	if (!f->path) {
		od_input_unmap(&f->map);
		return od_fail(e, OD_E_NOMEM, 0, "path");
	}
	const char *slash = strrchr(f->path, '/');
	f->name = slash ? slash + 1 : f->path;
	f->data = f->map.data;
	f->len = f->map.len;
	return OD_OK;
}

void od_file_free(od_file *f)
{
	free(f->path);
	od_input_unmap(&f->map);
	memset(f, 0, sizeof(*f));
}

int od_file_write_new(const char *path, const void *buf, size_t len, bool force, od_err *e)
{
	return od_output_write(path, buf, len, force, e);
}

void od_print_err(const char *file, const od_err *e)
{
	char msg[OD_ERR_PATH_MAX + OD_ERR_MSG_MAX + 64];
	/* Byte offsets belong to input data; a bad argument, a file that cannot
	 * be opened or a lookup without match has none ("at offset 0x0:" after
	 * a usage error sent users looking at their files). */
	od_err plain = *e;
	if (e->code == OD_E_USAGE || e->code == OD_E_IO || e->code == OD_E_NOTFOUND || e->code == OD_E_NOMEM)
		plain.has_off = false;
	od_err_str(&plain, msg, sizeof(msg));
	/* Container paths already start with the file's base name; print the
	 * full path first so the user knows which argument failed. */
	if (file)
		fprintf(stderr, "optimus-db: %s: %s\n", file, msg);
	else
		fprintf(stderr, "optimus-db: %s\n", msg);
}

int od_print_fail(const char *file, const od_err *e)
{
	od_print_err(file, e);
	return od_exit_for(e->code);
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
