/* SPDX-License-Identifier: BSD-2-Clause */
/* The format table: every container handler, one line each. Adding a format
 * is one file in parsers/, one line here, one fuzz target, one test file.
 * Order matters only for equal probe scores (earlier wins). */
#include "walk.h"

extern const od_format od_format_optionrom;
extern const od_format od_format_nvgi;
extern const od_format od_format_fv;
extern const od_format od_format_ifd;
extern const od_format od_format_capsule;
extern const od_format od_format_insyde;
extern const od_format od_format_dellpfs;
extern const od_format od_format_archive;
extern const od_format od_format_gzip;
extern const od_format od_format_inno;
extern const od_format od_format_installshield;
extern const od_format od_format_pe;
extern const od_format od_format_pfat;
extern const od_format od_format_cbfs;
extern const od_format od_format_ucp;
extern const od_format od_format_phoenix;

const od_format *const od_formats[] = {
	&od_format_optionrom,
	&od_format_nvgi,
	&od_format_fv,
	&od_format_ifd,
	&od_format_capsule,
	&od_format_insyde,
	&od_format_dellpfs,
	&od_format_archive,
	&od_format_gzip,
	&od_format_inno,
	&od_format_installshield,
	&od_format_pe,
	&od_format_pfat,
	&od_format_cbfs,
	&od_format_ucp,
	&od_format_phoenix,
	NULL,
};
