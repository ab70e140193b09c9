/* Docker Content Trust (Notary v1): is an image's tag signed in its
 * repository's TUF metadata on the trust server? As Docker's client does:
 *   1. the trusted root: the one given (root_file), else the one pinned in
 *      the cache on first use (trust on first use, as Docker's trust dir),
 *      else the server's, signed by its own root keys (whose x509
 *      certificates must name the repository and be valid); a newer root
 *      from the server replaces a pinned one only when the threshold of the
 *      pinned root's keys and of its own signed it, an older one is a
 *      rollback, the same version with other bytes a fork;
 *   2. timestamp signed by the root's timestamp keys, not expired;
 *   3. snapshot: the length and hashes timestamp gives, signed by the
 *      snapshot keys, not expired;
 *   4. targets: the length and hashes snapshot gives, signed by the targets
 *      keys, not expired; then the delegations it signs (targets/releases
 *      first, as Docker looks there first), each checked the same way with
 *      the keys and threshold its delegation gives;
 *   5. no version lower than one seen before for the repository (the cache
 *      keeps them): a rollback;
 *   6. the tag's target in the first role that has it (targets/releases,
 *      targets, the other delegations whose paths cover the tag): its
 *      length and SHA-256 must be the manifest's the registry serves.
 * A failure of any of these denies (res->ok false, res->reason naming the
 * role and why); only the environment (the server unreachable or
 * answering errors, the cache unwritable) is an error. The cache is
 * written only after a verification that passed. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "trust-int.h"

#define DCT_MAX_DELEGATIONS 32 /* delegated roles looked at */
#define DCT_ROOT_MAX (1u << 20)
#define DCT_TIMESTAMP_MAX (64u * 1024)

void bw_trust_dct_result_release(struct bw_trust_dct_result *r)
{
	free(r->reason);
	free(r->role);
	free(r->server);
	free(r->gun);
	memset(r, 0, sizeof(*r));
}

struct dct {
	struct bw_registry *srv;
	const char *gun;
	char *dir; /* the repository's cache directory, or NULL */
	int64_t now;
	/* {"root": "sha256:…", "versions": {"timestamp": N, …}}: the highest
	 * versions seen under that root (another root starts afresh) */
	json_t *state;
	struct bw_trust_dct_result *res;
	struct bw_error *err;
};

/* res denied with err's message (a metadata failure); 0 */
static int deny(struct dct *d)
{
	d->res->ok = false;
	free(d->res->reason);
	d->res->reason = bw_strdup(d->err->msg);
	bw_error_clear(d->err);
	return 0;
}

/* GET the metadata of role ("root", "targets/releases") into out (at most
 * max bytes); *missing when the server has none. */
static int fetch(struct dct *d, const char *role, size_t max, struct bw_buf *out, bool *missing)
{
	*missing = false;
	char *path = bw_asprintf("/v2/%s/_trust/tuf/%s.json", d->gun, role);
	struct bw_registry_request req = {
	    .method = "GET", .path = path, .body_max = max + 1, .follow = false};
	struct bw_registry_response resp = {0};
	int rc = bw_registry_request(d->srv, &req, &resp, d->err);
	if (rc == 0) {
		if (resp.status == 404) {
			*missing = true;
		} else if (resp.status != 200) {
			rc = bw_error_set(d->err, BW_EREMOTE, "trust server %s: %s metadata of %s: HTTP %ld",
					  bw_registry_base_url(d->srv), role, d->gun, resp.status);
		} else if (resp.body.len > max) {
			rc = bw_error_set(d->err, BW_EINTEGRITY, "%s: larger than the %zu bytes allowed",
					  role, max);
		} else if (bw_buf_add(out, resp.body.data ? resp.body.data : "", resp.body.len) < 0) {
			rc = bw_error_set(d->err, BW_ELIMIT, "%s: too large", role);
		}
	}
	bw_registry_response_release(&resp);
	free(path);
	return rc;
}

/* ---- the cache: DIR/dct/<gun, percent-encoded>/{root.json, state.json} ---- */

static char *pct_encode(const char *s)
{
	struct bw_buf b;
	bw_buf_init(&b, 4096);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || (*p == '.' && p != (const unsigned char *)s))
			bw_buf_add(&b, p, 1);
		else
			bw_buf_printf(&b, "%%%02X", *p);
	}
	char *r = bw_buf_detach(&b, NULL);
	return r ? r : bw_strdup("");
}

static int mkdirs(const char *path, struct bw_error *err)
{
	char *p = bw_strdup(path);
	int rc = 0;
	for (char *q = p + 1; *q && rc == 0; q++) {
		if (*q != '/')
			continue;
		*q = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			rc = bw_error_sys(err, BW_EIO, "cannot create %s", p);
		*q = '/';
	}
	if (rc == 0 && mkdir(p, 0700) < 0 && errno != EEXIST)
		rc = bw_error_sys(err, BW_EIO, "cannot create %s", p);
	free(p);
	return rc;
}

/* Write data to DIR/name through a temporary file and rename. */
static int cache_put(struct dct *d, const char *name, const void *data, size_t len)
{
	int rc = mkdirs(d->dir, d->err);
	if (rc < 0)
		return rc;
	char *tmp = bw_asprintf("%s/.%s.%ld", d->dir, name, (long)getpid());
	char *dst = bw_asprintf("%s/%s", d->dir, name);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = bw_error_sys(d->err, BW_EIO, "cannot create %s", tmp);
	} else {
		bool ok = write(fd, data, len) == (ssize_t)len;
		ok = close(fd) == 0 && ok;
		if (!ok || rename(tmp, dst) < 0) {
			rc = bw_error_sys(d->err, BW_EIO, "cannot write %s", dst);
			unlink(tmp);
		}
	}
	free(tmp);
	free(dst);
	return rc;
}

/* DIR/name into out; *found false when absent. */
static int cache_get(struct dct *d, const char *name, size_t max, struct bw_buf *out, bool *found)
{
	*found = false;
	if (!d->dir)
		return 0;
	char *p = bw_asprintf("%s/%s", d->dir, name);
	struct stat st;
	int rc = 0;
	if (stat(p, &st) == 0) {
		bw_buf_init(out, max);
		rc = bw_buf_read_file(out, p, d->err);
		*found = rc == 0;
	}
	free(p);
	return rc;
}

/* ---- the chain ---- */

/* No rollback below what was seen: version of role against the state. */
static int version_ok(struct dct *d, const char *role, json_t *doc)
{
	json_int_t v = json_integer_value(json_object_get(json_object_get(doc, "signed"), "version"));
	json_t *versions = json_object_get(d->state, "versions");
	json_int_t seen = json_integer_value(json_object_get(versions, role));
	if (v < seen)
		return bw_error_set(d->err, BW_EINTEGRITY,
				    "%s: version %" JSON_INTEGER_FORMAT
				    " is older than version %" JSON_INTEGER_FORMAT
				    " seen before (a rollback)",
				    role, v, seen);
	json_object_set_new(versions, role, json_integer(v));
	return 0;
}

static json_t *signed_of(json_t *doc, const char *member)
{
	return json_object_get(json_object_get(doc, "signed"), member);
}

/* The trusted root (a new reference in *root; its bytes in rootbuf). */
static int trusted_root(struct dct *d, const char *root_file, struct bw_buf *rootbuf, json_t **root,
			bool *store)
{
	*root = NULL;
	*store = false;
	struct bw_buf pinned, served;
	bw_buf_init(&pinned, DCT_ROOT_MAX);
	bw_buf_init(&served, DCT_ROOT_MAX);
	bool have_pin = false, missing = false;
	int rc = 0;
	if (root_file) {
		rc = bw_buf_read_file(&pinned, root_file, d->err);
		have_pin = rc == 0;
	} else {
		bw_buf_release(&pinned);
		rc = cache_get(d, "root.json", DCT_ROOT_MAX, &pinned, &have_pin);
	}
	if (rc == 0)
		rc = fetch(d, "root", DCT_ROOT_MAX, &served, &missing);
	if (rc < 0)
		goto out;
	if (missing) {
		rc =
		    bw_error_set(d->err, BW_EINTEGRITY,
				 "root: no trust data for %s on %s (the repository or its tag is not signed)",
				 d->gun, bw_registry_base_url(d->srv));
		goto out;
	}
	json_t *pin = NULL, *cur = NULL;
	if (have_pin) {
		/* the pinned root, checked against itself (it may have expired) */
		json_t *p = trust_json_parse(pinned.data ? pinned.data : "", pinned.len, DCT_ROOT_MAX,
					     BW_TRUST_JSON_DEPTH, "root (pinned)", d->err);
		if (!p) {
			rc = bw_error_prefix(d->err, "the pinned root of %s: ", d->gun);
			goto out;
		}
		rc = trust_tuf_check("root (pinned)", "Root", pinned.data, pinned.len, signed_of(p, "keys"),
				     json_object_get(signed_of(p, "roles"), "root"), d->now, d->gun, &pin,
				     d->err);
		json_decref(p);
		if (rc < 0)
			goto out;
	}
	/* the served root, signed by its own root keys */
	struct bw_error perr = BW_ERROR_INIT;
	json_t *p = trust_json_parse(served.data ? served.data : "", served.len, DCT_ROOT_MAX,
				     BW_TRUST_JSON_DEPTH, "root", &perr);
	if (!p) {
		json_decref(pin);
		rc = bw_error_set(d->err, BW_EINTEGRITY, "root: not valid metadata: %s", perr.msg);
		goto out;
	}
	rc = trust_tuf_check("root", "Root", served.data, served.len, signed_of(p, "keys"),
			     json_object_get(signed_of(p, "roles"), "root"), d->now, d->gun, &cur, d->err);
	json_decref(p);
	if (rc == 0 && pin) {
		json_int_t pv = json_integer_value(signed_of(pin, "version"));
		json_int_t cv = json_integer_value(signed_of(cur, "version"));
		json_t *rot = NULL;
		if (cv < pv)
			rc = bw_error_set(d->err, BW_EINTEGRITY,
					  "root: version %" JSON_INTEGER_FORMAT
					  " is older than the pinned version %" JSON_INTEGER_FORMAT
					  " (a rollback)",
					  cv, pv);
		else if (cv == pv &&
			 (served.len != pinned.len || memcmp(served.data, pinned.data, pinned.len)))
			rc = bw_error_set(d->err, BW_EINTEGRITY,
					  "root: version %" JSON_INTEGER_FORMAT
					  " differs from the pinned root of the same version",
					  cv);
		else if (cv > pv)
			/* a rotation: the pinned root's keys must have signed it too */
			rc = trust_tuf_check(
			    "root (rotated)", "Root", served.data, served.len, signed_of(pin, "keys"),
			    json_object_get(signed_of(pin, "roles"), "root"), d->now, NULL, &rot, d->err);
		json_decref(rot);
		*store = rc == 0 && cv > pv && !root_file;
	} else if (rc == 0) {
		*store = true; /* trust on first use */
		d->res->pinned = true;
	}
	json_decref(pin);
	if (rc == 0) {
		*root = cur;
		bw_buf_add(rootbuf, served.data, served.len);
	} else {
		json_decref(cur);
	}
out:
	bw_buf_release(&pinned);
	bw_buf_release(&served);
	return rc;
}

/* Fetch role, check it against meta (length and hashes from the role above)
 * and its keys, and its version against the state. */
static int load_role(struct dct *d, const char *role, const char *type, json_t *meta, json_t *keys,
		     json_t *role_def, json_t **out)
{
	*out = NULL;
	json_int_t len = json_integer_value(json_object_get(meta, "length"));
	if (!meta || len <= 0 || len > (json_int_t)TRUST_TUF_MAX)
		return bw_error_set(d->err, BW_EINTEGRITY, "%s: no valid length for it in the signed meta",
				    role);
	struct bw_buf b;
	bw_buf_init(&b, (size_t)len + 1);
	bool missing;
	int rc = fetch(d, role, (size_t)len, &b, &missing);
	if (rc == 0 && missing)
		rc = bw_error_set(d->err, BW_EINTEGRITY,
				  "%s: the trust server has none, though it is signed for", role);
	if (rc == 0)
		rc = trust_tuf_meta_check(role, meta, b.data ? b.data : "", b.len, d->err);
	if (rc == 0)
		rc = trust_tuf_check(role, type, b.data, b.len, keys, role_def, d->now, NULL, out, d->err);
	if (rc == 0 && (rc = version_ok(d, role, *out)) < 0) {
		json_decref(*out);
		*out = NULL;
	}
	bw_buf_release(&b);
	return rc;
}

/* Does a delegation's paths (prefixes, Notary's "" for all) cover tag? */
static bool paths_cover(json_t *role, const char *tag)
{
	json_t *paths = json_object_get(role, "paths");
	size_t i;
	json_t *p;
	json_array_foreach(paths, i, p)
	{
		const char *s = json_string_value(p);
		if (s && strncmp(tag, s, strlen(s)) == 0)
			return true;
	}
	return false;
}

static bool role_name_valid(const char *n)
{
	if (strncmp(n, "targets/", 8) != 0 || strlen(n) > 255 || strstr(n, "..") || strstr(n, "//"))
		return false;
	for (const char *p = n; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      strchr("-_./", *p)))
			return false;
	return n[strlen(n) - 1] != '/';
}

/* The tag's target in role doc: compare with the image. 1 matched, 0 not
 * there, <0 a mismatch (err filled). */
static int match_target(struct dct *d, const char *role, json_t *doc, const struct bw_trust_image *img)
{
	json_t *t = json_object_get(signed_of(doc, "targets"), img->ref.tag);
	if (!t)
		return 0;
	json_int_t len = json_integer_value(json_object_get(t, "length"));
	const char *h = json_string_value(json_object_get(json_object_get(t, "hashes"), "sha256"));
	unsigned char want[64];
	int n = h ? bw_base64_decode(h, strlen(h), want, sizeof(want)) : -1;
	char hex[129] = "";
	if (n == 32)
		bw_hex_encode(want, 32, hex);
	const char *have = bw_digest_hex(img->digest);
	if (n != 32)
		return bw_error_set(d->err, BW_EINTEGRITY, "%s: the target %s has no valid sha256", role,
				    img->ref.tag);
	if (!have || strncmp(img->digest, "sha256:", 7) != 0 || strcmp(hex, have) != 0 ||
	    len != (json_int_t)img->size)
		return bw_error_set(d->err, BW_EINTEGRITY,
				    "%s: tag %s is signed for sha256:%s (%" JSON_INTEGER_FORMAT
				    " bytes), but the registry serves %s (%zu bytes)",
				    role, img->ref.tag, hex, len, img->digest, img->size);
	return 1;
}

static int chain(struct dct *d, const char *root_file, const struct bw_trust_image *img)
{
	struct bw_buf rootbuf;
	bw_buf_init(&rootbuf, DCT_ROOT_MAX);
	json_t *root = NULL, *ts = NULL, *snap = NULL, *targets = NULL;
	json_t *dele[DCT_MAX_DELEGATIONS] = {0};
	const char *dele_name[DCT_MAX_DELEGATIONS] = {0};
	size_t n_dele = 0;
	bool store_root = false;
	int rc = trusted_root(d, root_file, &rootbuf, &root, &store_root);
	if (rc < 0)
		goto out;
	json_t *roles = signed_of(root, "roles"), *keys = signed_of(root, "keys");
	char root_digest[BW_DIGEST_STR_MAX];
	bw_sha256_str(rootbuf.data, rootbuf.len, root_digest);
	const char *seen_root = json_string_value(json_object_get(d->state, "root"));
	if (!seen_root || strcmp(seen_root, root_digest) != 0 ||
	    !json_is_object(json_object_get(d->state, "versions"))) {
		json_object_set_new(d->state, "root", json_string(root_digest));
		json_object_set_new(d->state, "versions", json_object());
	}

	/* timestamp: its length is not known beforehand */
	struct bw_buf b;
	bw_buf_init(&b, DCT_TIMESTAMP_MAX + 1);
	bool missing;
	rc = fetch(d, "timestamp", DCT_TIMESTAMP_MAX, &b, &missing);
	if (rc == 0 && missing)
		rc = bw_error_set(d->err, BW_EINTEGRITY, "timestamp: the trust server has none");
	if (rc == 0)
		rc = trust_tuf_check("timestamp", "Timestamp", b.data, b.len, keys,
				     json_object_get(roles, "timestamp"), d->now, NULL, &ts, d->err);
	bw_buf_release(&b);
	if (rc == 0)
		rc = version_ok(d, "timestamp", ts);
	if (rc == 0)
		rc = load_role(d, "snapshot", "Snapshot", json_object_get(signed_of(ts, "meta"), "snapshot"),
			       keys, json_object_get(roles, "snapshot"), &snap);
	json_t *smeta = signed_of(snap, "meta");
	if (rc == 0)
		rc = load_role(d, "targets", "Targets", json_object_get(smeta, "targets"), keys,
			       json_object_get(roles, "targets"), &targets);
	if (rc < 0)
		goto out;

	/* the delegations targets signs whose paths cover the tag,
	 * targets/releases first */
	json_t *dl = signed_of(targets, "delegations");
	json_t *droles = json_object_get(dl, "roles"), *dkeys = json_object_get(dl, "keys");
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		size_t i;
		json_t *r;
		json_array_foreach(droles, i, r)
		{
			const char *name = json_string_value(json_object_get(r, "name"));
			if (!name || !role_name_valid(name)) {
				rc = bw_error_set(d->err, BW_EINTEGRITY,
						  "targets: a delegation has no valid name");
				break;
			}
			if ((pass == 0) != (strcmp(name, "targets/releases") == 0) ||
			    !paths_cover(r, img->ref.tag) || strchr(name + 8, '/'))
				continue;
			if (n_dele == DCT_MAX_DELEGATIONS) {
				rc = bw_error_set(d->err, BW_EINTEGRITY, "targets: more than %d delegations",
						  DCT_MAX_DELEGATIONS);
				break;
			}
			json_t *m = json_object_get(smeta, name);
			if (!m)
				continue; /* delegated, never published */
			rc = load_role(d, name, "Targets", m, dkeys, r, &dele[n_dele]);
			if (rc < 0)
				break;
			dele_name[n_dele++] = name;
		}
	}
	if (rc < 0)
		goto out;

	/* the first role that has the tag: targets/releases, targets, the others */
	int found = 0;
	const char *by = NULL;
	if (n_dele && strcmp(dele_name[0], "targets/releases") == 0 &&
	    (found = match_target(d, dele_name[0], dele[0], img)) != 0)
		by = dele_name[0];
	if (!found && (found = match_target(d, "targets", targets, img)) != 0)
		by = "targets";
	for (size_t i = 0; i < n_dele && !found; i++)
		if ((found = match_target(d, dele_name[i], dele[i], img)) != 0)
			by = dele_name[i];
	if (found < 0) {
		rc = found;
		goto out;
	}
	if (!found) {
		rc = bw_error_set(d->err, BW_EINTEGRITY, "targets: no signed target for tag %s in %s",
				  img->ref.tag, d->gun);
		goto out;
	}
	d->res->ok = true;
	d->res->role = bw_strdup(by);
	d->res->root_version = json_integer_value(signed_of(root, "version"));
	d->res->targets_version = json_integer_value(signed_of(targets, "version"));

	/* remember: the root pinned, the versions seen */
	if (d->dir) {
		if (store_root)
			rc = cache_put(d, "root.json", rootbuf.data, rootbuf.len);
		char *s = rc == 0 ? json_dumps(d->state, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
		if (s)
			rc = cache_put(d, "state.json", s, strlen(s));
		free(s);
	}
out:
	for (size_t i = 0; i < n_dele; i++)
		json_decref(dele[i]);
	json_decref(root);
	json_decref(ts);
	json_decref(snap);
	json_decref(targets);
	bw_buf_release(&rootbuf);
	return rc;
}

/* "https://HOST[:PORT]" or "http://…" (a path of "/" at most) → host and
 * whether it is plain HTTP. */
static int parse_server(const char *url, char *host, size_t hostlen, bool *plain, struct bw_error *err)
{
	const char *h = NULL;
	if (strncmp(url, "https://", 8) == 0) {
		h = url + 8;
		*plain = false;
	} else if (strncmp(url, "http://", 7) == 0) {
		h = url + 7;
		*plain = true;
	}
	size_t n = h ? strcspn(h, "/") : 0;
	if (!h || (h[n] && strcmp(h + n, "/") != 0) || n >= hostlen || !bw_registry_host_valid(h, n))
		return bw_error_set(err, BW_EUSAGE, "trust server %s: not https://HOST[:PORT]", url);
	memcpy(host, h, n);
	host[n] = '\0';
	return 0;
}

int bw_trust_dct_verify(const struct bw_trust_image *img, const struct bw_registry_opts *ro,
			const struct bw_trust_dct_opts *o, struct bw_trust_dct_result *res,
			struct bw_error *err)
{
	memset(res, 0, sizeof(*res));
	if (!img->reg)
		return bw_error_set(err, BW_EUSAGE,
				    "%s: Docker Content Trust signs tags of registry images, not local ones",
				    img->name);
	if (!img->ref.tag)
		return bw_error_set(err, BW_EUSAGE, "%s: Docker Content Trust verifies a tag, not a digest",
				    img->name);
	res->gun = bw_asprintf("%s/%s", img->ref.domain, img->ref.repo);
	const char *url = o->server;
	if (!url || !*url)
		url = getenv("DOCKER_CONTENT_TRUST_SERVER");
	if (url && *url)
		res->server = bw_strdup(url);
	else if (strcmp(img->ref.domain, BW_REGISTRY_DOCKER_HUB) == 0)
		res->server = bw_strdup("https://notary.docker.io");
	else
		res->server = bw_asprintf("https://%s", img->ref.domain);
	char host[256];
	bool plain = false;
	int rc = parse_server(res->server, host, sizeof(host), &plain, err);
	if (rc < 0)
		return rc;
	const char *insecure[] = {host};
	struct bw_registry_opts so = {
	    .ca_file = ro ? ro->ca_file : NULL,
	    .insecure = plain ? insecure : NULL,
	    .n_insecure = plain ? 1 : 0,
	    .deadline = ro ? ro->deadline : 0,
	    .max_retries = ro ? ro->max_retries : 0,
	    .no_env_auth = true,
	    .warn = ro ? ro->warn : NULL,
	    .warn_ud = ro ? ro->warn_ud : NULL,
	};
	struct dct d = {
	    .gun = res->gun, .now = o->now ? o->now : (int64_t)time(NULL), .res = res, .err = err};
	if ((rc = bw_registry_open(host, &so, &d.srv, err)) < 0)
		return rc;
	if (o->cache_dir) {
		char *enc = pct_encode(res->gun);
		d.dir = bw_asprintf("%s/dct/%s", o->cache_dir, enc);
		free(enc);
	}
	struct bw_buf st;
	bool found = false;
	rc = cache_get(&d, "state.json", 64 * 1024, &st, &found);
	if (rc == 0 && found) {
		d.state =
		    trust_json_parse(st.data ? st.data : "", st.len, 64 * 1024, 4, "the DCT cache", err);
		if (!json_is_object(d.state)) {
			/* a damaged cache is not trusted: fail closed */
			json_decref(d.state);
			d.state = NULL;
			rc = bw_error_set(err, BW_EINPUT, "%s/state.json: damaged; remove it to start again",
					  d.dir);
		}
	}
	if (found)
		bw_buf_release(&st);
	if (rc == 0 && !d.state)
		d.state = json_object();
	if (rc == 0) {
		rc = chain(&d, o->root_file, img);
		if (rc == BW_EINTEGRITY)
			rc = deny(&d);
	}
	json_decref(d.state);
	free(d.dir);
	bw_registry_free(d.srv);
	return rc;
}
