/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the NVIDIA nvflash dump (NVGI header) handler (see handler.h). */
#include "handler.h"

OD_FUZZ_HANDLER("nvgi")
