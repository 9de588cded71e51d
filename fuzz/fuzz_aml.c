/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the host AML scanner (DSDT/SSDT bytes). */
#include <stddef.h>
#include <stdint.h>

#include "amlscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	od_aml_scan s;
	od_err e;
	od_err_clear(&e);
	if (od_aml_scan_table(od_span_make(data, size, 0), &s, &e) == OD_OK && s.nroms > OD_AML_MAX_ROMS)
		__builtin_trap();
	return 0;
}
