/* Parsers of what a registry sends besides manifests: the WWW-Authenticate
 * challenge, Link pagination, token answers, catalog and tag pages,
 * Retry-After and header blocks. Every one works on {ptr, len}, copies into
 * bounded fields and gives up (false / BW_EINPUT) instead of guessing.
 *
 *   WWW-Authenticate: Bearer realm="https://auth.example/token",
 *                     service="registry.example",scope="repository:a/b:pull"
 *   Link: </v2/_catalog?last=b&n=100>; rel="next"
 *   token answer: {"token": "…", "access_token": "…", "expires_in": 300}
 *   catalog page: {"repositories": ["a", "b/c"]}; tags: {"name": "a", "tags": ["1"]}
 */
#include <jansson.h>

#include "registry-int.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static bool tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool copy_field(char *out, size_t outlen, const char *s, size_t n)
{
	if (n >= outlen)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

bool reg_parse_challenge(const char *s, size_t n, struct reg_challenge *c)
{
	memset(c, 0, sizeof(*c));
	size_t i = 0;
	while (i < n && is_space(s[i]))
		i++;
	size_t st = i;
	while (i < n && tchar(s[i]))
		i++;
	if (i == st || i - st >= sizeof(c->scheme))
		return false;
	for (size_t k = st; k < i; k++)
		c->scheme[k - st] = lower(s[k]);
	int params = 0;
	while (i < n) {
		while (i < n && (is_space(s[i]) || s[i] == ','))
			i++;
		if (i == n)
			break;
		size_t ks = i;
		while (i < n && tchar(s[i]))
			i++;
		size_t kl = i - ks;
		while (i < n && is_space(s[i]))
			i++;
		if (kl == 0 || i == n || s[i] != '=')
			return false; /* a token68 or a second challenge: not one we speak */
		i++;
		while (i < n && is_space(s[i]))
			i++;
		char val[1024];
		size_t vl = 0;
		if (i < n && s[i] == '"') {
			i++;
			for (;;) {
				if (i == n)
					return false; /* unclosed quote */
				char ch = s[i++];
				if (ch == '"')
					break;
				if (ch == '\\') {
					if (i == n)
						return false;
					ch = s[i++];
				}
				if (vl + 1 >= sizeof(val))
					return false;
				val[vl++] = ch;
			}
		} else {
			while (i < n && tchar(s[i]) && s[i] != ',') {
				if (vl + 1 >= sizeof(val))
					return false;
				val[vl++] = s[i++];
			}
		}
		if (++params > REG_CHALLENGE_PARAMS)
			return false;
		const char *k = s + ks;
		char *dst = NULL;
		size_t dl = 0;
		if (kl == 5 && bw_strncasecmp(k, "realm", 5) == 0)
			dst = c->realm, dl = sizeof(c->realm);
		else if (kl == 7 && bw_strncasecmp(k, "service", 7) == 0)
			dst = c->service, dl = sizeof(c->service);
		else if (kl == 5 && bw_strncasecmp(k, "scope", 5) == 0)
			dst = c->scope, dl = sizeof(c->scope);
		else if (kl == 5 && bw_strncasecmp(k, "error", 5) == 0)
			dst = c->error, dl = sizeof(c->error);
		if (dst && !copy_field(dst, dl, val, vl))
			return false;
		while (i < n && is_space(s[i]))
			i++;
		if (i < n && s[i] != ',')
			return false;
	}
	return true;
}

bool reg_parse_link_next(const char *s, size_t n, char *out, size_t outlen)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && (is_space(s[i]) || s[i] == ','))
			i++;
		if (i == n || s[i] != '<')
			return false;
		const char *lt = s + i + 1;
		const char *gt = memchr(lt, '>', n - i - 1);
		if (!gt)
			return false;
		size_t ul = (size_t)(gt - lt);
		i = (size_t)(gt - s) + 1;
		bool next = false;
		/* params up to the next ',' that is outside quotes */
		while (i < n && s[i] != ',') {
			while (i < n && (is_space(s[i]) || s[i] == ';'))
				i++;
			size_t ks = i;
			while (i < n && tchar(s[i]))
				i++;
			size_t kl = i - ks;
			while (i < n && is_space(s[i]))
				i++;
			const char *v = NULL;
			size_t vl = 0;
			if (i < n && s[i] == '=') {
				i++;
				while (i < n && is_space(s[i]))
					i++;
				if (i < n && s[i] == '"') {
					v = s + i + 1;
					const char *q = memchr(v, '"', n - i - 1);
					if (!q)
						return false;
					vl = (size_t)(q - v);
					i = (size_t)(q - s) + 1;
				} else {
					v = s + i;
					while (i < n && tchar(s[i]))
						i++;
					vl = (size_t)(s + i - v);
				}
			}
			if (kl == 0 && i < n && s[i] != ',' && s[i] != ';' && !is_space(s[i]))
				return false;
			if (kl == 3 && bw_strncasecmp(s + ks, "rel", 3) == 0 && v) {
				/* rel may list several space-separated relation types */
				for (size_t k = 0; k + 4 <= vl; k++)
					if (bw_strncasecmp(v + k, "next", 4) == 0 &&
					    (k == 0 || v[k - 1] == ' ') && (k + 4 == vl || v[k + 4] == ' '))
						next = true;
			}
		}
		if (next)
			return ul > 0 && copy_field(out, outlen, lt, ul);
	}
	return false;
}

int reg_parse_token(const char *s, size_t n, struct reg_token *t, char *why, size_t whylen)
{
	t->token = NULL;
	t->expires_in = 60;
	json_error_t je;
	bool too_big = false;
	json_t *j = bw_json_loadb(s, n, JSON_REJECT_DUPLICATES, REG_JSON_TREE_MAX, &je, &too_big);
	if (too_big) {
		snprintf(why, whylen, "the answer takes more than %zu MiB once parsed",
			 REG_JSON_TREE_MAX >> 20);
		return BW_ELIMIT;
	}
	if (!j) {
		snprintf(why, whylen, "the answer is not JSON (%s, line %d)", je.text, je.line);
		return BW_EINPUT;
	}
	int rc = 0;
	const char *tok = NULL;
	if (!json_is_object(j)) {
		snprintf(why, whylen, "the answer is not a JSON object");
		rc = BW_EINPUT;
		goto out;
	}
	const char *keys[] = {"token", "access_token"};
	for (size_t k = 0; k < BW_ARRAY_SIZE(keys) && !tok; k++) {
		json_t *v = json_object_get(j, keys[k]);
		if (json_is_string(v) && json_string_length(v) > 0)
			tok = json_string_value(v);
		else if (v && !json_is_string(v)) {
			snprintf(why, whylen, "\"%s\" is not a string", keys[k]);
			rc = BW_EINPUT;
			goto out;
		}
	}
	if (!tok) {
		snprintf(why, whylen, "the answer holds no token");
		rc = BW_EINPUT;
		goto out;
	}
	size_t tl = strlen(tok);
	if (tl > 64 * 1024) {
		snprintf(why, whylen, "the token is longer than 64 KiB");
		rc = BW_EINPUT;
		goto out;
	}
	for (size_t i = 0; i < tl; i++)
		if (tok[i] < 0x21 || tok[i] > 0x7e) {
			snprintf(why, whylen, "the token holds a byte a header cannot carry");
			rc = BW_EINPUT;
			goto out;
		}
	json_t *e = json_object_get(j, "expires_in");
	if (json_is_integer(e)) {
		json_int_t v = json_integer_value(e);
		t->expires_in = v < 60 ? 60 : v > 86400 ? 86400 : (long)v;
	}
	t->token = bw_strdup(tok);
out:
	json_decref(j);
	return rc;
}

int reg_parse_list(const char *s, size_t n, const char *key, bool (*valid)(const char *, size_t), json_t *arr,
		   size_t room, char *why, size_t whylen)
{
	json_error_t je;
	bool too_big = false;
	json_t *j = bw_json_loadb(s, n, JSON_REJECT_DUPLICATES, REG_JSON_TREE_MAX, &je, &too_big);
	if (too_big) {
		snprintf(why, whylen, "the answer takes more than %zu MiB once parsed",
			 REG_JSON_TREE_MAX >> 20);
		return BW_ELIMIT;
	}
	if (!j) {
		snprintf(why, whylen, "the answer is not JSON (%s, line %d)", je.text, je.line);
		return BW_EINPUT;
	}
	int rc = 0;
	json_t *list = json_object_get(j, key);
	if (!json_is_object(j) || !(json_is_array(list) || json_is_null(list) || !list)) {
		snprintf(why, whylen, "the answer lacks a \"%s\" array", key);
		rc = BW_EINPUT;
		goto out;
	}
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		const char *name = json_string_value(v);
		if (!name || !valid(name, json_string_length(v))) {
			snprintf(why, whylen, "%s[%zu] is not a valid name", key, i);
			rc = BW_EINPUT;
			goto out;
		}
		if (json_array_size(arr) >= room) {
			snprintf(why, whylen, "more than %d names", BW_REGISTRY_LIST_MAX);
			rc = BW_ELIMIT;
			goto out;
		}
		json_array_append(arr, v);
	}
out:
	json_decref(j);
	return rc;
}

double reg_parse_retry_after(const char *s, size_t n)
{
	while (n && is_space(*s))
		s++, n--;
	while (n && is_space(s[n - 1]))
		n--;
	if (n == 0)
		return -1;
	double v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			/* an HTTP date: "soon" is the most we trust */
			return (s[0] >= 'A' && s[0] <= 'Z') ? 1 : -1;
		}
		if (v < 1e9)
			v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool reg_header_value(const char *hdrs, size_t n, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);
	const char *p = hdrs, *end = hdrs + n;
	bool found = false;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end;
		if ((size_t)(le - p) > nl && p[nl] == ':' && bw_strncasecmp(p, name, nl) == 0) {
			const char *v = p + nl + 1;
			const char *ve = le;
			while (v < ve && is_space(*v))
				v++;
			while (ve > v && (ve[-1] == '\r' || is_space(ve[-1])))
				ve--;
			if ((size_t)(ve - v) >= outlen)
				return false;
			memcpy(out, v, (size_t)(ve - v));
			out[ve - v] = '\0';
			found = true; /* the last one wins, as for a repeated header */
		}
		p = le + 1;
	}
	return found;
}
