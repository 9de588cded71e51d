/* SPDX-License-Identifier: BSD-2-Clause */
/* Host inspection through sysfs and VBIOS dumps (Linux sysfs ABI:
 * Documentation/ABI/testing/sysfs-bus-pci for rom/iommu_group/firmware_node,
 * nouveau debugfs vbios.rom, the acpi_call module's /proc/acpi/call). */
#include "host.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "amlscan.h"
#include "fileio.h"
#include "optionrom.h"

#define DUMP_MAX (4u << 20)

/* The first line of a sysfs attribute (regular files only: a FIFO planted
 * in a --sysfs-root tree must not hang the command). */
static bool read_text(const char *path, char *buf, size_t n)
{
	if (n == 0)
		return false;
	long k = od_input_read(path, buf, n - 1);
	if (k <= 0)
		return false;
	buf[k] = 0;
	buf[strcspn(buf, "\r\n")] = 0;
	return true;
}

static bool read_hex(const char *dir, const char *attr, uint32_t *v)
{
	char p[512], b[64];
	snprintf(p, sizeof(p), "%s/%s", dir, attr);
	if (!read_text(p, b, sizeof(b)))
		return false;
	*v = (uint32_t)strtoul(b, NULL, 16);
	return true;
}

static void link_base(const char *dir, const char *attr, char *out, size_t n)
{
	char p[512], t[512];
	snprintf(p, sizeof(p), "%s/%s", dir, attr);
	ssize_t k = readlink(p, t, sizeof(t) - 1);
	out[0] = 0;
	if (k > 0) {
		t[k] = 0;
		const char *b = strrchr(t, '/');
		snprintf(out, n, "%.*s", (int)(n > 0 ? n - 1 : 0), b ? b + 1 : t);
	}
}

static void read_dev(const char *root, const char *bdf, od_host_dev *d)
{
	char dir[600];
	uint32_t v = 0;
	memset(d, 0, sizeof(*d));
	snprintf(d->bdf, sizeof(d->bdf), "%s", bdf);
	snprintf(dir, sizeof(dir), "%s/sys/bus/pci/devices/%s", root, bdf);
	if (read_hex(dir, "vendor", &v))
		d->vendor = (uint16_t)v;
	if (read_hex(dir, "device", &v))
		d->device = (uint16_t)v;
	if (read_hex(dir, "subsystem_vendor", &v))
		d->sub_vendor = (uint16_t)v;
	if (read_hex(dir, "subsystem_device", &v))
		d->sub_device = (uint16_t)v;
	read_hex(dir, "class", &d->class_code);
	link_base(dir, "driver", d->driver, sizeof(d->driver));
}

bool od_host_dev_read(const char *root, const char *bdf, od_host_dev *d)
{
	char dir[600];
	uint32_t cls;
	snprintf(dir, sizeof(dir), "%s/sys/bus/pci/devices/%s", root, bdf);
	if (strlen(bdf) >= sizeof(d->bdf) || !read_hex(dir, "class", &cls))
		return false;
	read_dev(root, bdf, d);
	return true;
}

int od_host_slot_functions(const char *root, const char *bdf, od_host_dev out[7])
{
	size_t len = strlen(bdf);
	int n = 0;
	if (len < 2 || len >= 16 || bdf[len - 2] != '.')
		return 0;
	for (char fn = '0'; fn <= '7' && n < 7; fn++) {
		char other[16];
		snprintf(other, sizeof(other), "%.*s%c", (int)len - 1, bdf, fn);
		if (fn != bdf[len - 1] && od_host_dev_read(root, other, &out[n]))
			n++;
	}
	return n;
}

/* Same bus and device: another function of the GPU (HDMI audio, USB-C). */
static bool same_slot(const char *a, const char *b)
{
	const char *da = strrchr(a, '.'), *db = strrchr(b, '.');
	return da && db && da - a == db - b && !strncmp(a, b, (size_t)(da - a));
}

static void read_group(const char *root, od_host_gpu *g)
{
	char dir[512], grp[32];
	snprintf(dir, sizeof(dir), "%s/sys/bus/pci/devices/%s", root, g->dev.bdf);
	link_base(dir, "iommu_group", grp, sizeof(grp));
	g->iommu_group = grp[0] ? atoi(grp) : -1;
	g->group_clean = g->iommu_group >= 0;
	if (g->iommu_group < 0)
		return;
	snprintf(dir, sizeof(dir), "%s/sys/kernel/iommu_groups/%d/devices", root, g->iommu_group);
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.' && g->ngroup < OD_HOST_MAX_GROUP) {
			od_host_dev *m = &g->group[g->ngroup++];
			read_dev(root, ents[i]->d_name, m);
			bool bridge = (m->class_code >> 8) == 0x0604;
			if (!bridge && !same_slot(m->bdf, g->dev.bdf))
				g->group_clean = false;
		}
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
}

/* "\_SB_.PCI0.PEG0.PEGP" and "\_SB.PCI0.PEG0.PEGP" are the same path. */
static void norm_path(const char *in, char *out, size_t n)
{
	size_t k = 0;
	for (const char *p = in; *p && k + 1 < n; p++) {
		if (*p == '_' && (p[1] == '.' || p[1] == 0) && p > in && p[-1] != '.' && p[-1] != '\\')
			continue; /* trailing pad of a segment */
		out[k++] = *p;
	}
	out[k] = 0;
}

static void host_rom(const char *root, od_host_gpu *g)
{
	char dir[512], want[160];
	snprintf(dir, sizeof(dir), "%s/sys/firmware/acpi/tables", root);
	norm_path(g->acpi_path, want, sizeof(want));
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, "DSDT", 4) && strncmp(de->d_name, "SSDT", 4))
			continue;
		char p[1024];
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		static uint8_t buf[4u << 20];
		long nread = od_input_read(p, buf, sizeof(buf));
		if (nread < 0)
			continue;
		size_t n = (size_t)nread;
		od_aml_scan s;
		od_err e;
		if (od_aml_scan_table(od_span_make(buf, n, 0), &s, &e))
			continue;
		for (unsigned i = 0; i < s.nroms; i++) {
			char got[160];
			norm_path(s.roms[i].path, got, sizeof(got));
			if (strcmp(got, want) != 0)
				continue;
			const od_aml_rom *r = &s.roms[i];
			g->host_rom = true;
			if (r->region_fixed)
				snprintf(g->rom_source, sizeof(g->rom_source), "%.40s: SystemMemory %s at 0x%llx, 0x%llx bytes",
					 de->d_name, r->region, (unsigned long long)r->region_addr, (unsigned long long)r->region_len);
			else if (r->region[0])
				snprintf(g->rom_source, sizeof(g->rom_source),
					 "%.40s: SystemMemory %s at the address in %s (set at run time: cannot be determined statically)",
					 de->d_name, r->region, r->region_base[0] ? r->region_base : "a computed value");
			else
				snprintf(g->rom_source, sizeof(g->rom_source), "%.40s: source cannot be determined statically",
					 de->d_name);
		}
	}
	if (d)
		closedir(d);
}

static void gvt_types(const char *root, od_host_gpu *g)
{
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/sys/bus/pci/devices/%s/mdev_supported_types", root, g->dev.bdf);
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);
	size_t k = 0;
	for (int i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			char p[1024], b[32] = "?";
			snprintf(p, sizeof(p), "%s/%s/available_instances", dir, ents[i]->d_name);
			read_text(p, b, sizeof(b));
			g->gvt = true;
			if (k < sizeof(g->gvt_types))
				k += (size_t)snprintf(g->gvt_types + k, sizeof(g->gvt_types) - k, "%s%s (%s free)", k ? ", " : "",
						      ents[i]->d_name, b);
		}
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
}

/* SR-IOV virtual functions (Linux sysfs ABI, sysfs-bus-pci: sriov_totalvfs,
 * sriov_numvfs): the iGPU's display for a guest from 11th gen Intel on, where
 * GVT-g ended. */
static void sriov(const char *root, od_host_gpu *g)
{
	static const char *const f[2] = { "sriov_totalvfs", "sriov_numvfs" };
	int *dst[2] = { &g->sriov_total, &g->sriov_num };
	for (int i = 0; i < 2; i++) {
		char p[512], b[32] = "";
		snprintf(p, sizeof(p), "%s/sys/bus/pci/devices/%s/%s", root, g->dev.bdf, f[i]);
		read_text(p, b, sizeof(b));
		char *end;
		long v = strtol(b, &end, 10);
		*dst[i] = b[0] && end != b && v >= 0 && v < 65536 ? (int)v : -1;
	}
}

int od_host_scan(const char *root, od_host *h, od_err *e)
{
	memset(h, 0, sizeof(*h));
	char dir[512], p[800];
	snprintf(dir, sizeof(dir), "%s/sys/kernel/iommu_groups", root);
	DIR *groups = opendir(dir);
	if (groups) {
		struct dirent *de;
		while ((de = readdir(groups)))
			h->iommu_on |= de->d_name[0] != '.';
		closedir(groups);
	}
	const char *dmi[3] = { "sys_vendor", "product_name", "bios_version" };
	char *dst[3] = { h->dmi_vendor, h->dmi_product, h->dmi_bios };
	size_t dn[3] = { sizeof(h->dmi_vendor), sizeof(h->dmi_product), sizeof(h->dmi_bios) };
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/sys/class/dmi/id/%s", root, dmi[i]);
		read_text(p, dst[i], dn[i]);
	}
	snprintf(dir, sizeof(dir), "%s/sys/bus/pci/devices", root);
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0) {
		od_fail_nooff(e, OD_E_IO, "cannot read %s", dir);
		return OD_E_IO;
	}
	for (int i = 0; i < n; i++) {
		od_host_dev d;
		if (ents[i]->d_name[0] != '.') {
			read_dev(root, ents[i]->d_name, &d);
			if ((d.class_code >> 16) == 0x03 && h->ngpus < OD_HOST_MAX_GPUS) {
				od_host_gpu *g = &h->gpus[h->ngpus++];
				g->dev = d;
				read_group(root, g);
				snprintf(p, sizeof(p), "%s/%s/firmware_node/path", dir, d.bdf);
				read_text(p, g->acpi_path, sizeof(g->acpi_path));
				if (g->acpi_path[0])
					host_rom(root, g);
				gvt_types(root, g);
				sriov(root, g);
			}
		}
		free(ents[i]);
	}
	free(ents);
	return OD_OK;
}

/* --- dumps --- */

static uint8_t *slurp(const char *path, size_t *n)
{
	struct stat st;
	int fd = od_input_open(path, &st, NULL);
	if (fd < 0)
		return NULL;
	uint8_t *buf = malloc(DUMP_MAX);
	size_t got = 0;
	ssize_t r;
	while (buf && got < DUMP_MAX && (r = read(fd, buf + got, DUMP_MAX - got)) > 0)
		got += (size_t)r;
	close(fd);
	*n = got;
	if (buf && got == 0) {
		free(buf);
		buf = NULL;
	}
	return buf;
}

/* Is path inside root once every symlink is resolved? ("" = the real /). */
static bool inside_root(const char *root, const char *path)
{
	char rr[4096], rp[4096];
	if (!realpath(*root ? root : "/", rr) || !realpath(path, rp))
		return false;
	size_t k = strlen(rr);
	if (k == 1)
		return true; /* "/" holds everything */
	return !strncmp(rp, rr, k) && (rp[k] == '/' || rp[k] == 0);
}

/* Writes s to a kernel control attribute (the ROM BAR enable, acpi_call).
 * Only a regular file on sysfs or procfs, reached without leaving root, the
 * last component not a symlink: in a --sysfs-root tree such a name is an
 * ordinary file, often holding data (a ROM), and a symlink there may point
 * at anything; writing "1" into those destroyed a user's ROM. */
static bool write_control_fd(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return false;
	struct stat st;
	struct statfs fs;
	bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && fstatfs(fd, &fs) == 0 &&
		  (fs.f_type == SYSFS_MAGIC || fs.f_type == PROC_SUPER_MAGIC);
	ok = ok && write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok;
}

/* May path be written as a control? (write_control without the write, for
 * acpi_call's thousands of calls: checked once, then each write still
 * refuses a symlink and anything not on sysfs/procfs.) */
static bool control_ok(const char *root, const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode) && inside_root(root, path);
}

static bool write_control(const char *root, const char *path, const char *s)
{
	return control_ok(root, path) && write_control_fd(path, s);
}

static bool valid_rom(uint8_t *buf, size_t n, size_t *len)
{
	od_rom r;
	od_err e;
	if (od_rom_parse(od_span_make(buf, n, 0), &r, &e) || r.nimages == 0)
		return false;
	*len = r.total_len;
	return true;
}

#define LOG(...) (used += (size_t)snprintf(log + used, used < logn ? logn - used : 0, __VA_ARGS__))

/* The sysfs ROM BAR: enable, read, disable (the kernel only lets a write of
 * "1" through for root). Exactly what was there is restored: a ROM that
 * reads already (enabled by someone else, or a plain file in a fake tree)
 * is read without writing anything; otherwise it is enabled and disabled
 * again, and only on sysfs itself (write_control). */
static uint8_t *dump_sysfs(const char *root, const od_host_gpu *g, size_t *n)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/sys/bus/pci/devices/%s/rom", root, g->dev.bdf);
	uint8_t *buf = slurp(p, n);
	if (buf || !write_control(root, p, "1"))
		return buf;
	buf = slurp(p, n);
	write_control(root, p, "0");
	return buf;
}

/* nouveau's debugfs copy: dri/<minor>/name says which device it is. */
static uint8_t *dump_debugfs(const char *root, const od_host_gpu *g, size_t *n)
{
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/sys/kernel/debug/dri", root);
	DIR *d = opendir(dir);
	struct dirent *de;
	uint8_t *buf = NULL;
	while (!buf && d && (de = readdir(d))) {
		char p[1024], name[256];
		snprintf(p, sizeof(p), "%s/%s/name", dir, de->d_name);
		if (de->d_name[0] == '.' || !read_text(p, name, sizeof(name)) || !strstr(name, g->dev.bdf))
			continue;
		snprintf(p, sizeof(p), "%s/%s/vbios.rom", dir, de->d_name);
		buf = slurp(p, n);
	}
	if (d)
		closedir(d);
	return buf;
}

/* acpi_call: "PATH._ROM 0xOFF 0xLEN" in, "{0x55, 0xaa, ...}" out. The stock
 * result buffer holds ~40 bytes, so 32-byte calls, each answer checked. */
static int acpi_chunk(const char *call, const char *path, size_t off, uint8_t *dst, size_t want)
{
	char cmd[256], ans[512];
	snprintf(cmd, sizeof(cmd), "%s._ROM 0x%zx 0x%zx", path, off, want);
	if (!write_control_fd(call, cmd) || !read_text(call, ans, sizeof(ans)) || ans[0] != '{')
		return -1;
	size_t k = 0;
	for (char *s = ans + 1; *s && *s != '}' && k < want;) {
		char *end;
		unsigned long v = strtoul(s, &end, 16);
		if (end == s || v > 255)
			return -1;
		dst[k++] = (uint8_t)v;
		s = end + strspn(end, ", ");
	}
	return k == want ? 0 : -1;
}

static uint8_t *dump_acpi(const char *root, const od_host_gpu *g, size_t *n)
{
	char call[512];
	snprintf(call, sizeof(call), "%s/proc/acpi/call", root);
	if (!g->acpi_path[0] || access(call, W_OK) != 0 || !control_ok(root, call))
		return NULL;
	uint8_t *buf = malloc(DUMP_MAX);
	size_t have = 0, len;
	while (buf && have < DUMP_MAX) {
		for (size_t k = 0; k < 4096; k += 32)
			if (acpi_chunk(call, g->acpi_path, have + k, buf + have + k, 32)) {
				free(buf);
				return NULL;
			}
		have += 4096;
		od_rom r;
		od_err e;
		if (!od_rom_parse(od_span_make(buf, have, 0), &r, &e) && !r.img[r.nimages - 1].truncated &&
		    (r.img[r.nimages - 1].last || r.total_len < have) && (len = r.total_len) <= have)
			break;
	}
	*n = have;
	return buf;
}

int od_host_dump(const char *root, const od_host_gpu *g, uint8_t **rom, size_t *len, const char **method, char *log,
		 size_t logn, od_err *e)
{
	static const struct {
		const char *name;
		uint8_t *(*fn)(const char *, const od_host_gpu *, size_t *);
		const char *hint;
	} ways[] = {
		{ "sysfs ROM BAR", dump_sysfs, "needs root; muxless Optimus GPUs usually have no ROM BAR" },
		{ "nouveau debugfs vbios.rom", dump_debugfs, "needs nouveau bound and debugfs mounted" },
		{ "ACPI _ROM via acpi_call", dump_acpi, "needs the acpi_call module (Debian: apt install acpi-call-dkms; modprobe acpi_call)" },
	};
	size_t used = 0;
	log[0] = 0;
	for (size_t i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
		size_t n = 0, l;
		uint8_t *buf = ways[i].fn(root, g, &n);
		if (buf && valid_rom(buf, n, &l)) {
			LOG("%s: ok, %zu bytes\n", ways[i].name, l);
			*rom = buf;
			*len = l;
			*method = ways[i].name;
			return OD_OK;
		}
		LOG("%s: %s (%s)\n", ways[i].name, buf ? "read, but not a valid option ROM" : "unavailable", ways[i].hint);
		free(buf);
	}
	od_fail_nooff(e, OD_E_NOTFOUND, "no dump method worked for %s", g->dev.bdf);
	return OD_E_NOTFOUND;
}
