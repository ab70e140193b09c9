/* RPM versions: [epoch:]version[-release], compared as rpm's labelCompare()
 * does: epochs (default 0), versions and releases each with rpmvercmp(). A
 * version without a release sorts before the same version with any release
 * (labelCompare's rule for a missing value), which keeps the order total.
 *
 * rpmvercmp: ASCII letters and digits form segments, every other byte is a
 * separator, except '~' (sorts before anything, even the end) and '^' (sorts
 * after the end, before anything else). Digit segments compare as numbers
 * of any length and beat letter segments. No allocation. */
#include "version-int.h"

struct rpm_evr {
	struct bw_slice e, v, r;
	bool has_e, has_r;
};

static inline bool rpm_alnum(int c)
{
	return bw_isalnum(c);
}

int bw_rpm_vercmp(struct bw_slice a, struct bw_slice b)
{
	if (a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0)
		return 0;
	const char *p = a.ptr, *pe = a.ptr + a.len;
	const char *q = b.ptr, *qe = b.ptr + b.len;
	for (;;) {
		while (p < pe && !rpm_alnum((unsigned char)*p) && *p != '~' && *p != '^')
			p++;
		while (q < qe && !rpm_alnum((unsigned char)*q) && *q != '~' && *q != '^')
			q++;
		bool pend = p == pe, qend = q == qe;
		if (pend && qend)
			return 0;
		if ((!pend && *p == '~') || (!qend && *q == '~')) {
			if (pend || *p != '~')
				return 1;
			if (qend || *q != '~')
				return -1;
			p++, q++;
			continue;
		}
		if ((!pend && *p == '^') || (!qend && *q == '^')) {
			if (pend)
				return -1;
			if (qend)
				return 1;
			if (*p != '^')
				return 1;
			if (*q != '^')
				return -1;
			p++, q++;
			continue;
		}
		if (pend || qend)
			break;
		const char *ps = p, *qs = q;
		bool num = bw_isdigit((unsigned char)*p);
		if (num) {
			while (p < pe && bw_isdigit((unsigned char)*p))
				p++;
			while (q < qe && bw_isdigit((unsigned char)*q))
				q++;
		} else {
			while (p < pe && bw_isalpha((unsigned char)*p))
				p++;
			while (q < qe && bw_isalpha((unsigned char)*q))
				q++;
		}
		if (q == qs)
			return num ? 1 : -1;
		int r = num ? bw_vc_digits_cmp(ps, (size_t)(p - ps), qs, (size_t)(q - qs))
			    : bw_vc_bytes_cmp(ps, (size_t)(p - ps), qs, (size_t)(q - qs));
		if (r)
			return r;
	}
	return p == pe ? -1 : 1;
}

static const char *rpm_parse(struct bw_slice in, struct rpm_evr *o)
{
	if (!in.len)
		return "empty version";
	for (size_t i = 0; i < in.len; i++) {
		unsigned char c = (unsigned char)in.ptr[i];
		if (c <= 0x20 || c == 0x7f)
			return "control character or white space in version";
	}
	const char *p = in.ptr, *end = in.ptr + in.len;
	const char *colon = memchr(p, ':', in.len);
	o->has_e = false;
	o->e = (struct bw_slice){"0", 1};
	if (colon) {
		if (colon == p)
			return "epoch is empty";
		for (const char *t = p; t < colon; t++)
			if (!bw_isdigit((unsigned char)*t))
				return "epoch is not a number";
		o->has_e = true;
		o->e = (struct bw_slice){p, (size_t)(colon - p)};
		p = colon + 1;
	}
	const char *hyphen = NULL;
	for (const char *t = end; t > p;)
		if (*--t == '-') {
			hyphen = t;
			break;
		}
	if (hyphen) {
		o->v = (struct bw_slice){p, (size_t)(hyphen - p)};
		o->r = (struct bw_slice){hyphen + 1, (size_t)(end - hyphen - 1)};
		o->has_r = true;
		if (!o->r.len)
			return "release is empty";
	} else {
		o->v = (struct bw_slice){p, (size_t)(end - p)};
		o->r = (struct bw_slice){end, 0};
		o->has_r = false;
	}
	if (!o->v.len)
		return "version is empty";
	return NULL;
}

static int rpm_validate(struct bw_slice v, struct bw_error *err)
{
	struct rpm_evr e;
	const char *why = rpm_parse(v, &e);
	return why ? bw_version_invalid(err, "rpm", v, why) : 0;
}

static int rpm_compare(struct bw_slice a, struct bw_slice b, int *cmp, struct bw_error *err)
{
	struct rpm_evr x, y;
	const char *why;
	if ((why = rpm_parse(a, &x)))
		return bw_version_invalid(err, "rpm", a, why);
	if ((why = rpm_parse(b, &y)))
		return bw_version_invalid(err, "rpm", b, why);
	int r = bw_vc_digits_cmp(x.e.ptr, x.e.len, y.e.ptr, y.e.len);
	if (!r)
		r = bw_rpm_vercmp(x.v, y.v);
	if (!r) {
		if (x.has_r && y.has_r)
			r = bw_rpm_vercmp(x.r, y.r);
		else
			r = (int)x.has_r - (int)y.has_r;
	}
	*cmp = r;
	return 0;
}

static int rpm_in_range(struct bw_slice v, struct bw_slice r, bool *in, struct bw_error *err)
{
	return bw_version_simple_range(BW_VERSION_RPM, v, r, in, err);
}

const struct bw_version_ops bw_version_rpm_ops = {"rpm", rpm_validate, rpm_compare, rpm_in_range};
