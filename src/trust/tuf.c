/* TUF metadata as Notary v1 (Docker Content Trust) writes it, checked one
 * role at a time. A metadata file is {"signed": {...}, "signatures":
 * [{"keyid", "method", "sig"}]}; it is accepted only when:
 *   1. it is JSON (bounded, no duplicate keys) of that form, "signed" of
 *      the role's _type with a version >= 1 and an RFC 3339 "expires";
 *   2. the signatures over the canonical JSON of "signed" (keys sorted,
 *      no blanks: what Notary signs) made by distinct keys of the role,
 *      each key's id being the SHA-256 of its own canonical JSON (else a
 *      key id collision), reach the role's threshold (a key listed twice
 *      under two ids counts once);
 *   3. it has not expired.
 * Keys are "ecdsa", "rsa" (PKIX DER), "ecdsa-x509", "rsa-x509" (a PEM
 * certificate, which must be valid now) and "ed25519" (32 raw bytes);
 * methods "ecdsa" (r||s over SHA-256), "rsapss" (PSS, SHA-256, salt of the
 * hash's length), "rsapkcs1v15" and "ed25519". A file named by another
 * role's meta (snapshot in timestamp, targets in snapshot) must also have
 * the length and every hash (sha256, sha512) given there. Every failure is
 * BW_EINTEGRITY "ROLE: why"; the hashes and signatures are OpenSSL's. */
#include <time.h>

#include <jansson.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "trust-int.h"

#define TUF_MAX_KEYS 64 /* keys a role may list */

static int fail(struct bw_error *err, const char *role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct bw_error *err, const char *role, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return bw_error_set(err, BW_EINTEGRITY, "%s: %s", role, buf);
}

/* ---- canonical JSON ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int trust_canonical_json(struct bw_buf *b, const json_t *j)
{
	int rc = 0;
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		size_t n = json_object_size(j), i = 0;
		const char **keys = bw_malloc(bw_st_mult(n ? n : 1, sizeof(*keys)));
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)j, k, v) keys[i++] = k;
		qsort(keys, n, sizeof(*keys), cmp_str);
		rc = bw_buf_addstr(b, "{");
		for (i = 0; i < n && rc == 0; i++) {
			if (i)
				rc = bw_buf_addstr(b, ",");
			if (rc == 0)
				rc = trust_gojson_str(b, keys[i], strlen(keys[i]));
			if (rc == 0)
				rc = bw_buf_addstr(b, ":");
			if (rc == 0)
				rc = trust_canonical_json(b, json_object_get(j, keys[i]));
		}
		free(keys);
		return rc ? rc : bw_buf_addstr(b, "}");
	}
	case JSON_ARRAY: {
		rc = bw_buf_addstr(b, "[");
		for (size_t i = 0; i < json_array_size(j) && rc == 0; i++) {
			if (i)
				rc = bw_buf_addstr(b, ",");
			if (rc == 0)
				rc = trust_canonical_json(b, json_array_get(j, i));
		}
		return rc ? rc : bw_buf_addstr(b, "]");
	}
	case JSON_STRING:
		return trust_gojson_str(b, json_string_value(j), json_string_length(j));
	case JSON_INTEGER:
		return bw_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
	case JSON_TRUE:
		return bw_buf_addstr(b, "true");
	case JSON_FALSE:
		return bw_buf_addstr(b, "false");
	case JSON_NULL:
		return bw_buf_addstr(b, "null");
	case JSON_REAL:
	default:
		return BW_EINPUT; /* TUF metadata has no fractions: refuse rather than guess */
	}
}

/* ---- times ---- */

int trust_rfc3339(const char *s, int64_t *t)
{
	int y, mo, d, h, mi, se, n = 0;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &n) != 6 || n != 19)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60 || y < 1970)
		return -1;
	const char *p = s + n;
	if (*p == '.') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	int64_t off = 0;
	if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
		int oh, om;
		if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2 || oh > 23 || om > 59)
			return -1;
		off = (oh * 3600 + om * 60) * (*p == '+' ? 1 : -1);
	} else if (strcmp(p, "Z") != 0) {
		return -1;
	}
	struct tm tm = {
	    .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = se};
	*t = (int64_t)timegm(&tm) - off;
	return 0;
}

static void fmt_time(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, n, "%" PRId64, t);
}

/* ---- keys ---- */

static bool b64_str(json_t *j, size_t max, unsigned char **out, size_t *len)
{
	const char *s = json_string_value(j);
	return s && trust_b64_decode(s, json_string_length(j), max, out, len);
}

/* The certificate's common name is gun (Notary's rule for root keys). */
static bool cert_cn_is(X509 *x, const char *gun)
{
	char cn[512];
	int n = X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof(cn));
	return n > 0 && (size_t)n == strlen(gun) && strcmp(cn, gun) == 0;
}

/* The public key of a TUF key object; NULL with err filled ("ROLE: key
 * ID…: why"). cn: the common name an x509 key's certificate must carry
 * (NULL: any). */
static EVP_PKEY *tuf_key(const char *role, const char *id, json_t *key, int64_t now, const char *cn,
			 struct bw_error *err)
{
	const char *type = json_string_value(json_object_get(key, "keytype"));
	json_t *val = json_object_get(key, "keyval");
	json_t *priv = json_object_get(val, "private");
	unsigned char *raw = NULL;
	size_t len = 0;
	if (!type || !json_is_object(val) || (priv && !json_is_null(priv)) ||
	    !b64_str(json_object_get(val, "public"), 64 * 1024, &raw, &len)) {
		fail(err, role, "key %.16s… is malformed (keytype, keyval.public in base64, no private half)",
		     id);
		free(raw);
		return NULL;
	}
	EVP_PKEY *k = NULL;
	const char *why = NULL;
	bool x509 = strcmp(type, "ecdsa-x509") == 0 || strcmp(type, "rsa-x509") == 0;
	if (strcmp(type, "ecdsa") == 0 || strcmp(type, "rsa") == 0) {
		const unsigned char *p = raw;
		k = d2i_PUBKEY(NULL, &p, (long)len);
		if (k && p != raw + len) {
			EVP_PKEY_free(k);
			k = NULL;
		}
	} else if (x509) {
		BIO *bio = BIO_new_mem_buf(raw, (int)len);
		X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
		BIO_free(bio);
		if (x) {
			time_t t = (time_t)now;
			if (X509_cmp_time(X509_get0_notAfter(x), &t) < 0)
				why = "its certificate has expired";
			else if (X509_cmp_time(X509_get0_notBefore(x), &t) > 0)
				why = "its certificate is not valid yet";
			else if (cn && !cert_cn_is(x, cn))
				why = "its certificate does not name the repository (common name)";
			else
				k = X509_get_pubkey(x);
			X509_free(x);
		}
	} else if (strcmp(type, "ed25519") == 0) {
		if (len == 32)
			k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, len);
	} else {
		why = "its keytype is not one Notary uses";
	}
	free(raw);
	ERR_clear_error();
	if (k) {
		int id_type = EVP_PKEY_get_id(k);
		bool ec = strncmp(type, "ecdsa", 5) == 0, rsa = strncmp(type, "rsa", 3) == 0;
		if ((ec && id_type != EVP_PKEY_EC) || (rsa && id_type != EVP_PKEY_RSA))
			why = "its key is not of its keytype";
		else if (rsa && EVP_PKEY_get_bits(k) < 2048)
			why = "an RSA key shorter than 2048 bits";
		if (why) {
			EVP_PKEY_free(k);
			k = NULL;
		}
	}
	if (!k)
		fail(err, role, "key %.16s… (%s): %s", id, type ? type : "?",
		     why ? why : "its public key cannot be read");
	return k;
}

/* Verify one signature (method, raw bytes) over data with k. */
static bool sig_ok(EVP_PKEY *k, const char *method, const unsigned char *sig, size_t siglen,
		   const unsigned char *data, size_t len)
{
	int kt = EVP_PKEY_get_id(k);
	unsigned char *der = NULL;
	const EVP_MD *md = EVP_sha256();
	int pad = 0;
	if (strcmp(method, "ecdsa") == 0 && kt == EVP_PKEY_EC) {
		/* r||s, each the size of the curve's order */
		size_t half = (size_t)(EVP_PKEY_get_bits(k) + 7) / 8;
		if (siglen != 2 * half)
			return false;
		ECDSA_SIG *es = ECDSA_SIG_new();
		BIGNUM *r = BN_bin2bn(sig, (int)half, NULL), *s = BN_bin2bn(sig + half, (int)half, NULL);
		if (!es || !r || !s || ECDSA_SIG_set0(es, r, s) != 1) {
			BN_free(r);
			BN_free(s);
			ECDSA_SIG_free(es);
			return false;
		}
		int n = i2d_ECDSA_SIG(es, &der);
		ECDSA_SIG_free(es);
		if (n <= 0)
			return false;
		sig = der;
		siglen = (size_t)n;
	} else if (strcmp(method, "rsapss") == 0 && kt == EVP_PKEY_RSA) {
		pad = RSA_PKCS1_PSS_PADDING;
	} else if (strcmp(method, "rsapkcs1v15") == 0 && kt == EVP_PKEY_RSA) {
		pad = RSA_PKCS1_PADDING;
	} else if (strcmp(method, "ed25519") == 0 && kt == EVP_PKEY_ED25519) {
		md = NULL;
	} else {
		return false;
	}
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pc = NULL;
	bool ok = c && EVP_DigestVerifyInit(c, &pc, md, NULL, k) == 1;
	if (ok && pad) {
		ok = EVP_PKEY_CTX_set_rsa_padding(pc, pad) == 1;
		if (ok && pad == RSA_PKCS1_PSS_PADDING)
			ok = EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, RSA_PSS_SALTLEN_DIGEST) == 1;
	}
	ok = ok && EVP_DigestVerify(c, sig, siglen, data, len) == 1;
	EVP_MD_CTX_free(c);
	OPENSSL_free(der);
	ERR_clear_error();
	return ok;
}

/* The id a key object must have: hex SHA-256 of its canonical JSON. */
static bool key_id_matches(json_t *key, const char *id)
{
	struct bw_buf b;
	bw_buf_init(&b, 1u << 20);
	bool ok = false;
	if (trust_canonical_json(&b, key) == 0) {
		char d[BW_DIGEST_STR_MAX];
		bw_sha256_str(b.data ? b.data : "", b.len, d);
		ok = strcmp(d + 7, id) == 0;
	}
	bw_buf_release(&b);
	return ok;
}

static bool same_pkey(EVP_PKEY *a, EVP_PKEY *b)
{
	return EVP_PKEY_eq(a, b) == 1;
}

int trust_tuf_check(const char *role, const char *type, const void *data, size_t len, json_t *keys,
		    json_t *role_def, int64_t now, const char *root_cn, json_t **out, struct bw_error *err)
{
	*out = NULL;
	struct bw_error perr = BW_ERROR_INIT;
	json_t *doc = trust_json_parse(data, len, TRUST_TUF_MAX, BW_TRUST_JSON_DEPTH, role, &perr);
	if (!doc)
		return fail(err, role, "not valid metadata: %s", perr.msg);
	json_t *signed_ = json_object_get(doc, "signed"), *sigs = json_object_get(doc, "signatures");
	const char *t = json_string_value(json_object_get(signed_, "_type"));
	json_t *ver = json_object_get(signed_, "version");
	const char *exp = json_string_value(json_object_get(signed_, "expires"));
	int64_t expires = 0;
	int rc = 0;
	struct bw_buf canon;
	bw_buf_init(&canon, TRUST_TUF_MAX);
	EVP_PKEY *seen[TUF_MAX_KEYS];
	size_t n_seen = 0;
	if (!json_is_object(signed_) || !json_is_array(sigs) || json_object_size(doc) != 2)
		rc = fail(err, role, "not TUF metadata ({\"signed\", \"signatures\"})");
	else if (!t || strcmp(t, type) != 0)
		rc = fail(err, role, "its _type is %s, not %s", t ? t : "missing", type);
	else if (!json_is_integer(ver) || json_integer_value(ver) < 1)
		rc = fail(err, role, "no valid version");
	else if (trust_rfc3339(exp, &expires) < 0)
		rc = fail(err, role, "no valid expiry date");
	else if (trust_canonical_json(&canon, signed_) < 0)
		rc = fail(err, role, "its signed part cannot be put in canonical form");
	if (rc)
		goto out;

	json_t *keyids = json_object_get(role_def, "keyids");
	json_t *thr = json_object_get(role_def, "threshold");
	json_int_t threshold = json_integer_value(thr);
	if (!json_is_array(keyids) || !json_is_integer(thr) || threshold < 1) {
		rc = fail(err, role, "the role has no valid keys and threshold");
		goto out;
	}
	if (json_array_size(keyids) > TUF_MAX_KEYS || (size_t)threshold > json_array_size(keyids)) {
		rc = fail(err, role, "a threshold of %" JSON_INTEGER_FORMAT " cannot be met by %zu keys",
			  threshold, json_array_size(keyids));
		goto out;
	}
	size_t i;
	json_t *s;
	char first_bad[256] = "";
	json_array_foreach(sigs, i, s)
	{
		const char *kid = json_string_value(json_object_get(s, "keyid"));
		const char *method = json_string_value(json_object_get(s, "method"));
		bool listed = false;
		size_t j;
		json_t *l;
		json_array_foreach(keyids, j, l) if (kid && json_string_value(l) &&
						     strcmp(json_string_value(l), kid) == 0) listed = true;
		if (!listed || !method)
			continue; /* another role's key, or a key rotated out */
		json_t *key = json_object_get(keys, kid);
		if (!key) {
			rc = fail(err, role, "key %.16s… of the role is not among the keys", kid);
			goto out;
		}
		if (!key_id_matches(key, kid)) {
			rc = fail(err, role,
				  "key id %.16s… does not match the key it names (a key id collision)", kid);
			goto out;
		}
		EVP_PKEY *k = tuf_key(role, kid, key, now, root_cn, err);
		if (!k) {
			rc = BW_EINTEGRITY;
			goto out;
		}
		bool dup = false;
		for (size_t m = 0; m < n_seen; m++)
			dup = dup || same_pkey(seen[m], k);
		unsigned char *sig = NULL;
		size_t siglen = 0;
		bool ok = !dup && b64_str(json_object_get(s, "sig"), 64 * 1024, &sig, &siglen) &&
			  sig_ok(k, method, sig, siglen, (const unsigned char *)canon.data, canon.len);
		free(sig);
		if (ok && n_seen < TUF_MAX_KEYS) {
			seen[n_seen++] = k;
		} else {
			if (!dup && !first_bad[0])
				snprintf(first_bad, sizeof(first_bad),
					 "; the signature of key %.16s… does not verify", kid);
			EVP_PKEY_free(k);
		}
	}
	if ((json_int_t)n_seen < threshold) {
		rc = fail(err, role, "%zu of the %" JSON_INTEGER_FORMAT " required signatures verify%s",
			  n_seen, threshold, first_bad);
		goto out;
	}
	if (expires < now) {
		char when[64];
		fmt_time(expires, when, sizeof(when));
		rc = fail(err, role, "expired on %s", when);
		goto out;
	}
	*out = json_incref(doc);
out:
	for (size_t m = 0; m < n_seen; m++)
		EVP_PKEY_free(seen[m]);
	bw_buf_release(&canon);
	json_decref(doc);
	return rc;
}

int trust_tuf_meta_check(const char *role, json_t *meta, const void *data, size_t len, struct bw_error *err)
{
	json_t *jl = json_object_get(meta, "length");
	json_t *hashes = json_object_get(meta, "hashes");
	if (!json_is_integer(jl) || json_integer_value(jl) < 0 || !json_is_object(hashes))
		return fail(err, role, "no valid length and hashes for it in the signed meta");
	if ((json_int_t)len != json_integer_value(jl))
		return fail(err, role,
			    "%zu bytes, not the %" JSON_INTEGER_FORMAT " the signed meta says (tampered)",
			    len, json_integer_value(jl));
	static const struct {
		const char *name;
		const EVP_MD *(*md)(void);
	} algs[] = {{"sha256", EVP_sha256}, {"sha512", EVP_sha512}};
	size_t checked = 0;
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		json_t *h = json_object_get(hashes, algs[i].name);
		if (!h)
			continue;
		unsigned char *want = NULL, got[EVP_MAX_MD_SIZE];
		size_t wlen = 0;
		unsigned int glen = 0;
		bool ok = b64_str(h, EVP_MAX_MD_SIZE, &want, &wlen) &&
			  EVP_Digest(data, len, got, &glen, algs[i].md(), NULL) == 1 && glen == wlen &&
			  CRYPTO_memcmp(want, got, glen) == 0;
		free(want);
		if (!ok)
			return fail(err, role, "its %s is not the one the signed meta says (tampered)",
				    algs[i].name);
		checked++;
	}
	return checked ? 0 : fail(err, role, "the signed meta gives no sha256 or sha512 for it");
}
