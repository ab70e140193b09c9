/* bulwark sbom TARGET — a software bill of materials of an image or a root
 * filesystem: CycloneDX 1.6 (default) or SPDX 2.3, JSON. */
#include "cli.h"
#include "scan/scan.h"

const char bw_usage_sbom[] =
    "usage: bulwark sbom [options] TARGET\n"
    "       bulwark sbom scan [options] FILE\n"
    "\n"
    "Write the package inventory of an image (any target 'bulwark image' reads) or of a\n"
    "root filesystem directory (dir:PATH) as a software bill of materials: every package\n"
    "with its package URL, licences, the layer that added it and, where the package\n"
    "metadata says, what it depends on.\n"
    "\n"
    "  bulwark sbom TARGET       write the SBOM of an image or a directory\n"
    "  bulwark sbom scan FILE    vulnerability-scan an SBOM made by any tool (Syft, Trivy,\n"
    "                            cdxgen, bulwark): CycloneDX JSON 1.2 to 1.6 or SPDX 2.2/2.3\n"
    "                            JSON, by package URL (deb, apk, rpm, npm, pypi, golang,\n"
    "                            maven, gem, cargo, nuget, composer); the OS from its OS\n"
    "                            component or the purls' distro qualifier. The same report,\n"
    "                            formats and gates as 'bulwark image' (which reads the target\n"
    "                            sbom:FILE too)\n"
    "\n"
    "options:\n"
    "  -f, --format FMT     cyclonedx (CycloneDX 1.6 JSON, default), spdx (SPDX 2.3 JSON),\n"
    "                       json (bulwark's report) or table; sbom scan: table (default),\n"
    "                       json, sarif, cyclonedx, spdx, junit, gitlab, gitlab-codequality,\n"
    "                       compact or html\n"
    "  -o, --output FILE    write the document to FILE instead of standard output\n"
    "  -q, --quiet          no progress or warnings on standard error\n"
    "      --severity SEV   (scan) report findings at or above SEV\n"
    "      --exit-code N    (scan) exit N when a finding at or above --severity remains\n"
    "      --platform P     os/arch[/variant] to pick from a multi-platform image\n"
    "  -j, --jobs N         layers walked in parallel (default: the number of CPUs)\n"
    "      --no-cache       read and verify every layer; neither use nor fill the layer "
    "cache\n"
    "      --scanners LIST  (scan) packages, vuln (default: both)\n"
    "      --list-packages  (scan) include the package inventory in the report\n"
    "      --db PATH        (scan) vulnerability database (default: ~/.cache/bulwark/db.sqlite)\n"
    "      --ignore-unfixed (scan) leave out vulnerabilities that have no fixed version "
    "yet\n" BW_CLI_VULN_HELP BW_CLI_SUPPRESS_HELP BW_CLI_REGISTRY_HELP BW_CLI_SANDBOX_HELP
    "  -h, --help           this help\n";

enum { OPT_JOBS = BW_OPT__COMMAND_BASE };

static const struct option sbom_longopts[] = {
    BW_CLI_COMMON_OPTIONS,  {"jobs", required_argument, NULL, OPT_JOBS},
    BW_CLI_SCAN_OPTIONS,    BW_CLI_REGISTRY_OPTIONS,
    BW_CLI_SANDBOX_OPTIONS, {NULL, 0, NULL, 0},
};

static const char *option_name(int c)
{
	for (const struct option *o = sbom_longopts; o->name; o++)
		if (o->val == c)
			return o->name;
	return "this option";
}

struct sbom_args {
	bool scan; /* sbom scan FILE */
	struct bw_cli_scan_args sa;
};

static int sbom_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	struct sbom_args *a = ud;
	struct bw_cli_scan_args *sa = &a->sa;
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
	/* (a configuration file's scan options are meant for the image scans too) */
	if (c == BW_OPT_SECRET_CONFIG || c == BW_OPT_STRICT)
		return cli->preset_origin ? 0 : bw_cli_usage_error(cli->cmd, "unexpected option");
	if (!a->scan) {
		/* a configuration file's scan options serve the image commands too */
		if (cli->preset_origin)
			return 0;
		return bw_cli_usage_error(cli->cmd, "--%s goes with 'sbom scan'", option_name(c));
	}
	h = bw_cli_scan_option(cli, c, arg, sa);
	if (h < 0)
		return -h;
	if (h && c == BW_OPT_SCANNERS && cli->preset_origin)
		sa->scanners &= BW_SCAN_PACKAGES | BW_SCAN_VULN; /* what of them reads an SBOM */
	if (h && c == BW_OPT_SCANNERS && (sa->scanners & (BW_SCAN_SECRET | BW_SCAN_CONFIG)) &&
	    sa->scanners != BW_SCAN_ALL)
		return bw_cli_usage_error(cli->cmd, "--scanners: an SBOM lists packages, not files: packages "
						    "and vuln only");
	return h ? 0 : bw_cli_usage_error(cli->cmd, "unexpected option");
}

int bw_cmd_sbom(struct bw_cli *cli, int argc, char **argv)
{
	struct sbom_args a = {.sa = {.scanners = BW_SCAN_PACKAGES, .list_packages = true}};
	if (argc > 1 && strcmp(argv[1], "scan") == 0) {
		a.scan = true;
		a.sa = (struct bw_cli_scan_args){0};
		argc--;
		argv++;
	}
	bool done;
	int rc =
	    bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT "j:", sbom_longopts, sbom_option, &a, &done);
	if (rc || done)
		return rc;
	if (argc - optind != 1)
		return bw_cli_usage_error(cli->cmd, argc - optind < 1
							? (a.scan ? "missing FILE" : "missing TARGET")
							: "too many arguments");
	const char *target = argv[optind];
	if (a.scan) {
		/* sbom scan FILE: the file, whatever its name says */
		char *t =
		    bw_str_starts_with(target, "sbom:") ? bw_strdup(target) : bw_asprintf("sbom:%s", target);
		rc = bw_cli_scan(cli, t, t + 5, "sbom", &a.sa);
		free(t);
		return rc;
	}
	if (!cli->format_set)
		cli->format = BW_FORMAT_CYCLONEDX;
	if (cli->format != BW_FORMAT_CYCLONEDX && cli->format != BW_FORMAT_SPDX &&
	    cli->format != BW_FORMAT_JSON && cli->format != BW_FORMAT_TABLE)
		return bw_cli_usage_error(cli->cmd, "an SBOM is written as cyclonedx, spdx, json or table");
	rc = bw_cli_stdin_target(cli, target);
	if (!rc)
		rc = bw_cli_registry_ready(cli);
	if (rc)
		return rc;
	bool is_dir = strncmp(target, "dir:", 4) == 0, is_sbom = strncmp(target, "sbom:", 5) == 0;
	return bw_cli_scan(cli, target, is_dir || is_sbom ? target + (is_dir ? 4 : 5) : target,
			   is_dir    ? "filesystem"
			   : is_sbom ? "sbom"
				     : "image",
			   &a.sa);
}
