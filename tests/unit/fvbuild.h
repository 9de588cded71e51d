/* SPDX-License-Identifier: BSD-2-Clause */
/* Builders for synthetic UEFI volumes, files and sections (UEFI PI spec 1.8
 * vol. 3 layouts), for the malformed-input tests. All return malloc'd
 * buffers with their length in *n. */
#ifndef OD_FVBUILD_H
#define OD_FVBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout/pci.h"

uint8_t *fb_section(uint8_t type, const uint8_t *body, size_t len, size_t *n);
/* GUID-defined section: 16-byte GUID text, data after a 0x18-byte header. */
uint8_t *fb_guid_section(const char *guid, uint16_t attrs, const uint8_t *data, size_t len, size_t *n);
/* FFS file (erase polarity 1, state "data valid"), checksums correct. */
uint8_t *fb_file(uint8_t name_byte, uint8_t type, const uint8_t *data, size_t len, size_t *n);
/* FFSv2 volume holding the given file bytes, padded with 0xFF to fv_len
 * (0 = just large enough), header checksum correct. */
uint8_t *fb_volume(const uint8_t *files, size_t len, size_t fv_len, size_t *n);
/* Capsule header of hdr bytes (fill after the fields) around payload:
 * EFI_CAPSULE_HEADER (flags, then image size), or Toshiba's (full size, then
 * flags) when toshiba is set. */
uint8_t *fb_capsule(const char *guid, bool toshiba, uint32_t hdr, uint32_t flags, uint8_t fill, const uint8_t *payload,
		    size_t len, size_t *n);
/* FMP capsule body: header v1, no drivers, one item (at 16) holding item. */
uint8_t *fb_fmp(const uint8_t *item, size_t len, size_t *n);
/* FMP image header (version 1-3: 32/40/48 bytes, the later fields 0), then
 * img; UpdateImageSize is len. */
uint8_t *fb_fmp_item(uint32_t version, const char *type_guid, uint8_t index, const uint8_t *img, size_t len,
		     size_t *n);
/* EFI_FIRMWARE_IMAGE_AUTHENTICATION: count, WIN_CERTIFICATE_UEFI_GUID of
 * cert_guid and cert (len bytes). */
uint8_t *fb_fmp_auth(uint64_t count, const char *cert_guid, const uint8_t *cert, size_t len, size_t *n);
/* FMP_PAYLOAD_HEADER "MSS1" (16 bytes) with the two versions. */
uint8_t *fb_fmp_payload(uint32_t fw_version, uint32_t lowest, size_t *n);
/* Concatenation of a and b (free()s neither). */
uint8_t *fb_cat(const uint8_t *a, size_t an, const uint8_t *b, size_t bn, size_t *n);
/* One PCI ROM image of `units` 512-byte units at p (zeroed first): 55 AA
 * header, PCIR at 0x20 from pcir (signature, length 0x18 and image length
 * filled in), an NPDE at 0x40 when npde_units >= 0, and for code type 0 the
 * checksum in the last byte. */
void fb_rom_image(uint8_t *p, size_t units, od_pcir_hdr pcir, int npde_units, bool npde_last);
/* A 1 KiB legacy option ROM 1234:1111 with a correct checksum. */
uint8_t *fb_rom(size_t *n);
/* Headers vendors put around a compressor's output (parsers/layout/):
 * the size edk2 writes into an "LZMA alone" header (xz writes all ones),
 * edk2's Brotli header (16 bytes at p), the AMD zlib header (0x100 at p). */
void fb_lzma_size(uint8_t *lzma_alone, uint64_t size);
void fb_brotli_hdr(uint8_t *p, uint64_t decoded, uint64_t scratch);
void fb_amd_zlib_hdr(uint8_t *p, uint32_t compressed);
/* An nvflash dump (NVGI header, parsers/layout/vendor.h) in front of rom,
 * 0xFF between: version 2 (ROM offset 0x200 after a 0x10-byte fixed
 * part), 3 (Fixed2 0x40, the u32 there 0: RFRD directory at 0x1000, ROM at
 * 0x1100), any other (found by the 512-byte scan, ROM at 0x400). */
uint8_t *fb_nvgi(unsigned version, const uint8_t *rom, size_t len, size_t *n);
/* An 8 KiB SPI image: a flash descriptor (signature at sig_at, 0x10 or 0;
 * FREG at 0x40: descriptor, BIOS 0x1000-0x1FFF, ME unused, GbE
 * 0x2000-0x3FFF past the end), the BIOS region holding bios (at most
 * 4 KiB), 0xFF elsewhere. */
uint8_t *fb_ifd(size_t sig_at, const uint8_t *bios, size_t len, size_t *n);
/* An "LZMA alone" stream of data (liblzma encoder). */
uint8_t *fb_lzma(const uint8_t *data, size_t len, size_t *n);

#endif
