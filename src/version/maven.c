/* Maven versions, ordered as org.apache.maven.artifact.versioning.
 * ComparableVersion (Maven 4) orders them: the text is lowercased and cut
 * into numbers and qualifiers at '.', '-' and digit/letter transitions; '-'
 * (and a transition) opens a nested list; "X1" / "X-1" form a combination
 * item; known qualifiers order alpha < beta < milestone < rc = cr <
 * snapshot < "" = ga = final = release < sp < other qualifiers
 * (lexically); trailing zeros and release qualifiers are dropped.
 * Any text of at most 256 UTF-16 units is a version (Maven's own bound);
 * bulwark also rejects the empty string. Items live in an arena. */
#include "version-int.h"

enum mtype { M_NUM, M_STR, M_COMB, M_LIST };

struct mitem {
	enum mtype type;
	struct bw_slice s;   /* NUM: digits without leading zeros; STR: value */
	struct mitem *str;   /* COMB: string part */
	struct mitem *digit; /* COMB: digit part */
	struct mitem **kids; /* LIST */
	size_t n, cap;
};

static struct mitem *mnew(struct bw_arena *a, enum mtype t)
{
	struct mitem *m = bw_arena_alloc(a, sizeof *m);
	m->type = t;
	return m;
}

static void madd(struct bw_arena *a, struct mitem *list, struct mitem *it)
{
	BW_ARENA_GROW(a, list->kids, list->n + 1, list->n, list->cap);
	list->kids[list->n++] = it;
}

/* Open a sublist at the end of list: it becomes the list items are added to. */
static struct mitem *mpush(struct bw_arena *a, struct mitem *list, struct mitem **stack, size_t *depth)
{
	struct mitem *nl = mnew(a, M_LIST);
	madd(a, list, nl);
	stack[(*depth)++] = nl;
	return nl;
}

static void mremove(struct mitem *list, size_t i)
{
	memmove(list->kids + i, list->kids + i + 1, (list->n - i - 1) * sizeof *list->kids);
	list->n--;
}

static struct mitem *mnum(struct bw_arena *a, struct bw_slice d)
{
	struct mitem *m = mnew(a, M_NUM);
	while (d.len > 1 && d.ptr[0] == '0')
		d.ptr++, d.len--;
	if (!d.len)
		d = (struct bw_slice){"0", 1};
	m->s = d;
	return m;
}

static struct mitem *mstr(struct bw_arena *a, struct bw_slice v, bool followed_by_digit)
{
	struct mitem *m = mnew(a, M_STR);
	if (followed_by_digit && v.len == 1) {
		if (v.ptr[0] == 'a')
			v = BW_SLICE_C("alpha");
		else if (v.ptr[0] == 'b')
			v = BW_SLICE_C("beta");
		else if (v.ptr[0] == 'm')
			v = BW_SLICE_C("milestone");
	}
	if (bw_slice_eq(v, "cr"))
		v = BW_SLICE_C("rc");
	m->s = v;
	return m;
}

static struct mitem *mparse_item(struct bw_arena *a, bool comb, bool digit, struct bw_slice buf)
{
	if (comb) {
		/* CombinationItem(buf without '-') */
		char *t = bw_arena_alloc(a, buf.len + 1);
		size_t n = 0;
		for (size_t i = 0; i < buf.len; i++)
			if (buf.ptr[i] != '-')
				t[n++] = buf.ptr[i];
		size_t idx = 0;
		for (size_t i = 0; i < n; i++)
			if (bw_isdigit((unsigned char)t[i])) {
				idx = i;
				break;
			}
		struct mitem *m = mnew(a, M_COMB);
		m->str = mstr(a, (struct bw_slice){t, idx}, true);
		m->digit = mnum(a, (struct bw_slice){t + idx, n - idx});
		return m;
	}
	if (digit)
		return mnum(a, buf);
	return mstr(a, buf, false);
}

static bool mnull(const struct mitem *m)
{
	switch (m->type) {
	case M_NUM:
		return bw_slice_eq(m->s, "0");
	case M_STR:
		return m->s.len == 0;
	case M_COMB:
		return false;
	default:
		return m->n == 0;
	}
}

static void mnormalize(struct mitem *list)
{
	for (size_t k = list->n; k-- > 0;) {
		struct mitem *last = list->kids[k];
		if (!mnull(last))
			continue;
		if (k == list->n - 1 || list->kids[k + 1]->type == M_STR) {
			mremove(list, k);
		} else if (list->kids[k + 1]->type == M_LIST && list->kids[k + 1]->n) {
			enum mtype t = list->kids[k + 1]->kids[0]->type;
			if (t == M_COMB || t == M_STR)
				mremove(list, k);
		}
	}
	if (list->n == 1 && list->kids[0]->type == M_LIST) {
		struct mitem *sub = list->kids[0];
		list->kids = sub->kids;
		list->n = sub->n;
		list->cap = sub->cap;
	}
}

static const char *mparse(struct bw_arena *a, struct bw_slice in, struct mitem **out)
{
	if (!in.len)
		return "empty version";
	if (bw_vc_utf16_len(in) > 256)
		return "version string is too long (more than 256 characters)";
	char *v = bw_arena_alloc(a, in.len + 1);
	for (size_t i = 0; i < in.len; i++)
		v[i] = (char)bw_tolower((unsigned char)in.ptr[i]);
	size_t len = in.len;
	struct mitem *items = mnew(a, M_LIST), *list = items;
	struct mitem *stack[300];
	size_t depth = 0;
	stack[depth++] = list;
	bool is_digit = false, is_comb = false;
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		char c = v[i];
		if (c == '.') {
			if (i == start)
				madd(a, list, mnum(a, BW_SLICE_C("0")));
			else
				madd(a, list,
				     mparse_item(a, is_comb, is_digit,
						 (struct bw_slice){v + start, i - start}));
			is_comb = false;
			start = i + 1;
		} else if (c == '-') {
			if (i == start) {
				madd(a, list, mnum(a, BW_SLICE_C("0")));
			} else {
				if (!is_digit && i != len - 1 && bw_isdigit((unsigned char)v[i + 1])) {
					is_comb = true;
					continue;
				}
				madd(a, list,
				     mparse_item(a, is_comb, is_digit,
						 (struct bw_slice){v + start, i - start}));
			}
			start = i + 1;
			if (list->n)
				list = mpush(a, list, stack, &depth);
			is_comb = false;
		} else if (bw_isdigit((unsigned char)c)) {
			if (!is_digit && i > start) {
				is_comb = true;
				if (list->n)
					list = mpush(a, list, stack, &depth);
			}
			is_digit = true;
		} else {
			if (is_digit && i > start) {
				madd(a, list,
				     mparse_item(a, is_comb, true, (struct bw_slice){v + start, i - start}));
				start = i;
				list = mpush(a, list, stack, &depth);
				is_comb = false;
			}
			is_digit = false;
		}
		if (depth >= BW_ARRAY_SIZE(stack) - 1)
			return "version nests too deeply";
	}
	if (len > start) {
		if (!is_digit && list->n)
			list = mpush(a, list, stack, &depth);
		madd(a, list, mparse_item(a, is_comb, is_digit, (struct bw_slice){v + start, len - start}));
	}
	while (depth)
		mnormalize(stack[--depth]);
	*out = items;
	return NULL;
}

/* comparableQualifier(): known qualifiers become their index, others
 * "7-" + text; compared as strings */
static void mqual(struct bw_slice q, char *buf, size_t bufsz, struct bw_slice *out)
{
	static const char *const quals[] = {"alpha", "beta", "milestone", "rc", "snapshot", "", "sp"};
	if (bw_slice_eq(q, "ga") || bw_slice_eq(q, "final") || bw_slice_eq(q, "release")) {
		*out = BW_SLICE_C("5");
		return;
	}
	for (size_t i = 0; i < BW_ARRAY_SIZE(quals); i++)
		if (bw_slice_eq(q, quals[i])) {
			buf[0] = (char)('0' + i);
			*out = (struct bw_slice){buf, 1};
			return;
		}
	(void)bufsz;
	*out = q; /* marked by the caller as "7-" + q */
}

static int mqual_cmp(struct bw_slice a, struct bw_slice b)
{
	char ba[2], bb[2];
	struct bw_slice x, y;
	mqual(a, ba, sizeof ba, &x);
	mqual(b, bb, sizeof bb, &y);
	bool xu = x.ptr == a.ptr && !(x.len == 1 && x.ptr == ba),
	     yu = y.ptr == b.ptr && !(y.len == 1 && y.ptr == bb);
	/* known ones are single digits 0..6 (or "5"); unknown ones "7-q" */
	if (xu && yu)
		return bw_vc_bytes_cmp(x.ptr, x.len, y.ptr, y.len);
	if (xu)
		return 1;
	if (yu)
		return -1;
	return bw_vc_bytes_cmp(x.ptr, x.len, y.ptr, y.len);
}

static int mcmp(const struct mitem *a, const struct mitem *b);

static int mcmp_null(const struct mitem *a)
{
	switch (a->type) {
	case M_NUM:
		return mnull(a) ? 0 : 1;
	case M_STR:
		return mqual_cmp(a->s, BW_SLICE_C(""));
	case M_COMB: {
		int r = mcmp_null(a->str);
		return r ? r : mcmp_null(a->digit);
	}
	default:
		for (size_t i = 0; i < a->n; i++) {
			int r = mcmp_null(a->kids[i]);
			if (r)
				return r;
		}
		return 0;
	}
}

static int mcmp(const struct mitem *a, const struct mitem *b)
{
	if (!b)
		return mcmp_null(a);
	int r;
	switch (a->type) {
	case M_NUM:
		if (b->type == M_NUM)
			return bw_vc_digits_cmp(a->s.ptr, a->s.len, b->s.ptr, b->s.len);
		return 1;
	case M_STR:
		switch (b->type) {
		case M_NUM:
			return -1;
		case M_STR:
			return mqual_cmp(a->s, b->s);
		case M_COMB:
			r = mcmp(a, b->str);
			if (!r) {
				if (!mcmp_null(a))
					return -mcmp_null(b->digit);
				return -1;
			}
			return r;
		default:
			return -mcmp(b, a);
		}
	case M_COMB:
		switch (b->type) {
		case M_NUM:
			return -1;
		case M_STR:
			r = mcmp(a->str, b);
			if (!r)
				return !mcmp_null(a->str) ? mcmp_null(a->digit) : 1;
			return r;
		case M_LIST:
			return -mcmp(b, a);
		default:
			r = mcmp(a->str, b->str);
			return r ? r : mcmp(a->digit, b->digit);
		}
	default:
		switch (b->type) {
		case M_NUM:
			return -1;
		case M_STR:
		case M_COMB:
			r = a->n == 0 ? -mcmp_null(b) : mcmp(a->kids[0], b);
			for (size_t i = 1; !r && i < a->n; i++)
				r = mcmp_null(a->kids[i]);
			return r;
		default:
			for (size_t i = 0; i < a->n || i < b->n; i++) {
				const struct mitem *l = i < a->n ? a->kids[i] : NULL,
						   *rr = i < b->n ? b->kids[i] : NULL;
				r = l ? mcmp(l, rr) : (rr ? -mcmp_null(rr) : 0);
				if (r)
					return r;
			}
			return 0;
		}
	}
}

static int maven_validate(struct bw_slice v, struct bw_error *err)
{
	struct bw_arena a;
	bw_arena_init(&a);
	struct mitem *m;
	const char *why = mparse(&a, v, &m);
	bw_arena_release(&a);
	return why ? bw_version_invalid(err, "maven", v, why) : 0;
}

static int maven_compare(struct bw_slice x, struct bw_slice y, int *cmp, struct bw_error *err)
{
	struct bw_arena a;
	bw_arena_init(&a);
	struct mitem *mx, *my;
	const char *why;
	int rc = 0;
	if ((why = mparse(&a, x, &mx)))
		rc = bw_version_invalid(err, "maven", x, why);
	else if ((why = mparse(&a, y, &my)))
		rc = bw_version_invalid(err, "maven", y, why);
	else
		*cmp = bw_vc_sign(mcmp(mx, my));
	bw_arena_release(&a);
	return rc;
}

/* Maven version ranges: "[1.0,2.0)", "(,1.0],[1.2,)", "[1.0]", or a bare
 * version (a soft requirement, taken here as exactly that version). */
static int maven_in_range(struct bw_slice v, struct bw_slice r, bool *in, struct bw_error *err)
{
	int rc, c;
	if ((rc = maven_validate(v, err)) < 0)
		return rc;
	struct bw_slice t = bw_vc_trim(r);
	if (!t.len)
		return bw_version_bad_range(err, "maven", r, "empty range");
	if (t.ptr[0] != '[' && t.ptr[0] != '(') {
		if ((rc = maven_compare(v, t, &c, err)) < 0)
			return rc;
		*in = c == 0;
		return 0;
	}
	bool any = false;
	size_t i = 0;
	while (i < t.len) {
		while (i < t.len && (t.ptr[i] == ',' || bw_isspace((unsigned char)t.ptr[i])))
			i++;
		if (i >= t.len)
			break;
		char open = t.ptr[i];
		if (open != '[' && open != '(')
			return bw_version_bad_range(err, "maven", r, "expected '[' or '('");
		size_t j = i + 1;
		while (j < t.len && t.ptr[j] != ']' && t.ptr[j] != ')')
			j++;
		if (j >= t.len)
			return bw_version_bad_range(err, "maven", r, "unclosed range");
		char close = t.ptr[j];
		struct bw_slice body = {t.ptr + i + 1, j - i - 1};
		const char *comma = memchr(body.ptr, ',', body.len);
		bool ok = true;
		if (!comma) {
			struct bw_slice x = bw_vc_trim(body);
			if (open != '[' || close != ']' || !x.len)
				return bw_version_bad_range(err, "maven", r, "a single version needs [V]");
			if ((rc = maven_compare(v, x, &c, err)) < 0)
				return rc;
			ok = c == 0;
		} else {
			struct bw_slice lo =
			    bw_vc_trim((struct bw_slice){body.ptr, (size_t)(comma - body.ptr)});
			struct bw_slice hi = bw_vc_trim(
			    (struct bw_slice){comma + 1, body.len - (size_t)(comma - body.ptr) - 1});
			if (memchr(hi.ptr, ',', hi.len))
				return bw_version_bad_range(err, "maven", r, "more than two bounds");
			if (lo.len) {
				if ((rc = maven_compare(v, lo, &c, err)) < 0)
					return rc;
				ok = ok && (open == '[' ? c >= 0 : c > 0);
			}
			if (hi.len) {
				if ((rc = maven_compare(v, hi, &c, err)) < 0)
					return rc;
				ok = ok && (close == ']' ? c <= 0 : c < 0);
			}
		}
		any = any || ok;
		i = j + 1;
	}
	*in = any;
	return 0;
}

const struct bw_version_ops bw_version_maven_ops = {"maven", maven_validate, maven_compare, maven_in_range};
