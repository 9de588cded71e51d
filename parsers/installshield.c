/* SPDX-License-Identifier: BSD-2-Clause */
/* InstallShield setup.exe with plain embedded files (the "Disk1" layout some
 * Panasonic, Fujitsu and HP BIOS packages use): the PE overlay is a run of
 * entries, each four NUL-terminated strings (file name, "Disk1\" path,
 * version, size in decimal) then that many bytes of the file. Layout read off
 * real installers (Debian clamav-testfiles clam_IScab_*.exe), matching
 * unshield's description of the IS 6+ "setup.exe" stream. InstallShield's
 * own cabinets ("ISc(") inside are named, not read; Microsoft CABs are
 * handed to the archive reader like any other entry. */
#include <stdio.h>
#include <string.h>

#include "unread.h"
#include "walk.h"

#define IS_FIELD_MAX 260
#define IS_MAX_FILES 4096

typedef struct is_entry {
	char name[IS_FIELD_MAX + 1], path[IS_FIELD_MAX + 1];
	uint64_t size;
	size_t data; /* offset of the file's bytes */
} is_entry;

/* One NUL-terminated printable field at *at (1..IS_FIELD_MAX bytes). */
static bool field(od_span s, size_t *at, char *out)
{
	size_t n = 0;
	for (;;) {
		uint8_t b;
		if (od_u8(s, *at + n, &b, NULL))
			return false;
		if (b == 0)
			break;
		if (b < 0x20 || b == 0x7f || n == IS_FIELD_MAX)
			return false;
		if (out)
			out[n] = (char)b;
		n++;
	}
	if (n == 0)
		return false;
	if (out)
		out[n] = 0;
	*at += n + 1;
	return true;
}

static bool entry_at(od_span s, size_t at, is_entry *en)
{
	char version[IS_FIELD_MAX + 1], size[IS_FIELD_MAX + 1];
	if (!field(s, &at, en->name) || !field(s, &at, en->path) || !field(s, &at, version) || !field(s, &at, size))
		return false;
	if (strlen(size) > 12 || strspn(size, "0123456789") != strlen(size) || !strchr(en->path, '\\'))
		return false;
	en->size = 0;
	for (const char *p = size; *p; p++)
		en->size = en->size * 10 + (uint64_t)(*p - '0');
	en->data = at;
	return en->size <= s.len - at;
}

static int is_probe(od_span s)
{
	is_entry en;
	return entry_at(s, 0, &en) ? 45 : 0;
}

static int is_walk(od_ctx *c, od_span s, od_err *e)
{
	static _Thread_local is_entry en;
	OD_TRY(od_enter(c, OD_KIND_ISHIELD, s, e, "InstallShield files"));
	size_t at = 0;
	unsigned n = 0;
	while (at < s.len && n < IS_MAX_FILES && entry_at(s, at, &en)) {
		od_span data;
		OD_TRY(od_sub(s, en.data, (size_t)en.size, &data, e));
		OD_TRY(od_enter(c, OD_KIND_ISHIELD_FILE, data, e, "file \"%s\"", en.path));
		if (od_match(data, 0, "ISc(", 4))
			od_diag_fail(c, false, OD_E_UNSUPPORTED, data.off,
				     "InstallShield cabinet \"%s\" (ISc(): not read: unpack it with unshield, then scan the result",
				     en.path);
		else {
			OD_TRY(od_walk_child(c, data, e)); /* guarded: fatal errors only, located */
			if (!c->cur->first && od_unread_kind(data))
				od_diag_fail(c, false, OD_E_UNSUPPORTED, data.off, "\"%s\" is %s, not read", en.path,
					     od_unread_kind(data));
		}
		od_leave(c);
		at = en.data + (size_t)en.size;
		n++;
	}
	od_note(c, "%u files", n);
	if (at < s.len)
		od_diag_fail(c, false, OD_E_FORMAT, s.off + at, "0x%zx bytes after the last InstallShield file entry",
			     s.len - at);
	od_leave(c);
	return OD_OK;
}

OD_FORMAT(installshield, "InstallShield embedded files", is_probe, is_walk, 0);
