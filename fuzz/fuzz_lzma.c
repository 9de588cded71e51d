/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: LZMA / LZMA+x86 section decoder. First byte picks BCJ. */
#include <stddef.h>
#include <stdint.h>

#include "decompress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	od_ctx c;
	od_err e;
	od_err_clear(&e);
	od_ctx_init(&c, "fuzz");
	c.lim.max_out_one = 1u << 20;
	od_span out;
	(void)od_lzma_decompress(&c, od_span_make(data + 1, size - 1, 0), data[0] & 1, &out, &e);
	od_ctx_free(&c);
	return 0;
}
