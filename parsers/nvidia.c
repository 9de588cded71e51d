/* SPDX-License-Identifier: BSD-2-Clause */
/* NVIDIA VBIOS facts: BIT table, version, subsystem IDs (the NVGI dump
 * header is nvgi.c). BIT layout: envytools hwdocs "vbios.rst" (BIT header
 * and tokens) and nouveau nvkm/subdev/bios/bit.c; facts collected in
 * shared/notes/vbios-sources.md. */
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
