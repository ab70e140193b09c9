/* What the supply-chain commands (key, sign, verify, attest,
 * verify-attestation) share: the password of an encrypted key and loading
 * keys named on the command line. */
#include <errno.h>
#include <fcntl.h>
#include <termios.h>

#include "cli.h"
#include "trust/trust.h"

/* One line from the terminal with echo off; NULL when there is no terminal. */
static char *read_tty_line(const char *prompt)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct termios old, quiet;
	bool restore = tcgetattr(fd, &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	if (write(fd, prompt, strlen(prompt)) < 0) {
		/* the prompt is a courtesy */
	}
	struct bw_buf b;
	bw_buf_init(&b, 4096);
	char c;
	ssize_t k;
	while ((k = read(fd, &c, 1)) == 1 && c != '\n')
		if (bw_buf_add(&b, &c, 1) < 0)
			break;
	if (restore)
		tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* as above */
	}
	close(fd);
	if (k < 0) {
		bw_buf_release(&b);
		return NULL;
	}
	while (b.len && b.data[b.len - 1] == '\r')
		b.data[--b.len] = '\0';
	char *s = bw_buf_detach(&b, NULL);
	return s ? s : bw_strdup("");
}

int bw_cli_password(const struct bw_cli *cli, bool confirm, char **out)
{
	*out = NULL;
	const char *env = getenv("BULWARK_PASSWORD");
	if (!env)
		env = getenv("COSIGN_PASSWORD");
	if (env) {
		*out = bw_strdup(env);
		return 0;
	}
	char *a =
	    read_tty_line(confirm ? "Enter password for private key: " : "Enter password for private key: ");
	if (!a) {
		fprintf(stderr,
			"bulwark %s: error: the key's password: set BULWARK_PASSWORD (or COSIGN_PASSWORD), "
			"or run "
			"on a terminal\n",
			cli->cmd->name);
		return BW_EXIT_ERROR;
	}
	if (confirm) {
		char *b = read_tty_line("Enter password for private key again: ");
		bool same = b && strcmp(a, b) == 0;
		if (b) {
			explicit_bzero(b, strlen(b));
			free(b);
		}
		if (!same) {
			explicit_bzero(a, strlen(a));
			free(a);
			fprintf(stderr, "bulwark %s: error: the passwords do not match\n", cli->cmd->name);
			return BW_EXIT_ERROR;
		}
	}
	*out = a;
	return 0;
}

void bw_cli_password_free(char *pw)
{
	if (pw) {
		explicit_bzero(pw, strlen(pw));
		free(pw);
	}
}

int bw_cli_load_key(const struct bw_cli *cli, const char *path, bool need_private, struct bw_trust_key **out)
{
	*out = NULL;
	struct bw_buf b;
	bw_buf_init(&b, BW_TRUST_KEY_FILE_MAX);
	struct bw_error err = BW_ERROR_INIT;
	if (bw_buf_read_file(&b, path, &err) < 0) {
		bw_buf_release(&b);
		return bw_cli_fail(cli, &err);
	}
	char *pw = NULL;
	int rc = 0;
	if (bw_trust_key_is_encrypted(b.data, b.len))
		rc = bw_cli_password(cli, false, &pw);
	if (rc == 0 && bw_trust_key_load(b.data, b.len, path, pw, pw ? strlen(pw) : 0, out, &err) < 0)
		rc = bw_cli_fail(cli, &err);
	bw_cli_password_free(pw);
	explicit_bzero(b.data, b.len);
	bw_buf_release(&b);
	if (rc == 0 && need_private && !bw_trust_key_has_private(*out)) {
		fprintf(stderr, "bulwark %s: error: %s holds a public key; signing needs the private key\n",
			cli->cmd->name, path);
		bw_trust_key_free(*out);
		*out = NULL;
		rc = BW_EXIT_USAGE;
	}
	return rc;
}

int bw_cli_trust_annotation_option(struct bw_cli *cli, int c, const char *arg, const char **annotations,
				   size_t *n_annotations, size_t max)
{
	if (c != 'a')
		return 0;
	if (!strchr(arg, '=') || arg[0] == '=')
		return -bw_cli_usage_error(cli->cmd, "-a '%s' is not KEY=VALUE", arg);
	if (*n_annotations >= max)
		return -bw_cli_usage_error(cli->cmd, "at most %zu annotations", max);
	annotations[(*n_annotations)++] = arg;
	return 1;
}

int bw_cli_trust_open(struct bw_cli *cli, const char *key_path, bool need_private, const char *target,
		      struct bw_trust_key **key, struct bw_trust_image *img)
{
	int rc = bw_cli_registry_ready(cli);
	if (rc)
		return rc;
	*key = NULL;
	rc = bw_cli_load_key(cli, key_path, need_private, key);
	if (rc)
		return rc;
	struct bw_error err = BW_ERROR_INIT;
	if (bw_trust_image_open(target, bw_cli_registry_opts(cli), img, &err) < 0) {
		bw_trust_key_free(*key);
		*key = NULL;
		return bw_cli_fail(cli, &err);
	}
	return 0;
}

int bw_cli_referrers_mode(struct bw_cli *cli, const char *arg, enum bw_trust_mode *mode)
{
	if (strcmp(arg, "legacy") == 0)
		*mode = BW_TRUST_MODE_TAG;
	else if (strcmp(arg, "oci-1-1") == 0)
		*mode = BW_TRUST_MODE_REFERRERS;
	else
		return bw_cli_usage_error(cli->cmd,
					  "--registry-referrers-mode is legacy or oci-1-1, not '%s'", arg);
	return 0;
}

int bw_cli_write_file(const char *path, const void *data, size_t len, struct bw_error *err)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return bw_error_sys(err, BW_EIO, "cannot create %s", path);
	bool ok = fwrite(data, 1, len, f) == len;
	if (fclose(f) != 0)
		ok = false;
	return ok ? 0 : bw_error_sys(err, BW_EIO, "writing %s failed", path);
}

void bw_cli_trust_print_failures(const struct bw_cli *cli, const struct bw_trust_result *res)
{
	for (size_t i = 0; i < res->n; i++) {
		const struct bw_trust_check *c = &res->checks[i];
		if (c->ok)
			continue;
		fprintf(stderr, "bulwark %s: ", cli->cmd->name);
		bw_report_put_text(stderr, c->source, SIZE_MAX, 0);
		fputs(": ", stderr);
		bw_report_put_text(stderr, c->reason ? c->reason : "failed", SIZE_MAX, 0);
		fputc('\n', stderr);
	}
}
