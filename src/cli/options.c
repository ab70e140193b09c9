/* Shared option parsing, error reporting and report emission. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "cli.h"

void bw_cli_print_help(const struct bw_command *cmd, FILE *out)
{
	fprintf(out, "%s", cmd->usage);
}

static void print_usage_line(const struct bw_command *cmd, FILE *out)
{
	/* the first line of the usage text is the synopsis */
	const char *nl = strchr(cmd->usage, '\n');
	int n = nl ? (int)(nl - cmd->usage) : (int)strlen(cmd->usage);
	fprintf(out, "%.*s\n", n, cmd->usage);
	fprintf(out, "Try 'bulwark help %s' for more.\n", cmd->name);
}

int bw_cli_usage_error(const struct bw_command *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "bulwark %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	print_usage_line(cmd, stderr);
	return BW_EXIT_USAGE;
}

int bw_cli_common_option(struct bw_cli *cli, int c, const char *arg)
{
	switch (c) {
	case 'f':
	case BW_OPT_FORMAT: {
		int f = bw_format_parse(arg);
		if (f < 0)
			return -bw_cli_usage_error(
			    cli->cmd,
			    "unknown format '%s' (table, json, sarif, cyclonedx, spdx, junit, gitlab, "
			    "gitlab-codequality, compact, html)",
			    arg);
		cli->format = (enum bw_format)f;
		cli->format_set = true;
		return 1;
	}
	case 'o':
	case BW_OPT_OUTPUT:
		cli->output = arg;
		return 1;
	case BW_OPT_IGNOREFILE:
		cli->ignorefile = arg;
		return 1;
	case BW_OPT_VEX:
		if (cli->n_vex == BW_ARRAY_SIZE(cli->vex))
			return -bw_cli_usage_error(cli->cmd, "at most %zu --vex documents",
						   BW_ARRAY_SIZE(cli->vex));
		cli->vex[cli->n_vex++] = arg;
		return 1;
	case BW_OPT_SHOW_SUPPRESSED:
		cli->show_suppressed = true;
		return 1;
	case BW_OPT_SEVERITY: {
		/* accept a single lowest severity or a comma list (Trivy style): the lowest counts */
		int lowest = -1;
		char *dup = bw_strdup(arg), *rest = dup;
		for (char *t; (t = bw_next_token(&rest, ","));) {
			int s = bw_severity_parse(t);
			if (s < 0) {
				int rc = bw_cli_usage_error(cli->cmd, "unknown severity '%s'", t);
				free(dup);
				return -rc;
			}
			if (lowest < 0 || s < lowest)
				lowest = s;
		}
		free(dup);
		if (lowest < 0)
			return -bw_cli_usage_error(cli->cmd, "--severity needs a value");
		cli->severity = (enum bw_severity)lowest;
		return 1;
	}
	case BW_OPT_EXIT_CODE: {
		char *end;
		errno = 0;
		long v = strtol(arg, &end, 10);
		if (errno || *end || end == arg || v < 0 || v > 255)
			return -bw_cli_usage_error(cli->cmd,
						   "--exit-code takes a number from 0 to 255, not '%s'", arg);
		cli->exit_code = (int)v;
		return 1;
	}
	case 'q':
	case BW_OPT_QUIET:
		cli->quiet = true;
		cli->progress = false;
		return 1;
	case BW_OPT_PLATFORM:
		cli->platform = arg;
		return 1;
	case BW_OPT_NO_SANDBOX:
		cli->no_sandbox = true;
		return 1;
	case BW_OPT_DEBUG:
		cli->debug = true;
		return 1;
	default:
		return 0;
	}
}

/* The shared options (--format, --output, --severity, --exit-code, --quiet,
 * --platform) a command takes are those its help lists: the others are left
 * out of its table and its short options, so that getopt rejects them (exit
 * 2) instead of the command ignoring them, and the help, the man page and
 * the completions name exactly what is taken. */
static bool help_lists(const struct bw_command *cmd, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = cmd->usage; (p = strstr(p, "--")); p += 2)
		if (strncmp(p + 2, name, n) == 0 && !bw_isalnum(p[2 + n]) && p[2 + n] != '-')
			return true;
	return false;
}

static bool shared_unlisted(const struct bw_command *cmd, const struct option *o)
{
	return o->val >= BW_OPT_FORMAT && o->val <= BW_OPT_PLATFORM && o->val != BW_OPT_HELP &&
	       (o->val == BW_OPT_FORMAT || o->val == BW_OPT_OUTPUT || o->val == BW_OPT_SEVERITY ||
		o->val == BW_OPT_EXIT_CODE || o->val == BW_OPT_QUIET || o->val == BW_OPT_PLATFORM) &&
	       !help_lists(cmd, o->name);
}

/* longopts without the shared options cmd's help does not list, with room
 * for `extra` more entries and the terminating one (free it). */
static struct option *own_options(const struct bw_command *cmd, const struct option *longopts, size_t extra)
{
	size_t n = 0;
	while (longopts[n].name)
		n++;
	struct option *all = bw_calloc(n + extra + 1, sizeof(*all));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!shared_unlisted(cmd, &longopts[i]))
			all[k++] = longopts[i];
	return all;
}

/* shortopts without -f, -o, -q when their long forms are not listed. */
static char *own_short(const struct bw_command *cmd, const char *shortopts)
{
	static const struct {
		char c;
		const char *name;
	} shared[] = {{'f', "format"}, {'o', "output"}, {'q', "quiet"}};
	char *s = bw_asprintf(":%s", shortopts); /* ':' first: a missing argument returns ':' */
	for (size_t i = 0; i < BW_ARRAY_SIZE(shared); i++) {
		if (help_lists(cmd, shared[i].name))
			continue;
		char *at = strchr(s + 1, shared[i].c);
		if (!at)
			continue;
		size_t drop = at[1] == ':' ? 2 : 1;
		memmove(at, at + drop, strlen(at + drop) + 1);
	}
	return s;
}

/* bw_cli_command_options() runs a command in this mode: bw_cli_parse only
 * records the table it is given and reports the help as done. */
static struct {
	bool on;
	const struct option *longopts;
} describe;

const struct option *bw_cli_command_options(const struct bw_command *cmd)
{
	static const struct option none[] = {{NULL, 0, NULL, 0}};
	static const struct option *known[64];
	size_t i = (size_t)(cmd - bw_commands);
	if (i >= bw_n_commands || i >= BW_ARRAY_SIZE(known))
		return none;
	if (!known[i]) {
		char name[32];
		snprintf(name, sizeof(name), "%s", cmd->name);
		char *argv[] = {name, NULL};
		struct bw_cli c = {.cmd = cmd, .format = BW_FORMAT_TABLE};
		describe.on = true;
		describe.longopts = NULL;
		cmd->run(&c, 1, argv);
		describe.on = false;
		known[i] = describe.longopts ? describe.longopts : none;
	}
	return known[i];
}

/* getopt_long takes any unambiguous prefix of a long option ("--ignore" for
 * "--ignorefile"): bulwark takes only whole names. The element getopt just
 * read is argv[optind - 1], or argv[optind - 2] when the value was the next
 * element. */
static bool whole_name(char **argv, const struct option *o, const char *optarg_seen)
{
	const char *el = argv[optind - 1];
	if (optarg_seen && optarg_seen == el && optind >= 2)
		el = argv[optind - 2];
	if (strncmp(el, "--", 2) != 0)
		return true; /* a short option */
	size_t n = strlen(o->name);
	return strncmp(el + 2, o->name, n) == 0 && (el[2 + n] == '\0' || el[2 + n] == '=');
}

enum { OPT_CONFIG_FILE = 0x10f0, OPT_BULWARK_CONFIG };

int bw_cli_parse(struct bw_cli *cli, int argc, char **argv, const char *shortopts,
		 const struct option *longopts, bw_cli_option_fn fn, void *ud, bool *done)
{
	*done = false;
	if (describe.on) {
		/* kept for the process's life, as bw_cli_command_options() keeps it */
		describe.longopts = own_options(cli->cmd, longopts, 0);
		*done = true;
		return 0;
	}
	/* the command's table (what its help lists), and --config (unless the
	 * command has its own: lint) and --bulwark-config, read by
	 * bw_cli_preset_load */
	struct option *all = own_options(cli->cmd, longopts, 2);
	size_t n_long = 0;
	bool own_config = false;
	for (; all[n_long].name; n_long++)
		own_config = own_config || strcmp(all[n_long].name, "config") == 0;
	size_t k = n_long;
	if (!own_config)
		all[k++] = (struct option){"config", required_argument, NULL, OPT_CONFIG_FILE};
	all[k++] = (struct option){"bulwark-config", required_argument, NULL, OPT_BULWARK_CONFIG};

	bw_cli_preset_release(&cli->preset);
	struct bw_cli_preset pre;
	/* the preset takes the options of the command's own table only: a
	 * shared key of the file or a BULWARK_ variable another command takes
	 * is not an error here */
	all[k] = (struct option){0};
	struct option *mine = own_options(cli->cmd, longopts, 0);
	char *so = own_short(cli->cmd, shortopts);
	int rc = bw_cli_preset_load(cli, argc, argv, mine, so + 1, &pre);
	free(mine);
	if (rc) {
		free(all);
		free(so);
		return rc;
	}
	/* the preset's options first: the command line's come later and win */
	int nargc = argc + (int)pre.n;
	char **nargv = bw_calloc((size_t)nargc + 1, sizeof(*nargv));
	nargv[0] = argv[0];
	for (size_t i = 0; i < pre.n; i++)
		nargv[1 + i] = pre.argv[i];
	for (int i = 1; i < argc; i++)
		nargv[(int)pre.n + i] = argv[i];

	int c, li;
	optind = 1;
	opterr = 0;
	while (li = -1, (c = getopt_long(nargc, nargv, so, all, &li)) != -1) {
		rc = 0;
		/* options getopt met among the preset's elements came from it */
		int at = optind - 1;
		if (optarg && optarg == nargv[optind - 1] && optind >= 2)
			at--;
		cli->preset_origin = at >= 1 && (size_t)at <= pre.n ? pre.origin[at - 1] : NULL;
		if (c != '?' && c != ':' && li >= 0 && !whole_name(nargv, &all[li], optarg)) {
			const char *o = nargv[optind - 1];
			if (optarg && optarg == o && optind >= 2)
				o = nargv[optind - 2];
			size_t ol = strcspn(o, "=");
			rc = bw_cli_usage_error(
			    cli->cmd,
			    "unknown option '%.*s' (options are not abbreviated: did you mean "
			    "'--%s'?)",
			    (int)ol, o, all[li].name);
		} else if (c == 'h' || c == BW_OPT_HELP) {
			bw_cli_print_help(cli->cmd, stdout);
			*done = true;
		} else if (c == OPT_CONFIG_FILE || c == OPT_BULWARK_CONFIG) {
			/* read before parsing began */
		} else if (c == ':') {
			const char *o = nargv[optind - 1];
			if (optopt && optopt < 0x1000)
				rc = bw_cli_usage_error(cli->cmd, "option '-%c' needs a value", optopt);
			else
				rc = bw_cli_usage_error(cli->cmd, "option '%s' needs a value", o);
		} else if (c == '?') {
			const char *o = nargv[optind - 1];
			if (optopt && optopt < 0x1000)
				rc = bw_cli_usage_error(cli->cmd, "unknown option '-%c'", optopt);
			else
				rc = bw_cli_usage_error(cli->cmd, "unknown option '%s'", o);
		} else {
			int h = bw_cli_common_option(cli, c, optarg);
			if (h < 0)
				rc = -h;
			else if (h == 0)
				rc = fn ? fn(cli, c, optarg, ud) : BW_EXIT_USAGE;
		}
		if (rc && cli->preset_origin)
			fprintf(stderr, "bulwark %s: (that value was set by %s)\n", cli->cmd->name,
				cli->preset_origin);
		if (rc || *done)
			break;
	}
	cli->preset_origin = NULL;
	free(so);
	if (!rc && !*done && pre.unreadable) {
		fprintf(stderr, "bulwark %s: the configuration file: %s\n", cli->cmd->name, pre.unreadable);
		rc = BW_EXIT_ERROR;
	}
	/* the operands getopt moved to the end keep their order: copy them back
	 * where the command looks for them (argv[optind..]) */
	if (!rc && !*done) {
		int first = optind;
		int n_ops = nargc - first;
		for (int i = 0; i < n_ops; i++)
			argv[argc - n_ops + i] = nargv[first + i];
		optind = argc - n_ops;
	}
	free(nargv);
	cli->preset = pre; /* option values point into it */
	free(all);
	return rc;
}

int bw_cli_fail(const struct bw_cli *cli, const struct bw_error *err)
{
	bw_cli_progress_done(cli);
	/* messages name inputs: paths, digests, engine answers, with their bytes */
	fprintf(stderr, "bulwark %s: error: ", cli->cmd ? cli->cmd->name : "");
	bw_report_put_text(stderr, err->msg[0] ? err->msg : bw_errcode_name(err->code), SIZE_MAX, 0);
	fputc('\n', stderr);
	return err->code == BW_EUSAGE ? BW_EXIT_USAGE : BW_EXIT_ERROR;
}

FILE *bw_cli_open_output(const struct bw_cli *cli, struct bw_error *err)
{
	if (!cli->output || strcmp(cli->output, "-") == 0)
		return stdout;
	if (cli->output_fd_set) {
		/* opened before the sandbox: truncated only now that there is a report */
		struct bw_cli *c = (struct bw_cli *)cli;
		c->output_fd_set = false;
		struct stat st;
		FILE *f = NULL;
		if (fstat(c->output_fd, &st) == 0 && S_ISREG(st.st_mode) && ftruncate(c->output_fd, 0) < 0)
			bw_error_sys(err, BW_EIO, "cannot write %s", cli->output);
		else if (!(f = fdopen(c->output_fd, "w")))
			bw_error_sys(err, BW_EIO, "cannot write %s", cli->output);
		if (!f)
			close(c->output_fd);
		return f;
	}
	if (cli->output_errno) {
		errno = cli->output_errno;
		bw_error_sys(err, BW_EIO, "cannot write %s", cli->output);
		return NULL;
	}
	FILE *f = fopen(cli->output, "we");
	if (!f)
		bw_error_sys(err, BW_EIO, "cannot write %s", cli->output);
	return f;
}

int bw_cli_close_output(const struct bw_cli *cli, FILE *f, struct bw_error *err)
{
	(void)cli;
	if (f == stdout) {
		if (fflush(stdout) != 0)
			return bw_error_sys(err, BW_EIO, "writing standard output failed");
		return 0;
	}
	if (fclose(f) != 0)
		return bw_error_sys(err, BW_EIO, "writing %s failed", cli->output);
	return 0;
}

void bw_cli_print_json(FILE *out, json_t *j, size_t flags)
{
	json_dumpf(j, out, JSON_INDENT(2) | flags);
	fputc('\n', out);
	json_decref(j);
}

/* The width a table's titles are cut to: $COLUMNS, else the terminal's
 * (TIOCGWINSZ); 0 (whole titles) when the table goes to a file (-o) or to
 * a pipe without COLUMNS. */
static size_t table_columns(FILE *out)
{
	if (out != stdout)
		return 0;
	const char *c = getenv("COLUMNS");
	if (c && *c) {
		char *end;
		errno = 0;
		long v = strtol(c, &end, 10);
		if (!errno && !*end && v > 0 && v <= 100000)
			return (size_t)v;
	}
	struct winsize ws;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

int bw_cli_emit_report(struct bw_cli *cli, struct bw_report *r)
{
	struct bw_error err = BW_ERROR_INIT;
	FILE *out = bw_cli_open_output(cli, &err);
	if (!out)
		return bw_cli_fail(cli, &err);
	struct bw_write_opts wo = {
	    .min_severity = cli->severity,
	    .color = (out == stdout && isatty(STDOUT_FILENO) && !getenv("NO_COLOR")),
	    .tool_version = BW_VERSION_STRING,
	    .show_suppressed = cli->show_suppressed,
	    .columns = table_columns(out),
	};
	bw_report_sort(r);
	int rc = bw_report_write(r, cli->format, out, &wo, &err);
	int rc2 = bw_cli_close_output(cli, out, rc ? NULL : &err);
	if (rc || rc2)
		return bw_cli_fail(cli, &err);
	if (!cli->quiet && cli->format != BW_FORMAT_TABLE)
		for (size_t i = 0; i < r->n_warnings; i++)
			bw_cli_warn(cli, r->warnings[i]);
	if (cli->exit_code && bw_report_count_at_least(r, cli->severity) > 0)
		return cli->exit_code;
	/* a scan that could not check every package never passes a gate silently */
	const struct bw_coverage *c = &r->coverage;
	if (cli->exit_code && c->present && c->partial && !cli->allow_partial_coverage) {
		if (!cli->quiet)
			fprintf(stderr,
				"bulwark %s: exit %d: vulnerability coverage is partial (%zu package%s not "
				"checked); --allow-partial-coverage accepts that\n",
				cli->cmd->name, cli->exit_code, c->unchecked, c->unchecked == 1 ? "" : "s");
		return cli->exit_code;
	}
	return BW_EXIT_OK;
}

void bw_cli_warn(const struct bw_cli *cli, const char *msg)
{
	fprintf(stderr, "bulwark %s: warning: ", cli->cmd ? cli->cmd->name : "");
	bw_report_put_text(stderr, msg, SIZE_MAX, 0);
	fputc('\n', stderr);
}

void bw_cli_progress(const struct bw_cli *cli, const char *fmt, ...)
{
	if (!cli->progress)
		return;
	va_list ap;
	fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
}

void bw_cli_progress_done(const struct bw_cli *cli)
{
	if (cli->progress)
		fputs("\r\033[K", stderr);
}
