/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: catalogue repository source records (readers/record.c).
 * Differential too: whatever parses must write back in the canonical form
 * and parse again to the very same record. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "record.h"

static od_record a, b;
static char text[OD_RECORD_MAX];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	od_err e;
	od_err_clear(&e);
	if (od_record_parse(od_span_make(data, size, 0), &a, &e) != OD_OK)
		return 0;
	size_t n = od_record_write(&a, text, sizeof(text));
	if (n == 0)
		__builtin_trap(); /* a record that parses always writes */
	if (od_record_parse(od_span_make((const uint8_t *)text, n, 0), &b, &e) != OD_OK || memcmp(&a, &b, sizeof(a)))
		__builtin_trap(); /* and reads back the same */
	return 0;
}
