/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the option-ROM chain parser. */
#include <stddef.h>
#include <stdint.h>

#include "optionrom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	od_rom rom;
	od_err e;
	od_err_clear(&e);
	if (od_rom_parse(od_span_make(data, size, 0), &rom, &e) == OD_OK) {
		/* Every reported image must lie inside the input. */
		if (rom.total_len > size)
			__builtin_trap();
		for (unsigned i = 0; i < rom.nimages; i++)
			if (rom.img[i].off >= size)
				__builtin_trap();
	}
	return 0;
}
