/* SPDX-License-Identifier: BSD-2-Clause */
/* Paths and values for QEMU and libvirt: see vmpath.h. */
#include "vmpath.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool od_abs_path(const char *in, char *out, size_t n)
{
	char buf[8192];
	if (in[0] == '/') {
		if (snprintf(buf, sizeof(buf), "%s", in) >= (int)sizeof(buf))
			return false;
	} else {
		char cwd[4096];
		if (!getcwd(cwd, sizeof(cwd)) || snprintf(buf, sizeof(buf), "%s/%s", cwd, in) >= (int)sizeof(buf))
			return false;
	}
	/* Segment by segment: skip empty and ".", ".." drops the last one. */
	size_t k = 0;
	for (const char *p = buf; *p;) {
		while (*p == '/')
			p++;
		size_t len = strcspn(p, "/");
		if (!len)
			break;
		if (len == 1 && p[0] == '.') {
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (k > 0 && out[--k] != '/')
				;
		} else {
			if (k + 1 + len + 1 > n)
				return false;
			out[k++] = '/';
			memcpy(out + k, p, len);
			k += len;
		}
		p += len;
	}
	if (k == 0) {
		if (n < 2)
			return false;
		out[k++] = '/';
	}
	out[k] = 0;
	return true;
}

bool od_qemu_escape(const char *in, char *out, size_t n)
{
	size_t k = 0;
	for (; *in; in++) {
		if (k + 3 > n)
			return false;
		if (*in == ',')
			out[k++] = ',';
		out[k++] = *in;
	}
	if (k + 1 > n)
		return false;
	out[k] = 0;
	return true;
}

void od_put_xml(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '\'': fputs("&apos;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

void od_put_shell(FILE *f, const char *s)
{
	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./,:=+@%-") == strlen(s)) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

/* The user QEMU runs as under libvirt, when it can be known. */
static const struct passwd *libvirt_user(void)
{
	const char *env = getenv("OD_QEMU_USER");
	if (env && *env)
		return getpwnam(env);
	const struct passwd *pw = getpwnam("libvirt-qemu");
	return pw ? pw : getpwnam("qemu");
}

/* Whether uid (with its groups) may do `want` (4 read, 1 search) on st, by
 * the mode bits (ACLs aside). */
static bool may(const struct stat *st, const struct passwd *pw, unsigned want)
{
	if (pw->pw_uid == 0)
		return true;
	if (st->st_uid == pw->pw_uid)
		return (st->st_mode >> 6 & want) == want;
	gid_t groups[256];
	int ng = 256;
	if (getgrouplist(pw->pw_name, pw->pw_gid, groups, &ng) < 0)
		ng = 0;
	for (int i = 0; i < ng; i++)
		if (groups[i] == st->st_gid)
			return (st->st_mode >> 3 & want) == want;
	return (st->st_mode & want) == want;
}

/* The first component of path that pw cannot pass (NULL: none). */
static const char *blocked_for(const char *path, const struct passwd *pw, char *buf, size_t n, bool dir)
{
	snprintf(buf, n, "%s", path);
	for (char *p = buf + 1;; p++) {
		bool last = !*p;
		if (*p != '/' && !last)
			continue;
		char c = *p;
		*p = 0;
		struct stat st;
		if (stat(buf, &st) == 0 && !may(&st, pw, last ? (dir ? 5 : 4) : 1))
			return buf;
		if (last)
			return NULL;
		*p = c;
	}
}

static bool in_home(const char *path)
{
	const char *homes[] = { "/home/", "/root/", getenv("HOME") };
	for (size_t i = 0; i < sizeof(homes) / sizeof(homes[0]); i++) {
		const char *h = homes[i];
		size_t len = h ? strlen(h) : 0;
		while (len > 1 && h[len - 1] == '/')
			len--;
		if (len > 1 && !strncmp(path, h, len) && (path[len] == '/' || !path[len]))
			return true;
	}
	return false;
}

bool od_check_for_vm(const char *path, const char *what, char type, int readers, bool must)
{
	struct stat st;
	if (stat(path, &st) != 0 || (type == 'f' ? !S_ISREG(st.st_mode) : !S_ISDIR(st.st_mode))) {
		const char *why = stat(path, &st) != 0 ? strerror(errno) : type == 'f' ? "not a regular file" : "not a folder";
		fprintf(stderr, "optimus-db: %s%s %s: %s\n", must ? "" : "warning: ", what, path, why);
		return !must;
	}
	if ((readers & OD_VM_QEMU) && access(path, type == 'd' ? R_OK | X_OK : R_OK) != 0)
		fprintf(stderr, "optimus-db: warning: %s %s is not readable by you (QEMU started by you could not read it)\n",
			what, path);
	if (!(readers & OD_VM_LIBVIRT))
		return true;
	const struct passwd *pw = libvirt_user();
	char buf[4096];
	struct stat bs;
	const char *stop = pw ? blocked_for(path, pw, buf, sizeof(buf), type == 'd') : NULL;
	if (stop && stat(stop, &bs) == 0)
		fprintf(stderr, "optimus-db: warning: %s %s is not readable by %s, the user libvirt starts QEMU as "
			"(%s is mode %04o, owner %u:%u)\n", what, path, pw->pw_name, stop, (unsigned)(bs.st_mode & 07777),
			(unsigned)bs.st_uid, (unsigned)bs.st_gid);
	if (in_home(path))
		fprintf(stderr, "optimus-db: warning: %s %s is in a home directory: libvirt's default AppArmor profile "
			"(Debian, Ubuntu) and SELinux policy (Fedora) refuse QEMU access there; put it under "
			"/var/lib/libvirt/ (e.g. /var/lib/libvirt/vbios/)\n", what, path);
	return true;
}

const char *od_sysfs_root(void)
{
	const char *r = getenv("OPTIMUS_DB_SYSFS_ROOT");
	return r ? r : "";
}
