/* libFuzzer target: the libvirt domain XML scanner. */
#include <stddef.h>
#include <stdint.h>

#include "libvirt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	od_libvirt_gpu_addr g;
	od_err e;
	od_err_clear(&e);
	(void)od_libvirt_gpu(od_span_make(data, size, 0), &g, &e);
	return 0;
}
