/* SPDX-License-Identifier: BSD-2-Clause */
/* The host side: GPUs seen through sysfs (a root prefix makes fake trees
 * testable), passthrough readiness, and VBIOS dump methods. */
#ifndef OD_HOST_H
#define OD_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reader.h"

#define OD_HOST_MAX_GPUS 8
#define OD_HOST_MAX_GROUP 32

typedef struct od_host_dev {
	char bdf[16];
	uint16_t vendor, device, sub_vendor, sub_device;
	uint32_t class_code;
	char driver[32];
} od_host_dev;

typedef struct od_host_gpu {
	od_host_dev dev;
	int iommu_group;                 /* -1: none */
	od_host_dev group[OD_HOST_MAX_GROUP];
	int ngroup;
	bool group_clean;                /* every other member is a bridge or this GPU's function */
	char acpi_path[160];             /* firmware_node/path */
	bool host_rom;                   /* host ACPI tables define _ROM under acpi_path */
	char rom_source[200];            /* where that _ROM reads from, as far as known */
	char gvt_types[256];             /* iGPU only: "i915-GVTg_V5_4 (1 free), ..." */
	bool gvt;
	int sriov_total, sriov_num;      /* sriov_totalvfs / sriov_numvfs; -1: not SR-IOV capable */
} od_host_gpu;

typedef struct od_host {
	bool iommu_on;
	int ngpus;
	od_host_gpu gpus[OD_HOST_MAX_GPUS];
	char dmi_vendor[64], dmi_product[96], dmi_bios[64];
} od_host;

/* Reads <root>/sys (root "" = the real one). */
int od_host_scan(const char *root, od_host *h, od_err *e);

/* One PCI device, DDDD:BB:SS.F, under <root>/sys/bus/pci/devices: false if
 * it is not there (no readable class attribute). */
bool od_host_dev_read(const char *root, const char *bdf, od_host_dev *d);

/* The other functions (.0 to .7 but bdf's own) of the slot bdf is in, as the
 * host has them (a GPU's HDMI audio is .1): how many were written to out. */
int od_host_slot_functions(const char *root, const char *bdf, od_host_dev out[7]);

/* VBIOS dump of one device, trying methods in order; *method names the one
 * that worked. The result (malloc'd) has been validated as an option ROM. */
int od_host_dump(const char *root, const od_host_gpu *g, uint8_t **rom, size_t *len, const char **method,
		 char *log, size_t logn, od_err *e);

#endif
