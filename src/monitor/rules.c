/* Falco rule files (YAML, through libyaml's document loader): a sequence of
 * items, each a mapping of one kind —
 *
 *   - list: NAME           items: [...]          append: BOOL  override: {items: append|replace}
 *   - macro: NAME          condition: TEXT       append, override: {condition: …}
 *   - rule: NAME           desc, condition, output, priority, tags, enabled, exceptions,
 *                          source, append, override: {condition|exceptions|tags: append|replace,
 *                          output|desc|priority|enabled: replace}
 *   - required_engine_version: VERSION      - required_plugin_versions: [...]
 *
 * bulwark reads two more keys of a rule: `id` (its finding id, BW-RT-NNN) and
 * `equivalent` (the peer rules it answers to, Falco's names). A later item
 * with an existing name replaces it; append and override change it; a rule
 * item holding only `enabled` switches an existing rule on or off. Every
 * error names the file, line and column. */
#include <yaml.h>

#include "monitor-int.h"

struct ctx {
	struct bw_mon_builder *b;
	const char *file;
	yaml_document_t *doc;
	struct bw_error *err;
};

static int perr(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int perr(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return bw_error_set(c->err, BW_EUSAGE, "%s:%zu:%zu: %s", c->file, n ? n->start_mark.line + 1 : 0,
			    n ? n->start_mark.column + 1 : 0, msg);
}

void bw_mon_builder_init(struct bw_mon_builder *b)
{
	memset(b, 0, sizeof(*b));
	bw_arena_init(&b->arena);
}

void bw_mon_builder_release(struct bw_mon_builder *b)
{
	free(b->lists);
	free(b->macros);
	free(b->rules);
	for (size_t i = 0; i < b->n_warnings; i++)
		free(b->warnings[i]);
	free(b->warnings);
	bw_mon_hash_release(&b->list_by_name);
	bw_mon_hash_release(&b->macro_by_name);
	bw_mon_hash_release(&b->rule_by_name);
	bw_arena_release(&b->arena);
	memset(b, 0, sizeof(*b));
}

void bw_mon_builder_warn(struct bw_mon_builder *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = NULL;
	if (vasprintf(&m, fmt, ap) < 0)
		m = NULL;
	va_end(ap);
	if (!m)
		return;
	b->warnings = bw_realloc(b->warnings, (b->n_warnings + 1) * sizeof(*b->warnings));
	b->warnings[b->n_warnings++] = m;
}

static yaml_node_t *node_at(struct ctx *c, int id)
{
	return yaml_document_get_node(c->doc, id);
}

static const char *scalar(struct ctx *c, const yaml_node_t *n, size_t *len)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	if (len)
		*len = n->data.scalar.length;
	return bw_arena_strndup(&c->b->arena, (const char *)n->data.scalar.value, n->data.scalar.length);
}

static bool is_str(const yaml_node_t *n, const char *s)
{
	return n && n->type == YAML_SCALAR_NODE && n->data.scalar.length == strlen(s) &&
	       memcmp(n->data.scalar.value, s, n->data.scalar.length) == 0;
}

/* The value node of key in a mapping, or NULL. */
static yaml_node_t *get(struct ctx *c, const yaml_node_t *map, const char *key)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++)
		if (is_str(node_at(c, p->key), key))
			return node_at(c, p->value);
	return NULL;
}

static int get_str(struct ctx *c, const yaml_node_t *map, const char *key, const char **out, size_t *len,
		   yaml_node_t **where)
{
	yaml_node_t *v = get(c, map, key);
	if (where)
		*where = v;
	if (!v)
		return 0;
	if (v->type != YAML_SCALAR_NODE)
		return perr(c, v, "'%s' must be a string", key);
	*out = scalar(c, v, len);
	return 0;
}

static int get_bool(struct ctx *c, const yaml_node_t *map, const char *key, bool *out, bool *set)
{
	yaml_node_t *v = get(c, map, key);
	if (set)
		*set = v != NULL;
	if (!v)
		return 0;
	if (is_str(v, "true") || is_str(v, "True") || is_str(v, "yes"))
		*out = true;
	else if (is_str(v, "false") || is_str(v, "False") || is_str(v, "no"))
		*out = false;
	else
		return perr(c, v, "'%s' must be true or false", key);
	return 0;
}

static int str_list(struct ctx *c, yaml_node_t *v, const char *key, const char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!v)
		return 0;
	if (v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0)
		return 0;
	if (v->type != YAML_SEQUENCE_NODE)
		return perr(c, v, "'%s' must be a list", key);
	size_t cnt = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	const char **a = bw_arena_alloc(&c->b->arena, (cnt + 1) * sizeof(*a));
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *it = node_at(c, v->data.sequence.items.start[i]);
		if (!it || it->type != YAML_SCALAR_NODE)
			return perr(c, it ? it : v, "'%s' items must be strings", key);
		a[i] = scalar(c, it, NULL);
	}
	*out = a;
	*n = cnt;
	return 0;
}

static struct bw_mon_src_pos pos_of(struct ctx *c, const yaml_node_t *n)
{
	struct bw_mon_src_pos p = {c->file, n ? (int)n->start_mark.line + 1 : 0,
				   n ? (int)n->start_mark.column + 1 : 0};
	return p;
}

/* Where the condition's text starts: plain and quoted scalars start at the
 * node, block scalars (| and >) on the next line. */
static struct bw_mon_src_pos cond_pos_of(struct ctx *c, const yaml_node_t *n)
{
	struct bw_mon_src_pos p = pos_of(c, n);
	if (n && (n->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
		  n->data.scalar.style == YAML_FOLDED_SCALAR_STYLE)) {
		p.line++;
		p.col = 0; /* unknown indentation: positions are given within the condition */
	} else if (n && (n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
			 n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)) {
		p.col++;
	}
	return p;
}

/* "append" or "replace" of an override key; 0 when absent. */
static int override_mode(struct ctx *c, const yaml_node_t *item, const char *key, int *mode)
{
	*mode = 0;
	yaml_node_t *o = get(c, item, "override");
	if (!o)
		return 0;
	if (o->type != YAML_MAPPING_NODE)
		return perr(c, o, "'override' must be a mapping of key: append|replace");
	yaml_node_t *v = get(c, o, key);
	if (!v)
		return 0;
	if (is_str(v, "append"))
		*mode = 1;
	else if (is_str(v, "replace"))
		*mode = 2;
	else
		return perr(c, v, "override of '%s' must be append or replace", key);
	return 0;
}

static int check_override_keys(struct ctx *c, const yaml_node_t *item, const char *const *ok_append,
			       const char *const *ok_replace)
{
	yaml_node_t *o = get(c, item, "override");
	if (!o)
		return 0;
	if (o->type != YAML_MAPPING_NODE)
		return perr(c, o, "'override' must be a mapping of key: append|replace");
	for (yaml_node_pair_t *p = o->data.mapping.pairs.start; p < o->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(c, p->key), *v = node_at(c, p->value);
		bool app = is_str(v, "append"), rep = is_str(v, "replace");
		if (!app && !rep)
			return perr(c, v, "an override must be append or replace");
		bool found = false;
		for (const char *const *a = app ? ok_append : ok_replace; *a && !found; a++)
			found = is_str(k, *a);
		if (!found)
			return perr(c, k, "key '%.*s' cannot be overridden with %s",
				    k && k->type == YAML_SCALAR_NODE ? (int)k->data.scalar.length : 1,
				    k && k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value
								     : "?",
				    app ? "append" : "replace");
		if (!get(c, item, (const char *)k->data.scalar.value))
			return perr(c, k, "override of '%s' without a '%s' key",
				    (const char *)k->data.scalar.value, (const char *)k->data.scalar.value);
	}
	return 0;
}

/* ---- lists ------------------------------------------------------------------- */

static void list_push(struct ctx *c, struct bw_mon_blist *l, const yaml_node_t *it)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 8;
		struct bw_mon_cval *v = bw_arena_alloc(&c->b->arena, nc * sizeof(*v));
		if (l->n)
			memcpy(v, l->items, l->n * sizeof(*v));
		l->items = v;
		l->cap = nc;
	}
	struct bw_mon_cval *v = &l->items[l->n++];
	memset(v, 0, sizeof(*v));
	size_t len = 0;
	const char *s = scalar(c, it, &len);
	if (!s)
		s = "";
	/* an item is inserted into conditions as written: a quoted one is a
	 * string, a bare one a value or the name of another list */
	if (len >= 2 && (s[0] == '"' || s[0] == '\'') && s[len - 1] == s[0]) {
		char *u = bw_arena_alloc(&c->b->arena, len);
		size_t o = 0;
		for (size_t i = 1; i + 1 < len; i++) {
			if (s[i] == '\\' && i + 2 < len && (s[i + 1] == s[0] || s[i + 1] == '\\'))
				i++;
			u[o++] = s[i];
		}
		u[o] = '\0';
		v->s = u;
		v->len = o;
		v->quoted = true;
	} else {
		v->s = s;
		v->len = len;
		/* YAML unquoted it already: a value with blanks is one value */
		v->quoted = it->data.scalar.style != YAML_PLAIN_SCALAR_STYLE && memchr(s, ' ', len) != NULL;
	}
}

static int do_list(struct ctx *c, yaml_node_t *item, yaml_node_t *namenode)
{
	static const char *const ap[] = {"items", NULL}, *const rp[] = {"items", NULL};
	int rc = check_override_keys(c, item, ap, rp);
	if (rc)
		return rc;
	const char *name = scalar(c, namenode, NULL);
	if (!name || !*name)
		return perr(c, namenode, "a list needs a name");
	yaml_node_t *items = get(c, item, "items");
	bool append = false;
	if ((rc = get_bool(c, item, "append", &append, NULL)))
		return rc;
	int mode;
	if ((rc = override_mode(c, item, "items", &mode)))
		return rc;
	if (mode == 1)
		append = true;
	if (!items)
		return perr(c, item, "list '%s' has no 'items'", name);
	if (items->type == YAML_SCALAR_NODE && items->data.scalar.length == 0)
		items = NULL; /* "items:" with nothing: an empty list */
	else if (items->type != YAML_SEQUENCE_NODE)
		return perr(c, items, "list '%s': 'items' must be a list", name);
	struct bw_mon_blist *l = bw_mon_hash_sget(&c->b->list_by_name, name);
	if ((append || mode == 2) && !l)
		return perr(c, item, "list '%s' has '%s' but no list by that name exists yet", name,
			    append ? "append" : "override");
	if (!append) {
		struct bw_mon_blist *nl = bw_arena_alloc(&c->b->arena, sizeof(*nl));
		nl->name = name;
		nl->pos = pos_of(c, namenode);
		if (l) {
			for (size_t i = 0; i < c->b->n_lists; i++)
				if (c->b->lists[i] == l)
					c->b->lists[i] = nl;
		} else {
			c->b->lists = bw_realloc(c->b->lists, (c->b->n_lists + 1) * sizeof(*c->b->lists));
			c->b->lists[c->b->n_lists++] = nl;
		}
		bw_mon_hash_sput(&c->b->list_by_name, name, nl);
		l = nl;
	}
	if (items) {
		for (yaml_node_item_t *i = items->data.sequence.items.start;
		     i < items->data.sequence.items.top; i++) {
			yaml_node_t *it = node_at(c, *i);
			if (!it || it->type != YAML_SCALAR_NODE)
				return perr(c, it ? it : items, "list '%s': items must be strings", name);
			list_push(c, l, it);
		}
	}
	return 0;
}

/* ---- macros ------------------------------------------------------------------ */

static const char *concat(struct ctx *c, const char *a, size_t alen, const char *b, size_t blen, size_t *len)
{
	char *s = bw_arena_alloc(&c->b->arena, alen + blen + 2);
	memcpy(s, a, alen);
	s[alen] = ' ';
	memcpy(s + alen + 1, b, blen);
	*len = alen + 1 + blen;
	return s;
}

static int do_macro(struct ctx *c, yaml_node_t *item, yaml_node_t *namenode)
{
	static const char *const ap[] = {"condition", NULL}, *const rp[] = {"condition", NULL};
	int rc = check_override_keys(c, item, ap, rp);
	if (rc)
		return rc;
	const char *name = scalar(c, namenode, NULL);
	if (!name || !*name)
		return perr(c, namenode, "a macro needs a name");
	const char *cond = NULL;
	size_t clen = 0;
	yaml_node_t *cn;
	if ((rc = get_str(c, item, "condition", &cond, &clen, &cn)))
		return rc;
	bool append = false;
	if ((rc = get_bool(c, item, "append", &append, NULL)))
		return rc;
	int mode;
	if ((rc = override_mode(c, item, "condition", &mode)))
		return rc;
	if (mode == 1)
		append = true;
	if (!cond)
		return perr(c, item, "macro '%s' has no 'condition'", name);
	struct bw_mon_bmacro *m = bw_mon_hash_sget(&c->b->macro_by_name, name);
	if ((append || mode == 2) && !m)
		return perr(c, item, "macro '%s' has '%s' but no macro by that name exists yet", name,
			    append ? "append" : "override");
	if (append) {
		m->cond = concat(c, m->cond, m->cond_len, cond, clen, &m->cond_len);
		return 0;
	}
	struct bw_mon_bmacro *nm = bw_arena_alloc(&c->b->arena, sizeof(*nm));
	nm->name = name;
	nm->cond = cond;
	nm->cond_len = clen;
	nm->pos = pos_of(c, namenode);
	nm->cond_pos = cond_pos_of(c, cn);
	if (m) {
		for (size_t i = 0; i < c->b->n_macros; i++)
			if (c->b->macros[i] == m)
				c->b->macros[i] = nm;
	} else {
		c->b->macros = bw_realloc(c->b->macros, (c->b->n_macros + 1) * sizeof(*c->b->macros));
		c->b->macros[c->b->n_macros++] = nm;
	}
	bw_mon_hash_sput(&c->b->macro_by_name, name, nm);
	return 0;
}

/* ---- rules ------------------------------------------------------------------- */

static int cell_values(struct ctx *c, yaml_node_t *v, struct bw_mon_cval **out, size_t *n)
{
	struct bw_mon_blist tmp = {0};
	if (v->type == YAML_SCALAR_NODE) {
		list_push(c, &tmp, v);
		/* a single value of an exception is a literal, never a list name
		 * unless the comparison takes a list (then the caller asks again) */
	} else if (v->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top;
		     i++) {
			yaml_node_t *it = node_at(c, *i);
			if (!it || it->type != YAML_SCALAR_NODE)
				return perr(c, it ? it : v,
					    "exception values must be strings or lists of strings");
			list_push(c, &tmp, it);
		}
		tmp.visiting = 1; /* marks "was a list" */
	} else {
		return perr(c, v, "exception values must be strings or lists of strings");
	}
	*out = tmp.items;
	*n = tmp.n;
	return 0;
}

static int do_exceptions(struct ctx *c, yaml_node_t *ex, const char *rule, struct bw_mon_bexception **out,
			 size_t *nout, bool append_values)
{
	*out = NULL;
	*nout = 0;
	if (!ex)
		return 0;
	if (ex->type != YAML_SEQUENCE_NODE)
		return perr(c, ex, "rule '%s': 'exceptions' must be a list", rule);
	size_t cnt = (size_t)(ex->data.sequence.items.top - ex->data.sequence.items.start);
	struct bw_mon_bexception *e = bw_arena_alloc(&c->b->arena, (cnt + 1) * sizeof(*e));
	for (size_t k = 0; k < cnt; k++) {
		yaml_node_t *it = node_at(c, ex->data.sequence.items.start[k]);
		struct bw_mon_bexception *x = &e[k];
		if (!it || it->type != YAML_MAPPING_NODE)
			return perr(c, it ? it : ex, "rule '%s': an exception must be a mapping", rule);
		x->pos = pos_of(c, it);
		int rc = get_str(c, it, "name", &x->name, NULL, NULL);
		if (rc)
			return rc;
		if (!x->name)
			return perr(c, it, "rule '%s': an exception needs a name", rule);
		yaml_node_t *fields = get(c, it, "fields");
		if (fields && fields->type == YAML_SCALAR_NODE) {
			x->single = true;
			x->fields = bw_arena_alloc(&c->b->arena, sizeof(*x->fields));
			x->fields[0] = scalar(c, fields, NULL);
			x->nfields = 1;
		} else if (fields) {
			if ((rc = str_list(c, fields, "fields", &x->fields, &x->nfields)))
				return rc;
		} else if (!append_values) {
			return perr(c, it, "rule '%s': exception '%s' has no 'fields'", rule, x->name);
		}
		yaml_node_t *comps = get(c, it, "comps");
		x->comps = bw_arena_alloc(&c->b->arena, (x->nfields + 1) * sizeof(*x->comps));
		if (comps && comps->type == YAML_SCALAR_NODE) {
			for (size_t f = 0; f < x->nfields; f++)
				x->comps[f] = scalar(c, comps, NULL);
		} else if (comps) {
			const char **cl;
			size_t ncl;
			if ((rc = str_list(c, comps, "comps", &cl, &ncl)))
				return rc;
			if (ncl != x->nfields)
				return perr(c, comps,
					    "rule '%s': exception '%s' has %zu fields but %zu comps", rule,
					    x->name, x->nfields, ncl);
			for (size_t f = 0; f < ncl; f++)
				x->comps[f] = cl[f];
		} else {
			for (size_t f = 0; f < x->nfields; f++)
				x->comps[f] = x->single ? "in" : "=";
		}
		yaml_node_t *values = get(c, it, "values");
		if (!values || (values->type == YAML_SCALAR_NODE && values->data.scalar.length == 0))
			continue;
		if (values->type != YAML_SEQUENCE_NODE)
			return perr(c, values, "rule '%s': exception '%s': 'values' must be a list", rule,
				    x->name);
		size_t rows = (size_t)(values->data.sequence.items.top - values->data.sequence.items.start);
		if (x->single) {
			/* one row: the whole list is the field's values */
			x->nrows = 1;
			x->cells = bw_arena_alloc(&c->b->arena, sizeof(*x->cells));
			x->ncell = bw_arena_alloc(&c->b->arena, sizeof(*x->ncell));
			if ((rc = cell_values(c, values, &x->cells[0], &x->ncell[0])))
				return rc;
			continue;
		}
		size_t nf = x->nfields ? x->nfields : 1;
		x->cells = bw_arena_alloc(&c->b->arena, rows * nf * sizeof(*x->cells));
		x->ncell = bw_arena_alloc(&c->b->arena, rows * nf * sizeof(*x->ncell));
		x->nrows = rows;
		for (size_t r = 0; r < rows; r++) {
			yaml_node_t *row = node_at(c, values->data.sequence.items.start[r]);
			if (!row || row->type != YAML_SEQUENCE_NODE)
				return perr(c, row ? row : values,
					    "rule '%s': exception '%s': each value must be a list of %zu",
					    rule, x->name, x->nfields);
			size_t nc = (size_t)(row->data.sequence.items.top - row->data.sequence.items.start);
			if (x->nfields && nc != x->nfields)
				return perr(
				    c, row,
				    "rule '%s': exception '%s': a value has %zu items, fields has %zu", rule,
				    x->name, nc, x->nfields);
			for (size_t f = 0; f < nc && f < nf; f++) {
				yaml_node_t *cell = node_at(c, row->data.sequence.items.start[f]);
				if (!cell)
					return perr(c, row, "rule '%s': a broken exception value", rule);
				if ((rc = cell_values(c, cell, &x->cells[r * nf + f], &x->ncell[r * nf + f])))
					return rc;
			}
		}
	}
	*out = e;
	*nout = cnt;
	return 0;
}

static const char *const rule_keys[] = {
    "rule",
    "desc",
    "condition",
    "output",
    "priority",
    "tags",
    "enabled",
    "exceptions",
    "source",
    "append",
    "override",
    "warn_evttypes",
    "skip-if-unknown-filter",
    "capture",
    "capture_duration",
    "id",
    "equivalent",
    NULL,
};

static int do_rule(struct ctx *c, yaml_node_t *item, yaml_node_t *namenode)
{
	static const char *const ap[] = {"condition", "exceptions", "tags", "output", "desc", NULL};
	static const char *const rp[] = {"condition", "exceptions", "tags",    "output",
					 "desc",      "priority",   "enabled", NULL};
	int rc = check_override_keys(c, item, ap, rp);
	if (rc)
		return rc;
	const char *name = scalar(c, namenode, NULL);
	if (!name || !*name)
		return perr(c, namenode, "a rule needs a name");
	for (yaml_node_pair_t *p = item->data.mapping.pairs.start; p < item->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(c, p->key);
		bool known = false;
		for (const char *const *kk = rule_keys; *kk && !known; kk++)
			known = is_str(k, *kk);
		if (!known && k && k->type == YAML_SCALAR_NODE)
			bw_mon_builder_warn(c->b, "%s:%zu:%zu: rule '%s': unknown key '%s' ignored", c->file,
					    k->start_mark.line + 1, k->start_mark.column + 1, name,
					    (const char *)k->data.scalar.value);
	}
	struct bw_mon_brule r = {.name = name, .enabled = true, .source = "syscall"};
	yaml_node_t *cn = NULL, *src;
	if ((rc = get_str(c, item, "desc", &r.desc, NULL, NULL)) ||
	    (rc = get_str(c, item, "condition", &r.cond, &r.cond_len, &cn)) ||
	    (rc = get_str(c, item, "output", &r.output, NULL, NULL)) ||
	    (rc = get_str(c, item, "priority", &r.priority, NULL, NULL)) ||
	    (rc = get_str(c, item, "source", &r.source, NULL, &src)) ||
	    (rc = get_str(c, item, "id", &r.id, NULL, NULL)))
		return rc;
	if (!r.source)
		r.source = "syscall";
	bool enabled_set = false, append = false;
	if ((rc = get_bool(c, item, "enabled", &r.enabled, &enabled_set)) ||
	    (rc = get_bool(c, item, "append", &append, NULL)) ||
	    (rc = get_bool(c, item, "skip-if-unknown-filter", &r.skip_if_unknown_filter, NULL)))
		return rc;
	if ((rc = str_list(c, get(c, item, "tags"), "tags", &r.tags, &r.n_tags)) ||
	    (rc = str_list(c, get(c, item, "equivalent"), "equivalent", &r.equivalent, &r.n_equivalent)))
		return rc;
	r.pos = pos_of(c, namenode);
	r.cond_pos = cond_pos_of(c, cn);
	yaml_node_t *o = get(c, item, "override");
	struct bw_mon_brule *old = bw_mon_hash_sget(&c->b->rule_by_name, name);

	if (append || o) {
		if (!old)
			return perr(c, item, "rule '%s' has '%s' but no rule by that name exists yet", name,
				    append ? "append" : "override");
		struct bw_mon_bexception *exc;
		size_t nexc;
		if ((rc = do_exceptions(c, get(c, item, "exceptions"), name, &exc, &nexc, true)))
			return rc;
		static const char *const keys[] = {"condition", "exceptions", "tags",	"output",
						   "desc",	"priority",   "enabled"};
		for (size_t k = 0; k < BW_ARRAY_SIZE(keys); k++) {
			int mode = 0;
			if (append && get(c, item, keys[k]))
				mode = 1;
			int om;
			if ((rc = override_mode(c, item, keys[k], &om)))
				return rc;
			if (om)
				mode = om;
			if (!mode)
				continue;
			if (append && (k == 3 || k == 4 || k == 5 || k == 6) && !om) {
				if (k != 6)
					return perr(c, item,
						    "rule '%s': append can only add to condition, exceptions "
						    "and tags (use override)",
						    name);
			}
			switch (k) {
			case 0:
				if (mode == 1) {
					old->cond = concat(c, old->cond ? old->cond : "",
							   old->cond ? old->cond_len : 0, r.cond, r.cond_len,
							   &old->cond_len);
					old->cond_appended = true;
				} else {
					old->cond = r.cond;
					old->cond_len = r.cond_len;
					old->cond_pos = r.cond_pos;
					old->cond_appended = false;
				}
				break;
			case 1:
				if (mode == 2) {
					old->exc = exc;
					old->n_exc = nexc;
					break;
				}
				/* append: values of an exception with an existing name join it;
				 * a new name is a new exception */
				for (size_t i = 0; i < nexc; i++) {
					struct bw_mon_bexception *same = NULL;
					for (size_t j = 0; j < old->n_exc && !same; j++)
						if (strcmp(old->exc[j].name, exc[i].name) == 0)
							same = &old->exc[j];
					if (same && exc[i].nfields == 0) {
						size_t nf = same->nfields ? same->nfields : 1;
						size_t rows = same->nrows + exc[i].nrows;
						struct bw_mon_cval **cells = bw_arena_alloc(
						    &c->b->arena, rows * nf * sizeof(*cells) + 1);
						size_t *ncell = bw_arena_alloc(
						    &c->b->arena, rows * nf * sizeof(*ncell) + 1);
						if (same->nrows) {
							memcpy(cells, same->cells,
							       same->nrows * nf * sizeof(*cells));
							memcpy(ncell, same->ncell,
							       same->nrows * nf * sizeof(*ncell));
						}
						if (same->single && exc[i].nrows) {
							/* a single field's values: one row, grown */
							size_t n0 = same->nrows ? same->ncell[0] : 0,
							       n1 = exc[i].ncell[0];
							struct bw_mon_cval *v = bw_arena_alloc(
							    &c->b->arena, (n0 + n1 + 1) * sizeof(*v));
							if (n0)
								memcpy(v, same->cells[0], n0 * sizeof(*v));
							memcpy(v + n0, exc[i].cells[0], n1 * sizeof(*v));
							cells[0] = v;
							ncell[0] = n0 + n1;
							same->nrows = 1;
						} else {
							if (exc[i].nrows) {
								if (exc[i].single ||
								    (exc[i].nfields && exc[i].nfields != nf))
									return perr(c, item,
										    "rule '%s': exception "
										    "'%s': values do "
										    "not match its fields",
										    name, exc[i].name);
								memcpy(cells + same->nrows * nf, exc[i].cells,
								       exc[i].nrows * nf * sizeof(*cells));
								memcpy(ncell + same->nrows * nf, exc[i].ncell,
								       exc[i].nrows * nf * sizeof(*ncell));
							}
							same->nrows = rows;
						}
						same->cells = cells;
						same->ncell = ncell;
					} else if (same) {
						return perr(c, item,
							    "rule '%s': exception '%s' exists: append only "
							    "values to it",
							    name, exc[i].name);
					} else {
						if (exc[i].nfields == 0)
							return perr(
							    c, item,
							    "rule '%s': new exception '%s' has no fields",
							    name, exc[i].name);
						struct bw_mon_bexception *ne = bw_arena_alloc(
						    &c->b->arena, (old->n_exc + 1) * sizeof(*ne));
						if (old->n_exc)
							memcpy(ne, old->exc, old->n_exc * sizeof(*ne));
						ne[old->n_exc] = exc[i];
						old->exc = ne;
						old->n_exc++;
					}
				}
				break;
			case 2:
				if (mode == 1) {
					const char **t = bw_arena_alloc(
					    &c->b->arena, (old->n_tags + r.n_tags + 1) * sizeof(*t));
					if (old->n_tags)
						memcpy(t, old->tags, old->n_tags * sizeof(*t));
					if (r.n_tags)
						memcpy(t + old->n_tags, r.tags, r.n_tags * sizeof(*t));
					old->tags = t;
					old->n_tags += r.n_tags;
				} else {
					old->tags = r.tags;
					old->n_tags = r.n_tags;
				}
				break;
			case 3:
				old->output = r.output;
				break;
			case 4:
				old->desc = r.desc;
				break;
			case 5:
				old->priority = r.priority;
				break;
			case 6:
				old->enabled = r.enabled;
				break;
			}
		}
		return 0;
	}

	/* "- rule: X / enabled: false" alone switches an existing rule */
	size_t npairs = (size_t)(item->data.mapping.pairs.top - item->data.mapping.pairs.start);
	if (old && enabled_set && npairs == 2) {
		old->enabled = r.enabled;
		return 0;
	}
	if (!r.cond)
		return perr(c, item, "rule '%s' has no 'condition'", name);
	if (!r.output)
		return perr(c, item, "rule '%s' has no 'output'", name);
	if (!r.priority)
		return perr(c, item, "rule '%s' has no 'priority'", name);
	if (!r.desc)
		return perr(c, item, "rule '%s' has no 'desc'", name);
	if ((rc = do_exceptions(c, get(c, item, "exceptions"), name, &r.exc, &r.n_exc, false)))
		return rc;
	struct bw_mon_brule *nr = bw_arena_alloc(&c->b->arena, sizeof(*nr));
	*nr = r;
	if (old) {
		for (size_t i = 0; i < c->b->n_rules; i++)
			if (c->b->rules[i] == old)
				c->b->rules[i] = nr;
	} else {
		c->b->rules = bw_realloc(c->b->rules, (c->b->n_rules + 1) * sizeof(*c->b->rules));
		c->b->rules[c->b->n_rules++] = nr;
	}
	bw_mon_hash_sput(&c->b->rule_by_name, name, nr);
	return 0;
}

/* "0.57.0" or a bare engine number ("8"): compare with ours (0.57.0). */
static int cmp_version(const char *a, const char *b)
{
	for (int i = 0; i < 3; i++) {
		long x = strtol(a, (char **)&a, 10), y = strtol(b, (char **)&b, 10);
		if (x != y)
			return x < y ? -1 : 1;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
	}
	return 0;
}

static int do_item(struct ctx *c, yaml_node_t *item)
{
	if (!item || item->type != YAML_MAPPING_NODE)
		return perr(c, item, "each item must be a mapping (rule, macro, list, …)");
	yaml_node_t *v;
	if ((v = get(c, item, "rule")))
		return do_rule(c, item, v);
	if ((v = get(c, item, "macro")))
		return do_macro(c, item, v);
	if ((v = get(c, item, "list")))
		return do_list(c, item, v);
	if ((v = get(c, item, "required_engine_version"))) {
		const char *ver = scalar(c, v, NULL);
		if (!ver)
			return perr(c, v, "required_engine_version must be a version");
		bool plain = strchr(ver, '.') == NULL;
		/* before semantic versions Falco's engine versions were numbers; this
		 * engine reads files of engine 0.57.0 (engine number 57 and below) */
		if (plain ? strtol(ver, NULL, 10) > 57
			  : cmp_version(ver, BW_MONITOR_FALCO_ENGINE_VERSION) > 0)
			bw_mon_builder_warn(
			    c->b,
			    "%s:%zu:%zu: the rules require Falco engine %s; this engine implements "
			    "%s: newer features may be refused",
			    c->file, v->start_mark.line + 1, v->start_mark.column + 1, ver,
			    BW_MONITOR_FALCO_ENGINE_VERSION);
		c->b->required_engine = ver;
		return 0;
	}
	if (get(c, item, "required_plugin_versions") || get(c, item, "plugins"))
		return 0; /* the container plugin's fields are built in */
	if (item->data.mapping.pairs.start < item->data.mapping.pairs.top) {
		yaml_node_t *k = node_at(c, item->data.mapping.pairs.start->key);
		if (k && k->type == YAML_SCALAR_NODE)
			return perr(c, item,
				    "unknown item '%.*s' (rule, macro, list, required_engine_version)",
				    (int)(k->data.scalar.length > 64 ? 64 : k->data.scalar.length),
				    (const char *)k->data.scalar.value);
	}
	return perr(c, item, "an empty item");
}

int bw_mon_builder_add(struct bw_mon_builder *b, const char *name, const char *text, size_t len,
		       struct bw_error *err)
{
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return bw_error_set(err, BW_ENOMEM, "%s: cannot start the YAML parser", name);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	const char *fname = bw_arena_strdup(&b->arena, name);
	int rc = 0;
	for (;;) {
		yaml_document_t doc;
		if (!yaml_parser_load(&parser, &doc)) {
			rc = bw_error_set(err, BW_EUSAGE, "%s:%zu:%zu: YAML: %s", fname,
					  parser.problem_mark.line + 1, parser.problem_mark.column + 1,
					  parser.problem ? parser.problem : "malformed document");
			break;
		}
		yaml_node_t *root = yaml_document_get_root_node(&doc);
		if (!root) {
			yaml_document_delete(&doc);
			break;
		}
		struct ctx c = {b, fname, &doc, err};
		if (root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0) {
			/* an empty document */
		} else if (root->type != YAML_SEQUENCE_NODE) {
			rc = perr(&c, root, "a rules file is a list of items (rule, macro, list)");
		} else {
			for (yaml_node_item_t *i = root->data.sequence.items.start;
			     rc == 0 && i < root->data.sequence.items.top; i++)
				rc = do_item(&c, yaml_document_get_node(&doc, *i));
		}
		yaml_document_delete(&doc);
		if (rc)
			break;
	}
	yaml_parser_delete(&parser);
	return rc;
}
