/* node-semver ranges (scheme "npm"; scheme "semver" uses the same syntax
 * over strict SemVer versions).
 *
 * node-semver rewrites a range text step by step before it parses the
 * resulting comparators ("<1.2.3", ">=2.0.0-0", ...); the steps decide which
 * odd inputs are accepted, so they are followed here in the same order:
 *   1. trim, collapse white space, split at "||"
 *   2. strip build metadata ("+abc")
 *   3. hyphen ranges "A - B"
 *   4. glue operators to their versions ("> 1" -> ">1", "~ 1" -> "~1")
 *   5. per token: caret, else tilde, else x-range desugaring; drop one '*'
 *   6. ">=0.0.0" means any; every other token must be OP VERSION
 * A range is invalid when any comparator of any alternative is. A version
 * with a prerelease tag satisfies an alternative only if some comparator
 * of it names a prerelease of the same MAJOR.MINOR.PATCH. */
#include "version-int.h"

#define RANGE_BUF_MAX ((size_t)1 << 30)

struct xr {
	struct bw_slice M, m, p, pr;
	bool hM, hm, hp, hpr;
};

static bool npm_ident(int c)
{
	return bw_isalnum(c) || c == '-';
}

static bool is_x(bool has, struct bw_slice s)
{
	return !has || !s.len || (s.len == 1 && (s.ptr[0] == 'x' || s.ptr[0] == 'X' || s.ptr[0] == '*'));
}

/* node-semver matches with "safe" regexes whose repetitions are bounded:
 * \d{0,256} and [a-zA-Z0-9-]{0,250}. Longer runs make its matches fail. */
#define SAFE_DIGITS 256
#define SAFE_IDENT 250

/* XRANGEIDENTIFIER: 0 | [1-9][0-9]* | x | X | * */
static size_t xr_ident(const char *p, const char *end, bool npm)
{
	if (p >= end)
		return 0;
	if (*p == 'x' || *p == 'X' || *p == '*' || *p == '0')
		return 1;
	size_t n = 0;
	if (!bw_isdigit((unsigned char)*p))
		return 0;
	while (p + n < end && bw_isdigit((unsigned char)p[n]))
		n++;
	if (npm && n > SAFE_DIGITS + 1)
		n = SAFE_DIGITS + 1;
	return n;
}

/* A prerelease "-id(.id)*" where each id is alphanumeric-with-a-letter or a
 * number without leading zero. Returns bytes consumed (0: none). */
static size_t xr_pre(const char *p, const char *end, struct bw_slice *pr, bool npm)
{
	if (p >= end || *p != '-')
		return 0;
	const char *q = p + 1, *s0 = q;
	for (;;) {
		const char *s = q;
		bool digits = true;
		while (q < end && npm_ident((unsigned char)*q)) {
			if (!bw_isdigit((unsigned char)*q))
				digits = false;
			q++;
		}
		if (q == s || (digits && *s == '0' && q - s > 1))
			return 0;
		if (npm) {
			size_t lead = 0;
			while (s + lead < q && bw_isdigit((unsigned char)s[lead]))
				lead++;
			if (digits ? (size_t)(q - s) > SAFE_DIGITS + 1
				   : (lead > SAFE_DIGITS || (size_t)(q - s) - lead > SAFE_IDENT + 1))
				return 0;
		}
		if (q < end && *q == '.' && q + 1 < end && npm_ident((unsigned char)q[1])) {
			q++;
			continue;
		}
		break;
	}
	*pr = (struct bw_slice){s0, (size_t)(q - s0)};
	return (size_t)(q - p);
}

static size_t xr_build(const char *p, const char *end, size_t limit)
{
	if (p >= end || *p != '+')
		return 0;
	const char *q = p + 1;
	for (;;) {
		const char *s = q;
		while (q < end && npm_ident((unsigned char)*q) && (size_t)(q - s) < limit)
			q++;
		if (q == s)
			return 0;
		if (q < end && *q == '.' && q + 1 < end && npm_ident((unsigned char)q[1])) {
			q++;
			continue;
		}
		break;
	}
	return (size_t)(q - p);
}

/* Anchored match of [v=\s]*XRANGEPLAIN over all of t. */
static bool xr_match(struct bw_slice t, struct xr *x, bool npm)
{
	memset(x, 0, sizeof *x);
	const char *p = t.ptr, *end = t.ptr + t.len;
	while (p < end && (*p == 'v' || *p == '=' || *p == ' '))
		p++;
	size_t n = xr_ident(p, end, npm);
	if (!n)
		return false;
	x->M = (struct bw_slice){p, n};
	x->hM = true;
	p += n;
	if (p < end && *p == '.' && (n = xr_ident(p + 1, end, npm))) {
		x->m = (struct bw_slice){p + 1, n};
		x->hm = true;
		p += 1 + n;
		if (p < end && *p == '.' && (n = xr_ident(p + 1, end, npm))) {
			x->p = (struct bw_slice){p + 1, n};
			x->hp = true;
			p += 1 + n;
			if ((n = xr_pre(p, end, &x->pr, npm))) {
				x->hpr = true;
				p += n;
			}
			p += xr_build(p, end, npm ? SAFE_IDENT : SIZE_MAX);
		}
	}
	return p == end;
}

/* ---- output helpers ---------------------------------------------------- */

struct out {
	struct bw_buf b;
	bool toobig;
};

static void add(struct out *o, const char *s, size_t n)
{
	if (bw_buf_add(&o->b, s, n) < 0)
		o->toobig = true;
}
static void adds(struct out *o, const char *s)
{
	add(o, s, strlen(s));
}
static void addsl(struct out *o, struct bw_slice s)
{
	add(o, s.ptr, s.len);
}
static void addinc(struct out *o, struct bw_slice d)
{
	/* d + 1 as a decimal string of any length */
	size_t start = o->b.len;
	addsl(o, d);
	if (o->toobig)
		return;
	size_t i = o->b.len;
	while (i > start) {
		i--;
		if (o->b.data[i] == '9') {
			o->b.data[i] = '0';
			continue;
		}
		o->b.data[i]++;
		return;
	}
	/* all nines: prepend a 1 */
	add(o, "0", 1);
	if (o->toobig)
		return;
	memmove(o->b.data + start + 1, o->b.data + start, o->b.len - start - 1);
	o->b.data[start] = '1';
}

/* M.m.p with each part a slice or a literal */
static void ver3(struct out *o, struct bw_slice M, struct bw_slice m, struct bw_slice p)
{
	addsl(o, M);
	adds(o, ".");
	addsl(o, m);
	adds(o, ".");
	addsl(o, p);
}

static const struct bw_slice ZERO = {"0", 1};

static void desugar_caret(struct out *o, const struct xr *x, bool incpr)
{
	const char *z = incpr ? "-0" : "";
	if (is_x(x->hM, x->M))
		return;
	if (is_x(x->hm, x->m)) {
		adds(o, ">="), ver3(o, x->M, ZERO, ZERO), adds(o, z), adds(o, " <");
		addinc(o, x->M), adds(o, ".0.0-0");
	} else if (is_x(x->hp, x->p)) {
		adds(o, ">="), ver3(o, x->M, x->m, ZERO), adds(o, z), adds(o, " <");
		if (bw_slice_eq(x->M, "0"))
			addsl(o, x->M), adds(o, "."), addinc(o, x->m), adds(o, ".0-0");
		else
			addinc(o, x->M), adds(o, ".0.0-0");
	} else {
		adds(o, ">="), ver3(o, x->M, x->m, x->p);
		if (x->hpr)
			adds(o, "-"), addsl(o, x->pr);
		adds(o, " <");
		if (bw_slice_eq(x->M, "0") && bw_slice_eq(x->m, "0"))
			addsl(o, x->M), adds(o, "."), addsl(o, x->m), adds(o, "."), addinc(o, x->p),
			    adds(o, "-0");
		else if (bw_slice_eq(x->M, "0"))
			addsl(o, x->M), adds(o, "."), addinc(o, x->m), adds(o, ".0-0");
		else
			addinc(o, x->M), adds(o, ".0.0-0");
	}
}

static void desugar_tilde(struct out *o, const struct xr *x, bool incpr)
{
	const char *z = incpr ? "-0" : "";
	if (is_x(x->hM, x->M))
		return;
	if (is_x(x->hm, x->m)) {
		adds(o, ">="), ver3(o, x->M, ZERO, ZERO), adds(o, z), adds(o, " <");
		addinc(o, x->M), adds(o, ".0.0-0");
	} else if (is_x(x->hp, x->p)) {
		adds(o, ">="), ver3(o, x->M, x->m, ZERO), adds(o, z), adds(o, " <");
		addsl(o, x->M), adds(o, "."), addinc(o, x->m), adds(o, ".0-0");
	} else {
		adds(o, ">="), ver3(o, x->M, x->m, x->p);
		if (x->hpr)
			adds(o, "-"), addsl(o, x->pr);
		adds(o, " <"), addsl(o, x->M), adds(o, "."), addinc(o, x->m), adds(o, ".0-0");
	}
}

/* x-range with operator gtlt; returns false when the token is left as is */
static bool desugar_xrange(struct out *o, struct bw_slice gtlt, const struct xr *x, bool incpr)
{
	bool xM = is_x(x->hM, x->M), xm = xM || is_x(x->hm, x->m), xp = xm || is_x(x->hp, x->p);
	if ((xM && !is_x(x->hm, x->m)) || (is_x(x->hm, x->m) && x->hp && x->p.len && !is_x(x->hp, x->p)))
		return false;
	if (!xp)
		return false;
	char op[3] = {0};
	memcpy(op, gtlt.ptr, gtlt.len);
	if (strcmp(op, "=") == 0)
		op[0] = 0;
	const char *pr = incpr ? "-0" : "";
	if (xM) {
		adds(o, strcmp(op, ">") == 0 || strcmp(op, "<") == 0 ? "<0.0.0-0" : "*");
	} else if (op[0]) {
		/* bounded x-range: >1.x, <=1.2.x, ... */
		int kind = 0; /* 0 plain, 1 bump major, 2 bump minor */
		if (strcmp(op, ">") == 0) {
			memcpy(op, ">=", 3);
			kind = xm ? 1 : 2;
		} else if (strcmp(op, "<=") == 0) {
			memcpy(op, "<", 2);
			kind = xm ? 1 : 2;
		}
		if (strcmp(op, "<") == 0)
			pr = "-0";
		adds(o, op);
		if (kind == 1)
			addinc(o, x->M), adds(o, ".0.0");
		else if (kind == 2)
			addsl(o, x->M), adds(o, "."), addinc(o, x->m), adds(o, ".0");
		else if (xm)
			addsl(o, x->M), adds(o, ".0.0");
		else
			addsl(o, x->M), adds(o, "."), addsl(o, x->m), adds(o, ".0");
		adds(o, pr);
	} else if (xm) {
		adds(o, ">="), ver3(o, x->M, ZERO, ZERO), adds(o, pr), adds(o, " <"), addinc(o, x->M),
		    adds(o, ".0.0-0");
	} else {
		adds(o, ">="), ver3(o, x->M, x->m, ZERO), adds(o, pr), adds(o, " <"), addsl(o, x->M),
		    adds(o, "."), addinc(o, x->m), adds(o, ".0-0");
	}
	return true;
}

/* One token through carets, tildes, x-ranges and stars. */
static void desugar_token(struct out *o, struct bw_slice t, bool npm, bool incpr)
{
	struct xr x;
	size_t start = o->b.len;
	if (t.len && t.ptr[0] == '^' && xr_match((struct bw_slice){t.ptr + 1, t.len - 1}, &x, npm)) {
		desugar_caret(o, &x, incpr);
	} else if (t.len && t.ptr[0] == '~' &&
		   xr_match((struct bw_slice){t.ptr + 1 + (t.len > 1 && t.ptr[1] == '>'),
					      t.len - 1 - (t.len > 1 && t.ptr[1] == '>')},
			    &x, npm)) {
		desugar_tilde(o, &x, incpr);
	} else {
		size_t g = 0;
		if (g < t.len && (t.ptr[g] == '<' || t.ptr[g] == '>'))
			g++;
		if (g < t.len && t.ptr[g] == '=')
			g++;
		struct bw_slice gtlt = {t.ptr, g};
		struct bw_slice rest = {t.ptr + g, t.len - g};
		if (!xr_match(rest, &x, npm) || !desugar_xrange(o, gtlt, &x, incpr))
			addsl(o, t);
	}
	/* replaceStars: drop the first (<|>)?=?\s?\* of this token's output */
	if (o->toobig)
		return;
	size_t n = o->b.len - start;
	if (!n)
		return;
	char *s = o->b.data + start;
	char *star = memchr(s, '*', n);
	if (star) {
		char *b = star;
		if (b > s && b[-1] == ' ')
			b--;
		if (b > s && b[-1] == '=')
			b--;
		if (b > s && (b[-1] == '<' || b[-1] == '>'))
			b--;
		size_t cut = (size_t)(star + 1 - b);
		memmove(b, star + 1, (size_t)(s + n - star - 1));
		o->b.len -= cut;
		o->b.data[o->b.len] = 0;
	}
}

/* ---- comparators ------------------------------------------------------- */

enum cmp_op { C_EQ, C_LT, C_LE, C_GT, C_GE };

struct comparator {
	enum cmp_op op;
	bool any;
	struct bw_semver v;
};

static bool parse_comparator(struct bw_slice t, bool npm, bool incpr, struct comparator *c)
{
	memset(c, 0, sizeof *c);
	if (!t.len || bw_slice_eq(t, incpr ? ">=0.0.0-0" : ">=0.0.0")) {
		c->any = true;
		return true;
	}
	size_t g = 0;
	c->op = C_EQ;
	if (t.ptr[0] == '<' || t.ptr[0] == '>') {
		c->op = t.ptr[0] == '<' ? C_LT : C_GT;
		g++;
	}
	if (g < t.len && t.ptr[g] == '=') {
		if (c->op == C_LT)
			c->op = C_LE;
		else if (c->op == C_GT)
			c->op = C_GE;
		g++;
	}
	struct bw_slice v = {t.ptr + g, t.len - g};
	if (!v.len)
		return false;
	if (!npm && v.ptr[0] == 'v')
		v.ptr++, v.len--;
	if (npm && v.len && v.ptr[0] != 'v' && !bw_isdigit((unsigned char)v.ptr[0]))
		return false;
	return bw_semver_parse(v, npm, &c->v) == NULL;
}

static bool comparator_test(const struct comparator *c, const struct bw_semver *v)
{
	if (c->any)
		return true;
	int r = bw_semver_cmp(v, &c->v);
	switch (c->op) {
	case C_LT:
		return r < 0;
	case C_LE:
		return r <= 0;
	case C_GT:
		return r > 0;
	case C_GE:
		return r >= 0;
	default:
		return r == 0;
	}
}

static bool same_main(const struct bw_semver *a, const struct bw_semver *b)
{
	return !bw_vc_digits_cmp(a->major.ptr, a->major.len, b->major.ptr, b->major.len) &&
	       !bw_vc_digits_cmp(a->minor.ptr, a->minor.len, b->minor.ptr, b->minor.len) &&
	       !bw_vc_digits_cmp(a->patch.ptr, a->patch.len, b->patch.ptr, b->patch.len);
}

/* ---- the pipeline ------------------------------------------------------ */

/* trim, and collapse runs of white space to one ' ' */
static void collapse(struct out *o, struct bw_slice r)
{
	r = bw_vc_js_trim(r);
	bool sp = false;
	for (size_t i = 0; i < r.len;) {
		size_t k = bw_vc_js_space((const unsigned char *)r.ptr + i, r.len - i);
		if (k) {
			if (!sp)
				add(o, " ", 1);
			sp = true;
			i += k;
			continue;
		}
		sp = false;
		add(o, r.ptr + i, 1);
		i++;
	}
}

static struct bw_slice trim_sp(struct bw_slice s)
{
	while (s.len && s.ptr[0] == ' ')
		s.ptr++, s.len--;
	while (s.len && s.ptr[s.len - 1] == ' ')
		s.len--;
	return s;
}

static void strip_builds(struct out *o, struct bw_slice s)
{
	for (size_t i = 0; i < s.len;) {
		if (s.ptr[i] == '+') {
			size_t n = xr_build(s.ptr + i, s.ptr + s.len, SIZE_MAX);
			if (n) {
				i += n;
				continue;
			}
		}
		add(o, s.ptr + i, 1);
		i++;
	}
}

/* Hyphen range "A - B" over the whole alternative; false if not one. */
static bool hyphen(struct out *o, struct bw_slice s, bool npm, bool incpr)
{
	for (size_t i = 0; i + 3 <= s.len; i++) {
		if (memcmp(s.ptr + i, " - ", 3) != 0)
			continue;
		struct bw_slice a = {s.ptr, i}, b = {s.ptr + i + 3, s.len - i - 3};
		struct xr f, t;
		if (!xr_match(a, &f, npm) || !xr_match(b, &t, npm))
			continue;
		const char *z = incpr ? "-0" : "";
		size_t start = o->b.len;
		if (is_x(f.hM, f.M)) {
		} else if (is_x(f.hm, f.m)) {
			adds(o, ">="), ver3(o, f.M, ZERO, ZERO), adds(o, z);
		} else if (is_x(f.hp, f.p)) {
			adds(o, ">="), ver3(o, f.M, f.m, ZERO), adds(o, z);
		} else if (f.hpr) {
			adds(o, ">="), addsl(o, a);
		} else {
			adds(o, ">="), addsl(o, a), adds(o, z);
		}
		adds(o, " ");
		if (is_x(t.hM, t.M)) {
		} else if (is_x(t.hm, t.m)) {
			adds(o, "<"), addinc(o, t.M), adds(o, ".0.0-0");
		} else if (is_x(t.hp, t.p)) {
			adds(o, "<"), addsl(o, t.M), adds(o, "."), addinc(o, t.m), adds(o, ".0-0");
		} else if (t.hpr) {
			adds(o, "<="), ver3(o, t.M, t.m, t.p), adds(o, "-"), addsl(o, t.pr);
		} else if (incpr) {
			adds(o, "<"), addsl(o, t.M), adds(o, "."), addsl(o, t.m), adds(o, "."),
			    addinc(o, t.p), adds(o, "-0");
		} else {
			adds(o, "<="), addsl(o, b);
		}
		(void)start;
		return true;
	}
	return false;
}

static bool is_vstart(int c)
{
	return bw_isdigit(c) || c == 'x' || c == 'X' || c == '*';
}
static bool is_vprefix(int c)
{
	return c == 'v' || c == '=' || c == ' ';
}

/* node-semver's trimComparatorWhitespace(), which joins an operator to the
 * version after it ("> 1.2.3" -> ">1.2.3"), walking versions the way its
 * regexes would. s holds single spaces only. */
struct tw {
	const char *s;
	size_t n;
};
static int tw_at(const struct tw *t, size_t i)
{
	return i < t->n ? (unsigned char)t->s[i] : 0;
}
static size_t tw_digits(const struct tw *t, size_t i, size_t limit)
{
	size_t e = i;
	while (e - i < limit && bw_isdigit(tw_at(t, e)))
		e++;
	return e;
}
static size_t tw_num(const struct tw *t, size_t i, bool loose)
{
	if (!loose && tw_at(t, i) == '0')
		return i + 1;
	return tw_digits(t, i, loose ? 256 : 257);
}
static size_t tw_pre_ident(const struct tw *t, size_t i, bool loose)
{
	size_t d = tw_digits(t, i, 256);
	int c = tw_at(t, d);
	if (bw_isalpha(c) || c == '-') {
		size_t e = d + 1, limit = e + 250;
		while (e < limit && npm_ident(tw_at(t, e)))
			e++;
		return e;
	}
	return tw_num(t, i, loose);
}
static size_t tw_pre(const struct tw *t, size_t i, bool loose)
{
	bool hy = tw_at(t, i) == '-';
	if (!loose && !hy)
		return i;
	size_t is = i + hy, e = tw_pre_ident(t, is, loose);
	if (e == is) {
		if (!loose || !hy)
			return i;
		e = tw_pre_ident(t, i, loose);
	}
	while (tw_at(t, e) == '.') {
		size_t nx = tw_pre_ident(t, e + 1, loose);
		if (nx == e + 1)
			break;
		e = nx;
	}
	return e;
}
static size_t tw_build_ident(const struct tw *t, size_t i)
{
	size_t e = i;
	while (e - i < 250 && npm_ident(tw_at(t, e)))
		e++;
	return e;
}
static size_t tw_build(const struct tw *t, size_t i)
{
	if (tw_at(t, i) != '+')
		return i;
	size_t e = tw_build_ident(t, i + 1);
	if (e == i + 1)
		return i;
	while (tw_at(t, e) == '.') {
		size_t nx = tw_build_ident(t, e + 1);
		if (nx == e + 1)
			break;
		e = nx;
	}
	return e;
}
static size_t tw_version_end(const struct tw *t, size_t start)
{
	size_t e = start;
	bool full = true;
	for (int c = 0; c < 3 && full; c++) {
		size_t nx = tw_num(t, e, true);
		if (nx == e) {
			full = false;
			break;
		}
		e = nx;
		if (c < 2) {
			if (tw_at(t, e) != '.') {
				full = false;
				break;
			}
			e++;
		}
	}
	if (full)
		return tw_build(t, tw_pre(t, e, true));
	/* partial: up to three components, x, X or * allowed */
	e = bw_isdigit(tw_at(t, start)) ? tw_num(t, start, false) : start + 1;
	for (int c = 0; c < 2; c++) {
		if (tw_at(t, e) != '.')
			return e;
		size_t i = e + 1, nx = bw_isdigit(tw_at(t, i)) ? tw_num(t, i, false)
							       : (is_vstart(tw_at(t, i)) ? i + 1 : i);
		if (nx == i)
			return e;
		e = nx;
	}
	return tw_build(t, tw_pre(t, e, false));
}

static void glue_ops(struct out *o, struct bw_slice s)
{
	struct tw t = {s.ptr, s.len};
	struct out tmp = {0};
	bw_buf_init(&tmp.b, RANGE_BUF_MAX);
	size_t copy = 0, cur = 0;
	while (cur < s.len) {
		size_t ms = cur;
		int c = tw_at(&t, cur);
		if (c == '<' || c == '>') {
			cur++;
		} else if (!is_vprefix(c) && !is_vstart(c)) {
			cur++;
			continue;
		}
		while (cur < s.len && is_vprefix(tw_at(&t, cur)))
			cur++;
		if (!is_vstart(tw_at(&t, cur)))
			continue;
		size_t pos = ms;
		if (tw_at(&t, pos) == ' ')
			pos++;
		if (tw_at(&t, pos) == '<' || tw_at(&t, pos) == '>')
			pos++;
		if (tw_at(&t, pos) == '=')
			pos++;
		if (tw_at(&t, pos) == ' ') {
			add(&tmp, s.ptr + copy, pos - copy);
			copy = pos + 1;
		}
		cur = tw_version_end(&t, cur);
	}
	add(&tmp, s.ptr + copy, s.len - copy);
	/* then "~ " / "~> " -> "~" and "^ " -> "^" */
	const char *p = tmp.b.data ? tmp.b.data : "";
	size_t n = tmp.b.len;
	for (size_t i = 0; i < n; i++) {
		add(o, p + i, 1);
		if (p[i] == '~') {
			if (i + 2 < n && p[i + 1] == '>' && p[i + 2] == ' ')
				i += 2;
			else if (i + 1 < n && p[i + 1] == ' ')
				i += 1;
		} else if (p[i] == '^' && i + 1 < n && p[i + 1] == ' ') {
			i += 1;
		}
	}
	if (tmp.toobig)
		o->toobig = true;
	bw_buf_release(&tmp.b);
}

int bw_npm_range_eval(struct bw_slice v, struct bw_slice range, bool npm, bool incpr, bool *in,
		      struct bw_error *err)
{
	const char *scheme = npm ? "npm" : "semver";
	struct bw_semver ver;
	const char *why = bw_semver_parse(v, npm, &ver);
	if (why)
		return bw_version_invalid(err, scheme, v, why);
	struct out norm = {0}, a = {0}, b = {0}, c = {0}, d = {0};
	bw_buf_init(&norm.b, RANGE_BUF_MAX);
	bw_buf_init(&a.b, RANGE_BUF_MAX);
	bw_buf_init(&b.b, RANGE_BUF_MAX);
	bw_buf_init(&c.b, RANGE_BUF_MAX);
	bw_buf_init(&d.b, RANGE_BUF_MAX);
	int rc = 0;
	bool result = false;
	collapse(&norm, range);
	struct bw_slice all = {norm.b.data ? norm.b.data : "", norm.b.len};
	size_t start = 0;
	for (size_t i = 0; i <= all.len && !rc; i++) {
		if (i < all.len && !(all.ptr[i] == '|' && i + 1 < all.len && all.ptr[i + 1] == '|'))
			continue;
		struct bw_slice alt = trim_sp((struct bw_slice){all.ptr + start, i - start});
		start = i + 2;
		i++;
		bw_buf_reset(&a.b), bw_buf_reset(&b.b), bw_buf_reset(&c.b), bw_buf_reset(&d.b);
		strip_builds(&a, alt);
		struct bw_slice s1 = {a.b.data ? a.b.data : "", a.b.len};
		struct bw_slice s2 = s1;
		if (hyphen(&b, s1, npm, incpr))
			s2 = (struct bw_slice){b.b.data, b.b.len};
		glue_ops(&c, s2);
		struct bw_slice s3 = {c.b.data ? c.b.data : "", c.b.len};
		size_t ts = 0;
		for (size_t k = 0; k <= s3.len; k++) {
			if (k < s3.len && s3.ptr[k] != ' ')
				continue;
			desugar_token(&d, (struct bw_slice){s3.ptr + ts, k - ts}, npm, incpr);
			add(&d, " ", 1);
			ts = k + 1;
		}
		if (a.toobig || b.toobig || c.toobig || d.toobig) {
			rc = bw_version_bad_range(err, scheme, range, "range expands beyond the size limit");
			break;
		}
		/* comparators of this alternative */
		struct bw_slice s4 = {d.b.data, d.b.len};
		bool ok = true, pre_allowed = false;
		size_t ps = 0;
		for (size_t k = 0; k <= s4.len; k++) {
			if (k < s4.len && s4.ptr[k] != ' ')
				continue;
			struct bw_slice piece = {s4.ptr + ps, k - ps};
			ps = k + 1;
			if (!piece.len)
				continue;
			struct comparator cm;
			if (!parse_comparator(piece, npm, incpr, &cm)) {
				rc = bw_version_bad_range(err, scheme, range, "invalid comparator");
				break;
			}
			if (!comparator_test(&cm, &ver))
				ok = false;
			if (!cm.any && cm.v.pre.len && same_main(&cm.v, &ver))
				pre_allowed = true;
		}
		if (ok && ver.pre.len && !incpr && !pre_allowed)
			ok = false;
		result = result || ok;
	}
	bw_buf_release(&norm.b), bw_buf_release(&a.b), bw_buf_release(&b.b), bw_buf_release(&c.b),
	    bw_buf_release(&d.b);
	if (rc)
		return rc;
	*in = result;
	return 0;
}
