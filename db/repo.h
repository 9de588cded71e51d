/* SPDX-License-Identifier: BSD-2-Clause */
/* Catalogue repositories: a folder anyone can keep in git, fork and send
 * pull requests to (README "Contributing"). Content-addressed and
 * append-only, so independent contributions never touch the same file:
 *   images/VVVV/DDDD/<sha256>.rom                  the image (vendor:device from
 *                                                  its first PCIR, lower-case hex)
 *   sources/<image sha256>/<sha256 of file>.json    one source record (record.h)
 * No index file: nothing every contribution would edit. */
#ifndef OD_REPO_H
#define OD_REPO_H

#include "catalogue.h"

typedef struct od_repo_counts {
	int images, new_images, sources, new_sources;
	int skipped;  /* already in the catalogue (by hash): not read again */
	int failed;   /* files refused (each reported); nothing taken from them */
} od_repo_counts;

/* Writes the image and all its sources into dir (creating dir and the
 * layout when absent). Files already there are kept when identical and
 * refused when not; nothing is written through a symlink. Container names
 * are reduced to their base name and home-directory paths are replaced by
 * "~" (no user names leave the machine). */
int od_repo_contribute(od_db *db, const char *dir, const od_image_row *row, od_repo_counts *c, od_err *e);

/* Writes one ROM and one source record (dated added: "YYYY-MM-DDTHH:MM:SSZ")
 * into dir without a catalogue (scan --to: sharded scans write the
 * layout directly), with od_repo_contribute's rules and checks. */
int od_repo_put(const char *dir, od_span rom, const od_source *src, const char *added, od_repo_counts *c, od_err *e);

/* Called for each refused file (path relative to dir). */
typedef void (*od_repo_report)(const char *rel, const od_err *e, void *arg);

/* Imports a repository: every image hashed against its name and run
 * through the ROM parser, every record hashed against its name, parsed and
 * bounded; files already taken (by hash) are skipped unread. One
 * transaction; a refused file contributes nothing and is reported. Returns
 * OD_OK when the walk finished (check c->failed), else the error that
 * stopped it (nothing imported). */
int od_repo_import(od_db *db, const char *dir, od_repo_counts *c, od_repo_report rep, void *arg, od_err *e);

#endif
