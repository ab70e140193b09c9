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

static json_t *location(const struct bw_location *l)
{
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
	return lo;
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
	set_str(o, "severity_source", f->severity_source);
	if (f->n_severity_by_source) {
		json_t *by = json_object();
		for (size_t i = 0; i < f->n_severity_by_source; i++)
			json_object_set_new(by, f->severity_by_source[i].source,
					    json_string(bw_severity_name(f->severity_by_source[i].severity)));
		json_object_set_new(o, "severity_by_source", by);
	}
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
	if (l->layer || l->path || l->line || l->container || l->in_final_image >= 0)
		json_object_set_new(o, "location", location(l));
	if (f->n_other_locations) {
		json_t *a = json_array();
		for (size_t i = 0; i < f->n_other_locations; i++)
			json_array_append_new(a, location(&f->other_locations[i]));
		json_object_set_new(o, "other_locations", a);
	}
	set_str(o, "url", f->url);
	if (f->n_references)
		json_object_set_new(o, "references", str_array(f->references, f->n_references));
	set_str(o, "evidence", f->evidence);
	set_str(o, "remediation", f->remediation);
	set_str(o, "suppressed_by", f->suppressed_by);
	return o;
}

static json_t *coverage_source_json(const struct bw_coverage_source *s)
{
	json_t *o = json_object();
	set_str(o, "name", s->name);
	if (s->advisories >= 0)
		json_object_set_new(o, "advisories", json_integer(s->advisories));
	json_object_set_new(o, "data_date", s->data_date ? json_string(s->data_date) : json_null());
	json_object_set_new(o, "age_days", s->age_days >= 0 ? json_integer(s->age_days) : json_null());
	json_object_set_new(o, "stale", json_boolean(s->stale));
	return o;
}

json_t *bw_report_coverage_json(const struct bw_coverage *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "complete", json_boolean(!c->partial));
	json_object_set_new(o, "unchecked_packages", json_integer((json_int_t)c->unchecked));
	json_object_set_new(o, "database", c->database ? json_string(c->database) : json_null());
	if (c->error)
		set_str(o, "error", c->error);
	if (c->distro) {
		json_t *d = json_object();
		set_str(d, "release", c->distro);
		json_object_set_new(d, "from", json_string(c->distro_option ? "option" : "detected"));
		json_object_set_new(o, "distro", d);
	}
	json_object_set_new(o, "max_age_days", json_integer(c->max_age));
	json_t *ecos = json_array();
	for (size_t i = 0; i < c->n_entries; i++) {
		const struct bw_coverage_entry *e = &c->entries[i];
		json_t *x = json_object();
		set_str(x, "ecosystem", e->ecosystem);
		json_object_set_new(x, "packages", json_integer((json_int_t)e->packages));
		json_object_set_new(x, "advisories", json_integer(e->advisories));
		json_object_set_new(x, "covered", json_boolean(!e->reason));
		if (e->reason)
			set_str(x, "reason", e->reason);
		json_object_set_new(x, "data_date", e->data_date ? json_string(e->data_date) : json_null());
		json_object_set_new(x, "age_days",
				    e->age_days >= 0 ? json_integer(e->age_days) : json_null());
		json_object_set_new(x, "stale", json_boolean(e->stale));
		json_t *srcs = json_array();
		for (size_t k = 0; k < e->n_sources; k++)
			json_array_append_new(srcs, coverage_source_json(&e->sources[k]));
		json_object_set_new(x, "sources", srcs);
		json_array_append_new(ecos, x);
	}
	json_object_set_new(o, "ecosystems", ecos);
	json_t *en = json_array();
	for (size_t k = 0; k < c->n_enrichment; k++)
		json_array_append_new(en, coverage_source_json(&c->enrichment[k]));
	json_object_set_new(o, "enrichment", en);
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
	if (r->coverage.present)
		bw_report_json_put(out, "coverage", bw_report_coverage_json(&r->coverage), 1, &first);
	if (r->n_warnings)
		bw_report_json_put(out, "warnings", str_array(r->warnings, r->n_warnings), 1, &first);
	fputs("\n}\n", out);
	if (ferror(out))
		return bw_error_sys(err, BW_EIO, "writing the JSON report failed");
	return 0;
}
