/* trust — the supply chain: signing keys, cosign-compatible signatures and
 * attestations of images, Sigstore bundles verified offline, Docker Content
 * Trust (Notary v1 / TUF) and a trust policy that decides allow or deny.
 *
 * Keys are cosign's: ECDSA P-256 pairs whose private half is kept in the
 * "ENCRYPTED SIGSTORE PRIVATE KEY" PEM (scrypt + NaCl secretbox around the
 * PKCS#8 DER, secure-systems-lab's encrypted format), the public half as a
 * PKIX "PUBLIC KEY" PEM. Plain PKCS#8 PEM keys (P-256, P-384, Ed25519) work
 * too. OpenSSL does the cryptography, libsodium the secretbox.
 *
 * Everything read here is untrusted (keys, payloads, envelopes, bundles,
 * metadata, registry answers): sizes are bounded, JSON is parsed with
 * duplicate keys refused and its nesting bounded, and every failure names
 * the input and why, and fails closed.
 *
 * Ownership: opaque handles (struct bw_trust_key, …) are freed by their
 * _free(); strings and buffers handed out are the caller's (free(),
 * bw_buf_release()); structs filled by the module are released by their
 * _release(). Secrets (passwords, private keys, derived keys) are zeroed
 * after use.
 */
#ifndef BW_TRUST_H
#define BW_TRUST_H

#include "core/core.h"

/* ---- keys ----------------------------------------------------------------- */

#define BW_TRUST_KEY_FILE_MAX (64u * 1024) /* a key file */

/* PEM types of cosign's encrypted private keys: the current one, and the
 * name cosign wrote before 2.0 (read, never written). */
#define BW_TRUST_PEM_ENCRYPTED "ENCRYPTED SIGSTORE PRIVATE KEY"
#define BW_TRUST_PEM_ENCRYPTED_COSIGN "ENCRYPTED COSIGN PRIVATE KEY"

struct bw_trust_key;

/* A new ECDSA P-256 pair: *private_pem the encrypted private key (scrypt
 * N=65536 r=8 p=1, as cosign writes it today), *public_pem the PKIX public
 * key. Both are heap strings the caller frees (zero the private one). */
int bw_trust_key_generate(const char *password, size_t password_len, char **private_pem, char **public_pem,
			  struct bw_error *err);

/* True when data holds an encrypted private key (a password is needed). */
bool bw_trust_key_is_encrypted(const char *data, size_t len);

/* Load a key from PEM: an encrypted private key (with password; a wrong
 * password is BW_EINPUT "wrong password or corrupted key"), a PKCS#8
 * "PRIVATE KEY" or SEC1 "EC PRIVATE KEY", a "PUBLIC KEY" or a
 * "CERTIFICATE" (its public key). Only ECDSA P-256 / P-384 and Ed25519.
 * name names the input in errors. */
int bw_trust_key_load(const char *data, size_t len, const char *name, const char *password,
		      size_t password_len, struct bw_trust_key **out, struct bw_error *err);
int bw_trust_key_load_file(const char *path, const char *password, size_t password_len,
			   struct bw_trust_key **out, struct bw_error *err);
void bw_trust_key_free(struct bw_trust_key *k);

bool bw_trust_key_has_private(const struct bw_trust_key *k);
/* "ECDSA P-256", "ECDSA P-384", "Ed25519". */
const char *bw_trust_key_kind(const struct bw_trust_key *k);
/* The public key as PKIX PEM (heap string). */
char *bw_trust_key_public_pem(const struct bw_trust_key *k);
/* "sha256:<hex>" of the public key's PKIX DER: how messages name a key. */
void bw_trust_key_id(const struct bw_trust_key *k, char out[BW_DIGEST_STR_MAX]);

/* Sign data as cosign does: ECDSA over SHA-256 (P-256) or SHA-384 (P-384),
 * DER-encoded; Ed25519 over the data itself (pure Ed25519). The signature
 * is appended to sig. */
int bw_trust_key_sign(const struct bw_trust_key *k, const void *data, size_t len, struct bw_buf *sig,
		      struct bw_error *err);
/* Verify sig over data with k: 0, or BW_EINTEGRITY with why ("the signature
 * does not verify with key sha256:…"). */
int bw_trust_key_verify(const struct bw_trust_key *k, const void *data, size_t len, const void *sig,
			size_t siglen, struct bw_error *err);

#endif
