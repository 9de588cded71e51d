/* SPDX-License-Identifier: BSD-2-Clause */
/* One libFuzzer template for every registered container handler (fwupd's
 * habit): the target file names the handler; the handler's walk runs under a
 * fresh context with the fuzzing limits, nested handlers included. */
#ifndef OD_FUZZ_HANDLER_H
#define OD_FUZZ_HANDLER_H

#include <stddef.h>
#include <stdint.h>

#include "messages.h"
#include "walk.h"

#define OD_FUZZ_HANDLER(NAME)                                                        \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                 \
	{                                                                            \
		const od_format *f = od_format_find(NAME);                           \
		od_ctx c;                                                            \
		od_err e;                                                            \
		od_err_clear(&e);                                                    \
		od_ctx_init(&c, "fuzz");                                             \
		od_span s = od_span_make(data, size, 0);                             \
		if (f && od_enter(&c, OD_KIND_INPUT, s, &e, "fuzz") == OD_OK && f->probe(s) > 0) \
			(void)f->walk(&c, s, &e);                                    \
		od_fuzz_check_messages(&c, &e);                                      \
		od_ctx_free(&c);                                                     \
		return 0;                                                            \
	}

#endif
