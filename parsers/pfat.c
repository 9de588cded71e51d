/* SPDX-License-Identifier: BSD-2-Clause */
/* AMI / Intel BIOS Guard: PFAT packages and the signature blocks signed
 * Aptio capsules interleave with the image (BIOSUtilities
 * ami_pfat_extract.py; UEFITool issue 455; shared/notes Part 1.2).
 *
 * PFAT: the header (Size covers it and the ASCII index lines after it), then
 * blocks: a BIOS Guard header, the script, the data, and when Attributes
 * bit 0 (SFAM) is set a signature: version and type, then RSA2k (0x204)
 * when the version is 1, RSA3k (0x304) when 2/3. The blocks' data, in
 * order, is the image. The headers' fields: parsers/layout/vendor.h.
 *
 * Interleaved signatures in Aptio capsules: the same signature structure
 * ("03 00 00 00 05 00 00 00", 384-byte modulus, "01 00 01 00" exponent,
 * 384-byte signature) between image chunks; they are cut out before the
 * volumes are parsed. */
#include <string.h>

#include "layout/vendor.h"
#include "pfat.h"

#define BG_HDR od_bg_hdr_SIZE
#define PFAT_MAX_BLOCKS 65536

static size_t sig_len(od_span s, size_t at)
{
	od_bg_sig h;
	if (od_bg_sig_read(s, at, &h, NULL))
		return 0;
	return h.version == 1 ? od_bg_sig_SIZE + 0x204 : (h.version == 2 || h.version == 3) ? od_bg_sig_SIZE + 0x304 : 0;
}

/* An interleaved RSA3k/RSA2k signature block at `at` (the exponent 65537
 * at its fixed place makes a false match in image data unlikely). */
static size_t interleaved_at(od_span s, size_t at)
{
	od_bg_sig h;
	if (od_bg_sig_read(s, at, &h, NULL) || h.version < 1 || h.version > 3 || h.type > 0xFF)
		return 0;
	size_t mod = h.version == 1 ? 256 : 384;
	if (!od_match(s, at + od_bg_sig_SIZE + mod, "\x01\x00\x01\x00", 4))
		return 0;
	return od_bg_sig_SIZE + mod + 4 + mod;
}

int od_bg_strip(od_ctx *c, od_span s, od_span *out, unsigned *nblocks, od_err *e)
{
	*nblocks = 0;
	/* First pass: count and size what stays. */
	size_t keep = 0;
	for (size_t at = 0; at < s.len;) {
		size_t n = (at % 4 == 0) ? interleaved_at(s, at) : 0;
		if (n && at + n <= s.len) {
			(*nblocks)++;
			at += n;
		} else {
			keep++;
			at++;
		}
	}
	if (*nblocks == 0) {
		*out = s;
		return OD_OK;
	}
	uint8_t *buf = od_alloc_out(c, keep, s.len, e);
	if (!buf)
		return e->code;
	size_t k = 0;
	for (size_t at = 0; at < s.len;) {
		size_t n = (at % 4 == 0) ? interleaved_at(s, at) : 0;
		if (n && at + n <= s.len) {
			at += n;
		} else {
			buf[k++] = s.p[at++];
		}
	}
	*out = od_out_done(c, buf, k);
	return OD_OK;
}

static int pfat_probe(od_span s)
{
	return od_match(s, OD_OFF(od_pfat_hdr, tag), OD_PFAT_TAG, 8) ? 90 : 0;
}

/* Walks the blocks from `at`; with buf == NULL only sums the data sizes. */
static int pfat_blocks(od_span s, size_t at, uint8_t *buf, size_t *total, unsigned *nblocks, od_err *e)
{
	size_t k = 0;
	unsigned n = 0;
	while (at + BG_HDR <= s.len) {
		od_bg_hdr h;
		OD_TRY(od_bg_hdr_read(s, at, &h, e));
		uint32_t attrs = h.attributes, script = h.script_size, data = h.data_size;
		if (++n > PFAT_MAX_BLOCKS)
			return od_fail(e, OD_E_LIMIT, s.off + at, "more than %d BIOS Guard blocks", PFAT_MAX_BLOCKS);
		size_t d = at + BG_HDR + (size_t)script;
		od_span part;
		if (od_sub(s, d, data, &part, NULL))
			return od_fail(e, OD_E_TRUNC, s.off + at + OD_OFF(od_bg_hdr, data_size), "BIOS Guard block %u: data of 0x%x bytes runs past the end", n, data);
		if (buf)
			memcpy(buf + k, part.p, part.len);
		k += part.len;
		at = d + data;
		if (attrs & OD_BG_ATTR_SFAM) {
			size_t sl = sig_len(s, at);
			if (!sl || at + sl > s.len)
				return od_fail(e, OD_E_FORMAT, s.off + at, "BIOS Guard block %u: bad or cut signature", n);
			at += sl;
		}
	}
	*total = k;
	*nblocks = n;
	return OD_OK;
}

static int pfat_walk(od_ctx *c, od_span s, od_err *e)
{
	od_pfat_hdr h;
	/* Size first: it says how much header (and index text) there is */
	OD_TRY(od_pfat_hdr_read_n(s, 0, &h, sizeof(h.size), e));
	uint32_t size = h.size;
	if (size < od_pfat_hdr_SIZE || size > s.len)
		return od_fail(e, OD_E_FORMAT, s.off, "PFAT header size 0x%x", size);
	size_t total;
	unsigned n;
	OD_TRY(pfat_blocks(s, size, NULL, &total, &n, e));
	OD_TRY(od_enter(c, OD_KIND_PFAT, s, e, "AMI BIOS Guard PFAT"));
	od_node_header(c, &od_pfat_hdr_layout);
	od_note(c, "%u blocks, 0x%zx bytes of image data", n, total);
	uint8_t *buf = od_alloc_out(c, total, s.len, e);
	if (!buf)
		return e->code;
	OD_TRY(pfat_blocks(s, size, buf, &total, &n, e));
	int rc = od_walk_child(c, od_out_done(c, buf, total), e);
	od_leave(c);
	return rc;
}

OD_FORMAT(pfat, "AMI BIOS Guard PFAT", pfat_probe, pfat_walk, 0);
