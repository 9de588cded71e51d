/* PE/COFF header parsing and checks (Microsoft "PE Format" specification:
 * MS-DOS stub e_lfanew at 0x3C, COFF file header, optional header, section
 * table of 40-byte entries). */
#include "pe.h"

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
