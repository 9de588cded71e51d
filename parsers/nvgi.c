/* SPDX-License-Identifier: BSD-2-Clause */
/* NVIDIA flash dumps: the nvflash/IFR ("NVGI") header in front of the ROM,
 * a handler and the ROM finder `info` and `ssdt` use. Layout: Linux
 * nova-core vbios.rs and nouveau; facts collected in
 * shared/notes/vbios-sources.md. */
#include "nvgi.h"

#include "layout/pci.h"
#include "layout/vendor.h"
#include "walk.h"

static bool rom_at(od_span s, size_t at)
{
	uint16_t ptr;
	return od_match(s, at, "\x55\xAA", 2) && !od_u16(s, at + OD_OFF(od_rom_hdr, pcir_ptr), &ptr, NULL) &&
	       od_match(s, at + ptr, "PCIR", 4);
}

/* NVGI (IFR) header (parsers/layout/vendor.h). v1/2: ROM offset = u32 at
 * fixed size + 4. v3: a directory at u32[total] + 4096 reads "RFRD" and
 * gives the ROM offset (nova-core vbios.rs). */
static bool nvgi_offset(od_span s, size_t *off, const char **kind)
{
	od_nvgi_hdr h;
	od_nvgi_rfrd r;
	uint32_t v, dir;
	if (!od_match(s, 0, "NVGI", 4) || od_nvgi_hdr_read_n(s, 0, &h, OD_OFF(od_nvgi_hdr, fixed2), NULL))
		return false;
	unsigned version = (h.fixed1 >> 8) & 0xFF;
	size_t fixed_size = (h.fixed1 >> 16) & 0x7FFF;
	if (version == 1 || version == 2) {
		if (od_u32(s, fixed_size + 4, &v, NULL) || !rom_at(s, v))
			return false;
		*off = v;
		*kind = "NVGI v1/2";
		return true;
	}
	if (od_nvgi_hdr_read(s, 0, &h, NULL) || od_u32(s, h.fixed2 & 0xFFFFF, &dir, NULL))
		return false;
	size_t d = (size_t)dir + 4096;
	if (!od_match(s, d, "RFRD", 4) || od_nvgi_rfrd_read(s, d, &r, NULL) || !rom_at(s, r.rom_offset))
		return false;
	*off = r.rom_offset;
	*kind = "NVGI v3 (RFRD)";
	return true;
}

int od_nv_find_rom(od_span dump, size_t *off, const char **kind, od_err *e)
{
	*kind = NULL;
	*off = 0;
	if (rom_at(dump, 0))
		return OD_OK;
	if (nvgi_offset(dump, off, kind))
		return OD_OK;
	/* Fallback: ROMs start on 512-byte boundaries in every dump we have. */
	for (size_t at = 512; at < dump.len; at += 512) {
		if (rom_at(dump, at)) {
			*off = at;
			*kind = od_match(dump, 0, "NVGI", 4) ? "NVGI (512-byte scan)" : "unknown prefix (512-byte scan)";
			return OD_OK;
		}
	}
	if (od_match(dump, 0, "\x55\xAA", 2))
		return od_fail(e, OD_E_FORMAT, dump.off,
			       "55 AA option ROM without a PCI Data Structure (an ISA ROM, not a PCI device ROM)");
	return od_fail(e, OD_E_FORMAT, dump.off, "no 55 AA + PCIR option ROM signature on any 512-byte boundary");
}

/* --- handler: nvflash / SPI dumps with an NVGI (IFR) header --- */

static int nvgi_probe(od_span s)
{
	return od_match(s, 0, "NVGI", 4) ? 80 : 0;
}

static int nvgi_walk(od_ctx *c, od_span s, od_err *e)
{
	size_t off;
	const char *kind;
	od_span rom;
	OD_TRY(od_nv_find_rom(s, &off, &kind, e));
	OD_TRY(od_tail(s, off, &rom, e));
	OD_TRY(od_enter(c, OD_KIND_NVGI, s, e, "NVIDIA dump header"));
	od_note(c, "%s, ROM at 0x%zx", kind ? kind : "none", off);
	int rc = od_walk_child(c, rom, e);
	od_leave(c);
	return rc;
}

OD_FORMAT(nvgi, "NVIDIA flash dump (NVGI header)", nvgi_probe, nvgi_walk, 0);
