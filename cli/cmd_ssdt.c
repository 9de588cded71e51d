/* SPDX-License-Identifier: BSD-2-Clause */
/* optimus-db ssdt ROMFILE --acpi DIR [topology options] and the shared
 * "--acpi" writer used by export; optimus-db vm-config. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acpiout.h"
#include "args.h"
#include "catcli.h"
#include "fwcfg.h"
#include "host.h"
#include "libvirt.h"
#include "nvidia.h"
#include "smbios.h"
#include "ssdt.h"
#include "vmpath.h"

void od_acpi_options(od_acpi_args *a, od_opt out[OD_ACPI_NOPTS])
{
	const od_opt t[OD_ACPI_NOPTS] = {
		{ "--acpi", NULL, OD_OPT_STR, &a->dir, NULL, "DIR", "folder of the guest ACPI tables vbios-ssdt-N.aml (ssdt/export write them, vm-config reads them; printed absolute and normalised)" },
		{ "--guest", NULL, OD_OPT_STR, &a->guest, NULL, "q35|pc", "guest machine type (default q35)" },
		{ "--guest-addr", NULL, OD_OPT_STR, &a->guest_addr, NULL, "[BB:]DD.F", "the GPU's guest PCI address (default 01:00.0)" },
		{ "--root-port", NULL, OD_OPT_STR, &a->root_port, NULL, "00:DD.F", "the pcie-root-port in front of it (default 00:1c.0)" },
		{ "--acpi-path", NULL, OD_OPT_STR, &a->acpi_path, NULL, "PATH", "the GPU's ACPI path, given directly (1-4 character segments [A-Z_][A-Z0-9_]*, '.'-separated, optional leading \\)" },
		{ "--libvirt-xml", NULL, OD_OPT_STR, &a->libvirt_xml, NULL, "DOMAIN.xml", "the topology from a libvirt domain" },
		{ "--asl", NULL, OD_OPT_FLAG, &a->asl, NULL, NULL, "also write the ASL source (.dsl)" },
		{ "--no-battery", NULL, OD_OPT_FLAG, &a->no_battery, NULL, NULL, "leave out the battery and AC adapter (default: in)" },
		{ "--windows", NULL, OD_OPT_FLAG, &a->windows, NULL, NULL, "old name: the battery is now in by default" },
		{ "--fw-cfg", NULL, OD_OPT_FLAG, &a->fw_cfg, NULL, NULL, "one table whose _ROM reads the ROM from fw_cfg" },
		OD_OPT_END,
	};
	memcpy(out, t, sizeof(t));
}

static bool named(const char *const *list, const char *a, size_t n)
{
	for (; list && *list; list++)
		if (strlen(*list) == n && !strncmp(*list, a, n))
			return true;
	return false;
}

/* Whether argv[i] is an option that takes the next word as its value. */
static bool takes_value(const od_opt *o, const char *a)
{
	for (; o->name; o++)
		if (o->kind != OD_OPT_FLAG && (!strcmp(o->name, a) || (o->alias && !strcmp(o->alias, a))))
			return true;
	return false;
}

bool od_acpi_parse(od_cmdline cl, od_acpi_args *a, const char *const *refused, int argc, char **argv, int *nops,
		   int *rc)
{
	od_opt all[OD_ACPI_NOPTS], kept[OD_ACPI_NOPTS];
	od_acpi_options(a, all);
	int k = 0;
	for (int i = 0; all[i].name; i++)
		if (!named(refused, all[i].name, strlen(all[i].name)))
			kept[k++] = all[i];
	kept[k] = all[OD_ACPI_NOPTS - 1]; /* OD_OPT_END */
	cl.more = kept;
	/* The same walk as the parser's, so a value that looks like an option is not taken for one. */
	for (int i = 1; refused && i < argc && strcmp(argv[i], "--"); i++) {
		const char *w = argv[i];
		size_t n = strcspn(w, "=");
		if (w[0] == '-' && named(refused, w, n)) {
			*rc = od_usage_error(cl.cmd, "%.*s shapes the tables, which 'optimus-db ssdt ROM --acpi DIR %.*s' (or "
						     "'export ... --acpi DIR %.*s') writes; %s only reads them: give it there, then run "
						     "%s with the same --acpi DIR", (int)n, w, (int)n, w, (int)n, w, cl.cmd, cl.cmd);
			return false;
		}
		if (takes_value(cl.opts, w) || takes_value(kept, w))
			i++;
	}
	return od_args_parse(&cl, argc, argv, nops, rc);
}

static int write_one(const char *dir, const char *name, const void *p, size_t n, bool force, od_err *e)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return od_file_write_new(path, p, n, force, e);
}

/* After --force: our own tables above the new count (an earlier, bigger ROM)
 * would otherwise be passed to QEMU too. Only regular files named exactly
 * vbios-ssdt-N.aml / .dsl with N >= n; never through a symlink. */
static int remove_stale(const char *dir, size_t n)
{
	DIR *d = opendir(dir);
	int removed = 0;
	for (struct dirent *de; d && (de = readdir(d));) {
		const char *nm = de->d_name;
		if (strncmp(nm, "vbios-ssdt-", 11))
			continue;
		const char *num = nm + 11;
		size_t digits = strspn(num, "0123456789");
		if (!digits || digits > 3 || (num[0] == '0' && digits > 1) ||
		    (strcmp(num + digits, ".aml") && strcmp(num + digits, ".dsl")) || strtoul(num, NULL, 10) < n)
			continue;
		char path[4400];
		snprintf(path, sizeof(path), "%s/%s", dir, nm);
		struct stat st;
		if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			fprintf(stderr, "optimus-db: warning: %s is not a regular file: left alone\n", path);
			continue;
		}
		if (unlink(path) == 0)
			removed++;
		else
			fprintf(stderr, "optimus-db: warning: cannot remove stale %s: %s\n", path, strerror(errno));
	}
	if (d)
		closedir(d);
	return removed;
}

/* "61,489" */
static const char *grouped(size_t v, char out[32])
{
	char raw[24];
	int n = snprintf(raw, sizeof(raw), "%zu", v), k = 0;
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = raw[i];
	}
	out[k] = 0;
	return out;
}

/* The topology from the domain the GPU will be passed to (--libvirt-xml);
 * the strings point into *lv. Returns an exit code. */
static int topology_from_xml(const char *xml, od_acpi_args *to, od_libvirt_gpu_addr *lv)
{
	od_err e;
	od_err_clear(&e);
	od_file x;
	if (od_file_load(xml, &x, &e) || od_libvirt_gpu(od_span_make(x.data, x.len, 0), lv, &e)) {
		od_print_err(xml, &e);
		od_file_free(&x);
		return od_exit_for(e.code);
	}
	od_file_free(&x);
	to->guest = lv->guest;
	to->guest_addr = lv->addr;
	to->root_port = lv->root_port[0] ? lv->root_port : NULL;
	return OD_EXIT_OK;
}

int od_write_acpi(const uint8_t *rom, size_t len, const od_acpi_args *a, bool force)
{
	od_acpi_opts o = { .battery = !a->no_battery };
	char why[256] = "given with --acpi-path", dir[4096];
	od_err e;
	od_err_clear(&e);
	od_libvirt_gpu_addr lv;
	od_acpi_args from = *a;
	if (!od_abs_path(a->dir, dir, sizeof(dir))) {
		fprintf(stderr, "optimus-db: --acpi %s: path too long\n", a->dir);
		return OD_EXIT_USAGE;
	}
	int lrc = a->libvirt_xml && !a->acpi_path ? topology_from_xml(a->libvirt_xml, &from, &lv) : OD_EXIT_OK;
	if (lrc)
		return lrc;
	if (a->acpi_path) {
		if (od_acpi_path_check(a->acpi_path, &e)) {
			e.has_off = false;
			od_print_err(NULL, &e);
			return OD_EXIT_USAGE;
		}
		snprintf(o.path, sizeof(o.path), "%s", a->acpi_path);
	} else if (od_acpi_path_for(from.guest, from.guest_addr, from.root_port, o.path, sizeof(o.path), why, sizeof(why), &e)) {
		e.has_off = false;
		od_print_err(NULL, &e);
		return OD_EXIT_USAGE;
	}
	od_ssdt *t = NULL;
	size_t n = 0, total = 0, largest = 0;
	int rc = a->fw_cfg ? od_fwcfg_build(&o, a->asl, &t, &n, &e) : od_ssdt_build(rom, len, &o, a->asl, &t, &n, &e);
	if (!rc && mkdir(dir, 0755) != 0 && errno != EEXIST)
		rc = od_fail(&e, OD_E_IO, 0, "cannot create %s: %s", dir, strerror(errno));
	/* Check every name first so a refusal to overwrite leaves nothing half-written. */
	for (size_t i = 0; !rc && i < n; i++) {
		char path[4200];
		snprintf(path, sizeof(path), "%s/%s", dir, t[i].name);
		rc = od_output_check(path, force, &e);
	}
	if (!rc && a->fw_cfg) {
		char path[4200];
		snprintf(path, sizeof(path), "%s/%s", dir, OD_FWCFG_ROM);
		rc = od_output_check(path, force, &e);
	}
	/* fw_cfg mode: the file QEMU hands the guest is exactly the ROM chain. */
	if (!rc && a->fw_cfg)
		rc = write_one(dir, OD_FWCFG_ROM, rom, len, force, &e);
	for (size_t i = 0; !rc && i < n; i++) {
		rc = write_one(dir, t[i].name, t[i].aml, t[i].len, force, &e);
		if (!rc) { /* the figures below are of what was written */
			total += t[i].len;
			largest = t[i].len > largest ? t[i].len : largest;
		}
		if (!rc && t[i].asl) {
			char dsl[40];
			snprintf(dsl, sizeof(dsl), "%.*s.dsl", (int)(strlen(t[i].name) - 4), t[i].name);
			rc = write_one(dir, dsl, t[i].asl, strlen(t[i].asl), force, &e);
		}
	}
	if (rc) {
		e.has_off = false;
		od_print_err(NULL, &e);
		od_ssdt_free(t, n);
		return od_exit_for(rc);
	}
	/* vbios-ssdt-N numbering only: fw_cfg mode writes one differently named table. */
	int stale = force && !a->fw_cfg ? remove_stale(dir, n) : 0;
	if (strchr(dir, ':'))
		fprintf(stderr, "optimus-db: warning: QEMU splits -acpitable file= at ':': use a folder without one\n");
	od_check_for_vm(dir, "ACPI folder", 'd', OD_VM_QEMU | OD_VM_LIBVIRT, false);
	printf("ACPI path %s (%s%s%s)\n", o.path, why, a->libvirt_xml && !a->acpi_path ? "; read from " : "",
	       a->libvirt_xml && !a->acpi_path ? a->libvirt_xml : "");
	if (a->fw_cfg) {
		char p[4200], q[8400], w[8500];
		printf("wrote %s (%zu bytes) and %s (%zu bytes) to %s; _ROM reads the fw_cfg file %s\n", t[0].name,
		       t[0].len, OD_FWCFG_ROM, len, dir, OD_FWCFG_NAME);
		snprintf(p, sizeof(p), "%s/%s", dir, OD_FWCFG_ROM);
		od_qemu_escape(p, q, sizeof(q));
		snprintf(w, sizeof(w), "name=%s,file=%s", OD_FWCFG_NAME, q);
		printf("QEMU: -fw_cfg ");
		od_put_shell(stdout, w);
		snprintf(p, sizeof(p), "%s/%s", dir, t[0].name);
		od_qemu_escape(p, q, sizeof(q));
		snprintf(w, sizeof(w), "file=%s", q);
		printf(" -acpitable ");
		od_put_shell(stdout, w);
		printf("\n");
		od_ssdt_free(t, n);
		return OD_EXIT_OK;
	}
	char g1[32], g2[32];
	printf("wrote %zu tables to %s: %s bytes, the largest %s (QEMU's limit is 65,535 per table)", n, dir,
	       grouped(total, g1), grouped(largest, g2));
	if (stale)
		printf("; removed %d stale file%s of an earlier, bigger ROM", stale, stale == 1 ? "" : "s");
	printf("\nQEMU:");
	for (size_t i = 0; i < n; i++) {
		char p[4200], q[8400], w[8500];
		snprintf(p, sizeof(p), "%s/%s", dir, t[i].name);
		od_qemu_escape(p, q, sizeof(q));
		printf(" -acpitable ");
		snprintf(w, sizeof(w), "file=%s", q);
		od_put_shell(stdout, w);
	}
	printf("\n");
	od_ssdt_free(t, n);
	return OD_EXIT_OK;
}

/* The ROM chain inside a file (dump headers skipped, said so). */
int od_load_rom_chain(const char *path, od_file *f, size_t *off, size_t *len)
{
	od_err e;
	od_err_clear(&e);
	if (od_file_load(path, f, &e)) {
		od_print_err(path, &e);
		return od_exit_for(e.code);
	}
	od_span all = od_span_make(f->data, f->len, 0), rom;
	const char *kind;
	od_rom r;
	int rc = od_nv_find_rom(all, off, &kind, &e);
	if (!rc)
		rc = od_tail(all, *off, &rom, &e);
	if (!rc)
		rc = od_rom_parse(rom, &r, &e);
	if (rc) {
		od_err_prefix(&e, "%s", f->name);
		od_print_err(path, &e);
		od_file_free(f);
		return od_exit_for(rc);
	}
	if (*off)
		fprintf(stderr, "optimus-db: %s: using the ROM at 0x%zx (%s dump header skipped)\n", path, *off, kind);
	*len = r.total_len;
	return OD_EXIT_OK;
}

int od_cmd_ssdt(int argc, char **argv)
{
	od_acpi_args a = { 0 };
	const char *rom_path = NULL;
	bool force = false;
	const od_opt opts[] = {
		{ "--force", NULL, OD_OPT_FLAG, &force, NULL, NULL, "replace existing regular files in DIR" },
		OD_OPT_END,
	};
	const od_cmdline cl = { "ssdt", "ROMFILE", opts, NULL, 1, 1 };
	int nops, prc;
	if (!od_acpi_parse(cl, &a, NULL, argc, argv, &nops, &prc))
		return prc;
	rom_path = argv[1];
	if (!a.dir) {
		fprintf(stderr, "usage: optimus-db ssdt ROMFILE --acpi DIR [--asl] [--no-battery] [--fw-cfg] [--force]\n"
				"         [--guest q35|pc] [--guest-addr [BB:]DD.F] [--root-port 00:DD.F] [--acpi-path PATH]\n"
				"         [--libvirt-xml DOMAIN.xml]   (the topology from a libvirt domain)\n"
				"  defaults: q35, GPU at 01:00.0 behind the pcie-root-port at 00:1c.0 (\\_SB.PCI0.SE0.S00)\n"
				"  --acpi-path: 1-4 character segments [A-Z_][A-Z0-9_]*, '.'-separated, optional leading \\\n"
				"  the QEMU line names DIR absolute and normalised (QEMU may run in another folder)\n");
		return OD_EXIT_USAGE;
	}
	od_file f;
	size_t off, len;
	int rc = od_load_rom_chain(rom_path, &f, &off, &len);
	if (rc)
		return rc;
	rc = od_write_acpi(f.data + off, len, &a, force);
	od_file_free(&f);
	return rc;
}

#define OVMF_CODE "/usr/share/OVMF/OVMF_CODE_4M.fd"

/* Host PCI address DDDD:BB:DD.F (or BB:DD.F) as QEMU's host= wants it. */
static bool parse_bdf(const char *s, char out[16], unsigned v[4])
{
	char tail;
	int k = sscanf(s, "%4x:%2x:%2x.%1x%c", &v[0], &v[1], &v[2], &v[3], &tail);
	if (k != 4) {
		v[0] = 0;
		k = 1 + sscanf(s, "%2x:%2x.%1x%c", &v[1], &v[2], &v[3], &tail);
	}
	if (k != 4 || strspn(s, "0123456789abcdefABCDEF:.") != strlen(s) || v[2] > 0x1F || v[3] > 7)
		return false;
	snprintf(out, 16, "%04x:%02x:%02x.%x", v[0], v[1], v[2], v[3]);
	return true;
}

/* An mdev's name: its UUID (libvirt's <address uuid=>). */
static bool is_uuid(const char *s)
{
	static const char form[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	if (strlen(s) != sizeof(form) - 1)
		return false;
	for (size_t i = 0; form[i]; i++)
		if (form[i] == '-' ? s[i] != '-' : od_hexval(s[i]) < 0)
			return false;
	return true;
}

/* One ACPI table file of ours: SSDT, OEM "OPTMDB", the table ID wanted, a
 * length field equal to the file size (ACPI 6.5, 5.2.6 System Description
 * Table Header). Table 0 is returned in *t0 (malloc'd) when t0 is set. */
static bool our_table(const char *path, const char *table_id, uint8_t **t0, size_t *t0len)
{
	struct stat st;
	if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 36 || st.st_size > 65535)
		return false;
	od_file f;
	od_err e;
	if (od_file_load(path, &f, &e))
		return false;
	uint32_t len = 0;
	od_span s = od_span_make(f.data, f.len, 0);
	bool ok = od_match(s, 0, "SSDT", 4) && !od_u32(s, 4, &len, NULL) && len == f.len && od_match(s, 10, "OPTMDB", 6) &&
		  od_match(s, 16, table_id, 8);
	if (ok && t0) { /* a copy: the loaded file may be a read-only mapping */
		*t0 = malloc(f.len);
		ok = *t0 != NULL;
		if (ok)
			memcpy(*t0, f.data, f.len);
		*t0len = f.len;
	}
	od_file_free(&f);
	return ok;
}

/* How many tables 'ssdt' wrote into dir: table 0 names its chunks (\VBnn),
 * so stale files of an earlier, bigger ROM are not counted. -1: incomplete. */
static int count_tables(const char *dir)
{
	char p[4200], id[9];
	uint8_t *t0;
	size_t len;
	snprintf(p, sizeof(p), "%s/vbios-ssdt-0.aml", dir);
	if (!our_table(p, "VBIOSROM", &t0, &len)) {
		fprintf(stderr, "optimus-db: warning: no vbios-ssdt-0.aml of ours in %s: run 'optimus-db ssdt ROM --acpi %s' "
			"first (no -acpitable written)\n", dir, dir);
		return 0;
	}
	int chunks = 0;
	for (size_t i = 0; i + 5 <= len; i++)
		if (t0[i] == '\\' && t0[i + 1] == 'V' && t0[i + 2] == 'B' && t0[i + 3] >= '0' && t0[i + 3] <= '9' &&
		    t0[i + 4] >= '0' && t0[i + 4] <= '9' && (t0[i + 3] - '0') * 10 + t0[i + 4] - '0' + 1 > chunks)
			chunks = (t0[i + 3] - '0') * 10 + t0[i + 4] - '0' + 1;
	free(t0);
	for (int c = 1; c <= chunks; c++) {
		snprintf(p, sizeof(p), "%s/vbios-ssdt-%d.aml", dir, c);
		snprintf(id, sizeof(id), "VBIOS%03d", c);
		if (!our_table(p, id, NULL, NULL)) {
			fprintf(stderr, "optimus-db: %s: missing or not the chunk table vbios-ssdt-0.aml names; run 'optimus-db ssdt' again\n", p);
			return -1;
		}
	}
	snprintf(p, sizeof(p), "%s/vbios-ssdt-%d.aml", dir, chunks + 1);
	if (access(p, F_OK) == 0)
		fprintf(stderr, "optimus-db: warning: %s is not one of the %d tables vbios-ssdt-0.aml names: left out\n", p, chunks + 1);
	return chunks + 1;
}

/* Everything vm-config writes, checked and escaped once. */
typedef struct vmc {
	char bdf[16], rom[4096], dir[4096], gvt[4096], chassis[4096];
	const char *uuid; /* in gvt */
	bool fw_cfg;      /* one table vbios-fwcfg.aml, the ROM as a fw_cfg file */
	bool has_chassis; /* an SMBIOS type-3 (Notebook) file in chassis */
	unsigned h[4];    /* host domain, bus, slot, function */
	od_guest_topo t;
	const uint16_t *ids;
	int ntables;
	char vf[16];       /* --igpu-vf: the iGPU's SR-IOV virtual function, or "" */
	unsigned vfh[4];
	unsigned lg_mib;   /* --looking-glass: shared memory in MiB, 0: none */
	od_host_dev fn[7]; /* the GPU's other host functions, each at the same function of its guest slot */
	int nfn;
} vmc;

/* Looking Glass's documented size (looking-glass.io, "Determining Memory"):
 * width x height x 4 bytes x 2 frames, plus 10 MiB, rounded up to the next
 * power of two MiB. 0: not WxH, or a side of 0 or above 16384 (QEMU and
 * libvirt take any size; a typo must not become gigabytes of shared memory). */
static unsigned lg_size_mib(const char *wxh)
{
	size_t wd = strspn(wxh, "0123456789");
	const char *x = wxh + wd;
	size_t hd = *x == 'x' || *x == 'X' ? strspn(x + 1, "0123456789") : 0;
	if (!wd || wd > 5 || !hd || hd > 5 || x[1 + hd])
		return 0;
	unsigned long w = strtoul(wxh, NULL, 10), h = strtoul(x + 1, NULL, 10);
	if (!w || !h || w > 16384 || h > 16384)
		return 0;
	unsigned long long bytes = (unsigned long long)w * h * 4 * 2 + (10ull << 20);
	unsigned mib = 1;
	while (((unsigned long long)mib << 20) < bytes)
		mib *= 2;
	return mib;
}

static const char *fn_kind(uint32_t cls)
{
	switch (cls >> 8) {
	case 0x0403: return "HDMI audio";
	case 0x0c03: return "USB controller";
	case 0x0c80: return "USB-C UCSI controller";
	default: return "function";
	}
}

/* The GPU's other functions on the host (HDMI audio at .1; USB-C on some
 * Turing GPUs): normally in its IOMMU group, so vfio-pci takes them from the
 * host anyway. They go to the guest in one multifunction slot, function N of
 * the host at function N of the guest, as the guest's drivers expect beside
 * the GPU; that needs the GPU at function 0 on both sides, else left out. */
static void vm_functions(vmc *v, const char *root)
{
	od_host_dev f[7];
	int n = od_host_slot_functions(root, v->bdf, f);
	const char *why = v->h[3] ? "the GPU is not function 0 on the host"
		: v->t.fn ? "the GPU's guest address is not function 0, which a multifunction slot needs" : NULL;
	for (int i = 0; i < n; i++) {
		unsigned k = (unsigned)(f[i].bdf[strlen(f[i].bdf) - 1] - '0');
		const char *drv = f[i].driver[0] ? f[i].driver : "no driver";
		if (why) {
			fprintf(stderr, "optimus-db: %s (%s, class %06x) left out of the guest: %s; if it shares the GPU's "
				"IOMMU group, bind it to vfio-pci all the same\n", f[i].bdf, fn_kind(f[i].class_code),
				f[i].class_code, why);
			continue;
		}
		v->fn[v->nfn++] = f[i];
		fprintf(stderr, "optimus-db: %s (%s, class %06x, %s) is the GPU's function .%u on the host: passed along "
			"as function .%u of the GPU's guest slot (multifunction), as on the host; it normally shares the "
			"GPU's IOMMU group, so it leaves the host anyway%s\n", f[i].bdf, fn_kind(f[i].class_code),
			f[i].class_code, drv, k, k,
			strcmp(drv, "vfio-pci") ? " (QEMU without libvirt needs it bound to vfio-pci first)" : "");
	}
}

/* --igpu-vf: an SR-IOV virtual function of an 11th-gen-or-later Intel iGPU
 * (GVT-g ended with 10th gen), an ordinary PCI function to vfio-pci. */
static int vm_igpu_vf(vmc *v, const char *vf, const char *gvt, const char *root)
{
	if (!vf)
		return OD_EXIT_OK;
	if (gvt)
		return od_usage_error("vm-config", "--gvt and --igpu-vf both give the guest the iGPU's display (GVT-g up to "
				      "10th gen, SR-IOV from 11th gen): give one");
	if (!parse_bdf(vf, v->vf, v->vfh))
		return od_usage_error("vm-config", "--igpu-vf '%s' is not a PCI address DDDD:BB:DD.F (e.g. 0000:00:02.1)", vf);
	if (!strcmp(v->vf, v->bdf))
		return od_usage_error("vm-config", "--igpu-vf %s is the GPU given with --host", v->vf);
	od_host_dev d;
	if (!od_host_dev_read(root, v->vf, &d))
		fprintf(stderr, "optimus-db: warning: --igpu-vf %s does not exist (yet): enable the iGPU's virtual functions "
			"first (echo 1 > /sys/bus/pci/devices/0000:00:02.0/sriov_numvfs; 'optimus-db host' shows how many it "
			"offers)\n", v->vf);
	else if (d.vendor != 0x8086 || (d.class_code >> 16) != 0x03)
		fprintf(stderr, "optimus-db: warning: --igpu-vf %s is %04x:%04x, class %06x: not an Intel display function\n",
			v->vf, d.vendor, d.device, d.class_code);
	return OD_EXIT_OK;
}

/* The name the ROM has in the guest's /lib/firmware for nouveau's NvBios:
 * the ROM file's own name where nouveau can take it (its option parser
 * ends a value at ',' or '=', a kernel command line at a space, and a name
 * equal to one of its own sources selects that source instead). */
static const char *nvbios_name(const char *rom)
{
	static const char *const sources[] = { "OpenFirmware", "PRAMIN", "PROM", "ACPI", "PCIROM", "PLATFORM" };
	const char *base = strrchr(rom, '/') ? strrchr(rom, '/') + 1 : rom;
	bool ok = *base && *base != '.' && !strstr(base, "--") &&
		  strspn(base, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == strlen(base);
	for (size_t i = 0; ok && i < sizeof(sources) / sizeof(sources[0]); i++)
		ok = strcasecmp(base, sources[i]) != 0;
	return ok ? base : "optimus-db-vbios.rom";
}

/* nouveau's NvBios option (drm/nouveau/nvkm/subdev/bios/shadow.c,
 * nvbios_shadow): a value that is not a source name is loaded with
 * request_firmware, i.e. from the guest's firmware search path; an invalid
 * image makes it fall back to its own search. pre: "# " or "" (XML comment). */
static void print_nouveau(const vmc *v, const char *pre)
{
	const char *n = nvbios_name(v->rom);
	printf("%sLinux guest with nouveau (it can load the ROM itself instead of through _ROM):\n"
	       "%s  copy the ROM into the guest as /lib/firmware/%s (and into its initramfs if nouveau loads there),\n"
	       "%s  boot the guest with nouveau.config=NvBios=%s (or 'options nouveau config=NvBios=%s' in\n"
	       "%s  /etc/modprobe.d/). nouveau asks the kernel's firmware loader for a NvBios name that is not one of its\n"
	       "%s  own sources (OpenFirmware, PRAMIN, PROM, ACPI, PCIROM, PLATFORM); an invalid image: it searches those.\n",
	       pre, pre, n, pre, n, n, pre, pre);
}

/* One <qemu:arg value='PREFIXPATH'/>, PATH comma-escaped, all XML-escaped. */
static void xml_qarg(FILE *f, int o, const char *in, const char *prefix, const char *path)
{
	char q[8400];
	od_qemu_escape(path, q, sizeof(q));
	fprintf(f, "%.*s  <qemu:arg value='", o, in);
	od_put_xml(f, prefix);
	od_put_xml(f, q);
	fprintf(f, "'/>\n");
}

/* libvirt's <sysinfo type='fwcfg'> (libvirt 6.5+) hands QEMU the ROM file. */
static void print_fwcfg_sysinfo(FILE *f, const vmc *v, const char *in)
{
	char p[4200];
	snprintf(p, sizeof(p), "%s/%s", v->dir, OD_FWCFG_ROM);
	fprintf(f, "%s<sysinfo type='fwcfg'>\n%s  <entry name='%s' file='", in, in, OD_FWCFG_NAME);
	od_put_xml(f, p);
	fprintf(f, "'/>\n%s</sysinfo>\n", in);
}

/* The libvirt pieces: GPU hostdev with its ROM, GVT-g mdev, and the QEMU
 * overrides libvirt has no element for (sub-IDs, ACPI tables, the SMBIOS
 * chassis type: <sysinfo type='smbios'> has no chassis type entry). Values
 * go through XML escaping; QEMU arguments also get QEMU's comma escape. */
static void print_libvirt(FILE *f, const vmc *v, const char *in)
{
	fprintf(f, "%s<hostdev mode='subsystem' type='pci' managed='yes'>\n"
		"%s  <source><address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/></source>\n%s  <rom file='",
		in, in, v->h[0], v->h[1], v->h[2], v->h[3], in);
	od_put_xml(f, v->rom);
	fprintf(f, "'/>\n%s  <address type='pci' domain='0x0000' bus='0x%02x' slot='0x%02x' function='0x%x'%s/>\n"
		"%s</hostdev>\n", in, v->t.bus, v->t.dev, v->t.fn, v->nfn ? " multifunction='on'" : "", in);
	for (int i = 0; i < v->nfn; i++) /* after the GPU: it stays hostdev0 for the -set lines */
		fprintf(f, "%s<hostdev mode='subsystem' type='pci' managed='yes'>\n"
			"%s  <source><address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%c'/></source>\n"
			"%s  <address type='pci' domain='0x0000' bus='0x%02x' slot='0x%02x' function='0x%c'/>\n%s</hostdev>\n",
			in, in, v->h[0], v->h[1], v->h[2], v->fn[i].bdf[strlen(v->fn[i].bdf) - 1], in, v->t.bus, v->t.dev,
			v->fn[i].bdf[strlen(v->fn[i].bdf) - 1], in);
	if (v->uuid)
		fprintf(f, "%s<hostdev mode='subsystem' type='mdev' managed='no' model='vfio-pci' display='on'>\n"
			"%s  <source><address uuid='%s'/></source>\n%s</hostdev>\n", in, in, v->uuid, in);
	if (v->vf[0])
		fprintf(f, "%s<hostdev mode='subsystem' type='pci' managed='yes'>\n"
			"%s  <source><address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/></source>\n"
			"%s</hostdev>\n", in, in, v->vfh[0], v->vfh[1], v->vfh[2], v->vfh[3], in);
	if (v->lg_mib) /* libvirt creates /dev/shm/looking-glass for it, as the QEMU line names */
		fprintf(f, "%s<shmem name='looking-glass'>\n%s  <model type='ivshmem-plain'/>\n%s  <size unit='M'>%u</size>\n"
			"%s</shmem>\n", in, in, in, v->lg_mib, in);
	int o = *in ? 2 : 0;
	if (*in)
		fprintf(f, "  </devices>\n");
	fprintf(f, "%.*s<qemu:commandline>\n", o, in);
	if (v->ids) {
		fprintf(f, "%.*s  <qemu:arg value='-set'/>\n%.*s  <qemu:arg value='device.hostdev0.x-pci-sub-vendor-id=0x%04x'/>\n",
			o, in, o, in, v->ids[2]);
		fprintf(f, "%.*s  <qemu:arg value='-set'/>\n%.*s  <qemu:arg value='device.hostdev0.x-pci-sub-device-id=0x%04x'/>\n",
			o, in, o, in, v->ids[3]);
	}
	for (int t = 0; t < v->ntables; t++) {
		char p[4200];
		if (v->fw_cfg)
			snprintf(p, sizeof(p), "%s/vbios-fwcfg.aml", v->dir);
		else
			snprintf(p, sizeof(p), "%s/vbios-ssdt-%d.aml", v->dir, t);
		fprintf(f, "%.*s  <qemu:arg value='-acpitable'/>\n", o, in);
		xml_qarg(f, o, in, "file=", p);
	}
	if (v->has_chassis) {
		fprintf(f, "%.*s  <qemu:arg value='-smbios'/>\n", o, in);
		xml_qarg(f, o, in, "file=", v->chassis);
	}
	fprintf(f, "%.*s</qemu:commandline>\n", o, in);
}

/* A whole domain for 'virsh define': q35 + OVMF, the GPU behind a
 * pcie-root-port at the address the ACPI tables were written for (pc: on
 * the root bus). */
static int print_domain(const char *name, const vmc *v)
{
	printf("<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n  <name>");
	od_put_xml(stdout, name);
	printf("</name>\n  <memory unit='GiB'>8</memory>\n  <vcpu>4</vcpu>\n"
	       "  <os firmware='efi'>\n    <type arch='x86_64' machine='%s'>hvm</type>\n  </os>\n"
	       "  <features>\n    <acpi/>\n    <apic/>\n  </features>\n  <cpu mode='host-passthrough'/>\n",
	       v->t.q35 ? "q35" : "pc");
	if (v->fw_cfg && v->ntables)
		print_fwcfg_sysinfo(stdout, v, "  ");
	printf("  <devices>\n    <controller type='pci' index='0' model='%s'/>\n", v->t.q35 ? "pcie-root" : "pci-root");
	if (v->t.bus) /* hotplug='off': see print_qemu */
		printf("    <controller type='pci' index='%u' model='pcie-root-port'>\n      <target hotplug='off'/>\n"
		       "      <address type='pci' domain='0x0000' bus='0x00' slot='0x%02x' function='0x%x'/>\n"
		       "    </controller>\n", v->t.bus, v->t.rd, v->t.rf);
	print_libvirt(stdout, v, "    ");
	printf("  <!--\n");
	print_nouveau(v, "  ");
	printf("  -->\n</domain>\n");
	return OD_EXIT_OK;
}

/* One shell word per QEMU option value, so the block pastes into a shell. */
static void qarg(const char *opt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void qarg(const char *opt, const char *fmt, ...)
{
	char b[16384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	printf("%s ", opt);
	od_put_shell(stdout, b);
}

static void print_qemu(const vmc *v)
{
	char rom[8200], p[4200], q[8400];
	od_qemu_escape(v->rom, rom, sizeof(rom));
	printf("# QEMU (%s + OVMF; %s)\n", v->t.q35 ? "q35" : "pc",
	       v->t.bus ? "the GPU behind a pcie-root-port as in the ACPI path" : "the GPU on the root bus as in the ACPI path");
	qarg("-machine", "%s", v->t.q35 ? "q35" : "pc");
	printf(" ");
	qarg("-drive", "if=pflash,format=raw,readonly=on,file=%s", OVMF_CODE);
	printf(" \\\n");
	if (v->t.bus) {
		/* hotplug=off: Windows lists a device behind a hot-pluggable port as
		 * removable (under "Safely Remove Hardware", ejectable), and users
		 * report NVIDIA's driver treating such a dGPU unlike a laptop's own,
		 * whose port is not hot-pluggable. */
		qarg("-device", "pcie-root-port,id=rp1,bus=pcie.0,addr=%02x.%x,chassis=1,hotplug=off", v->t.rd, v->t.rf);
		printf(" \\\n");
	}
	char sub[80] = "";
	if (v->ids)
		snprintf(sub, sizeof(sub), ",x-pci-sub-vendor-id=0x%04x,x-pci-sub-device-id=0x%04x", v->ids[2], v->ids[3]);
	const char *bus = v->t.bus ? "rp1" : v->t.q35 ? "pcie.0" : "pci.0";
	qarg("-device", "vfio-pci,host=%s,romfile=%s%s,bus=%s,addr=%02x.%x%s", v->bdf, rom, sub, bus, v->t.dev, v->t.fn,
	     v->nfn ? ",multifunction=on" : "");
	for (int i = 0; i < v->nfn; i++) {
		printf(" \\\n");
		qarg("-device", "vfio-pci,host=%s,bus=%s,addr=%02x.%c", v->fn[i].bdf, bus, v->t.dev,
		     v->fn[i].bdf[strlen(v->fn[i].bdf) - 1]);
	}
	for (int t = 0; !v->fw_cfg && t < v->ntables; t++) { /* the tables 'ssdt' wrote, in order */
		snprintf(p, sizeof(p), "%s/vbios-ssdt-%d.aml", v->dir, t);
		od_qemu_escape(p, q, sizeof(q));
		printf(t ? " " : " \\\n");
		qarg("-acpitable", "file=%s", q);
	}
	if (v->fw_cfg && v->ntables) {
		snprintf(p, sizeof(p), "%s/%s", v->dir, OD_FWCFG_ROM);
		od_qemu_escape(p, q, sizeof(q));
		printf(" \\\n");
		qarg("-fw_cfg", "name=%s,file=%s", OD_FWCFG_NAME, q);
		snprintf(p, sizeof(p), "%s/vbios-fwcfg.aml", v->dir);
		od_qemu_escape(p, q, sizeof(q));
		printf(" ");
		qarg("-acpitable", "file=%s", q);
	}
	if (v->has_chassis) {
		od_qemu_escape(v->chassis, q, sizeof(q));
		printf(" \\\n");
		qarg("-smbios", "file=%s", q);
	}
	if (v->uuid) {
		od_qemu_escape(v->gvt, q, sizeof(q));
		printf(" \\\n");
		qarg("-device", "vfio-pci-nohotplug,sysfsdev=%s,display=on,ramfb=on,x-igd-opregion=on", q);
	}
	if (v->vf[0]) {
		printf(" \\\n");
		qarg("-device", "vfio-pci,host=%s", v->vf);
	}
	if (v->lg_mib) { /* Looking Glass's host side opens the same file */
		printf(" \\\n");
		qarg("-object", "memory-backend-file,id=looking-glass,mem-path=/dev/shm/looking-glass,size=%uM,share=on",
		     v->lg_mib);
		printf(" ");
		qarg("-device", "ivshmem-plain,memdev=looking-glass");
	}
	printf("\n\n");
	print_nouveau(v, "# ");
}

/* The paths, absolute, and the checks that they exist and can be read. */
static int vm_paths(vmc *v, const char *rom, const char *dir, const char *gvt, const char *sysroot, int readers)
{
	if (!od_abs_path(rom, v->rom, sizeof(v->rom)) || (dir && !od_abs_path(dir, v->dir, sizeof(v->dir))) ||
	    (gvt && !od_abs_path(gvt, v->gvt, sizeof(v->gvt)))) {
		fprintf(stderr, "optimus-db vm-config: a path is too long\n");
		return OD_EXIT_USAGE;
	}
	if (!od_check_for_vm(v->rom, "ROM", 'f', readers, true))
		return OD_EXIT_IO;
	if (dir) {
		/* QEMU reads file=a:b as two files concatenated: no escape exists. */
		if (strchr(v->dir, ':')) {
			fprintf(stderr, "optimus-db vm-config: ACPI folder %s has a ':', which QEMU's -acpitable file= "
					"splits at: use a folder without one\n", v->dir);
			return OD_EXIT_USAGE;
		}
		bool there = od_check_for_vm(v->dir, "ACPI folder", 'd', readers, false);
		if (v->fw_cfg) {
			char p[4200];
			snprintf(p, sizeof(p), "%s/vbios-fwcfg.aml", v->dir);
			v->ntables = our_table(p, "VBIOSFWC", NULL, NULL);
			snprintf(p, sizeof(p), "%s/%s", v->dir, OD_FWCFG_ROM);
			if (!v->ntables || !od_check_for_vm(p, "fw_cfg ROM", 'f', readers, true)) {
				fprintf(stderr, "optimus-db: warning: no vbios-fwcfg.aml + %s of ours in %s: run 'optimus-db ssdt ROM "
					"--acpi %s --fw-cfg' first (no -fw_cfg written)\n", OD_FWCFG_ROM, v->dir, v->dir);
				v->ntables = 0;
			}
		} else if (there && (v->ntables = count_tables(v->dir)) < 0) {
			return OD_EXIT_BADINPUT;
		}
		for (int t = 0; !v->fw_cfg && t < v->ntables; t++) {
			char p[4200];
			snprintf(p, sizeof(p), "%s/vbios-ssdt-%d.aml", v->dir, t);
			od_check_for_vm(p, "ACPI table", 'f', readers & ~OD_VM_LIBVIRT, false);
		}
	}
	if (gvt) {
		const char *slash = strrchr(v->gvt, '/');
		v->uuid = slash ? slash + 1 : v->gvt;
		if (!is_uuid(v->uuid)) {
			fprintf(stderr, "optimus-db vm-config: --gvt %s does not end in an mdev UUID "
					"(/sys/bus/mdev/devices/UUID)\n", gvt);
			return OD_EXIT_USAGE;
		}
		struct stat st;
		char in_root[8300];
		snprintf(in_root, sizeof(in_root), "%s%s", sysroot, v->gvt); /* --sysfs-root: the tree it names */
		if (stat(in_root, &st) != 0)
			fprintf(stderr, "optimus-db: warning: GVT-g mdev %s does not exist (yet): create it before the VM starts\n",
				v->gvt);
	}
	return OD_EXIT_OK;
}

/* Writes the Notebook type-3 structure to path; an existing file with the
 * same bytes is kept, any other existing file is refused. */
static int write_chassis(const char *path)
{
	uint8_t t3[64];
	size_t n = od_smbios_chassis(t3, sizeof(t3), OD_SMBIOS_NOTEBOOK);
	od_err e;
	od_err_clear(&e);
	od_file old;
	if (od_file_load(path, &old, &e) == OD_OK) {
		bool same = old.len == n && !memcmp(old.data, t3, n);
		od_file_free(&old);
		if (same)
			return OD_EXIT_OK;
		fprintf(stderr, "optimus-db: %s exists and is not our chassis structure; remove it or pick another --chassis\n", path);
		return OD_EXIT_IO;
	}
	od_err_clear(&e);
	if (od_file_write_new(path, t3, n, false, &e)) {
		od_print_err(path, &e);
		return od_exit_for(e.code);
	}
	fprintf(stderr, "optimus-db: wrote %s: SMBIOS type 3, chassis type Notebook (0x0A)\n", path);
	return OD_EXIT_OK;
}

/* The chassis file: --chassis FILE, else DIR/smbios-chassis.bin, none with
 * --no-chassis or without --acpi. Absolute, like every path written. */
static int vm_chassis(vmc *v, const char *chassis, bool no_chassis)
{
	if (no_chassis || (!chassis && !v->dir[0]))
		return OD_EXIT_OK;
	char p[4200];
	snprintf(p, sizeof(p), "%s/%s", v->dir, OD_CHASSIS_FILE);
	if (!od_abs_path(chassis ? chassis : p, v->chassis, sizeof(v->chassis))) {
		fprintf(stderr, "optimus-db vm-config: --chassis: path too long\n");
		return OD_EXIT_USAGE;
	}
	if (strchr(v->chassis, ':')) { /* -smbios file=a:b would be two files */
		fprintf(stderr, "optimus-db vm-config: chassis file %s has a ':', which QEMU's -smbios file= splits at\n",
			v->chassis);
		return OD_EXIT_USAGE;
	}
	int rc = write_chassis(v->chassis);
	v->has_chassis = !rc;
	return rc;
}

/* vm-config: QEMU arguments and libvirt XML for the passthrough. */
int od_cmd_vmconfig(int argc, char **argv)
{
	od_acpi_args a = { 0 };
	const char *host = NULL, *rom = NULL, *sub = NULL, *gvt = NULL, *root = od_sysfs_root(), *domain = NULL, *chassis = NULL;
	const char *igpu_vf = NULL, *lg = NULL;
	bool no_chassis = false;
	const od_opt opts[] = {
		{ "--host", NULL, OD_OPT_STR, &host, NULL, "BDF", "the GPU's host PCI address" },
		{ "--rom", NULL, OD_OPT_STR, &rom, NULL, "FILE", "the ROM file QEMU gives the guest (must exist; all paths are written absolute and normalised)" },
		{ "--sub", NULL, OD_OPT_STR, &sub, NULL, "VEN:DEV", "subsystem IDs for the guest (default: the host's)" },
		{ "--gvt", NULL, OD_OPT_STR, &gvt, NULL, "MDEV-SYSFS-PATH", "the GVT-g mdev giving the guest a display (/sys/bus/mdev/devices/UUID)" },
		{ "--sysfs-root", NULL, OD_OPT_STR, &root, NULL, "DIR", "read sysfs under DIR instead of /" },
		{ "--libvirt-domain", NULL, OD_OPT_STR, &domain, NULL, "NAME", "print a whole domain XML for 'virsh define' instead" },
		{ "--chassis", NULL, OD_OPT_STR, &chassis, NULL, "FILE", "write the SMBIOS type-3 Notebook structure to FILE (default DIR/" OD_CHASSIS_FILE ")" },
		{ "--no-chassis", NULL, OD_OPT_FLAG, &no_chassis, NULL, NULL, "no SMBIOS chassis file" },
		{ "--igpu-vf", NULL, OD_OPT_STR, &igpu_vf, NULL, "BDF", "pass this SR-IOV virtual function of the Intel iGPU (11th gen on) as the guest's display" },
		{ "--looking-glass", NULL, OD_OPT_STR, &lg, NULL, "WxH", "add Looking Glass's ivshmem device and shared memory, sized for a WxH guest display" },
		OD_OPT_END,
	};
	/* vm-config reads the tables; what shapes them is ssdt's (and export's) to take. */
	static const char *const table_only[] = { "--asl", "--no-battery", "--windows", NULL };
	const od_cmdline cl = { "vm-config", "", opts, NULL, 0, 0 };
	int nops, prc;
	if (!od_acpi_parse(cl, &a, table_only, argc, argv, &nops, &prc))
		return prc;
	if (!host || !rom) {
		fprintf(stderr, "optimus-db vm-config: --host BDF and --rom FILE are required\n");
		return OD_EXIT_USAGE;
	}
	vmc v = { .ntables = 0 };
	od_err e;
	od_err_clear(&e);
	if (!parse_bdf(host, v.bdf, v.h)) {
		fprintf(stderr, "optimus-db vm-config: --host '%s' is not a PCI address DDDD:BB:DD.F (e.g. 0000:01:00.0)\n", host);
		return OD_EXIT_USAGE;
	}
	/* The same placement ssdt wrote the tables for: given, or from the domain. */
	od_libvirt_gpu_addr lv;
	if (a.acpi_path)
		return od_usage_error("vm-config", "--acpi-path names a node, not a placement: give --guest-addr/--root-port "
				      "or --libvirt-xml (the ones ssdt used)");
	int lrc = a.libvirt_xml ? topology_from_xml(a.libvirt_xml, &a, &lv) : OD_EXIT_OK;
	if (lrc)
		return lrc;
	if (od_guest_topology(a.guest, a.guest_addr, a.root_port, &v.t, &e)) {
		e.has_off = false;
		od_print_err(NULL, &e);
		return OD_EXIT_USAGE;
	}
	uint16_t ids[4] = { 0 };
	if (sub && !od_parse_ids(sub, &ids[2], &ids[3])) {
		fprintf(stderr, "optimus-db vm-config: --sub '%s' is not SUBVENDOR:SUBDEVICE (hex)\n", sub);
		return OD_EXIT_USAGE;
	}
	if (sub || od_host_ids(root, v.bdf, ids))
		v.ids = ids;
	if (a.fw_cfg && !a.dir)
		return od_usage_error("vm-config", "--fw-cfg needs --acpi DIR (where 'ssdt --fw-cfg' wrote its table)");
	v.fw_cfg = a.fw_cfg;
	if (lg && !(v.lg_mib = lg_size_mib(lg)))
		return od_usage_error("vm-config", "--looking-glass takes the guest display's WIDTHxHEIGHT in pixels, each 1 "
				      "to 16384 (e.g. 1920x1080), not '%s'", lg);
	int rc = vm_igpu_vf(&v, igpu_vf, gvt, root);
	if (rc)
		return rc;
	vm_functions(&v, root);
	rc = vm_paths(&v, rom, a.dir, gvt, root, domain ? OD_VM_LIBVIRT : OD_VM_QEMU | OD_VM_LIBVIRT);
	if (!rc)
		rc = vm_chassis(&v, chassis, no_chassis);
	if (rc)
		return rc;
	if (!domain) /* the QEMU line names it; Debian's ovmf ships it */
		od_check_for_vm(OVMF_CODE, "OVMF firmware (Debian package ovmf)", 'f', OD_VM_QEMU, false);
	if (domain)
		return print_domain(domain, &v);
	print_qemu(&v);
	printf("\n<!-- libvirt: inside <domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'> -->\n");
	if (v.t.bus)
		printf("<!-- and in the GPU's pcie-root-port (controller index %u): <target hotplug='off'/> -->\n", v.t.bus);
	if (v.fw_cfg && v.ntables)
		print_fwcfg_sysinfo(stdout, &v, "");
	print_libvirt(stdout, &v, "");
	return OD_EXIT_OK;
}
