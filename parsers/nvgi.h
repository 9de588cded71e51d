/* SPDX-License-Identifier: BSD-2-Clause */
/* NVIDIA flash dumps with an nvflash/IFR ("NVGI") header or another prefix
 * before the option ROM. Sources: Linux nova-core vbios.rs, nouveau. */
#ifndef OD_NVGI_H
#define OD_NVGI_H

#include "reader.h"

/* Finds where the ROM starts in a dump that may carry an nvflash/IFR
 * ("NVGI") header or other prefix: *off = offset of the first 55AA+PCIR,
 * *kind = "NVGI v3 (RFRD)", "NVGI v1/2", "scan" or NULL when at 0. */
int od_nv_find_rom(od_span dump, size_t *off, const char **kind, od_err *e);

#endif
