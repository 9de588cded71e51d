/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: NVIDIA facts (dump-header detection, BIT walk). */
#include <stddef.h>
#include <stdint.h>

#include "nvidia.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	od_span all = od_span_make(data, size, 0);
	size_t off;
	const char *kind;
	od_err e;
	od_err_clear(&e);
	if (od_nv_find_rom(all, &off, &kind, &e) != OD_OK)
		return 0;
	if (off >= size)
		__builtin_trap();
	od_span rom;
	od_rom r;
	od_vbios_facts f;
	if (od_tail(all, off, &rom, &e) || od_rom_parse(rom, &r, &e))
		return 0;
	if (od_nv_facts(rom, &r, &f, &e) == OD_OK && f.has_bit && f.bit_off >= rom.len)
		__builtin_trap();
	return 0;
}
