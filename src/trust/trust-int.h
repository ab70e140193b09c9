/* Private declarations of src/trust, shared by its files, its unit tests and
 * its fuzz harnesses. Nothing else includes this. */
#ifndef BW_TRUST_INT_H
#define BW_TRUST_INT_H

#include <openssl/evp.h>

#include "trust/trust.h"

/* ---- secure-systems-lab's encrypted format (keys.c) ---- */

/* scrypt parameters the format allows (legacy N=2^15, standard N=2^16,
 * OWASP N=2^17; r=8, p=1): anything else is refused before any work, as
 * cosign does, so a tampered file cannot ask for gigabytes. */
#define TRUST_SCRYPT_N_WRITE 65536u

/* Seal plain with password into the format's JSON document (appended to
 * out): {"kdf":{"name":"scrypt","params":{"N":…,"r":8,"p":1},"salt":…},
 * "cipher":{"name":"nacl/secretbox","nonce":…},"ciphertext":…}. */
int trust_encrypted_seal(const void *plain, size_t len, const char *password, size_t password_len, unsigned n,
			 struct bw_buf *out, struct bw_error *err);
/* Open such a document: the plaintext in *plain (heap, *plain_len bytes;
 * the caller zeroes and frees it). BW_EINPUT naming what is wrong. */
int trust_encrypted_open(const char *doc, size_t len, const char *password, size_t password_len,
			 unsigned char **plain, size_t *plain_len, struct bw_error *err);

/* The EVP_PKEY inside a key (borrowed). */
EVP_PKEY *trust_key_pkey(const struct bw_trust_key *k);
/* A public key from a PKIX DER (a Rekor or CT log key, a certificate's). */
int trust_key_from_spki(const unsigned char *der, size_t len, const char *name, struct bw_trust_key **out,
			struct bw_error *err);
/* A key wrapping pkey (one reference taken). */
struct bw_trust_key *trust_key_wrap(EVP_PKEY *pkey, bool private_half);

/* ---- Go's encoding/json string encoding (gojson.c) ---- */

/* Append s[0..n) as a JSON string the way Go's json.Marshal writes it (so
 * payloads cosign would write come out byte for byte): '<' '>' '&' as
 * \u003c \u003e \u0026, U+2028/U+2029 escaped, invalid UTF-8 as \ufffd,
 * \b \f \n \r \t short, other controls as \u00XX. */
int trust_gojson_str(struct bw_buf *b, const char *s, size_t n);

/* Parse untrusted JSON: at most max bytes, duplicate keys refused, nesting
 * at most depth. NULL with err filled (naming name) otherwise. */
json_t *trust_json_parse(const char *data, size_t len, size_t max, int depth, const char *name,
			 struct bw_error *err);
/* The nesting depth of j (1 for a scalar). */
int trust_json_depth(const json_t *j);

/* Decode base64 (standard alphabet, padded) into a heap buffer; false when
 * s is not canonical base64 or passes max decoded bytes. */
bool trust_b64_decode(const char *s, size_t n, size_t max, unsigned char **out, size_t *out_len);
/* base64 of d as a heap string. */
char *trust_b64_encode(const void *d, size_t n);

/* ---- cosign's signature images (sigimage.c) ---- */

struct trust_layer {
	char *media_type;
	int64_t size;
	char digest[BW_DIGEST_STR_MAX];
	json_t *annotations; /* an object of strings (owned) */
};
struct trust_sigimage {
	struct trust_layer *layers;
	size_t n, cap;
};
/* The manifest a referrer points at. */
struct trust_subject {
	const char *media_type;
	const char *digest;
	size_t size;
};
void trust_sigimage_release(struct trust_sigimage *s);
/* Append a layer (annotations: a new reference taken over, NULL: none);
 * BW_ELIMIT past BW_TRUST_MAX_SIGNATURES. */
int trust_sigimage_add(struct trust_sigimage *s, const char *media_type, int64_t size, const char *digest,
		       json_t *annotations);
const char *trust_layer_annotation(const struct trust_layer *l, const char *key);
/* Parse a signature manifest (layers validated; more than
 * BW_TRUST_MAX_SIGNATURES is BW_ELIMIT). */
int trust_sigimage_parse(const char *data, size_t len, const char *what, struct trust_sigimage *s,
			 struct bw_error *err);
/* Fetch and parse REPO:reference; *found false (and 0) when absent. */
int trust_sigimage_fetch(struct bw_registry *reg, const char *repo, const char *reference,
			 struct trust_sigimage *s, bool *found, struct bw_error *err);
/* Push s (its layer blobs already uploaded): the configuration, then the
 * manifest under tag, or by digest (tag NULL) as a referrer of subject
 * with artifact_type (listed in the referrers tag index when the registry
 * does not index it). */
int trust_sigimage_push(struct bw_registry *reg, const char *repo, const struct trust_sigimage *s,
			const char *tag, const struct trust_subject *subject, const char *artifact_type,
			char *digest_out, struct bw_error *err);
/* "sha256-<hex>.<suffix>" for a digest; -1 when it is not one. */
int trust_tag_for(const char *digest, const char *suffix, char *out, size_t outlen);

/* ---- pushing a signed layer (sign.c) ---- */

/* Upload blob and add it as a layer of media_type (with annotations, a
 * reference taken over) to img's signature image: appended to the image
 * tagged sha256-<hex>.<suffix> (tag mode; *already when a layer of the same
 * bytes verifies with dupe_key, and nothing is pushed), or pushed as a
 * referrer of artifact_type. where gets where it went. */
int trust_push_layer(const struct bw_trust_image *img, enum bw_trust_mode mode, const char *suffix,
		     const char *artifact_type, const char *media_type, const struct bw_buf *blob,
		     json_t *annotations, const struct bw_trust_key *dupe_key, char *where, size_t wherelen,
		     bool *already, struct bw_error *err);

/* DSSE's pre-authentication encoding of a payload, appended to out. */
int trust_pae(const char *payload_type, const void *payload, size_t len, struct bw_buf *out);

/* ---- results and the walk over signature images (verify.c) ---- */
struct bw_trust_check *trust_result_add(struct bw_trust_result *r, const char *source);
/* Mark c failed with a reason (printf-style). */
void trust_check_fail(struct bw_trust_check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Does the optional map carry "KEY=VALUE"? */
bool trust_annotation_present(json_t *optional, const char *kv);
/* The checks of one simple-signing payload and its base64 signature
 * (verify.c's list, 1 to 6); c->ok and c->payload when all pass. */
void trust_check_simplesig(const struct bw_trust_image *img, const struct bw_trust_verify_opts *o,
			   struct bw_trust_check *c, const char *payload, size_t len, const char *sig_b64,
			   size_t siglen);
/* fn over the image tagged sha256-<hex>.<suffix> and every referrer of
 * artifact_type; stops at fn's first error. */
int trust_each_sigimage(const struct bw_trust_image *img, const char *suffix, const char *artifact_type,
			int (*fn)(const struct bw_trust_image *, const struct trust_sigimage *,
				  const char *where, void *ud, struct bw_error *err),
			void *ud, struct bw_error *err);

/* ---- TUF metadata as Notary writes it (tuf.c) ---- */

#define TRUST_TUF_MAX (8u << 20) /* one metadata file */

/* j as canonical JSON (keys sorted by bytes, no blanks, strings as Go
 * writes them): what Notary signs and hashes key ids over. BW_EINPUT for a
 * number with a fraction. */
int trust_canonical_json(struct bw_buf *b, const json_t *j);
/* RFC 3339 ("2026-12-07T20:57:42.061Z", "+01:00" offsets) to seconds; -1
 * when it is not one. */
int trust_rfc3339(const char *s, int64_t *t);
/* Check the metadata file data of role (its "_type" type): its form, its
 * signatures by the keys role_def ({"keyids", "threshold"}) lists out of
 * keys (an object of key id → key) up to the threshold, its expiry against
 * now. root_cn: the common name x509 keys must carry (the repository, for
 * roots), else NULL. *out the parsed document (a new reference).
 * BW_EINTEGRITY "ROLE: why" for every failure. */
int trust_tuf_check(const char *role, const char *type, const void *data, size_t len, json_t *keys,
		    json_t *role_def, int64_t now, const char *root_cn, json_t **out, struct bw_error *err);
/* data has the length and every hash that meta ({"length", "hashes":
 * {"sha256", "sha512"}}) gives for role. */
int trust_tuf_meta_check(const char *role, json_t *meta, const void *data, size_t len, struct bw_error *err);

#endif
