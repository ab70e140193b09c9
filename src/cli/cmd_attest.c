/* bulwark attest TARGET --key K --type T --predicate FILE — a cosign-
 * compatible attestation of an image. */
#include <time.h>

#include <jansson.h>

#include "cli.h"
#include "scan/scan.h"
#include "trust/trust.h"

const char bw_usage_attest[] =
    "usage: bulwark attest [options] --key KEY --predicate FILE TARGET\n"
    "\n"
    "Attest an image as cosign attest does: an in-toto Statement whose subject is the\n"
    "image's manifest digest and whose predicate is FILE (JSON), in a DSSE envelope\n"
    "signed with KEY, pushed as a layer of the image tagged sha256-<hex>.att (appended\n"
    "to those there) or as an OCI 1.1 referrer. cosign verify-attestation and bulwark\n"
    "verify-attestation check it.\n"
    "\n"
    "options:\n"
    "      --key FILE       the private key (required)\n"
    "      --predicate FILE the predicate, a JSON object\n"
    "      --scan           make the predicate by scanning the image's digest now:\n"
    "                       its SBOM (--type cyclonedx, spdx, spdxjson) or its\n"
    "                       vulnerabilities (--type vuln: bulwark's JSON report in\n"
    "                       cosign's vuln predicate) — scan, attest and sign in one go\n"
    "      --db PATH        the vulnerability database for --scan --type vuln\n"
    "      --type TYPE      cyclonedx, spdx, spdxjson, vuln, openvex, slsaprovenance,\n"
    "                       slsaprovenance02, slsaprovenance1, custom (default) or a URI\n"
    "      --registry-referrers-mode MODE  legacy (the .att tag, default) or oci-1-1\n"
    "      --no-upload      push nothing; print the envelope\n"
    "  -q, --quiet          nothing on standard error\n" BW_CLI_REGISTRY_HELP
    "  -h, --help           this help\n";

enum {
	OPT_KEY = BW_OPT__COMMAND_BASE,
	OPT_PREDICATE,
	OPT_TYPE,
	OPT_MODE,
	OPT_NO_UPLOAD,
	OPT_SCAN,
};

struct attest_args {
	const char *key, *predicate, *type;
	enum bw_trust_mode mode;
	bool no_upload, scan;
};

static int attest_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	struct attest_args *a = ud;
	int h = bw_cli_registry_option(cli, c, arg);
	if (h > 0 && c != BW_OPT_IMAGE_SRC)
		return 0;
	if (h < 0)
		return -h;
	switch (c) {
	case OPT_KEY:
		a->key = arg;
		return 0;
	case OPT_PREDICATE:
		a->predicate = arg;
		return 0;
	case OPT_TYPE:
		if (!bw_trust_predicate_type(arg))
			return bw_cli_usage_error(cli->cmd, "--type '%s' is not a predicate type", arg);
		a->type = arg;
		return 0;
	case OPT_MODE:
		return bw_cli_referrers_mode(cli, arg, &a->mode);
	case OPT_NO_UPLOAD:
		a->no_upload = true;
		return 0;
	case OPT_SCAN:
		a->scan = true;
		return 0;
	case BW_OPT_DB:
		cli->db_path = arg;
		return 0;
	}
	return bw_cli_usage_error(cli->cmd, "unexpected option");
}

static void rfc3339(double t, char *out, size_t n)
{
	time_t s = (time_t)t;
	struct tm tm;
	gmtime_r(&s, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The predicate from a scan of exactly the digest attested (the registry
 * image by digest, not its tag, which may have moved). 0, or nonzero
 * after printing why. */
static int scan_predicate(struct bw_cli *cli, const struct bw_trust_image *img, const char *type,
			  enum bw_format fmt, struct bw_buf *pred)
{
	bw_autofree char *target =
	    img->reg ? bw_asprintf("registry:%s/%s@%s", img->ref.domain, img->ref.repo, img->digest)
		     : bw_strdup(img->name);
	bool vuln = fmt == BW_FORMAT_JSON;
	struct bw_scan_opts so = {
	    .target = target,
	    .report_name = img->repository ? img->repository : img->name,
	    .platform = cli->platform,
	    .jobs = 0,
	    .scanners = vuln ? (BW_SCAN_PACKAGES | BW_SCAN_VULN) : BW_SCAN_PACKAGES,
	    .list_packages = !vuln,
	    .db_path = cli->db_path,
	    .db_max_age = 7,
	    .references = true,
	    .registry = bw_cli_registry_opts(cli),
	    .image_src = "registry",
	};
	(void)type;
	struct bw_error err = BW_ERROR_INIT;
	struct bw_report *r = NULL;
	double started = bw_now();
	int rc = bw_scan_run(&so, &r, &err);
	if (!r) {
		bw_cli_fail(cli, &err);
		return -1;
	}
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);
	struct bw_write_opts wo = {.tool_version = BW_VERSION_STRING};
	bw_report_sort(r);
	if (f && rc >= 0)
		rc = bw_report_write(r, fmt, f, &wo, &err);
	if (f)
		fclose(f);
	bw_report_free(r);
	if (rc < 0 || !mem) {
		free(mem);
		bw_cli_fail(cli, &err);
		return -1;
	}
	if (!vuln) {
		rc = bw_buf_add(pred, mem, len);
	} else {
		/* cosign's vuln predicate: the scanner and its result */
		json_t *result = json_loadb(mem, len, 0, NULL);
		char t0[32], t1[32];
		rfc3339(started, t0, sizeof(t0));
		rfc3339(bw_now(), t1, sizeof(t1));
		json_t *p = json_pack("{s:{s:s, s:s}, s:{s:s, s:s, s:o}, s:{s:s, s:s}}", "invocation", "uri",
				      "", "event_id", "", "scanner", "uri", "pkg:generic/bulwark", "version",
				      BW_VERSION_STRING, "result", result ? result : json_null(), "metadata",
				      "scanStartedOn", t0, "scanFinishedOn", t1);
		char *s = json_dumps(p, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(p);
		rc = s ? bw_buf_addstr(pred, s) : -1;
		free(s);
	}
	free(mem);
	if (rc < 0) {
		fprintf(stderr, "bulwark attest: error: the predicate passes %u bytes\n",
			BW_TRUST_PREDICATE_MAX);
		return -1;
	}
	return 0;
}

int bw_cmd_attest(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    BW_CLI_REGISTRY_OPTIONS,
	    {"key", required_argument, NULL, OPT_KEY},
	    {"predicate", required_argument, NULL, OPT_PREDICATE},
	    {"type", required_argument, NULL, OPT_TYPE},
	    {"registry-referrers-mode", required_argument, NULL, OPT_MODE},
	    {"no-upload", no_argument, NULL, OPT_NO_UPLOAD},
	    {"scan", no_argument, NULL, OPT_SCAN},
	    {"db", required_argument, NULL, BW_OPT_DB},
	    {NULL, 0, NULL, 0},
	};
	struct attest_args a = {.type = "custom"};
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT, longopts, attest_option, &a, &done);
	if (rc || done)
		return rc;
	if (argc - optind != 1)
		return bw_cli_usage_error(cli->cmd,
					  argc - optind < 1 ? "missing TARGET" : "too many arguments");
	if (!a.key)
		return bw_cli_usage_error(cli->cmd, "--key is required");
	if (!a.predicate == !a.scan)
		return bw_cli_usage_error(cli->cmd, "one of --predicate and --scan is required");
	enum bw_format scan_fmt = BW_FORMAT_JSON;
	if (a.scan) {
		if (strcmp(a.type, "cyclonedx") == 0)
			scan_fmt = BW_FORMAT_CYCLONEDX;
		else if (strcmp(a.type, "spdx") == 0 || strcmp(a.type, "spdxjson") == 0)
			scan_fmt = BW_FORMAT_SPDX;
		else if (strcmp(a.type, "vuln") != 0)
			return bw_cli_usage_error(
			    cli->cmd, "--scan makes cyclonedx, spdx, spdxjson or vuln predicates");
	}
	rc = bw_cli_registry_ready(cli);
	if (rc)
		return rc;
	struct bw_error err = BW_ERROR_INIT;
	struct bw_buf pred;
	bw_buf_init(&pred, BW_TRUST_PREDICATE_MAX);
	if (a.predicate && bw_buf_read_file(&pred, a.predicate, &err) < 0) {
		bw_buf_release(&pred);
		return bw_cli_fail(cli, &err);
	}
	struct bw_trust_key *key = NULL;
	rc = bw_cli_load_key(cli, a.key, true, &key);
	if (rc) {
		bw_buf_release(&pred);
		return rc;
	}
	struct bw_trust_image img;
	struct bw_trust_attested at = {0};
	int ex = BW_EXIT_OK;
	if (bw_trust_image_open(argv[optind], bw_cli_registry_opts(cli), &img, &err) < 0) {
		ex = bw_cli_fail(cli, &err);
	} else if (a.scan && scan_predicate(cli, &img, a.type, scan_fmt, &pred) != 0) {
		ex = BW_EXIT_ERROR;
		bw_trust_image_release(&img);
	} else {
		struct bw_trust_attest_opts ao = {
		    .key = key,
		    .type = a.type,
		    .predicate = pred.data ? pred.data : "",
		    .predicate_len = pred.len,
		    .mode = a.mode,
		    .no_push = a.no_upload || !img.reg,
		};
		if (bw_trust_attest_image(&img, &ao, &at, &err) < 0)
			ex = bw_cli_fail(cli, &err);
		else if (ao.no_push)
			printf("%s\n", at.envelope);
		else if (!cli->quiet)
			fprintf(stderr, "Attested %s (%s), pushed to %s\n", img.digest,
				bw_trust_predicate_type(a.type), at.where);
		bw_trust_image_release(&img);
	}
	bw_trust_attested_release(&at);
	bw_trust_key_free(key);
	bw_buf_release(&pred);
	return ex;
}
