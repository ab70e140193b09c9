/* Signing an image as cosign does: the simple-signing payload of its
 * digest, signed with the key, pushed as a layer of the signature image
 * (appended to those already there, as cosign appends) or as an OCI 1.1
 * referrer. A payload already signed with the same key is not added again
 * (cosign's duplicate detector). */
#include <jansson.h>

#include "trust-int.h"

void bw_trust_signed_release(struct bw_trust_signed *s)
{
	bw_buf_release(&s->payload);
	free(s->signature_b64);
	memset(s, 0, sizeof(*s));
}

/* Is there a layer in s with this payload digest whose signature verifies
 * with key over payload? */
static bool already_signed(const struct trust_sigimage *s, const char *payload_digest,
			   const struct bw_trust_key *k, const struct bw_buf *payload)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct trust_layer *l = &s->layers[i];
		const char *sig = trust_layer_annotation(l, BW_TRUST_SIG_ANNOTATION);
		if (strcmp(l->digest, payload_digest) != 0 || !sig)
			continue;
		unsigned char *raw = NULL;
		size_t n = 0;
		if (!trust_b64_decode(sig, strlen(sig), 4096, &raw, &n))
			continue;
		bool ok = bw_trust_key_verify(k, payload->data, payload->len, raw, n, NULL) == 0;
		free(raw);
		if (ok)
			return true;
	}
	return false;
}

int trust_push_layer(const struct bw_trust_image *img, enum bw_trust_mode mode, const char *suffix,
		     const char *artifact_type, const char *media_type, const struct bw_buf *blob,
		     json_t *annotations, const struct bw_trust_key *dupe_key, char *where, size_t wherelen,
		     bool *already, struct bw_error *err)
{
	const char *repo = img->ref.repo;
	char blob_digest[BW_DIGEST_STR_MAX];
	*already = false;
	int rc = bw_registry_put_blob(img->reg, repo, blob->data, blob->len, blob_digest, err);
	if (rc < 0) {
		json_decref(annotations);
		return rc;
	}
	struct trust_sigimage s = {0};
	if (mode == BW_TRUST_MODE_TAG) {
		char tag[128];
		trust_tag_for(img->digest, suffix, tag, sizeof(tag));
		bool found;
		rc = trust_sigimage_fetch(img->reg, repo, tag, &s, &found, err);
		if (rc == 0 && dupe_key && already_signed(&s, blob_digest, dupe_key, blob))
			*already = true;
		else if (rc == 0 && trust_sigimage_add(&s, media_type, (int64_t)blob->len, blob_digest,
						       json_incref(annotations)) < 0)
			rc = bw_error_set(
			    err, BW_ELIMIT,
			    "%s/%s:%s already holds %d signatures, cosign's limit: not adding another",
			    bw_registry_host(img->reg), repo, tag, BW_TRUST_MAX_SIGNATURES);
		if (rc == 0 && !*already)
			rc = trust_sigimage_push(img->reg, repo, &s, tag, NULL, NULL, NULL, err);
		if (rc == 0)
			snprintf(where, wherelen, "%s/%s:%s", bw_registry_host(img->reg), repo, tag);
	} else {
		struct trust_subject subj = {
		    .media_type = img->media_type, .digest = img->digest, .size = img->size};
		char mdg[BW_DIGEST_STR_MAX];
		trust_sigimage_add(&s, media_type, (int64_t)blob->len, blob_digest, json_incref(annotations));
		rc = trust_sigimage_push(img->reg, repo, &s, NULL, &subj, artifact_type, mdg, err);
		if (rc == 0)
			snprintf(where, wherelen, "%s/%s@%s (referrer of %s)", bw_registry_host(img->reg),
				 repo, mdg, img->digest);
	}
	trust_sigimage_release(&s);
	json_decref(annotations);
	return rc;
}

int bw_trust_sign_image(const struct bw_trust_image *img, const struct bw_trust_sign_opts *o,
			struct bw_trust_signed *out, struct bw_error *err)
{
	memset(out, 0, sizeof(*out));
	bw_buf_init(&out->payload, BW_TRUST_PAYLOAD_MAX);
	const char *ref = o->reference ? o->reference : img->repository;
	if (!ref)
		return bw_error_set(err, BW_EUSAGE,
				    "%s: a local image has no repository to claim: name one with --reference",
				    img->name);
	int rc =
	    bw_trust_payload_make(ref, img->digest, o->annotations, o->n_annotations, &out->payload, err);
	struct bw_buf sig;
	bw_buf_init(&sig, 4096);
	if (rc == 0)
		rc = bw_trust_key_sign(o->key, out->payload.data, out->payload.len, &sig, err);
	if (rc == 0)
		out->signature_b64 = trust_b64_encode(sig.data, sig.len);
	bw_buf_release(&sig);
	if (rc < 0 || o->no_push)
		return rc;
	if (!img->reg)
		return bw_error_set(err, BW_EUSAGE,
				    "%s: a local image: nothing to push to; write the signature with "
				    "--output-signature and --output-payload",
				    img->name);
	json_t *ann = json_pack("{s:s}", BW_TRUST_SIG_ANNOTATION, out->signature_b64);
	return trust_push_layer(img, o->mode, "sig", BW_TRUST_ARTIFACT_SIG, BW_TRUST_SIG_MEDIA_TYPE,
				&out->payload, ann, o->key, out->where, sizeof(out->where), &out->already,
				err);
}
