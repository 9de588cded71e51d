/* SPDX-License-Identifier: BSD-2-Clause */
/* Phoenix legacy BIOS images (Phoenix BIOS 4.0 / TrustedCore, e.g. ThinkPad
 * T60 SPI dumps): recognised, not read. The image carries a "BCPSEGMENT"
 * block followed by a chain of BCP records (6-byte name, u16 flags, u16
 * length: coreboot bios_extract src/phoenix.c struct PhoenixID); BCPSYS
 * holds the build date (+0x0F), time (+0x18) and version (+0x37). Its modules
 * (the VBIOS among them) are LZSS/LZARI/LZHUF-compressed, which we do not
 * decode, so the answer names the BIOS and says so instead of letting the
 * uncompressed ROMs carving finds read as all there is. */
#include <stdio.h>
#include <string.h>

#include "walk.h"

#define BCP_MAX_RECORDS 256

/* The BCPSYS record: through the BCPSEGMENT chain when there is one (every
 * length checked), else the bare signature. */
static size_t find_bcpsys(od_span s)
{
	size_t seg = od_find(s, 0, "BCPSEGMENT", 10);
	if (seg != SIZE_MAX) {
		size_t at = seg + 10;
		for (unsigned i = 0; i < BCP_MAX_RECORDS; i++) {
			uint16_t len;
			if (!od_match(s, at, "BCP", 3) || od_u16(s, at + 8, &len, NULL) || len < 10)
				break;
			if (od_match(s, at, "BCPSYS", 6))
				return at;
			at += len;
		}
	}
	size_t at = od_find(s, 0, "BCPSYS", 6);
	uint16_t len;
	return at != SIZE_MAX && !od_u16(s, at + 8, &len, NULL) && len >= 0x40 ? at : SIZE_MAX;
}

/* The lowest bid: any format we read wins over this one. */
static int phoenix_probe(od_span s)
{
	return find_bcpsys(s) != SIZE_MAX ? 2 : 0;
}

static void text_at(od_span s, size_t at, char out[9])
{
	size_t k = 0;
	for (size_t i = 0; i < 8; i++) {
		uint8_t b;
		if (od_u8(s, at + i, &b, NULL) || b < 0x20 || b >= 0x7f)
			break;
		out[k++] = (char)b;
	}
	while (k && out[k - 1] == ' ')
		k--;
	out[k] = 0;
}

static int phoenix_walk(od_ctx *c, od_span s, od_err *e)
{
	size_t sys = find_bcpsys(s);
	if (sys == SIZE_MAX)
		return od_fail(e, OD_E_FORMAT, s.off, "no BCPSYS record");
	char version[9], date[9];
	text_at(s, sys + 0x37, version);
	text_at(s, sys + 0x0F, date);
	OD_TRY(od_enter(c, OD_KIND_PHOENIX, s, e, "Phoenix BIOS %s", version[0] ? version : "(no version)"));
	od_note(c, "BCPSYS at 0x%llx, built %s", (unsigned long long)(s.off + sys), date[0] ? date : "?");
	od_diag_fail(c, false, OD_E_UNSUPPORTED, s.off + sys,
		     "Phoenix BIOS %s (BCPSYS at 0x%llx): its compressed modules are not read; only option ROMs stored "
		     "uncompressed are found (by carving)",
		     version, (unsigned long long)(s.off + sys));
	od_leave(c);
	return OD_OK;
}

OD_FORMAT(phoenix, "Phoenix legacy BIOS (recognised, not read)", phoenix_probe, phoenix_walk, 2);
