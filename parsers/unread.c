/* SPDX-License-Identifier: BSD-2-Clause */
/* The signatures of containers we recognise and do not read (yet), as the
 * README's "recognised, not read" table lists them. A format that gains a
 * handler leaves this table: data a handler claimed never gets here. */
#include "unread.h"

static const struct {
	const char *magic;
	size_t len;
	const char *name;
} unread_kinds[] = {
	{ "7z\xBC\xAF\x27\x1C", 6, "a 7-Zip archive" },                 /* 7zFormat.txt */
	{ "MSCF\0\0\0\0", 8, "a Microsoft CAB archive" },               /* [MS-CAB] CFHEADER */
	{ "Rar!\x1A\x07", 6, "a RAR archive" },                         /* RAR 4/5 marker */
	{ "ISc(", 4, "an InstallShield cabinet" },                      /* unshield */
	{ "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, "an OLE compound file (MSI package)" }, /* [MS-CFB] */
	{ "BZh", 3, "a bzip2 stream" },
	{ "\xFD" "7zXZ\0", 6, "an xz stream" },                        /* xz-file-format.txt */
	{ "$PACK\0\0\0", 8, "a Phoenix TDK package" },                  /* BIOSUtilities phoenix_tdk_extract */
	{ "$PSP", 4, "an AMD PSP directory" },                          /* coreboot amdfwtool.h */
	{ "$BHD", 4, "an AMD BIOS directory" },                         /* coreboot amdfwtool.h */
};

const char *od_unread_kind(od_span s)
{
	for (size_t i = 0; i < sizeof(unread_kinds) / sizeof(unread_kinds[0]); i++)
		if (od_match(s, 0, unread_kinds[i].magic, unread_kinds[i].len))
			return unread_kinds[i].name;
	return NULL;
}
