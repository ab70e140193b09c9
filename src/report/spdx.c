/* SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/).
 *
 * The document DESCRIBES one package for the scanned target (purpose
 * CONTAINER for images, else FILE), which CONTAINS the operating system
 * (purpose OPERATING_SYSTEM) and every package found (LIBRARY, with its
 * purl as a PACKAGE-MANAGER external reference). Package-to-package
 * relations are DEPENDS_ON. SPDXIDs are "SPDXRef-Package-N" (the spec's
 * idstring is letters, digits, "." and "-"). licenseDeclared must be an
 * SPDX licence expression: a declared string that looks like one (SPDX
 * ids joined by AND, OR, WITH, parentheses) is used as it is, anything
 * else is NOASSERTION with the original words in licenseComments.
 * Digests of the package's file are its "checksums" (SHA1 … SHA512); Go's h1
 * sum and apk's Q1 checksum, which hash something else, are named in the
 * package's comment instead.
 */
#include "report-int.h"

static json_t *rel(const char *a, const char *type, const char *b)
{
	json_t *r = json_object();
	json_object_set_new(r, "spdxElementId", json_string(a));
	json_object_set_new(r, "relationshipType", json_string(type));
	json_object_set_new(r, "relatedSpdxElement", json_string(b));
	return r;
}

/* An SPDX agent: "Organization: NAME", or "Person: NAME (EMAIL)" from
 * "NAME <EMAIL>"; in b (reused). */
static const char *agent(const char *s, bool org, struct bw_buf *b)
{
	struct bw_slice name, email;
	bw_report_split_contact(s, &name, &email);
	bw_buf_reset(b);
	bw_buf_printf(b, "%s: %.*s", org ? "Organization" : "Person", (int)name.len, name.ptr);
	if (email.len)
		bw_buf_printf(b, " (%.*s)", (int)email.len, email.ptr);
	return b->data ? b->data : "";
}

static json_t *package(const char *id, const char *name, const char *version, const char *purpose)
{
	json_t *p = json_object();
	json_object_set_new(p, "SPDXID", json_string(id));
	json_object_set_new(p, "name", json_string(name && *name ? name : "-"));
	if (version && *version)
		json_object_set_new(p, "versionInfo", json_string(version));
	json_object_set_new(p, "downloadLocation", json_string("NOASSERTION"));
	json_object_set_new(p, "filesAnalyzed", json_false());
	json_object_set_new(p, "primaryPackagePurpose", json_string(purpose));
	return p;
}

int bw_report_write_spdx(const struct bw_report *r, FILE *out, const struct bw_write_opts *opts,
			 struct bw_error *err)
{
	char uuid[37], ts[32];
	bw_report_uuid4(uuid);
	bw_report_timestamp(ts);
	json_t *root = json_object();
	json_object_set_new(root, "spdxVersion", json_string("SPDX-2.3"));
	json_object_set_new(root, "dataLicense", json_string("CC0-1.0"));
	json_object_set_new(root, "SPDXID", json_string("SPDXRef-DOCUMENT"));
	const char *tname = r->target.name ? r->target.name : "-";
	json_object_set_new(root, "name", json_string(tname));
	char *ns = bw_asprintf("https://spdx.org/spdxdocs/bulwark-%s", uuid);
	json_object_set_new(root, "documentNamespace", json_string(ns));
	free(ns);
	json_t *ci = json_object(), *creators = json_array();
	char *tool = bw_asprintf("Tool: bulwark-%s", opts->tool_version ? opts->tool_version : "unknown");
	json_array_append_new(creators, json_string(tool));
	free(tool);
	json_object_set_new(ci, "created", json_string(ts));
	json_object_set_new(ci, "creators", creators);
	json_object_set_new(root, "creationInfo", ci);

	json_t *pkgs = json_array(), *rels = json_array();
	bool is_image = r->target.type && strcmp(r->target.type, "image") == 0;
	json_t *tp = package("SPDXRef-Target", tname, r->target.digest, is_image ? "CONTAINER" : "FILE");
	if (r->target.digest && strncmp(r->target.digest, "sha256:", 7) == 0 &&
	    strlen(r->target.digest) == 71) {
		json_t *cs = json_array(), *c = json_object();
		json_object_set_new(c, "algorithm", json_string("SHA256"));
		json_object_set_new(c, "checksumValue", json_string(r->target.digest + 7));
		json_array_append_new(cs, c);
		json_object_set_new(tp, "checksums", cs);
	}
	json_array_append_new(pkgs, tp);
	json_array_append_new(rels, rel("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Target"));
	json_t *describes = json_array();
	json_array_append_new(describes, json_string("SPDXRef-Target"));
	json_object_set_new(root, "documentDescribes", describes);
	if (r->os.id) {
		json_array_append_new(
		    pkgs, package("SPDXRef-OperatingSystem", r->os.id, r->os.version, "OPERATING_SYSTEM"));
		json_array_append_new(rels, rel("SPDXRef-Target", "CONTAINS", "SPDXRef-OperatingSystem"));
	}

	json_t *first_id = json_object(); /* purl -> SPDXID */
	struct bw_buf ab;
	bw_buf_init(&ab, 4096);
	for (size_t i = 0; i < r->n_packages; i++) {
		const struct bw_package *p = &r->packages[i];
		char id[64];
		snprintf(id, sizeof(id), "SPDXRef-Package-%zu", i + 1);
		if (p->purl && !json_object_get(first_id, p->purl))
			json_object_set_new(first_id, p->purl, json_string(id));
		json_t *o = package(id, p->name, p->version, p->application ? "APPLICATION" : "LIBRARY");
		/* who distributes it (an organisation, or a maintainer), who wrote it */
		if (p->supplier && *p->supplier)
			json_object_set_new(o, "supplier",
					    json_string(agent(p->supplier, p->supplier_org, &ab)));
		if (p->author && *p->author)
			json_object_set_new(o, "originator", json_string(agent(p->author, false, &ab)));
		json_object_set_new(o, "licenseConcluded", json_string("NOASSERTION"));
		if (p->n_licenses == 1 && bw_report_spdx_expression_like(p->licenses[0])) {
			json_object_set_new(o, "licenseDeclared", json_string(p->licenses[0]));
		} else if (p->n_licenses > 1) {
			bool all = true;
			for (size_t k = 0; k < p->n_licenses; k++)
				all = all && bw_report_spdx_expression_like(p->licenses[k]);
			if (all) {
				struct bw_buf b;
				bw_buf_init(&b, 1 << 16);
				for (size_t k = 0; k < p->n_licenses; k++)
					bw_buf_printf(&b, "%s(%s)", k ? " AND " : "", p->licenses[k]);
				json_object_set_new(o, "licenseDeclared", json_string(b.data));
				bw_buf_release(&b);
			} else {
				json_object_set_new(o, "licenseDeclared", json_string("NOASSERTION"));
			}
		} else {
			json_object_set_new(o, "licenseDeclared", json_string("NOASSERTION"));
		}
		if (p->n_licenses &&
		    strcmp(json_string_value(json_object_get(o, "licenseDeclared")), "NOASSERTION") == 0) {
			struct bw_buf b;
			bw_buf_init(&b, 1 << 16);
			bw_buf_addstr(&b, "declared: ");
			for (size_t k = 0; k < p->n_licenses; k++)
				bw_buf_printf(&b, "%s%s", k ? "; " : "", p->licenses[k]);
			json_object_set_new(o, "licenseComments", json_string(b.data));
			bw_buf_release(&b);
		}
		json_object_set_new(o, "copyrightText", json_string("NOASSERTION"));
		if (p->source_name && p->name && strcmp(p->source_name, p->name) != 0) {
			char *si = bw_asprintf("built from source package %s %s", p->source_name,
					       p->source_version ? p->source_version : "");
			json_object_set_new(o, "sourceInfo", json_string(si));
			free(si);
		}
		if (p->purl) {
			json_t *refs = json_array(), *er = json_object();
			json_object_set_new(er, "referenceCategory", json_string("PACKAGE-MANAGER"));
			json_object_set_new(er, "referenceType", json_string("purl"));
			json_object_set_new(er, "referenceLocator", json_string(p->purl));
			json_array_append_new(refs, er);
			json_object_set_new(o, "externalRefs", refs);
		}
		json_t *cs = json_array();
		struct bw_buf cm;
		bw_buf_init(&cm, 1 << 16);
		bw_buf_printf(&cm, "ecosystem %s; found in %s%s%s", p->ecosystem ? p->ecosystem : "-",
			      p->path ? p->path : "-", p->layer ? " of layer " : "",
			      p->layer ? p->layer : "");
		for (size_t k = 0; k < p->n_hashes; k++) {
			const struct bw_hash *ph = &p->hashes[k];
			const char *alg = bw_report_hash_spdx(ph->alg);
			char native[128];
			if (alg) {
				json_t *c = json_object();
				json_object_set_new(c, "algorithm", json_string(alg));
				json_object_set_new(c, "checksumValue", json_string(ph->hex));
				json_array_append_new(cs, c);
			} else if (bw_report_hash_native(ph, native, sizeof(native))) {
				bw_buf_printf(&cm, "; %s %s",
					      ph->alg == BW_HASH_GO_H1 ? "go.sum" : "apk checksum", native);
			}
		}
		if (json_array_size(cs))
			json_object_set_new(o, "checksums", cs);
		else
			json_decref(cs);
		json_object_set_new(o, "comment", json_string(cm.data));
		bw_buf_release(&cm);
		json_array_append_new(pkgs, o);
		json_array_append_new(rels, rel("SPDXRef-Target", "CONTAINS", id));
	}
	for (size_t i = 0; i < r->n_packages; i++) {
		const struct bw_package *p = &r->packages[i];
		char id[64];
		snprintf(id, sizeof(id), "SPDXRef-Package-%zu", i + 1);
		for (size_t d = 0; d < p->n_depends; d++) {
			json_t *t = json_object_get(first_id, p->depends[d]);
			if (t && strcmp(json_string_value(t), id) != 0)
				json_array_append_new(rels, rel(id, "DEPENDS_ON", json_string_value(t)));
		}
	}
	json_decref(first_id);
	bw_buf_release(&ab);
	json_object_set_new(root, "packages", pkgs);
	json_object_set_new(root, "relationships", rels);

	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	fputc('\n', out);
	if (rc != 0 || ferror(out))
		return bw_error_sys(err, BW_EIO, "writing the SPDX document failed");
	return 0;
}
