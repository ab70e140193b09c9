/* Composer (Packagist) versions and constraints.
 *
 * A version is normalized as Composer's VersionParser does: an optional
 * 'v', up to four numbers (MAJOR of at most 5 digits; missing ones 0), an
 * optional stability (stable, RC, beta/b, alpha/a, patch/pl/p, each with an
 * optional number) and an optional "-dev"; build metadata "+..." dropped;
 * date versions (YYYYMMDD...) are not supported and "dev-branch" names are
 * reported invalid (branches have no order). Normalized versions compare
 * with PHP's version_compare(): dev < alpha = a < beta = b < RC = rc <
 * (number) < pl = p, unknown words lowest; numbers as digit strings.
 *
 * Constraints: "||" (or "|") separates alternatives; ',' or white space
 * joins terms; terms are OP VERSION (>= > <= < != = ==), ^V, ~V, V.*, *,
 * "A - B", or a bare version (exact). As in Composer, ">=V" and "<V" on a
 * version without stability compare against V-dev, and ^ ~ .* - ranges
 * have -dev lower and upper bounds. */
#include "version-int.h"

#define CBUF 512

/* Normalize into out (CBUF bytes): "M.m.p.r[-stab[N]][-dev]". */
static const char *c_normalize(struct bw_slice in, char *out, size_t *olen)
{
	struct bw_slice v = bw_vc_trim(in);
	if (!v.len)
		return "empty version";
	if (v.len >= 4 && bw_vc_ieq((struct bw_slice){v.ptr, 4}, "dev-"))
		return "a branch name (dev-...) has no order";
	const char *plus = memchr(v.ptr, '+', v.len);
	if (plus)
		v.len = (size_t)(plus - v.ptr);
	if (v.len > 200)
		return "version too long";
	size_t i = 0, o = 0;
	if (i < v.len && (v.ptr[i] == 'v' || v.ptr[i] == 'V'))
		i++;
	int nums = 0;
	for (; nums < 4; nums++) {
		if (nums && !(i < v.len && v.ptr[i] == '.' && i + 1 < v.len &&
			      bw_isdigit((unsigned char)v.ptr[i + 1])))
			break;
		if (nums)
			i++, out[o++] = '.';
		size_t s = i;
		while (i < v.len && bw_isdigit((unsigned char)v.ptr[i]))
			i++;
		if (i == s)
			return "expected a number";
		if (nums == 0 && i - s > 5)
			return "major version longer than 5 digits (date versions are not supported)";
		memcpy(out + o, v.ptr + s, i - s);
		o += i - s;
	}
	for (; nums < 4; nums++) {
		memcpy(out + o, ".0", 2);
		o += 2;
	}
	/* modifier: [._-]?(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*)?([.-]?dev)? */
	size_t j = i;
	if (j < v.len && (v.ptr[j] == '.' || v.ptr[j] == '_' || v.ptr[j] == '-'))
		j++;
	static const struct {
		const char *w, *norm;
	} stab[] = {{"stable", ""},  {"beta", "beta"}, {"alpha", "alpha"}, {"patch", "patch"}, {"rc", "RC"},
		    {"pl", "patch"}, {"b", "beta"},    {"a", "alpha"},	   {"p", "patch"}};
	bool matched = false;
	for (size_t k = 0; k < BW_ARRAY_SIZE(stab); k++) {
		size_t wl = strlen(stab[k].w);
		if (j + wl <= v.len && bw_vc_ieq((struct bw_slice){v.ptr + j, wl}, stab[k].w)) {
			/* "dev" must not be read as a stability */
			j += wl;
			size_t s = j;
			size_t e = j;
			while (e < v.len) {
				size_t t = e;
				if (t < v.len && (v.ptr[t] == '.' || v.ptr[t] == '-'))
					t++;
				if (!(t < v.len && bw_isdigit((unsigned char)v.ptr[t])))
					break;
				while (t < v.len && bw_isdigit((unsigned char)v.ptr[t]))
					t++;
				e = t;
			}
			if (stab[k].norm[0]) {
				out[o++] = '-';
				memcpy(out + o, stab[k].norm, strlen(stab[k].norm));
				o += strlen(stab[k].norm);
				/* ltrim('.-') of the number part */
				while (s < e && (v.ptr[s] == '.' || v.ptr[s] == '-'))
					s++;
				memcpy(out + o, v.ptr + s, e - s);
				o += e - s;
			}
			i = e;
			matched = true;
			break;
		}
	}
	(void)matched;
	size_t d = i;
	if (d < v.len && (v.ptr[d] == '.' || v.ptr[d] == '-'))
		d++;
	if (d + 3 <= v.len && bw_vc_ieq((struct bw_slice){v.ptr + d, 3}, "dev")) {
		memcpy(out + o, "-dev", 4);
		o += 4;
		i = d + 3;
	}
	if (i != v.len)
		return "invalid version string";
	out[o] = 0;
	*olen = o;
	return NULL;
}

/* PHP version_compare() over normalized versions */
static int special_form(struct bw_slice t)
{
	static const struct {
		const char *n;
		int v;
	} forms[] = {{"dev", 0}, {"alpha", 1}, {"a", 1}, {"beta", 2}, {"b", 2},
		     {"RC", 3},	 {"rc", 3},    {"#", 4}, {"pl", 5},   {"p", 5}};
	for (size_t i = 0; i < BW_ARRAY_SIZE(forms); i++) {
		size_t n = strlen(forms[i].n);
		if (t.len >= n && !memcmp(t.ptr, forms[i].n, n))
			return forms[i].v;
	}
	return -6;
}

static size_t php_canon(const char *in, size_t n, char *out)
{
	size_t o = 0;
	if (!n)
		return 0;
	char lp = in[0];
	out[o++] = in[0];
	for (size_t i = 1; i < n; i++) {
		char c = in[i];
		bool dig = bw_isdigit((unsigned char)c), ldig = bw_isdigit((unsigned char)lp);
		bool ndig = !dig && c != '.', lndig = !ldig && lp != '.';
		if (c == '-' || c == '_' || c == '+') {
			if (out[o - 1] != '.')
				out[o++] = '.';
		} else if ((lndig && dig) || (ldig && ndig)) {
			if (out[o - 1] != '.')
				out[o++] = '.';
			out[o++] = c;
		} else if (!bw_isalnum((unsigned char)c)) {
			if (out[o - 1] != '.')
				out[o++] = '.';
		} else {
			out[o++] = c;
		}
		lp = c;
	}
	return o;
}

struct ptok {
	struct bw_slice s;
	bool done;
};

static bool php_tok(struct ptok *p, struct bw_slice *t)
{
	if (p->done)
		return false;
	const char *d = memchr(p->s.ptr, '.', p->s.len);
	if (d) {
		*t = (struct bw_slice){p->s.ptr, (size_t)(d - p->s.ptr)};
		p->s.len -= t->len + 1;
		p->s.ptr = d + 1;
	} else {
		*t = p->s;
		p->done = true;
	}
	return true;
}

static int php_cmp_tok(struct bw_slice a, struct bw_slice b)
{
	bool ad = a.len && bw_isdigit((unsigned char)a.ptr[0]),
	     bd = b.len && bw_isdigit((unsigned char)b.ptr[0]);
	if (ad && bd)
		return bw_vc_digits_cmp(a.ptr, a.len, b.ptr, b.len);
	int fa = ad ? 4 : special_form(a), fb = bd ? 4 : special_form(b);
	return bw_vc_sign(fa - fb);
}

static int php_version_compare(const char *a, size_t al, const char *b, size_t bl)
{
	char ca[2 * CBUF], cb[2 * CBUF];
	size_t cl = php_canon(a, al, ca), dl = php_canon(b, bl, cb);
	struct ptok x = {{ca, cl}, cl == 0}, y = {{cb, dl}, dl == 0};
	struct bw_slice p, q;
	for (;;) {
		bool hp = php_tok(&x, &p), hq = php_tok(&y, &q);
		if (hp && hq) {
			int r = php_cmp_tok(p, q);
			if (r)
				return r;
			continue;
		}
		if (hp)
			return p.len && bw_isdigit((unsigned char)p.ptr[0]) ? 1
									    : php_cmp_tok(p, BW_SLICE_C("#"));
		if (hq)
			return q.len && bw_isdigit((unsigned char)q.ptr[0]) ? -1
									    : php_cmp_tok(BW_SLICE_C("#"), q);
		return 0;
	}
}

static int composer_validate(struct bw_slice v, struct bw_error *err)
{
	char buf[CBUF];
	size_t n;
	const char *why = c_normalize(v, buf, &n);
	return why ? bw_version_invalid(err, "composer", v, why) : 0;
}

static int composer_compare(struct bw_slice a, struct bw_slice b, int *cmp, struct bw_error *err)
{
	char x[CBUF], y[CBUF];
	size_t xl, yl;
	const char *why;
	if ((why = c_normalize(a, x, &xl)))
		return bw_version_invalid(err, "composer", a, why);
	if ((why = c_normalize(b, y, &yl)))
		return bw_version_invalid(err, "composer", b, why);
	*cmp = php_version_compare(x, xl, y, yl);
	return 0;
}

/* ---- constraints ------------------------------------------------------- */

struct bound {
	char v[CBUF];
	size_t len;
};

static bool has_stability(const char *v, size_t n)
{
	return memchr(v, '-', n) != NULL;
}

/* write numbers (parts[0..np)) + zeros to 4 parts + suffix */
static void mkver(struct bound *b, const struct bw_slice *parts, int np, int bump, const char *suffix)
{
	size_t o = 0;
	for (int i = 0; i < 4; i++) {
		if (i)
			b->v[o++] = '.';
		if (i < np) {
			struct bw_slice p = parts[i];
			if (i == bump) {
				/* p + 1 */
				char tmp[64];
				size_t n = p.len < 60 ? p.len : 60;
				memcpy(tmp, p.ptr, n);
				size_t k = n;
				while (k > 0 && tmp[k - 1] == '9')
					tmp[--k] = '0';
				if (k > 0) {
					tmp[k - 1]++;
				} else {
					memmove(tmp + 1, tmp, n);
					tmp[0] = '1';
					n++;
				}
				memcpy(b->v + o, tmp, n);
				o += n;
			} else {
				memcpy(b->v + o, p.ptr, p.len);
				o += p.len;
			}
		} else {
			b->v[o++] = '0';
		}
	}
	size_t sl = strlen(suffix);
	memcpy(b->v + o, suffix, sl);
	o += sl;
	b->len = o;
}

static int split_numbers(struct bw_slice v, struct bw_slice *parts, bool *wild)
{
	int np = 0;
	*wild = false;
	size_t i = 0;
	if (i < v.len && (v.ptr[i] == 'v' || v.ptr[i] == 'V'))
		i++;
	while (np < 4 && i < v.len) {
		size_t s = i;
		if (v.ptr[i] == '*' || v.ptr[i] == 'x' || v.ptr[i] == 'X') {
			*wild = true;
			i++;
			break;
		}
		while (i < v.len && bw_isdigit((unsigned char)v.ptr[i]))
			i++;
		if (i == s || i - s > 60)
			return -1;
		parts[np++] = (struct bw_slice){v.ptr + s, i - s};
		if (i < v.len && v.ptr[i] == '.')
			i++;
		else
			break;
	}
	return np;
}

static int term_match(struct bw_slice t, const char *vn, size_t vl, bool *ok, bool *bad)
{
	*bad = false;
	size_t k = 0;
	while (k < t.len && strchr("<>=!^~", t.ptr[k]))
		k++;
	struct bw_slice op = {t.ptr, k};
	struct bw_slice ver = bw_vc_trim((struct bw_slice){t.ptr + k, t.len - k});
	struct bw_slice parts[4];
	bool wild;
	struct bound lo, hi;
	if (!ver.len) {
		*bad = true;
		return 0;
	}
	if (!op.len && (bw_slice_eq(ver, "*") || bw_slice_eq(ver, "x") || bw_slice_eq(ver, "X"))) {
		*ok = true;
		return 0;
	}
	if (bw_slice_eq(op, "^") || bw_slice_eq(op, "~") ||
	    (!op.len &&
	     (ver.ptr[ver.len - 1] == '*' || ver.ptr[ver.len - 1] == 'x' || ver.ptr[ver.len - 1] == 'X'))) {
		int np = split_numbers(ver, parts, &wild);
		if (np <= 0) {
			*bad = true;
			return 0;
		}
		/* the lower bound keeps any stability of the written version */
		char norm[CBUF];
		size_t nl;
		int bump;
		if (wild || !op.len) {
			mkver(&lo, parts, np, -1, "-dev");
			bump = np - 1;
		} else {
			if (c_normalize(ver, norm, &nl)) {
				*bad = true;
				return 0;
			}
			memcpy(lo.v, norm, nl);
			lo.len = nl;
			if (!has_stability(norm, nl)) {
				memcpy(lo.v + nl, "-dev", 4);
				lo.len += 4;
			}
			if (op.ptr[0] == '~')
				bump = np > 1 ? np - 2 : 0;
			else {
				bump = 0;
				while (bump < np - 1 && bw_slice_eq(parts[bump], "0"))
					bump++;
				if (bump == np - 1 && np < 3 && bw_slice_eq(parts[bump], "0"))
					bump = np - 1;
			}
		}
		mkver(&hi, parts, bump + 1, bump, "-dev");
		*ok = php_version_compare(vn, vl, lo.v, lo.len) >= 0 &&
		      php_version_compare(vn, vl, hi.v, hi.len) < 0;
		return 0;
	}
	char norm[CBUF];
	size_t nl;
	if (c_normalize(ver, norm, &nl)) {
		*bad = true;
		return 0;
	}
	if ((bw_slice_eq(op, ">=") || bw_slice_eq(op, "<")) && !has_stability(norm, nl)) {
		memcpy(norm + nl, "-dev", 4);
		nl += 4;
	}
	int c = php_version_compare(vn, vl, norm, nl);
	if (!op.len || bw_slice_eq(op, "=") || bw_slice_eq(op, "=="))
		*ok = c == 0;
	else if (bw_slice_eq(op, "!=") || bw_slice_eq(op, "<>"))
		*ok = c != 0;
	else if (bw_slice_eq(op, ">="))
		*ok = c >= 0;
	else if (bw_slice_eq(op, ">"))
		*ok = c > 0;
	else if (bw_slice_eq(op, "<="))
		*ok = c <= 0;
	else if (bw_slice_eq(op, "<"))
		*ok = c < 0;
	else
		*bad = true;
	return 0;
}

static bool term_sep(int c)
{
	return c == ',' || bw_isspace(c);
}

static int composer_in_range(struct bw_slice v, struct bw_slice range, bool *in, struct bw_error *err)
{
	char vn[CBUF];
	size_t vl;
	const char *why = c_normalize(v, vn, &vl);
	if (why)
		return bw_version_invalid(err, "composer", v, why);
	struct bw_slice r = range.ptr ? range : (struct bw_slice){"", 0};
	bool any = false;
	size_t start = 0;
	for (size_t i = 0; i <= r.len; i++) {
		if (i < r.len && r.ptr[i] != '|')
			continue;
		struct bw_slice alt = bw_vc_trim((struct bw_slice){r.ptr + start, i - start});
		if (i + 1 < r.len && r.ptr[i + 1] == '|')
			i++;
		start = i + 1;
		if (!alt.len)
			return bw_version_bad_range(err, "composer", range, "empty alternative");
		bool all = true;
		/* hyphen range "A - B" */
		const char *hy = NULL;
		for (size_t k = 0; k + 3 <= alt.len; k++)
			if (!memcmp(alt.ptr + k, " - ", 3)) {
				hy = alt.ptr + k;
				break;
			}
		if (hy) {
			struct bw_slice a = bw_vc_trim((struct bw_slice){alt.ptr, (size_t)(hy - alt.ptr)});
			struct bw_slice b =
			    bw_vc_trim((struct bw_slice){hy + 3, alt.len - (size_t)(hy - alt.ptr) - 3});
			char na[CBUF], nb[CBUF];
			size_t la, lb;
			struct bw_slice parts[4];
			bool wild;
			if (c_normalize(a, na, &la) || c_normalize(b, nb, &lb))
				return bw_version_bad_range(err, "composer", range,
							    "invalid version in hyphen range");
			if (!has_stability(na, la))
				memcpy(na + la, "-dev", 4), la += 4;
			int np = split_numbers(b, parts, &wild);
			bool ok = php_version_compare(vn, vl, na, la) >= 0;
			if (np > 0 && np < 3) {
				struct bound hi;
				mkver(&hi, parts, np, np - 1, "-dev");
				ok = ok && php_version_compare(vn, vl, hi.v, hi.len) < 0;
			} else {
				ok = ok && php_version_compare(vn, vl, nb, lb) <= 0;
			}
			any = any || ok;
			continue;
		}
		size_t k = 0;
		int nterms = 0;
		while (k < alt.len) {
			while (k < alt.len && term_sep((unsigned char)alt.ptr[k]))
				k++;
			if (k >= alt.len)
				break;
			size_t s = k;
			while (k < alt.len && strchr("<>=!^~", alt.ptr[k]))
				k++;
			while (k < alt.len && bw_isspace((unsigned char)alt.ptr[k]))
				k++;
			while (k < alt.len && !term_sep((unsigned char)alt.ptr[k]))
				k++;
			bool ok = false, bad = false;
			term_match((struct bw_slice){alt.ptr + s, k - s}, vn, vl, &ok, &bad);
			if (bad)
				return bw_version_bad_range(err, "composer", range, "invalid constraint");
			all = all && ok;
			nterms++;
		}
		any = any || (all && nterms);
	}
	*in = any;
	return 0;
}

const struct bw_version_ops bw_version_composer_ops = {"composer", composer_validate, composer_compare,
						       composer_in_range};
