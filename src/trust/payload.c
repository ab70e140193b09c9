/* cosign's simple-signing payload (containers/image's "atomic container
 * signature" JSON, with cosign's type):
 *
 *   {"critical":{"identity":{"docker-reference":"registry/repo"},
 *                "image":{"docker-manifest-digest":"sha256:…"},
 *                "type":"cosign container image signature"},
 *    "optional":null | {"key":"value",…}}
 *
 * Written exactly as cosign's Go code marshals it: struct fields in that
 * order, the optional map's keys sorted (byte order), no blanks, Go's
 * string escaping. Read strictly: the critical section and the top level
 * admit no other member and no duplicate (the signature format's own rule
 * for "critical"; cosign's reader would let unknown members pass unseen).
 */
#include <jansson.h>

#include "trust-int.h"

int bw_trust_payload_make(const char *docker_reference, const char *digest, const char *const *annotations,
			  size_t n_annotations, struct bw_buf *out, struct bw_error *err)
{
	if (!bw_digest_valid(digest))
		return bw_error_set(err, BW_EUSAGE, "'%s' is not a manifest digest", digest);
	/* "key=value" pairs: sorted by key, a key given twice refused */
	char **pairs = bw_calloc(n_annotations + 1, sizeof(char *));
	int rc = 0;
	for (size_t i = 0; i < n_annotations && rc == 0; i++) {
		const char *eq = strchr(annotations[i], '=');
		if (!eq || eq == annotations[i])
			rc = bw_error_set(err, BW_EUSAGE, "annotation '%s' is not KEY=VALUE", annotations[i]);
		pairs[i] = (char *)annotations[i];
	}
	/* Go's map order: keys sorted bytewise */
	for (size_t i = 1; i < n_annotations && rc == 0; i++)
		for (size_t j = i; j > 0; j--) {
			size_t a = strcspn(pairs[j - 1], "="), b = strcspn(pairs[j], "=");
			int c = memcmp(pairs[j - 1], pairs[j], a < b ? a : b);
			if (c < 0 || (c == 0 && a <= b))
				break;
			char *t = pairs[j];
			pairs[j] = pairs[j - 1];
			pairs[j - 1] = t;
		}
	for (size_t i = 1; i < n_annotations && rc == 0; i++) {
		size_t a = strcspn(pairs[i - 1], "="), b = strcspn(pairs[i], "=");
		if (a == b && strncmp(pairs[i - 1], pairs[i], a) == 0)
			rc = bw_error_set(err, BW_EUSAGE, "annotation '%.*s' is given twice", (int)a,
					  pairs[i]);
	}
	if (rc == 0) {
		rc |= bw_buf_addstr(out, "{\"critical\":{\"identity\":{\"docker-reference\":");
		rc |= trust_gojson_str(out, docker_reference, strlen(docker_reference));
		rc |= bw_buf_addstr(out, "},\"image\":{\"docker-manifest-digest\":");
		rc |= trust_gojson_str(out, digest, strlen(digest));
		rc |= bw_buf_addstr(out, "},\"type\":\"" BW_TRUST_COSIGN_TYPE "\"},\"optional\":");
		if (!n_annotations)
			rc |= bw_buf_addstr(out, "null");
		for (size_t i = 0; i < n_annotations; i++) {
			size_t k = strcspn(pairs[i], "=");
			rc |= bw_buf_addstr(out, i ? "," : "{");
			rc |= trust_gojson_str(out, pairs[i], k);
			rc |= bw_buf_addstr(out, ":");
			rc |= trust_gojson_str(out, pairs[i] + k + 1, strlen(pairs[i] + k + 1));
		}
		if (n_annotations)
			rc |= bw_buf_addstr(out, "}");
		rc |= bw_buf_addstr(out, "}");
		if (rc)
			rc = bw_error_set(err, BW_ELIMIT, "the payload does not fit in %zu bytes", out->max);
	}
	free(pairs);
	return rc;
}

void bw_trust_payload_release(struct bw_trust_payload *p)
{
	free(p->docker_reference);
	json_decref(p->optional);
	memset(p, 0, sizeof(*p));
}

/* Every member of o is one of the names in allowed (NULL-terminated). */
static const char *unknown_member(json_t *o, const char *const *allowed)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v)
	{
		const char *const *a = allowed;
		while (*a && strcmp(*a, k) != 0)
			a++;
		if (!*a)
			return k;
	}
	return NULL;
}

int bw_trust_payload_parse(const char *data, size_t len, struct bw_trust_payload *p, struct bw_error *err)
{
	memset(p, 0, sizeof(*p));
	json_t *j =
	    trust_json_parse(data, len, BW_TRUST_PAYLOAD_MAX, BW_TRUST_JSON_DEPTH, "the payload", err);
	if (!j)
		return err ? err->code : BW_EINPUT;
	static const char *const top[] = {"critical", "optional", NULL};
	static const char *const crit[] = {"identity", "image", "type", NULL};
	static const char *const ident[] = {"docker-reference", NULL};
	static const char *const img[] = {"docker-manifest-digest", NULL};
	json_t *c = json_object_get(j, "critical");
	json_t *id = json_object_get(c, "identity"), *im = json_object_get(c, "image");
	const char *type = json_string_value(json_object_get(c, "type"));
	const char *ref = json_string_value(json_object_get(id, "docker-reference"));
	const char *dg = json_string_value(json_object_get(im, "docker-manifest-digest"));
	json_t *opt = json_object_get(j, "optional");
	const char *bad;
	int rc = 0;
	if (!json_is_object(j) || !json_is_object(c) || !json_is_object(id) || !json_is_object(im))
		rc = bw_error_set(err, BW_EINPUT,
				  "the payload is not a simple-signing document (critical.identity "
				  "and critical.image objects)");
	else if ((bad = unknown_member(j, top)) || (bad = unknown_member(c, crit)) ||
		 (bad = unknown_member(id, ident)) || (bad = unknown_member(im, img)))
		rc = bw_error_set(err, BW_EINPUT, "the payload has an unexpected member \"%.80s\"", bad);
	else if (!type || strcmp(type, BW_TRUST_COSIGN_TYPE) != 0)
		rc = bw_error_set(err, BW_EINPUT,
				  "the payload's critical.type is not \"" BW_TRUST_COSIGN_TYPE "\"");
	else if (!ref)
		rc = bw_error_set(err, BW_EINPUT,
				  "the payload has no critical.identity.docker-reference string");
	else if (!dg || !bw_digest_valid(dg))
		rc = bw_error_set(err, BW_EINPUT,
				  "the payload's critical.image.docker-manifest-digest is not a digest");
	else if (opt && !json_is_null(opt) && !json_is_object(opt))
		rc = bw_error_set(err, BW_EINPUT,
				  "the payload's optional member is neither null nor an object");
	if (rc == 0) {
		p->docker_reference = bw_strdup(ref);
		snprintf(p->digest, sizeof(p->digest), "%s", dg);
		p->optional = json_is_object(opt) ? json_incref(opt) : NULL;
	}
	json_decref(j);
	return rc;
}
