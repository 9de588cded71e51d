/* SPDX-License-Identifier: BSD-2-Clause */
/* The bounded reader: the only way a parser touches input bytes.
 *
 * A span is a view (pointer, length) plus the offset of its first byte within
 * the buffer it came from (the input file, or a decompressed stream), so every
 * error can name an absolute offset. Every accessor checks bounds and returns
 * an error code instead of reading past the end; sub-spans are checked too.
 * No parser indexes a raw buffer or casts a struct over file bytes. */
#ifndef OD_READER_H
#define OD_READER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Error codes. 0 is success; every failure is negative so `if (rc)` works. */
enum {
	OD_OK = 0,
	OD_E_TRUNC = -1,       /* a read or sub-range runs past the end */
	OD_E_FORMAT = -2,      /* a field has a value the format forbids */
	OD_E_LIMIT = -3,       /* depth / node / output budget exceeded */
	OD_E_NOMEM = -4,       /* allocation failed */
	OD_E_LOOP = -5,        /* a chain of references loops or overlaps */
	OD_E_UNSUPPORTED = -6, /* recognised but not implemented (e.g. UPX) */
	OD_E_IO = -7,          /* file system (CLI / db only, never parsers) */
	OD_E_CHECKSUM = -8,    /* checksum or hash mismatch */
	OD_E_NOTFOUND = -9,    /* lookup found nothing (CLI / db) */
	OD_E_USAGE = -10,      /* bad arguments (CLI) */
};

#define OD_ERR_PATH_MAX 512
#define OD_ERR_MSG_MAX 256

/* An error value: code, the offset where it happened (relative to the
 * innermost buffer named by the path), the container path and a message.
 * Parsers fill code/off/msg; callers prepend path components on the way out
 * (fwupd's g_prefix_error habit), so the message reads outside-in:
 * "capsule > FV 2 > file 7a9354d9 > LZMA > ROM image 2 > PCIR". */
typedef struct od_err {
	int code;
	uint64_t off;
	bool has_off;
	bool located; /* path runs from the input's root (od_err_locate): no more prefixes */
	char path[OD_ERR_PATH_MAX];
	char msg[OD_ERR_MSG_MAX];
} od_err;

typedef struct od_span {
	const uint8_t *p;
	size_t len;
	uint64_t off; /* offset of p[0] within its buffer */
} od_span;

typedef struct od_guid {
	uint8_t b[16]; /* as stored on disk (mixed-endian EFI_GUID layout) */
} od_guid;

#define OD_TRY(expr)                 \
	do {                             \
		int od_rc_ = (expr);         \
		if (od_rc_)                  \
			return od_rc_;           \
	} while (0)

/* --- errors --- */
void od_err_clear(od_err *e);
/* Sets code, offset and message; returns code so `return od_fail(...)` works.
 * e may be NULL (probes that only want a yes/no). */
int od_fail(od_err *e, int code, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The same for errors that have no offset (a file that cannot be opened, a
 * database error, a usage error): the message is printed without "at 0x". */
int od_fail_nooff(od_err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Prepends "label > " to the path (label is printf-formatted), unless the path
 * is already complete (e->located). Returns e->code. */
int od_err_prefix(od_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "path: at 0x1234: msg" into buf. */
const char *od_err_str(const od_err *e, char *buf, size_t n);
const char *od_code_name(int code);

/* --- spans --- */
static inline od_span od_span_make(const void *p, size_t len, uint64_t off)
{
	od_span s = { (const uint8_t *)p, len, off };
	return s;
}
/* Sub-range [at, at+len) of s, checked. The result keeps absolute offsets. */
int od_sub(od_span s, size_t at, size_t len, od_span *out, od_err *e);
/* Everything from `at` to the end of s. */
int od_tail(od_span s, size_t at, od_span *out, od_err *e);
/* A pointer to n readable bytes at `at` (for memcmp/memcpy by callers). */
int od_bytes(od_span s, size_t at, size_t n, const uint8_t **p, od_err *e);
int od_copy(od_span s, size_t at, void *dst, size_t n, od_err *e);

int od_u8(od_span s, size_t at, uint8_t *v, od_err *e);
int od_u16(od_span s, size_t at, uint16_t *v, od_err *e);
int od_u24(od_span s, size_t at, uint32_t *v, od_err *e);
int od_u32(od_span s, size_t at, uint32_t *v, od_err *e);
int od_u64(od_span s, size_t at, uint64_t *v, od_err *e);
int od_u16be(od_span s, size_t at, uint16_t *v, od_err *e);
int od_u32be(od_span s, size_t at, uint32_t *v, od_err *e);
int od_guid_at(od_span s, size_t at, od_guid *g, od_err *e);

/* True when the n bytes at `at` exist and equal m (no error: a test). */
bool od_match(od_span s, size_t at, const void *m, size_t n);
/* First index >= from where needle occurs, or SIZE_MAX. */
size_t od_find(od_span s, size_t from, const void *needle, size_t n);
/* Byte sums, for the many 8/16-bit checksums in firmware formats. */
uint8_t od_sum8(od_span s);
uint16_t od_sum16(od_span s); /* sum of LE u16 words; odd tail byte ignored */

/* Value of one hex digit, or -1. */
int od_hexval(char c);

/* --- GUIDs --- */
/* Parses "EE4E5898-3914-4259-9D6E-DC7BD79403CF" into on-disk layout. */
bool od_guid_parse(const char *str, od_guid *g);
bool od_guid_eq(const od_guid *a, const od_guid *b);
/* Canonical upper-case text (37 bytes incl. NUL). */
const char *od_guid_str(const od_guid *g, char out[37]);

/* Overflow-checked size arithmetic. */
static inline bool od_add_ok(size_t a, size_t b, size_t *r)
{
	return !__builtin_add_overflow(a, b, r);
}
static inline bool od_mul_ok(size_t a, size_t b, size_t *r)
{
	return !__builtin_mul_overflow(a, b, r);
}

#endif
