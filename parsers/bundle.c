/* Contribution bundle reader: see bundle.h for the layout (our own format). */
#include "bundle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HDR_LEN 24

/* Decodes a percent-encoded token of length n into out (NUL-terminated). */
static bool decode(const char *in, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = in[i];
		if (ch == '%') {
			if (i + 2 >= n)
				return false;
			int hi = od_hexval(in[i + 1]), lo = od_hexval(in[i + 2]);
			if (hi < 0 || lo < 0)
				return false;
			ch = (char)(hi << 4 | lo);
			i += 2;
		}
		if (ch == 0 || k + 1 >= cap)
			return false;
		out[k++] = ch;
	}
	out[k] = 0;
	return true;
}

bool od_bundle_encode(const char *v, char *out, size_t n)
{
	static const char hx[] = "0123456789ABCDEF";
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		bool plain = *p > 0x20 && *p < 0x7F && *p != '%' && *p != '=';
		if (k + (plain ? 1 : 3) >= n)
			return false;
		if (plain) {
			out[k++] = (char)*p;
		} else {
			out[k++] = '%';
			out[k++] = hx[*p >> 4];
			out[k++] = hx[*p & 15];
		}
	}
	out[k] = 0;
	return true;
}

static bool is_sha(const char *t, size_t n)
{
	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (od_hexval(t[i]) < 0 || (t[i] >= 'A' && t[i] <= 'F'))
			return false;
	return true;
}

static bool parse_u64(const char *t, size_t n, uint64_t *v)
{
	char buf[24];
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, t, n);
	buf[n] = 0;
	char *end;
	*v = strtoull(buf, &end, 10);
	return *end == 0 && buf[0] >= '0' && buf[0] <= '9';
}

/* Tokenizer over one manifest line. */
typedef struct tok {
	const char *p;
	size_t n;
} tok;

static size_t split(const char *line, size_t len, tok *t, size_t max)
{
	size_t k = 0, i = 0;
	while (i < len && k < max) {
		while (i < len && line[i] == ' ')
			i++;
		size_t start = i;
		while (i < len && line[i] != ' ')
			i++;
		if (i > start)
			t[k++] = (tok){ line + start, i - start };
	}
	return k;
}

/* Hashes listed so far (grown as needed: most bundles hold a few images). */
typedef struct seen {
	char (*sha)[65];
	size_t n, cap;
} seen;

static bool remember(seen *s, const char *sha)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		void *p = realloc(s->sha, cap * 65);
		if (!p)
			return false;
		s->sha = p;
		s->cap = cap;
	}
	memcpy(s->sha[s->n++], sha, 65);
	return true;
}

static bool known(const seen *s, const char *sha)
{
	for (size_t i = 0; i < s->n; i++)
		if (!memcmp(s->sha[i], sha, 64))
			return true;
	return false;
}

static int field(od_bundle_source *s, tok t, uint64_t at, od_err *e)
{
	const char *eq = memchr(t.p, '=', t.n);
	if (!eq)
		return od_fail(e, OD_E_FORMAT, at, "source field without '='");
	size_t kl = (size_t)(eq - t.p), vl = t.n - kl - 1;
	char v[OD_BUNDLE_FIELD_MAX];
	if (!decode(eq + 1, vl, v, sizeof(v)))
		return od_fail(e, OD_E_FORMAT, at, "bad value encoding");
#define IS(k) (kl == sizeof(k) - 1 && !memcmp(t.p, k, kl))
#define SET(dst) (strlen(v) < sizeof(dst) ? (memcpy(dst, v, strlen(v) + 1), OD_OK) : od_fail(e, OD_E_FORMAT, at, "value too long"))
	if (IS("obtained"))
		return SET(s->obtained);
	if (IS("container"))
		return SET(s->container);
	if (IS("container_sha256"))
		return SET(s->container_sha256);
	if (IS("path"))
		return SET(s->path);
	if (IS("model"))
		return SET(s->model);
	if (IS("bios"))
		return SET(s->bios);
	if (IS("offset"))
		return parse_u64(v, strlen(v), &s->offset) ? OD_OK : od_fail(e, OD_E_FORMAT, at, "bad offset");
	if (IS("subsys")) {
		unsigned a, b;
		char tail;
		if (sscanf(v, "%4x:%4x%c", &a, &b, &tail) != 2)
			return od_fail(e, OD_E_FORMAT, at, "bad subsys");
		s->has_subsys = true;
		s->sub_vendor = (uint16_t)a;
		s->sub_device = (uint16_t)b;
		return OD_OK;
	}
#undef IS
#undef SET
	return OD_OK; /* unknown keys: newer writers may add fields */
}

static int line_image(od_span data, tok *t, size_t nt, seen *sn, const od_bundle_cb *cb, uint64_t at, od_err *e)
{
	uint64_t off, size;
	if (nt != 4 || !is_sha(t[1].p, t[1].n) || !parse_u64(t[2].p, t[2].n, &off) || !parse_u64(t[3].p, t[3].n, &size))
		return od_fail(e, OD_E_FORMAT, at, "malformed image record");
	if (off > data.len || size > data.len - off)
		return od_fail(e, OD_E_TRUNC, at, "image bytes 0x%llx+0x%llx outside the data part",
			       (unsigned long long)off, (unsigned long long)size);
	if (sn->n >= OD_BUNDLE_MAX_IMAGES)
		return od_fail(e, OD_E_LIMIT, at, "more than %d images", OD_BUNDLE_MAX_IMAGES);
	char sha[65];
	memcpy(sha, t[1].p, 64);
	sha[64] = 0;
	if (known(sn, sha))
		return od_fail(e, OD_E_FORMAT, at, "image %.12s listed twice", sha);
	if (!remember(sn, sha))
		return od_fail(e, OD_E_NOMEM, at, "bundle index");
	od_span bytes;
	OD_TRY(od_sub(data, (size_t)off, (size_t)size, &bytes, e));
	return cb->image ? cb->image(cb->arg, sha, bytes, e) : OD_OK;
}

static int line_source(tok *t, size_t nt, const seen *sn, const od_bundle_cb *cb, uint64_t at, od_err *e)
{
	if (nt < 2 || !is_sha(t[1].p, t[1].n))
		return od_fail(e, OD_E_FORMAT, at, "malformed source record");
	static _Thread_local od_bundle_source s;
	memset(&s, 0, sizeof(s));
	memcpy(s.sha256, t[1].p, 64);
	if (!known(sn, s.sha256))
		return od_fail(e, OD_E_FORMAT, at, "source for image %.12s that the bundle does not list", s.sha256);
	for (size_t i = 2; i < nt; i++)
		OD_TRY(field(&s, t[i], at, e));
	if (!s.obtained[0])
		memcpy(s.obtained, "bundle", 7);
	return cb->source ? cb->source(cb->arg, &s, e) : OD_OK;
}

int od_bundle_walk(od_span s, const od_bundle_cb *cb, od_err *e)
{
	uint32_t version, mlen;
	uint64_t dlen;
	if (!od_match(s, 0, "ODBUNDLE", 8))
		return od_fail(e, OD_E_FORMAT, s.off, "not an optimus-db bundle (no ODBUNDLE signature)");
	OD_TRY(od_u32(s, 8, &version, e));
	OD_TRY(od_u32(s, 12, &mlen, e));
	OD_TRY(od_u64(s, 16, &dlen, e));
	if (version != 1)
		return od_fail(e, OD_E_UNSUPPORTED, s.off + 8, "bundle version %u (this optimus-db reads 1)", version);
	od_span man, data;
	OD_TRY(od_sub(s, HDR_LEN, mlen, &man, e));
	if (dlen != s.len - HDR_LEN - mlen)
		return od_fail(e, OD_E_TRUNC, s.off + 16, "data part is %zu bytes, header says %llu", s.len - HDR_LEN - mlen,
			       (unsigned long long)dlen);
	OD_TRY(od_tail(s, HDR_LEN + (size_t)mlen, &data, e));
	seen sn = { NULL, 0, 0 };
	int rc = OD_OK;
	const char *text = (const char *)man.p;
	for (size_t at = 0; at < man.len && !rc;) {
		const char *nl = memchr(text + at, '\n', man.len - at);
		size_t len = nl ? (size_t)(nl - (text + at)) : man.len - at;
		tok t[16];
		size_t nt = split(text + at, len, t, 16);
		uint64_t off = man.off + at;
		if (nt == 0 || (t[0].n == 4 && !memcmp(t[0].p, "note", 4)))
			;
		else if (t[0].n == 5 && !memcmp(t[0].p, "image", 5))
			rc = line_image(data, t, nt, &sn, cb, off, e);
		else if (t[0].n == 6 && !memcmp(t[0].p, "source", 6))
			rc = line_source(t, nt, &sn, cb, off, e);
		else
			rc = od_fail(e, OD_E_FORMAT, off, "unknown manifest record");
		at += len + 1;
	}
	free(sn.sha);
	return rc;
}
