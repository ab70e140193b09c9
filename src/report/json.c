/* The "bulwark.report/v1" JSON writer (jansson). */
#include "report-int.h"

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_string(v));
}

static json_t *str_array(const char *const *a, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_string(a[i]));
	return arr;
}

json_t *bw_report_cvss_json(const struct bw_finding *f)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < f->n_cvss; i++) {
		const struct bw_cvss_rating *c = &f->cvss[i];
		json_t *o = json_object();
		set_str(o, "version", c->version);
		set_str(o, "vector", c->vector);
		json_object_set_new(o, "score", json_real(c->score));
		json_object_set_new(o, "severity", json_string(bw_severity_name(c->severity)));
		set_str(o, "nomenclature", c->nomenclature);
		set_str(o, "source", c->source);
		json_array_append_new(arr, o);
	}
	return arr;
}

json_t *bw_report_finding_json(const struct bw_finding *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "kind", json_string(bw_kind_name(f->kind)));
	set_str(o, "id", f->id);
	if (f->n_equivalent)
		json_object_set_new(o, "equivalent", str_array(f->equivalent, f->n_equivalent));
	json_object_set_new(o, "severity", json_string(bw_severity_name(f->severity)));
	json_object_set_new(o, "status", json_string(bw_status_name(f->status)));
	set_str(o, "title", f->title);
	if (f->package.name) {
		json_t *p = json_object();
		set_str(p, "name", f->package.name);
		set_str(p, "version", f->package.version);
		set_str(p, "ecosystem", f->package.ecosystem);
		set_str(p, "purl", f->package.purl);
		json_object_set_new(o, "package", p);
	}
	set_str(o, "installed_version", f->installed_version);
	set_str(o, "fixed_version", f->fixed_version);
	if (f->n_cvss)
		json_object_set_new(o, "cvss", bw_report_cvss_json(f));
	if (f->has_priority) {
		json_t *p = json_object();
		json_object_set_new(p, "kev", json_boolean(f->kev));
		if (f->epss >= 0)
			json_object_set_new(p, "epss", json_real(f->epss));
		if (f->rank > 0)
			json_object_set_new(p, "rank", json_integer(f->rank));
		json_object_set_new(o, "priority", p);
	}
	const struct bw_location *l = &f->location;
	if (l->layer || l->path || l->line || l->container || l->in_final_image >= 0) {
		json_t *lo = json_object();
		set_str(lo, "layer", l->layer);
		set_str(lo, "path", l->path);
		if (l->line)
			json_object_set_new(lo, "line", json_integer(l->line));
		if (l->column)
			json_object_set_new(lo, "column", json_integer(l->column));
		if (l->end_line)
			json_object_set_new(lo, "end_line", json_integer(l->end_line));
		if (l->end_column)
			json_object_set_new(lo, "end_column", json_integer(l->end_column));
		set_str(lo, "container", l->container);
		if (l->in_final_image >= 0)
			json_object_set_new(lo, "in_final_image", json_boolean(l->in_final_image));
		json_object_set_new(o, "location", lo);
	}
	set_str(o, "evidence", f->evidence);
	set_str(o, "remediation", f->remediation);
	set_str(o, "suppressed_by", f->suppressed_by);
	return o;
}

static json_t *package_json(const struct bw_package *p)
{
	json_t *o = json_object();
	set_str(o, "name", p->name);
	set_str(o, "version", p->version);
	set_str(o, "ecosystem", p->ecosystem);
	set_str(o, "purl", p->purl);
	set_str(o, "source_name", p->source_name);
	set_str(o, "source_version", p->source_version);
	json_object_set_new(o, "licenses", str_array(p->licenses, p->n_licenses));
	set_str(o, "layer", p->layer);
	set_str(o, "path", p->path);
	set_str(o, "origin", p->origin);
	if (p->application)
		json_object_set_new(o, "application", json_true());
	if (p->n_depends)
		json_object_set_new(o, "depends", str_array(p->depends, p->n_depends));
	if (p->n_hashes) {
		json_t *hs = json_array();
		for (size_t i = 0; i < p->n_hashes; i++) {
			json_t *h = json_object();
			json_object_set_new(h, "algorithm", json_string(bw_hash_alg_name(p->hashes[i].alg)));
			json_object_set_new(h, "value", json_string(p->hashes[i].hex));
			json_array_append_new(hs, h);
		}
		json_object_set_new(o, "hashes", hs);
	}
	return o;
}

/* Write v (a new reference, consumed) as the value of an object member,
 * indented to depth. Large reports are streamed member by member, so
 * memory stays at one finding, not the whole document. */
void bw_report_json_put(FILE *out, const char *key, json_t *v, int depth, bool *first)
{
	/* 15 significant digits: a CVSS score or an EPSS probability reads as
	 * written (9.3, 0.97), not as its nearest double (9.3000000000000007) */
	char *s =
	    json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
	json_decref(v);
	fprintf(out, "%s\n%*s", *first ? "" : ",", depth * 2, "");
	*first = false;
	if (key) {
		json_t *k = json_string(key);
		char *ks = json_dumps(k, JSON_ENCODE_ANY);
		fprintf(out, "%s: ", ks);
		free(ks);
		json_decref(k);
	}
	/* line by line: the nested lines get the member's indentation too */
	for (const char *p = s; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		fwrite(p, 1, n, out);
		if (nl)
			fprintf(out, "%*s", depth * 2, "");
		p += n;
	}
	free(s);
}

int bw_report_write_json(const struct bw_report *r, FILE *out, const struct bw_write_opts *opts,
			 struct bw_error *err)
{
	bool first = true;
	fputc('{', out);
	bw_report_json_put(out, "schema", json_string(BW_REPORT_SCHEMA), 1, &first);
	json_t *tool = json_object();
	json_object_set_new(tool, "name", json_string("bulwark"));
	set_str(tool, "version", opts->tool_version);
	bw_report_json_put(out, "tool", tool, 1, &first);

	json_t *t = json_object();
	set_str(t, "type", r->target.type);
	set_str(t, "name", r->target.name);
	set_str(t, "digest", r->target.digest);
	bw_report_json_put(out, "target", t, 1, &first);

	if (r->os.id) {
		json_t *os = json_object();
		set_str(os, "id", r->os.id);
		set_str(os, "version", r->os.version);
		set_str(os, "codename", r->os.codename);
		bw_report_json_put(out, "os", os, 1, &first);
	}
	if (r->list_packages) {
		fprintf(out, ",\n  \"packages\": [");
		bool pf = true;
		for (size_t i = 0; i < r->n_packages; i++)
			bw_report_json_put(out, NULL, package_json(&r->packages[i]), 2, &pf);
		fprintf(out, "%s]", pf ? "" : "\n  ");
	}

	json_t *by_kind = json_object(), *by_sev = json_object();
	fprintf(out, ",\n  \"findings\": [");
	bool ff = true;
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct bw_finding *f = &r->findings[i];
		if (!bw_report_finding_shown(f, opts))
			continue;
		bw_report_json_put(out, NULL, bw_report_finding_json(f), 2, &ff);
		const char *k = bw_kind_name(f->kind), *s = bw_severity_name(f->severity);
		json_t *kv = json_object_get(by_kind, k), *sv = json_object_get(by_sev, s);
		json_object_set_new(by_kind, k, json_integer(kv ? json_integer_value(kv) + 1 : 1));
		json_object_set_new(by_sev, s, json_integer(sv ? json_integer_value(sv) + 1 : 1));
	}
	fprintf(out, "%s]", ff ? "" : "\n  ");
	json_t *sum = json_object();
	json_object_set_new(sum, "by_kind", by_kind);
	json_object_set_new(sum, "by_severity", by_sev);
	bw_report_json_put(out, "summary", sum, 1, &first);
	if (r->n_warnings)
		bw_report_json_put(out, "warnings", str_array(r->warnings, r->n_warnings), 1, &first);
	fputs("\n}\n", out);
	if (ferror(out))
		return bw_error_sys(err, BW_EIO, "writing the JSON report failed");
	return 0;
}
