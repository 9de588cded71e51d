/* SPDX-License-Identifier: BSD-2-Clause */
/* One command-line parser for every command: options anywhere among the
 * operands, --name=value or --name value, "--" ends the options, unknown
 * options and missing values are usage errors (exit 3), and --help is
 * printed from the same table, so the help (and the man page test that
 * reads it) cannot miss a flag the code accepts. */
#ifndef OD_ARGS_H
#define OD_ARGS_H

#include <stdbool.h>
#include <stdio.h>

typedef enum od_opt_kind {
	OD_OPT_FLAG, /* bool *dst = true */
	OD_OPT_STR,  /* const char **dst = value (the last one given wins) */
	OD_OPT_FN,   /* fn(dst, value): returns 0, or prints why and returns nonzero */
} od_opt_kind;

typedef struct od_opt {
	const char *name;  /* "--db" */
	const char *alias; /* "-o", or NULL */
	od_opt_kind kind;
	void *dst;
	int (*fn)(void *dst, const char *val);
	const char *arg;   /* value name in the help ("PATH"); NULL for flags */
	const char *help;
} od_opt;

#define OD_OPT_END { NULL, NULL, OD_OPT_FLAG, NULL, NULL, NULL, NULL }
/* --db PATH: every catalogue command takes it, in any position. */
#define OD_OPT_DB(p) { "--db", NULL, OD_OPT_STR, (p), NULL, "PATH", "catalogue file (default $OPTIMUS_DB, else the XDG data folder)" }

typedef struct od_cmdline {
	const char *cmd;      /* the command's name in od_commands */
	const char *operands; /* "FILE...", for the usage line */
	const od_opt *opts;   /* ends with OD_OPT_END */
	const od_opt *more;   /* a second table (shared options), or NULL */
	int min_ops, max_ops; /* operand count; max -1 = any */
} od_cmdline;

/* Parses argv[1..argc-1] (argv[0] is the command name). Operands are moved
 * to argv[1..*nops] in their order. Returns true when the command should
 * run; otherwise *rc is its exit code (0 after --help, 3 after a usage
 * error, already explained on stderr). */
bool od_args_parse(const od_cmdline *cl, int argc, char **argv, int *nops, int *rc);
/* Prints the usage line, summary and option table of cl to f. */
void od_args_help(const od_cmdline *cl, FILE *f);
/* "optimus-db CMD: <why>" and the hint to --help on stderr; returns 3. */
int od_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
