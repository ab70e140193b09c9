/* bw-engine-probe: one engine request from the command line, for the
 * integration tests (tests/integration/test_engine*.py).
 *   bw-engine-probe [--host H] [--max N] [--timeout MS] get|stream|raw PATH
 * Prints the API version on stderr's first line, then the JSON answer (get),
 * the byte count (stream) or the body (raw) on stdout. On error prints
 * "error <code-name>: <message>" on stderr and exits 3. */
#include <jansson.h>

#include "engine/engine.h"

#include <errno.h>

int main(int argc, char **argv)
{
	struct bw_engine_opts o = {0};
	size_t max = 0;
	int i = 1;
	for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (strcmp(argv[i], "--host") == 0)
			o.host = argv[i + 1];
		else if (strcmp(argv[i], "--max") == 0)
			max = strtoull(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--timeout") == 0)
			o.timeout_ms = strtol(argv[i + 1], NULL, 10);
	}
	if (argc - i != 2) {
		fprintf(stderr,
			"usage: bw-engine-probe [--host H] [--max N] [--timeout MS] get|stream|raw PATH\n");
		return 2;
	}
	struct bw_error err = BW_ERROR_INIT;
	struct bw_engine *e = NULL;
	int rc = bw_engine_open(&o, &e, &err);
	if (rc == 0) {
		fprintf(stderr, "api %s host %s\n", bw_engine_api_version(e), bw_engine_host(e));
		if (strcmp(argv[i], "get") == 0) {
			json_t *j = NULL;
			rc = bw_engine_get_json(e, argv[i + 1], max, &j, &err);
			if (rc == 0) {
				json_dumpf(j, stdout, JSON_COMPACT | JSON_ENCODE_ANY);
				fputc('\n', stdout);
			}
			json_decref(j);
		} else if (strcmp(argv[i], "raw") == 0) {
			struct bw_buf b;
			bw_buf_init(&b, max);
			rc = bw_engine_get_raw(e, argv[i + 1], &b, &err);
			if (rc == 0)
				fwrite(b.data, 1, b.len, stdout);
			bw_buf_release(&b);
		} else {
			rc = bw_engine_get_stream(e, argv[i + 1], NULL, NULL, &err);
		}
	}
	bw_engine_free(e);
	if (rc) {
		fprintf(stderr, "error %s: %s\n", bw_errcode_name(rc), err.msg);
		return 3;
	}
	return 0;
}
