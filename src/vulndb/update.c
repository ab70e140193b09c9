/* db update: OSV's per-ecosystem archives over HTTP.
 *
 * Layout (OSV's public bucket, and any mirror of it): BASE/ECOSYSTEM/all.zip,
 * the ecosystem URL-encoded ("Rocky Linux" → "Rocky%20Linux"). Each download
 * is conditional (If-None-Match with the last ETag, If-Modified-Since with
 * the last Last-Modified); a 304 leaves the data as it is. A 200 body is
 * written to a temporary file next to the database while its MD5 and
 * SHA-256 are computed; the size must match Content-Length and the MD5 the
 * one the server states (GCS's "x-goog-hash: md5=<base64>", or
 * Content-MD5). Then, in one transaction, the ecosystem's previous OSV
 * advisories are removed and the archive imported, so a reader sees either
 * the old data or the new, never a mix.
 */
#include <curl/curl.h>
#include <errno.h>
#include <openssl/evp.h>

#include "vulndb-int.h"

#define MAX_ARCHIVE (4ull << 30)

struct download {
	FILE *f;
	EVP_MD_CTX *md5, *sha;
	uint64_t size;
	char etag[256], last_modified[128], md5_b64[64];
	long long content_length;
	bool too_big, write_failed;
};

static void header_value(const char *line, size_t n, const char *name, char *out, size_t outlen)
{
	size_t k = strlen(name);
	if (n <= k + 1 || bw_strncasecmp(line, name, k) != 0 || line[k] != ':')
		return;
	const char *v = line + k + 1;
	size_t vl = n - k - 1;
	while (vl && (*v == ' ' || *v == '\t'))
		v++, vl--;
	while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
		vl--;
	if (vl < outlen)
		snprintf(out, outlen, "%.*s", (int)vl, v);
}

static size_t on_header(char *buf, size_t size, size_t nitems, void *ud)
{
	struct download *d = ud;
	size_t n = size * nitems;
	if (n > 7 && strncmp(buf, "HTTP/", 5) == 0) {
		/* a new response (after a redirect): forget the previous one's headers */
		d->etag[0] = d->last_modified[0] = d->md5_b64[0] = '\0';
		d->content_length = -1;
	}
	header_value(buf, n, "ETag", d->etag, sizeof(d->etag));
	header_value(buf, n, "Last-Modified", d->last_modified, sizeof(d->last_modified));
	header_value(buf, n, "Content-MD5", d->md5_b64, sizeof(d->md5_b64));
	char cl[32] = "";
	header_value(buf, n, "Content-Length", cl, sizeof(cl));
	if (cl[0]) {
		char *end;
		long long v = strtoll(cl, &end, 10);
		if (!*end && v >= 0)
			d->content_length = v;
	}
	/* x-goog-hash: crc32c=…, then x-goog-hash: md5=… (one header each, or comma-joined) */
	char gh[256] = "";
	header_value(buf, n, "x-goog-hash", gh, sizeof(gh));
	for (char *p = gh; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		char *e = strchr(p, ',');
		if (strncmp(p, "md5=", 4) == 0)
			snprintf(d->md5_b64, sizeof(d->md5_b64), "%.*s",
				 (int)(e ? (size_t)(e - p - 4) : strlen(p + 4)), p + 4);
		p = e;
	}
	return n;
}

static size_t on_body(char *buf, size_t size, size_t nmemb, void *ud)
{
	struct download *d = ud;
	size_t n = size * nmemb;
	if (d->size + n > MAX_ARCHIVE) {
		d->too_big = true;
		return 0;
	}
	if (fwrite(buf, 1, n, d->f) != n) {
		d->write_failed = true;
		return 0;
	}
	EVP_DigestUpdate(d->md5, buf, n);
	EVP_DigestUpdate(d->sha, buf, n);
	d->size += n;
	return n;
}

void vdb_curl_get(void *curl, const char *url, struct curl_slist *hdrs, long low_speed_time,
		  size_t (*write)(char *buf, size_t size, size_t nmemb, void *ud), void *ud)
{
	curl_easy_reset(curl);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, low_speed_time);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, ud);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "bulwark/" BW_VERSION);
}

static void hex(const unsigned char *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static int get_validators(struct bw_vulndb *db, const char *source, char *etag, size_t el, char *lm,
			  size_t ll, char *sha, size_t sl, struct bw_error *err)
{
	etag[0] = lm[0] = sha[0] = '\0';
	/* a file still to be created or upgraded downloads everything again:
	 * the archives fill in what the new schema keeps */
	if (db->pending != VDB_READY)
		return 0;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->db, "SELECT etag, last_modified, sha256 FROM sources WHERE name = ?1",
				    -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			const char *e = (const char *)sqlite3_column_text(st, 0),
				   *l = (const char *)sqlite3_column_text(st, 1),
				   *s = (const char *)sqlite3_column_text(st, 2);
			snprintf(etag, el, "%s", e ? e : "");
			snprintf(lm, ll, "%s", l ? l : "");
			snprintf(sha, sl, "%s", s ? s : "");
			rc = SQLITE_DONE;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return vdb_sqlite_error(db, rc, "reading download validators", err);
	return 0;
}

static int set_validators(struct bw_vulndb *db, const char *source, const char *url, const struct download *d,
			  const char *sha, struct bw_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(
	    db->db,
	    "INSERT INTO sources(name, location, etag, last_modified, sha256) VALUES(?1, ?2, ?3, ?4, ?5)"
	    " ON CONFLICT(name) DO UPDATE SET location = ?2, etag = ?3, last_modified = ?4, sha256 = ?5",
	    -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, url, -1, SQLITE_STATIC);
		if (d->etag[0])
			sqlite3_bind_text(st, 3, d->etag, -1, SQLITE_STATIC);
		if (d->last_modified[0])
			sqlite3_bind_text(st, 4, d->last_modified, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, sha, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return vdb_sqlite_error(db, rc, "recording download validators", err);
	return 0;
}

/* Import a downloaded archive in place of the ecosystem's OSV data. */
static int replace_with(struct bw_vulndb *db, const char *tmp, const char *source, const char *url,
			const struct download *d, const char *sha, struct bw_vulndb_import_stats *st,
			struct bw_error *err)
{
	double t0 = bw_now();
	if (vdb_begin(db, err) < 0)
		return err->code;
	db->cur_location = url;
	vdb_touch_reset(db);
	vdb_touch(db, source, NULL); /* an archive of no advisories still empties the source */
	int rc = vdb_clear_source(db, source, err);
	if (rc == 0)
		rc = vdb_import_zip(db, tmp, st, err);
	if (rc == 0)
		rc = vdb_finish_sources(db, err);
	if (rc == 0)
		rc = set_validators(db, source, url, d, sha, err);
	if (rc == 0)
		rc = vdb_commit(db, err);
	else
		vdb_rollback(db);
	db->cur_location = NULL;
	db->cur_mtime = 0;
	vdb_touch_reset(db);
	st->seconds = bw_now() - t0;
	return rc;
}

static int update_one(struct bw_vulndb *db, CURL *curl, const char *base, const char *eco,
		      struct bw_vulndb_update_result *res, struct bw_error *err)
{
	char *esc = curl_easy_escape(curl, eco, 0);
	size_t bl = strlen(base);
	while (bl && base[bl - 1] == '/')
		bl--;
	char *url = bw_asprintf("%.*s/%s/all.zip", (int)bl, base, esc ? esc : eco);
	curl_free(esc);
	size_t el = strcspn(eco, ":");
	char *source = bw_asprintf("osv:%.*s", (int)el, eco);
	char old_etag[256], old_lm[128], old_sha[80];
	char *tmp = bw_asprintf("%s.download-XXXXXX", db->path);
	struct download d = {.content_length = -1};
	struct curl_slist *hdrs = NULL;
	int rc = get_validators(db, source, old_etag, sizeof(old_etag), old_lm, sizeof(old_lm), old_sha,
				sizeof(old_sha), err);
	int fd = -1;
	if (rc < 0)
		goto out;
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = bw_error_sys(err, BW_EIO, "cannot create a temporary file next to %s", db->path);
		goto out;
	}
	d.f = fdopen(fd, "w+b");
	if (!d.f) {
		close(fd);
		rc = bw_error_sys(err, BW_EIO, "cannot open %s", tmp);
		goto out;
	}
	d.md5 = EVP_MD_CTX_new();
	d.sha = EVP_MD_CTX_new();
	EVP_DigestInit_ex(d.md5, EVP_md5(), NULL);
	EVP_DigestInit_ex(d.sha, EVP_sha256(), NULL);
	if (old_etag[0]) {
		char *h = bw_asprintf("If-None-Match: %s", old_etag);
		hdrs = curl_slist_append(hdrs, h);
		free(h);
	}
	if (old_lm[0]) {
		char *h = bw_asprintf("If-Modified-Since: %s", old_lm);
		hdrs = curl_slist_append(hdrs, h);
		free(h);
	}
	vdb_curl_get(curl, url, hdrs, 60L, on_body, &d);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &d);
	CURLcode cc = curl_easy_perform(curl);
	long status = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	if (cc != CURLE_OK) {
		res->failed = true;
		snprintf(res->message, sizeof(res->message), "%s: %s", url,
			 d.too_big	  ? "archive too large"
			 : d.write_failed ? "writing the download failed"
					  : curl_easy_strerror(cc));
		goto out;
	}
	if (status == 304) {
		res->not_modified = true;
		snprintf(res->message, sizeof(res->message), "not modified (HTTP 304)");
		goto out;
	}
	if (status != 200) {
		res->failed = true;
		snprintf(res->message, sizeof(res->message), "%s: HTTP %ld", url, status);
		goto out;
	}
	if (fflush(d.f) != 0) {
		res->failed = true;
		snprintf(res->message, sizeof(res->message), "writing %s failed", tmp);
		goto out;
	}
	if (d.content_length >= 0 && (uint64_t)d.content_length != d.size) {
		res->failed = true;
		snprintf(res->message, sizeof(res->message),
			 "%s: %llu bytes received, Content-Length said %lld", url, (unsigned long long)d.size,
			 d.content_length);
		goto out;
	}
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdl = 0;
	EVP_DigestFinal_ex(d.md5, md, &mdl);
	if (d.md5_b64[0]) {
		unsigned char want[64];
		int wl = EVP_DecodeBlock(want, (const unsigned char *)d.md5_b64, (int)strlen(d.md5_b64));
		/* EVP_DecodeBlock counts the '=' padding as zero bytes */
		if (wl < 16 || memcmp(want, md, 16) != 0) {
			res->failed = true;
			snprintf(res->message, sizeof(res->message),
				 "%s: MD5 checksum mismatch (server says %s)", url, d.md5_b64);
			goto out;
		}
	}
	unsigned char sh[EVP_MAX_MD_SIZE];
	char sha_hex[80];
	EVP_DigestFinal_ex(d.sha, sh, &mdl);
	hex(sh, 32, sha_hex);
	if (old_sha[0] && strcmp(old_sha, sha_hex) == 0) {
		res->not_modified = true;
		snprintf(res->message, sizeof(res->message), "unchanged (same SHA-256)");
		goto out;
	}
	rc = replace_with(db, tmp, source, url, &d, sha_hex, &res->st, err);
	if (rc < 0 && err->code != BW_EIO) {
		/* a bad archive fails this ecosystem, not the whole update */
		res->failed = true;
		snprintf(res->message, sizeof(res->message), "%.250s", err->msg);
		bw_error_clear(err);
		rc = 0;
	}
out:
	if (d.f)
		fclose(d.f);
	if (fd >= 0)
		unlink(tmp);
	EVP_MD_CTX_free(d.md5);
	EVP_MD_CTX_free(d.sha);
	curl_slist_free_all(hdrs);
	free(tmp);
	free(source);
	free(url);
	return rc;
}

static int check_url(const char *url, const char *option, struct bw_error *err)
{
	if (url && strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
		return bw_error_set(err, BW_EUSAGE, "%s must be an http:// or https:// URL, not '%s'", option,
				    url);
	return 0;
}

int bw_vulndb_check_base_url(const char *base_url, struct bw_error *err)
{
	return check_url(base_url, "--base-url", err);
}

int bw_vulndb_check_nvd_url(const char *nvd_url, struct bw_error *err)
{
	return check_url(nvd_url, "--nvd-url", err);
}

int bw_vulndb_update_defaults(struct bw_vulndb *db, char ***out, size_t *n, struct bw_error *err)
{
	char **known = NULL;
	size_t n_known = 0;
	*out = NULL;
	*n = 0;
	int rc = bw_vulndb_known_ecosystems(db, &known, &n_known, err);
	if (rc < 0)
		return rc;
	/* the archives are per base ecosystem: "Debian:12" -> "Debian" */
	for (size_t i = 0; i < n_known; i++) {
		known[i][strcspn(known[i], ":")] = '\0';
		bool dup = false;
		for (size_t k = 0; k < *n && !dup; k++)
			dup = strcmp(known[k], known[i]) == 0;
		if (dup)
			free(known[i]);
		else
			known[(*n)++] = known[i];
	}
	*out = known;
	return 0;
}

int bw_vulndb_update(struct bw_vulndb *db, const struct bw_vulndb_update_opts *o,
		     const char *const *ecosystems, size_t n, struct bw_vulndb_update_result *results,
		     struct bw_error *err)
{
	static const struct bw_vulndb_update_opts none = {0};
	if (!o)
		o = &none;
	int rc = bw_vulndb_check_base_url(o->base_url, err);
	if (rc == 0)
		rc = bw_vulndb_check_nvd_url(o->nvd_url, err);
	if (rc < 0)
		return rc;
	const char *base_url = o->base_url ? o->base_url : BW_VULNDB_DEFAULT_BASE_URL;
	CURL *curl = curl_easy_init();
	if (!curl)
		return bw_error_set(err, BW_ENOMEM, "cannot start libcurl");
	for (size_t i = 0; i < n && rc == 0; i++) {
		memset(&results[i], 0, sizeof(results[i]));
		results[i].ecosystem = ecosystems[i];
		if (bw_strcasecmp(ecosystems[i], "NVD") == 0)
			rc = vdb_update_nvd(db, curl, o, &results[i], err);
		else
			rc = update_one(db, curl, base_url, ecosystems[i], &results[i], err);
	}
	curl_easy_cleanup(curl);
	return rc;
}
