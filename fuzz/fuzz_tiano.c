/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: EFI 1.1 / Tiano decompressor, both variants. The first
 * byte picks the variant; output size is capped to keep runs fast
 * (256 KiB: the EFI images in real NVIDIA ROMs decode to 40-200 KiB). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "decompress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	enum od_efi_variant v = (enum od_efi_variant)(data[0] % 3);
	od_span in = od_span_make(data + 1, size - 1, 0);
	uint32_t comp, orig;
	od_err e;
	od_err_clear(&e);
	if (od_efi_sizes(in, &comp, &orig, &e) || orig > (256u << 10))
		return 0;
	uint8_t *out = malloc(orig ? orig : 1);
	if (!out)
		return 0;
	(void)od_efi_decompress_buf(in, v, out, orig, &e);
	free(out);
	return 0;
}
