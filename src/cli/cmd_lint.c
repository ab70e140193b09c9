/* bulwark lint — placeholder until its module lands. */
#include "cli.h"

const char bw_usage_lint[] = "usage: bulwark lint [options] ...\n";

int bw_cmd_lint(struct bw_cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct bw_error err = BW_ERROR_INIT;
	bw_error_set(&err, BW_EUNSUPPORTED, "'lint' is not built yet");
	return bw_cli_fail(cli, &err);
}
