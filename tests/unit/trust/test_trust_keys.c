/* src/trust's keys: cosign's encrypted private-key format (seal, open, a
 * wrong password, tampered parameters and fields), PEM loading of every
 * supported kind and refusal of the others, signing and verifying, and the
 * Go-compatible JSON string encoding the payloads are written with. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "trust/trust-int.h"

static char *pem_private(const char *type, const char *param)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, type, param);
	assert_non_null(k);
	BIO *b = BIO_new(BIO_s_mem());
	PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL);
	char *d;
	long n = BIO_get_mem_data(b, &d);
	char *s = bw_strndup(d, (size_t)n);
	BIO_free(b);
	EVP_PKEY_free(k);
	return s;
}

static char *pem_rsa(void)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	BIO *b = BIO_new(BIO_s_mem());
	PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL);
	char *d;
	long n = BIO_get_mem_data(b, &d);
	char *s = bw_strndup(d, (size_t)n);
	BIO_free(b);
	EVP_PKEY_free(k);
	return s;
}

static void sign_verify(struct bw_trust_key *priv, struct bw_trust_key *pub)
{
	struct bw_error err = BW_ERROR_INIT;
	struct bw_buf sig;
	bw_buf_init(&sig, 4096);
	const char msg[] = "{\"critical\":{}}";
	assert_int_equal(bw_trust_key_sign(priv, msg, sizeof(msg) - 1, &sig, &err), 0);
	assert_int_equal(bw_trust_key_verify(pub, msg, sizeof(msg) - 1, sig.data, sig.len, &err), 0);
	assert_int_equal(bw_trust_key_verify(pub, msg, sizeof(msg) - 2, sig.data, sig.len, &err),
			 BW_EINTEGRITY);
	assert_non_null(strstr(err.msg, "does not verify"));
	sig.data[sig.len / 2] ^= 1;
	assert_int_equal(bw_trust_key_verify(pub, msg, sizeof(msg) - 1, sig.data, sig.len, &err),
			 BW_EINTEGRITY);
	/* a public key cannot sign */
	assert_int_equal(bw_trust_key_sign(pub, msg, 3, &sig, &err), BW_EUSAGE);
	bw_buf_release(&sig);
}

static void test_generate_roundtrip(void **state)
{
	(void)state;
	struct bw_error err = BW_ERROR_INIT;
	char *priv = NULL, *pub = NULL;
	assert_int_equal(bw_trust_key_generate("pw", 2, &priv, &pub, &err), 0);
	assert_non_null(strstr(priv, "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"));
	assert_non_null(strstr(pub, "-----BEGIN PUBLIC KEY-----\n"));
	assert_true(bw_trust_key_is_encrypted(priv, strlen(priv)));
	assert_false(bw_trust_key_is_encrypted(pub, strlen(pub)));

	struct bw_trust_key *k = NULL, *p = NULL;
	assert_int_equal(bw_trust_key_load(priv, strlen(priv), "t.key", "wrong", 5, &k, &err), BW_EINPUT);
	assert_null(k);
	assert_non_null(strstr(err.msg, "t.key"));
	assert_non_null(strstr(err.msg, "wrong password or corrupted key"));
	assert_int_equal(bw_trust_key_load(priv, strlen(priv), "t.key", "pw", 2, &k, &err), 0);
	assert_true(bw_trust_key_has_private(k));
	assert_string_equal(bw_trust_key_kind(k), "ECDSA P-256");
	assert_int_equal(bw_trust_key_load(pub, strlen(pub), "t.pub", NULL, 0, &p, &err), 0);
	assert_false(bw_trust_key_has_private(p));
	char *again = bw_trust_key_public_pem(k);
	assert_string_equal(again, pub);
	char id1[BW_DIGEST_STR_MAX], id2[BW_DIGEST_STR_MAX];
	bw_trust_key_id(k, id1);
	bw_trust_key_id(p, id2);
	assert_string_equal(id1, id2);
	sign_verify(k, p);
	free(again);
	bw_trust_key_free(k);
	bw_trust_key_free(p);
	free(priv);
	free(pub);
}

static void test_plain_keys(void **state)
{
	(void)state;
	const struct {
		const char *type, *param, *kind;
	} kinds[] = {
	    {"EC", "P-256", "ECDSA P-256"}, {"EC", "P-384", "ECDSA P-384"}, {"ED25519", NULL, "Ed25519"}};
	for (size_t i = 0; i < BW_ARRAY_SIZE(kinds); i++) {
		char *pem = pem_private(kinds[i].type, kinds[i].param);
		struct bw_error err = BW_ERROR_INIT;
		struct bw_trust_key *k = NULL, *p = NULL;
		assert_false(bw_trust_key_is_encrypted(pem, strlen(pem)));
		assert_int_equal(bw_trust_key_load(pem, strlen(pem), "k.pem", NULL, 0, &k, &err), 0);
		assert_string_equal(bw_trust_key_kind(k), kinds[i].kind);
		char *pub = bw_trust_key_public_pem(k);
		assert_int_equal(bw_trust_key_load(pub, strlen(pub), "k.pub", NULL, 0, &p, &err), 0);
		sign_verify(k, p);
		free(pub);
		free(pem);
		bw_trust_key_free(k);
		bw_trust_key_free(p);
	}
	/* others are refused, naming the input */
	char *pem = pem_private("EC", "P-521");
	struct bw_error err = BW_ERROR_INIT;
	struct bw_trust_key *k = NULL;
	assert_int_equal(bw_trust_key_load(pem, strlen(pem), "p521.pem", NULL, 0, &k, &err), BW_EUNSUPPORTED);
	assert_non_null(strstr(err.msg, "p521.pem"));
	free(pem);
	pem = pem_rsa();
	assert_int_equal(bw_trust_key_load(pem, strlen(pem), "rsa.pem", NULL, 0, &k, &err), BW_EUNSUPPORTED);
	free(pem);
	const char *junk[] = {
	    "", "not a key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
	    "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
	    "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED SIGSTORE "
	    "PRIVATE KEY-----\n"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(junk); i++) {
		bw_error_clear(&err);
		assert_true(bw_trust_key_load(junk[i], strlen(junk[i]), "junk", "", 0, &k, &err) < 0);
		assert_null(k);
		assert_non_null(strstr(err.msg, "junk"));
	}
}

/* Seal a document, then rewrite one field of it and check the refusal. */
static void test_encrypted_tampered(void **state)
{
	(void)state;
	struct bw_error err = BW_ERROR_INIT;
	struct bw_buf doc;
	bw_buf_init(&doc, 1 << 20);
	const char plain[] = "secret key bytes";
	assert_int_equal(trust_encrypted_seal(plain, sizeof(plain), "pw", 2, 32768, &doc, &err), 0);
	unsigned char *out = NULL;
	size_t n = 0;
	assert_int_equal(trust_encrypted_open(doc.data, doc.len, "pw", 2, &out, &n, &err), 0);
	assert_int_equal(n, sizeof(plain));
	assert_memory_equal(out, plain, n);
	free(out);

	const struct {
		const char *path, *value, *want;
	} cases[] = {
	    {"kdf.params.N", "1048576", "scrypt parameters"},
	    {"kdf.params.r", "16", "scrypt parameters"},
	    {"kdf.name", "\"pbkdf2\"", "not scrypt"},
	    {"cipher.name", "\"aes-gcm\"", "not nacl/secretbox"},
	    {"cipher.nonce", "\"AAAA\"", "nonce"},
	    {"cipher.nonce", "\"%%%%\"", "nonce"},
	    {"ciphertext", "\"AAAA\"", "ciphertext"},
	    {"kdf.salt", "5", "salt"},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(cases); i++) {
		json_t *j = json_loadb(doc.data, doc.len, 0, NULL);
		char path[64];
		snprintf(path, sizeof(path), "%s", cases[i].path);
		json_t *o = j;
		char *last = path, *dot;
		while ((dot = strchr(last, '.'))) {
			*dot = '\0';
			o = json_object_get(o, last);
			last = dot + 1;
		}
		json_object_set_new(o, last, json_loads(cases[i].value, JSON_DECODE_ANY, NULL));
		char *s = json_dumps(j, JSON_COMPACT);
		bw_error_clear(&err);
		assert_true(trust_encrypted_open(s, strlen(s), "pw", 2, &out, &n, &err) < 0);
		if (!strstr(err.msg, cases[i].want))
			fail_msg("%s=%s: '%s' does not say %s", cases[i].path, cases[i].value, err.msg,
				 cases[i].want);
		free(s);
		json_decref(j);
	}
	/* a duplicated key is not JSON we read */
	const char dup[] = "{\"kdf\":{},\"kdf\":{}}";
	assert_int_equal(trust_encrypted_open(dup, sizeof(dup) - 1, "pw", 2, &out, &n, &err), BW_EINPUT);
	/* a flipped ciphertext byte is a failed decryption */
	json_t *j = json_loadb(doc.data, doc.len, 0, NULL);
	char *ct = bw_strdup(json_string_value(json_object_get(j, "ciphertext")));
	ct[3] = ct[3] == 'A' ? 'B' : 'A';
	json_object_set_new(j, "ciphertext", json_string(ct));
	char *s = json_dumps(j, JSON_COMPACT);
	assert_int_equal(trust_encrypted_open(s, strlen(s), "pw", 2, &out, &n, &err), BW_EINPUT);
	assert_non_null(strstr(err.msg, "wrong password or corrupted key"));
	free(s);
	free(ct);
	json_decref(j);
	bw_buf_release(&doc);
}

static void test_gojson(void **state)
{
	(void)state;
	const struct {
		const char *in, *out;
	} cases[] = {
	    {"plain", "\"plain\""},
	    {"a\"b\\c", "\"a\\\"b\\\\c\""},
	    {"<x>&y", "\"\\u003cx\\u003e\\u0026y\""},
	    {"\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\""},
	    {"\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\""},
	    {"caf\xc3\xa9", "\"caf\xc3\xa9\""},
	    {"\xe2\x80\xa8\xe2\x80\xa9", "\"\\u2028\\u2029\""},
	    {"bad\xff\xc3(", "\"bad\\ufffd\\ufffd(\""},
	    {"\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""}, /* a surrogate is not UTF-8 */
	    {"\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\""},
	    {"/", "\"/\""},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(cases); i++) {
		struct bw_buf b;
		bw_buf_init(&b, 1024);
		assert_int_equal(trust_gojson_str(&b, cases[i].in, strlen(cases[i].in)), 0);
		assert_string_equal(b.data, cases[i].out);
		bw_buf_release(&b);
	}
}

static void test_json_bounds(void **state)
{
	(void)state;
	struct bw_error err = BW_ERROR_INIT;
	char deep[300];
	memset(deep, '[', 150);
	memset(deep + 150, ']', 150);
	assert_null(trust_json_parse(deep, sizeof(deep), 1 << 20, 64, "deep.json", &err));
	assert_int_equal(err.code, BW_ELIMIT);
	assert_non_null(strstr(err.msg, "deep.json"));
	json_t *j = trust_json_parse(deep + 100, 100, 1 << 20, 64, "ok.json", &err);
	assert_non_null(j);
	assert_int_equal(trust_json_depth(j), 50);
	json_decref(j);
	assert_null(trust_json_parse("{\"a\":1,\"a\":2}", 13, 100, 8, "dup", &err));
	assert_int_equal(err.code, BW_EINPUT);
	assert_null(trust_json_parse("{\"a\":1}", 7, 6, 8, "big", &err));
	assert_int_equal(err.code, BW_ELIMIT);
	/* brackets inside strings do not count */
	j = trust_json_parse("[\"[[[[[[[[[[\"]", 14, 100, 2, "s", &err);
	assert_non_null(j);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_generate_roundtrip), cmocka_unit_test(test_plain_keys),
	    cmocka_unit_test(test_encrypted_tampered), cmocka_unit_test(test_gojson),
	    cmocka_unit_test(test_json_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
