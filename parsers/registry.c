/* The format table: every container handler, one line each. Adding a format
 * is one file in parsers/, one line here, one fuzz target, one test file.
 * Order matters only for equal probe scores (earlier wins). */
#include "walk.h"

extern const od_format od_format_optionrom;
extern const od_format od_format_fv;
extern const od_format od_format_ifd;

const od_format *const od_formats[] = {
	&od_format_optionrom,
	&od_format_fv,
	&od_format_ifd,
	NULL,
};
