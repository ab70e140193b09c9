/* The line loop of the --batch modes (vercmp, cvss): lines of any length up
 * to BATCH_LINE_MAX on standard input, one answer each on standard output. */
#include "cli.h"

#define BATCH_LINE_MAX ((size_t)1 << 30)

static int flush_out(struct bw_buf *out, struct bw_error *err)
{
	if (out->len && fwrite(out->data, 1, out->len, stdout) != out->len)
		return bw_error_sys(err, BW_EIO, "writing standard output failed");
	bw_buf_reset(out);
	return 0;
}

int bw_cli_batch(struct bw_cli *cli, bw_cli_batch_fn fn, void *ud)
{
	struct bw_error err = BW_ERROR_INIT;
	struct bw_buf out;
	size_t cap = 1 << 20, len = 0, start = 0;
	char *buf = bw_malloc(cap);
	bw_buf_init(&out, (size_t)1 << 24);
	int rc = 0;
	for (;;) {
		if (start) { /* keep the unprocessed tail */
			memmove(buf, buf + start, len - start);
			len -= start;
			start = 0;
		}
		if (len == cap) {
			if (cap >= BATCH_LINE_MAX) {
				rc = bw_error_set(&err, BW_ELIMIT,
						  "standard input: line longer than %zu bytes", cap);
				break;
			}
			cap *= 2;
			buf = bw_realloc(buf, cap);
		}
		size_t n = fread(buf + len, 1, cap - len, stdin);
		if (n == 0 && ferror(stdin)) {
			rc = bw_error_sys(&err, BW_EIO, "reading standard input failed");
			break;
		}
		size_t scan = len;
		len += n;
		char *nl;
		while ((nl = memchr(buf + scan, '\n', len - scan))) {
			size_t l = (size_t)(nl - (buf + start));
			fn(ud, buf + start, l, &out);
			start += l + 1;
			scan = start;
			if (out.len > ((size_t)1 << 20) && (rc = flush_out(&out, &err)) < 0)
				break;
		}
		if (rc < 0)
			break;
		if (n == 0) {
			if (start < len)
				fn(ud, buf + start, len - start, &out);
			break;
		}
	}
	if (!rc)
		rc = flush_out(&out, &err);
	if (!rc && fflush(stdout) != 0)
		rc = bw_error_sys(&err, BW_EIO, "writing standard output failed");
	free(buf);
	bw_buf_release(&out);
	return rc < 0 ? bw_cli_fail(cli, &err) : BW_EXIT_OK;
}
