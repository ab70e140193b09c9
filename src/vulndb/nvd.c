/* db update --ecosystem NVD: NVD's CVE API 2.0 into the cves table.
 *
 *   GET URL?resultsPerPage=2000&startIndex=N                    (the first run)
 *   GET URL?lastModStartDate=S&lastModEndDate=E&resultsPerPage=2000&startIndex=N
 *
 * The first run pages through every CVE; its progress (the next startIndex
 * and when the run began) is kept in meta ("nvd.full_index",
 * "nvd.full_started") so that an interrupted run resumes where it stopped.
 * Once it is complete, "nvd.mark" holds the time it began, and later runs
 * ask for the CVEs modified since the mark, in windows of at most 120 days
 * (NVD's limit), the mark moving to each window's end when its last page is
 * stored. Every page is one transaction (its CVEs and the progress), so a
 * failed page changes nothing and the pages before it are kept.
 *
 * NVD allows 5 requests in any rolling 30 seconds without an API key, 50
 * with one (sent as the apiKey header); requests wait for the window, and
 * an answer of 403, 429 or 503 (NVD's throttling) is retried after a
 * window, three times at most. BULWARK_NVD_WINDOW_MS shortens the window
 * (for tests only). An answer must be 200, whole (libcurl fails a body cut
 * short of its Content-Length) and a whole NVD document.
 */
#include <curl/curl.h>
#include <time.h>

#include "vulndb-int.h"

#define PAGE 2000
#define MAX_ANSWER (1024ull << 20)
#define WINDOW_DAYS 120
#define RETRIES 3

struct limiter {
	double sent[64]; /* request times, oldest first */
	size_t n;
	size_t limit;
	double window;
};

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_for(double s)
{
	while (s > 0) {
		struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
		double t0 = mono();
		nanosleep(&ts, NULL);
		s -= mono() - t0;
	}
}

/* Wait until one more request keeps at most limit in any window. */
static void limiter_wait(struct limiter *l)
{
	double now = mono();
	while (l->n && now - l->sent[0] >= l->window) {
		memmove(l->sent, l->sent + 1, (l->n - 1) * sizeof(double));
		l->n--;
	}
	if (l->n >= l->limit) {
		sleep_for(l->sent[0] + l->window - now);
		memmove(l->sent, l->sent + 1, (l->n - 1) * sizeof(double));
		l->n--;
	}
	l->sent[l->n++] = mono();
}

struct answer {
	struct bw_buf body;
	bool too_big;
};

static size_t on_body(char *buf, size_t size, size_t nmemb, void *ud)
{
	struct answer *a = ud;
	size_t n = size * nmemb;
	if (bw_buf_add(&a->body, buf, n) < 0) {
		a->too_big = true;
		return 0;
	}
	return n;
}

/* GET url into a, waiting for the rate limit and retrying NVD's throttling
 * answers. 0, or -1 with msg set. */
static int get(CURL *curl, struct limiter *l, const char *url, const char *key, struct answer *a, char *msg,
	       size_t msglen)
{
	struct curl_slist *hdrs = NULL;
	if (key) {
		char *h = bw_asprintf("apiKey: %s", key);
		hdrs = curl_slist_append(hdrs, h);
		explicit_bzero(h, strlen(h));
		free(h);
	}
	int rc = -1;
	for (int attempt = 0;; attempt++) {
		bw_buf_reset(&a->body);
		a->too_big = false;
		limiter_wait(l);
		vdb_curl_get(curl, url, hdrs, 120L, on_body, a);
		curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
		CURLcode cc = curl_easy_perform(curl);
		long status = 0;
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
		if (cc != CURLE_OK) {
			snprintf(msg, msglen, "%s: %s", url,
				 a->too_big ? "answer too large" : curl_easy_strerror(cc));
			break;
		}
		if ((status == 403 || status == 429 || status == 503) && attempt < RETRIES) {
			sleep_for(l->window); /* throttled: let the window pass */
			continue;
		}
		if (status != 200) {
			snprintf(msg, msglen, "%s: HTTP %ld", url, status);
			break;
		}
		rc = 0;
		break;
	}
	curl_slist_free_all(hdrs);
	return rc;
}

/* ---- progress in meta ---- */

static int meta_get(struct bw_vulndb *db, const char *key, char *out, size_t outlen, struct bw_error *err)
{
	out[0] = '\0';
	if (db->pending == VDB_PENDING_CREATE)
		return 0;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->db, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			const char *v = (const char *)sqlite3_column_text(st, 0);
			snprintf(out, outlen, "%s", v ? v : "");
			rc = SQLITE_DONE;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return vdb_sqlite_error(db, rc, "reading NVD progress", err);
	return 0;
}

static int meta_set(struct bw_vulndb *db, const char *key, const char *value, struct bw_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(
	    db->db, value ? "INSERT OR REPLACE INTO meta VALUES(?1, ?2)" : "DELETE FROM meta WHERE key = ?1",
	    -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		if (value)
			sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return vdb_sqlite_error(db, rc, "recording NVD progress", err);
	return 0;
}

static long long meta_num(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	return *s && !*end && v >= 0 ? v : -1;
}

/* NVD's date form, URL-encoded: 2024-01-02T03:04:05.000+00:00 */
static void nvd_date(CURL *curl, long long t, char *out, size_t outlen)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[40];
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S.000+00:00", &tm);
	char *e = curl_easy_escape(curl, buf, 0);
	snprintf(out, outlen, "%s", e ? e : buf);
	curl_free(e);
}

struct nvd_run {
	struct bw_vulndb *db;
	CURL *curl;
	struct limiter lim;
	const char *url, *key;
	struct bw_vulndb_update_result *res;
	struct answer a;
};

/* Where a query stands: full (the first run, from startIndex), or a
 * lastModified window whose end becomes the mark after its last page. */
struct query {
	const char *extra; /* "" or "&lastModStartDate=…&lastModEndDate=…" */
	bool full;
	const char *started; /* full: when the run began (unix seconds) */
	const char *mark;    /* window: its end (unix seconds) */
};

/* Store one answer (the page from index) and the progress it makes, in one
 * transaction. *next is the next startIndex, or -1 after the last page. */
static int store_page(struct nvd_run *r, const char *what, const struct query *q, long long index,
		      long long *next, struct bw_error *err)
{
	struct bw_vulndb *db = r->db;
	if (vdb_begin(db, err) < 0)
		return err->code;
	db->cur_location = r->url;
	vdb_touch_reset(db);
	vdb_touch(db, "nvd", NULL);
	struct vdb_nvd_stream *ns = vdb_nvd_stream_new(db, what, &r->res->st);
	int rc = vdb_nvd_stream_feed(ns, r->a.body.data, r->a.body.len, err);
	if (rc == 0)
		rc = vdb_nvd_stream_end(ns, NULL, err);
	long long total = vdb_nvd_stream_total(ns);
	size_t entries = vdb_nvd_stream_entries(ns);
	vdb_nvd_stream_free(ns);
	if (rc == 0 && total < 0)
		rc = bw_error_set(err, BW_EINPUT, "%s: an NVD answer without totalResults", what);
	char next_s[32];
	*next = index + (long long)entries;
	bool last = entries == 0 || *next >= total;
	snprintf(next_s, sizeof(next_s), "%lld", *next);
	if (rc == 0 && q->full && !last)
		rc = meta_set(db, "nvd.full_index", next_s, err)
			 ? err->code
			 : meta_set(db, "nvd.full_started", q->started, err);
	else if (rc == 0 && q->full)
		rc = meta_set(db, "nvd.full_index", NULL, err) ? err->code
		     : meta_set(db, "nvd.full_started", NULL, err)
			 ? err->code
			 : meta_set(db, "nvd.mark", q->started, err);
	else if (rc == 0 && last)
		rc = meta_set(db, "nvd.mark", q->mark, err);
	if (rc == 0)
		rc = vdb_finish_sources(db, err);
	if (rc == 0)
		rc = vdb_commit(db, err);
	else
		vdb_rollback(db);
	db->cur_location = NULL;
	vdb_touch_reset(db);
	if (last)
		*next = -1;
	return rc;
}

/* Page through one query from start. A page that fails marks the result
 * failed and ends the run (the pages before it are kept); only a failure of
 * the database itself is returned. */
static int run_query(struct nvd_run *r, const struct query *q, long long start, struct bw_error *err)
{
	for (long long index = start; index >= 0;) {
		char *url = bw_asprintf("%s%sresultsPerPage=%d&startIndex=%lld%s", r->url,
					strchr(r->url, '?') ? "&" : "?", PAGE, index, q->extra);
		int rc = get(r->curl, &r->lim, url, r->key, &r->a, r->res->message, sizeof(r->res->message));
		if (rc == 0)
			rc = store_page(r, url, q, index, &index, err);
		else
			r->res->failed = true;
		free(url);
		if (rc < 0 && !r->res->failed) {
			if (err->code == BW_EIO)
				return rc; /* the database itself failed: stop everything */
			snprintf(r->res->message, sizeof(r->res->message), "%.250s", err->msg);
			bw_error_clear(err);
			r->res->failed = true;
		}
		if (r->res->failed)
			return 0;
	}
	return 0;
}

int vdb_update_nvd(struct bw_vulndb *db, void *curl, const struct bw_vulndb_update_opts *o,
		   struct bw_vulndb_update_result *res, struct bw_error *err)
{
	struct nvd_run r = {
	    .db = db,
	    .curl = curl,
	    .url = o->nvd_url ? o->nvd_url : BW_VULNDB_DEFAULT_NVD_URL,
	    .key = o->nvd_api_key && *o->nvd_api_key ? o->nvd_api_key : NULL,
	    .res = res,
	};
	r.lim.limit = r.key ? 50 : 5;
	r.lim.window = 30.0;
	const char *w = getenv("BULWARK_NVD_WINDOW_MS");
	if (w && *w) {
		char *end;
		long v = strtol(w, &end, 10);
		if (!*end && v > 0 && v <= 600000)
			r.lim.window = (double)v / 1000.0;
	}
	bw_buf_init(&r.a.body, MAX_ANSWER);
	double t0 = bw_now();
	char mark_s[32], index_s[32], started_s[32];
	int rc = 0;
	if (meta_get(db, "nvd.mark", mark_s, sizeof(mark_s), err) < 0 ||
	    meta_get(db, "nvd.full_index", index_s, sizeof(index_s), err) < 0 ||
	    meta_get(db, "nvd.full_started", started_s, sizeof(started_s), err) < 0) {
		rc = err->code;
		goto out;
	}
	long long now = (long long)time(NULL), mark = meta_num(mark_s);
	size_t before = res->st.cves - res->st.cves_unchanged;
	if (mark < 0) {
		/* the first run, or the rest of an interrupted one */
		long long index = meta_num(index_s), started = meta_num(started_s);
		if (index < 0 || started < 0) {
			index = 0;
			started = now;
		}
		char st_s[32];
		snprintf(st_s, sizeof(st_s), "%lld", started);
		struct query q = {.extra = "", .full = true, .started = st_s};
		rc = run_query(&r, &q, index, err);
	} else {
		/* what changed since the mark, a window of at most 120 days at a time
		 * (one at least, however short) */
		long long from = mark;
		do {
			long long to = from + WINDOW_DAYS * 86400LL - 60;
			if (to > now)
				to = now;
			if (to < from)
				to = from;
			char a[64], b[64], extra[192], to_s[32];
			nvd_date(curl, from, a, sizeof(a));
			nvd_date(curl, to, b, sizeof(b));
			snprintf(extra, sizeof(extra), "&lastModStartDate=%s&lastModEndDate=%s", a, b);
			snprintf(to_s, sizeof(to_s), "%lld", to);
			struct query q = {.extra = extra, .mark = to_s};
			rc = run_query(&r, &q, 0, err);
			from = to;
		} while (rc == 0 && !res->failed && from < now);
	}
	if (rc == 0 && !res->failed && res->st.cves - res->st.cves_unchanged == before) {
		res->not_modified = true;
		snprintf(res->message, sizeof(res->message), "no CVE modified since the last update");
	}
out:
	res->st.seconds = bw_now() - t0;
	bw_buf_release(&r.a.body);
	return rc;
}
