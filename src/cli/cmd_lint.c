/* bulwark lint — Dockerfile lint. */
#include <jansson.h>

#include "cli.h"
#include "lint/lint.h"
#include "sandbox/sandbox.h"

const char bw_usage_lint[] =
    "usage: bulwark lint [options] FILE...\n"
    "\n"
    "Lint Dockerfiles ('-' reads standard input). Every finding names its rule\n"
    "(BW-DF-NNN) and the equivalent Hadolint, Trivy, Dockle and CIS ids.\n"
    "\n"
    "  -c, --config FILE          YAML configuration: disable, enable, severity,\n"
    "                             trusted-registries, required-labels, label-schema,\n"
    "                             strict-labels (hadolint's keys are accepted too)\n"
    "      --disable ID           do not run rule ID (ours or a peer id); repeatable\n"
    "      --ignore ID            the same (Hadolint's name)\n"
    "      --trusted-registry R   allow base images only from R (repeatable, *.corp.example)\n"
    "      --require-label L[:T]  require label L, optionally of type T\n"
    "                             (text url semver hash spdx rfc3339 email)\n"
    "  -t, --failure-threshold T  exit 1 when a finding is at or above T: Hadolint's\n"
    "                             error (HIGH), warning (MEDIUM), info (LOW, the\n"
    "                             default), style (INFO), ignore|none (never), or a\n"
    "                             bulwark severity\n"
    "      --no-fail              exit 0 whatever the findings\n"
    "      --no-shellcheck        do not run ShellCheck on RUN scripts (findings\n"
    "                             SCnnnn, from the shellcheck program when it is\n"
    "                             installed; --disable SC2086 drops one code)\n"
    "      --list-rules           list the rules (as JSON with --format json)\n" BW_CLI_SUPPRESS_HELP
	BW_CLI_SANDBOX_HELP BW_CLI_FORMAT_HELP(BW_CLI_FORMATS_ALL) BW_CLI_COMMON_HELP
    "\n"
    "Inline ignores: a comment '# bulwark ignore=BW-DF-003,DL3008' (or\n"
    "'# hadolint ignore=…') above an instruction suppresses those rules there;\n"
    "'# bulwark global ignore=…' anywhere suppresses them in the whole file.\n"
    "\n"
    "Without -c, Hadolint's configuration is found as Hadolint finds it: the first of\n"
    "./.hadolint.yaml (.yml), $XDG_CONFIG_HOME/hadolint.yaml, ~/.config/hadolint.yaml,\n"
    "~/.hadolint/hadolint.yaml or config.yaml, ~/.hadolint.yaml; its failure-threshold\n"
    "and no-fail count unless the command line says otherwise.\n"
    "\n"
    "Exit status: 0 no unsuppressed finding at or above the failure threshold (or\n"
    "--no-fail), 1 some, as Hadolint; with --exit-code N: N when findings at or\n"
    "above --severity remain (the threshold is not used); 2 usage error, 3 a file\n"
    "could not be read or parsed at all (the other files are still linted and\n"
    "reported).\n";

enum {
	OPT_CONFIG = BW_OPT__COMMAND_BASE,
	OPT_DISABLE,
	OPT_TRUSTED,
	OPT_LABEL,
	OPT_LIST,
	OPT_THRESHOLD,
	OPT_NO_FAIL,
	OPT_NO_SHELLCHECK,
};

struct lint_opts {
	struct bw_lint_config *cfg;
	bool list;
	bool config_given; /* -c: no Hadolint file is looked for */
	int threshold;	   /* --failure-threshold, or BW_LINT_THRESHOLD_UNSET */
	bool no_fail;
	bool no_shellcheck;
};

static int on_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	struct lint_opts *o = ud;
	struct bw_error err = BW_ERROR_INIT;
	int rc = 0;
	switch (c) {
	case 'c':
	case OPT_CONFIG:
		rc = bw_lint_config_load(o->cfg, arg, &err);
		o->config_given = true;
		break;
	case 't':
	case OPT_THRESHOLD:
		o->threshold = bw_lint_threshold_parse(arg);
		if (o->threshold == BW_LINT_THRESHOLD_UNSET)
			return bw_cli_usage_error(
			    cli->cmd,
			    "--failure-threshold: '%s' is not error, warning, info, style, ignore or none",
			    arg);
		break;
	case OPT_NO_FAIL:
		o->no_fail = true;
		break;
	case OPT_NO_SHELLCHECK:
		o->no_shellcheck = true;
		break;
	case OPT_DISABLE:
		rc = bw_lint_config_disable(o->cfg, arg, &err);
		break;
	case OPT_TRUSTED:
		rc = bw_lint_config_trust_registry(o->cfg, arg);
		break;
	case OPT_LABEL: {
		const char *colon = strchr(arg, ':');
		char *name = colon ? bw_strndup(arg, (size_t)(colon - arg)) : bw_strdup(arg);
		rc = bw_lint_config_require_label(o->cfg, name, colon ? colon + 1 : NULL, &err);
		free(name);
		break;
	}
	case OPT_LIST:
		o->list = true;
		break;
	default:
		return BW_EXIT_USAGE;
	}
	if (rc)
		return err.code == BW_EUSAGE ? bw_cli_usage_error(cli->cmd, "%s", err.msg)
					     : bw_cli_fail(cli, &err);
	return 0;
}

static int list_rules(struct bw_cli *cli)
{
	struct bw_error err = BW_ERROR_INIT;
	FILE *out = bw_cli_open_output(cli, &err);
	if (!out)
		return bw_cli_fail(cli, &err);
	if (cli->format == BW_FORMAT_JSON)
		bw_cli_print_json(out, bw_lint_rules_json(), JSON_PRESERVE_ORDER);
	else
		bw_lint_rules_write_table(out);
	if (bw_cli_close_output(cli, out, &err))
		return bw_cli_fail(cli, &err);
	return BW_EXIT_OK;
}

int bw_cmd_lint(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    {"config", required_argument, NULL, OPT_CONFIG},
	    {"disable", required_argument, NULL, OPT_DISABLE},
	    {"ignore", required_argument, NULL, OPT_DISABLE}, /* Hadolint's name */
	    {"trusted-registry", required_argument, NULL, OPT_TRUSTED},
	    {"require-label", required_argument, NULL, OPT_LABEL},
	    {"list-rules", no_argument, NULL, OPT_LIST},
	    {"failure-threshold", required_argument, NULL, OPT_THRESHOLD},
	    {"no-fail", no_argument, NULL, OPT_NO_FAIL},
	    {"no-shellcheck", no_argument, NULL, OPT_NO_SHELLCHECK},
	    BW_CLI_SUPPRESS_OPTIONS,
	    BW_CLI_SANDBOX_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct lint_opts o = {.cfg = bw_lint_config_new(), .threshold = BW_LINT_THRESHOLD_UNSET};
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT "c:t:", longopts, on_option, &o, &done);
	if (rc || done)
		goto out;
	if (!o.config_given) {
		/* Hadolint's file, as Hadolint finds it; the command line's options
		 * were applied first and a file only adds to them */
		char *found = bw_lint_config_find();
		if (found) {
			struct bw_error err = BW_ERROR_INIT;
			if (bw_lint_config_load(o.cfg, found, &err)) {
				rc = err.code == BW_EUSAGE ? bw_cli_usage_error(cli->cmd, "%s", err.msg)
							   : bw_cli_fail(cli, &err);
				free(found);
				goto out;
			}
			free(found);
		}
	}
	/* ShellCheck as Hadolint runs it, unless the command line or the
	 * configuration (shellcheck: false) says not to */
	bw_lint_config_shellcheck(o.cfg, !o.no_shellcheck, o.no_shellcheck);
	if (o.list) {
		rc = list_rules(cli);
		goto out;
	}
	int nfiles = argc - optind;
	if (nfiles <= 0) {
		rc = bw_cli_usage_error(cli->cmd, "no Dockerfile given (use - for standard input)");
		goto out;
	}
	const char *name = nfiles == 1 ? (strcmp(argv[optind], "-") ? argv[optind] : "stdin") : NULL;
	char many[64];
	if (!name) {
		snprintf(many, sizeof(many), "%d Dockerfiles", nfiles);
		name = many;
	}
	/* the Dockerfiles are read confined — unless ShellCheck runs: the sandbox
	 * refuses execve (docs/security.md; --no-shellcheck confines lint) */
	struct bw_sandbox *sb = NULL;
	if (!bw_lint_config_shellcheck_on(o.cfg))
		sb = bw_cli_sandbox_begin(cli);
	else if (cli->debug)
		fprintf(stderr,
			"bulwark %s: sandbox: not entered: ShellCheck runs as a program "
			"(--no-shellcheck confines lint)\n",
			cli->cmd->name);
	for (int i = optind; sb && i < argc; i++)
		bw_sandbox_allow(sb, argv[i], BW_SANDBOX_READ);
	rc = bw_cli_sandbox_enter(cli, sb);
	if (rc)
		goto out;
	struct bw_report *r = bw_report_new("dockerfile", name);
	bool failed = false;
	for (int i = optind; i < argc; i++) {
		const char *path = argv[i];
		bool in = strcmp(path, "-") == 0;
		struct bw_error err = BW_ERROR_INIT;
		struct bw_buf b;
		bw_buf_init(&b, BW_LINT_MAX_FILE);
		int frc =
		    in ? bw_buf_read_fd(&b, STDIN_FILENO, "stdin", &err) : bw_buf_read_file(&b, path, &err);
		if (!frc)
			frc = bw_lint_dockerfile(r, in ? "stdin" : path, b.data ? b.data : "", b.len, o.cfg,
						 &err);
		bw_buf_release(&b);
		if (frc) {
			failed = true;
			/* other formats print the report's warnings on stderr themselves */
			if (cli->format == BW_FORMAT_TABLE)
				bw_cli_fail(cli, &err);
			bw_report_warn(r, "%s", err.msg);
		}
		if (nfiles > 1)
			bw_cli_progress(cli, "linted %d/%d", i - optind + 1, nfiles);
	}
	bw_cli_progress_done(cli);
	rc = bw_cli_suppress(cli, r);
	if (!rc)
		rc = bw_cli_emit_report(cli, r);
	if (rc == BW_EXIT_OK && !cli->exit_code) {
		/* Hadolint's gate: the command line, then the configuration file */
		int cfg_no_fail;
		int t = bw_lint_config_failure_threshold(o.cfg, &cfg_no_fail);
		if (o.threshold != BW_LINT_THRESHOLD_UNSET)
			t = o.threshold;
		else if (t == BW_LINT_THRESHOLD_UNSET)
			t = BW_SEV_LOW; /* Hadolint's default: info */
		bool no_fail = o.no_fail || (cfg_no_fail == 1 && o.threshold == BW_LINT_THRESHOLD_UNSET);
		if (!no_fail && t >= 0 && bw_report_count_at_least(r, (enum bw_severity)t) > 0)
			rc = BW_EXIT_FINDINGS;
	}
	bw_report_free(r);
	if (failed && (rc == BW_EXIT_OK || rc == cli->exit_code || rc == BW_EXIT_FINDINGS))
		rc = BW_EXIT_ERROR;
out:
	bw_lint_config_free(o.cfg);
	return rc;
}
