/* libFuzzer harness: the Dockerfile parser and every lint rule on arbitrary
 * bytes, with a configuration that turns on the optional rules. */
#include "lint/lint.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct bw_lint_config *config(void)
{
	static struct bw_lint_config *cfg;
	if (!cfg) {
		static const char yaml[] =
		    "enable: [BW-DF-040]\n"
		    "trusted-registries: [docker.io, '*.example.com']\n"
		    "strict-labels: true\n"
		    "label-schema: {a: url, b: semver, c: rfc3339, d: spdx, e: hash, f: email}\n"
		    "required-labels: [a]\n";
		struct bw_error err = BW_ERROR_INIT;
		cfg = bw_lint_config_new();
		if (bw_lint_config_load_string(cfg, yaml, sizeof(yaml) - 1, "fuzz", &err))
			abort();
	}
	return cfg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bw_report *r = bw_report_new("dockerfile", "fuzz");
	struct bw_error err = BW_ERROR_INIT;
	(void)bw_lint_dockerfile(r, "Dockerfile", (const char *)data, size, config(), &err);
	bw_report_free(r);
	return 0;
}
