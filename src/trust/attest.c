/* Attestations as cosign keeps them: an in-toto Statement (the image as its
 * subject, a typed predicate) in a DSSE envelope signed over its
 * pre-authentication encoding (PAE), pushed as a layer of media type
 * application/vnd.dsse.envelope.v1+json (annotations: an empty
 * dev.cosignproject.cosign/signature and the predicateType) of the image
 * tagged sha256-<hex>.att, or as an OCI 1.1 referrer.
 *
 * Verification checks every such layer: the envelope strict, its payload
 * type in-toto's, one of its signatures over the PAE with the key, the
 * statement strict, the image's digest among its subjects (else it is an
 * attestation of another image), and the predicate type asked for. */
#include <jansson.h>

#include "trust-int.h"

static const struct {
	const char *name, *uri;
} predicate_types[] = {
    {"cyclonedx", "https://cyclonedx.org/bom"},
    {"spdx", "https://spdx.dev/Document"},
    {"spdxjson", "https://spdx.dev/Document"},
    {"vuln", "https://cosign.sigstore.dev/attestation/vuln/v1"},
    {"openvex", "https://openvex.dev/ns"},
    {"slsaprovenance", "https://slsa.dev/provenance/v0.2"},
    {"slsaprovenance02", "https://slsa.dev/provenance/v0.2"},
    {"slsaprovenance1", "https://slsa.dev/provenance/v1"},
    {"custom", "https://cosign.sigstore.dev/attestation/v1"},
};

const char *bw_trust_predicate_type(const char *type)
{
	if (!type)
		return NULL;
	for (size_t i = 0; i < BW_ARRAY_SIZE(predicate_types); i++)
		if (strcmp(type, predicate_types[i].name) == 0)
			return predicate_types[i].uri;
	/* a URI names a predicate type of its own, as cosign allows */
	if (strncmp(type, "https://", 8) == 0 || strncmp(type, "http://", 7) == 0)
		return type;
	return NULL;
}

int trust_pae(const char *payload_type, const void *payload, size_t len, struct bw_buf *out)
{
	return bw_buf_printf(out, "DSSEv1 %zu %s %zu ", strlen(payload_type), payload_type, len) |
	       bw_buf_add(out, payload, len);
}

void bw_trust_attested_release(struct bw_trust_attested *a)
{
	free(a->statement);
	free(a->envelope);
	memset(a, 0, sizeof(*a));
}

int bw_trust_attest_image(const struct bw_trust_image *img, const struct bw_trust_attest_opts *o,
			  struct bw_trust_attested *out, struct bw_error *err)
{
	memset(out, 0, sizeof(*out));
	const char *uri = bw_trust_predicate_type(o->type);
	if (!uri)
		return bw_error_set(err, BW_EUSAGE,
				    "'%s' is not a predicate type (cyclonedx, spdx, spdxjson, vuln, openvex, "
				    "slsaprovenance, slsaprovenance02, slsaprovenance1, custom, or a URI)",
				    o->type ? o->type : "");
	json_t *pred = trust_json_parse(o->predicate, o->predicate_len, BW_TRUST_PREDICATE_MAX,
					BW_TRUST_JSON_DEPTH, "the predicate", err);
	if (!pred)
		return err ? err->code : BW_EINPUT;
	if (!json_is_object(pred)) {
		json_decref(pred);
		return bw_error_set(err, BW_EINPUT, "the predicate is not a JSON object");
	}
	const char *name = o->subject_name ? o->subject_name : img->repository;
	json_t *st = json_pack("{s:s, s:[{s:s, s:{s:s}}], s:s, s:o}", "_type", BW_TRUST_STATEMENT_TYPE,
			       "subject", "name", name ? name : img->name, "digest", "sha256",
			       bw_digest_hex(img->digest), "predicateType", uri, "predicate", pred);
	char *stmt = st ? json_dumps(st, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(st);
	if (!stmt)
		return bw_error_set(err, BW_ENOMEM, "the statement could not be written");
	out->statement = stmt;
	struct bw_buf pae, sig;
	bw_buf_init(&pae, BW_TRUST_PREDICATE_MAX * 2);
	bw_buf_init(&sig, 4096);
	int rc = trust_pae(BW_TRUST_INTOTO_TYPE, stmt, strlen(stmt), &pae)
		     ? bw_error_set(err, BW_ELIMIT, "the statement is too large")
		     : 0;
	if (rc == 0)
		rc = bw_trust_key_sign(o->key, pae.data, pae.len, &sig, err);
	if (rc == 0) {
		bw_autofree char *p64 = trust_b64_encode(stmt, strlen(stmt));
		bw_autofree char *s64 = trust_b64_encode(sig.data, sig.len);
		/* as cosign writes it: payloadType, payload, signatures[{keyid, sig}] */
		json_t *env = json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "payloadType", BW_TRUST_INTOTO_TYPE,
					"payload", p64, "signatures", "keyid", "", "sig", s64);
		out->envelope = json_dumps(env, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(env);
	}
	bw_buf_release(&pae);
	bw_buf_release(&sig);
	if (rc < 0 || o->no_push)
		return rc;
	if (!img->reg)
		return bw_error_set(err, BW_EUSAGE, "%s: a local image: nothing to push to", img->name);
	struct bw_buf blob;
	bw_buf_init(&blob, BW_TRUST_PREDICATE_MAX * 2);
	bw_buf_addstr(&blob, out->envelope);
	json_t *ann = json_pack("{s:s, s:s}", BW_TRUST_SIG_ANNOTATION, "", "predicateType", uri);
	bool already;
	rc = trust_push_layer(img, o->mode, "att", BW_TRUST_ARTIFACT_ATT, BW_TRUST_DSSE_MEDIA_TYPE, &blob,
			      ann, NULL, out->where, sizeof(out->where), &already, err);
	bw_buf_release(&blob);
	return rc;
}

/* ---- verification ---- */

static void check_envelope(const struct bw_trust_image *img, const struct bw_trust_verify_opts *o,
			   struct bw_trust_check *c, const char *data, size_t len)
{
	struct bw_error e = BW_ERROR_INIT;
	json_t *env =
	    trust_json_parse(data, len, BW_TRUST_PREDICATE_MAX * 2, BW_TRUST_JSON_DEPTH, "the envelope", &e);
	if (!env) {
		trust_check_fail(c, "%s", e.msg);
		return;
	}
	const char *pt = json_string_value(json_object_get(env, "payloadType"));
	const char *p64 = json_string_value(json_object_get(env, "payload"));
	json_t *sigs = json_object_get(env, "signatures");
	unsigned char *payload = NULL;
	size_t plen = 0;
	json_t *st = NULL;
	if (!pt || !p64 || !json_is_array(sigs) || json_array_size(sigs) == 0 || json_array_size(sigs) > 16) {
		trust_check_fail(c, "not a DSSE envelope (payloadType, payload, 1 to 16 signatures)");
	} else if (strcmp(pt, BW_TRUST_INTOTO_TYPE) != 0) {
		trust_check_fail(c, "the envelope's payloadType is '%.100s', not in-toto's", pt);
	} else if (!trust_b64_decode(p64, strlen(p64), BW_TRUST_PREDICATE_MAX, &payload, &plen)) {
		trust_check_fail(c, "the envelope's payload is not valid base64 (or passes %u bytes)",
				 BW_TRUST_PREDICATE_MAX);
	} else {
		struct bw_buf pae;
		bw_buf_init(&pae, BW_TRUST_PREDICATE_MAX * 2);
		bool ok = false;
		if (trust_pae(pt, payload, plen, &pae) == 0) {
			size_t i;
			json_t *s;
			json_array_foreach(sigs, i, s)
			{
				const char *sv = json_string_value(json_object_get(s, "sig"));
				unsigned char *raw;
				size_t n;
				if (!sv || !trust_b64_decode(sv, strlen(sv), 4096, &raw, &n))
					continue;
				ok = bw_trust_key_verify(o->key, pae.data, pae.len, raw, n, NULL) == 0;
				free(raw);
				if (ok)
					break;
			}
		}
		bw_buf_release(&pae);
		if (!ok)
			trust_check_fail(c,
					 "no signature of the envelope verifies with the key (over its PAE)");
	}
	if (!c->reason) {
		st = trust_json_parse((const char *)payload, plen, BW_TRUST_PREDICATE_MAX,
				      BW_TRUST_JSON_DEPTH, "the statement", &e);
		if (!st)
			trust_check_fail(c, "signed, but %s", e.msg);
	}
	const char *type = json_string_value(json_object_get(st, "_type"));
	const char *ptype = json_string_value(json_object_get(st, "predicateType"));
	json_t *subj = json_object_get(st, "subject");
	if (st && !c->reason) {
		if (!type ||
		    (strcmp(type, BW_TRUST_STATEMENT_TYPE) != 0 && strcmp(type, BW_TRUST_STATEMENT_V01) != 0))
			trust_check_fail(c, "signed, but the payload is not an in-toto Statement");
		else if (!ptype || !json_is_array(subj) || !json_object_get(st, "predicate"))
			trust_check_fail(
			    c, "signed, but the statement lacks a subject, predicateType or predicate");
	}
	if (st && !c->reason) {
		bool found = false;
		size_t i;
		json_t *s;
		json_array_foreach(subj, i, s)
		{
			const char *h =
			    json_string_value(json_object_get(json_object_get(s, "digest"), "sha256"));
			if (h && strcmp(h, bw_digest_hex(img->digest)) == 0)
				found = true;
		}
		const char *want = bw_trust_predicate_type(o->type);
		if (!found)
			trust_check_fail(
			    c, "the statement's subjects do not include %s (an attestation of another image)",
			    img->digest);
		else if (o->type && (!want || strcmp(ptype, want) != 0))
			trust_check_fail(c, "the predicate type is '%.200s', not %s", ptype,
					 want ? want : o->type);
	}
	if (!c->reason) {
		c->ok = true;
		c->payload = bw_strndup((const char *)payload, plen);
		c->predicate_type = bw_strdup(ptype);
	}
	json_decref(st);
	json_decref(env);
	free(payload);
}

struct att_walk {
	const struct bw_trust_verify_opts *o;
	struct bw_trust_result *res;
};

static int att_fn(const struct bw_trust_image *img, const struct trust_sigimage *s, const char *where,
		  void *ud, struct bw_error *err)
{
	struct att_walk *w = ud;
	for (size_t i = 0; i < s->n; i++) {
		if (w->res->n >= BW_TRUST_MAX_SIGNATURES)
			return bw_error_set(
			    err, BW_ELIMIT,
			    "%s: more than %d attestations: refusing to read on (fail closed)", img->name,
			    BW_TRUST_MAX_SIGNATURES);
		const struct trust_layer *l = &s->layers[i];
		char src[600];
		snprintf(src, sizeof(src), "%s layer %zu", where, i);
		struct bw_trust_check *c = trust_result_add(w->res, src);
		if (strcmp(l->media_type, BW_TRUST_DSSE_MEDIA_TYPE) != 0) {
			trust_check_fail(c, "a layer of media type '%.100s', not a DSSE envelope",
					 l->media_type);
			continue;
		}
		if (l->size > (int64_t)BW_TRUST_PREDICATE_MAX * 2) {
			trust_check_fail(c, "the envelope is %lld bytes, more than the %u read",
					 (long long)l->size, BW_TRUST_PREDICATE_MAX * 2);
			continue;
		}
		struct bw_buf b;
		bw_buf_init(&b, BW_TRUST_PREDICATE_MAX * 2);
		struct bw_error e = BW_ERROR_INIT;
		int rc = bw_registry_get_blob(img->reg, img->ref.repo, l->digest, &b, &e);
		if (rc == BW_EREMOTE || rc == BW_EIO || rc == BW_ENOMEM) {
			bw_buf_release(&b);
			*err = e;
			return rc;
		}
		if (rc < 0)
			trust_check_fail(c, "%s", e.msg);
		else
			check_envelope(img, w->o, c, b.data ? b.data : "", b.len);
		bw_buf_release(&b);
		if (w->res->checks[w->res->n - 1].ok)
			w->res->n_ok++;
	}
	return 0;
}

int bw_trust_verify_attestations(const struct bw_trust_image *img, const struct bw_trust_verify_opts *o,
				 struct bw_trust_result *res, struct bw_error *err)
{
	memset(res, 0, sizeof(*res));
	if (!img->reg)
		return bw_error_set(err, BW_EUSAGE, "%s: a local image keeps no attestations", img->name);
	if (o->type && !bw_trust_predicate_type(o->type))
		return bw_error_set(err, BW_EUSAGE, "'%s' is not a predicate type", o->type);
	struct att_walk w = {.o = o, .res = res};
	return trust_each_sigimage(img, "att", BW_TRUST_ARTIFACT_ATT, att_fn, &w, err);
}
