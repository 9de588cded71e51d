/* SPDX-License-Identifier: BSD-2-Clause */
/* Intel BIOS Guard (PFAT): AMI PFAT packages (a handler) and the signature
 * blocks that signed AMI Aptio capsules interleave with their image. */
#ifndef OD_PFAT_H
#define OD_PFAT_H

#include "walk.h"

/* Copies s without its interleaved BIOS Guard signature blocks into a
 * context buffer (*out = s and *nblocks = 0 when there are none). */
int od_bg_strip(od_ctx *c, od_span s, od_span *out, unsigned *nblocks, od_err *e);

#endif
