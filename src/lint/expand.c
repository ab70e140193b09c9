/* Variable expansion of instruction arguments, as BuildKit's shell lexer
 * does it (frontend/dockerfile/shell): single quotes are literal, double
 * quotes allow expansion and let the escape character escape only `"`, `$`
 * and itself, an unquoted escape makes the next character literal, and
 * $NAME / ${NAME} / ${NAME<op>word} are replaced from the scope. */
#include <fnmatch.h>

#include "lint-int.h"

struct ex {
	struct bw_arena *a;
	const char *s, *e;
	char esc;
	df_lookup_fn fn;
	void *ud;
	const char **unset;
	size_t n_unset, cap_unset;
	const char **refs;
	size_t n_refs, cap_refs;
	bool dynamic;
	int depth;
	size_t limit; /* of every buffer of this expansion */
	bool over;    /* a buffer reached it: the result is incomplete */
};

static bool name_char(char c, bool first)
{
	return c == '_' || bw_isalpha(c) || (!first && bw_isdigit(c));
}

static void note_unset(struct ex *x, const char *n, size_t len)
{
	for (size_t i = 0; i < x->n_unset; i++)
		if (strlen(x->unset[i]) == len && memcmp(x->unset[i], n, len) == 0)
			return;
	BW_ARENA_GROW(x->a, x->unset, x->n_unset + 1, x->n_unset, x->cap_unset);
	x->unset[x->n_unset++] = bw_arena_strndup(x->a, n, len);
}

static void note_ref(struct ex *x, const char *n, size_t len)
{
	for (size_t i = 0; i < x->n_refs; i++)
		if (strlen(x->refs[i]) == len && memcmp(x->refs[i], n, len) == 0)
			return;
	if (x->n_refs >= 64)
		return;
	BW_ARENA_GROW(x->a, x->refs, x->n_refs + 1, x->n_refs, x->cap_refs);
	x->refs[x->n_refs++] = bw_arena_strndup(x->a, n, len);
}

static const char *lookup(struct ex *x, const char *n, size_t len)
{
	note_ref(x, n, len);
	const char *v = x->fn ? x->fn(x->ud, n, len) : NULL;
	if (!v)
		note_unset(x, n, len);
	return v;
}

static void word(struct ex *x, const char **pp, const char *stop, struct bw_buf *out, bool in_brace);

static void put(struct ex *x, struct bw_buf *b, const void *p, size_t n)
{
	if (bw_buf_add(b, p, n) < 0)
		x->over = true;
}

static void put_str(struct ex *x, struct bw_buf *b, const char *s)
{
	put(x, b, s, strlen(s));
}

/* Remove a prefix/suffix matching a glob pattern; longest when `greedy`. */
static void trim_pattern(struct ex *x, struct bw_buf *out, const char *v, const char *pat, bool suffix,
			 bool greedy)
{
	size_t n = strlen(v);
	char *tmp = bw_malloc(n + 1);
	size_t best = (size_t)-1;
	for (size_t k = 0; k <= n; k++) {
		size_t len = greedy ? n - k : k;
		if (suffix) {
			memcpy(tmp, v + n - len, len);
		} else {
			memcpy(tmp, v, len);
		}
		tmp[len] = 0;
		if (fnmatch(pat, tmp, 0) == 0) {
			best = len;
			break;
		}
	}
	free(tmp);
	if (best == (size_t)-1)
		put_str(x, out, v);
	else if (suffix)
		put(x, out, v, n - best);
	else
		put_str(x, out, v + best);
}

static void dollar(struct ex *x, const char **pp, struct bw_buf *out)
{
	const char *p = *pp; /* after '$' */
	if (p < x->e && *p == '{') {
		p++;
		const char *n0 = p;
		while (p < x->e && name_char(*p, p == n0))
			p++;
		size_t nl = (size_t)(p - n0);
		if (nl == 0 || p >= x->e) {
			/* not a parameter: keep literally */
			put(x, out, "${", 2);
			*pp = n0;
			return;
		}
		const char *v = NULL;
		bool set = false;
		if (*p == '}') {
			v = lookup(x, n0, nl);
			if (v)
				put_str(x, out, v);
			*pp = p + 1;
			return;
		}
		bool colon = false;
		if (*p == ':') {
			colon = true;
			p++;
		}
		char op = p < x->e ? *p : 0;
		if (op == '-' || op == '+' || op == '?' || op == '=') {
			p++;
			struct bw_buf w;
			bw_buf_init(&w, x->limit);
			x->depth++;
			word(x, &p, x->e, &w, true);
			x->depth--;
			if (p < x->e && *p == '}')
				p++;
			note_ref(x, n0, nl);
			v = x->fn ? x->fn(x->ud, n0, nl) : NULL;
			set = v && (!colon || *v);
			if (op == '-' || op == '=' || op == '?')
				put_str(x, out, set ? v : (w.data ? w.data : ""));
			else if (set)
				put(x, out, w.data ? w.data : "", w.len);
			if (!v && op == '?')
				note_unset(x, n0, nl);
			bw_buf_release(&w);
			*pp = p;
			return;
		}
		if (!colon && (op == '#' || op == '%' || op == '/')) {
			bool greedy = p + 1 < x->e && p[1] == op;
			p += greedy ? 2 : 1;
			struct bw_buf pat, rep;
			bw_buf_init(&pat, x->limit);
			bw_buf_init(&rep, x->limit);
			x->depth++;
			if (op == '/') {
				word(x, &p, x->e, &pat, true);
				/* word() stops at '}' only; split on the first '/' */
				char *slash = pat.data ? strchr(pat.data, '/') : NULL;
				if (slash) {
					put_str(x, &rep, slash + 1);
					pat.len = (size_t)(slash - pat.data);
					pat.data[pat.len] = 0;
				}
			} else {
				word(x, &p, x->e, &pat, true);
			}
			x->depth--;
			if (p < x->e && *p == '}')
				p++;
			v = lookup(x, n0, nl);
			const char *vv = v ? v : "";
			const char *pt = pat.data ? pat.data : "";
			if (op == '#')
				trim_pattern(x, out, vv, pt, false, greedy);
			else if (op == '%')
				trim_pattern(x, out, vv, pt, true, greedy);
			else {
				const char *hit = *pt ? strstr(vv, pt) : NULL;
				if (!hit) {
					put_str(x, out, vv);
				} else {
					do {
						put(x, out, vv, (size_t)(hit - vv));
						put(x, out, rep.data ? rep.data : "", rep.len);
						vv = hit + strlen(pt);
					} while (greedy && (hit = strstr(vv, pt)));
					put_str(x, out, vv);
				}
			}
			bw_buf_release(&pat);
			bw_buf_release(&rep);
			*pp = p;
			return;
		}
		/* unsupported modifier: BuildKit rejects it; skip to the brace */
		x->dynamic = true;
		while (p < x->e && *p != '}')
			p++;
		if (p < x->e)
			p++;
		*pp = p;
		return;
	}
	if (p < x->e && name_char(*p, true)) {
		const char *n0 = p;
		while (p < x->e && name_char(*p, false))
			p++;
		const char *v = lookup(x, n0, (size_t)(p - n0));
		if (v)
			put_str(x, out, v);
		*pp = p;
		return;
	}
	put(x, out, "$", 1);
}

/* Expand until `stop`, or an unquoted '}' when in_brace. */
static void word(struct ex *x, const char **pp, const char *stop, struct bw_buf *out, bool in_brace)
{
	const char *p = *pp;
	if (x->depth > 64) {
		x->dynamic = true;
		*pp = stop;
		return;
	}
	while (p < stop) {
		char c = *p;
		if (in_brace && c == '}')
			break;
		if (c == '\'') {
			const char *q = memchr(p + 1, '\'', (size_t)(stop - p - 1));
			if (!q) {
				put(x, out, p + 1, (size_t)(stop - p - 1));
				p = stop;
				break;
			}
			put(x, out, p + 1, (size_t)(q - p - 1));
			p = q + 1;
			continue;
		}
		if (c == '"') {
			p++;
			while (p < stop && *p != '"') {
				if (*p == x->esc && p + 1 < stop &&
				    (p[1] == '"' || p[1] == '$' || p[1] == x->esc)) {
					put(x, out, p + 1, 1);
					p += 2;
					continue;
				}
				if (*p == '$') {
					p++;
					dollar(x, &p, out);
					continue;
				}
				put(x, out, p, 1);
				p++;
			}
			if (p < stop)
				p++;
			continue;
		}
		if (c == x->esc) {
			if (p + 1 < stop)
				put(x, out, p + 1, 1);
			p += 2;
			continue;
		}
		if (c == '$') {
			p++;
			dollar(x, &p, out);
			continue;
		}
		put(x, out, p, 1);
		p++;
	}
	*pp = p > stop ? stop : p;
}

void df_expand(struct bw_arena *a, const char *s, size_t len, char escape, df_lookup_fn fn, void *ud,
	       size_t *budget, struct df_expand_result *out)
{
	struct ex x = {.a = a, .s = s, .e = s + len, .esc = escape, .fn = fn, .ud = ud};
	/* what the expansion may add to the text: what is left of the budget */
	x.limit = BW_LINT_MAX_FILE;
	if (budget && len + *budget < x.limit)
		x.limit = len + *budget;
	struct bw_buf b;
	bw_buf_init(&b, x.limit);
	const char *p = s;
	while (p < x.e) {
		word(&x, &p, x.e, &b, false);
		if (p < x.e) { /* a stray '}' at top level */
			put(&x, &b, p, 1);
			p++;
		}
	}
	out->over_budget = x.over;
	if (x.over) {
		/* past the budget: the text as written, never a truncated value */
		out->value = bw_arena_strndup(a, s, len);
		x.dynamic = true;
	} else {
		out->value = bw_arena_strndup(a, b.data ? b.data : "", b.len);
		if (budget && b.len > len)
			*budget -= b.len - len < *budget ? b.len - len : *budget;
	}
	out->unset = x.unset;
	out->n_unset = x.n_unset;
	out->refs = x.refs;
	out->n_refs = x.n_refs;
	out->dynamic = x.dynamic || x.n_unset > 0;
	bw_buf_release(&b);
}
