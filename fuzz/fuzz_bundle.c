/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: contribution bundle reader (manifest and data part). */
#include <stddef.h>
#include <stdint.h>

#include "bundle.h"

static int on_image(void *arg, const char *sha, od_span bytes, od_err *e)
{
	(void)arg, (void)e;
	if (sha[64] != 0 || (bytes.len && !bytes.p))
		__builtin_trap();
	return 0;
}

static int on_source(void *arg, const od_bundle_source *s, od_err *e)
{
	(void)arg, (void)e;
	if (s->sha256[64] != 0)
		__builtin_trap();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	od_bundle_cb cb = { on_image, on_source, NULL };
	od_err e;
	od_err_clear(&e);
	(void)od_bundle_walk(od_span_make(data, size, 0), &cb, &e);
	return 0;
}
