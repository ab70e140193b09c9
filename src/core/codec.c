/* Compact length-prefixed records (see core.h): the layer cache's format. */
#include "core.h"

int bw_enc_u64(struct bw_buf *b, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0;
	do {
		unsigned char c = v & 0x7f;
		v >>= 7;
		tmp[n++] = (unsigned char)(c | (v ? 0x80 : 0));
	} while (v);
	return bw_buf_add(b, tmp, n);
}

int bw_enc_strn(struct bw_buf *b, const char *s, size_t n)
{
	if (!s)
		return bw_enc_u64(b, 0);
	int rc = bw_enc_u64(b, (uint64_t)n + 1);
	return rc ? rc : bw_buf_add(b, s, n);
}

int bw_enc_str(struct bw_buf *b, const char *s)
{
	return bw_enc_strn(b, s, s ? strlen(s) : 0);
}

uint64_t bw_dec_u64(struct bw_dec *d)
{
	uint64_t v = 0;
	if (d->bad)
		return 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (d->p >= d->end)
			break;
		unsigned char c = *d->p++;
		if (shift == 63 && (c & 0x7e))
			break; /* more than 64 bits */
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	d->bad = true;
	return 0;
}

uint64_t bw_dec_max(struct bw_dec *d, uint64_t max)
{
	uint64_t v = bw_dec_u64(d);
	if (v > max) {
		d->bad = true;
		return 0;
	}
	return v;
}

size_t bw_dec_count(struct bw_dec *d)
{
	return (size_t)bw_dec_max(d, (uint64_t)(d->end - d->p));
}

const char *bw_dec_str(struct bw_dec *d, struct bw_arena *a)
{
	uint64_t n = bw_dec_u64(d);
	if (d->bad || n == 0)
		return NULL;
	n--;
	if (n > (uint64_t)(d->end - d->p) || memchr(d->p, 0, (size_t)n)) {
		d->bad = true;
		return NULL;
	}
	char *s = bw_arena_strndup(a, (const char *)d->p, (size_t)n);
	d->p += n;
	return s;
}
