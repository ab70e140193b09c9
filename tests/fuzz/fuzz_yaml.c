/* libFuzzer harness: the YAML reader (positions, merge keys, the alias
 * budget, duplicate keys) and everything bulwark config does with what it
 * reads — the Kubernetes and compose rules, and on one input in eight the
 * fixes (whose output must parse again). */
#include <stdint.h>

#include "iac/iac.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const struct bw_yaml_node *n, size_t len, int depth)
{
	if (n->start > n->end || n->end > len || depth > 200)
		abort(); /* a position outside the text */
	for (size_t i = 0; i < n->n && n->weight < 100000; i++) {
		if (n->kind == BW_YAML_MAP) {
			walk(n->pairs[i].key, len, depth + 1);
			walk(n->pairs[i].value, len, depth + 1);
		} else {
			walk(n->items[i], len, depth + 1);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bw_yaml_limits lim = {.max_nodes = 200000, .max_docs = 1000};
	struct bw_yaml_file *f = NULL;
	struct bw_error err = BW_ERROR_INIT;
	int rc = bw_yaml_parse("fuzz.yaml", (const char *)data, size, &lim, &f, &err);
	if (rc < 0 && !err.msg[0])
		abort(); /* every failure explains itself */
	if (rc)
		return 0;
	for (size_t d = 0; d < f->n_docs; d++)
		walk(f->docs[d].root, f->len, 0);
	bw_yaml_file_free(f);

	struct bw_iac_config *cfg = bw_iac_config_new();
	bw_iac_config_setenv(cfg, "TAG=1");
	bw_iac_config_trust_registry(cfg, "docker.io");
	struct bw_report *r = bw_report_new("config", "fuzz");
	/* a directory that does not exist: no .env, include or extends file is read */
	rc = bw_iac_check_text(r, "/nonexistent-bulwark-fuzz/fuzz.yaml", (const char *)data, size, cfg, NULL,
			       &err);
	bw_iac_finish(r, cfg);
	bw_report_free(r);
	if (!rc && size < 8192 && (data[0] & 7) == 0) {
		char *out = NULL;
		size_t out_len = 0, n = 0;
		if (!bw_iac_fix_text("/nonexistent-bulwark-fuzz/fuzz.yaml", (const char *)data, size, cfg,
				     &out, &out_len, &n, &err)) {
			struct bw_yaml_file *g = NULL;
			if (n && bw_yaml_parse("fixed.yaml", out, out_len, &lim, &g, &err))
				abort(); /* a fix that breaks the file */
			bw_yaml_file_free(g);
			free(out);
		}
	}
	bw_iac_config_free(cfg);
	return 0;
}
