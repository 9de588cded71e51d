/* SPDX-License-Identifier: BSD-2-Clause */
/* optimus-db host [--json] [--sysfs-root DIR]
 * optimus-db host dump [BDF] [-o FILE] [--add] [--force] [--sysfs-root DIR] [--db PATH]
 * What the laptop has, whether its NVIDIA GPU can be passed through (with
 * the fix for each missing piece), and getting the VBIOS out of it. */
#include <stdlib.h>
#include <string.h>

#include "catcli.h"
#include "vmpath.h"
#include "hash.h"
#include "bundle.h"
#include "host.h"
#include "ingest.h"

enum { OD_EXIT_NOT_READY = 5 };

static const od_host_gpu *find_dgpu(const od_host *h, const char *bdf)
{
	for (int i = 0; i < h->ngpus; i++)
		if (bdf ? !strcmp(h->gpus[i].dev.bdf, bdf) : h->gpus[i].dev.vendor == 0x10de)
			return &h->gpus[i];
	return NULL;
}

static const char *class_story(uint32_t cls)
{
	switch (cls >> 8) {
	case 0x0302: return "3D controller: muxless Optimus (no outputs; the driver reads the VBIOS from ACPI _ROM)";
	case 0x0300: return "VGA controller: MXM/muxed, or the iGPU (the VBIOS is usually in a ROM BAR)";
	}
	return "display controller";
}

/* Each missing piece with its fix; returns how many. */
static int missing(const od_host *h, const od_host_gpu *g, od_json *j, bool json)
{
	int n = 0;
#define MISS(...)                                                       \
	do {                                                            \
		char m_[400];                                           \
		snprintf(m_, sizeof(m_), __VA_ARGS__);                  \
		if (json)                                               \
			od_json_str(j, NULL, m_);                       \
		else                                                    \
			printf("  - %s\n", m_);                         \
		n++;                                                    \
	} while (0)
	if (!h->iommu_on)
		MISS("IOMMU is off: add intel_iommu=on iommu=pt (AMD: amd_iommu=on iommu=pt) to the kernel command line and enable VT-d in firmware");
	if (g && g->iommu_group >= 0 && !g->group_clean)
		MISS("IOMMU group %d has devices other than bridges and the GPU's own functions: they must all go to vfio-pci, or use a kernel with ACS override", g->iommu_group);
	if (g && strcmp(g->dev.driver, "vfio-pci") != 0)
		MISS("%s is bound to %s: bind it to vfio-pci (vfio-pci.ids=%04x:%04x on the kernel command line, or driverctl set-override %s vfio-pci)",
		     g->dev.bdf, g->dev.driver[0] ? g->dev.driver : "no driver", g->dev.vendor, g->dev.device, g->dev.bdf);
	bool gvt = false;
	for (int i = 0; i < h->ngpus; i++)
		gvt |= h->gpus[i].gvt || h->gpus[i].sriov_num > 0;
	for (int i = 0; !gvt && i < h->ngpus; i++)
		if (h->gpus[i].dev.vendor == 0x8086 && h->gpus[i].sriov_total > 0) {
			MISS("the iGPU %s offers %d SR-IOV virtual functions, none enabled (the guest's display from 11th gen on): "
			     "echo 1 > /sys/bus/pci/devices/%s/sriov_numvfs, then pass the new VF to the guest (vm-config --igpu-vf BDF)",
			     h->gpus[i].dev.bdf, h->gpus[i].sriov_total, h->gpus[i].dev.bdf);
			gvt = true;
		}
	if (!gvt)
		MISS("no Intel GVT-g on the iGPU (the guest's display): i915.enable_gvt=1 and the kvmgt module (Broadwell to Comet Lake only)");
	if (g && !g->host_rom && (g->dev.class_code >> 8) == 0x0302)
		MISS("the host ACPI tables define no _ROM for %s: take the VBIOS from the BIOS update ('optimus-db add UPDATE.exe')", g->acpi_path[0] ? g->acpi_path : g->dev.bdf);
#undef MISS
	return n;
}

static void dev_text(const od_host_dev *d)
{
	char vn[128] = "", dn[160] = "";
	od_pci_name(d->vendor, d->device, vn, sizeof(vn), dn, sizeof(dn));
	printf("%s %04x:%04x %s %s, subsystem %04x:%04x, class %04x, driver %s\n", d->bdf, d->vendor, d->device, vn, dn,
	       d->sub_vendor, d->sub_device, d->class_code >> 8, d->driver[0] ? d->driver : "none");
}

static void gpu_text(const od_host_gpu *g)
{
	dev_text(&g->dev);
	printf("  %s\n", class_story(g->dev.class_code));
	if (g->iommu_group >= 0) {
		printf("  IOMMU group %d (%s):", g->iommu_group, g->group_clean ? "only bridges and the GPU's functions" : "shared");
		for (int i = 0; i < g->ngroup; i++)
			printf(" %s%s", g->group[i].bdf, (g->group[i].class_code >> 8) == 0x0604 ? " (bridge)" : "");
		printf("\n");
	} else {
		printf("  IOMMU group: none\n");
	}
	if (g->acpi_path[0])
		printf("  ACPI path %s; host _ROM: %s%s%s\n", g->acpi_path, g->host_rom ? "yes" : "no",
		       g->rom_source[0] ? ", " : "", g->rom_source);
	if (g->gvt)
		printf("  GVT-g types: %s\n", g->gvt_types);
	if (g->sriov_total >= 0)
		printf("  SR-IOV: %d of %d virtual functions enabled%s\n", g->sriov_num < 0 ? 0 : g->sriov_num, g->sriov_total,
		       g->sriov_num > 0 ? " (pass one to the guest: vm-config --igpu-vf BDF)" : "");
}

static void gpu_json(od_json *j, const od_host_gpu *g)
{
	od_json_obj_begin(j, NULL);
	od_json_str(j, "bdf", g->dev.bdf);
	od_json_hex(j, "vendor", g->dev.vendor, 4);
	od_json_hex(j, "device", g->dev.device, 4);
	od_json_hex(j, "subsystem_vendor", g->dev.sub_vendor, 4);
	od_json_hex(j, "subsystem_device", g->dev.sub_device, 4);
	od_json_hex(j, "class", g->dev.class_code, 6);
	od_json_bool(j, "muxless", (g->dev.class_code >> 8) == 0x0302);
	od_json_str(j, "driver", g->dev.driver[0] ? g->dev.driver : NULL);
	od_json_int(j, "iommu_group", g->iommu_group);
	od_json_bool(j, "group_clean", g->group_clean);
	od_json_arr_begin(j, "group");
	for (int i = 0; i < g->ngroup; i++)
		od_json_str(j, NULL, g->group[i].bdf);
	od_json_arr_end(j);
	od_json_str(j, "acpi_path", g->acpi_path[0] ? g->acpi_path : NULL);
	od_json_bool(j, "host_rom", g->host_rom);
	od_json_str(j, "rom_source", g->rom_source[0] ? g->rom_source : NULL);
	od_json_str(j, "gvt_types", g->gvt ? g->gvt_types : NULL);
	if (g->sriov_total >= 0) {
		od_json_int(j, "sriov_totalvfs", g->sriov_total);
		od_json_int(j, "sriov_numvfs", g->sriov_num < 0 ? 0 : g->sriov_num);
	}
	od_json_obj_end(j);
}

/* The host's GPUs and settings under root; the exit status when unreadable. */
static int read_host(const char *root, od_host *h)
{
	od_err e;
	od_err_clear(&e);
	return od_host_scan(root, h, &e) ? od_print_fail(NULL, &e) : OD_EXIT_OK;
}

static int report(const char *root, bool json)
{
	od_host h;
	int rc = read_host(root, &h);
	if (rc)
		return rc;
	const od_host_gpu *g = find_dgpu(&h, NULL);
	od_json j;
	od_json_init(&j, stdout);
	int n;
	if (json) {
		od_json_obj_begin(&j, NULL);
		od_json_str(&j, "machine", h.dmi_product[0] ? h.dmi_product : NULL);
		od_json_str(&j, "bios_version", h.dmi_bios[0] ? h.dmi_bios : NULL);
		od_json_bool(&j, "iommu", h.iommu_on);
		od_json_arr_begin(&j, "gpus");
		for (int i = 0; i < h.ngpus; i++)
			gpu_json(&j, &h.gpus[i]);
		od_json_arr_end(&j);
		od_json_str(&j, "nvidia_gpu", g ? g->dev.bdf : NULL);
		od_json_arr_begin(&j, "missing");
		n = missing(&h, g, &j, true);
		od_json_arr_end(&j);
		od_json_obj_end(&j);
		od_json_end(&j);
	} else {
		/* VMs and containers often have no /sys/class/dmi/id at all. */
		if (h.dmi_vendor[0] || h.dmi_product[0] || h.dmi_bios[0])
			printf("%s %s, BIOS %s; IOMMU %s\n", h.dmi_vendor[0] ? h.dmi_vendor : "?",
			       h.dmi_product[0] ? h.dmi_product : "?", h.dmi_bios[0] ? h.dmi_bios : "?", h.iommu_on ? "on" : "off");
		else
			printf("machine: unknown (no DMI); IOMMU %s\n", h.iommu_on ? "on" : "off");
		for (int i = 0; i < h.ngpus; i++)
			gpu_text(&h.gpus[i]);
		if (!g) {
			printf("no NVIDIA GPU found\n");
			return OD_EXIT_NOTFOUND;
		}
		printf("missing for passthrough of %s:\n", g->dev.bdf);
		n = missing(&h, g, &j, false);
		if (!n)
			printf("  nothing: ready (see 'optimus-db lookup --host %s' and 'optimus-db vm-config')\n", g->dev.bdf);
	}
	return !g ? OD_EXIT_NOTFOUND : n ? OD_EXIT_NOT_READY : OD_EXIT_OK;
}

static int dump(const char *root, const char *bdf, const char *out, bool add, bool force, const char *db_opt)
{
	od_host h;
	int rc = read_host(root, &h);
	if (rc)
		return rc;
	const od_host_gpu *g = find_dgpu(&h, bdf);
	if (!g) {
		if (bdf)
			fprintf(stderr, "optimus-db: %s not found among the display devices\n", bdf);
		else
			fprintf(stderr, "optimus-db: no NVIDIA GPU found among the display devices\n");
		return OD_EXIT_NOTFOUND;
	}
	uint8_t *rom;
	size_t len;
	const char *method;
	char log[1024];
	od_err e;
	od_err_clear(&e);
	rc = od_host_dump(root, g, &rom, &len, &method, log, sizeof(log), &e);
	fputs(log, stderr);
	if (rc) {
		od_print_err(NULL, &e);
		return od_exit_for(rc);
	}
	char sha[65];
	printf("dumped %s with %s: %zu bytes, sha256 %s\n", g->dev.bdf, method, len, od_sha256_hex(rom, len, sha));
	if (out && od_file_write_new(out, rom, len, force, &e)) {
		rc = od_print_fail(NULL, &e);
	} else if (out) {
		printf("wrote %s\n", out);
	}
	if (!rc && add) {
		od_db *db;
		if ((rc = od_open_catalogue(db_opt, false, &db)) == 0) {
			char path[96], model[OD_FIELD_MODEL_MAX + 1], bios[OD_FIELD_BIOS_MAX + 1];
			snprintf(path, sizeof(path), "host %s > %s", g->dev.bdf, method);
			/* DMI strings are the firmware's, not the user's: made printable, not refused. */
			od_field_sanitize(h.dmi_product, model, sizeof(model));
			od_field_sanitize(h.dmi_bios, bios, sizeof(bios));
			od_source s = { .container_name = g->dev.bdf, .obtained = "host", .model = model, .bios_version = bios,
					.has_subsys = true, .sub_vendor = g->dev.sub_vendor, .sub_device = g->dev.sub_device };
			od_ingest_hit hit = { .rom = od_span_make(rom, len, 0), .container_path = path, .direct = true };
			od_ingest_counts got = { 0 };
			if (od_ingest_hits(db, &s, &hit, 1, &got, &e)) {
				rc = od_print_fail(NULL, &e);
			} else {
				printf("catalogue: %s image, %s source (%s %s, BIOS %s)\n", got.new_images ? "new" : "known",
				       got.new_sources ? "new" : "known", h.dmi_vendor, model, bios);
			}
			od_db_close(db);
		}
	}
	free(rom);
	return rc;
}

int od_cmd_host(int argc, char **argv)
{
	const char *root = od_sysfs_root(), *out = NULL, *db_opt = NULL;
	bool json = false, add = false, force = false;
	const od_opt opts[] = {
		{ "--json", NULL, OD_OPT_FLAG, &json, NULL, NULL, "JSON output (report)" },
		{ "--sysfs-root", NULL, OD_OPT_STR, &root, NULL, "DIR", "read sysfs, debugfs and /proc under DIR instead of / (fake trees, tests)" },
		{ "--output", "-o", OD_OPT_STR, &out, NULL, "FILE", "dump: write the VBIOS to FILE" },
		{ "--force", NULL, OD_OPT_FLAG, &force, NULL, NULL, "dump: replace FILE if it is a regular file" },
		{ "--add", NULL, OD_OPT_FLAG, &add, NULL, NULL, "dump: store the VBIOS in the catalogue with this host's IDs" },
		OD_OPT_DB(&db_opt),
		OD_OPT_END,
	};
	const od_cmdline cl = { "host", "[dump [BDF]]", opts, NULL, 0, 2 };
	int nops, prc;
	if (!od_args_parse(&cl, argc, argv, &nops, &prc))
		return prc;
	bool do_dump = nops >= 1 && !strcmp(argv[1], "dump");
	if ((nops >= 1 && !do_dump) || (!do_dump && (out || add || force)) || (do_dump && json))
		return od_usage_error("host", nops >= 1 && !do_dump ? "unknown subcommand '%s' (expects 'dump')"
								    : "%s: -o, --add and --force belong to 'host dump', --json to 'host'",
				      nops >= 1 ? argv[1] : "options");
	return do_dump ? dump(root, nops == 2 ? argv[2] : NULL, out, add, force, db_opt) : report(root, json);
}
