/* The command table: one line per command, each in its own cmd_<name>.c. */
#include "cli.h"

int od_cmd_info(int argc, char **argv);

const od_command od_commands[] = {
	{ "info", "FILE... [--json] [--strip-header OUT]", "describe option ROM files", od_cmd_info },
	{ NULL, NULL, NULL, NULL },
};
