/* SPDX-License-Identifier: BSD-2-Clause */
/* Intel flash descriptor (SPI images): signature 0x0FF0A55A at 0x10 (0x0 on
 * ICH8-era parts), FLMAP0 after it with the region base (FRBA), FREG entries
 * of base/limit in 4 KiB units. Layout: Intel PCH datasheets "SPI flash
 * descriptor", coreboot util/ifdtool/ifdtool.h; parsers/layout/vendor.h.
 * Only the BIOS region is
 * walked; the others are reported by name. */
#include "layout/vendor.h"
#include "walk.h"

#define IFD_SIG OD_IFD_SIGNATURE
#define IFD_MAX_REGIONS 16

static const char *const region_names[IFD_MAX_REGIONS] = {
	"Descriptor", "BIOS", "ME", "GbE", "PDR", "DevExp1", "BIOS2", "Microcode",
	"EC", "DevExp2", "IE", "10GbE1", "10GbE2", "Reserved13", "Reserved14", "PTT",
};

static size_t sig_at(od_span s)
{
	if (od_match(s, 0x10, IFD_SIG, 4))
		return 0x10;
	if (od_match(s, 0, IFD_SIG, 4))
		return 0;
	return SIZE_MAX;
}

static int ifd_probe(od_span s)
{
	return sig_at(s) != SIZE_MAX ? 85 : 0;
}

static int walk_region(od_ctx *c, od_span s, unsigned i, uint32_t freg, od_err *e)
{
	uint64_t base = (uint64_t)(freg & 0x7FFF) << 12;
	uint64_t limit = ((uint64_t)((freg >> 16) & 0x7FFF) << 12) | 0xFFF;
	/* Unused entries read base > limit; entries past the part's real
	 * region count (older PCHs have 5) hold junk that starts at 0, where
	 * only the descriptor can live. */
	if (base > limit || base == 0)
		return OD_OK;
	uint64_t len = limit - base + 1;
	if (base >= s.len) {
		od_note(c, "%s region 0x%llx-0x%llx lies outside this file", region_names[i], (unsigned long long)base,
			(unsigned long long)limit);
		return OD_OK;
	}
	if (len > s.len - base) {
		od_diag_fail(c, true, OD_E_TRUNC, s.off + base, "%s region ends at 0x%llx, past the file end", region_names[i],
			(unsigned long long)limit);
		len = s.len - base;
	}
	od_span r;
	OD_TRY(od_sub(s, (size_t)base, (size_t)len, &r, e));
	OD_TRY(od_enter(c, OD_KIND_IFD_REGION, r, e, "IFD %s", region_names[i]));
	od_note(c, "0x%llx-0x%llx", (unsigned long long)base, (unsigned long long)(base + len - 1));
	int rc = OD_OK;
	if (i == 1 || i == 6) /* BIOS (and second BIOS) regions hold the UEFI image */
		rc = od_walk_child(c, r, e);
	od_leave(c);
	return rc;
}

static int ifd_walk(od_ctx *c, od_span s, od_err *e)
{
	size_t sig = sig_at(s);
	od_ifd_hdr h;
	OD_TRY(od_ifd_hdr_read(s, sig, &h, e));
	size_t frba = ((h.flmap0 >> 16) & 0xFF) << 4;
	if (frba == 0 || frba >= 0x1000)
		return od_fail(e, OD_E_FORMAT, s.off + sig + OD_OFF(od_ifd_hdr, flmap0), "region table base 0x%zx outside the descriptor",
			       frba);
	od_span desc;
	OD_TRY(od_sub(s, 0, s.len < 0x1000 ? s.len : 0x1000, &desc, e));
	OD_TRY(od_enter(c, OD_KIND_IFD, desc, e, "IFD"));
	od_note(c, "Intel flash descriptor, regions at 0x%zx", frba);
	od_leave(c);
	for (unsigned i = 0; i < IFD_MAX_REGIONS; i++) {
		od_ifd_freg f;
		size_t at = frba + od_ifd_freg_SIZE * i;
		if (at + od_ifd_freg_SIZE > 0x1000 || od_ifd_freg_read(s, at, &f, NULL))
			break;
		if (i == 0)
			continue; /* the descriptor itself */
		OD_TRY(walk_region(c, s, i, f.freg, e));
	}
	return OD_OK;
}

OD_FORMAT(ifd, "Intel flash descriptor", ifd_probe, ifd_walk, 0);
