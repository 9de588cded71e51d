/* SPDX-License-Identifier: BSD-2-Clause */
/* The layouts written once (parsers/layout.h): each table agrees with its
 * struct and offsets, writer and reader round-trip, and a header cut short
 * is reported with the layout's field name and the field's absolute offset. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fvbuild.h"
#include "layout/codec.h"
#include "layout/pci.h"
#include "layout/uefi.h"
#include "layout/vendor.h"
#include "walk.h"

static const od_layout *const all[] = {
	&od_fvh_layout, &od_fv_block_layout, &od_fv_ext_layout, &od_ffs_layout, &od_ffs_ext_layout,
	&od_sec_layout, &od_sec_ext_layout, &od_sec_compression_layout, &od_sec_guided_layout,
	&od_sec_crc32_layout, &od_sec_version_layout, &od_amd_zlib_layout, &od_capsule_layout,
	&od_capsule_toshiba_layout, &od_capsule_aptio_layout, &od_fmp_layout, &od_fmp_image_layout,
	&od_fmp_auth_layout, &od_fmp_payload_layout, &od_rom_hdr_layout, &od_pcir_hdr_layout,
	&od_npde_hdr_layout, &od_efi_rom_layout, &od_pfs_hdr_layout, &od_pfs_ftr_layout, &od_pfs_entry_layout,
	&od_pfs_bg_meta_layout, &od_pfat_hdr_layout, &od_bg_hdr_layout, &od_bg_sig_layout, &od_bundle_hdr_layout,
	&od_lzma_hdr_layout, &od_brotli_hdr_layout, &od_nvgi_hdr_layout, &od_nvgi_rfrd_layout, &od_ifd_hdr_layout,
	&od_ifd_freg_layout,
};

Test(layout, tables_are_ordered_and_inside_their_header)
{
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		const od_layout *l = all[i];
		cr_assert_gt(l->nfields, 0, "%s", l->name);
		for (size_t k = 0; k < l->nfields; k++) {
			const od_lt_field *f = &l->fields[k];
			cr_assert_leq(f->off + f->width, l->size, "%s.%s", l->name, f->name);
			if (k)
				cr_assert_geq(f->off, l->fields[k - 1].off + l->fields[k - 1].width, "%s.%s overlaps",
					      l->name, f->name);
			cr_assert_eq(od_layout_field(l, f->name), f);
		}
	}
	/* The offsets the parsers use are the table's. */
	cr_assert_eq(OD_OFF(od_fvh, signature), od_layout_field(&od_fvh_layout, "signature")->off);
	cr_assert_eq(OD_OFF(od_fvh, signature), 0x28);
	cr_assert_eq(OD_OFF(od_ffs, size), 0x14);
	cr_assert_eq(OD_OFF(od_capsule_aptio, rom_image_offset), 0x1C);
	cr_assert_eq(OD_OFF(od_pcir_hdr, code_type), 0x14);
	cr_assert_eq(OD_OFF(od_bg_hdr, data_size), 0x20);
	cr_assert_null(od_layout_field(&od_fvh_layout, "no_such_field"));
}

Test(layout, write_then_read_gives_the_fields_back)
{
	uint8_t buf[od_fvh_SIZE];
	memset(buf, 0xEE, sizeof(buf));
	od_fvh h = { .length = 0x123456789AULL, .attributes = 0x0004FEFF, .hdr_len = 0x48, .checksum = 0xBEEF,
		     .ext_off = 0x60, .revision = 2 };
	memcpy(h.signature, OD_FVH_SIGNATURE, 4);
	od_guid_parse("8C8CE578-8A3D-4F1C-9935-896185C32DD3", &h.fs_guid);
	od_fvh_write(&h, buf);
	cr_assert(!memcmp(buf + 0x28, "_FVH", 4));
	cr_assert_eq(buf[0x20], 0x9A);
	cr_assert_eq(buf[0x24], 0x12); /* little-endian u64 */
	od_fvh r;
	od_err e;
	cr_assert_eq(od_fvh_read(od_span_make(buf, sizeof(buf), 0), 0, &r, &e), OD_OK);
	cr_assert_eq(r.length, h.length);
	cr_assert_eq(r.checksum, 0xBEEF);
	cr_assert_eq(r.revision, 2);
	cr_assert(od_guid_eq(&r.fs_guid, &h.fs_guid));
	uint8_t s[od_ffs_SIZE] = { 0 };
	od_ffs f = { .size = 0xABCDEF, .state = 0xF8 };
	od_ffs_write(&f, s);
	cr_assert_eq(s[0x14], 0xEF);
	cr_assert_eq(s[0x16], 0xAB);
	cr_assert_eq(s[0x17], 0xF8);
}

/* read_n: a revision-dependent tail is read only when asked for. */
Test(layout, read_n_reads_only_the_fields_inside_n)
{
	uint8_t buf[od_pcir_hdr_SIZE] = { 0 };
	od_pcir_hdr p = { .vendor = 0x10DE, .revision = 3, .clp_ptr = 0x1234 };
	od_pcir_hdr_write(&p, buf);
	od_pcir_hdr r = { 0 };
	od_err e;
	cr_assert_eq(od_pcir_hdr_read_n(od_span_make(buf, OD_PCIR_V2_SIZE, 0), 0, &r, OD_PCIR_V2_SIZE, &e), OD_OK);
	cr_assert_eq(r.vendor, 0x10DE);
	cr_assert_eq(r.clp_ptr, 0);
	cr_assert_eq(od_pcir_hdr_read(od_span_make(buf, sizeof(buf), 0), 0, &r, &e), OD_OK);
	cr_assert_eq(r.clp_ptr, 0x1234);
}

Test(layout, short_header_names_its_field_and_absolute_offset)
{
	uint8_t buf[0x40] = { 0 };
	od_fvh h;
	od_err e;
	od_err_clear(&e);
	/* The span starts at absolute 0x1000; it ends inside HeaderLength. */
	cr_assert_eq(od_fvh_read(od_span_make(buf, 0x31, 0x1000), 0, &h, &e), OD_E_TRUNC);
	cr_assert_eq(e.off, 0x1030, "at 0x%llx: %s", (unsigned long long)e.off, e.msg);
	cr_assert(strstr(e.msg, "od_fvh.hdr_len: need 2 bytes, 1 left"), "%s", e.msg);
}

/* Through the walk: a section claiming an extended size with no room for it. */
Test(layout, cut_section_header_in_a_volume_is_named)
{
	const uint8_t data[4] = { 0xFF, 0xFF, 0xFF, 0x19 };
	size_t fl, n;
	uint8_t *file = fb_file(0x11, 0x07, data, sizeof(data), &fl);
	uint8_t *fv = fb_volume(file, fl, 0x1000, &n);
	od_ctx c;
	od_err e;
	od_ctx_init(&c, "t.fd");
	od_err_clear(&e);
	cr_assert_eq(od_scan(&c, od_span_make(fv, n, 0), &e), OD_OK, "%s", e.msg);
	bool seen = false;
	for (size_t i = 0; i < c.ndiags; i++)
		if (strstr(c.diags[i].err.msg, "od_sec_ext.extended_size") && c.diags[i].err.off == 0x48 + 24 + 4)
			seen = true;
	cr_assert(seen, "no diagnostic names od_sec_ext.extended_size at 0x64 (%zu diags: %s)", c.ndiags,
		  c.ndiags ? c.diags[0].err.msg : "");
	od_ctx_free(&c);
	free(file), free(fv);
}
