/* Writing to a registry, and the OCI 1.1 referrers of a manifest: a blob
 * uploaded in one piece (POST an upload session, PUT its bytes with
 * ?digest=), a manifest PUT under a tag or its digest, and the referrers
 * listing with its fallback, the referrers tag schema (an index tagged
 * sha256-<hex>) for registries without the API. Pushes authenticate for
 * repository:REPO:pull,push. */
#include <jansson.h>

#include "registry-int.h"

#define REFERRERS_MAX (4u << 20) /* a referrers index, as a manifest */
#define OCI_INDEX "application/vnd.oci.image.index.v1+json"

static void push_init(struct reg_xfer *x, struct bw_registry *r, const char *repo, const char *method,
		      char *path, char *what)
{
	reg_xfer_init(x, r, repo, path, what);
	free(x->scope);
	x->scope = bw_asprintf("repository:%s:pull,push", repo);
	x->method = method;
}

static int check_repo(struct bw_registry *r, const char *repo, struct bw_error *err)
{
	if (!bw_registry_repo_valid(repo, strlen(repo)))
		return bw_error_set(err, BW_EUSAGE, "registry %s: '%s' is not a valid repository name",
				    r->host, repo);
	return 0;
}

int bw_registry_blob_exists(struct bw_registry *r, const char *repo, const char *digest, bool *exists,
			    struct bw_error *err)
{
	*exists = false;
	if (!bw_digest_valid(digest) || check_repo(r, repo, err) < 0)
		return bw_error_set(err, BW_EUSAGE, "registry %s: '%s@%s' is not a valid blob reference",
				    r->host, repo, digest);
	struct reg_xfer x;
	reg_xfer_init(&x, r, repo, bw_asprintf("/v2/%s/blobs/%s", repo, digest),
		      bw_asprintf("blob %s of %s", digest, repo));
	x.method = "HEAD";
	struct bw_buf b;
	bw_buf_init(&b, 1);
	int rc = reg_xfer_start(&x, err);
	if (rc == 0)
		rc = reg_xfer_read_all(&x, &b, err);
	reg_xfer_release(&x);
	bw_buf_release(&b);
	if (rc == BW_ENOTFOUND) {
		bw_error_clear(err);
		return 0;
	}
	if (rc == 0)
		*exists = true;
	return rc;
}

/* "?digest=" or "&digest=" after a Location, the colon escaped. */
static char *with_digest(const char *location, const char *digest)
{
	const char *colon = strchr(digest, ':');
	return bw_asprintf("%s%cdigest=%.*s%%3A%s", location, strchr(location, '?') ? '&' : '?',
			   (int)(colon - digest), digest, colon + 1);
}

int bw_registry_put_blob(struct bw_registry *r, const char *repo, const void *data, size_t len,
			 char *digest_out, struct bw_error *err)
{
	char digest[BW_DIGEST_STR_MAX];
	bw_sha256_str(data, len, digest);
	if (digest_out)
		memcpy(digest_out, digest, sizeof(digest));
	int rc = check_repo(r, repo, err);
	bool exists = false;
	if (rc == 0)
		rc = bw_registry_blob_exists(r, repo, digest, &exists, err);
	if (rc < 0 || exists)
		return rc;

	struct reg_xfer x;
	push_init(&x, r, repo, "POST", bw_asprintf("/v2/%s/blobs/uploads/", repo),
		  bw_asprintf("upload of blob %s to %s", digest, repo));
	struct bw_buf b;
	bw_buf_init(&b, REG_ERRBODY_MAX);
	char location[4096] = "";
	rc = reg_xfer_start(&x, err);
	if (rc == 0)
		rc = reg_xfer_read_all(&x, &b, err);
	if (rc == 0 && !reg_header_value(x.hdrs.data, x.hdrs.len, "Location", location, sizeof(location)))
		rc = bw_error_set(err, BW_EREMOTE,
				  "registry %s: %s: HTTP %ld without a Location for the upload", r->host,
				  x.what, x.status);
	reg_xfer_release(&x);
	bw_buf_reset(&b);
	if (rc < 0) {
		bw_buf_release(&b);
		return rc;
	}
	/* the session's URL, on this registry (a path, or a URL of the same host) */
	char *url;
	if (location[0] == '/') {
		url = with_digest(location, digest);
	} else {
		char sch[8], auth[300], rsch[8], rauth[300];
		if (!reg_url_authority(location, sch, sizeof(sch), auth, sizeof(auth)) ||
		    !reg_url_authority(r->base_url, rsch, sizeof(rsch), rauth, sizeof(rauth)) ||
		    strcmp(auth, rauth) != 0) {
			bw_buf_release(&b);
			return bw_error_set(err, BW_EREMOTE,
					    "registry %s: upload of blob %s to %s: the upload session is on "
					    "another host",
					    r->host, digest, repo);
		}
		url = with_digest(location, digest);
	}
	static const char *const octet[] = {"Content-Type: application/octet-stream", NULL};
	push_init(&x, r, repo, "PUT", url, bw_asprintf("upload of blob %s to %s", digest, repo));
	x.body = data;
	x.body_len = len;
	x.extra_headers = octet;
	x.retry = false; /* a session is used once */
	rc = reg_xfer_start(&x, err);
	if (rc == 0)
		rc = reg_xfer_read_all(&x, &b, err);
	reg_xfer_release(&x);
	bw_buf_release(&b);
	return rc;
}

int bw_registry_put_manifest(struct bw_registry *r, const char *repo, const char *reference,
			     const char *media_type, const void *data, size_t len, char *digest_out,
			     bool *subject_indexed, struct bw_error *err)
{
	char digest[BW_DIGEST_STR_MAX];
	bw_sha256_str(data, len, digest);
	if (digest_out)
		memcpy(digest_out, digest, sizeof(digest));
	if (subject_indexed)
		*subject_indexed = false;
	bool by_digest = bw_digest_valid(reference);
	if (check_repo(r, repo, err) < 0 ||
	    (!by_digest && !bw_registry_tag_valid(reference, strlen(reference))))
		return bw_error_set(err, BW_EUSAGE, "registry %s: '%s:%s' is not a valid reference", r->host,
				    repo, reference);
	if (by_digest && strcmp(reference, digest) != 0)
		return bw_error_set(err, BW_EUSAGE, "registry %s: manifest for %s: its bytes are %s, not %s",
				    r->host, repo, digest, reference);
	if (len > BW_REGISTRY_MANIFEST_MAX)
		return bw_error_set(err, BW_ELIMIT, "registry %s: a manifest for %s is larger than 4 MiB",
				    r->host, repo);
	char ctype[200];
	snprintf(ctype, sizeof(ctype), "Content-Type: %s", media_type);
	const char *hdrs[] = {ctype, NULL};
	struct reg_xfer x;
	push_init(&x, r, repo, "PUT", bw_asprintf("/v2/%s/manifests/%s", repo, reference),
		  bw_asprintf("push of manifest %s to %s", reference, repo));
	x.body = data;
	x.body_len = len;
	x.extra_headers = hdrs;
	struct bw_buf b;
	bw_buf_init(&b, REG_ERRBODY_MAX);
	int rc = reg_xfer_start(&x, err);
	if (rc == 0)
		rc = reg_xfer_read_all(&x, &b, err);
	char dcd[128] = "", subj[128] = "";
	if (rc == 0) {
		reg_header_value(x.hdrs.data, x.hdrs.len, "Docker-Content-Digest", dcd, sizeof(dcd));
		if (subject_indexed &&
		    reg_header_value(x.hdrs.data, x.hdrs.len, "OCI-Subject", subj, sizeof(subj)))
			*subject_indexed = bw_digest_valid(subj);
	}
	reg_xfer_release(&x);
	bw_buf_release(&b);
	if (rc == 0 && dcd[0] && strcmp(dcd, digest) != 0)
		rc = bw_error_set(err, BW_EINTEGRITY,
				  "registry %s: push of manifest %s to %s: the registry stored %s, not %s",
				  r->host, reference, repo, dcd, digest);
	return rc;
}

/* Keep the entries of an index's "manifests" whose artifactType is want
 * (all when want is NULL) and that are well-formed descriptors. */
static int filter_manifests(json_t *index, const char *want, json_t *out, const char *what,
			    struct bw_error *err)
{
	json_t *ms = json_object_get(index, "manifests");
	if (!json_is_array(ms))
		return bw_error_set(err, BW_EINPUT, "%s: not an OCI index (no \"manifests\" array)", what);
	size_t i;
	json_t *d;
	json_array_foreach(ms, i, d)
	{
		const char *dg = json_string_value(json_object_get(d, "digest"));
		const char *at = json_string_value(json_object_get(d, "artifactType"));
		if (!dg || !bw_digest_valid(dg))
			return bw_error_set(err, BW_EINPUT, "%s: manifests[%zu] has no valid digest", what,
					    i);
		if (!want || (at && strcmp(at, want) == 0))
			json_array_append(out, d);
	}
	return 0;
}

int bw_registry_referrers(struct bw_registry *r, const char *repo, const char *digest,
			  const char *artifact_type, json_t **out, bool *api, struct bw_error *err)
{
	*out = NULL;
	if (api)
		*api = false;
	if (!bw_digest_valid(digest) || check_repo(r, repo, err) < 0)
		return bw_error_set(err, BW_EUSAGE, "registry %s: '%s@%s' is not a valid manifest reference",
				    r->host, repo, digest);
	static const char *const accept[] = {"Accept: " OCI_INDEX, NULL};
	struct reg_xfer x;
	reg_xfer_init(&x, r, repo, bw_asprintf("/v2/%s/referrers/%s", repo, digest),
		      bw_asprintf("referrers of %s in %s", digest, repo));
	x.extra_headers = accept;
	x.raw = true; /* a registry without the API answers 404 (or 400, 405): judged below */
	x.follow = true;
	struct bw_buf b;
	bw_buf_init(&b, REFERRERS_MAX);
	int rc = reg_xfer_start(&x, err);
	if (rc == 0)
		rc = reg_xfer_read_all(&x, &b, err);
	long status = x.status;
	char ctype[128] = "";
	if (rc == 0)
		reg_header_value(x.hdrs.data, x.hdrs.len, "Content-Type", ctype, sizeof(ctype));
	reg_xfer_release(&x);
	if (rc < 0) {
		bw_buf_release(&b);
		return rc;
	}
	json_t *list = json_array();
	bw_autofree char *what = bw_asprintf("registry %s: referrers of %s in %s", r->host, digest, repo);
	if (status == 200 && strncmp(ctype, OCI_INDEX, strlen(OCI_INDEX)) == 0) {
		json_error_t je;
		bool too_big = false;
		json_t *j =
		    bw_json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, REG_JSON_TREE_MAX, &je, &too_big);
		if (too_big)
			rc =
			    bw_error_set(err, BW_ELIMIT, "%s: the answer takes more than %zu MiB once parsed",
					 what, REG_JSON_TREE_MAX >> 20);
		else if (!j)
			rc = bw_error_set(err, BW_EINPUT, "%s: not JSON (%s)", what, je.text);
		else
			rc = filter_manifests(j, artifact_type, list, what, err);
		json_decref(j);
		if (api)
			*api = true;
	} else if (status == 401 || status == 403 || status >= 500) {
		rc = bw_error_set(err, BW_EREMOTE, "%s: HTTP %ld", what, status);
	} else {
		/* no referrers API: the referrers tag schema */
		char tag[BW_DIGEST_STR_MAX];
		snprintf(tag, sizeof(tag), "%s", digest);
		tag[strcspn(tag, ":")] = '-';
		struct bw_registry_manifest m;
		struct bw_error e2 = BW_ERROR_INIT;
		int mrc = bw_registry_get_manifest(r, repo, tag, &m, &e2);
		if (mrc == 0) {
			json_t *j = bw_json_loadb(m.data, m.len, JSON_REJECT_DUPLICATES, REG_JSON_TREE_MAX,
						  NULL, NULL);
			bw_autofree char *w2 =
			    bw_asprintf("registry %s: referrers index %s of %s", r->host, tag, repo);
			if (!j || strcmp(m.media_type, OCI_INDEX) != 0)
				rc = bw_error_set(err, BW_EINPUT, "%s: not an OCI image index", w2);
			else
				rc = filter_manifests(j, artifact_type, list, w2, err);
			json_decref(j);
			bw_registry_manifest_release(&m);
		} else if (mrc != BW_ENOTFOUND) {
			*err = e2;
			rc = mrc;
		}
	}
	bw_buf_release(&b);
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

int bw_registry_referrers_tag_add(struct bw_registry *r, const char *repo, const char *subject,
				  const json_t *descriptor, struct bw_error *err)
{
	if (!bw_digest_valid(subject))
		return bw_error_set(err, BW_EUSAGE, "registry %s: '%s' is not a digest", r->host, subject);
	const char *dg = json_string_value(json_object_get(descriptor, "digest"));
	if (!dg)
		return bw_error_set(err, BW_EUSAGE, "registry %s: a referrer descriptor needs a digest",
				    r->host);
	char tag[BW_DIGEST_STR_MAX];
	snprintf(tag, sizeof(tag), "%s", subject);
	tag[strcspn(tag, ":")] = '-';
	struct bw_registry_manifest m;
	struct bw_error e2 = BW_ERROR_INIT;
	json_t *index = NULL;
	int rc = bw_registry_get_manifest(r, repo, tag, &m, &e2);
	if (rc == 0) {
		index = bw_json_loadb(m.data, m.len, JSON_REJECT_DUPLICATES, REG_JSON_TREE_MAX, NULL, NULL);
		bw_registry_manifest_release(&m);
		if (!json_is_array(json_object_get(index, "manifests"))) {
			json_decref(index);
			return bw_error_set(err, BW_EINPUT,
					    "registry %s: %s:%s is not a referrers index: not replacing it",
					    r->host, repo, tag);
		}
	} else if (rc == BW_ENOTFOUND) {
		index =
		    json_pack("{s:i, s:s, s:[]}", "schemaVersion", 2, "mediaType", OCI_INDEX, "manifests");
	} else {
		*err = e2;
		return rc;
	}
	json_t *ms = json_object_get(index, "manifests");
	size_t i;
	json_t *d;
	json_array_foreach(ms, i, d)
	{
		const char *have = json_string_value(json_object_get(d, "digest"));
		if (have && strcmp(have, dg) == 0) {
			json_decref(index);
			return 0;
		}
	}
	json_array_append(ms, (json_t *)descriptor);
	char *s = json_dumps(index, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(index);
	rc = bw_registry_put_manifest(r, repo, tag, OCI_INDEX, s, strlen(s), NULL, NULL, err);
	free(s);
	return rc;
}
