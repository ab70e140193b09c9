/* The lint configuration and its YAML file (libyaml's document API). */
#include <yaml.h>

#include "lint-int.h"

#define CONFIG_MAX (1024 * 1024)

struct bw_lint_config *bw_lint_config_new(void)
{
	struct bw_lint_config *cfg = bw_calloc(1, sizeof(*cfg));
	cfg->state = bw_calloc(lint_n_rules, 1);
	cfg->severity = bw_malloc(lint_n_rules * sizeof(int));
	for (size_t i = 0; i < lint_n_rules; i++)
		cfg->severity[i] = -1;
	cfg->failure_threshold = BW_LINT_THRESHOLD_UNSET;
	cfg->no_fail = -1;
	cfg->shellcheck = -1;
	return cfg;
}

void bw_lint_config_free(struct bw_lint_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->state);
	free(cfg->severity);
	for (size_t i = 0; i < cfg->n_registries; i++)
		free(cfg->registries[i]);
	free(cfg->registries);
	for (size_t i = 0; i < cfg->n_labels; i++) {
		free(cfg->labels[i].name);
		free(cfg->labels[i].type);
	}
	free(cfg->labels);
	for (size_t i = 0; i < cfg->n_sc_disabled; i++)
		free(cfg->sc_disabled[i]);
	free(cfg->sc_disabled);
	free(cfg);
}

/* Every rule carrying id (own or peer): disabling DL3008 disables the rule
 * that lists it. Returns how many matched. */
static size_t each_rule(const char *id, void (*fn)(struct bw_lint_config *, size_t, int),
			struct bw_lint_config *cfg, int arg)
{
	size_t hits = 0;
	for (size_t k = 0; k < lint_n_rules; k++)
		if (lint_rule_has_id(&lint_rules[k], id)) {
			fn(cfg, k, arg);
			hits++;
		}
	return hits;
}

static void set_state(struct bw_lint_config *cfg, size_t k, int v)
{
	cfg->state[k] = (unsigned char)v;
}

static void set_sev(struct bw_lint_config *cfg, size_t k, int v)
{
	cfg->severity[k] = v;
}

int bw_lint_config_disable(struct bw_lint_config *cfg, const char *id, struct bw_error *err)
{
	if (lint_is_sc_id(id)) {
		cfg->sc_disabled = bw_realloc(cfg->sc_disabled, (cfg->n_sc_disabled + 1) * sizeof(char *));
		cfg->sc_disabled[cfg->n_sc_disabled++] = bw_strdup(id);
		return 0;
	}
	if (!each_rule(id, set_state, cfg, 1))
		return bw_error_set(err, BW_EUSAGE, "unknown rule id '%s'", id);
	return 0;
}

static int enable(struct bw_lint_config *cfg, const char *id, struct bw_error *err)
{
	if (!each_rule(id, set_state, cfg, 2))
		return bw_error_set(err, BW_EUSAGE, "unknown rule id '%s'", id);
	return 0;
}

static int severity(struct bw_lint_config *cfg, const char *id, const char *sev, struct bw_error *err)
{
	int s = bw_severity_parse(sev);
	/* hadolint's levels */
	if (s < 0) {
		if (!bw_strcasecmp(sev, "error"))
			s = BW_SEV_HIGH;
		else if (!bw_strcasecmp(sev, "warning"))
			s = BW_SEV_MEDIUM;
		else if (!bw_strcasecmp(sev, "info"))
			s = BW_SEV_LOW;
		else if (!bw_strcasecmp(sev, "style"))
			s = BW_SEV_INFO;
		else if (!bw_strcasecmp(sev, "ignore") || !bw_strcasecmp(sev, "none") ||
			 !bw_strcasecmp(sev, "off"))
			return bw_lint_config_disable(cfg, id, err);
	}
	if (s < 0)
		return bw_error_set(err, BW_EUSAGE, "unknown severity '%s' for rule %s", sev, id);
	if (!each_rule(id, set_sev, cfg, s))
		return bw_error_set(err, BW_EUSAGE, "unknown rule id '%s'", id);
	return 0;
}

int bw_lint_config_trust_registry(struct bw_lint_config *cfg, const char *registry)
{
	cfg->registries = bw_realloc(cfg->registries, (cfg->n_registries + 1) * sizeof(char *));
	cfg->registries[cfg->n_registries++] = bw_strdup(registry);
	return 0;
}

static const char *const label_types[] = {"text", "url", "semver", "hash", "spdx", "rfc3339", "email"};

static int add_label(struct bw_lint_config *cfg, const char *name, const char *type, bool required,
		     struct bw_error *err)
{
	if (type) {
		bool ok = false;
		for (size_t i = 0; i < BW_ARRAY_SIZE(label_types); i++)
			ok = ok || bw_strcasecmp(type, label_types[i]) == 0;
		if (!ok)
			return bw_error_set(
			    err, BW_EUSAGE,
			    "label '%s': unknown type '%s' (text, url, semver, hash, spdx, rfc3339, email)",
			    name, type);
	}
	for (size_t i = 0; i < cfg->n_labels; i++)
		if (strcmp(cfg->labels[i].name, name) == 0) {
			if (type) {
				free(cfg->labels[i].type);
				cfg->labels[i].type = bw_strdup(type);
			}
			cfg->labels[i].required = cfg->labels[i].required || required;
			return 0;
		}
	cfg->labels = bw_realloc(cfg->labels, (cfg->n_labels + 1) * sizeof(*cfg->labels));
	cfg->labels[cfg->n_labels++] =
	    (struct lint_label_req){bw_strdup(name), type ? bw_strdup(type) : NULL, required};
	return 0;
}

int bw_lint_config_require_label(struct bw_lint_config *cfg, const char *name, const char *type,
				 struct bw_error *err)
{
	return add_label(cfg, name, type, true, err);
}

/* ---- YAML ---- */

struct yctx {
	yaml_document_t *doc;
	const char *name;
	struct bw_lint_config *cfg;
	struct bw_error *err;
	const char *level; /* hadolint override: the level being read */
};

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int where(struct yctx *y, yaml_node_t *n, int rc)
{
	if (rc)
		bw_error_prefix(y->err, "%s:%zu:%zu: ", y->name, n->start_mark.line + 1,
				n->start_mark.column + 1);
	return rc;
}

/* A list of scalars, or a single scalar. */
static int each_scalar(struct yctx *y, yaml_node_t *n, int (*fn)(struct yctx *, const char *))
{
	if (n->type == YAML_SCALAR_NODE)
		return where(y, n, fn(y, scalar(n)));
	if (n->type != YAML_SEQUENCE_NODE)
		return where(y, n, bw_error_set(y->err, BW_EUSAGE, "expected a list"));
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *c = yaml_document_get_node(y->doc, *it);
		if (!c || !scalar(c))
			return where(y, n, bw_error_set(y->err, BW_EUSAGE, "expected a list of strings"));
		int rc = fn(y, scalar(c));
		if (rc)
			return where(y, c, rc);
	}
	return 0;
}

static int do_disable(struct yctx *y, const char *s)
{
	return bw_lint_config_disable(y->cfg, s, y->err);
}
static int do_enable(struct yctx *y, const char *s)
{
	return enable(y->cfg, s, y->err);
}
static int do_registry(struct yctx *y, const char *s)
{
	return bw_lint_config_trust_registry(y->cfg, s);
}
static int do_label(struct yctx *y, const char *s)
{
	/* "name" or "name:type" (hadolint's --require-label form) */
	const char *c = strchr(s, ':');
	if (!c)
		return add_label(y->cfg, s, NULL, true, y->err);
	char *n = bw_strndup(s, (size_t)(c - s));
	int rc = add_label(y->cfg, n, c + 1, true, y->err);
	free(n);
	return rc;
}

static int do_level(struct yctx *y, const char *s)
{
	return severity(y->cfg, s, y->level, y->err);
}

static int labels_map(struct yctx *y, yaml_node_t *v, bool required)
{
	if (v->type == YAML_SEQUENCE_NODE || v->type == YAML_SCALAR_NODE) {
		if (!required)
			return where(y, v, bw_error_set(y->err, BW_EUSAGE, "label-schema must be a mapping"));
		return each_scalar(y, v, do_label);
	}
	if (v->type != YAML_MAPPING_NODE)
		return where(y, v,
			     bw_error_set(y->err, BW_EUSAGE, "expected a mapping of label names to types"));
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(y->doc, p->key),
			    *t = yaml_document_get_node(y->doc, p->value);
		if (!scalar(k) || !scalar(t))
			return where(
			    y, v, bw_error_set(y->err, BW_EUSAGE, "label names and types must be strings"));
		int rc = add_label(y->cfg, scalar(k), scalar(t), required, y->err);
		if (rc)
			return where(y, t, rc);
	}
	return 0;
}

static bool key_is(const char *k, const char *a, const char *b)
{
	return strcmp(k, a) == 0 || (b && strcmp(k, b) == 0);
}

static int load_doc(struct yctx *y)
{
	yaml_node_t *root = yaml_document_get_root_node(y->doc);
	if (!root)
		return 0; /* empty file */
	if (root->type != YAML_MAPPING_NODE)
		return where(y, root, bw_error_set(y->err, BW_EUSAGE, "the configuration must be a mapping"));
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(y->doc, p->key),
			    *v = yaml_document_get_node(y->doc, p->value);
		const char *k = scalar(kn);
		int rc = 0;
		if (!k || !v)
			return where(y, root, bw_error_set(y->err, BW_EUSAGE, "keys must be strings"));
		if (key_is(k, "disable", "ignored") || key_is(k, "disabled", "ignore"))
			rc = each_scalar(y, v, do_disable);
		else if (key_is(k, "enable", "enabled"))
			rc = each_scalar(y, v, do_enable);
		else if (key_is(k, "trusted-registries", "trustedRegistries") ||
			 key_is(k, "trusted_registries", NULL))
			rc = each_scalar(y, v, do_registry);
		else if (key_is(k, "required-labels", "require-labels") || key_is(k, "required_labels", NULL))
			rc = labels_map(y, v, true);
		else if (key_is(k, "label-schema", "label_schema"))
			rc = labels_map(y, v, false);
		else if (key_is(k, "strict-labels", "strict_labels")) {
			const char *s = scalar(v);
			if (!s)
				rc = bw_error_set(y->err, BW_EUSAGE, "strict-labels takes true or false");
			else
				y->cfg->strict_labels =
				    !bw_strcasecmp(s, "true") || !bw_strcasecmp(s, "yes") || !strcmp(s, "1");
			rc = where(y, v, rc);
		} else if (key_is(k, "severity", "severities") || key_is(k, "override", NULL)) {
			if (v->type != YAML_MAPPING_NODE)
				return where(y, v,
					     bw_error_set(y->err, BW_EUSAGE, "%s must be a mapping", k));
			for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top;
			     q++) {
				yaml_node_t *a = yaml_document_get_node(y->doc, q->key);
				yaml_node_t *b = yaml_document_get_node(y->doc, q->value);
				if (!scalar(a) || !b)
					return where(y, v,
						     bw_error_set(y->err, BW_EUSAGE, "bad %s entry", k));
				if (strcmp(k, "override") == 0) {
					/* hadolint: override: {error: [DL3008], warning: [...]} */
					y->level = scalar(a);
					rc = each_scalar(y, b, do_level);
				} else if (scalar(b)) {
					/* ours: severity: {DL3008: HIGH} */
					rc = where(y, b, severity(y->cfg, scalar(a), scalar(b), y->err));
				} else {
					rc = where(
					    y, b,
					    bw_error_set(y->err, BW_EUSAGE, "severity must be a string"));
				}
				if (rc)
					return rc;
			}
		} else if (key_is(k, "failure-threshold", "failure_threshold")) {
			int t = scalar(v) ? bw_lint_threshold_parse(scalar(v)) : BW_LINT_THRESHOLD_UNSET;
			if (t == BW_LINT_THRESHOLD_UNSET)
				rc =
				    where(y, v,
					  bw_error_set(y->err, BW_EUSAGE,
						       "failure-threshold: '%s' is not error, warning, info, "
						       "style, ignore or none",
						       scalar(v) ? scalar(v) : "(not a string)"));
			else
				y->cfg->failure_threshold = t;
		} else if (key_is(k, "no-fail", "no_fail")) {
			const char *b = scalar(v);
			if (!b)
				rc = where(y, v,
					   bw_error_set(y->err, BW_EUSAGE, "no-fail takes true or false"));
			else
				y->cfg->no_fail =
				    !bw_strcasecmp(b, "true") || !bw_strcasecmp(b, "yes") || !strcmp(b, "1");
		} else if (key_is(k, "shellcheck", NULL)) {
			const char *b = scalar(v);
			if (!b)
				rc = where(y, v,
					   bw_error_set(y->err, BW_EUSAGE, "shellcheck takes true or false"));
			else
				y->cfg->shellcheck =
				    !bw_strcasecmp(b, "true") || !bw_strcasecmp(b, "yes") || !strcmp(b, "1");
		} else if (key_is(k, "format", "no-color") || key_is(k, "disable-ignore-pragma", "verbose")) {
			/* hadolint options that belong to the command line: accepted, unused */
		} else {
			rc = where(y, kn, bw_error_set(y->err, BW_EUSAGE, "unknown key '%s'", k));
		}
		if (rc)
			return rc;
	}
	return 0;
}

int bw_lint_config_load_string(struct bw_lint_config *cfg, const char *text, size_t len, const char *name,
			       struct bw_error *err)
{
	if (len > CONFIG_MAX)
		return bw_error_set(err, BW_ELIMIT, "%s: larger than %d bytes", name, CONFIG_MAX);
	yaml_parser_t parser;
	yaml_document_t doc;
	if (!yaml_parser_initialize(&parser))
		return bw_error_set(err, BW_ENOMEM, "%s: cannot start the YAML parser", name);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		int rc = bw_error_set(err, BW_EUSAGE, "%s:%zu:%zu: %s", name, parser.problem_mark.line + 1,
				      parser.problem_mark.column + 1,
				      parser.problem ? parser.problem : "invalid YAML");
		yaml_parser_delete(&parser);
		return rc;
	}
	struct yctx y = {&doc, name, cfg, err, NULL};
	int rc = load_doc(&y);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

int bw_lint_config_load(struct bw_lint_config *cfg, const char *path, struct bw_error *err)
{
	struct bw_buf b;
	bw_buf_init(&b, CONFIG_MAX);
	int rc = bw_buf_read_file(&b, path, err);
	if (!rc)
		rc = bw_lint_config_load_string(cfg, b.data ? b.data : "", b.len, path, err);
	if (rc == BW_ENOTFOUND)
		err->code = BW_EUSAGE;
	bw_buf_release(&b);
	return rc == BW_ENOTFOUND ? BW_EUSAGE : rc;
}

int bw_lint_threshold_parse(const char *s)
{
	static const struct {
		const char *name;
		int sev;
	} names[] = {
	    {"error", BW_SEV_HIGH}, {"warning", BW_SEV_MEDIUM},		 {"info", BW_SEV_LOW},
	    {"style", BW_SEV_INFO}, {"ignore", BW_LINT_THRESHOLD_NEVER}, {"none", BW_LINT_THRESHOLD_NEVER}};
	for (size_t i = 0; i < BW_ARRAY_SIZE(names); i++)
		if (!bw_strcasecmp(s, names[i].name))
			return names[i].sev;
	int sev = bw_severity_parse(s);
	return sev >= 0 ? sev : BW_LINT_THRESHOLD_UNSET;
}

void bw_lint_config_shellcheck(struct bw_lint_config *cfg, bool on, bool force)
{
	if (force || cfg->shellcheck < 0)
		cfg->shellcheck = on;
}

bool bw_lint_config_shellcheck_on(const struct bw_lint_config *cfg)
{
	return cfg->shellcheck > 0;
}

int bw_lint_config_failure_threshold(const struct bw_lint_config *cfg, int *no_fail)
{
	if (no_fail)
		*no_fail = cfg->no_fail;
	return cfg->failure_threshold;
}

static char *first_existing(const char *dir, const char *const *names, size_t n)
{
	for (size_t i = 0; dir && *dir && i < n; i++) {
		char *p = bw_asprintf("%s/%s", dir, names[i]);
		if (access(p, F_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}

char *bw_lint_config_find(void)
{
	static const char *const hidden[] = {".hadolint.yaml", ".hadolint.yml"};
	static const char *const visible[] = {"hadolint.yaml", "hadolint.yml"};
	static const char *const appdata[] = {"hadolint.yaml", "hadolint.yml", "config.yaml", "config.yml"};
	const char *home = getenv("HOME");
	char *p = first_existing(".", hidden, 2);
	if (p) {
		/* "./.hadolint.yaml" reads better as ".hadolint.yaml" */
		char *q = bw_strdup(p + 2);
		free(p);
		return q;
	}
	const char *xdg = getenv("XDG_CONFIG_HOME");
	char *home_config = home && *home ? bw_asprintf("%s/.config", home) : NULL;
	if ((p = first_existing(xdg && *xdg ? xdg : home_config, visible, 2)) ||
	    (p = first_existing(home_config, visible, 2))) {
		free(home_config);
		return p;
	}
	free(home_config);
	if (!home || !*home)
		return NULL;
	char *appdir = bw_asprintf("%s/.hadolint", home);
	p = first_existing(appdir, appdata, 4);
	free(appdir);
	if (!p)
		p = first_existing(home, hidden, 2);
	return p;
}
