/* Package URL comparison for suppression scopes (purl-spec:
 * pkg:type/namespace/name@version?qualifiers#subpath). */
#include "suppress-int.h"

struct purl_parts {
	struct bw_slice type, path, version, qualifiers; /* path = namespace/name */
};

static bool split(const char *s, struct purl_parts *p)
{
	memset(p, 0, sizeof(*p));
	if (bw_strncasecmp(s, "pkg:", 4) != 0)
		return false;
	s += 4;
	while (*s == '/')
		s++;
	size_t len = strcspn(s, "#");
	const char *q = memchr(s, '?', len);
	size_t main_len = q ? (size_t)(q - s) : len;
	if (q)
		p->qualifiers = (struct bw_slice){q + 1, len - main_len - 1};
	const char *slash = memchr(s, '/', main_len);
	if (!slash)
		return false;
	p->type = (struct bw_slice){s, (size_t)(slash - s)};
	const char *rest = slash + 1;
	size_t rl = main_len - (size_t)(rest - s);
	/* the version follows the last '@' of the last path segment */
	const char *last = rest;
	for (size_t i = 0; i < rl; i++)
		if (rest[i] == '/')
			last = rest + i + 1;
	const char *at = memrchr(last, '@', rl - (size_t)(last - rest));
	if (at) {
		p->path = (struct bw_slice){rest, (size_t)(at - rest)};
		p->version = (struct bw_slice){at + 1, rl - (size_t)(at + 1 - rest)};
	} else {
		p->path = (struct bw_slice){rest, rl};
	}
	return p->type.len && p->path.len;
}

static int hexval(char c)
{
	if (bw_isdigit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Next byte of a percent-encoded slice. */
static int next_byte(struct bw_slice s, size_t *i)
{
	if (*i >= s.len)
		return -1;
	if (s.ptr[*i] == '%' && *i + 2 < s.len) {
		int h = hexval(s.ptr[*i + 1]), l = hexval(s.ptr[*i + 2]);
		if (h >= 0 && l >= 0) {
			*i += 3;
			return h * 16 + l;
		}
	}
	return (unsigned char)s.ptr[(*i)++];
}

static bool decoded_eq(struct bw_slice a, struct bw_slice b, bool nocase)
{
	size_t i = 0, j = 0;
	for (;;) {
		int x = next_byte(a, &i), y = next_byte(b, &j);
		if (nocase && bw_isupper(x))
			x += 32;
		if (nocase && bw_isupper(y))
			y += 32;
		if (x != y)
			return false;
		if (x < 0)
			return true;
	}
}

/* Is the qualifier "k=v" of want present in have's qualifiers? */
static bool has_qualifier(struct bw_slice have, struct bw_slice kv)
{
	size_t i = 0;
	while (i <= have.len && have.len) {
		size_t j = i;
		while (j < have.len && have.ptr[j] != '&')
			j++;
		if (decoded_eq((struct bw_slice){have.ptr + i, j - i}, kv, false))
			return true;
		i = j + 1;
		if (j >= have.len)
			break;
	}
	return false;
}

bool bw_suppress_purl_match(const char *want, const char *have)
{
	struct purl_parts w, h;
	if (!want || !have || !split(want, &w) || !split(have, &h))
		return false;
	if (!decoded_eq(w.type, h.type, true) || !decoded_eq(w.path, h.path, false))
		return false;
	if (w.version.len && !decoded_eq(w.version, h.version, false))
		return false;
	size_t i = 0;
	while (i < w.qualifiers.len) {
		size_t j = i;
		while (j < w.qualifiers.len && w.qualifiers.ptr[j] != '&')
			j++;
		if (j > i && !has_qualifier(h.qualifiers, (struct bw_slice){w.qualifiers.ptr + i, j - i}))
			return false;
		i = j + 1;
	}
	return true;
}
