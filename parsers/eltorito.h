/* SPDX-License-Identifier: BSD-2-Clause */
/* El Torito boot images of an ISO 9660 image (eltorito.c). */
#ifndef OD_ELTORITO_H
#define OD_ELTORITO_H

#include "walk.h"

/* Walks every bootable image the boot catalog names, as children of the
 * current node, unless the ISO already lists it as a file (a child of the
 * current node covering the same bytes). Catalog damage is a diagnostic;
 * only limits fail. */
int od_eltorito_walk(od_ctx *c, od_span iso, od_err *e);

#endif
