/* The --secret-config file: custom rules, disabled rules, allow-lists and
 * limits, in YAML (docs/secrets.md):
 *
 *   rules:
 *     - id: ACME-001                 # required: [A-Za-z0-9._-], at most 64
 *       title: ACME deploy token     # default: the id
 *       severity: HIGH               # CRITICAL|HIGH|MEDIUM|LOW|INFO, default MEDIUM
 *       regex: 'acme_[a-z0-9]{32}'   # required, PCRE2; group "secret" or 1 is the secret
 *       keywords: [acme_]            # literals that must occur; none: the regex prefilters
 *       entropy: 3.0                 # minimum bits per byte of the secret
 *       paths: ['*.env']             # the rule applies only to these paths (fnmatch)
 *       allow-regexes: ['acme_0+']   # secrets that are not findings
 *       window: 4096                 # bytes past the keyword a match may reach
 *   disable-rules: [BW-SEC-JWT-001]
 *   allow:
 *     paths: ['*.md']                # files never reported
 *     regexes: ['FAKE']              # secrets never reported
 *   max-file-size: 10MiB             # larger files are skipped with a warning
 *   scan-binary: false               # scan files that look binary (NUL bytes)
 *
 * Unknown keys are errors (a typo must not silently disable a rule). The
 * file is parsed with libyaml's document loader, bounded by the caller's
 * size limit; every error names the file and the line.
 */
#include <errno.h>
#include <yaml.h>

#include "secret-int.h"

struct cfgp {
	const char *name;
	yaml_document_t doc;
	struct bw_secret_config *cfg;
	struct bw_error *err;
};

static int perr(struct cfgp *p, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int perr(struct cfgp *p, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return bw_error_set(p->err, BW_EUSAGE, "%s:%zu: %s", p->name, n ? n->start_mark.line + 1 : 0, msg);
}

static yaml_node_t *node(struct cfgp *p, int id)
{
	return yaml_document_get_node(&p->doc, id);
}

static const char *scalar(struct cfgp *p, yaml_node_t *n, const char *what, int *rc)
{
	if (!n || n->type != YAML_SCALAR_NODE) {
		*rc = perr(p, n, "%s must be a string", what);
		return NULL;
	}
	if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length) {
		*rc = perr(p, n, "%s contains a NUL byte", what);
		return NULL;
	}
	return bw_arena_strndup(&p->cfg->arena, (const char *)n->data.scalar.value, n->data.scalar.length);
}

/* A list of strings (a single string counts as a list of one). */
static int strlist(struct cfgp *p, yaml_node_t *n, const char *what, const char ***out, size_t *nout)
{
	int rc = 0;
	if (n && n->type == YAML_SCALAR_NODE) {
		const char **v = bw_arena_alloc(&p->cfg->arena, sizeof(char *));
		v[0] = scalar(p, n, what, &rc);
		*out = v;
		*nout = 1;
		return rc;
	}
	if (!n || n->type != YAML_SEQUENCE_NODE)
		return perr(p, n, "%s must be a list of strings", what);
	size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (cnt > 10000)
		return perr(p, n, "%s has more than 10000 entries", what);
	const char **v = bw_arena_alloc(&p->cfg->arena, (cnt ? cnt : 1) * sizeof(char *));
	size_t k = 0;
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		v[k] = scalar(p, node(p, *it), what, &rc);
		if (rc < 0)
			return rc;
		k++;
	}
	*out = v;
	*nout = k;
	return 0;
}

/* Join strings with '|' (keywords, path patterns), refusing '|' inside. */
static int joinbar(struct cfgp *p, yaml_node_t *n, const char *what, size_t minlen, const char **out)
{
	const char **v;
	size_t cnt;
	int rc = strlist(p, n, what, &v, &cnt);
	if (rc < 0)
		return rc;
	struct bw_buf b;
	bw_buf_init(&b, 1u << 20);
	for (size_t i = 0; i < cnt; i++) {
		if (strchr(v[i], '|') || strlen(v[i]) < minlen) {
			bw_buf_release(&b);
			char ml[16];
			snprintf(ml, sizeof(ml), "%zu", minlen);
			return perr(p, n, "%s: an entry contains '|' or is shorter than %s characters", what,
				    ml);
		}
		if (i)
			bw_buf_add(&b, "|", 1);
		if (bw_buf_addstr(&b, v[i]) < 0) {
			bw_buf_release(&b);
			return perr(p, n, "%s: too long", what);
		}
	}
	*out = cnt ? bw_arena_strndup(&p->cfg->arena, b.data, b.len) : NULL;
	bw_buf_release(&b);
	return 0;
}

static int number(struct cfgp *p, yaml_node_t *n, const char *what, double lo, double hi, double *out)
{
	int rc = 0;
	const char *s = scalar(p, n, what, &rc);
	if (!s)
		return rc;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || *end || errno || !(v >= lo && v <= hi)) {
		char range[64];
		snprintf(range, sizeof(range), "%g to %g", lo, hi);
		return perr(p, n, "%s must be a number from %s", what, range);
	}
	*out = v;
	return 0;
}

static int size_value(struct cfgp *p, yaml_node_t *n, uint64_t *out)
{
	int rc = 0;
	const char *s = scalar(p, n, "max-file-size", &rc);
	if (!s)
		return rc;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	uint64_t mul = 1;
	if (end == s || errno)
		goto bad;
	if (!bw_strcasecmp(end, "k") || !bw_strcasecmp(end, "kb") || !bw_strcasecmp(end, "kib"))
		mul = 1ull << 10;
	else if (!bw_strcasecmp(end, "m") || !bw_strcasecmp(end, "mb") || !bw_strcasecmp(end, "mib"))
		mul = 1ull << 20;
	else if (!bw_strcasecmp(end, "g") || !bw_strcasecmp(end, "gb") || !bw_strcasecmp(end, "gib"))
		mul = 1ull << 30;
	else if (*end)
		goto bad;
	if (v == 0 || v > (1ull << 44) / mul)
		goto bad;
	*out = v * mul;
	return 0;
bad:
	return perr(p, n, "max-file-size must be a size such as 1048576, 512KiB or 10MiB, not '%s'", s);
}

static int boolean(struct cfgp *p, yaml_node_t *n, const char *what, int *out)
{
	int rc = 0;
	const char *s = scalar(p, n, what, &rc);
	if (!s)
		return rc;
	if (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on"))
		*out = 1;
	else if (!strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "off"))
		*out = 0;
	else
		return perr(p, n, "%s must be true or false", what);
	return 0;
}

static bool id_ok(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!(bw_isalnum(c) || c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

static int parse_rule(struct cfgp *p, yaml_node_t *n, struct bw_secret_rule_def *d)
{
	if (n->type != YAML_MAPPING_NODE)
		return perr(p, n, "each entry of rules must be a mapping (id, regex, ...)");
	memset(d, 0, sizeof(*d));
	d->severity = BW_SEV_MEDIUM;
	const char *allow = NULL;
	int rc = 0;
	for (yaml_node_pair_t *kv = n->data.mapping.pairs.start; kv < n->data.mapping.pairs.top; kv++) {
		yaml_node_t *k = node(p, kv->key), *v = node(p, kv->value);
		const char *key = scalar(p, k, "a key", &rc);
		if (!key)
			return rc;
		if (!strcmp(key, "id")) {
			d->id = scalar(p, v, "id", &rc);
		} else if (!strcmp(key, "title") || !strcmp(key, "description")) {
			d->title = scalar(p, v, key, &rc);
		} else if (!strcmp(key, "severity")) {
			const char *s = scalar(p, v, "severity", &rc);
			int sv = s ? bw_severity_parse(s) : -1;
			if (s && (sv < BW_SEV_INFO))
				return perr(p, v,
					    "severity must be CRITICAL, HIGH, MEDIUM, LOW or INFO, not '%s'",
					    s);
			if (s)
				d->severity = (enum bw_severity)sv;
		} else if (!strcmp(key, "regex")) {
			d->regex = scalar(p, v, "regex", &rc);
		} else if (!strcmp(key, "keywords")) {
			rc = joinbar(p, v, "keywords", 2, &d->keywords);
		} else if (!strcmp(key, "paths")) {
			rc = joinbar(p, v, "paths", 1, &d->paths);
		} else if (!strcmp(key, "entropy")) {
			rc = number(p, v, "entropy", 0, 8, &d->entropy);
		} else if (!strcmp(key, "window")) {
			double w = 0;
			rc = number(p, v, "window", 0, 65536, &w);
			d->window = (unsigned)w;
		} else if (!strcmp(key, "allow-regexes") || !strcmp(key, "allow-regex")) {
			const char **v2;
			size_t cnt;
			rc = strlist(p, v, key, &v2, &cnt);
			if (rc == 0 && cnt) {
				struct bw_buf b;
				bw_buf_init(&b, 1u << 20);
				for (size_t i = 0; i < cnt && rc == 0; i++)
					if (bw_buf_printf(&b, "%s(?:%s)", i ? "|" : "", v2[i]) < 0)
						rc = perr(p, v, "allow-regexes: too long");
				allow = bw_arena_strndup(&p->cfg->arena, b.data, b.len);
				bw_buf_release(&b);
			}
		} else {
			return perr(p, k,
				    "unknown key '%s' in a rule (id, title, severity, regex, keywords, "
				    "entropy, paths, "
				    "allow-regexes, window)",
				    key);
		}
		if (rc < 0)
			return rc;
	}
	if (!d->id)
		return perr(p, n, "a rule has no id");
	if (!id_ok(d->id))
		return perr(p, n, "rule id '%s' must be 1 to 64 of A-Z a-z 0-9 . _ -", d->id);
	if (!d->regex || !*d->regex)
		return perr(p, n, "rule '%s' has no regex", d->id);
	if (!d->title)
		d->title = d->id;
	d->allow = allow;
	return 0;
}

static int parse_allow(struct cfgp *p, yaml_node_t *n)
{
	if (n->type != YAML_MAPPING_NODE)
		return perr(p, n, "allow must be a mapping (paths, regexes)");
	int rc = 0;
	for (yaml_node_pair_t *kv = n->data.mapping.pairs.start; kv < n->data.mapping.pairs.top && rc == 0;
	     kv++) {
		yaml_node_t *k = node(p, kv->key), *v = node(p, kv->value);
		const char *key = scalar(p, k, "a key", &rc);
		if (!key)
			return rc;
		if (!strcmp(key, "paths"))
			rc = strlist(p, v, "allow.paths", &p->cfg->allow_paths, &p->cfg->n_allow_paths);
		else if (!strcmp(key, "regexes"))
			rc = strlist(p, v, "allow.regexes", &p->cfg->allow_regexes, &p->cfg->n_allow_regexes);
		else
			return perr(p, k, "unknown key '%s' in allow (paths, regexes)", key);
	}
	return rc;
}

static int parse_root(struct cfgp *p)
{
	yaml_node_t *root = yaml_document_get_root_node(&p->doc);
	if (!root)
		return 0; /* an empty file: no custom settings */
	if (root->type != YAML_MAPPING_NODE)
		return perr(p, root, "the top level must be a mapping (rules, disable-rules, allow, ...)");
	struct bw_secret_config *c = p->cfg;
	int rc = 0;
	for (yaml_node_pair_t *kv = root->data.mapping.pairs.start;
	     kv < root->data.mapping.pairs.top && rc == 0; kv++) {
		yaml_node_t *k = node(p, kv->key), *v = node(p, kv->value);
		const char *key = scalar(p, k, "a key", &rc);
		if (!key)
			return rc;
		if (!strcmp(key, "rules")) {
			if (c->rules)
				return perr(p, k, "rules given twice");
			if (!v || v->type != YAML_SEQUENCE_NODE)
				return perr(p, v, "rules must be a list");
			size_t cnt = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
			if (cnt > 1000)
				return perr(p, v, "more than 1000 custom rules");
			c->rules = bw_arena_alloc(&c->arena, (cnt ? cnt : 1) * sizeof(*c->rules));
			for (yaml_node_item_t *it = v->data.sequence.items.start;
			     it < v->data.sequence.items.top; it++) {
				yaml_node_t *rn = node(p, *it);
				if (!rn)
					return perr(p, v, "a broken rule entry");
				rc = parse_rule(p, rn, &c->rules[c->n_rules]);
				if (rc < 0)
					return rc;
				for (size_t j = 0; j < c->n_rules; j++)
					if (!strcmp(c->rules[j].id, c->rules[c->n_rules].id))
						return perr(p, rn, "rule id '%s' is used twice",
							    c->rules[j].id);
				c->n_rules++;
			}
		} else if (!strcmp(key, "disable-rules")) {
			rc = strlist(p, v, "disable-rules", &c->disabled, &c->n_disabled);
		} else if (!strcmp(key, "allow")) {
			rc = v ? parse_allow(p, v) : perr(p, k, "allow is empty");
		} else if (!strcmp(key, "max-file-size")) {
			rc = size_value(p, v, &c->max_file_size);
		} else if (!strcmp(key, "scan-binary")) {
			rc = boolean(p, v, "scan-binary", &c->scan_binary);
		} else {
			return perr(
			    p, k,
			    "unknown key '%s' (rules, disable-rules, allow, max-file-size, scan-binary)",
			    key);
		}
	}
	if (rc < 0)
		return rc;
	/* custom ids must not shadow built-in ones */
	for (size_t i = 0; i < c->n_rules; i++)
		if (!strncmp(c->rules[i].id, "BW-SEC-", 7))
			return bw_error_set(
			    p->err, BW_EUSAGE,
			    "%s: rule '%s': the BW-SEC- prefix is reserved for built-in rules", p->name,
			    c->rules[i].id);
	return 0;
}

int bw_secret_config_parse(const char *name, const char *yaml, size_t len, struct bw_secret_config *cfg,
			   struct bw_error *err)
{
	struct cfgp p = {.name = name, .cfg = cfg, .err = err};
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return bw_error_set(err, BW_ENOMEM, "%s: cannot start the YAML parser", name);
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	if (!yaml_parser_load(&parser, &p.doc)) {
		int rc = bw_error_set(err, BW_EUSAGE, "%s:%zu:%zu: invalid YAML: %s", name,
				      parser.problem_mark.line + 1, parser.problem_mark.column + 1,
				      parser.problem ? parser.problem : "syntax error");
		yaml_parser_delete(&parser);
		return rc;
	}
	int rc = parse_root(&p);
	yaml_document_delete(&p.doc);
	yaml_parser_delete(&parser);
	return rc;
}

void bw_secret_config_release(struct bw_secret_config *cfg)
{
	bw_arena_release(&cfg->arena);
	memset(cfg, 0, sizeof(*cfg));
}
