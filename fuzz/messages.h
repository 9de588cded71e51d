/* SPDX-License-Identifier: BSD-2-Clause */
/* What every container harness checks after a walk: the fatal error and
 * every diagnostic format into the one-line message users read (the CLI's
 * od_err_str), stay NUL-terminated within their fields and name a kind. A
 * fuzzed path of nested containers is where a message buffer would
 * overflow, so the formatting is fuzzed with the parsers. */
#ifndef OD_FUZZ_MESSAGES_H
#define OD_FUZZ_MESSAGES_H

#include <string.h>

#include "walk.h"

static inline void od_fuzz_check_err(const od_err *e)
{
	if (!e->code)
		return;
	if (memchr(e->path, 0, sizeof(e->path)) == NULL || memchr(e->msg, 0, sizeof(e->msg)) == NULL)
		__builtin_trap();
	char line[OD_ERR_PATH_MAX + OD_ERR_MSG_MAX + 64];
	od_err_str(e, line, sizeof(line));
	if (!strstr(line, od_code_name(e->code)))
		__builtin_trap(); /* cut before its kind: the message would mislead */
}

static inline void od_fuzz_check_messages(const od_ctx *c, const od_err *e)
{
	od_fuzz_check_err(e);
	for (size_t i = 0; i < c->ndiags; i++)
		od_fuzz_check_err(&c->diags[i].err);
}

#endif
