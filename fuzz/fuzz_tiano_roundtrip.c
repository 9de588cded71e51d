/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target, differential: any input compressed by the test-side
 * EFI 1.1 / Tiano compressor (tests/unit/tiano_compress.c, written from UEFI
 * 2.10 Appendix H) must decompress with our decoder to exactly the input, in
 * both variants. Catches wrong output, not only crashes. The first byte
 * picks literal-only or LZ77 streams. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decompress.h"
#include "tiano_compress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 1025) /* the test compressor's match search is quadratic */
		return 0;
	bool matches = data[0] & 1;
	const uint8_t *in = data + 1;
	size_t n = size - 1;
	for (unsigned pbit = 4; pbit <= 5; pbit++) {
		size_t clen;
		uint8_t *c = tc_compress(in, n, pbit, matches, &clen);
		uint8_t *out = malloc(n ? n : 1);
		if (!c || !out)
			__builtin_trap();
		od_err e;
		od_err_clear(&e);
		enum od_efi_variant v = pbit == 4 ? OD_EFI_V1 : OD_EFI_TIANO;
		if (od_efi_decompress_buf(od_span_make(c, clen, 0), v, out, n, &e) != OD_OK || memcmp(out, in, n))
			__builtin_trap();
		free(c);
		free(out);
	}
	return 0;
}
