/* SPDX-License-Identifier: BSD-2-Clause */
/* From what was found to catalogue rows: the one ingest path of `add`,
 * `host dump --add` and `import`. The CLI parses arguments, calls these and
 * prints; every check of what may enter the catalogue lives here. */
#ifndef OD_INGEST_H
#define OD_INGEST_H

#include "catalogue.h"

/* One option ROM found in an input. */
typedef struct od_ingest_hit {
	od_span rom;                /* the chain's bytes; rom.off is stored as the offset */
	const char *container_path; /* "update.exe > FV 0 > ... > ROM 10de:1c8d" */
	bool direct;                /* the input is the ROM itself (no container around it) */
	bool damaged;               /* not whole, kept because the user asked: never stored as a VBIOS */
} od_ingest_hit;

typedef struct od_ingest_counts {
	int roms, new_images, new_sources;
} od_ingest_counts;

/* Stores the hits of one input in one transaction. src is the template of
 * their sources: container_path and offset come from each hit, and when
 * src->obtained is NULL, "rom" for direct hits, else "update". The
 * container name and path are made safe to print (od_field_sanitize);
 * model and BIOS version must pass od_source_check. counts is added to only
 * once the transaction is committed: nothing is reported new that is not
 * durable (a full disk fails the commit, not the count). */
int od_ingest_hits(od_db *db, const od_source *src, const od_ingest_hit *hits, size_t n, od_ingest_counts *counts,
		   od_err *e);

/* The text fields of a source against the limits shared with the bundle
 * writer and reader (bundle.h): length, UTF-8, no control characters. */
int od_source_check(const od_source *s, od_err *e);

/* A ROM fit to be taken from someone else's contribution: a chain starting
 * at byte 0, every image whole (not cut), legacy checksums right, no chain
 * errors. e names what is wrong. */
int od_rom_check_whole(od_span rom, od_err *e);

typedef struct od_import_counts {
	int images, new_images, sources, new_sources;
	uint64_t bytes; /* image bytes the bundle carries */
} od_import_counts;

/* A bundle (bundle.h). With db NULL: checks everything (structure, fields,
 * every hash, every image through the ROM parser) and writes nothing. With
 * a db: the same checks, then everything in one transaction, or nothing. */
int od_import_bundle(od_db *db, od_span bundle, od_import_counts *c, od_err *e);

#endif
