/* Organisation baselines: a YAML file of what every workload must have and
 * must not have, checked beside the rules (BW-BASE-NNN), with exceptions
 * that carry an owner, a reason and an expiry date. The format:
 *
 *   allowed-registries: [registry.corp.example, "*.corp.example"]
 *   forbidden-capabilities: [SYS_ADMIN, NET_RAW]
 *   forbidden-mounts: [/var/run/docker.sock, /etc]   (a path and what is under it)
 *   resource-ceilings: {cpu: "2", memory: 2Gi}       (per container or service)
 *   required:
 *     kubernetes:
 *       container: {securityContext.runAsNonRoot: true}
 *       pod: {automountServiceAccountToken: false}
 *     compose: {read_only: true}
 *   disable: [BW-K8S-020]
 *   exceptions:
 *     - rule: BW-K8S-014                 (own or peer id, or "*")
 *       target: "Deployment/legacy-*"    (Kind/name, namespace/Kind/name,
 *                                         service/name, or the file path; a glob)
 *       owner: team-payments
 *       reason: writes its cache under /var/cache
 *       expires: 2026-06-30              (applies through that day, UTC)
 *
 * An exception past its date no longer applies and is itself a finding
 * (BW-BASE-006) at its line in the baseline, so it gets renewed or removed.
 */
#include <fnmatch.h>
#include <time.h>

#include "rules-int.h"

struct req {
	char *path;
	const struct bw_yaml_node *value;
};

struct iac_exception {
	const char *rule, *target, *owner, *reason, *expires; /* in the baseline file's arena */
	const struct bw_yaml_node *node;
	bool expired;
};

struct iac_baseline {
	struct bw_yaml_file *file;
	char **caps, **mounts;
	size_t n_caps, n_mounts;
	long long cpu_milli, mem_bytes; /* ceilings, -1: none */
	struct req *req_ctr, *req_pod, *req_svc;
	size_t n_req_ctr, n_req_pod, n_req_svc;
	struct iac_exception *exc;
	size_t n_exc;
};

void iac_baseline_free(struct iac_baseline *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n_caps; i++)
		free(b->caps[i]);
	for (size_t i = 0; i < b->n_mounts; i++)
		free(b->mounts[i]);
	for (size_t i = 0; i < b->n_req_ctr; i++)
		free(b->req_ctr[i].path);
	for (size_t i = 0; i < b->n_req_pod; i++)
		free(b->req_pod[i].path);
	for (size_t i = 0; i < b->n_req_svc; i++)
		free(b->req_svc[i].path);
	free(b->caps);
	free(b->mounts);
	free(b->req_ctr);
	free(b->req_pod);
	free(b->req_svc);
	free(b->exc);
	bw_yaml_file_free(b->file);
	free(b);
}

/* ---- quantities ---------------------------------------------------------- */

/* Kubernetes CPU ("500m", "2", "0.5") or compose cpus ("0.5"): millicores. */
long long iac_parse_cpu(const char *s)
{
	if (!s || !*s)
		return -1;
	char *end;
	double v = strtod(s, &end);
	if (end == s || v < 0 || v > 1e9)
		return -1;
	if (*end == 'm' && !end[1])
		return (long long)v;
	if (*end)
		return -1;
	return (long long)(v * 1000 + 0.5);
}

/* Kubernetes memory ("512Mi", "1G", "1e9", "1024") or compose ("256m",
 * "1gb", binary units): bytes. */
long long iac_parse_memory(const char *s, bool compose)
{
	if (!s || !*s)
		return -1;
	char *end;
	double v = strtod(s, &end);
	if (end == s || v < 0 || v > 1e18)
		return -1;
	static const struct {
		const char *suffix;
		double k8s, compose;
	} units[] = {
	    {"", 1, 1},
	    {"b", -1, 1},
	    {"k", 1e3, 1024.0},
	    {"kb", -1, 1024.0},
	    {"K", 1e3, 1024.0},
	    {"Ki", 1024.0, -1},
	    {"m", -1, 1048576.0},
	    {"mb", -1, 1048576.0},
	    {"M", 1e6, 1048576.0},
	    {"Mi", 1048576.0, -1},
	    {"g", -1, 1073741824.0},
	    {"gb", -1, 1073741824.0},
	    {"G", 1e9, 1073741824.0},
	    {"Gi", 1073741824.0, -1},
	    {"T", 1e12, -1},
	    {"Ti", 1099511627776.0, -1},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(units); i++)
		if (!strcmp(end, units[i].suffix)) {
			double m = compose ? units[i].compose : units[i].k8s;
			return m < 0 ? -1 : (long long)(v * m);
		}
	return -1;
}

/* ---- loading ------------------------------------------------------------- */

static int bad(struct bw_error *err, const struct bw_yaml_node *n, const char *what)
{
	return bw_error_set(err, BW_EUSAGE, "%s:%d:%d: %s", n->file->path, n->line, n->column, what);
}

static int str_list(const struct bw_yaml_node *n, char ***out, size_t *count, struct bw_error *err)
{
	if (n->kind != BW_YAML_SEQ)
		return bad(err, n, "a list of strings is expected");
	*out = bw_calloc(n->n ? n->n : 1, sizeof(**out));
	for (size_t i = 0; i < n->n; i++) {
		if (!bw_yaml_str(n->items[i]))
			return bad(err, n->items[i], "a string is expected");
		(*out)[(*count)++] = bw_strdup(n->items[i]->str);
	}
	return 0;
}

static int req_map(const struct bw_yaml_node *n, struct req **out, size_t *count, struct bw_error *err)
{
	if (n->kind != BW_YAML_MAP)
		return bad(err, n, "a mapping of setting: value is expected");
	*out = bw_calloc(n->n ? n->n : 1, sizeof(**out));
	for (size_t i = 0; i < n->n; i++) {
		if (!bw_yaml_str(n->pairs[i].key) || n->pairs[i].value->kind != BW_YAML_SCALAR)
			return bad(err, n->pairs[i].key,
				   "a setting (a dotted path) and a scalar value are expected");
		(*out)[(*count)++] = (struct req){bw_strdup(n->pairs[i].key->str), n->pairs[i].value};
	}
	return 0;
}

static void today_str(char out[16])
{
	time_t now = time(NULL);
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end;
		long long v = strtoll(sde, &end, 10);
		if (!*end && v >= 0)
			now = (time_t)v;
	}
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

static bool iso_date(const char *s)
{
	struct tm tm = {0};
	const char *e = s ? strptime(s, "%Y-%m-%d", &tm) : NULL;
	return e && !*e && strlen(s) == 10;
}

static int exceptions(struct iac_baseline *b, const struct bw_yaml_node *n, struct bw_error *err)
{
	if (n->kind != BW_YAML_SEQ)
		return bad(err, n, "exceptions: a list is expected");
	char today[16];
	today_str(today);
	b->exc = bw_calloc(n->n ? n->n : 1, sizeof(*b->exc));
	for (size_t i = 0; i < n->n; i++) {
		const struct bw_yaml_node *e = n->items[i];
		if (e->kind != BW_YAML_MAP)
			return bad(err, e,
				   "an exception is a mapping of rule, target, owner, reason and expires");
		struct iac_exception x = {.node = e};
		static const char *const keys[] = {"rule", "target", "owner", "reason", "expires"};
		const char **dst[] = {&x.rule, &x.target, &x.owner, &x.reason, &x.expires};
		for (size_t k = 0; k < BW_ARRAY_SIZE(keys); k++) {
			*dst[k] = bw_yaml_str(bw_yaml_get(e, keys[k]));
			if (!*dst[k] || !**dst[k]) {
				char msg[128];
				snprintf(msg, sizeof(msg),
					 "the exception has no %s (rule, target, owner, reason and "
					 "expires are required)",
					 keys[k]);
				return bad(err, e, msg);
			}
		}
		if (strcmp(x.rule, "*") && bw_iac_rule_find(x.rule) < 0)
			return bad(err, bw_yaml_get(e, "rule"), "unknown rule id");
		if (!iso_date(x.expires))
			return bad(err, bw_yaml_get(e, "expires"), "expires: a date YYYY-MM-DD is expected");
		x.expired = strcmp(today, x.expires) > 0;
		b->exc[b->n_exc++] = x;
	}
	return 0;
}

static int load(struct bw_iac_config *cfg, struct iac_baseline *b, struct bw_error *err)
{
	const struct bw_yaml_node *root = b->file->n_docs ? b->file->docs[0].root : NULL;
	if (!root || root->kind != BW_YAML_MAP)
		return bw_error_set(err, BW_EUSAGE, "%s: a baseline is a YAML mapping", b->file->path);
	for (size_t i = 0; i < root->n; i++) {
		const char *k = bw_yaml_str(root->pairs[i].key);
		const struct bw_yaml_node *v = root->pairs[i].value;
		int rc = 0;
		if (!k)
			rc = bad(err, root->pairs[i].key, "a key is expected");
		else if (!strcmp(k, "allowed-registries")) {
			char **l = NULL;
			size_t n = 0;
			rc = str_list(v, &l, &n, err);
			for (size_t j = 0; j < n; j++) {
				bw_iac_config_trust_registry(cfg, l[j]);
				free(l[j]);
			}
			free(l);
		} else if (!strcmp(k, "forbidden-capabilities")) {
			rc = str_list(v, &b->caps, &b->n_caps, err);
		} else if (!strcmp(k, "forbidden-mounts")) {
			rc = str_list(v, &b->mounts, &b->n_mounts, err);
		} else if (!strcmp(k, "resource-ceilings")) {
			const char *cpu = bw_yaml_str(bw_yaml_get(v, "cpu")),
				   *mem = bw_yaml_str(bw_yaml_get(v, "memory"));
			if (cpu && (b->cpu_milli = iac_parse_cpu(cpu)) < 0)
				rc = bad(err, bw_yaml_get(v, "cpu"),
					 "cpu: a quantity such as 500m or 2 is expected");
			if (!rc && mem && (b->mem_bytes = iac_parse_memory(mem, false)) < 0)
				rc = bad(err, bw_yaml_get(v, "memory"),
					 "memory: a quantity such as 512Mi or 2Gi is expected");
		} else if (!strcmp(k, "required")) {
			const struct bw_yaml_node *kn = bw_yaml_get(v, "kubernetes"),
						  *cn = bw_yaml_get(v, "compose");
			if (bw_yaml_get(kn, "container"))
				rc = req_map(bw_yaml_get(kn, "container"), &b->req_ctr, &b->n_req_ctr, err);
			if (!rc && bw_yaml_get(kn, "pod"))
				rc = req_map(bw_yaml_get(kn, "pod"), &b->req_pod, &b->n_req_pod, err);
			if (!rc && cn)
				rc = req_map(cn, &b->req_svc, &b->n_req_svc, err);
		} else if (!strcmp(k, "disable")) {
			char **l = NULL;
			size_t n = 0;
			rc = str_list(v, &l, &n, err);
			for (size_t j = 0; j < n; j++) {
				if (!rc && bw_iac_config_disable(cfg, l[j], err)) {
					bw_error_prefix(err, "%s:%d:%d: ", v->file->path, v->line, v->column);
					rc = err->code = BW_EUSAGE;
				}
				free(l[j]);
			}
			free(l);
		} else if (!strcmp(k, "exceptions")) {
			rc = exceptions(b, v, err);
		} else {
			rc = bad(err, root->pairs[i].key, "unknown baseline key");
		}
		if (rc)
			return rc;
	}
	return 0;
}

int bw_iac_config_load_baseline(struct bw_iac_config *cfg, const char *path, struct bw_error *err)
{
	if (cfg->baseline)
		return bw_error_set(err, BW_EUSAGE, "%s: only one baseline may be given", path);
	struct bw_buf buf;
	bw_buf_init(&buf, 16u << 20);
	int rc = bw_buf_read_file(&buf, path, err);
	struct iac_baseline *b = bw_calloc(1, sizeof(*b));
	b->cpu_milli = b->mem_bytes = -1;
	if (!rc)
		rc = bw_yaml_parse(path, buf.data ? buf.data : "", buf.len, NULL, &b->file, err);
	bw_buf_release(&buf);
	if (!rc)
		rc = load(cfg, b, err);
	if (rc) {
		iac_baseline_free(b);
		if (err->code == BW_EUSAGE)
			return rc;
		bw_error_prefix(err, "baseline: ");
		return err->code = BW_EUSAGE;
	}
	cfg->baseline = b;
	return 0;
}

/* ---- exceptions ---------------------------------------------------------- */

static bool rule_matches(const struct iac_rule *r, const char *id)
{
	if (!strcmp(id, "*") || !bw_strcasecmp(id, r->id))
		return true;
	for (size_t k = 0; r->equivalent[k]; k++)
		if (!bw_strcasecmp(id, r->equivalent[k]))
			return true;
	return false;
}

const struct iac_exception *iac_baseline_exception(const struct iac_ctx *c, const struct iac_rule *r,
						   const struct bw_yaml_node *at)
{
	const struct iac_baseline *b = c->cfg->baseline;
	if (!b)
		return NULL;
	char names[3][600];
	size_t nn = 0;
	if (c->obj) {
		snprintf(names[nn++], sizeof(names[0]), "%s/%s", c->obj->kind, c->obj->name);
		snprintf(names[nn++], sizeof(names[0]), "%s/%s/%s", c->obj->ns ? c->obj->ns : "default",
			 c->obj->kind, c->obj->name);
	} else if (c->svc) {
		snprintf(names[nn++], sizeof(names[0]), "service/%s", c->svc->name);
	}
	for (size_t i = 0; i < b->n_exc; i++) {
		const struct iac_exception *x = &b->exc[i];
		if (x->expired || !rule_matches(r, x->rule))
			continue;
		bool hit = at && !fnmatch(x->target, at->file->path, 0);
		for (size_t k = 0; !hit && k < nn; k++)
			hit = !fnmatch(x->target, names[k], 0);
		if (hit)
			return x;
	}
	return NULL;
}

void iac_exception_describe(const struct iac_exception *x, char *out, size_t len)
{
	snprintf(out, len, "baseline exception (owner %s, until %s): %s", x->owner, x->expires, x->reason);
}

/* ---- checks -------------------------------------------------------------- */

static bool cap_forbidden(const struct iac_baseline *b, const char *cap)
{
	char n[64], f[64];
	iac_cap_norm(cap, n, sizeof(n));
	for (size_t i = 0; i < b->n_caps; i++) {
		iac_cap_norm(b->caps[i], f, sizeof(f));
		if (!strcmp(n, f))
			return true;
	}
	return false;
}

static bool mount_forbidden(const struct iac_baseline *b, const char *path)
{
	for (size_t i = 0; i < b->n_mounts; i++) {
		size_t n = strlen(b->mounts[i]);
		while (n > 1 && b->mounts[i][n - 1] == '/')
			n--;
		if (!strncmp(path, b->mounts[i], n) && (!path[n] || path[n] == '/' || n == 1))
			return true;
	}
	return false;
}

/* (no arithmetic on a NULL array: an object without containers has none) */
#define EACH_CONTAINER(c, k)                                                                                 \
	for (const struct k8s_container *k = (c)->obj->ctr, *k##_end = k ? k + (c)->obj->n_ctr : k;          \
	     k != k##_end; k++)

RULE(chk_base_caps)
{
	const struct iac_baseline *b = c->cfg->baseline;
	if (!b || !b->n_caps)
		return;
	if (c->obj) {
		EACH_CONTAINER(c, k)
		{
			const struct bw_yaml_node *add =
			    bw_yaml_path(k->node, "securityContext.capabilities.add");
			for (size_t i = 0; add && add->kind == BW_YAML_SEQ && i < add->n; i++)
				if (bw_yaml_str(add->items[i]) && cap_forbidden(b, add->items[i]->str))
					iac_emit(c, r, add->items[i],
						 "container %s adds %s, which the baseline forbids", k->name,
						 add->items[i]->str);
		}
		return;
	}
	const struct bw_yaml_node *add = bw_yaml_get(c->svc->node, "cap_add");
	for (size_t i = 0; add && add->kind == BW_YAML_SEQ && i < add->n; i++)
		if (bw_yaml_str(add->items[i]) && cap_forbidden(b, add->items[i]->str))
			iac_emit(c, r, add->items[i], "cap_add %s, which the baseline forbids",
				 add->items[i]->str);
}

RULE(chk_base_mounts)
{
	const struct iac_baseline *b = c->cfg->baseline;
	if (!b || !b->n_mounts)
		return;
	if (c->obj) {
		const struct bw_yaml_node *vols = bw_yaml_get(c->obj->pod, "volumes");
		for (size_t i = 0; vols && vols->kind == BW_YAML_SEQ && i < vols->n; i++) {
			const struct bw_yaml_pair *p =
			    bw_yaml_pair_of(bw_yaml_get(vols->items[i], "hostPath"), "path");
			if (p && bw_yaml_str(p->value) && mount_forbidden(b, p->value->str))
				iac_emit(c, r, p->key, "hostPath %s, which the baseline forbids",
					 p->value->str);
		}
		return;
	}
	const struct bw_yaml_node *vols = bw_yaml_get(c->svc->node, "volumes");
	for (size_t i = 0; vols && vols->kind == BW_YAML_SEQ && i < vols->n; i++) {
		const struct bw_yaml_node *v = vols->items[i];
		char src[512] = "";
		if (bw_yaml_str(v)) {
			size_t n = strcspn(v->str, ":");
			snprintf(src, sizeof(src), "%.*s", (int)n, v->str);
		} else if (bw_yaml_is(bw_yaml_get(v, "type"), "bind") &&
			   bw_yaml_str(bw_yaml_get(v, "source"))) {
			snprintf(src, sizeof(src), "%s", bw_yaml_get(v, "source")->str);
		}
		if (src[0] == '/' && mount_forbidden(b, src))
			iac_emit(c, r, v, "mounts %s, which the baseline forbids", src);
	}
}

static void ceiling(struct iac_ctx *c, const struct iac_rule *r, bool cpu)
{
	const struct iac_baseline *b = c->cfg->baseline;
	long long max = b ? (cpu ? b->cpu_milli : b->mem_bytes) : -1;
	if (max < 0)
		return;
	if (c->obj) {
		EACH_CONTAINER(c, k)
		{
			const struct bw_yaml_pair *p = bw_yaml_pair_of(
			    bw_yaml_path(k->node, "resources.limits"), cpu ? "cpu" : "memory");
			const char *v = p ? bw_yaml_str(p->value) : NULL;
			long long q = cpu ? iac_parse_cpu(v) : iac_parse_memory(v, false);
			if (v && (q < 0 || q > max))
				iac_emit(c, r, p->key,
					 "container %s: limit %s is above the baseline's ceiling", k->name,
					 v);
		}
		return;
	}
	const struct bw_yaml_pair *p =
	    bw_yaml_pair_of(bw_yaml_path(c->svc->node, "deploy.resources.limits"), cpu ? "cpus" : "memory");
	if (!p)
		p = bw_yaml_pair_of(c->svc->node, cpu ? "cpus" : "mem_limit");
	const char *v = p ? bw_yaml_str(p->value) : NULL;
	long long q = cpu ? iac_parse_cpu(v) : iac_parse_memory(v, true);
	if (v && (q < 0 || q > max))
		iac_emit(c, r, p->key, "limit %s is above the baseline's ceiling", v);
}

RULE(chk_base_cpu)
{
	ceiling(c, r, true);
}
RULE(chk_base_memory)
{
	ceiling(c, r, false);
}

/* Does node v hold the value the baseline requires (want)? */
static bool same_value(const struct bw_yaml_node *v, const struct bw_yaml_node *want)
{
	if (!v || v->kind != BW_YAML_SCALAR)
		return false;
	int a = bw_yaml_bool(v), b = bw_yaml_bool(want);
	if (a >= 0 || b >= 0)
		return a == b;
	long long x, y;
	if (bw_yaml_int(v, &x) && bw_yaml_int(want, &y))
		return x == y;
	return v->len == want->len && !memcmp(v->str, want->str, v->len);
}

/* fallback: where to point when not even the path's first key is there
 * (NULL: the map's first key) */
static void required(struct iac_ctx *c, const struct iac_rule *r, const struct bw_yaml_node *map,
		     const struct bw_yaml_node *fallback, const struct req *req, size_t n, const char *who)
{
	for (size_t i = 0; i < n; i++) {
		const struct bw_yaml_node *v = bw_yaml_path(map, req[i].path);
		if (same_value(v, req[i].value))
			continue;
		char first[128];
		snprintf(first, sizeof(first), "%.*s", (int)strcspn(req[i].path, "."), req[i].path);
		const struct bw_yaml_node *at =
		    fallback && !bw_yaml_pair_of(map, first) ? fallback : iac_deepest(map, req[i].path);
		iac_emit(c, r, at, "%s: the baseline requires %s: %s", who, req[i].path, req[i].value->str);
	}
}

RULE(chk_base_required)
{
	const struct iac_baseline *b = c->cfg->baseline;
	if (!b)
		return;
	if (c->obj) {
		if (c->obj->pod)
			required(c, r, c->obj->pod, NULL, b->req_pod, b->n_req_pod, "the pod");
		EACH_CONTAINER(c, k)
		required(c, r, k->node, NULL, b->req_ctr, b->n_req_ctr, k->name);
		return;
	}
	required(c, r, c->svc->node, c->svc->key, b->req_svc, b->n_req_svc, c->svc->name);
}

/* The fix of a BW-BASE-005 finding: the required value at its path. */
bool iac_baseline_required_at(const struct iac_baseline *b, const char *evidence, const char **path,
			      const struct bw_yaml_node **value)
{
	const char *p = strstr(evidence, "the baseline requires ");
	if (!b || !p)
		return false;
	p += strlen("the baseline requires ");
	const struct req *sets[] = {b->req_ctr, b->req_pod, b->req_svc};
	size_t ns[] = {b->n_req_ctr, b->n_req_pod, b->n_req_svc};
	for (size_t s = 0; s < 3; s++)
		for (size_t i = 0; i < ns[s]; i++) {
			size_t l = strlen(sets[s][i].path);
			if (!strncmp(p, sets[s][i].path, l) && p[l] == ':') {
				*path = sets[s][i].path;
				*value = sets[s][i].value;
				return true;
			}
		}
	return false;
}

void iac_baseline_report_expired(const struct bw_iac_config *cfg, struct bw_report *r)
{
	const struct iac_baseline *b = cfg->baseline;
	if (!b)
		return;
	const struct iac_rule *rule = NULL;
	for (size_t i = 0; i < iac_n_baseline_rules; i++)
		if (iac_baseline_rules[i].check == NULL)
			rule = &iac_baseline_rules[i];
	for (size_t i = 0; rule && i < b->n_exc; i++) {
		const struct iac_exception *x = &b->exc[i];
		if (!x->expired)
			continue;
		struct bw_finding *f = bw_report_add_finding(r, BW_KIND_MISCONFIG);
		f->id = rule->id;
		f->severity = rule->severity;
		f->status = BW_STATUS_FAIL;
		f->title = rule->title;
		f->remediation = rule->remediation;
		f->location.path = bw_report_str(r, b->file->path);
		f->location.line = x->node->line;
		f->location.column = x->node->column;
		f->evidence = bw_report_strf(
		    r, "the exception for %s on %s (owner %s) expired on %s and no longer applies", x->rule,
		    x->target, x->owner, x->expires);
	}
}
