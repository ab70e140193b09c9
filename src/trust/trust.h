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
#include "registry/registry.h"

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

/* ---- simple-signing payloads (payload.c) ------------------------------------ */

#define BW_TRUST_COSIGN_TYPE "cosign container image signature"
#define BW_TRUST_PAYLOAD_MAX (1u << 20) /* a simple-signing payload */
#define BW_TRUST_JSON_DEPTH 64		/* nesting of any JSON document read here */

/* cosign's payload for digest claimed as docker_reference (a repository,
 * "127.0.0.1:5000/app"), with annotations "KEY=VALUE" in its optional map
 * (none: "optional":null): the bytes cosign writes for the same inputs,
 * appended to out. A malformed or repeated annotation is BW_EUSAGE. */
int bw_trust_payload_make(const char *docker_reference, const char *digest, const char *const *annotations,
			  size_t n_annotations, struct bw_buf *out, struct bw_error *err);

struct bw_trust_payload {
	char *docker_reference;
	char digest[BW_DIGEST_STR_MAX];
	json_t *optional; /* the optional object (a reference), or NULL */
};
/* Parse a payload strictly (BW_EINPUT naming what is wrong: not JSON, a
 * duplicate key, an unknown member, a wrong type; BW_ELIMIT past 1 MiB or
 * 64 levels). */
int bw_trust_payload_parse(const char *data, size_t len, struct bw_trust_payload *p, struct bw_error *err);
void bw_trust_payload_release(struct bw_trust_payload *p);

/* ---- images and their signatures (image.c, sign.c, verify.c) ------------- */

#define BW_TRUST_MAX_SIGNATURES 1000 /* signatures (layers) read for one image: cosign's bound */
#define BW_TRUST_SIG_MEDIA_TYPE "application/vnd.dev.cosign.simplesigning.v1+json"
#define BW_TRUST_SIG_ANNOTATION "dev.cosignproject.cosign/signature"
#define BW_TRUST_ARTIFACT_SIG "application/vnd.dev.cosign.artifact.sig.v1+json"
#define BW_TRUST_ARTIFACT_ATT "application/vnd.dev.cosign.artifact.att.v1+json"

/* The image a signature is about: in a registry (reg set), or a local
 * archive or OCI layout (reg NULL; nothing can be pushed or fetched). */
struct bw_trust_image {
	struct bw_registry *reg;
	struct bw_registry_ref ref;
	char *name;	  /* the target as given */
	char *repository; /* as cosign names it in payloads: "127.0.0.1:5000/app",
			     "index.docker.io/library/alpine"; NULL for a local image */
	char digest[BW_DIGEST_STR_MAX];
	char media_type[128];
	size_t size; /* of the manifest */
};
/* Resolve target: "registry:REF", "docker-archive:PATH", "oci:DIR[:REF]",
 * "oci-archive:PATH[:REF]", an existing file or OCI layout directory, else
 * an image reference in a registry (its manifest is fetched: tag → digest).
 * A local image must have a manifest digest (a legacy docker save archive
 * has none: BW_EUNSUPPORTED). */
int bw_trust_image_open(const char *target, const struct bw_registry_opts *ro, struct bw_trust_image *img,
			struct bw_error *err);
void bw_trust_image_release(struct bw_trust_image *img);

enum bw_trust_mode {
	BW_TRUST_MODE_TAG = 0,	 /* cosign's tags: sha256-<hex>.sig / .att, appended to */
	BW_TRUST_MODE_REFERRERS, /* an OCI 1.1 referrer of the image (cosign's oci-1-1 mode) */
};

struct bw_trust_sign_opts {
	const struct bw_trust_key *key;
	const char *const *annotations; /* "KEY=VALUE" */
	size_t n_annotations;
	enum bw_trust_mode mode;
	bool no_push;	       /* make the payload and signature only */
	const char *reference; /* the claimed docker-reference; NULL: img->repository */
};
struct bw_trust_signed {
	struct bw_buf payload; /* the payload signed */
	char *signature_b64;   /* its signature, base64 */
	char where[512];       /* "127.0.0.1:5000/app:sha256-….sig", or "" */
	bool already;	       /* the same payload was signed with the same key before: not added */
};
void bw_trust_signed_release(struct bw_trust_signed *s);
/* Sign img's digest: the payload, its signature, and unless no_push the
 * signature pushed (tag mode: a layer appended to the manifest tagged
 * sha256-<hex>.sig, at most BW_TRUST_MAX_SIGNATURES; referrers mode: a
 * manifest whose subject is the image, listed in the referrers tag index
 * when the registry does not index it). */
int bw_trust_sign_image(const struct bw_trust_image *img, const struct bw_trust_sign_opts *o,
			struct bw_trust_signed *out, struct bw_error *err);

/* One signature or attestation examined. */
struct bw_trust_check {
	bool ok;
	char *source;	      /* where it was found: "127.0.0.1:5000/app:sha256-….sig layer 2" */
	char *reason;	      /* why it failed (NULL when ok) */
	char *payload;	      /* ok ones: the payload or statement JSON as signed */
	char *predicate_type; /* attestations */
};
struct bw_trust_result {
	struct bw_trust_check *checks;
	size_t n, cap;
	size_t n_ok;
};
void bw_trust_result_release(struct bw_trust_result *r);

struct bw_trust_verify_opts {
	const struct bw_trust_key *key;
	const char *const *annotations; /* "KEY=VALUE" each signed payload must carry */
	size_t n_annotations;
	const char *reference; /* the repository a payload must claim; NULL: img->repository */
	const char
	    *type; /* verify-attestation: the predicate type wanted (a --type name or a URI); NULL: any */
};
/* Every signature of img in its registry (the .sig tag and the referrers of
 * artifact type BW_TRUST_ARTIFACT_SIG), each checked: the signature over
 * the payload with the key, the payload strict, its digest the image's
 * (else a replay from another image), its reference the image's
 * repository, the annotations asked for. Failures are checks with a
 * reason; an error return is for the environment (registry unreachable,
 * more than BW_TRUST_MAX_SIGNATURES: fail closed). */
int bw_trust_verify_image(const struct bw_trust_image *img, const struct bw_trust_verify_opts *o,
			  struct bw_trust_result *res, struct bw_error *err);
/* The same checks for one payload and base64 signature held locally. */
int bw_trust_verify_payload(const struct bw_trust_image *img, const struct bw_trust_verify_opts *o,
			    const char *source, const char *payload, size_t payload_len, const char *sig_b64,
			    size_t sig_len, struct bw_trust_result *res, struct bw_error *err);

/* ---- attestations (attest.c) ------------------------------------------------ */

#define BW_TRUST_PREDICATE_MAX (32u << 20) /* a statement (an SBOM may be large) */
#define BW_TRUST_STATEMENT_TYPE "https://in-toto.io/Statement/v1"
#define BW_TRUST_STATEMENT_V01 "https://in-toto.io/Statement/v0.1" /* read too */
#define BW_TRUST_INTOTO_TYPE "application/vnd.in-toto+json"
#define BW_TRUST_DSSE_MEDIA_TYPE "application/vnd.dsse.envelope.v1+json"

/* The predicate type URI of a cosign --type name (cyclonedx, spdx,
 * spdxjson, vuln, openvex, slsaprovenance, slsaprovenance02,
 * slsaprovenance1, custom), a URI itself, or NULL. */
const char *bw_trust_predicate_type(const char *type);

struct bw_trust_attest_opts {
	const struct bw_trust_key *key;
	const char *type;      /* as bw_trust_predicate_type takes it */
	const char *predicate; /* its JSON (an object) */
	size_t predicate_len;
	enum bw_trust_mode mode;
	bool no_push;
	const char *subject_name; /* NULL: img->repository */
};
struct bw_trust_attested {
	char *statement; /* the in-toto statement signed */
	char *envelope;	 /* the DSSE envelope pushed */
	char where[512];
};
void bw_trust_attested_release(struct bw_trust_attested *a);
/* The statement about img's digest, in a DSSE envelope signed with the
 * key, pushed (unless no_push) as a layer of the sha256-<hex>.att image or
 * as a referrer. */
int bw_trust_attest_image(const struct bw_trust_image *img, const struct bw_trust_attest_opts *o,
			  struct bw_trust_attested *out, struct bw_error *err);
/* Every attestation of img (the .att image and the referrers), each a
 * check (o->type: the predicate type wanted, NULL any; o->annotations are
 * not used); ok ones hold the statement and its predicate type. */
int bw_trust_verify_attestations(const struct bw_trust_image *img, const struct bw_trust_verify_opts *o,
				 struct bw_trust_result *res, struct bw_error *err);

/* ---- trust policy (policy.c) ---------------------------------------------------- */

struct bw_trust_policy;
/* Load a policy file (YAML; policy.c shows the form), its keys with it.
 * BW_EINPUT "PATH:LINE:COL: why" for anything malformed or unknown. */
int bw_trust_policy_load(const char *path, struct bw_trust_policy **out, struct bw_error *err);
void bw_trust_policy_free(struct bw_trust_policy *p);

struct bw_trust_decision {
	bool allow;
	char *rule;	/* the policy that decided, NULL: the default */
	char **reasons; /* what was found, in order */
	size_t n_reasons;
};
void bw_trust_decision_release(struct bw_trust_decision *d);
/* Decide for img (a registry image). An error only for the environment. */
int bw_trust_policy_evaluate(const struct bw_trust_policy *p, const struct bw_trust_image *img,
			     struct bw_trust_decision *d, struct bw_error *err);

/* ---- Sigstore bundles, verified offline (bundle.c) --------------------------- */

#define BW_TRUST_BUNDLE_MAX (16u << 20) /* a bundle or a trusted root */

/* Whom the Fulcio certificate must name. */
struct bw_trust_bundle_policy {
	const char *identity; /* the SAN (URI or e-mail), exactly */
	const char *issuer;   /* the OIDC issuer extension, exactly */
};
struct bw_trust_bundle_result {
	bool dsse;		 /* a DSSE envelope (else a message signature) */
	char *identity, *issuer; /* as the certificate names them */
	char *payload_type;	 /* DSSE: its payloadType and payload */
	char *payload;
	size_t payload_len;
	int64_t signed_at; /* the earliest verified time (seconds) */
	size_t n_times;	   /* verified times: RFC 3161 timestamps and SETs */
};
void bw_trust_bundle_result_release(struct bw_trust_bundle_result *r);
/* Verify a Sigstore bundle (v0.1 to v0.3, a Fulcio certificate; see
 * bundle.c for every check) against a trusted root (Sigstore's
 * trusted_root.json) and pol; artifact (NULL for a DSSE bundle) is the
 * signed file's bytes. 0 when it verifies; BW_EINTEGRITY naming the first
 * check that failed; BW_EINPUT / BW_EUNSUPPORTED for what cannot be read. */
int bw_trust_bundle_verify(const char *bundle, size_t blen, const char *root, size_t rlen,
			   const void *artifact, size_t alen, const struct bw_trust_bundle_policy *pol,
			   struct bw_trust_bundle_result *res, struct bw_error *err);

/* ---- Docker Content Trust: Notary v1 / TUF (dct.c, tuf.c) -------------------- */

struct bw_trust_dct_opts {
	/* the trust server, "https://HOST[:PORT]" ("http://" only when asked
	 * for); NULL: $DOCKER_CONTENT_TRUST_SERVER, else Docker's default
	 * (https://notary.docker.io for Docker Hub, else https://REGISTRY) */
	const char *server;
	const char *root_file; /* a root.json to trust instead of the one pinned; NULL */
	const char *cache_dir; /* roots pinned on first use and versions seen, under
				  CACHE_DIR/dct/; NULL: nothing kept (every use is a first) */
	int64_t now;	       /* seconds; 0: the clock */
};
struct bw_trust_dct_result {
	bool ok;
	char *reason; /* denied: "ROLE: why" */
	char *role;   /* ok: the role whose target matched ("targets/releases", "targets") */
	char *server; /* the trust server asked */
	char *gun;    /* the repository as Notary names it: "127.0.0.1:5000/app" */
	bool pinned;  /* the server's root was pinned now (first use) */
	int64_t root_version, targets_version;
};
void bw_trust_dct_result_release(struct bw_trust_dct_result *r);
/* Is img's tag (a registry image named by a tag) signed in its
 * repository's TUF metadata on the trust server, for the manifest digest
 * and size the registry serves? dct.c lists every check. Denied is 0 with
 * res->ok false and the reason; errors are for the environment (the server
 * unreachable or failing, the cache) and for what cannot be asked
 * (BW_EUSAGE: a local image, a digest without a tag). ro gives the CA
 * (--registry-ca) and the deadline; no credentials are sent. */
int bw_trust_dct_verify(const struct bw_trust_image *img, const struct bw_registry_opts *ro,
			const struct bw_trust_dct_opts *o, struct bw_trust_dct_result *res,
			struct bw_error *err);

/* ---- findings of kind supply-chain (findings.c) ------------------------------- */

#define BW_TRUST_FINDING_SIGNATURE "BW-SC-001"	 /* no signature of the image verifies */
#define BW_TRUST_FINDING_ATTESTATION "BW-SC-002" /* no attestation of the image verifies */
#define BW_TRUST_FINDING_DCT "BW-SC-003"	 /* Docker Content Trust denies the tag */
#define BW_TRUST_FINDING_BUNDLE "BW-SC-004"	 /* a Sigstore bundle does not verify */

struct bw_report;
/* When no check of res passed: a finding (HIGH, fail) for each failed one
 * naming why, or one saying none was found; nothing when one passed. att:
 * attestations, else signatures. */
void bw_trust_result_findings(const struct bw_trust_image *img, const struct bw_trust_result *res, bool att,
			      struct bw_report *r);
/* A finding when res denies the tag. */
void bw_trust_dct_finding(const struct bw_trust_image *img, const struct bw_trust_dct_result *res,
			  struct bw_report *r);
/* A finding for a bundle that did not verify, and why. */
void bw_trust_bundle_finding(const char *bundle, const char *reason, struct bw_report *r);

#endif
