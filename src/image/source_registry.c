/* Images straight from a registry (registry:HOST[:PORT]/REPO[:TAG|@DIGEST],
 * or a bare name the local engine does not have). The registry client
 * (src/registry) fetches and checks the bytes; the metadata is read by
 * metadata.c as for an OCI layout, through a blob getter that answers:
 *   index.json      the manifest the reference names when it is an index or
 *                   a manifest list, else a one-entry index pointing at it;
 *   blobs/ALG/HEX   a manifest (a digest an index listed) from
 *                   /v2/REPO/manifests/, anything else (the configuration)
 *                   from /v2/REPO/blobs/, bounded by the caller's buffer.
 * Layers are an indexed source's: each is a blob streamed from the registry
 * while it is walked (several at once, each holding a bounded buffer), and
 * a layer the layer cache knows (blob digest and diff_id) is not fetched. */
#include <jansson.h>

#include "image-int.h"
#include "registry/registry.h"

struct registry_src {
	struct bw_registry *reg;
	struct bw_registry_ref ref;
	struct bw_registry_manifest top;
	bool top_is_index;
	char **manifests; /* digests an index listed: fetched as manifests */
	size_t n_manifests;
};

static bool is_index(const char *mt)
{
	return strcmp(mt, "application/vnd.oci.image.index.v1+json") == 0 ||
	       strcmp(mt, "application/vnd.docker.distribution.manifest.list.v2+json") == 0;
}

static bool known_manifest(const struct registry_src *s, const char *digest)
{
	for (size_t i = 0; i < s->n_manifests; i++)
		if (strcmp(s->manifests[i], digest) == 0)
			return true;
	return false;
}

/* Remember the manifests an index lists (its bytes already checked). */
static void note_children(struct registry_src *s, const char *data, size_t len)
{
	json_t *j = bw_json_loadb(data, len, 0, BW_IMG_MAX_META_TREE, NULL, NULL);
	json_t *mans = json_object_get(j, "manifests");
	size_t i;
	json_t *d;
	json_array_foreach(mans, i, d)
	{
		const char *dg = json_string_value(json_object_get(d, "digest"));
		if (i >= BW_IMG_MAX_LAYERS * 4 || !bw_digest_valid(dg) || known_manifest(s, dg))
			continue;
		s->manifests = bw_realloc(s->manifests, (s->n_manifests + 1) * sizeof(char *));
		s->manifests[s->n_manifests++] = bw_strdup(dg);
	}
	json_decref(j);
}

static int put(struct bw_buf *out, const char *data, size_t len, const char *name, struct bw_error *err)
{
	if (bw_buf_add(out, data, len) < 0)
		return bw_error_set(err, BW_ELIMIT, "%s: larger than %zu bytes", name, out->max);
	return 0;
}

static int registry_get(struct bw_image *img, const char *name, struct bw_buf *out, struct bw_error *err)
{
	struct registry_src *s = img->source_state;
	if (strcmp(name, "manifest.json") == 0)
		return bw_error_set(err, BW_ENOTFOUND, "no manifest.json in a registry");
	if (strcmp(name, "index.json") == 0) {
		if (s->top_is_index)
			return put(out, s->top.data, s->top.len, s->ref.name, err);
		json_t *idx =
		    json_pack("{s:i, s:[{s:s, s:s, s:I}]}", "schemaVersion", 2, "manifests", "mediaType",
			      s->top.media_type, "digest", s->top.digest, "size", (json_int_t)s->top.len);
		char *text = json_dumps(idx, JSON_COMPACT);
		json_decref(idx);
		int rc = put(out, text ? text : "", text ? strlen(text) : 0, name, err);
		free(text);
		return rc;
	}
	char digest[BW_DIGEST_STR_MAX];
	if (strncmp(name, "blobs/", 6) != 0 || !strchr(name + 6, '/') ||
	    snprintf(digest, sizeof(digest), "%.*s:%s", (int)(strchr(name + 6, '/') - name - 6), name + 6,
		     strchr(name + 6, '/') + 1) >= (int)sizeof(digest) ||
	    !bw_digest_valid(digest))
		return bw_error_set(err, BW_EINPUT, "%s: not a blob name", name);
	if (strcmp(digest, s->top.digest) == 0)
		return put(out, s->top.data, s->top.len, s->ref.name, err);
	if (known_manifest(s, digest)) {
		struct bw_registry_manifest m;
		int rc = bw_registry_get_manifest(s->reg, s->ref.repo, digest, &m, err);
		if (rc < 0)
			return rc;
		if (is_index(m.media_type))
			note_children(s, m.data, m.len);
		rc = put(out, m.data, m.len, digest, err);
		bw_registry_manifest_release(&m);
		return rc;
	}
	return bw_registry_get_blob(s->reg, s->ref.repo, digest, out, err);
}

static int registry_open(struct bw_image *img, struct bw_error *err)
{
	struct registry_src *s = bw_calloc(1, sizeof(*s));
	img->source_state = s;
	int rc = bw_registry_ref_parse(img->location, false, &s->ref, err);
	if (rc < 0)
		return rc;
	struct bw_registry_opts ro = {0};
	if (img->opts.registry)
		ro = *img->opts.registry;
	rc = bw_registry_open(s->ref.host, &ro, &s->reg, err);
	if (rc < 0)
		return rc;
	rc = bw_registry_get_manifest(s->reg, s->ref.repo, s->ref.digest ? s->ref.digest : s->ref.tag,
				      &s->top, err);
	if (rc < 0)
		return rc;
	s->top_is_index = is_index(s->top.media_type);
	if (s->top_is_index)
		note_children(s, s->top.data, s->top.len);
	rc = bw_meta_load_with(img, registry_get, err);
	if (rc < 0)
		return bw_error_prefix(err, "%s: ", s->ref.name);
	if (s->ref.tag) {
		char *tag = bw_asprintf("%s/%s:%s", s->ref.domain, s->ref.repo, s->ref.tag);
		img->info.repo_tags = bw_arena_alloc(&img->arena, sizeof(char *));
		img->info.repo_tags[0] = bw_img_str(img, tag);
		img->info.n_repo_tags = 1;
		free(tag);
	}
	return 0;
}

struct blob_reader {
	struct bw_registry_blob *blob;
};

static ssize_t blob_read(void *ctx, void *buf, size_t n, struct bw_error *err)
{
	struct blob_reader *b = ctx;
	return bw_registry_blob_read(b->blob, buf, n, err);
}

static int registry_open_layer(struct bw_image *img, size_t i, struct bw_reader *rd, void **handle,
			       struct bw_error *err)
{
	struct registry_src *s = img->source_state;
	const struct layer_ref *ref = &img->refs[i];
	if (!ref->expect_digest)
		return bw_error_set(err, BW_EINPUT, "layer %zu: no blob digest", i);
	struct blob_reader *b = bw_calloc(1, sizeof(*b));
	int rc =
	    bw_registry_blob_open(s->reg, s->ref.repo, ref->expect_digest, ref->expect_size, &b->blob, err);
	if (rc < 0) {
		free(b);
		return rc;
	}
	rd->read = blob_read;
	rd->ctx = b;
	rd->name = ref->member;
	*handle = b;
	return 0;
}

static void registry_close_layer(void *handle)
{
	struct blob_reader *b = handle;
	if (b) {
		bw_registry_blob_close(b->blob);
		free(b);
	}
}

static void registry_close(struct bw_image *img)
{
	struct registry_src *s = img->source_state;
	if (!s)
		return;
	bw_registry_manifest_release(&s->top);
	for (size_t i = 0; i < s->n_manifests; i++)
		free(s->manifests[i]);
	free(s->manifests);
	bw_registry_free(s->reg);
	bw_registry_ref_release(&s->ref);
	free(s);
}

/* A name that is a valid reference bids as low as the engine does; which
 * of the two is asked first is --image-src's order (bw_image_open). */
static int registry_probe(const char *target, const struct stat *st)
{
	if (st || target[0] == '/' || target[0] == '.')
		return 0;
	struct bw_registry_ref ref;
	if (bw_registry_ref_parse(target, false, &ref, NULL) < 0)
		return 0;
	bw_registry_ref_release(&ref);
	return 1;
}

const struct source_ops bw_source_registry = {
    .name = "registry",
    .prefixes = (const char *const[]){"registry:", NULL},
    .probe = registry_probe,
    .by_name = true,
    .open = registry_open,
    .open_layer = registry_open_layer,
    .close_layer = registry_close_layer,
    .by_digest = true,
    .close = registry_close,
};
