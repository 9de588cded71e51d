/* SPDX-License-Identifier: BSD-2-Clause */
/* The bounded reader: every accessor refuses to read past the end. */
#include <criterion/criterion.h>
#include <string.h>

#include "reader.h"

static const uint8_t buf[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09 };

Test(reader, little_endian_values)
{
	od_span s = od_span_make(buf, sizeof(buf), 0x100);
	uint16_t a;
	uint32_t b, c;
	uint64_t d;
	od_err e;
	cr_assert_eq(od_u16(s, 0, &a, &e), OD_OK);
	cr_assert_eq(a, 0x0201);
	cr_assert_eq(od_u24(s, 1, &b, &e), OD_OK);
	cr_assert_eq(b, 0x040302);
	cr_assert_eq(od_u32be(s, 0, &c, &e), OD_OK);
	cr_assert_eq(c, 0x01020304);
	cr_assert_eq(od_u64(s, 1, &d, &e), OD_OK);
	cr_assert_eq(d, 0x0908070605040302ull);
}

Test(reader, refuses_past_end_with_absolute_offset)
{
	od_span s = od_span_make(buf, sizeof(buf), 0x100);
	uint32_t v = 0xdeadbeef;
	od_err e;
	od_err_clear(&e);
	cr_assert_eq(od_u32(s, 6, &v, &e), OD_E_TRUNC);
	cr_assert_eq(v, 0xdeadbeef, "value must be untouched on error");
	cr_assert_eq(e.off, 0x106);
	cr_assert(strstr(e.msg, "need 4 bytes, 3 left"), "%s", e.msg);
	cr_assert_eq(od_u8(s, SIZE_MAX, (uint8_t *)&v, &e), OD_E_TRUNC);
	uint64_t q;
	cr_assert_eq(od_u64(s, SIZE_MAX - 2, &q, &e), OD_E_TRUNC, "offset overflow must not wrap");
}

Test(reader, sub_spans_are_checked_and_keep_offsets)
{
	od_span s = od_span_make(buf, sizeof(buf), 0x100), sub;
	od_err e;
	cr_assert_eq(od_sub(s, 2, 4, &sub, &e), OD_OK);
	cr_assert_eq(sub.off, 0x102);
	cr_assert_eq(sub.len, 4);
	cr_assert_eq(od_sub(s, 8, 2, &sub, &e), OD_E_TRUNC);
	cr_assert_eq(od_sub(s, 2, SIZE_MAX, &sub, &e), OD_E_TRUNC);
	cr_assert_eq(od_tail(s, 9, &sub, &e), OD_OK);
	cr_assert_eq(sub.len, 0);
	cr_assert_eq(od_tail(s, 10, &sub, &e), OD_E_TRUNC);
}

Test(reader, find_and_match_stay_in_bounds)
{
	od_span s = od_span_make(buf, sizeof(buf), 0);
	cr_assert_eq(od_find(s, 0, "\x05\x06", 2), 4);
	cr_assert_eq(od_find(s, 5, "\x05\x06", 2), SIZE_MAX);
	cr_assert_eq(od_find(s, 8, "\x09\x0a", 2), SIZE_MAX);
	cr_assert(od_match(s, 7, "\x08\x09", 2));
	cr_assert(!od_match(s, 8, "\x09\x00", 2));
}

Test(reader, guid_text_round_trip_uses_efi_byte_order)
{
	od_guid g;
	char out[37];
	cr_assert(od_guid_parse("EE4E5898-3914-4259-9D6E-DC7BD79403CF", &g));
	cr_assert_eq(g.b[0], 0x98);
	cr_assert_eq(g.b[4], 0x14);
	cr_assert_eq(g.b[8], 0x9D);
	cr_assert_str_eq(od_guid_str(&g, out), "EE4E5898-3914-4259-9D6E-DC7BD79403CF");
	cr_assert(!od_guid_parse("EE4E5898-3914-4259-9D6E-DC7BD79403C", &g));
	cr_assert(!od_guid_parse("ZZ4E5898-3914-4259-9D6E-DC7BD79403CF", &g));
}

Test(reader, error_path_reads_outside_in)
{
	od_err e;
	od_err_clear(&e);
	od_fail(&e, OD_E_FORMAT, 0x190, "bad %s", "PCIR");
	od_err_prefix(&e, "PCIR");
	od_err_prefix(&e, "ROM image 2");
	od_err_prefix(&e, "file.bin");
	char msg[600];
	cr_assert_str_eq(od_err_str(&e, msg, sizeof(msg)),
			 "file.bin > ROM image 2 > PCIR: at offset 0x190: malformed: bad PCIR");
}
