/* bw-registry-probe HOST [raw METHOD PATH [SCOPE]]: the registry client's
 * probe (or one raw request) as JSON on standard output, for
 * tests/integration/test_registry.py. Options come from the environment:
 * BW_PROBE_INSECURE=1 (plain HTTP), BW_PROBE_CA=FILE. */
#include <jansson.h>

#include "registry/registry.h"

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	const char *host = argv[1];
	const char *insecure[] = {host};
	struct bw_registry_opts o = {.ca_file = getenv("BW_PROBE_CA"), .no_env_auth = true};
	if (getenv("BW_PROBE_INSECURE")) {
		o.insecure = insecure;
		o.n_insecure = 1;
	}
	struct bw_error err = BW_ERROR_INIT;
	struct bw_registry *r = NULL;
	if (bw_registry_open(host, &o, &r, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 3;
	}
	json_t *j = NULL;
	int rc;
	if (argc >= 5 && strcmp(argv[2], "raw") == 0) {
		struct bw_registry_request req = {
		    .method = argv[3], .path = argv[4], .scope = argc > 5 ? argv[5] : NULL, .follow = true};
		struct bw_registry_response resp;
		rc = bw_registry_request(r, &req, &resp, &err);
		if (rc == 0) {
			char dist[64] = "";
			bw_registry_response_header(&resp, "Docker-Distribution-Api-Version", dist,
						    sizeof(dist));
			j = json_pack("{s:I, s:s, s:s%}", "status", (json_int_t)resp.status, "api_version",
				      dist, "body", resp.body.data ? resp.body.data : "", resp.body.len);
		}
		bw_registry_response_release(&resp);
	} else {
		struct bw_registry_probe p;
		rc = bw_registry_probe(r, &p, &err);
		if (rc == 0)
			j = json_pack(
			    "{s:b, s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:b, s:I, s:s, s:s, s:s, s:s}", "tls",
			    p.tls, "tls_version", p.tls_version, "cipher", p.cipher, "subject",
			    p.cert_subject, "issuer", p.cert_issuer, "not_after", p.cert_not_after,
			    "key_bits", p.cert_key_bits, "self_signed", p.cert_self_signed, "verified",
			    p.cert_verified, "status", (json_int_t)p.status, "api_version", p.api_version,
			    "auth_scheme", p.auth_scheme, "realm", p.realm, "challenge", p.challenge);
	}
	bw_registry_free(r);
	if (rc < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 3;
	}
	json_dumpf(j, stdout, JSON_SORT_KEYS);
	json_decref(j);
	return 0;
}
