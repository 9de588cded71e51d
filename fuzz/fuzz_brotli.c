/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the Brotli section decoder (edk2 16-byte header: u64
 * decoded size, u64 scratch size, then the stream), under the fuzzing
 * output limit. The vendor sections around it are fuzz_ffs's. */
#include <stddef.h>
#include <stdint.h>

#include "decompress.h"
#include "messages.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	od_ctx c;
	od_err e;
	od_err_clear(&e);
	od_ctx_init(&c, "fuzz");
	c.lim.max_out_one = 1u << 20;
	od_span out;
	if (od_brotli_decompress(&c, od_span_make(data, size, 0), &out, &e) == OD_OK) {
		uint64_t want = 0;
		for (int i = 7; i >= 0; i--)
			want = want << 8 | data[i];
		if (out.len != want)
			__builtin_trap(); /* the decoder must fill exactly what the header states */
	}
	od_fuzz_check_messages(&c, &e);
	od_ctx_free(&c);
	return 0;
}
