/* SPDX-License-Identifier: BSD-2-Clause */
/* PE/COFF header parsing and checks (Microsoft "PE Format" specification:
 * MS-DOS stub e_lfanew at 0x3C, COFF file header, optional header, section
 * table of 40-byte entries). */
#include "pe.h"

#include "unread.h"
#include "walk.h"

#include <stdio.h>
#include <string.h>

static int parse_sections(od_span s, od_pe *pe, size_t at, od_err *e)
{
	uint64_t img_end = 0;
	for (unsigned i = 0; i < pe->nsections; i++, at += 40) {
		od_pe_section *sec = &pe->sec[i];
		memset(sec->name, 0, sizeof(sec->name));
		OD_TRY(od_copy(s, at, sec->name, 8, e));
		OD_TRY(od_u32(s, at + 8, &sec->virtual_size, e));
		OD_TRY(od_u32(s, at + 12, &sec->virtual_address, e));
		OD_TRY(od_u32(s, at + 16, &sec->raw_size, e));
		OD_TRY(od_u32(s, at + 20, &sec->raw_offset, e));
		OD_TRY(od_u32(s, at + 36, &sec->flags, e));
		uint64_t vend = (uint64_t)sec->virtual_address + sec->virtual_size;
		if (vend > img_end)
			img_end = vend;
		uint64_t rend = (uint64_t)sec->raw_offset + sec->raw_size;
		if (sec->raw_size && rend > s.len)
			return od_fail(e, OD_E_TRUNC, s.off + at, "section %u (%s) raw data ends at 0x%llx past the image end",
				       i, sec->name, (unsigned long long)rend);
		if (sec->raw_size && rend > pe->raw_end)
			pe->raw_end = rend;
	}
	if (img_end > pe->size_of_image)
		return od_fail(e, OD_E_FORMAT, s.off + pe->pe_off, "SizeOfImage 0x%x does not cover the sections (0x%llx)",
			       pe->size_of_image, (unsigned long long)img_end);
	return OD_OK;
}

int od_pe_parse(od_span s, od_pe *pe, od_err *e)
{
	memset(pe, 0, sizeof(*pe));
	if (!od_match(s, 0, "MZ", 2))
		return od_fail(e, OD_E_FORMAT, s.off, "no MZ signature");
	OD_TRY(od_u32(s, 0x3C, &pe->pe_off, e));
	if (!od_match(s, pe->pe_off, "PE\0\0", 4))
		return od_fail(e, OD_E_FORMAT, s.off + 0x3C, "e_lfanew 0x%x does not point at a PE signature", pe->pe_off);
	size_t coff = (size_t)pe->pe_off + 4;
	uint16_t opt_size;
	OD_TRY(od_u16(s, coff, &pe->machine, e));
	OD_TRY(od_u16(s, coff + 2, &pe->nsections, e));
	OD_TRY(od_u16(s, coff + 16, &opt_size, e));
	if (pe->nsections > OD_PE_MAX_SECTIONS)
		return od_fail(e, OD_E_LIMIT, s.off + coff + 2, "%u sections (limit %u)", pe->nsections, OD_PE_MAX_SECTIONS);
	size_t opt = coff + 20;
	OD_TRY(od_u16(s, opt, &pe->opt_magic, e));
	if (pe->opt_magic != 0x10B && pe->opt_magic != 0x20B)
		return od_fail(e, OD_E_FORMAT, s.off + opt, "optional header magic 0x%x", pe->opt_magic);
	OD_TRY(od_u32(s, opt + 16, &pe->entry, e));
	OD_TRY(od_u32(s, opt + 32, &pe->section_alignment, e));
	OD_TRY(od_u32(s, opt + 56, &pe->size_of_image, e));
	OD_TRY(od_u32(s, opt + 60, &pe->size_of_headers, e));
	OD_TRY(od_u16(s, opt + 68, &pe->subsystem, e));
	pe->raw_end = pe->size_of_headers;
	/* Data directory 4 (security) holds a file offset, not an RVA: a signed
	 * executable's overlay ends with it. */
	size_t dirs = opt + (pe->opt_magic == 0x20B ? 112 : 96);
	uint32_t ndirs = 0;
	if (!od_u32(s, dirs - 4, &ndirs, NULL) && ndirs > 4 && dirs + 40 <= opt + opt_size) {
		OD_TRY(od_u32(s, dirs + 32, &pe->cert_off, e));
		OD_TRY(od_u32(s, dirs + 36, &pe->cert_size, e));
	}
	return parse_sections(s, pe, opt + opt_size, e);
}

/* --- the handler: vendor flasher .exe files --- */

static int pe_probe(od_span s)
{
	od_pe pe;
	return od_match(s, 0, "MZ", 2) && od_pe_parse(s, &pe, NULL) == OD_OK ? 60 : 0;
}

static void unsupported(od_ctx *c, uint64_t off, const char *what)
{
	od_diag_fail(c, false, OD_E_UNSUPPORTED, off, "%s: unpack it with its own tool, then scan the result", what);
}

/* NSIS: the "first header" sits at a 512-byte boundary of the overlay
 * (NSIS Source/exehead/fileform.h: flags, 0xDEADBEEF, "NullsoftInst",
 * header length, length of all data that follows). */
static bool nsis_at(od_span overlay, size_t *at, uint32_t *len)
{
	for (size_t a = 0; a < overlay.len && a < (1u << 20); a += 512) {
		uint32_t sig;
		if (!od_u32(overlay, a + 4, &sig, NULL) && sig == 0xDEADBEEF && od_match(overlay, a + 8, "NullsoftInst", 12) &&
		    !od_u32(overlay, a + 24, len, NULL)) {
			*at = a;
			return true;
		}
	}
	return false;
}

/* Packers and installers we recognise but do not unpack: say so, with where
 * they start, so the answer is never "no VBIOS here". True when one was
 * named (the overlay is then accounted for). */
/* Executable packers by the section names they leave (PEiD-style lists;
 * each checked on Debian's clamav-testfiles where one exists). */
static const struct {
	const char *name;
	const char *packer;
} packer_sections[] = {
	{ "UPX", "UPX" },         { ".aspack", "ASPack" },   { ".adata", "ASPack" },     { ".petite", "Petite" },
	{ ".WWP32", "WWPack32" }, { "MEW", "MEW" },          { ".taz", "PESpin" },       { ".nsp0", "NsPack" },
	{ ".MPRESS", "MPRESS" },  { "PEC2", "PECompact" },   { "pec1", "PECompact" },    { ".RLPack", "RLPack" },
	{ ".themida", "Themida" }, { ".vmp0", "VMProtect" }, { ".enigma", "Enigma" },    { "kkrunchy", "kkrunchy" },
};

/* The section holding the entry point, or NULL. */
static const od_pe_section *entry_section(const od_pe *pe)
{
	for (unsigned i = 0; i < pe->nsections; i++) {
		const od_pe_section *sec = &pe->sec[i];
		uint32_t size = sec->virtual_size > sec->raw_size ? sec->virtual_size : sec->raw_size;
		if (pe->entry >= sec->virtual_address && pe->entry - sec->virtual_address < size)
			return sec;
	}
	return NULL;
}

/* A packed Windows executable: a packer's section name, or code that starts
 * in a section the loader makes writable and executable or that has no bytes
 * in the file
 * (it is unpacked there at run time: Upack and most others). EFI
 * images (subsystems 10-13) are firmware drivers, not packed flashers. */
static const char *packed_by(const od_pe *pe)
{
	for (unsigned i = 0; i < pe->nsections; i++)
		for (size_t k = 0; k < sizeof(packer_sections) / sizeof(packer_sections[0]); k++)
			if (!strncmp(pe->sec[i].name, packer_sections[k].name, strlen(packer_sections[k].name)))
				return packer_sections[k].packer;
	if (pe->subsystem >= 10 && pe->subsystem <= 13)
		return NULL;
	const od_pe_section *ep = entry_section(pe);
	if (ep && ((ep->flags & 0xA0000000u) == 0xA0000000u || ep->raw_size == 0))
		return "?";
	return NULL;
}

static bool detect_packers(od_ctx *c, od_span s, const od_pe *pe, od_span overlay)
{
	const char *packer = packed_by(pe);
	if (packer) {
		char what[128];
		if (packer[0] == '?')
			snprintf(what, sizeof(what), "packed executable (its code starts in a section filled at run time)");
		else
			snprintf(what, sizeof(what), "%s-packed executable", packer);
		unsupported(c, s.off, what);
		return true;
	}
	if (!overlay.len)
		return false;
	size_t at;
	uint32_t len;
	char what[128];
	if (nsis_at(overlay, &at, &len)) {
		snprintf(what, sizeof(what), "NSIS installer (first header at 0x%llx, 0x%x bytes of data): its files are not read",
			 (unsigned long long)(overlay.off + at), len);
		unsupported(c, overlay.off + at, what);
		return true;
	}
	/* InstallShield's MSI-style setup.exe: "InstallShield\0", a file count,
	 * then encoded files (each XORed with a key from its name). */
	at = od_find(overlay, 0, "InstallShield\0", 14);
	if (at < 4096) {
		uint16_t n = 0;
		od_u16(overlay, at + 14, &n, NULL);
		snprintf(what, sizeof(what), "InstallShield installer (%u encoded files at 0x%llx): not read", n,
			 (unsigned long long)(overlay.off + at));
		unsupported(c, overlay.off + at, what);
		return true;
	}
	return false;
}

static int walk_part(od_ctx *c, od_span part, od_kind kind, const char *label, od_err *e)
{
	OD_TRY(od_enter(c, kind, part, e, "%s", label));
	OD_TRY(od_walk_child(c, part, e)); /* guarded: hands up fatal errors only */
	od_leave(c);
	return OD_OK;
}

/* The overlay less a trailing Authenticode table. */
static od_span overlay_of(od_span s, const od_pe *pe)
{
	od_span o = { s.p + s.len, 0, s.off + s.len };
	if (pe->raw_end >= s.len || od_tail(s, (size_t)pe->raw_end, &o, NULL))
		return o;
	if (pe->cert_size && pe->cert_off >= pe->raw_end && (uint64_t)pe->cert_off + pe->cert_size == s.len)
		o.len = pe->cert_off - (size_t)pe->raw_end;
	return o;
}

static int pe_walk(od_ctx *c, od_span s, od_err *e)
{
	static _Thread_local od_pe pe;
	OD_TRY(od_pe_parse(s, &pe, e));
	OD_TRY(od_enter(c, OD_KIND_PE, s, e, "PE image"));
	od_note(c, "machine 0x%04x, %u sections", pe.machine, pe.nsections);
	od_pe copy = pe; /* the walk below may parse nested PE files */
	od_span overlay = overlay_of(s, &copy);
	bool named = detect_packers(c, s, &copy, overlay);
	for (unsigned i = 0; i < copy.nsections; i++) {
		const od_pe_section *sec = &copy.sec[i];
		od_span part;
		if (!sec->raw_size || od_sub(s, sec->raw_offset, sec->raw_size, &part, NULL))
			continue;
		char label[32];
		snprintf(label, sizeof(label), "PE section %.8s", sec->name);
		OD_TRY(walk_part(c, part, OD_KIND_PE_SECTION, label, e));
	}
	if (overlay.len) {
		OD_TRY(walk_part(c, overlay, OD_KIND_PE_OVERLAY, "PE overlay", e));
		/* Data after the image that no handler took is data we did not
		 * read: say so rather than let "no ROM" read as "none there". */
		const od_node *o = c->cur->last;
		if (!named && o && !o->first && overlay.len >= 512)
			od_diag_fail(c, false, OD_E_UNSUPPORTED, overlay.off, "PE overlay (0x%zx bytes): %s%s", overlay.len,
				     od_unread_kind(overlay) ? od_unread_kind(overlay) : "not a format optimus-db reads",
				     od_unread_kind(overlay) ? ", not read" : "");
	}
	od_leave(c);
	return OD_OK;
}

OD_FORMAT(pe, "Windows PE executable", pe_probe, pe_walk, 0);
