/* SPDX-License-Identifier: BSD-2-Clause */
/* NVIDIA VBIOS facts: BIT table, version, subsystem IDs, NVGI dump headers.
 * BIT layout: envytools hwdocs "vbios.rst" (BIT header and tokens) and
 * nouveau nvkm/subdev/bios/bit.c; NVGI/IFR: Linux nova-core vbios.rs and
 * nouveau; facts collected in shared/notes/vbios-sources.md. */
#include "nvidia.h"

#include <stdio.h>
#include <string.h>

/* BIT header (envytools): u16 id 0xB8FF, "BIT\0", u16 BCD version 0x0100,
 * u8 header size (12), u8 token size (6), u8 token count, u8 checksum. */
#define BIT_SIG "\xFF\xB8" "BIT"
#define BIT_SIG_LEN 5

typedef struct bit_token {
	uint8_t id, version;
	uint16_t size, ptr;
} bit_token;

static int find_bit(od_span rom, uint32_t *off, uint8_t *count, uint8_t *hsize, uint8_t *tsize)
{
	size_t at = od_find(rom, 0, BIT_SIG, BIT_SIG_LEN);
	if (at == SIZE_MAX)
		return OD_E_FORMAT;
	if (od_u8(rom, at + 8, hsize, NULL) || od_u8(rom, at + 9, tsize, NULL) || od_u8(rom, at + 10, count, NULL))
		return OD_E_TRUNC;
	if (*hsize < 12 || *tsize < 6)
		return OD_E_FORMAT;
	*off = (uint32_t)at;
	return OD_OK;
}

static int bit_token_at(od_span rom, uint32_t bit_off, uint8_t hsize, uint8_t tsize, unsigned i, bit_token *t)
{
	size_t at = (size_t)bit_off + hsize + (size_t)i * tsize;
	OD_TRY(od_u8(rom, at, &t->id, NULL));
	OD_TRY(od_u8(rom, at + 1, &t->version, NULL));
	OD_TRY(od_u16(rom, at + 2, &t->size, NULL));
	OD_TRY(od_u16(rom, at + 4, &t->ptr, NULL));
	return OD_OK;
}

/* Token 'B' (BIOS data): u32 version at +0, OEM byte at +4, printed as
 * bytes 3.2.1.0.OEM in hex (nvflash: "86.08.40.00.48"). */
static void version_from_token(od_span rom, const bit_token *t, od_vbios_facts *f)
{
	uint32_t v;
	uint8_t oem;
	if (t->size < 5 || od_u32(rom, t->ptr, &v, NULL) || od_u8(rom, t->ptr + 4u, &oem, NULL))
		return;
	snprintf(f->version, sizeof(f->version), "%02X.%02X.%02X.%02X.%02X", (v >> 24) & 0xFF,
		 (v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF, oem);
}

/* Before Pascal, the legacy image header carries the board's subsystem
 * vendor/device at 0x54 (where Pascal and later put the "PMID" block);
 * checked against the ROMs in the shared corpus (ASUS 1043:1a8d on the
 * GL552JX GTX 950M, Lenovo 17aa:21f6 on the W530 K1000M). */
static void subsys_from_header(od_span rom, od_vbios_facts *f)
{
	uint16_t sv, sd;
	if (od_match(rom, 0x54, "PMID", 4) || od_u16(rom, 0x54, &sv, NULL) || od_u16(rom, 0x56, &sd, NULL))
		return;
	if (sv == 0 || sv == 0xFFFF || sd == 0 || sd == 0xFFFF)
		return;
	/* The same bytes read as "PMID" one structure later must follow. */
	if (od_find(rom, 0x58, "PMID", 4) > 0x100)
		return;
	f->has_subsys = true;
	f->sub_vendor = sv;
	f->sub_device = sd;
}

int od_nv_facts(od_span rom, const od_rom *parsed, od_vbios_facts *f, od_err *e)
{
	memset(f, 0, sizeof(*f));
	for (unsigned i = 0; i < parsed->nimages; i++) {
		if (parsed->img[i].pcir.code_type == OD_CODE_EFI)
			f->has_efi = true;
		if (parsed->img[i].pcir.code_type == OD_CODE_NV_FWSEC)
			f->has_fwsec = true;
	}
	if (parsed->nimages == 0 || parsed->img[0].pcir.vendor != 0x10de)
		return OD_OK;
	/* BIT lives in the x86 image; later images have their own tables. */
	od_span legacy = rom;
	for (unsigned i = 0; i < parsed->nimages; i++) {
		if (parsed->img[i].pcir.code_type == OD_CODE_X86) {
			size_t len = parsed->img[i].len;
			if (parsed->img[i].off + len > rom.len)
				len = rom.len - parsed->img[i].off;
			if (od_sub(rom, parsed->img[i].off, len, &legacy, e))
				return e->code;
			break;
		}
	}
	uint8_t count, hsize, tsize;
	if (find_bit(legacy, &f->bit_off, &count, &hsize, &tsize) == OD_OK) {
		f->has_bit = true;
		f->bit_off += (uint32_t)(legacy.p - rom.p);
		uint32_t local = f->bit_off - (uint32_t)(legacy.p - rom.p);
		for (unsigned i = 0; i < count; i++) {
			bit_token t;
			if (bit_token_at(legacy, local, hsize, tsize, i, &t))
				break; /* a token table cut short: keep what we have */
			if (t.id == 'B')
				version_from_token(legacy, &t, f);
		}
	}
	subsys_from_header(legacy, f);
	return OD_OK;
}

static bool rom_at(od_span s, size_t at)
{
	uint16_t ptr;
	return od_match(s, at, "\x55\xAA", 2) && !od_u16(s, at + 0x18, &ptr, NULL) &&
	       od_match(s, at + ptr, "PCIR", 4);
}

/* NVGI (IFR) header: u32 "NVGI", u32 FIXED1 (bits 15:8 version, 30:16 size
 * of the fixed part). v1/2: ROM offset = u32 at fixed size + 4. v3: total
 * size = FIXED2 (u32 at 8) bits 19:0; a directory at u32[total] + 4096 reads
 * "RFRD" and gives the ROM offset at +8 (nova-core vbios.rs). */
static bool nvgi_offset(od_span s, size_t *off, const char **kind)
{
	uint32_t fixed1, fixed2, v, dir;
	if (!od_match(s, 0, "NVGI", 4) || od_u32(s, 4, &fixed1, NULL))
		return false;
	unsigned version = (fixed1 >> 8) & 0xFF;
	size_t fixed_size = (fixed1 >> 16) & 0x7FFF;
	if (version == 1 || version == 2) {
		if (od_u32(s, fixed_size + 4, &v, NULL) || !rom_at(s, v))
			return false;
		*off = v;
		*kind = "NVGI v1/2";
		return true;
	}
	if (od_u32(s, 8, &fixed2, NULL) || od_u32(s, fixed2 & 0xFFFFF, &dir, NULL))
		return false;
	size_t d = (size_t)dir + 4096;
	if (!od_match(s, d, "RFRD", 4) || od_u32(s, d + 8, &v, NULL) || !rom_at(s, v))
		return false;
	*off = v;
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

#include "walk.h"

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
	OD_TRY(od_enter(c, "NVGI", s, e, "NVIDIA dump header"));
	od_note(c, "%s, ROM at 0x%zx", kind ? kind : "none", off);
	int rc = od_walk_child(c, rom, e);
	od_leave(c);
	return rc;
}

const od_format od_format_nvgi = {
	.name = "nvgi",
	.title = "NVIDIA flash dump (NVGI header)",
	.probe = nvgi_probe,
	.walk = nvgi_walk,
};
