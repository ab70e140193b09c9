/* bulwark verify-attestation TARGET --key K.pub [--type T] — cosign-
 * compatible verification of an image's attestations. */
#include <jansson.h>

#include "cli.h"
#include "report/report.h"
#include "trust/trust.h"

const char bw_usage_verify_attestation[] =
    "usage: bulwark verify-attestation [options] --key KEY TARGET\n"
    "\n"
    "Verify an image's attestations (the sha256-<hex>.att image and the OCI 1.1\n"
    "referrers): each DSSE envelope's signature over its PAE with KEY, its in-toto\n"
    "Statement, the image's digest among the statement's subjects (else it attests\n"
    "another image) and, with --type, the predicate type. The verified statements are\n"
    "printed, one JSON document a line; why the others failed goes to standard error.\n"
    "\n"
    "Exit status: 0 when at least one attestation verifies, 1 when none does, 2 for a\n"
    "usage error, 3 when the verification could not be done.\n"
    "\n"
    "options:\n"
    "      --key FILE       the key to verify with (required)\n"
    "      --type TYPE      the predicate type wanted: cyclonedx, spdx, spdxjson, vuln,\n"
    "                       openvex, slsaprovenance, slsaprovenance02, slsaprovenance1,\n"
    "                       custom or a URI (default: any)\n"
    "  -f, --format FMT     table (the statements, default) or json\n"
    "                       (bulwark.verify-attestation/v1: every attestation and why)\n"
    "  -o, --output FILE    write to FILE instead of standard output\n"
    "  -q, --quiet          nothing on standard error\n" BW_CLI_REGISTRY_HELP
    "  -h, --help           this help\n";

enum {
	OPT_KEY = BW_OPT__COMMAND_BASE,
	OPT_TYPE,
};

struct va_args {
	const char *key, *type;
};

static int va_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	struct va_args *a = ud;
	int h = bw_cli_registry_option(cli, c, arg);
	if (h > 0 && c != BW_OPT_IMAGE_SRC)
		return 0;
	if (h < 0)
		return -h;
	switch (c) {
	case OPT_KEY:
		a->key = arg;
		return 0;
	case OPT_TYPE:
		if (!bw_trust_predicate_type(arg))
			return bw_cli_usage_error(cli->cmd, "--type '%s' is not a predicate type", arg);
		a->type = arg;
		return 0;
	}
	return bw_cli_usage_error(cli->cmd, "unexpected option");
}

static void emit(FILE *out, enum bw_format fmt, const struct bw_trust_image *img,
		 const struct bw_trust_result *res)
{
	if (fmt != BW_FORMAT_JSON) {
		for (size_t i = 0; i < res->n; i++)
			if (res->checks[i].ok)
				fprintf(out, "%s\n", res->checks[i].payload);
		return;
	}
	json_t *atts = json_array();
	for (size_t i = 0; i < res->n; i++) {
		const struct bw_trust_check *c = &res->checks[i];
		json_t *o = json_pack("{s:s, s:b}", "source", c->source, "verified", c->ok);
		if (c->ok) {
			json_object_set_new(o, "predicate_type", json_string(c->predicate_type));
			json_object_set_new(o, "statement",
					    json_loads(c->payload, JSON_REJECT_DUPLICATES, NULL));
		} else {
			json_object_set_new(o, "reason", json_string(c->reason ? c->reason : "unknown"));
		}
		json_array_append_new(atts, o);
	}
	json_t *doc =
	    json_pack("{s:s, s:s, s:s, s:b, s:o}", "schema", "bulwark.verify-attestation/v1", "target",
		      img->name, "digest", img->digest, "verified", res->n_ok > 0, "attestations", atts);
	struct bw_report *r = bw_report_new("image", img->name);
	bw_trust_result_findings(img, res, true, r);
	json_t *fs = json_array();
	for (size_t i = 0; i < r->n_findings; i++)
		json_array_append_new(fs, bw_report_finding_json(&r->findings[i]));
	json_object_set_new(doc, "findings", fs);
	bw_report_free(r);
	json_dumpf(doc, out, JSON_INDENT(2));
	fputc('\n', out);
	json_decref(doc);
}

int bw_cmd_verify_attestation(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    BW_CLI_REGISTRY_OPTIONS,
	    {"key", required_argument, NULL, OPT_KEY},
	    {"type", required_argument, NULL, OPT_TYPE},
	    {NULL, 0, NULL, 0},
	};
	struct va_args a = {0};
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT, longopts, va_option, &a, &done);
	if (rc || done)
		return rc;
	if (argc - optind != 1)
		return bw_cli_usage_error(cli->cmd,
					  argc - optind < 1 ? "missing TARGET" : "too many arguments");
	if (!a.key)
		return bw_cli_usage_error(cli->cmd, "--key is required");
	if (cli->format != BW_FORMAT_TABLE && cli->format != BW_FORMAT_JSON)
		return bw_cli_usage_error(cli->cmd, "verify-attestation writes table or json");
	struct bw_trust_key *key;
	struct bw_trust_image img;
	rc = bw_cli_trust_open(cli, a.key, false, argv[optind], &key, &img);
	if (rc)
		return rc;
	struct bw_error err = BW_ERROR_INIT;
	struct bw_trust_verify_opts vo = {.key = key, .type = a.type};
	struct bw_trust_result res = {0};
	rc = bw_trust_verify_attestations(&img, &vo, &res, &err);
	int ex;
	FILE *out = NULL;
	if (rc < 0) {
		ex = bw_cli_fail(cli, &err);
	} else if (!(out = bw_cli_open_output(cli, &err))) {
		ex = bw_cli_fail(cli, &err);
	} else {
		ex = res.n_ok ? BW_EXIT_OK : BW_EXIT_FINDINGS;
		emit(out, cli->format, &img, &res);
		if (bw_cli_close_output(cli, out, &err) < 0)
			ex = bw_cli_fail(cli, &err);
	}
	if (rc == 0 && !cli->quiet) {
		bw_cli_trust_print_failures(cli, &res);
		if (res.n_ok)
			fprintf(stderr,
				"Verification for %s (%s): %zu of %zu attestations verified with the key\n",
				img.name, img.digest, res.n_ok, res.n);
		else
			fprintf(stderr,
				"bulwark verify-attestation: error: %s (%s): no attestation verified (%zu "
				"found)\n",
				img.name, img.digest, res.n);
	}
	bw_trust_result_release(&res);
	bw_trust_image_release(&img);
	bw_trust_key_free(key);
	return ex;
}
