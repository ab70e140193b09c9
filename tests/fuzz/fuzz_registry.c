/* libFuzzer harness: what parses a registry's answers besides manifests.
 * The first byte chooses the parser: the WWW-Authenticate challenge, the
 * Link header's next page, a token answer, a catalog or tags page,
 * Retry-After, a header block, image references and registry hosts, and
 * credentials in a docker config.json. Every field written must be
 * NUL-terminated within its bound and every failure must say why. */
#include <jansson.h>

#include "registry/registry-int.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s, size_t cap)
{
	if (!memchr(s, '\0', cap))
		abort();
}

static bool any_name(const char *s, size_t n)
{
	return bw_registry_repo_valid(s, n) || bw_registry_tag_valid(s, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned sel = data[0] % 9;
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	char why[200] = "";
	switch (sel) {
	case 0: {
		struct reg_challenge c;
		if (reg_parse_challenge(s, n, &c)) {
			check_str(c.scheme, sizeof(c.scheme));
			check_str(c.realm, sizeof(c.realm));
			check_str(c.service, sizeof(c.service));
			check_str(c.scope, sizeof(c.scope));
		}
		break;
	}
	case 1: {
		char out[2048];
		if (reg_parse_link_next(s, n, out, sizeof(out)) && (!out[0] || strlen(out) >= sizeof(out)))
			abort();
		break;
	}
	case 2: {
		struct reg_token t;
		int rc = reg_parse_token(s, n, &t, why, sizeof(why));
		if (rc == 0) {
			if (!t.token || !*t.token || t.expires_in < 60 || t.expires_in > 86400)
				abort();
			for (const char *p = t.token; *p; p++)
				if (*p < 0x21 || *p > 0x7e)
					abort();
			free(t.token);
		} else if (!why[0] || t.token) {
			abort();
		}
		break;
	}
	case 3:
	case 4: {
		json_t *arr = json_array();
		int rc = reg_parse_list(s, n, sel == 3 ? "repositories" : "tags", any_name, arr, 50, why,
					sizeof(why));
		if (rc < 0 && !why[0])
			abort();
		if (json_array_size(arr) > 50)
			abort();
		json_decref(arr);
		break;
	}
	case 5: {
		double v = reg_parse_retry_after(s, n);
		if (v != -1 && (v < 0 || v > 1e10))
			abort();
		char out[256];
		if (reg_header_value(s, n, "Link", out, sizeof(out)))
			check_str(out, sizeof(out));
		break;
	}
	case 6: {
		char *t = bw_strndup(s, n);
		struct bw_registry_ref ref;
		struct bw_error err = BW_ERROR_INIT;
		int rc = bw_registry_ref_parse(t, n & 1, &ref, &err);
		if (rc == 0) {
			if (!ref.host || !ref.repo || !ref.name || (!ref.tag && !ref.digest) ||
			    !bw_registry_repo_valid(ref.repo, strlen(ref.repo)) ||
			    !bw_registry_host_valid(ref.domain, strlen(ref.domain)))
				abort();
			bw_registry_ref_release(&ref);
		} else if (!err.msg[0]) {
			abort();
		}
		free(t);
		break;
	}
	case 7:
		(void)bw_registry_host_valid(s, n);
		(void)bw_registry_tag_valid(s, n);
		break;
	case 8: {
		json_t *j = json_loadb(s, n, 0, NULL);
		if (j) {
			struct reg_creds c = {0};
			const char *helper = NULL;
			(void)reg_creds_from_json(j, "127.0.0.1:5000", &c, &helper);
			reg_creds_release(&c);
			(void)reg_creds_from_json(j, "docker.io", &c, &helper);
			reg_creds_release(&c);
			json_decref(j);
		}
		break;
	}
	}
	return 0;
}
