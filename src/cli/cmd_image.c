/* bulwark image [inspect|files|cat] TARGET — read an image. */
#include "cli.h"
#include "image/image.h"
#include "sandbox/sandbox.h"
#include "scan/scan.h"

const char bw_usage_image[] =
    "usage: bulwark image [inspect|files|cat] [options] TARGET\n"
    "\n"
    "Read a container image in one streaming pass, verifying every digest.\n"
    "\n"
    "  bulwark image TARGET             scan the image with every scanner built in\n"
    "  bulwark image inspect TARGET     digest, platform, configuration, layers, totals\n"
    "  bulwark image files TARGET       the final filesystem (or one layer with --layer N)\n"
    "  bulwark image cat TARGET PATH    print one file of the final filesystem\n"
    "\n"
    "targets:\n"
    "  docker-archive:PATH      a tar written by docker save (legacy or OCI layout)\n"
    "  oci:DIR[:REF]            an OCI image layout directory\n"
    "  oci-archive:PATH[:REF]   an OCI image layout in a tar\n"
    "  docker:NAME[:TAG]        an image of the local Docker Engine (DOCKER_HOST honoured)\n"
    "  dir:PATH                 a root filesystem directory\n"
    "  registry:HOST[:PORT]/REPO[:TAG|@DIGEST]  an image straight from a registry\n"
    "  -                        a docker save stream on standard input (tar, gzip, zstd)\n"
    "  sbom:FILE                (scan) the packages of a CycloneDX or SPDX JSON SBOM (see\n"
    "                           'bulwark sbom scan')\n"
    "  without a prefix the kind is detected: a file is an archive, a directory with\n"
    "  index.json an OCI layout, another directory a root filesystem, else an image name:\n"
    "  the local engine's, else its registry's (see --image-src).\n"
    "\n"
    "options:\n"
    "      --scanners LIST  (scan) comma list of packages, vuln, secret, config (default: all)\n"
    "      --list-packages  (scan) include the package inventory in the report\n"
    "      --secret-config FILE  (scan) custom secret rules and allow-lists (YAML)\n"
    "      --db PATH        (scan) vulnerability database (default: ~/.cache/bulwark/db.sqlite)\n"
    "      --ignore-unfixed (scan) leave out vulnerabilities that have no fixed version yet\n"
    "      --no-cache       (scan) read and verify every layer; neither use nor fill the\n"
    "                       layer cache (see 'bulwark cache')\n" BW_CLI_VULN_HELP BW_CLI_SUPPRESS_HELP
    "      --layer N        (files) list layer N (0 = bottom) instead of the final view\n"
    "      --dockerfile FILE  (scan) the Dockerfile the image was built from: SARIF and\n"
    "                       HTML place each finding at the instruction that made its layer\n"
    "  -j, --jobs N         layers walked in parallel (default: the number of CPUs)\n" BW_CLI_REGISTRY_HELP
	BW_CLI_SANDBOX_HELP BW_CLI_FORMAT_HELP(BW_CLI_FORMATS_ALL
					       "; inspect\n"
					       "                       and files: table or json")
	    BW_CLI_PLATFORM_HELP BW_CLI_COMMON_HELP;

enum { OPT_LAYER = BW_OPT__COMMAND_BASE, OPT_JOBS, OPT_DOCKERFILE };

struct image_args {
	const char *sub; /* scan, inspect, files, cat */
	int layer;	 /* -1: final view */
	struct bw_cli_scan_args scan;
};

static int image_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	struct image_args *a = ud;
	char *end;
	long v;
	/* a configuration's image section serves every image command: its scan
	 * options do not make 'image inspect' a usage error */
	if (cli->preset_origin && strcmp(a->sub, "scan") != 0 &&
	    (c == BW_OPT_SCANNERS || c == BW_OPT_LIST_PACKAGES || c == BW_OPT_SECRET_CONFIG ||
	     c == OPT_DOCKERFILE || c == OPT_LAYER))
		return 0;
	int h = bw_cli_scan_option(cli, c, arg, &a->scan);
	if (!h)
		h = bw_cli_registry_option(cli, c, arg);
	if (h)
		return h < 0 ? -h : 0;
	switch (c) {
	case OPT_LAYER:
		v = strtol(arg, &end, 10);
		if (*end || end == arg || v < 0 || v > 100000)
			return bw_cli_usage_error(cli->cmd, "--layer takes a layer number, not '%s'", arg);
		a->layer = (int)v;
		return 0;
	case OPT_DOCKERFILE:
		cli->dockerfile = arg;
		return 0;
	case 'j':
	case OPT_JOBS:
		v = strtol(arg, &end, 10);
		if (*end || end == arg || v < 1 || v > 256)
			return bw_cli_usage_error(cli->cmd, "--jobs takes a number from 1 to 256, not '%s'",
						  arg);
		a->scan.jobs = (int)v;
		return 0;
	}
	return bw_cli_usage_error(cli->cmd, "unexpected option");
}

static int open_walk(struct bw_cli *cli, const char *target, const struct image_args *a,
		     struct bw_image **out, struct bw_error *err)
{
	struct bw_image_opts o = {.platform = cli->platform,
				  .jobs = a->scan.jobs,
				  .registry = bw_cli_registry_opts(cli),
				  .deadline = bw_cli_registry_opts(cli)->deadline,
				  .image_src = bw_cli_image_src(cli),
				  /* cat reads a layer again: keep a stream read once (standard input) */
				  .keep_stream = strcmp(a->sub, "cat") == 0};
	/* confined as a scan is (bw_cli_scan) */
	bool local;
	struct bw_sandbox *sb = bw_cli_sandbox_target(cli, target, NULL, true, &local);
	int rc = local ? bw_cli_sandbox_apply(cli, sb, err) : 0;
	if (rc < 0)
		return rc;
	rc = bw_image_open(target, &o, out, err);
	if (!local && rc < 0)
		bw_sandbox_free(sb);
	else if (!local)
		rc = bw_cli_sandbox_apply(cli, sb, err);
	if (rc < 0) {
		bw_image_free(*out);
		*out = NULL;
		return rc;
	}
	rc = bw_image_walk(*out, NULL, 0, bw_cli_image_progress(cli), (void *)cli, err);
	bw_cli_progress_done(cli);
	if (rc < 0) {
		bw_image_free(*out);
		*out = NULL;
	}
	return rc;
}

static int write_to(void *ud, const void *data, size_t len, struct bw_error *err)
{
	if (fwrite(data, 1, len, (FILE *)ud) != len)
		return bw_error_sys(err, BW_EIO, "writing the file out failed");
	return 0;
}

int bw_cmd_image(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    {"layer", required_argument, NULL, OPT_LAYER},
	    {"jobs", required_argument, NULL, OPT_JOBS},
	    {"dockerfile", required_argument, NULL, OPT_DOCKERFILE},
	    BW_CLI_SCAN_OPTIONS,
	    BW_CLI_REGISTRY_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	const char *sub = "scan";
	if (argc > 1 && (strcmp(argv[1], "inspect") == 0 || strcmp(argv[1], "files") == 0 ||
			 strcmp(argv[1], "cat") == 0)) {
		sub = argv[1];
		argc--;
		argv++;
	}
	struct image_args a = {.sub = sub, .layer = -1};
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT "j:", longopts, image_option, &a, &done);
	if (rc || done)
		return rc;
	int want = strcmp(sub, "cat") == 0 ? 2 : 1;
	if (argc - optind != want)
		return bw_cli_usage_error(
		    cli->cmd, argc - optind < want ? "missing %s" : "too many arguments (expected %s)",
		    want == 2 ? "TARGET and PATH" : "TARGET");
	if ((a.scan.scanners || a.scan.list_packages || a.scan.secret_config) && strcmp(sub, "scan") != 0)
		return bw_cli_usage_error(cli->cmd,
					  "--scanners, --list-packages and --secret-config go with a scan");
	if (cli->dockerfile && strcmp(sub, "scan") != 0)
		return bw_cli_usage_error(cli->cmd, "--dockerfile goes with a scan");
	if (a.layer >= 0 && strcmp(sub, "files") != 0)
		return bw_cli_usage_error(cli->cmd, "--layer goes with 'image files'");
	bool inspect = strcmp(sub, "inspect") == 0, files = strcmp(sub, "files") == 0;
	if ((inspect || files) && cli->format != BW_FORMAT_TABLE && cli->format != BW_FORMAT_JSON)
		return bw_cli_usage_error(cli->cmd, "image %s writes table or json", sub);
	const char *target = argv[optind];
	rc = bw_cli_stdin_target(cli, target);
	if (!rc)
		rc = bw_cli_registry_ready(cli);
	if (rc)
		return rc;

	struct bw_error err = BW_ERROR_INIT;
	bool sbom = strncmp(target, "sbom:", 5) == 0;
	if (strcmp(sub, "scan") == 0)
		return bw_cli_scan(cli, target, sbom ? target + 5 : target, sbom ? "sbom" : "image", &a.scan);
	if (sbom)
		return bw_cli_usage_error(cli->cmd,
					  "an SBOM lists packages, not files: image %s reads images", sub);

	struct bw_image *img = NULL;
	if (open_walk(cli, target, &a, &img, &err) < 0)
		return bw_cli_fail(cli, &err);
	/* the layer count is known once the image is walked: still before --output is opened */
	size_t n_layers = bw_image_info(img)->n_layers;
	if (files && a.layer >= 0 && (size_t)a.layer >= n_layers) {
		fprintf(stderr, "bulwark image: --layer %d: the image has %zu layers (0 to %zu)\n", a.layer,
			n_layers, n_layers ? n_layers - 1 : 0);
		bw_image_free(img);
		return BW_EXIT_USAGE;
	}

	FILE *out = bw_cli_open_output(cli, &err);
	if (!out) {
		bw_image_free(img);
		return bw_cli_fail(cli, &err);
	}
	if (inspect)
		rc = bw_image_inspect_write(img, cli->format, out, &err);
	else if (files)
		rc = bw_image_files_write(img, a.layer, cli->format, out, &err);
	else
		rc = bw_image_read_file(img, argv[optind + 1], write_to, out, &err);
	rc = rc < 0 ? bw_cli_fail(cli, &err) : BW_EXIT_OK;
	bw_image_free(img);
	if (bw_cli_close_output(cli, out, &err) < 0 && rc == BW_EXIT_OK)
		rc = bw_cli_fail(cli, &err);
	return rc;
}
