/* Allocation wrappers, slices and the bounded buffer. */
#include <errno.h>
#include <fcntl.h>

#include "core.h"

static void *oom(size_t n)
{
	fprintf(stderr, "bulwark: out of memory allocating %zu bytes\n", n);
	abort();
}

void *bw_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	return p ? p : oom(n);
}

void *bw_calloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	return p ? p : oom(nmemb * size);
}

void *bw_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	return q ? q : oom(n);
}

size_t bw_st_mult(size_t a, size_t b)
{
	size_t r;
	if (__builtin_mul_overflow(a, b, &r))
		BW_BUG("size overflow in a multiplication");
	return r;
}

size_t bw_st_add(size_t a, size_t b)
{
	size_t r;
	if (__builtin_add_overflow(a, b, &r))
		BW_BUG("size overflow in an addition");
	return r;
}

size_t bw_alloc_nr(size_t nr, size_t alloc)
{
	size_t next = alloc < 8 ? 8 : bw_st_mult(alloc, 2);
	return next < nr ? nr : next;
}

char *bw_strdup(const char *s)
{
	return bw_strndup(s, strlen(s));
}

char *bw_strndup(const char *s, size_t n)
{
	char *p = bw_malloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *bw_asprintf(const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		BW_BUG("bad format");
	char *p = bw_malloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

bool bw_slice_eq(struct bw_slice a, const char *s)
{
	size_t n = strlen(s);
	return a.len == n && memcmp(a.ptr, s, n) == 0;
}

bool bw_slice_has_prefix(struct bw_slice a, const char *prefix)
{
	size_t n = strlen(prefix);
	return a.len >= n && memcmp(a.ptr, prefix, n) == 0;
}

void bw_buf_init(struct bw_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : SIZE_MAX / 2;
}

void bw_buf_release(struct bw_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void bw_buf_reset(struct bw_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

int bw_buf_add(struct bw_buf *b, const void *data, size_t len)
{
	if (len > b->max || b->len > b->max - len)
		return BW_ELIMIT;
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + len + 1)
			cap *= 2;
		if (cap > b->max + 1)
			cap = b->max + 1;
		b->data = bw_realloc(b->data, cap);
		b->cap = cap;
	}
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int bw_buf_addstr(struct bw_buf *b, const char *s)
{
	return bw_buf_add(b, s, strlen(s));
}

int bw_buf_printf(struct bw_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		BW_BUG("vasprintf failed");
	int rc = bw_buf_add(b, s, (size_t)n);
	free(s);
	return rc;
}

char *bw_buf_detach(struct bw_buf *b, size_t *len)
{
	if (!b->data)
		bw_buf_add(b, "", 0);
	char *p = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

int bw_buf_read_fd(struct bw_buf *b, int fd, const char *name, struct bw_error *err)
{
	char tmp[65536];
	for (;;) {
		ssize_t n = read(fd, tmp, sizeof(tmp));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return bw_error_sys(err, BW_EIO, "%s: read failed", name);
		}
		if (n == 0)
			return 0;
		if (bw_buf_add(b, tmp, (size_t)n) < 0)
			return bw_error_set(err, BW_ELIMIT, "%s: larger than the limit of %zu bytes", name,
					    b->max);
	}
}

int bw_buf_read_file(struct bw_buf *b, const char *path, struct bw_error *err)
{
	bw_autoclose int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bw_error_sys(err, errno == ENOENT ? BW_ENOTFOUND : BW_EIO, "%s: cannot open", path);
	return bw_buf_read_fd(b, fd, path, err);
}
