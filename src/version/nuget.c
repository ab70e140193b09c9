/* NuGet versions (NuGet.Versioning): MAJOR.MINOR[.PATCH[.REVISION]]
 * [-LABEL(.LABEL)*][+METADATA], each number at most 2^31-1 (leading zeros
 * allowed, "01" = 1). Missing numbers are 0; a version without labels is
 * greater than one with; labels compare one by one, numeric ones by value
 * and below alphanumeric ones, alphanumeric ones case-insensitively;
 * metadata is ignored.
 * Ranges: "1.0" (>= 1.0), "[1.0]", "[1.0,2.0)", "(,1.0]", "(1.0,)". */
#include "version-int.h"

struct nuget {
	struct bw_slice num[4];
	size_t n;
	struct bw_slice label;
};

static const char *nuget_parse(struct bw_slice v, struct nuget *o)
{
	memset(o, 0, sizeof *o);
	size_t i = 0;
	for (;;) {
		size_t s = i;
		while (i < v.len && bw_isdigit((unsigned char)v.ptr[i]))
			i++;
		if (i == s)
			return "expected a number";
		struct bw_slice d = {v.ptr + s, i - s};
		if (bw_vc_digits_cmp(d.ptr, d.len, "2147483647", 10) > 0)
			return "number larger than 2147483647";
		if (o->n == 4)
			return "more than four numbers";
		o->num[o->n++] = d;
		if (i < v.len && v.ptr[i] == '.') {
			i++;
			continue;
		}
		break;
	}
	if (o->n < 2)
		return "needs at least MAJOR.MINOR";
	if (i < v.len && v.ptr[i] == '-') {
		size_t s = ++i;
		for (;;) {
			size_t ls = i;
			while (i < v.len && (bw_isalnum((unsigned char)v.ptr[i]) || v.ptr[i] == '-'))
				i++;
			if (i == ls)
				return "empty release label";
			if (i < v.len && v.ptr[i] == '.') {
				i++;
				continue;
			}
			break;
		}
		o->label = (struct bw_slice){v.ptr + s, i - s};
	}
	if (i < v.len && v.ptr[i] == '+') {
		size_t s = ++i;
		while (i < v.len &&
		       (bw_isalnum((unsigned char)v.ptr[i]) || v.ptr[i] == '-' || v.ptr[i] == '.'))
			i++;
		if (i == s)
			return "empty metadata";
	}
	if (i != v.len)
		return "unexpected character";
	return NULL;
}

static int label_cmp(struct bw_slice a, struct bw_slice b)
{
	if (!a.len || !b.len)
		return (int)(a.len == 0) - (int)(b.len == 0);
	for (;;) {
		const char *da = memchr(a.ptr, '.', a.len), *db = memchr(b.ptr, '.', b.len);
		struct bw_slice x = {a.ptr, da ? (size_t)(da - a.ptr) : a.len};
		struct bw_slice y = {b.ptr, db ? (size_t)(db - b.ptr) : b.len};
		bool xn = bw_vc_all_digits(x), yn = bw_vc_all_digits(y);
		int r = 0;
		if (xn && yn) {
			r = bw_vc_digits_cmp(x.ptr, x.len, y.ptr, y.len);
		} else if (xn != yn) {
			r = xn ? -1 : 1;
		} else {
			size_t n = x.len < y.len ? x.len : y.len;
			for (size_t i = 0; i < n && !r; i++)
				r = bw_vc_sign(bw_tolower((unsigned char)x.ptr[i]) -
					       bw_tolower((unsigned char)y.ptr[i]));
			if (!r && x.len != y.len)
				r = x.len < y.len ? -1 : 1;
		}
		if (r)
			return r;
		if (!da || !db)
			return (int)(da != NULL) - (int)(db != NULL);
		a = (struct bw_slice){da + 1, a.len - x.len - 1};
		b = (struct bw_slice){db + 1, b.len - y.len - 1};
	}
}

static int nuget_cmp(const struct nuget *a, const struct nuget *b)
{
	for (size_t i = 0; i < 4; i++) {
		struct bw_slice x = i < a->n ? a->num[i] : (struct bw_slice){"0", 1};
		struct bw_slice y = i < b->n ? b->num[i] : (struct bw_slice){"0", 1};
		int r = bw_vc_digits_cmp(x.ptr, x.len, y.ptr, y.len);
		if (r)
			return r;
	}
	return label_cmp(a->label, b->label);
}

static int nuget_validate(struct bw_slice v, struct bw_error *err)
{
	struct nuget n;
	const char *why = nuget_parse(v, &n);
	return why ? bw_version_invalid(err, "nuget", v, why) : 0;
}

static int nuget_compare(struct bw_slice a, struct bw_slice b, int *cmp, struct bw_error *err)
{
	struct nuget x, y;
	const char *why;
	if ((why = nuget_parse(a, &x)))
		return bw_version_invalid(err, "nuget", a, why);
	if ((why = nuget_parse(b, &y)))
		return bw_version_invalid(err, "nuget", b, why);
	*cmp = nuget_cmp(&x, &y);
	return 0;
}

static int nuget_in_range(struct bw_slice v, struct bw_slice r, bool *in, struct bw_error *err)
{
	int rc, c;
	if ((rc = nuget_validate(v, err)) < 0)
		return rc;
	struct bw_slice t = bw_vc_trim(r);
	if (!t.len)
		return bw_version_bad_range(err, "nuget", r, "empty range");
	if (t.ptr[0] != '[' && t.ptr[0] != '(') {
		if ((rc = nuget_compare(v, t, &c, err)) < 0)
			return rc;
		*in = c >= 0;
		return 0;
	}
	char open = t.ptr[0], close = t.ptr[t.len - 1];
	if (t.len < 2 || (close != ']' && close != ')'))
		return bw_version_bad_range(err, "nuget", r, "unclosed range");
	struct bw_slice body = {t.ptr + 1, t.len - 2};
	const char *comma = memchr(body.ptr, ',', body.len);
	if (!comma) {
		struct bw_slice x = bw_vc_trim(body);
		if (open != '[' || close != ']')
			return bw_version_bad_range(err, "nuget", r, "a single version needs [V]");
		if ((rc = nuget_compare(v, x, &c, err)) < 0)
			return rc;
		*in = c == 0;
		return 0;
	}
	struct bw_slice lo = bw_vc_trim((struct bw_slice){body.ptr, (size_t)(comma - body.ptr)});
	struct bw_slice hi =
	    bw_vc_trim((struct bw_slice){comma + 1, body.len - (size_t)(comma - body.ptr) - 1});
	if (!lo.len && !hi.len)
		return bw_version_bad_range(err, "nuget", r, "a range needs a bound");
	bool ok = true;
	if (lo.len) {
		if ((rc = nuget_compare(v, lo, &c, err)) < 0)
			return rc;
		ok = ok && (open == '[' ? c >= 0 : c > 0);
	}
	if (hi.len) {
		if ((rc = nuget_compare(v, hi, &c, err)) < 0)
			return rc;
		ok = ok && (close == ']' ? c <= 0 : c < 0);
	}
	*in = ok;
	return 0;
}

const struct bw_version_ops bw_version_nuget_ops = {"nuget", nuget_validate, nuget_compare, nuget_in_range};
