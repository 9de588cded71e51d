/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the whole scan pipeline (every registered handler,
 * decompressors, carving) on one input. */
#include <stddef.h>
#include <stdint.h>

#include "messages.h"
#include "walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	od_ctx c;
	od_err e;
	od_err_clear(&e);
	od_ctx_init(&c, "fuzz");
	(void)od_scan(&c, od_span_make(data, size, 0), &e);
	for (size_t i = 0; i < c.nhits; i++) {
		const od_hit *h = &c.hits[i];
		if (h->rom.len == 0 || !h->node)
			__builtin_trap();
	}
	od_fuzz_check_messages(&c, &e);
	od_ctx_free(&c);
	return 0;
}
