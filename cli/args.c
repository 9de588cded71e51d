/* SPDX-License-Identifier: BSD-2-Clause */
/* The command-line parser every command uses (args.h). */
#include <stdarg.h>
#include <string.h>

#include "cli.h"

int od_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "optimus-db %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(run 'optimus-db %s --help' for the options)\n", cmd);
	return OD_EXIT_USAGE;
}

static const od_command *find_command(const char *name)
{
	for (const od_command *c = od_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static void help_table(const od_opt *o, FILE *f)
{
	for (; o && o->name; o++) {
		char left[64];
		snprintf(left, sizeof(left), "%s%s%s%s%s", o->alias ? o->alias : "", o->alias ? ", " : "", o->name,
			 o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  %-26s %s\n", left, o->help ? o->help : "");
	}
}

void od_args_help(const od_cmdline *cl, FILE *f)
{
	const od_command *c = find_command(cl->cmd);
	fprintf(f, "usage: optimus-db %s %s%s[OPTION...]\n", cl->cmd, cl->operands ? cl->operands : "",
		cl->operands && *cl->operands ? " " : "");
	if (c && c->summary)
		fprintf(f, "  %s\n", c->summary);
	fprintf(f, "options:\n");
	help_table(cl->opts, f);
	help_table(cl->more, f);
	fprintf(f, "  %-26s %s\n", "-h, --help", "this help");
	fprintf(f, "exit: 0 ok, 1 not found, 2 bad input, 3 usage, 4 I/O or database error%s (man optimus-db)\n",
		!strcmp(cl->cmd, "host") ? ", 5 host not ready" : "");
}

static const od_opt *lookup(const od_opt *o, const char *name, size_t n)
{
	for (; o && o->name; o++)
		if ((strlen(o->name) == n && !strncmp(o->name, name, n)) ||
		    (o->alias && strlen(o->alias) == n && !strncmp(o->alias, name, n)))
			return o;
	return NULL;
}

/* One option at argv[*i]; returns 0, or an exit code (already explained). */
static int take(const od_cmdline *cl, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	const char *eq = !strncmp(a, "--", 2) ? strchr(a, '=') : NULL;
	size_t n = eq ? (size_t)(eq - a) : strlen(a);
	const od_opt *o = lookup(cl->opts, a, n);
	if (!o)
		o = lookup(cl->more, a, n);
	if (!o)
		return od_usage_error(cl->cmd, "unknown option '%.*s'", (int)n, a);
	if (o->kind == OD_OPT_FLAG) {
		if (eq)
			return od_usage_error(cl->cmd, "%s takes no value", o->name);
		*(bool *)o->dst = true;
		return 0;
	}
	const char *val = eq ? eq + 1 : NULL;
	if (!val) {
		if (*i + 1 >= argc)
			return od_usage_error(cl->cmd, "%s needs a value (%s)", o->name, o->arg ? o->arg : "VALUE");
		val = argv[++*i];
	}
	if (o->kind == OD_OPT_STR) {
		*(const char **)o->dst = val;
		return 0;
	}
	return o->fn(o->dst, val) ? OD_EXIT_USAGE : 0;
}

bool od_args_parse(const od_cmdline *cl, int argc, char **argv, int *nops, int *rc)
{
	int n = 0;
	bool ops_only = false;
	*rc = OD_EXIT_OK;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (ops_only || a[0] != '-' || !a[1]) {
			argv[1 + n++] = argv[i]; /* n + 1 <= i: never overwrites what is still to be read */
			continue;
		}
		if (!strcmp(a, "--")) {
			ops_only = true;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			od_args_help(cl, stdout);
			return false;
		} else if ((*rc = take(cl, argc, argv, &i))) {
			return false;
		}
	}
	*nops = n;
	if (n < cl->min_ops || (cl->max_ops >= 0 && n > cl->max_ops)) {
		*rc = n < cl->min_ops ? od_usage_error(cl->cmd, "expects %s", cl->operands)
				      : od_usage_error(cl->cmd, "unexpected argument '%s' (expects %s)", argv[1 + cl->max_ops],
						       cl->operands && *cl->operands ? cl->operands : "no operands");
		return false;
	}
	return true;
}
