/* bulwark fs — placeholder until its module lands. */
#include "cli.h"

const char bw_usage_fs[] = "usage: bulwark fs [options] ...\n";

int bw_cmd_fs(struct bw_cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct bw_error err = BW_ERROR_INIT;
	bw_error_set(&err, BW_EUNSUPPORTED, "'fs' is not built yet");
	return bw_cli_fail(cli, &err);
}
