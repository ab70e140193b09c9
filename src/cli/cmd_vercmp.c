/* bulwark vercmp — compare versions the way an ecosystem does. */
#include "cli.h"
#include "version/version.h"

const char bw_usage_vercmp[] =
    "usage: bulwark vercmp SCHEME A B | SCHEME --in VERSION RANGE | SCHEME --batch [--in]\n"
    "\n"
    "Compare versions the way an ecosystem's own tools do.\n"
    "\n"
    "  bulwark vercmp SCHEME A B         print <, = or > (A against B)\n"
    "  bulwark vercmp SCHEME --in V R    print true or false: does V satisfy range R\n"
    "  bulwark vercmp SCHEME --batch     read A<TAB>B lines on standard input, write\n"
    "                                    -1, 0, 1 or invalid per line\n"
    "  bulwark vercmp SCHEME --batch --in  read VERSION<TAB>RANGE lines, write true,\n"
    "                                    false or invalid per line\n"
    "\n"
    "schemes: deb rpm apk semver npm pypi maven gem go cargo nuget composer\n"
    "\n"
    "An invalid version is an error (exit 3) naming the reason; an unknown\n"
    "scheme is a usage error (exit 2). See docs/vercmp.md.\n"
    "\n"
    "options:\n"
    "      --batch          compare pairs read from standard input\n"
    "      --in             evaluate a range expression instead of comparing\n"
    "  -h, --help           this help\n";

enum { OPT_BATCH = BW_OPT__COMMAND_BASE, OPT_IN };

struct vercmp_opts {
	bool batch;
	bool in;
};

static int vercmp_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	struct vercmp_opts *o = ud;
	(void)arg;
	switch (c) {
	case OPT_BATCH:
		o->batch = true;
		return 0;
	case OPT_IN:
		o->in = true;
		return 0;
	default:
		return bw_cli_usage_error(cli->cmd, "unexpected option");
	}
}

struct batch_ctx {
	enum bw_version_scheme scheme;
	bool in_mode;
};

/* Process one line "A<TAB>B" into out. */
static void batch_line(void *ud, const char *line, size_t len, struct bw_buf *out)
{
	const struct batch_ctx *b = ud;
	enum bw_version_scheme scheme = b->scheme;
	static struct bw_error err; /* reused: only its code matters here */
	const char *tab = memchr(line, '\t', len);
	if (!tab) {
		bw_buf_add(out, "invalid\n", 8);
		return;
	}
	struct bw_slice a = {line, (size_t)(tab - line)};
	struct bw_slice v = {tab + 1, len - a.len - 1};
	if (b->in_mode) {
		bool in = false;
		if (bw_version_in_range(scheme, a, v, &in, &err) < 0)
			bw_buf_add(out, "invalid\n", 8);
		else if (in)
			bw_buf_add(out, "true\n", 5);
		else
			bw_buf_add(out, "false\n", 6);
		return;
	}
	int cmp = 0;
	if (bw_version_compare(scheme, a, v, &cmp, &err) < 0)
		bw_buf_add(out, "invalid\n", 8);
	else if (cmp < 0)
		bw_buf_add(out, "-1\n", 3);
	else if (cmp > 0)
		bw_buf_add(out, "1\n", 2);
	else
		bw_buf_add(out, "0\n", 2);
}

int bw_cmd_vercmp(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"batch", no_argument, NULL, OPT_BATCH},
	    {"in", no_argument, NULL, OPT_IN},
	    BW_CLI_COMMON_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct vercmp_opts o = {0};
	bool done;
	/* "+" stops at the first operand, so versions such as "-1" need no "--" */
	int rc = bw_cli_parse(cli, argc, argv, "+" BW_CLI_COMMON_SHORT, longopts, vercmp_option, &o, &done);
	if (rc || done)
		return rc;
	/* options may also follow the scheme: scan the operands for them */
	const char *operands[3];
	int nops = 0;
	bool dashdash = false;
	for (int i = optind; i < argc; i++) {
		const char *a = argv[i];
		if (!dashdash && strcmp(a, "--") == 0) {
			dashdash = true;
			continue;
		}
		if (!dashdash && strcmp(a, "--batch") == 0) {
			o.batch = true;
			continue;
		}
		if (!dashdash && strcmp(a, "--in") == 0) {
			o.in = true;
			continue;
		}
		/* no version starts with "--": an option vercmp does not take */
		if (!dashdash && strncmp(a, "--", 2) == 0)
			return bw_cli_usage_error(cli->cmd, "unknown option '%s'", a);
		if (nops == 3)
			return bw_cli_usage_error(cli->cmd, "too many operands");
		operands[nops++] = a;
	}
	if (nops < 1)
		return bw_cli_usage_error(cli->cmd, "missing SCHEME");
	int scheme = bw_version_scheme_parse(operands[0]);
	if (scheme < 0)
		return bw_cli_usage_error(
		    cli->cmd,
		    "unknown scheme '%s' (deb rpm apk semver npm pypi maven gem go cargo nuget composer)",
		    operands[0]);
	if (o.batch) {
		if (nops != 1)
			return bw_cli_usage_error(
			    cli->cmd, "--batch reads its input from standard input, not operands");
		struct batch_ctx b = {(enum bw_version_scheme)scheme, o.in};
		return bw_cli_batch(cli, batch_line, &b);
	}
	if (nops != 3)
		return bw_cli_usage_error(cli->cmd, o.in ? "--in needs VERSION and RANGE"
							 : "need two versions A and B");
	struct bw_error err = BW_ERROR_INIT;
	struct bw_slice a = bw_slice_of(operands[1]), b = bw_slice_of(operands[2]);
	if (o.in) {
		bool in = false;
		if (bw_version_in_range((enum bw_version_scheme)scheme, a, b, &in, &err) < 0)
			return bw_cli_fail(cli, &err);
		puts(in ? "true" : "false");
	} else {
		int cmp = 0;
		if (bw_version_compare((enum bw_version_scheme)scheme, a, b, &cmp, &err) < 0)
			return bw_cli_fail(cli, &err);
		puts(cmp < 0 ? "<" : cmp > 0 ? ">" : "=");
	}
	if (fflush(stdout) != 0) {
		bw_error_sys(&err, BW_EIO, "writing standard output failed");
		return bw_cli_fail(cli, &err);
	}
	return BW_EXIT_OK;
}
