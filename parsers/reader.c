/* SPDX-License-Identifier: BSD-2-Clause */
/* The bounded reader: see reader.h for why it exists. */
#include "reader.h"

#include <stdio.h>
#include <string.h>

void od_err_clear(od_err *e)
{
	if (e)
		memset(e, 0, sizeof(*e));
}

/* printf-checked like its callers: -Wformat-nonliteral under clang. */
__attribute__((format(printf, 5, 0))) static int vfail(od_err *e, int code, uint64_t off, bool has_off, const char *fmt, va_list ap)
{
	if (!e)
		return code;
	e->code = code;
	e->off = off;
	e->has_off = has_off;
	e->located = false;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	return code;
}

int od_fail(od_err *e, int code, uint64_t off, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(e, code, off, true, fmt, ap);
	va_end(ap);
	return code;
}

int od_fail_nooff(od_err *e, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(e, code, 0, false, fmt, ap);
	va_end(ap);
	return code;
}

int od_err_prefix(od_err *e, const char *fmt, ...)
{
	if (!e)
		return OD_E_FORMAT;
	if (e->located)
		return e->code;
	char label[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(label, sizeof(label), fmt, ap);
	va_end(ap);
	/* Shift the existing path right and put "label > " in front; clip at
	 * the end (the outermost components matter most). */
	size_t ll = strlen(label), old = strlen(e->path), sep = old ? 3 : 0;
	size_t room = sizeof(e->path) - 1;
	if (ll > room)
		ll = room;
	size_t keep = old;
	if (ll + sep + keep > room)
		keep = room - ll - sep > room ? 0 : room - ll - sep;
	memmove(e->path + ll + sep, e->path, keep);
	e->path[ll + sep + keep] = 0;
	memcpy(e->path, label, ll);
	if (sep)
		memcpy(e->path + ll, " > ", 3);
	return e->code;
}

const char *od_code_name(int code)
{
	switch (code) {
	case OD_OK: return "ok";
	case OD_E_TRUNC: return "truncated";
	case OD_E_FORMAT: return "malformed";
	case OD_E_LIMIT: return "limit exceeded";
	case OD_E_NOMEM: return "out of memory";
	case OD_E_LOOP: return "loop or overlap";
	case OD_E_UNSUPPORTED: return "not supported";
	case OD_E_IO: return "I/O error";
	case OD_E_CHECKSUM: return "checksum mismatch";
	case OD_E_NOTFOUND: return "not found";
	case OD_E_USAGE: return "usage";
	}
	return "error";
}

const char *od_err_str(const od_err *e, char *buf, size_t n)
{
	if (e->has_off)
		snprintf(buf, n, "%s%sat offset 0x%llx: %s: %s", e->path, e->path[0] ? ": " : "",
			 (unsigned long long)e->off, od_code_name(e->code), e->msg);
	else
		snprintf(buf, n, "%s%s%s: %s", e->path, e->path[0] ? ": " : "",
			 od_code_name(e->code), e->msg);
	return buf;
}

static int fail_trunc(od_span s, size_t at, size_t n, od_err *e)
{
	size_t left = at < s.len ? s.len - at : 0;
	return od_fail(e, OD_E_TRUNC, s.off + at, "need %zu bytes, %zu left", n, left);
}

int od_bytes(od_span s, size_t at, size_t n, const uint8_t **p, od_err *e)
{
	if (at > s.len || n > s.len - at)
		return fail_trunc(s, at, n, e);
	*p = s.p + at;
	return OD_OK;
}

int od_sub(od_span s, size_t at, size_t len, od_span *out, od_err *e)
{
	const uint8_t *p = NULL;
	OD_TRY(od_bytes(s, at, len, &p, e));
	*out = od_span_make(p, len, s.off + at);
	return OD_OK;
}

int od_tail(od_span s, size_t at, od_span *out, od_err *e)
{
	if (at > s.len)
		return fail_trunc(s, at, 0, e);
	return od_sub(s, at, s.len - at, out, e);
}

int od_copy(od_span s, size_t at, void *dst, size_t n, od_err *e)
{
	const uint8_t *p = NULL;
	OD_TRY(od_bytes(s, at, n, &p, e));
	if (n)
		memcpy(dst, p, n);
	return OD_OK;
}

/* n bytes at `at` as an unsigned integer, little- or big-endian: the one
 * body of every fixed-width read below. */
static inline int uint_at(od_span s, size_t at, unsigned n, bool be, uint64_t *v, od_err *e)
{
	const uint8_t *p = NULL;
	OD_TRY(od_bytes(s, at, n, &p, e));
	uint64_t x = 0;
	for (unsigned i = 0; i < n; i++)
		x |= (uint64_t)p[be ? n - 1 - i : i] << (8 * i);
	*v = x;
	return OD_OK;
}

/* od_u8, od_u16, od_u24, od_u32, od_u16be, od_u32be (reader.h): *v is
 * written only when the bytes are there. */
#define OD_UINT_READER(name, type, n, be)                                   \
	int name(od_span s, size_t at, type *v, od_err *e)                  \
	{                                                                   \
		uint64_t x;                                                 \
		OD_TRY(uint_at(s, at, n, be, &x, e));                       \
		*v = (type)x;                                               \
		return OD_OK;                                               \
	}
OD_UINT_READER(od_u8, uint8_t, 1, false)
OD_UINT_READER(od_u16, uint16_t, 2, false)
OD_UINT_READER(od_u24, uint32_t, 3, false)
OD_UINT_READER(od_u32, uint32_t, 4, false)
OD_UINT_READER(od_u16be, uint16_t, 2, true)
OD_UINT_READER(od_u32be, uint32_t, 4, true)
#undef OD_UINT_READER

/* Two halves, so a cut value is reported at the half that is missing. */
int od_u64(od_span s, size_t at, uint64_t *v, od_err *e)
{
	uint32_t lo, hi;
	OD_TRY(od_u32(s, at, &lo, e));
	OD_TRY(od_u32(s, at + 4 < at ? SIZE_MAX : at + 4, &hi, e));
	*v = (uint64_t)hi << 32 | lo;
	return OD_OK;
}

int od_guid_at(od_span s, size_t at, od_guid *g, od_err *e)
{
	return od_copy(s, at, g->b, 16, e);
}

bool od_match(od_span s, size_t at, const void *m, size_t n)
{
	return at <= s.len && n <= s.len - at && memcmp(s.p + at, m, n) == 0;
}

size_t od_find(od_span s, size_t from, const void *needle, size_t n)
{
	if (n == 0 || from > s.len || n > s.len - from)
		return SIZE_MAX;
	const uint8_t *hit = memmem(s.p + from, s.len - from, needle, n);
	return hit ? (size_t)(hit - s.p) : SIZE_MAX;
}

uint8_t od_sum8(od_span s)
{
	uint8_t sum = 0;
	for (size_t i = 0; i < s.len; i++)
		sum = (uint8_t)(sum + s.p[i]);
	return sum;
}

uint16_t od_sum16(od_span s)
{
	uint16_t sum = 0;
	for (size_t i = 0; i + 1 < s.len; i += 2)
		sum = (uint16_t)(sum + (s.p[i] | s.p[i + 1] << 8));
	return sum;
}

int od_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* EFI_GUID stores Data1..Data3 little-endian and Data4 as bytes (UEFI spec
 * Appendix A), so text order differs from byte order for the first 8 bytes. */
static const uint8_t guid_order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };

bool od_guid_parse(const char *str, od_guid *g)
{
	uint8_t text[16];
	size_t k = 0;
	for (size_t i = 0; str[i]; i++) {
		if (str[i] == '-')
			continue;
		int hi = od_hexval(str[i]), lo = str[i + 1] ? od_hexval(str[i + 1]) : -1;
		if (hi < 0 || lo < 0 || k >= 16)
			return false;
		text[k++] = (uint8_t)(hi << 4 | lo);
		i++;
	}
	if (k != 16)
		return false;
	for (size_t i = 0; i < 16; i++)
		g->b[guid_order[i]] = text[i];
	return true;
}

bool od_guid_eq(const od_guid *a, const od_guid *b)
{
	return memcmp(a->b, b->b, 16) == 0;
}

const char *od_guid_str(const od_guid *g, char out[37])
{
	static const char hx[] = "0123456789ABCDEF";
	size_t k = 0;
	for (size_t i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		uint8_t b = g->b[guid_order[i]];
		out[k++] = hx[b >> 4];
		out[k++] = hx[b & 15];
	}
	out[k] = 0;
	return out;
}
