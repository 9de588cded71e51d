/* SPDX-License-Identifier: BSD-2-Clause */
/* Contribution bundle reader: see bundle.h for the layout (our own format). */
#include "bundle.h"

#include "layout/vendor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HDR_LEN od_bundle_hdr_SIZE

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

/* Length of the UTF-8 sequence at p (n bytes left) and its code point, or 0
 * when it is not valid UTF-8 (RFC 3629: no overlongs, surrogates, > U+10FFFF). */
static size_t utf8_char(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t len = p[0] < 0x80 ? 1 : p[0] >= 0xC2 && p[0] <= 0xDF ? 2 : p[0] >= 0xE0 && p[0] <= 0xEF ? 3
		   : p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : 0;
	if (len == 0 || len > n)
		return 0;
	uint32_t v = len == 1 ? p[0] : (uint32_t)(p[0] & (0x7F >> len));
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3F);
	}
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (v < min[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

/* C0, DEL and C1 (ECMA-48: C1 is U+0080..U+009F). */
static bool is_control(uint32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

const char *od_field_problem(const char *v, size_t max)
{
	size_t n = strlen(v);
	if (n > max)
		return "too long";
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8_char((const unsigned char *)v + i, n - i, &cp);
		if (k == 0)
			return "not valid UTF-8";
		if (is_control(cp))
			return "control character";
		i += k;
	}
	return NULL;
}

void od_field_sanitize(const char *v, char *out, size_t n)
{
	size_t len = strlen(v), k = 0;
	if (n == 0)
		return;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t c = utf8_char((const unsigned char *)v + i, len - i, &cp);
		bool bad = c == 0 || is_control(cp);
		size_t w = bad ? 1 : c;
		if (k + w >= n)
			break;
		if (bad)
			out[k++] = '?';
		else
			memcpy(out + k, v + i, c), k += c;
		i += c ? c : 1; /* a C1 control is one character of two bytes */
	}
	out[k] = 0;
}

/* Hashes listed so far: an open-addressing set (a list scanned per record
 * made 100,000 images take 75 s). Keys are 64 hex digits, hashed whole
 * (FNV-1a): the reader sees them before anyone checked they are real
 * SHA-256 values, so a shared prefix must not make them collide. */
typedef struct seen {
	char (*sha)[65];
	size_t n, cap; /* cap: a power of two, kept at most half full */
} seen;

static size_t slot_of(const char *sha, size_t cap)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (int i = 0; i < 64; i++)
		h = (h ^ (uint8_t)sha[i]) * 0x100000001b3ull;
	return (size_t)(h ^ h >> 29) & (cap - 1);
}

static bool known(const seen *s, const char *sha)
{
	if (s->cap == 0)
		return false;
	for (size_t i = slot_of(sha, s->cap);; i = (i + 1) & (s->cap - 1)) {
		if (!s->sha[i][0])
			return false;
		if (!memcmp(s->sha[i], sha, 64))
			return true;
	}
}

static void place(seen *s, const char *sha)
{
	size_t i = slot_of(sha, s->cap);
	while (s->sha[i][0])
		i = (i + 1) & (s->cap - 1);
	memcpy(s->sha[i], sha, 65);
	s->n++;
}

static bool remember(seen *s, const char *sha)
{
	if (2 * (s->n + 1) > s->cap) {
		seen g = { calloc(s->cap ? s->cap * 2 : 64, 65), 0, s->cap ? s->cap * 2 : 64 };
		if (!g.sha)
			return false;
		for (size_t i = 0; i < s->cap; i++)
			if (s->sha[i][0])
				place(&g, s->sha[i]);
		free(s->sha);
		*s = g;
	}
	place(s, sha);
	return true;
}

static int field(od_bundle_source *s, tok t, uint64_t at, od_err *e)
{
	const char *eq = memchr(t.p, '=', t.n);
	if (!eq)
		return od_fail(e, OD_E_FORMAT, at, "source field without '='");
	size_t kl = (size_t)(eq - t.p), vl = t.n - kl - 1;
	char v[OD_BUNDLE_FIELD_MAX + 1];
	if (!decode(eq + 1, vl, v, sizeof(v)))
		return od_fail(e, OD_E_FORMAT, at, "bad value encoding (or longer than %d bytes)", OD_BUNDLE_FIELD_MAX);
	const char *why = od_field_problem(v, OD_BUNDLE_FIELD_MAX);
	if (why) {
		/* The key may be anything (unknown keys are allowed): printable only. */
		char key[33], raw[33];
		snprintf(raw, sizeof(raw), "%.*s", (int)(kl < 32 ? kl : 32), t.p);
		od_field_sanitize(raw, key, sizeof(key));
		return od_fail(e, OD_E_FORMAT, at, "source field %s: %s", key, why);
	}
#define IS(k) (kl == sizeof(k) - 1 && !memcmp(t.p, k, kl))
#define SET(dst)                                                                                                     \
	(strlen(v) < sizeof(dst) ? (memcpy(dst, v, strlen(v) + 1), OD_OK)                                            \
				 : od_fail(e, OD_E_FORMAT, at, "source field %.*s longer than %zu bytes", (int)kl, t.p, \
					   sizeof(dst) - 1))
	if (IS("obtained"))
		return SET(s->obtained);
	if (IS("container"))
		return SET(s->container);
	if (IS("container_sha256")) {
		if (!is_sha(v, strlen(v)))
			return od_fail(e, OD_E_FORMAT, at, "container_sha256 is not 64 lower-case hex digits");
		return SET(s->container_sha256);
	}
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

static int line_image(od_span data, tok *t, size_t nt, seen *sn, uint64_t *end, const od_bundle_cb *cb, uint64_t at,
		      od_err *e)
{
	uint64_t off, size;
	if (nt != 4 || !is_sha(t[1].p, t[1].n) || !parse_u64(t[2].p, t[2].n, &off) || !parse_u64(t[3].p, t[3].n, &size))
		return od_fail(e, OD_E_FORMAT, at, "malformed image record");
	if (off > data.len || size > data.len - off)
		return od_fail(e, OD_E_TRUNC, at, "image bytes 0x%llx+0x%llx outside the data part",
			       (unsigned long long)off, (unsigned long long)size);
	/* Ascending, disjoint ranges: the images together never take more
	 * bytes than the data part holds (overlaps grew 1 MB into 210 MB). */
	if (off < *end)
		return od_fail(e, OD_E_FORMAT, at, "image bytes 0x%llx+0x%llx overlap the previous image (ends at 0x%llx)",
			       (unsigned long long)off, (unsigned long long)size, (unsigned long long)*end);
	if (size == 0 || size > OD_BUNDLE_IMAGE_MAX)
		return od_fail(e, OD_E_LIMIT, at, "image of %llu bytes (an option ROM has 1 to %u)", (unsigned long long)size,
			       OD_BUNDLE_IMAGE_MAX);
	*end = off + size;
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
	static const char *const kinds[] = { "update", "spi", "host", "rom", "bundle" };
	bool kind_ok = false;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		kind_ok |= !strcmp(s.obtained, kinds[k]);
	if (!kind_ok)
		return od_fail(e, OD_E_FORMAT, at, "source obtained=%s is none of update, spi, host, rom, bundle", s.obtained);
	return cb->source ? cb->source(cb->arg, &s, e) : OD_OK;
}

int od_bundle_walk(od_span s, const od_bundle_cb *cb, od_err *e)
{
	od_bundle_hdr h;
	if (!od_match(s, 0, OD_BUNDLE_TAG, 8))
		return od_fail(e, OD_E_FORMAT, s.off, "not an optimus-db bundle (no ODBUNDLE signature)");
	OD_TRY(od_bundle_hdr_read(s, 0, &h, e));
	uint32_t version = h.version, mlen = h.manifest_len;
	uint64_t dlen = h.data_len;
	if (version != 1)
		return od_fail(e, OD_E_UNSUPPORTED, s.off + OD_OFF(od_bundle_hdr, version), "bundle version %u (this optimus-db reads 1)", version);
	od_span man, data;
	OD_TRY(od_sub(s, HDR_LEN, mlen, &man, e));
	if (dlen != s.len - HDR_LEN - mlen)
		return od_fail(e, OD_E_TRUNC, s.off + OD_OFF(od_bundle_hdr, data_len), "data part is %zu bytes, header says %llu", s.len - HDR_LEN - mlen,
			       (unsigned long long)dlen);
	OD_TRY(od_tail(s, HDR_LEN + (size_t)mlen, &data, e));
	if (dlen > OD_BUNDLE_DATA_MAX)
		return od_fail(e, OD_E_LIMIT, s.off + OD_OFF(od_bundle_hdr, data_len), "data part of %llu bytes (at most %llu imported at once)",
			       (unsigned long long)dlen, (unsigned long long)OD_BUNDLE_DATA_MAX);
	seen sn = { NULL, 0, 0 };
	uint64_t end = 0;
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
			rc = line_image(data, t, nt, &sn, &end, cb, off, e);
		else if (t[0].n == 6 && !memcmp(t[0].p, "source", 6))
			rc = line_source(t, nt, &sn, cb, off, e);
		else
			rc = od_fail(e, OD_E_FORMAT, off, "unknown manifest record");
		at += len + 1;
	}
	free(sn.sha);
	return rc;
}
