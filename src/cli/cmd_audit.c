/* bulwark audit — the CIS Docker Benchmark v1.6 audit (src/audit). */
#include <errno.h>

#include "cli.h"

#include "audit/audit.h"

const char bw_usage_audit[] =
    "usage: bulwark audit [options]\n"
    "\n"
    "Audit a Docker host, its daemon and its containers against the CIS Docker\n"
    "Benchmark v1.6: live through the Engine API, or offline from saved files.\n"
    "\n"
    "  -H, --engine HOST        Engine to audit (default: DOCKER_HOST, else\n"
    "                           unix:///var/run/docker.sock; TLS from DOCKER_TLS_VERIFY\n"
    "                           and DOCKER_CERT_PATH)\n"
    "      --timeout SECONDS    time allowed for the whole live audit (default 600); what\n"
    "                           is left when it runs out is named and the exit is 3\n"
    "      --offline            no engine: audit the files given below\n"
    "      --inspect FILE       `docker inspect` JSON of containers (repeatable; implies --offline)\n"
    "      --engine-info FILE   `docker info --format '{{json .}}'` output (offline)\n"
    "      --daemon-json FILE   daemon.json (default: HOST-ROOT/etc/docker/daemon.json)\n"
    "      --dockerd-cmdline FILE  dockerd's command line (a copy of /proc/PID/cmdline, or text);\n"
    "                           live on this host it is read from /proc\n"
    "      --host-root DIR      read host files (section 1 and 3) under DIR (default /)\n"
    "      --check LIST         only these checks or sections (e.g. 5.4,5.31 or 2)\n"
    "      --exclude LIST       not these checks or sections\n"
    "      --list               list the checks and exit\n"
    "      --timing             print the run time and the time spent waiting on the "
    "engine\n" BW_CLI_SUPPRESS_HELP BW_CLI_FORMAT_HELP(
	"table (grouped by section, with a score), json or sarif") BW_CLI_COMMON_HELP
    "\n"
    "With --exit-code N, exit N when a check warns at or above --severity.\n";

enum {
	OPT_ENGINE = BW_OPT__COMMAND_BASE,
	OPT_TIMEOUT,
	OPT_OFFLINE,
	OPT_INSPECT,
	OPT_ENGINE_INFO,
	OPT_DAEMON_JSON,
	OPT_CMDLINE,
	OPT_HOST_ROOT,
	OPT_CHECK,
	OPT_EXCLUDE,
	OPT_LIST,
	OPT_TIMING,
};

struct audit_args {
	struct bw_audit_opts o;
	const char **inspect, **checks, **excludes;
	size_t n_inspect, n_checks, n_excludes;
	bool list;
	bool timing;
};

static void push(const char ***arr, size_t *n, const char *v)
{
	*arr = bw_realloc(*arr, (*n + 1) * sizeof(**arr));
	(*arr)[(*n)++] = v;
}

/* "5.4,5.31" -> two entries (pointing into a copy kept for the run). */
static void push_list(const char ***arr, size_t *n, const char *list, char ***keep, size_t *nkeep)
{
	char *dup = bw_strdup(list), *rest = dup;
	push((const char ***)keep, nkeep, dup);
	for (char *t; (t = bw_next_token(&rest, ", "));)
		push(arr, n, t);
}

static char **kept;
static size_t n_kept;

static int on_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	struct audit_args *a = ud;
	switch (c) {
	case 'H':
	case OPT_ENGINE:
		a->o.engine_host = arg;
		return 0;
	case OPT_TIMEOUT: {
		char *end;
		errno = 0;
		double s = strtod(arg, &end);
		if (errno || *end || end == arg || s <= 0 || s > 86400)
			return bw_cli_usage_error(cli->cmd, "--timeout takes seconds, not '%s'", arg);
		a->o.timeout_s = s;
		return 0;
	}
	case OPT_OFFLINE:
		a->o.offline = true;
		return 0;
	case OPT_INSPECT:
		push(&a->inspect, &a->n_inspect, arg);
		a->o.offline = true;
		return 0;
	case OPT_ENGINE_INFO:
		a->o.engine_info_file = arg;
		return 0;
	case OPT_DAEMON_JSON:
		a->o.daemon_json = arg;
		return 0;
	case OPT_CMDLINE:
		a->o.dockerd_cmdline = arg;
		return 0;
	case OPT_HOST_ROOT:
		a->o.host_root = arg;
		return 0;
	case OPT_CHECK:
		push_list(&a->checks, &a->n_checks, arg, &kept, &n_kept);
		return 0;
	case OPT_EXCLUDE:
		push_list(&a->excludes, &a->n_excludes, arg, &kept, &n_kept);
		return 0;
	case OPT_LIST:
		a->list = true;
		return 0;
	case OPT_TIMING:
		a->timing = true;
		return 0;
	default:
		return bw_cli_usage_error(cli->cmd, "unknown option");
	}
}

/* --list: the check table on standard output (not --output). */
static void list_checks(const struct bw_cli *cli)
{
	if (cli->format == BW_FORMAT_JSON)
		bw_cli_print_json(stdout, bw_audit_checks_json(), 0);
	else
		bw_audit_checks_write_table(stdout);
}

/* Section 4 reads images: which one, of how many. */
static void image_progress(void *ud, size_t done, size_t total, const char *image)
{
	bw_cli_progress(ud, "auditing the Docker Engine: section 4, image %zu/%zu (%s)", done + 1, total,
			image);
}

int bw_cmd_audit(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    {"engine", required_argument, NULL, OPT_ENGINE},
	    {"timeout", required_argument, NULL, OPT_TIMEOUT},
	    {"offline", no_argument, NULL, OPT_OFFLINE},
	    {"inspect", required_argument, NULL, OPT_INSPECT},
	    {"engine-info", required_argument, NULL, OPT_ENGINE_INFO},
	    {"daemon-json", required_argument, NULL, OPT_DAEMON_JSON},
	    {"dockerd-cmdline", required_argument, NULL, OPT_CMDLINE},
	    {"host-root", required_argument, NULL, OPT_HOST_ROOT},
	    {"check", required_argument, NULL, OPT_CHECK},
	    {"exclude", required_argument, NULL, OPT_EXCLUDE},
	    {"list", no_argument, NULL, OPT_LIST},
	    {"timing", no_argument, NULL, OPT_TIMING},
	    BW_CLI_SUPPRESS_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct audit_args a = {0};
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT "H:", longopts, on_option, &a, &done);
	if (rc || done)
		goto out;
	if (optind < argc) {
		rc = bw_cli_usage_error(cli->cmd, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (a.list) {
		list_checks(cli);
		goto out;
	}
	if (cli->format != BW_FORMAT_TABLE && cli->format != BW_FORMAT_JSON &&
	    cli->format != BW_FORMAT_SARIF) {
		rc = bw_cli_usage_error(cli->cmd,
					"--format %s does not apply to an audit (table, json, sarif)",
					bw_format_name(cli->format));
		goto out;
	}
	a.o.inspect_files = a.inspect;
	a.o.n_inspect_files = a.n_inspect;
	a.o.checks = a.checks;
	a.o.n_checks = a.n_checks;
	a.o.excludes = a.excludes;
	a.o.n_excludes = a.n_excludes;

	if (cli->progress) {
		a.o.progress = image_progress;
		a.o.progress_ud = cli;
	}
	struct bw_report *r = bw_report_new("host", NULL);
	struct bw_error err = BW_ERROR_INIT;
	bw_cli_progress(cli, "auditing %s…", a.o.offline ? "saved files" : "the Docker Engine");
	double t0 = bw_now();
	struct bw_error incomplete = BW_ERROR_INIT;
	int arc = bw_audit_run(&a.o, r, &err);
	if (arc == BW_ELIMIT) {
		/* out of time: the report holds what was checked; the exit says it is not all */
		incomplete = err;
		bw_error_clear(&err);
	} else if (arc != 0) {
		rc = bw_cli_fail(cli, &err);
		bw_report_free(r);
		goto out;
	}
	bw_cli_progress_done(cli);
	if ((rc = bw_cli_suppress(cli, r)) != 0) {
		bw_report_free(r);
		goto out;
	}
	if (a.timing) {
		double total = bw_now() - t0, engine = bw_audit_last_engine_seconds();
		fprintf(stderr,
			"bulwark audit: timing: %.3f s in all, %.3f s waiting on the engine (%.0f%%), %zu "
			"findings\n",
			total, engine, total > 0 ? 100.0 * engine / total : 0.0, r->n_findings);
	}
	if (cli->format == BW_FORMAT_TABLE) {
		FILE *out = bw_cli_open_output(cli, &err);
		if (!out) {
			rc = bw_cli_fail(cli, &err);
		} else {
			bw_audit_write_table(r, cli->severity,
					     out == stdout && isatty(STDOUT_FILENO) && !getenv("NO_COLOR"),
					     out);
			rc = bw_cli_close_output(cli, out, &err) ? bw_cli_fail(cli, &err) : BW_EXIT_OK;
		}
	} else {
		rc = bw_cli_emit_report(cli, r);
	}
	/* the audit's own table is written above: apply --exit-code to it too */
	if (rc == BW_EXIT_OK && cli->exit_code && bw_report_count_at_least(r, cli->severity) > 0)
		rc = cli->exit_code;
	if (incomplete.code && rc != BW_EXIT_USAGE)
		rc = bw_cli_fail(cli, &incomplete);
	bw_report_free(r);
out:
	free(a.inspect);
	free(a.checks);
	free(a.excludes);
	for (size_t i = 0; i < n_kept; i++)
		free(kept[i]);
	free(kept);
	kept = NULL;
	n_kept = 0;
	return rc;
}
