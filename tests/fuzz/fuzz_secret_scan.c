/* libFuzzer harness: the secret scanner on arbitrary file content. The input
 * is scanned whole and again streamed in chunks whose sizes come from the
 * input; both must report the same matches (rule, line, column, mask).
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
	bw_buf_printf(&l->b, "%s %d:%d %s|", m->rule_id, m->line, m->column, m->masked);
	return 0;
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
	if (whole.b.len != streamed.b.len ||
	    (whole.b.len && memcmp(whole.b.data, streamed.b.data, whole.b.len)))
		abort();
	bw_buf_release(&whole.b);
	bw_buf_release(&streamed.b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	compare("/root/.pgpass", data, size);
	compare("/root/.git-credentials", data, size);
	return 0;
}
