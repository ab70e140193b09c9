/* src/trust's simple-signing payloads (written as cosign's Go code writes
 * them, read strictly) and cosign's signature images (their manifests
 * parsed with bounds, their tags named). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>

#include "trust/trust-int.h"

#define DG "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void make_payload(const char *ref, const char *const *ann, size_t n, int want_rc, const char *want)
{
	struct bw_buf b;
	bw_buf_init(&b, BW_TRUST_PAYLOAD_MAX);
	struct bw_error err = BW_ERROR_INIT;
	int rc = bw_trust_payload_make(ref, DG, ann, n, &b, &err);
	assert_int_equal(rc, want_rc);
	if (want)
		assert_string_equal(b.data, want);
	bw_buf_release(&b);
}

static void test_make(void **state)
{
	(void)state;
	make_payload(
	    "127.0.0.1:5000/app", NULL, 0, 0,
	    "{\"critical\":{\"identity\":{\"docker-reference\":\"127.0.0.1:5000/app\"},\"image\":{\"docker-"
	    "manifest-digest\":\"" DG
	    "\"},\"type\":\"cosign container image signature\"},\"optional\":null}");
	/* keys sorted bytewise ("a" < "a.b" < "b"), Go's HTML-safe escapes, '=' in a value kept */
	const char *ann[] = {"b=<1>", "a.b=x=y", "a=&"};
	make_payload(
	    "r/app", ann, 3, 0,
	    "{\"critical\":{\"identity\":{\"docker-reference\":\"r/app\"},\"image\":{\"docker-manifest-"
	    "digest\":\"" DG "\"},\"type\":\"cosign container image signature\"},\"optional\":{\"a\":"
	    "\"\\u0026\",\"a.b\":\"x=y\",\"b\":\"\\u003c1\\u003e\"}}");
	const char *dup[] = {"k=1", "j=0", "k=2"};
	make_payload("r/app", dup, 3, BW_EUSAGE, NULL);
	const char *bad[] = {"=v"};
	make_payload("r/app", bad, 1, BW_EUSAGE, NULL);
	struct bw_buf b;
	bw_buf_init(&b, 1024);
	assert_int_equal(bw_trust_payload_make("r", "sha256:12", NULL, 0, &b, NULL), BW_EUSAGE);
	bw_buf_release(&b);
}

static int parse(const char *s, const char *why)
{
	struct bw_trust_payload p;
	struct bw_error err = BW_ERROR_INIT;
	int rc = bw_trust_payload_parse(s, strlen(s), &p, &err);
	if (rc == 0) {
		assert_string_equal(p.digest, DG);
		bw_trust_payload_release(&p);
	} else if (why) {
		assert_non_null(strstr(err.msg, why));
	}
	return rc;
}

#define CRIT(ref, type)                                                                                      \
	"{\"identity\":{\"docker-reference\":\"" ref "\"},\"image\":{\"docker-manifest-digest\":\"" DG       \
	"\"},\"type\":\"" type "\"}"

static void test_parse_strict(void **state)
{
	(void)state;
	assert_int_equal(
	    parse("{\"critical\":" CRIT("r/a", BW_TRUST_COSIGN_TYPE) ",\"optional\":null}", NULL), 0);
	assert_int_equal(
	    parse("{\"critical\":" CRIT("r/a", BW_TRUST_COSIGN_TYPE) ",\"optional\":{\"k\":\"v\"}}", NULL),
	    0);
	/* optional may be absent (older cosign) */
	assert_int_equal(parse("{\"critical\":" CRIT("r/a", BW_TRUST_COSIGN_TYPE) "}", NULL), 0);
	assert_int_equal(
	    parse("{\"critical\":" CRIT("r/a", "atomic container signature") "}", "critical.type"),
	    BW_EINPUT);
	assert_int_equal(
	    parse("{\"critical\":" CRIT("r/a", BW_TRUST_COSIGN_TYPE) ",\"critical\":{}}", "duplicate"),
	    BW_EINPUT);
	assert_int_equal(
	    parse("{\"critical\":" CRIT("r/a", BW_TRUST_COSIGN_TYPE) ",\"x\":1}", "unexpected member"),
	    BW_EINPUT);
	assert_int_equal(
	    parse("{\"critical\":" CRIT("r/a", BW_TRUST_COSIGN_TYPE) ",\"optional\":[]}", "optional"),
	    BW_EINPUT);
	assert_int_equal(parse("[]", "simple-signing"), BW_EINPUT);
	assert_int_equal(parse("not json", NULL), BW_EINPUT);
	assert_int_equal(
	    parse("{\"critical\":{\"identity\":{\"docker-reference\":1},\"image\":{\"docker-manifest-"
		  "digest\":\"" DG "\"},\"type\":\"" BW_TRUST_COSIGN_TYPE "\"}}",
		  "docker-reference"),
	    BW_EINPUT);
	/* deep nesting is refused before anything is built from it */
	struct bw_buf deep;
	bw_buf_init(&deep, 1 << 20);
	bw_buf_addstr(&deep, "{\"critical\":" CRIT("r/a", BW_TRUST_COSIGN_TYPE) ",\"optional\":");
	for (int i = 0; i < 1000; i++)
		bw_buf_addstr(&deep, "[");
	for (int i = 0; i < 1000; i++)
		bw_buf_addstr(&deep, "]");
	bw_buf_addstr(&deep, "}");
	assert_int_not_equal(parse(deep.data, NULL), 0);
	bw_buf_release(&deep);
}

static void sig_manifest(struct bw_buf *m, int n)
{
	bw_buf_init(m, BW_REGISTRY_MANIFEST_MAX);
	bw_buf_addstr(m, "{\"schemaVersion\":2,\"layers\":[");
	for (int i = 0; i < n; i++)
		bw_buf_printf(m,
			      "%s{\"mediaType\":\"" BW_TRUST_SIG_MEDIA_TYPE "\",\"size\":1,\"digest\":\"" DG
			      "\",\"annotations\":{\"" BW_TRUST_SIG_ANNOTATION "\":\"AA==\"}}",
			      i ? "," : "");
	bw_buf_addstr(m, "]}");
}

static void test_sigimage(void **state)
{
	(void)state;
	struct bw_buf m;
	sig_manifest(&m, BW_TRUST_MAX_SIGNATURES + 1);
	struct trust_sigimage s;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(trust_sigimage_parse(m.data, m.len, "m", &s, &err), BW_ELIMIT);
	bw_buf_release(&m);
	/* exactly the bound is read */
	sig_manifest(&m, BW_TRUST_MAX_SIGNATURES);
	assert_int_equal(trust_sigimage_parse(m.data, m.len, "m", &s, &err), 0);
	assert_int_equal(s.n, BW_TRUST_MAX_SIGNATURES);
	assert_string_equal(trust_layer_annotation(&s.layers[0], BW_TRUST_SIG_ANNOTATION), "AA==");
	trust_sigimage_release(&s);
	bw_buf_release(&m);
	const char *bad[] = {
	    "{\"layers\":{}}",
	    "{\"layers\":[{\"mediaType\":\"x\",\"size\":-1,\"digest\":\"" DG "\"}]}",
	    "{\"layers\":[{\"mediaType\":\"x\",\"size\":1,\"digest\":\"sha256:zz\"}]}",
	    "{\"layers\":[{\"mediaType\":\"x\",\"size\":1,\"digest\":\"" DG "\",\"annotations\":{\"a\":1}}]}",
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(bad); i++)
		assert_int_equal(trust_sigimage_parse(bad[i], strlen(bad[i]), "m", &s, &err), BW_EINPUT);
	char tag[128];
	assert_int_equal(trust_tag_for(DG, "sig", tag, sizeof(tag)), 0);
	assert_string_equal(tag,
			    "sha256-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.sig");
	assert_int_equal(trust_tag_for("latest", "sig", tag, sizeof(tag)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_make),
	    cmocka_unit_test(test_parse_strict),
	    cmocka_unit_test(test_sigimage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
