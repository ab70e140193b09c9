/* Running the rules: a file is parsed once, each document recognised as a
 * Kubernetes object (or List) or a compose project, and every enabled rule
 * of its kind run on it. Directories are walked for *.yaml / *.yml files;
 * what is neither compose nor Kubernetes is skipped. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "iac-int.h"

#define MAX_WALK_DEPTH 32
#define MAX_WALK_FILES 200000

/* ---- configuration ------------------------------------------------------- */

struct bw_iac_config *bw_iac_config_new(void)
{
	return bw_calloc(1, sizeof(struct bw_iac_config));
}

void bw_iac_config_free(struct bw_iac_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n_disabled; i++)
		free(cfg->disabled[i]);
	for (size_t i = 0; i < cfg->n_trusted; i++)
		free(cfg->trusted[i]);
	for (size_t i = 0; i < cfg->n_env; i++)
		free(cfg->env[i]);
	free(cfg->disabled);
	free(cfg->trusted);
	free(cfg->env);
	iac_baseline_free(cfg->baseline);
	free(cfg);
}

int bw_iac_config_disable(struct bw_iac_config *cfg, const char *id, struct bw_error *err)
{
	if (bw_iac_rule_find(id) < 0)
		return bw_error_set(err, BW_EUSAGE, "unknown rule id %s", id);
	IAC_GROW(cfg->disabled, cfg->n_disabled, cfg->cap_disabled);
	cfg->disabled[cfg->n_disabled++] = bw_strdup(id);
	return 0;
}

void bw_iac_config_trust_registry(struct bw_iac_config *cfg, const char *pattern)
{
	IAC_GROW(cfg->trusted, cfg->n_trusted, cfg->cap_trusted);
	cfg->trusted[cfg->n_trusted++] = bw_strdup(pattern);
}

void bw_iac_config_setenv(struct bw_iac_config *cfg, const char *name_value)
{
	cfg->env_set = true;
	if (!name_value)
		return;
	IAC_GROW(cfg->env, cfg->n_env, cfg->cap_env);
	cfg->env[cfg->n_env++] = bw_strdup(name_value);
}

static bool rule_enabled(const struct bw_iac_config *cfg, const struct iac_rule *r)
{
	for (size_t i = 0; i < cfg->n_disabled; i++) {
		if (!bw_strcasecmp(cfg->disabled[i], r->id))
			return false;
		for (size_t k = 0; r->equivalent[k]; k++)
			if (!bw_strcasecmp(cfg->disabled[i], r->equivalent[k]))
				return false;
	}
	return !r->default_off;
}

/* ---- findings ------------------------------------------------------------ */

void iac_emit(struct iac_ctx *c, const struct iac_rule *r, const struct bw_yaml_node *at, const char *fmt,
	      ...)
{
	char ev[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ev, sizeof(ev), fmt, ap);
	va_end(ap);
	const struct iac_exception *x = iac_baseline_exception(c, r, at);
	if (c->fix) {
		if (!x)
			iac_fix_collect(c, r, at, ev);
		return;
	}
	struct bw_finding *f = bw_report_add_finding(c->r, BW_KIND_MISCONFIG);
	f->id = r->id;
	f->severity = r->severity;
	f->status = BW_STATUS_FAIL;
	if (x) {
		char why[512];
		iac_exception_describe(x, why, sizeof(why));
		f->status = BW_STATUS_SUPPRESSED;
		f->suppressed_by = bw_report_str(c->r, why);
	}
	f->title = r->title;
	f->remediation = r->remediation;
	if (at) {
		f->location.path = bw_report_str(c->r, at->file->path);
		f->location.line = at->line;
		f->location.column = at->column;
		/* the key's extent when it sits on one line (its last column) */
		int cols = 0;
		bool one_line = at->end > at->start;
		for (size_t i = at->start; i < at->end && one_line; i++) {
			unsigned char ch = (unsigned char)at->file->text[i];
			one_line = ch != '\n' && ch != '\r';
			cols += (ch & 0xC0) != 0x80;
		}
		if (one_line) {
			f->location.end_line = at->line;
			f->location.end_column = at->column + cols - 1;
		}
	}
	if (c->obj)
		f->evidence = bw_report_strf(c->r, "%s %s: %s", c->obj->kind,
					     *c->obj->name ? c->obj->name : "(unnamed)", ev);
	else if (c->svc)
		f->evidence = bw_report_strf(c->r, "service %s: %s", c->svc->name, ev);
	else
		f->evidence = bw_report_str(c->r, ev);
	for (size_t k = 0; r->equivalent[k]; k++)
		bw_finding_add_equivalent(c->r, f, r->equivalent[k]);
	c->emitted++;
}

/* ---- files --------------------------------------------------------------- */

static void on_k8s_object(void *ud, struct k8s_object *o)
{
	struct iac_ctx *c = ud;
	c->obj = o;
	for (size_t i = 0; i < iac_n_k8s_rules; i++)
		if (rule_enabled(c->cfg, &iac_k8s_rules[i]))
			iac_k8s_rules[i].check(c, &iac_k8s_rules[i]);
	for (size_t i = 0; c->cfg->baseline && i < iac_n_baseline_rules; i++)
		if (iac_baseline_rules[i].check && rule_enabled(c->cfg, &iac_baseline_rules[i]))
			iac_baseline_rules[i].check(c, &iac_baseline_rules[i]);
	c->obj = NULL;
	c->objects++;
}

static int check_compose(struct iac_ctx *c, struct bw_yaml_file *f, struct bw_error *err)
{
	struct compose_project *p = NULL;
	int rc = compose_project_load(f, c->cfg, c->r, &p, err);
	if (rc)
		return rc;
	const struct compose_service *svcs;
	size_t n = compose_project_services(p, &svcs);
	c->project = compose_project_root(p);
	for (size_t s = 0; s < n; s++) {
		c->svc = &svcs[s];
		if (c->svc->node->kind != BW_YAML_MAP)
			continue;
		for (size_t i = 0; i < iac_n_compose_rules; i++)
			if (rule_enabled(c->cfg, &iac_compose_rules[i]))
				iac_compose_rules[i].check(c, &iac_compose_rules[i]);
		for (size_t i = 0; c->cfg->baseline && i < iac_n_baseline_rules; i++)
			if (iac_baseline_rules[i].check && rule_enabled(c->cfg, &iac_baseline_rules[i]))
				iac_baseline_rules[i].check(c, &iac_baseline_rules[i]);
		c->objects++;
	}
	c->svc = NULL;
	c->project = NULL;
	compose_project_free(p);
	return 0;
}

static int check_text(struct bw_report *r, const char *path, const char *text, size_t len,
		      const struct bw_iac_config *cfg, unsigned *kinds, struct iac_fixes *fixes,
		      struct bw_error *err)
{
	struct bw_yaml_file *f = NULL;
	int rc = bw_yaml_parse(path, text, len, NULL, &f, err);
	if (rc)
		return rc;
	struct iac_ctx c = {.r = r, .cfg = cfg, .fix = fixes};
	if (fixes)
		iac_fixes_bind(fixes, f->text);
	unsigned found = 0;
	if (f->n_docs == 1 && compose_is_project(f->docs[0].root)) {
		found |= BW_IAC_COMPOSE;
		rc = check_compose(&c, f, err); /* takes f */
		f = NULL;
	} else {
		for (size_t d = 0; d < f->n_docs; d++) {
			if (!k8s_is_object(f->docs[d].root))
				continue;
			found |= BW_IAC_KUBERNETES;
			k8s_each_object(f->docs[d].root, on_k8s_object, &c);
		}
	}
	bw_yaml_file_free(f);
	if (kinds)
		*kinds |= found;
	return rc;
}

int bw_iac_check_text(struct bw_report *r, const char *path, const char *text, size_t len,
		      const struct bw_iac_config *cfg, unsigned *kinds, struct bw_error *err)
{
	return check_text(r, path, text, len, cfg, kinds, NULL, err);
}

int iac_check_text_fix(struct bw_report *r, const char *path, const char *text, size_t len,
		       const struct bw_iac_config *cfg, struct iac_fixes *fixes, struct bw_error *err)
{
	return check_text(r, path, text, len, cfg, NULL, fixes, err);
}

static bool yaml_name(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && !strcmp(name + n - 5, ".yaml")) || (n > 4 && !strcmp(name + n - 4, ".yml"));
}

static int check_file(struct bw_report *r, const char *path, const struct bw_iac_config *cfg,
		      struct bw_iac_walk *st, bool walked, struct bw_error *err)
{
	struct bw_buf b;
	bw_buf_init(&b, 64u << 20);
	int rc = bw_buf_read_file(&b, path, err);
	if (!rc) {
		unsigned kinds = 0;
		rc = bw_iac_check_text(r, path, b.data ? b.data : "", b.len, cfg, &kinds, err);
		if (rc && walked && b.data && strstr(b.data, "{{")) {
			/* a template (Helm chart sources): not YAML until rendered */
			bw_report_warn(r, "%s: skipped, a template rather than YAML (%s)", path, err->msg);
			bw_error_clear(err);
			rc = 0;
			st->skipped++;
		} else if (!rc) {
			if (kinds)
				st->checked++;
			else
				st->skipped++;
			st->kinds |= kinds;
		}
	}
	bw_buf_release(&b);
	return rc;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Call fn for every *.yaml / *.yml under dir (sorted, hidden entries and
 * node_modules left out); fn's own failures are its business. */
int iac_walk(const char *dir, int depth, iac_file_fn fn, void *ud, size_t *seen, struct bw_error *err)
{
	if (depth > MAX_WALK_DEPTH)
		return bw_error_set(err, BW_ELIMIT, "%s: directories nested deeper than %d", dir,
				    MAX_WALK_DEPTH);
	DIR *d = opendir(dir);
	if (!d)
		return bw_error_sys(err, BW_EIO, "%s: cannot open the directory", dir);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		/* hidden entries (., .., .git, .github, …) and node_modules */
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "node_modules"))
			continue;
		IAC_GROW(names, n, cap);
		names[n++] = bw_strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_name);
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		bw_autofree char *path = bw_asprintf("%s/%s", dir, names[i]);
		struct stat sb;
		if (lstat(path, &sb))
			continue;
		if (S_ISDIR(sb.st_mode)) {
			rc = iac_walk(path, depth + 1, fn, ud, seen, err);
		} else if (S_ISREG(sb.st_mode) && yaml_name(names[i])) {
			if (++*seen > MAX_WALK_FILES) {
				rc = bw_error_set(err, BW_ELIMIT, "%s: more than %d YAML files", dir,
						  MAX_WALK_FILES);
				break;
			}
			rc = fn(ud, path, err);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

struct walk_check {
	struct bw_report *r;
	const struct bw_iac_config *cfg;
	struct bw_iac_walk *st;
};

static int walked_file(void *ud, const char *path, struct bw_error *err)
{
	struct walk_check *w = ud;
	struct bw_error fe = BW_ERROR_INIT;
	if (check_file(w->r, path, w->cfg, w->st, true, &fe)) {
		bw_report_warn(w->r, "%s", fe.msg);
		w->st->failed++;
	}
	(void)err;
	return 0;
}

int bw_iac_check_path(struct bw_report *r, const char *path, const struct bw_iac_config *cfg,
		      struct bw_iac_walk *st, struct bw_error *err)
{
	struct stat sb;
	if (stat(path, &sb))
		return bw_error_sys(err, BW_EIO, "%s", path);
	if (S_ISDIR(sb.st_mode)) {
		struct walk_check w = {r, cfg, st};
		return iac_walk(path, 0, walked_file, &w, &st->seen, err);
	}
	st->seen++;
	return check_file(r, path, cfg, st, false, err);
}

/* ---- the end ------------------------------------------------------------- */

static int cmp_finding(const void *a, const void *b)
{
	const struct bw_finding *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	if (c)
		return c;
	c = strcmp(x->location.path ? x->location.path : "", y->location.path ? y->location.path : "");
	if (c)
		return c;
	if (x->location.line != y->location.line)
		return x->location.line < y->location.line ? -1 : 1;
	if (x->location.column != y->location.column)
		return x->location.column < y->location.column ? -1 : 1;
	return 0;
}

void bw_iac_finish(struct bw_report *r, const struct bw_iac_config *cfg)
{
	if (cfg)
		iac_baseline_report_expired(cfg, r);
	if (r->n_findings > 1) {
		qsort(r->findings, r->n_findings, sizeof(*r->findings), cmp_finding);
		size_t w = 1;
		for (size_t i = 1; i < r->n_findings; i++)
			if (cmp_finding(&r->findings[w - 1], &r->findings[i]))
				r->findings[w++] = r->findings[i];
		r->n_findings = w;
	}
	bw_report_sort(r);
}
