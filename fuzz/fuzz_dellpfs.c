/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the dellpfs handler (see handler.h). */
#include "handler.h"

OD_FUZZ_HANDLER("dellpfs")
