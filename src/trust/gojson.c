/* JSON as the other side writes and reads it: Go's encoding/json string
 * escaping (cosign's payloads are json.Marshal output, so ours must be the
 * same bytes), a bounded strict parser for everything untrusted, and
 * base64 helpers. */
#include <jansson.h>

#include "trust-int.h"

static const char hexd[] = "0123456789abcdef";

/* The length of the UTF-8 sequence at s[0..n) that Go's decoder accepts
 * (no surrogates, no overlongs, at most U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t k;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		k = 2, v = c & 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		k = 3, v = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		k = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < k)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return k;
}

int trust_gojson_str(struct bw_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	int rc = bw_buf_add(b, "\"", 1);
	size_t i = 0;
	while (i < n && rc == 0) {
		unsigned char c = p[i];
		if (c < 0x80) {
			char e[7];
			if (c == '"' || c == '\\') {
				e[0] = '\\', e[1] = (char)c;
				rc = bw_buf_add(b, e, 2);
			} else if (c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
				e[0] = '\\';
				e[1] = c == '\b'   ? 'b'
				       : c == '\f' ? 'f'
				       : c == '\n' ? 'n'
				       : c == '\r' ? 'r'
						   : 't';
				rc = bw_buf_add(b, e, 2);
			} else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
				memcpy(e, "\\u00", 4);
				e[4] = hexd[c >> 4], e[5] = hexd[c & 15];
				rc = bw_buf_add(b, e, 6);
			} else {
				rc = bw_buf_add(b, &c, 1);
			}
			i++;
			continue;
		}
		uint32_t cp;
		size_t k = utf8_len(p + i, n - i, &cp);
		if (k == 0) {
			rc = bw_buf_add(b, "\\ufffd", 6);
			i++;
		} else if (cp == 0x2028 || cp == 0x2029) {
			rc = bw_buf_add(b, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);
			i += k;
		} else {
			rc = bw_buf_add(b, p + i, k);
			i += k;
		}
	}
	if (rc == 0)
		rc = bw_buf_add(b, "\"", 1);
	return rc;
}

int trust_json_depth(const json_t *j)
{
	/* iterative would need a stack as deep; jansson itself refuses more than
	 * 2048 levels, so this recursion is bounded by that */
	int d = 0;
	if (json_is_object(j)) {
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)j, k, v)
		{
			int e = trust_json_depth(v);
			d = e > d ? e : d;
		}
	} else if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v)
		{
			int e = trust_json_depth(v);
			d = e > d ? e : d;
		}
	}
	return d + 1;
}

/* The nesting of raw JSON text, counted over brackets outside strings:
 * checked before parsing, so a hostile document never reaches jansson's
 * recursion deeper than depth. */
static bool raw_depth_ok(const char *s, size_t n, int depth)
{
	int d = 0;
	bool in_str = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"')
			in_str = true;
		else if (c == '{' || c == '[') {
			if (++d > depth)
				return false;
		} else if (c == '}' || c == ']')
			d--;
	}
	return true;
}

json_t *trust_json_parse(const char *data, size_t len, size_t max, int depth, const char *name,
			 struct bw_error *err)
{
	if (len > max) {
		bw_error_set(err, BW_ELIMIT, "%s: %zu bytes, more than the %zu allowed", name, len, max);
		return NULL;
	}
	if (!raw_depth_ok(data, len, depth)) {
		bw_error_set(err, BW_ELIMIT, "%s: JSON nested deeper than %d levels", name, depth);
		return NULL;
	}
	json_error_t je;
	bool too_big = false;
	json_t *j = bw_json_loadb(data, len, JSON_REJECT_DUPLICATES, BW_JSON_TREE_MAX, &je, &too_big);
	if (too_big) {
		bw_error_set(err, BW_ELIMIT, "%s: takes more than %zu MiB once parsed", name,
			     BW_JSON_TREE_MAX >> 20);
		return NULL;
	}
	if (!j) {
		bw_error_set(err, BW_EINPUT, "%s: not valid JSON (%s, at byte %d)", name, je.text,
			     je.position);
		return NULL;
	}
	return j;
}

bool trust_b64_decode(const char *s, size_t n, size_t max, unsigned char **out, size_t *out_len)
{
	*out = NULL;
	*out_len = 0;
	if (n % 4 != 0 || n / 4 * 3 > max + 2)
		return false;
	size_t cap = n / 4 * 3 + 1;
	unsigned char *b = bw_malloc(cap);
	int k = bw_base64_decode(s, n, b, cap);
	if (k < 0 || (size_t)k > max) {
		free(b);
		return false;
	}
	*out = b;
	*out_len = (size_t)k;
	return true;
}

char *trust_b64_encode(const void *d, size_t n)
{
	char *s = bw_malloc(bw_st_add(bw_st_mult(4, (n + 2) / 3), 1));
	bw_base64_encode(d, n, s);
	return s;
}
