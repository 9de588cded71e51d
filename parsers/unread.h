/* SPDX-License-Identifier: BSD-2-Clause */
/* Formats optimus-db recognises by their signature but does not read: one
 * table (unread.c), so that data nobody parsed is named in the answer
 * instead of a "no VBIOS here" the user would believe. */
#ifndef OD_UNREAD_H
#define OD_UNREAD_H

#include "reader.h"

/* "a RAR archive" when s starts with a signature in the table, else NULL. */
const char *od_unread_kind(od_span s);

#endif
