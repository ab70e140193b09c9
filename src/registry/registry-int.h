/* Private declarations of the registry client, shared by its files, its
 * unit tests and its fuzz harness. Nothing else includes this. */
#ifndef BW_REGISTRY_INT_H
#define BW_REGISTRY_INT_H

#include <curl/curl.h>
#include <pthread.h>

#include "registry/registry.h"

/* ---- bounds on what a registry sends ---- */
#define REG_HEADERS_MAX (64u * 1024) /* header bytes of one response */
#define REG_ERRBODY_MAX (64u * 1024) /* an error body kept for its message */
#define REG_TOKEN_MAX (1u << 20)     /* a token endpoint's answer */
#define REG_LISTPAGE_MAX (4u << 20)  /* one page of _catalog or tags/list */
/* The tree of one parsed answer (a manifest, a list page, a token answer):
 * 32 times its largest text, as an image's metadata (real ones take 3 to 6
 * times; a document of "{}" elements would take 70 times). */
#define REG_JSON_TREE_MAX ((size_t)128 << 20)
#define REG_MAX_HOPS 5		    /* redirects of one request */
#define REG_STAGE_MAX (256u * 1024) /* bytes a blob stream holds for its reader */
#define REG_RESUMES_MAX 5	    /* Range resumptions of one blob */
#define REG_CHALLENGE_PARAMS 16	    /* auth-params of one challenge */
#define REG_CRED_MAX 8192	    /* a credential helper's answer */
#define REG_STALL_SECONDS 60	    /* no byte for this long: the transfer failed */

/* ---- parsers of registry answers (parse.c): bounded, on {ptr, len} ---- */

/* The first challenge of a WWW-Authenticate value: scheme (lowercased) and
 * the realm, service and scope parameters (RFC 7235 auth-params, quoted or
 * not). false when the value is malformed or a field does not fit. */
struct reg_challenge {
	char scheme[16];
	char realm[1024];
	char service[256];
	char scope[512];
	char error[64]; /* error="insufficient_scope" and the like */
};
bool reg_parse_challenge(const char *s, size_t n, struct reg_challenge *c);

/* The target of the rel="next" link of a Link header value, copied into
 * out; false when there is none or it does not fit. */
bool reg_parse_link_next(const char *s, size_t n, char *out, size_t outlen);

/* A token endpoint's JSON answer: "token" or "access_token" (the first
 * non-empty), and "expires_in" (seconds; default 60, at least 60 as the
 * Docker client does, at most a day). A token must be visible ASCII.
 * Returns 0, or BW_EINPUT with what is wrong in why (no registry named). */
struct reg_token {
	char *token; /* bw_malloc'd; the caller explicit_bzero()s and frees it */
	long expires_in;
};
int reg_parse_token(const char *s, size_t n, struct reg_token *t, char *why, size_t whylen);

/* A page of _catalog ({"repositories": [...]}) or tags/list ({"tags":
 * [...]}: key is "repositories" or "tags"): the names appended to arr,
 * each checked with valid(); at most room names. Returns 0, or BW_EINPUT
 * / BW_ELIMIT with what is wrong in why. */
int reg_parse_list(const char *s, size_t n, const char *key, bool (*valid)(const char *, size_t), json_t *arr,
		   size_t room, char *why, size_t whylen);

/* Retry-After: delay-seconds (an HTTP date counts as 1 s); -1 when absent
 * or malformed. */
double reg_parse_retry_after(const char *s, size_t n);

/* The value of header name in a block of header lines (case-insensitive
 * name, value trimmed), copied into out; false when absent or too long. */
bool reg_header_value(const char *hdrs, size_t n, const char *name, char *out, size_t outlen);

/* ---- credentials (creds.c) ---- */
struct reg_creds {
	char *username, *password; /* NULL when none; zeroed on release */
	char source[256];	   /* where they came from, for messages (never the secret) */
};
void reg_creds_release(struct reg_creds *c);
/* Look credentials for host up: opts first, then REGISTRY_AUTH_FILE, then
 * $DOCKER_CONFIG/config.json (credHelpers, credsStore, auths). None found
 * is 0 with empty c. */
int reg_creds_lookup(const char *host, const struct bw_registry_opts *opts, struct reg_creds *c,
		     struct bw_error *err);
/* Parse a docker config.json / auth.json document for host; 1 when found,
 * 0 when not, and *helper set to a helper name to run instead (borrowed
 * from j). */
int reg_creds_from_json(json_t *j, const char *host, struct reg_creds *c, const char **helper);

/* ---- the client ---- */
struct reg_token_entry {
	char *scope;
	char *token;
	double expires;
};

/* An idle connection: an easy handle with its own multi handle, whose
 * connection cache keeps the connection open between requests. */
struct reg_conn {
	CURL *easy;
	CURLM *multi;
};

struct bw_registry {
	char *host;	/* "127.0.0.1:5000" */
	char *hostname; /* without port or brackets, for loopback checks */
	char *base_url; /* "https://127.0.0.1:5000" */
	bool insecure;	/* plain HTTP */
	struct bw_registry_opts opts;
	struct reg_creds creds;
	char *ca_dir_ca;		/* certs.d/HOST/ *.crt joined into one list, or NULL */
	char *client_cert, *client_key; /* certs.d client pair, or NULL */
	char **extra_cas;		/* CA files trusted besides the store */
	size_t n_extra_cas;

	pthread_mutex_t lock; /* guards everything below */
	int scheme;	      /* 0 unknown, 1 none needed, 2 basic, 3 bearer */
	struct reg_challenge challenge;
	struct reg_token_entry *tokens;
	size_t n_tokens, cap_tokens;
	struct reg_conn *idle;
	size_t n_idle, cap_idle;
};

enum { REG_AUTH_UNKNOWN = 0, REG_AUTH_NONE, REG_AUTH_BASIC, REG_AUTH_BEARER };

/* One logical request, driven by the multi interface so that its body can
 * be pulled by the reader: redirects, authentication, retries and Range
 * resumption happen inside xfer_read(). */
struct reg_xfer {
	struct bw_registry *r;
	const char *method;
	char *path; /* "/v2/…" */
	char *what; /* "manifest 3.20 of 127.0.0.1:5000/app", for messages */
	char *repo; /* for messages and scope, or NULL */
	char *scope;
	const char *const *extra_headers;
	bool use_auth, follow, retry, resume;
	bool raw;	  /* any final status ends the body (bw_registry_request) */
	const void *body; /* the request body of a POST, PUT or PATCH (borrowed), or NULL */
	size_t body_len;
	int64_t expect_size; /* -1 unknown */

	struct reg_conn conn;
	char *url;
	bool cross_host; /* the current URL is not on the registry's host */
	int hops, tries, resumes;
	bool auth_tried, token_refreshed;
	struct curl_slist *hl;
	char errbuf[CURL_ERROR_SIZE];

	/* the current attempt */
	bool running, done;
	CURLcode result;
	long status;
	struct bw_buf hdrs, errbody;
	bool hdr_overflow;
	bool body_overflow; /* reg_xfer_read_all passed its bound */
	uint64_t skip;	    /* bytes of a 200 to drop after a resume the server ignored */

	/* bytes for the reader */
	char *stage;
	size_t stage_len, stage_off;
	bool paused;
	uint64_t delivered; /* body bytes handed to the reader, across resumptions */
	bool eof;
	struct bw_error fail; /* a failure decided inside a callback */
	bool failed;
};

/* A GET of path (owned by x from now on) in repo (NULL: the catalog),
 * with authentication for repository:REPO:pull, redirects and retries;
 * what names it in messages (owned by x too). */
void reg_xfer_init(struct reg_xfer *x, struct bw_registry *r, const char *repo, char *path, char *what);
int reg_xfer_start(struct reg_xfer *x, struct bw_error *err);
/* As bw_registry_blob_read; 0 at the end of a 2xx body. Any other final
 * status ends with an error naming it (404 BW_ENOTFOUND). When
 * x->raw is set, non-2xx statuses end the body normally instead. */
ssize_t reg_xfer_read(struct reg_xfer *x, void *buf, size_t n, struct bw_error *err);
void reg_xfer_release(struct reg_xfer *x);
/* Read the whole body into out (bounded by out->max: BW_ELIMIT naming what). */
int reg_xfer_read_all(struct reg_xfer *x, struct bw_buf *out, struct bw_error *err);

/* Set up TLS, timeouts, protocols on an easy handle for url. */
void reg_setup_easy(struct bw_registry *r, CURL *c, bool registry_host);
/* The host part ("host:port") of an http(s) URL; false when not one. */
bool reg_url_authority(const char *url, char *scheme, size_t slen, char *auth, size_t alen);
/* Remaining time before the deadline in ms (LONG_MAX without one; 0 when past). */
long reg_remaining_ms(const struct bw_registry *r);
bool reg_is_loopback(const char *hostname);

/* The token for scope after a Bearer challenge (cached or fetched).
 * Returns 0 with a heap copy in *token, or an error naming the realm. */
int reg_auth_bearer(struct bw_registry *r, const char *scope, const char *repo, bool refresh, char **token,
		    struct bw_error *err);
/* The Authorization header line for a request of scope, or NULL. */
char *reg_auth_header(struct bw_registry *r, const char *scope);
/* A 401 arrived with this WWW-Authenticate: learn the scheme. 0 when a
 * retry can help, else an error naming host and repo. */
int reg_auth_challenge(struct bw_registry *r, const char *www, const char *scope, const char *repo,
		       bool refresh, struct bw_error *err);

#endif
