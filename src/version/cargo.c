/* crates.io versions (Rust's semver crate): strict SemVer 2.0; like the
 * crate, build metadata breaks ties after precedence (1.0.0+a < 1.0.0+b),
 * so the order stays total.
 *
 * Requirements (semver::VersionReq): comparators joined by ',', each
 * [OP]PARTIAL with OP one of = > >= < <= ~ ^ (none = ^) and PARTIAL
 * MAJOR[.MINOR[.PATCH[-PRE]]] with '*', 'x' or 'X' wildcards. A version
 * with a prerelease matches only when some comparator names a prerelease
 * of the same MAJOR.MINOR.PATCH. Used for "go" ranges too. */
#include "version-int.h"

static int build_cmp(struct bw_slice a, struct bw_slice b)
{
	while (a.len && b.len) {
		const char *da = memchr(a.ptr, '.', a.len), *db = memchr(b.ptr, '.', b.len);
		struct bw_slice x = {a.ptr, da ? (size_t)(da - a.ptr) : a.len};
		struct bw_slice y = {b.ptr, db ? (size_t)(db - b.ptr) : b.len};
		bool xn = bw_vc_all_digits(x), yn = bw_vc_all_digits(y);
		int r;
		if (xn && yn) {
			r = bw_vc_digits_cmp(x.ptr, x.len, y.ptr, y.len);
			if (!r && x.len != y.len)
				r = x.len < y.len ? -1 : 1;
		} else if (xn != yn) {
			r = xn ? -1 : 1;
		} else {
			r = bw_vc_bytes_cmp(x.ptr, x.len, y.ptr, y.len);
		}
		if (r)
			return r;
		a = da ? (struct bw_slice){da + 1, a.len - x.len - 1} : (struct bw_slice){a.ptr + a.len, 0};
		b = db ? (struct bw_slice){db + 1, b.len - y.len - 1} : (struct bw_slice){b.ptr + b.len, 0};
		if (!da || !db)
			return (int)(da != NULL) - (int)(db != NULL);
	}
	return (int)(a.len > 0) - (int)(b.len > 0);
}

static int cargo_validate(struct bw_slice v, struct bw_error *err)
{
	struct bw_semver s;
	const char *why = bw_semver_parse(v, false, &s);
	return why ? bw_version_invalid(err, "cargo", v, why) : 0;
}

static int cargo_compare(struct bw_slice a, struct bw_slice b, int *cmp, struct bw_error *err)
{
	struct bw_semver x, y;
	const char *why;
	if ((why = bw_semver_parse(a, false, &x)))
		return bw_version_invalid(err, "cargo", a, why);
	if ((why = bw_semver_parse(b, false, &y)))
		return bw_version_invalid(err, "cargo", b, why);
	int r = bw_semver_cmp(&x, &y);
	if (!r)
		r = build_cmp(x.build, y.build);
	*cmp = r;
	return 0;
}

/* ---- requirements ------------------------------------------------------ */

enum req_op { R_EXACT, R_GT, R_GE, R_LT, R_LE, R_TILDE, R_CARET, R_WILD };

struct req {
	enum req_op op;
	struct bw_slice major, minor, patch, pre;
	bool has_minor, has_patch;
};

static int num_cmp(struct bw_slice a, struct bw_slice b)
{
	return bw_vc_digits_cmp(a.ptr, a.len, b.ptr, b.len);
}
static bool wild(struct bw_slice s)
{
	return s.len == 1 && (s.ptr[0] == '*' || s.ptr[0] == 'x' || s.ptr[0] == 'X');
}

static const char *req_parse(struct bw_slice t, struct req *q)
{
	memset(q, 0, sizeof *q);
	size_t i = 0;
	q->op = R_CARET;
	if (t.len >= 2 && !memcmp(t.ptr, ">=", 2))
		q->op = R_GE, i = 2;
	else if (t.len >= 2 && !memcmp(t.ptr, "<=", 2))
		q->op = R_LE, i = 2;
	else if (t.len && t.ptr[0] == '>')
		q->op = R_GT, i = 1;
	else if (t.len && t.ptr[0] == '<')
		q->op = R_LT, i = 1;
	else if (t.len && t.ptr[0] == '=')
		q->op = R_EXACT, i = 1;
	else if (t.len && t.ptr[0] == '~')
		q->op = R_TILDE, i = 1;
	else if (t.len && t.ptr[0] == '^')
		q->op = R_CARET, i = 1;
	while (i < t.len && t.ptr[i] == ' ')
		i++;
	if (i < t.len && t.ptr[i] == 'v')
		i++;
	struct bw_slice *parts[3] = {&q->major, &q->minor, &q->patch};
	size_t np = 0;
	bool saw_wild = false;
	while (np < 3) {
		size_t s = i;
		if (i < t.len && (t.ptr[i] == '*' || t.ptr[i] == 'x' || t.ptr[i] == 'X'))
			i++;
		else
			while (i < t.len && bw_isdigit((unsigned char)t.ptr[i]))
				i++;
		struct bw_slice p = {t.ptr + s, i - s};
		if (!p.len)
			return "expected a number or a wildcard";
		if (!wild(p) && p.len > 1 && p.ptr[0] == '0')
			return "number has a leading zero";
		if (saw_wild && !wild(p))
			return "a number after a wildcard";
		saw_wild = saw_wild || wild(p);
		*parts[np++] = p;
		if (i < t.len && t.ptr[i] == '.') {
			i++;
			continue;
		}
		break;
	}
	q->has_minor = np > 1 && !wild(q->minor);
	q->has_patch = np > 2 && !wild(q->patch);
	if (wild(q->major)) {
		if (np > 1 && !saw_wild)
			return "bad wildcard";
		q->op = R_WILD;
	}
	if (i < t.len && t.ptr[i] == '-') {
		if (np < 3 || saw_wild)
			return "a prerelease needs MAJOR.MINOR.PATCH";
		size_t s = ++i;
		while (i < t.len &&
		       (bw_isalnum((unsigned char)t.ptr[i]) || t.ptr[i] == '-' || t.ptr[i] == '.'))
			i++;
		q->pre = (struct bw_slice){t.ptr + s, i - s};
		if (!q->pre.len)
			return "empty prerelease";
	}
	if (i < t.len && t.ptr[i] == '+') { /* build metadata is ignored */
		i++;
		while (i < t.len &&
		       (bw_isalnum((unsigned char)t.ptr[i]) || t.ptr[i] == '-' || t.ptr[i] == '.'))
			i++;
	}
	if (i != t.len)
		return "unexpected character in requirement";
	if (saw_wild && q->op != R_WILD && q->op != R_CARET && q->op != R_TILDE && q->op != R_EXACT)
		q->op = q->op; /* >=1.* and friends: the wildcard is just a missing part */
	return NULL;
}

/* v compared with the partial's numbers, missing parts ignored */
static int cmp_to(const struct bw_semver *v, struct bw_slice M, struct bw_slice m, struct bw_slice p,
		  int nparts, struct bw_slice pre)
{
	int r = num_cmp(v->major, M);
	if (r || nparts < 2)
		return r;
	if ((r = num_cmp(v->minor, m)) || nparts < 3)
		return r;
	if ((r = num_cmp(v->patch, p)))
		return r;
	struct bw_semver a = *v, b = *v;
	b.pre = pre;
	a.major = a.minor = a.patch = b.major = b.minor = b.patch = (struct bw_slice){"0", 1};
	return bw_semver_cmp(&a, &b);
}

static bool req_match(const struct req *q, const struct bw_semver *v)
{
	int n = 1 + q->has_minor + (q->has_minor && q->has_patch);
	int r = cmp_to(v, q->major, q->minor, q->patch, n, q->pre);
	switch (q->op) {
	case R_WILD:
		return true;
	case R_EXACT:
		return r == 0;
	case R_GT:
		return r > 0;
	case R_GE:
		return r >= 0;
	case R_LT:
		return r < 0;
	case R_LE:
		return r <= 0;
	case R_TILDE:
		if (r < 0)
			return false;
		/* same major, and same minor when given */
		return !num_cmp(v->major, q->major) && (!q->has_minor || !num_cmp(v->minor, q->minor));
	case R_CARET:
		if (r < 0)
			return false;
		if (num_cmp(v->major, q->major))
			return false;
		if (!bw_slice_eq(q->major, "0") || !q->has_minor)
			return true;
		if (num_cmp(v->minor, q->minor))
			return false;
		if (!bw_slice_eq(q->minor, "0") || !q->has_patch)
			return true;
		return !num_cmp(v->patch, q->patch);
	}
	return false;
}

int bw_cargo_req_eval(const struct bw_semver *v, struct bw_slice req, const char *scheme, bool *in,
		      struct bw_error *err)
{
	bool all = true, pre_ok = !v->pre.len;
	int n = 0;
	struct bw_slice rest = req.ptr ? req : (struct bw_slice){"", 0};
	for (;;) {
		const char *comma = memchr(rest.ptr, ',', rest.len);
		struct bw_slice t =
		    bw_vc_trim((struct bw_slice){rest.ptr, comma ? (size_t)(comma - rest.ptr) : rest.len});
		struct req q;
		const char *why = t.len ? req_parse(t, &q) : "empty comparator";
		if (why)
			return bw_version_bad_range(err, scheme, req, why);
		all = all && req_match(&q, v);
		if (q.pre.len && !num_cmp(v->major, q.major) && q.has_minor && !num_cmp(v->minor, q.minor) &&
		    q.has_patch && !num_cmp(v->patch, q.patch))
			pre_ok = true;
		n++;
		if (!comma)
			break;
		rest = (struct bw_slice){comma + 1, rest.len - (size_t)(comma - rest.ptr) - 1};
	}
	*in = all && pre_ok;
	return 0;
}

static int cargo_in_range(struct bw_slice v, struct bw_slice r, bool *in, struct bw_error *err)
{
	struct bw_semver s;
	const char *why = bw_semver_parse(v, false, &s);
	if (why)
		return bw_version_invalid(err, "cargo", v, why);
	return bw_cargo_req_eval(&s, r, "cargo", in, err);
}

const struct bw_version_ops bw_version_cargo_ops = {"cargo", cargo_validate, cargo_compare, cargo_in_range};
