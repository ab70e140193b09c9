/* libFuzzer harness: the --secret-config YAML parser on arbitrary bytes.
 * Small inputs that parse also go through rule compilation (PCRE2 and
 * Vectorscan on user regexes); compilation of the built-in set is what makes
 * that slow, so only one input in 64 pays it. */
#include "secret/secret-int.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bw_secret_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	bw_arena_init(&cfg.arena);
	cfg.scan_binary = -1;
	struct bw_error err = BW_ERROR_INIT;
	int rc = bw_secret_config_parse("fuzz.yaml", (const char *)data, size, &cfg, &err);
	bool compile = rc == 0 && cfg.n_rules && size < 4096 && (data[0] & 63) == 0;
	bw_secret_config_release(&cfg);
	if (rc < 0 && !err.msg[0])
		abort(); /* every failure explains itself */
	if (compile) {
		struct bw_secret_rules *r = NULL;
		if (bw_secret_rules_new_from_buffer("fuzz.yaml", (const char *)data, size, &r, &err) == 0)
			bw_secret_rules_free(r);
	}
	return 0;
}
