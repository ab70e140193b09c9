/* Sigstore bundles (v0.1 to v0.3) verified offline against a trusted root:
 *
 *   1. the bundle and the trusted root parse (proto3 JSON: int64 as strings,
 *      zero values omitted);
 *   2. every RFC 3161 timestamp verifies (OpenSSL's TS code) against a
 *      timestamp authority of the root valid at its time;
 *   3. every transparency-log entry: its log known to the root; its body
 *      names this signature (hashedrekord: digest, signature, certificate;
 *      dsse: payload hash, signature, certificate); the signed entry
 *      timestamp (SET) when present; the RFC 6962 inclusion proof up to
 *      the root hash of a checkpoint signed by the log, whose size and root
 *      must equal the proof's (required from v0.2 on; v0.1 may carry the
 *      SET alone);
 *   4. at least one verified time: a timestamp's, or the integrated time
 *      of an entry whose SET verified;
 *   5. the Fulcio certificate chains to a certificate authority of the root
 *      valid at every verified time, the certificate itself valid at each;
 *   6. it carries an embedded SCT that a CT log of the root signed (the
 *      precertificate's TBS rebuilt by OpenSSL);
 *   7. its identity (the URI or e-mail SAN) and OIDC issuer (extension
 *      1.3.6.1.4.1.57264.1.8, or the legacy .1.1) are those asked for;
 *   8. the artifact's signature (a message signature over the artifact's
 *      bytes, whose digest must also match the bundle's) or the DSSE
 *      envelope's (over its PAE) with the certificate's key.
 * The first failure is the answer, naming the step. Hash compositions
 * (Merkle paths, the SCT's signed structure) are put together here; every
 * hash and signature is OpenSSL's.
 */
#include <time.h>

#include <jansson.h>
#include <openssl/ct.h>
#include <openssl/pem.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "trust-int.h"

#define MAX_B64 (4u << 20)
#define OID_ISSUER_V2 "1.3.6.1.4.1.57264.1.8"
#define OID_ISSUER_V1 "1.3.6.1.4.1.57264.1.1"

static int fail(struct bw_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct bw_error *err, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return bw_error_set(err, BW_EINTEGRITY, "%s", buf);
}

void bw_trust_bundle_result_release(struct bw_trust_bundle_result *r)
{
	free(r->identity);
	free(r->issuer);
	free(r->payload_type);
	free(r->payload);
	memset(r, 0, sizeof(*r));
}

/* ---- small readers ---- */

/* base64 member of o (NULL and false when absent or not base64) */
static bool b64_member(json_t *o, const char *key, unsigned char **out, size_t *len)
{
	const char *s = json_string_value(json_object_get(o, key));
	*out = NULL;
	*len = 0;
	return s && trust_b64_decode(s, strlen(s), MAX_B64, out, len);
}

/* a proto3 int64: a decimal string, a JSON integer, or absent (0) */
static bool int64_member(json_t *o, const char *key, int64_t *v)
{
	json_t *j = json_object_get(o, key);
	*v = 0;
	if (!j)
		return true;
	if (json_is_integer(j)) {
		*v = json_integer_value(j);
		return *v >= 0;
	}
	const char *s = json_string_value(j);
	if (!s || !*s || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s))
		return false;
	*v = strtoll(s, NULL, 10);
	return true;
}

/* RFC 3339 "2026-12-07T20:57:42.061Z" (UTC) to seconds */
static bool rfc3339(const char *s, int64_t *t)
{
	int y, mo, d, h, mi, se, n = 0;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &n) != 6 || n != 19)
		return false;
	const char *p = s + n;
	if (*p == '.') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (strcmp(p, "Z") != 0)
		return false;
	struct tm tm = {
	    .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = se};
	*t = (int64_t)timegm(&tm);
	return true;
}

/* validFor {start, end?}: does it cover t? (absent: always) */
static bool valid_for(json_t *vf, int64_t t)
{
	if (!vf)
		return true;
	int64_t a, b;
	const char *st = json_string_value(json_object_get(vf, "start"));
	const char *en = json_string_value(json_object_get(vf, "end"));
	if (st && (!rfc3339(st, &a) || t < a))
		return false;
	if (en && (!rfc3339(en, &b) || t > b))
		return false;
	return true;
}

static X509 *der_cert(const unsigned char *der, size_t len)
{
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	if (x && p != der + len) {
		X509_free(x);
		return NULL;
	}
	return x;
}

static X509 *cert_member(json_t *o)
{
	unsigned char *der;
	size_t n;
	if (!b64_member(o, "rawBytes", &der, &n))
		return NULL;
	X509 *x = der_cert(der, n);
	free(der);
	return x;
}

/* publicKey {rawBytes: PKIX DER} */
static EVP_PKEY *pubkey_member(json_t *o)
{
	unsigned char *der;
	size_t n;
	if (!b64_member(json_object_get(o, "publicKey"), "rawBytes", &der, &n))
		return NULL;
	const unsigned char *p = der;
	EVP_PKEY *k = d2i_PUBKEY(NULL, &p, (long)n);
	free(der);
	return k;
}

static bool sig_verify(EVP_PKEY *k, const EVP_MD *md, const unsigned char *sig, size_t siglen,
		       const void *data, size_t len)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	bool ok =
	    c &&
	    EVP_DigestVerifyInit(c, NULL, EVP_PKEY_get_id(k) == EVP_PKEY_ED25519 ? NULL : md, NULL, k) == 1 &&
	    EVP_DigestVerify(c, sig, siglen, data, len) == 1;
	EVP_MD_CTX_free(c);
	return ok;
}

static void sha256(const void *d, size_t n, unsigned char out[32])
{
	unsigned int l = 32;
	EVP_Digest(d, n, out, &l, EVP_sha256(), NULL);
}

static void hex(const unsigned char *d, size_t n, char *out)
{
	static const char x[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = x[d[i] >> 4];
		out[2 * i + 1] = x[d[i] & 15];
	}
	out[2 * n] = '\0';
}

/* ---- the trusted root ---- */

/* The log of the root (tlogs or ctlogs) whose logId.keyId is id. */
static json_t *find_log(json_t *logs, const unsigned char *id, size_t idlen)
{
	size_t i;
	json_t *l;
	json_array_foreach(logs, i, l)
	{
		unsigned char *k;
		size_t n;
		if (!b64_member(json_object_get(l, "logId"), "keyId", &k, &n))
			continue;
		bool same = n == idlen && memcmp(k, id, n) == 0;
		free(k);
		if (same)
			return l;
	}
	return NULL;
}

/* A CA's chain: the last certificate the anchor, the others intermediates. */
static bool ca_chain(json_t *ca, X509 **anchor, STACK_OF(X509) * *inter)
{
	json_t *certs = json_object_get(json_object_get(ca, "certChain"), "certificates");
	size_t n = json_array_size(certs);
	*anchor = NULL;
	*inter = sk_X509_new_null();
	for (size_t i = 0; i < n; i++) {
		X509 *x = cert_member(json_array_get(certs, i));
		if (!x) {
			sk_X509_pop_free(*inter, X509_free);
			X509_free(*anchor);
			*anchor = NULL;
			return false;
		}
		if (i + 1 == n)
			*anchor = x;
		else
			sk_X509_push(*inter, x);
	}
	if (!*anchor) { /* no certificate at all */
		sk_X509_free(*inter);
		*inter = NULL;
		return false;
	}
	return true;
}

/* ---- step 2: RFC 3161 timestamps ---- */

static int asn1_time_secs(const ASN1_TIME *t, int64_t *out)
{
	struct tm tm;
	if (!ASN1_TIME_to_tm(t, &tm))
		return -1;
	*out = (int64_t)timegm(&tm);
	return 0;
}

/* The genTime of resp (DER TimeStampResp) over data, verified by one of the
 * root's authorities; -1 with why. */
static int verify_timestamp(json_t *tsas, const unsigned char *der, size_t len, const unsigned char *data,
			    size_t dlen, int64_t *when, char *why, size_t whylen)
{
	const unsigned char *p = der;
	TS_RESP *resp = d2i_TS_RESP(NULL, &p, (long)len);
	if (!resp) {
		snprintf(why, whylen, "the RFC 3161 timestamp is not a TimeStampResp");
		return -1;
	}
	TS_TST_INFO *info = TS_RESP_get_tst_info(resp);
	if (!info || asn1_time_secs((const ASN1_TIME *)TS_TST_INFO_get_time(info), when) < 0) {
		TS_RESP_free(resp);
		snprintf(why, whylen, "the RFC 3161 timestamp has no readable genTime");
		return -1;
	}
	snprintf(why, whylen, "no timestamp authority of the trusted root verifies the RFC 3161 timestamp");
	int rc = -1;
	size_t i;
	json_t *ta;
	json_array_foreach(tsas, i, ta)
	{
		if (!valid_for(json_object_get(ta, "validFor"), *when))
			continue;
		X509 *anchor;
		STACK_OF(X509) * inter;
		if (!ca_chain(ta, &anchor, &inter))
			continue;
		X509_STORE *store = X509_STORE_new();
		X509_STORE_add_cert(store, anchor);
		X509_free(anchor);
		X509_VERIFY_PARAM *vp = X509_STORE_get0_param(store);
		X509_VERIFY_PARAM_set_time(vp, (time_t)*when);
		TS_VERIFY_CTX *ctx = TS_VERIFY_CTX_new();
		TS_VERIFY_CTX_set_flags(ctx, TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_DATA);
		TS_VERIFY_CTX_set_store(ctx, store);
		TS_VERIFY_CTX_set_certs(ctx, inter);
		TS_VERIFY_CTX_set_data(ctx, BIO_new_mem_buf(data, (int)dlen));
		bool ok = TS_RESP_verify_response(ctx, resp) == 1;
		TS_VERIFY_CTX_free(ctx); /* frees the store, the certificates, the data */
		if (ok) {
			rc = 0;
			break;
		}
	}
	TS_RESP_free(resp);
	return rc;
}

/* ---- step 3: transparency-log entries ---- */

/* RFC 9162 2.1.3.2: the root from a leaf hash, its index, the tree size
 * and the proof's hashes. */
static bool merkle_root(const unsigned char leaf[32], uint64_t index, uint64_t size, json_t *hashes,
			unsigned char root[32])
{
	if (index >= size)
		return false;
	unsigned char r[32], buf[65];
	memcpy(r, leaf, 32);
	uint64_t fn = index, sn = size - 1;
	size_t i;
	json_t *h;
	json_array_foreach(hashes, i, h)
	{
		const char *s = json_string_value(h);
		unsigned char *p;
		size_t n;
		if (!s || !trust_b64_decode(s, strlen(s), 64, &p, &n) || n != 32) {
			free(p);
			return false;
		}
		if (sn == 0) {
			free(p);
			return false;
		}
		buf[0] = 1;
		if ((fn & 1) || fn == sn) {
			memcpy(buf + 1, p, 32);
			memcpy(buf + 33, r, 32);
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			memcpy(buf + 1, r, 32);
			memcpy(buf + 33, p, 32);
		}
		free(p);
		sha256(buf, 65, r);
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return false;
	memcpy(root, r, 32);
	return true;
}

/* A checkpoint (signed note): "ORIGIN\nSIZE\nBASE64ROOT\n[lines]\n\n— NAME
 * BASE64(keyhint4 || sig)\n"; one signature line from the log's key. */
static bool checkpoint_verify(const char *env, EVP_PKEY *k, const unsigned char *logid, uint64_t *size,
			      unsigned char root[32])
{
	const char *sep = strstr(env, "\n\n");
	if (!sep)
		return false;
	size_t note_len = (size_t)(sep - env) + 1;
	/* the body's first three lines: origin, size, root */
	const char *l2 = memchr(env, '\n', note_len);
	if (!l2)
		return false;
	l2++;
	const char *l3 = memchr(l2, '\n', note_len - (size_t)(l2 - env));
	if (!l3 || l3 == l2 || (size_t)(l3 - l2) > 19 || strspn(l2, "0123456789") != (size_t)(l3 - l2))
		return false;
	*size = strtoull(l2, NULL, 10);
	l3++;
	const char *l4 = memchr(l3, '\n', note_len - (size_t)(l3 - env));
	if (!l4)
		return false;
	unsigned char *r;
	size_t rn;
	if (!trust_b64_decode(l3, (size_t)(l4 - l3), 64, &r, &rn) || rn != 32) {
		free(r);
		return false;
	}
	memcpy(root, r, 32);
	free(r);
	/* signature lines: "— NAME SIG" */
	const char *s = sep + 2;
	static const char dash[] = "\xe2\x80\x94 ";
	while (*s) {
		const char *eol = strchr(s, '\n');
		size_t ln = eol ? (size_t)(eol - s) : strlen(s);
		if (ln > sizeof(dash) - 1 && memcmp(s, dash, sizeof(dash) - 1) == 0) {
			const char *sp = memchr(s + 4, ' ', ln - 4);
			const char *b = sp ? sp + 1 : NULL;
			unsigned char *sig;
			size_t sn;
			if (b && trust_b64_decode(b, ln - (size_t)(b - s), 1024, &sig, &sn)) {
				bool ok = sn > 4 && memcmp(sig, logid, 4) == 0 &&
					  sig_verify(k, EVP_sha256(), sig + 4, sn - 4, env, note_len);
				free(sig);
				if (ok)
					return true;
			}
		}
		if (!eol)
			break;
		s = eol + 1;
	}
	return false;
}

struct content {
	/* message signature */
	const unsigned char *msg_sig;
	size_t msg_sig_len;
	const unsigned char *digest; /* sha256 of the artifact, 32 bytes */
	/* dsse */
	const unsigned char *payload;
	size_t payload_len;
	const char *dsse_sig_b64;
	X509 *leaf;
};

static bool same_cert_pem_b64(const char *b64, X509 *leaf)
{
	unsigned char *pem;
	size_t n;
	if (!b64 || !trust_b64_decode(b64, strlen(b64), MAX_B64, &pem, &n))
		return false;
	BIO *bio = BIO_new_mem_buf(pem, (int)n);
	X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	free(pem);
	bool same = x && X509_cmp(x, leaf) == 0;
	X509_free(x);
	return same;
}

/* Does the entry's body describe this signature? */
static const char *body_matches(json_t *body, const char *kind, const struct content *c)
{
	json_t *spec = json_object_get(body, "spec");
	const char *k = json_string_value(json_object_get(body, "kind"));
	if (!k || strcmp(k, kind) != 0)
		return "the log entry's kind is not the bundle's";
	if (strcmp(kind, "hashedrekord") == 0) {
		json_t *h = json_object_get(json_object_get(spec, "data"), "hash");
		const char *alg = json_string_value(json_object_get(h, "algorithm"));
		const char *val = json_string_value(json_object_get(h, "value"));
		char want[65];
		hex(c->digest, 32, want);
		if (!alg || strcmp(alg, "sha256") != 0 || !val || strcmp(val, want) != 0)
			return "the log entry is for another artifact digest";
		json_t *sig = json_object_get(spec, "signature");
		unsigned char *s;
		size_t n;
		if (!b64_member(sig, "content", &s, &n))
			return "the log entry has no signature";
		bool same = n == c->msg_sig_len && memcmp(s, c->msg_sig, n) == 0;
		free(s);
		if (!same)
			return "the log entry holds another signature";
		if (!same_cert_pem_b64(
			json_string_value(json_object_get(json_object_get(sig, "publicKey"), "content")),
			c->leaf))
			return "the log entry names another certificate";
		return NULL;
	}
	/* dsse 0.0.1 */
	json_t *ph = json_object_get(spec, "payloadHash");
	const char *alg = json_string_value(json_object_get(ph, "algorithm"));
	const char *val = json_string_value(json_object_get(ph, "value"));
	unsigned char d[32];
	char want[65];
	sha256(c->payload, c->payload_len, d);
	hex(d, 32, want);
	if (!alg || strcmp(alg, "sha256") != 0 || !val || strcmp(val, want) != 0)
		return "the log entry is for another DSSE payload";
	json_t *sigs = json_object_get(spec, "signatures");
	size_t i;
	json_t *s;
	json_array_foreach(sigs, i, s)
	{
		const char *sv = json_string_value(json_object_get(s, "signature"));
		if (sv && strcmp(sv, c->dsse_sig_b64) == 0 &&
		    same_cert_pem_b64(json_string_value(json_object_get(s, "verifier")), c->leaf))
			return NULL;
	}
	return "the log entry holds another DSSE signature or certificate";
}

/* One entry; *when and *timed when its SET verified. */
static int verify_entry(json_t *e, json_t *tlogs, int version, const char *kind, const struct content *c,
			int64_t *when, bool *timed, struct bw_error *err)
{
	*timed = false;
	unsigned char *logid = NULL, *body = NULL;
	size_t idn, bn;
	const char *body_b64 = json_string_value(json_object_get(e, "canonicalizedBody"));
	int64_t idx, itime;
	if (!b64_member(json_object_get(e, "logId"), "keyId", &logid, &idn) || idn != 32 ||
	    !b64_member(e, "canonicalizedBody", &body, &bn) || !int64_member(e, "logIndex", &idx) ||
	    !int64_member(e, "integratedTime", &itime)) {
		free(logid);
		free(body);
		return bw_error_set(err, BW_EINPUT,
				    "a transparency-log entry lacks its logId, body or index");
	}
	int rc = 0;
	EVP_PKEY *k = NULL;
	json_t *log = find_log(tlogs, logid, idn);
	json_t *jb =
	    log ? trust_json_parse((const char *)body, bn, MAX_B64, 32, "the log entry's body", NULL) : NULL;
	const char *why;
	if (!log)
		rc = fail(err, "the transparency log of an entry is not in the trusted root");
	else if (!(k = pubkey_member(log)))
		rc = fail(err, "the trusted root's transparency-log key is unreadable");
	else if (!jb)
		rc = fail(err, "the log entry's body is not JSON");
	else if ((why = body_matches(jb, kind, c)))
		rc = fail(err, "%s", why);
	json_decref(jb);
	/* the signed entry timestamp */
	json_t *ip = json_object_get(e, "inclusionPromise");
	if (rc == 0 && ip) {
		unsigned char *set;
		size_t sn;
		char lid[65];
		hex(logid, 32, lid);
		bw_autofree char *canon =
		    bw_asprintf("{\"body\":\"%s\",\"integratedTime\":%lld,\"logID\":\"%s\","
				"\"logIndex\":%lld}",
				body_b64, (long long)itime, lid, (long long)idx);
		if (!b64_member(ip, "signedEntryTimestamp", &set, &sn) ||
		    !sig_verify(k, EVP_sha256(), set, sn, canon, strlen(canon)))
			rc = fail(err,
				  "the signed entry timestamp (SET) of log entry %lld does not verify with "
				  "the log's key",
				  (long long)idx);
		else if (!valid_for(json_object_get(json_object_get(log, "publicKey"), "validFor"), itime))
			rc = fail(err, "the log's key was not valid at the entry's integrated time");
		free(set);
		if (rc == 0) {
			*timed = true;
			*when = itime;
		}
	}
	json_t *pr = json_object_get(e, "inclusionProof");
	if (rc == 0 && !pr && (version >= 2 || !ip))
		rc = fail(err, "log entry %lld has no inclusion proof", (long long)idx);
	if (rc == 0 && pr) {
		int64_t pidx, psize;
		unsigned char leaf[33], root[32], croot[32], *proot = NULL;
		size_t prn;
		uint64_t csize;
		leaf[0] = 0;
		const char *env =
		    json_string_value(json_object_get(json_object_get(pr, "checkpoint"), "envelope"));
		if (!int64_member(pr, "logIndex", &pidx) || !int64_member(pr, "treeSize", &psize) ||
		    !b64_member(pr, "rootHash", &proot, &prn) || prn != 32) {
			rc = fail(err, "the inclusion proof of log entry %lld is malformed", (long long)idx);
		} else {
			unsigned char *buf = bw_malloc(bn + 1);
			buf[0] = 0;
			memcpy(buf + 1, body, bn);
			sha256(buf, bn + 1, leaf);
			free(buf);
			if (!merkle_root(leaf, (uint64_t)pidx, (uint64_t)psize, json_object_get(pr, "hashes"),
					 root) ||
			    memcmp(root, proot, 32) != 0)
				rc = fail(
				    err,
				    "the inclusion proof of log entry %lld does not lead to its root hash",
				    (long long)idx);
			else if (!env || !checkpoint_verify(env, k, logid, &csize, croot))
				rc = fail(err, "the checkpoint of log entry %lld is not signed by the log",
					  (long long)idx);
			else if (csize != (uint64_t)psize || memcmp(croot, proot, 32) != 0)
				rc = fail(
				    err,
				    "the inclusion proof's tree size or root hash differs from the signed "
				    "checkpoint's");
		}
		free(proot);
	}
	EVP_PKEY_free(k);
	free(logid);
	free(body);
	return rc;
}

/* ---- steps 5 to 7: the certificate ---- */

static bool chain_at(X509 *leaf, json_t *cas, int64_t t, X509 **issuer)
{
	size_t i;
	json_t *ca;
	json_array_foreach(cas, i, ca)
	{
		if (!valid_for(json_object_get(ca, "validFor"), t))
			continue;
		X509 *anchor;
		STACK_OF(X509) * inter;
		if (!ca_chain(ca, &anchor, &inter))
			continue;
		X509_STORE *store = X509_STORE_new();
		X509_STORE_add_cert(store, anchor);
		X509_STORE_CTX *ctx = X509_STORE_CTX_new();
		bool ok = false;
		if (X509_STORE_CTX_init(ctx, store, leaf, inter) == 1) {
			X509_VERIFY_PARAM *vp = X509_STORE_CTX_get0_param(ctx);
			X509_VERIFY_PARAM_set_time(vp, (time_t)t);
			ok = X509_verify_cert(ctx) == 1;
			if (ok && issuer && !*issuer) {
				STACK_OF(X509) *ch = X509_STORE_CTX_get0_chain(ctx);
				X509 *is = sk_X509_num(ch) > 1 ? sk_X509_value(ch, 1) : NULL;
				if (is && X509_up_ref(is))
					*issuer = is;
			}
		}
		X509_STORE_CTX_free(ctx);
		X509_STORE_free(store);
		X509_free(anchor);
		sk_X509_pop_free(inter, X509_free);
		if (ok)
			return true;
	}
	return false;
}

/* An embedded SCT signed by a CT log of the root (RFC 6962 3.2, precert
 * entry over the TBS without the SCT list). */
static bool sct_ok(X509 *leaf, X509 *issuer, json_t *ctlogs)
{
	STACK_OF(SCT) *scts = X509_get_ext_d2i(leaf, NID_ct_precert_scts, NULL, NULL);
	if (!scts)
		return false;
	X509 *pre = X509_dup(leaf);
	int pos = pre ? X509_get_ext_by_NID(pre, NID_ct_precert_scts, -1) : -1;
	X509_EXTENSION *ext = pos >= 0 ? X509_delete_ext(pre, pos) : NULL;
	X509_EXTENSION_free(ext);
	unsigned char *tbs = NULL, *spki = NULL;
	int tbs_len = ext ? i2d_re_X509_tbs(pre, &tbs) : -1;
	int spki_len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(issuer), &spki);
	bool ok = false;
	for (int i = 0; i < sk_SCT_num(scts) && !ok && tbs_len > 0 && spki_len > 0; i++) {
		SCT *s = sk_SCT_value(scts, i);
		unsigned char *id, *exts, *sig;
		size_t idlen = SCT_get0_log_id(s, &id), elen = SCT_get0_extensions(s, &exts);
		size_t slen = SCT_get0_signature(s, &sig);
		json_t *log = SCT_get_version(s) == SCT_VERSION_V1 ? find_log(ctlogs, id, idlen) : NULL;
		EVP_PKEY *k = log ? pubkey_member(log) : NULL;
		if (!k)
			continue;
		struct bw_buf b;
		bw_buf_init(&b, (size_t)tbs_len + 256);
		unsigned char hdr[12], kh[32], l3[3], l2[2];
		uint64_t ts = SCT_get_timestamp(s);
		hdr[0] = 0; /* v1 */
		hdr[1] = 0; /* certificate_timestamp */
		for (int j = 0; j < 8; j++)
			hdr[2 + j] = (unsigned char)(ts >> (56 - 8 * j));
		hdr[10] = 0;
		hdr[11] = 1; /* precert_entry */
		sha256(spki, (size_t)spki_len, kh);
		l3[0] = (unsigned char)(tbs_len >> 16);
		l3[1] = (unsigned char)(tbs_len >> 8);
		l3[2] = (unsigned char)tbs_len;
		l2[0] = (unsigned char)(elen >> 8);
		l2[1] = (unsigned char)elen;
		int w = bw_buf_add(&b, hdr, 12) | bw_buf_add(&b, kh, 32) | bw_buf_add(&b, l3, 3) |
			bw_buf_add(&b, tbs, (size_t)tbs_len) | bw_buf_add(&b, l2, 2) |
			bw_buf_add(&b, exts, elen);
		ok = w == 0 &&
		     valid_for(json_object_get(json_object_get(log, "publicKey"), "validFor"),
			       (int64_t)(ts / 1000)) &&
		     sig_verify(k, EVP_sha256(), sig, slen, b.data, b.len);
		bw_buf_release(&b);
		EVP_PKEY_free(k);
	}
	OPENSSL_free(tbs);
	OPENSSL_free(spki);
	X509_free(pre);
	SCT_LIST_free(scts);
	return ok;
}

static char *cert_identity(X509 *leaf)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
	char *out = NULL;
	for (int i = 0; gens && i < sk_GENERAL_NAME_num(gens) && !out; i++) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		if (g->type == GEN_URI || g->type == GEN_EMAIL) {
			ASN1_IA5STRING *s =
			    g->type == GEN_URI ? g->d.uniformResourceIdentifier : g->d.rfc822Name;
			out =
			    bw_strndup((const char *)ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s));
		}
	}
	GENERAL_NAMES_free(gens);
	return out;
}

static char *cert_issuer(X509 *leaf)
{
	for (int v = 2; v >= 1; v--) {
		ASN1_OBJECT *o = OBJ_txt2obj(v == 2 ? OID_ISSUER_V2 : OID_ISSUER_V1, 1);
		int pos = X509_get_ext_by_OBJ(leaf, o, -1);
		ASN1_OBJECT_free(o);
		if (pos < 0)
			continue;
		ASN1_OCTET_STRING *d = X509_EXTENSION_get_data(X509_get_ext(leaf, pos));
		const unsigned char *p = ASN1_STRING_get0_data(d);
		if (v == 1)
			return bw_strndup((const char *)p, (size_t)ASN1_STRING_length(d));
		ASN1_UTF8STRING *u = d2i_ASN1_UTF8STRING(NULL, &p, ASN1_STRING_length(d));
		char *s =
		    u ? bw_strndup((const char *)ASN1_STRING_get0_data(u), (size_t)ASN1_STRING_length(u))
		      : NULL;
		ASN1_UTF8STRING_free(u);
		return s;
	}
	return NULL;
}

/* ---- the whole ---- */

static int bundle_version(const char *mt)
{
	if (!mt)
		return -1;
	if (strcmp(mt, "application/vnd.dev.sigstore.bundle+json;version=0.1") == 0)
		return 1;
	if (strcmp(mt, "application/vnd.dev.sigstore.bundle+json;version=0.2") == 0)
		return 2;
	if (strcmp(mt, "application/vnd.dev.sigstore.bundle+json;version=0.3") == 0 ||
	    strcmp(mt, "application/vnd.dev.sigstore.bundle.v0.3+json") == 0)
		return 3;
	return -1;
}

int bw_trust_bundle_verify(const char *bundle, size_t blen, const char *root, size_t rlen,
			   const void *artifact, size_t alen, const struct bw_trust_bundle_policy *pol,
			   struct bw_trust_bundle_result *res, struct bw_error *err)
{
	memset(res, 0, sizeof(*res));
	json_t *b =
	    trust_json_parse(bundle, blen, BW_TRUST_BUNDLE_MAX, BW_TRUST_JSON_DEPTH, "the bundle", err);
	if (!b)
		return err ? err->code : BW_EINPUT;
	json_t *tr =
	    trust_json_parse(root, rlen, BW_TRUST_BUNDLE_MAX, BW_TRUST_JSON_DEPTH, "the trusted root", err);
	if (!tr) {
		json_decref(b);
		return err ? err->code : BW_EINPUT;
	}
	int rc = 0;
	int version = bundle_version(json_string_value(json_object_get(b, "mediaType")));
	json_t *vm = json_object_get(b, "verificationMaterial");
	json_t *ms = json_object_get(b, "messageSignature"), *env = json_object_get(b, "dsseEnvelope");
	X509 *leaf = NULL, *issuer = NULL;
	unsigned char *msig = NULL, *mdig = NULL, *payload = NULL, *dsig = NULL;
	size_t msig_len = 0, mdig_len = 0, payload_len = 0, dsig_len = 0;
	unsigned char adig[32];
	struct content c = {0};
	if (version < 0)
		rc = bw_error_set(err, BW_EUNSUPPORTED,
				  "the bundle's mediaType is not a Sigstore bundle v0.1 to v0.3");
	else if (!json_is_object(vm) || (!ms == !env))
		rc = bw_error_set(
		    err, BW_EINPUT,
		    "the bundle needs verificationMaterial and one of messageSignature and dsseEnvelope");
	if (rc == 0) {
		json_t *cert = json_object_get(vm, "certificate");
		if (!cert)
			cert = json_array_get(
			    json_object_get(json_object_get(vm, "x509CertificateChain"), "certificates"), 0);
		if (!cert || !(leaf = cert_member(cert)))
			rc = bw_error_set(
			    err, BW_EUNSUPPORTED,
			    "the bundle holds no Fulcio certificate (a public-key bundle is verified "
			    "with --key)");
	}
	const char *dsse_sig_b64 = NULL;
	if (rc == 0 && ms) {
		json_t *md = json_object_get(ms, "messageDigest");
		const char *alg = json_string_value(json_object_get(md, "algorithm"));
		if (!b64_member(ms, "signature", &msig, &msig_len) ||
		    !b64_member(md, "digest", &mdig, &mdig_len) || !alg || strcmp(alg, "SHA2_256") != 0 ||
		    mdig_len != 32)
			rc = bw_error_set(err, BW_EINPUT,
					  "the message signature needs a SHA2_256 digest and a signature");
		else if (!artifact)
			rc = bw_error_set(err, BW_EUSAGE,
					  "a message-signature bundle is verified against its artifact: "
					  "name the file");
		else {
			sha256(artifact, alen, adig);
			if (memcmp(adig, mdig, 32) != 0)
				rc = fail(err, "the artifact's digest is not the one the bundle signs");
		}
		c = (struct content){.msg_sig = msig, .msg_sig_len = msig_len, .digest = adig, .leaf = leaf};
	} else if (rc == 0) {
		json_t *s0 = json_array_get(json_object_get(env, "signatures"), 0);
		dsse_sig_b64 = json_string_value(json_object_get(s0, "sig"));
		const char *pt = json_string_value(json_object_get(env, "payloadType"));
		if (!b64_member(env, "payload", &payload, &payload_len) || !pt || !dsse_sig_b64 ||
		    json_array_size(json_object_get(env, "signatures")) != 1 ||
		    !trust_b64_decode(dsse_sig_b64, strlen(dsse_sig_b64), 4096, &dsig, &dsig_len))
			rc = bw_error_set(
			    err, BW_EINPUT,
			    "the DSSE envelope needs a payload, a payloadType and one signature");
		else
			res->payload_type = bw_strdup(pt);
		c = (struct content){.payload = payload,
				     .payload_len = payload_len,
				     .dsse_sig_b64 = dsse_sig_b64,
				     .leaf = leaf};
	}
	/* timestamps */
	int64_t times[64];
	size_t nt = 0;
	json_t *tss = json_object_get(json_object_get(vm, "timestampVerificationData"), "rfc3161Timestamps");
	size_t i;
	json_t *t;
	json_array_foreach(tss, i, t)
	{
		if (rc < 0)
			break;
		unsigned char *der;
		size_t n;
		char why[200];
		if (!b64_member(t, "signedTimestamp", &der, &n)) {
			rc = bw_error_set(err, BW_EINPUT, "an RFC 3161 timestamp is not base64");
			break;
		}
		const unsigned char *signed_data = ms ? msig : dsig;
		size_t signed_len = ms ? msig_len : dsig_len;
		if (verify_timestamp(json_object_get(tr, "timestampAuthorities"), der, n, signed_data,
				     signed_len, &times[nt], why, sizeof(why)) < 0)
			rc = fail(err, "%s", why);
		else if (nt + 1 < BW_ARRAY_SIZE(times))
			nt++;
		free(der);
	}
	/* log entries */
	json_t *entries = json_object_get(vm, "tlogEntries");
	json_array_foreach(entries, i, t)
	{
		if (rc < 0)
			break;
		const char *kind =
		    json_string_value(json_object_get(json_object_get(t, "kindVersion"), "kind"));
		if (!kind || strcmp(kind, ms ? "hashedrekord" : "dsse") != 0) {
			rc =
			    fail(err, "a log entry of kind '%.40s' (only hashedrekord and dsse are verified)",
				 kind ? kind : "");
			break;
		}
		int64_t when;
		bool timed;
		rc = verify_entry(t, json_object_get(tr, "tlogs"), version, kind, &c, &when, &timed, err);
		if (rc == 0 && timed && nt + 1 < BW_ARRAY_SIZE(times))
			times[nt++] = when;
	}
	if (rc == 0 && json_array_size(entries) == 0)
		rc = fail(err, "the bundle has no transparency-log entry");
	if (rc == 0 && nt == 0)
		rc = fail(err,
			  "no verified time: neither a verified RFC 3161 timestamp nor a log entry with a "
			  "verified SET");
	/* the certificate at every verified time */
	for (size_t k = 0; rc == 0 && k < nt; k++) {
		if (!chain_at(leaf, json_object_get(tr, "certificateAuthorities"), times[k], &issuer))
			rc = fail(err,
				  "the certificate does not chain to a certificate authority of the trusted "
				  "root valid at %lld (or was not valid then)",
				  (long long)times[k]);
	}
	if (rc == 0 && (!issuer || !sct_ok(leaf, issuer, json_object_get(tr, "ctlogs"))))
		rc = fail(err, "the certificate has no embedded SCT signed by a CT log of the trusted root");
	if (rc == 0) {
		res->identity = cert_identity(leaf);
		res->issuer = cert_issuer(leaf);
		if (!res->identity || !pol->identity || strcmp(res->identity, pol->identity) != 0)
			rc = fail(err, "the certificate's identity is '%.200s', not '%.200s'",
				  res->identity ? res->identity : "(none)",
				  pol->identity ? pol->identity : "");
		else if (!res->issuer || !pol->issuer || strcmp(res->issuer, pol->issuer) != 0)
			rc = fail(err, "the certificate's OIDC issuer is '%.200s', not '%.200s'",
				  res->issuer ? res->issuer : "(none)", pol->issuer ? pol->issuer : "");
	}
	/* the signature itself */
	if (rc == 0) {
		EVP_PKEY *k = X509_get0_pubkey(leaf);
		bool ok;
		if (ms) {
			ok = k && sig_verify(k, EVP_sha256(), msig, msig_len, artifact, alen);
		} else {
			struct bw_buf pae;
			bw_buf_init(&pae, payload_len + 256);
			int w = bw_buf_printf(&pae, "DSSEv1 %zu %s %zu ", strlen(res->payload_type),
					      res->payload_type, payload_len) |
				bw_buf_add(&pae, payload, payload_len);
			ok = w == 0 && k && sig_verify(k, EVP_sha256(), dsig, dsig_len, pae.data, pae.len);
			bw_buf_release(&pae);
		}
		if (!ok)
			rc = fail(err, "the %s does not verify with the certificate's key",
				  ms ? "artifact's signature" : "DSSE envelope's signature");
	}
	if (rc == 0) {
		res->dsse = !ms;
		res->n_times = nt;
		res->signed_at = times[0];
		for (size_t k = 1; k < nt; k++)
			if (times[k] < res->signed_at)
				res->signed_at = times[k];
		if (payload) {
			res->payload = (char *)payload;
			res->payload_len = payload_len;
			payload = NULL;
		}
	}
	free(msig);
	free(mdig);
	free(payload);
	free(dsig);
	X509_free(leaf);
	X509_free(issuer);
	json_decref(b);
	json_decref(tr);
	if (rc < 0) {
		char *id = res->identity, *is = res->issuer;
		res->identity = res->issuer = NULL;
		free(id);
		free(is);
	}
	return rc;
}
