/* The command table: one line per command, each in its own cmd_<name>.c. */
#include "cli.h"

int od_cmd_info(int argc, char **argv);
int od_cmd_scan(int argc, char **argv);

const od_command od_commands[] = {
	{ "info", "FILE... [--json] [--strip-header OUT]", "describe option ROM files", od_cmd_info },
	{ "scan", "FILE... [--tree] [--json] [--extract DIR]", "find option ROMs in firmware and updates", od_cmd_scan },
	{ NULL, NULL, NULL, NULL },
};
