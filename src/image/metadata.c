/* Image metadata: docker-archive manifest.json, OCI index/manifest, config.
 *
 * Two layouts are read here, whatever the container of their blobs:
 *  - "docker save" (legacy and engines >= 25): manifest.json is an array of
 *    {Config, RepoTags, Layers}; Config and Layers name archive members
 *    ("<hex>.json" and "<id>/layer.tar", or "blobs/sha256/<hex>").
 *  - OCI image layout: index.json lists manifests (or nested indexes) by
 *    descriptor {mediaType, digest, size, platform, annotations}; blobs live
 *    at blobs/<alg>/<hex>.
 * Every blob read here is checked against its digest (and size, when a
 * descriptor gives one) before it is parsed. The configuration's
 * rootfs.diff_ids give the expected digest of each uncompressed layer.
 */
#include <sys/utsname.h>

#include "image-int.h"

static int get_json(struct bw_image *img, bw_blob_get_fn get, const char *name, const char *want_digest,
		    int64_t want_size, json_t **out, char *digest_out, struct bw_error *err)
{
	struct bw_buf b;
	bw_buf_init(&b, BW_IMG_MAX_META);
	int rc = get(img, name, &b, err);
	if (rc < 0) {
		bw_buf_release(&b);
		return rc;
	}
	char dg[BW_DIGEST_STR_MAX];
	bw_sha256_str(b.data ? b.data : "", b.len, dg);
	if (want_digest && strncmp(want_digest, "sha256:", 7) == 0 && strcmp(want_digest, dg) != 0) {
		bw_buf_release(&b);
		return bw_error_set(err, BW_EINTEGRITY, "blob %s: digest mismatch: expected %s, got %s", name,
				    want_digest, dg);
	}
	if (want_size >= 0 && (uint64_t)want_size != b.len) {
		bw_buf_release(&b);
		return bw_error_set(err, BW_EINTEGRITY,
				    "blob %s: size mismatch: expected %lld bytes, got %zu", name,
				    (long long)want_size, b.len);
	}
	if (digest_out)
		memcpy(digest_out, dg, BW_DIGEST_STR_MAX);
	json_error_t je;
	bool too_big = false;
	*out = bw_json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, BW_IMG_MAX_META_TREE, &je, &too_big);
	img->last_meta_tree = bw_json_last_tree();
	bw_buf_release(&b);
	if (too_big)
		return bw_error_set(err, BW_ELIMIT, "%s: its JSON takes more than %zu MiB once parsed", name,
				    BW_IMG_MAX_META_TREE >> 20);
	if (!*out) {
		/* jansson ends its text with " near '<the bytes it stopped at>'":
		 * left out, since a file below a layout may be a hard link to a
		 * host file; the line and column say where */
		char *near = strstr(je.text, " near '");
		if (near)
			*near = '\0';
		return bw_error_set(err, BW_EINPUT, "%s: not valid JSON: %s (line %d, column %d)", name,
				    je.text, je.line, je.column);
	}
	return 0;
}

/* A member name from metadata (manifest.json's Config and Layers) into
 * *out, in the image's arena: a relative path without a ".." component or
 * a NUL, cleaned of "./" and "//" — never a way out of the archive or
 * layout. */
static int member_ref(struct bw_image *img, json_t *v, const char *what, const char **out,
		      struct bw_error *err)
{
	const char *raw = json_string_value(v);
	if (!raw)
		return bw_error_set(err, BW_EINPUT, "manifest.json: %s is not a string", what);
	size_t n = strlen(raw);
	if (n != json_string_length(v) || n == 0 || n > BW_IMG_MAX_PATH)
		return bw_error_set(err, BW_EINPUT, "manifest.json: %s is empty, too long or holds a NUL",
				    what);
	if (raw[0] == '/')
		return bw_error_set(err, BW_EINPUT, "manifest.json: %s '%s' is an absolute path", what, raw);
	for (const char *c = raw; c; c = strchr(c, '/')) {
		c += *c == '/';
		if (c[0] == '.' && c[1] == '.' && (c[2] == '/' || c[2] == '\0'))
			return bw_error_set(err, BW_EINPUT, "manifest.json: %s '%s' climbs out with '..'",
					    what, raw);
	}
	char clean[BW_IMG_MAX_PATH + 1];
	bool esc, abs;
	bw_path_clean(raw, clean, &esc, &abs);
	if (esc || abs || !clean[0])
		return bw_error_set(err, BW_EINPUT, "manifest.json: %s '%s' names no member", what, raw);
	*out = bw_img_str(img, clean);
	return 0;
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k)); /* NULL unless a string */
}

char *bw_blob_member_name(const char *digest)
{
	if (!bw_digest_valid(digest))
		return NULL;
	const char *colon = strchr(digest, ':');
	return bw_asprintf("blobs/%.*s/%s", (int)(colon - digest), digest, colon + 1);
}

/* "blobs/sha256/<hex>" or "<hex>.json" (legacy config) -> "sha256:<hex>". */
static bool digest_from_member(const char *name, char *out)
{
	const char *hex = NULL;
	if (strncmp(name, "blobs/sha256/", 13) == 0)
		hex = name + 13;
	else if (strlen(name) == 69 && strcmp(name + 64, ".json") == 0)
		hex = name;
	if (!hex)
		return false;
	snprintf(out, BW_DIGEST_STR_MAX, "sha256:%.64s", hex);
	return bw_digest_valid(out);
}

void bw_image_alloc_layers(struct bw_image *img, size_t n)
{
	img->refs = bw_calloc(n ? n : 1, sizeof(*img->refs));
	img->results = bw_calloc(n ? n : 1, sizeof(*img->results));
	/* results[i] is set by the walk (indexed) or by bw_stream_finish */
	img->layer_ptrs = bw_calloc(n ? n : 1, sizeof(*img->layer_ptrs));
	for (size_t i = 0; i < n; i++) {
		struct bw_image_layer *l = bw_arena_alloc(&img->arena, sizeof(*l));
		l->index = (int)i;
		l->compressed_size = -1;
		l->size = -1;
		img->layer_ptrs[i] = l;
		img->refs[i].expect_size = -1;
	}
	img->info.layers = img->layer_ptrs;
	img->info.n_layers = n;
}

int bw_meta_apply_config(struct bw_image *img, json_t *config, const char *name, struct bw_error *err)
{
	if (!json_is_object(config))
		return bw_error_set(err, BW_EINPUT, "config %s: not a JSON object", name);
	json_t *rootfs = json_object_get(config, "rootfs");
	json_t *ids = json_object_get(rootfs, "diff_ids");
	if (!json_is_object(rootfs) || !json_is_array(ids))
		return bw_error_set(err, BW_EINPUT, "config %s: lacks rootfs.diff_ids", name);
	if (json_array_size(ids) > BW_IMG_MAX_LAYERS)
		return bw_error_set(err, BW_ELIMIT, "config %s: more than %d layers", name,
				    BW_IMG_MAX_LAYERS);
	for (size_t i = 0; i < json_array_size(ids); i++) {
		const char *d = json_string_value(json_array_get(ids, i));
		if (!bw_digest_valid(d))
			return bw_error_set(err, BW_EINPUT,
					    "config %s: rootfs.diff_ids[%zu] is not a valid digest", name, i);
	}
	if (img->config)
		json_decref(img->config);
	img->config = json_incref(config);
	img->config_tree = img->last_meta_tree;
	img->info.config = config;
	img->info.os = bw_img_str(img, jstr(config, "os"));
	img->info.architecture = bw_img_str(img, jstr(config, "architecture"));
	img->info.variant = bw_img_str(img, jstr(config, "variant"));
	img->info.created = bw_img_str(img, jstr(config, "created"));
	img->info.author = bw_img_str(img, jstr(config, "author"));

	json_t *hist = json_object_get(config, "history");
	size_t nh = json_is_array(hist) ? json_array_size(hist) : 0;
	if (nh > 4 * BW_IMG_MAX_LAYERS)
		return bw_error_set(err, BW_ELIMIT, "config %s: more than %d history entries", name,
				    4 * BW_IMG_MAX_LAYERS);
	img->info.history = bw_arena_alloc(&img->arena, (nh ? nh : 1) * sizeof(*img->info.history));
	img->info.n_history = nh;
	for (size_t i = 0; i < nh; i++) {
		json_t *h = json_array_get(hist, i);
		struct bw_image_history *ih = &img->info.history[i];
		ih->created = bw_img_str(img, jstr(h, "created"));
		ih->created_by = bw_img_str(img, jstr(h, "created_by"));
		ih->comment = bw_img_str(img, jstr(h, "comment"));
		ih->author = bw_img_str(img, jstr(h, "author"));
		ih->empty_layer = json_is_true(json_object_get(h, "empty_layer"));
	}
	return 0;
}

/* After layers are allocated: expected diff_ids and history per layer. */
static int attach_config_to_layers(struct bw_image *img, const char *name, struct bw_error *err)
{
	json_t *ids = json_object_get(json_object_get(img->config, "rootfs"), "diff_ids");
	if (json_array_size(ids) != img->info.n_layers)
		return bw_error_set(err, BW_EINPUT,
				    "config %s lists %zu diff_ids but the manifest has %zu layers", name,
				    json_array_size(ids), img->info.n_layers);
	size_t h = 0;
	for (size_t i = 0; i < img->info.n_layers; i++) {
		img->refs[i].expect_diff_id = bw_img_str(img, json_string_value(json_array_get(ids, i)));
		img->layer_ptrs[i]->diff_id = img->refs[i].expect_diff_id;
		while (h < img->info.n_history && img->info.history[h].empty_layer)
			h++;
		if (h < img->info.n_history) {
			img->layer_ptrs[i]->created_by = img->info.history[h].created_by;
			img->layer_ptrs[i]->created = img->info.history[h].created;
			img->layer_ptrs[i]->comment = img->info.history[h].comment;
			h++;
		}
	}
	return 0;
}

static int load_docker_manifest(struct bw_image *img, bw_blob_get_fn get, json_t *mf, struct bw_error *err)
{
	if (!json_is_array(mf) || json_array_size(mf) == 0)
		return bw_error_set(err, BW_EINPUT, "manifest.json: expected a non-empty array of images");
	json_t *entry = NULL;
	size_t idx;
	json_t *e;
	json_array_foreach(mf, idx, e)
	{
		if (!img->ref) {
			entry = e;
			break;
		}
		json_t *tags = json_object_get(e, "RepoTags");
		size_t k;
		json_t *t;
		json_array_foreach(tags, k, t)
		{
			const char *s = json_string_value(t);
			size_t rl = strlen(img->ref);
			if (s &&
			    (strcmp(s, img->ref) == 0 || (strlen(s) > rl && s[strlen(s) - rl - 1] == ':' &&
							  strcmp(s + strlen(s) - rl, img->ref) == 0)))
				entry = e;
		}
		if (entry)
			break;
	}
	if (!entry)
		return bw_error_set(err, BW_ENOTFOUND, "manifest.json: no image tagged '%s'", img->ref);
	json_t *layers = json_object_get(entry, "Layers");
	if (!json_object_get(entry, "Config") || !json_is_array(layers))
		return bw_error_set(err, BW_EINPUT, "manifest.json: an entry lacks Config or Layers");
	const char *cfg;
	int rc = member_ref(img, json_object_get(entry, "Config"), "Config", &cfg, err);
	if (rc < 0)
		return rc;
	if (json_array_size(layers) > BW_IMG_MAX_LAYERS)
		return bw_error_set(err, BW_ELIMIT, "manifest.json: more than %d layers", BW_IMG_MAX_LAYERS);

	char cdg[BW_DIGEST_STR_MAX];
	bool has_cdg = digest_from_member(cfg, cdg);
	json_t *config = NULL;
	char actual[BW_DIGEST_STR_MAX];
	rc = get_json(img, get, cfg, has_cdg ? cdg : NULL, -1, &config, actual, err);
	if (rc < 0)
		return rc;
	img->info.config_digest = bw_img_str(img, actual);
	rc = bw_meta_apply_config(img, config, cfg, err);
	json_decref(config);
	if (rc < 0)
		return rc;

	json_t *tags = json_object_get(entry, "RepoTags");
	size_t nt = json_is_array(tags) ? json_array_size(tags) : 0;
	img->info.repo_tags = bw_arena_alloc(&img->arena, (nt ? nt : 1) * sizeof(char *));
	for (size_t i = 0; i < nt; i++)
		if (json_is_string(json_array_get(tags, i)))
			img->info.repo_tags[img->info.n_repo_tags++] =
			    bw_img_str(img, json_string_value(json_array_get(tags, i)));

	size_t n = json_array_size(layers);
	bw_image_alloc_layers(img, n);
	for (size_t i = 0; i < n; i++) {
		char what[32];
		snprintf(what, sizeof(what), "Layers[%zu]", i);
		const char *m;
		rc = member_ref(img, json_array_get(layers, i), what, &m, err);
		if (rc < 0)
			return rc;
		img->refs[i].member = m;
		char d[BW_DIGEST_STR_MAX];
		if (digest_from_member(m, d))
			img->refs[i].expect_digest = bw_img_str(img, d);
	}
	return attach_config_to_layers(img, cfg, err);
}

int bw_host_platform(char *os, size_t oslen, char *arch, size_t archlen, char *variant, size_t varlen)
{
	struct utsname u;
	const char *a = "amd64", *v = "";
	if (uname(&u) == 0) {
		if (strcmp(u.machine, "aarch64") == 0) {
			a = "arm64";
			v = "v8";
		} else if (strncmp(u.machine, "armv7", 5) == 0) {
			a = "arm";
			v = "v7";
		} else if (strcmp(u.machine, "i686") == 0 || strcmp(u.machine, "i386") == 0) {
			a = "386";
		} else if (strcmp(u.machine, "s390x") == 0 || strcmp(u.machine, "ppc64le") == 0 ||
			   strcmp(u.machine, "riscv64") == 0) {
			a = u.machine;
		}
	}
	snprintf(os, oslen, "linux");
	snprintf(arch, archlen, "%s", a);
	snprintf(variant, varlen, "%s", v);
	return 0;
}

static bool is_index_type(const char *mt)
{
	return mt && (strcmp(mt, "application/vnd.oci.image.index.v1+json") == 0 ||
		      strcmp(mt, "application/vnd.docker.distribution.manifest.list.v2+json") == 0);
}

static bool platform_matches(json_t *p, const char *os, const char *arch, const char *variant)
{
	const char *pos = jstr(p, "os"), *parch = jstr(p, "architecture"), *pv = jstr(p, "variant");
	if (!pos || !parch || strcmp(pos, os) != 0 || strcmp(parch, arch) != 0)
		return false;
	if (variant[0] && pv && strcmp(pv, variant) != 0)
		return false;
	return true;
}

static bool ref_matches(json_t *desc, const char *ref)
{
	json_t *ann = json_object_get(desc, "annotations");
	const char *n = jstr(ann, "org.opencontainers.image.ref.name");
	if (n && strcmp(n, ref) == 0)
		return true;
	const char *c = jstr(ann, "io.containerd.image.name");
	if (c) {
		size_t cl = strlen(c), rl = strlen(ref);
		if (strcmp(c, ref) == 0 ||
		    (cl > rl && c[cl - rl - 1] == ':' && strcmp(c + cl - rl, ref) == 0))
			return true;
	}
	return false;
}

/* Choose a manifest descriptor from an index; recurse into nested indexes. */
static int choose_manifest(struct bw_image *img, bw_blob_get_fn get, json_t *index, const char *where,
			   int depth, json_t **desc_out, struct bw_error *err)
{
	if (depth > BW_IMG_MAX_NEST)
		return bw_error_set(err, BW_ELIMIT, "%s: indexes nested deeper than %d", where,
				    BW_IMG_MAX_NEST);
	json_t *mans = json_object_get(index, "manifests");
	if (!json_is_array(mans) || json_array_size(mans) == 0)
		return bw_error_set(err, BW_EINPUT, "%s: no manifests listed", where);

	char os[128], arch[128], variant[128];
	bool explicit = img->opts.platform != NULL;
	if (explicit) {
		char tmp[128];
		snprintf(tmp, sizeof(tmp), "%s", img->opts.platform);
		char *a = strchr(tmp, '/');
		if (!a)
			return bw_error_set(err, BW_EUSAGE, "--platform '%s': expected os/arch[/variant]",
					    img->opts.platform);
		*a++ = '\0';
		char *v = strchr(a, '/');
		if (v)
			*v++ = '\0';
		snprintf(os, sizeof(os), "%s", tmp);
		snprintf(arch, sizeof(arch), "%s", a);
		snprintf(variant, sizeof(variant), "%s", v ? v : "");
	} else {
		bw_host_platform(os, sizeof(os), arch, sizeof(arch), variant, sizeof(variant));
	}

	json_t *chosen = NULL;
	size_t i, candidates = 0;
	json_t *d;
	struct bw_buf seen;
	bw_buf_init(&seen, 4096);
	json_array_foreach(mans, i, d)
	{
		if (!json_is_object(d) || !bw_digest_valid(jstr(d, "digest")))
			return bw_error_set(err, BW_EINPUT, "%s: manifests[%zu] has no valid digest", where,
					    i);
		if (depth == 0 && img->ref && !ref_matches(d, img->ref))
			continue;
		json_t *p = json_object_get(d, "platform");
		const char *pos = jstr(p, "os"), *parch = jstr(p, "architecture");
		if (pos && strcmp(pos, "unknown") == 0)
			continue; /* attestation manifests of BuildKit */
		candidates++;
		if (pos && parch)
			bw_buf_printf(&seen, "%s%s/%s%s%s", seen.len ? ", " : "", pos, parch,
				      jstr(p, "variant") ? "/" : "",
				      jstr(p, "variant") ? jstr(p, "variant") : "");
		if (!p || !pos) {
			if (!chosen)
				chosen = d;
			continue;
		}
		if (platform_matches(p, os, arch, variant) &&
		    (!chosen || !json_object_get(chosen, "platform")))
			chosen = d;
	}
	if (!chosen && candidates == 0) {
		bw_buf_release(&seen);
		if (img->ref)
			return bw_error_set(err, BW_ENOTFOUND, "%s: no image named '%s'", where, img->ref);
		return bw_error_set(err, BW_EINPUT, "%s: no image manifests listed", where);
	}
	if (!chosen) {
		int rc = bw_error_set(err, BW_ENOTFOUND,
				      "%s: no image for platform %s/%s%s%s (available: %s)", where, os, arch,
				      variant[0] ? "/" : "", variant, seen.data ? seen.data : "none");
		bw_buf_release(&seen);
		return rc;
	}
	bw_buf_release(&seen);

	if (is_index_type(jstr(chosen, "mediaType"))) {
		char *name = bw_blob_member_name(jstr(chosen, "digest"));
		json_t *sub = NULL;
		json_t *sz = json_object_get(chosen, "size");
		int rc = get_json(img, get, name, jstr(chosen, "digest"),
				  json_is_integer(sz) ? json_integer_value(sz) : -1, &sub, NULL, err);
		if (rc == 0) {
			if (!img->keep)
				img->keep = json_array();
			json_array_append_new(img->keep, sub); /* descriptors below point into it */
			rc = choose_manifest(img, get, sub, name, depth + 1, desc_out, err);
		}
		free(name);
		return rc;
	}
	*desc_out = chosen;
	return 0;
}

static int load_oci(struct bw_image *img, bw_blob_get_fn get, json_t *index, struct bw_error *err)
{
	json_t *desc = NULL;
	int rc = choose_manifest(img, get, index, "index.json", 0, &desc, err);
	if (rc < 0)
		return rc;
	const char *mdg = jstr(desc, "digest");
	img->info.digest = bw_img_str(img, mdg);
	char *mname = bw_blob_member_name(mdg);
	json_t *msz = json_object_get(desc, "size");
	json_t *mf = NULL;
	rc = get_json(img, get, mname, mdg, json_is_integer(msz) ? json_integer_value(msz) : -1, &mf, NULL,
		      err);
	if (rc < 0) {
		free(mname);
		return rc;
	}
	img->manifest = mf;
	json_t *cfgd = json_object_get(mf, "config");
	json_t *layers = json_object_get(mf, "layers");
	if (!json_is_object(cfgd) || !bw_digest_valid(jstr(cfgd, "digest")) || !json_is_array(layers)) {
		rc = bw_error_set(err, BW_EINPUT, "manifest %s: lacks a valid config descriptor or layers",
				  mname);
		free(mname);
		return rc;
	}
	if (json_array_size(layers) > BW_IMG_MAX_LAYERS) {
		free(mname);
		return bw_error_set(err, BW_ELIMIT, "manifest %s: more than %d layers", mdg,
				    BW_IMG_MAX_LAYERS);
	}
	const char *cdg = jstr(cfgd, "digest");
	char *cname = bw_blob_member_name(cdg);
	json_t *csz = json_object_get(cfgd, "size");
	json_t *config = NULL;
	rc = get_json(img, get, cname, cdg, json_is_integer(csz) ? json_integer_value(csz) : -1, &config,
		      NULL, err);
	if (rc == 0) {
		img->info.config_digest = bw_img_str(img, cdg);
		rc = bw_meta_apply_config(img, config, cname, err);
		json_decref(config);
	}
	free(cname);
	if (rc < 0) {
		free(mname);
		return rc;
	}
	size_t n = json_array_size(layers);
	bw_image_alloc_layers(img, n);
	for (size_t i = 0; i < n && rc == 0; i++) {
		json_t *l = json_array_get(layers, i);
		const char *d = jstr(l, "digest");
		if (!bw_digest_valid(d)) {
			rc = bw_error_set(err, BW_EINPUT, "manifest %s: layers[%zu] has no valid digest", mdg,
					  i);
			break;
		}
		char *m = bw_blob_member_name(d);
		img->refs[i].member = bw_img_str(img, m);
		free(m);
		img->refs[i].expect_digest = bw_img_str(img, d);
		json_t *sz = json_object_get(l, "size");
		img->refs[i].expect_size = json_is_integer(sz) ? json_integer_value(sz) : -1;
		img->layer_ptrs[i]->digest = img->refs[i].expect_digest;
		img->layer_ptrs[i]->compressed_size = img->refs[i].expect_size;
		img->layer_ptrs[i]->media_type = bw_img_str(img, jstr(l, "mediaType"));
	}
	if (rc == 0)
		rc = attach_config_to_layers(img, mname, err);
	free(mname);
	return rc;
}

int bw_meta_load_with(struct bw_image *img, bw_blob_get_fn get, struct bw_error *err)
{
	struct bw_error probe = BW_ERROR_INIT;
	json_t *mf = NULL;
	int rc = get_json(img, get, "manifest.json", NULL, -1, &mf, NULL, &probe);
	if (rc == 0) {
		rc = load_docker_manifest(img, get, mf, err);
		json_decref(mf);
		if (rc == 0) {
			/* engines >= 25 also write index.json: take the manifest digest from it */
			json_t *idx = NULL;
			struct bw_error ignore = BW_ERROR_INIT;
			if (get_json(img, get, "index.json", NULL, -1, &idx, NULL, &ignore) == 0) {
				json_t *m0 = json_array_get(json_object_get(idx, "manifests"), 0);
				if (json_array_size(json_object_get(idx, "manifests")) == 1 &&
				    bw_digest_valid(jstr(m0, "digest")))
					img->info.digest = bw_img_str(img, jstr(m0, "digest"));
				json_decref(idx);
			}
		}
		return rc;
	}
	if (probe.code != BW_ENOTFOUND) {
		*err = probe;
		return probe.code;
	}
	json_t *index = NULL;
	rc = get_json(img, get, "index.json", NULL, -1, &index, NULL, &probe);
	if (rc < 0) {
		if (probe.code == BW_ENOTFOUND)
			return bw_error_set(err, BW_EINPUT,
					    "%s: not an image: neither manifest.json nor index.json found",
					    img->location);
		*err = probe;
		return probe.code;
	}
	img->index = index;
	return load_oci(img, get, index, err);
}

/* Small blobs held in memory by archive sources. */
static int get_small(struct bw_image *img, const char *name, struct bw_buf *out, struct bw_error *err)
{
	const struct small_blob *b = bw_image_find_blob(img, name);
	if (!b) {
		/* a streamed member is kept only when it is small and looks
		 * like JSON (stream.c): say which it was not */
		struct member *m = bw_image_find_member(img, name);
		if (m && !m->symlink && m->size > (int64_t)BW_IMG_MAX_META)
			return bw_error_set(err, BW_ELIMIT, "%s: larger than %u bytes", name,
					    BW_IMG_MAX_META);
		if (m && !m->symlink && m->size == 0)
			return bw_error_set(err, BW_EINPUT, "%s: empty, not JSON", name);
		if (m && !m->symlink)
			return bw_error_set(err, BW_EINPUT,
					    "%s: not valid JSON: it does not begin with '{' or '['", name);
		return bw_error_set(err, BW_ENOTFOUND, "blob %s is missing from %s", name, img->location);
	}
	if (bw_buf_add(out, b->data, b->len) < 0)
		return bw_error_set(err, BW_ELIMIT, "%s: larger than %zu bytes", name, out->max);
	return 0;
}

int bw_meta_load(struct bw_image *img, struct bw_error *err)
{
	return bw_meta_load_with(img, get_small, err);
}
