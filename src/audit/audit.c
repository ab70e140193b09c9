/* Running an audit: gather the inputs, walk the check table, turn each
 * verdict into a finding. */
#include "audit-int.h"

static _Thread_local double last_engine_seconds;

double bw_audit_last_engine_seconds(void)
{
	return last_engine_seconds;
}

size_t bw_audit_n_checks(void)
{
	return audit_n_checks;
}

const struct bw_audit_check_info *bw_audit_check_at(size_t i)
{
	return i < audit_n_checks ? &audit_checks[i].info : NULL;
}

const char *bw_audit_scope_name(enum bw_audit_scope s)
{
	switch (s) {
	case BW_AUDIT_HOST:
		return "Host configuration";
	case BW_AUDIT_DAEMON:
		return "Docker daemon configuration";
	case BW_AUDIT_FILES:
		return "Docker daemon configuration files";
	case BW_AUDIT_IMAGES:
		return "Container images and build files";
	case BW_AUDIT_CONTAINER:
		return "Container runtime";
	case BW_AUDIT_OPS:
		return "Docker security operations";
	}
	return "?";
}

/* "5.4" is chosen by "5.4", "CIS-5.4", "5" and "cis-5". */
static bool selects(const char *sel, const char *id)
{
	if (bw_strncasecmp(sel, "CIS-", 4) == 0)
		sel += 4;
	size_t n = strlen(sel);
	return strncmp(id, sel, n) == 0 && (id[n] == '\0' || id[n] == '.');
}

static bool any_selects(const char *const *sels, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (selects(sels[i], id))
			return true;
	return false;
}

static int check_selection(const char *const *sels, size_t n, const char *opt, struct bw_error *err)
{
	for (size_t i = 0; i < n; i++) {
		bool hit = false;
		for (size_t k = 0; k < audit_n_checks && !hit; k++)
			hit = selects(sels[i], audit_checks[k].info.id);
		if (!hit)
			return bw_error_set(err, BW_EUSAGE, "%s '%s' names no CIS check (see docs/audit.md)",
					    opt, sels[i]);
	}
	return 0;
}

static void emit(struct audit_ctx *ctx, const struct audit_check *chk, const struct audit_container *c,
		 const struct audit_verdict *v)
{
	struct bw_report *r = ctx->report;
	struct bw_finding *f = bw_report_add_finding(r, BW_KIND_AUDIT);
	f->id = bw_report_strf(r, "CIS-%s", chk->info.id);
	f->title = chk->info.title;
	f->status = v->status;
	f->severity = v->status == BW_STATUS_WARN ? chk->info.severity : BW_SEV_INFO;
	f->evidence = v->evidence[0] ? bw_report_str(r, v->evidence) : NULL;
	f->remediation = v->status == BW_STATUS_PASS ? NULL : chk->info.remediation;
	if (c)
		f->location.container = bw_report_str(r, c->name);
}

static void run_checks(struct audit_ctx *ctx)
{
	const struct bw_audit_opts *o = ctx->opts;
	for (size_t k = 0; k < audit_n_checks; k++) {
		const struct audit_check *chk = &audit_checks[k];
		if (o->n_checks && !any_selects(o->checks, o->n_checks, chk->info.id))
			continue;
		if (any_selects(o->excludes, o->n_excludes, chk->info.id))
			continue;
		struct audit_verdict v = {.status = BW_STATUS_MANUAL};
		if (chk->container) {
			for (size_t i = 0; i < ctx->n_cs; i++) {
				v.status = BW_STATUS_PASS;
				v.evidence[0] = '\0';
				chk->container(ctx, &ctx->cs[i], &v);
				emit(ctx, chk, &ctx->cs[i], &v);
			}
			continue;
		}
		if (chk->global)
			chk->global(ctx, chk, &v);
		else
			verdict(&v, BW_STATUS_MANUAL, "%s", chk->info.how);
		emit(ctx, chk, NULL, &v);
	}
}

int bw_audit_run(const struct bw_audit_opts *opts, struct bw_report *r, struct bw_error *err)
{
	int rc = check_selection(opts->checks, opts->n_checks, "--check", err);
	if (!rc)
		rc = check_selection(opts->excludes, opts->n_excludes, "--exclude", err);
	if (rc)
		return rc;

	struct audit_ctx ctx = {.opts = opts, .report = r, .live = !opts->offline};
	bw_autofree char *root = bw_strdup(opts->host_root && *opts->host_root ? opts->host_root : "/");
	size_t n = strlen(root);
	while (n && root[n - 1] == '/')
		root[--n] = '\0';
	ctx.root = root;
	ctx.containers = json_array();
	r->target.type = "host";
	r->target.name = bw_report_str(r, opts->offline ? (n ? root : "/") : "engine");

	if (ctx.live) {
		rc = audit_load_live(&ctx, err);
		if (rc)
			goto out;
	} else {
		audit_load_offline(&ctx);
	}
	audit_index_containers(&ctx);
	audit_scan_processes(&ctx);
	audit_daemon_load(&ctx);
	run_checks(&ctx);
out:
	last_engine_seconds = ctx.engine_seconds;
	audit_daemon_release(&ctx.daemon);
	if (ctx.audit_rules_loaded)
		bw_buf_release(&ctx.audit_rules);
	free(ctx.audit_rules_sources);
	audit_images_release(&ctx);
	free(ctx.cs);
	json_decref(ctx.containers);
	json_decref(ctx.info);
	json_decref(ctx.images);
	bw_engine_free(ctx.engine);
	return rc;
}
