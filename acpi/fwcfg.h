/* SPDX-License-Identifier: BSD-2-Clause */
/* fw_cfg mode: one small SSDT whose _ROM reads the ROM that QEMU hands the
 * guest as the fw_cfg file OD_FWCFG_NAME (-fw_cfg name=...,file=ROM). No
 * 64 KiB split and no size limit in the table; a new ROM needs no new table.
 * Reading fw_cfg costs one port read per byte from the file's start, so the
 * whole file is read into a buffer on the first _ROM call and every call
 * returns a slice: exactly min (length, 4096) bytes, zeros past the end. */
#ifndef OD_FWCFG_H
#define OD_FWCFG_H

#include "ssdt.h"

/* Reverse-DNS under "opt/", as QEMU asks of user files (at most 55 chars). */
#define OD_FWCFG_NAME "opt/org.optimus-db/vbios"

/* One table, vbios-fwcfg.aml (plus the battery unless o->battery is off). */
int od_fwcfg_build(const od_acpi_opts *o, bool with_asl, od_ssdt **tables, size_t *n, od_err *e);

#endif
