/* PE/COFF header parsing and checks (Microsoft "PE Format" specification:
 * MS-DOS stub e_lfanew at 0x3C, COFF file header, optional header, section
 * table of 40-byte entries). */
#include "pe.h"

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
	OD_TRY(od_u32(s, opt + 32, &pe->section_alignment, e));
	OD_TRY(od_u32(s, opt + 56, &pe->size_of_image, e));
	OD_TRY(od_u32(s, opt + 60, &pe->size_of_headers, e));
	OD_TRY(od_u16(s, opt + 68, &pe->subsystem, e));
	pe->raw_end = pe->size_of_headers;
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

/* Packers and installers we recognise but do not unpack: say so. */
static void detect_packers(od_ctx *c, od_span s, const od_pe *pe)
{
	for (unsigned i = 0; i < pe->nsections; i++)
		if (!strncmp(pe->sec[i].name, "UPX", 3)) {
			unsupported(c, s.off, "UPX-packed executable");
			return;
		}
	od_span overlay;
	if (pe->raw_end < s.len && !od_tail(s, (size_t)pe->raw_end, &overlay, NULL)) {
		/* A 7-Zip SFX's archive (7z signature at the overlay's start) is
		 * walked below by the archive handler (archive.c). */
		if (od_find(overlay, 0, "Inno Setup", 10) < 4096)
			unsupported(c, overlay.off, "Inno Setup installer");
	}
}

static int walk_part(od_ctx *c, od_span part, const char *kind, const char *label, od_err *e)
{
	od_node *here = c->cur;
	OD_TRY(od_enter(c, kind, part, e, "%s", label));
	int rc = od_walk_child(c, part, e);
	if (rc)
		od_err_locate(c, e); /* od_walk_child hands up fatal errors only */
	c->cur = here;
	return rc;
}

static int pe_walk(od_ctx *c, od_span s, od_err *e)
{
	static _Thread_local od_pe pe;
	OD_TRY(od_pe_parse(s, &pe, e));
	OD_TRY(od_enter(c, "PE", s, e, "PE image"));
	od_note(c, "machine 0x%04x, %u sections", pe.machine, pe.nsections);
	od_pe copy = pe; /* the walk below may parse nested PE files */
	detect_packers(c, s, &copy);
	for (unsigned i = 0; i < copy.nsections; i++) {
		const od_pe_section *sec = &copy.sec[i];
		od_span part;
		if (!sec->raw_size || od_sub(s, sec->raw_offset, sec->raw_size, &part, NULL))
			continue;
		char label[32];
		snprintf(label, sizeof(label), "PE section %.8s", sec->name);
		OD_TRY(walk_part(c, part, "PE section", label, e));
	}
	od_span overlay;
	if (copy.raw_end < s.len && !od_tail(s, (size_t)copy.raw_end, &overlay, NULL))
		OD_TRY(walk_part(c, overlay, "PE overlay", "PE overlay", e));
	od_leave(c);
	return OD_OK;
}

const od_format od_format_pe = {
	.name = "pe",
	.title = "Windows PE executable",
	.probe = pe_probe,
	.walk = pe_walk,
};
