/* One HTTP exchange with the Engine over libcurl, and the mapping of
 * everything that can go wrong on the way to a struct bw_error that names
 * the host and the request. */
#include <errno.h>

#include "engine-int.h"

struct xfer {
	const struct bw_engine_req *req;
	CURL *curl;
	long status;
	struct bw_buf errbody;	/* body of a failed status, truncated at its max */
	struct bw_error cb_err; /* what the chunk callback or the sink reported */
	bool stopped;		/* we aborted the transfer on purpose */
	size_t received;
	size_t header_bytes; /* of the answer being read */
	bool in_headers;     /* stopped by on_header */
};

/* Not a success: an error (4xx, 5xx) or a redirect, which is never
 * followed (an engine has no reason to send one). Its body is kept for the
 * message, never handed to the caller. */
static bool failed_status(long status)
{
	return status >= 300;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb;
	(void)data;
	x->header_bytes += n;
	if (x->header_bytes > BW_ENGINE_MAX_HEADERS) {
		bw_error_set(&x->cb_err, BW_EREMOTE, "the answer's headers are larger than %u bytes",
			     BW_ENGINE_MAX_HEADERS);
		x->stopped = x->in_headers = true;
		return 0;
	}
	return n;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb;

	if (x->status == 0)
		curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &x->status);
	x->received += n;
	if (failed_status(x->status)) {
		size_t room = x->errbody.max - x->errbody.len;
		bw_buf_add(&x->errbody, data, n < room ? n : room);
		return n;
	}
	if (x->req->sink) {
		if (bw_buf_add(x->req->sink, data, n) < 0) {
			bw_error_set(&x->cb_err, BW_EINPUT,
				     "the answer is larger than the limit of %zu bytes", x->req->sink->max);
			x->stopped = true;
			return 0;
		}
		return n;
	}
	if (x->req->cb && n) {
		struct bw_error e = BW_ERROR_INIT;
		if (x->req->cb(x->req->ud, data, n, &e) != 0) {
			if (e.code == 0)
				bw_error_set(&e, BW_EINPUT, "stopped by the reader");
			x->cb_err = e;
			x->stopped = true;
			return 0;
		}
	}
	return n;
}

/* strerror, first letter lowered, as messages read "…: permission denied". */
static void os_reason(int errnum, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s", strerror(errnum));
	if (out[0] && !(out[1] && bw_isupper(out[1])))
		out[0] = (char)bw_tolower(out[0]);
}

/* The "message" of an Engine error body, or its first printable bytes. */
static void error_message(const struct bw_buf *b, char *out, size_t outlen)
{
	out[0] = '\0';
	if (!b->len)
		return;
	json_error_t je;
	json_t *j = bw_json_loadb(b->data, b->len, 0, BW_JSON_TREE_MAX, &je, NULL);
	const char *m = j ? json_string_value(json_object_get(j, "message")) : NULL;
	if (m) {
		snprintf(out, outlen, "%s", m);
	} else {
		size_t k = 0;
		for (size_t i = 0; i < b->len && k + 1 < outlen && k < 200; i++) {
			unsigned char c = (unsigned char)b->data[i];
			out[k++] = (c >= 0x20 && c < 0x7f) ? (char)c : ' ';
		}
		while (k && out[k - 1] == ' ')
			k--;
		out[k] = '\0';
	}
	json_decref(j);
}

static int map_status(struct bw_engine *e, const struct bw_engine_req *req, long status,
		      const struct bw_buf *body, struct bw_error *err)
{
	char msg[512];
	error_message(body, msg, sizeof(msg));
	int code = status == 404 ? BW_ENOTFOUND : BW_EREMOTE;
	if (status == 404 && msg[0])
		return bw_error_set(err, code, "%s", msg);
	if (status < 400) {
		char *to = NULL;
		curl_easy_getinfo(e->curl, CURLINFO_REDIRECT_URL, &to);
		return bw_error_set(err, code,
				    "Docker Engine at %s answered %s %s with HTTP %ld, a redirect%s%.256s%s: "
				    "not followed",
				    e->ep.host, req->method, req->path, status, to ? " to '" : "",
				    to ? to : "", to ? "'" : "");
	}
	return bw_error_set(err, code, "Docker Engine at %s answered %s %s with HTTP %ld%s%s", e->ep.host,
			    req->method, req->path, status, msg[0] ? ": " : "", msg);
}

static int map_curl(struct bw_engine *e, const struct bw_engine_req *req, CURLcode cc, struct xfer *x,
		    const char *detail, struct bw_error *err)
{
	long oserr = 0;
	char reason[256];
	curl_easy_getinfo(x->curl, CURLINFO_OS_ERRNO, &oserr);

	switch (cc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		if (oserr)
			os_reason((int)oserr, reason, sizeof(reason));
		else
			snprintf(reason, sizeof(reason), "%s", detail[0] ? detail : curl_easy_strerror(cc));
		err->sys_errno = (int)oserr;
		bw_error_set(err, BW_EREMOTE, "cannot reach the Docker Engine at %s: %s", e->ep.host, reason);
		err->sys_errno = (int)oserr;
		return BW_EREMOTE;
	case CURLE_OPERATION_TIMEDOUT:
		if (e->deadline > 0 && bw_now() >= e->deadline - 0.05)
			return bw_error_set(
			    err, BW_EREMOTE,
			    "Docker Engine at %s: %s %s stopped after %zu bytes of the answer: "
			    "the time allowed ran out",
			    e->ep.host, req->method, req->path, x->received);
		if (x->received == 0 && x->status == 0)
			return bw_error_set(
			    err, BW_EREMOTE, "Docker Engine at %s did not answer %s %s in time (%s)",
			    e->ep.host, req->method, req->path, detail[0] ? detail : "timed out");
		return bw_error_set(err, BW_EREMOTE,
				    "Docker Engine at %s: %s %s timed out after %zu bytes of the answer (%s)",
				    e->ep.host, req->method, req->path, x->received, detail);
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2_STREAM:
	case CURLE_HTTP2:
	case CURLE_READ_ERROR:
	case CURLE_SEND_ERROR:
		if (x->received || x->status)
			return bw_error_set(
			    err, BW_EREMOTE,
			    "the connection to the Docker Engine at %s closed in the middle of the "
			    "answer to %s %s after %zu bytes (%s)",
			    e->ep.host, req->method, req->path, x->received,
			    detail[0] ? detail : curl_easy_strerror(cc));
		return bw_error_set(
		    err, BW_EREMOTE,
		    "the Docker Engine at %s closed the connection without answering %s %s (%s)", e->ep.host,
		    req->method, req->path, detail[0] ? detail : curl_easy_strerror(cc));
	case CURLE_OUT_OF_MEMORY:
		/* curl holds a header line whole: one past its limit ends here */
		if (x->status == 0 || x->received == 0)
			return bw_error_set(err, BW_EREMOTE,
					    "Docker Engine at %s: %s %s: a header line of the answer is "
					    "larger than the client holds (or memory ran out)",
					    e->ep.host, req->method, req->path);
		return bw_error_set(err, BW_EREMOTE, "Docker Engine at %s: %s %s failed: out of memory",
				    e->ep.host, req->method, req->path);
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
		return bw_error_set(err, BW_EREMOTE, "TLS with the Docker Engine at %s failed: %s",
				    e->ep.host, detail[0] ? detail : curl_easy_strerror(cc));
	default:
		return bw_error_set(err, BW_EREMOTE, "Docker Engine at %s: %s %s failed: %s", e->ep.host,
				    req->method, req->path, detail[0] ? detail : curl_easy_strerror(cc));
	}
}

int bw_engine_perform(struct bw_engine *e, const struct bw_engine_req *req, long *status,
		      struct bw_error *err)
{
	CURL *c = e->curl;
	struct xfer x = {.req = req, .curl = c};
	char detail[CURL_ERROR_SIZE] = "";
	struct curl_slist *headers = NULL;
	int rc = 0;

	long timeout_ms = req->no_timeout ? 0 : e->timeout_ms;
	if (e->deadline > 0) {
		double left = e->deadline - bw_now();
		if (left <= 0)
			return bw_error_set(err, BW_EREMOTE,
					    "Docker Engine at %s: %s %s not sent: the time allowed ran out",
					    e->ep.host, req->method, req->path);
		long left_ms = (long)(left * 1000) + 1;
		if (timeout_ms == 0 || left_ms < timeout_ms)
			timeout_ms = left_ms;
	}

	bw_buf_init(&x.errbody, BW_ENGINE_ERRBODY_MAX);
	bw_autofree char *url = bw_asprintf("%s%s", e->ep.base_url, req->path);

	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &x);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, e->connect_timeout_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	if (req->no_timeout) {
		/* a stream may take long, but not stall: headers included */
		long secs = e->timeout_ms / 1000;
		curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
		curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, secs > 0 ? secs : 1L);
	}
	curl_easy_setopt(c, CURLOPT_USERAGENT, "bulwark/" BW_VERSION);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	/* paths carry names from the user and ids from the engine: "." and ".."
	 * segments are sent as written, never folded into another endpoint */
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	if (e->ep.socket_path) {
		curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, e->ep.socket_path);
		curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	}
	if (e->ep.tls) {
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, e->ep.tls_verify ? 1L : 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, e->ep.tls_verify ? 2L : 0L);
		if (e->ep.ca)
			curl_easy_setopt(c, CURLOPT_CAINFO, e->ep.ca);
		if (e->ep.cert) {
			curl_easy_setopt(c, CURLOPT_SSLCERT, e->ep.cert);
			curl_easy_setopt(c, CURLOPT_SSLKEY, e->ep.key);
		}
	}

	if (strcmp(req->method, "GET") == 0) {
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	} else if (strcmp(req->method, "HEAD") == 0) {
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	} else if (strcmp(req->method, "POST") == 0) {
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body ? req->body : "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(req->body ? req->body_len : 0));
		headers = curl_slist_append(headers, "Content-Type: application/json");
		headers = curl_slist_append(headers, "Expect:");
	} else {
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
	}
	if (headers)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);

	CURLcode cc = curl_easy_perform(c);
	if (x.status == 0)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &x.status);
	if (status)
		*status = x.status;

	if (x.stopped && cc == CURLE_WRITE_ERROR) {
		*err = x.cb_err;
		if (req->sink || x.in_headers)
			bw_error_prefix(err, "Docker Engine at %s: %s %s: ", e->ep.host, req->method,
					req->path);
		rc = err->code;
	} else if (cc != CURLE_OK && !failed_status(x.status)) {
		rc = map_curl(e, req, cc, &x, detail, err);
	} else if (failed_status(x.status)) {
		/* a truncated error body still carries the status: report the status */
		rc = map_status(e, req, x.status, &x.errbody, err);
	}

	curl_slist_free_all(headers);
	bw_buf_release(&x.errbody);
	/* the handle must not keep pointers into this frame */
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, NULL);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, NULL);
	return rc;
}

int bw_engine_parse_body(struct bw_engine *e, const char *path, const struct bw_buf *body, json_t **out,
			 struct bw_error *err)
{
	json_error_t je;
	*out = NULL;
	if (!body->len)
		return bw_error_set(err, BW_EINPUT, "Docker Engine at %s: %s: the answer is empty, not JSON",
				    e->ep.host, path);
	bool too_big = false;
	json_t *j = bw_json_loadb(body->data, body->len, JSON_DECODE_ANY, BW_JSON_TREE_MAX, &je, &too_big);
	if (too_big)
		return bw_error_set(err, BW_ELIMIT,
				    "Docker Engine at %s: %s: the answer takes more than %zu MiB once parsed",
				    e->ep.host, path, BW_JSON_TREE_MAX >> 20);
	if (!j)
		return bw_error_set(
		    err, BW_EINPUT,
		    "Docker Engine at %s: %s: the answer is not JSON (line %d, column %d: %s)", e->ep.host,
		    path, je.line, je.column, je.text);
	*out = j;
	return 0;
}
