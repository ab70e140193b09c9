/* bulwark fs DIR — scan a root filesystem directory. */
#include "cli.h"
#include "scan/scan.h"

const char bw_usage_fs[] =
	"usage: bulwark fs [options] DIR\n"
	"\n"
	"Scan a root filesystem directory (an unpacked image, a chroot, or /) with every\n"
	"scanner built in. Symlinks are never followed; scanning / skips /proc, /sys, /dev.\n"
	"\n"
	"options:\n"
	"      --scanners LIST  comma list of packages, vuln, secret, config (default: all)\n"
	"      --list-packages  include the package inventory in the report\n"
	"      --secret-config FILE  custom secret rules and allow-lists (YAML)\n"
	"      --db PATH        vulnerability database (default: ~/.cache/bulwark/db.sqlite)\n"
	"      --ignore-unfixed leave out vulnerabilities that have no fixed version yet\n" BW_CLI_COMMON_HELP;

enum { OPT_SCANNERS = BW_OPT__COMMAND_BASE, OPT_LIST_PACKAGES, OPT_SECRET_CONFIG, OPT_DB, OPT_IGNORE_UNFIXED };

struct fs_args {
	unsigned scanners;
	bool list_packages;
	const char *secret_config;
};

static int fs_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	struct fs_args *a = ud;
	const char *bad;
	size_t bl;
	switch (c) {
	case OPT_SCANNERS:
		if (bw_scan_parse_scanners(arg, &a->scanners, &bad, &bl) < 0)
			return bw_cli_usage_error(cli->cmd, "unknown scanner '%.*s' (packages, vuln, secret, config)", (int)bl, bad);
		return 0;
	case OPT_LIST_PACKAGES:
		a->list_packages = true;
		return 0;
	case OPT_SECRET_CONFIG:
		a->secret_config = arg;
		return 0;
	case OPT_DB:
		cli->db_path = arg;
		return 0;
	case OPT_IGNORE_UNFIXED:
		cli->ignore_unfixed = true;
		return 0;
	}
	return bw_cli_usage_error(cli->cmd, "unexpected option");
}

int bw_cmd_fs(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		BW_CLI_COMMON_OPTIONS,
		{"scanners", required_argument, NULL, OPT_SCANNERS},
		{"list-packages", no_argument, NULL, OPT_LIST_PACKAGES},
		{"secret-config", required_argument, NULL, OPT_SECRET_CONFIG},
		{"db", required_argument, NULL, OPT_DB},
		{"ignore-unfixed", no_argument, NULL, OPT_IGNORE_UNFIXED},
		{NULL, 0, NULL, 0},
	};
	struct fs_args a = {0};
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT, longopts, fs_option, &a, &done);
	if (rc || done)
		return rc;
	if (argc - optind != 1)
		return bw_cli_usage_error(cli->cmd, argc - optind < 1 ? "missing DIR" : "too many arguments");
	char *target = bw_asprintf("dir:%s", argv[optind]);
	rc = bw_cli_scan(cli, target, argv[optind], "filesystem", a.scanners, a.list_packages, a.secret_config, 0);
	free(target);
	return rc;
}
