/* SPDX-License-Identifier: BSD-2-Clause */
/* Catalogue repository source records: see record.h (our own format). */
#include "record.h"

#include <stdio.h>
#include <string.h>

typedef struct cur {
	od_span s;
	size_t i;
} cur;

static void ws(cur *c)
{
	while (c->i < c->s.len && strchr(" \t\r\n", c->s.p[c->i]) && c->s.p[c->i])
		c->i++;
}

static int fail(cur *c, od_err *e, const char *what)
{
	return od_fail(e, OD_E_FORMAT, c->s.off + c->i, "source record: %s", what);
}

static void put_utf8(char *out, size_t *k, uint32_t cp)
{
	if (cp < 0x80) {
		out[(*k)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*k)++] = (char)(0xC0 | cp >> 6);
		out[(*k)++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		out[(*k)++] = (char)(0xE0 | cp >> 12);
		out[(*k)++] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[(*k)++] = (char)(0x80 | (cp & 0x3F));
	} else {
		out[(*k)++] = (char)(0xF0 | cp >> 18);
		out[(*k)++] = (char)(0x80 | (cp >> 12 & 0x3F));
		out[(*k)++] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[(*k)++] = (char)(0x80 | (cp & 0x3F));
	}
}

static bool hex4(cur *c, uint32_t *v)
{
	if (c->s.len - c->i < 4)
		return false;
	*v = 0;
	for (int k = 0; k < 4; k++) {
		int h = od_hexval((char)c->s.p[c->i + (size_t)k]);
		if (h < 0)
			return false;
		*v = *v << 4 | (uint32_t)h;
	}
	c->i += 4;
	return true;
}

/* A JSON string (RFC 8259 section 7) into out (cap bytes with the NUL). */
static int string(cur *c, char *out, size_t cap, od_err *e)
{
	size_t k = 0;
	if (c->i >= c->s.len || c->s.p[c->i] != '"')
		return fail(c, e, "expected a string");
	c->i++;
	for (;;) {
		if (c->i >= c->s.len)
			return od_fail(e, OD_E_TRUNC, c->s.off + c->i, "source record: unterminated string");
		uint8_t ch = c->s.p[c->i++];
		if (ch == '"')
			break;
		if (ch < 0x20)
			return fail(c, e, "raw control character in a string");
		if (k + 5 >= cap)
			return fail(c, e, "string longer than the field limit");
		if (ch != '\\') {
			out[k++] = (char)ch;
			continue;
		}
		if (c->i >= c->s.len)
			return od_fail(e, OD_E_TRUNC, c->s.off + c->i, "source record: unterminated escape");
		ch = c->s.p[c->i++];
		const char *simple = strchr("\"\\/bfnrt", ch);
		if (simple && ch) {
			static const char to[] = "\"\\/\b\f\n\r\t";
			out[k++] = to[simple - "\"\\/bfnrt"];
			continue;
		}
		uint32_t cp, lo;
		if (ch != 'u' || !hex4(c, &cp))
			return fail(c, e, "bad escape");
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			/* A surrogate pair (RFC 8259 section 7). */
			if (c->s.len - c->i < 6 || c->s.p[c->i] != '\\' || c->s.p[c->i + 1] != 'u')
				return fail(c, e, "lone surrogate");
			c->i += 2;
			if (!hex4(c, &lo) || lo < 0xDC00 || lo > 0xDFFF)
				return fail(c, e, "lone surrogate");
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
			return fail(c, e, "lone surrogate");
		}
		if (cp == 0)
			return fail(c, e, "NUL in a string");
		put_utf8(out, &k, cp);
	}
	out[k] = 0;
	return OD_OK;
}

static int number(cur *c, uint64_t *v, od_err *e)
{
	size_t start = c->i;
	*v = 0;
	while (c->i < c->s.len && c->s.p[c->i] >= '0' && c->s.p[c->i] <= '9') {
		unsigned d = c->s.p[c->i] - '0';
		if (*v > (UINT64_MAX - d) / 10)
			return fail(c, e, "number too large");
		*v = *v * 10 + d;
		c->i++;
	}
	if (c->i == start || (c->i - start > 1 && c->s.p[start] == '0'))
		return fail(c, e, "expected a non-negative integer");
	if (c->i < c->s.len && strchr(".eE", c->s.p[c->i]) && c->s.p[c->i])
		return fail(c, e, "expected an integer");
	return OD_OK;
}

static bool is_hex64(const char *v)
{
	return strlen(v) == 64 && strspn(v, "0123456789abcdef") == 64;
}

static bool is_date(const char *v)
{
	/* YYYY-MM-DDTHH:MM:SSZ, as SQLite's strftime writes it. */
	static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
	if (strlen(v) != sizeof(pat) - 1)
		return false;
	for (size_t i = 0; pat[i]; i++)
		if (pat[i] == 'd' ? (v[i] < '0' || v[i] > '9') : v[i] != pat[i])
			return false;
	return true;
}

enum { F_IMAGE, F_OBTAINED, F_CONTAINER, F_CSHA, F_PATH, F_OFFSET, F_MODEL, F_BIOS, F_SUBSYS, F_ADDED, F_VERSION, F_N };
static const char *const names[F_N] = { "image_sha256", "obtained", "container", "container_sha256", "container_path",
					"offset", "model", "bios_version", "subsystem", "added", "optimus_db_version" };

static int member(cur *c, od_record *r, unsigned *seen, od_err *e)
{
	static _Thread_local char key[64], v[OD_BUNDLE_FIELD_MAX + 1];
	size_t at = c->i;
	OD_TRY(string(c, key, sizeof(key), e));
	ws(c);
	if (c->i >= c->s.len || c->s.p[c->i] != ':')
		return fail(c, e, "expected ':'");
	c->i++;
	ws(c);
	int f = 0;
	while (f < F_N && strcmp(key, names[f]))
		f++;
	if (f < F_N && (*seen >> f & 1))
		return od_fail(e, OD_E_FORMAT, c->s.off + at, "source record: member %s twice", key);
	if (f < F_N)
		*seen |= 1u << f;
	if (f == F_OFFSET)
		return number(c, &r->src.offset, e);
	if (f == F_N && c->i < c->s.len && c->s.p[c->i] != '"') {
		uint64_t ignored;
		return number(c, &ignored, e); /* an unknown member: a string or an integer */
	}
	at = c->i;
	OD_TRY(string(c, v, sizeof(v), e));
	const char *why = od_field_problem(v, OD_BUNDLE_FIELD_MAX);
	if (why) {
		char shown[64]; /* an unknown member's name may hold anything: printable only */
		od_field_sanitize(key, shown, sizeof(shown));
		return od_fail(e, OD_E_FORMAT, c->s.off + at, "source record: %s: %s", shown, why);
	}
#define SET(dst)                                                                                                \
	(strlen(v) < sizeof(dst) ? (memcpy(dst, v, strlen(v) + 1), OD_OK)                                       \
				 : od_fail(e, OD_E_FORMAT, c->s.off + at, "source record: %s longer than %zu bytes", key, \
					   sizeof(dst) - 1))
	switch (f) {
	case F_IMAGE:
	case F_CSHA:
		if (!is_hex64(v))
			return od_fail(e, OD_E_FORMAT, c->s.off + at, "source record: %s is not 64 lower-case hex digits", key);
		if (f == F_IMAGE)
			return SET(r->src.sha256);
		return SET(r->src.container_sha256);
	case F_OBTAINED: {
		static const char *const kinds[] = { "update", "spi", "host", "rom", "bundle" };
		for (size_t k = 0; k < 5; k++)
			if (!strcmp(v, kinds[k]))
				return SET(r->src.obtained);
		return od_fail(e, OD_E_FORMAT, c->s.off + at, "source record: obtained is none of update, spi, host, rom, bundle");
	}
	case F_CONTAINER: return SET(r->src.container);
	case F_PATH: return SET(r->src.path);
	case F_MODEL: return SET(r->src.model);
	case F_BIOS: return SET(r->src.bios);
	case F_VERSION: return SET(r->version);
	case F_ADDED:
		if (!is_date(v))
			return od_fail(e, OD_E_FORMAT, c->s.off + at, "source record: added is not YYYY-MM-DDTHH:MM:SSZ");
		return SET(r->added);
	case F_SUBSYS: {
		unsigned a, b;
		char tail;
		if (strlen(v) != 9 || sscanf(v, "%4x:%4x%c", &a, &b, &tail) != 2)
			return od_fail(e, OD_E_FORMAT, c->s.off + at, "source record: subsystem is not VVVV:DDDD");
		r->src.has_subsys = true;
		r->src.sub_vendor = (uint16_t)a;
		r->src.sub_device = (uint16_t)b;
		return OD_OK;
	}
	}
#undef SET
	return OD_OK;
}

int od_record_parse(od_span s, od_record *r, od_err *e)
{
	memset(r, 0, sizeof(*r));
	if (s.len > OD_RECORD_MAX)
		return od_fail(e, OD_E_LIMIT, s.off, "source record of %zu bytes (at most %u)", s.len, OD_RECORD_MAX);
	cur c = { s, 0 };
	unsigned seen = 0;
	ws(&c);
	if (c.i >= s.len || s.p[c.i] != '{')
		return fail(&c, e, "not a JSON object");
	c.i++;
	ws(&c);
	if (c.i < s.len && s.p[c.i] == '}') {
		c.i++;
	} else {
		for (;;) {
			ws(&c);
			OD_TRY(member(&c, r, &seen, e));
			ws(&c);
			if (c.i >= s.len)
				return od_fail(e, OD_E_TRUNC, s.off + c.i, "source record: unterminated object");
			if (s.p[c.i] == '}') {
				c.i++;
				break;
			}
			if (s.p[c.i++] != ',')
				return fail(&c, e, "expected ',' or '}' (records are flat: no nested values)");
		}
	}
	ws(&c);
	if (c.i != s.len)
		return fail(&c, e, "bytes after the object");
	if (!(seen & 1u << F_IMAGE) || !(seen & 1u << F_OBTAINED))
		return od_fail(e, OD_E_FORMAT, s.off, "source record: image_sha256 and obtained are required");
	return OD_OK;
}

/* "  "key": "value",\n" with " and \ escaped (fields hold no controls). */
static bool put_member(char *out, size_t n, size_t *k, const char *key, const char *v, bool quote, bool last)
{
	int w = snprintf(out + *k, n - *k, "  \"%s\": %s", key, quote ? "\"" : "");
	if (w < 0 || (size_t)w >= n - *k)
		return false;
	*k += (size_t)w;
	for (const char *p = v; *p; p++) {
		if (*k + 3 >= n)
			return false;
		if (*p == '"' || *p == '\\')
			out[(*k)++] = '\\';
		out[(*k)++] = *p;
	}
	w = snprintf(out + *k, n - *k, "%s%s\n", quote ? "\"" : "", last ? "" : ",");
	if (w < 0 || (size_t)w >= n - *k)
		return false;
	*k += (size_t)w;
	return true;
}

size_t od_record_write(const od_record *r, char *out, size_t n)
{
	const od_bundle_source *s = &r->src;
	char off[24], sub[10];
	snprintf(off, sizeof(off), "%llu", (unsigned long long)s->offset);
	snprintf(sub, sizeof(sub), "%04x:%04x", s->sub_vendor, s->sub_device);
	/* Sorted by name: the canonical order. */
	struct { const char *k, *v; bool quote; } m[] = {
		{ "added", r->added, true },
		{ "bios_version", s->bios, true },
		{ "container", s->container, true },
		{ "container_path", s->path, true },
		{ "container_sha256", s->container_sha256, true },
		{ "image_sha256", s->sha256, true },
		{ "model", s->model, true },
		{ "obtained", s->obtained, true },
		{ "offset", off, false },
		{ "optimus_db_version", r->version, true },
		{ "subsystem", s->has_subsys ? sub : "", true },
	};
	size_t nm = sizeof(m) / sizeof(m[0]), last = 0, k = 0;
	for (size_t i = 0; i < nm; i++) {
		if (m[i].v[0] && od_field_problem(m[i].v, OD_BUNDLE_FIELD_MAX))
			return 0;
		if (m[i].v[0])
			last = i;
	}
	if (n < 3)
		return 0;
	out[k++] = '{', out[k++] = '\n';
	for (size_t i = 0; i < nm; i++)
		if (m[i].v[0] && !put_member(out, n, &k, m[i].k, m[i].v, m[i].quote, i == last))
			return 0;
	if (k + 3 > n)
		return 0;
	out[k++] = '}', out[k++] = '\n', out[k] = 0;
	return k;
}
