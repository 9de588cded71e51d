/* NVIDIA VBIOS facts. TEMPORARY minimal version: the issue-2 work replaces
 * this with the full BIT/NVGI walker. */
#include "nvidia.h"

#include <string.h>

int od_nv_facts(od_span rom, const od_rom *parsed, od_vbios_facts *f, od_err *e)
{
	memset(f, 0, sizeof(*f));
	for (unsigned i = 0; i < parsed->nimages; i++) {
		if (parsed->img[i].pcir.code_type == OD_CODE_EFI)
			f->has_efi = true;
		if (parsed->img[i].pcir.code_type == OD_CODE_NV_FWSEC)
			f->has_fwsec = true;
	}
	return OD_OK;
}

int od_nv_find_rom(od_span dump, size_t *off, const char **kind, od_err *e)
{
	*kind = NULL;
	for (size_t at = 0; at + 0x1A < dump.len; at += 512) {
		uint16_t ptr;
		if (od_match(dump, at, "\x55\xAA", 2) && !od_u16(dump, at + 0x18, &ptr, NULL) &&
		    od_match(dump, at + ptr, "PCIR", 4)) {
			*off = at;
			if (at)
				*kind = "scan";
			return OD_OK;
		}
	}
	return od_fail(e, OD_E_FORMAT, dump.off, "no 55 AA + PCIR option ROM signature in the first %zu bytes", dump.len);
}
