/* bulwark verify TARGET --key K.pub — cosign-compatible signature
 * verification of an image. */
#include <jansson.h>

#include "cli.h"

#include "cache/cache.h"
#include "report/report.h"
#include "trust/trust.h"

const char bw_usage_verify[] =
    "usage: bulwark verify [options] --key KEY TARGET\n"
    "       bulwark verify [options] --bundle B --trusted-root T --certificate-identity ID\n"
    "                      --certificate-oidc-issuer URL [ARTIFACT]\n"
    "       bulwark verify [options] --dct [--trust-server URL] IMAGE:TAG\n"
    "\n"
    "Verify an image's cosign signatures with KEY (a public key, certificate or private\n"
    "key): every signature found (the sha256-<hex>.sig image and the OCI 1.1 referrers)\n"
    "is checked: its signature over the payload, the payload's form, its manifest digest\n"
    "(the image's, else it is a signature of another image), its repository (the\n"
    "image's) and the annotations asked for with -a. The verified payloads are printed\n"
    "as a JSON array, as cosign prints them; why each other signature failed goes to\n"
    "standard error. For a local image (an OCI layout or an archive), or any image,\n"
    "--signature and --payload name a signature and its payload held in files.\n"
    "\n"
    "Exit status: 0 when at least one signature verifies, 1 when none does, 2 for a\n"
    "usage error, 3 when the verification could not be done (registry unreachable,\n"
    "more than 1000 signatures).\n"
    "\n"
    "options:\n"
    "      --key FILE       the key to verify with (required)\n"
    "  -a, --annotations KEY=VALUE  an annotation every accepted payload must carry\n"
    "                       (repeatable)\n"
    "      --signature FILE a signature (base64) to verify instead of the registry's\n"
    "      --payload FILE   the payload it signs (with --signature)\n"
    "      --policy FILE    decide allow or deny by a trust policy (YAML: which keys sign\n"
    "                       which repositories, which attestations they need); exit 0\n"
    "                       allow, 1 deny\n"
    "      --bundle FILE    a Sigstore bundle (v0.1-v0.3) to verify offline; the operand\n"
    "                       is then the signed file (none for a DSSE bundle, whose\n"
    "                       payload is printed)\n"
    "      --trusted-root FILE  Sigstore's trusted_root.json (with --bundle)\n"
    "      --certificate-identity ID  the certificate's SAN, exactly (with --bundle)\n"
    "      --certificate-oidc-issuer URL  its OIDC issuer, exactly (with --bundle)\n"
    "      --dct            Docker Content Trust (Notary v1): the tag must be signed in the\n"
    "                       repository's TUF metadata (root, timestamp, snapshot, targets\n"
    "                       and its delegations such as targets/releases: signatures,\n"
    "                       thresholds, expiry, no rollback) for the manifest the registry\n"
    "                       serves; the root is pinned in the cache on first use; exit 0\n"
    "                       signed, 1 not\n"
    "      --trust-server URL  the Notary server (with --dct; default\n"
    "                       $DOCKER_CONTENT_TRUST_SERVER, else https://notary.docker.io for\n"
    "                       Docker Hub and https://REGISTRY for others); --registry-ca is\n"
    "                       trusted for it too\n"
    "      --dct-root FILE  the repository's root.json to trust instead of the one pinned\n"
    "                       (with --dct)\n"
    "  -f, --format FMT     table (the payloads, default) or json (bulwark.verify/v1:\n"
    "                       every signature, verified or not, and why; findings of kind\n"
    "                       supply-chain when the verification fails)\n"
    "  -o, --output FILE    write to FILE instead of standard output\n"
    "  -q, --quiet          nothing on standard error\n" BW_CLI_REGISTRY_HELP
    "  -h, --help           this help\n";

#define BW_VERIFY_SCHEMA "bulwark.verify/v1"

enum {
	OPT_KEY = BW_OPT__COMMAND_BASE,
	OPT_SIGNATURE,
	OPT_PAYLOAD,
	OPT_BUNDLE,
	OPT_TRUSTED_ROOT,
	OPT_IDENTITY,
	OPT_OIDC_ISSUER,
	OPT_POLICY,
	OPT_DCT,
	OPT_TRUST_SERVER,
	OPT_DCT_ROOT,
};

#define MAX_ANNOTATIONS 64

struct verify_args {
	const char *key;
	const char *annotations[MAX_ANNOTATIONS];
	size_t n_annotations;
	const char *signature, *payload;
	const char *bundle, *trusted_root, *identity, *issuer;
	const char *policy;
	bool dct;
	const char *trust_server, *dct_root;
};

static int verify_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	struct verify_args *a = ud;
	int h =
	    bw_cli_trust_annotation_option(cli, c, arg, a->annotations, &a->n_annotations, MAX_ANNOTATIONS);
	if (h)
		return h < 0 ? -h : 0;
	h = bw_cli_registry_option(cli, c, arg);
	if (h > 0 && c != BW_OPT_IMAGE_SRC)
		return 0;
	if (h < 0)
		return -h;
	switch (c) {
	case OPT_KEY:
		a->key = arg;
		return 0;
	case OPT_SIGNATURE:
		a->signature = arg;
		return 0;
	case OPT_PAYLOAD:
		a->payload = arg;
		return 0;
	case OPT_BUNDLE:
		a->bundle = arg;
		return 0;
	case OPT_TRUSTED_ROOT:
		a->trusted_root = arg;
		return 0;
	case OPT_IDENTITY:
		a->identity = arg;
		return 0;
	case OPT_OIDC_ISSUER:
		a->issuer = arg;
		return 0;
	case OPT_POLICY:
		a->policy = arg;
		return 0;
	case OPT_DCT:
		a->dct = true;
		return 0;
	case OPT_TRUST_SERVER:
		a->trust_server = arg;
		return 0;
	case OPT_DCT_ROOT:
		a->dct_root = arg;
		return 0;
	}
	return bw_cli_usage_error(cli->cmd, "unexpected option");
}

/* The supply-chain findings add() puts in a report, as the report's JSON
 * writes findings (a new array). */
static json_t *findings_json(struct bw_report *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->n_findings; i++)
		json_array_append_new(a, bw_report_finding_json(&r->findings[i]));
	return a;
}

/* The local signature and payload files checked as one signature. */
static int verify_files(const struct verify_args *a, const struct bw_trust_image *img,
			const struct bw_trust_verify_opts *vo, struct bw_trust_result *res,
			struct bw_error *err)
{
	struct bw_buf sig, pay;
	bw_buf_init(&sig, 64 * 1024);
	bw_buf_init(&pay, BW_TRUST_PAYLOAD_MAX + 1);
	int rc = bw_buf_read_file(&sig, a->signature, err);
	if (rc == 0)
		rc = bw_buf_read_file(&pay, a->payload, err);
	if (rc == 0) {
		bw_autofree char *src = bw_asprintf("%s (payload %s)", a->signature, a->payload);
		rc = bw_trust_verify_payload(img, vo, src, pay.data ? pay.data : "", pay.len,
					     sig.data ? sig.data : "", sig.len, res, err);
	}
	bw_buf_release(&sig);
	bw_buf_release(&pay);
	return rc;
}

static void emit_table(FILE *out, const struct bw_trust_result *res)
{
	fputc('[', out);
	bool first = true;
	for (size_t i = 0; i < res->n; i++) {
		if (!res->checks[i].ok)
			continue;
		/* a verified payload is strict JSON without control bytes */
		fprintf(out, "%s%s", first ? "" : ",", res->checks[i].payload);
		first = false;
	}
	fputs("]\n", out);
}

static void emit_json(FILE *out, const struct bw_trust_image *img, const struct bw_trust_result *res)
{
	json_t *sigs = json_array();
	for (size_t i = 0; i < res->n; i++) {
		const struct bw_trust_check *c = &res->checks[i];
		json_t *o = json_pack("{s:s, s:b}", "source", c->source, "verified", c->ok);
		if (c->ok)
			json_object_set_new(o, "payload",
					    json_loads(c->payload, JSON_REJECT_DUPLICATES, NULL));
		else
			json_object_set_new(o, "reason", json_string(c->reason ? c->reason : "unknown"));
		json_array_append_new(sigs, o);
	}
	json_t *doc = json_pack("{s:s, s:s, s:s, s:b, s:I, s:o}", "schema", BW_VERIFY_SCHEMA, "target",
				img->name, "digest", img->digest, "verified", res->n_ok > 0,
				"verified_signatures", (json_int_t)res->n_ok, "signatures", sigs);
	struct bw_report *r = bw_report_new("image", img->name);
	bw_trust_result_findings(img, res, false, r);
	json_object_set_new(doc, "findings", findings_json(r));
	bw_report_free(r);
	json_dumpf(doc, out, JSON_INDENT(2));
	fputc('\n', out);
	json_decref(doc);
}

/* --bundle: a Sigstore bundle verified offline; the operand is the signed
 * file (none for a DSSE bundle, whose payload is printed). */
static int verify_bundle(struct bw_cli *cli, const struct verify_args *a, int nops, char **ops)
{
	if (!a->bundle || !a->trusted_root || !a->identity || !a->issuer)
		return bw_cli_usage_error(cli->cmd,
					  "--bundle needs --trusted-root, --certificate-identity and "
					  "--certificate-oidc-issuer");
	if (a->key || a->signature || a->payload || a->n_annotations)
		return bw_cli_usage_error(cli->cmd,
					  "--bundle goes without --key, --signature, --payload and -a");
	if (nops > 1)
		return bw_cli_usage_error(cli->cmd, "too many arguments (one ARTIFACT file)");
	if (cli->format != BW_FORMAT_TABLE && cli->format != BW_FORMAT_JSON)
		return bw_cli_usage_error(cli->cmd, "verify writes table or json");
	struct bw_buf bundle, root, art;
	bw_buf_init(&bundle, BW_TRUST_BUNDLE_MAX);
	bw_buf_init(&root, BW_TRUST_BUNDLE_MAX);
	bw_buf_init(&art, (size_t)1 << 34);
	struct bw_error err = BW_ERROR_INIT;
	int rc = bw_buf_read_file(&bundle, a->bundle, &err);
	if (rc == 0)
		rc = bw_buf_read_file(&root, a->trusted_root, &err);
	if (rc == 0 && nops == 1)
		rc = bw_buf_read_file(&art, ops[0], &err);
	struct bw_trust_bundle_policy pol = {.identity = a->identity, .issuer = a->issuer};
	struct bw_trust_bundle_result res = {0};
	int ex = BW_EXIT_OK;
	if (rc == 0)
		rc = bw_trust_bundle_verify(bundle.data, bundle.len, root.data, root.len,
					    nops == 1 ? (art.data ? art.data : "") : NULL, art.len, &pol,
					    &res, &err);
	if (rc == BW_EINTEGRITY) {
		if (!cli->quiet)
			fprintf(stderr, "bulwark verify: %s: not verified: %s\n", a->bundle, err.msg);
		ex = BW_EXIT_FINDINGS;
	} else if (rc < 0) {
		ex = bw_cli_fail(cli, &err);
	}
	FILE *out = NULL;
	if (ex != BW_EXIT_USAGE && ex != BW_EXIT_ERROR && (out = bw_cli_open_output(cli, &err))) {
		if (cli->format == BW_FORMAT_JSON) {
			json_t *doc = json_pack("{s:s, s:s, s:b}", "schema", BW_VERIFY_SCHEMA, "bundle",
						a->bundle, "verified", rc == 0);
			if (rc == 0) {
				json_object_set_new(doc, "identity", json_string(res.identity));
				json_object_set_new(doc, "issuer", json_string(res.issuer));
				json_object_set_new(doc, "signed_at", json_integer(res.signed_at));
				if (res.dsse) {
					json_object_set_new(doc, "payload_type",
							    json_string(res.payload_type));
					json_object_set_new(doc, "payload",
							    json_stringn(res.payload, res.payload_len));
				}
			} else {
				json_object_set_new(doc, "reason", json_string(err.msg));
			}
			struct bw_report *r = bw_report_new("file", a->bundle);
			if (rc != 0)
				bw_trust_bundle_finding(a->bundle, err.msg, r);
			json_object_set_new(doc, "findings", findings_json(r));
			bw_report_free(r);
			json_dumpf(doc, out, JSON_INDENT(2));
			fputc('\n', out);
			json_decref(doc);
		} else if (rc == 0 && res.dsse) {
			fwrite(res.payload, 1, res.payload_len, out);
			fputc('\n', out);
		}
		if (bw_cli_close_output(cli, out, &err) < 0)
			ex = bw_cli_fail(cli, &err);
	} else if (ex == BW_EXIT_OK || ex == BW_EXIT_FINDINGS) {
		ex = bw_cli_fail(cli, &err);
	}
	if (rc == 0 && !cli->quiet)
		fprintf(stderr, "Verified OK: %s signed by %s (issuer %s), %zu verified time%s\n", a->bundle,
			res.identity, res.issuer, res.n_times, res.n_times == 1 ? "" : "s");
	bw_trust_bundle_result_release(&res);
	bw_buf_release(&bundle);
	bw_buf_release(&root);
	bw_buf_release(&art);
	return ex;
}

/* --policy: allow or deny the image by the policy's rules. */
static int verify_policy(struct bw_cli *cli, const struct verify_args *a, int nops, char **ops)
{
	if (a->key || a->signature || a->payload || a->n_annotations)
		return bw_cli_usage_error(cli->cmd,
					  "--policy goes without --key, --signature, --payload and -a");
	if (nops != 1)
		return bw_cli_usage_error(cli->cmd, nops < 1 ? "missing TARGET" : "too many arguments");
	if (cli->format != BW_FORMAT_TABLE && cli->format != BW_FORMAT_JSON)
		return bw_cli_usage_error(cli->cmd, "verify writes table or json");
	int rc = bw_cli_registry_ready(cli);
	if (rc)
		return rc;
	struct bw_error err = BW_ERROR_INIT;
	struct bw_trust_policy *pol = NULL;
	if (bw_trust_policy_load(a->policy, &pol, &err) < 0)
		return bw_cli_fail(cli, &err);
	struct bw_trust_image img;
	if (bw_trust_image_open(ops[0], bw_cli_registry_opts(cli), &img, &err) < 0) {
		bw_trust_policy_free(pol);
		return bw_cli_fail(cli, &err);
	}
	struct bw_trust_decision d = {0};
	int ex;
	FILE *out = NULL;
	if (!img.reg)
		rc = bw_error_set(&err, BW_EUSAGE, "%s: a policy decides about registry images", img.name);
	else
		rc = bw_trust_policy_evaluate(pol, &img, &d, &err);
	if (rc < 0) {
		ex = bw_cli_fail(cli, &err);
	} else if (!(out = bw_cli_open_output(cli, &err))) {
		ex = bw_cli_fail(cli, &err);
	} else {
		ex = d.allow ? BW_EXIT_OK : BW_EXIT_FINDINGS;
		if (cli->format == BW_FORMAT_JSON) {
			json_t *rs = json_array();
			for (size_t i = 0; i < d.n_reasons; i++)
				json_array_append_new(rs, json_string(d.reasons[i]));
			json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "schema",
						"bulwark.verify-policy/v1", "target", img.name, "digest",
						img.digest, "decision", d.allow ? "allow" : "deny", "policy",
						d.rule ? json_string(d.rule) : json_null(), "reasons", rs);
			json_dumpf(doc, out, JSON_INDENT(2));
			fputc('\n', out);
			json_decref(doc);
		} else {
			fprintf(out, "%s %s@%s", d.allow ? "allow" : "deny", img.name, img.digest);
			if (d.rule)
				fprintf(out, " (policy %s)", d.rule);
			fputc('\n', out);
			for (size_t i = 0; i < d.n_reasons; i++)
				fprintf(out, "  %s\n", d.reasons[i]);
		}
		if (bw_cli_close_output(cli, out, &err) < 0)
			ex = bw_cli_fail(cli, &err);
	}
	bw_trust_decision_release(&d);
	bw_trust_image_release(&img);
	bw_trust_policy_free(pol);
	return ex;
}

/* --dct: Docker Content Trust for the tag. */
static int verify_dct(struct bw_cli *cli, const struct verify_args *a, int nops, char **ops)
{
	if (a->key || a->signature || a->payload || a->n_annotations || a->policy)
		return bw_cli_usage_error(
		    cli->cmd, "--dct goes without --key, --signature, --payload, -a and --policy");
	if (nops != 1)
		return bw_cli_usage_error(cli->cmd, nops < 1 ? "missing TARGET" : "too many arguments");
	if (cli->format != BW_FORMAT_TABLE && cli->format != BW_FORMAT_JSON)
		return bw_cli_usage_error(cli->cmd, "verify writes table or json");
	int rc = bw_cli_registry_ready(cli);
	if (rc)
		return rc;
	struct bw_error err = BW_ERROR_INIT;
	struct bw_trust_image img;
	if (bw_trust_image_open(ops[0], bw_cli_registry_opts(cli), &img, &err) < 0)
		return bw_cli_fail(cli, &err);
	bw_autofree char *cache = bw_cache_default_dir();
	struct bw_trust_dct_opts o = {
	    .server = a->trust_server, .root_file = a->dct_root, .cache_dir = cache};
	struct bw_trust_dct_result res = {0};
	int ex;
	FILE *out = NULL;
	rc = bw_trust_dct_verify(&img, bw_cli_registry_opts(cli), &o, &res, &err);
	if (rc < 0) {
		ex = bw_cli_fail(cli, &err);
	} else if (!(out = bw_cli_open_output(cli, &err))) {
		ex = bw_cli_fail(cli, &err);
	} else {
		ex = res.ok ? BW_EXIT_OK : BW_EXIT_FINDINGS;
		if (cli->format == BW_FORMAT_JSON) {
			json_t *dct = json_pack("{s:s, s:s, s:b}", "server", res.server, "gun", res.gun,
						"root_pinned_now", res.pinned);
			if (res.ok) {
				json_object_set_new(dct, "role", json_string(res.role));
				json_object_set_new(dct, "root_version", json_integer(res.root_version));
				json_object_set_new(dct, "targets_version",
						    json_integer(res.targets_version));
			}
			json_t *doc =
			    json_pack("{s:s, s:s, s:s, s:b, s:o}", "schema", BW_VERIFY_SCHEMA, "target",
				      img.name, "digest", img.digest, "verified", res.ok, "dct", dct);
			if (!res.ok)
				json_object_set_new(doc, "reason", json_string(res.reason));
			struct bw_report *r = bw_report_new("image", img.name);
			bw_trust_dct_finding(&img, &res, r);
			json_object_set_new(doc, "findings", findings_json(r));
			bw_report_free(r);
			json_dumpf(doc, out, JSON_INDENT(2));
			fputc('\n', out);
			json_decref(doc);
		} else if (res.ok) {
			fprintf(out, "%s@%s signed by %s (Docker Content Trust, %s)\n", img.name, img.digest,
				res.role, res.server);
		}
		if (bw_cli_close_output(cli, out, &err) < 0)
			ex = bw_cli_fail(cli, &err);
	}
	if (rc == 0 && !cli->quiet) {
		if (res.pinned)
			fprintf(stderr, "bulwark verify: %s: root of %s pinned on first use (from %s)\n",
				img.name, res.gun, res.server);
		if (res.ok)
			fprintf(stderr,
				"Verification for %s (%s): the tag is signed in %s's TUF metadata: root "
				"v%lld, timestamp, snapshot, targets v%lld (%s)\n",
				img.name, img.digest, res.gun, (long long)res.root_version,
				(long long)res.targets_version, res.role);
		else
			fprintf(stderr, "bulwark verify: error: %s (%s): Docker Content Trust: %s\n",
				img.name, img.digest, res.reason);
	}
	bw_trust_dct_result_release(&res);
	bw_trust_image_release(&img);
	return ex;
}

int bw_cmd_verify(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    BW_CLI_REGISTRY_OPTIONS,
	    {"key", required_argument, NULL, OPT_KEY},
	    {"annotations", required_argument, NULL, 'a'},
	    {"signature", required_argument, NULL, OPT_SIGNATURE},
	    {"payload", required_argument, NULL, OPT_PAYLOAD},
	    {"bundle", required_argument, NULL, OPT_BUNDLE},
	    {"trusted-root", required_argument, NULL, OPT_TRUSTED_ROOT},
	    {"certificate-identity", required_argument, NULL, OPT_IDENTITY},
	    {"certificate-oidc-issuer", required_argument, NULL, OPT_OIDC_ISSUER},
	    {"policy", required_argument, NULL, OPT_POLICY},
	    {"dct", no_argument, NULL, OPT_DCT},
	    {"trust-server", required_argument, NULL, OPT_TRUST_SERVER},
	    {"dct-root", required_argument, NULL, OPT_DCT_ROOT},
	    {NULL, 0, NULL, 0},
	};
	struct verify_args a = {0};
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT "a:", longopts, verify_option, &a, &done);
	if (rc || done)
		return rc;
	if (a.bundle || a.trusted_root || a.identity || a.issuer)
		return verify_bundle(cli, &a, argc - optind, argv + optind);
	if ((a.trust_server || a.dct_root) && !a.dct)
		return bw_cli_usage_error(cli->cmd, "--trust-server and --dct-root go with --dct");
	if (a.dct)
		return verify_dct(cli, &a, argc - optind, argv + optind);
	if (a.policy)
		return verify_policy(cli, &a, argc - optind, argv + optind);
	if (argc - optind != 1)
		return bw_cli_usage_error(cli->cmd,
					  argc - optind < 1 ? "missing TARGET" : "too many arguments");
	if (!a.key)
		return bw_cli_usage_error(cli->cmd, "--key is required");
	if (!a.signature != !a.payload)
		return bw_cli_usage_error(cli->cmd, "--signature and --payload go together");
	if (cli->format != BW_FORMAT_TABLE && cli->format != BW_FORMAT_JSON)
		return bw_cli_usage_error(cli->cmd, "verify writes table or json");
	struct bw_trust_key *key;
	struct bw_trust_image img;
	rc = bw_cli_trust_open(cli, a.key, false, argv[optind], &key, &img);
	if (rc)
		return rc;
	struct bw_error err = BW_ERROR_INIT;
	struct bw_trust_verify_opts vo = {
	    .key = key,
	    .annotations = a.annotations,
	    .n_annotations = a.n_annotations,
	};
	struct bw_trust_result res = {0};
	if (a.signature)
		rc = verify_files(&a, &img, &vo, &res, &err);
	else
		rc = bw_trust_verify_image(&img, &vo, &res, &err);
	int ex;
	FILE *out = NULL;
	if (rc < 0) {
		ex = bw_cli_fail(cli, &err);
	} else if (!(out = bw_cli_open_output(cli, &err))) {
		ex = bw_cli_fail(cli, &err);
	} else {
		ex = res.n_ok ? BW_EXIT_OK : BW_EXIT_FINDINGS;
		if (cli->format == BW_FORMAT_JSON)
			emit_json(out, &img, &res);
		else if (res.n_ok)
			emit_table(out, &res);
		if (bw_cli_close_output(cli, out, &err) < 0)
			ex = bw_cli_fail(cli, &err);
	}
	if (rc == 0 && !cli->quiet) {
		bw_cli_trust_print_failures(cli, &res);
		if (res.n_ok)
			fprintf(stderr,
				"Verification for %s (%s): %zu of %zu signatures verified with the key: the "
				"signature over each payload, the payload's digest and repository%s\n",
				img.name, img.digest, res.n_ok, res.n,
				a.n_annotations ? ", the annotations" : "");
		else
			fprintf(stderr, "bulwark verify: error: %s (%s): no signature verified (%zu found)\n",
				img.name, img.digest, res.n);
	}
	bw_trust_result_release(&res);
	bw_trust_image_release(&img);
	bw_trust_key_free(key);
	return ex;
}
