/* bulwark attest TARGET --key K --type T --predicate FILE — a cosign-
 * compatible attestation of an image. */
#include "cli.h"
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
    "      --predicate FILE the predicate, a JSON object (required)\n"
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
};

struct attest_args {
	const char *key, *predicate, *type;
	enum bw_trust_mode mode;
	bool no_upload;
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
		if (strcmp(arg, "legacy") == 0)
			a->mode = BW_TRUST_MODE_TAG;
		else if (strcmp(arg, "oci-1-1") == 0)
			a->mode = BW_TRUST_MODE_REFERRERS;
		else
			return bw_cli_usage_error(
			    cli->cmd, "--registry-referrers-mode is legacy or oci-1-1, not '%s'", arg);
		return 0;
	case OPT_NO_UPLOAD:
		a->no_upload = true;
		return 0;
	}
	return bw_cli_usage_error(cli->cmd, "unexpected option");
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
	if (!a.key || !a.predicate)
		return bw_cli_usage_error(cli->cmd, "--key and --predicate are required");
	rc = bw_cli_registry_ready(cli);
	if (rc)
		return rc;
	struct bw_error err = BW_ERROR_INIT;
	struct bw_buf pred;
	bw_buf_init(&pred, BW_TRUST_PREDICATE_MAX);
	if (bw_buf_read_file(&pred, a.predicate, &err) < 0) {
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
