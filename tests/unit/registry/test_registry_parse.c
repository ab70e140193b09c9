/* The registry client's parsers: references (refs.cases), the
 * WWW-Authenticate challenge, Link pagination, token answers, listing pages,
 * Retry-After, header blocks and docker config credentials. Pure functions,
 * no network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>

#include "registry/registry-int.h"

static const char *dash(const char *s)
{
	return s ? s : "-";
}

static void test_refs_cases(void **state)
{
	FILE *f = fopen(CASES, "r");
	assert_non_null(f);
	char line[1024];
	int n = 0, lineno = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char in[512], dom[128], host[128], repo[256], tag[256], dg[128];
		int k = sscanf(line, "%511s %127s %127s %255s %255s %127s", in, dom, host, repo, tag, dg);
		struct bw_registry_ref ref;
		struct bw_error err = BW_ERROR_INIT;
		int rc = bw_registry_ref_parse(in, false, &ref, &err);
		if (k == 2 && strcmp(dom, "error") == 0) {
			if (rc != BW_EUSAGE || !strstr(err.msg, "'"))
				fail_msg("line %d: %s: expected an error naming it, got %d '%s'", lineno, in,
					 rc, err.msg);
		} else {
			assert_int_equal(k, 6);
			if (rc != 0)
				fail_msg("line %d: %s: %s", lineno, in, err.msg);
			if (strcmp(ref.domain, dom) || strcmp(ref.host, host) || strcmp(ref.repo, repo) ||
			    strcmp(dash(ref.tag), tag) || strcmp(dash(ref.digest), dg))
				fail_msg("line %d: %s: got %s %s %s %s %s", lineno, in, ref.domain, ref.host,
					 ref.repo, dash(ref.tag), dash(ref.digest));
			bw_registry_ref_release(&ref);
		}
		n++;
	}
	fclose(f);
	assert_true(n >= 30);
}

static void test_need_domain(void **state)
{
	struct bw_registry_ref ref;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_registry_ref_parse("alpine", true, &ref, &err), BW_EUSAGE);
	assert_non_null(strstr(err.msg, "names no registry"));
	assert_int_equal(bw_registry_ref_parse("r.example/alpine", true, &ref, &err), 0);
	assert_string_equal(ref.name, "r.example/alpine:latest");
	bw_registry_ref_release(&ref);
}

static void test_challenge(void **state)
{
	struct reg_challenge c;
	const char *s = "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
			"scope=\"repository:library/alpine:pull\"";
	assert_true(reg_parse_challenge(s, strlen(s), &c));
	assert_string_equal(c.scheme, "bearer");
	assert_string_equal(c.realm, "https://auth.docker.io/token");
	assert_string_equal(c.service, "registry.docker.io");
	assert_string_equal(c.scope, "repository:library/alpine:pull");
	s = "basic Realm=plain , error=\"x\\\"y\"";
	assert_true(reg_parse_challenge(s, strlen(s), &c));
	assert_string_equal(c.scheme, "basic");
	assert_string_equal(c.realm, "plain");
	assert_string_equal(c.error, "x\"y");
	const char *bad[] = {"", "Bearer realm=\"unclosed", "Bearer abc==", "Bearer realm=\"a\"x",
			     "Bearer realm=\"a\nb\""};
	for (size_t i = 0; i < BW_ARRAY_SIZE(bad); i++)
		if (reg_parse_challenge(bad[i], strlen(bad[i]), &c))
			fail_msg("accepted challenge '%s'", bad[i]);
}

static void test_link(void **state)
{
	char out[256];
	const char *s = "</v2/_catalog?last=b&n=100>; rel=\"next\"";
	assert_true(reg_parse_link_next(s, strlen(s), out, sizeof(out)));
	assert_string_equal(out, "/v2/_catalog?last=b&n=100");
	s = "<https://r/v2/x/tags/list?n=1>; rel=\"prev\", </v2/x/tags/list?last=c>; rel=next";
	assert_true(reg_parse_link_next(s, strlen(s), out, sizeof(out)));
	assert_string_equal(out, "/v2/x/tags/list?last=c");
	s = "</a>; rel=\"prev nextish\"";
	assert_false(reg_parse_link_next(s, strlen(s), out, sizeof(out)));
	s = "</a; rel=next";
	assert_false(reg_parse_link_next(s, strlen(s), out, sizeof(out)));
}

static void test_token(void **state)
{
	struct reg_token t;
	char why[200];
	const char *s = "{\"token\":\"abc.def\",\"expires_in\":10}";
	assert_int_equal(reg_parse_token(s, strlen(s), &t, why, sizeof(why)), 0);
	assert_string_equal(t.token, "abc.def");
	assert_int_equal(t.expires_in, 60);
	free(t.token);
	s = "{\"access_token\":\"x\",\"expires_in\":3600}";
	assert_int_equal(reg_parse_token(s, strlen(s), &t, why, sizeof(why)), 0);
	assert_string_equal(t.token, "x");
	assert_int_equal(t.expires_in, 3600);
	free(t.token);
	const char *bad[] = {"<html>", "[]", "{\"token\":\"\"}", "{\"token\":\"a b\"}", "{\"token\":1}"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(bad); i++) {
		why[0] = '\0';
		assert_int_equal(reg_parse_token(bad[i], strlen(bad[i]), &t, why, sizeof(why)), BW_EINPUT);
		assert_true(why[0] != '\0');
	}
}

static bool repo_ok(const char *s, size_t n)
{
	return bw_registry_repo_valid(s, n);
}

static void test_list(void **state)
{
	char why[200];
	json_t *arr = json_array();
	const char *s = "{\"repositories\":[\"a\",\"b/c\"]}";
	assert_int_equal(reg_parse_list(s, strlen(s), "repositories", repo_ok, arr, 10, why, sizeof(why)), 0);
	assert_int_equal(json_array_size(arr), 2);
	s = "{\"repositories\":[\"ok\",\"\\u001bbad\"]}";
	assert_int_equal(reg_parse_list(s, strlen(s), "repositories", repo_ok, arr, 10, why, sizeof(why)),
			 BW_EINPUT);
	s = "{\"repositories\":[\"d\",\"e\",\"f\"]}";
	assert_int_equal(reg_parse_list(s, strlen(s), "repositories", repo_ok, arr, 4, why, sizeof(why)),
			 BW_ELIMIT);
	s = "{\"name\":\"x\",\"tags\":null}";
	assert_int_equal(reg_parse_list(s, strlen(s), "tags", repo_ok, arr, 10, why, sizeof(why)), 0);
	json_decref(arr);
}

static void test_retry_after_and_headers(void **state)
{
	assert_true(reg_parse_retry_after(" 120 ", 5) == 120);
	assert_true(reg_parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 29) == 1);
	assert_true(reg_parse_retry_after("-1", 2) == -1);
	assert_true(reg_parse_retry_after("", 0) == -1);
	const char *h = "HTTP/1.1 200 OK\r\ncontent-type: a/b\r\nDocker-Content-Digest:  sha256:x \r\n\r\n";
	char out[64];
	assert_true(reg_header_value(h, strlen(h), "Content-Type", out, sizeof(out)));
	assert_string_equal(out, "a/b");
	assert_true(reg_header_value(h, strlen(h), "docker-content-digest", out, sizeof(out)));
	assert_string_equal(out, "sha256:x");
	assert_false(reg_header_value(h, strlen(h), "Link", out, sizeof(out)));
	assert_false(reg_header_value(h, strlen(h), "Content-Type", out, 3));
}

static void test_creds_json(void **state)
{
	json_t *j = json_loads("{\"auths\":{\"https://127.0.0.1:5000/v2/\":{\"auth\":\"dXNlcjpwOmFzcw==\"},"
			       "\"https://index.docker.io/v1/\":{\"auth\":\"aHViOnB3\"}},"
			       "\"credHelpers\":{\"gcr.io\":\"gcloud\"},\"credsStore\":\"desktop\"}",
			       0, NULL);
	assert_non_null(j);
	struct reg_creds c = {0};
	const char *helper = NULL;
	assert_int_equal(reg_creds_from_json(j, "127.0.0.1:5000", &c, &helper), 1);
	assert_string_equal(c.username, "user");
	assert_string_equal(c.password, "p:ass");
	reg_creds_release(&c);
	assert_int_equal(reg_creds_from_json(j, BW_REGISTRY_DOCKER_HUB_HOST, &c, &helper), 1);
	assert_string_equal(c.username, "hub");
	reg_creds_release(&c);
	assert_int_equal(reg_creds_from_json(j, "gcr.io", &c, &helper), 0);
	assert_string_equal(helper, "gcloud");
	assert_int_equal(reg_creds_from_json(j, "other.example", &c, &helper), 0);
	assert_string_equal(helper, "desktop");
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_refs_cases),
	    cmocka_unit_test(test_need_domain),
	    cmocka_unit_test(test_challenge),
	    cmocka_unit_test(test_link),
	    cmocka_unit_test(test_token),
	    cmocka_unit_test(test_list),
	    cmocka_unit_test(test_retry_after_and_headers),
	    cmocka_unit_test(test_creds_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
