/* bulwark monitor — the runtime threat monitor (src/monitor). */
#include <errno.h>
#include <jansson.h>

#include "cli.h"
#include "monitor/monitor.h"

const char bw_usage_monitor[] =
    "usage: bulwark monitor [options]\n"
    "\n"
    "Watch what processes do, from the kernel (eBPF on tracepoints), name the container,\n"
    "image and Kubernetes pod of each event, and raise alerts from Falco-language rules:\n"
    "one JSON line per alert (a finding of kind \"runtime\", its Falco rule in\n"
    "\"equivalent\"), and counters of events and drops. Runs until SIGINT/SIGTERM,\n"
    "--duration or --max-events; SIGHUP reloads the rules without losing events.\n"
    "\n"
    "rules:\n"
    "  -r, --rules FILE       a Falco rules file (repeatable, loaded in order; default:\n"
    "                         bulwark's own rules, built in)\n"
    "      --dry-run          load and check the rules, list what loaded and what was\n"
    "                         skipped, and exit (0, or 2 naming the rule and position)\n"
    "      --skip-unsupported skip rules that need a field this event source cannot fill\n"
    "                         (a warning lists them) instead of failing\n"
    "events:\n"
    "      --source SRC       bpf (default) or fanotify (fewer fields, where eBPF is refused)\n"
    "      --containers-only  only events of containers (the host is filtered in the kernel)\n"
    "      --all-opens        no kernel-side filtering of opens and paths\n"
    "      --buffer-size SIZE the ring buffer (default 8M)\n"
    "  -H, --engine HOST      Docker Engine for container names (default: DOCKER_HOST, else\n"
    "                         unix:///var/run/docker.sock)\n"
    "      --duration DUR     stop after DUR (30s, 10m, 1h)\n"
    "      --max-events N     stop after N events\n"
    "outputs (stdout unless another is named; --stdout keeps it too):\n"
    "  -o, --output FILE      a file, rotated by size\n"
    "      --rotate-size SIZE rotate the output file at SIZE (default 64M)\n"
    "      --rotate-keep N    keep N rotated files (default 5)\n"
    "      --syslog           syslog (LOG_DAEMON), the priority of each rule\n"
    "      --webhook URL      POST each alert as JSON\n"
    "      --webhook-retries N  retries of a failed POST (default 3)\n"
    "      --webhook-timeout DUR  time allowed for one POST (default 5s)\n"
    "      --stdout           write to standard output as well\n"
    "  -f, --format FMT       json (default) or table (one line an alert, for people)\n"
    "      --severity SEV     leave out alerts below SEV\n"
    "      --rate-limit N     at most N alerts a second per rule on average\n"
    "      --rate-burst B     bursts of up to B alerts (default 10)\n"
    "      --stats-interval DUR  a counters line every DUR (always one at the end)\n"
    "      --exit-code N      exit N when an alert at or above --severity was raised\n"
    "learned behaviour:\n"
    "      --learn --image IMAGE --for DUR   record what IMAGE's containers do (executables,\n"
    "                         files written, peers, ports, capabilities, syscalls) into the\n"
    "                         layer cache's database; then `bulwark profile IMAGE`\n"
    "      --drift            compare containers with their images' learned profiles\n"
    "      --drift-threshold F  anomaly score (0-1] at which drift is raised (default 0.9)\n"
    "      --no-image-drift   do not read images to find programs not in their layers\n"
    "  -q, --quiet            no messages on standard error\n"
    "  -h, --help             this help\n"
    "\n"
    "Needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN): exit 3 naming what is missing.\n";

enum {
	OPT_RULES = BW_OPT__COMMAND_BASE,
	OPT_DRY_RUN,
	OPT_SKIP_UNSUPPORTED,
	OPT_SOURCE,
	OPT_CONTAINERS_ONLY,
	OPT_ALL_OPENS,
	OPT_BUFFER,
	OPT_ENGINE,
	OPT_DURATION,
	OPT_MAX_EVENTS,
	OPT_ROTATE_SIZE,
	OPT_ROTATE_KEEP,
	OPT_SYSLOG,
	OPT_WEBHOOK,
	OPT_WEBHOOK_RETRIES,
	OPT_WEBHOOK_TIMEOUT,
	OPT_STDOUT,
	OPT_RATE,
	OPT_BURST,
	OPT_STATS,
	OPT_LEARN,
	OPT_IMAGE,
	OPT_FOR,
	OPT_DRIFT,
	OPT_DRIFT_THRESHOLD,
	OPT_NO_IMAGE_DRIFT,
};

/* "30s", "10m", "1h", "250ms", "2.5" (seconds) */
static int parse_duration(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || v < 0)
		return -1;
	if (strcmp(end, "") == 0 || strcmp(end, "s") == 0)
		*out = v;
	else if (strcmp(end, "ms") == 0)
		*out = v / 1000;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		*out = v * 60;
	else if (strcmp(end, "h") == 0)
		*out = v * 3600;
	else
		return -1;
	return 0;
}

/* "64M", "8MiB", "4096" */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || v < 0)
		return -1;
	double mul = 1;
	if (*end == 'k' || *end == 'K')
		mul = 1024, end++;
	else if (*end == 'M')
		mul = 1024.0 * 1024, end++;
	else if (*end == 'G')
		mul = 1024.0 * 1024 * 1024, end++;
	if (strcmp(end, "iB") == 0 || strcmp(end, "B") == 0)
		end += strlen(end);
	if (*end)
		return -1;
	*out = (uint64_t)(v * mul);
	return 0;
}

static int parse_count(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (!*s || *end || errno || s[0] == '-')
		return -1;
	*out = v;
	return 0;
}

struct monitor_args {
	struct bw_monitor_opts o;
	const char **rules;
	size_t n_rules;
	bool dry_run, learn, to_stdout, for_set;
	bool format_table;
};

static void log_msg(void *ud, int level, const char *msg)
{
	const struct bw_cli *cli = ud;
	if (cli->quiet && level < 2)
		return;
	fprintf(stderr, "bulwark monitor: %s", level == 2 ? "error: " : level == 1 ? "warning: " : "");
	bw_report_put_text(stderr, msg, SIZE_MAX, 0);
	fputc('\n', stderr);
}

static int on_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	struct monitor_args *a = ud;
	uint64_t n;
	double d;
	switch (c) {
	case 'r':
	case OPT_RULES:
		a->rules = bw_realloc(a->rules, (a->n_rules + 1) * sizeof(*a->rules));
		a->rules[a->n_rules++] = arg;
		return 0;
	case OPT_DRY_RUN:
		a->dry_run = true;
		return 0;
	case OPT_SKIP_UNSUPPORTED:
		a->o.rules.skip_unsupported = true;
		return 0;
	case OPT_SOURCE:
		if (strcmp(arg, "bpf") != 0 && strcmp(arg, "fanotify") != 0 && strcmp(arg, "auto") != 0)
			return bw_cli_usage_error(cli->cmd, "--source: bpf or fanotify, not '%s'", arg);
		a->o.source = arg;
		a->o.rules.source = strcmp(arg, "fanotify") == 0 ? "fanotify" : "bpf";
		return 0;
	case OPT_CONTAINERS_ONLY:
		a->o.containers_only = true;
		return 0;
	case OPT_ALL_OPENS:
		a->o.all_opens = true;
		return 0;
	case OPT_BUFFER:
		if (parse_size(arg, &n) || n < 4096 || n > (1ull << 30))
			return bw_cli_usage_error(cli->cmd, "--buffer-size: a size from 4K to 1G, not '%s'",
						  arg);
		a->o.ring_bytes = (size_t)n;
		return 0;
	case 'H':
	case OPT_ENGINE:
		a->o.docker_host = arg;
		return 0;
	case OPT_DURATION:
	case OPT_FOR:
		if (parse_duration(arg, &d) || d <= 0)
			return bw_cli_usage_error(cli->cmd, "%s: a duration such as 30s, 10m or 1h, not '%s'",
						  c == OPT_FOR ? "--for" : "--duration", arg);
		a->o.duration = d;
		a->for_set |= c == OPT_FOR;
		return 0;
	case OPT_MAX_EVENTS:
		if (parse_count(arg, &n) || n == 0)
			return bw_cli_usage_error(cli->cmd, "--max-events: a positive number, not '%s'", arg);
		a->o.max_events = n;
		return 0;
	case OPT_ROTATE_SIZE:
		if (parse_size(arg, &n) || n < 1024)
			return bw_cli_usage_error(cli->cmd, "--rotate-size: a size of at least 1K, not '%s'",
						  arg);
		a->o.rotate_bytes = n;
		return 0;
	case OPT_ROTATE_KEEP:
		if (parse_count(arg, &n) || n == 0 || n > 1000)
			return bw_cli_usage_error(cli->cmd,
						  "--rotate-keep: a number from 1 to 1000, not '%s'", arg);
		a->o.rotate_keep = (int)n;
		return 0;
	case OPT_SYSLOG:
		a->o.syslog = true;
		return 0;
	case OPT_WEBHOOK:
		if (strncmp(arg, "http://", 7) != 0 && strncmp(arg, "https://", 8) != 0)
			return bw_cli_usage_error(cli->cmd, "--webhook: an http:// or https:// URL, not '%s'",
						  arg);
		a->o.webhook_url = arg;
		return 0;
	case OPT_WEBHOOK_RETRIES:
		if (parse_count(arg, &n) || n > 100)
			return bw_cli_usage_error(cli->cmd,
						  "--webhook-retries: a number from 0 to 100, not '%s'", arg);
		a->o.webhook_retries = n ? (int)n : -1;
		return 0;
	case OPT_WEBHOOK_TIMEOUT:
		if (parse_duration(arg, &d) || d <= 0)
			return bw_cli_usage_error(cli->cmd, "--webhook-timeout: a duration, not '%s'", arg);
		a->o.webhook_timeout = d;
		return 0;
	case OPT_STDOUT:
		a->to_stdout = true;
		return 0;
	case OPT_RATE:
	case OPT_BURST: {
		char *end;
		d = strtod(arg, &end);
		if (end == arg || *end || d <= 0)
			return bw_cli_usage_error(cli->cmd, "%s: a positive number, not '%s'",
						  c == OPT_RATE ? "--rate-limit" : "--rate-burst", arg);
		if (c == OPT_RATE)
			a->o.rate_per_rule = d;
		else
			a->o.rate_burst = d;
		return 0;
	}
	case OPT_STATS:
		if (parse_duration(arg, &d) || d <= 0)
			return bw_cli_usage_error(cli->cmd, "--stats-interval: a duration, not '%s'", arg);
		a->o.stats_interval = d;
		return 0;
	case OPT_LEARN:
		a->learn = true;
		return 0;
	case OPT_IMAGE:
		a->o.learn_image = arg;
		return 0;
	case OPT_DRIFT:
		a->o.drift = true;
		return 0;
	case OPT_DRIFT_THRESHOLD: {
		char *end;
		d = strtod(arg, &end);
		if (end == arg || *end || d <= 0 || d > 1)
			return bw_cli_usage_error(cli->cmd, "--drift-threshold: a number in (0, 1], not '%s'",
						  arg);
		a->o.drift_threshold = d;
		return 0;
	}
	case OPT_NO_IMAGE_DRIFT:
		a->o.no_image_drift = true;
		return 0;
	}
	return bw_cli_usage_error(cli->cmd, "unexpected option");
}

static int dry_run(struct bw_cli *cli, struct monitor_args *a)
{
	struct bw_monitor_check ch;
	struct bw_error err = BW_ERROR_INIT;
	int rc = bw_monitor_check_rules(&a->o.rules, &ch, &err);
	if (rc)
		return bw_cli_fail(cli, &err);
	FILE *out = bw_cli_open_output(cli, &err);
	if (!out) {
		bw_monitor_check_release(&ch);
		return bw_cli_fail(cli, &err);
	}
	if (cli->format == BW_FORMAT_JSON) {
		json_t *j = bw_monitor_check_json(&ch);
		json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
		json_decref(j);
	} else {
		size_t disabled = 0;
		for (size_t i = 0; i < ch.n_loaded; i++)
			disabled += !ch.loaded[i].enabled;
		fprintf(out,
			"%zu rules loaded (%zu disabled), %zu skipped, %zu inert; %zu macros, %zu lists\n",
			ch.n_loaded, disabled, ch.n_skipped, ch.n_inert, ch.n_macros, ch.n_lists);
		for (size_t i = 0; i < ch.n_loaded; i++) {
			fputs("  loaded   ", out);
			bw_report_put_text(out, ch.loaded[i].name, SIZE_MAX, 0);
			fprintf(out, " [%s%s] on ", ch.loaded[i].priority,
				ch.loaded[i].enabled ? "" : ", disabled");
			bw_report_put_text(out, ch.loaded[i].event_types, SIZE_MAX, 0);
			fputc('\n', out);
		}
		for (size_t i = 0; i < ch.n_skipped; i++) {
			fputs("  skipped  ", out);
			bw_report_put_text(out, ch.skipped[i].name, SIZE_MAX, 0);
			fputs(": ", out);
			bw_report_put_text(out, ch.skipped[i].why, SIZE_MAX, 0);
			fputc('\n', out);
		}
		for (size_t i = 0; i < ch.n_inert; i++) {
			fputs("  inert    ", out);
			bw_report_put_text(out, ch.inert[i].name, SIZE_MAX, 0);
			fputs(": ", out);
			bw_report_put_text(out, ch.inert[i].why, SIZE_MAX, 0);
			fputc('\n', out);
		}
	}
	if (!cli->quiet)
		for (size_t i = 0; i < ch.n_warnings; i++) {
			fputs("bulwark monitor: warning: ", stderr);
			bw_report_put_text(stderr, ch.warnings[i], SIZE_MAX, 0);
			fputc('\n', stderr);
		}
	bw_monitor_check_release(&ch);
	if (bw_cli_close_output(cli, out, &err) < 0)
		return bw_cli_fail(cli, &err);
	return BW_EXIT_OK;
}

int bw_cmd_monitor(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    {"rules", required_argument, NULL, OPT_RULES},
	    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
	    {"skip-unsupported", no_argument, NULL, OPT_SKIP_UNSUPPORTED},
	    {"source", required_argument, NULL, OPT_SOURCE},
	    {"containers-only", no_argument, NULL, OPT_CONTAINERS_ONLY},
	    {"all-opens", no_argument, NULL, OPT_ALL_OPENS},
	    {"buffer-size", required_argument, NULL, OPT_BUFFER},
	    {"engine", required_argument, NULL, OPT_ENGINE},
	    {"duration", required_argument, NULL, OPT_DURATION},
	    {"max-events", required_argument, NULL, OPT_MAX_EVENTS},
	    {"rotate-size", required_argument, NULL, OPT_ROTATE_SIZE},
	    {"rotate-keep", required_argument, NULL, OPT_ROTATE_KEEP},
	    {"syslog", no_argument, NULL, OPT_SYSLOG},
	    {"webhook", required_argument, NULL, OPT_WEBHOOK},
	    {"webhook-retries", required_argument, NULL, OPT_WEBHOOK_RETRIES},
	    {"webhook-timeout", required_argument, NULL, OPT_WEBHOOK_TIMEOUT},
	    {"stdout", no_argument, NULL, OPT_STDOUT},
	    {"rate-limit", required_argument, NULL, OPT_RATE},
	    {"rate-burst", required_argument, NULL, OPT_BURST},
	    {"stats-interval", required_argument, NULL, OPT_STATS},
	    {"learn", no_argument, NULL, OPT_LEARN},
	    {"image", required_argument, NULL, OPT_IMAGE},
	    {"for", required_argument, NULL, OPT_FOR},
	    {"drift", no_argument, NULL, OPT_DRIFT},
	    {"drift-threshold", required_argument, NULL, OPT_DRIFT_THRESHOLD},
	    {"no-image-drift", no_argument, NULL, OPT_NO_IMAGE_DRIFT},
	    {NULL, 0, NULL, 0},
	};
	struct monitor_args a = {0};
	a.o.rules.source = "bpf";
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT "r:H:", longopts, on_option, &a, &done);
	if (rc || done)
		goto out;
	if (argc > optind) {
		rc = bw_cli_usage_error(cli->cmd, "monitor takes no operands ('%s')", argv[optind]);
		goto out;
	}
	if (cli->format != BW_FORMAT_JSON && cli->format != BW_FORMAT_TABLE) {
		rc = bw_cli_usage_error(cli->cmd, "monitor writes json or table");
		goto out;
	}
	if (!cli->format_set && !a.dry_run)
		cli->format = BW_FORMAT_JSON;
	if (a.learn != (a.o.learn_image != NULL)) {
		rc = bw_cli_usage_error(cli->cmd, a.learn ? "--learn needs --image IMAGE"
							  : "--image goes with --learn");
		goto out;
	}
	if (a.for_set && !a.learn) {
		rc = bw_cli_usage_error(cli->cmd, "--for goes with --learn (else --duration)");
		goto out;
	}
	if (a.learn && a.o.drift) {
		rc = bw_cli_usage_error(cli->cmd,
					"--learn and --drift do not go together: learn first, then watch");
		goto out;
	}
	if (a.learn && !a.o.duration) {
		rc = bw_cli_usage_error(cli->cmd, "--learn needs --for DUR (how long to learn)");
		goto out;
	}
	a.o.rules.files = a.rules;
	a.o.rules.n_files = a.n_rules;
	if (a.dry_run) {
		rc = dry_run(cli, &a);
		goto out;
	}
	a.o.out_format = cli->format == BW_FORMAT_TABLE ? BW_MONITOR_OUT_TEXT : BW_MONITOR_OUT_JSON;
	a.o.min_severity = cli->severity;
	a.o.log = log_msg;
	a.o.log_ud = cli;
	if (cli->output && strcmp(cli->output, "-") != 0)
		a.o.rotate_path = cli->output;
	if ((!cli->output || strcmp(cli->output, "-") == 0 || a.to_stdout) &&
	    !((a.o.syslog || a.o.webhook_url) && !a.to_stdout))
		a.o.out_file = stdout;
	if (a.o.webhook_retries < 0)
		a.o.webhook_retries = 0;
	struct bw_error err = BW_ERROR_INIT;
	struct bw_monitor_result res;
	rc = bw_monitor_run(&a.o, &res, &err);
	if (rc) {
		rc = bw_cli_fail(cli, &err);
		goto out;
	}
	rc = cli->exit_code && res.alerts ? cli->exit_code : BW_EXIT_OK;
out:
	free(a.rules);
	return rc;
}
