/* SPDX-License-Identifier: BSD-2-Clause */
/* An SMBIOS type-3 (System Enclosure) structure saying "Notebook", for
 * QEMU's -smbios file=...: QEMU builds its own type 3 with chassis type 0x01
 * (Other) and its type=3 keys (manufacturer, version, serial, asset, sku) do
 * not set the type; a type-3 structure from a file replaces QEMU's own. */
#ifndef OD_SMBIOS_H
#define OD_SMBIOS_H

#include <stddef.h>
#include <stdint.h>

#define OD_SMBIOS_NOTEBOOK 0x0A

/* Writes the structure (formatted area and strings, double-NUL ended) to
 * out; returns its length, or 0 when cap is too small. */
size_t od_smbios_chassis(uint8_t *out, size_t cap, uint8_t chassis_type);

#endif
