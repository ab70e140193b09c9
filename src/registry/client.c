/* The client handle, and the distribution API calls on top of http.c:
 * manifests, blobs (whole or streamed), listings, raw requests. */
#include <jansson.h>
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "registry-int.h"

#define DEFAULT_CERTS_D "/etc/docker/certs.d"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static bool ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);
	return n > k && strcmp(s + n - k, suf) == 0;
}

static void add_ca(struct bw_registry *r, char *path)
{
	r->extra_cas = bw_realloc(r->extra_cas, (r->n_extra_cas + 1) * sizeof(char *));
	r->extra_cas[r->n_extra_cas++] = path;
}

/* certs.d/HOST[:PORT]/: *.crt are CAs, NAME.cert with NAME.key a client pair. */
static int load_certs_d(struct bw_registry *r, struct bw_error *err)
{
	const char *root = getenv("BW_REGISTRY_CERTS_D");
	if (!root || !*root)
		root = DEFAULT_CERTS_D;
	bw_autofree char *dir = bw_asprintf("%s/%s", root, r->host);
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	int rc = 0, n = 0;
	char **names = NULL;
	while ((e = readdir(d)) && n < 64) {
		if (e->d_name[0] == '.')
			continue;
		names = bw_realloc(names, (size_t)(n + 1) * sizeof(char *));
		names[n++] = bw_strdup(e->d_name);
	}
	closedir(d);
	/* a stable order: readdir's is not */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	for (int i = 0; i < n; i++) {
		char *p = bw_asprintf("%s/%s", dir, names[i]);
		if (ends_with(names[i], ".crt")) {
			add_ca(r, p);
			continue;
		}
		if (ends_with(names[i], ".cert") && !r->client_cert) {
			char *key = bw_asprintf("%.*s.key", (int)(strlen(p) - 5), p);
			if (access(key, R_OK) != 0) {
				rc =
				    bw_error_set(err, BW_ENOTFOUND,
						 "registry %s: client certificate %s has no key %s beside it",
						 r->host, p, key);
				free(key);
				free(p);
				break;
			}
			r->client_cert = p;
			r->client_key = key;
			continue;
		}
		free(p);
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static bool insecure_match(const char *host, const char *hostname, const struct bw_registry_opts *o)
{
	for (size_t i = 0; o && i < o->n_insecure; i++) {
		const char *e = o->insecure[i];
		if (strncmp(e, "http://", 7) == 0)
			e += 7;
		size_t n = strcspn(e, "/");
		if ((strlen(host) == n && strncmp(host, e, n) == 0) ||
		    (strlen(hostname) == n && strncmp(hostname, e, n) == 0))
			return true;
	}
	return false;
}

int bw_registry_open(const char *host, const struct bw_registry_opts *opts, struct bw_registry **out,
		     struct bw_error *err)
{
	*out = NULL;
	pthread_once(&curl_once, curl_init);
	if (!bw_registry_host_valid(host, strlen(host)))
		return bw_error_set(err, BW_EUSAGE, "'%s' is not a registry host (HOST[:PORT])", host);
	struct bw_registry *r = bw_calloc(1, sizeof(*r));
	pthread_mutex_init(&r->lock, NULL);
	if (opts)
		r->opts = *opts;
	r->host = bw_strdup(host);
	if (host[0] == '[') {
		r->hostname = bw_strndup(host, (size_t)(strchr(host, ']') - host) + 1);
	} else {
		r->hostname = bw_strndup(host, strcspn(host, ":"));
	}
	r->insecure = insecure_match(r->host, r->hostname, opts);
	r->base_url = bw_asprintf("%s://%s", r->insecure ? "http" : "https", host);
	if (r->insecure && r->opts.warn) {
		char msg[512];
		snprintf(msg, sizeof(msg),
			 "registry %s is spoken to over plain HTTP (--insecure-registry): anyone on the "
			 "network path can read and change what it sends%s",
			 host, reg_is_loopback(r->hostname) ? "" : ", and credentials travel in clear");
		if (!reg_is_loopback(r->hostname))
			r->opts.warn(r->opts.warn_ud, msg);
	}
	int rc = 0;
	if (opts && opts->ca_file) {
		if (access(opts->ca_file, R_OK) != 0)
			rc =
			    bw_error_sys(err, BW_ENOTFOUND, "--registry-ca %s cannot be read", opts->ca_file);
		else
			add_ca(r, bw_strdup(opts->ca_file));
	}
	if (rc == 0 && !r->insecure)
		rc = load_certs_d(r, err);
	if (rc == 0)
		rc = reg_creds_lookup(host, opts, &r->creds, err);
	if (rc < 0) {
		bw_registry_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

void bw_registry_free(struct bw_registry *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_idle; i++) {
		curl_easy_cleanup(r->idle[i].easy);
		curl_multi_cleanup(r->idle[i].multi);
	}
	free(r->idle);
	for (size_t i = 0; i < r->n_tokens; i++) {
		free(r->tokens[i].scope);
		if (r->tokens[i].token) {
			explicit_bzero(r->tokens[i].token, strlen(r->tokens[i].token));
			free(r->tokens[i].token);
		}
	}
	free(r->tokens);
	for (size_t i = 0; i < r->n_extra_cas; i++)
		free(r->extra_cas[i]);
	free(r->extra_cas);
	free(r->client_cert);
	free(r->client_key);
	free(r->ca_dir_ca);
	reg_creds_release(&r->creds);
	explicit_bzero(&r->challenge, sizeof(r->challenge));
	pthread_mutex_destroy(&r->lock);
	free(r->host);
	free(r->hostname);
	free(r->base_url);
	free(r);
}

const char *bw_registry_host(const struct bw_registry *r)
{
	return r->host;
}

const char *bw_registry_base_url(const struct bw_registry *r)
{
	return r->base_url;
}

void reg_xfer_init(struct reg_xfer *x, struct bw_registry *r, const char *repo, char *path, char *what)
{
	memset(x, 0, sizeof(*x));
	x->r = r;
	x->method = "GET";
	x->path = path;
	x->what = what;
	x->repo = repo ? bw_strdup(repo) : NULL;
	x->scope = repo ? bw_asprintf("repository:%s:pull", repo) : bw_strdup("registry:catalog:*");
	x->use_auth = x->follow = x->retry = true;
	x->expect_size = -1;
}

/* ---- manifests ---- */

static const char *const manifest_accept[] = {
    "Accept: application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json",
    NULL,
};

void bw_registry_manifest_release(struct bw_registry_manifest *m)
{
	free(m->data);
	memset(m, 0, sizeof(*m));
}

int bw_registry_get_manifest(struct bw_registry *r, const char *repo, const char *reference,
			     struct bw_registry_manifest *out, struct bw_error *err)
{
	memset(out, 0, sizeof(*out));
	bool by_digest = bw_digest_valid(reference);
	if (!bw_registry_repo_valid(repo, strlen(repo)) ||
	    (!by_digest && !bw_registry_tag_valid(reference, strlen(reference))))
		return bw_error_set(err, BW_EUSAGE, "registry %s: '%s:%s' is not a valid reference", r->host,
				    repo, reference);
	struct reg_xfer x;
	reg_xfer_init(&x, r, repo, bw_asprintf("/v2/%s/manifests/%s", repo, reference),
		      bw_asprintf("manifest %s of %s", reference, repo));
	x.extra_headers = manifest_accept;
	struct bw_buf b;
	bw_buf_init(&b, BW_REGISTRY_MANIFEST_MAX);
	int rc = reg_xfer_start(&x, err);
	if (rc == 0)
		rc = reg_xfer_read_all(&x, &b, err);
	if (rc == BW_ELIMIT && x.body_overflow)
		rc = bw_error_set(err, BW_ELIMIT,
				  "registry %s: manifest %s of %s is larger than %u bytes (4 MiB)", r->host,
				  reference, repo, BW_REGISTRY_MANIFEST_MAX);
	else if (rc == BW_ENOTFOUND)
		rc = bw_error_set(err, BW_ENOTFOUND,
				  "registry %s: manifest unknown: %s has no %s '%s' (HTTP 404)", r->host,
				  repo, by_digest ? "manifest" : "tag", reference);
	char ctype[128] = "", dcd[128] = "";
	if (rc == 0) {
		reg_header_value(x.hdrs.data, x.hdrs.len, "Content-Type", ctype, sizeof(ctype));
		reg_header_value(x.hdrs.data, x.hdrs.len, "Docker-Content-Digest", dcd, sizeof(dcd));
	}
	reg_xfer_release(&x);
	if (rc < 0) {
		bw_buf_release(&b);
		return rc;
	}
	bw_sha256_str(b.data ? b.data : "", b.len, out->digest);
	const char *want = by_digest ? reference : (strncmp(dcd, "sha256:", 7) == 0 ? dcd : NULL);
	if (want && strcmp(want, out->digest) != 0) {
		rc = bw_error_set(err, BW_EINTEGRITY,
				  "registry %s: manifest %s of %s: digest mismatch: expected %s%s, the bytes "
				  "received are %s",
				  r->host, reference, repo, want, by_digest ? "" : " (Docker-Content-Digest)",
				  out->digest);
		bw_buf_release(&b);
		return rc;
	}
	json_error_t je;
	bool too_big = false;
	json_t *j = bw_json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, REG_JSON_TREE_MAX, &je, &too_big);
	if (too_big) {
		bw_buf_release(&b);
		return bw_error_set(err, BW_ELIMIT,
				    "registry %s: manifest %s of %s takes more than %zu MiB once parsed",
				    r->host, reference, repo, REG_JSON_TREE_MAX >> 20);
	}
	const char *mt = json_string_value(json_object_get(j, "mediaType"));
	json_t *sv = json_object_get(j, "schemaVersion");
	if (!j) {
		rc = bw_error_set(err, BW_EINPUT, "registry %s: manifest %s of %s is not JSON (%s, line %d)",
				  r->host, reference, repo, je.text, je.line);
	} else if (json_is_integer(sv) && json_integer_value(sv) == 1) {
		rc = bw_error_set(
		    err, BW_EUNSUPPORTED,
		    "registry %s: manifest %s of %s is Docker schema 1, which bulwark does not read", r->host,
		    reference, repo);
	} else {
		/* strip parameters from the Content-Type */
		ctype[strcspn(ctype, "; ")] = '\0';
		snprintf(out->media_type, sizeof(out->media_type), "%s", mt ? mt : ctype);
	}
	json_decref(j);
	if (rc < 0) {
		bw_buf_release(&b);
		return rc;
	}
	out->data = bw_buf_detach(&b, &out->len);
	if (!out->data)
		out->data = bw_strdup("");
	return 0;
}

/* ---- blobs ---- */

int bw_registry_get_blob(struct bw_registry *r, const char *repo, const char *digest, struct bw_buf *out,
			 struct bw_error *err)
{
	if (!bw_digest_valid(digest) || !bw_registry_repo_valid(repo, strlen(repo)))
		return bw_error_set(err, BW_EUSAGE, "registry %s: '%s@%s' is not a valid blob reference",
				    r->host, repo, digest);
	struct reg_xfer x;
	reg_xfer_init(&x, r, repo, bw_asprintf("/v2/%s/blobs/%s", repo, digest),
		      bw_asprintf("blob %s of %s", digest, repo));
	int rc = reg_xfer_start(&x, err);
	if (rc == 0)
		rc = reg_xfer_read_all(&x, out, err);
	bool body_limit = rc == BW_ELIMIT && x.body_overflow;
	reg_xfer_release(&x);
	if (body_limit)
		return bw_error_set(err, BW_ELIMIT, "registry %s: blob %s of %s is larger than %zu bytes",
				    r->host, digest, repo, out->max);
	if (rc < 0)
		return rc;
	char dg[BW_DIGEST_STR_MAX];
	bw_sha256_str(out->data ? out->data : "", out->len, dg);
	if (strncmp(digest, "sha256:", 7) == 0 && strcmp(dg, digest) != 0)
		return bw_error_set(err, BW_EINTEGRITY,
				    "registry %s: blob %s of %s: digest mismatch: the bytes received are %s",
				    r->host, digest, repo, dg);
	return 0;
}

struct bw_registry_blob {
	struct reg_xfer x;
};

int bw_registry_blob_open(struct bw_registry *r, const char *repo, const char *digest, int64_t size,
			  struct bw_registry_blob **out, struct bw_error *err)
{
	*out = NULL;
	if (!bw_digest_valid(digest) || !bw_registry_repo_valid(repo, strlen(repo)))
		return bw_error_set(err, BW_EUSAGE, "registry %s: '%s@%s' is not a valid blob reference",
				    r->host, repo, digest);
	struct bw_registry_blob *b = bw_calloc(1, sizeof(*b));
	reg_xfer_init(&b->x, r, repo, bw_asprintf("/v2/%s/blobs/%s", repo, digest),
		      bw_asprintf("blob %s of %s", digest, repo));
	b->x.resume = true;
	b->x.expect_size = size;
	int rc = reg_xfer_start(&b->x, err);
	if (rc < 0) {
		bw_registry_blob_close(b);
		return rc;
	}
	*out = b;
	return 0;
}

ssize_t bw_registry_blob_read(struct bw_registry_blob *b, void *buf, size_t n, struct bw_error *err)
{
	return reg_xfer_read(&b->x, buf, n, err);
}

void bw_registry_blob_close(struct bw_registry_blob *b)
{
	if (!b)
		return;
	reg_xfer_release(&b->x);
	free(b);
}

int bw_registry_blob_stream(struct bw_registry *r, const char *repo, const char *digest, int64_t size,
			    bw_registry_chunk_fn cb, void *ud, struct bw_error *err)
{
	struct bw_registry_blob *b = NULL;
	int rc = bw_registry_blob_open(r, repo, digest, size, &b, err);
	char *chunk = rc == 0 ? bw_malloc(64 * 1024) : NULL;
	while (rc == 0) {
		ssize_t k = bw_registry_blob_read(b, chunk, 64 * 1024, err);
		if (k <= 0) {
			rc = (int)k;
			break;
		}
		struct bw_error e = BW_ERROR_INIT;
		if (cb(ud, chunk, (size_t)k, &e) != 0) {
			if (!e.code)
				bw_error_set(&e, BW_EINPUT, "stopped by the reader");
			*err = e;
			rc = e.code;
		}
	}
	free(chunk);
	bw_registry_blob_close(b);
	return rc;
}

/* ---- listings ---- */

static bool repo_name_ok(const char *s, size_t n)
{
	return bw_registry_repo_valid(s, n);
}

static bool tag_name_ok(const char *s, size_t n)
{
	return bw_registry_tag_valid(s, n);
}

static int list_pages(struct bw_registry *r, const char *repo, const char *first, const char *key,
		      bool (*valid)(const char *, size_t), json_t **out, struct bw_error *err)
{
	*out = json_array();
	char **seen = NULL;
	size_t n_seen = 0;
	char *path = bw_strdup(first);
	int rc = 0;
	const char *what = repo ? repo : "the catalog";
	for (;;) {
		for (size_t i = 0; i < n_seen; i++)
			if (strcmp(seen[i], path) == 0) {
				rc =
				    bw_error_set(err, BW_ELIMIT,
						 "registry %s: listing %s: the Link pagination comes back to "
						 "a page it gave before (%.200s)",
						 r->host, what, path);
				goto out;
			}
		if (n_seen >= BW_REGISTRY_PAGES_MAX) {
			rc = bw_error_set(err, BW_ELIMIT, "registry %s: listing %s: more than %d pages",
					  r->host, what, BW_REGISTRY_PAGES_MAX);
			goto out;
		}
		seen = bw_realloc(seen, (n_seen + 1) * sizeof(char *));
		seen[n_seen++] = bw_strdup(path);
		struct reg_xfer x;
		reg_xfer_init(&x, r, repo, bw_strdup(path),
			      repo ? bw_asprintf("tags of %s", repo) : bw_strdup("the catalog"));
		struct bw_buf b;
		bw_buf_init(&b, REG_LISTPAGE_MAX);
		rc = reg_xfer_start(&x, err);
		if (rc == 0)
			rc = reg_xfer_read_all(&x, &b, err);
		char link[2048] = "", next[2048] = "";
		if (rc == 0 && reg_header_value(x.hdrs.data, x.hdrs.len, "Link", link, sizeof(link)) &&
		    !reg_parse_link_next(link, strlen(link), next, sizeof(next)))
			next[0] = '\0';
		reg_xfer_release(&x);
		if (rc == 0) {
			char why[200];
			rc = reg_parse_list(b.data ? b.data : "", b.len, key, valid, *out,
					    BW_REGISTRY_LIST_MAX, why, sizeof(why));
			if (rc < 0)
				bw_error_set(err, rc, "registry %s: listing %s: %s", r->host, what, why);
		}
		bw_buf_release(&b);
		if (rc < 0 || !next[0])
			break;
		/* only a path on the same registry is followed */
		free(path);
		path = NULL;
		if (next[0] != '/') {
			char sch[8], auth[300], rsch[8], rauth[300];
			const char *p = strstr(next, "://");
			if (!reg_url_authority(next, sch, sizeof(sch), auth, sizeof(auth)) ||
			    !reg_url_authority(r->base_url, rsch, sizeof(rsch), rauth, sizeof(rauth)) ||
			    strcmp(auth, rauth) != 0 || !p || !strchr(p + 3, '/')) {
				rc = bw_error_set(err, BW_EREMOTE,
						  "registry %s: listing %s: the next page is on another host",
						  r->host, what);
				break;
			}
			path = bw_strdup(strchr(p + 3, '/'));
		} else {
			path = bw_strdup(next);
		}
		if (strncmp(path, "/v2/", 4) != 0) {
			rc = bw_error_set(err, BW_EREMOTE,
					  "registry %s: listing %s: the next page is outside /v2/", r->host,
					  what);
			break;
		}
	}
out:
	for (size_t i = 0; i < n_seen; i++)
		free(seen[i]);
	free(seen);
	free(path);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int bw_registry_catalog(struct bw_registry *r, json_t **out, struct bw_error *err)
{
	return list_pages(r, NULL, "/v2/_catalog?n=1000", "repositories", repo_name_ok, out, err);
}

int bw_registry_tags(struct bw_registry *r, const char *repo, json_t **out, struct bw_error *err)
{
	*out = NULL;
	if (!bw_registry_repo_valid(repo, strlen(repo)))
		return bw_error_set(err, BW_EUSAGE, "'%s' is not a valid repository name", repo);
	bw_autofree char *first = bw_asprintf("/v2/%s/tags/list", repo);
	int rc = list_pages(r, repo, first, "tags", tag_name_ok, out, err);
	if (rc == BW_ENOTFOUND)
		rc = bw_error_set(err, BW_ENOTFOUND, "registry %s: repository %s not found (HTTP 404)",
				  r->host, repo);
	return rc;
}

/* ---- raw requests ---- */

void bw_registry_response_release(struct bw_registry_response *resp)
{
	bw_buf_release(&resp->headers);
	bw_buf_release(&resp->body);
	free(resp->url);
	memset(resp, 0, sizeof(*resp));
}

bool bw_registry_response_header(const struct bw_registry_response *resp, const char *name, char *out,
				 size_t outlen)
{
	return reg_header_value(resp->headers.data ? resp->headers.data : "", resp->headers.len, name, out,
				outlen);
}

int bw_registry_request(struct bw_registry *r, const struct bw_registry_request *req,
			struct bw_registry_response *resp, struct bw_error *err)
{
	memset(resp, 0, sizeof(*resp));
	size_t max = req->body_max ? req->body_max : 64 * 1024;
	bw_buf_init(&resp->body, max);
	bw_buf_init(&resp->headers, REG_HEADERS_MAX);
	if (!req->path || req->path[0] != '/')
		return bw_error_set(err, BW_EUSAGE, "registry %s: a request path must start with '/'",
				    r->host);
	struct reg_xfer x;
	reg_xfer_init(&x, r, NULL, bw_strdup(req->path), bw_asprintf("%s %s", req->method, req->path));
	free(x.scope);
	x.scope = req->scope ? bw_strdup(req->scope) : NULL;
	x.method = req->method;
	x.use_auth = req->scope != NULL;
	x.follow = req->follow;
	x.retry = false;
	x.raw = true;
	x.extra_headers = req->headers;
	int rc = reg_xfer_start(&x, err);
	char chunk[16384];
	while (rc == 0) {
		ssize_t k = reg_xfer_read(&x, chunk, sizeof(chunk), err);
		if (k < 0)
			rc = (int)k;
		if (k <= 0)
			break;
		size_t room = resp->body.max - resp->body.len;
		bw_buf_add(&resp->body, chunk, (size_t)k < room ? (size_t)k : room);
	}
	resp->status = x.status;
	if (x.hdrs.len)
		bw_buf_add(&resp->headers, x.hdrs.data, x.hdrs.len);
	resp->url = x.url ? bw_strdup(x.url) : NULL;
	reg_xfer_release(&x);
	return rc;
}
