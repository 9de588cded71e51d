/* SPDX-License-Identifier: BSD-2-Clause */
/* AMI / Intel BIOS Guard: PFAT packages and the signature blocks signed
 * Aptio capsules interleave with the image (BIOSUtilities
 * ami_pfat_extract.py; UEFITool issue 455; shared/notes Part 1.2).
 *
 * PFAT: u32 Size (header + text index), u32 Checksum, "_AMIPFAT", u8 Flags,
 * ASCII index lines up to Size; then blocks: a 0x30-byte BIOS Guard header
 * (Attributes u32 @0x14, ScriptSize @0x1C, DataSize @0x20), the script, the
 * data, and when Attributes bit 0 (SFAM) is set a signature: u32 version,
 * u32 type, then RSA2k (0x204) when the version is 1, RSA3k (0x304) when 2/3.
 * The blocks' data, in order, is the image.
 *
 * Interleaved signatures in Aptio capsules: the same signature structure
 * ("03 00 00 00 05 00 00 00", 384-byte modulus, "01 00 01 00" exponent,
 * 384-byte signature) between image chunks; they are cut out before the
 * volumes are parsed. */
#include <string.h>

#include "pfat.h"

#define PFAT_SIG "_AMIPFAT"
#define BG_HDR 0x30
#define PFAT_MAX_BLOCKS 65536

static size_t sig_len(od_span s, size_t at)
{
	uint32_t ver;
	if (od_u32(s, at, &ver, NULL))
		return 0;
	return ver == 1 ? 8 + 0x204 : (ver == 2 || ver == 3) ? 8 + 0x304 : 0;
}

/* An interleaved RSA3k/RSA2k signature block at `at` (the exponent 65537
 * at its fixed place makes a false match in image data unlikely). */
static size_t interleaved_at(od_span s, size_t at)
{
	uint32_t ver, type;
	if (od_u32(s, at, &ver, NULL) || od_u32(s, at + 4, &type, NULL) || ver < 1 || ver > 3 || type > 0xFF)
		return 0;
	size_t mod = ver == 1 ? 256 : 384;
	if (!od_match(s, at + 8 + mod, "\x01\x00\x01\x00", 4))
		return 0;
	return 8 + mod + 4 + mod;
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
	return od_match(s, 8, PFAT_SIG, 8) ? 90 : 0;
}

/* Walks the blocks from `at`; with buf == NULL only sums the data sizes. */
static int pfat_blocks(od_span s, size_t at, uint8_t *buf, size_t *total, unsigned *nblocks, od_err *e)
{
	size_t k = 0;
	unsigned n = 0;
	while (at + BG_HDR <= s.len) {
		uint32_t attrs, script, data;
		OD_TRY(od_u32(s, at + 0x14, &attrs, e));
		OD_TRY(od_u32(s, at + 0x1C, &script, e));
		OD_TRY(od_u32(s, at + 0x20, &data, e));
		if (++n > PFAT_MAX_BLOCKS)
			return od_fail(e, OD_E_LIMIT, s.off + at, "more than %d BIOS Guard blocks", PFAT_MAX_BLOCKS);
		size_t d = at + BG_HDR + (size_t)script;
		od_span part;
		if (od_sub(s, d, data, &part, NULL))
			return od_fail(e, OD_E_TRUNC, s.off + at + 0x20, "BIOS Guard block %u: data of 0x%x bytes runs past the end", n, data);
		if (buf)
			memcpy(buf + k, part.p, part.len);
		k += part.len;
		at = d + data;
		if (attrs & 1) {
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
	uint32_t size;
	OD_TRY(od_u32(s, 0, &size, e));
	if (size < 0x11 || size > s.len)
		return od_fail(e, OD_E_FORMAT, s.off, "PFAT header size 0x%x", size);
	size_t total;
	unsigned n;
	OD_TRY(pfat_blocks(s, size, NULL, &total, &n, e));
	OD_TRY(od_enter(c, OD_KIND_PFAT, s, e, "AMI BIOS Guard PFAT"));
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
