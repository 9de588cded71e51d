/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: FFS files and sections entered directly, without a
 * volume header in front (UEFI PI spec 1.8 vol. 3 sec. 2.2 and 2.3), so the
 * fuzzer spends its time in the file and section parsers instead of first
 * having to build a valid _FVH. The first byte picks the mode: bit 0 a run of
 * sections (a file's body or a decompressed buffer) or a run of files; bit 1
 * the erase polarity; bit 2 FFS v3 (large files). */
#include <stddef.h>
#include <stdint.h>

#include "messages.h"
#include "uefi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t mode = data[0];
	od_ctx c;
	od_err e;
	od_err_clear(&e);
	od_ctx_init(&c, "fuzz");
	od_span s = od_span_make(data + 1, size - 1, 1);
	if (od_enter(&c, OD_KIND_INPUT, s, &e, "fuzz") == OD_OK) {
		if (mode & 1)
			(void)od_sections_walk(&c, s, &e);
		else
			(void)od_ffs_walk(&c, s, 0, mode & 2, mode & 4, &e);
	}
	od_fuzz_check_messages(&c, &e);
	od_ctx_free(&c);
	return 0;
}
