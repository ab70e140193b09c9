/* bulwark sbom TARGET — a software bill of materials of an image or a root
 * filesystem: CycloneDX 1.6 (default) or SPDX 2.3, JSON. */
#include "cli.h"
#include "scan/scan.h"

const char bw_usage_sbom[] =
    "usage: bulwark sbom [options] TARGET\n"
    "\n"
    "Write the package inventory of an image (any target 'bulwark image' reads) or of a\n"
    "root filesystem directory (dir:PATH) as a software bill of materials: every package\n"
    "with its package URL, licences, the layer that added it and, where the package\n"
    "metadata says, what it depends on.\n"
    "\n"
    "options:\n"
    "  -f, --format FMT     cyclonedx (CycloneDX 1.6 JSON, default), spdx (SPDX 2.3 JSON),\n"
    "                       json (bulwark's report) or table\n"
    "  -o, --output FILE    write the document to FILE instead of standard output\n"
    "  -q, --quiet          no progress or warnings on standard error\n"
    "      --platform P     os/arch[/variant] to pick from a multi-platform image\n"
    "  -j, --jobs N         layers walked in parallel (default: the number of CPUs)\n"
    "      --no-cache       read and verify every layer; neither use nor fill the layer "
    "cache\n" BW_CLI_REGISTRY_HELP BW_CLI_SANDBOX_HELP "  -h, --help           this help\n";

enum { OPT_JOBS = BW_OPT__COMMAND_BASE };

static int sbom_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	struct bw_cli_scan_args *sa = ud;
	int h = bw_cli_registry_option(cli, c, arg);
	if (h)
		return h < 0 ? -h : 0;
	if (c == BW_OPT_NO_CACHE) {
		sa->no_cache = true;
		return 0;
	}
	if (c == 'j' || c == OPT_JOBS) {
		char *end;
		long v = strtol(arg, &end, 10);
		if (*end || end == arg || v < 1 || v > 256)
			return bw_cli_usage_error(cli->cmd, "--jobs takes a number from 1 to 256, not '%s'",
						  arg);
		sa->jobs = (int)v;
		return 0;
	}
	return bw_cli_usage_error(cli->cmd, "unexpected option");
}

int bw_cmd_sbom(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    {"jobs", required_argument, NULL, OPT_JOBS},
	    {"no-cache", no_argument, NULL, BW_OPT_NO_CACHE},
	    BW_CLI_REGISTRY_OPTIONS,
	    BW_CLI_SANDBOX_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct bw_cli_scan_args sa = {.scanners = BW_SCAN_PACKAGES, .list_packages = true};
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT "j:", longopts, sbom_option, &sa, &done);
	if (rc || done)
		return rc;
	if (argc - optind != 1)
		return bw_cli_usage_error(cli->cmd,
					  argc - optind < 1 ? "missing TARGET" : "too many arguments");
	if (!cli->format_set)
		cli->format = BW_FORMAT_CYCLONEDX;
	if (cli->format != BW_FORMAT_CYCLONEDX && cli->format != BW_FORMAT_SPDX &&
	    cli->format != BW_FORMAT_JSON && cli->format != BW_FORMAT_TABLE)
		return bw_cli_usage_error(cli->cmd, "an SBOM is written as cyclonedx, spdx, json or table");
	const char *target = argv[optind];
	rc = bw_cli_registry_ready(cli);
	if (rc)
		return rc;
	bool is_dir = strncmp(target, "dir:", 4) == 0;
	return bw_cli_scan(cli, target, is_dir ? target + 4 : target, is_dir ? "filesystem" : "image", &sa);
}
