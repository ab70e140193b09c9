/* SemVer 2.0.0 (scheme "semver") and node-semver 7 versions (scheme "npm").
 *
 * semver: MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD] exactly as semver.org's
 * grammar; numbers of any size; build metadata ignored for precedence.
 *
 * npm: what node-semver's `new SemVer(v)` accepts: at most 256 UTF-16 code
 * units before trimming ECMAScript white space, an optional leading 'v',
 * MAJOR/MINOR/PATCH at most 2^53-1, and prerelease numbers compared as
 * JavaScript numbers (doubles), as compareIdentifiers() does. */
#include <math.h>

#include "version-int.h"

#define NPM_MAX_LENGTH 256
static const char npm_max_safe[] = "9007199254740991";

/* Length of the ECMAScript white space character at s (UTF-8), or 0. */
static size_t js_space(const unsigned char *s, size_t n)
{
	if (!n)
		return 0;
	if (bw_isspace(s[0]))
		return 1;
	if (n >= 2 && s[0] == 0xc2 && s[1] == 0xa0)
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
	if (s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		return 3;
	return 0;
}

/* Length of the ECMAScript white space character ending at s+n, or 0. */
static size_t js_space_end(const unsigned char *s, size_t n)
{
	for (size_t k = 1; k <= 3 && k <= n; k++)
		if (js_space(s + n - k, k) == k)
			return k;
	return 0;
}

struct bw_slice bw_vc_js_trim(struct bw_slice s)
{
	size_t k;
	while ((k = js_space((const unsigned char *)s.ptr, s.len)))
		s.ptr += k, s.len -= k;
	while ((k = js_space_end((const unsigned char *)s.ptr, s.len)))
		s.len -= k;
	return s;
}

static bool ident_char(int c)
{
	return bw_isalnum(c) || c == '-';
}

/* A numeric identifier: "0" or digits without a leading zero. */
static size_t num_ident(const char *p, const char *end)
{
	if (p >= end || !bw_isdigit((unsigned char)*p))
		return 0;
	if (*p == '0')
		return 1;
	size_t n = 0;
	while (p + n < end && bw_isdigit((unsigned char)p[n]))
		n++;
	return n;
}

static const char *parse_dotted(const char **pp, const char *end, bool pre, struct bw_slice *out)
{
	const char *p = *pp, *start = p;
	for (;;) {
		const char *s = p;
		bool digits_only = true;
		while (p < end && ident_char((unsigned char)*p)) {
			if (!bw_isdigit((unsigned char)*p))
				digits_only = false;
			p++;
		}
		if (p == s)
			return pre ? "empty prerelease identifier" : "empty build identifier";
		if (pre && digits_only && *s == '0' && p - s > 1)
			return "numeric prerelease identifier has a leading zero";
		if (p < end && *p == '.') {
			p++;
			continue;
		}
		break;
	}
	*out = (struct bw_slice){start, (size_t)(p - start)};
	*pp = p;
	return NULL;
}

const char *bw_semver_parse(struct bw_slice in, bool npm, struct bw_semver *out)
{
	memset(out, 0, sizeof *out);
	out->npm = npm;
	if (npm) {
		if (bw_vc_utf16_len(in) > NPM_MAX_LENGTH)
			return "version is longer than 256 characters";
		in = bw_vc_js_trim(in);
	}
	const char *p = in.ptr, *end = in.ptr + in.len;
	if (!in.len)
		return "empty version";
	if (npm && *p == 'v')
		p++;
	struct bw_slice *parts[3] = {&out->major, &out->minor, &out->patch};
	for (int i = 0; i < 3; i++) {
		size_t n = num_ident(p, end);
		if (!n)
			return i == 0 ? "MAJOR is not a number"
				      : (i == 1 ? "MINOR is not a number" : "PATCH is not a number");
		if (p + n < end && bw_isdigit((unsigned char)p[n]))
			return "number has a leading zero";
		*parts[i] = (struct bw_slice){p, n};
		if (npm && bw_vc_digits_cmp(p, n, npm_max_safe, sizeof npm_max_safe - 1) > 0)
			return "number is larger than 2^53-1";
		p += n;
		if (i < 2) {
			if (p >= end || *p != '.')
				return "expected MAJOR.MINOR.PATCH";
			p++;
		}
	}
	const char *why;
	if (p < end && *p == '-') {
		p++;
		if ((why = parse_dotted(&p, end, true, &out->pre)))
			return why;
	}
	if (p < end && *p == '+') {
		p++;
		if ((why = parse_dotted(&p, end, false, &out->build)))
			return why;
	}
	if (p != end)
		return "unexpected character";
	return NULL;
}

/* node-semver: numeric identifiers are JavaScript numbers. Up to 15
 * significant digits doubles are exact; beyond, round as JavaScript does
 * (correctly rounded, like strtod). */
static int npm_num_cmp(struct bw_slice a, struct bw_slice b)
{
	struct bw_slice x = a, y = b;
	while (x.len > 1 && *x.ptr == '0')
		x.ptr++, x.len--;
	while (y.len > 1 && *y.ptr == '0')
		y.ptr++, y.len--;
	if (x.len <= 15 && y.len <= 15)
		return bw_vc_digits_cmp(x.ptr, x.len, y.ptr, y.len);
	char bx[400], by[400];
	if (x.len >= sizeof bx || y.len >= sizeof by) /* beyond 1e308: Infinity */
		return bw_vc_digits_cmp(x.ptr, x.len, y.ptr, y.len) == 0
			   ? 0
			   : (x.len >= sizeof bx && y.len >= sizeof by ? 0 : (x.len > y.len ? 1 : -1));
	memcpy(bx, x.ptr, x.len);
	bx[x.len] = 0;
	memcpy(by, y.ptr, y.len);
	by[y.len] = 0;
	double dx = strtod(bx, NULL), dy = strtod(by, NULL);
	return dx < dy ? -1 : (dx > dy ? 1 : 0);
}

static int ident_cmp(struct bw_slice a, struct bw_slice b, bool npm)
{
	bool an = a.len && bw_vc_all_digits(a), bn = b.len && bw_vc_all_digits(b);
	if (an && bn)
		return npm ? npm_num_cmp(a, b) : bw_vc_digits_cmp(a.ptr, a.len, b.ptr, b.len);
	if (an)
		return -1;
	if (bn)
		return 1;
	return bw_vc_bytes_cmp(a.ptr, a.len, b.ptr, b.len);
}

static struct bw_slice next_ident(struct bw_slice *rest)
{
	const char *dot = memchr(rest->ptr, '.', rest->len);
	struct bw_slice id;
	if (dot) {
		id = (struct bw_slice){rest->ptr, (size_t)(dot - rest->ptr)};
		rest->ptr = dot + 1;
		rest->len -= id.len + 1;
	} else {
		id = *rest;
		rest->ptr += rest->len;
		rest->len = 0;
	}
	return id;
}

int bw_semver_cmp(const struct bw_semver *a, const struct bw_semver *b)
{
	int r;
	if ((r = bw_vc_digits_cmp(a->major.ptr, a->major.len, b->major.ptr, b->major.len)) ||
	    (r = bw_vc_digits_cmp(a->minor.ptr, a->minor.len, b->minor.ptr, b->minor.len)) ||
	    (r = bw_vc_digits_cmp(a->patch.ptr, a->patch.len, b->patch.ptr, b->patch.len)))
		return r;
	if (!a->pre.len || !b->pre.len)
		return (int)(a->pre.len == 0) - (int)(b->pre.len == 0);
	struct bw_slice x = a->pre, y = b->pre;
	bool npm = a->npm || b->npm;
	for (;;) {
		bool xe = x.ptr == a->pre.ptr + a->pre.len && x.len == 0;
		bool ye = y.ptr == b->pre.ptr + b->pre.len && y.len == 0;
		if (xe || ye)
			return (int)!xe - (int)!ye;
		struct bw_slice ix = next_ident(&x), iy = next_ident(&y);
		if (npm && !(ix.len == iy.len && !memcmp(ix.ptr, iy.ptr, ix.len)))
			return ident_cmp(ix, iy, npm); /* node-semver stops at the first unequal pair, even
							  when its numbers round to the same double */
		if ((r = ident_cmp(ix, iy, npm)))
			return r;
	}
}

static int sv_validate(struct bw_slice v, bool npm, struct bw_error *err)
{
	struct bw_semver s;
	const char *why = bw_semver_parse(v, npm, &s);
	return why ? bw_version_invalid(err, npm ? "npm" : "semver", v, why) : 0;
}

static int sv_compare(struct bw_slice a, struct bw_slice b, bool npm, int *cmp, struct bw_error *err)
{
	struct bw_semver x, y;
	const char *why;
	if ((why = bw_semver_parse(a, npm, &x)))
		return bw_version_invalid(err, npm ? "npm" : "semver", a, why);
	if ((why = bw_semver_parse(b, npm, &y)))
		return bw_version_invalid(err, npm ? "npm" : "semver", b, why);
	*cmp = bw_semver_cmp(&x, &y);
	return 0;
}

static int semver_validate(struct bw_slice v, struct bw_error *err)
{
	return sv_validate(v, false, err);
}
static int npm_validate(struct bw_slice v, struct bw_error *err)
{
	return sv_validate(v, true, err);
}
static int semver_compare(struct bw_slice a, struct bw_slice b, int *cmp, struct bw_error *err)
{
	return sv_compare(a, b, false, cmp, err);
}
static int npm_compare(struct bw_slice a, struct bw_slice b, int *cmp, struct bw_error *err)
{
	return sv_compare(a, b, true, cmp, err);
}
static int semver_in_range(struct bw_slice v, struct bw_slice r, bool *in, struct bw_error *err)
{
	return bw_npm_range_eval(v, r, false, false, in, err);
}
static int npm_in_range(struct bw_slice v, struct bw_slice r, bool *in, struct bw_error *err)
{
	return bw_npm_range_eval(v, r, true, false, in, err);
}

const struct bw_version_ops bw_version_semver_ops = {"semver", semver_validate, semver_compare,
						     semver_in_range};
const struct bw_version_ops bw_version_npm_ops = {"npm", npm_validate, npm_compare, npm_in_range};
