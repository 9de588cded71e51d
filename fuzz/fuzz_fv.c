/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the firmware-volume walker (FV, FFS files, sections,
 * LZMA/Tiano sections) entered directly, without the other handlers. */
#include <stddef.h>
#include <stdint.h>

#include "messages.h"
#include "walk.h"

extern const od_format od_format_fv;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	od_ctx c;
	od_err e;
	od_err_clear(&e);
	od_ctx_init(&c, "fuzz");
	od_span s = od_span_make(data, size, 0);
	if (od_enter(&c, OD_KIND_INPUT, s, &e, "fuzz") == OD_OK && od_format_fv.probe(s) > 0)
		(void)od_format_fv.walk(&c, s, &e);
	od_fuzz_check_messages(&c, &e);
	od_ctx_free(&c);
	return 0;
}
