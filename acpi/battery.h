/* SPDX-License-Identifier: BSD-2-Clause */
/* A charged Li-ion battery (PNP0C0A with _STA, _BIF, _BIX, _BST) and an AC
 * adapter (ACPI0003 with _PSR) under \_SB, for the drivers that decide
 * "notebook" from the battery (NVIDIA's checks _BIX/_BIF technology). */
#ifndef OD_BATTERY_H
#define OD_BATTERY_H

#include <stddef.h>

#include "aml.h"

/* Appends Scope (\_SB) { Device (BAT0) ... Device (AC) ... } to a. */
void od_aml_battery(aml *a);
/* The same as ASL source (indented for a DefinitionBlock); returns the
 * characters written (snprintf-style, bounded by cap). */
size_t od_asl_battery(char *s, size_t cap);

#endif
