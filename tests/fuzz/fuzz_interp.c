/* libFuzzer harness: compose interpolation (${VAR}, defaults, errors,
 * alternatives, $$, nesting) on arbitrary bytes; the result is bounded. */
#include <stdint.h>

#include "iac/iac-int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bw_iac_config *cfg;
	if (!cfg) {
		cfg = bw_iac_config_new();
		bw_iac_config_setenv(cfg, "A=alpha");
		bw_iac_config_setenv(cfg, "EMPTY=");
		bw_iac_config_setenv(cfg, "LONG=${A}${A}$$");
	}
	struct compose_env e = {.cfg = cfg};
	char *out = NULL, *warn = NULL;
	struct bw_error err = BW_ERROR_INIT;
	int rc = compose_interpolate(&e, (const char *)data, size, &out, &warn, &err);
	if (rc < 0 && !err.msg[0])
		abort();
	if (!rc && strlen(out) > (1u << 20))
		abort();
	free(out);
	free(warn);
	return 0;
}
