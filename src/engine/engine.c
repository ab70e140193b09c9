/* The engine handle: open with version negotiation, and the request
 * helpers of engine.h. */
#include <pthread.h>

#include "engine-int.h"

#define DEFAULT_CONNECT_TIMEOUT_MS 5000
#define DEFAULT_TIMEOUT_MS 60000
#define DEFAULT_JSON_MAX ((size_t)64 * 1024 * 1024)

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static int negotiate(struct bw_engine *e, struct bw_error *err)
{
	struct bw_buf body;
	bw_buf_init(&body, BW_ENGINE_VERSION_MAX);
	struct bw_engine_req req = {.method = "GET", .path = "/version", .sink = &body};
	int rc = bw_engine_perform(e, &req, NULL, err);
	json_t *v = NULL;
	if (rc == 0)
		rc = bw_engine_parse_body(e, "/version", &body, &v, err);
	bw_buf_release(&body);
	if (rc) {
		if (rc == BW_ENOTFOUND) {
			bw_error_prefix(err,
					"%s does not look like a Docker Engine: GET /version: ", e->ep.host);
			err->code = rc = BW_EREMOTE;
		}
		return rc;
	}
	rc = bw_engine_version_choose(json_string_value(json_object_get(v, "ApiVersion")),
				      json_string_value(json_object_get(v, "MinAPIVersion")), e->api_version,
				      sizeof(e->api_version), err);
	json_decref(v);
	if (rc)
		return bw_error_prefix(err, "Docker Engine at %s: ", e->ep.host);
	snprintf(e->prefix, sizeof(e->prefix), "/v%s", e->api_version);
	return 0;
}

int bw_engine_open(const struct bw_engine_opts *opts, struct bw_engine **out, struct bw_error *err)
{
	*out = NULL;
	pthread_once(&curl_once, curl_init);

	struct bw_engine *e = bw_calloc(1, sizeof(*e));
	int rc = bw_engine_endpoint_parse(opts ? opts->host : NULL, &e->ep, err);
	if (rc) {
		free(e);
		return rc;
	}
	e->connect_timeout_ms =
	    opts && opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms : DEFAULT_CONNECT_TIMEOUT_MS;
	e->timeout_ms = opts && opts->timeout_ms > 0 ? opts->timeout_ms : DEFAULT_TIMEOUT_MS;
	e->deadline = opts && opts->deadline > 0 ? opts->deadline : 0;
	e->curl = curl_easy_init();
	if (!e->curl) {
		bw_engine_free(e);
		return bw_error_set(err, BW_ENOMEM, "cannot start an HTTP client (curl_easy_init failed)");
	}
	rc = negotiate(e, err);
	if (rc) {
		bw_engine_free(e);
		return rc;
	}
	*out = e;
	return 0;
}

void bw_engine_free(struct bw_engine *e)
{
	if (!e)
		return;
	if (e->curl)
		curl_easy_cleanup(e->curl);
	bw_engine_endpoint_release(&e->ep);
	free(e);
}

const char *bw_engine_host(const struct bw_engine *e)
{
	return e->ep.host;
}

const char *bw_engine_api_version(const struct bw_engine *e)
{
	return e->api_version;
}

static char *versioned(const struct bw_engine *e, const char *path)
{
	return bw_asprintf("%s%s%s", e->prefix, path[0] == '/' ? "" : "/", path);
}

int bw_engine_get_raw(struct bw_engine *e, const char *path, struct bw_buf *out, struct bw_error *err)
{
	bw_autofree char *p = versioned(e, path);
	struct bw_engine_req req = {.method = "GET", .path = p, .sink = out};
	return bw_engine_perform(e, &req, NULL, err);
}

int bw_engine_get_json(struct bw_engine *e, const char *path, size_t max_bytes, json_t **out,
		       struct bw_error *err)
{
	*out = NULL;
	bw_autofree char *p = versioned(e, path);
	struct bw_buf body;
	bw_buf_init(&body, max_bytes ? max_bytes : DEFAULT_JSON_MAX);
	struct bw_engine_req req = {.method = "GET", .path = p, .sink = &body};
	int rc = bw_engine_perform(e, &req, NULL, err);
	if (rc == 0)
		rc = bw_engine_parse_body(e, p, &body, out, err);
	bw_buf_release(&body);
	return rc;
}

int bw_engine_get_stream(struct bw_engine *e, const char *path, bw_engine_chunk_fn cb, void *ud,
			 struct bw_error *err)
{
	bw_autofree char *p = versioned(e, path);
	struct bw_engine_req req = {.method = "GET", .path = p, .cb = cb, .ud = ud, .no_timeout = true};
	return bw_engine_perform(e, &req, NULL, err);
}

int bw_engine_post_json(struct bw_engine *e, const char *path, const json_t *body, size_t max_bytes,
			json_t **out, struct bw_error *err)
{
	if (out)
		*out = NULL;
	bw_autofree char *p = versioned(e, path);
	bw_autofree char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	if (body && !text)
		return bw_error_set(err, BW_EUSAGE, "POST %s: the request body cannot be encoded", p);
	struct bw_buf answer;
	bw_buf_init(&answer, max_bytes ? max_bytes : DEFAULT_JSON_MAX);
	struct bw_engine_req req = {
	    .method = "POST", .path = p, .body = text, .body_len = text ? strlen(text) : 0, .sink = &answer};
	int rc = bw_engine_perform(e, &req, NULL, err);
	if (rc == 0 && out && answer.len)
		rc = bw_engine_parse_body(e, p, &answer, out, err);
	bw_buf_release(&answer);
	return rc;
}

int bw_engine_delete(struct bw_engine *e, const char *path, struct bw_error *err)
{
	bw_autofree char *p = versioned(e, path);
	struct bw_buf answer;
	bw_buf_init(&answer, BW_ENGINE_ERRBODY_MAX);
	struct bw_engine_req req = {.method = "DELETE", .path = p, .sink = &answer};
	int rc = bw_engine_perform(e, &req, NULL, err);
	bw_buf_release(&answer);
	return rc;
}

char *bw_engine_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = bw_malloc(3 * n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (bw_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}
