/* SPDX-License-Identifier: BSD-2-Clause */
/* Builders for synthetic UEFI volumes, files and sections (UEFI PI spec 1.8
 * vol. 3 layouts), for the malformed-input tests. All return malloc'd
 * buffers with their length in *n. */
#ifndef OD_FVBUILD_H
#define OD_FVBUILD_H

#include <stddef.h>
#include <stdint.h>

uint8_t *fb_section(uint8_t type, const uint8_t *body, size_t len, size_t *n);
/* GUID-defined section: 16-byte GUID text, data after a 0x18-byte header. */
uint8_t *fb_guid_section(const char *guid, uint16_t attrs, const uint8_t *data, size_t len, size_t *n);
/* FFS file (erase polarity 1, state "data valid"), checksums correct. */
uint8_t *fb_file(uint8_t name_byte, uint8_t type, const uint8_t *data, size_t len, size_t *n);
/* FFSv2 volume holding the given file bytes, padded with 0xFF to fv_len
 * (0 = just large enough), header checksum correct. */
uint8_t *fb_volume(const uint8_t *files, size_t len, size_t fv_len, size_t *n);
/* A 1 KiB legacy option ROM 1234:1111 with a correct checksum. */
uint8_t *fb_rom(size_t *n);
/* An "LZMA alone" stream of data (liblzma encoder). */
uint8_t *fb_lzma(const uint8_t *data, size_t len, size_t *n);

#endif
