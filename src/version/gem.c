/* RubyGems versions (Gem::Version): digits, then dot-separated
 * alphanumeric segments, optionally "-pre.release" ('-' means ".pre.").
 * Segments are runs of digits (numbers) or letters (strings, compared
 * case-sensitively); trailing zeros of the numeric part and of the string
 * part are dropped; a string sorts before a number (1.0.a < 1.0). Surrounding
 * white space is ignored and an empty version is "0", as in RubyGems.
 * Requirements: "OP V" terms (= != > < >= <= ~>) joined by ','. */
#include "version-int.h"

static bool gem_valid(struct bw_slice v, struct bw_slice *core)
{
	v = bw_vc_trim(v);
	*core = v;
	if (!v.len)
		return true;
	size_t i = 0;
	if (!bw_isdigit((unsigned char)v.ptr[0]))
		return false;
	while (i < v.len && bw_isdigit((unsigned char)v.ptr[i]))
		i++;
	while (i < v.len && v.ptr[i] == '.') {
		size_t s = ++i;
		while (i < v.len && bw_isalnum((unsigned char)v.ptr[i]))
			i++;
		if (i == s)
			return false;
	}
	if (i < v.len && v.ptr[i] == '-') {
		for (;;) {
			size_t s = ++i;
			while (i < v.len && (bw_isalnum((unsigned char)v.ptr[i]) || v.ptr[i] == '-'))
				i++;
			if (i == s)
				return false;
			if (i < v.len && v.ptr[i] == '.')
				continue;
			break;
		}
	}
	return i == v.len;
}

/* Segments of a valid version: numbers and letter runs; '-' reads as
 * ".pre.". Up to max segments into seg[]; returns the count. */
struct gseg {
	struct bw_slice s;
	bool num;
};

static size_t gem_segments(struct bw_slice v, struct gseg *seg, size_t max, bool *truncated)
{
	size_t n = 0;
	*truncated = false;
	for (size_t i = 0; i < v.len;) {
		unsigned char c = (unsigned char)v.ptr[i];
		if (c == '-') {
			if (n < max)
				seg[n] = (struct gseg){BW_SLICE_C("pre"), false};
			else
				*truncated = true;
			n++;
			i++;
			continue;
		}
		if (!bw_isalnum(c)) {
			i++;
			continue;
		}
		size_t s = i;
		bool num = bw_isdigit(c);
		while (i < v.len &&
		       (num ? bw_isdigit((unsigned char)v.ptr[i]) : bw_isalpha((unsigned char)v.ptr[i])))
			i++;
		if (n < max)
			seg[n] = (struct gseg){{v.ptr + s, i - s}, num};
		else
			*truncated = true;
		n++;
	}
	return n;
}

static bool gzero(const struct gseg *g)
{
	if (!g->num)
		return false;
	for (size_t i = 0; i < g->s.len; i++)
		if (g->s.ptr[i] != '0')
			return false;
	return true;
}

/* canonical_segments: drop trailing zeros of the numeric part and of the
 * string part (in place); returns the new count */
static size_t gem_canonical(struct gseg *seg, size_t n)
{
	size_t ss = 0;
	while (ss < n && seg[ss].num)
		ss++;
	size_t ne = ss;
	while (ne > 0 && gzero(&seg[ne - 1]))
		ne--;
	size_t se = n;
	while (se > ss && gzero(&seg[se - 1]))
		se--;
	if (ne != ss)
		memmove(seg + ne, seg + ss, (se - ss) * sizeof *seg);
	return ne + (se - ss);
}

static int gem_cmp_core(struct bw_slice a, struct bw_slice b, int *cmp)
{
	bool t;
	size_t ca = gem_segments(a, NULL, 0, &t), cb = gem_segments(b, NULL, 0, &t);
	struct gseg *x = bw_malloc((ca + cb + 2) * sizeof *x), *y = x + ca + 1;
	size_t nx = gem_canonical(x, gem_segments(a, x, ca, &t));
	size_t ny = gem_canonical(y, gem_segments(b, y, cb, &t));
	int r = 0;
	for (size_t i = 0; i < nx || i < ny; i++) {
		struct gseg l = i < nx ? x[i] : (struct gseg){BW_SLICE_C("0"), true};
		struct gseg rr = i < ny ? y[i] : (struct gseg){BW_SLICE_C("0"), true};
		if (l.num && rr.num)
			r = bw_vc_digits_cmp(l.s.ptr, l.s.len, rr.s.ptr, rr.s.len);
		else if (l.num != rr.num)
			r = l.num ? 1 : -1;
		else
			r = bw_vc_bytes_cmp(l.s.ptr, l.s.len, rr.s.ptr, rr.s.len);
		if (r)
			break;
	}
	free(x);
	*cmp = r;
	return 0;
}

static int gem_validate(struct bw_slice v, struct bw_error *err)
{
	struct bw_slice c;
	if (!gem_valid(v, &c))
		return bw_version_invalid(err, "gem", v, "malformed version number string");
	return 0;
}

static int gem_compare(struct bw_slice a, struct bw_slice b, int *cmp, struct bw_error *err)
{
	struct bw_slice x, y;
	if (!gem_valid(a, &x))
		return bw_version_invalid(err, "gem", a, "malformed version number string");
	if (!gem_valid(b, &y))
		return bw_version_invalid(err, "gem", b, "malformed version number string");
	return gem_cmp_core(x, y, cmp);
}

/* ~> V: v >= V and v.release < V.bump */
static int gem_pessimistic(struct bw_slice v, struct bw_slice r, bool *ok)
{
	int c;
	if (gem_cmp_core(v, r, &c) < 0)
		return -1;
	if (c < 0) {
		*ok = false;
		return 0;
	}
	struct gseg seg[256];
	bool t;
	size_t n = gem_segments(r, seg, 256, &t);
	if (n > 256)
		return -1;
	while (n > 0) { /* drop everything from the first string on */
		size_t k = 0;
		while (k < n && seg[k].num)
			k++;
		if (k == n)
			break;
		n = k;
	}
	if (n > 1)
		n--;
	if (t || n == 0)
		return -1;
	/* bump: last numeric segment + 1 */
	char buf[4096];
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (o + seg[i].s.len + 3 >= sizeof buf)
			return -1;
		if (i)
			buf[o++] = '.';
		memcpy(buf + o, seg[i].s.ptr, seg[i].s.len);
		o += seg[i].s.len;
	}
	size_t k = o;
	while (k > 0 && buf[k - 1] == '9')
		buf[--k] = '0';
	if (k > 0 && buf[k - 1] != '.') {
		buf[k - 1]++;
	} else {
		memmove(buf + k + 1, buf + k, o - k);
		buf[k] = '1';
		o++;
	}
	/* v.release: v without its prerelease part */
	struct gseg vs[256];
	size_t vn = gem_segments(v, vs, 256, &t);
	if (vn > 256)
		vn = 256;
	size_t vk = 0;
	while (vk < vn && vs[vk].num)
		vk++;
	struct bw_slice vrel = v;
	if (vk < vn) {
		const char *end = vs[vk].s.ptr;
		if (vs[vk].s.ptr[0] == 'p' && vs[vk].s.len == 3 && !memcmp(vs[vk].s.ptr, "pre", 3) &&
		    (end < v.ptr || end >= v.ptr + v.len))
			end = v.ptr + v.len;
		vrel = (struct bw_slice){v.ptr, (size_t)(end - v.ptr)};
		while (vrel.len && !bw_isdigit((unsigned char)vrel.ptr[vrel.len - 1]))
			vrel.len--;
	}
	if (gem_cmp_core(vrel, (struct bw_slice){buf, o}, &c) < 0)
		return -1;
	*ok = c < 0;
	return 0;
}

static int gem_in_range(struct bw_slice v, struct bw_slice range, bool *in, struct bw_error *err)
{
	struct bw_slice vc;
	if (!gem_valid(v, &vc))
		return bw_version_invalid(err, "gem", v, "malformed version number string");
	bool all = true;
	int nterms = 0;
	struct bw_slice rest = range.ptr ? range : (struct bw_slice){"", 0};
	for (;;) {
		const char *comma = memchr(rest.ptr, ',', rest.len);
		struct bw_slice t =
		    bw_vc_trim((struct bw_slice){rest.ptr, comma ? (size_t)(comma - rest.ptr) : rest.len});
		size_t k = 0;
		while (k < t.len && strchr("=!<>~", t.ptr[k]))
			k++;
		struct bw_slice op = {t.ptr, k};
		struct bw_slice rv = bw_vc_trim((struct bw_slice){t.ptr + k, t.len - k});
		struct bw_slice rc;
		if (!t.len || !rv.len || !gem_valid(rv, &rc))
			return bw_version_bad_range(err, "gem", range, "illformed requirement");
		int c;
		bool ok;
		if (bw_slice_eq(op, "~>")) {
			if (gem_pessimistic(vc, rc, &ok) < 0)
				return bw_version_bad_range(err, "gem", range, "cannot bump this version");
		} else {
			if (gem_cmp_core(vc, rc, &c) < 0)
				return bw_version_bad_range(err, "gem", range, "too many segments");
			if (!op.len || bw_slice_eq(op, "="))
				ok = c == 0;
			else if (bw_slice_eq(op, "!="))
				ok = c != 0;
			else if (bw_slice_eq(op, ">"))
				ok = c > 0;
			else if (bw_slice_eq(op, "<"))
				ok = c < 0;
			else if (bw_slice_eq(op, ">="))
				ok = c >= 0;
			else if (bw_slice_eq(op, "<="))
				ok = c <= 0;
			else
				return bw_version_bad_range(err, "gem", range, "unknown operator");
		}
		all = all && ok;
		nterms++;
		if (!comma)
			break;
		rest = (struct bw_slice){comma + 1, rest.len - (size_t)(comma - rest.ptr) - 1};
	}
	*in = all && nterms;
	return 0;
}

const struct bw_version_ops bw_version_gem_ops = {"gem", gem_validate, gem_compare, gem_in_range};
