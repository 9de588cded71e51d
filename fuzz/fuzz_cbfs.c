/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the coreboot CBFS handler (see handler.h). */
#include "handler.h"

OD_FUZZ_HANDLER("cbfs")
