/* Alpine (apk-tools) versions:
 *   digit{.digit}...{letter}{_suffix{number}}...{~hash}{-rN}
 * Suffixes order _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git
 * < _hg < _p. A dotted number with a leading zero compares as a string (the
 * Gentoo rule apk follows); other numbers compare numerically, as digit
 * strings of any length (apk itself wraps past 2^64). No allocation. */
#include "version-int.h"

enum apk_token {
	T_INITIAL_DIGIT,
	T_DIGIT,
	T_LETTER,
	T_SUFFIX,
	T_SUFFIX_NO,
	T_COMMIT_HASH,
	T_REVISION_NO,
	T_END,
	T_INVALID,
};

enum apk_suffix { S_INVALID, S_ALPHA, S_BETA, S_PRE, S_RC, S_NONE, S_CVS, S_SVN, S_GIT, S_HG, S_P };

struct apk_tok {
	enum apk_token token;
	enum apk_suffix suffix;
	struct bw_slice value;
};

static enum apk_suffix apk_suffix_of(struct bw_slice s)
{
	static const struct {
		const char *name;
		enum apk_suffix s;
	} tab[] = {{"alpha", S_ALPHA}, {"beta", S_BETA}, {"pre", S_PRE}, {"rc", S_RC}, {"cvs", S_CVS},
		   {"svn", S_SVN},     {"git", S_GIT},	 {"hg", S_HG},	 {"p", S_P}};
	for (size_t i = 0; i < BW_ARRAY_SIZE(tab); i++)
		if (bw_slice_eq(s, tab[i].name))
			return tab[i].s;
	return S_INVALID;
}

static void apk_digits(struct apk_tok *t, struct bw_slice *b)
{
	size_t n = 0;
	while (n < b->len && bw_isdigit((unsigned char)b->ptr[n]))
		n++;
	t->value = (struct bw_slice){b->ptr, n};
	b->ptr += n;
	b->len -= n;
	if (!n)
		t->token = T_INVALID;
}

static void apk_first(struct apk_tok *t, struct bw_slice *b)
{
	t->token = T_INITIAL_DIGIT;
	apk_digits(t, b);
}

static void apk_next(struct apk_tok *t, struct bw_slice *b)
{
	if (!b->len) {
		t->token = T_END;
		return;
	}
	unsigned char c = (unsigned char)b->ptr[0];
	if (bw_islower(c)) {
		if (t->token > T_DIGIT)
			goto invalid;
		t->value = (struct bw_slice){b->ptr, 1};
		t->token = T_LETTER;
		b->ptr++, b->len--;
		return;
	}
	if (c == '.' || bw_isdigit(c)) {
		if (c == '.') {
			if (t->token > T_DIGIT)
				goto invalid;
			b->ptr++, b->len--;
		}
		if (t->token == T_INITIAL_DIGIT || t->token == T_DIGIT)
			t->token = T_DIGIT;
		else if (t->token == T_SUFFIX)
			t->token = T_SUFFIX_NO;
		else
			goto invalid;
		apk_digits(t, b);
		return;
	}
	if (c == '_') {
		if (t->token > T_SUFFIX_NO)
			goto invalid;
		b->ptr++, b->len--;
		size_t n = 0;
		while (n < b->len && bw_islower((unsigned char)b->ptr[n]))
			n++;
		t->value = (struct bw_slice){b->ptr, n};
		b->ptr += n, b->len -= n;
		t->suffix = apk_suffix_of(t->value);
		if (t->suffix == S_INVALID)
			goto invalid;
		t->token = T_SUFFIX;
		return;
	}
	if (c == '~') {
		if (t->token >= T_COMMIT_HASH)
			goto invalid;
		b->ptr++, b->len--;
		size_t n = 0;
		while (n < b->len && (bw_isdigit((unsigned char)b->ptr[n]) ||
				      (unsigned)((unsigned char)b->ptr[n] - 'a') < 6u))
			n++;
		t->value = (struct bw_slice){b->ptr, n};
		b->ptr += n, b->len -= n;
		if (!n)
			goto invalid;
		t->token = T_COMMIT_HASH;
		return;
	}
	if (c == '-') {
		if (t->token >= T_REVISION_NO)
			goto invalid;
		if (b->len < 2 || b->ptr[1] != 'r')
			goto invalid;
		b->ptr += 2, b->len -= 2;
		t->token = T_REVISION_NO;
		apk_digits(t, b);
		return;
	}
invalid:
	t->token = T_INVALID;
}

static int apk_token_cmp(const struct apk_tok *a, const struct apk_tok *b)
{
	switch (a->token) {
	case T_DIGIT:
		if (a->value.ptr[0] == '0' || b->value.ptr[0] == '0')
			return bw_vc_bytes_cmp(a->value.ptr, a->value.len, b->value.ptr, b->value.len);
		/* fall through */
	case T_INITIAL_DIGIT:
	case T_SUFFIX_NO:
	case T_REVISION_NO:
		return bw_vc_digits_cmp(a->value.ptr, a->value.len, b->value.ptr, b->value.len);
	case T_LETTER:
		return bw_vc_sign((unsigned char)a->value.ptr[0] - (unsigned char)b->value.ptr[0]);
	case T_SUFFIX:
		return bw_vc_sign((int)a->suffix - (int)b->suffix);
	default:
		return bw_vc_bytes_cmp(a->value.ptr, a->value.len, b->value.ptr, b->value.len);
	}
}

static bool apk_valid(struct bw_slice v)
{
	struct apk_tok t = {0};
	for (apk_first(&t, &v); t.token < T_END; apk_next(&t, &v))
		;
	return t.token == T_END;
}

int bw_apk_compare_fuzzy(struct bw_slice a, struct bw_slice b, bool fuzzy)
{
	struct apk_tok ta = {0}, tb = {0};
	for (apk_first(&ta, &a), apk_first(&tb, &b); ta.token == tb.token && ta.token < T_END;
	     apk_next(&ta, &a), apk_next(&tb, &b)) {
		int r = apk_token_cmp(&ta, &tb);
		if (r)
			return r;
	}
	if (ta.token == tb.token)
		return 0;
	if (tb.token == T_END && fuzzy)
		return 0;
	if (ta.token == T_SUFFIX && ta.suffix < S_NONE)
		return -1;
	if (tb.token == T_SUFFIX && tb.suffix < S_NONE)
		return 1;
	if (ta.token > tb.token)
		return -1;
	if (tb.token > ta.token)
		return 1;
	return 0;
}

static int apk_validate(struct bw_slice v, struct bw_error *err)
{
	return apk_valid(v)
		   ? 0
		   : bw_version_invalid(err, "apk", v,
					"not an apk version (digit{.digit}{letter}{_suffix{N}}{~hash}{-rN})");
}

static int apk_compare(struct bw_slice a, struct bw_slice b, int *cmp, struct bw_error *err)
{
	int rc;
	if ((rc = apk_validate(a, err)) < 0 || (rc = apk_validate(b, err)) < 0)
		return rc;
	*cmp = bw_apk_compare_fuzzy(a, b, false);
	return 0;
}

static int apk_in_range(struct bw_slice v, struct bw_slice r, bool *in, struct bw_error *err)
{
	return bw_version_simple_range(BW_VERSION_APK, v, r, in, err);
}

const struct bw_version_ops bw_version_apk_ops = {"apk", apk_validate, apk_compare, apk_in_range};
