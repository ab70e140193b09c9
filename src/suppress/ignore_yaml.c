/* Trivy's YAML ignore file (.trivyignore.yaml), through libyaml's document
 * API:
 *
 *     vulnerabilities:
 *       - id: CVE-2023-3446
 *         purls: ["pkg:deb/debian/libssl3"]
 *         expired_at: 2025-09-01
 *         statement: not reachable
 *     misconfigurations:
 *       - id: AVD-DS-0002
 *         paths: ["docs/Dockerfile"]
 *     secrets:
 *       - id: aws-access-key-id
 *         paths: ["test/fixtures"]
 *     licenses:
 *       - id: GPL-3.0
 *
 * Each entry becomes an ignore entry of that section's finding kind:
 * paths are path globs, purls package purls (any one may match), expired_at
 * the expiry, statement the reason. bulwark reports no licence findings:
 * licenses entries are read and never match. Unknown sections or keys, a
 * missing id, a malformed date fail the file naming file:line. */
#include <yaml.h>

#include "suppress-int.h"

struct yctx {
	struct bw_suppress *s;
	yaml_document_t *doc;
	const char *name;
	struct bw_error *err;
	size_t items; /* entries and scopes made, aliases counted each time */
};

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int fail_at(struct yctx *y, yaml_node_t *n, const char *what)
{
	return bw_error_set(y->err, BW_EINPUT, "%s:%zu: %s", y->name, n ? n->start_mark.line + 1 : 1, what);
}

/* Count n more entries or scopes against the file's budget. */
static int spend(struct yctx *y, yaml_node_t *at, size_t n)
{
	if (n > BW_SUPPRESS_MAX_YAML_ITEMS - y->items)
		return bw_error_set(y->err, BW_ELIMIT,
				    "%s:%zu: more than %d entries and scopes in all (YAML aliases repeat "
				    "them)",
				    y->name, at->start_mark.line + 1, BW_SUPPRESS_MAX_YAML_ITEMS);
	y->items += n;
	return 0;
}

/* Append each scalar of a list (or the one scalar) as a scope with prefix. */
static int scopes(struct yctx *y, struct bw_suppress_entry *e, yaml_node_t *v, const char *prefix)
{
	if (v->type != YAML_SEQUENCE_NODE)
		return fail_at(y, v, "a list of strings expected");
	yaml_node_item_t *start = v->data.sequence.items.start, *top = v->data.sequence.items.top;
	size_t n = (size_t)(top - start);
	int rc = spend(y, v, n);
	if (rc)
		return rc;
	/* the array is made once for the list (an entry may give both paths
	 * and purls: the earlier scopes are copied once) */
	const char **ns = bw_arena_alloc(&y->s->arena, (e->n_scopes + n + 1) * sizeof(*ns));
	if (e->n_scopes)
		memcpy(ns, e->scopes, e->n_scopes * sizeof(*ns));
	e->scopes = ns;
	for (yaml_node_item_t *it = start; it < top; it++) {
		const char *t = scalar(yaml_document_get_node(y->doc, *it));
		if (!t)
			return fail_at(y, v, "a list of strings expected");
		char *sc = bw_asprintf("%s%s", prefix, t);
		ns[e->n_scopes++] = bw_arena_strdup(&y->s->arena, sc);
		free(sc);
	}
	return 0;
}

static int entry(struct yctx *y, yaml_node_t *n, int kind)
{
	if (n->type != YAML_MAPPING_NODE)
		return fail_at(y, n, "an entry is a mapping with an id");
	int spent = spend(y, n, 1);
	if (spent)
		return spent;
	struct bw_suppress_entry *e = bw_suppress_entry_add(y->s);
	e->file = y->name;
	e->line = (long)n->start_mark.line + 1;
	e->kind = kind;
	const char *statement = NULL;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(y->doc, p->key),
			    *v = yaml_document_get_node(y->doc, p->value);
		const char *key = scalar(k);
		if (!key || !v)
			return fail_at(y, n, "keys must be strings");
		int rc = 0;
		if (!strcmp(key, "id")) {
			if (!scalar(v) || !*scalar(v))
				return fail_at(y, v, "id must be a string");
			e->id = bw_arena_strdup(&y->s->arena, scalar(v));
		} else if (!strcmp(key, "paths")) {
			if (scalar(v))
				rc = fail_at(y, v, "paths is a list");
			else
				rc = scopes(y, e, v, "path:");
		} else if (!strcmp(key, "purls")) {
			if (scalar(v))
				rc = fail_at(y, v, "purls is a list");
			else
				rc = scopes(y, e, v, "");
		} else if (!strcmp(key, "expired_at")) {
			const char *d = scalar(v);
			long days = d ? bw_suppress_parse_date(d, strlen(d)) : -1;
			if (days < 0)
				return bw_error_set(y->err, BW_EINPUT,
						    "%s:%zu: bad expired_at '%s' (YYYY-MM-DD)", y->name,
						    v->start_mark.line + 1, d ? d : "");
			e->expires = days;
		} else if (!strcmp(key, "statement")) {
			statement = scalar(v);
			if (!statement)
				rc = fail_at(y, v, "statement must be a string");
		} else {
			return bw_error_set(y->err, BW_EINPUT,
					    "%s:%zu: unknown key '%s' (id, paths, purls, "
					    "expired_at, statement)",
					    y->name, k->start_mark.line + 1, key);
		}
		if (rc)
			return rc;
	}
	if (!e->id)
		return fail_at(y, n, "an entry without an id");
	if (kind == -2)
		e->kind = BW_KIND__COUNT; /* licenses: no finding of bulwark's has that kind */
	for (size_t i = 0; i < e->n_scopes; i++)
		if (strncmp(e->scopes[i], "path:", 5) && strncmp(e->scopes[i], "pkg:", 4))
			return fail_at(y, n, "purls must be package URLs (pkg:...)");
	char *why = bw_asprintf("%s:%ld: %s", y->name, e->line,
				statement && *statement ? statement : "no reason given");
	e->reason = bw_arena_strdup(&y->s->arena, why);
	free(why);
	return 0;
}

int bw_suppress_add_ignore_yaml(struct bw_suppress *s, const char *name, const char *data, size_t len,
				struct bw_error *err)
{
	size_t keep = s->n_entries;
	name = bw_arena_strdup(&s->arena, name);
	if (len > BW_SUPPRESS_MAX_YAML)
		return bw_error_set(err, BW_ELIMIT, "%s: larger than %u KiB (a YAML ignore file)", name,
				    BW_SUPPRESS_MAX_YAML >> 10);
	yaml_parser_t parser;
	yaml_document_t doc;
	if (!yaml_parser_initialize(&parser))
		return bw_error_set(err, BW_ENOMEM, "%s: cannot start the YAML parser", name);
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, &doc)) {
		int rc = bw_error_set(err, BW_EINPUT, "%s:%zu: %s", name, parser.problem_mark.line + 1,
				      parser.problem ? parser.problem : "invalid YAML");
		yaml_parser_delete(&parser);
		return rc;
	}
	struct yctx y = {s, &doc, name, err, 0};
	int rc = 0;
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (root && root->type != YAML_MAPPING_NODE)
		rc = fail_at(&y, root, "the ignore file must be a mapping of sections");
	static const struct {
		const char *name;
		int kind;
	} sections[] = {{"vulnerabilities", BW_KIND_VULNERABILITY},
			{"misconfigurations", BW_KIND_MISCONFIG},
			{"secrets", BW_KIND_SECRET},
			{"licenses", -2}};
	for (yaml_node_pair_t *p = root && !rc ? root->data.mapping.pairs.start : NULL;
	     p && p < root->data.mapping.pairs.top && !rc; p++) {
		yaml_node_t *k = yaml_document_get_node(&doc, p->key),
			    *v = yaml_document_get_node(&doc, p->value);
		const char *key = scalar(k);
		int kind = -3;
		for (size_t i = 0; key && i < BW_ARRAY_SIZE(sections); i++)
			if (!strcmp(key, sections[i].name))
				kind = sections[i].kind;
		if (kind == -3) {
			rc = bw_error_set(err, BW_EINPUT,
					  "%s:%zu: unknown section '%s' (vulnerabilities, misconfigurations, "
					  "secrets, licenses)",
					  name, k ? k->start_mark.line + 1 : 1, key ? key : "");
			break;
		}
		if (v->type == YAML_SCALAR_NODE && !*scalar(v))
			continue; /* an empty section */
		if (v->type != YAML_SEQUENCE_NODE) {
			rc = fail_at(&y, v, "a section is a list of entries");
			break;
		}
		for (yaml_node_item_t *it = v->data.sequence.items.start;
		     it < v->data.sequence.items.top && !rc; it++)
			rc = entry(&y, yaml_document_get_node(&doc, *it), kind);
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (rc)
		bw_suppress_truncate(s, keep);
	return rc;
}
