/* optimus-db ssdt ROMFILE --acpi DIR [topology options] and the shared
 * "--acpi" writer used by export; optimus-db vm-config. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acpiout.h"
#include "catcli.h"
#include "fwcfg.h"
#include "libvirt.h"
#include "nvidia.h"
#include "smbios.h"
#include "ssdt.h"

void od_acpi_options(od_acpi_args *a, od_opt out[OD_ACPI_NOPTS])
{
	const od_opt t[OD_ACPI_NOPTS] = {
		{ "--acpi", NULL, OD_OPT_STR, &a->dir, NULL, "DIR", "folder of the guest ACPI tables vbios-ssdt-N.aml (ssdt/export write them, vm-config reads them)" },
		{ "--guest", NULL, OD_OPT_STR, &a->guest, NULL, "q35|pc", "guest machine type (default q35)" },
		{ "--guest-addr", NULL, OD_OPT_STR, &a->guest_addr, NULL, "[BB:]DD.F", "the GPU's guest PCI address (default 01:00.0)" },
		{ "--root-port", NULL, OD_OPT_STR, &a->root_port, NULL, "00:DD.F", "the pcie-root-port in front of it (default 00:1c.0)" },
		{ "--acpi-path", NULL, OD_OPT_STR, &a->acpi_path, NULL, "PATH", "the GPU's ACPI path, given directly" },
		{ "--libvirt-xml", NULL, OD_OPT_STR, &a->libvirt_xml, NULL, "DOMAIN.xml", "the topology from a libvirt domain" },
		{ "--asl", NULL, OD_OPT_FLAG, &a->asl, NULL, NULL, "also write the ASL source (.dsl)" },
		{ "--no-battery", NULL, OD_OPT_FLAG, &a->no_battery, NULL, NULL, "leave out the battery and AC adapter (default: in)" },
		{ "--windows", NULL, OD_OPT_FLAG, &a->windows, NULL, NULL, "old name: the battery is now in by default" },
		{ "--fw-cfg", NULL, OD_OPT_FLAG, &a->fw_cfg, NULL, NULL, "one table whose _ROM reads the ROM from fw_cfg" },
		OD_OPT_END,
	};
	memcpy(out, t, sizeof(t));
}

static int write_one(const char *dir, const char *name, const void *p, size_t n, bool force, od_err *e)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return od_file_write_new(path, p, n, force, e);
}

int od_write_acpi(const uint8_t *rom, size_t len, const od_acpi_args *a, bool force)
{
	od_acpi_opts o = { .battery = !a->no_battery };
	char why[256] = "given with --acpi-path";
	od_err e;
	od_err_clear(&e);
	od_libvirt_gpu_addr lv;
	od_acpi_args from = *a;
	if (a->libvirt_xml && !a->acpi_path) {
		/* The topology comes from the domain the GPU will be passed to. */
		od_file x;
		if (od_file_load(a->libvirt_xml, &x, &e) || od_libvirt_gpu(od_span_make(x.data, x.len, 0), &lv, &e)) {
			od_print_err(a->libvirt_xml, &e);
			od_file_free(&x);
			return od_exit_for(e.code);
		}
		od_file_free(&x);
		from.guest = lv.guest;
		from.guest_addr = lv.addr;
		from.root_port = lv.root_port[0] ? lv.root_port : NULL;
	}
	if (a->acpi_path) {
		snprintf(o.path, sizeof(o.path), "%s", a->acpi_path);
	} else if (od_acpi_path_for(from.guest, from.guest_addr, from.root_port, o.path, sizeof(o.path), why, sizeof(why), &e)) {
		od_print_err(NULL, &e);
		return OD_EXIT_USAGE;
	}
	od_ssdt *t = NULL;
	size_t n = 0;
	int rc = a->fw_cfg ? od_fwcfg_build(&o, a->asl, &t, &n, &e) : od_ssdt_build(rom, len, &o, a->asl, &t, &n, &e);
	if (!rc && mkdir(a->dir, 0755) != 0 && errno != EEXIST)
		rc = od_fail(&e, OD_E_IO, 0, "cannot create %s: %s", a->dir, strerror(errno));
	/* Check every name first so a refusal to overwrite leaves nothing half-written. */
	for (size_t i = 0; !rc && i < n; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", a->dir, t[i].name);
		rc = od_output_check(path, force, &e);
	}
	if (!rc && a->fw_cfg) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", a->dir, OD_FWCFG_ROM);
		rc = od_output_check(path, force, &e);
	}
	/* fw_cfg mode: the file QEMU hands the guest is exactly the ROM chain. */
	if (!rc && a->fw_cfg)
		rc = write_one(a->dir, OD_FWCFG_ROM, rom, len, force, &e);
	for (size_t i = 0; !rc && i < n; i++) {
		rc = write_one(a->dir, t[i].name, t[i].aml, t[i].len, force, &e);
		if (!rc && t[i].asl) {
			char dsl[40];
			snprintf(dsl, sizeof(dsl), "%.*s.dsl", (int)(strlen(t[i].name) - 4), t[i].name);
			rc = write_one(a->dir, dsl, t[i].asl, strlen(t[i].asl), force, &e);
		}
	}
	if (rc) {
		e.has_off = false;
		od_print_err(NULL, &e);
		od_ssdt_free(t, n);
		return od_exit_for(rc);
	}
	if (strpbrk(a->dir, ":,"))
		fprintf(stderr, "optimus-db: warning: QEMU splits -acpitable file= at ':' and ',': use a folder without them\n");
	printf("ACPI path %s (%s%s%s)\n", o.path, why, a->libvirt_xml && !a->acpi_path ? "; read from " : "",
	       a->libvirt_xml && !a->acpi_path ? a->libvirt_xml : "");
	if (a->fw_cfg) {
		printf("wrote %s (%zu bytes) and %s (%zu bytes) to %s; _ROM reads the fw_cfg file %s\n", t[0].name,
		       t[0].len, OD_FWCFG_ROM, len, a->dir, OD_FWCFG_NAME);
		printf("QEMU: -fw_cfg name=%s,file=%s/%s -acpitable file=%s/%s\n", OD_FWCFG_NAME, a->dir, OD_FWCFG_ROM,
		       a->dir, t[0].name);
		od_ssdt_free(t, n);
		return OD_EXIT_OK;
	}
	printf("wrote %zu tables to %s (largest %zu bytes; QEMU's limit is 65,535 per table)\n", n, a->dir, t[n - 1].len > t[0].len ? t[n - 1].len : t[0].len);
	printf("QEMU:");
	for (size_t i = 0; i < n; i++)
		printf(" -acpitable file=%s/%s", a->dir, t[i].name);
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
	od_opt acpi_opts[OD_ACPI_NOPTS];
	od_acpi_options(&a, acpi_opts);
	const od_cmdline cl = { "ssdt", "ROMFILE", opts, acpi_opts, 1, 1 };
	int nops, prc;
	if (!od_args_parse(&cl, argc, argv, &nops, &prc))
		return prc;
	rom_path = argv[1];
	if (!a.dir) {
		fprintf(stderr, "usage: optimus-db ssdt ROMFILE --acpi DIR [--asl] [--no-battery] [--fw-cfg] [--force]\n"
				"         [--guest q35|pc] [--guest-addr [BB:]DD.F] [--root-port 00:DD.F] [--acpi-path PATH]\n"
				"         [--libvirt-xml DOMAIN.xml]   (the topology from a libvirt domain)\n"
				"  defaults: q35, GPU at 01:00.0 behind the pcie-root-port at 00:1c.0 (\\_SB.PCI0.SE0.S00)\n");
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

/* What vm-config adds beyond the GPU: fw_cfg mode and the notebook chassis. */
typedef struct vm_extras {
	bool fw_cfg;         /* one table vbios-fwcfg.aml, the ROM as a fw_cfg file */
	const char *chassis; /* SMBIOS type-3 file, or NULL */
} vm_extras;

/* libvirt's <sysinfo type='fwcfg'> (libvirt 6.5+) hands QEMU the ROM file. */
static void print_fwcfg_sysinfo(FILE *f, const char *dir, const char *in)
{
	fprintf(f, "%s<sysinfo type='fwcfg'>\n%s  <entry name='%s' file='%s/%s'/>\n%s</sysinfo>\n", in, in, OD_FWCFG_NAME,
		dir, OD_FWCFG_ROM, in);
}

/* The libvirt pieces: GPU hostdev with its ROM, GVT-g mdev, and the QEMU
 * overrides libvirt has no element for (sub-IDs, ACPI tables, the SMBIOS
 * chassis type: <sysinfo type='smbios'> has no chassis type entry). */
static void print_libvirt(FILE *f, const char *host, const char *rom, const char *gvt, unsigned bus, unsigned dev,
			  unsigned fn, const uint16_t *ids, const char *dir, int ntables, const char *in, const vm_extras *x)
{
	unsigned hd = 0, hb = 0, hs = 0, hf = 0;
	sscanf(host, "%x:%x:%x.%x", &hd, &hb, &hs, &hf);
	fprintf(f, "%s<hostdev mode='subsystem' type='pci' managed='yes'>\n"
		"%s  <source><address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/></source>\n"
		"%s  <rom file='%s'/>\n"
		"%s  <address type='pci' domain='0x0000' bus='0x%02x' slot='0x%02x' function='0x%x'/>\n"
		"%s</hostdev>\n", in, in, hd, hb, hs, hf, in, rom, in, bus, dev, fn, in);
	if (gvt)
		fprintf(f, "%s<hostdev mode='subsystem' type='mdev' managed='no' model='vfio-pci' display='on'>\n"
			"%s  <source><address uuid='%s'/></source>\n%s</hostdev>\n", in, in,
			strrchr(gvt, '/') ? strrchr(gvt, '/') + 1 : gvt, in);
	if (*in)
		fprintf(f, "  </devices>\n");
	fprintf(f, "%.*s<qemu:commandline>\n", *in ? 2 : 0, in);
	if (ids) {
		fprintf(f, "%.*s  <qemu:arg value='-set'/>\n%.*s  <qemu:arg value='device.hostdev0.x-pci-sub-vendor-id=0x%04x'/>\n",
			*in ? 2 : 0, in, *in ? 2 : 0, in, ids[2]);
		fprintf(f, "%.*s  <qemu:arg value='-set'/>\n%.*s  <qemu:arg value='device.hostdev0.x-pci-sub-device-id=0x%04x'/>\n",
			*in ? 2 : 0, in, *in ? 2 : 0, in, ids[3]);
	}
	for (int t = 0; !x->fw_cfg && t < ntables; t++)
		fprintf(f, "%.*s  <qemu:arg value='-acpitable'/>\n%.*s  <qemu:arg value='file=%s/vbios-ssdt-%d.aml'/>\n",
			*in ? 2 : 0, in, *in ? 2 : 0, in, dir, t);
	if (x->fw_cfg && ntables)
		fprintf(f, "%.*s  <qemu:arg value='-acpitable'/>\n%.*s  <qemu:arg value='file=%s/vbios-fwcfg.aml'/>\n",
			*in ? 2 : 0, in, *in ? 2 : 0, in, dir);
	if (x->chassis)
		fprintf(f, "%.*s  <qemu:arg value='-smbios'/>\n%.*s  <qemu:arg value='file=%s'/>\n", *in ? 2 : 0, in,
			*in ? 2 : 0, in, x->chassis);
	fprintf(f, "%.*s</qemu:commandline>\n", *in ? 2 : 0, in);
}

/* A whole domain for 'virsh define': q35 + OVMF, the GPU behind a
 * pcie-root-port at the address the ACPI tables were written for. */
static int print_domain(const char *name, const char *host, const char *rom, const char *gvt, unsigned bus,
			unsigned dev, unsigned fn, unsigned rd, unsigned rf, const uint16_t *ids, const char *dir, int ntables,
			const vm_extras *x)
{
	const char *vals[4] = { name, rom, dir ? dir : "", x->chassis ? x->chassis : "" };
	for (int v = 0; v < 4; v++)
		if (strpbrk(vals[v], "<>&'\"")) {
			fprintf(stderr, "optimus-db: '%s' has XML special characters; rename it\n", vals[v]);
			return OD_EXIT_USAGE;
		}
	printf("<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n"
	       "  <name>%s</name>\n  <memory unit='GiB'>8</memory>\n  <vcpu>4</vcpu>\n"
	       "  <os firmware='efi'>\n    <type arch='x86_64' machine='q35'>hvm</type>\n  </os>\n"
	       "  <features>\n    <acpi/>\n    <apic/>\n  </features>\n  <cpu mode='host-passthrough'/>\n", name);
	if (x->fw_cfg && dir)
		print_fwcfg_sysinfo(stdout, dir, "  ");
	printf("  <devices>\n    <controller type='pci' index='0' model='pcie-root'/>\n");
	if (bus)
		printf("    <controller type='pci' index='%u' model='pcie-root-port'>\n"
		       "      <address type='pci' domain='0x0000' bus='0x00' slot='0x%02x' function='0x%x'/>\n"
		       "    </controller>\n", bus, rd, rf);
	print_libvirt(stdout, host, rom, gvt, bus, dev, fn, ids, dir, ntables, "    ", x);
	printf("</domain>\n");
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
	return OD_EXIT_OK;
}

/* vm-config: QEMU arguments and libvirt XML for the passthrough. */
int od_cmd_vmconfig(int argc, char **argv)
{
	od_acpi_args a = { 0 };
	const char *host = NULL, *rom = NULL, *sub = NULL, *gvt = NULL, *root = "", *domain = NULL, *chassis = NULL;
	bool no_chassis = false;
	const od_opt opts[] = {
		{ "--host", NULL, OD_OPT_STR, &host, NULL, "BDF", "the GPU's host PCI address" },
		{ "--rom", NULL, OD_OPT_STR, &rom, NULL, "FILE", "the ROM file QEMU gives the guest" },
		{ "--sub", NULL, OD_OPT_STR, &sub, NULL, "VEN:DEV", "subsystem IDs for the guest (default: the host's)" },
		{ "--gvt", NULL, OD_OPT_STR, &gvt, NULL, "MDEV-SYSFS-PATH", "the GVT-g mdev giving the guest a display" },
		{ "--sysfs-root", NULL, OD_OPT_STR, &root, NULL, "DIR", "read sysfs under DIR instead of /" },
		{ "--libvirt-domain", NULL, OD_OPT_STR, &domain, NULL, "NAME", "print a whole domain XML for 'virsh define' instead" },
		{ "--chassis", NULL, OD_OPT_STR, &chassis, NULL, "FILE", "write the SMBIOS type-3 Notebook structure to FILE (default DIR/" OD_CHASSIS_FILE ")" },
		{ "--no-chassis", NULL, OD_OPT_FLAG, &no_chassis, NULL, NULL, "no SMBIOS chassis file" },
		OD_OPT_END,
	};
	od_opt acpi_opts[OD_ACPI_NOPTS];
	od_acpi_options(&a, acpi_opts);
	const od_cmdline cl = { "vm-config", "", opts, acpi_opts, 0, 0 };
	int nops, prc;
	if (!od_args_parse(&cl, argc, argv, &nops, &prc))
		return prc;
	if (!host || !rom) {
		fprintf(stderr, "optimus-db vm-config: --host BDF and --rom FILE are required\n");
		return OD_EXIT_USAGE;
	}
	uint16_t ids[4] = { 0 };
	bool have_sub = sub && od_parse_ids(sub, &ids[2], &ids[3]);
	if (!have_sub && od_host_ids(root, host, ids))
		have_sub = true;
	unsigned bus = 1, dev = 0, fn = 0, rd = 0x1c, rf = 0;
	int ntables = 0;
	if (a.guest_addr && sscanf(a.guest_addr, "%x:%x.%x", &bus, &dev, &fn) != 3)
		sscanf(a.guest_addr, "%x.%x", &dev, &fn), bus = 0;
	if (a.root_port)
		sscanf(a.root_port, "%*x:%x.%x", &rd, &rf);
	for (int t = 0; a.dir && !a.fw_cfg && t < 128; t++, ntables++) {
		char p[4096];
		snprintf(p, sizeof(p), "%s/vbios-ssdt-%d.aml", a.dir, t);
		if (access(p, R_OK) != 0)
			break;
	}
	if (a.fw_cfg) {
		char p[4096];
		if (!a.dir) {
			fprintf(stderr, "optimus-db vm-config: --fw-cfg needs --acpi DIR (where 'ssdt --fw-cfg' wrote its table)\n");
			return OD_EXIT_USAGE;
		}
		snprintf(p, sizeof(p), "%s/vbios-fwcfg.aml", a.dir);
		ntables = access(p, R_OK) == 0;
	}
	char chassis_buf[4096];
	if (!chassis && !no_chassis && a.dir) {
		snprintf(chassis_buf, sizeof(chassis_buf), "%s/%s", a.dir, OD_CHASSIS_FILE);
		chassis = chassis_buf;
	}
	if (no_chassis)
		chassis = NULL;
	if (chassis) {
		int rc = write_chassis(chassis);
		if (rc)
			return rc;
		fprintf(stderr, "optimus-db: wrote %s: SMBIOS type 3, chassis type Notebook (0x0A)\n", chassis);
	}
	vm_extras x = { .fw_cfg = a.fw_cfg, .chassis = chassis };
	if (domain)
		return print_domain(domain, host, rom, gvt, bus, dev, fn, rd, rf, have_sub ? ids : NULL, a.dir, ntables, &x);
	printf("# QEMU (q35 + OVMF; the GPU behind a pcie-root-port as in the ACPI path)\n");
	printf("-machine q35 -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \\\n");
	if (bus)
		printf("-device pcie-root-port,id=rp1,bus=pcie.0,addr=%02x.%x,chassis=1 \\\n", rd, rf);
	printf("-device vfio-pci,host=%s,romfile=%s", host, rom);
	if (have_sub)
		printf(",x-pci-sub-vendor-id=0x%04x,x-pci-sub-device-id=0x%04x", ids[2], ids[3]);
	printf(",bus=%s,addr=%02x.%x \\\n", bus ? "rp1" : "pcie.0", dev, fn);
	for (int t = 0; !a.fw_cfg && t < ntables; t++) /* the tables 'ssdt' wrote, in order */
		printf("%s-acpitable file=%s/vbios-ssdt-%d.aml", t ? " " : "", a.dir, t);
	if (a.fw_cfg && ntables)
		printf("-fw_cfg name=%s,file=%s/%s -acpitable file=%s/vbios-fwcfg.aml", OD_FWCFG_NAME, a.dir, OD_FWCFG_ROM, a.dir);
	if (a.dir && !ntables)
		printf("# no %s in %s yet: run 'optimus-db ssdt ROM --acpi %s%s' first", a.fw_cfg ? "vbios-fwcfg.aml" : "vbios-ssdt-*.aml",
		       a.dir, a.dir, a.fw_cfg ? " --fw-cfg" : "");
	if (a.dir)
		printf(" \\\n");
	if (chassis)
		printf("-smbios file=%s \\\n", chassis);
	if (gvt)
		printf("-device vfio-pci,sysfsdev=%s,display=on,ramfb=on,x-igd-opregion=on,driver=vfio-pci-nohotplug\n", gvt);
	printf("\n<!-- libvirt: inside <domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'> -->\n");
	if (a.fw_cfg)
		print_fwcfg_sysinfo(stdout, a.dir, "");
	print_libvirt(stdout, host, rom, gvt, bus, dev, fn, have_sub ? ids : NULL, a.dir, ntables, "", &x);
	return OD_EXIT_OK;
}
