/* CycloneDX 1.6 JSON (https://cyclonedx.org/docs/1.6/json/).
 *
 * metadata.component is the scanned target (a "container" for images, a
 * "file" for root filesystems) and the root of the dependency graph; the
 * OS, when known, is an "operating-system" component; every package is a
 * "library" with its purl, licences (license.id for a common SPDX id
 * bulwark knows, since the schema checks ids against SPDX's list; a single
 * SPDX expression as "expression"; anything else as license.name) and
 * bulwark properties (ecosystem, layer, path, source package).
 * Digests of the package's file are its "hashes" (alg SHA-1 … SHA-512,
 * content hex); Go's h1 sum and apk's Q1 checksum hash something else (a
 * file list, a control segment), so they are properties in the package
 * manager's own notation, "bulwark:go:h1" and "bulwark:apk:checksum".
 * bom-refs are purls, suffixed "#N" when one purl occurs twice (the same
 * npm package installed at two paths). "dependencies" has the target
 * depending on every package nothing else depends on, and each package on
 * the packages its metadata names.
 */
#include <sys/random.h>
#include <time.h>

#include "report-int.h"

void bw_report_uuid4(char out[37])
{
	unsigned char b[16];
	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
		/* no entropy source: a time-derived value is still a valid v4 form */
		uint64_t t = (uint64_t)(bw_now() * 1e9);
		for (int i = 0; i < 16; i++)
			b[i] = (unsigned char)(t >> ((i % 8) * 8)) ^ (unsigned char)(i * 37);
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
		 b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

void bw_report_timestamp(char out[32])
{
	time_t now = time(NULL);
	const char *sde = getenv("SOURCE_DATE_EPOCH"); /* reproducible documents */
	if (sde && *sde) {
		char *end;
		long long v = strtoll(sde, &end, 10);
		if (!*end && v >= 0)
			now = (time_t)v;
	}
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v && *v)
		json_object_set_new(o, k, json_string(v));
}

/* "Name <email>": an organizationalEntity ({name, contact: [{email}]}), the
 * supplier, or (author) an organizationalContact ({name, email}). */
static json_t *contact(const char *s, bool entity)
{
	struct bw_slice name, email;
	bw_report_split_contact(s, &name, &email);
	json_t *o = json_object();
	char *n = bw_strndup(name.ptr, name.len), *e = bw_strndup(email.ptr, email.len);
	if (*n)
		set_str(o, "name", n);
	if (*e) {
		json_t *c = json_object();
		set_str(c, "email", e);
		if (entity) {
			json_t *a = json_array();
			json_array_append_new(a, c);
			json_object_set_new(o, "contact", a);
		} else {
			json_object_update(o, c);
			json_decref(c);
		}
	}
	free(n);
	free(e);
	return o;
}

static void prop(json_t *arr, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	json_t *p = json_object();
	json_object_set_new(p, "name", json_string(name));
	json_object_set_new(p, "value", json_string(value));
	json_array_append_new(arr, p);
}

/* "sha256:<hex>" -> {"alg": "SHA-256", "content": hex} */
static json_t *digest_hash(const char *d)
{
	if (!d || strncmp(d, "sha256:", 7) != 0 || strlen(d + 7) != 64)
		return NULL;
	json_t *h = json_object();
	json_object_set_new(h, "alg", json_string("SHA-256"));
	json_object_set_new(h, "content", json_string(d + 7));
	return h;
}

/* Vulnerability findings as CycloneDX vulnerabilities, each affecting the
 * component of its package (found by purl, else name and version). */
static json_t *cdx_vulnerabilities(const struct bw_report *r, const struct bw_write_opts *opts, char **refs)
{
	json_t *vulns = json_array();
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct bw_finding *f = &r->findings[i];
		if (f->kind != BW_KIND_VULNERABILITY || !bw_report_finding_shown(f, opts))
			continue;
		const char *ref = NULL;
		for (size_t k = 0; k < r->n_packages && !ref; k++) {
			const struct bw_package *p = &r->packages[k];
			if (f->package.purl && p->purl
				? strcmp(f->package.purl, p->purl) == 0
				: (p->name && f->package.name && strcmp(p->name, f->package.name) == 0 &&
				   p->version && f->package.version &&
				   strcmp(p->version, f->package.version) == 0))
				ref = refs[k];
		}
		json_t *v = json_object();
		char *bref = bw_asprintf("vuln:%zu:%s", i, f->id ? f->id : "?");
		json_object_set_new(v, "bom-ref", json_string(bref));
		free(bref);
		json_object_set_new(v, "id", json_string(f->id ? f->id : "?"));
		json_t *refsj = json_array();
		for (size_t k = 0; k < f->n_equivalent; k++) {
			const char *e = f->equivalent[k];
			const char *src = strncmp(e, "CVE-", 4) == 0	? "NVD"
					  : strncmp(e, "GHSA-", 5) == 0 ? "GitHub Advisories"
					  : strncmp(e, "DSA-", 4) == 0 || strncmp(e, "DLA-", 4) == 0
					      ? "Debian Security Tracker"
					      : "OSV";
			json_t *rj = json_object(), *sj = json_object();
			json_object_set_new(rj, "id", json_string(e));
			json_object_set_new(sj, "name", json_string(src));
			json_object_set_new(rj, "source", sj);
			json_array_append_new(refsj, rj);
		}
		if (json_array_size(refsj))
			json_object_set_new(v, "references", refsj);
		else
			json_decref(refsj);
		static const char *const sev[] = {"unknown", "info", "low", "medium", "high", "critical"};
		json_t *ratings = json_array(), *rating = json_object();
		json_object_set_new(
		    rating, "severity",
		    json_string((unsigned)f->severity < BW_ARRAY_SIZE(sev) ? sev[f->severity] : "unknown"));
		json_array_append_new(ratings, rating);
		/* then each CVSS vector: its score, band, method and source */
		for (size_t k = 0; k < f->n_cvss; k++) {
			const struct bw_cvss_rating *c = &f->cvss[k];
			const char *method = strcmp(c->version, "4.0") == 0   ? "CVSSv4"
					     : strcmp(c->version, "3.1") == 0 ? "CVSSv31"
					     : strcmp(c->version, "3.0") == 0 ? "CVSSv3"
					     : strcmp(c->version, "2.0") == 0 ? "CVSSv2"
									      : "other";
			json_t *cr = json_object();
			if (c->source) {
				json_t *sj = json_object();
				json_object_set_new(sj, "name", json_string(c->source));
				json_object_set_new(cr, "source", sj);
			}
			json_object_set_new(cr, "score", json_real(c->score));
			/* CycloneDX's "none" is the CVSS None rating, bulwark's INFO */
			const char *band = "unknown";
			if (c->severity == BW_SEV_INFO)
				band = "none";
			else if ((unsigned)c->severity < BW_ARRAY_SIZE(sev))
				band = sev[c->severity];
			json_object_set_new(cr, "severity", json_string(band));
			json_object_set_new(cr, "method", json_string(method));
			json_object_set_new(cr, "vector", json_string(c->vector));
			json_array_append_new(ratings, cr);
		}
		json_object_set_new(v, "ratings", ratings);
		if (f->url || f->n_references) {
			json_t *adv = json_array();
			for (size_t k = 0; k <= f->n_references; k++) {
				const char *u = k ? f->references[k - 1] : f->url;
				if (!u)
					continue;
				json_t *a = json_object();
				json_object_set_new(a, "url", json_string(u));
				json_array_append_new(adv, a);
			}
			json_object_set_new(v, "advisories", adv);
		}
		set_str(v, "description", f->title);
		set_str(v, "recommendation", f->remediation);
		if (ref) {
			json_t *aff = json_array(), *a = json_object(), *vers = json_array(),
			       *ver = json_object();
			json_object_set_new(a, "ref", json_string(ref));
			if (f->installed_version) {
				json_object_set_new(ver, "version", json_string(f->installed_version));
				json_object_set_new(ver, "status", json_string("affected"));
				json_array_append_new(vers, ver);
				json_object_set_new(a, "versions", vers);
			} else {
				json_decref(ver);
				json_decref(vers);
			}
			json_array_append_new(aff, a);
			json_object_set_new(v, "affects", aff);
		}
		json_t *props = json_array();
		prop(props, "bulwark:fixed_version", f->fixed_version);
		if (f->has_priority) {
			prop(props, "bulwark:kev", f->kev ? "true" : "false");
			char num[32];
			if (f->epss >= 0) {
				snprintf(num, sizeof(num), "%.5f", f->epss);
				prop(props, "bulwark:epss", num);
			}
			if (f->rank > 0) {
				snprintf(num, sizeof(num), "%d", f->rank);
				prop(props, "bulwark:priority_rank", num);
			}
		}
		if (json_array_size(props))
			json_object_set_new(v, "properties", props);
		else
			json_decref(props);
		json_array_append_new(vulns, v);
	}
	return vulns;
}

int bw_report_write_cyclonedx(const struct bw_report *r, FILE *out, const struct bw_write_opts *opts,
			      struct bw_error *err)
{
	json_t *root = json_object();
	char uuid[37], ts[32];
	bw_report_uuid4(uuid);
	bw_report_timestamp(ts);
	json_object_set_new(root, "$schema", json_string("http://cyclonedx.org/schema/bom-1.6.schema.json"));
	json_object_set_new(root, "bomFormat", json_string("CycloneDX"));
	json_object_set_new(root, "specVersion", json_string("1.6"));
	char serial[64];
	snprintf(serial, sizeof(serial), "urn:uuid:%s", uuid);
	json_object_set_new(root, "serialNumber", json_string(serial));
	json_object_set_new(root, "version", json_integer(1));

	json_t *meta = json_object();
	json_object_set_new(meta, "timestamp", json_string(ts));
	json_t *tools = json_object(), *tcomps = json_array(), *tool = json_object();
	json_object_set_new(tool, "type", json_string("application"));
	json_object_set_new(tool, "name", json_string("bulwark"));
	set_str(tool, "version", opts->tool_version);
	json_array_append_new(tcomps, tool);
	json_object_set_new(tools, "components", tcomps);
	json_object_set_new(meta, "tools", tools);

	const char *root_ref = "bulwark:target";
	json_t *target = json_object();
	json_object_set_new(target, "bom-ref", json_string(root_ref));
	bool is_image = r->target.type && strcmp(r->target.type, "image") == 0;
	json_object_set_new(target, "type", json_string(is_image ? "container" : "file"));
	json_object_set_new(target, "name", json_string(r->target.name ? r->target.name : "-"));
	set_str(target, "version", r->target.digest);
	json_t *h = digest_hash(r->target.digest);
	if (h) {
		json_t *hs = json_array();
		json_array_append_new(hs, h);
		json_object_set_new(target, "hashes", hs);
	}
	json_object_set_new(meta, "component", target);
	json_object_set_new(root, "metadata", meta);

	json_t *comps = json_array();
	json_t *deps = json_array();
	json_t *root_deps = json_array();
	if (r->os.id) {
		json_t *os = json_object();
		json_object_set_new(os, "bom-ref", json_string("bulwark:os"));
		json_object_set_new(os, "type", json_string("operating-system"));
		json_object_set_new(os, "name", json_string(r->os.id));
		set_str(os, "version", r->os.version);
		if (r->os.codename) {
			json_t *props = json_array();
			prop(props, "bulwark:os:codename", r->os.codename);
			json_object_set_new(os, "properties", props);
		}
		json_array_append_new(comps, os);
		json_array_append_new(root_deps, json_string("bulwark:os"));
	}

	/* bom-refs: the purl, made unique */
	size_t n = r->n_packages;
	char **refs = bw_calloc(n ? n : 1, sizeof(char *));
	json_t *seen = json_object();	   /* ref -> count */
	json_t *first_ref = json_object(); /* purl -> its first ref */
	json_t *depended = json_object();  /* refs some package depends on */
	for (size_t i = 0; i < n; i++) {
		const struct bw_package *p = &r->packages[i];
		const char *base = p->purl ? p->purl : p->name;
		json_t *c = json_object_get(seen, base);
		json_int_t k = c ? json_integer_value(c) + 1 : 1;
		json_object_set_new(seen, base, json_integer(k));
		refs[i] = k == 1 ? bw_strdup(base) : bw_asprintf("%s#%lld", base, (long long)k);
		if (k == 1)
			json_object_set_new(first_ref, base, json_string(refs[i]));
	}
	for (size_t i = 0; i < n; i++)
		for (size_t d = 0; d < r->packages[i].n_depends; d++) {
			json_t *t = json_object_get(first_ref, r->packages[i].depends[d]);
			if (t)
				json_object_set_new(depended, json_string_value(t), json_true());
		}
	for (size_t i = 0; i < n; i++) {
		const struct bw_package *p = &r->packages[i];
		json_t *c = json_object();
		json_object_set_new(c, "bom-ref", json_string(refs[i]));
		json_object_set_new(c, "type", json_string(p->application ? "application" : "library"));
		json_object_set_new(c, "name", json_string(p->name ? p->name : "-"));
		set_str(c, "version", p->version);
		if (p->n_licenses) {
			json_t *ls = json_array();
			/* licences are either license objects or one expression: a
			 * compound SPDX expression among them ("MIT OR Apache-2.0")
			 * makes the whole list one expression, each part in
			 * parentheses, joined with AND (every one of them applies) */
			bool all_expr = true, compound = false;
			for (size_t k = 0; k < p->n_licenses; k++) {
				all_expr = all_expr && bw_report_spdx_expression_like(p->licenses[k]);
				compound = compound || (!bw_report_spdx_id(p->licenses[k]) &&
							strchr(p->licenses[k], ' '));
			}
			if (all_expr && compound) {
				struct bw_buf b;
				bw_buf_init(&b, 1 << 16);
				for (size_t k = 0; k < p->n_licenses; k++) {
					bool paren = p->n_licenses > 1 && strchr(p->licenses[k], ' ');
					bw_buf_printf(&b, "%s%s%s%s", k ? " AND " : "", paren ? "(" : "",
						      p->licenses[k], paren ? ")" : "");
				}
				json_array_append_new(ls,
						      json_pack("{s:s}", "expression", b.data ? b.data : ""));
				bw_buf_release(&b);
			} else {
				for (size_t k = 0; k < p->n_licenses; k++) {
					const char *id = bw_report_spdx_id(p->licenses[k]);
					json_t *l =
					    json_pack("{s:s}", id ? "id" : "name", id ? id : p->licenses[k]);
					json_array_append_new(ls, json_pack("{s:o}", "license", l));
				}
			}
			json_object_set_new(c, "licenses", ls);
		}
		/* who distributes it and who wrote it */
		if (p->supplier && *p->supplier)
			json_object_set_new(c, "supplier", contact(p->supplier, true));
		if (p->author && *p->author) {
			json_t *a = json_array();
			json_array_append_new(a, contact(p->author, false));
			json_object_set_new(c, "authors", a);
		}
		set_str(c, "purl", p->purl);
		json_t *hashes = json_array();
		json_t *props = json_array();
		prop(props, "bulwark:ecosystem", p->ecosystem);
		prop(props, "bulwark:layer", p->layer);
		prop(props, "bulwark:path", p->path);
		prop(props, "bulwark:origin", p->origin);
		for (size_t k = 0; k < p->n_hashes; k++) {
			const struct bw_hash *ph = &p->hashes[k];
			const char *alg = bw_report_hash_cyclonedx(ph->alg);
			char native[128];
			if (alg) {
				json_t *hj = json_object();
				json_object_set_new(hj, "alg", json_string(alg));
				json_object_set_new(hj, "content", json_string(ph->hex));
				json_array_append_new(hashes, hj);
			} else if (bw_report_hash_native(ph, native, sizeof(native))) {
				/* not a digest of a file: the package manager's own form, to compare
				 * with go.sum or APKINDEX */
				prop(props,
				     ph->alg == BW_HASH_GO_H1 ? "bulwark:go:h1" : "bulwark:apk:checksum",
				     native);
			}
		}
		if (json_array_size(hashes))
			json_object_set_new(c, "hashes", hashes);
		else
			json_decref(hashes);
		if (p->source_name && p->name &&
		    (strcmp(p->source_name, p->name) != 0 ||
		     (p->source_version && p->version && strcmp(p->source_version, p->version) != 0))) {
			prop(props, "bulwark:source_name", p->source_name);
			prop(props, "bulwark:source_version", p->source_version);
		}
		if (json_array_size(props))
			json_object_set_new(c, "properties", props);
		else
			json_decref(props);
		json_array_append_new(comps, c);

		json_t *dep = json_object(), *on = json_array();
		json_object_set_new(dep, "ref", json_string(refs[i]));
		for (size_t d = 0; d < p->n_depends; d++) {
			json_t *t = json_object_get(first_ref, p->depends[d]);
			if (t && strcmp(json_string_value(t), refs[i]) != 0)
				json_array_append_new(on, json_string(json_string_value(t)));
		}
		json_object_set_new(dep, "dependsOn", on);
		json_array_append_new(deps, dep);
		if (!json_object_get(depended, refs[i]))
			json_array_append_new(root_deps, json_string(refs[i]));
	}
	json_object_set_new(root, "components", comps);
	json_t *rd = json_object();
	json_object_set_new(rd, "ref", json_string(root_ref));
	json_object_set_new(rd, "dependsOn", root_deps);
	json_array_insert_new(deps, 0, rd);
	json_object_set_new(root, "dependencies", deps);
	json_t *vulns = cdx_vulnerabilities(r, opts, refs);
	if (json_array_size(vulns))
		json_object_set_new(root, "vulnerabilities", vulns);
	else
		json_decref(vulns);

	for (size_t i = 0; i < n; i++)
		free(refs[i]);
	free(refs);
	json_decref(seen);
	json_decref(first_ref);
	json_decref(depended);

	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	json_decref(root);
	fputc('\n', out);
	if (rc != 0 || ferror(out))
		return bw_error_sys(err, BW_EIO, "writing the CycloneDX document failed");
	return 0;
}
