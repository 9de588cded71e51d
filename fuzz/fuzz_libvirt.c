/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the libvirt domain XML reader (libxml2 underneath). */
#include <stddef.h>
#include <stdint.h>

#include "libvirt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Domains are a few KB; larger inputs only slow the parser down. */
	if (size > (1u << 20))
		return 0;
	od_libvirt_gpu_addr g;
	od_err e;
	od_err_clear(&e);
	(void)od_libvirt_gpu(od_span_make(data, size, 0), &g, &e);
	return 0;
}
