/* engine — a Docker Engine API client (libcurl), shared by image, audit,
 * monitor and net.
 *
 * Speaks the Engine API over a unix socket (default /var/run/docker.sock,
 * or DOCKER_HOST=unix:///path) or TCP (DOCKER_HOST=tcp://host:port, with TLS
 * client certificates when DOCKER_TLS_VERIFY / DOCKER_CERT_PATH are set, as
 * the docker CLI does). The API version is negotiated once with GET /version
 * (the lower of the server's ApiVersion and the newest we speak, 1.45) and
 * used as the /vX.Y prefix of every later request. Podman's Docker-compatible
 * socket works the same way.
 *
 * Ownership: struct bw_engine is opaque, created by bw_engine_open() and
 * released by bw_engine_free(). JSON results are new jansson references the
 * caller must json_decref(). A handle is not thread-safe: one per thread
 * (it keeps one libcurl handle so the connection is reused).
 *
 * Every error message names the engine's host and the request, so that
 * "bulwark: error: …" alone tells the user where to look.
 */
#ifndef BW_ENGINE_H
#define BW_ENGINE_H

#include "core/core.h"

struct bw_engine;

struct bw_engine_opts {
	const char *host;	 /* NULL: DOCKER_HOST, else unix:///var/run/docker.sock */
	long connect_timeout_ms; /* 0: 5000 */
	long timeout_ms;	 /* whole request for JSON calls; 0: 60000. Streams have none. */
};

/* Connect and negotiate the API version. A missing socket, a refused
 * connection or a denied socket: BW_EREMOTE with a message naming the
 * host ("cannot reach the Docker Engine at unix:///var/run/docker.sock:
 * permission denied"). */
int bw_engine_open(const struct bw_engine_opts *opts, struct bw_engine **out, struct bw_error *err);
void bw_engine_free(struct bw_engine *e);

/* "unix:///var/run/docker.sock" or "tcp://…": what was connected. */
const char *bw_engine_host(const struct bw_engine *e);
/* Negotiated version, e.g. "1.41". */
const char *bw_engine_api_version(const struct bw_engine *e);

/* GET path (e.g. "/containers/json?all=1"; the /vX.Y prefix is added) and
 * parse the JSON answer. HTTP 404: BW_ENOTFOUND with the engine's message;
 * other HTTP errors: BW_EREMOTE with the status and message; a body that is
 * not JSON or passes max_bytes (0: 64 MiB): BW_EINPUT. */
int bw_engine_get_json(struct bw_engine *e, const char *path, size_t max_bytes, json_t **out,
		       struct bw_error *err);

/* Streaming GET: the body is handed to cb in chunks as it arrives. cb returns
 * 0 to go on, non-zero to stop (the call then fails with the code cb put
 * into err, or BW_EINPUT). Status errors as for bw_engine_get_json (the
 * error body is read, not streamed). A connection that closes mid-body:
 * BW_EREMOTE. */
typedef int (*bw_engine_chunk_fn)(void *ud, const void *data, size_t len, struct bw_error *err);
int bw_engine_get_stream(struct bw_engine *e, const char *path, bw_engine_chunk_fn cb, void *ud,
			 struct bw_error *err);

/* GET path into out (bounded by out->max: BW_EINPUT past it), for answers
 * that are not JSON (/_ping, logs). Status errors as for bw_engine_get_json. */
int bw_engine_get_raw(struct bw_engine *e, const char *path, struct bw_buf *out, struct bw_error *err);

/* POST path with body (NULL: an empty body) as application/json. When out is
 * not NULL a non-empty answer is parsed into *out (an empty answer, e.g. 204
 * or 304, leaves *out NULL). max_bytes bounds the answer (0: 64 MiB). Status
 * errors as for bw_engine_get_json. */
int bw_engine_post_json(struct bw_engine *e, const char *path, const json_t *body, size_t max_bytes,
			json_t **out, struct bw_error *err);

/* DELETE path (e.g. "/containers/ID?force=1"); the answer is dropped. */
int bw_engine_delete(struct bw_engine *e, const char *path, struct bw_error *err);

/* Percent-encode s for a path segment or query value into a new string
 * (bw_malloc'd; the caller frees it). Only RFC 3986 unreserved bytes stay. */
char *bw_engine_escape(const char *s);

#endif
