/* SPDX-License-Identifier: BSD-2-Clause */
/* Every file the tools read or write goes through here, so the rules hold
 * in one place: inputs are regular files only, checked before any blocking
 * open (a FIFO or a device never hangs or wakes up a command), mapped
 * read-only rather than copied, and refused above a size limit; outputs
 * are written only as regular files (created, or replaced with --force),
 * never through a symbolic link, never over a device node, FIFO, socket or
 * folder. */
#ifndef OD_FILEIO_H
#define OD_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "reader.h"

/* Default input size limit (scan/add --limit input=MiB). */
#define OD_INPUT_MAX_DEFAULT ((size_t)1024 << 20)

/* "a FIFO", "a character device", ... for st_mode. */
const char *od_file_type_name(mode_t mode);

/* Opens path for reading if it is a regular file (symlinks to one are
 * fine: the user named it). Non-regular files are refused by stat() before
 * open(), and open() is non-blocking with the inode checked again after it,
 * so a file swapped in between cannot block either. Returns the fd (>= 0)
 * with *st filled, or -1 with e set (OD_E_IO, no offset). */
int od_input_open(const char *path, struct stat *st, od_err *e);

/* A whole input mapped read-only (MAP_PRIVATE); len 0 maps nothing. */
typedef struct od_map {
	const uint8_t *data;
	size_t len;
	bool mapped;
} od_map;

/* Maps path; refuses a file larger than max bytes (OD_E_LIMIT, naming the
 * limit and how to raise it). */
int od_input_map(const char *path, size_t max, od_map *m, od_err *e);
void od_input_unmap(od_map *m);

/* Reads at most n bytes of a small regular file (sysfs/procfs attributes,
 * pci.ids lines) into buf; returns the count, or -1 (refused or failed). */
long od_input_read(const char *path, void *buf, size_t n);

/* May path be written? Absent: yes. A regular file: only with force. A
 * symlink, device, FIFO, socket or folder: never (e says which). */
int od_output_check(const char *path, bool force, od_err *e);

/* Writes buf to path atomically (a temporary file beside it, then link()
 * when new or rename() with force), after od_output_check. Nothing is left
 * behind on failure. */
int od_output_write(const char *path, const void *buf, size_t len, bool force, od_err *e);

#endif
