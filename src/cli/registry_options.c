/* Options for reading images from registries, shared by image, sbom and
 * registry: credentials, trust, plain-HTTP hosts, the time limit and the
 * order of image sources for a bare name. */
#include <errno.h>

#include "cli.h"
#include "registry/registry.h"

#define MAX_INSECURE 16

static struct {
	struct bw_registry_opts opts;
	const char *insecure[MAX_INSECURE];
	bool password_stdin;
	double timeout; /* seconds; 0: none */
	const char *image_src;
	char *password;
} reg;

static void warn(void *ud, const char *msg)
{
	const struct bw_cli *cli = ud;
	if (!cli->quiet)
		fprintf(stderr, "bulwark %s: warning: %s\n", cli->cmd->name, msg);
}

/* "90", "90s", "5m", "1h", "1.5s" */
static bool parse_duration(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || errno || v <= 0 || v > 7 * 86400.0)
		return false;
	if (strcmp(end, "") == 0 || strcmp(end, "s") == 0)
		*out = v;
	else if (strcmp(end, "ms") == 0)
		*out = v / 1000;
	else if (strcmp(end, "m") == 0)
		*out = v * 60;
	else if (strcmp(end, "h") == 0)
		*out = v * 3600;
	else
		return false;
	return *out <= 7 * 86400.0;
}

int bw_cli_registry_option(struct bw_cli *cli, int c, const char *arg)
{
	switch (c) {
	case BW_OPT_USERNAME:
		if (!*arg)
			return -bw_cli_usage_error(cli->cmd, "--username needs a name");
		reg.opts.username = arg;
		return 1;
	case BW_OPT_PASSWORD_STDIN:
		reg.password_stdin = true;
		return 1;
	case BW_OPT_REGISTRY_CA:
		reg.opts.ca_file = arg;
		return 1;
	case BW_OPT_INSECURE_REGISTRY:
		if (reg.opts.n_insecure == MAX_INSECURE)
			return -bw_cli_usage_error(cli->cmd, "at most %d --insecure-registry hosts",
						   MAX_INSECURE);
		if (!bw_registry_host_valid(arg, strlen(arg)))
			return -bw_cli_usage_error(cli->cmd,
						   "--insecure-registry takes HOST[:PORT], not '%s'", arg);
		reg.insecure[reg.opts.n_insecure++] = arg;
		return 1;
	case BW_OPT_TIMEOUT:
		if (!parse_duration(arg, &reg.timeout))
			return -bw_cli_usage_error(
			    cli->cmd, "--timeout takes a duration such as 30s, 5m or 1h, not '%s'", arg);
		return 1;
	case BW_OPT_IMAGE_SRC:
		reg.image_src = arg;
		return 1;
	}
	return 0;
}

int bw_cli_stdin_target(struct bw_cli *cli, const char *target)
{
	bool stdin_target = strcmp(target, "-") == 0 || strcmp(target, "docker-archive:-") == 0 ||
			    strcmp(target, "oci-archive:-") == 0;
	if (stdin_target && reg.password_stdin)
		return bw_cli_usage_error(cli->cmd,
					  "--password-stdin and the target '-' both read standard input");
	return 0;
}

int bw_cli_registry_ready(struct bw_cli *cli)
{
	if (reg.password_stdin && !reg.opts.username)
		return bw_cli_usage_error(cli->cmd, "--password-stdin goes with --username");
	if (reg.opts.username && !reg.password_stdin)
		return bw_cli_usage_error(cli->cmd,
					  "--username needs --password-stdin (a password on the command line "
					  "would show in the process list)");
	if (reg.image_src) {
		for (const char *p = reg.image_src;;) {
			size_t n = strcspn(p, ",");
			if (!((n == 6 && strncmp(p, "engine", 6) == 0) ||
			      (n == 6 && strncmp(p, "docker", 6) == 0) ||
			      (n == 8 && strncmp(p, "registry", 8) == 0) ||
			      (n == 6 && strncmp(p, "remote", 6) == 0)))
				return bw_cli_usage_error(
				    cli->cmd, "--image-src: unknown source '%.*s' (engine, registry)", (int)n,
				    p);
			if (!p[n])
				break;
			p += n + 1;
		}
	}
	if (reg.password_stdin && !reg.password) {
		struct bw_buf b;
		bw_buf_init(&b, 8192);
		struct bw_error err = BW_ERROR_INIT;
		if (bw_buf_read_fd(&b, 0, "standard input", &err) < 0) {
			bw_buf_release(&b);
			return bw_cli_fail(cli, &err);
		}
		while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r'))
			b.data[--b.len] = '\0';
		if (!b.len) {
			bw_buf_release(&b);
			return bw_cli_usage_error(cli->cmd,
						  "--password-stdin: standard input holds no password");
		}
		reg.password = bw_buf_detach(&b, NULL);
		reg.opts.password = reg.password;
	}
	reg.opts.insecure = reg.insecure;
	reg.opts.warn = warn;
	reg.opts.warn_ud = cli;
	if (reg.timeout > 0)
		reg.opts.deadline = bw_now() + reg.timeout;
	return 0;
}

const struct bw_registry_opts *bw_cli_registry_opts(const struct bw_cli *cli)
{
	(void)cli;
	return &reg.opts;
}

const char *bw_cli_image_src(const struct bw_cli *cli)
{
	(void)cli;
	return reg.image_src;
}
