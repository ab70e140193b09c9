/* src/trust's TUF metadata checks (tuf.c): Notary's canonical JSON, RFC 3339
 * times, lengths and hashes against a signed meta, and signatures against
 * a role's keys and threshold (an Ed25519 key made here by OpenSSL). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "trust/trust-int.h"

static char *canon(const char *json)
{
	json_t *j = json_loads(json, 0, NULL);
	assert_non_null(j);
	struct bw_buf b;
	bw_buf_init(&b, 1 << 20);
	int rc = trust_canonical_json(&b, j);
	json_decref(j);
	if (rc < 0) {
		bw_buf_release(&b);
		return NULL;
	}
	return bw_buf_detach(&b, NULL);
}

static void test_canonical(void **state)
{
	(void)state;
	char *s =
	    canon("{ \"b\": [1, true, null], \"a\": {\"z\": \"<&>\", \"B\": \"\\u00e9\"}, \"a.b\": -3 }");
	assert_string_equal(s, "{\"a\":{\"B\":\"\xc3\xa9\",\"z\":\"\\u003c\\u0026\\u003e\"},\"a.b\":-3,"
			       "\"b\":[1,true,null]}");
	free(s);
	assert_null(canon("{\"a\": 1.5}")); /* no fractions in TUF metadata */
}

static void test_rfc3339(void **state)
{
	(void)state;
	int64_t t;
	assert_int_equal(trust_rfc3339("2036-12-04T23:44:19.246965874Z", &t), 0);
	assert_int_equal(t, 2112047059);
	assert_int_equal(trust_rfc3339("1970-01-01T01:00:00+01:00", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(trust_rfc3339("2036-12-04 23:44:19Z", &t), -1);
	assert_int_equal(trust_rfc3339("2036-13-04T23:44:19Z", &t), -1);
	assert_int_equal(trust_rfc3339("2036-12-04T23:44:19", &t), -1);
}

static void test_meta(void **state)
{
	(void)state;
	/* "abc": SHA-256 ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0= */
	json_t *m = json_loads(
	    "{\"length\":3,\"hashes\":{\"sha256\":\"ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=\"}}", 0,
	    NULL);
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(trust_tuf_meta_check("targets", m, "abc", 3, &err), 0);
	assert_int_equal(trust_tuf_meta_check("targets", m, "abd", 3, &err), BW_EINTEGRITY);
	assert_non_null(strstr(err.msg, "targets: its sha256 is not the one"));
	assert_int_equal(trust_tuf_meta_check("targets", m, "abcd", 4, &err), BW_EINTEGRITY);
	assert_non_null(strstr(err.msg, "4 bytes, not the 3"));
	json_decref(m);
	m = json_loads("{\"length\":3,\"hashes\":{}}", 0, NULL);
	assert_int_equal(trust_tuf_meta_check("targets", m, "abc", 3, &err), BW_EINTEGRITY);
	json_decref(m);
}

/* A Timestamp signed with an Ed25519 key; the role lists key_ids with threshold. */
static int check_signed(const char *expires, int threshold, bool twice, bool bad_id, char *msg, size_t n)
{
	EVP_PKEY *k = NULL;
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	assert_true(EVP_PKEY_keygen_init(c) == 1 && EVP_PKEY_keygen(c, &k) == 1);
	EVP_PKEY_CTX_free(c);
	unsigned char pub[32];
	size_t plen = sizeof(pub);
	assert_true(EVP_PKEY_get_raw_public_key(k, pub, &plen) == 1);
	char *pub64 = trust_b64_encode(pub, plen);
	json_t *key =
	    json_pack("{s:s, s:{s:n, s:s}}", "keytype", "ed25519", "keyval", "private", "public", pub64);
	struct bw_buf b;
	bw_buf_init(&b, 1 << 20);
	assert_int_equal(trust_canonical_json(&b, key), 0);
	char id[BW_DIGEST_STR_MAX];
	bw_sha256_str(b.data, b.len, id);
	const char *kid =
	    bad_id ? "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff" : id + 7;
	json_t *keys = json_pack("{s:O}", kid, key);
	json_t *role = json_pack("{s:[s,s], s:i}", "keyids", kid, "ffff", "threshold", threshold);
	json_t *sig = json_pack("{s:s, s:i, s:s, s:{}}", "_type", "Timestamp", "version", 1, "expires",
				expires, "meta");
	bw_buf_reset(&b);
	assert_int_equal(trust_canonical_json(&b, sig), 0);
	unsigned char s[64];
	size_t slen = sizeof(s);
	EVP_MD_CTX *mc = EVP_MD_CTX_new();
	assert_true(EVP_DigestSignInit(mc, NULL, NULL, NULL, k) == 1 &&
		    EVP_DigestSign(mc, s, &slen, (unsigned char *)b.data, b.len) == 1);
	EVP_MD_CTX_free(mc);
	char *s64 = trust_b64_encode(s, slen);
	json_t *one = json_pack("{s:s, s:s, s:s}", "keyid", kid, "method", "ed25519", "sig", s64);
	json_t *doc = json_pack("{s:O, s:[O]}", "signed", sig, "signatures", one);
	if (twice)
		json_array_append(json_object_get(doc, "signatures"), one);
	char *data = json_dumps(doc, JSON_COMPACT);
	json_t *out = NULL;
	struct bw_error err = BW_ERROR_INIT;
	int rc = trust_tuf_check("timestamp", "Timestamp", data, strlen(data), keys, role, 1700000000, NULL,
				 &out, &err);
	snprintf(msg, n, "%s", err.msg);
	json_decref(out);
	free(data);
	json_decref(doc);
	json_decref(one);
	free(s64);
	json_decref(sig);
	json_decref(role);
	json_decref(keys);
	json_decref(key);
	free(pub64);
	bw_buf_release(&b);
	EVP_PKEY_free(k);
	return rc;
}

static void test_signatures(void **state)
{
	(void)state;
	char msg[BW_ERROR_MAX];
	assert_int_equal(check_signed("2099-01-01T00:00:00Z", 1, false, false, msg, sizeof(msg)), 0);
	assert_int_equal(check_signed("2020-01-01T00:00:00Z", 1, false, false, msg, sizeof(msg)),
			 BW_EINTEGRITY);
	assert_string_equal(msg, "timestamp: expired on 2020-01-01T00:00:00Z");
	/* one key signing twice does not make a threshold of two */
	assert_int_equal(check_signed("2099-01-01T00:00:00Z", 2, true, false, msg, sizeof(msg)),
			 BW_EINTEGRITY);
	assert_string_equal(msg, "timestamp: 1 of the 2 required signatures verify");
	assert_int_equal(check_signed("2099-01-01T00:00:00Z", 3, false, false, msg, sizeof(msg)),
			 BW_EINTEGRITY);
	assert_non_null(strstr(msg, "a threshold of 3 cannot be met by 2 keys"));
	assert_int_equal(check_signed("2099-01-01T00:00:00Z", 1, false, true, msg, sizeof(msg)),
			 BW_EINTEGRITY);
	assert_non_null(strstr(msg, "(a key id collision)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_canonical),
	    cmocka_unit_test(test_rfc3339),
	    cmocka_unit_test(test_meta),
	    cmocka_unit_test(test_signatures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
