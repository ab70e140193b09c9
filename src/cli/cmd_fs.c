/* bulwark fs DIR — scan a root filesystem directory. */
#include "cli.h"
#include "scan/scan.h"

const char bw_usage_fs[] =
    "usage: bulwark fs [options] DIR\n"
    "\n"
    "Scan a root filesystem directory (an unpacked image, a chroot, or /) with every\n"
    "scanner built in. Symlinks are never followed; scanning / skips /proc, /sys, /dev.\n"
    "\n"
    "options:\n" BW_CLI_SCAN_HELP BW_CLI_FORMAT_HELP(BW_CLI_FORMATS_ALL) BW_CLI_COMMON_HELP;

static int fs_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	int h = bw_cli_scan_option(cli, c, arg, ud);
	if (h < 0)
		return -h;
	return h ? 0 : bw_cli_usage_error(cli->cmd, "unexpected option");
}

int bw_cmd_fs(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    BW_CLI_SCAN_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct bw_cli_scan_args a = {0};
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT, longopts, fs_option, &a, &done);
	if (rc || done)
		return rc;
	if (argc - optind != 1)
		return bw_cli_usage_error(cli->cmd, argc - optind < 1 ? "missing DIR" : "too many arguments");
	char *target = bw_asprintf("dir:%s", argv[optind]);
	rc = bw_cli_scan(cli, target, argv[optind], "filesystem", &a);
	free(target);
	return rc;
}
