/* SPDX-License-Identifier: BSD-2-Clause */
/* Test-side EFI/Tiano compressor: see tiano_compress.h. Codes used:
 * C set (510 symbols): symbols 0,1 get 8-bit codes, 2..509 9-bit codes;
 * T set: only symbols 10 and 11 (C lengths 8 and 9), 1 bit each;
 * P set: 14 symbols, 0..1 3-bit codes, 2..13 4-bit codes (distances < 8 KiB). */
#include "tiano_compress.h"

#include <stdlib.h>
#include <string.h>

typedef struct bw {
	uint8_t *buf;
	size_t cap, bits;
} bw;

static void put(bw *w, uint32_t v, unsigned n)
{
	for (unsigned i = n; i-- > 0;) {
		size_t byte = w->bits >> 3;
		if (byte >= w->cap) {
			w->cap = w->cap * 2 + 64;
			w->buf = realloc(w->buf, w->cap);
			memset(w->buf + byte, 0, w->cap - byte);
		}
		if ((v >> i) & 1)
			w->buf[byte] |= (uint8_t)(0x80 >> (w->bits & 7));
		w->bits++;
	}
}

static void put_c(bw *w, unsigned sym)
{
	if (sym < 2)
		put(w, sym, 8);
	else
		put(w, sym + 2, 9);
}

static void put_p(bw *w, unsigned val)
{
	if (val < 2)
		put(w, val, 3);
	else
		put(w, val + 2, 4);
}

static void block_header(bw *w, unsigned nsym, unsigned pbit)
{
	put(w, nsym, 16);
	/* T set: 12 lengths; indices 0-2 zero, 2-bit run of 3 zeros, 6-9 zero, 10-11 one. */
	put(w, 12, 5);
	for (int i = 0; i < 3; i++)
		put(w, 0, 3);
	put(w, 3, 2);
	for (int i = 6; i < 10; i++)
		put(w, 0, 3);
	put(w, 1, 3);
	put(w, 1, 3);
	/* C set: 510 lengths, each one T code: '0' = length 8, '1' = length 9. */
	put(w, 510, 9);
	for (int i = 0; i < 510; i++)
		put(w, i < 2 ? 0 : 1, 1);
	/* P set: 14 lengths, 3 bits each. */
	put(w, 14, pbit);
	for (int i = 0; i < 14; i++)
		put(w, i < 2 ? 3 : 4, 3);
}

/* The same header with a one-symbol P table (n = 0, symbol 0: every match
 * has distance 1, coded in zero bits). Read with the other PBIT, the P
 * header is 8 bits instead of 10 and everything after it shifts by 2 bits:
 * the decoder sees a different but still complete code, the ambiguity real
 * type-1 sections hit. */
static void block_header_runs(bw *w, unsigned nsym, unsigned pbit)
{
	put(w, nsym, 16);
	put(w, 12, 5);
	for (int i = 0; i < 3; i++)
		put(w, 0, 3);
	put(w, 3, 2);
	for (int i = 6; i < 10; i++)
		put(w, 0, 3);
	put(w, 1, 3);
	put(w, 1, 3);
	put(w, 510, 9);
	for (int i = 0; i < 510; i++)
		put(w, i < 2 ? 0 : 1, 1);
	put(w, 0, pbit);
	put(w, 0, pbit);
}

static void put_match(bw *w, unsigned len, unsigned dist)
{
	put_c(w, len + 253);
	unsigned pos = dist - 1, val = 0;
	if (pos < 2) {
		put_p(w, pos);
		return;
	}
	for (unsigned t = pos; t; t >>= 1)
		val++;
	put_p(w, val);
	put(w, pos - (1u << (val - 1)), val - 1);
}

static size_t longest(const uint8_t *in, size_t n, size_t at, size_t *dist)
{
	size_t best = 0;
	size_t lo = at > 8000 ? at - 8000 : 0;
	for (size_t from = at; from-- > lo && best < 256;) {
		size_t l = 0;
		while (l < 256 && at + l < n && in[from + l] == in[at + l])
			l++;
		if (l > best) {
			best = l;
			*dist = at - from;
		}
		if (at - from > 512 && best >= 3)
			break; /* keep the test compressor quick */
	}
	return best;
}

/* Symbols are gathered first so each block header carries its count. */
typedef struct sym {
	uint16_t len, dist; /* len 0: literal in dist */
} sym;

uint8_t *tc_compress(const uint8_t *in, size_t n, unsigned pbit, bool matches, size_t *out_len)
{
	sym *syms = malloc((n + 1) * sizeof(sym));
	size_t ns = 0;
	for (size_t at = 0; at < n;) {
		size_t dist = 0, l = matches ? longest(in, n, at, &dist) : 0;
		if (l >= 3) {
			syms[ns++] = (sym){ (uint16_t)l, (uint16_t)dist };
			at += l;
		} else {
			syms[ns++] = (sym){ 0, in[at] };
			at++;
		}
	}
	bw w = { 0 };
	put(&w, 0, 0);
	for (size_t i = 0; i < ns;) {
		size_t k = ns - i > 65535 ? 65535 : ns - i;
		block_header(&w, (unsigned)k, pbit);
		for (size_t j = i; j < i + k; j++) {
			if (syms[j].len)
				put_match(&w, syms[j].len, syms[j].dist);
			else
				put_c(&w, syms[j].dist);
		}
		i += k;
	}
	free(syms);
	size_t comp = (w.bits + 7) / 8;
	uint8_t *out = calloc(1, comp + 8);
	uint32_t c32 = (uint32_t)comp, o32 = (uint32_t)n;
	memcpy(out, &c32, 4);
	memcpy(out + 4, &o32, 4);
	if (comp)
		memcpy(out + 8, w.buf, comp);
	free(w.buf);
	*out_len = comp + 8;
	return out;
}

uint8_t *tc_match_before_start(unsigned pbit, size_t *out_len)
{
	bw w = { 0 };
	block_header(&w, 1, pbit);
	put_match(&w, 3, 100);
	size_t comp = (w.bits + 7) / 8;
	uint8_t *out = calloc(1, comp + 8);
	uint32_t c32 = (uint32_t)comp, o32 = 64;
	memcpy(out, &c32, 4);
	memcpy(out + 4, &o32, 4);
	memcpy(out + 8, w.buf, comp);
	free(w.buf);
	*out_len = comp + 8;
	return out;
}

uint8_t *tc_compress_runs(const uint8_t *in, size_t n, unsigned pbit, size_t *out_len)
{
	/* Symbols: a literal, or a run of 3..256 copies of the previous byte. */
	size_t ns = 0;
	for (size_t at = 0; at < n; ns++) {
		size_t run = 0;
		while (at > 0 && run < 256 && at + run < n && in[at + run] == in[at - 1])
			run++;
		at += run >= 3 ? run : 1;
	}
	bw w = { 0 };
	put(&w, 0, 0);
	for (size_t at = 0, done = 0; at < n;) {
		if (done % 65535 == 0) {
			size_t left = ns - done;
			block_header_runs(&w, (unsigned)(left > 65535 ? 65535 : left), pbit);
		}
		size_t run = 0;
		while (at > 0 && run < 256 && at + run < n && in[at + run] == in[at - 1])
			run++;
		if (run >= 3) {
			put_c(&w, (unsigned)run + 253);
			at += run;
		} else {
			put_c(&w, in[at]);
			at++;
		}
		done++;
	}
	size_t comp = (w.bits + 7) / 8;
	uint8_t *out = calloc(1, comp + 8);
	uint32_t c32 = (uint32_t)comp, o32 = (uint32_t)n;
	memcpy(out, &c32, 4);
	memcpy(out + 4, &o32, 4);
	if (comp)
		memcpy(out + 8, w.buf, comp);
	free(w.buf);
	*out_len = comp + 8;
	return out;
}
