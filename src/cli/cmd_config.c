/* bulwark config — compose files and Kubernetes manifests. */
#include <jansson.h>

#include <sys/stat.h>

#include "cli.h"
#include "iac/iac.h"
#include "sandbox/sandbox.h"

const char bw_usage_config[] =
    "usage: bulwark config [options] PATH...\n"
    "\n"
    "Check docker-compose files and Kubernetes manifests (files, or directories\n"
    "searched for *.yaml and *.yml; what is neither is skipped). Every finding\n"
    "names its rule (BW-K8S-NNN, BW-COMPOSE-NNN), the equivalent Trivy KSV,\n"
    "Kubesec, kube-score and CIS ids, and the file, line and column of the key.\n"
    "\n"
    "      --baseline FILE        the organisation's baseline (YAML): allowed registries,\n"
    "                             forbidden capabilities and mounts, resource ceilings,\n"
    "                             required settings, exceptions with owner, reason, expiry\n"
    "      --disable ID           do not run rule ID (ours or a peer id); repeatable\n"
    "      --trusted-registry R   allow images only from R (repeatable, *.corp.example)\n"
    "      --env NAME=VALUE       compose interpolation reads only these (repeatable)\n"
    "                             instead of the environment (.env files still apply)\n"
    "      --fix                  write the hardened files in place (comments, key order\n"
    "                             and quoting kept), then report what is left\n"
    "      --diff                 with --fix: print a unified diff instead of writing\n"
    "      --list-rules           list the rules (as JSON with --format json)\n" BW_CLI_SUPPRESS_HELP
	BW_CLI_SANDBOX_HELP BW_CLI_COMMON_HELP "\n"
    "Exit status: 0 no findings at or above --severity (or --exit-code not given),\n"
    "N (--exit-code N) findings at or above --severity, 2 usage error, 3 a file\n"
    "could not be read or parsed (the other files are still checked and reported).\n";

enum {
	OPT_DISABLE = BW_OPT__COMMAND_BASE,
	OPT_BASELINE,
	OPT_TRUSTED,
	OPT_ENV,
	OPT_LIST,
	OPT_FIX,
	OPT_DIFF,
};

struct config_opts {
	struct bw_iac_config *cfg;
	bool list, fix, diff;
};

static int on_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	struct config_opts *o = ud;
	struct bw_error err = BW_ERROR_INIT;
	switch (c) {
	case OPT_DISABLE:
		if (bw_iac_config_disable(o->cfg, arg, &err))
			return bw_cli_usage_error(cli->cmd, "%s", err.msg);
		return 0;
	case OPT_TRUSTED:
		bw_iac_config_trust_registry(o->cfg, arg);
		return 0;
	case OPT_BASELINE:
		if (bw_iac_config_load_baseline(o->cfg, arg, &err))
			return bw_cli_usage_error(cli->cmd, "%s", err.msg);
		return 0;
	case OPT_ENV:
		if (!strchr(arg, '=') || arg[0] == '=')
			return bw_cli_usage_error(cli->cmd, "--env takes NAME=VALUE, not '%s'", arg);
		bw_iac_config_setenv(o->cfg, arg);
		return 0;
	case OPT_LIST:
		o->list = true;
		return 0;
	case OPT_FIX:
		o->fix = true;
		return 0;
	case OPT_DIFF:
		o->diff = true;
		return 0;
	default:
		return BW_EXIT_USAGE;
	}
}

static int list_rules(struct bw_cli *cli)
{
	struct bw_error err = BW_ERROR_INIT;
	FILE *out = bw_cli_open_output(cli, &err);
	if (!out)
		return bw_cli_fail(cli, &err);
	if (cli->format == BW_FORMAT_JSON) {
		json_t *arr = bw_iac_rules_json();
		json_dumpf(arr, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
		json_decref(arr);
	} else {
		bw_iac_rules_write_table(out);
	}
	if (bw_cli_close_output(cli, out, &err))
		return bw_cli_fail(cli, &err);
	return BW_EXIT_OK;
}

/* --fix --diff: the diffs of every path, nothing written. */
static int fix_diff(struct bw_cli *cli, struct config_opts *o, int argc, char **argv)
{
	struct bw_error err = BW_ERROR_INIT;
	struct bw_buf diff;
	bw_buf_init(&diff, 1u << 30);
	size_t files = 0, edits = 0;
	for (int i = optind; i < argc; i++)
		if (bw_iac_fix_path(argv[i], o->cfg, &diff, &files, &edits, &err)) {
			bw_buf_release(&diff);
			return bw_cli_fail(cli, &err);
		}
	FILE *out = bw_cli_open_output(cli, &err);
	if (!out) {
		bw_buf_release(&diff);
		return bw_cli_fail(cli, &err);
	}
	fwrite(diff.data ? diff.data : "", 1, diff.len, out);
	bw_buf_release(&diff);
	if (bw_cli_close_output(cli, out, &err))
		return bw_cli_fail(cli, &err);
	if (!cli->quiet)
		fprintf(stderr, "bulwark config: %zu edit(s) in %zu file(s) (not written)\n", edits, files);
	return BW_EXIT_OK;
}

/* --fix: rewrite the files, then the check reports what is left. */
static int fix_in_place(struct bw_cli *cli, struct config_opts *o, int argc, char **argv)
{
	size_t files = 0, edits = 0;
	for (int i = optind; i < argc; i++) {
		struct bw_error err = BW_ERROR_INIT;
		if (bw_iac_fix_path(argv[i], o->cfg, NULL, &files, &edits, &err))
			return bw_cli_fail(cli, &err);
	}
	if (!cli->quiet)
		fprintf(stderr, "bulwark config: fixed %zu setting(s) in %zu file(s)\n", edits, files);
	return 0;
}

int bw_cmd_config(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    {"disable", required_argument, NULL, OPT_DISABLE},
	    {"baseline", required_argument, NULL, OPT_BASELINE},
	    {"trusted-registry", required_argument, NULL, OPT_TRUSTED},
	    {"env", required_argument, NULL, OPT_ENV},
	    {"list-rules", no_argument, NULL, OPT_LIST},
	    {"fix", no_argument, NULL, OPT_FIX},
	    {"diff", no_argument, NULL, OPT_DIFF},
	    BW_CLI_SUPPRESS_OPTIONS,
	    BW_CLI_SANDBOX_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct config_opts o = {.cfg = bw_iac_config_new()};
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT, longopts, on_option, &o, &done);
	if (rc || done)
		goto out;
	if (cli->format != BW_FORMAT_TABLE && cli->format != BW_FORMAT_JSON &&
	    cli->format != BW_FORMAT_SARIF) {
		rc = bw_cli_usage_error(cli->cmd, "--format %s does not apply to config",
					bw_format_name(cli->format));
		goto out;
	}
	if (o.list) {
		rc = list_rules(cli);
		goto out;
	}
	int npaths = argc - optind;
	if (npaths <= 0) {
		rc = bw_cli_usage_error(cli->cmd, "no file or directory given");
		goto out;
	}
	if (o.diff && !o.fix) {
		rc = bw_cli_usage_error(cli->cmd, "--diff goes with --fix");
		goto out;
	}
	/* the files are read confined: each path, and a file's directory (a
	 * compose file's .env beside it); --fix rewrites them there */
	struct bw_sandbox *sb = bw_cli_sandbox_begin(cli);
	for (int i = optind; sb && i < argc; i++) {
		struct stat st;
		unsigned access = o.fix && !o.diff ? BW_SANDBOX_WRITE : BW_SANDBOX_READ;
		if (stat(argv[i], &st) == 0 && !S_ISDIR(st.st_mode)) {
			const char *slash = strrchr(argv[i], '/');
			char *dir =
			    !slash ? bw_strdup(".")
				   : bw_strndup(argv[i], slash == argv[i] ? 1 : (size_t)(slash - argv[i]));
			bw_sandbox_allow(sb, dir, access);
			free(dir);
		}
		bw_sandbox_allow(sb, argv[i], access);
	}
	rc = bw_cli_sandbox_enter(cli, sb);
	if (rc)
		goto out;
	if (o.diff) {
		rc = fix_diff(cli, &o, argc, argv);
		goto out;
	}
	if (o.fix && (rc = fix_in_place(cli, &o, argc, argv)))
		goto out;
	struct bw_report *r = bw_report_new("config", npaths == 1 ? argv[optind] : "several paths");
	struct bw_iac_walk st = {0};
	bool failed = false;
	for (int i = optind; i < argc; i++) {
		struct bw_error err = BW_ERROR_INIT;
		size_t before = st.failed;
		if (bw_iac_check_path(r, argv[i], o.cfg, &st, &err)) {
			failed = true;
			if (cli->format == BW_FORMAT_TABLE)
				bw_cli_fail(cli, &err);
			bw_report_warn(r, "%s", err.msg);
		}
		if (st.failed != before)
			failed = true;
	}
	bw_iac_finish(r, o.cfg);
	r->target.type = st.kinds == BW_IAC_KUBERNETES ? "kubernetes"
			 : st.kinds == BW_IAC_COMPOSE  ? "compose"
						       : "config";
	rc = bw_cli_suppress(cli, r);
	if (!rc)
		rc = bw_cli_emit_report(cli, r);
	bw_report_free(r);
	if (failed && (rc == BW_EXIT_OK || rc == cli->exit_code))
		rc = BW_EXIT_ERROR;
out:
	bw_iac_config_free(o.cfg);
	return rc;
}
