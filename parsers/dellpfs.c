/* Dell PFS update packages (BIOSUtilities dell_pfs_extract.py; notes):
 * zlib sections marked EE AA 76 1B EC BB 20 F1 E6 51 ?? then a zlib stream
 * (78 9C) inside the flasher .exe; their output is a PFS container:
 * "PFS.HDR." u32 version, u32 payload size, entries, "PFS.FTR." footer.
 * Entry header (rev 1: 0x48 bytes, rev 2: 0x58): GUID, u32 header version,
 * version type[4], u16 version[4], u64 reserved, u32 data size, data
 * signature size, metadata size, metadata signature size, reserved. Entry
 * data is firmware, a nested PFS, or another zlib section. */
#include <string.h>

#include "decompress.h"
#include "uefi.h"

#define MARKER "\xEE\xAA\x76\x1B\xEC\xBB\x20\xF1\xE6\x51"
#define MARKER_LEN 10
#define PFS_MAX_ENTRIES 512

/* A zlib header (RFC 1950: CMF 0x78, FCHECK makes CMF*256+FLG a multiple
 * of 31); Dell writes 78 9C, other levels give 78 01/5E/DA. */
static bool zlib_at(od_span s, size_t at)
{
	uint8_t cmf, flg;
	return !od_u8(s, at, &cmf, NULL) && !od_u8(s, at + 1, &flg, NULL) && cmf == 0x78 && (cmf * 256 + flg) % 31 == 0;
}

static int pfs_probe(od_span s)
{
	if (od_match(s, 0, "PFS.HDR.", 8))
		return 90;
	size_t at = od_find(s, 0, MARKER, MARKER_LEN);
	return at != SIZE_MAX && zlib_at(s, at + MARKER_LEN + 1) ? 45 : 0;
}

static int walk_entries(od_ctx *c, od_span body, uint32_t version, od_err *e)
{
	size_t hdr = version == 1 ? 0x48 : 0x58;
	size_t at = 0;
	unsigned n = 0;
	while (at + hdr <= body.len) {
		if (++n > PFS_MAX_ENTRIES)
			return od_fail(e, OD_E_LIMIT, body.off + at, "more than %d PFS entries", PFS_MAX_ENTRIES);
		od_guid g;
		uint32_t sizes[4];
		OD_TRY(od_guid_at(body, at, &g, e));
		for (int i = 0; i < 4; i++)
			OD_TRY(od_u32(body, at + 0x28 + 4u * i, &sizes[i], e));
		od_span data;
		uint64_t all = (uint64_t)sizes[0] + sizes[1] + sizes[2] + sizes[3];
		if (all > body.len - at - hdr)
			return od_fail(e, OD_E_TRUNC, body.off + at + 0x28, "PFS entry sizes (0x%llx) run past the container",
				       (unsigned long long)all);
		OD_TRY(od_sub(body, at + hdr, sizes[0], &data, e));
		char gs[9];
		OD_TRY(od_enter(c, "PFS entry", data, e, "PFS entry %s", od_guid_short(&g, gs)));
		od_note(c, "data 0x%x, signature 0x%x, metadata 0x%x", sizes[0], sizes[1], sizes[2]);
		OD_TRY(od_walk_child(c, data, e)); /* guarded: hands up fatal errors only */
		od_leave(c);
		at += hdr + (size_t)all;
	}
	return OD_OK;
}

static int walk_pfs(od_ctx *c, od_span s, od_err *e)
{
	uint32_t version, size;
	OD_TRY(od_u32(s, 8, &version, e));
	OD_TRY(od_u32(s, 12, &size, e));
	if (version != 1 && version != 2)
		return od_fail(e, OD_E_UNSUPPORTED, s.off + 8, "PFS version %u", version);
	od_span body;
	if (od_sub(s, 16, size, &body, NULL))
		return od_fail(e, OD_E_TRUNC, s.off + 12, "PFS payload of 0x%x bytes runs past the end", size);
	if (!od_match(s, 16 + (size_t)size, "PFS.FTR.", 8))
		return od_fail(e, OD_E_FORMAT, s.off + 16 + size, "no PFS.FTR. footer after the payload");
	od_span whole;
	OD_TRY(od_sub(s, 0, 16 + (size_t)size + 16, &whole, e));
	OD_TRY(od_enter(c, "PFS", whole, e, "Dell PFS"));
	od_note(c, "version %u, 0x%x bytes", version, size);
	int rc = walk_entries(c, body, version, e);
	od_leave(c);
	return rc;
}

static int zlib_section(od_ctx *c, od_span z, od_span *out, size_t *used, od_err *e)
{
	OD_TRY(od_enter(c, "zlib", z, e, "Dell zlib section"));
	OD_TRY(od_zlib_stream(c, z, SIZE_MAX, out, used, e));
	OD_TRY(od_walk_child(c, *out, e));
	od_leave(c);
	return OD_OK;
}

/* Every marked zlib section in the span; each inflates to a PFS (or more). */
static int walk_sections(od_ctx *c, od_span s, od_err *e)
{
	size_t at = od_find(s, 0, MARKER, MARKER_LEN);
	unsigned n = 0;
	while (at != SIZE_MAX) {
		od_span z, out;
		size_t used = 0;
		if (++n > PFS_MAX_ENTRIES)
			return od_fail(e, OD_E_LIMIT, s.off + at, "more than %d Dell zlib sections", PFS_MAX_ENTRIES);
		if (zlib_at(s, at + MARKER_LEN + 1) && !od_tail(s, at + MARKER_LEN + 1, &z, NULL)) {
			od_part p;
			int rc = zlib_section(c, z, &out, &used, od_part_begin(c, &p));
			if (od_fatal(od_part_end(c, &p, rc, e, NULL)))
				return rc;
		}
		at = od_find(s, at + MARKER_LEN + 1 + used, MARKER, MARKER_LEN);
	}
	return OD_OK;
}

static int pfs_walk(od_ctx *c, od_span s, od_err *e)
{
	return od_match(s, 0, "PFS.HDR.", 8) ? walk_pfs(c, s, e) : walk_sections(c, s, e);
}

const od_format od_format_dellpfs = {
	.name = "dellpfs",
	.title = "Dell PFS package",
	.probe = pfs_probe,
	.walk = pfs_walk,
	.max_bid = 90,
};
