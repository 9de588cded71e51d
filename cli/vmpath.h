/* SPDX-License-Identifier: BSD-2-Clause */
/* Paths and values as QEMU and libvirt must receive them: absolute and
 * normalised (libvirt starts QEMU in another working directory and its
 * schema wants absolute paths), commas doubled for QEMU's option parser,
 * XML-escaped for libvirt, shell-quoted for a pasted command line; and the
 * checks that the files are there and readable where QEMU runs. */
#ifndef OD_VMPATH_H
#define OD_VMPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* in made absolute (against the working directory) and normalised: no "//",
 * no "." or ".." segments, no trailing '/'. Symlinks are kept (the path is
 * the one the user named). False when it does not fit in n. */
bool od_abs_path(const char *in, char *out, size_t n);

/* A QEMU option value: ',' doubled (QemuOpts' escape); false when it does
 * not fit in n. */
bool od_qemu_escape(const char *in, char *out, size_t n);
/* An XML attribute value in single quotes: & < > ' " escaped. */
void od_put_xml(FILE *f, const char *s);
/* Writes one shell word: as is when it needs no quoting, else in single
 * quotes. */
void od_put_shell(FILE *f, const char *s);

/* Where QEMU reads a file: how od_check_for_vm judges it. */
enum od_vm_reader {
	OD_VM_QEMU = 1,    /* QEMU started by this user */
	OD_VM_LIBVIRT = 2, /* QEMU started by libvirt (its own user, AppArmor/SELinux) */
};

/* Checks that path (absolute) exists with the type wanted ('f' regular file,
 * 'd' folder) and is readable (searchable for a folder) by the users in
 * readers, warning on stderr where libvirt's default confinement refuses it
 * (home directories). what names it in messages. Returns false (after an
 * error message) when it is missing or of the wrong type and must is set;
 * otherwise only warns. The QEMU user under libvirt is $OD_QEMU_USER, else
 * libvirt-qemu (Debian) or qemu (Fedora) when such a user exists. */
bool od_check_for_vm(const char *path, const char *what, char type, int readers, bool must);

/* The default of --sysfs-root: $OPTIMUS_DB_SYSFS_ROOT (a copied or fake
 * tree, as the README test uses), else "" (the running system). */
const char *od_sysfs_root(void);

#endif
