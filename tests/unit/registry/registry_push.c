/* bw-registry-push HOST COMMAND ARGS…: the registry client's pushes and
 * referrers, for tests/integration/test_registry_push.py. JSON on standard
 * output, the error on standard error (exit 3).
 *   exists REPO DIGEST                 {"exists": bool}
 *   blob REPO FILE                     {"digest": "sha256:…"}
 *   manifest REPO REF MEDIATYPE FILE   {"digest": …, "subject_indexed": bool}
 *   referrers REPO DIGEST [TYPE]       {"api": bool, "manifests": […]}
 *   referrers-add REPO SUBJECT JSON    {}
 * Environment: BW_PROBE_INSECURE=1 (plain HTTP), BW_PROBE_CA=FILE,
 * BW_PUSH_USER and BW_PUSH_PASSWORD. */
#include <jansson.h>

#include "registry/registry.h"

static int slurp(const char *path, struct bw_buf *b, struct bw_error *err)
{
	bw_buf_init(b, 64u << 20);
	return bw_buf_read_file(b, path, err);
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	const char *host = argv[1], *cmd = argv[2], *repo = argv[3];
	const char *insecure[] = {host};
	struct bw_registry_opts o = {.ca_file = getenv("BW_PROBE_CA"),
				     .no_env_auth = true,
				     .username = getenv("BW_PUSH_USER"),
				     .password = getenv("BW_PUSH_PASSWORD")};
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
	int rc = BW_EUSAGE;
	char digest[BW_DIGEST_STR_MAX];
	struct bw_buf b = {0};
	if (strcmp(cmd, "exists") == 0 && argc == 5) {
		bool e;
		rc = bw_registry_blob_exists(r, repo, argv[4], &e, &err);
		j = json_pack("{s:b}", "exists", e);
	} else if (strcmp(cmd, "blob") == 0 && argc == 5) {
		rc = slurp(argv[4], &b, &err);
		if (rc == 0)
			rc = bw_registry_put_blob(r, repo, b.data ? b.data : "", b.len, digest, &err);
		j = json_pack("{s:s}", "digest", digest);
	} else if (strcmp(cmd, "manifest") == 0 && argc == 7) {
		bool si = false;
		rc = slurp(argv[6], &b, &err);
		if (rc == 0)
			rc = bw_registry_put_manifest(r, repo, argv[4], argv[5], b.data ? b.data : "", b.len,
						      digest, &si, &err);
		j = json_pack("{s:s, s:b}", "digest", digest, "subject_indexed", si);
	} else if (strcmp(cmd, "referrers") == 0 && (argc == 5 || argc == 6)) {
		json_t *list = NULL;
		bool api = false;
		rc = bw_registry_referrers(r, repo, argv[4], argc == 6 ? argv[5] : NULL, &list, &api, &err);
		j = json_pack("{s:b, s:o*}", "api", api, "manifests", list);
	} else if (strcmp(cmd, "referrers-add") == 0 && argc == 6) {
		json_t *d = json_loads(argv[5], 0, NULL);
		rc = d ? bw_registry_referrers_tag_add(r, repo, argv[4], d, &err) : BW_EUSAGE;
		json_decref(d);
		j = json_object();
	}
	bw_buf_release(&b);
	bw_registry_free(r);
	if (rc < 0) {
		json_decref(j);
		fprintf(stderr, "%s\n", err.msg[0] ? err.msg : "usage");
		return rc == BW_EUSAGE && !err.msg[0] ? 2 : 3;
	}
	json_dumpf(j, stdout, JSON_SORT_KEYS);
	json_decref(j);
	return 0;
}
