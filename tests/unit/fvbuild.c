/* SPDX-License-Identifier: BSD-2-Clause */
#include "fvbuild.h"

#include <lzma.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put24(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)v); put32(p + 4, (uint32_t)(v >> 32)); }

uint8_t *fb_section(uint8_t type, const uint8_t *body, size_t len, size_t *n)
{
	*n = 4 + len;
	uint8_t *s = calloc(1, *n);
	put24(s, (uint32_t)*n);
	s[3] = type;
	memcpy(s + 4, body, len);
	return s;
}

uint8_t *fb_guid_section(const char *guid, uint16_t attrs, const uint8_t *data, size_t len, size_t *n)
{
	*n = 0x18 + len;
	uint8_t *s = calloc(1, *n);
	put24(s, (uint32_t)*n);
	s[3] = 0x02;
	od_guid g;
	od_guid_parse(guid, &g);
	memcpy(s + 4, g.b, 16);
	put16(s + 0x14, 0x18);
	put16(s + 0x16, attrs);
	memcpy(s + 0x18, data, len);
	return s;
}

uint8_t *fb_file(uint8_t name_byte, uint8_t type, const uint8_t *data, size_t len, size_t *n)
{
	*n = 24 + len;
	uint8_t *f = calloc(1, *n);
	memset(f, name_byte, 16);
	f[0x12] = type;
	f[0x13] = 0;
	put24(f + 0x14, (uint32_t)*n);
	f[0x17] = 0;
	f[0x11] = 0xAA;
	uint8_t sum = 0;
	for (int i = 0; i < 24; i++)
		if (i != 0x11 && i != 0x17)
			sum = (uint8_t)(sum + f[i]);
	f[0x10] = (uint8_t)(0x100 - sum);
	f[0x17] = 0xF8; /* ~(construction | header valid | data valid) */
	memcpy(f + 24, data, len);
	return f;
}

uint8_t *fb_volume(const uint8_t *files, size_t len, size_t fv_len, size_t *n)
{
	size_t hdr = 0x48;
	if (fv_len == 0)
		fv_len = (hdr + len + 7) & ~(size_t)7;
	*n = fv_len;
	uint8_t *v = malloc(fv_len);
	memset(v, 0xFF, fv_len);
	memset(v, 0, hdr);
	od_guid g;
	od_guid_parse("8C8CE578-8A3D-4F1C-9935-896185C32DD3", &g);
	memcpy(v + 0x10, g.b, 16);
	put64(v + 0x20, fv_len);
	memcpy(v + 0x28, "_FVH", 4);
	put32(v + 0x2C, 0x0004FEFF); /* erase polarity 1 and the usual caps */
	put16(v + 0x30, (uint16_t)hdr);
	v[0x37] = 2;
	put32(v + 0x38, (uint32_t)fv_len); /* one block of fv_len bytes */
	put32(v + 0x3C, 1);
	/* block map terminator at 0x40 stays zero */
	uint16_t sum = 0;
	for (size_t i = 0; i < hdr; i += 2)
		sum = (uint16_t)(sum + (v[i] | v[i + 1] << 8));
	put16(v + 0x32, (uint16_t)(0x10000 - sum));
	memcpy(v + hdr, files, len);
	return v;
}

uint8_t *fb_rom(size_t *n)
{
	*n = 1024;
	uint8_t *p = calloc(1, 1024);
	p[0] = 0x55;
	p[1] = 0xAA;
	p[2] = 2;
	put16(p + 0x18, 0x20);
	memcpy(p + 0x20, "PCIR", 4);
	put16(p + 0x24, 0x1234);
	put16(p + 0x26, 0x1111);
	put16(p + 0x2A, 0x18);
	p[0x2F] = 0x03;
	put16(p + 0x30, 2);
	p[0x35] = 0x80;
	uint8_t sum = 0;
	for (int i = 0; i < 1023; i++)
		sum = (uint8_t)(sum + p[i]);
	p[1023] = (uint8_t)(0x100 - sum);
	return p;
}

uint8_t *fb_lzma(const uint8_t *data, size_t len, size_t *n)
{
	lzma_options_lzma opt;
	lzma_lzma_preset(&opt, 6);
	opt.dict_size = 1 << 20;
	lzma_stream st = LZMA_STREAM_INIT;
	if (lzma_alone_encoder(&st, &opt) != LZMA_OK)
		return NULL;
	size_t cap = len + len / 2 + 4096;
	uint8_t *out = malloc(cap);
	st.next_in = data;
	st.avail_in = len;
	st.next_out = out;
	st.avail_out = cap;
	while (lzma_code(&st, LZMA_FINISH) == LZMA_OK)
		;
	*n = cap - st.avail_out;
	lzma_end(&st);
	/* edk2 writes the real size where the alone encoder writes "unknown". */
	put64(out + 5, len);
	return out;
}
