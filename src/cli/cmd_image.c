/* bulwark image [inspect|files|cat] TARGET — read an image. */
#include <jansson.h>

#include "cli.h"
#include "image/image.h"
#include "sandbox/sandbox.h"
#include "scan/scan.h"
#include "trust/trust.h"

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
    "      --vex-from-attestations  (scan, with --key) apply the image's OpenVEX\n"
    "                       attestations (cosign's .att image and referrers) that verify with\n"
    "                       the key, as --vex does, to a scan of the digest they attest;\n"
    "                       others are ignored with a warning\n"
    "      --key FILE       (scan) the public key of --vex-from-attestations\n"
    "      --layer N        (files) list layer N (0 = bottom) instead of the final view\n"
    "      --dockerfile FILE  (scan) the Dockerfile the image was built from: SARIF and\n"
    "                       HTML place each finding at the instruction that made its layer\n"
    "  -j, --jobs N         layers walked in parallel (default: the number of CPUs)\n" BW_CLI_REGISTRY_HELP
	BW_CLI_SANDBOX_HELP BW_CLI_FORMAT_HELP(BW_CLI_FORMATS_ALL
					       "; inspect\n"
					       "                       and files: table or json")
	    BW_CLI_PLATFORM_HELP BW_CLI_COMMON_HELP;

enum { OPT_LAYER = BW_OPT__COMMAND_BASE, OPT_JOBS, OPT_DOCKERFILE, OPT_VEX_ATT, OPT_KEY };

struct image_args {
	const char *sub; /* scan, inspect, files, cat */
	int layer;	 /* -1: final view */
	struct bw_cli_scan_args scan;
	bool vex_att;	 /* --vex-from-attestations */
	const char *key; /* --key: what the attestations must verify with */
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
	case OPT_VEX_ATT:
		a->vex_att = true;
		return 0;
	case OPT_KEY:
		a->key = arg;
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
	if (sb && o.keep_stream) {
		/* cat keeps a stream read once (standard input, a pipe) in an unlinked
		 * file of TMPDIR (docs/image.md) */
		const char *tmp = getenv("TMPDIR");
		bw_sandbox_allow(sb, tmp && *tmp ? tmp : "/tmp", BW_SANDBOX_WRITE);
		if (tmp && *tmp)
			bw_sandbox_allow(sb, "/tmp", BW_SANDBOX_WRITE);
	}
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

/* --vex-from-attestations: the OpenVEX attestations of the image that verify
 * with the key, applied as --vex documents are, to a scan of exactly the
 * digest they attest; the others are ignored with a warning. */
static int scan_with_attested_vex(struct bw_cli *cli, const char *target, const struct image_args *a)
{
	struct bw_trust_key *key;
	struct bw_trust_image img;
	int rc = bw_cli_trust_open(cli, a->key, false, target, &key, &img);
	if (rc)
		return rc;
	struct bw_error err = BW_ERROR_INIT;
	struct bw_trust_verify_opts vo = {.key = key};
	struct bw_trust_result res = {0};
	const char *openvex = bw_trust_predicate_type("openvex");
	if (bw_trust_verify_attestations(&img, &vo, &res, &err) < 0) {
		rc = bw_cli_fail(cli, &err);
		goto out;
	}
	size_t n = 0;
	cli->vex_docs = bw_calloc(res.n + 1, sizeof(char *));
	cli->vex_doc_names = bw_calloc(res.n + 1, sizeof(char *));
	for (size_t i = 0; i < res.n; i++) {
		const struct bw_trust_check *c = &res.checks[i];
		if (!c->ok) {
			if (!cli->quiet)
				fprintf(stderr, "bulwark image: warning: %s: attestation ignored: %s\n",
					c->source, c->reason ? c->reason : "it does not verify");
			continue;
		}
		if (strcmp(c->predicate_type, openvex) != 0)
			continue;
		/* a verified statement is strict JSON with a predicate */
		json_t *st = json_loads(c->payload, JSON_REJECT_DUPLICATES, NULL);
		char *doc = json_dumps(json_object_get(st, "predicate"), JSON_COMPACT);
		json_decref(st);
		if (!doc)
			continue;
		cli->vex_docs[n] = doc;
		cli->vex_doc_names[n] = bw_asprintf("OpenVEX attestation %s", c->source);
		n++;
	}
	cli->n_vex_docs = n;
	if (!cli->quiet)
		fprintf(stderr, "bulwark image: %s (%s): %zu verified OpenVEX attestation%s applied\n",
			img.name, img.digest, n, n == 1 ? "" : "s");
	if (img.reg) {
		bw_autofree char *by_digest =
		    bw_asprintf("registry:%s/%s@%s", img.ref.domain, img.ref.repo, img.digest);
		rc = bw_cli_scan(cli, by_digest, target, "image", &a->scan);
	}
	for (size_t i = 0; i < n; i++) {
		free(cli->vex_docs[i]);
		free(cli->vex_doc_names[i]);
	}
	free(cli->vex_docs);
	free(cli->vex_doc_names);
	cli->vex_docs = cli->vex_doc_names = NULL;
	cli->n_vex_docs = 0;
out:
	bw_trust_result_release(&res);
	bw_trust_image_release(&img);
	bw_trust_key_free(key);
	return rc;
}

int bw_cmd_image(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    {"layer", required_argument, NULL, OPT_LAYER},
	    {"jobs", required_argument, NULL, OPT_JOBS},
	    {"dockerfile", required_argument, NULL, OPT_DOCKERFILE},
	    {"vex-from-attestations", no_argument, NULL, OPT_VEX_ATT},
	    {"key", required_argument, NULL, OPT_KEY},
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
	if ((a.vex_att || a.key) && (strcmp(sub, "scan") != 0 || !a.vex_att || !a.key))
		return bw_cli_usage_error(cli->cmd,
					  "--vex-from-attestations and --key go together, with a scan");
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
	if (strcmp(sub, "scan") == 0 && a.vex_att) {
		if (sbom)
			return bw_cli_usage_error(
			    cli->cmd, "--vex-from-attestations reads an image's attestations, not an SBOM's");
		return scan_with_attested_vex(cli, target, &a);
	}
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
