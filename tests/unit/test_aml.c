/* AML writer on known encodings (ACPI 6.5 sec. 20.2.4 PkgLength, 20.2.2
 * name strings) and the guest ACPI path rules. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "aml.h"
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
