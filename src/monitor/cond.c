/* The parser of Falco's condition language (the filter syntax of rules
 * and macros):
 *
 *   expr    := and ('or' and)*
 *   and     := not ('and' not)*
 *   not     := 'not' not | primary
 *   primary := '(' expr ')' | MACRO | FIELD ['[' ARG ']'] check
 *   check   := 'exists' | CMPOP value | LISTOP '(' [value (',' value)*] ')'
 *   value   := "…" | '…' | bare        (bare: no blank, parenthesis, comma or quote)
 *
 * FIELD is dotted (proc.name, evt.arg.flags), MACRO is a plain identifier
 * (resolved later, as are names of lists inside a value list). CMPOP: = ==
 * != < <= > >= contains icontains bcontains startswith bstartswith endswith
 * glob iglob regex; LISTOP: in intersects pmatch. Quoted values take
 * backslash escapes of their quote and of the backslash. Positions are byte
 * offsets into the text, kept on every node for error messages. */
#include "monitor-int.h"

#define MAX_DEPTH 200

struct parser {
	const char *s;
	size_t len, pos;
	struct bw_arena *a;
	struct bw_error *err;
	uint32_t errpos;
	int depth;
	bool failed;
};

static const struct {
	const char *name;
	enum bw_mon_cmp cmp;
} cmp_ops[] = {
    {"==", BW_CMP_EQ},
    {"!=", BW_CMP_NE},
    {"<=", BW_CMP_LE},
    {">=", BW_CMP_GE},
    {"=", BW_CMP_EQ},
    {"<", BW_CMP_LT},
    {">", BW_CMP_GT},
    {"bstartswith", BW_CMP_BSTARTSWITH},
    {"startswith", BW_CMP_STARTSWITH},
    {"icontains", BW_CMP_ICONTAINS},
    {"bcontains", BW_CMP_BCONTAINS},
    {"contains", BW_CMP_CONTAINS},
    {"endswith", BW_CMP_ENDSWITH},
    {"intersects", BW_CMP_INTERSECTS},
    {"iglob", BW_CMP_IGLOB},
    {"glob", BW_CMP_GLOB},
    {"pmatch", BW_CMP_PMATCH},
    {"regex", BW_CMP_REGEX},
    {"exists", BW_CMP_EXISTS},
    {"in", BW_CMP_IN},
};

const char *bw_mon_cmp_name(enum bw_mon_cmp c)
{
	if (c == BW_CMP_EQ)
		return "=";
	for (size_t i = 0; i < BW_ARRAY_SIZE(cmp_ops); i++)
		if (cmp_ops[i].cmp == c)
			return cmp_ops[i].name;
	return "?";
}

static bool fail(struct parser *p, size_t pos, const char *what)
{
	if (!p->failed) {
		p->failed = true;
		p->errpos = (uint32_t)pos;
		bw_error_set(p->err, BW_EUSAGE, "position %zu: %s", pos, what);
	}
	return false;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '\b';
}

static bool is_alpha(char c)
{
	return bw_isalpha(c);
}

static bool is_ident(char c)
{
	return bw_isalnum(c) || c == '_';
}

static void skip(struct parser *p)
{
	while (p->pos < p->len && is_blank(p->s[p->pos]))
		p->pos++;
}

static bool eof(struct parser *p)
{
	skip(p);
	return p->pos >= p->len;
}

/* A keyword (and, or, not) at the position, ending at a blank, a
 * parenthesis or the end. */
static bool keyword(struct parser *p, const char *kw)
{
	skip(p);
	size_t n = strlen(kw);
	if (p->len - p->pos < n || memcmp(p->s + p->pos, kw, n) != 0)
		return false;
	if (p->pos + n < p->len) {
		char c = p->s[p->pos + n];
		if (!is_blank(c) && c != '(')
			return false;
	}
	p->pos += n;
	return true;
}

static struct bw_mon_cnode *node(struct parser *p, enum bw_mon_cnode_kind k, size_t pos)
{
	struct bw_mon_cnode *n = bw_arena_alloc(p->a, sizeof(*n));
	n->kind = k;
	n->pos = (uint32_t)pos;
	return n;
}

static void add_kid(struct parser *p, struct bw_mon_cnode *n, struct bw_mon_cnode *kid, size_t *cap)
{
	if (n->nkids == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		struct bw_mon_cnode **k = bw_arena_alloc(p->a, nc * sizeof(*k));
		if (n->nkids)
			memcpy(k, n->kids, n->nkids * sizeof(*k));
		n->kids = k;
		*cap = nc;
	}
	n->kids[n->nkids++] = kid;
}

/* A quoted string: the text without its quotes, escapes resolved. */
static bool quoted(struct parser *p, const char **out, size_t *outlen)
{
	char q = p->s[p->pos];
	size_t start = p->pos++;
	char *buf = bw_arena_alloc(p->a, p->len - p->pos + 1);
	size_t n = 0;
	while (p->pos < p->len) {
		char c = p->s[p->pos++];
		if (c == q) {
			buf[n] = '\0';
			*out = buf;
			*outlen = n;
			return true;
		}
		if (c == '\\' && p->pos < p->len && (p->s[p->pos] == q || p->s[p->pos] == '\\')) {
			buf[n++] = p->s[p->pos++];
			continue;
		}
		buf[n++] = c;
	}
	return fail(p, start, "unterminated quoted string");
}

static bool bare_char(char c)
{
	return !is_blank(c) && c != '(' && c != ')' && c != ',' && c != '"' && c != '\'';
}

static bool value(struct parser *p, struct bw_mon_cval *v)
{
	skip(p);
	memset(v, 0, sizeof(*v));
	v->pos = (uint32_t)p->pos;
	if (p->pos < p->len && (p->s[p->pos] == '"' || p->s[p->pos] == '\'')) {
		v->quoted = true;
		return quoted(p, &v->s, &v->len);
	}
	size_t start = p->pos;
	while (p->pos < p->len && bare_char(p->s[p->pos]))
		p->pos++;
	if (p->pos == start)
		return fail(p, start, "expected a value");
	v->s = bw_arena_strndup(p->a, p->s + start, p->pos - start);
	v->len = p->pos - start;
	return true;
}

static bool value_list(struct parser *p, struct bw_mon_cnode *n)
{
	skip(p);
	if (p->pos >= p->len || p->s[p->pos] != '(')
		return fail(p, p->pos, "expected '(' and a list of values");
	p->pos++;
	size_t cap = 0;
	n->list = true;
	if (eof(p))
		return fail(p, p->pos, "unterminated list: expected ')'");
	if (p->s[p->pos] == ')') {
		p->pos++;
		return true;
	}
	for (;;) {
		if (n->nvals == cap) {
			size_t nc = cap ? cap * 2 : 8;
			struct bw_mon_cval *v = bw_arena_alloc(p->a, nc * sizeof(*v));
			if (n->nvals)
				memcpy(v, n->vals, n->nvals * sizeof(*v));
			n->vals = v;
			cap = nc;
		}
		if (!value(p, &n->vals[n->nvals]))
			return false;
		n->nvals++;
		if (eof(p))
			return fail(p, p->pos, "unterminated list: expected ')'");
		char c = p->s[p->pos];
		if (c == ')') {
			p->pos++;
			return true;
		}
		if (c != ',')
			return fail(p, p->pos, "expected ',' or ')' in a list");
		p->pos++;
	}
}

static struct bw_mon_cnode *expr(struct parser *p);

static struct bw_mon_cnode *check(struct parser *p)
{
	skip(p);
	size_t start = p->pos;
	if (p->pos >= p->len)
		return fail(p, start, "unexpected end of condition"), NULL;
	if (!is_alpha(p->s[p->pos]))
		return fail(p, start, "expected a field, a macro, 'not' or '('"), NULL;
	size_t i = p->pos;
	bool dotted = false;
	while (i < p->len && is_ident(p->s[i]))
		i++;
	while (i + 1 < p->len && p->s[i] == '.' && is_ident(p->s[i + 1])) {
		dotted = true;
		i++;
		while (i < p->len && is_ident(p->s[i]))
			i++;
	}
	const char *name = bw_arena_strndup(p->a, p->s + start, i - start);
	p->pos = i;
	if (p->pos < p->len && p->s[p->pos] == '(')
		return fail(p, start, "field transformers and functions are not supported"), NULL;
	if (!dotted) {
		struct bw_mon_cnode *m = node(p, BW_CN_MACRO, start);
		m->ident = name;
		return m;
	}
	struct bw_mon_cnode *n = node(p, BW_CN_CHECK, start);
	n->ident = name;
	if (p->pos < p->len && p->s[p->pos] == '[') {
		size_t astart = ++p->pos;
		if (p->pos < p->len && (p->s[p->pos] == '"' || p->s[p->pos] == '\'')) {
			size_t alen;
			if (!quoted(p, &n->arg, &alen))
				return NULL;
		} else {
			while (p->pos < p->len && p->s[p->pos] != ']' && !is_blank(p->s[p->pos]))
				p->pos++;
			n->arg = bw_arena_strndup(p->a, p->s + astart, p->pos - astart);
		}
		if (p->pos >= p->len || p->s[p->pos] != ']')
			return fail(p, astart, "expected ']' after a field's argument"), NULL;
		p->pos++;
	}
	skip(p);
	size_t opos = p->pos;
	for (size_t k = 0; k < BW_ARRAY_SIZE(cmp_ops); k++) {
		size_t ol = strlen(cmp_ops[k].name);
		if (p->len - p->pos < ol || memcmp(p->s + p->pos, cmp_ops[k].name, ol) != 0)
			continue;
		if (is_alpha(cmp_ops[k].name[0]) && p->pos + ol < p->len && is_ident(p->s[p->pos + ol]))
			continue;
		n->cmp = cmp_ops[k].cmp;
		p->pos += ol;
		if (n->cmp == BW_CMP_EXISTS)
			return n;
		if (n->cmp == BW_CMP_IN || n->cmp == BW_CMP_INTERSECTS || n->cmp == BW_CMP_PMATCH)
			return value_list(p, n) ? n : NULL;
		skip(p);
		if (p->pos < p->len && p->s[p->pos] == '(')
			return fail(p, p->pos, "a list of values needs 'in', 'intersects' or 'pmatch'"), NULL;
		n->vals = bw_arena_alloc(p->a, sizeof(*n->vals));
		n->nvals = 1;
		if (!value(p, &n->vals[0]))
			return NULL;
		if (p->pos + 1 < p->len && p->s[p->pos] == '(' && !n->vals[0].quoted)
			return fail(p, n->vals[0].pos,
				    "field comparisons (val(), transformers) are not supported"),
			       NULL;
		return n;
	}
	return fail(p, opos, "expected a comparison operator after the field"), NULL;
}

static struct bw_mon_cnode *primary(struct parser *p)
{
	if (++p->depth > MAX_DEPTH)
		return fail(p, p->pos, "condition nested too deeply"), NULL;
	struct bw_mon_cnode *r;
	skip(p);
	if (p->pos < p->len && p->s[p->pos] == '(') {
		size_t open = p->pos++;
		r = expr(p);
		if (r && (eof(p) || p->s[p->pos] != ')'))
			r = (fail(p, open, "unbalanced '(': expected ')'"), NULL);
		else if (r)
			p->pos++;
	} else if (keyword(p, "not")) {
		size_t pos = p->pos;
		struct bw_mon_cnode *k = primary(p);
		r = NULL;
		if (k) {
			r = node(p, BW_CN_NOT, pos);
			size_t cap = 0;
			add_kid(p, r, k, &cap);
		}
	} else {
		r = check(p);
	}
	p->depth--;
	return r;
}

static struct bw_mon_cnode *chain(struct parser *p, const char *kw, enum bw_mon_cnode_kind k,
				  struct bw_mon_cnode *(*sub)(struct parser *))
{
	size_t pos = p->pos;
	struct bw_mon_cnode *first = sub(p);
	if (!first)
		return NULL;
	if (!keyword(p, kw))
		return first;
	struct bw_mon_cnode *n = node(p, k, pos);
	size_t cap = 0;
	add_kid(p, n, first, &cap);
	do {
		struct bw_mon_cnode *next = sub(p);
		if (!next)
			return NULL;
		add_kid(p, n, next, &cap);
	} while (keyword(p, kw));
	return n;
}

static struct bw_mon_cnode *and_expr(struct parser *p)
{
	return chain(p, "and", BW_CN_AND, primary);
}

static struct bw_mon_cnode *expr(struct parser *p)
{
	if (++p->depth > MAX_DEPTH)
		return fail(p, p->pos, "condition nested too deeply"), NULL;
	struct bw_mon_cnode *r = chain(p, "or", BW_CN_OR, and_expr);
	p->depth--;
	return r;
}

int bw_mon_cond_parse(struct bw_arena *a, const char *text, size_t len, struct bw_mon_cnode **out,
		      uint32_t *errpos, struct bw_error *err)
{
	struct parser p = {.s = text, .len = len, .a = a, .err = err};
	*out = NULL;
	*errpos = 0;
	if (eof(&p)) {
		*errpos = 0;
		return bw_error_set(err, BW_EUSAGE, "position 0: empty condition");
	}
	struct bw_mon_cnode *n = expr(&p);
	if (n && !eof(&p)) {
		if (p.s[p.pos] == ')')
			fail(&p, p.pos, "unbalanced ')'");
		else
			fail(&p, p.pos, "expected 'and', 'or' or the end of the condition");
		n = NULL;
	}
	if (!n) {
		*errpos = p.errpos;
		return BW_EUSAGE;
	}
	*out = n;
	return 0;
}
