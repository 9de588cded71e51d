/* SPDX-License-Identifier: BSD-2-Clause */
/* The GPU's guest placement read from a libvirt domain XML (libxml2, no DTD, no network). */
#ifndef OD_LIBVIRT_H
#define OD_LIBVIRT_H

#include "reader.h"

typedef struct od_libvirt_gpu_addr {
	char guest[8];      /* "q35" or "pc" */
	char addr[16];      /* "01:00.0" */
	char root_port[16]; /* "00:1c.0", or "" when the GPU is on bus 0 */
} od_libvirt_gpu_addr;

/* Larger domain XML is refused (virsh dumpxml writes a few KB). */
#define OD_LIBVIRT_MAX (16u << 20)

int od_libvirt_gpu(od_span xml, od_libvirt_gpu_addr *g, od_err *e);

#endif
