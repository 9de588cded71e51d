/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared pieces of the command-line layer: exit codes, file loading, JSON.
 * The CLI is thin: commands parse arguments, call the library, print. */
#ifndef OD_CLI_H
#define OD_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "args.h"
#include "fileio.h"
#include "reader.h"

/* Exit codes (documented in README "Exit codes"). */
enum {
	OD_EXIT_OK = 0,
	OD_EXIT_NOTFOUND = 1, /* lookup/export matched nothing */
	OD_EXIT_BADINPUT = 2, /* malformed input, limit hit, checksum mismatch */
	OD_EXIT_USAGE = 3,    /* bad command line */
	OD_EXIT_IO = 4,       /* file system or database error */
};

/* Maps a library error code to an exit code. */
int od_exit_for(int code);

/* An input file mapped read-only (io/fileio.h: regular files only, never a
 * blocking open, at most od_input_limit bytes; never O_RDWR: read-only
 * inputs must work, unlike rom-parser). */
typedef struct od_file {
	char *path;
	const char *name; /* basename, for container paths */
	const uint8_t *data;
	size_t len;
	od_map map;
} od_file;

/* The input size limit: OD_INPUT_MAX_DEFAULT unless --limit input=MiB. */
extern size_t od_input_limit;
int od_file_load(const char *path, od_file *f, od_err *e);
void od_file_free(od_file *f);

/* Writes buf to path atomically (io/fileio.h od_output_write): a new file,
 * or with force a regular file replaced; never a symlink, device, FIFO or
 * folder. Nothing is left behind on failure. */
int od_file_write_new(const char *path, const void *buf, size_t len, bool force, od_err *e);

/* s with control characters (C0, DEL, C1) written as \xNN, into buf (cut to
 * fit): for text from the catalogue on the terminal. Returns buf. */
const char *od_esc(const char *s, char *buf, size_t n);

/* Prints "optimus-db: <path>: at offset 0x..: <kind>: <msg>" to stderr. */
void od_print_err(const char *file, const od_err *e);
/* The same, returning the exit status for e (od_exit_for(e->code)): a
 * command's `return od_print_fail(path, &e);` where a step failed. */
int od_print_fail(const char *file, const od_err *e);

/* Minimal JSON writer: tracks commas so callers just emit keys and values. */
typedef struct od_json {
	FILE *f;
	int depth;
	bool need_comma[64];
} od_json;

void od_json_init(od_json *j, FILE *f);
void od_json_obj_begin(od_json *j, const char *key); /* key NULL inside arrays / at top */
void od_json_obj_end(od_json *j);
void od_json_arr_begin(od_json *j, const char *key);
void od_json_arr_end(od_json *j);
void od_json_str(od_json *j, const char *key, const char *val); /* val NULL -> null */
void od_json_int(od_json *j, const char *key, long long val);
void od_json_bool(od_json *j, const char *key, bool val);
void od_json_hex(od_json *j, const char *key, unsigned val, int width); /* "10de" */
void od_json_end(od_json *j); /* newline */

/* PCI names from the system's pci.ids (/usr/share/misc/pci.ids or
 * OD_PCI_IDS); returns false when unknown or absent. */
bool od_pci_name(uint16_t vendor, uint16_t device, char *vname, size_t vn, char *dname, size_t dn);

/* Command entry points: argc/argv start at the command name. */
typedef struct od_command {
	const char *name;
	const char *usage;   /* one line */
	const char *summary;
	int (*run)(int argc, char **argv);
} od_command;

extern const od_command od_commands[];



/* --- shared ROM description (cli/romfmt.c), used by info, scan, show --- */
/* rom-parser style lines plus checks and NVIDIA facts, each line prefixed
 * by indent. rom must start with 55 AA. */
void od_rom_print_text(FILE *f, od_span rom, const char *indent);
/* The same as a JSON object under key (NULL inside an array). */
void od_rom_print_json(od_json *j, const char *key, od_span rom);

#endif
