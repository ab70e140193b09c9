/* The scheme table, shared helpers and the generic "OP VERSION" ranges. */
#include "version-int.h"

static const struct bw_version_ops *const scheme_ops[BW_VERSION__COUNT] = {
    [BW_VERSION_DEB] = &bw_version_deb_ops,	[BW_VERSION_RPM] = &bw_version_rpm_ops,
    [BW_VERSION_APK] = &bw_version_apk_ops,	[BW_VERSION_SEMVER] = &bw_version_semver_ops,
    [BW_VERSION_NPM] = &bw_version_npm_ops,	[BW_VERSION_PYPI] = &bw_version_pypi_ops,
    [BW_VERSION_MAVEN] = &bw_version_maven_ops, [BW_VERSION_GEM] = &bw_version_gem_ops,
    [BW_VERSION_GO] = &bw_version_go_ops,	[BW_VERSION_CARGO] = &bw_version_cargo_ops,
    [BW_VERSION_NUGET] = &bw_version_nuget_ops, [BW_VERSION_COMPOSER] = &bw_version_composer_ops,
};

static const struct {
	const char *name;
	enum bw_version_scheme scheme;
} scheme_aliases[] = {
    {"debian", BW_VERSION_DEB},	     {"dpkg", BW_VERSION_DEB},	   {"ubuntu", BW_VERSION_DEB},
    {"rpmvercmp", BW_VERSION_RPM},   {"alpine", BW_VERSION_APK},   {"pep440", BW_VERSION_PYPI},
    {"python", BW_VERSION_PYPI},     {"rubygems", BW_VERSION_GEM}, {"golang", BW_VERSION_GO},
    {"crates.io", BW_VERSION_CARGO}, {"rust", BW_VERSION_CARGO},   {"packagist", BW_VERSION_COMPOSER},
    {"node", BW_VERSION_NPM},
};

const struct bw_version_ops *bw_version_ops_of(enum bw_version_scheme scheme)
{
	if ((unsigned)scheme >= BW_VERSION__COUNT)
		return NULL;
	return scheme_ops[scheme];
}

int bw_version_scheme_parse(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < BW_VERSION__COUNT; i++)
		if (strcmp(scheme_ops[i]->name, name) == 0)
			return i;
	for (size_t i = 0; i < BW_ARRAY_SIZE(scheme_aliases); i++)
		if (strcmp(scheme_aliases[i].name, name) == 0)
			return (int)scheme_aliases[i].scheme;
	return -1;
}

const char *bw_version_scheme_name(enum bw_version_scheme scheme)
{
	const struct bw_version_ops *ops = bw_version_ops_of(scheme);
	return ops ? ops->name : "?";
}

static int bad_scheme(struct bw_error *err, int scheme)
{
	return bw_error_set(err, BW_EUSAGE, "unknown version scheme %d", scheme);
}

int bw_version_validate(enum bw_version_scheme scheme, struct bw_slice v, struct bw_error *err)
{
	const struct bw_version_ops *ops = bw_version_ops_of(scheme);
	if (!ops)
		return bad_scheme(err, (int)scheme);
	return ops->validate(v, err);
}

int bw_version_compare(enum bw_version_scheme scheme, struct bw_slice a, struct bw_slice b, int *cmp,
		       struct bw_error *err)
{
	const struct bw_version_ops *ops = bw_version_ops_of(scheme);
	if (!ops)
		return bad_scheme(err, (int)scheme);
	return ops->compare(a, b, cmp, err);
}

int bw_version_in_range(enum bw_version_scheme scheme, struct bw_slice version, struct bw_slice range,
			bool *in, struct bw_error *err)
{
	const struct bw_version_ops *ops = bw_version_ops_of(scheme);
	if (!ops)
		return bad_scheme(err, (int)scheme);
	if (!ops->in_range)
		return bw_error_set(err, BW_EUNSUPPORTED, "%s: ranges are not supported", ops->name);
	return ops->in_range(version, range, in, err);
}

/* ---- helpers ----------------------------------------------------------- */

int bw_vc_digits_cmp(const char *a, size_t al, const char *b, size_t bl)
{
	while (al > 0 && *a == '0')
		a++, al--;
	while (bl > 0 && *b == '0')
		b++, bl--;
	if (al != bl)
		return al < bl ? -1 : 1;
	if (al == 0)
		return 0;
	int r = memcmp(a, b, al);
	return bw_vc_sign(r);
}

int bw_vc_bytes_cmp(const char *a, size_t al, const char *b, size_t bl)
{
	size_t n = al < bl ? al : bl;
	int r = n ? memcmp(a, b, n) : 0;
	if (r)
		return bw_vc_sign(r);
	return al == bl ? 0 : (al < bl ? -1 : 1);
}

bool bw_vc_ieq(struct bw_slice s, const char *lower)
{
	size_t n = strlen(lower);
	if (s.len != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (bw_tolower((unsigned char)s.ptr[i]) != lower[i])
			return false;
	return true;
}

bool bw_vc_all_digits(struct bw_slice s)
{
	for (size_t i = 0; i < s.len; i++)
		if (!bw_isdigit(s.ptr[i]))
			return false;
	return true;
}

size_t bw_vc_utf16_len(struct bw_slice s)
{
	size_t n = 0;
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		if ((c & 0xc0) != 0x80)
			n += c >= 0xf0 ? 2 : 1;
	}
	return n;
}

struct bw_slice bw_vc_trim(struct bw_slice s)
{
	while (s.len && bw_isspace((unsigned char)s.ptr[0]))
		s.ptr++, s.len--;
	while (s.len && bw_isspace((unsigned char)s.ptr[s.len - 1]))
		s.len--;
	return s;
}

/* Quote at most 64 bytes of s for a message, escaping what is not
 * printable ASCII. */
static void quote(char *out, size_t outlen, struct bw_slice s)
{
	size_t o = 0;
	size_t n = s.len > 64 ? 64 : s.len;
	for (size_t i = 0; i < n && o + 5 < outlen; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			out[o++] = (char)c;
		} else {
			static const char hex[] = "0123456789abcdef";
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = 0;
	if (s.len > n && o + 4 < outlen) {
		out[o++] = '.';
		out[o++] = '.';
		out[o++] = '.';
		out[o] = 0;
	}
}

int bw_version_invalid(struct bw_error *err, const char *scheme, struct bw_slice v, const char *why)
{
	char q[300];
	quote(q, sizeof q, v);
	if (v.len > 64)
		return bw_error_set(err, BW_EINPUT, "%s version '%s' (%zu bytes): %s", scheme, q, v.len, why);
	return bw_error_set(err, BW_EINPUT, "%s version '%s': %s", scheme, q, why);
}

int bw_version_bad_range(struct bw_error *err, const char *scheme, struct bw_slice r, const char *why)
{
	char q[300];
	quote(q, sizeof q, r);
	return bw_error_set(err, BW_EINPUT, "%s range '%s': %s", scheme, q, why);
}

/* ---- "OP VERSION" ranges for deb, rpm and apk --------------------------- */

enum simple_op { OP_LT, OP_LE, OP_EQ, OP_GE, OP_GT, OP_NE, OP_FUZZY, OP_LE_FUZZY, OP_GE_FUZZY };

static bool is_op_char(int c)
{
	return c == '<' || c == '>' || c == '=' || c == '!' || c == '~';
}

static int parse_op(struct bw_slice o, enum bw_version_scheme scheme, enum simple_op *op)
{
	static const struct {
		const char *s;
		enum simple_op op;
		int only; /* -1 any scheme, else that scheme */
	} ops[] = {
	    {"<", OP_LT, -1},
	    {"<=", OP_LE, -1},
	    {"=", OP_EQ, -1},
	    {"==", OP_EQ, -1},
	    {">=", OP_GE, -1},
	    {">", OP_GT, -1},
	    {"!=", OP_NE, -1},
	    {"<<", OP_LT, BW_VERSION_DEB},
	    {">>", OP_GT, BW_VERSION_DEB},
	    {"~", OP_FUZZY, BW_VERSION_APK},
	    {"=~", OP_FUZZY, BW_VERSION_APK},
	    {"<~", OP_LE_FUZZY, BW_VERSION_APK},
	    {">~", OP_GE_FUZZY, BW_VERSION_APK},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(ops); i++)
		if (bw_slice_eq(o, ops[i].s) && (ops[i].only < 0 || ops[i].only == (int)scheme)) {
			*op = ops[i].op;
			return 0;
		}
	return -1;
}

static bool is_term_sep(int c)
{
	return bw_isspace(c) || c == ',';
}

/* One alternative: every term must hold. */
static int eval_terms(enum bw_version_scheme scheme, const struct bw_version_ops *ops, struct bw_slice v,
		      struct bw_slice alt, struct bw_slice whole, bool *in, struct bw_error *err)
{
	size_t i = 0;
	bool all = true;
	int nterms = 0;
	while (i < alt.len) {
		while (i < alt.len && is_term_sep((unsigned char)alt.ptr[i]))
			i++;
		if (i >= alt.len)
			break;
		size_t os = i;
		while (i < alt.len && is_op_char((unsigned char)alt.ptr[i]))
			i++;
		struct bw_slice o = {alt.ptr + os, i - os};
		enum simple_op op = OP_EQ;
		if (o.len && parse_op(o, scheme, &op) < 0)
			return bw_version_bad_range(err, ops->name, whole, "unknown operator");
		while (i < alt.len && bw_isspace((unsigned char)alt.ptr[i]))
			i++;
		size_t vs = i;
		while (i < alt.len && !is_term_sep((unsigned char)alt.ptr[i]))
			i++;
		struct bw_slice bound = {alt.ptr + vs, i - vs};
		if (!bound.len)
			return bw_version_bad_range(err, ops->name, whole, "operator without a version");
		int c = 0, rc;
		bool fuzzy = op == OP_FUZZY || op == OP_LE_FUZZY || op == OP_GE_FUZZY;
		if ((rc = ops->validate(bound, err)) < 0)
			return rc;
		if (scheme == BW_VERSION_APK)
			c = bw_apk_compare_fuzzy(v, bound, fuzzy);
		else if ((rc = ops->compare(v, bound, &c, err)) < 0)
			return rc;
		bool ok;
		switch (op) {
		case OP_LT:
			ok = c < 0;
			break;
		case OP_LE:
		case OP_LE_FUZZY:
			ok = c <= 0;
			break;
		case OP_EQ:
		case OP_FUZZY:
			ok = c == 0;
			break;
		case OP_GE:
		case OP_GE_FUZZY:
			ok = c >= 0;
			break;
		case OP_GT:
			ok = c > 0;
			break;
		default:
			ok = c != 0;
			break;
		}
		all = all && ok;
		nterms++;
	}
	if (!nterms)
		return bw_version_bad_range(err, ops->name, whole, "empty alternative");
	*in = all;
	return 0;
}

int bw_version_simple_range(enum bw_version_scheme scheme, struct bw_slice v, struct bw_slice range, bool *in,
			    struct bw_error *err)
{
	const struct bw_version_ops *ops = bw_version_ops_of(scheme);
	int rc = ops->validate(v, err);
	if (rc < 0)
		return rc;
	bool any = false;
	size_t start = 0;
	for (size_t i = 0; i <= range.len; i++) {
		if (i < range.len && !(range.ptr[i] == '|' && i + 1 < range.len && range.ptr[i + 1] == '|'))
			continue;
		struct bw_slice alt = {range.ptr + start, i - start};
		bool ok = false;
		if ((rc = eval_terms(scheme, ops, v, alt, range, &ok, err)) < 0)
			return rc;
		any = any || ok;
		start = i + 2;
		i++;
	}
	*in = any;
	return 0;
}
