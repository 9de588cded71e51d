/* SPDX-License-Identifier: BSD-2-Clause */
/* The catalogue: a SQLite database of SHA-256-keyed option ROM images with
 * the provenance of every place each was found. Only db/ links SQLite. */
#ifndef OD_CATALOGUE_H
#define OD_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reader.h"

#define OD_SCHEMA_VERSION 2

typedef struct od_db od_db;

/* What the parsers tell about one image (all IDs 0 when unknown). */
typedef struct od_image_meta {
	uint16_t vendor, device;
	uint32_t class_code;
	bool has_subsys;
	uint16_t sub_vendor, sub_device;
	char version[24];   /* NVIDIA VBIOS version or "" */
	char kinds[48];     /* "legacy+EFI", "legacy", "EFI", ... */
	bool is_vbios;      /* display-class image */
} od_image_meta;

/* Where an image was found. Strings may be NULL. */
typedef struct od_source {
	const char *container_name;   /* file name of the update / dump */
	const char *container_sha256; /* hex */
	const char *container_path;   /* "file > FV ... > ROM 10de:1c8d" */
	uint64_t offset;              /* within the buffer named by the path */
	const char *obtained;         /* update | spi | host | rom | bundle */
	const char *model, *bios_version;
	bool has_subsys;              /* host dumps: the GPU's subsystem IDs */
	uint16_t sub_vendor, sub_device;
} od_source;

/* One image row as lookups return it. */
typedef struct od_image_row {
	int64_t id;
	char sha256[65];
	int64_t size;
	od_image_meta meta;
	char first_seen[32];
	int match;                    /* lookup rank: 2 exact subsystem, 1 same device */
	int containers, models;       /* lookup: independent sources that saw it (distinct
					 containers by hash or name; distinct models given) */
} od_image_row;

/* Path resolution: explicit path, else $OPTIMUS_DB, else
 * $XDG_DATA_HOME/optimus-db/catalogue.db, else ~/.local/share/... */
const char *od_db_default_path(const char *explicit_path, char *buf, size_t n);

/* Opens (creating and migrating when writable). A catalogue written by a
 * newer optimus-db is refused with a clear error. */
int od_db_open(const char *path, bool readonly, od_db **out, od_err *e);
void od_db_close(od_db *db);

int od_db_begin(od_db *db, od_err *e);
int od_db_commit(od_db *db, od_err *e);
void od_db_rollback(od_db *db);

/* Inserts the image when new (*is_new), then the source when new. */
int od_db_add(od_db *db, const uint8_t *rom, size_t len, const od_image_meta *m, const od_source *src,
	      bool *image_new, bool *source_new, od_err *e);

/* Adds a source to an image already stored under sha256 (hex). */
int od_db_add_source(od_db *db, const char *sha256, const od_source *src, bool *source_new, od_err *e);

/* Whether an image with this SHA-256 (hex) is stored. */
int od_db_has_image(od_db *db, const char *sha256, bool *yes, od_err *e);
/* Adds a source from a catalogue repository record, dated added (NULL: now).
 * The same source again (same image, container hash, path, offset, model,
 * BIOS version) keeps the earliest date, and the image's first_seen is the
 * earliest of its sources: merges end equal in any order. */
int od_db_merge_source(od_db *db, const char *sha256, const od_source *src, const char *added, bool *source_new,
		       od_err *e);
/* Repository source records already imported (by the SHA-256 of the file). */
int od_db_record_seen(od_db *db, const char *sha256, bool *seen, od_err *e);
int od_db_record_mark(od_db *db, const char *sha256, od_err *e);

typedef int (*od_image_cb)(const od_image_row *row, void *arg);
typedef int (*od_source_cb)(const od_source *src, const char *added, void *arg);

/* Images for vendor:device, best first: exact subsystem match, then the
 * number of distinct containers that held it, then of distinct models;
 * sub_vendor/sub_device 0 = any. */
int od_db_lookup(od_db *db, uint16_t vendor, uint16_t device, uint16_t sub_vendor, uint16_t sub_device,
		 od_image_cb cb, void *arg, od_err *e);
/* Images whose SHA-256 starts with prefix (hex, >= 4 digits). */
int od_db_find_prefix(od_db *db, const char *prefix, od_image_cb cb, void *arg, od_err *e);
/* Every image, by SHA-256. */
int od_db_each_image(od_db *db, od_image_cb cb, void *arg, od_err *e);
int od_db_sources(od_db *db, int64_t image_id, od_source_cb cb, void *arg, od_err *e);
/* The image bytes (malloc'd). */
int od_db_bytes(od_db *db, int64_t image_id, uint8_t **data, size_t *len, od_err *e);

typedef struct od_db_stats {
	int64_t images, vbios, sources, nvidia, bytes;
} od_db_stats;
int od_db_stats_get(od_db *db, od_db_stats *s, od_err *e);
/* Re-hashes every image and runs PRAGMA integrity_check; *bad counts
 * mismatches (each reported through cb). */
int od_db_verify(od_db *db, int64_t *checked, int64_t *bad, od_image_cb cb, void *arg, od_err *e);

/* Metadata for a ROM span from the parsers (IDs, version, kinds). */
void od_image_meta_from_rom(const uint8_t *rom, size_t len, od_image_meta *m);

#endif
