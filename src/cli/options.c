/* Shared option parsing, error reporting and report emission. */
#include <errno.h>
#include <fcntl.h>

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
			    cli->cmd, "unknown format '%s' (table, json, sarif, cyclonedx, spdx)", arg);
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
	default:
		return 0;
	}
}

int bw_cli_parse(struct bw_cli *cli, int argc, char **argv, const char *shortopts,
		 const struct option *longopts, bw_cli_option_fn fn, void *ud, bool *done)
{
	int c;
	*done = false;
	optind = 1;
	opterr = 0;
	char *so = bw_asprintf(":%s", shortopts); /* ':' first: a missing argument returns ':' */
	while ((c = getopt_long(argc, argv, so, longopts, NULL)) != -1) {
		int rc = 0;
		if (c == 'h' || c == BW_OPT_HELP) {
			bw_cli_print_help(cli->cmd, stdout);
			*done = true;
		} else if (c == ':') {
			const char *o = argv[optind - 1];
			if (optopt && optopt < 0x1000)
				rc = bw_cli_usage_error(cli->cmd, "option '-%c' needs a value", optopt);
			else
				rc = bw_cli_usage_error(cli->cmd, "option '%s' needs a value", o);
		} else if (c == '?') {
			const char *o = argv[optind - 1];
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
		if (rc || *done) {
			free(so);
			return rc;
		}
	}
	free(so);
	return 0;
}

int bw_cli_fail(const struct bw_cli *cli, const struct bw_error *err)
{
	bw_cli_progress_done(cli);
	fprintf(stderr, "bulwark %s: error: %s\n", cli->cmd ? cli->cmd->name : "",
		err->msg[0] ? err->msg : bw_errcode_name(err->code));
	return err->code == BW_EUSAGE ? BW_EXIT_USAGE : BW_EXIT_ERROR;
}

FILE *bw_cli_open_output(const struct bw_cli *cli, struct bw_error *err)
{
	if (!cli->output || strcmp(cli->output, "-") == 0)
		return stdout;
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
	};
	bw_report_sort(r);
	int rc = bw_report_write(r, cli->format, out, &wo, &err);
	int rc2 = bw_cli_close_output(cli, out, rc ? NULL : &err);
	if (rc || rc2)
		return bw_cli_fail(cli, &err);
	if (!cli->quiet && cli->format != BW_FORMAT_TABLE)
		for (size_t i = 0; i < r->n_warnings; i++)
			fprintf(stderr, "bulwark %s: warning: %s\n", cli->cmd->name, r->warnings[i]);
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
