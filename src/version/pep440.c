/* PEP 440 versions and specifier sets, as pypa/packaging implements them.
 *
 * A version is [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local] with the
 * spellings packaging accepts (case-insensitive; alpha/beta/c/pre/preview;
 * rev/r/-N posts; '-', '_' or '.' separators; implicit numbers; leading
 * 'v'; surrounding white space). Only ASCII letters are accepted: Python's
 * case-insensitive regex would also take the Kelvin sign for 'k', the long
 * s for 's' and the dotted/dotless i for 'i' (see docs/vercmp.md).
 *
 * Parsing follows the regex's backtracking: a separator that the greedy
 * match takes for one part is given back when the rest would not match.
 * Numbers of any length compare exactly. No allocation. */
#include "version-int.h"

struct pep440 {
	struct bw_slice epoch;	 /* digits, empty = 0 */
	struct bw_slice release; /* "N(.N)*" */
	int pre_l;		 /* 0 none, 1 a, 2 b, 3 rc */
	struct bw_slice pre_n;
	bool has_post;
	struct bw_slice post_n;
	bool has_dev;
	struct bw_slice dev_n;
	struct bw_slice local; /* without '+', empty = none */
	bool has_local;
};

/* Python's str.isspace() characters, UTF-8: length at s or 0 */
static size_t py_space(const unsigned char *s, size_t n)
{
	if (!n)
		return 0;
	if (bw_isspace(s[0]) || (s[0] >= 0x1c && s[0] <= 0x1f))
		return 1;
	if (n >= 2 && s[0] == 0xc2 && (s[1] == 0x85 || s[1] == 0xa0))
		return 2;
	if (n < 3)
		return 0;
	if (s[0] == 0xe1 && s[1] == 0x9a && s[2] == 0x80)
		return 3;
	if (s[0] == 0xe2 && s[1] == 0x80 &&
	    ((s[2] >= 0x80 && s[2] <= 0x8a) || s[2] == 0xa8 || s[2] == 0xa9 || s[2] == 0xaf))
		return 3;
	if (s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f)
		return 3;
	if (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	return 0;
}

static struct bw_slice py_trim(struct bw_slice s)
{
	size_t k;
	while ((k = py_space((const unsigned char *)s.ptr, s.len)))
		s.ptr += k, s.len -= k;
	for (;;) {
		size_t cut = 0;
		for (size_t j = 1; j <= 3 && j <= s.len; j++)
			if (py_space((const unsigned char *)s.ptr + s.len - j, j) == j) {
				cut = j;
				break;
			}
		if (!cut)
			break;
		s.len -= cut;
	}
	return s;
}

static bool is_sep(int c)
{
	return c == '-' || c == '_' || c == '.';
}

struct pm {
	const char *s, *end;
	struct pep440 *v;
};

static size_t digits_at(const struct pm *m, const char *p)
{
	size_t n = 0;
	while (p + n < m->end && bw_isdigit((unsigned char)p[n]))
		n++;
	return n;
}

/* case-insensitive word at p */
static bool word_at(const struct pm *m, const char *p, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(m->end - p) < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (bw_tolower((unsigned char)p[i]) != w[i])
			return false;
	return true;
}

static bool m_local(struct pm *m, const char *p)
{
	if (p == m->end) {
		m->v->has_local = false;
		return true;
	}
	if (*p != '+')
		return false;
	const char *q = p + 1;
	for (;;) {
		const char *s = q;
		while (q < m->end && bw_isalnum((unsigned char)*q))
			q++;
		if (q == s)
			return false;
		if (q < m->end && is_sep((unsigned char)*q)) {
			q++;
			continue;
		}
		break;
	}
	if (q != m->end)
		return false;
	m->v->has_local = true;
	m->v->local = (struct bw_slice){p + 1, (size_t)(q - p - 1)};
	return true;
}

/* [-_.]? WORD [-_.]? N? then the continuation; greedy choices first. */
typedef bool (*cont_fn)(struct pm *m, const char *p);

static bool m_group(struct pm *m, const char *p, const char *const *words, size_t nwords, cont_fn next,
		    int *which, struct bw_slice *num)
{
	for (int s1 = 1; s1 >= 0; s1--) {
		const char *q = p;
		if (s1) {
			if (q >= m->end || !is_sep((unsigned char)*q))
				continue;
			q++;
		}
		for (size_t w = 0; w < nwords; w++) {
			if (!word_at(m, q, words[w]))
				continue;
			const char *r0 = q + strlen(words[w]);
			for (int s2 = 1; s2 >= 0; s2--) {
				const char *r = r0;
				if (s2) {
					if (r >= m->end || !is_sep((unsigned char)*r))
						continue;
					r++;
				}
				size_t nd = digits_at(m, r);
				for (int d = nd ? 1 : 0; d >= 0; d--) {
					const char *e = r + (d ? nd : 0);
					if (next(m, e)) {
						*which = (int)w;
						*num = (struct bw_slice){d ? r : "0", d ? nd : 1};
						return true;
					}
				}
			}
		}
	}
	return false;
}

static bool m_dev(struct pm *m, const char *p)
{
	static const char *const w[] = {"dev"};
	int which;
	if (m_group(m, p, w, 1, m_local, &which, &m->v->dev_n)) {
		m->v->has_dev = true;
		return true;
	}
	m->v->has_dev = false;
	return m_local(m, p);
}

static bool m_post(struct pm *m, const char *p)
{
	/* -N first, then the spelled forms, then no post at all */
	if (p < m->end && *p == '-') {
		size_t nd = digits_at(m, p + 1);
		if (nd && m_dev(m, p + 1 + nd)) {
			m->v->has_post = true;
			m->v->post_n = (struct bw_slice){p + 1, nd};
			return true;
		}
	}
	static const char *const w[] = {"post", "rev", "r"};
	int which;
	if (m_group(m, p, w, 3, m_dev, &which, &m->v->post_n)) {
		m->v->has_post = true;
		return true;
	}
	m->v->has_post = false;
	return m_dev(m, p);
}

static bool m_pre(struct pm *m, const char *p)
{
	static const char *const w[] = {"alpha", "beta", "preview", "pre", "rc", "a", "b", "c"};
	static const int code[] = {1, 2, 3, 3, 3, 1, 2, 3};
	int which = 0;
	if (m_group(m, p, w, 8, m_post, &which, &m->v->pre_n)) {
		m->v->pre_l = code[which];
		return true;
	}
	m->v->pre_l = 0;
	return m_post(m, p);
}

static const char *pep440_parse(struct bw_slice in, struct pep440 *v)
{
	memset(v, 0, sizeof *v);
	in = py_trim(in);
	struct pm m = {in.ptr, in.ptr + in.len, v};
	const char *p = in.ptr;
	if (!in.len)
		return "empty version";
	if (*p == 'v' || *p == 'V')
		p++;
	size_t nd = digits_at(&m, p);
	if (!nd)
		return "does not start with a number";
	if (p + nd < m.end && p[nd] == '!') {
		v->epoch = (struct bw_slice){p, nd};
		p += nd + 1;
		nd = digits_at(&m, p);
		if (!nd)
			return "no release number after the epoch";
	}
	const char *rs = p;
	p += nd;
	while (p + 1 < m.end && *p == '.' && bw_isdigit((unsigned char)p[1]))
		p += 1 + digits_at(&m, p + 1);
	v->release = (struct bw_slice){rs, (size_t)(p - rs)};
	if (!m_pre(&m, p))
		return "not a PEP 440 version";
	return NULL;
}

/* ---- comparison -------------------------------------------------------- */

static struct bw_slice next_part(struct bw_slice *rest, bool (*sep)(int))
{
	size_t i = 0;
	while (i < rest->len && !sep((unsigned char)rest->ptr[i]))
		i++;
	struct bw_slice r = {rest->ptr, i};
	if (i < rest->len)
		i++;
	rest->ptr += i;
	rest->len -= i;
	return r;
}

static bool dot(int c)
{
	return c == '.';
}

static int release_cmp(struct bw_slice a, struct bw_slice b, size_t limit)
{
	/* zero-padded comparison; limit: compare at most this many parts */
	size_t k = 0;
	while ((a.len || b.len) && k < limit) {
		struct bw_slice x = a.len ? next_part(&a, dot) : (struct bw_slice){"0", 1};
		struct bw_slice y = b.len ? next_part(&b, dot) : (struct bw_slice){"0", 1};
		int r = bw_vc_digits_cmp(x.ptr, x.len, y.ptr, y.len);
		if (r)
			return r;
		k++;
	}
	return 0;
}

static size_t count_parts(struct bw_slice s)
{
	size_t n = 1;
	for (size_t i = 0; i < s.len; i++)
		n += s.ptr[i] == '.';
	return n;
}

static int local_cmp(struct bw_slice a, struct bw_slice b)
{
	while (a.len && b.len) {
		struct bw_slice x = next_part(&a, is_sep), y = next_part(&b, is_sep);
		bool xn = bw_vc_all_digits(x), yn = bw_vc_all_digits(y);
		int r;
		if (xn && yn)
			r = bw_vc_digits_cmp(x.ptr, x.len, y.ptr, y.len);
		else if (xn || yn)
			r = xn ? 1 : -1;
		else {
			r = 0;
			size_t n = x.len < y.len ? x.len : y.len;
			for (size_t i = 0; i < n && !r; i++)
				r = bw_vc_sign(bw_tolower((unsigned char)x.ptr[i]) -
					       bw_tolower((unsigned char)y.ptr[i]));
			if (!r && x.len != y.len)
				r = x.len < y.len ? -1 : 1;
		}
		if (r)
			return r;
	}
	return (int)(a.len > 0) - (int)(b.len > 0);
}

static int num_cmp(struct bw_slice a, struct bw_slice b)
{
	return bw_vc_digits_cmp(a.ptr, a.len, b.ptr, b.len);
}

/* compare without local when public_only */
static int pep440_cmp(const struct pep440 *a, const struct pep440 *b, bool public_only)
{
	int r;
	if ((r = num_cmp(a->epoch, b->epoch)) || (r = release_cmp(a->release, b->release, SIZE_MAX)))
		return r;
	/* pre: dev-only releases sort first, no pre sorts last */
	int ka = a->pre_l ? 1 : (!a->has_post && a->has_dev ? 0 : 2);
	int kb = b->pre_l ? 1 : (!b->has_post && b->has_dev ? 0 : 2);
	if (ka != kb)
		return ka < kb ? -1 : 1;
	if (ka == 1) {
		if (a->pre_l != b->pre_l)
			return a->pre_l < b->pre_l ? -1 : 1;
		if ((r = num_cmp(a->pre_n, b->pre_n)))
			return r;
	}
	if (a->has_post != b->has_post)
		return a->has_post ? 1 : -1;
	if (a->has_post && (r = num_cmp(a->post_n, b->post_n)))
		return r;
	if (a->has_dev != b->has_dev)
		return a->has_dev ? -1 : 1;
	if (a->has_dev && (r = num_cmp(a->dev_n, b->dev_n)))
		return r;
	if (public_only)
		return 0;
	if (a->has_local != b->has_local)
		return a->has_local ? 1 : -1;
	return a->has_local ? local_cmp(a->local, b->local) : 0;
}

static bool is_pre(const struct pep440 *v)
{
	return v->pre_l || v->has_dev;
}

static int base_cmp(const struct pep440 *a, const struct pep440 *b)
{
	int r = num_cmp(a->epoch, b->epoch);
	return r ? r : release_cmp(a->release, b->release, SIZE_MAX);
}

static int pypi_validate(struct bw_slice v, struct bw_error *err)
{
	struct pep440 p;
	const char *why = pep440_parse(v, &p);
	return why ? bw_version_invalid(err, "pypi", v, why) : 0;
}

static int pypi_compare(struct bw_slice a, struct bw_slice b, int *cmp, struct bw_error *err)
{
	struct pep440 x, y;
	const char *why;
	if ((why = pep440_parse(a, &x)))
		return bw_version_invalid(err, "pypi", a, why);
	if ((why = pep440_parse(b, &y)))
		return bw_version_invalid(err, "pypi", b, why);
	*cmp = pep440_cmp(&x, &y, false);
	return 0;
}

/* ---- specifiers -------------------------------------------------------- */

enum spec_op { SP_COMPAT, SP_EQ, SP_NE, SP_LE, SP_GE, SP_LT, SP_GT, SP_ARB };

struct spec {
	enum spec_op op;
	bool wildcard;
	struct bw_slice text; /* version text as written (without .*) */
	struct pep440 v;
};

static const char *spec_parse(struct bw_slice s, struct spec *sp)
{
	static const struct {
		const char *t;
		enum spec_op op;
	} ops[] = {{"===", SP_ARB}, {"~=", SP_COMPAT}, {"==", SP_EQ}, {"!=", SP_NE},
		   {"<=", SP_LE},   {">=", SP_GE},     {"<", SP_LT},  {">", SP_GT}};
	memset(sp, 0, sizeof *sp);
	s = py_trim(s);
	size_t i;
	for (i = 0; i < BW_ARRAY_SIZE(ops); i++)
		if (s.len >= strlen(ops[i].t) && !memcmp(s.ptr, ops[i].t, strlen(ops[i].t)))
			break;
	if (i == BW_ARRAY_SIZE(ops))
		return "no operator";
	sp->op = ops[i].op;
	struct bw_slice v = py_trim((struct bw_slice){s.ptr + strlen(ops[i].t), s.len - strlen(ops[i].t)});
	sp->text = v;
	if (sp->op == SP_ARB) {
		for (size_t k = 0; k < v.len; k++)
			if (v.ptr[k] == ';' || v.ptr[k] == ')' ||
			    py_space((const unsigned char *)v.ptr + k, v.len - k))
				return "invalid character in arbitrary version";
		return NULL;
	}
	if ((sp->op == SP_EQ || sp->op == SP_NE) && v.len >= 2 && v.ptr[v.len - 2] == '.' &&
	    v.ptr[v.len - 1] == '*') {
		sp->wildcard = true;
		v.len -= 2;
		sp->text = v;
	}
	for (size_t k = 0; k < v.len; k++)
		if (py_space((const unsigned char *)v.ptr + k, v.len - k))
			return "white space inside the version";
	if (pep440_parse(v, &sp->v))
		return "invalid version";
	if (sp->wildcard && (sp->v.pre_l || sp->v.has_post || sp->v.has_dev || sp->v.has_local))
		return "'.*' only follows a release number";
	if (sp->op != SP_EQ && sp->op != SP_NE && sp->v.has_local)
		return "local version label with an ordering operator";
	if (sp->op == SP_COMPAT && count_parts(sp->v.release) < 2)
		return "'~=' needs at least two release numbers";
	return NULL;
}

static struct bw_slice no_leading_zeros(struct bw_slice n)
{
	while (n.len > 1 && n.ptr[0] == '0')
		n.ptr++, n.len--;
	return n;
}

static void put_number(struct bw_buf *out, const char *label, struct bw_slice n)
{
	n = no_leading_zeros(n);
	bw_buf_addstr(out, label);
	bw_buf_add(out, n.ptr, n.len);
}

/* Render str(Version) lowercased into out (for ===). */
static void render(const struct pep440 *v, struct bw_buf *out)
{
	struct bw_slice e = no_leading_zeros(v->epoch);
	if (e.len && !(e.len == 1 && e.ptr[0] == '0')) {
		bw_buf_add(out, e.ptr, e.len);
		bw_buf_add(out, "!", 1);
	}
	struct bw_slice r = v->release;
	bool first = true;
	while (r.len) {
		put_number(out, first ? "" : ".", next_part(&r, dot));
		first = false;
	}
	if (v->pre_l)
		put_number(out, v->pre_l == 1 ? "a" : v->pre_l == 2 ? "b" : "rc", v->pre_n);
	if (v->has_post)
		put_number(out, ".post", v->post_n);
	if (v->has_dev)
		put_number(out, ".dev", v->dev_n);
	if (v->has_local) {
		bw_buf_add(out, "+", 1);
		struct bw_slice l = v->local;
		first = true;
		while (l.len) {
			struct bw_slice x = next_part(&l, is_sep);
			if (bw_vc_all_digits(x))
				x = no_leading_zeros(x);
			if (!first)
				bw_buf_add(out, ".", 1);
			for (size_t i = 0; i < x.len; i++) {
				char c = (char)bw_tolower((unsigned char)x.ptr[i]);
				bw_buf_add(out, &c, 1);
			}
			first = false;
		}
	}
}

static bool spec_match(const struct spec *sp, struct bw_slice raw, const struct pep440 *p)
{
	switch (sp->op) {
	case SP_ARB: {
		struct bw_buf b;
		bw_buf_init(&b, (size_t)1 << 30);
		render(p, &b);
		bool eq = b.len == sp->text.len;
		for (size_t i = 0; eq && i < b.len; i++)
			eq = b.data[i] == bw_tolower((unsigned char)sp->text.ptr[i]);
		bw_buf_release(&b);
		(void)raw;
		return eq;
	}
	case SP_EQ:
	case SP_NE: {
		bool eq;
		if (sp->wildcard)
			eq = !num_cmp(p->epoch, sp->v.epoch) &&
			     !release_cmp(p->release, sp->v.release, count_parts(sp->v.release));
		else
			eq = !pep440_cmp(p, &sp->v, !sp->v.has_local);
		return sp->op == SP_EQ ? eq : !eq;
	}
	case SP_LE:
		return pep440_cmp(p, &sp->v, true) <= 0;
	case SP_GE:
		return pep440_cmp(p, &sp->v, true) >= 0;
	case SP_LT:
		if (pep440_cmp(p, &sp->v, false) >= 0)
			return false;
		if (!is_pre(&sp->v) && is_pre(p) && !base_cmp(p, &sp->v))
			return false;
		return true;
	case SP_GT:
		if (pep440_cmp(p, &sp->v, false) <= 0)
			return false;
		if (!sp->v.has_post && p->has_post && !base_cmp(p, &sp->v))
			return false;
		if (p->has_local && !pep440_cmp(p, &sp->v, true))
			return false;
		return true;
	case SP_COMPAT: {
		if (pep440_cmp(p, &sp->v, true) < 0)
			return false;
		size_t n = count_parts(sp->v.release) - 1;
		return !num_cmp(p->epoch, sp->v.epoch) && !release_cmp(p->release, sp->v.release, n);
	}
	}
	return false;
}

/* Does this specifier name a pre-release (packaging's Specifier.prereleases)? */
static bool spec_implies_pre(const struct spec *sp)
{
	switch (sp->op) {
	case SP_EQ:
		return !sp->wildcard && is_pre(&sp->v);
	case SP_GE:
	case SP_LE:
	case SP_COMPAT:
		return is_pre(&sp->v);
	case SP_ARB: {
		struct pep440 v;
		return !pep440_parse(sp->text, &v) && is_pre(&v);
	}
	default:
		return false;
	}
}

int bw_pep440_in_specifiers(struct bw_slice v, struct bw_slice specs, int prereleases, bool *in,
			    struct bw_error *err)
{
	struct pep440 p;
	const char *why = pep440_parse(v, &p);
	if (why)
		return bw_version_invalid(err, "pypi", v, why);
	if (!specs.ptr)
		specs = (struct bw_slice){"", 0};
	/* first pass: validate every specifier and find the pre-release policy */
	bool any_spec = false, implies_pre = false;
	struct bw_slice rest = specs;
	for (;;) {
		const char *comma = memchr(rest.ptr, ',', rest.len);
		struct bw_slice one = {rest.ptr, comma ? (size_t)(comma - rest.ptr) : rest.len};
		struct bw_slice t = py_trim(one);
		if (t.len) {
			struct spec sp;
			if ((why = spec_parse(t, &sp)))
				return bw_version_bad_range(err, "pypi", specs, why);
			any_spec = true;
			implies_pre = implies_pre || spec_implies_pre(&sp);
		}
		if (!comma)
			break;
		rest = (struct bw_slice){comma + 1, rest.len - one.len - 1};
	}
	bool allow_pre = prereleases < 0 ? (any_spec && implies_pre) : prereleases > 0;
	if (is_pre(&p) && !allow_pre) {
		*in = false;
		return 0;
	}
	bool all = true;
	rest = specs;
	for (;;) {
		const char *comma = memchr(rest.ptr, ',', rest.len);
		struct bw_slice one = {rest.ptr, comma ? (size_t)(comma - rest.ptr) : rest.len};
		struct bw_slice t = py_trim(one);
		if (t.len) {
			struct spec sp;
			spec_parse(t, &sp);
			all = all && spec_match(&sp, v, &p);
		}
		if (!comma)
			break;
		rest = (struct bw_slice){comma + 1, rest.len - one.len - 1};
	}
	*in = all;
	return 0;
}

static int pypi_in_range(struct bw_slice v, struct bw_slice r, bool *in, struct bw_error *err)
{
	return bw_pep440_in_specifiers(v, r, -1, in, err);
}

const struct bw_version_ops bw_version_pypi_ops = {"pypi", pypi_validate, pypi_compare, pypi_in_range};

size_t bw_version_pep503_name(const char *name, size_t len, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (is_sep(c)) {
			if (i == 0 || !is_sep(name[i - 1]))
				out[o++] = '-'; /* the first of a run */
			continue;
		}
		out[o++] = (char)bw_tolower(c);
	}
	out[o] = '\0';
	return o;
}
