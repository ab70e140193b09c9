/* bulwark image — placeholder until its module lands. */
#include "cli.h"

const char bw_usage_image[] = "usage: bulwark image [options] ...\n";

int bw_cmd_image(struct bw_cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct bw_error err = BW_ERROR_INIT;
	bw_error_set(&err, BW_EUNSUPPORTED, "'image' is not built yet");
	return bw_cli_fail(cli, &err);
}
