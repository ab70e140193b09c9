/* The rules compiler: from the builder's lists, macros and rules (rules.c)
 * to per-event-type decision lists.
 *
 * For each rule: parse its condition (cond.c), add its exceptions as
 * "and not (…)", expand macros (a cycle is an error naming the chain) and
 * lists (names inside value lists, recursively), find each field in the
 * field table (an unknown one is an error) and type its values for it.
 * Then, for every event type this source produces, fold the condition with
 * what is known of that type: evt.type, evt.dir and evt.source become
 * constants, and a field that has no value on such an event makes its
 * check false. What is left is the rule's decision for that type; a
 * constant false leaves the rule out of that type's list. A field the
 * source cannot fill that survives folding is an error (or, with
 * skip_unsupported, the rule is skipped).
 *
 * Last, what the kernel side must keep is derived from the decisions: the
 * syscalls to record, and for path hooks the gates a record must pass
 * (sensitive prefixes, writes, ".." or relative paths) — the necessary
 * conditions of every rule's decision. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <arpa/inet.h>
#include <errno.h>
#include <pcre2.h>

#include "monitor-int.h"

struct cctx {
	struct bw_mon_builder *b;
	struct bw_mon_ruleset *rs;
	struct bw_error *err;
	const char *what; /* "rule 'X'" or "macro 'X'" */
	struct bw_mon_src_pos pos;
	const char *text; /* the condition being resolved (positions) */
	size_t text_len;
	bool pos_exact;
	bool skip_unknown; /* skip-if-unknown-filter */
	bool unknown;	   /* an unknown field was met (with skip_unknown) */
	int depth;
	char chain[512]; /* macro expansion path */
	/* the values of value lists already expanded and typed, by field,
	 * operator and the list as written: a list that thousands of rules and
	 * macros name (Falco's files do) is expanded once and shared */
	struct bw_mon_hash *vals_seen;
};

struct vals_done {
	struct bw_mon_cval *vals;
	size_t nvals;
	const char **sorted;
};

static int cerr(struct cctx *c, uint32_t pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int cerr(struct cctx *c, uint32_t pos, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	int line = c->pos.line, col = c->pos.col;
	if (c->pos_exact && c->text) {
		for (size_t i = 0; i < pos && i < c->text_len; i++) {
			if (c->text[i] == '\n') {
				line++;
				col = 1;
			} else if (col) {
				col++;
			}
		}
	}
	return bw_error_set(c->err, BW_EUSAGE, "%s:%d:%d: %s: condition position %u: %s", c->pos.file, line,
			    col ? col : 1, c->what, pos, msg);
}

static const char *rs_str(struct cctx *c, const char *s, size_t n)
{
	return bw_arena_strndup(&c->rs->arena, s ? s : "", s ? n : 0);
}

/* ---- value typing -------------------------------------------------------------- */

static bool is_string_op(enum bw_mon_cmp cmp)
{
	switch (cmp) {
	case BW_CMP_CONTAINS:
	case BW_CMP_ICONTAINS:
	case BW_CMP_BCONTAINS:
	case BW_CMP_STARTSWITH:
	case BW_CMP_BSTARTSWITH:
	case BW_CMP_ENDSWITH:
	case BW_CMP_GLOB:
	case BW_CMP_IGLOB:
	case BW_CMP_REGEX:
	case BW_CMP_PMATCH:
		return true;
	default:
		return false;
	}
}

static int hexval(char c)
{
	if (bw_isdigit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int type_value(struct cctx *c, const struct bw_mon_cnode *n, struct bw_mon_cval *v)
{
	const struct bw_mon_field *f = n->field;
	switch (f->type) {
	case BW_FT_STR:
		if (n->cmp == BW_CMP_BCONTAINS || n->cmp == BW_CMP_BSTARTSWITH) {
			if (v->len % 2)
				return cerr(c, v->pos, "'%s' needs hexadecimal bytes, not '%s'",
					    bw_mon_cmp_name(n->cmp), v->s);
			char *b = bw_arena_alloc(&c->rs->arena, v->len / 2 + 1);
			for (size_t i = 0; i < v->len / 2; i++) {
				int hi = hexval(v->s[2 * i]), lo = hexval(v->s[2 * i + 1]);
				if (hi < 0 || lo < 0)
					return cerr(c, v->pos, "'%s' needs hexadecimal bytes, not '%s'",
						    bw_mon_cmp_name(n->cmp), v->s);
				b[i] = (char)(hi << 4 | lo);
			}
			v->s = b;
			v->len /= 2;
		}
		if (strstr(f->name, ".name") && strncmp(f->name, "fd.", 3) == 0 && strchr(f->name + 3, 'p'))
			bw_mon_resolve_later(v->s);
		return 0;
	case BW_FT_CHAR:
		if (v->len != 1)
			return cerr(c, v->pos, "field %s holds one character, not '%s'", f->name, v->s);
		v->i = (unsigned char)v->s[0];
		return 0;
	case BW_FT_INT:
	case BW_FT_PORT:
	case BW_FT_RELTIME:
	case BW_FT_ABSTIME: {
		char *end = NULL;
		errno = 0;
		long long x = strtoll(v->s, &end, 10);
		if (!v->len || errno || !end || *end)
			return cerr(c, v->pos, "field %s is a number: '%s' is not", f->name, v->s);
		v->i = x;
		return 0;
	}
	case BW_FT_BOOL:
		if (strcmp(v->s, "true") == 0)
			v->i = 1;
		else if (strcmp(v->s, "false") == 0)
			v->i = 0;
		else
			return cerr(c, v->pos, "field %s is true or false, not '%s'", f->name, v->s);
		return 0;
	case BW_FT_IP:
	case BW_FT_NET: {
		char tmp[128];
		if (v->len >= sizeof(tmp))
			return cerr(c, v->pos, "'%.64s…' is not an address", v->s);
		memcpy(tmp, v->s, v->len + 1);
		char *slash = strchr(tmp, '/');
		v->prefix = -1;
		if (slash) {
			if (f->type != BW_FT_NET)
				return cerr(c, v->pos, "field %s is an address, not a network: '%s' (use %s)",
					    f->name, v->s, "a .net field");
			*slash = '\0';
			char *end;
			long p = strtol(slash + 1, &end, 10);
			if (*end || p < 0)
				return cerr(c, v->pos, "'%s' is not a network", v->s);
			v->prefix = (int)p;
			v->is_net = true;
		}
		if (inet_pton(AF_INET, tmp, v->ip) == 1)
			v->family = 4;
		else if (inet_pton(AF_INET6, tmp, v->ip) == 1)
			v->family = 6;
		else
			return cerr(c, v->pos, "'%s' is not an IP address%s", v->s,
				    f->type == BW_FT_NET ? " or network" : "");
		if (v->prefix < 0)
			v->prefix = v->family == 4 ? 32 : 128;
		if (v->prefix > (v->family == 4 ? 32 : 128))
			return cerr(c, v->pos, "'%s': the prefix is too long", v->s);
		return 0;
	}
	}
	return 0;
}

static int cmp_sorted(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- resolution: macros, lists, fields ----------------------------------------- */

static struct bw_mon_cnode *resolve(struct cctx *c, const struct bw_mon_cnode *n);

static int expand_list_value(struct cctx *c, const struct bw_mon_cval *v, struct bw_mon_cval **out,
			     size_t *nout, size_t *cap, int depth)
{
	struct bw_mon_blist *l = v->quoted ? NULL : bw_mon_hash_sget(&c->b->list_by_name, v->s);
	if (l) {
		if (l->visiting || depth > 64)
			return cerr(c, v->pos, "list '%s' includes itself", l->name);
		l->visiting = 1;
		for (size_t i = 0; i < l->n; i++) {
			struct bw_mon_cval it = l->items[i];
			it.pos = v->pos;
			int rc = expand_list_value(c, &it, out, nout, cap, depth + 1);
			if (rc) {
				l->visiting = 0;
				return rc;
			}
		}
		l->visiting = 0;
		return 0;
	}
	if (*nout == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		struct bw_mon_cval *nv = bw_arena_alloc(&c->rs->arena, nc * sizeof(*nv));
		if (*nout)
			memcpy(nv, *out, *nout * sizeof(*nv));
		*out = nv;
		*cap = nc;
	}
	struct bw_mon_cval *d = &(*out)[(*nout)++];
	*d = *v;
	d->s = rs_str(c, v->s, v->len);
	return 0;
}

static struct bw_mon_cnode *new_node(struct cctx *c, enum bw_mon_cnode_kind k, uint32_t pos)
{
	struct bw_mon_cnode *n = bw_arena_alloc(&c->rs->arena, sizeof(*n));
	n->kind = k;
	n->pos = pos;
	return n;
}

static struct bw_mon_cnode *resolve_check(struct cctx *c, const struct bw_mon_cnode *n)
{
	const char *arg = NULL;
	size_t arglen = 0;
	const struct bw_mon_field *f = bw_mon_field_find(n->ident, strlen(n->ident), &arg, &arglen);
	if (!f) {
		if (c->skip_unknown) {
			c->unknown = true;
			return new_node(c, BW_CN_FALSE, n->pos);
		}
		cerr(c, n->pos, "unknown field '%s'", n->ident);
		return NULL;
	}
	struct bw_mon_cnode *r = new_node(c, BW_CN_CHECK, n->pos);
	r->ident = rs_str(c, n->ident, strlen(n->ident));
	r->field = f;
	r->cmp = n->cmp;
	r->list = n->list;
	r->argn = -1;
	if (n->arg && arg) {
		cerr(c, n->pos, "field '%s' has two arguments", n->ident);
		return NULL;
	}
	if (n->arg) {
		arg = n->arg;
		arglen = strlen(n->arg);
	}
	if (arg) {
		if (!(f->flags & (BW_FF_ARG_REQ | BW_FF_ARG_OPT))) {
			cerr(c, n->pos, "field '%s' takes no argument", f->name);
			return NULL;
		}
		r->arg = rs_str(c, arg, arglen);
		if (arglen && bw_isdigit(arg[0])) {
			char *end;
			long long x = strtoll(r->arg, &end, 10);
			if (*end || x < 0 || x > 64) {
				cerr(c, n->pos, "field '%s': index '%s' is not a number from 0 to 64",
				     f->name, r->arg);
				return NULL;
			}
			r->argn = x;
			if (!(f->flags & BW_FF_ARG_INDEX) && !(f->flags & BW_FF_ARG_DOT)) {
				cerr(c, n->pos, "field '%s' takes a name, not an index", f->name);
				return NULL;
			}
			if (f->flags & BW_FF_ARG_DOT)
				r->arg = NULL; /* evt.arg[0]: by position */
		} else if (f->flags & BW_FF_ARG_INDEX) {
			cerr(c, n->pos, "field '%s' takes a number, not '%s'", f->name, r->arg);
			return NULL;
		}
	} else if (f->flags & BW_FF_ARG_REQ) {
		cerr(c, n->pos, "field '%s' needs an argument", f->name);
		return NULL;
	}
	if (n->cmp != BW_CMP_EXISTS) {
		if (is_string_op(n->cmp) && f->type != BW_FT_STR && f->type != BW_FT_CHAR) {
			cerr(c, n->pos, "operator '%s' needs a text field; %s is not",
			     bw_mon_cmp_name(n->cmp), f->name);
			return NULL;
		}
		if ((n->cmp == BW_CMP_LT || n->cmp == BW_CMP_LE || n->cmp == BW_CMP_GT ||
		     n->cmp == BW_CMP_GE) &&
		    (f->type == BW_FT_STR || f->type == BW_FT_CHAR || f->type == BW_FT_BOOL ||
		     f->type == BW_FT_IP || f->type == BW_FT_NET)) {
			cerr(c, n->pos, "operator '%s' needs a numeric field; %s is not",
			     bw_mon_cmp_name(n->cmp), f->name);
			return NULL;
		}
	}
	/* a parenthesised list seen before with this field and operator */
	const char *key = NULL;
	if (n->list && c->vals_seen) {
		struct bw_buf kb;
		bw_buf_init(&kb, 1u << 20); /* longer lists are not shared */
		int krc = bw_buf_printf(&kb, "%s%c%d", f->name, 0x1f, (int)n->cmp);
		for (size_t i = 0; i < n->nvals && krc == 0; i++)
			krc = bw_buf_printf(&kb, "%c%c%zu:%.*s", 0x1f, n->vals[i].quoted ? 'q' : 'b',
					    n->vals[i].len, (int)n->vals[i].len, n->vals[i].s);
		if (krc == 0)
			key = rs_str(c, kb.data ? kb.data : "", kb.len);
		bw_buf_release(&kb);
	}
	if (key) {
		const struct vals_done *d = bw_mon_hash_sget(c->vals_seen, key);
		if (d) {
			r->vals = d->vals;
			r->nvals = d->nvals;
			r->sorted = d->sorted;
			return r;
		}
	}
	size_t cap = 0;
	for (size_t i = 0; i < n->nvals; i++) {
		/* names of lists expand only inside a parenthesised list */
		if (n->list) {
			if (expand_list_value(c, &n->vals[i], &r->vals, &r->nvals, &cap, 0))
				return NULL;
		} else {
			struct bw_mon_cval v = n->vals[i];
			v.quoted = true;
			if (expand_list_value(c, &v, &r->vals, &r->nvals, &cap, 0))
				return NULL;
		}
	}
	for (size_t i = 0; i < r->nvals; i++)
		if (type_value(c, r, &r->vals[i]))
			return NULL;
	if (r->cmp == BW_CMP_REGEX) {
		int ec;
		PCRE2_SIZE eo;
		pcre2_code *re = pcre2_compile((PCRE2_SPTR)r->vals[0].s, r->vals[0].len, 0, &ec, &eo, NULL);
		if (!re) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(ec, msg, sizeof(msg));
			cerr(c, r->vals[0].pos, "regex '%s': %s", r->vals[0].s, (const char *)msg);
			return NULL;
		}
		r->re = re;
		/* freed with the ruleset */
		size_t k = c->rs->n_regex++;
		c->rs->regex = bw_realloc(c->rs->regex, c->rs->n_regex * sizeof(*c->rs->regex));
		c->rs->regex[k] = re;
	}
	if ((r->cmp == BW_CMP_IN || r->cmp == BW_CMP_EQ || r->cmp == BW_CMP_NE) && r->nvals >= 8 &&
	    r->field->type == BW_FT_STR) {
		r->sorted = bw_arena_alloc(&c->rs->arena, r->nvals * sizeof(*r->sorted));
		for (size_t i = 0; i < r->nvals; i++)
			r->sorted[i] = r->vals[i].s;
		qsort(r->sorted, r->nvals, sizeof(*r->sorted), cmp_sorted);
	}
	if (key && r->cmp != BW_CMP_REGEX) {
		struct vals_done *d = bw_arena_alloc(&c->rs->arena, sizeof(*d));
		d->vals = r->vals;
		d->nvals = r->nvals;
		d->sorted = r->sorted;
		bw_mon_hash_sput(c->vals_seen, key, d);
	}
	return r;
}

static struct bw_mon_cnode *resolve_macro(struct cctx *c, const struct bw_mon_cnode *n)
{
	struct bw_mon_bmacro *m = bw_mon_hash_sget(&c->b->macro_by_name, n->ident);
	if (!m) {
		if (bw_mon_hash_sget(&c->b->list_by_name, n->ident))
			cerr(c, n->pos, "'%s' is a list: use it inside a value list, (%s)", n->ident,
			     n->ident);
		else
			cerr(c, n->pos, "undefined macro '%s'", n->ident);
		return NULL;
	}
	if (m->visiting) {
		cerr(c, n->pos, "macro cycle: %s -> %s", c->chain[0] ? c->chain : m->name, m->name);
		return NULL;
	}
	if (c->depth > 100) {
		cerr(c, n->pos, "macros nested too deeply (%s)", m->name);
		return NULL;
	}
	m->used = true;
	if (!m->parsed)
		return NULL; /* its syntax error was reported before */
	size_t chain_len = strlen(c->chain);
	snprintf(c->chain + chain_len, sizeof(c->chain) - chain_len, "%s%s", chain_len ? " -> " : "",
		 m->name);
	m->visiting = 1;
	c->depth++;
	/* positions inside the macro are the macro's: report errors there */
	struct cctx sub = *c;
	char what[300];
	snprintf(what, sizeof(what), "%s: macro '%s'", c->what, m->name);
	sub.what = what;
	sub.pos = m->cond_pos;
	sub.text = m->cond;
	sub.text_len = m->cond_len;
	sub.pos_exact = true;
	struct bw_mon_cnode *r = resolve(&sub, m->parsed);
	c->unknown |= sub.unknown;
	c->depth--;
	m->visiting = 0;
	c->chain[chain_len] = '\0';
	return r;
}

static struct bw_mon_cnode *resolve(struct cctx *c, const struct bw_mon_cnode *n)
{
	switch (n->kind) {
	case BW_CN_MACRO:
		return resolve_macro(c, n);
	case BW_CN_CHECK:
		return resolve_check(c, n);
	case BW_CN_TRUE:
	case BW_CN_FALSE:
		return new_node(c, n->kind, n->pos);
	default: {
		struct bw_mon_cnode *r = new_node(c, n->kind, n->pos);
		r->kids = bw_arena_alloc(&c->rs->arena, n->nkids * sizeof(*r->kids));
		r->nkids = n->nkids;
		for (size_t i = 0; i < n->nkids; i++)
			if (!(r->kids[i] = resolve(c, n->kids[i])))
				return NULL;
		return r;
	}
	}
}

/* ---- exceptions -------------------------------------------------------------------- */

static struct bw_mon_cnode *raw_node(struct cctx *c, enum bw_mon_cnode_kind k)
{
	return new_node(c, k, 0);
}

static void push_kid(struct cctx *c, struct bw_mon_cnode *n, struct bw_mon_cnode *k)
{
	struct bw_mon_cnode **kids = bw_arena_alloc(&c->rs->arena, (n->nkids + 1) * sizeof(*kids));
	if (n->nkids)
		memcpy(kids, n->kids, n->nkids * sizeof(*kids));
	kids[n->nkids++] = k;
	n->kids = kids;
}

static int comp_of(const char *s, enum bw_mon_cmp *out)
{
	static const struct {
		const char *n;
		enum bw_mon_cmp c;
	} t[] = {
	    {"=", BW_CMP_EQ},
	    {"==", BW_CMP_EQ},
	    {"!=", BW_CMP_NE},
	    {"<", BW_CMP_LT},
	    {"<=", BW_CMP_LE},
	    {">", BW_CMP_GT},
	    {">=", BW_CMP_GE},
	    {"contains", BW_CMP_CONTAINS},
	    {"icontains", BW_CMP_ICONTAINS},
	    {"startswith", BW_CMP_STARTSWITH},
	    {"endswith", BW_CMP_ENDSWITH},
	    {"glob", BW_CMP_GLOB},
	    {"in", BW_CMP_IN},
	    {"pmatch", BW_CMP_PMATCH},
	    {"intersects", BW_CMP_INTERSECTS},
	    {"bcontains", BW_CMP_BCONTAINS},
	    {"bstartswith", BW_CMP_BSTARTSWITH},
	    {"iglob", BW_CMP_IGLOB},
	    {"regex", BW_CMP_REGEX},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(t); i++)
		if (strcmp(t[i].n, s) == 0) {
			*out = t[i].c;
			return 0;
		}
	return -1;
}

/* The raw (unresolved) "not (…)" of a rule's exceptions, or NULL. */
static int exceptions_node(struct cctx *c, const struct bw_mon_brule *r, struct bw_mon_cnode **out)
{
	*out = NULL;
	struct bw_mon_cnode *any = raw_node(c, BW_CN_OR);
	for (size_t k = 0; k < r->n_exc; k++) {
		const struct bw_mon_bexception *x = &r->exc[k];
		size_t nf = x->nfields ? x->nfields : 1;
		for (size_t row = 0; row < x->nrows; row++) {
			struct bw_mon_cnode *all = raw_node(c, BW_CN_AND);
			for (size_t f = 0; f < x->nfields; f++) {
				enum bw_mon_cmp cmp;
				if (comp_of(x->comps[f], &cmp))
					return bw_error_set(c->err, BW_EUSAGE,
							    "%s:%d:%d: %s: exception '%s': unknown comp '%s'",
							    x->pos.file, x->pos.line, x->pos.col, c->what,
							    x->name, x->comps[f]);
				struct bw_mon_cnode *chk = raw_node(c, BW_CN_CHECK);
				/* the field may carry its argument: proc.aname[2] */
				const char *fname = x->fields[f];
				const char *br = strchr(fname, '[');
				if (br && fname[strlen(fname) - 1] == ']') {
					chk->ident = rs_str(c, fname, (size_t)(br - fname));
					chk->arg = rs_str(c, br + 1, strlen(br + 1) - 1);
				} else {
					chk->ident = fname;
				}
				chk->cmp = cmp;
				chk->vals = x->cells[row * nf + f];
				chk->nvals = x->ncell[row * nf + f];
				chk->list =
				    cmp == BW_CMP_IN || cmp == BW_CMP_PMATCH || cmp == BW_CMP_INTERSECTS;
				if (!chk->list && chk->nvals != 1)
					return bw_error_set(
					    c->err, BW_EUSAGE,
					    "%s:%d:%d: %s: exception '%s': field %s with '%s' takes one "
					    "value",
					    x->pos.file, x->pos.line, x->pos.col, c->what, x->name, fname,
					    x->comps[f]);
				push_kid(c, all, chk);
			}
			if (all->nkids)
				push_kid(c, any, all);
		}
	}
	if (!any->nkids)
		return 0;
	struct bw_mon_cnode *not = raw_node(c, BW_CN_NOT);
	push_kid(c, not, any);
	*out = not ;
	return 0;
}

/* ---- folding for one event type ------------------------------------------------------ */

static struct bw_mon_cnode *konst(struct cctx *c, bool v)
{
	return new_node(c, v ? BW_CN_TRUE : BW_CN_FALSE, 0);
}

static struct bw_mon_cnode *fold(struct cctx *c, struct bw_mon_cnode *n, int evtype)
{
	uint16_t kind = bw_mon_evtypes[evtype].kind;
	switch (n->kind) {
	case BW_CN_TRUE:
	case BW_CN_FALSE:
		return n;
	case BW_CN_CHECK: {
		const struct bw_mon_field *f = n->field;
		const char *known = NULL;
		if (strcmp(f->name, "evt.type") == 0)
			known = bw_mon_evtypes[evtype].name;
		else if (strcmp(f->name, "evt.dir") == 0)
			known = "<";
		else if (strcmp(f->name, "evt.source") == 0)
			known = "syscall";
		if (known) {
			if (n->cmp == BW_CMP_EXISTS)
				return konst(c, true);
			return konst(c, bw_mon_cmp_str(n, known, strlen(known)));
		}
		if (f->kinds && !(f->kinds & (1u << kind)))
			return konst(c, false); /* no value on this event: the check is false */
		return n;
	}
	case BW_CN_NOT: {
		struct bw_mon_cnode *k = fold(c, n->kids[0], evtype);
		if (k->kind == BW_CN_TRUE || k->kind == BW_CN_FALSE)
			return konst(c, k->kind == BW_CN_FALSE);
		if (k == n->kids[0])
			return n;
		struct bw_mon_cnode *r = new_node(c, BW_CN_NOT, n->pos);
		push_kid(c, r, k);
		return r;
	}
	case BW_CN_AND:
	case BW_CN_OR: {
		bool and = n->kind == BW_CN_AND;
		struct bw_mon_cnode **kept = malloc(n->nkids * sizeof(*kept));
		size_t nk = 0;
		bool changed = false;
		for (size_t i = 0; i < n->nkids; i++) {
			struct bw_mon_cnode *k = fold(c, n->kids[i], evtype);
			if (k != n->kids[i])
				changed = true;
			if (k->kind == (and? BW_CN_FALSE : BW_CN_TRUE)) {
				free(kept);
				return konst(c, !and);
			}
			if (k->kind == (and? BW_CN_TRUE : BW_CN_FALSE))
				continue;
			kept[nk++] = k;
		}
		struct bw_mon_cnode *r;
		if (nk == 0)
			r = konst(c, and);
		else if (nk == 1)
			r = kept[0];
		else if (!changed && nk == n->nkids)
			r = n;
		else {
			r = new_node(c, n->kind, n->pos);
			r->kids = bw_arena_alloc(&c->rs->arena, nk * sizeof(*r->kids));
			memcpy(r->kids, kept, nk * sizeof(*kept));
			r->nkids = nk;
		}
		free(kept);
		return r;
	}
	default:
		return n;
	}
}

/* The first field of a folded decision that this source cannot fill. */
static const struct bw_mon_cnode *unsupported(const struct bw_mon_cnode *n, bool fanotify)
{
	if (n->kind == BW_CN_CHECK) {
		if (n->field->flags & BW_FF_UNSUPPORTED)
			return n;
		if (fanotify && (n->field->flags & BW_FF_NOFANOTIFY))
			return n;
		return NULL;
	}
	for (size_t i = 0; i < n->nkids; i++) {
		const struct bw_mon_cnode *u = unsupported(n->kids[i], fanotify);
		if (u)
			return u;
	}
	return NULL;
}

static bool mentions(const struct bw_mon_cnode *n, unsigned flag)
{
	if (n->kind == BW_CN_CHECK)
		return (n->field->flags & flag) != 0;
	for (size_t i = 0; i < n->nkids; i++)
		if (mentions(n->kids[i], flag))
			return true;
	return false;
}

/* ---- what the kernel side keeps for path hooks ----------------------------------------- */

struct gates {
	bool any, write, dotdot, failed;
	char prefixes[BW_EV_PREFIXES][BW_EV_PREFIX_LEN];
	bool wo[BW_EV_PREFIXES]; /* the prefix holds for writes only */
	size_t n;
};

static void gate_prefix(struct gates *g, const char *p, size_t len, bool wo)
{
	if (g->any)
		return;
	if (len == 0 || p[0] != '/' || (len == 1)) {
		if (wo)
			g->write = true; /* "writes below /": any write */
		else
			g->any = true;
		return;
	}
	if (len >= BW_EV_PREFIX_LEN)
		len = BW_EV_PREFIX_LEN - 1;
	for (size_t i = 0; i < g->n; i++) {
		size_t l = strlen(g->prefixes[i]);
		if (l <= len && memcmp(g->prefixes[i], p, l) == 0 && (!g->wo[i] || wo))
			return; /* a shorter one covers it */
		if (len < l && memcmp(g->prefixes[i], p, len) == 0 && (g->wo[i] || !wo)) {
			memcpy(g->prefixes[i], p, len); /* this one covers that */
			g->prefixes[i][len] = '\0';
			g->wo[i] = wo;
			return;
		}
	}
	if (g->n == BW_EV_PREFIXES) {
		g->any = true;
		return;
	}
	memcpy(g->prefixes[g->n], p, len);
	g->prefixes[g->n][len] = '\0';
	g->wo[g->n] = wo;
	g->n++;
}

static void gate_union(struct gates *a, const struct gates *b)
{
	if (b->any)
		a->any = true;
	a->write |= b->write;
	a->dotdot |= b->dotdot;
	a->failed |= b->failed;
	for (size_t i = 0; i < b->n && !a->any; i++)
		gate_prefix(a, b->prefixes[i], strlen(b->prefixes[i]), b->wo[i]);
}

static bool is_path_field(const struct bw_mon_cnode *n)
{
	const char *f = n->field->name;
	if (strcmp(f, "fd.name") == 0 || strcmp(f, "fd.directory") == 0 || strcmp(f, "fd.nameraw") == 0 ||
	    strncmp(f, "fs.path.", 8) == 0)
		return true;
	if (strcmp(f, "evt.arg") == 0 && n->arg)
		return strcmp(n->arg, "name") == 0 || strcmp(n->arg, "path") == 0 ||
		       strcmp(n->arg, "filename") == 0 || strcmp(n->arg, "oldpath") == 0 ||
		       strcmp(n->arg, "newpath") == 0 || strcmp(n->arg, "linkpath") == 0;
	return false;
}

static void need(const struct bw_mon_cnode *n, struct gates *g)
{
	memset(g, 0, sizeof(*g));
	switch (n->kind) {
	case BW_CN_CHECK: {
		const char *f = n->field->name;
		if (strcmp(f, "evt.res") == 0 || strcmp(f, "evt.rawres") == 0 ||
		    strcmp(f, "evt.failed") == 0 ||
		    (strcmp(f, "fd.num") == 0 && n->nvals && n->vals[0].i < 0)) {
			g->any = true;
			g->failed = true;
			return;
		}
		if (strcmp(f, "evt.is_open_write") == 0 && n->cmp == BW_CMP_EQ && n->vals[0].i == 1) {
			g->write = true;
			return;
		}
		if (strcmp(f, "evt.arg") == 0 && n->arg && strcmp(n->arg, "flags") == 0 &&
		    (n->cmp == BW_CMP_CONTAINS || n->cmp == BW_CMP_ICONTAINS)) {
			const char *v = n->vals[0].s;
			if (strstr(v, "O_WRONLY") || strstr(v, "O_RDWR") || strstr(v, "O_TRUNC") ||
			    strstr(v, "O_CREAT") || strstr(v, "O_APPEND")) {
				g->write = true;
				return;
			}
		}
		if (!is_path_field(n)) {
			g->any = true;
			return;
		}
		bool raw = strcmp(f, "fd.nameraw") == 0 || strstr(f, "raw") != NULL;
		bool dir = strcmp(f, "fd.directory") == 0;
		switch (n->cmp) {
		case BW_CMP_EQ:
		case BW_CMP_IN:
		case BW_CMP_PMATCH:
		case BW_CMP_STARTSWITH:
			if (raw) {
				g->any = true;
				return;
			}
			for (size_t i = 0; i < n->nvals && !g->any; i++) {
				const char *v = n->vals[i].s;
				size_t len = n->vals[i].len;
				if (dir || n->cmp == BW_CMP_PMATCH) {
					char tmp[BW_EV_PREFIX_LEN + 1];
					size_t l = len < BW_EV_PREFIX_LEN - 1 ? len : BW_EV_PREFIX_LEN - 1;
					memcpy(tmp, v, l);
					if (l && tmp[l - 1] != '/' && l < BW_EV_PREFIX_LEN - 1)
						tmp[l++] = '/';
					gate_prefix(g, tmp, l, false);
				} else {
					gate_prefix(g, v, len, false);
				}
			}
			return;
		case BW_CMP_GLOB:
		case BW_CMP_CONTAINS: {
			const char *v = n->vals[0].s;
			if (raw && strstr(v, "..")) {
				g->dotdot = true;
				return;
			}
			if (n->cmp == BW_CMP_GLOB && !raw) {
				size_t l = strcspn(v, "*?[");
				gate_prefix(g, v, l, false);
				return;
			}
			g->any = true;
			return;
		}
		default:
			g->any = true;
			return;
		}
	}
	case BW_CN_AND: {
		int best = -1;
		long best_rank = 0;
		struct gates k;
		bool failed = false, has_write = false;
		int prefix_kid = -1;
		for (size_t i = 0; i < n->nkids; i++) {
			need(n->kids[i], &k);
			failed |= k.failed;
			if (k.any)
				continue;
			if (k.write && !k.n && !k.dotdot)
				has_write = true;
			if (!k.write && !k.dotdot && k.n && prefix_kid < 0)
				prefix_kid = (int)i;
			long rank = k.write ? 100000 : (long)k.n + (k.dotdot ? 1 : 0);
			if (best < 0 || rank < best_rank) {
				best = (int)i;
				best_rank = rank;
			}
		}
		if (has_write && prefix_kid >= 0) {
			/* writes below these prefixes: both at once */
			struct gates p;
			need(n->kids[prefix_kid], &p);
			memset(g, 0, sizeof(*g));
			for (size_t i = 0; i < p.n; i++)
				gate_prefix(g, p.prefixes[i], strlen(p.prefixes[i]), true);
		} else if (best < 0) {
			g->any = true;
		} else {
			need(n->kids[best], g);
		}
		g->failed = failed;
		return;
	}
	case BW_CN_OR: {
		struct gates k;
		for (size_t i = 0; i < n->nkids; i++) {
			need(n->kids[i], &k);
			gate_union(g, &k);
		}
		return;
	}
	case BW_CN_NOT: {
		struct gates k;
		need(n->kids[0], &k);
		g->any = true;
		g->failed = k.failed;
		return;
	}
	case BW_CN_FALSE:
		return;
	default:
		g->any = true;
		return;
	}
}

static void derive_kconfig(struct bw_mon_ruleset *rs)
{
	struct bw_mon_kconfig *k = &rs->k;
	memset(k, 0, sizeof(*k));
	k->kinds = (1u << BW_EV_FORK) | (1u << BW_EV_EXIT);
	struct gates opens = {0}, paths = {0};
	for (size_t t = 0; t < bw_mon_n_evtypes; t++) {
		if (!rs->n_by_type[t])
			continue;
		const struct bw_mon_evtype *et = &bw_mon_evtypes[t];
		k->evtype_on[t] = true;
		if (!et->prog)
			k->kinds |= 1u << et->kind;
		bool is_open = et->kind == BW_EV_OPEN;
		bool is_path =
		    et->kind == BW_EV_CHMOD || et->kind == BW_EV_UNLINK || et->kind == BW_EV_RENAME;
		if (!is_open && !is_path)
			continue;
		for (size_t i = 0; i < rs->n_by_type[t]; i++) {
			struct gates g;
			need(rs->by_type[t][i].cond, &g);
			gate_union(is_open ? &opens : &paths, &g);
		}
	}
	if (opens.any)
		k->flags |= BW_CFG_ALL_OPENS;
	if (paths.any)
		k->flags |= BW_CFG_ALL_PATHS;
	if (opens.write)
		k->flags |= BW_CFG_OPEN_WRITES;
	if (opens.dotdot || paths.dotdot)
		k->flags |= BW_CFG_OPEN_DOTDOT;
	if (opens.failed)
		k->flags |= BW_CFG_OPEN_FAILED;
	struct gates all = {0};
	gate_union(&all, &opens);
	all.any = false;
	for (size_t i = 0; i < paths.n && !all.any; i++)
		gate_prefix(&all, paths.prefixes[i], strlen(paths.prefixes[i]), false);
	if (all.any)
		k->flags |= BW_CFG_ALL_OPENS | BW_CFG_ALL_PATHS;
	for (size_t i = 0; i < all.n; i++) {
		memcpy(k->prefixes[i], all.prefixes[i], BW_EV_PREFIX_LEN);
		k->prefix_write_only[i] = all.wo[i];
	}
	k->n_prefixes = all.n;
}

static void describe_kconfig(struct bw_mon_ruleset *rs)
{
	struct bw_monitor_check *ch = &rs->check;
	ch->prefixes = bw_calloc(rs->k.n_prefixes + 1, sizeof(*ch->prefixes));
	for (size_t i = 0; i < rs->k.n_prefixes; i++)
		ch->prefixes[i] = rs->k.prefix_write_only[i] ? bw_asprintf("%s (writes)", rs->k.prefixes[i])
							     : bw_strdup(rs->k.prefixes[i]);
	ch->n_prefixes = rs->k.n_prefixes;
	static const struct {
		uint32_t flag;
		const char *name;
	} g[] = {
	    {BW_CFG_ALL_OPENS, "all-opens"}, {BW_CFG_ALL_PATHS, "all-paths"}, {BW_CFG_OPEN_WRITES, "writes"},
	    {BW_CFG_OPEN_DOTDOT, "dotdot"},  {BW_CFG_OPEN_FAILED, "failed"},
	};
	char buf[256];
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < BW_ARRAY_SIZE(g); i++)
		if (rs->k.flags & g[i].flag) {
			int w = snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? "," : "", g[i].name);
			if (w > 0 && (size_t)w < sizeof(buf) - len)
				len += (size_t)w;
		}
	ch->gates = bw_strdup(buf);
}

/* ---- outputs ------------------------------------------------------------------------------- */

static bool field_char(char ch)
{
	return bw_isalnum(ch) || ch == '_' || ch == '.';
}

static int compile_output(struct cctx *c, struct bw_mon_rule *r)
{
	const char *s = r->output ? r->output : "";
	size_t len = strlen(s), cap = 0, fcap = 0;
	size_t lit = 0;
	for (size_t i = 0; i <= len; i++) {
		bool end = i == len;
		if (!end && !(s[i] == '%' && i + 1 < len &&
			      (field_char(s[i + 1]) || s[i + 1] == '%' || s[i + 1] == '(')))
			continue;
		if (i > lit || end) {
			if (r->n_fmt == cap) {
				cap = cap ? cap * 2 : 16;
				struct bw_mon_fmt_piece *p = bw_arena_alloc(&c->rs->arena, cap * sizeof(*p));
				if (r->n_fmt)
					memcpy(p, r->fmt, r->n_fmt * sizeof(*p));
				r->fmt = p;
			}
			if (i > lit)
				r->fmt[r->n_fmt++] =
				    (struct bw_mon_fmt_piece){s + lit, i - lit, NULL, NULL, -1};
		}
		if (end)
			break;
		if (s[i + 1] == '%') {
			lit = i + 1; /* "%%": one '%', from the next byte */
			i++;
			continue;
		}
		size_t j = i + 1;
		bool paren = s[j] == '(';
		if (paren)
			j++;
		size_t start = j;
		while (j < len && field_char(s[j]))
			j++;
		while (j > start && s[j - 1] == '.')
			j--;
		size_t name_end = j;
		if (j < len && s[j] == '[') {
			const char *close = memchr(s + j, ']', len - j);
			if (close)
				j = (size_t)(close - s) + 1;
		}
		if (paren) {
			if (j >= len || s[j] != ')')
				return bw_error_set(c->err, BW_EUSAGE, "%s:%d:%d: %s: output: unclosed '%%('",
						    r->file, r->line, r->col, c->what);
			j++;
		}
		size_t flen = (paren ? j - 1 : j) - start;
		const char *arg;
		size_t arglen;
		const struct bw_mon_field *f = bw_mon_field_find(s + start, flen, &arg, &arglen);
		if (!f)
			return bw_error_set(c->err, BW_EUSAGE, "%s:%d:%d: %s: output: unknown field '%.*s'",
					    r->file, r->line, r->col, c->what, (int)(name_end - start),
					    s + start);
		if (r->n_fmt == cap) {
			cap = cap ? cap * 2 : 16;
			struct bw_mon_fmt_piece *p = bw_arena_alloc(&c->rs->arena, cap * sizeof(*p));
			if (r->n_fmt)
				memcpy(p, r->fmt, r->n_fmt * sizeof(*p));
			r->fmt = p;
		}
		struct bw_mon_fmt_piece *p = &r->fmt[r->n_fmt++];
		p->text = NULL;
		p->field = f;
		p->arg = NULL;
		p->argn = -1;
		if (arg) {
			if (arglen && bw_isdigit(arg[0]))
				p->argn = strtoll(arg, NULL, 10);
			else
				p->arg = rs_str(c, arg, arglen);
		} else if (f->flags & BW_FF_ARG_REQ) {
			return bw_error_set(c->err, BW_EUSAGE,
					    "%s:%d:%d: %s: output: field '%s' needs an argument", r->file,
					    r->line, r->col, c->what, f->name);
		}
		/* the output's fields, once each, for output_fields */
		bool seen = false;
		for (size_t k = 0; k < r->n_out_fields && !seen; k++)
			seen = r->out_fields[k] == f && r->out_argns[k] == p->argn &&
			       ((!r->out_args[k] && !p->arg) ||
				(r->out_args[k] && p->arg && strcmp(r->out_args[k], p->arg) == 0));
		if (!seen) {
			if (r->n_out_fields == fcap) {
				fcap = fcap ? fcap * 2 : 16;
				const struct bw_mon_field **nf =
				    bw_arena_alloc(&c->rs->arena, fcap * sizeof(*nf));
				const char **na = bw_arena_alloc(&c->rs->arena, fcap * sizeof(*na));
				int64_t *nn = bw_arena_alloc(&c->rs->arena, fcap * sizeof(*nn));
				if (r->n_out_fields) {
					memcpy(nf, r->out_fields, r->n_out_fields * sizeof(*nf));
					memcpy(na, r->out_args, r->n_out_fields * sizeof(*na));
					memcpy(nn, r->out_argns, r->n_out_fields * sizeof(*nn));
				}
				r->out_fields = nf;
				r->out_args = na;
				r->out_argns = nn;
			}
			r->out_fields[r->n_out_fields] = f;
			r->out_args[r->n_out_fields] = p->arg;
			r->out_argns[r->n_out_fields] = p->argn;
			r->n_out_fields++;
		}
		lit = j;
		i = j - 1;
	}
	return 0;
}

/* ---- severities ------------------------------------------------------------------------------- */

static int priority_of(const char *p, enum bw_severity *sev, const char **canon)
{
	static const struct {
		const char *name;
		enum bw_severity sev;
	} t[] = {
	    {"EMERGENCY", BW_SEV_CRITICAL}, {"ALERT", BW_SEV_CRITICAL}, {"CRITICAL", BW_SEV_CRITICAL},
	    {"ERROR", BW_SEV_HIGH},	    {"WARNING", BW_SEV_MEDIUM}, {"NOTICE", BW_SEV_LOW},
	    {"INFORMATIONAL", BW_SEV_INFO}, {"INFO", BW_SEV_INFO},	{"DEBUG", BW_SEV_INFO},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(t); i++)
		if (bw_strcasecmp(t[i].name, p) == 0) {
			*sev = t[i].sev;
			*canon = t[i].name;
			return 0;
		}
	return -1;
}

/* ---- the whole compile --------------------------------------------------------------------------- */

static void info_add(struct bw_monitor_rule_info **arr, size_t *n, const struct bw_mon_brule *r,
		     const char *priority, const char *evtypes, const char *why)
{
	*arr = bw_realloc(*arr, (*n + 1) * sizeof(**arr));
	struct bw_monitor_rule_info *i = &(*arr)[(*n)++];
	i->name = bw_strdup(r->name);
	i->id = bw_strdup(r->id ? r->id : r->name);
	i->file = bw_strdup(r->pos.file);
	i->line = r->pos.line;
	i->priority = bw_strdup(priority ? priority : "");
	i->enabled = r->enabled;
	i->event_types = evtypes ? bw_strdup(evtypes) : NULL;
	i->why = why ? bw_strdup(why) : NULL;
}

static void warn(struct bw_mon_ruleset *rs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct bw_mon_ruleset *rs, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = NULL;
	if (vasprintf(&m, fmt, ap) < 0)
		m = NULL;
	va_end(ap);
	if (!m)
		return;
	struct bw_monitor_check *ch = &rs->check;
	ch->warnings = bw_realloc(ch->warnings, (ch->n_warnings + 1) * sizeof(*ch->warnings));
	ch->warnings[ch->n_warnings++] = m;
}

static void add_decision(struct bw_mon_ruleset *rs, int t, struct bw_mon_rule *r, struct bw_mon_cnode *cond)
{
	rs->by_type[t] = bw_realloc(rs->by_type[t], (rs->n_by_type[t] + 1) * sizeof(*rs->by_type[t]));
	rs->by_type[t][rs->n_by_type[t]++] = (struct bw_mon_decision){r, cond};
}

static int compile_rule(struct cctx *base, struct bw_mon_brule *br, bool skip_unsupported, bool fanotify)
{
	struct bw_mon_ruleset *rs = base->rs;
	struct cctx c = *base;
	char what[300];
	snprintf(what, sizeof(what), "rule '%s'", br->name);
	c.what = what;
	c.pos = br->cond_pos;
	c.text = br->cond;
	c.text_len = br->cond_len;
	c.pos_exact = !br->cond_appended && br->cond_pos.col > 0;
	c.skip_unknown = br->skip_if_unknown_filter;
	c.chain[0] = '\0';
	c.depth = 0;

	enum bw_severity sev;
	const char *prio;
	if (priority_of(br->priority, &sev, &prio))
		return bw_error_set(
		    c.err, BW_EUSAGE,
		    "%s:%d:%d: rule '%s': unknown priority '%s' (EMERGENCY ALERT CRITICAL ERROR "
		    "WARNING NOTICE INFORMATIONAL DEBUG)",
		    br->pos.file, br->pos.line, br->pos.col, br->name, br->priority);
	if (strcmp(br->source, "syscall") != 0) {
		char why[128];
		snprintf(why, sizeof(why), "source '%s': this engine reads kernel events only", br->source);
		info_add(&rs->check.inert, &rs->check.n_inert, br, prio, NULL, why);
		return 0;
	}
	struct bw_arena tmp;
	bw_arena_init(&tmp);
	struct bw_mon_cnode *parsed;
	uint32_t epos;
	struct bw_error perr = BW_ERROR_INIT;
	if (bw_mon_cond_parse(&tmp, br->cond, br->cond_len, &parsed, &epos, &perr)) {
		bw_arena_release(&tmp);
		return cerr(&c, epos, "%s", strchr(perr.msg, ':') ? strchr(perr.msg, ':') + 2 : perr.msg);
	}
	struct bw_mon_cnode *cond = resolve(&c, parsed);
	if (!cond) {
		bw_arena_release(&tmp);
		return BW_EUSAGE;
	}
	struct bw_mon_cnode *exc;
	c.pos = br->pos;
	c.pos_exact = false;
	int rc = exceptions_node(&c, br, &exc);
	if (rc == 0 && exc) {
		struct bw_mon_cnode *re = resolve(&c, exc);
		if (!re)
			rc = BW_EUSAGE;
		else {
			struct bw_mon_cnode *and = new_node(&c, BW_CN_AND, 0);
			push_kid(&c, and, cond);
			push_kid(&c, and, re);
			cond = and;
		}
	}
	bw_arena_release(&tmp);
	if (rc)
		return rc;
	if (c.unknown) {
		char why[] = "skip-if-unknown-filter: it names a field this engine does not know";
		info_add(&rs->check.skipped, &rs->check.n_skipped, br, prio, NULL, why);
		return 0;
	}

	struct bw_mon_rule *r = bw_arena_alloc(&rs->arena, sizeof(*r));
	r->name = rs_str(&c, br->name, strlen(br->name));
	r->desc = br->desc ? rs_str(&c, br->desc, strlen(br->desc)) : "";
	r->output = rs_str(&c, br->output, strlen(br->output));
	r->priority = prio;
	r->severity = sev;
	r->source = "syscall";
	r->id = br->id ? rs_str(&c, br->id, strlen(br->id)) : r->name;
	r->enabled = br->enabled;
	r->file = rs_str(&c, br->pos.file, strlen(br->pos.file));
	r->line = br->pos.line;
	r->col = br->pos.col;
	r->cond = cond;
	r->n_tags = br->n_tags;
	r->tags = bw_arena_alloc(&rs->arena, (br->n_tags + 1) * sizeof(*r->tags));
	for (size_t i = 0; i < br->n_tags; i++)
		r->tags[i] = rs_str(&c, br->tags[i], strlen(br->tags[i]));
	/* equivalent: the Falco rules this answers to; a Falco rule is its own */
	size_t neq = br->n_equivalent ? br->n_equivalent : 1;
	r->equivalent = bw_arena_alloc(&rs->arena, neq * sizeof(*r->equivalent));
	if (br->n_equivalent) {
		for (size_t i = 0; i < br->n_equivalent; i++)
			r->equivalent[i] = rs_str(&c, br->equivalent[i], strlen(br->equivalent[i]));
	} else {
		r->equivalent[0] = r->name;
	}
	r->n_equivalent = neq;
	r->needs_drift = mentions(cond, BW_FF_DRIFT);
	if ((rc = compile_output(&c, r)))
		return rc;

	/* fold for every event type */
	struct bw_mon_cnode *folded[BW_MON_MAX_EVTYPES] = {0};
	const struct bw_mon_cnode *unsup = NULL;
	char evtypes[1024];
	size_t elen = 0;
	evtypes[0] = '\0';
	for (size_t t = 0; t < bw_mon_n_evtypes; t++) {
		struct bw_mon_cnode *f = fold(&c, cond, (int)t);
		if (f->kind == BW_CN_FALSE)
			continue;
		if (fanotify && bw_mon_evtypes[t].kind != BW_EV_EXEC &&
		    bw_mon_evtypes[t].kind != BW_EV_OPEN && bw_mon_evtypes[t].kind != BW_EV_FORK &&
		    bw_mon_evtypes[t].kind != BW_EV_EXIT)
			continue;
		const struct bw_mon_cnode *u = unsupported(f, fanotify);
		if (u && !unsup)
			unsup = u;
		folded[t] = f;
		int w = snprintf(evtypes + elen, sizeof(evtypes) - elen, "%s%s", elen ? "," : "",
				 bw_mon_evtypes[t].name);
		if (w > 0 && (size_t)w < sizeof(evtypes) - elen)
			elen += (size_t)w;
	}
	if (unsup) {
		char why[256];
		snprintf(why, sizeof(why), "field %s cannot be filled by the %s event source",
			 unsup->field->name, fanotify ? "fanotify" : "eBPF");
		if (!skip_unsupported) {
			c.pos = br->cond_pos;
			c.pos_exact = false;
			return cerr(&c, unsup->pos, "%s (--skip-unsupported skips such rules)", why);
		}
		info_add(&rs->check.skipped, &rs->check.n_skipped, br, prio, NULL, why);
		return 0;
	}
	if (!elen) {
		info_add(&rs->check.inert, &rs->check.n_inert, br, prio, NULL,
			 fanotify ? "matches none of the events the fanotify source produces (exec, open)"
				  : "matches none of the events this source produces");
		return 0;
	}
	rs->rules = bw_realloc(rs->rules, (rs->n_rules + 1) * sizeof(*rs->rules));
	rs->rules[rs->n_rules++] = r;
	info_add(&rs->check.loaded, &rs->check.n_loaded, br, prio, evtypes, NULL);
	if (!r->enabled)
		return 0;
	if (r->needs_drift)
		rs->needs_drift = true;
	for (size_t t = 0; t < bw_mon_n_evtypes; t++)
		if (folded[t])
			add_decision(rs, (int)t, r, folded[t]);
	return 0;
}

int bw_mon_compile(struct bw_mon_builder *b, bool skip_unsupported, bool fanotify,
		   struct bw_mon_ruleset **out, struct bw_error *err)
{
	*out = NULL;
	struct bw_mon_ruleset *rs = bw_calloc(1, sizeof(*rs));
	bw_arena_init(&rs->arena);
	for (size_t i = 0; i < b->n_warnings; i++)
		warn(rs, "%s", b->warnings[i]);
	struct bw_mon_hash vals_seen = {0};
	struct cctx c = {.b = b, .rs = rs, .err = err, .vals_seen = &vals_seen};
	int rc = 0;
	/* every macro must parse, used or not */
	for (size_t i = 0; i < b->n_macros && rc == 0; i++) {
		struct bw_mon_bmacro *m = b->macros[i];
		uint32_t epos;
		struct bw_error perr = BW_ERROR_INIT;
		if (bw_mon_cond_parse(&b->arena, m->cond, m->cond_len, &m->parsed, &epos, &perr)) {
			char what[300];
			snprintf(what, sizeof(what), "macro '%s'", m->name);
			c.what = what;
			c.pos = m->cond_pos;
			c.text = m->cond;
			c.text_len = m->cond_len;
			c.pos_exact = m->cond_pos.col > 0;
			rc = cerr(&c, epos, "%s",
				  strchr(perr.msg, ':') ? strchr(perr.msg, ':') + 2 : perr.msg);
		}
	}
	for (size_t i = 0; i < b->n_rules && rc == 0; i++)
		rc = compile_rule(&c, b->rules[i], skip_unsupported, fanotify);
	bw_mon_hash_release(&vals_seen);
	if (rc) {
		bw_mon_ruleset_free(rs);
		return rc;
	}
	rs->check.n_macros = b->n_macros;
	rs->check.n_lists = b->n_lists;
	if (rs->check.n_skipped) {
		char names[2048];
		size_t len = 0;
		names[0] = '\0';
		for (size_t i = 0; i < rs->check.n_skipped; i++) {
			int w = snprintf(names + len, sizeof(names) - len, "%s'%s'", len ? ", " : "",
					 rs->check.skipped[i].name);
			if (w < 0 || (size_t)w >= sizeof(names) - len)
				break;
			len += (size_t)w;
		}
		warn(rs, "%zu rule%s skipped: %s", rs->check.n_skipped, rs->check.n_skipped == 1 ? "" : "s",
		     names);
	}
	derive_kconfig(rs);
	describe_kconfig(rs);
	*out = rs;
	return 0;
}

void bw_mon_ruleset_free(struct bw_mon_ruleset *rs)
{
	if (!rs)
		return;
	for (size_t t = 0; t < BW_MON_MAX_EVTYPES; t++)
		free(rs->by_type[t]);
	for (size_t i = 0; i < rs->n_regex; i++)
		pcre2_code_free(rs->regex[i]);
	free(rs->regex);
	free(rs->rules);
	bw_monitor_check_release(&rs->check);
	bw_arena_release(&rs->arena);
	free(rs);
}

int bw_mon_rules_load_buffers(const char *const *names, const char *const *texts, const size_t *lens,
			      size_t n, bool skip_unsupported, bool fanotify, struct bw_mon_ruleset **out,
			      struct bw_error *err)
{
	struct bw_mon_builder b;
	bw_mon_builder_init(&b);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = bw_mon_builder_add(&b, names[i], texts[i], lens[i], err);
	if (rc == 0)
		rc = bw_mon_compile(&b, skip_unsupported, fanotify, out, err);
	bw_mon_builder_release(&b);
	return rc;
}

#define MAX_RULES_FILE (64u << 20)

int bw_mon_rules_load(const struct bw_monitor_rule_opts *o, struct bw_mon_ruleset **out, struct bw_error *err)
{
	bool fanotify = o->source && strcmp(o->source, "fanotify") == 0;
	if (!o->n_files) {
		const char *name = "(default rules)";
		const char *text = bw_monitor_default_rules;
		size_t len = strlen(text);
		return bw_mon_rules_load_buffers(&name, &text, &len, 1, o->skip_unsupported, fanotify, out,
						 err);
	}
	struct bw_buf *bufs = bw_calloc(o->n_files, sizeof(*bufs));
	const char **texts = bw_calloc(o->n_files, sizeof(*texts));
	size_t *lens = bw_calloc(o->n_files, sizeof(*lens));
	int rc = 0;
	for (size_t i = 0; i < o->n_files && rc == 0; i++) {
		bw_buf_init(&bufs[i], MAX_RULES_FILE);
		rc = bw_buf_read_file(&bufs[i], o->files[i], err);
		if (rc == BW_ELIMIT)
			rc = bw_error_set(err, BW_EUSAGE, "%s: a rules file larger than %u MiB", o->files[i],
					  MAX_RULES_FILE >> 20);
		texts[i] = bufs[i].data ? bufs[i].data : "";
		lens[i] = bufs[i].len;
	}
	if (rc == 0)
		rc = bw_mon_rules_load_buffers((const char *const *)o->files, texts, lens, o->n_files,
					       o->skip_unsupported, fanotify, out, err);
	for (size_t i = 0; i < o->n_files; i++)
		bw_buf_release(&bufs[i]);
	free(bufs);
	free(texts);
	free(lens);
	return rc;
}

/* ---- the check (--dry-run) ------------------------------------------------------------------ */

int bw_monitor_check_rules(const struct bw_monitor_rule_opts *o, struct bw_monitor_check *out,
			   struct bw_error *err)
{
	memset(out, 0, sizeof(*out));
	struct bw_mon_ruleset *rs;
	int rc = bw_mon_rules_load(o, &rs, err);
	if (rc)
		return rc;
	*out = rs->check;
	memset(&rs->check, 0, sizeof(rs->check));
	bw_mon_ruleset_free(rs);
	return 0;
}

static void infos_release(struct bw_monitor_rule_info *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].name);
		free(a[i].id);
		free(a[i].file);
		free(a[i].priority);
		free(a[i].event_types);
		free(a[i].why);
	}
	free(a);
}

void bw_monitor_check_release(struct bw_monitor_check *c)
{
	infos_release(c->loaded, c->n_loaded);
	infos_release(c->skipped, c->n_skipped);
	infos_release(c->inert, c->n_inert);
	for (size_t i = 0; i < c->n_warnings; i++)
		free(c->warnings[i]);
	free(c->warnings);
	for (size_t i = 0; i < c->n_prefixes; i++)
		free(c->prefixes[i]);
	free(c->prefixes);
	free(c->gates);
	memset(c, 0, sizeof(*c));
}

static json_t *infos_json(const struct bw_monitor_rule_info *a, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "rule", json_string(a[i].name));
		json_object_set_new(o, "id", json_string(a[i].id));
		json_object_set_new(o, "file", json_string(a[i].file));
		json_object_set_new(o, "line", json_integer(a[i].line));
		json_object_set_new(o, "priority", json_string(a[i].priority));
		json_object_set_new(o, "enabled", json_boolean(a[i].enabled));
		if (a[i].event_types)
			json_object_set_new(o, "event_types", json_string(a[i].event_types));
		if (a[i].why)
			json_object_set_new(o, "reason", json_string(a[i].why));
		json_array_append_new(arr, o);
	}
	return arr;
}

json_t *bw_monitor_check_json(const struct bw_monitor_check *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "schema", json_string("bulwark.monitor-rules/v1"));
	json_object_set_new(o, "engine_version", json_string(BW_MONITOR_FALCO_ENGINE_VERSION));
	json_object_set_new(o, "loaded", infos_json(c->loaded, c->n_loaded));
	json_object_set_new(o, "skipped", infos_json(c->skipped, c->n_skipped));
	json_object_set_new(o, "inert", infos_json(c->inert, c->n_inert));
	json_object_set_new(o, "macros", json_integer((json_int_t)c->n_macros));
	json_object_set_new(o, "lists", json_integer((json_int_t)c->n_lists));
	json_t *w = json_array();
	for (size_t i = 0; i < c->n_warnings; i++)
		json_array_append_new(w, json_string(c->warnings[i]));
	json_object_set_new(o, "warnings", w);
	json_t *kf = json_object();
	json_t *pf = json_array();
	for (size_t i = 0; i < c->n_prefixes; i++)
		json_array_append_new(pf, json_string(c->prefixes[i]));
	json_object_set_new(kf, "path_prefixes", pf);
	json_object_set_new(kf, "gates", json_string(c->gates ? c->gates : ""));
	json_object_set_new(o, "kernel_filter", kf);
	return o;
}
