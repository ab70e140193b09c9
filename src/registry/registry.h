/* registry — an OCI distribution spec v1.1 client on libcurl: references,
 * manifests, blobs, repository and tag listings, pushes of blobs and
 * manifests, OCI 1.1 referrers, authentication and TLS.
 *
 * References are HOST[:PORT]/REPO[:TAG|@sha256:DIGEST], normalised as the
 * Docker Engine does: a first component without '.' or ':' (and not
 * "localhost") is a Docker Hub path, so "alpine" is
 * docker.io/library/alpine:latest, contacted at registry-1.docker.io.
 *
 * A client (struct bw_registry) talks to one registry host. It answers the
 * WWW-Authenticate challenge itself: Bearer tokens (anonymous or with
 * credentials, one per scope, cached in memory until they expire, fetched
 * again when refused) and Basic. Credentials come from the options
 * (--username with --password-stdin), from REGISTRY_AUTH_FILE (containers'
 * auth.json), or from $DOCKER_CONFIG/config.json (credHelpers, credsStore:
 * docker-credential-NAME get; auths). They are sent only to the registry
 * host they belong to and to the token realm its challenge names (only over
 * HTTPS, or on loopback), never across a redirect to another host, never put
 * in a message. TLS 1.2 at least; the system trust store plus --registry-ca
 * and the engine's certs.d/HOST[:PORT]/{*.crt, client.cert, client.key}
 * (mutual TLS; the certs.d root is /etc/docker/certs.d, or
 * $BW_REGISTRY_CERTS_D). Plain HTTP only for hosts named insecure.
 *
 * Every answer is untrusted: manifests are capped at 4 MiB and checked
 * against the digest asked for or Docker-Content-Digest, small blobs by the
 * caller's bound and their digest, streamed blobs by their descriptor's
 * size; headers, token answers, error bodies and listings are bounded. 429
 * and 5xx answers are retried with back-off (Retry-After honoured), a
 * dropped blob transfer resumes with Range, all within the deadline.
 * Errors name the registry, the repository and what went wrong: 401/403
 * "authentication required for HOST/REPO: run docker login HOST or pass
 * --username" (BW_EREMOTE), 404 BW_ENOTFOUND, a bad digest BW_EINTEGRITY,
 * a bound BW_ELIMIT, anything else from the far end BW_EREMOTE or BW_EINPUT.
 *
 * Ownership: struct bw_registry and struct bw_registry_blob are opaque,
 * released by bw_registry_free() and bw_registry_blob_close(); a blob must
 * be closed before its client is freed. A client may be used from several
 * threads at once (each call has its own connection; the token cache is
 * locked). Strings in the structs below that the caller fills are borrowed
 * for the client's life; those the module fills are the struct's, released
 * by the matching _release(). json_t results are new references.
 */
#ifndef BW_REGISTRY_H
#define BW_REGISTRY_H

#include "core/core.h"

/* ---- references -------------------------------------------------------- */

#define BW_REGISTRY_DOCKER_HUB "docker.io"
#define BW_REGISTRY_DOCKER_HUB_HOST "registry-1.docker.io"

struct bw_registry_ref {
	char *domain; /* as named: "docker.io", "127.0.0.1:5000" */
	char *host;   /* as contacted: "registry-1.docker.io", "127.0.0.1:5000" */
	char *repo;   /* "library/alpine" */
	char *tag;    /* "latest" (the default), or NULL when a digest is given */
	char *digest; /* "sha256:…", or NULL */
	char *name;   /* for messages: "docker.io/library/alpine:3.20" */
};

/* Parse a reference (no scheme). BW_EUSAGE naming s and what is wrong for
 * anything else. Only a name with its own domain is accepted when
 * need_domain is set. */
int bw_registry_ref_parse(const char *s, bool need_domain, struct bw_registry_ref *ref, struct bw_error *err);
void bw_registry_ref_release(struct bw_registry_ref *ref);
/* "HOST[:PORT]" alone (for `registry ls`): a host name, an IPv4 address or
 * a bracketed IPv6 address, with an optional port. */
bool bw_registry_host_valid(const char *s, size_t n);
/* A repository path component grammar check ("library/alpine"). */
bool bw_registry_repo_valid(const char *s, size_t n);
/* A tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}). */
bool bw_registry_tag_valid(const char *s, size_t n);

/* ---- clients ------------------------------------------------------------- */

/* Called with a warning the user should see (an insecure registry). */
typedef void (*bw_registry_warn_fn)(void *ud, const char *msg);

struct bw_registry_opts {
	const char *username, *password; /* both or neither; for the reference's host only */
	const char *ca_file;		 /* --registry-ca: trusted besides the system store */
	const char *const *insecure;	 /* HOST[:PORT] served over plain HTTP */
	size_t n_insecure;
	double deadline;  /* bw_now() time by which everything must be done; 0: none */
	int max_retries;  /* of a 429/5xx or dropped request; 0: 3, -1: none */
	bool no_env_auth; /* do not read DOCKER_CONFIG / REGISTRY_AUTH_FILE */
	bool no_verify;	  /* audits: TLS without certificate verification (give no credentials then) */
	bw_registry_warn_fn warn;
	void *warn_ud;
};

struct bw_registry;

/* A client for host ("HOST[:PORT]", as bw_registry_ref.host). Nothing is
 * sent yet; credentials are looked up now (a failing credential helper is
 * BW_EREMOTE naming it). opts is copied (its strings borrowed). */
int bw_registry_open(const char *host, const struct bw_registry_opts *opts, struct bw_registry **out,
		     struct bw_error *err);
void bw_registry_free(struct bw_registry *r);
const char *bw_registry_host(const struct bw_registry *r);
/* "https://host" or "http://host". */
const char *bw_registry_base_url(const struct bw_registry *r);

/* ---- manifests and small blobs ------------------------------------------- */

#define BW_REGISTRY_MANIFEST_MAX (4u << 20)

struct bw_registry_manifest {
	char *data; /* the bytes as received (NUL-terminated for convenience) */
	size_t len;
	char media_type[128]; /* its mediaType field, else the Content-Type */
	char digest[BW_DIGEST_STR_MAX];
};
void bw_registry_manifest_release(struct bw_registry_manifest *m);

/* GET /v2/REPO/manifests/REFERENCE (a tag or a digest) accepting OCI
 * manifests and indexes and Docker v2 schema 2 manifests and lists. The
 * digest of the bytes must equal reference when it is a digest, else the
 * Docker-Content-Digest header when present. Schema 1: BW_EUNSUPPORTED. */
int bw_registry_get_manifest(struct bw_registry *r, const char *repo, const char *reference,
			     struct bw_registry_manifest *out, struct bw_error *err);

/* GET /v2/REPO/blobs/DIGEST into out (bounded by out->max: BW_ELIMIT), and
 * check the digest (BW_EINTEGRITY). For configurations and other small
 * blobs. */
int bw_registry_get_blob(struct bw_registry *r, const char *repo, const char *digest, struct bw_buf *out,
			 struct bw_error *err);

/* ---- streamed blobs ------------------------------------------------------ */

struct bw_registry_blob;
/* Start GET /v2/REPO/blobs/DIGEST (redirects to blob storage followed
 * without credentials). size is the descriptor's (-1 unknown): a longer
 * body is BW_EINTEGRITY as soon as it passes it, a shorter one at its end.
 * The digest itself is checked by whoever reads the bytes. */
int bw_registry_blob_open(struct bw_registry *r, const char *repo, const char *digest, int64_t size,
			  struct bw_registry_blob **out, struct bw_error *err);
/* Up to n bytes: the count, 0 at the end, or a negative BW_E*. A dropped
 * connection is resumed from where it stopped (Range, or the bytes already
 * read skipped when the registry ignores Range). Holds at most a few
 * hundred KiB however slowly it is read. */
ssize_t bw_registry_blob_read(struct bw_registry_blob *b, void *buf, size_t n, struct bw_error *err);
void bw_registry_blob_close(struct bw_registry_blob *b);
/* The same, pushed: every chunk of the blob to cb (0 to go on; non-zero
 * stops with the error cb put into err). Nothing touches the disk. */
typedef int (*bw_registry_chunk_fn)(void *ud, const void *data, size_t len, struct bw_error *err);
int bw_registry_blob_stream(struct bw_registry *r, const char *repo, const char *digest, int64_t size,
			    bw_registry_chunk_fn cb, void *ud, struct bw_error *err);

/* ---- listings ------------------------------------------------------------- */

#define BW_REGISTRY_LIST_MAX 100000 /* names in one listing */
#define BW_REGISTRY_PAGES_MAX 1000  /* pages of one listing */

/* The repositories of /v2/_catalog, following Link pagination (a page seen
 * twice, too many pages or names: BW_ELIMIT). *out: a JSON array of
 * strings, each a valid repository name. */
int bw_registry_catalog(struct bw_registry *r, json_t **out, struct bw_error *err);
/* The tags of /v2/REPO/tags/list, paginated the same way. */
int bw_registry_tags(struct bw_registry *r, const char *repo, json_t **out, struct bw_error *err);

/* ---- pushing and referrers (push.c) -------------------------------------- */

/* Pushes authenticate for the scope repository:REPO:pull,push. */

/* HEAD /v2/REPO/blobs/DIGEST: *exists, and 0 (absent is not an error). */
int bw_registry_blob_exists(struct bw_registry *r, const char *repo, const char *digest, bool *exists,
			    struct bw_error *err);
/* Upload data as a blob of repo, unless a blob of its digest is there:
 * POST /v2/REPO/blobs/uploads/, then PUT the session's Location with
 * ?digest= and the bytes (a monolithic upload). digest_out (NULL, or
 * BW_DIGEST_STR_MAX bytes) gets "sha256:…" of data. */
int bw_registry_put_blob(struct bw_registry *r, const char *repo, const void *data, size_t len,
			 char *digest_out, struct bw_error *err);
/* PUT /v2/REPO/manifests/REFERENCE (a tag, or the digest of data) with
 * media_type as its Content-Type. digest_out as above; *subject_indexed
 * (may be NULL) is set when the registry answered OCI-Subject, that is it
 * indexes referrers itself. A Docker-Content-Digest answer other than the
 * bytes' digest is BW_EINTEGRITY. */
int bw_registry_put_manifest(struct bw_registry *r, const char *repo, const char *reference,
			     const char *media_type, const void *data, size_t len, char *digest_out,
			     bool *subject_indexed, struct bw_error *err);

/* The referrers of manifest digest in repo (OCI distribution 1.1): GET
 * /v2/REPO/referrers/DIGEST; a registry without the API (404, 400, 405)
 * falls back to the referrers tag schema, the index tagged
 * "sha256-<hex>" (absent: none). *out is a new JSON array of the index's
 * descriptors whose artifactType is artifact_type (NULL: all), each with a
 * valid digest; *api (may be NULL) says whether the API answered. */
int bw_registry_referrers(struct bw_registry *r, const char *repo, const char *digest,
			  const char *artifact_type, json_t **out, bool *api, struct bw_error *err);
/* For registries without the API: add descriptor (a referrer's, with its
 * artifactType) to the index tagged "sha256-<hex>" of subject, made when
 * absent; nothing when a descriptor of the same digest is there. */
int bw_registry_referrers_tag_add(struct bw_registry *r, const char *repo, const char *subject,
				  const json_t *descriptor, struct bw_error *err);

/* ---- raw requests and a probe (for audits of a registry) ------------------ */

struct bw_registry_response {
	long status;
	struct bw_buf headers; /* the last response's header lines, as received */
	struct bw_buf body;    /* bounded by the max given to bw_registry_request */
	char *url;	       /* the URL that answered (after redirects) */
};
void bw_registry_response_release(struct bw_registry_response *resp);
/* The value of header name (case-insensitive) in resp, copied into out;
 * false when absent. */
bool bw_registry_response_header(const struct bw_registry_response *resp, const char *name, char *out,
				 size_t outlen);

struct bw_registry_request {
	const char *method;	    /* "GET", "HEAD", "POST", "DELETE", … */
	const char *path;	    /* "/v2/", "/v2/REPO/blobs/uploads/" */
	const char *scope;	    /* token scope ("repository:REPO:push,pull"), NULL: no auth at all */
	const char *const *headers; /* extra header lines, NULL-terminated, or NULL */
	size_t body_max;	    /* bound of resp->body (0: 64 KiB); past it the body is cut */
	bool follow;		    /* follow redirects (credentials never cross hosts) */
};
/* One request, with authentication when scope is set, without retries.
 * Any HTTP status is a success here (the caller judges it); transport
 * failures and bounds are errors. */
int bw_registry_request(struct bw_registry *r, const struct bw_registry_request *req,
			struct bw_registry_response *resp, struct bw_error *err);

struct bw_registry_probe {
	bool tls;
	char tls_version[32]; /* "TLSv1.3" */
	char cipher[64];
	char cert_subject[256], cert_issuer[256];
	char cert_not_after[64]; /* as OpenSSL prints it */
	int cert_key_bits;	 /* 0 unknown */
	bool cert_self_signed;
	bool cert_host_match;		/* the certificate names the host (DNS name or IP address) */
	char cert_key_type[16];		/* "RSA", "EC", "ED25519", … */
	bool cert_verified;		/* the chain checked against the trust in force */
	long status;			/* of GET /v2/ without credentials */
	char api_version[64];		/* Docker-Distribution-Api-Version */
	char server[128];		/* Server header */
	char challenge[512];		/* WWW-Authenticate */
	char auth_scheme[16];		/* "bearer", "basic" or "" */
	char realm[1024], service[256]; /* from the challenge */
};
/* GET /v2/ anonymously (certificate problems are recorded, not fatal) and
 * describe the connection and the answer. The certificate is verified
 * (cert_verified) even by a client opened with no_verify. */
int bw_registry_probe(struct bw_registry *r, struct bw_registry_probe *p, struct bw_error *err);
/* One TLS handshake (then GET /v2/, unverified, anonymous) offering only
 * TLS version ("1.0", "1.1", "1.2") and, when ciphers is set, only those
 * (an OpenSSL cipher list for TLS 1.2 and older; security level 0, so old
 * suites can be offered at all). *accepted says whether the registry
 * completed the handshake; then p->tls_version and p->cipher say what was
 * agreed. A registry that cannot be reached at all is BW_EREMOTE. */
int bw_registry_tls_try(struct bw_registry *r, const char *version, const char *ciphers, bool *accepted,
			struct bw_registry_probe *p, struct bw_error *err);

#endif
