/* Evaluation of folded conditions on events, and the rules' output text. A
 * check whose field has no value on the event is false (so "not" of it is
 * true), as in Falco. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <fnmatch.h>
#include <pcre2.h>

#include "monitor-int.h"

static bool lower_eq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (bw_tolower((unsigned char)a[i]) != bw_tolower((unsigned char)b[i]))
			return false;
	}
	return true;
}

static bool find(const char *s, size_t len, const char *v, size_t vlen, bool icase)
{
	if (vlen == 0)
		return true;
	if (vlen > len)
		return false;
	if (!icase)
		return memmem(s, len, v, vlen) != NULL;
	for (size_t i = 0; i + vlen <= len; i++)
		if (lower_eq(s + i, v, vlen))
			return true;
	return false;
}

static int slice_cmp(const char *s, size_t len, const char *v)
{
	size_t vlen = strlen(v);
	int c = memcmp(s, v, len < vlen ? len : vlen);
	if (c)
		return c;
	return len < vlen ? -1 : len > vlen ? 1 : 0;
}

static bool in_sorted(const struct bw_mon_cnode *n, const char *s, size_t len)
{
	size_t lo = 0, hi = n->nvals;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = slice_cmp(s, len, n->sorted[mid]);
		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

static bool any_equal(const struct bw_mon_cnode *n, const char *s, size_t len)
{
	if (n->sorted)
		return in_sorted(n, s, len);
	for (size_t i = 0; i < n->nvals; i++)
		if (n->vals[i].len == len && memcmp(n->vals[i].s, s, len) == 0)
			return true;
	return false;
}

static bool glob(const struct bw_mon_cval *v, const char *s, size_t len, int flags)
{
	char stack[1024];
	char *z = len < sizeof(stack) ? stack : malloc(len + 1);
	if (!z)
		return false;
	memcpy(z, s, len);
	z[len] = '\0';
	bool m = fnmatch(v->s, z, flags) == 0;
	if (z != stack)
		free(z);
	return m;
}

static bool regex(const struct bw_mon_cnode *n, const char *s, size_t len)
{
	static __thread pcre2_match_data *md;
	if (!md && !(md = pcre2_match_data_create(1, NULL)))
		return false;
	return pcre2_match(n->re, (PCRE2_SPTR)s, len, 0, 0, md, NULL) >= 0;
}

bool bw_mon_cmp_str(const struct bw_mon_cnode *n, const char *s, size_t len)
{
	switch (n->cmp) {
	case BW_CMP_EQ:
	case BW_CMP_IN:
	case BW_CMP_INTERSECTS:
		return any_equal(n, s, len);
	case BW_CMP_NE:
		return !any_equal(n, s, len);
	case BW_CMP_CONTAINS:
	case BW_CMP_BCONTAINS:
		return find(s, len, n->vals[0].s, n->vals[0].len, false);
	case BW_CMP_ICONTAINS:
		return find(s, len, n->vals[0].s, n->vals[0].len, true);
	case BW_CMP_STARTSWITH:
	case BW_CMP_BSTARTSWITH:
		return len >= n->vals[0].len && memcmp(s, n->vals[0].s, n->vals[0].len) == 0;
	case BW_CMP_ENDSWITH:
		return len >= n->vals[0].len &&
		       memcmp(s + len - n->vals[0].len, n->vals[0].s, n->vals[0].len) == 0;
	case BW_CMP_GLOB:
		return glob(&n->vals[0], s, len, 0);
	case BW_CMP_IGLOB:
		return glob(&n->vals[0], s, len, FNM_CASEFOLD);
	case BW_CMP_REGEX:
		return n->re && regex(n, s, len);
	case BW_CMP_PMATCH:
		for (size_t i = 0; i < n->nvals; i++) {
			const struct bw_mon_cval *v = &n->vals[i];
			if (len < v->len || memcmp(s, v->s, v->len) != 0)
				continue;
			if (len == v->len || (v->len && v->s[v->len - 1] == '/') || s[v->len] == '/')
				return true;
		}
		return false;
	default:
		return false;
	}
}

static bool cmp_int(const struct bw_mon_cnode *n, int64_t x)
{
	switch (n->cmp) {
	case BW_CMP_EQ:
	case BW_CMP_IN:
	case BW_CMP_INTERSECTS:
		for (size_t i = 0; i < n->nvals; i++)
			if (n->vals[i].i == x)
				return true;
		return false;
	case BW_CMP_NE:
		for (size_t i = 0; i < n->nvals; i++)
			if (n->vals[i].i == x)
				return false;
		return true;
	case BW_CMP_LT:
		return x < n->vals[0].i;
	case BW_CMP_LE:
		return x <= n->vals[0].i;
	case BW_CMP_GT:
		return x > n->vals[0].i;
	case BW_CMP_GE:
		return x >= n->vals[0].i;
	default:
		return false;
	}
}

static bool in_net(const struct bw_mon_cval *v, int family, const uint8_t *ip)
{
	if (v->family != family)
		return false;
	int bits = v->prefix;
	int full = bits / 8, rest = bits % 8;
	if (memcmp(v->ip, ip, (size_t)full) != 0)
		return false;
	if (!rest)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (v->ip[full] & mask) == (ip[full] & mask);
}

static bool ip_matches(const struct bw_mon_cnode *n, int family, const uint8_t *ip)
{
	for (size_t i = 0; i < n->nvals; i++)
		if (in_net(&n->vals[i], family, ip))
			return true;
	return false;
}

static bool cmp_ip(const struct bw_mon_cnode *n, const struct bw_mon_val *v)
{
	bool m = ip_matches(n, v->family, v->ip) || (v->has_ip2 && ip_matches(n, v->family, v->ip2));
	switch (n->cmp) {
	case BW_CMP_EQ:
	case BW_CMP_IN:
	case BW_CMP_INTERSECTS:
		return m;
	case BW_CMP_NE:
		return !m;
	default:
		return false;
	}
}

static bool compare(const struct bw_mon_cnode *n, const struct bw_mon_val *v)
{
	switch (v->type) {
	case BW_FT_STR:
	case BW_FT_CHAR:
		if (n->field->type != BW_FT_STR && n->field->type != BW_FT_CHAR) {
			/* a raw argument that is not a number: compare the text */
			for (size_t i = 0; i < n->nvals; i++)
				if (n->vals[i].len == v->len && memcmp(n->vals[i].s, v->s, v->len) == 0)
					return n->cmp != BW_CMP_NE;
			return n->cmp == BW_CMP_NE;
		}
		return bw_mon_cmp_str(n, v->s ? v->s : "", v->s ? v->len : 0);
	case BW_FT_IP:
	case BW_FT_NET:
		return cmp_ip(n, v);
	default:
		return cmp_int(n, v->i);
	}
}

static bool check(struct bw_mon_cnode *n, struct bw_mon_event *ev)
{
	const struct bw_mon_field *f = n->field;
	struct bw_mon_val v;
	if ((f->flags & BW_FF_ANY_ANCESTOR) && n->argn < 0) {
		bool ne = n->cmp == BW_CMP_NE;
		for (int64_t i = 1; i <= 64; i++) {
			memset(&v, 0, sizeof(v));
			if (!f->extract(ev, f, NULL, i, &v))
				return ne && i > 1;
			if (n->cmp == BW_CMP_EXISTS)
				return true;
			if (ne) {
				struct bw_mon_cnode eq = *n;
				eq.cmp = BW_CMP_EQ;
				if (compare(&eq, &v))
					return false;
			} else if (compare(n, &v)) {
				return true;
			}
		}
		return ne;
	}
	memset(&v, 0, sizeof(v));
	if (!f->extract(ev, f, n->arg, n->argn, &v))
		return false;
	if (n->cmp == BW_CMP_EXISTS)
		return true;
	return compare(n, &v);
}

bool bw_mon_eval(struct bw_mon_cnode *n, struct bw_mon_event *ev)
{
	switch (n->kind) {
	case BW_CN_AND:
		for (size_t i = 0; i < n->nkids; i++)
			if (!bw_mon_eval(n->kids[i], ev))
				return false;
		return true;
	case BW_CN_OR:
		for (size_t i = 0; i < n->nkids; i++)
			if (bw_mon_eval(n->kids[i], ev))
				return true;
		return false;
	case BW_CN_NOT:
		return !bw_mon_eval(n->kids[0], ev);
	case BW_CN_CHECK:
		return check(n, ev);
	case BW_CN_TRUE:
		return true;
	default:
		return false;
	}
}

const char *bw_mon_format(const struct bw_mon_rule *r, struct bw_mon_event *ev)
{
	size_t cap = 1024, len = 0;
	char *buf = malloc(cap);
	if (!buf)
		return "";
	for (size_t i = 0; i < r->n_fmt; i++) {
		const struct bw_mon_fmt_piece *p = &r->fmt[i];
		const char *s = p->text;
		size_t n = p->len;
		if (!s) {
			s = bw_mon_field_render(ev, p->field, p->arg, p->argn);
			n = strlen(s);
		}
		if (len + n + 1 > cap) {
			while (len + n + 1 > cap)
				cap *= 2;
			char *nb = realloc(buf, cap);
			if (!nb)
				break;
			buf = nb;
		}
		memcpy(buf + len, s, n);
		len += n;
	}
	const char *out = bw_mon_ev_strdup(ev, buf, len);
	free(buf);
	return out ? out : "";
}
