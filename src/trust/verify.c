/* Verifying cosign signatures of an image: every signature found (the
 * sha256-<hex>.sig image, and the referrers of artifact type
 * application/vnd.dev.cosign.artifact.sig.v1+json) is a check of its own,
 * which passes only when, in this order:
 *   1. the layer is a simple-signing payload of at most 1 MiB, with a
 *      base64 signature annotation;
 *   2. the payload's bytes (their digest checked by the registry client)
 *      verify with the key;
 *   3. the payload parses strictly;
 *   4. it names the image's manifest digest (else it is a signature of
 *      another image, replayed);
 *   5. it claims the image's repository;
 *   6. it carries every annotation asked for.
 * A signature that fails is a failed check naming why; only the
 * environment (an unreachable registry, more signatures than the bound)
 * makes the whole verification an error. */
#include <jansson.h>

#include "trust-int.h"

struct bw_trust_check *trust_result_add(struct bw_trust_result *r, const char *source)
{
	BW_ALLOC_GROW(r->checks, r->n + 1, r->cap);
	struct bw_trust_check *c = &r->checks[r->n++];
	memset(c, 0, sizeof(*c));
	c->source = bw_strdup(source);
	return c;
}

void trust_check_fail(struct bw_trust_check *c, const char *fmt, ...)
{
	if (c->reason)
		return; /* the first reason stands */
	va_list ap;
	va_start(ap, fmt);
	char buf[1024];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* reasons quote untrusted text (a payload's reference): no control bytes */
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	c->reason = bw_strdup(buf);
	c->ok = false;
}

void bw_trust_result_release(struct bw_trust_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->checks[i].source);
		free(r->checks[i].reason);
		free(r->checks[i].payload);
		free(r->checks[i].predicate_type);
	}
	free(r->checks);
	memset(r, 0, sizeof(*r));
}

/* domain and repository of a reference, Docker Hub's two names as one */
static bool same_repository(const char *a, const char *b)
{
	struct bw_registry_ref ra, rb;
	if (bw_registry_ref_parse(a, false, &ra, NULL) < 0)
		return false;
	if (bw_registry_ref_parse(b, false, &rb, NULL) < 0) {
		bw_registry_ref_release(&ra);
		return false;
	}
	const char *da = strcmp(ra.domain, "index.docker.io") == 0 ? BW_REGISTRY_DOCKER_HUB : ra.domain;
	const char *db = strcmp(rb.domain, "index.docker.io") == 0 ? BW_REGISTRY_DOCKER_HUB : rb.domain;
	bool same = strcmp(da, db) == 0 && strcmp(ra.repo, rb.repo) == 0;
	bw_registry_ref_release(&ra);
	bw_registry_ref_release(&rb);
	return same;
}

bool trust_annotation_present(json_t *optional, const char *kv)
{
	size_t k = strcspn(kv, "=");
	if (!kv[k])
		return false;
	char *key = bw_strndup(kv, k);
	const char *v = json_string_value(json_object_get(optional, key));
	free(key);
	return v && strcmp(v, kv + k + 1) == 0;
}

void trust_check_simplesig(const struct bw_trust_image *img, const struct bw_trust_verify_opts *o,
			   struct bw_trust_check *c, const char *payload, size_t len, const char *sig_b64,
			   size_t siglen)
{
	unsigned char *sig = NULL;
	size_t n = 0;
	struct bw_error e = BW_ERROR_INIT;
	if (!sig_b64 || !siglen) {
		trust_check_fail(c, "no signature (the %s annotation is missing or empty)",
				 BW_TRUST_SIG_ANNOTATION);
		return;
	}
	if (!trust_b64_decode(sig_b64, siglen, 4096, &sig, &n)) {
		trust_check_fail(c, "the signature is not valid base64 (corrupted)");
		return;
	}
	int rc = bw_trust_key_verify(o->key, payload, len, sig, n, &e);
	free(sig);
	if (rc < 0) {
		trust_check_fail(c, "%s", e.msg);
		return;
	}
	struct bw_trust_payload p;
	if (bw_trust_payload_parse(payload, len, &p, &e) < 0) {
		trust_check_fail(c, "signed, but %s", e.msg);
		return;
	}
	const char *want = o->reference ? o->reference : img->repository;
	if (strcmp(p.digest, img->digest) != 0)
		trust_check_fail(
		    c,
		    "the signature is for %s, not this image's %s (a signature of another image, replayed)",
		    p.digest, img->digest);
	else if (want && !same_repository(p.docker_reference, want))
		trust_check_fail(c, "the signature claims the repository '%.200s', not %s",
				 p.docker_reference, want);
	for (size_t i = 0; i < o->n_annotations && !c->reason; i++)
		if (!trust_annotation_present(p.optional, o->annotations[i]))
			trust_check_fail(c, "the signed payload does not carry the annotation %s",
					 o->annotations[i]);
	if (!c->reason) {
		c->ok = true;
		c->payload = bw_strndup(payload, len);
	}
	bw_trust_payload_release(&p);
}

/* Payload blobs fetched in this run, by digest: many signatures may share
 * one payload. */
struct blob_cache {
	struct {
		char digest[BW_DIGEST_STR_MAX];
		struct bw_buf b;
	} * e;
	size_t n, cap;
};

static void cache_release(struct blob_cache *bc)
{
	for (size_t i = 0; i < bc->n; i++)
		bw_buf_release(&bc->e[i].b);
	free(bc->e);
}

/* The payload blob of layer l: 0 with *b, a failure reason in c (return
 * 1), or an environment error (negative). */
static int fetch_payload(const struct bw_trust_image *img, const struct trust_layer *l, size_t max,
			 struct blob_cache *bc, const struct bw_buf **b, struct bw_trust_check *c,
			 struct bw_error *err)
{
	if (l->size > (int64_t)max) {
		trust_check_fail(c, "the payload is %lld bytes, more than the %zu read", (long long)l->size,
				 max);
		return 1;
	}
	for (size_t i = 0; i < bc->n; i++)
		if (strcmp(bc->e[i].digest, l->digest) == 0) {
			*b = &bc->e[i].b;
			return 0;
		}
	struct bw_buf buf;
	bw_buf_init(&buf, max);
	struct bw_error e = BW_ERROR_INIT;
	int rc = bw_registry_get_blob(img->reg, img->ref.repo, l->digest, &buf, &e);
	if (rc == 0 && buf.len != (size_t)l->size) {
		trust_check_fail(c, "the payload blob is %zu bytes, its descriptor says %lld", buf.len,
				 (long long)l->size);
		bw_buf_release(&buf);
		return 1;
	}
	if (rc == BW_EREMOTE || rc == BW_EIO || rc == BW_ENOMEM) {
		bw_buf_release(&buf);
		*err = e;
		return rc;
	}
	if (rc < 0) {
		trust_check_fail(c, "%s", e.msg);
		bw_buf_release(&buf);
		return 1;
	}
	BW_ALLOC_GROW(bc->e, bc->n + 1, bc->cap);
	snprintf(bc->e[bc->n].digest, sizeof(bc->e[bc->n].digest), "%s", l->digest);
	bc->e[bc->n].b = buf;
	*b = &bc->e[bc->n++].b;
	return 0;
}

static int check_sigimage(const struct bw_trust_image *img, const struct bw_trust_verify_opts *o,
			  const struct trust_sigimage *s, const char *where, struct blob_cache *bc,
			  struct bw_trust_result *res, struct bw_error *err)
{
	for (size_t i = 0; i < s->n; i++) {
		if (res->n >= BW_TRUST_MAX_SIGNATURES)
			return bw_error_set(err, BW_ELIMIT,
					    "%s: more than %d signatures: refusing to read on (fail closed)",
					    img->name, BW_TRUST_MAX_SIGNATURES);
		const struct trust_layer *l = &s->layers[i];
		char src[600];
		snprintf(src, sizeof(src), "%s layer %zu", where, i);
		struct bw_trust_check *c = trust_result_add(res, src);
		if (strcmp(l->media_type, BW_TRUST_SIG_MEDIA_TYPE) != 0) {
			trust_check_fail(c, "a layer of media type '%.100s', not a simple-signing payload",
					 l->media_type);
			continue;
		}
		const struct bw_buf *b = NULL;
		int rc = fetch_payload(img, l, BW_TRUST_PAYLOAD_MAX, bc, &b, c, err);
		if (rc < 0)
			return rc;
		if (rc > 0)
			continue;
		const char *sig = trust_layer_annotation(l, BW_TRUST_SIG_ANNOTATION);
		trust_check_simplesig(img, o, c, b->data ? b->data : "", b->len, sig, sig ? strlen(sig) : 0);
		/* index-based: checks may have moved */
		if (res->checks[res->n - 1].ok)
			res->n_ok++;
	}
	return 0;
}

/* Every image of artifact_type referring to img, and the tagged one:
 * their layers handed to each. */
int trust_each_sigimage(const struct bw_trust_image *img, const char *suffix, const char *artifact_type,
			int (*fn)(const struct bw_trust_image *, const struct trust_sigimage *,
				  const char *where, void *ud, struct bw_error *err),
			void *ud, struct bw_error *err)
{
	const char *repo = img->ref.repo, *host = bw_registry_host(img->reg);
	char tag[128];
	trust_tag_for(img->digest, suffix, tag, sizeof(tag));
	struct trust_sigimage s;
	bool found;
	int rc = trust_sigimage_fetch(img->reg, repo, tag, &s, &found, err);
	if (rc < 0)
		return rc;
	if (found) {
		char where[300];
		snprintf(where, sizeof(where), "%s/%s:%s", host, repo, tag);
		rc = fn(img, &s, where, ud, err);
		trust_sigimage_release(&s);
		if (rc < 0)
			return rc;
	}
	json_t *refs = NULL;
	rc = bw_registry_referrers(img->reg, repo, img->digest, artifact_type, &refs, NULL, err);
	if (rc < 0)
		return rc;
	if (json_array_size(refs) > BW_TRUST_MAX_SIGNATURES) {
		json_decref(refs);
		return bw_error_set(err, BW_ELIMIT,
				    "%s: more than %d referrers: refusing to read on (fail closed)",
				    img->name, BW_TRUST_MAX_SIGNATURES);
	}
	size_t i;
	json_t *d;
	json_array_foreach(refs, i, d)
	{
		const char *dg = json_string_value(json_object_get(d, "digest"));
		rc = trust_sigimage_fetch(img->reg, repo, dg, &s, &found, err);
		if (rc < 0)
			break;
		if (!found)
			continue;
		char where[300];
		snprintf(where, sizeof(where), "%s/%s@%s (referrer)", host, repo, dg);
		rc = fn(img, &s, where, ud, err);
		trust_sigimage_release(&s);
		if (rc < 0)
			break;
	}
	json_decref(refs);
	return rc;
}

struct sig_walk {
	const struct bw_trust_verify_opts *o;
	struct blob_cache bc;
	struct bw_trust_result *res;
};

static int sig_fn(const struct bw_trust_image *img, const struct trust_sigimage *s, const char *where,
		  void *ud, struct bw_error *err)
{
	struct sig_walk *w = ud;
	return check_sigimage(img, w->o, s, where, &w->bc, w->res, err);
}

int bw_trust_verify_image(const struct bw_trust_image *img, const struct bw_trust_verify_opts *o,
			  struct bw_trust_result *res, struct bw_error *err)
{
	memset(res, 0, sizeof(*res));
	if (!img->reg)
		return bw_error_set(err, BW_EUSAGE,
				    "%s: a local image keeps no signatures: give --signature and --payload",
				    img->name);
	struct sig_walk w = {.o = o, .res = res};
	int rc = trust_each_sigimage(img, "sig", BW_TRUST_ARTIFACT_SIG, sig_fn, &w, err);
	cache_release(&w.bc);
	return rc;
}

int bw_trust_verify_payload(const struct bw_trust_image *img, const struct bw_trust_verify_opts *o,
			    const char *source, const char *payload, size_t payload_len, const char *sig_b64,
			    size_t sig_len, struct bw_trust_result *res, struct bw_error *err)
{
	(void)err;
	struct bw_trust_check *c = trust_result_add(res, source);
	/* a signature file may end with a line break */
	while (sig_len && (sig_b64[sig_len - 1] == '\n' || sig_b64[sig_len - 1] == '\r'))
		sig_len--;
	if (payload_len > BW_TRUST_PAYLOAD_MAX)
		trust_check_fail(c, "the payload is %zu bytes, more than the %u read", payload_len,
				 BW_TRUST_PAYLOAD_MAX);
	else
		trust_check_simplesig(img, o, c, payload, payload_len, sig_b64, sig_len);
	if (c->ok)
		res->n_ok++;
	return 0;
}
