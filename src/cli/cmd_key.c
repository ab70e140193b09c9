/* bulwark key generate — a cosign-compatible signing key pair. */
#include <errno.h>
#include <fcntl.h>

#include "cli.h"
#include "trust/trust.h"

const char bw_usage_key[] =
    "usage: bulwark key generate [options]\n"
    "\n"
    "Generate an ECDSA P-256 key pair for signing images and attestations: NAME.key, the\n"
    "private key encrypted with a password (cosign's format: scrypt and NaCl secretbox, PEM\n"
    "type ENCRYPTED SIGSTORE PRIVATE KEY), and NAME.pub, the public key (PEM, PKIX). cosign\n"
    "reads both, and bulwark reads what cosign generate-key-pair writes.\n"
    "\n"
    "The password comes from BULWARK_PASSWORD (or COSIGN_PASSWORD), else it is asked for\n"
    "twice on the terminal. An empty password is allowed, as cosign allows it.\n"
    "\n"
    "options:\n"
    "      --output-key-prefix NAME  write NAME.key and NAME.pub (default: cosign)\n"
    "  -q, --quiet          nothing on standard error\n"
    "  -h, --help           this help\n";

enum { OPT_PREFIX = BW_OPT__COMMAND_BASE };

static int key_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	const char **prefix = ud;
	if (c == OPT_PREFIX) {
		if (!*arg)
			return bw_cli_usage_error(cli->cmd, "--output-key-prefix needs a name");
		*prefix = arg;
		return 0;
	}
	return bw_cli_usage_error(cli->cmd, "unexpected option");
}

/* Create path (never replacing a file) with mode and write s. */
static int write_new(const char *path, const char *s, mode_t mode, struct bw_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0) {
		if (errno == EEXIST)
			return bw_error_set(err, BW_EUSAGE,
					    "%s already exists: remove it or choose another "
					    "--output-key-prefix",
					    path);
		return bw_error_sys(err, BW_EIO, "cannot create %s", path);
	}
	size_t n = strlen(s), off = 0;
	while (off < n) {
		ssize_t k = write(fd, s + off, n - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			int rc = bw_error_sys(err, BW_EIO, "writing %s failed", path);
			close(fd);
			unlink(path);
			return rc;
		}
		off += (size_t)k;
	}
	if (close(fd) != 0) {
		unlink(path);
		return bw_error_sys(err, BW_EIO, "writing %s failed", path);
	}
	return 0;
}

int bw_cmd_key(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    {"output-key-prefix", required_argument, NULL, OPT_PREFIX},
	    {NULL, 0, NULL, 0},
	};
	const char *prefix = "cosign";
	/* the options first, so that the table is known without a subcommand
	 * (help --options, the configuration file) */
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT, longopts, key_option, &prefix, &done);
	if (rc || done)
		return rc;
	if (argc - optind < 1 || strcmp(argv[optind], "generate") != 0)
		return bw_cli_usage_error(
		    cli->cmd, argc - optind < 1 ? "missing subcommand (generate)" : "unknown subcommand '%s'",
		    argc - optind < 1 ? "" : argv[optind]);
	optind++;
	if (argc - optind != 0)
		return bw_cli_usage_error(cli->cmd, "key generate takes no operand");
	bw_autofree char *kpath = bw_asprintf("%s.key", prefix);
	bw_autofree char *ppath = bw_asprintf("%s.pub", prefix);
	if (access(kpath, F_OK) == 0 || access(ppath, F_OK) == 0) {
		fprintf(stderr,
			"bulwark key: error: %s already exists: remove it or choose another "
			"--output-key-prefix\n",
			access(kpath, F_OK) == 0 ? kpath : ppath);
		return BW_EXIT_ERROR;
	}
	char *pw = NULL;
	rc = bw_cli_password(cli, true, &pw);
	if (rc)
		return rc;
	struct bw_error err = BW_ERROR_INIT;
	char *priv = NULL, *pub = NULL;
	if (bw_trust_key_generate(pw, strlen(pw), &priv, &pub, &err) < 0) {
		bw_cli_password_free(pw);
		return bw_cli_fail(cli, &err);
	}
	bw_cli_password_free(pw);
	rc = write_new(kpath, priv, 0600, &err);
	if (rc == 0 && (rc = write_new(ppath, pub, 0644, &err)) < 0)
		unlink(kpath);
	explicit_bzero(priv, strlen(priv));
	free(priv);
	free(pub);
	if (rc < 0) {
		struct bw_error e2 = err;
		e2.code = e2.code == BW_EUSAGE ? BW_EIO : e2.code; /* a file in the way is exit 3 */
		return bw_cli_fail(cli, &e2);
	}
	if (!cli->quiet)
		fprintf(stderr, "Private key written to %s\nPublic key written to %s\n", kpath, ppath);
	return BW_EXIT_OK;
}
