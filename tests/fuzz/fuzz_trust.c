/* libFuzzer harness: src/trust's readers of untrusted documents. The first
 * byte chooses: 0 a simple-signing payload, 1 a signature image manifest,
 * 2 a Sigstore bundle verified against a trusted root and an artifact (the
 * rest split at the first two NUL bytes: bundle, root, artifact), 3 any
 * JSON through the strict reader; a first byte of 0xF4 (taken from no other
 * choice's seeds) TUF metadata as Notary writes it: checked as a root
 * against its own root keys, its canonical form, and its bytes against
 * the meta it gives for a snapshot. Every failure must explain itself;
 * nothing may crash, leak or read out of bounds. */
#include <stdint.h>

#include <jansson.h>

#include "trust/trust-int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned sel = data[0] == 0xF4 ? 4 : data[0] % 4;
	const char *text = (const char *)data + 1;
	size--;
	struct bw_error err = BW_ERROR_INIT;
	int rc = 0;
	if (sel == 0) {
		struct bw_trust_payload p;
		rc = bw_trust_payload_parse(text, size, &p, &err);
		if (rc == 0)
			bw_trust_payload_release(&p);
	} else if (sel == 1) {
		struct trust_sigimage s;
		rc = trust_sigimage_parse(text, size, "fuzz", &s, &err);
		if (rc == 0)
			trust_sigimage_release(&s);
	} else if (sel == 2) {
		const char *root = memchr(text, '\0', size);
		size_t blen = root ? (size_t)(root - text) : size;
		size_t rest = root ? size - blen - 1 : 0;
		root = root ? root + 1 : "";
		const char *art = memchr(root, '\0', rest);
		size_t rlen = art ? (size_t)(art - root) : rest;
		size_t alen = art ? rest - rlen - 1 : 0;
		art = art ? art + 1 : NULL;
		struct bw_trust_bundle_policy pol = {
		    .identity =
			"https://github.com/acme/widget/.github/workflows/release.yml@refs/heads/main",
		    .issuer = "https://token.actions.githubusercontent.com"};
		struct bw_trust_bundle_result res;
		rc = bw_trust_bundle_verify(text, blen, root, rlen, art, alen, &pol, &res, &err);
		bw_trust_bundle_result_release(&res);
	} else if (sel == 4) {
		json_t *doc = trust_json_parse(text, size, TRUST_TUF_MAX, BW_TRUST_JSON_DEPTH, "fuzz", &err);
		json_t *sig = json_object_get(doc, "signed"), *out = NULL;
		struct bw_buf b;
		bw_buf_init(&b, TRUST_TUF_MAX);
		if (doc && trust_canonical_json(&b, doc) == 0 && b.len == 0)
			abort(); /* a document has a canonical form */
		bw_buf_release(&b);
		rc = trust_tuf_check("root", "Root", text, size, json_object_get(sig, "keys"),
				     json_object_get(json_object_get(sig, "roles"), "root"), 1765000000,
				     "x/y", &out, &err);
		json_decref(out);
		if (rc == 0 || rc == BW_EINTEGRITY) {
			bw_error_clear(&err);
			rc = trust_tuf_meta_check("snapshot",
						  json_object_get(json_object_get(sig, "meta"), "snapshot"),
						  text, size, &err);
		}
		json_decref(doc);
	} else {
		json_t *j = trust_json_parse(text, size, 1u << 20, BW_TRUST_JSON_DEPTH, "fuzz", &err);
		if (!j)
			rc = err.code ? err.code : BW_EINPUT;
		json_decref(j);
	}
	if (rc < 0 && !err.msg[0])
		abort(); /* every failure explains itself */
	return 0;
}
