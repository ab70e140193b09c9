/* Private declarations of the engine client, shared by its files and its
 * unit tests. Nothing outside src/engine/ and tests/unit/engine/ includes this. */
#ifndef BW_ENGINE_INT_H
#define BW_ENGINE_INT_H

#include <curl/curl.h>
#include <jansson.h>

#include "engine/engine.h"

/* The newest and oldest Engine API versions we speak. */
#define BW_ENGINE_API_MAX_MAJOR 1
#define BW_ENGINE_API_MAX_MINOR 45
#define BW_ENGINE_API_MIN_MAJOR 1
#define BW_ENGINE_API_MIN_MINOR 24

/* Bound of an error body kept for its "message" (the rest is dropped). */
#define BW_ENGINE_ERRBODY_MAX (64 * 1024)
/* the header block of one answer (the engine sends a few hundred bytes) */
#define BW_ENGINE_MAX_HEADERS (64 * 1024)
/* Bound of the /version answer read while negotiating. */
#define BW_ENGINE_VERSION_MAX (256 * 1024)

/* Where to connect, decided from opts->host / DOCKER_HOST and the TLS
 * environment. All strings are heap copies owned by the endpoint. */
struct bw_engine_endpoint {
	char *host;	   /* as given, normalised: "unix:///run/docker.sock", "tcp://h:2376" */
	char *socket_path; /* unix sockets only, else NULL */
	char *base_url;	   /* "http://localhost" (unix), "http://h:2375", "https://h:2376" */
	bool tls;
	bool tls_verify;       /* verify the server certificate against ca */
	char *ca, *cert, *key; /* file paths, or NULL when not used */
};

/* Decide the endpoint from host (NULL: DOCKER_HOST, else the default socket)
 * and the environment (DOCKER_TLS_VERIFY, DOCKER_TLS, DOCKER_CERT_PATH,
 * HOME). BW_EUSAGE for a malformed host, BW_EUNSUPPORTED for schemes we do
 * not speak (ssh://, npipe://, fd://). */
int bw_engine_endpoint_parse(const char *host, struct bw_engine_endpoint *ep, struct bw_error *err);
void bw_engine_endpoint_release(struct bw_engine_endpoint *ep);

/* Parse "1.41" into major/minor; false when malformed. */
bool bw_engine_version_parse(const char *s, int *major, int *minor);
/* The version to speak with a server that reports api_version and
 * min_version (NULL when unknown): min(server, 1.45), refused when the
 * server is older than 1.24 or its minimum is newer than 1.45. Writes
 * "1.41" into out (16 bytes). BW_EUNSUPPORTED or BW_EINPUT on failure. */
int bw_engine_version_choose(const char *api_version, const char *min_version, char *out, size_t outlen,
			     struct bw_error *err);

struct bw_engine {
	struct bw_engine_endpoint ep;
	long connect_timeout_ms;
	long timeout_ms;
	double deadline; /* bw_now() time; 0: none */
	char api_version[16];
	char prefix[24]; /* "/v1.41" */
	CURL *curl;	 /* one handle, reused so the connection is kept */
};

/* One HTTP exchange. The body of a successful answer goes to cb (streaming)
 * or into sink (bounded; BW_EINPUT past its max). A failed status reads the
 * error body and maps it: 404 BW_ENOTFOUND, else BW_EREMOTE, with the
 * engine's "message". path is sent as is (the caller adds the prefix).
 * *status receives the HTTP status when not NULL. */
struct bw_engine_req {
	const char *method; /* "GET", "POST", "DELETE", "HEAD" */
	const char *path;
	const char *body; /* POST body (JSON), or NULL */
	size_t body_len;
	bw_engine_chunk_fn cb;
	void *ud;
	struct bw_buf *sink;
	bool no_timeout; /* streams: a low-speed limit instead of a whole-request timeout */
};
int bw_engine_perform(struct bw_engine *e, const struct bw_engine_req *req, long *status,
		      struct bw_error *err);

/* Parse a whole body as JSON; BW_EINPUT naming the host and path when it is
 * not JSON. */
int bw_engine_parse_body(struct bw_engine *e, const char *path, const struct bw_buf *body, json_t **out,
			 struct bw_error *err);

#endif
