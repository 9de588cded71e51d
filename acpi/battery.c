/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest battery and AC adapter: see battery.h. */
#include "battery.h"

#include <stdbool.h>
#include <stdio.h>

/* The battery's static values (mWh, mV), one table for the AML and the ASL.
 * _BIF: ACPI 6.5 sec. 10.2.2.1 (13 elements); _BIX revision 1: sec. 10.2.2.2
 * (21 elements); _BST: sec. 10.2.2.6. NVIDIA's driver (open-gpu-kernel-modules,
 * kernel-open/nvidia/nv-acpi.c, nv_acpi_find_battery_info) counts a battery
 * when _BIX[4] or else _BIF[3] is the integer 1 (rechargeable). Linux maps the
 * type string "LION" to technology Li-ion. 0xFFFFFFFF = unknown. */
typedef struct { const char *what; uint32_t v; const char *s; bool byte_const; } bat_field;
/* The revision is written as ByteConst 0x01, not One: iasl 20200925 rejects
 * One (and Zero) as _BIX's first element, so iasl -d output of a table with
 * One there would not recompile. */
static const bat_field bix[] = {
	{ "Revision", 1, NULL, true }, { "Power Unit: mWh", 0, NULL, false }, { "Design Capacity", 57000, NULL, false },
	{ "Last Full Charge Capacity", 55100, NULL, false }, { "Battery Technology: rechargeable", 1, NULL, false },
	{ "Design Voltage", 11400, NULL, false }, { "Design Capacity of Warning", 5510, NULL, false },
	{ "Design Capacity of Low", 1653, NULL, false }, { "Cycle Count", 42, NULL, false },
	{ "Measurement Accuracy: 98.000 %", 98000, NULL, false }, { "Max Sampling Time", 0xFFFFFFFFu, NULL, false },
	{ "Min Sampling Time", 0xFFFFFFFFu, NULL, false }, { "Max Averaging Interval", 0xFFFFFFFFu, NULL, false },
	{ "Min Averaging Interval", 0xFFFFFFFFu, NULL, false }, { "Capacity Granularity 1", 100, NULL, false },
	{ "Capacity Granularity 2", 100, NULL, false }, { "Model Number", 0, "ODB57", false }, { "Serial Number", 0, "0001", false },
	{ "Battery Type", 0, "LION", false }, { "OEM Information", 0, "optimus-db", false },
	{ "Battery Swapping Capability: none", 0, NULL, false },
};
/* _BIF: the _BIX fields without revision, cycle count, accuracy, times and swapping. */
static const unsigned bif_from_bix[] = { 1, 2, 3, 4, 5, 6, 7, 14, 15, 16, 17, 18, 19 };
static const bat_field bst[] = {
	{ "State: neither charging nor discharging", 0, NULL, false }, { "Present Rate", 0, NULL, false },
	{ "Remaining Capacity: full", 55100, NULL, false }, { "Present Voltage", 12300, NULL, false },
};
#define NBIF (sizeof(bif_from_bix) / sizeof(bif_from_bix[0]))
#define NBIX (sizeof(bix) / sizeof(bix[0]))
#define NBST (sizeof(bst) / sizeof(bst[0]))

static void bat_value(aml *a, const bat_field *f)
{
	if (f->s) {
		aml_string(a, f->s);
	} else if (f->byte_const) {
		aml_byte(a, AML_BYTE);
		aml_byte(a, (uint8_t)f->v);
	} else {
		aml_int(a, f->v);
	}
}

/* Scope (\_SB) { Device (BAT0) {...} Device (AC) {...} }: _STA 0x1F (present,
 * enabled, shown, functioning, battery present: sec. 6.3.7), the AC adapter
 * (ACPI0003, sec. 10.3) says on line through _PSR, the power source NVIDIA's
 * driver looks for. */
void od_aml_battery(aml *a)
{
	aml_open(a, AML_SCOPE, false);
	aml_name(a, "\\_SB");
	aml_open(a, AML_DEVICE, true);
	aml_name(a, "BAT0");
	aml_byte(a, AML_NAME);
	aml_name(a, "_HID");
	aml_byte(a, AML_DWORD);
	aml_bytes(a, "\x41\xD0\x0C\x0A", 4); /* EisaId ("PNP0C0A") */
	aml_byte(a, AML_NAME);
	aml_name(a, "_UID");
	aml_byte(a, AML_ONE);
	aml_method_return_int(a, "_STA", 0x1F);
	aml_name_package(a, "_BIF", NBIF);
	for (size_t i = 0; i < NBIF; i++)
		bat_value(a, &bix[bif_from_bix[i]]);
	aml_close(a);
	aml_name_package(a, "_BIX", NBIX);
	for (size_t i = 0; i < NBIX; i++)
		bat_value(a, &bix[i]);
	aml_close(a);
	aml_name_package(a, "_BST", NBST);
	for (size_t i = 0; i < NBST; i++)
		bat_value(a, &bst[i]);
	aml_close(a);
	aml_close(a);
	aml_open(a, AML_DEVICE, true);
	aml_name(a, "AC");
	aml_byte(a, AML_NAME);
	aml_name(a, "_HID");
	aml_string(a, "ACPI0003");
	aml_method_return_int(a, "_PSR", 1);
	aml_method_return_int(a, "_STA", 0x0F);
	aml_close(a);
	aml_close(a);
}

static size_t asl_package(char *s, size_t cap, const char *name, const bat_field *f, const unsigned *pick, size_t n)
{
	size_t k = (size_t)snprintf(s, cap, "            Name (%s, Package (0x%02zX)\n            {\n", name, n);
	for (size_t i = 0; i < n && k < cap; i++) {
		const bat_field *x = &f[pick ? pick[i] : i];
		const char *sep = i + 1 < n ? "," : "";
		if (x->s)
			k += (size_t)snprintf(s + k, cap - k, "                \"%s\"%s /* %s */\n", x->s, sep, x->what);
		else if (x->v <= 1 && !x->byte_const) /* the Zero and One opcodes, as in the AML */
			k += (size_t)snprintf(s + k, cap - k, "                %s%s /* %s */\n", x->v ? "One" : "Zero", sep, x->what);
		else
			k += (size_t)snprintf(s + k, cap - k, "                0x%X%s /* %s */\n", (unsigned)x->v, sep, x->what);
	}
	if (k < cap)
		k += (size_t)snprintf(s + k, cap - k, "            })\n");
	return k;
}

/* The ASL twin of od_aml_battery. */
size_t od_asl_battery(char *s, size_t cap)
{
	size_t k = (size_t)snprintf(s, cap,
		"\n    /* A charged Li-ion battery and an AC adapter on line: NVIDIA's driver counts a\n"
		"     * notebook when _BIX[4] (or _BIF[3]) is 1; users tie Code 43 to its absence. */\n"
		"    Scope (\\_SB)\n    {\n        Device (BAT0)\n        {\n"
		"            Name (_HID, EisaId (\"PNP0C0A\"))\n            Name (_UID, One)\n"
		"            Method (_STA, 0, NotSerialized) { Return (0x1F) }\n");
	if (k < cap)
		k += asl_package(s + k, cap - k, "_BIF", bix, bif_from_bix, NBIF);
	if (k < cap)
		k += asl_package(s + k, cap - k, "_BIX", bix, NULL, NBIX);
	if (k < cap)
		k += asl_package(s + k, cap - k, "_BST", bst, NULL, NBST);
	if (k < cap)
		k += (size_t)snprintf(s + k, cap - k, "        }\n\n        Device (AC)\n        {\n"
			"            Name (_HID, \"ACPI0003\")\n"
			"            Method (_PSR, 0, NotSerialized) { Return (One) }\n"
			"            Method (_STA, 0, NotSerialized) { Return (0x0F) }\n        }\n    }\n");
	return k;
}

