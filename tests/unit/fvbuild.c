/* SPDX-License-Identifier: BSD-2-Clause */
#include "fvbuild.h"

#include <lzma.h>
#include <stdlib.h>
#include <string.h>

#include "layout/codec.h"
#include "layout/uefi.h"
#include "layout/vendor.h"
#include "reader.h"

uint8_t *fb_section(uint8_t type, const uint8_t *body, size_t len, size_t *n)
{
	*n = od_sec_SIZE + len;
	uint8_t *s = calloc(1, *n);
	od_sec h = { .size = (uint32_t)*n, .type = type };
	od_sec_write(&h, s);
	memcpy(s + od_sec_SIZE, body, len);
	return s;
}

uint8_t *fb_guid_section(const char *guid, uint16_t attrs, const uint8_t *data, size_t len, size_t *n)
{
	size_t hdr = od_sec_SIZE + od_sec_guided_SIZE;
	*n = hdr + len;
	uint8_t *s = calloc(1, *n);
	od_sec h = { .size = (uint32_t)*n, .type = 0x02 };
	od_sec_guided gh = { .data_off = (uint16_t)hdr, .attributes = attrs };
	od_guid_parse(guid, &gh.guid);
	od_sec_write(&h, s);
	od_sec_guided_write(&gh, s + od_sec_SIZE);
	memcpy(s + hdr, data, len);
	return s;
}

/* IntegrityCheck.Header: the header sums to zero with File and State taken
 * as zero (PI 1.8 vol. 3 sec. 2.2.3). */
uint8_t *fb_file(uint8_t name_byte, uint8_t type, const uint8_t *data, size_t len, size_t *n)
{
	*n = od_ffs_SIZE + len;
	uint8_t *f = calloc(1, *n);
	od_ffs h = { .type = type, .size = (uint32_t)*n };
	memset(h.name.b, name_byte, 16);
	od_ffs_write(&h, f);
	h.hdr_sum = (uint8_t)(0x100 - od_sum8(od_span_make(f, od_ffs_SIZE, 0)));
	h.file_sum = 0xAA;
	h.state = 0xF8; /* ~(construction | header valid | data valid) */
	od_ffs_write(&h, f);
	memcpy(f + od_ffs_SIZE, data, len);
	return f;
}

uint8_t *fb_volume(const uint8_t *files, size_t len, size_t fv_len, size_t *n)
{
	size_t hdr = od_fvh_SIZE + 2 * od_fv_block_SIZE; /* one block map entry + terminator */
	if (fv_len == 0)
		fv_len = (hdr + len + 7) & ~(size_t)7;
	*n = fv_len;
	uint8_t *v = malloc(fv_len);
	memset(v, 0xFF, fv_len);
	memset(v, 0, hdr);
	od_fvh h = { .length = fv_len,
		     .attributes = 0x0004FEFF, /* erase polarity 1 and the usual caps */
		     .hdr_len = (uint16_t)hdr,
		     .revision = 2 };
	od_guid_parse("8C8CE578-8A3D-4F1C-9935-896185C32DD3", &h.fs_guid);
	memcpy(h.signature, OD_FVH_SIGNATURE, 4);
	od_fv_block one = { .num_blocks = (uint32_t)fv_len, .length = 1 }; /* fv_len blocks of 1 byte */
	od_fv_block_write(&one, v + od_fvh_SIZE);
	/* the block map terminator after it stays zero */
	od_fvh_write(&h, v);
	h.checksum = (uint16_t)(0x10000 - od_sum16(od_span_make(v, hdr, 0)));
	od_fvh_write(&h, v);
	memcpy(v + hdr, files, len);
	return v;
}

uint8_t *fb_capsule(const char *guid, bool toshiba, uint32_t hdr, uint32_t flags, uint8_t fill, const uint8_t *payload,
		    size_t len, size_t *n)
{
	*n = hdr + len;
	uint8_t *c = malloc(*n);
	memset(c, fill, hdr);
	if (toshiba) {
		od_capsule_toshiba h = { .header_size = hdr, .full_size = (uint32_t)*n, .flags = flags };
		od_guid_parse(guid, &h.capsule_guid);
		od_capsule_toshiba_write(&h, c);
	} else {
		od_capsule h = { .header_size = hdr, .flags = flags, .image_size = (uint32_t)*n };
		od_guid_parse(guid, &h.capsule_guid);
		od_capsule_write(&h, c);
	}
	memcpy(c + hdr, payload, len);
	return c;
}

uint8_t *fb_fmp(const uint8_t *item, size_t len, size_t *n)
{
	size_t at = od_fmp_SIZE + 8; /* one ItemOffsetList entry */
	*n = at + len;
	uint8_t *f = calloc(1, *n);
	od_fmp h = { .version = 1, .payload_item_count = 1 };
	od_fmp_write(&h, f);
	od_put64(f + od_fmp_SIZE, at);
	memcpy(f + at, item, len);
	return f;
}

uint8_t *fb_fmp_item(uint32_t version, const char *type_guid, uint8_t index, const uint8_t *img, size_t len,
		     size_t *n)
{
	size_t hdr = od_fmp_image_SIZE + (version >= 3 ? 16 : version == 2 ? 8 : 0);
	*n = hdr + len;
	uint8_t *f = calloc(1, *n);
	od_fmp_image h = { .version = version, .update_image_index = index, .update_image_size = (uint32_t)len };
	od_guid_parse(type_guid, &h.update_image_type_id);
	od_fmp_image_write(&h, f);
	memcpy(f + hdr, img, len);
	return f;
}

uint8_t *fb_fmp_auth(uint64_t count, const char *cert_guid, const uint8_t *cert, size_t len, size_t *n)
{
	*n = od_fmp_auth_SIZE + 16 + len;
	uint8_t *f = calloc(1, *n);
	od_fmp_auth h = { .monotonic_count = count,
			  .cert_length = (uint32_t)(*n - OD_OFF(od_fmp_auth, cert_length)),
			  .cert_revision = OD_WIN_CERT_REVISION,
			  .cert_type = OD_WIN_CERT_TYPE_EFI_GUID };
	od_fmp_auth_write(&h, f);
	od_guid g;
	od_guid_parse(cert_guid, &g);
	memcpy(f + od_fmp_auth_SIZE, g.b, 16);
	memcpy(f + od_fmp_auth_SIZE + 16, cert, len);
	return f;
}

uint8_t *fb_fmp_payload(uint32_t fw_version, uint32_t lowest, size_t *n)
{
	*n = od_fmp_payload_SIZE;
	uint8_t *f = calloc(1, *n);
	od_fmp_payload h = { .header_size = od_fmp_payload_SIZE, .fw_version = fw_version,
			     .lowest_supported_version = lowest };
	memcpy(h.signature, "MSS1", 4);
	od_fmp_payload_write(&h, f);
	return f;
}

uint8_t *fb_cat(const uint8_t *a, size_t an, const uint8_t *b, size_t bn, size_t *n)
{
	*n = an + bn;
	uint8_t *f = malloc(*n ? *n : 1);
	if (an)
		memcpy(f, a, an);
	if (bn)
		memcpy(f + an, b, bn);
	return f;
}

void fb_rom_image(uint8_t *p, size_t units, od_pcir_hdr pcir, int npde_units, bool npde_last)
{
	size_t len = units * 512;
	memset(p, 0, len);
	od_rom_hdr h = { .signature = { 0x55, 0xAA }, .init_size512 = (uint8_t)units, .pcir_ptr = 0x20 };
	od_rom_hdr_write(&h, p);
	memcpy(pcir.signature, "PCIR", 4);
	pcir.length = 0x18;
	pcir.image_len512 = (uint16_t)units;
	od_pcir_hdr_write(&pcir, p + 0x20); /* rev 3's tail stays 0: it lies past Length */
	if (npde_units >= 0) {
		od_npde_hdr x = { .revision = 0x101, .length = od_npde_hdr_SIZE, .image_len512 = (uint16_t)npde_units,
				  .indicator = npde_last ? 0x80 : 0 };
		memcpy(x.signature, "NPDE", 4);
		od_npde_hdr_write(&x, p + 0x40);
	}
	if (pcir.code_type == 0)
		p[len - 1] = (uint8_t)(0x100 - od_sum8(od_span_make(p, len - 1, 0)));
}

uint8_t *fb_nvgi(unsigned version, const uint8_t *rom, size_t len, size_t *n)
{
	size_t at = version == 2 ? 0x200 : version == 3 ? 0x1100 : 0x400;
	*n = at + len;
	uint8_t *d = malloc(*n);
	memset(d, 0xFF, at);
	od_nvgi_hdr h = { .fixed1 = 0x10u << 16 | version << 8, .fixed2 = version == 3 ? 0x40 : 0xFFFFFFFF };
	memcpy(h.signature, "NVGI", 4);
	od_nvgi_hdr_write(&h, d);
	if (version == 2) {
		od_put32(d + 0x10 + 4, (uint32_t)at); /* after the fixed part */
	} else if (version == 3) {
		od_put32(d + 0x40, 0); /* the directory at 0 + 4096 */
		od_nvgi_rfrd r = { .rom_offset = (uint32_t)at };
		memcpy(r.signature, "RFRD", 4);
		od_nvgi_rfrd_write(&r, d + 0x1000);
	}
	memcpy(d + at, rom, len);
	return d;
}

uint8_t *fb_ifd(size_t sig_at, const uint8_t *bios, size_t len, size_t *n)
{
	*n = 0x2000;
	uint8_t *d = malloc(*n);
	memset(d, 0xFF, *n);
	od_ifd_hdr h = { .flmap0 = 0x04u << 16 }; /* FRBA 0x40 */
	memcpy(h.signature, OD_IFD_SIGNATURE, 4);
	od_ifd_hdr_write(&h, d + sig_at);
	static const uint32_t freg[4] = { 0, 1u << 16 | 1, 0x00007FFF, 3u << 16 | 2 };
	for (size_t i = 0; i < 4; i++) {
		od_ifd_freg f = { .freg = freg[i] };
		od_ifd_freg_write(&f, d + 0x40 + od_ifd_freg_SIZE * i);
	}
	memcpy(d + 0x1000, bios, len > 0x1000 ? 0x1000 : len);
	return d;
}

uint8_t *fb_rom(size_t *n)
{
	*n = 1024;
	uint8_t *p = calloc(1, 1024);
	od_pcir_hdr pcir = { .vendor = 0x1234, .device = 0x1111, .class_code = 0x030000, .indicator = 0x80 };
	fb_rom_image(p, 2, pcir, -1, false);
	return p;
}

uint8_t *fb_lzma(const uint8_t *data, size_t len, size_t *n)
{
	lzma_options_lzma opt;
	lzma_lzma_preset(&opt, 6);
	opt.dict_size = 1 << 20;
	lzma_stream st = LZMA_STREAM_INIT;
	if (lzma_alone_encoder(&st, &opt) != LZMA_OK)
		return NULL;
	size_t cap = len + len / 2 + 4096;
	uint8_t *out = malloc(cap);
	st.next_in = data;
	st.avail_in = len;
	st.next_out = out;
	st.avail_out = cap;
	while (lzma_code(&st, LZMA_FINISH) == LZMA_OK)
		;
	*n = cap - st.avail_out;
	lzma_end(&st);
	/* edk2 writes the real size where the alone encoder writes "unknown". */
	fb_lzma_size(out, len);
	return out;
}

void fb_lzma_size(uint8_t *lzma_alone, uint64_t size)
{
	od_lzma_hdr h;
	od_lzma_hdr_read(od_span_make(lzma_alone, od_lzma_hdr_SIZE, 0), 0, &h, NULL);
	h.uncompressed_size = size;
	od_lzma_hdr_write(&h, lzma_alone);
}

void fb_brotli_hdr(uint8_t *p, uint64_t decoded, uint64_t scratch)
{
	od_brotli_hdr h = { .decoded_size = decoded, .scratch_size = scratch };
	od_brotli_hdr_write(&h, p);
}

void fb_amd_zlib_hdr(uint8_t *p, uint32_t compressed)
{
	memset(p, 0, od_amd_zlib_SIZE);
	od_amd_zlib h = { .compressed_size = compressed };
	od_amd_zlib_write(&h, p);
}
