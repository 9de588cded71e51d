/* SPDX-License-Identifier: BSD-2-Clause */
/* AMI UCP (Utility Configuration Program) update packages: HP (@HPU),
 * MSI, Tongfang and other AMI Aptio flashers (@UAF). Layout from
 * BIOSUtilities ami_ucp_extract.py (UafHeader, UafModule):
 *   header (0x10): tag "@UAF"/"@HPU", u32 size of the whole UCP, u16
 *   checksum (16-bit words of the UCP sum to 0), 2 bytes, 4 reserved;
 *   then modules back to back, each a 0x10 header of the same shape (its own
 *   tag such as "@ROM", "@R01", "@NAL", "@UII", its size as the stride)
 *   followed by u32 CompressSize, u32 OriginalSize and the data. When the
 *   two sizes differ the module is EFI/Tiano-compressed and those 8 bytes
 *   are the compressed stream's own header.
 * In a flasher .exe the UCP sits anywhere: the largest one whose words sum
 * to 0 is taken, as BIOSUtilities does. */
#include <stdio.h>
#include <string.h>

#include "decompress.h"

#define UAF_HDR 0x10
#define UAF_MOD 0x08
#define UCP_MIN 0x400         /* BIOSUtilities ignores anything smaller */
#define UCP_MAX_MODULES 1024
#define UCP_MAX_PAD 4096      /* missing EOF padding of a compressed module */

static bool main_tag(od_span s, size_t at)
{
	return (od_match(s, at, "@UAF", 4) || od_match(s, at, "@HPU", 4)) && od_match(s, at + 16, "@", 1);
}

/* A whole UCP at `at`: tag, size within s, words summing to 0. */
static bool ucp_at(od_span s, size_t at, bool need_sum, uint32_t *size)
{
	od_span u;
	if (!main_tag(s, at) || od_u32(s, at + 4, size, NULL) || *size < UCP_MIN || od_sub(s, at, *size, &u, NULL))
		return false;
	return !need_sum || od_sum16(u) == 0;
}

/* The largest checksummed UCP in s (a flasher .exe), or SIZE_MAX. */
static size_t find_ucp(od_span s, uint32_t *best)
{
	size_t found = SIZE_MAX;
	*best = 0;
	for (size_t at = od_find(s, 0, "@", 1); at != SIZE_MAX; at = od_find(s, at + 1, "@", 1)) {
		uint32_t size;
		if (ucp_at(s, at, true, &size) && size > *best)
			*best = size, found = at;
	}
	return found;
}

static int ucp_probe(od_span s)
{
	uint32_t size;
	if (main_tag(s, 0))
		return 85;
	/* In an .exe: beats the PE handler (60), since the UCP is what holds
	 * the firmware and may sit inside any section. */
	if (od_match(s, 0, "MZ", 2) && od_find(s, 0, "@UAF", 4) != SIZE_MAX && find_ucp(s, &size) != SIZE_MAX)
		return 65;
	if (od_match(s, 0, "MZ", 2) && od_find(s, 0, "@HPU", 4) != SIZE_MAX && find_ucp(s, &size) != SIZE_MAX)
		return 65;
	return 0;
}

/* BIOSUtilities' names for the modules that matter here. */
static void module_name(const char tag[5], char *out, size_t n)
{
	static const struct { const char *tag, *name; } t[] = {
		{ "@ROM", "BIOS.bin" }, { "@AMI", "nested AMI UCP" }, { "@INS", "nested Insyde SFX" },
		{ "@NAL", "module name list" }, { "@UII", "utility information" }, { "@DIS", "command status" },
		{ "@CMD", "AFU command" }, { "@PFC", "BGT command" }, { "@VER", "OEM version" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(tag, t[i].tag)) {
			snprintf(out, n, "%s", t[i].name);
			return;
		}
	if (!strncmp(tag, "@R0", 3) || !strncmp(tag, "@S0", 3))
		snprintf(out, n, "BIOS_0%c.%s", tag[3], tag[1] == 'R' ? "bin" : "sig");
	else if (!strncmp(tag, "@EC", 3) || !strncmp(tag, "@ME", 3))
		snprintf(out, n, "%.2s_0%c.bin", tag + 1, tag[3]);
	else
		out[0] = 0;
}

/* Text and signatures: named, not walked. */
static bool is_text(const char tag[5])
{
	return !strcmp(tag, "@NAL") || !strcmp(tag, "@UII") || !strcmp(tag, "@DIS") || !strcmp(tag, "@CMD") ||
	       !strcmp(tag, "@PFC") || !strcmp(tag, "@VER") || !strcmp(tag, "@CKV") || !strncmp(tag, "@S0", 3);
}

/* A compressed module: the 8 size bytes and the data are one EFI/Tiano
 * stream. Some lack their last bytes of padding (BIOSUtilities pads them
 * with zeros): up to UCP_MAX_PAD are padded in a copy. */
static int module_tiano(od_ctx *c, od_span m, uint32_t comp, od_span *out, od_err *e)
{
	od_span in;
	size_t want = UAF_MOD + (size_t)comp;
	if (!od_sub(m, UAF_HDR, want, &in, NULL)) {
		/* whole */
	} else if (want - (m.len - UAF_HDR) <= UCP_MAX_PAD && m.len > UAF_HDR) {
		uint8_t *p = od_alloc_out(c, want, m.len, e);
		if (!p)
			return e->code;
		memset(p, 0, want);
		memcpy(p, m.p + UAF_HDR, m.len - UAF_HDR);
		in = od_span_make(p, want, 0);
	} else {
		return od_fail(e, OD_E_TRUNC, m.off + UAF_HDR, "compressed size 0x%x runs past the module (0x%zx bytes)", comp,
			       m.len);
	}
	OD_TRY(od_enter(c, OD_KIND_TIANO, in, e, "EFI/Tiano"));
	return od_efi_decompress(c, in, OD_EFI_AUTO, out, NULL, e);
}

static int walk_module(od_ctx *c, od_span m, const char tag[5], od_err *e)
{
	uint32_t comp, orig;
	char name[32];
	module_name(tag, name, sizeof(name));
	if (name[0])
		OD_TRY(od_enter(c, OD_KIND_UCP_MODULE, m, e, "UCP module %s \"%s\"", tag, name));
	else
		OD_TRY(od_enter(c, OD_KIND_UCP_MODULE, m, e, "UCP module %s", tag));
	OD_TRY(od_u32(m, UAF_HDR, &comp, e));
	OD_TRY(od_u32(m, UAF_HDR + 4, &orig, e));
	od_note(c, "0x%zx bytes, %s", m.len, comp != orig ? "EFI/Tiano-compressed" : "stored");
	if (od_sum16(m) != 0)
		od_diag_fail(c, true, OD_E_CHECKSUM, m.off + 8, "module %s: its words do not sum to 0", tag);
	if (is_text(tag))
		return OD_OK;
	od_span data;
	if (comp != orig) {
		OD_TRY(module_tiano(c, m, comp, &data, e));
	} else {
		size_t have = m.len - UAF_HDR - UAF_MOD;
		if (orig > have)
			return od_fail(e, OD_E_TRUNC, m.off + UAF_HDR + 4, "module %s: 0x%x bytes stated, 0x%zx present", tag, orig,
				       have);
		OD_TRY(od_sub(m, UAF_HDR + UAF_MOD, orig, &data, e));
	}
	return od_walk_child(c, data, e);
}

static int walk_modules(od_ctx *c, od_span u, od_err *e)
{
	unsigned n = 0;
	for (size_t at = UAF_HDR; at + UAF_HDR + UAF_MOD <= u.len && od_match(u, at, "@", 1);) {
		char tag[5] = { 0 };
		uint32_t msize;
		OD_TRY(od_copy(u, at, tag, 4, e));
		for (int i = 1; i < 4; i++)
			if ((unsigned char)tag[i] < 0x20 || (unsigned char)tag[i] >= 0x7F || tag[i] == '"')
				tag[i] = '?';
		OD_TRY(od_u32(u, at + 4, &msize, e));
		od_span m;
		if (msize < UAF_HDR + UAF_MOD || od_sub(u, at, msize, &m, NULL)) {
			od_diag_fail(c, false, OD_E_TRUNC, u.off + at + 4, "module %s of 0x%x bytes runs past the UCP (or is too short)",
				     tag, msize);
			break; /* the stride is gone: nothing after it can be found */
		}
		if (++n > UCP_MAX_MODULES)
			return od_fail(e, OD_E_LIMIT, u.off + at, "more than %d UCP modules", UCP_MAX_MODULES);
		od_part p; /* a guarded part (walk.h): damage stays in this module */
		int rc = walk_module(c, m, tag, od_part_begin(c, &p));
		rc = od_part_end(c, &p, rc, e, "UCP module %s", tag);
		if (od_fatal(rc))
			return rc;
		at += msize;
	}
	od_note(c, "%u modules", n);
	return OD_OK;
}

static int ucp_walk(od_ctx *c, od_span s, od_err *e)
{
	uint32_t size;
	size_t at = 0;
	if (!main_tag(s, 0)) {
		at = find_ucp(s, &size);
		if (at == SIZE_MAX)
			return od_fail(e, OD_E_FORMAT, s.off, "no AMI UCP with a valid checksum");
	} else if (!ucp_at(s, 0, false, &size)) {
		OD_TRY(od_u32(s, 4, &size, e));
		return od_fail(e, OD_E_TRUNC, s.off + 4, "AMI UCP of 0x%x bytes: runs past the end or under 0x%x", size, UCP_MIN);
	}
	od_span u;
	OD_TRY(od_sub(s, at, size, &u, e));
	char tag[5] = { 0 };
	OD_TRY(od_copy(u, 0, tag, 4, e));
	OD_TRY(od_enter(c, OD_KIND_UCP, u, e, "AMI UCP %s", tag));
	if (od_sum16(u) != 0)
		od_diag_fail(c, false, OD_E_CHECKSUM, u.off + 8, "AMI UCP: its 16-bit words sum to 0x%04x, not 0 (damaged)",
			     od_sum16(u));
	OD_TRY(walk_modules(c, u, e));
	od_leave(c);
	return OD_OK;
}

OD_FORMAT(ucp, "AMI UCP update", ucp_probe, ucp_walk, 0);
