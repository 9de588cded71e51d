/* SPDX-License-Identifier: BSD-2-Clause */
/* optimus-db: a thin dispatcher over the command table in commands.c. */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f, "optimus-db %s: NVIDIA laptop VBIOS catalogue for GPU passthrough\n\nusage:\n", OD_VERSION);
	for (const od_command *c = od_commands; c->name; c++)
		fprintf(f, "  optimus-db %-10s %s\n", c->name, c->usage);
	fprintf(f, "\nRun 'optimus-db COMMAND --help' for details. Exit codes: 0 ok, 1 not found,\n"
		   "2 bad input, 3 usage, 4 I/O or database error, 5 host not ready.\n");
}

/* Inputs are mapped (io/fileio.c): a file truncated by someone else while
 * it is read faults instead of returning short. Say so and stop, rather
 * than die with a bare "Bus error". */
static void on_sigbus(int sig)
{
	static const char msg[] = "optimus-db: an input file shrank while it was being read; stopped\n";
	(void)sig;
	ssize_t w = write(2, msg, sizeof(msg) - 1);
	(void)w;
	_exit(OD_EXIT_IO);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_sigbus };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	if (argc < 2) {
		usage(stderr);
		return OD_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return OD_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("optimus-db %s\n", OD_VERSION);
		return OD_EXIT_OK;
	}
	for (const od_command *c = od_commands; c->name; c++) {
		if (strcmp(argv[1], c->name) != 0)
			continue;
		/* Each command parses its own options, --help included (args.c). */
		return c->run(argc - 1, argv + 1);
	}
	fprintf(stderr, "optimus-db: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return OD_EXIT_USAGE;
}
