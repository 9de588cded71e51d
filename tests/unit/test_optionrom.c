/* SPDX-License-Identifier: BSD-2-Clause */
/* Option-ROM chains built by the test from the PCI Firmware Spec 3.0 layout:
 * valid, truncated, looping, oversized, bad checksum, NPDE override. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fvbuild.h"
#include "nvidia.h"
#include "optionrom.h"
#include "testutil.h"

static void put16(uint8_t *p, uint16_t v)
{
	od_put16(p, v);
}

/* One image at p (fvbuild.c's writer on parsers/layout/pci.h): PCIR rev 3,
 * class 03 02 00, code revision 1. */
static void make_image(uint8_t *p, size_t units, uint16_t vendor, uint16_t device, uint8_t type, bool last,
		       int npde_units, bool npde_last)
{
	od_pcir_hdr pcir = { .vendor = vendor, .device = device, .revision = 3, .class_code = 0x030200, .code_rev = 1,
			     .code_type = type, .indicator = last ? 0x80 : 0 };
	fb_rom_image(p, units, pcir, npde_units, npde_last);
}

static int parse(const uint8_t *buf, size_t len, od_rom *r, od_err *e)
{
	od_err_clear(e);
	return od_rom_parse(od_span_make(buf, len, 0), r, e);
}

Test(optionrom, single_legacy_image)
{
	uint8_t buf[1024];
	make_image(buf, 2, 0x10de, 0x139b, 0, true, -1, false);
	od_rom r;
	od_err e;
	cr_assert_eq(parse(buf, sizeof(buf), &r, &e), OD_OK);
	cr_assert_eq(r.nimages, 1);
	cr_assert_eq(r.img[0].pcir.vendor, 0x10de);
	cr_assert_eq(r.img[0].pcir.device, 0x139b);
	cr_assert_eq(r.img[0].pcir.class_code, 0x030200);
	cr_assert_eq(r.img[0].len, 1024);
	cr_assert(r.img[0].checksum_ok);
	cr_assert(r.img[0].last);
	cr_assert_eq(r.total_len, 1024);
}

Test(optionrom, bad_checksum_is_reported_not_fatal)
{
	uint8_t buf[512];
	make_image(buf, 1, 0x10de, 0x1c8d, 0, true, -1, false);
	buf[100] ^= 1;
	od_rom r;
	od_err e;
	cr_assert_eq(parse(buf, sizeof(buf), &r, &e), OD_OK);
	cr_assert(r.img[0].checksum_applies);
	cr_assert(!r.img[0].checksum_ok);
}

Test(optionrom, legacy_plus_efi_chain)
{
	uint8_t buf[2048];
	make_image(buf, 2, 0x8086, 0x100e, 0, false, -1, false);
	make_image(buf + 1024, 2, 0x8086, 0x100e, 3, true, -1, false);
	/* EFI header fields (UEFI 2.10 sec. 14.4.2). */
	od_efi_rom x = { .signature = { 0x55, 0xAA }, .init_size512 = 2, .efi_signature = OD_EFI_ROM_SIGNATURE,
			 .subsystem = 0x0B, .machine = 0x8664, .compression = 1, .image_off = 0x60 };
	od_efi_rom_write(&x, buf + 1024);
	od_rom r;
	od_err e;
	cr_assert_eq(parse(buf, sizeof(buf), &r, &e), OD_OK);
	cr_assert_eq(r.nimages, 2);
	cr_assert_eq(r.img[1].off, 1024);
	cr_assert(r.img[1].efi.present);
	cr_assert_eq(r.img[1].efi.machine, 0x8664);
	cr_assert_eq(r.img[1].efi.compression, 1);
	cr_assert_eq(r.img[1].efi.image_off, 0x60);
	cr_assert(!r.img[1].checksum_applies, "EFI images carry no 8-bit checksum");
}

Test(optionrom, npde_overrides_pcir_length_and_last_bit)
{
	/* PCIR says one 4-unit image and "last"; NPDE says 2 units, more follow:
	 * the EFI image after it must not be lost (rom-parser loses it). */
	uint8_t buf[2048];
	make_image(buf + 1024, 2, 0x10de, 0x1c8c, 3, true, 2, true);
	make_image(buf, 2, 0x10de, 0x1c8c, 0, true, 2, false);
	put16(buf + 0x30, 4); /* PCIR length covers both images */
	uint8_t sum = 0;
	for (size_t i = 0; i < 1023; i++)
		sum = (uint8_t)(sum + buf[i]);
	buf[1023] = (uint8_t)(0x100 - sum);
	od_rom r;
	od_err e;
	cr_assert_eq(parse(buf, sizeof(buf), &r, &e), OD_OK);
	cr_assert_eq(r.nimages, 2);
	cr_assert_eq(r.img[0].len, 1024);
	cr_assert(!r.img[0].last);
	cr_assert_eq(r.img[1].pcir.code_type, 3);
}

Test(optionrom, nvidia_vn_signature_for_later_images)
{
	uint8_t buf[1024];
	make_image(buf, 1, 0x10de, 0x1d10, 0, false, -1, false);
	make_image(buf + 512, 1, 0x10de, 0x1d00, 0xE0, true, -1, false);
	buf[512] = 'V';
	buf[513] = 'N';
	od_rom r;
	od_err e;
	cr_assert_eq(parse(buf, sizeof(buf), &r, &e), OD_OK);
	cr_assert_eq(r.nimages, 2);
	/* ...but a chain may not start with VN. */
	cr_assert_neq(parse(buf + 512, 512, &r, &e), OD_OK);
}

Test(optionrom, first_image_truncated_is_an_error_with_offset)
{
	uint8_t buf[1024];
	make_image(buf, 2, 0x10de, 0x139b, 0, true, -1, false);
	od_rom r;
	od_err e;
	cr_assert_eq(parse(buf, 700, &r, &e), OD_E_TRUNC);
	cr_assert(strstr(e.msg, "claims 1024 bytes, only 700"), "%s", e.msg);
}

Test(optionrom, header_cut_short_names_the_offset)
{
	uint8_t buf[1024];
	make_image(buf, 2, 0x10de, 0x139b, 0, true, -1, false);
	od_rom r;
	od_err e;
	cr_assert_eq(parse(buf, 0x28, &r, &e), OD_E_TRUNC);
	cr_assert_eq(e.off, 0x28, "offset 0x%llx", (unsigned long long)e.off);
	cr_assert(strstr(e.path, "ROM image 1"), "%s", e.path);
}

Test(optionrom, zero_length_image_is_a_loop_not_a_hang)
{
	uint8_t buf[512];
	make_image(buf, 1, 0x10de, 0x139b, 0, false, -1, false);
	put16(buf + 0x30, 0);
	od_rom r;
	od_err e;
	cr_assert_eq(parse(buf, sizeof(buf), &r, &e), OD_E_LOOP);
}

Test(optionrom, later_damaged_image_ends_chain_and_is_counted)
{
	uint8_t buf[1536];
	make_image(buf, 1, 0x10de, 0x139b, 0, false, -1, false);
	make_image(buf + 512, 1, 0x10de, 0x139b, 3, true, -1, false);
	memcpy(buf + 512 + 0x20, "XXXX", 4); /* PCIR signature broken */
	od_rom r;
	od_err e;
	cr_assert_eq(parse(buf, sizeof(buf), &r, &e), OD_OK);
	cr_assert_eq(r.nimages, 1);
	cr_assert_eq(r.chain_errors, 1);
	cr_assert_eq(r.total_len, 512);
}

Test(optionrom, not_last_with_nothing_after_is_counted)
{
	uint8_t buf[512];
	make_image(buf, 1, 0x10de, 0x139b, 0, false, -1, false);
	od_rom r;
	od_err e;
	cr_assert_eq(parse(buf, sizeof(buf), &r, &e), OD_OK);
	cr_assert_eq(r.chain_errors, 1);
}

Test(optionrom, image_count_is_bounded)
{
	size_t n = OD_ROM_MAX_IMAGES + 4;
	uint8_t *buf = calloc(n, 512);
	for (size_t i = 0; i < n; i++)
		make_image(buf + i * 512, 1, 0x1234, 0x1111, 0, i + 1 == n, -1, false);
	od_rom r;
	od_err e;
	cr_assert_eq(parse(buf, n * 512, &r, &e), OD_OK);
	cr_assert_eq(r.nimages, OD_ROM_MAX_IMAGES);
	cr_assert_geq(r.chain_errors, 1);
	free(buf);
}

Test(optionrom, pcir_pointer_inside_header_is_refused)
{
	uint8_t buf[512];
	make_image(buf, 1, 0x10de, 0x139b, 0, true, -1, false);
	put16(buf + 0x18, 0x04);
	od_rom r;
	od_err e;
	cr_assert_eq(parse(buf, sizeof(buf), &r, &e), OD_E_FORMAT);
}

/* BIT table with a 'B' token: version bytes 3.2.1.0 then OEM. */
Test(nvidia, bit_version_and_nvgi_prefix)
{
	uint8_t rom[1024];
	make_image(rom, 2, 0x10de, 0x139b, 0, true, -1, false);
	static const uint8_t bit[] = { 0xFF, 0xB8, 'B', 'I', 'T', 0, 0x00, 0x01, 12, 6, 1, 0 };
	memcpy(rom + 0x100, bit, sizeof(bit));
	static const uint8_t tok[] = { 'B', 2, 5, 0, 0x40, 0x01 };
	memcpy(rom + 0x10C, tok, sizeof(tok));
	static const uint8_t ver[] = { 0x2A, 0x00, 0x6B, 0x07, 0x82 }; /* wrong on purpose, fixed below */
	memcpy(rom + 0x140, ver, sizeof(ver));
	rom[0x140] = 0x00;
	rom[0x141] = 0x6B;
	rom[0x142] = 0x07;
	rom[0x143] = 0x82;
	rom[0x144] = 0x2A;
	od_rom r;
	od_err e;
	od_vbios_facts f;
	cr_assert_eq(parse(rom, sizeof(rom), &r, &e), OD_OK);
	cr_assert_eq(od_nv_facts(od_span_make(rom, sizeof(rom), 0), &r, &f, &e), OD_OK);
	cr_assert(f.has_bit);
	cr_assert_eq(f.bit_off, 0x100);
	cr_assert_str_eq(f.version, "82.07.6B.00.2A");

	/* The same ROM behind a 0x400-byte dump header is found by the scan. */
	uint8_t dump[0x400 + sizeof(rom)];
	memset(dump, 0xFF, 0x400);
	memcpy(dump, "NVGI", 4);
	memcpy(dump + 0x400, rom, sizeof(rom));
	size_t off;
	const char *kind;
	cr_assert_eq(od_nv_find_rom(od_span_make(dump, sizeof(dump), 0), &off, &kind, &e), OD_OK);
	cr_assert_eq(off, 0x400);
	cr_assert(kind && strstr(kind, "NVGI"), "%s", kind ? kind : "(null)");
}

Test(nvidia, no_rom_anywhere_is_an_error)
{
	uint8_t blank[4096];
	memset(blank, 0xFF, sizeof(blank));
	memcpy(blank, "NV\xff\xff", 4);
	size_t off;
	const char *kind;
	od_err e;
	od_err_clear(&e);
	cr_assert_eq(od_nv_find_rom(od_span_make(blank, sizeof(blank), 0), &off, &kind, &e), OD_E_FORMAT);
}

/* Real files Debian ships: every one parses with the IDs in its PCIR. */
Test(optionrom, debian_seabios_stdvga)
{
	const char *p = "/usr/share/seabios/vgabios-stdvga.bin";
	if (!tu_exists(p))
		cr_skip_test("%s absent (install seabios)", p);
	size_t len;
	uint8_t *buf = tu_read(p, &len);
	od_rom r;
	od_err e;
	cr_assert_eq(parse(buf, len, &r, &e), OD_OK);
	cr_assert_eq(r.img[0].pcir.vendor, 0x1234);
	cr_assert_eq(r.img[0].pcir.device, 0x1111);
	cr_assert_eq(r.img[0].pcir.class_code, 0x030000);
	free(buf);
}

/* Code type 0xE0 is an NVIDIA extension image on every generation; only from
 * Turing on does it hold FwSec (issue 19: a Kepler K2100M was called FwSec). */
Test(optionrom, code_type_e0_is_named_an_extension_not_fwsec)
{
	cr_assert_str_eq(od_code_type_name(0xE0), "NVIDIA extension (0xE0)");
	cr_assert_str_eq(od_code_type_name(0x03), "EFI");
}
