/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the capsule handler (see handler.h). */
#include "handler.h"

OD_FUZZ_HANDLER("capsule")
