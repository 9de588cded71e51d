/* SPDX-License-Identifier: BSD-2-Clause */
/* AML writer: see aml.h. Encodings from ACPI 6.5 sec. 20.2 (grammar). */
#include "aml.h"

#include <stdlib.h>
#include <string.h>

void aml_init(aml *a)
{
	memset(a, 0, sizeof(*a));
}

void aml_free(aml *a)
{
	free(a->p);
	memset(a, 0, sizeof(*a));
}

static bool reserve(aml *a, size_t n)
{
	if (a->failed)
		return false;
	if (a->len + n <= a->cap)
		return true;
	size_t cap = (a->len + n) * 2 + 256;
	uint8_t *p = realloc(a->p, cap);
	if (!p) {
		a->failed = true;
		return false;
	}
	a->p = p;
	a->cap = cap;
	return true;
}

void aml_bytes(aml *a, const void *d, size_t n)
{
	if (n && reserve(a, n)) {
		memcpy(a->p + a->len, d, n);
		a->len += n;
	}
}

void aml_byte(aml *a, uint8_t b)
{
	aml_bytes(a, &b, 1);
}

void aml_int(aml *a, uint64_t v)
{
	uint8_t b[9];
	size_t n;
	if (v == 0) {
		aml_byte(a, AML_ZERO);
		return;
	}
	if (v == 1) {
		aml_byte(a, AML_ONE);
		return;
	}
	if (v <= 0xFF) {
		b[0] = AML_BYTE, n = 1;
	} else if (v <= 0xFFFF) {
		b[0] = AML_WORD, n = 2;
	} else if (v <= 0xFFFFFFFFu) {
		b[0] = AML_DWORD, n = 4;
	} else {
		b[0] = AML_QWORD, n = 8;
	}
	for (size_t i = 0; i < n; i++)
		b[1 + i] = (uint8_t)(v >> (8 * i));
	aml_bytes(a, b, n + 1);
}

/* NameSeg: a lead char A-Z or '_', then A-Z, 0-9, '_'; padded to 4. */
static bool seg(const char *s, size_t n, uint8_t out[4])
{
	if (n == 0 || n > 4)
		return false;
	for (size_t i = 0; i < 4; i++) {
		char c = i < n ? s[i] : '_';
		bool ok = (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
		if (!ok)
			return false;
		out[i] = (uint8_t)c;
	}
	return true;
}

void aml_name(aml *a, const char *path)
{
	uint8_t segs[255][4];
	size_t nseg = 0;
	const char *p = path;
	if (*p == '\\') {
		aml_byte(a, '\\');
		p++;
	}
	while (*p == '^') {
		aml_byte(a, '^');
		p++;
	}
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (nseg == 255 || !seg(p, n, segs[nseg])) {
			a->failed = true;
			return;
		}
		nseg++;
		p += n;
		if (*p == '.')
			p++;
	}
	if (nseg == 0) {
		aml_byte(a, 0x00); /* NullName */
	} else if (nseg == 2) {
		aml_byte(a, 0x2E); /* DualNamePrefix */
	} else if (nseg > 2) {
		aml_byte(a, 0x2F); /* MultiNamePrefix */
		aml_byte(a, (uint8_t)nseg);
	}
	for (size_t i = 0; i < nseg; i++)
		aml_bytes(a, segs[i], 4);
}

void aml_string(aml *a, const char *s)
{
	aml_byte(a, AML_STRING);
	aml_bytes(a, s, strlen(s) + 1);
}

void aml_name_package(aml *a, const char *name, unsigned count)
{
	aml_byte(a, AML_NAME);
	aml_name(a, name);
	aml_open(a, AML_PACKAGE, false); /* PkgLength NumElements elements */
	aml_byte(a, (uint8_t)count);
}

void aml_method_return_int(aml *a, const char *name, uint64_t v)
{
	aml_open(a, AML_METHOD, false);
	aml_name(a, name);
	aml_byte(a, 0x00); /* no arguments, not serialized */
	aml_byte(a, AML_RETURN);
	aml_int(a, v);
	aml_close(a);
}

size_t aml_pkglen_encode(size_t len, uint8_t out[4])
{
	/* The length counts its own encoding: try 1, 2, 3, 4 bytes. */
	if (len + 1 <= 0x3F) {
		out[0] = (uint8_t)(len + 1);
		return 1;
	}
	for (size_t n = 2; n <= 4; n++) {
		size_t total = len + n;
		if (total < ((size_t)1 << (4 + 8 * (n - 1)))) {
			out[0] = (uint8_t)(((n - 1) << 6) | (total & 0x0F));
			for (size_t i = 1; i < n; i++)
				out[i] = (uint8_t)(total >> (4 + 8 * (i - 1)));
			return n;
		}
	}
	return 0;
}

void aml_open(aml *a, uint8_t op, bool ext)
{
	if (a->depth >= AML_MAX_NEST) {
		a->failed = true;
		return;
	}
	if (ext)
		aml_byte(a, AML_EXT_PREFIX);
	aml_byte(a, op);
	a->open[a->depth++] = a->len;
}

void aml_close(aml *a)
{
	if (a->depth <= 0 || a->failed) {
		a->failed = true;
		return;
	}
	size_t start = a->open[--a->depth];
	size_t body = a->len - start;
	uint8_t enc[4];
	size_t n = aml_pkglen_encode(body, enc);
	if (n == 0 || !reserve(a, n)) {
		a->failed = true;
		return;
	}
	memmove(a->p + start + n, a->p + start, body);
	memcpy(a->p + start, enc, n);
	a->len += n;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* ACPI 6.5 sec. 5.2.6 System Description Table Header (36 bytes). */
bool aml_table(aml *body, const char sig[4], const char oem_id[6], const char table_id[8], uint32_t oem_rev,
	       uint8_t **out, size_t *out_len)
{
	if (body->failed || body->depth != 0 || body->len > 0xFFFFFFFFu - 36)
		return false;
	size_t len = 36 + body->len;
	uint8_t *t = calloc(1, len);
	if (!t)
		return false;
	memcpy(t, sig, 4);
	put32(t + 4, (uint32_t)len);
	t[8] = 2; /* revision 2: 64-bit integers */
	memcpy(t + 10, oem_id, 6);
	memcpy(t + 16, table_id, 8);
	put32(t + 24, oem_rev);
	memcpy(t + 28, "ODB ", 4); /* creator ID */
	put32(t + 32, 1);
	memcpy(t + 36, body->p, body->len);
	uint8_t sum = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + t[i]);
	t[9] = (uint8_t)(0x100 - sum);
	*out = t;
	*out_len = len;
	return true;
}

void aml_clamp(aml *a, uint8_t target, uint64_t max)
{
	aml_open(a, AML_IF, false);
	aml_byte(a, AML_LGREATER);
	aml_byte(a, target);
	aml_int(a, max);
	aml_byte(a, AML_STORE);
	aml_int(a, max);
	aml_byte(a, target);
	aml_close(a);
}
