/* Signing keys: generation, cosign's encrypted private-key format, PEM
 * loading, signing and verifying.
 *
 * The encrypted format (secure-systems-lab's "encrypted" package, which
 * cosign uses) is a JSON document inside a PEM block of type
 * "ENCRYPTED SIGSTORE PRIVATE KEY":
 *
 *   {"kdf":{"name":"scrypt","params":{"N":65536,"r":8,"p":1},"salt":"<b64 32 bytes>"},
 *    "cipher":{"name":"nacl/secretbox","nonce":"<b64 24 bytes>"},
 *    "ciphertext":"<b64>"}
 *
 * The key of the box is scrypt(password, salt, N, r, p) of 32 bytes; the box
 * is NaCl's secretbox (XSalsa20-Poly1305: the 16-byte tag, then the
 * ciphertext) of the private key's PKCS#8 DER. Only the three scrypt
 * parameter sets the package itself writes are accepted when reading.
 */
#include <jansson.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <sodium.h>

#include "trust-int.h"

#define SALT_LEN 32
#define NONCE_LEN crypto_secretbox_NONCEBYTES
#define BOX_KEY_LEN crypto_secretbox_KEYBYTES
#define SCRYPT_MAXMEM (300u << 20)
#define PLAIN_MAX (16u * 1024) /* a PKCS#8 private key */

enum key_type { KEY_P256, KEY_P384, KEY_ED25519 };

struct bw_trust_key {
	EVP_PKEY *pkey;
	enum key_type type;
	bool has_private;
};

static void ossl_why(char *out, size_t n)
{
	unsigned long e = ERR_get_error();
	if (e)
		ERR_error_string_n(e, out, n);
	else
		snprintf(out, n, "unknown reason");
	ERR_clear_error();
}

/* ---- the encrypted format ---- */

static bool scrypt_params_ok(json_int_t n, json_int_t r, json_int_t p)
{
	return r == 8 && p == 1 && (n == 32768 || n == 65536 || n == 131072);
}

int trust_encrypted_seal(const void *plain, size_t len, const char *password, size_t password_len, unsigned n,
			 struct bw_buf *out, struct bw_error *err)
{
	if (sodium_init() < 0)
		return bw_error_set(err, BW_EIO, "libsodium cannot start");
	unsigned char salt[SALT_LEN], nonce[NONCE_LEN], key[BOX_KEY_LEN];
	if (RAND_bytes(salt, sizeof(salt)) != 1 || RAND_bytes(nonce, sizeof(nonce)) != 1)
		return bw_error_set(err, BW_EIO, "no random bytes for the key's salt and nonce");
	if (EVP_PBE_scrypt(password ? password : "", password_len, salt, sizeof(salt), n, 8, 1, SCRYPT_MAXMEM,
			   key, sizeof(key)) != 1) {
		char why[256];
		ossl_why(why, sizeof(why));
		return bw_error_set(err, BW_EIO, "scrypt failed: %s", why);
	}
	size_t clen = len + crypto_secretbox_MACBYTES;
	unsigned char *box = bw_malloc(clen);
	crypto_secretbox_easy(box, plain, len, nonce, key);
	explicit_bzero(key, sizeof(key));
	char *s_salt = trust_b64_encode(salt, sizeof(salt));
	char *s_nonce = trust_b64_encode(nonce, sizeof(nonce));
	char *s_box = trust_b64_encode(box, clen);
	int rc = bw_buf_printf(
	    out,
	    "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":%u,\"r\":8,\"p\":1},\"salt\":\"%s\"},"
	    "\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"%s\"},\"ciphertext\":\"%s\"}",
	    n, s_salt, s_nonce, s_box);
	free(s_salt);
	free(s_nonce);
	free(s_box);
	free(box);
	return rc < 0 ? bw_error_set(err, BW_ELIMIT, "the encrypted key does not fit") : 0;
}

static const char *str_at(json_t *o, const char *k1, const char *k2)
{
	json_t *v = json_object_get(o, k1);
	if (k2)
		v = json_object_get(v, k2);
	return json_string_value(v);
}

int trust_encrypted_open(const char *doc, size_t len, const char *password, size_t password_len,
			 unsigned char **plain, size_t *plain_len, struct bw_error *err)
{
	*plain = NULL;
	*plain_len = 0;
	if (sodium_init() < 0)
		return bw_error_set(err, BW_EIO, "libsodium cannot start");
	json_t *j = trust_json_parse(doc, len, BW_TRUST_KEY_FILE_MAX, 8, "the encrypted key", err);
	if (!j)
		return err ? err->code : BW_EINPUT;
	int rc = 0;
	unsigned char *salt = NULL, *nonce = NULL, *box = NULL;
	size_t salt_len = 0, nonce_len = 0, box_len = 0;
	const char *kdf = str_at(j, "kdf", "name"), *cipher = str_at(j, "cipher", "name");
	json_t *params = json_object_get(json_object_get(j, "kdf"), "params");
	json_t *jn = json_object_get(params, "N"), *jr = json_object_get(params, "r"),
	       *jp = json_object_get(params, "p");
	const char *s_salt = str_at(j, "kdf", "salt"), *s_nonce = str_at(j, "cipher", "nonce"),
		   *s_box = str_at(j, "ciphertext", NULL);
	if (!kdf || strcmp(kdf, "scrypt") != 0) {
		rc = bw_error_set(err, BW_EUNSUPPORTED, "the encrypted key's kdf is not scrypt");
	} else if (!cipher || strcmp(cipher, "nacl/secretbox") != 0) {
		rc = bw_error_set(err, BW_EUNSUPPORTED, "the encrypted key's cipher is not nacl/secretbox");
	} else if (!json_is_integer(jn) || !json_is_integer(jr) || !json_is_integer(jp) ||
		   !scrypt_params_ok(json_integer_value(jn), json_integer_value(jr),
				     json_integer_value(jp))) {
		rc = bw_error_set(err, BW_EUNSUPPORTED,
				  "the encrypted key's scrypt parameters are not one of the allowed sets "
				  "(N=32768, 65536 or 131072 with r=8, p=1)");
	} else if (!s_salt || !trust_b64_decode(s_salt, strlen(s_salt), 1024, &salt, &salt_len)) {
		rc = bw_error_set(err, BW_EINPUT, "the encrypted key's salt is not base64");
	} else if (!s_nonce || !trust_b64_decode(s_nonce, strlen(s_nonce), 64, &nonce, &nonce_len) ||
		   nonce_len != NONCE_LEN) {
		rc = bw_error_set(err, BW_EINPUT, "the encrypted key's nonce is not %d bytes of base64",
				  NONCE_LEN);
	} else if (!s_box || !trust_b64_decode(s_box, strlen(s_box), PLAIN_MAX + 64, &box, &box_len) ||
		   box_len < crypto_secretbox_MACBYTES) {
		rc = bw_error_set(err, BW_EINPUT,
				  "the encrypted key's ciphertext is not base64 of a sealed box");
	}
	if (rc == 0) {
		unsigned char key[BOX_KEY_LEN];
		if (EVP_PBE_scrypt(password ? password : "", password_len, salt, salt_len,
				   (uint64_t)json_integer_value(jn), (uint64_t)json_integer_value(jr),
				   (uint64_t)json_integer_value(jp), SCRYPT_MAXMEM, key, sizeof(key)) != 1) {
			char why[256];
			ossl_why(why, sizeof(why));
			rc = bw_error_set(err, BW_EIO, "scrypt failed: %s", why);
		} else {
			size_t n = box_len - crypto_secretbox_MACBYTES;
			unsigned char *p = bw_malloc(n ? n : 1);
			if (crypto_secretbox_open_easy(p, box, box_len, nonce, key) != 0) {
				free(p);
				rc = bw_error_set(err, BW_EINPUT,
						  "decryption failed: wrong password or corrupted key");
			} else {
				*plain = p;
				*plain_len = n;
			}
		}
		explicit_bzero(key, sizeof(key));
	}
	free(salt);
	free(nonce);
	free(box);
	json_decref(j);
	return rc;
}

/* ---- key objects ---- */

static int classify(EVP_PKEY *pkey, enum key_type *t)
{
	switch (EVP_PKEY_get_base_id(pkey)) {
	case EVP_PKEY_ED25519:
		*t = KEY_ED25519;
		return 0;
	case EVP_PKEY_EC: {
		char curve[64] = "";
		size_t n = 0;
		if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, curve, sizeof(curve),
						   &n) != 1)
			return -1;
		if (strcmp(curve, "prime256v1") == 0 || strcmp(curve, "P-256") == 0) {
			*t = KEY_P256;
			return 0;
		}
		if (strcmp(curve, "secp384r1") == 0 || strcmp(curve, "P-384") == 0) {
			*t = KEY_P384;
			return 0;
		}
		return -1;
	}
	default:
		return -1;
	}
}

struct bw_trust_key *trust_key_wrap(EVP_PKEY *pkey, bool private_half)
{
	enum key_type t;
	if (classify(pkey, &t) < 0)
		return NULL;
	struct bw_trust_key *k = bw_calloc(1, sizeof(*k));
	EVP_PKEY_up_ref(pkey);
	k->pkey = pkey;
	k->type = t;
	k->has_private = private_half;
	return k;
}

EVP_PKEY *trust_key_pkey(const struct bw_trust_key *k)
{
	return k->pkey;
}

static int wrap_or_fail(EVP_PKEY *pkey, bool priv, const char *name, struct bw_trust_key **out,
			struct bw_error *err)
{
	*out = trust_key_wrap(pkey, priv);
	EVP_PKEY_free(pkey);
	if (!*out)
		return bw_error_set(err, BW_EUNSUPPORTED,
				    "%s: only ECDSA P-256, ECDSA P-384 and Ed25519 keys are supported", name);
	return 0;
}

int trust_key_from_spki(const unsigned char *der, size_t len, const char *name, struct bw_trust_key **out,
			struct bw_error *err)
{
	*out = NULL;
	const unsigned char *p = der;
	EVP_PKEY *pkey = d2i_PUBKEY(NULL, &p, (long)len);
	if (!pkey || p != der + len) {
		EVP_PKEY_free(pkey);
		ERR_clear_error();
		return bw_error_set(err, BW_EINPUT, "%s: not a DER public key (PKIX)", name);
	}
	return wrap_or_fail(pkey, false, name, out, err);
}

void bw_trust_key_free(struct bw_trust_key *k)
{
	if (!k)
		return;
	EVP_PKEY_free(k->pkey);
	free(k);
}

bool bw_trust_key_has_private(const struct bw_trust_key *k)
{
	return k->has_private;
}

const char *bw_trust_key_kind(const struct bw_trust_key *k)
{
	switch (k->type) {
	case KEY_P256:
		return "ECDSA P-256";
	case KEY_P384:
		return "ECDSA P-384";
	default:
		return "Ed25519";
	}
}

char *bw_trust_key_public_pem(const struct bw_trust_key *k)
{
	BIO *b = BIO_new(BIO_s_mem());
	PEM_write_bio_PUBKEY(b, k->pkey);
	char *data;
	long n = BIO_get_mem_data(b, &data);
	char *s = bw_strndup(data, (size_t)n);
	BIO_free(b);
	return s;
}

void bw_trust_key_id(const struct bw_trust_key *k, char out[BW_DIGEST_STR_MAX])
{
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(k->pkey, &der);
	bw_sha256_str(der ? der : (unsigned char *)"", n > 0 ? (size_t)n : 0, out);
	OPENSSL_free(der);
}

/* ---- PEM ---- */

/* The first PEM block of data: its type, and its DER in *der (OpenSSL's
 * allocation: OPENSSL_clear_free it). */
static int pem_first(const char *data, size_t len, const char *name, char **type, unsigned char **der,
		     long *der_len, struct bw_error *err)
{
	*type = NULL;
	*der = NULL;
	if (len > BW_TRUST_KEY_FILE_MAX)
		return bw_error_set(err, BW_ELIMIT, "%s: larger than %u bytes: not a key", name,
				    BW_TRUST_KEY_FILE_MAX);
	BIO *b = BIO_new_mem_buf(data, (int)len);
	char *header = NULL;
	int ok = PEM_read_bio(b, type, &header, der, der_len);
	BIO_free(b);
	OPENSSL_free(header);
	ERR_clear_error();
	if (ok != 1)
		return bw_error_set(err, BW_EINPUT, "%s: no PEM block (-----BEGIN …-----)", name);
	return 0;
}

bool bw_trust_key_is_encrypted(const char *data, size_t len)
{
	char *type;
	unsigned char *der;
	long n;
	if (pem_first(data, len, "", &type, &der, &n, NULL) < 0)
		return false;
	bool enc =
	    strcmp(type, BW_TRUST_PEM_ENCRYPTED) == 0 || strcmp(type, BW_TRUST_PEM_ENCRYPTED_COSIGN) == 0;
	OPENSSL_free(type);
	OPENSSL_clear_free(der, (size_t)n);
	return enc;
}

static int private_from_pkcs8(const unsigned char *der, size_t len, const char *name,
			      struct bw_trust_key **out, struct bw_error *err)
{
	const unsigned char *p = der;
	PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len);
	EVP_PKEY *pkey = p8 && p == der + len ? EVP_PKCS82PKEY(p8) : NULL;
	PKCS8_PRIV_KEY_INFO_free(p8);
	ERR_clear_error();
	if (!pkey)
		return bw_error_set(err, BW_EINPUT, "%s: not a PKCS#8 private key", name);
	return wrap_or_fail(pkey, true, name, out, err);
}

int bw_trust_key_load(const char *data, size_t len, const char *name, const char *password,
		      size_t password_len, struct bw_trust_key **out, struct bw_error *err)
{
	*out = NULL;
	char *type = NULL;
	unsigned char *der = NULL;
	long n = 0;
	int rc = pem_first(data, len, name, &type, &der, &n, err);
	if (rc < 0)
		return rc;
	const unsigned char *p = der;
	if (strcmp(type, BW_TRUST_PEM_ENCRYPTED) == 0 || strcmp(type, BW_TRUST_PEM_ENCRYPTED_COSIGN) == 0) {
		unsigned char *plain = NULL;
		size_t plain_len = 0;
		rc = trust_encrypted_open((const char *)der, (size_t)n, password, password_len, &plain,
					  &plain_len, err);
		if (rc == 0) {
			rc = private_from_pkcs8(plain, plain_len, name, out, err);
			explicit_bzero(plain, plain_len);
			free(plain);
		} else {
			bw_error_prefix(err, "%s", name);
		}
	} else if (strcmp(type, "PRIVATE KEY") == 0) {
		rc = private_from_pkcs8(der, (size_t)n, name, out, err);
	} else if (strcmp(type, "EC PRIVATE KEY") == 0) {
		EVP_PKEY *pkey = d2i_PrivateKey(EVP_PKEY_EC, NULL, &p, n);
		ERR_clear_error();
		if (!pkey || p != der + n) {
			EVP_PKEY_free(pkey);
			rc = bw_error_set(err, BW_EINPUT, "%s: not an EC private key", name);
		} else {
			rc = wrap_or_fail(pkey, true, name, out, err);
		}
	} else if (strcmp(type, "PUBLIC KEY") == 0) {
		rc = trust_key_from_spki(der, (size_t)n, name, out, err);
	} else if (strcmp(type, "CERTIFICATE") == 0) {
		X509 *x = d2i_X509(NULL, &p, n);
		EVP_PKEY *pkey = x ? X509_get_pubkey(x) : NULL;
		X509_free(x);
		ERR_clear_error();
		if (!pkey)
			rc = bw_error_set(err, BW_EINPUT, "%s: not an X.509 certificate", name);
		else
			rc = wrap_or_fail(pkey, false, name, out, err);
	} else {
		rc = bw_error_set(
		    err, BW_EUNSUPPORTED,
		    "%s: a PEM block of type '%.60s', not a key (PUBLIC KEY, PRIVATE KEY, EC PRIVATE "
		    "KEY, " BW_TRUST_PEM_ENCRYPTED ", CERTIFICATE)",
		    name, type);
	}
	OPENSSL_free(type);
	OPENSSL_clear_free(der, (size_t)n);
	return rc;
}

int bw_trust_key_load_file(const char *path, const char *password, size_t password_len,
			   struct bw_trust_key **out, struct bw_error *err)
{
	struct bw_buf b;
	bw_buf_init(&b, BW_TRUST_KEY_FILE_MAX);
	int rc = bw_buf_read_file(&b, path, err);
	if (rc == 0)
		rc = bw_trust_key_load(b.data ? b.data : "", b.len, path, password, password_len, out, err);
	if (b.data)
		explicit_bzero(b.data, b.len);
	bw_buf_release(&b);
	return rc;
}

/* ---- generation ---- */

static char *pem_encode(const char *type, const unsigned char *der, size_t n)
{
	BIO *b = BIO_new(BIO_s_mem());
	PEM_write_bio(b, type, "", der, (long)n);
	char *data;
	long len = BIO_get_mem_data(b, &data);
	char *s = bw_strndup(data, (size_t)len);
	BIO_free(b);
	return s;
}

int bw_trust_key_generate(const char *password, size_t password_len, char **private_pem, char **public_pem,
			  struct bw_error *err)
{
	*private_pem = *public_pem = NULL;
	EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (!pkey) {
		char why[256];
		ossl_why(why, sizeof(why));
		return bw_error_set(err, BW_EIO, "cannot generate an ECDSA P-256 key: %s", why);
	}
	PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(pkey);
	unsigned char *der = NULL;
	int n = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, &der) : -1;
	PKCS8_PRIV_KEY_INFO_free(p8);
	int rc = 0;
	if (n <= 0) {
		rc = bw_error_set(err, BW_EIO, "cannot encode the private key as PKCS#8");
	} else {
		struct bw_buf doc;
		bw_buf_init(&doc, BW_TRUST_KEY_FILE_MAX);
		rc = trust_encrypted_seal(der, (size_t)n, password, password_len, TRUST_SCRYPT_N_WRITE, &doc,
					  err);
		if (rc == 0) {
			*private_pem = pem_encode(BW_TRUST_PEM_ENCRYPTED, (unsigned char *)doc.data, doc.len);
			struct bw_trust_key k = {.pkey = pkey};
			*public_pem = bw_trust_key_public_pem(&k);
		}
		bw_buf_release(&doc);
	}
	if (der)
		OPENSSL_clear_free(der, (size_t)n);
	EVP_PKEY_free(pkey);
	return rc;
}

/* ---- signatures ---- */

static const EVP_MD *key_md(const struct bw_trust_key *k)
{
	switch (k->type) {
	case KEY_P256:
		return EVP_sha256();
	case KEY_P384:
		return EVP_sha384();
	default:
		return NULL; /* Ed25519 signs the message itself */
	}
}

int bw_trust_key_sign(const struct bw_trust_key *k, const void *data, size_t len, struct bw_buf *sig,
		      struct bw_error *err)
{
	if (!k->has_private)
		return bw_error_set(err, BW_EUSAGE, "signing needs a private key, not a public one");
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	size_t n = 0;
	unsigned char *s = NULL;
	int rc = 0;
	if (EVP_DigestSignInit(c, NULL, key_md(k), NULL, k->pkey) != 1 ||
	    EVP_DigestSign(c, NULL, &n, data, len) != 1 || !(s = bw_malloc(n ? n : 1)) ||
	    EVP_DigestSign(c, s, &n, data, len) != 1) {
		char why[256];
		ossl_why(why, sizeof(why));
		rc = bw_error_set(err, BW_EIO, "signing failed: %s", why);
	} else if (bw_buf_add(sig, s, n) < 0) {
		rc = bw_error_set(err, BW_ELIMIT, "the signature does not fit");
	}
	free(s);
	EVP_MD_CTX_free(c);
	return rc;
}

int bw_trust_key_verify(const struct bw_trust_key *k, const void *data, size_t len, const void *sig,
			size_t siglen, struct bw_error *err)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int ok = EVP_DigestVerifyInit(c, NULL, key_md(k), NULL, k->pkey) == 1 &&
		 EVP_DigestVerify(c, sig, siglen, data, len) == 1;
	EVP_MD_CTX_free(c);
	ERR_clear_error();
	if (ok)
		return 0;
	char id[BW_DIGEST_STR_MAX];
	bw_trust_key_id(k, id);
	return bw_error_set(err, BW_EINTEGRITY, "the signature does not verify with the %s key %.19s…",
			    bw_trust_key_kind(k), id);
}
