/* libFuzzer harness: the secret scanner on arbitrary file content. The input
 * is scanned whole and again streamed in chunks whose sizes come from the
 * input; both must report the same matches (rule, line, column, mask), in
 * any order: a chunked scan confirms a candidate as soon as enough text
 * follows it, a whole one at the end, rule by rule.
 * Each input is scanned as a .pgpass and as a .git-credentials file, so the
 * path-scoped rules of both run too. */
#include "secret/secret.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct bw_secret_rules *rules(void)
{
	static struct bw_secret_rules *r;
	if (!r) {
		struct bw_error err = BW_ERROR_INIT;
		/* binaries too: the fuzzer's inputs are full of NUL bytes */
		static const char yaml[] = "scan-binary: true\n";
		if (bw_secret_rules_new_from_buffer("fuzz", yaml, sizeof(yaml) - 1, &r, &err) < 0)
			abort();
	}
	return r;
}

struct log {
	struct bw_buf b;
};

static int rec(void *ud, const struct bw_secret_match *m)
{
	struct log *l = ud;
	bw_buf_printf(&l->b, "%s %d:%d %s\n", m->rule_id, m->line, m->column, m->masked);
	return 0;
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The log's lines in sorted order, NUL-terminated in place. */
static char **sorted_lines(struct bw_buf *b, size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < b->len; i++)
		*n += b->data[i] == '\n';
	char **v = bw_calloc(*n ? *n : 1, sizeof(char *));
	char *p = b->data;
	for (size_t i = 0; i < *n; i++) {
		char *e = memchr(p, '\n', (size_t)(b->data + b->len - p));
		*e = '\0';
		v[i] = p;
		p = e + 1;
	}
	qsort(v, *n, sizeof(char *), cmp_line);
	return v;
}

static void compare(const char *path, const uint8_t *data, size_t size)
{
	struct bw_error err = BW_ERROR_INIT;
	struct log whole, streamed;
	bw_buf_init(&whole.b, 1u << 24);
	bw_buf_init(&streamed.b, 1u << 24);
	if (bw_secret_scan_buffer(rules(), path, data, size, rec, &whole, &err) < 0)
		abort();
	struct bw_secret_scanner *s = bw_secret_scanner_new(rules());
	bw_secret_scan_begin(s, path, &err);
	size_t off = 0, step = size ? (size_t)data[0] % 17 + 1 : 1;
	while (off < size) {
		size_t n = size - off < step ? size - off : step;
		if (bw_secret_scan_chunk(s, data + off, n, rec, &streamed, &err) < 0)
			abort();
		off += n;
		step = (size_t)data[off % size] % 61 + 1;
	}
	if (bw_secret_scan_end(s, rec, &streamed, &err) < 0)
		abort();
	bw_secret_scanner_free(s);
	size_t nw, ns;
	char **w = sorted_lines(&whole.b, &nw), **st = sorted_lines(&streamed.b, &ns);
	if (nw != ns)
		abort();
	for (size_t i = 0; i < nw; i++)
		if (strcmp(w[i], st[i]) != 0)
			abort();
	free(w);
	free(st);
	bw_buf_release(&whole.b);
	bw_buf_release(&streamed.b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	compare("/root/.pgpass", data, size);
	compare("/root/.git-credentials", data, size);
	return 0;
}
