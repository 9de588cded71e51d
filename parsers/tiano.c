/* SPDX-License-Identifier: BSD-2-Clause */
/* EFI 1.1 and Tiano decompression (UEFI 2.10 Appendix H "Compression
 * Source Code" / PI spec vol. 3 sec. 2.1.3; constants as in edk2
 * MdePkg BaseUefiDecompressLib). LZ77 + static Huffman blocks; the two
 * variants differ only in the position-set width (PBIT 4 vs 5).
 *
 * Written for hostile input: every table length, code-length sum, tree walk,
 * match position and output byte is checked; reading past the compressed
 * data is an error, not a stream of zeros as in edk2. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "decompress.h"

enum {
	BITBUFSIZ = 32,
	MAXMATCH = 256,
	THRESHOLD = 3,
	CODE_BIT = 16,
	NC = 0xFF + MAXMATCH + 2 - THRESHOLD, /* 510 literal/length symbols */
	CBIT = 9,
	MAXPBIT = 5,
	TBIT = 5,
	MAXNP = (1 << MAXPBIT) - 1,
	NT = CODE_BIT + 3,
	NPT = NT > MAXNP ? NT : MAXNP,
	NODES = 2 * NC - 1,
};

typedef struct tiano {
	const uint8_t *src;
	size_t src_len;     /* bytes of bit stream (CompSize) */
	uint64_t bitpos;    /* next unread bit */
	uint32_t bitbuf;    /* the next 32 bits, MSB first (edk2's mBitBuf) */
	bool overrun;
	uint8_t *dst;
	size_t dst_len, out;
	unsigned pbit;
	uint16_t block_left;
	bool bad;
	const char *why;
	uint16_t left[NODES], right[NODES];
	uint8_t c_len[NC], pt_len[NPT];
	uint16_t c_table[4096], pt_table[256];
} tiano;

static uint32_t peek32(const tiano *t)
{
	uint64_t byte = t->bitpos >> 3;
	unsigned shift = (unsigned)(t->bitpos & 7);
	uint64_t acc = 0;
	if (byte + 5 <= t->src_len) { /* the common case: no byte past the end */
		const uint8_t *q = t->src + byte;
		acc = (uint64_t)q[0] << 32 | (uint64_t)q[1] << 24 | (uint64_t)q[2] << 16 | (uint64_t)q[3] << 8 | q[4];
		return (uint32_t)(acc >> (8 - shift));
	}
	for (int i = 0; i < 5; i++) {
		acc <<= 8;
		if (byte + (uint64_t)i < t->src_len)
			acc |= t->src[byte + (uint64_t)i];
	}
	return (uint32_t)(acc >> (8 - shift));
}

static void fill(tiano *t, unsigned n)
{
	if (n == 0) /* a one-symbol table: codes of length 0 consume nothing */
		return;
	t->bitpos += n;
	/* edk2 pre-reads 32 bits; only bits actually consumed must exist. */
	if (t->bitpos > (uint64_t)t->src_len * 8)
		t->overrun = true;
	t->bitbuf = peek32(t);
}

static uint32_t get_bits(tiano *t, unsigned n)
{
	if (n == 0)
		return 0;
	uint32_t v = t->bitbuf >> (BITBUFSIZ - n);
	fill(t, n);
	return v;
}

static bool fail_table(tiano *t, const char *why)
{
	t->bad = true;
	t->why = why;
	return false;
}

/* Canonical Huffman table: direct lookup for codes up to table_bits long,
 * a binary tree in left/right for the longer ones (edk2 MakeTable, with
 * every bound it lacks). */
static bool make_table(tiano *t, unsigned nchar, const uint8_t *len, unsigned table_bits, uint16_t *table)
{
	uint32_t count[17] = { 0 }, weight[17], start[18];
	for (unsigned i = 0; i < nchar; i++) {
		if (len[i] > 16)
			return fail_table(t, "code length over 16");
		count[len[i]]++;
	}
	start[0] = start[1] = 0;
	for (unsigned i = 1; i <= 16; i++)
		start[i + 1] = start[i] + (count[i] << (16 - i));
	if (start[17] != (1u << 16))
		return fail_table(t, "code lengths do not form a complete prefix code");
	unsigned jut = 16 - table_bits;
	for (unsigned i = 1; i <= table_bits; i++) {
		start[i] >>= jut;
		weight[i] = 1u << (table_bits - i);
	}
	for (unsigned i = table_bits + 1; i <= 16; i++)
		weight[i] = 1u << (16 - i);
	unsigned size = 1u << table_bits;
	for (unsigned i = 0; i < size; i++)
		table[i] = 0;
	unsigned avail = nchar;
	uint32_t mask = 1u << (15 - table_bits);
	for (unsigned ch = 0; ch < nchar; ch++) {
		unsigned l = len[ch];
		if (l == 0)
			continue;
		uint32_t next = start[l] + weight[l];
		if (l <= table_bits) {
			if (next > size)
				return fail_table(t, "code table overflow");
			for (uint32_t i = start[l]; i < next; i++)
				table[i] = (uint16_t)ch;
		} else {
			uint32_t code = start[l];
			if ((code >> jut) >= size)
				return fail_table(t, "code table overflow");
			uint16_t *p = &table[code >> jut];
			for (unsigned k = l - table_bits; k > 0; k--) {
				if (*p == 0) {
					if (avail >= NODES)
						return fail_table(t, "Huffman tree too large");
					t->left[avail] = t->right[avail] = 0;
					*p = (uint16_t)avail++;
				}
				if (*p < nchar)
					return fail_table(t, "Huffman tree collides with a leaf");
				p = (code & mask) ? &t->right[*p] : &t->left[*p];
				code <<= 1;
			}
			*p = (uint16_t)ch;
		}
		start[l] = next;
	}
	return true;
}

/* Walks the tree below a table entry; depth is bounded by 16 code bits. */
static unsigned walk_tree(tiano *t, unsigned v, unsigned nchar, unsigned table_bits)
{
	uint32_t mask = 1u << (BITBUFSIZ - 1 - table_bits);
	for (unsigned steps = 0; v >= nchar; steps++) {
		if (steps > 16 || v >= NODES) {
			fail_table(t, "Huffman code longer than 16 bits");
			return 0;
		}
		v = (t->bitbuf & mask) ? t->right[v] : t->left[v];
		mask >>= 1;
	}
	return v;
}

/* Code lengths of the T set (special = 3) or P set (special = none). */
static bool read_pt_len(tiano *t, unsigned nn, unsigned nbit, int special)
{
	unsigned n = get_bits(t, nbit);
	if (n == 0) {
		unsigned c = get_bits(t, nbit);
		if (c >= nn)
			return fail_table(t, "single-code table names a symbol out of range");
		for (unsigned i = 0; i < 256; i++)
			t->pt_table[i] = (uint16_t)c;
		memset(t->pt_len, 0, sizeof(t->pt_len));
		return true;
	}
	if (n > nn)
		return fail_table(t, "more code lengths than symbols");
	unsigned i = 0;
	while (i < n) {
		unsigned c = t->bitbuf >> (BITBUFSIZ - 3);
		if (c == 7) {
			uint32_t mask = 1u << (BITBUFSIZ - 1 - 3);
			while (mask & t->bitbuf) {
				mask >>= 1;
				c++;
			}
			if (c > 16)
				return fail_table(t, "code length over 16");
		}
		fill(t, c < 7 ? 3 : c - 3);
		t->pt_len[i++] = (uint8_t)c;
		if ((int)i == special) {
			unsigned zeros = get_bits(t, 2);
			while (zeros-- > 0 && i < nn)
				t->pt_len[i++] = 0;
		}
	}
	while (i < nn)
		t->pt_len[i++] = 0;
	return make_table(t, nn, t->pt_len, 8, t->pt_table);
}

static unsigned decode_pt(tiano *t, unsigned nchar)
{
	unsigned v = t->pt_table[t->bitbuf >> (BITBUFSIZ - 8)];
	if (v >= nchar)
		v = walk_tree(t, v, nchar, 8);
	fill(t, t->pt_len[v < NPT ? v : 0]);
	return v;
}

static bool read_c_len(tiano *t)
{
	unsigned n = get_bits(t, CBIT);
	if (n == 0) {
		unsigned c = get_bits(t, CBIT);
		if (c >= NC)
			return fail_table(t, "single-code table names a symbol out of range");
		memset(t->c_len, 0, sizeof(t->c_len));
		for (unsigned i = 0; i < 4096; i++)
			t->c_table[i] = (uint16_t)c;
		return true;
	}
	if (n > NC)
		return fail_table(t, "more code lengths than symbols");
	unsigned i = 0;
	while (i < n) {
		unsigned c = decode_pt(t, NT);
		if (t->bad)
			return false;
		if (c <= 2) {
			unsigned zeros = c == 0 ? 1 : c == 1 ? get_bits(t, 4) + 3 : get_bits(t, CBIT) + 20;
			while (zeros-- > 0 && i < NC)
				t->c_len[i++] = 0;
		} else {
			t->c_len[i++] = (uint8_t)(c - 2);
		}
	}
	while (i < NC)
		t->c_len[i++] = 0;
	return make_table(t, NC, t->c_len, 12, t->c_table);
}

static unsigned decode_c(tiano *t)
{
	if (t->block_left == 0) {
		t->block_left = (uint16_t)get_bits(t, 16);
		if (!read_pt_len(t, NT, TBIT, 3) || !read_c_len(t) || !read_pt_len(t, MAXNP, t->pbit, -1))
			return 0;
	}
	t->block_left--;
	unsigned v = t->c_table[t->bitbuf >> (BITBUFSIZ - 12)];
	if (v >= NC)
		v = walk_tree(t, v, NC, 12);
	fill(t, t->c_len[v]);
	return v;
}

static uint32_t decode_p(tiano *t)
{
	unsigned v = decode_pt(t, MAXNP);
	if (v > 1)
		return (1u << (v - 1)) + get_bits(t, v - 1);
	return v;
}

static int run(tiano *t, od_span in, od_err *e)
{
	while (t->out < t->dst_len) {
		unsigned c = decode_c(t);
		if (t->bad)
			return od_fail(e, OD_E_FORMAT, in.off, "bad Huffman table: %s", t->why);
		if (t->overrun)
			return od_fail(e, OD_E_TRUNC, in.off + in.len,
				       "compressed data ends after %zu of %zu output bytes", t->out, t->dst_len);
		if (c < 256) {
			t->dst[t->out++] = (uint8_t)c;
			if (t->c_len[c] == 0) {
				/* A zero-length code consumed no bits, so every symbol
				 * left in this block decodes to c again: one memset
				 * instead of a loop per byte (a 7-byte stream can ask
				 * for 64 KiB of one byte per block). */
				size_t n = t->block_left;
				if (n > t->dst_len - t->out)
					n = t->dst_len - t->out;
				memset(t->dst + t->out, (int)c, n);
				t->out += n;
				t->block_left = (uint16_t)(t->block_left - n);
			}
			continue;
		}
		unsigned len = c - (256 - THRESHOLD);
		uint32_t pos = decode_p(t);
		if (t->bad)
			return od_fail(e, OD_E_FORMAT, in.off, "bad Huffman table: %s", t->why);
		if ((size_t)pos + 1 > t->out)
			return od_fail(e, OD_E_FORMAT, in.off, "match refers %u bytes back from output byte %zu",
				       pos + 1, t->out);
		size_t from = t->out - pos - 1;
		for (unsigned i = 0; i < len && t->out < t->dst_len; i++)
			t->dst[t->out++] = t->dst[from++];
	}
	if (t->overrun)
		return od_fail(e, OD_E_TRUNC, in.off + in.len, "compressed data ends early");
	return OD_OK;
}

int od_efi_sizes(od_span in, uint32_t *comp, uint32_t *orig, od_err *e)
{
	OD_TRY(od_u32(in, 0, comp, e));
	OD_TRY(od_u32(in, 4, orig, e));
	if (*comp > in.len - 8)
		return od_fail(e, OD_E_TRUNC, in.off, "compressed size %u exceeds the %zu bytes present", *comp,
			       in.len - 8);
	return OD_OK;
}

static int decode_variant(od_span in, enum od_efi_variant v, uint8_t *dst, size_t dst_len, od_err *e)
{
	uint32_t comp, orig;
	OD_TRY(od_efi_sizes(in, &comp, &orig, e));
	if (orig != dst_len)
		return od_fail(e, OD_E_FORMAT, in.off + 4, "original size %u, buffer %zu", orig, dst_len);
	/* ~14 KiB of tables: kept off the stack (small thread stacks). */
	static _Thread_local tiano t;
	memset(&t, 0, offsetof(tiano, left));
	t.src = in.p + 8;
	t.src_len = comp;
	t.dst = dst;
	t.dst_len = dst_len;
	t.pbit = v == OD_EFI_TIANO ? 5 : 4;
	t.bitbuf = peek32(&t);
	return run(&t, in, e);
}

int od_efi_decompress_buf(od_span in, enum od_efi_variant v, uint8_t *dst, size_t dst_len, od_err *e)
{
	if (v != OD_EFI_AUTO)
		return decode_variant(in, v, dst, dst_len, e);
	int rc = decode_variant(in, OD_EFI_V1, dst, dst_len, e);
	if (rc == OD_OK)
		return rc;
	od_err first = *e;
	rc = decode_variant(in, OD_EFI_TIANO, dst, dst_len, e);
	if (rc)
		*e = first; /* report the EFI 1.1 failure: the more common format */
	return rc;
}

int od_efi_decompress(od_ctx *c, od_span in, enum od_efi_variant v, od_span *out, enum od_efi_variant *used,
		      od_err *e)
{
	/* No judge: the first variant that decodes, EFI 1.1 before Tiano. */
	od_efi_choice ch;
	OD_TRY(od_efi_decompress_best(c, in, v, NULL, OD_EFI_V1, out, &ch, e));
	if (used)
		*used = ch.used;
	return OD_OK;
}

/* Both variants may be needed: a stream coded for one can decode without
 * error under the other (right length, wrong bytes; a real AMI Aptio capsule
 * has one), so "the first that does not fail" is not an answer. The preferred
 * variant goes first; when its output decodes and the judge accepts it, it is
 * the answer whatever the other would give (accepted too: a tie, which the
 * preference breaks the same way), so the other is not decoded. Otherwise the
 * other is decoded into scratch memory of the same, already-approved size. */
int od_efi_decompress_best(od_ctx *c, od_span in, enum od_efi_variant v, bool (*valid)(od_span),
			   enum od_efi_variant prefer, od_span *out, od_efi_choice *ch, od_err *e)
{
	uint32_t comp, orig;
	memset(ch, 0, sizeof(*ch));
	OD_TRY(od_efi_sizes(in, &comp, &orig, e));
	uint8_t *buf = od_alloc_out(c, orig, comp, e);
	if (!buf)
		return e->code;
	if (v != OD_EFI_AUTO) {
		OD_TRY(decode_variant(in, v, buf, orig, e));
		ch->used = v;
		ch->decoded[v == OD_EFI_TIANO] = true;
		*out = od_out_done(c, buf, orig);
		return OD_OK;
	}
	enum od_efi_variant first = prefer == OD_EFI_V1 ? OD_EFI_V1 : OD_EFI_TIANO;
	enum od_efi_variant second = first == OD_EFI_V1 ? OD_EFI_TIANO : OD_EFI_V1;
	int f = first == OD_EFI_TIANO, g = !f; /* indexes into ch->decoded/valid */
	od_err e1, e2;
	od_err_clear(&e1);
	od_err_clear(&e2);
	ch->decoded[f] = decode_variant(in, first, buf, orig, &e1) == OD_OK;
	/* The judge reads the decoded bytes before they are reported (the
	 * buffer is registered empty until od_out_done, issue 20). */
	ch->valid[f] = ch->decoded[f] && (!valid || valid(od_span_make(buf, orig, 0)));
	ch->used = first;
	if (ch->valid[f]) {
		*out = od_out_done(c, buf, orig);
		return OD_OK;
	}
	uint8_t *other = malloc(orig ? orig : 1);
	if (!other)
		return od_fail(e, OD_E_NOMEM, in.off, "cannot allocate %u bytes", orig);
	ch->decoded[g] = decode_variant(in, second, other, orig, &e2) == OD_OK;
	ch->valid[g] = ch->decoded[g] && (!valid || valid(od_span_make(other, orig, 0)));
	if (!ch->decoded[f] && !ch->decoded[g]) {
		free(other);
		*e = first == OD_EFI_V1 ? e1 : e2; /* the EFI 1.1 failure: the more common format */
		return e->code;
	}
	/* The first was not accepted: the second wins when it is, or when the
	 * first did not even decode; else (neither accepted) the first stays. */
	bool take_second = ch->valid[g] || !ch->decoded[f];
	ch->ambiguous = ch->decoded[f] && ch->decoded[g] && !ch->valid[g];
	if (take_second) {
		if (orig)
			memcpy(buf, other, orig);
		ch->used = second;
	}
	free(other);
	*out = od_out_done(c, buf, orig);
	return OD_OK;
}
