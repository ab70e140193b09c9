/* Options shared by the commands that run a scan (image, fs), and the scan
 * itself: one table of options, one parser, one place that calls src/scan. */
#include <sys/stat.h>

#include "cli.h"
#include "lint/lint.h"
#include "sandbox/sandbox.h"
#include "scan/scan.h"

/* --dockerfile: which instruction made each layer (src/lint). */
static int locate_layers(struct bw_cli *cli, struct bw_report *r)
{
	struct bw_error err = BW_ERROR_INIT;
	struct bw_buf b;
	bw_buf_init(&b, BW_LINT_MAX_FILE);
	int rc = bw_buf_read_file(&b, cli->dockerfile, &err);
	size_t n = r->n_layers;
	const char **cb = bw_calloc(n + 1, sizeof(*cb));
	int *line = bw_calloc(n + 1, sizeof(*line)), *end = bw_calloc(n + 1, sizeof(*end));
	for (size_t i = 0; i < n; i++)
		cb[i] = r->layers[i].created_by;
	if (!rc)
		rc = bw_lint_locate_layers(cli->dockerfile, b.data ? b.data : "", b.len, cb, n, line, end,
					   &err);
	bw_buf_release(&b);
	if (rc == 0)
		bw_report_warn(
		    r, "--dockerfile %s: no layer of the image matches an instruction of its final stage",
		    cli->dockerfile);
	for (size_t i = 0; rc > 0 && i < n; i++)
		if (line[i] > 0) {
			r->layers[i].source_path = bw_report_str(r, cli->dockerfile);
			r->layers[i].source_line = line[i];
			r->layers[i].source_end_line = end[i];
		}
	free(cb);
	free(line);
	free(end);
	return rc < 0 ? bw_cli_fail(cli, &err) : 0;
}

int bw_cli_scan_option(struct bw_cli *cli, int c, const char *arg, struct bw_cli_scan_args *a)
{
	const char *bad;
	size_t bl;
	switch (c) {
	case BW_OPT_SCANNERS:
		if (bw_scan_parse_scanners(arg, &a->scanners, &bad, &bl) < 0)
			return -bw_cli_usage_error(cli->cmd,
						   "unknown scanner '%.*s' (packages, vuln, secret, config)",
						   (int)bl, bad);
		return 1;
	case BW_OPT_LIST_PACKAGES:
		a->list_packages = true;
		return 1;
	case BW_OPT_SECRET_CONFIG:
		a->secret_config = arg;
		return 1;
	case BW_OPT_DB:
		cli->db_path = arg;
		return 1;
	case BW_OPT_IGNORE_UNFIXED:
		cli->ignore_unfixed = true;
		return 1;
	case BW_OPT_NO_CACHE:
		a->no_cache = true;
		return 1;
	case BW_OPT_ALLOW_PARTIAL:
		cli->allow_partial_coverage = true;
		return 1;
	case BW_OPT_DB_MAX_AGE: {
		char *end;
		long v = strtol(arg, &end, 10);
		if (*end || end == arg || v < 0 || v > 100000)
			return -bw_cli_usage_error(cli->cmd, "--db-max-age takes a number of days, not '%s'",
						   arg);
		a->db_max_age = v;
		a->db_max_age_set = true;
		return 1;
	}
	case BW_OPT_DISTRO: {
		struct bw_error err = BW_ERROR_INIT;
		if (bw_scan_check_distro(arg, &err) < 0)
			return -bw_cli_usage_error(cli->cmd, "%s", err.msg);
		a->distro = arg;
		return 1;
	}
	case BW_OPT_STRICT:
		a->strict = true;
		return 1;
	}
	return 0;
}

static void progress(void *ud, uint64_t bytes, size_t done, size_t total)
{
	const struct bw_cli *cli = ud;
	char sz[32];
	bw_format_size(bytes, sz, sizeof(sz));
	if (total && done > total) /* a stream's extra members */
		done = total;
	bw_cli_progress(cli, "reading layers: %zu/%zu, %s", done, total, sz);
}

bw_image_progress_fn bw_cli_image_progress(const struct bw_cli *cli)
{
	return cli->progress ? progress : NULL;
}

/* A target read from local files (an archive, an OCI layout, a directory):
 * *path is what to allow reading (the caller frees it). NULL for the
 * engine's and registries' images, whose connections open lazily. */
static char *local_path(const char *target)
{
	static const char *const local[] = {"docker-archive:", "oci-archive:", "oci:", "dir:", "sbom:"};
	static const char *const remote[] = {"docker:", "registry:"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(remote); i++)
		if (strncmp(target, remote[i], strlen(remote[i])) == 0)
			return NULL;
	const char *p = target;
	bool prefixed = false;
	for (size_t i = 0; i < BW_ARRAY_SIZE(local) && !prefixed; i++)
		if (strncmp(target, local[i], strlen(local[i])) == 0) {
			p = target + strlen(local[i]);
			prefixed = true;
		}
	struct stat st;
	if (stat(p, &st) == 0)
		return bw_strdup(p);
	/* oci:DIR:REF, oci-archive:PATH:REF */
	const char *colon = strrchr(p, ':');
	if (prefixed && colon) {
		char *d = bw_strndup(p, (size_t)(colon - p));
		if (stat(d, &st) == 0)
			return d;
		free(d);
	}
	/* a prefixed path that is not there: opening it fails, confined or not;
	 * a bare one is an image name ("127.0.0.1:5000/app:1", "library/nginx") */
	return prefixed ? bw_strdup(p) : NULL;
}

/* scan hook: the engine's or registry's image is open */
static int enter_opened(void *ud, struct bw_error *err)
{
	void **c = ud;
	struct bw_sandbox *sb = c[1];
	c[1] = NULL;
	return bw_cli_sandbox_apply(c[0], sb, err);
}

struct bw_sandbox *bw_cli_sandbox_target(struct bw_cli *cli, const char *target, const char *secret_config,
					 bool no_cache, bool *local)
{
	struct bw_sandbox *sb = bw_cli_sandbox_begin(cli);
	/* standard input is open already: local, and no path to allow */
	bool stdin_target = strcmp(target, "-") == 0 || strcmp(target, "docker-archive:-") == 0 ||
			    strcmp(target, "oci-archive:-") == 0;
	char *path = stdin_target ? NULL : local_path(target);
	*local = stdin_target || path != NULL;
	if (sb && stdin_target) {
		bw_sandbox_allow(sb, secret_config, BW_SANDBOX_READ);
		bw_cli_sandbox_allow_cache(cli, sb, no_cache);
	} else if (sb) {
		bw_sandbox_allow(sb, secret_config, BW_SANDBOX_READ);
		bw_cli_sandbox_allow_cache(cli, sb, no_cache);
		if (path) {
			bw_sandbox_allow(sb, path, BW_SANDBOX_READ);
		} else {
			bw_sandbox_set_network(sb, true);
			bw_sandbox_allow_system(sb, true);
			bw_sandbox_allow(sb, bw_cli_registry_opts(cli)->ca_file, BW_SANDBOX_READ);
			bw_sandbox_allow(sb, getenv("DOCKER_CERT_PATH"), BW_SANDBOX_READ);
			/* a registry's CAs and client pairs, read per connection */
			const char *certs_d = getenv("BW_REGISTRY_CERTS_D");
			bw_sandbox_allow(sb, certs_d && *certs_d ? certs_d : "/etc/docker/certs.d",
					 BW_SANDBOX_READ);
		}
	}
	free(path);
	return sb;
}

int bw_cli_scan(struct bw_cli *cli, const char *target, const char *name, const char *type,
		const struct bw_cli_scan_args *a)
{
	/* confined before the first byte of a local target is read; an engine's
	 * or a registry's image once it is open (bw_scan_opts.opened) */
	bool local;
	struct bw_sandbox *sb = bw_cli_sandbox_target(cli, target, a->secret_config, a->no_cache, &local);
	void *hook[2] = {cli, sb};
	if (sb && local) {
		int rc = bw_cli_sandbox_enter(cli, sb);
		sb = hook[1] = NULL;
		if (rc)
			return rc;
	}
	struct bw_scan_opts so = {
	    .target = target,
	    .report_name = name,
	    .report_type = type,
	    .platform = cli->platform,
	    .jobs = a->jobs,
	    .scanners = a->scanners,
	    /* the inventory with --list-packages, or when it is all that was asked
	     * for (--scanners packages) */
	    .list_packages = a->list_packages || a->scanners == BW_SCAN_PACKAGES,
	    .secret_config = a->secret_config,
	    .db_path = cli->db_path,
	    .ignore_unfixed = cli->ignore_unfixed,
	    .distro = a->distro,
	    .db_max_age = a->db_max_age_set ? a->db_max_age : 7,
	    /* the table shows a finding's url alone; the documents list its references */
	    .references = cli->format != BW_FORMAT_TABLE,
	    .no_cache = a->no_cache,
	    .strict = a->strict,
	    .registry = bw_cli_registry_opts(cli),
	    /* --timeout bounds the engine's export as it bounds a registry */
	    .deadline = bw_cli_registry_opts(cli)->deadline,
	    .image_src = bw_cli_image_src(cli),
	    .skip_dirs = a->skip_dirs,
	    .skip_files = a->skip_files,
	    .progress = bw_cli_image_progress(cli),
	    .progress_ud = cli,
	    .opened = sb ? enter_opened : NULL,
	    .opened_ud = hook,
	};
	struct bw_error err = BW_ERROR_INIT;
	struct bw_report *r = NULL;
	int src = bw_scan_run(&so, &r, &err);
	bw_sandbox_free(hook[1]); /* the target did not open: never entered */
	bw_cli_progress_done(cli);
	if (!r)
		return bw_cli_fail(cli, &err);
	int rc = cli->dockerfile ? locate_layers(cli, r) : 0;
	/* --strict with unreadable paths: the report still, then the error */
	if (!rc)
		rc = bw_cli_suppress(cli, r);
	if (!rc)
		rc = bw_cli_emit_report(cli, r);
	bw_report_free(r);
	if (src < 0 && rc != BW_EXIT_USAGE)
		rc = bw_cli_fail(cli, &err);
	return rc;
}
