/* Arena, digests, path cleaning and small helpers. */
#include <limits.h>
#include <openssl/evp.h>
#include <time.h>

#include "core.h"

/* ---- arena ---- */

struct bw_arena_block {
	struct bw_arena_block *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

#define ARENA_BLOCK 65536

void bw_arena_init(struct bw_arena *a)
{
	a->head = NULL;
	a->total = 0;
}

void bw_arena_release(struct bw_arena *a)
{
	struct bw_arena_block *b = a->head;
	while (b) {
		struct bw_arena_block *n = b->next;
		free(b);
		b = n;
	}
	a->head = NULL;
	a->total = 0;
}

void *bw_arena_alloc(struct bw_arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	struct bw_arena_block *b = a->head;
	if (!b || b->size - b->used < n) {
		size_t size = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
		b = bw_malloc(sizeof(*b) + size);
		b->used = 0;
		b->size = size;
		if (size == n && a->head) {
			/* a big one-off: keep the current block for small ones */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
		a->total += size;
	}
	void *p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *bw_arena_strndup(struct bw_arena *a, const char *s, size_t n)
{
	char *p = bw_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *bw_arena_strdup(struct bw_arena *a, const char *s)
{
	return bw_arena_strndup(a, s, strlen(s));
}

/* ---- sha256 ---- */

struct bw_sha256 {
	EVP_MD_CTX *ctx;
};

struct bw_sha256 *bw_sha256_new(void)
{
	struct bw_sha256 *h = bw_malloc(sizeof(*h));
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx)
		BW_BUG("EVP_MD_CTX_new failed");
	bw_sha256_reset(h);
	return h;
}

void bw_sha256_free(struct bw_sha256 *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

void bw_sha256_reset(struct bw_sha256 *h)
{
	if (EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
		BW_BUG("EVP_DigestInit_ex failed");
}

void bw_sha256_update(struct bw_sha256 *h, const void *data, size_t len)
{
	if (len)
		EVP_DigestUpdate(h->ctx, data, len);
}

static void hexstr(const unsigned char *md, unsigned n, char *out)
{
	memcpy(out, "sha256:", 7);
	bw_hex_encode(md, n, out + 7);
}

void bw_sha256_final_str(struct bw_sha256 *h, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	EVP_DigestFinal_ex(h->ctx, md, &n);
	hexstr(md, n, out);
}

void bw_sha256_str(const void *data, size_t len, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
	hexstr(md, n, out);
}

void bw_hex_encode(const unsigned char *d, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[2 * n] = '\0';
}

void bw_sha1_hex(const void *data, size_t len, char out[BW_SHA1_HEX_MAX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	if (EVP_Digest(data, len, md, &n, EVP_sha1(), NULL) != 1 || n != 20)
		BW_BUG("EVP_Digest(sha1) failed");
	bw_hex_encode(md, n, out);
}

void bw_base64_encode(const unsigned char *d, size_t n, char *out)
{
	if (n > INT_MAX / 2)
		BW_BUG("base64 input too large");
	EVP_EncodeBlock((unsigned char *)out, d, (int)n);
}

int bw_base64_decode(const char *s, size_t n, unsigned char *out, size_t max)
{
	/* EVP_DecodeBlock skips blanks around the input and counts padding as
	 * bytes; check the form first, then insist that the bytes encode back
	 * to exactly s (which rejects stray bits in the last character). */
	if (n == 0 || n % 4 || n > 4096)
		return -1;
	size_t pad = s[n - 1] == '=' ? (s[n - 2] == '=' ? 2 : 1) : 0;
	for (size_t i = 0; i < n - pad; i++) {
		char c = s[i];
		if (!(bw_isalnum(c) || c == '+' || c == '/'))
			return -1;
	}
	size_t len = n / 4 * 3 - pad;
	if (len > max)
		return -1;
	unsigned char buf[3072 + 3];
	if (EVP_DecodeBlock(buf, (const unsigned char *)s, (int)n) != (int)(n / 4 * 3))
		return -1;
	char again[4096 + 1];
	EVP_EncodeBlock((unsigned char *)again, buf, (int)len);
	if (memcmp(again, s, n) != 0)
		return -1;
	memcpy(out, buf, len);
	return (int)len;
}

bool bw_digest_valid(const char *d)
{
	size_t want;
	const char *hex;
	if (!d)
		return false;
	if (strncmp(d, "sha256:", 7) == 0) {
		want = 64;
		hex = d + 7;
	} else if (strncmp(d, "sha512:", 7) == 0) {
		want = 128;
		hex = d + 7;
	} else {
		return false;
	}
	size_t i;
	for (i = 0; hex[i]; i++)
		if (!(bw_isdigit(hex[i]) || (hex[i] >= 'a' && hex[i] <= 'f')))
			return false;
	return i == want;
}

const char *bw_digest_hex(const char *d)
{
	return bw_digest_valid(d) ? strchr(d, ':') + 1 : NULL;
}

/* ---- paths ---- */

const char *bw_path_base(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

void bw_path_clean(const char *in, char *out, bool *escapes, bool *absolute)
{
	size_t o = 0;
	const char *p = in;
	bool esc = false;

	if (absolute)
		*absolute = (in[0] == '/');
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 1 && p[0] == '.') {
			/* skip */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (o == 0) {
				esc = true;
			} else {
				while (o > 0 && out[o - 1] != '/')
					o--;
				if (o > 0)
					o--;
			}
		} else {
			if (o > 0)
				out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
	}
	out[o] = '\0';
	if (escapes)
		*escapes = esc;
}

/* ---- misc ---- */

void bw_format_size(uint64_t n, char *out, size_t outlen)
{
	static const char *units[] = {"B", "kB", "MB", "GB", "TB"};
	double v = (double)n;
	unsigned u = 0;
	while (v >= 1000.0 && u + 1 < BW_ARRAY_SIZE(units)) {
		v /= 1000.0;
		u++;
	}
	if (u == 0)
		snprintf(out, outlen, "%llu B", (unsigned long long)n);
	else
		snprintf(out, outlen, "%.1f %s", v, units[u]);
}

int bw_ncpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

double bw_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int bw_strcasecmp(const char *a, const char *b)
{
	return bw_strncasecmp(a, b, SIZE_MAX);
}

int bw_strncasecmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
	for (size_t i = 0; i < n; i++) {
		int d = bw_tolower(p[i]) - bw_tolower(q[i]);
		if (d || !p[i])
			return d;
	}
	return 0;
}

char *bw_strcasestr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *h = haystack;; h++) {
		if (bw_strncasecmp(h, needle, n) == 0)
			return (char *)h;
		if (!*h)
			return NULL;
	}
}

bool bw_str_in(const char *s, const char *const *list)
{
	for (size_t i = 0; s && list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

bool bw_str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool bw_str_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

char *bw_next_token(char **s, const char *delims)
{
	char *t;
	while ((t = strsep(s, delims)) && !*t)
		;
	return t;
}

bool bw_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned c = p[i];
		size_t n;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (p[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}
