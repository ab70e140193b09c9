/* The images cosign keeps signatures and attestations in: an OCI manifest
 * whose layers are the signed payloads (simple-signing JSON, or DSSE
 * envelopes), each layer's signature in its annotations, and a
 * go-containerregistry configuration listing the layers. Tagged
 * sha256-<hex>.sig / .att beside the image, or pushed by digest as an OCI
 * 1.1 referrer with the image as subject.
 *
 * Written as go-containerregistry writes them (cosign builds them with it):
 *   config   {"architecture":"","created":"0001-01-01T00:00:00Z",
 *             "history":[{"created":"0001-01-01T00:00:00Z"},…],"os":"",
 *             "rootfs":{"type":"layers","diff_ids":[…]},"config":{}}
 *   manifest {"schemaVersion":2,"mediaType":"…manifest.v1+json",
 *             "config":{"mediaType","size","digest"},
 *             "layers":[{"mediaType","size","digest","annotations":{…}}],
 *             "subject":{…},"artifactType":"…"}   (the last two: referrers)
 * descriptor fields in that order, annotation keys sorted.
 */
#include <jansson.h>

#include "trust-int.h"

#define OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define GO_ZERO_TIME "0001-01-01T00:00:00Z"

void trust_sigimage_release(struct trust_sigimage *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->layers[i].media_type);
		json_decref(s->layers[i].annotations);
	}
	free(s->layers);
	memset(s, 0, sizeof(*s));
}

int trust_sigimage_add(struct trust_sigimage *s, const char *media_type, int64_t size, const char *digest,
		       json_t *annotations)
{
	if (s->n >= BW_TRUST_MAX_SIGNATURES)
		return BW_ELIMIT;
	BW_ALLOC_GROW(s->layers, s->n + 1, s->cap);
	struct trust_layer *l = &s->layers[s->n++];
	memset(l, 0, sizeof(*l));
	l->media_type = bw_strdup(media_type);
	l->size = size;
	snprintf(l->digest, sizeof(l->digest), "%s", digest);
	l->annotations = annotations ? annotations : json_object();
	return 0;
}

const char *trust_layer_annotation(const struct trust_layer *l, const char *key)
{
	return json_string_value(json_object_get(l->annotations, key));
}

int trust_sigimage_parse(const char *data, size_t len, const char *what, struct trust_sigimage *s,
			 struct bw_error *err)
{
	memset(s, 0, sizeof(*s));
	json_t *j = trust_json_parse(data, len, BW_REGISTRY_MANIFEST_MAX, BW_TRUST_JSON_DEPTH, what, err);
	if (!j)
		return err ? err->code : BW_EINPUT;
	json_t *layers = json_object_get(j, "layers");
	int rc = 0;
	if (!json_is_array(layers)) {
		rc = bw_error_set(err, BW_EINPUT, "%s: not an image manifest (no layers array)", what);
	} else if (json_array_size(layers) > BW_TRUST_MAX_SIGNATURES) {
		rc = bw_error_set(err, BW_ELIMIT,
				  "%s: %zu layers, more than the %d signatures read for one image", what,
				  json_array_size(layers), BW_TRUST_MAX_SIGNATURES);
	}
	size_t i;
	json_t *d;
	json_array_foreach(layers, i, d)
	{
		if (rc < 0)
			break;
		const char *mt = json_string_value(json_object_get(d, "mediaType"));
		const char *dg = json_string_value(json_object_get(d, "digest"));
		json_t *sz = json_object_get(d, "size"), *ann = json_object_get(d, "annotations");
		if (!mt || !dg || !bw_digest_valid(dg) || !json_is_integer(sz) ||
		    json_integer_value(sz) < 0 || (ann && !json_is_object(ann))) {
			rc = bw_error_set(
			    err, BW_EINPUT,
			    "%s: layer %zu is not a descriptor (mediaType, digest, size, annotations)", what,
			    i);
			break;
		}
		const char *k;
		json_t *v;
		json_object_foreach(ann, k, v)
		{
			if (!json_is_string(v)) {
				rc = bw_error_set(err, BW_EINPUT,
						  "%s: layer %zu: annotation %.60s is not a string", what, i,
						  k);
				break;
			}
		}
		if (rc == 0)
			trust_sigimage_add(s, mt, json_integer_value(sz), dg,
					   ann ? json_deep_copy(ann) : NULL);
	}
	json_decref(j);
	if (rc < 0)
		trust_sigimage_release(s);
	return rc;
}

int trust_sigimage_fetch(struct bw_registry *reg, const char *repo, const char *reference,
			 struct trust_sigimage *s, bool *found, struct bw_error *err)
{
	memset(s, 0, sizeof(*s));
	*found = false;
	struct bw_registry_manifest m;
	struct bw_error e = BW_ERROR_INIT;
	int rc = bw_registry_get_manifest(reg, repo, reference, &m, &e);
	if (rc == BW_ENOTFOUND)
		return 0;
	if (rc < 0) {
		*err = e;
		return rc;
	}
	bw_autofree char *what = bw_asprintf("%s/%s:%s", bw_registry_host(reg), repo, reference);
	rc = trust_sigimage_parse(m.data, m.len, what, s, err);
	bw_registry_manifest_release(&m);
	if (rc == 0)
		*found = true;
	return rc;
}

/* A descriptor as go-containerregistry orders it. */
static int put_descriptor(struct bw_buf *b, const char *mt, int64_t size, const char *digest, json_t *ann,
			  const char *artifact_type)
{
	int rc = bw_buf_addstr(b, "{\"mediaType\":");
	rc |= trust_gojson_str(b, mt, strlen(mt));
	rc |= bw_buf_printf(b, ",\"size\":%lld,\"digest\":", (long long)size);
	rc |= trust_gojson_str(b, digest, strlen(digest));
	if (json_object_size(ann)) {
		size_t n = json_object_size(ann), k = 0;
		const char **keys = bw_calloc(n, sizeof(char *));
		const char *key;
		json_t *v;
		json_object_foreach(ann, key, v) keys[k++] = key;
		for (size_t i = 1; i < n; i++)
			for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
				const char *t = keys[j];
				keys[j] = keys[j - 1];
				keys[j - 1] = t;
			}
		rc |= bw_buf_addstr(b, ",\"annotations\":{");
		for (size_t i = 0; i < n; i++) {
			const char *val = json_string_value(json_object_get(ann, keys[i]));
			rc |= bw_buf_addstr(b, i ? "," : "");
			rc |= trust_gojson_str(b, keys[i], strlen(keys[i]));
			rc |= bw_buf_addstr(b, ":");
			rc |= trust_gojson_str(b, val ? val : "", val ? strlen(val) : 0);
		}
		rc |= bw_buf_addstr(b, "}");
		free(keys);
	}
	if (artifact_type) {
		rc |= bw_buf_addstr(b, ",\"artifactType\":");
		rc |= trust_gojson_str(b, artifact_type, strlen(artifact_type));
	}
	return rc | bw_buf_addstr(b, "}");
}

static int make_config(const struct trust_sigimage *s, struct bw_buf *b)
{
	int rc = bw_buf_addstr(b, "{\"architecture\":\"\",\"created\":\"" GO_ZERO_TIME "\",\"history\":[");
	for (size_t i = 0; i < s->n; i++)
		rc |= bw_buf_addstr(b, i ? ",{\"created\":\"" GO_ZERO_TIME "\"}"
					 : "{\"created\":\"" GO_ZERO_TIME "\"}");
	rc |= bw_buf_addstr(b, "],\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[");
	for (size_t i = 0; i < s->n; i++)
		rc |= bw_buf_printf(b, "%s\"%s\"", i ? "," : "", s->layers[i].digest);
	return rc | bw_buf_addstr(b, "]},\"config\":{}}");
}

int trust_sigimage_push(struct bw_registry *reg, const char *repo, const struct trust_sigimage *s,
			const char *tag, const struct trust_subject *subject, const char *artifact_type,
			char *digest_out, struct bw_error *err)
{
	struct bw_buf cfg, man;
	bw_buf_init(&cfg, BW_REGISTRY_MANIFEST_MAX);
	bw_buf_init(&man, BW_REGISTRY_MANIFEST_MAX);
	int rc = make_config(s, &cfg)
		     ? bw_error_set(err, BW_ELIMIT, "the signature configuration passes 4 MiB")
		     : 0;
	char cfg_digest[BW_DIGEST_STR_MAX];
	if (rc == 0)
		rc = bw_registry_put_blob(reg, repo, cfg.data, cfg.len, cfg_digest, err);
	if (rc == 0) {
		int w = bw_buf_addstr(&man,
				      "{\"schemaVersion\":2,\"mediaType\":\"" OCI_MANIFEST "\",\"config\":");
		w |= put_descriptor(&man, artifact_type ? artifact_type : OCI_CONFIG, (int64_t)cfg.len,
				    cfg_digest, NULL, NULL);
		w |= bw_buf_addstr(&man, ",\"layers\":[");
		for (size_t i = 0; i < s->n; i++) {
			w |= bw_buf_addstr(&man, i ? "," : "");
			w |= put_descriptor(&man, s->layers[i].media_type, s->layers[i].size,
					    s->layers[i].digest, s->layers[i].annotations, NULL);
		}
		w |= bw_buf_addstr(&man, "]");
		if (subject) {
			w |= bw_buf_addstr(&man, ",\"subject\":");
			w |= put_descriptor(&man, subject->media_type, (int64_t)subject->size,
					    subject->digest, NULL, NULL);
		}
		if (artifact_type) {
			w |= bw_buf_addstr(&man, ",\"artifactType\":");
			w |= trust_gojson_str(&man, artifact_type, strlen(artifact_type));
		}
		w |= bw_buf_addstr(&man, "}");
		if (w)
			rc = bw_error_set(err, BW_ELIMIT, "the signature manifest passes 4 MiB");
	}
	char mdg[BW_DIGEST_STR_MAX];
	bool indexed = false;
	if (rc == 0) {
		bw_sha256_str(man.data, man.len, mdg);
		rc = bw_registry_put_manifest(reg, repo, tag ? tag : mdg, OCI_MANIFEST, man.data, man.len,
					      NULL, &indexed, err);
	}
	if (rc == 0 && subject && !indexed) {
		json_t *d =
		    json_pack("{s:s, s:I, s:s, s:s}", "mediaType", OCI_MANIFEST, "size", (json_int_t)man.len,
			      "digest", mdg, "artifactType", artifact_type ? artifact_type : OCI_CONFIG);
		rc = bw_registry_referrers_tag_add(reg, repo, subject->digest, d, err);
		json_decref(d);
	}
	if (rc == 0 && digest_out)
		memcpy(digest_out, mdg, sizeof(mdg));
	bw_buf_release(&cfg);
	bw_buf_release(&man);
	return rc;
}

int trust_tag_for(const char *digest, const char *suffix, char *out, size_t outlen)
{
	if (!bw_digest_valid(digest))
		return -1;
	size_t alg = strcspn(digest, ":");
	snprintf(out, outlen, "%.*s-%s.%s", (int)alg, digest, digest + alg + 1, suffix);
	return 0;
}
