/* Debian package versions: [epoch:]upstream_version[-debian_revision]
 * (deb-version(7)). Validity follows dpkg's parseversion(): anything it
 * reports as an error or a warning is invalid here. The order is dpkg's:
 * epochs as integers, then upstream and revision by alternating non-digit
 * runs (letters before non-letters, '~' before everything, even the end)
 * and digit runs (numerically, as strings of any length). No allocation. */
#include <limits.h>

#include "version-int.h"

struct deb_version {
	unsigned long epoch;
	const char *up;
	size_t up_len;
	const char *rev;
	size_t rev_len;
};

/* Bytes allowed after the first character of upstream_version, and in the
 * revision: 1 = upstream only, 2 = both. */
static const unsigned char deb_chars[256] = {
    ['.'] = 2, ['+'] = 2, ['~'] = 2, ['-'] = 1, [':'] = 1, ['0'] = 2, ['1'] = 2, ['2'] = 2, ['3'] = 2,
    ['4'] = 2, ['5'] = 2, ['6'] = 2, ['7'] = 2, ['8'] = 2, ['9'] = 2, ['A'] = 2, ['B'] = 2, ['C'] = 2,
    ['D'] = 2, ['E'] = 2, ['F'] = 2, ['G'] = 2, ['H'] = 2, ['I'] = 2, ['J'] = 2, ['K'] = 2, ['L'] = 2,
    ['M'] = 2, ['N'] = 2, ['O'] = 2, ['P'] = 2, ['Q'] = 2, ['R'] = 2, ['S'] = 2, ['T'] = 2, ['U'] = 2,
    ['V'] = 2, ['W'] = 2, ['X'] = 2, ['Y'] = 2, ['Z'] = 2, ['a'] = 2, ['b'] = 2, ['c'] = 2, ['d'] = 2,
    ['e'] = 2, ['f'] = 2, ['g'] = 2, ['h'] = 2, ['i'] = 2, ['j'] = 2, ['k'] = 2, ['l'] = 2, ['m'] = 2,
    ['n'] = 2, ['o'] = 2, ['p'] = 2, ['q'] = 2, ['r'] = 2, ['s'] = 2, ['t'] = 2, ['u'] = 2, ['v'] = 2,
    ['w'] = 2, ['x'] = 2, ['y'] = 2, ['z'] = 2,
};

/* Parse s into v; NULL on success, else the reason (dpkg's wording). */
static const char *deb_parse_slow(struct bw_slice in, struct deb_version *v)
{
	const char *p = in.ptr, *end = in.ptr + in.len;
	/* dpkg trims blanks (space, tab) at both ends; other white space left
	 * anywhere is an error */
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (p == end)
		return "version string is empty";
	const char *e = end;
	for (const char *t = p; t < end; t++) {
		if (*t == 0)
			return "contains a NUL byte";
		if (bw_isspace((unsigned char)*t))
			return "version string has embedded spaces";
	}
	const char *colon = memchr(p, ':', (size_t)(e - p));
	v->epoch = 0;
	if (colon) {
		/* strtol() semantics: optional sign, then digits */
		const char *q = p;
		bool neg = false;
		if (q < colon && (*q == '+' || *q == '-'))
			neg = *q++ == '-';
		const char *ds = q;
		while (q < colon && bw_isdigit((unsigned char)*q))
			q++;
		if (q == ds)
			return "epoch in version is empty";
		if (q != colon)
			return "epoch in version is not number";
		while (ds < q && *ds == '0')
			ds++;
		if (neg && ds < q)
			return "epoch in version is negative";
		if (bw_vc_digits_cmp(ds, (size_t)(q - ds), "2147483647", 10) > 0)
			return "epoch in version is too big";
		unsigned long ep = 0;
		for (; ds < q; ds++)
			ep = ep * 10 + (unsigned long)(*ds - '0');
		v->epoch = ep;
		p = colon + 1;
		if (p == e)
			return "nothing after colon in version number";
	}
	const char *hyphen = NULL;
	for (const char *t = e; t > p;)
		if (*--t == '-') {
			hyphen = t;
			break;
		}
	if (hyphen) {
		v->up = p;
		v->up_len = (size_t)(hyphen - p);
		v->rev = hyphen + 1;
		v->rev_len = (size_t)(e - hyphen - 1);
		if (!v->rev_len)
			return "revision number is empty";
	} else {
		v->up = p;
		v->up_len = (size_t)(e - p);
		v->rev = e;
		v->rev_len = 0;
	}
	if (!v->up_len)
		return "version number is empty";
	if (!bw_isdigit((unsigned char)v->up[0]))
		return "version number does not start with digit";
	for (size_t i = 1; i < v->up_len; i++)
		if (!deb_chars[(unsigned char)v->up[i]])
			return "invalid character in version number";
	for (size_t i = 0; i < v->rev_len; i++)
		if (deb_chars[(unsigned char)v->rev[i]] != 2)
			return "invalid character in revision number";
	return NULL;
}

/* The common case in one pass: no surrounding blanks, only allowed
 * characters, a small plain epoch. Anything else takes the slow path, which
 * also words the reason. */
/* 1: not allowed anywhere, 2: ':', 4: '-' */
static unsigned char deb_flag(unsigned char c)
{
	return deb_chars[c] == 0 ? 1 : c == ':' ? 2 : c == '-' ? 4 : 0;
}

static const char *deb_parse(struct bw_slice in, struct deb_version *v)
{
	static unsigned char flags[256];
	static int ready; /* filled once; idempotent, so a race is harmless */
	if (__builtin_expect(!ready, 0)) {
		for (int c = 0; c < 256; c++)
			flags[c] = deb_flag((unsigned char)c);
		__atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
	}
	const char *p = in.ptr, *end = in.ptr + in.len;
	unsigned acc = in.len == 0;
	for (size_t i = 0; i < in.len; i++)
		acc |= flags[(unsigned char)p[i]];
	if (acc & 1)
		return deb_parse_slow(in, v);
	const char *colon = NULL, *hyphen = NULL;
	if (acc & 4) {
		const char *t = end;
		while (t > p && *--t != '-')
			if (*t == ':')
				return deb_parse_slow(in, v); /* a ':' in the revision */
		hyphen = t;
	}
	if (acc & 2) {
		colon = memchr(p, ':', in.len);
		if (hyphen && hyphen < colon)
			return deb_parse_slow(in, v);
	}
	v->epoch = 0;
	if (colon) {
		size_t n = (size_t)(colon - p);
		if (n == 0 || n > 9)
			return deb_parse_slow(in, v);
		unsigned long ep = 0;
		for (const char *t = p; t < colon; t++) {
			if (!bw_isdigit((unsigned char)*t))
				return deb_parse_slow(in, v);
			ep = ep * 10 + (unsigned long)(*t - '0');
		}
		v->epoch = ep;
		p = colon + 1;
	}
	if (hyphen) {
		v->up = p;
		v->up_len = (size_t)(hyphen - p);
		v->rev = hyphen + 1;
		v->rev_len = (size_t)(end - hyphen - 1);
		if (!v->rev_len)
			return deb_parse_slow(in, v);
	} else {
		v->up = p;
		v->up_len = (size_t)(end - p);
		v->rev = end;
		v->rev_len = 0;
	}
	if (!v->up_len || !bw_isdigit((unsigned char)v->up[0]))
		return deb_parse_slow(in, v);
	return NULL;
}

static inline int deb_order(int c)
{
	if (bw_isdigit(c))
		return 0;
	if (bw_isalpha(c))
		return c;
	if (c == '~')
		return -1;
	return c + 256;
}

/* Where verrevcmp may start: after the common prefix, backed up to the
 * start of a digit run (digit runs compare as whole numbers). */
static size_t deb_skip_prefix(const char *a, size_t al, const char *b, size_t bl)
{
	size_t n = al < bl ? al : bl, k = 0;
	while (k < n && a[k] == b[k])
		k++;
	while (k > 0 && bw_isdigit((unsigned char)a[k - 1]))
		k--;
	return k;
}

/* dpkg's verrevcmp over slices of valid characters. */
static int deb_verrevcmp(const char *a, size_t al, const char *b, size_t bl)
{
	size_t i = deb_skip_prefix(a, al, b, bl), j = i;
	while (i < al || j < bl) {
		while ((i < al && !bw_isdigit((unsigned char)a[i])) ||
		       (j < bl && !bw_isdigit((unsigned char)b[j]))) {
			int ac = i < al ? deb_order((unsigned char)a[i]) : 0;
			int bc = j < bl ? deb_order((unsigned char)b[j]) : 0;
			if (ac != bc)
				return ac < bc ? -1 : 1;
			i++;
			j++;
		}
		while (i < al && a[i] == '0')
			i++;
		while (j < bl && b[j] == '0')
			j++;
		size_t si = i, sj = j;
		while (i < al && bw_isdigit((unsigned char)a[i]))
			i++;
		while (j < bl && bw_isdigit((unsigned char)b[j]))
			j++;
		size_t na = i - si, nb = j - sj;
		if (na != nb)
			return na < nb ? -1 : 1;
		for (size_t k = 0; k < na; k++)
			if (a[si + k] != b[sj + k])
				return (unsigned char)a[si + k] < (unsigned char)b[sj + k] ? -1 : 1;
	}
	return 0;
}

static int deb_validate(struct bw_slice v, struct bw_error *err)
{
	struct deb_version d;
	const char *why = deb_parse(v, &d);
	return why ? bw_version_invalid(err, "deb", v, why) : 0;
}

static int deb_compare(struct bw_slice a, struct bw_slice b, int *cmp, struct bw_error *err)
{
	struct deb_version x, y;
	const char *why;
	if ((why = deb_parse(a, &x)))
		return bw_version_invalid(err, "deb", a, why);
	if ((why = deb_parse(b, &y)))
		return bw_version_invalid(err, "deb", b, why);
	int r;
	if (x.epoch != y.epoch)
		r = x.epoch < y.epoch ? -1 : 1;
	else if (!(r = deb_verrevcmp(x.up, x.up_len, y.up, y.up_len)))
		r = deb_verrevcmp(x.rev, x.rev_len, y.rev, y.rev_len);
	*cmp = r;
	return 0;
}

static int deb_in_range(struct bw_slice v, struct bw_slice r, bool *in, struct bw_error *err)
{
	return bw_version_simple_range(BW_VERSION_DEB, v, r, in, err);
}

const struct bw_version_ops bw_version_deb_ops = {"deb", deb_validate, deb_compare, deb_in_range};
