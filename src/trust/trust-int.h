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

#endif
