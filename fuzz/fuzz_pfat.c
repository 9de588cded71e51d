/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the AMI BIOS Guard PFAT handler (see handler.h). */
#include "handler.h"

OD_FUZZ_HANDLER("pfat")
