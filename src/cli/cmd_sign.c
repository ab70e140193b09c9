/* bulwark sign TARGET --key K — a cosign-compatible signature of an image. */
#include "cli.h"
#include "trust/trust.h"

const char bw_usage_sign[] =
    "usage: bulwark sign [options] --key KEY TARGET\n"
    "\n"
    "Sign an image's manifest digest as cosign does: a simple-signing payload naming the\n"
    "repository and the digest, signed with KEY (cosign's encrypted key, or a PKCS#8 PEM\n"
    "key: ECDSA P-256/P-384, Ed25519), pushed beside the image as a layer of the\n"
    "signature image tagged sha256-<hex>.sig (appended to the signatures already there),\n"
    "or as an OCI 1.1 referrer of the image. cosign verify accepts what this pushes.\n"
    "\n"
    "TARGET is an image in a registry (a tag is resolved to its digest first; sign by\n"
    "digest to be sure what is signed), or a local OCI layout or archive, whose\n"
    "signature is written to files (--output-signature, --output-payload).\n"
    "\n"
    "The key's password comes from BULWARK_PASSWORD (or COSIGN_PASSWORD), else the\n"
    "terminal.\n"
    "\n"
    "options:\n"
    "      --key FILE       the private key (required)\n"
    "  -a, --annotations KEY=VALUE  an annotation in the signed payload (repeatable)\n"
    "      --registry-referrers-mode MODE  legacy (the .sig tag, default) or oci-1-1\n"
    "      --output-signature FILE  also write the signature (base64) to FILE\n"
    "      --output-payload FILE    also write the signed payload to FILE\n"
    "      --no-upload      push nothing (with the two options above)\n"
    "      --reference REPO the repository the payload claims (default: the target's;\n"
    "                       required for a local image)\n"
    "  -q, --quiet          nothing on standard error\n" BW_CLI_REGISTRY_HELP
    "  -h, --help           this help\n";

enum {
	OPT_KEY = BW_OPT__COMMAND_BASE,
	OPT_MODE,
	OPT_OUT_SIG,
	OPT_OUT_PAYLOAD,
	OPT_NO_UPLOAD,
	OPT_REFERENCE,
};

#define MAX_ANNOTATIONS 64

struct sign_args {
	const char *key;
	const char *annotations[MAX_ANNOTATIONS];
	size_t n_annotations;
	enum bw_trust_mode mode;
	const char *out_sig, *out_payload, *reference;
	bool no_upload;
};

static int sign_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	struct sign_args *a = ud;
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
	case OPT_MODE:
		return bw_cli_referrers_mode(cli, arg, &a->mode);
	case OPT_OUT_SIG:
		a->out_sig = arg;
		return 0;
	case OPT_OUT_PAYLOAD:
		a->out_payload = arg;
		return 0;
	case OPT_NO_UPLOAD:
		a->no_upload = true;
		return 0;
	case OPT_REFERENCE:
		a->reference = arg;
		return 0;
	}
	return bw_cli_usage_error(cli->cmd, "unexpected option");
}

int bw_cmd_sign(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    BW_CLI_REGISTRY_OPTIONS,
	    {"key", required_argument, NULL, OPT_KEY},
	    {"annotations", required_argument, NULL, 'a'},
	    {"registry-referrers-mode", required_argument, NULL, OPT_MODE},
	    {"output-signature", required_argument, NULL, OPT_OUT_SIG},
	    {"output-payload", required_argument, NULL, OPT_OUT_PAYLOAD},
	    {"no-upload", no_argument, NULL, OPT_NO_UPLOAD},
	    {"reference", required_argument, NULL, OPT_REFERENCE},
	    {NULL, 0, NULL, 0},
	};
	struct sign_args a = {0};
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT "a:", longopts, sign_option, &a, &done);
	if (rc || done)
		return rc;
	if (argc - optind != 1)
		return bw_cli_usage_error(cli->cmd,
					  argc - optind < 1 ? "missing TARGET" : "too many arguments");
	if (!a.key)
		return bw_cli_usage_error(cli->cmd, "--key is required");
	if (a.no_upload && !a.out_sig && !a.out_payload)
		return bw_cli_usage_error(cli->cmd,
					  "--no-upload without --output-signature or --output-payload "
					  "does nothing");
	struct bw_trust_key *key;
	struct bw_trust_image img;
	rc = bw_cli_trust_open(cli, a.key, true, argv[optind], &key, &img);
	if (rc)
		return rc;
	struct bw_error err = BW_ERROR_INIT;
	struct bw_trust_sign_opts so = {
	    .key = key,
	    .annotations = a.annotations,
	    .n_annotations = a.n_annotations,
	    .mode = a.mode,
	    .no_push = a.no_upload || !img.reg,
	    .reference = a.reference,
	};
	if (!img.reg && !a.out_sig && !a.out_payload) {
		bw_trust_image_release(&img);
		bw_trust_key_free(key);
		return bw_cli_usage_error(cli->cmd,
					  "%s is a local image: write its signature with "
					  "--output-signature and --output-payload",
					  argv[optind]);
	}
	struct bw_trust_signed s;
	rc = bw_trust_sign_image(&img, &so, &s, &err);
	if (rc == 0 && a.out_payload)
		rc = bw_cli_write_file(a.out_payload, s.payload.data, s.payload.len, &err);
	if (rc == 0 && a.out_sig)
		rc = bw_cli_write_file(a.out_sig, s.signature_b64, strlen(s.signature_b64), &err);
	int ex = BW_EXIT_OK;
	if (rc < 0)
		ex = bw_cli_fail(cli, &err);
	else if (!cli->quiet && s.already)
		fprintf(stderr, "%s already holds this key's signature of %s: nothing pushed\n", s.where,
			img.digest);
	else if (!cli->quiet && s.where[0])
		fprintf(stderr, "Signed %s, pushed to %s\n", img.digest, s.where);
	bw_trust_signed_release(&s);
	bw_trust_image_release(&img);
	bw_trust_key_free(key);
	return ex;
}
