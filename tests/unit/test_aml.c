/* SPDX-License-Identifier: BSD-2-Clause */
/* AML writer on known encodings (ACPI 6.5 sec. 20.2.4 PkgLength, 20.2.2
 * name strings) and the guest ACPI path rules. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "aml.h"
#include "fwcfg.h"
#include "smbios.h"
#include "ssdt.h"

static size_t enc(size_t body, uint8_t out[4])
{
	return aml_pkglen_encode(body, out);
}

Test(aml, package_length_boundaries)
{
	uint8_t b[4];
	cr_assert_eq(enc(0x3E, b), 1);          /* 0x3E + 1 = 0x3F: the 1-byte maximum */
	cr_assert_eq(b[0], 0x3F);
	cr_assert_eq(enc(0x3F, b), 2);          /* 0x41 in two bytes */
	cr_assert_eq(b[0], 0x41);               /* 01xx: one more byte; low nibble 1 */
	cr_assert_eq(b[1], 0x04);
	cr_assert_eq(enc(0xFFD, b), 2);         /* 0xFFF total */
	cr_assert_eq(b[0], 0x4F);
	cr_assert_eq(b[1], 0xFF);
	cr_assert_eq(enc(0xFFE, b), 3);         /* 0x1001 total needs three */
	cr_assert_eq(b[0], 0x81);
	cr_assert_eq(b[1], 0x00);
	cr_assert_eq(b[2], 0x01);
	cr_assert_eq(enc(0xFFFFC, b), 3);       /* 0xFFFFF total */
	cr_assert_eq(enc(0xFFFFD, b), 4);
	cr_assert_eq(b[0] >> 6, 3);
	cr_assert_eq(enc((size_t)1 << 28, b), 0, "beyond 28 bits is refused");
}

static void name_bytes(const char *path, const void *want, size_t n)
{
	aml a;
	aml_init(&a);
	aml_name(&a, path);
	cr_assert(!a.failed, "%s", path);
	cr_assert_eq(a.len, n, "%s: %zu bytes", path, a.len);
	cr_assert(memcmp(a.p, want, n) == 0, "%s", path);
	aml_free(&a);
}

Test(aml, name_strings)
{
	name_bytes("_ROM", "_ROM", 4);
	name_bytes("\\VB00", "\\VB00", 5);
	name_bytes("\\_SB", "\\_SB_", 5);                                   /* padded */
	name_bytes("^FOO", "^FOO_", 5);                                    /* parent prefix */
	name_bytes("\\_SB.PCI0", "\\\x2E_SB_PCI0", 10);                    /* dual */
	name_bytes("\\_SB.PCI0.SE0.S00", "\\\x2F\x04_SB_PCI0SE0_S00_", 19); /* multi */
	aml a;
	aml_init(&a);
	aml_name(&a, "\\_SB.TOOLONG");
	cr_assert(a.failed, "5-char segment refused");
	aml_free(&a);
	aml_init(&a);
	aml_name(&a, "\\0ABC");
	cr_assert(a.failed, "segment may not start with a digit");
	aml_free(&a);
}

Test(aml, integers_use_the_shortest_form)
{
	aml a;
	aml_init(&a);
	aml_int(&a, 0);
	aml_int(&a, 1);
	aml_int(&a, 0x1000);
	aml_int(&a, 0x26000);
	static const uint8_t want[] = { 0x00, 0x01, 0x0B, 0x00, 0x10, 0x0C, 0x00, 0x60, 0x02, 0x00 };
	cr_assert_eq(a.len, sizeof(want));
	cr_assert(memcmp(a.p, want, sizeof(want)) == 0);
	aml_free(&a);
}

Test(aml, table_checksum_and_nesting)
{
	aml a;
	aml_init(&a);
	aml_open(&a, AML_SCOPE, false);
	aml_name(&a, "\\_SB");
	aml_open(&a, AML_DEVICE, true);
	aml_name(&a, "DEV0");
	aml_close(&a);
	aml_close(&a);
	uint8_t *t;
	size_t n;
	cr_assert(aml_table(&a, "SSDT", "OPTMDB", "TESTTEST", 1, &t, &n));
	uint8_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + t[i]);
	cr_assert_eq(sum, 0);
	cr_assert_eq(t[4] | t[5] << 8, (int)n);
	/* Scope 10 <len> \_SB_ then 5B 82 <len> DEV0 */
	static const uint8_t body[] = { 0x10, 0x0D, '\\', '_', 'S', 'B', '_', 0x5B, 0x82, 0x05, 'D', 'E', 'V', '0' };
	cr_assert(memcmp(t + 36, body, sizeof(body)) == 0);
	free(t);
	aml_free(&a);
	aml_init(&a);
	aml_open(&a, AML_SCOPE, false);
	cr_assert(!aml_table(&a, "SSDT", "OPTMDB", "TESTTEST", 1, &t, &n), "an unclosed package is refused");
	aml_free(&a);
}

Test(aml, guest_paths_follow_qemu_naming)
{
	char p[128], why[256];
	od_err e;
	cr_assert_eq(od_acpi_path_for("q35", "01:00.0", "00:1c.0", p, sizeof(p), why, sizeof(why), &e), OD_OK);
	cr_assert_str_eq(p, "\\_SB.PCI0.SE0.S00");
	cr_assert_eq(od_acpi_path_for("q35", "00:02.0", NULL, p, sizeof(p), why, sizeof(why), &e), OD_OK);
	cr_assert_str_eq(p, "\\_SB.PCI0.S10");
	cr_assert_eq(od_acpi_path_for("pc", "05.0", NULL, p, sizeof(p), why, sizeof(why), &e), OD_OK);
	cr_assert_str_eq(p, "\\_SB.PCI0.S28");
	cr_assert_eq(od_acpi_path_for("pc", "01:00.0", NULL, p, sizeof(p), why, sizeof(why), &e), OD_E_USAGE);
	cr_assert_eq(od_acpi_path_for("q35", "00:1f.7", NULL, p, sizeof(p), why, sizeof(why), &e), OD_OK);
	cr_assert_str_eq(p, "\\_SB.PCI0.SFF");
	cr_assert_eq(od_acpi_path_for("virt", "00:02.0", NULL, p, sizeof(p), why, sizeof(why), &e), OD_E_USAGE);
}

Test(ssdt, tables_stay_under_qemus_limit)
{
	static uint8_t rom[1 << 20];
	for (size_t i = 0; i < sizeof(rom); i++)
		rom[i] = (uint8_t)(i * 7);
	od_acpi_opts o = { .path = "\\_SB.PCI0.SE0.S00" };
	od_ssdt *t;
	size_t n;
	od_err e;
	cr_assert_eq(od_ssdt_build(rom, sizeof(rom), &o, false, &t, &n, &e), OD_OK);
	cr_assert_eq(n, 1 + (sizeof(rom) + OD_SSDT_CHUNK - 1) / OD_SSDT_CHUNK);
	for (size_t i = 0; i < n; i++)
		cr_assert_leq(t[i].len, 65535, "%s is %zu bytes", t[i].name, t[i].len);
	od_ssdt_free(t, n);
}

static const uint8_t *find(const uint8_t *p, size_t n, const void *needle, size_t m)
{
	for (size_t i = 0; i + m <= n; i++)
		if (!memcmp(p + i, needle, m))
			return p + i;
	return NULL;
}

static bool has(const uint8_t *p, size_t n, const void *needle, size_t m)
{
	return find(p, n, needle, m) != NULL;
}

/* The battery values NVIDIA's driver reads (nv-acpi.c: _BIX[4] / _BIF[3] ==
 * 1) and _STA with bit 4 (battery present, ACPI 6.5 sec. 6.3.7). */
Test(battery, bix_and_bif_say_rechargeable)
{
	static const uint8_t rom[512] = { 0x55, 0xAA, 1 };
	od_acpi_opts o = { .path = "\\_SB.PCI0.S10", .battery = true };
	od_ssdt *t;
	size_t n;
	od_err e;
	cr_assert_eq(od_ssdt_build(rom, sizeof(rom), &o, false, &t, &n, &e), OD_OK);
	/* Name (_BIX, Package (21) { ByteConst 1 (revision), Zero (mWh), ..., One (technology) */
	static const uint8_t bix[] = { 0x08, '_', 'B', 'I', 'X', 0x12 };
	cr_assert(has(t[0].aml, t[0].len, bix, sizeof(bix)));
	const uint8_t *p = find(t[0].aml, t[0].len, bix, sizeof(bix));
	size_t at = (size_t)(p - t[0].aml) + sizeof(bix);
	at += (p[sizeof(bix)] >> 6) + 1; /* PkgLength */
	cr_assert_eq(t[0].aml[at], 21, "NumElements");
	const uint8_t head[] = { 0x0A, 0x01, 0x00, 0x0B, 0xA8, 0xDE, 0x0B, 0x3C, 0xD7, 0x01 };
	cr_assert_arr_eq(t[0].aml + at + 1, head, sizeof(head), "revision 1, mWh, 57000, 55100, technology One");
	static const uint8_t sta[] = { 0x14, 0x09, '_', 'S', 'T', 'A', 0x00, 0xA4, 0x0A, 0x1F };
	cr_assert(has(t[0].aml, t[0].len, sta, sizeof(sta)), "_STA returns 0x1F");
	cr_assert(has(t[0].aml, t[0].len, "\x0DLION", 6));
	cr_assert(has(t[0].aml, t[0].len, "\x0D" "ACPI0003", 9));
	od_ssdt_free(t, n);
	o.battery = false;
	cr_assert_eq(od_ssdt_build(rom, sizeof(rom), &o, false, &t, &n, &e), OD_OK);
	cr_assert(!has(t[0].aml, t[0].len, "BAT0", 4));
	od_ssdt_free(t, n);
}

Test(fwcfg, one_small_table_naming_the_file)
{
	od_acpi_opts o = { .path = "\\_SB.PCI0.SE0.S00", .battery = true };
	od_ssdt *t;
	size_t n;
	od_err e;
	cr_assert_eq(od_fwcfg_build(&o, true, &t, &n, &e), OD_OK);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(t[0].name, "vbios-fwcfg.aml");
	cr_assert_lt(t[0].len, 4096);
	uint8_t sum = 0;
	for (size_t i = 0; i < t[0].len; i++)
		sum = (uint8_t)(sum + t[0].aml[i]);
	cr_assert_eq(sum, 0, "checksum");
	/* OperationRegion (FWIO, SystemIO, 0x0510, 2) */
	static const uint8_t region[] = { 0x5B, 0x80, 'F', 'W', 'I', 'O', 0x01, 0x0B, 0x10, 0x05, 0x0A, 0x02 };
	cr_assert(has(t[0].aml, t[0].len, region, sizeof(region)));
	cr_assert(has(t[0].aml, t[0].len, OD_FWCFG_NAME, sizeof(OD_FWCFG_NAME)));
	cr_assert(has(t[0].aml, t[0].len, "BAT0", 4));
	cr_assert_not_null(strstr(t[0].asl, "Method (_ROM, 2, Serialized)"));
	od_ssdt_free(t, n);
}

/* DSP0134 sec. 7.4, table 16. */
Test(smbios, notebook_chassis_structure)
{
	uint8_t b[64];
	size_t n = od_smbios_chassis(b, sizeof(b), OD_SMBIOS_NOTEBOOK);
	cr_assert_eq(n, 0x16 + sizeof("optimus-db") + 1);
	cr_assert_eq(b[0], 3);
	cr_assert_eq(b[1], 0x16);
	cr_assert_eq(b[5], 0x0A);
	cr_assert_eq(b[4], 1, "manufacturer is string 1");
	cr_assert_str_eq((const char *)b + 0x16, "optimus-db");
	cr_assert_eq(b[n - 1], 0);
	cr_assert_eq(b[n - 2], 0);
	cr_assert_eq(od_smbios_chassis(b, 20, OD_SMBIOS_NOTEBOOK), 0, "too small a buffer");
}
