/* One logical request to a registry over libcurl's multi interface, pulled
 * by its reader: the body is staged in a bounded buffer and the transfer is
 * paused while the reader has not taken it, so a slow reader (a layer
 * walker) holds at most REG_STAGE_MAX bytes. Between attempts the request
 * follows redirects (credentials only on the registry's own host), answers
 * 401 challenges once, retries 429 and 5xx with back-off (Retry-After
 * honoured) and resumes a dropped body with Range, all before the deadline.
 * Every failure is mapped to a message naming the registry and what was
 * asked for (x->what). */
#include <jansson.h>
#include <errno.h>
#include <limits.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <time.h>

#include "registry-int.h"

long reg_remaining_ms(const struct bw_registry *r)
{
	if (r->opts.deadline <= 0)
		return LONG_MAX;
	double left = r->opts.deadline - bw_now();
	return left <= 0 ? 0 : (long)(left * 1000) + 1;
}

bool reg_is_loopback(const char *h)
{
	return strcmp(h, "localhost") == 0 || strncmp(h, "127.", 4) == 0 || strcmp(h, "::1") == 0 ||
	       strcmp(h, "[::1]") == 0;
}

bool reg_url_authority(const char *url, char *scheme, size_t slen, char *auth, size_t alen)
{
	const char *p = strstr(url, "://");
	if (!p)
		return false;
	size_t sl = (size_t)(p - url);
	if (sl >= slen)
		return false;
	for (size_t i = 0; i < sl; i++)
		scheme[i] = (char)(url[i] >= 'A' && url[i] <= 'Z' ? url[i] + 32 : url[i]);
	scheme[sl] = '\0';
	if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)
		return false;
	p += 3;
	size_t al = strcspn(p, "/?#");
	if (al == 0 || al >= alen || memchr(p, '@', al))
		return false;
	for (size_t i = 0; i < al; i++)
		auth[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
	auth[al] = '\0';
	/* a default port is the same host */
	size_t n = strlen(auth);
	if (strcmp(scheme, "https") == 0 && n > 4 && strcmp(auth + n - 4, ":443") == 0)
		auth[n - 4] = '\0';
	if (strcmp(scheme, "http") == 0 && n > 3 && strcmp(auth + n - 3, ":80") == 0)
		auth[n - 3] = '\0';
	return true;
}

/* ---- TLS ---- */

struct ca_list {
	char *const *files;
	size_t n;
};

static CURLcode add_cas(CURL *c, void *sslctx, void *ud)
{
	(void)c;
	struct bw_registry *r = ud;
	X509_STORE *st = SSL_CTX_get_cert_store((SSL_CTX *)sslctx);
	for (size_t i = 0; i < r->n_extra_cas; i++)
		if (X509_STORE_load_file(st, r->extra_cas[i]) != 1)
			return CURLE_SSL_CACERT_BADFILE;
	return CURLE_OK;
}

void reg_setup_easy(struct bw_registry *r, CURL *c, bool registry_host)
{
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "bulwark/" BW_VERSION);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (r->opts.no_verify) {
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
#if LIBCURL_VERSION_NUM >= 0x075700
	curl_easy_setopt(c, CURLOPT_CA_CACHE_TIMEOUT, 0L); /* our extra CAs must not leak to other hosts */
#endif
	if (r->n_extra_cas) {
		curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, add_cas);
		curl_easy_setopt(c, CURLOPT_SSL_CTX_DATA, r);
	}
	if (registry_host && r->client_cert) {
		curl_easy_setopt(c, CURLOPT_SSLCERT, r->client_cert);
		curl_easy_setopt(c, CURLOPT_SSLKEY, r->client_key);
	}
	long left = reg_remaining_ms(r);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, left < 30000 ? (left ? left : 1) : 30000L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, left == LONG_MAX ? 0L : (left ? left : 1));
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)REG_STALL_SECONDS);
	curl_easy_setopt(c, CURLOPT_BUFFERSIZE, 128L * 1024);
}

/* ---- connections ---- */

static int conn_get(struct bw_registry *r, struct reg_conn *out, struct bw_error *err)
{
	pthread_mutex_lock(&r->lock);
	if (r->n_idle) {
		*out = r->idle[--r->n_idle];
		pthread_mutex_unlock(&r->lock);
		return 0;
	}
	pthread_mutex_unlock(&r->lock);
	out->easy = curl_easy_init();
	out->multi = curl_multi_init();
	if (!out->easy || !out->multi) {
		if (out->easy)
			curl_easy_cleanup(out->easy);
		if (out->multi)
			curl_multi_cleanup(out->multi);
		memset(out, 0, sizeof(*out));
		return bw_error_set(err, BW_ENOMEM, "cannot start an HTTP client for %s", r->host);
	}
	return 0;
}

static void conn_put(struct bw_registry *r, struct reg_conn *c, bool reusable)
{
	if (!c->easy)
		return;
	pthread_mutex_lock(&r->lock);
	if (reusable && r->n_idle < 16) {
		if (r->n_idle == r->cap_idle) {
			r->cap_idle = r->cap_idle ? 2 * r->cap_idle : 4;
			r->idle = bw_realloc(r->idle, r->cap_idle * sizeof(*r->idle));
		}
		r->idle[r->n_idle++] = *c;
		pthread_mutex_unlock(&r->lock);
	} else {
		pthread_mutex_unlock(&r->lock);
		curl_easy_cleanup(c->easy);
		curl_multi_cleanup(c->multi);
	}
	memset(c, 0, sizeof(*c));
}

/* ---- callbacks ---- */

static bool body_status(const struct reg_xfer *x)
{
	if (x->raw)
		return !(x->follow && x->status >= 300 && x->status < 400) &&
		       !(x->use_auth && x->status == 401);
	return x->status >= 200 && x->status < 300;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
	struct reg_xfer *x = ud;
	size_t n = size * nmemb;
	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		bw_buf_reset(&x->hdrs); /* a new response (after a 1xx) */
		x->status = 0;
	}
	if (bw_buf_add(&x->hdrs, data, n) < 0) {
		x->hdr_overflow = true;
		return 0;
	}
	return n;
}

static bool first_byte_checks(struct reg_xfer *x)
{
	/* a resumed transfer: 206 from where we stopped, or 200 from the start */
	if (x->delivered + (x->stage_len - x->stage_off) == 0 || x->skip)
		return true;
	uint64_t offset = x->delivered + (x->stage_len - x->stage_off);
	if (x->status == 200) {
		x->skip = offset;
		return true;
	}
	char cr[128];
	unsigned long long start = 0;
	if (!reg_header_value(x->hdrs.data, x->hdrs.len, "Content-Range", cr, sizeof(cr)) ||
	    sscanf(cr, "bytes %llu-", &start) != 1 || start != offset) {
		bw_error_set(
		    &x->fail, BW_EREMOTE,
		    "registry %s: %s: the resumed transfer does not start at byte %llu (Content-Range: "
		    "%.60s)",
		    x->r->host, x->what, (unsigned long long)offset, cr);
		x->failed = true;
		return false;
	}
	return true;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	struct reg_xfer *x = ud;
	size_t n = size * nmemb;
	if (x->status == 0) {
		curl_easy_getinfo(x->conn.easy, CURLINFO_RESPONSE_CODE, &x->status);
		if (body_status(x) && !first_byte_checks(x))
			return 0;
	}
	if (!body_status(x)) {
		size_t room = x->errbody.max - x->errbody.len;
		bw_buf_add(&x->errbody, data, n < room ? n : room);
		return n;
	}
	size_t used = n;
	if (x->skip) {
		size_t k = x->skip < n ? (size_t)x->skip : n;
		x->skip -= k;
		data += k;
		n -= k;
	}
	if (x->stage_off == x->stage_len)
		x->stage_off = x->stage_len = 0;
	if (n > REG_STAGE_MAX - x->stage_len) {
		if (x->stage_off) {
			memmove(x->stage, x->stage + x->stage_off, x->stage_len - x->stage_off);
			x->stage_len -= x->stage_off;
			x->stage_off = 0;
		}
		if (n > REG_STAGE_MAX - x->stage_len) {
			x->paused = true;
			x->skip += used - n; /* what we dropped now is dropped again on re-delivery */
			return CURL_WRITEFUNC_PAUSE;
		}
	}
	memcpy(x->stage + x->stage_len, data, n);
	x->stage_len += n;
	uint64_t total = x->delivered + (x->stage_len - x->stage_off);
	if (x->expect_size >= 0 && total > (uint64_t)x->expect_size) {
		bw_error_set(&x->fail, BW_EINTEGRITY,
			     "registry %s: %s: the blob is longer than the %lld bytes its descriptor gives",
			     x->r->host, x->what, (long long)x->expect_size);
		x->failed = true;
		return 0;
	}
	return used;
}

/* ---- attempts ---- */

static void attempt_reset(struct reg_xfer *x)
{
	bw_buf_reset(&x->hdrs);
	bw_buf_reset(&x->errbody);
	x->status = 0;
	x->done = false;
	x->running = false;
	x->result = CURLE_OK;
	x->hdr_overflow = false;
	x->errbuf[0] = '\0';
	x->paused = false;
}

static int attempt_begin(struct reg_xfer *x, struct bw_error *err)
{
	struct bw_registry *r = x->r;
	attempt_reset(x);
	CURL *c = x->conn.easy;
	curl_easy_reset(c);
	reg_setup_easy(r, c, !x->cross_host);
	curl_easy_setopt(c, CURLOPT_URL, x->url);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
	if (strcmp(x->method, "GET") == 0)
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	else if (strcmp(x->method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	else {
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, x->method);
		if (strcmp(x->method, "POST") == 0 || strcmp(x->method, "PUT") == 0 ||
		    strcmp(x->method, "PATCH") == 0) {
			curl_easy_setopt(c, CURLOPT_POSTFIELDS, x->body ? x->body : "");
			curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
					 (curl_off_t)(x->body ? x->body_len : 0));
		}
	}
	curl_slist_free_all(x->hl);
	x->hl = NULL;
	x->hl = curl_slist_append(x->hl, "Expect:");
	for (const char *const *h = x->extra_headers; h && *h; h++)
		x->hl = curl_slist_append(x->hl, *h);
	uint64_t offset = x->delivered + (x->stage_len - x->stage_off);
	if (offset && x->resume) {
		char range[64];
		snprintf(range, sizeof(range), "Range: bytes=%llu-", (unsigned long long)offset);
		x->hl = curl_slist_append(x->hl, range);
	}
	x->skip = 0;
	if (x->use_auth && !x->cross_host) {
		char *a = reg_auth_header(r, x->scope);
		if (a) {
			x->hl = curl_slist_append(x->hl, a);
			explicit_bzero(a, strlen(a));
			free(a);
		}
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, x->hl);
	if (curl_multi_add_handle(x->conn.multi, c) != CURLM_OK)
		return bw_error_set(err, BW_EREMOTE, "registry %s: %s: cannot start the request", r->host,
				    x->what);
	x->running = true;
	return 0;
}

int reg_xfer_start(struct reg_xfer *x, struct bw_error *err)
{
	struct bw_registry *r = x->r;
	bw_buf_init(&x->hdrs, REG_HEADERS_MAX);
	bw_buf_init(&x->errbody, REG_ERRBODY_MAX);
	x->stage = bw_malloc(REG_STAGE_MAX);
	/* a path on the registry, or a whole URL (a token realm) */
	x->url =
	    strncmp(x->path, "http", 4) == 0 ? bw_strdup(x->path) : bw_asprintf("%s%s", r->base_url, x->path);
	char sch[8], auth[300], rsch[8], rauth[300];
	if (!reg_url_authority(x->url, sch, sizeof(sch), auth, sizeof(auth)) ||
	    !reg_url_authority(r->base_url, rsch, sizeof(rsch), rauth, sizeof(rauth)))
		return bw_error_set(err, BW_EREMOTE, "registry %s: %s: not an http(s) URL", r->host, x->what);
	x->cross_host = strcmp(auth, rauth) != 0 || strcmp(sch, rsch) != 0;
	int rc = conn_get(r, &x->conn, err);
	if (rc < 0)
		return rc;
	return attempt_begin(x, err);
}

void reg_xfer_release(struct reg_xfer *x)
{
	if (x->conn.easy) {
		if (x->running)
			curl_multi_remove_handle(x->conn.multi, x->conn.easy);
		/* a transfer stopped halfway leaves its connection unusable */
		conn_put(x->r, &x->conn, x->eof && !x->running);
	}
	curl_slist_free_all(x->hl);
	bw_buf_release(&x->hdrs);
	bw_buf_release(&x->errbody);
	free(x->stage);
	free(x->url);
	free(x->path);
	free(x->what);
	free(x->repo);
	free(x->scope);
	memset(x, 0, sizeof(*x));
}

/* The registry's own words on an error: errors[0].code and .message, or the
 * first printable bytes of the body. */
static void error_words(const struct bw_buf *b, char *out, size_t outlen)
{
	out[0] = '\0';
	if (!b->len)
		return;
	json_error_t je;
	json_t *j = bw_json_loadb(b->data, b->len, 0, REG_JSON_TREE_MAX, &je, NULL);
	json_t *e0 = json_array_get(json_object_get(j, "errors"), 0);
	const char *code = json_string_value(json_object_get(e0, "code"));
	const char *msg = json_string_value(json_object_get(e0, "message"));
	size_t k = 0;
	char raw[240];
	if (code || msg) {
		snprintf(raw, sizeof(raw), "%s%s%s", code ? code : "", code && msg ? ": " : "",
			 msg ? msg : "");
	} else {
		size_t i;
		for (i = 0; i < b->len && i < 120; i++)
			raw[i] = b->data[i];
		raw[i] = '\0';
	}
	json_decref(j);
	/* printable ASCII only: it goes into a message on a terminal */
	for (size_t i = 0; raw[i] && k + 1 < outlen; i++) {
		unsigned char c = (unsigned char)raw[i];
		out[k++] = (c >= 0x20 && c < 0x7f) ? (char)c : ' ';
	}
	while (k && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
}

static bool transient(CURLcode cc)
{
	return cc == CURLE_PARTIAL_FILE || cc == CURLE_RECV_ERROR || cc == CURLE_GOT_NOTHING ||
	       cc == CURLE_SEND_ERROR || cc == CURLE_HTTP2_STREAM || cc == CURLE_HTTP2;
}

static int map_curl(struct reg_xfer *x, struct bw_error *err)
{
	struct bw_registry *r = x->r;
	const char *d = x->errbuf[0] ? x->errbuf : curl_easy_strerror(x->result);
	char where[300];
	char sch[8], auth[260];
	if (x->cross_host && reg_url_authority(x->url, sch, sizeof(sch), auth, sizeof(auth)))
		snprintf(where, sizeof(where), "registry %s (redirected to %s)", r->host, auth);
	else
		snprintf(where, sizeof(where), "registry %s", r->host);
	switch (x->result) {
	case CURLE_OPERATION_TIMEDOUT:
		if (reg_remaining_ms(r) == 0 || r->opts.deadline > 0)
			return bw_error_set(err, BW_EREMOTE,
					    "%s: %s: no complete answer within the time limit (--timeout)",
					    where, x->what);
		return bw_error_set(err, BW_EREMOTE, "%s: %s: stalled: %s", where, x->what, d);
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return bw_error_set(err, BW_EREMOTE, "cannot reach %s for %s: %s", where, x->what, d);
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
		return bw_error_set(err, BW_EREMOTE,
				    "TLS with %s failed: %s (trust its CA with --registry-ca FILE or "
				    "certs.d/%s/ca.crt, or name it with --insecure-registry if it speaks "
				    "plain HTTP)",
				    where, d, r->host);
	default:
		if (transient(x->result))
			return bw_error_set(
			    err, BW_EREMOTE, "%s: %s: the connection broke after %llu bytes: %s", where,
			    x->what, (unsigned long long)(x->delivered + (x->stage_len - x->stage_off)), d);
		return bw_error_set(err, BW_EREMOTE, "%s: %s failed: %s", where, x->what, d);
	}
}

static void sleep_for(double s)
{
	if (s <= 0)
		return;
	struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Wait before another try: Retry-After when given, else 0.5 s doubling. */
static int backoff(struct reg_xfer *x, struct bw_error *err)
{
	char ra[64];
	double wait = -1;
	if (reg_header_value(x->hdrs.data, x->hdrs.len, "Retry-After", ra, sizeof(ra)))
		wait = reg_parse_retry_after(ra, strlen(ra));
	if (wait < 0)
		wait = 0.5 * (double)(1 << (x->tries < 6 ? x->tries : 6));
	if (wait > 60)
		wait = 60;
	long left = reg_remaining_ms(x->r);
	if (left != LONG_MAX && wait * 1000 >= (double)left)
		return bw_error_set(
		    err, BW_EREMOTE,
		    "registry %s: %s: HTTP %ld, and waiting %.0f s to try again would pass the "
		    "time limit (--timeout)",
		    x->r->host, x->what, x->status, wait);
	sleep_for(wait);
	x->tries++;
	return 0;
}

static int max_retries(const struct reg_xfer *x)
{
	int m = x->r->opts.max_retries;
	return !x->retry || m < 0 ? 0 : m == 0 ? 3 : m;
}

/* A finished attempt: 1 at the end of the body, 0 when another attempt was
 * started, or an error. */
static int attempt_finish(struct reg_xfer *x, struct bw_error *err)
{
	struct bw_registry *r = x->r;
	curl_multi_remove_handle(x->conn.multi, x->conn.easy);
	x->running = false;
	if (x->status == 0)
		curl_easy_getinfo(x->conn.easy, CURLINFO_RESPONSE_CODE, &x->status);
	if (x->failed) {
		*err = x->fail;
		return err->code;
	}
	if (x->hdr_overflow)
		return bw_error_set(err, BW_ELIMIT, "registry %s: %s: the answer's headers pass %u bytes",
				    r->host, x->what, REG_HEADERS_MAX);
	uint64_t offset = x->delivered + (x->stage_len - x->stage_off);
	if (x->result != CURLE_OK) {
		bool body = x->status && body_status(x);
		if (body && x->resume && transient(x->result) && offset > 0 && x->resumes < REG_RESUMES_MAX &&
		    reg_remaining_ms(r) > 0) {
			x->resumes++;
			return attempt_begin(x, err);
		}
		if (transient(x->result) && offset == 0 && x->tries < max_retries(x) &&
		    reg_remaining_ms(r) > 0) {
			int rc = backoff(x, err);
			return rc < 0 ? rc : attempt_begin(x, err);
		}
		return map_curl(x, err);
	}
	if (body_status(x)) {
		if (x->expect_size >= 0 && offset < (uint64_t)x->expect_size && !x->raw)
			return bw_error_set(
			    err, BW_EINTEGRITY,
			    "registry %s: %s: the blob ended after %llu of the %lld bytes its "
			    "descriptor gives",
			    r->host, x->what, (unsigned long long)offset, (long long)x->expect_size);
		x->eof = true;
		return 1;
	}
	char words[256];
	error_words(&x->errbody, words, sizeof(words));
	long st = x->status;
	if (st >= 300 && st < 400 && x->follow) {
		char loc[4096];
		if (!reg_header_value(x->hdrs.data, x->hdrs.len, "Location", loc, sizeof(loc)))
			return bw_error_set(err, BW_EREMOTE, "registry %s: %s: HTTP %ld without a Location",
					    r->host, x->what, st);
		if (++x->hops > REG_MAX_HOPS)
			return bw_error_set(err, BW_EREMOTE,
					    "registry %s: %s: more than %d redirects (a redirect loop?)",
					    r->host, x->what, REG_MAX_HOPS);
		CURLU *u = curl_url();
		char *next = NULL;
		if (curl_url_set(u, CURLUPART_URL, x->url, 0) != CURLUE_OK ||
		    curl_url_set(u, CURLUPART_URL, loc, 0) != CURLUE_OK ||
		    curl_url_get(u, CURLUPART_URL, &next, 0) != CURLUE_OK) {
			curl_url_cleanup(u);
			return bw_error_set(err, BW_EREMOTE,
					    "registry %s: %s: redirect to a malformed Location", r->host,
					    x->what);
		}
		curl_url_cleanup(u);
		char sch[8], auth[300], rsch[8], rauth[300];
		bool ok = reg_url_authority(next, sch, sizeof(sch), auth, sizeof(auth));
		reg_url_authority(r->base_url, rsch, sizeof(rsch), rauth, sizeof(rauth));
		if (!ok) {
			curl_free(next);
			return bw_error_set(err, BW_EREMOTE,
					    "registry %s: %s: redirect to something other than http(s)",
					    r->host, x->what);
		}
		if (strcmp(sch, "http") == 0 && strcmp(rsch, "https") == 0) {
			curl_free(next);
			return bw_error_set(err, BW_EREMOTE,
					    "registry %s: %s: redirect from HTTPS to plain HTTP (%s) refused",
					    r->host, x->what, auth);
		}
		x->cross_host = strcmp(auth, rauth) != 0 || strcmp(sch, rsch) != 0;
		free(x->url);
		x->url = bw_strdup(next);
		curl_free(next);
		return attempt_begin(x, err);
	}
	if ((st == 401 || st == 403) && !x->cross_host && x->use_auth) {
		char www[2048] = "";
		reg_header_value(x->hdrs.data, x->hdrs.len, "WWW-Authenticate", www, sizeof(www));
		if (st == 401 && !x->token_refreshed) {
			bool refresh = x->auth_tried;
			int rc = reg_auth_challenge(r, www, x->scope, x->repo, refresh, err);
			if (rc < 0)
				return rc;
			if (refresh)
				x->token_refreshed = true;
			x->auth_tried = true;
			return attempt_begin(x, err);
		}
		if (r->creds.username)
			return bw_error_set(err, BW_EREMOTE,
					    "registry %s refused the credentials of %s for %s (HTTP %ld%s%s)",
					    r->host, r->creds.source, x->repo ? x->repo : "the catalog", st,
					    words[0] ? ": " : "", words);
		return bw_error_set(
		    err, BW_EREMOTE,
		    "authentication required for %s/%s: run docker login %s or pass --username "
		    "(HTTP %ld%s%s)",
		    r->host, x->repo ? x->repo : "_catalog", r->host, st, words[0] ? ": " : "", words);
	}
	if (st == 429 || (st >= 500 && st <= 599)) {
		if (x->tries < max_retries(x)) {
			int rc = backoff(x, err);
			return rc < 0 ? rc : attempt_begin(x, err);
		}
		return bw_error_set(err, BW_EREMOTE, "registry %s: %s: HTTP %ld after %d tries%s%s", r->host,
				    x->what, st, x->tries + 1, words[0] ? ": " : "", words);
	}
	if (st == 404)
		return bw_error_set(err, BW_ENOTFOUND, "registry %s: %s: not found (HTTP 404%s%s)", r->host,
				    x->what, words[0] ? ": " : "", words);
	if (x->cross_host) {
		char sch[8], auth[300];
		reg_url_authority(x->url, sch, sizeof(sch), auth, sizeof(auth));
		return bw_error_set(err, BW_EREMOTE, "registry %s: %s: blob storage at %s answered HTTP %ld",
				    r->host, x->what, auth, st);
	}
	return bw_error_set(err, BW_EREMOTE, "registry %s: %s: HTTP %ld%s%s", r->host, x->what, st,
			    words[0] ? ": " : "", words);
}

ssize_t reg_xfer_read(struct reg_xfer *x, void *buf, size_t n, struct bw_error *err)
{
	for (;;) {
		if (x->stage_off < x->stage_len) {
			size_t k = x->stage_len - x->stage_off;
			if (k > n)
				k = n;
			memcpy(buf, x->stage + x->stage_off, k);
			x->stage_off += k;
			x->delivered += k;
			return (ssize_t)k;
		}
		if (x->eof)
			return 0;
		if (!x->running)
			return bw_error_set(err, BW_EUSAGE, "registry %s: %s: read after a failure",
					    x->r->host, x->what);
		if (x->paused) {
			x->paused = false;
			curl_easy_pause(x->conn.easy, CURLPAUSE_CONT);
			continue;
		}
		if (x->done) {
			int rc = attempt_finish(x, err);
			if (rc < 0) {
				x->running = false;
				return rc;
			}
			continue;
		}
		int still = 0;
		if (curl_multi_perform(x->conn.multi, &still) != CURLM_OK)
			return bw_error_set(err, BW_EREMOTE, "registry %s: %s: the HTTP client failed",
					    x->r->host, x->what);
		int q;
		CURLMsg *m;
		while ((m = curl_multi_info_read(x->conn.multi, &q)))
			if (m->msg == CURLMSG_DONE) {
				x->done = true;
				x->result = m->data.result;
			}
		if (x->done || x->paused || x->stage_off < x->stage_len)
			continue;
		curl_multi_poll(x->conn.multi, NULL, 0, 1000, NULL);
	}
}

int reg_xfer_read_all(struct reg_xfer *x, struct bw_buf *out, struct bw_error *err)
{
	char chunk[16384];
	for (;;) {
		ssize_t k = reg_xfer_read(x, chunk, sizeof(chunk), err);
		if (k < 0)
			return (int)k;
		if (k == 0)
			return 0;
		if (bw_buf_add(out, chunk, (size_t)k) < 0) {
			x->body_overflow = true;
			return bw_error_set(err, BW_ELIMIT, "registry %s: %s: the answer passes %zu bytes",
					    x->r->host, x->what, out->max);
		}
	}
}
