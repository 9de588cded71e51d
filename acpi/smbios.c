/* SPDX-License-Identifier: BSD-2-Clause */
/* SMBIOS type 3: DMTF DSP0134 3.x sec. 7.4 (System Enclosure or Chassis),
 * table 16 for the formatted area, sec. 6.1.3 for the string set. */
#include "smbios.h"

#include <string.h>

#define T3_LEN 0x16          /* through SKU Number (2.7+), no contained elements */
#define T3_HANDLE 0x0300     /* QEMU's own type-3 handle, which its type 2 points at */
#define T3_MANUFACTURER "optimus-db"

size_t od_smbios_chassis(uint8_t *out, size_t cap, uint8_t chassis_type)
{
	size_t strings = sizeof(T3_MANUFACTURER) + 1; /* the string, its NUL, the set's final NUL */
	if (cap < T3_LEN + strings)
		return 0;
	memset(out, 0, T3_LEN + strings);
	out[0x00] = 3;                 /* type */
	out[0x01] = T3_LEN;            /* length of the formatted area */
	out[0x02] = T3_HANDLE & 0xFF;  /* handle, little-endian */
	out[0x03] = T3_HANDLE >> 8;
	out[0x04] = 1;                 /* Manufacturer: string 1 */
	out[0x05] = chassis_type;      /* Type (bit 7: lock present = 0) */
	/* 0x06 Version, 0x07 Serial Number, 0x08 Asset Tag: no string */
	out[0x09] = 0x03;              /* Boot-up State: Safe */
	out[0x0A] = 0x03;              /* Power Supply State: Safe */
	out[0x0B] = 0x03;              /* Thermal State: Safe */
	out[0x0C] = 0x03;              /* Security Status: None */
	/* 0x0D OEM-defined (4), 0x11 Height, 0x12 Power Cords, 0x13 Contained
	 * Element Count, 0x14 Record Length, 0x15 SKU Number: all zero */
	out[0x12] = 1;                 /* one power cord */
	memcpy(out + T3_LEN, T3_MANUFACTURER, sizeof(T3_MANUFACTURER));
	return T3_LEN + strings;
}
