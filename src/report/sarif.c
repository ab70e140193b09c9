/* The SARIF 2.1.0 writer, for every kind of report.
 *
 * One run; tool.driver.rules holds one reportingDescriptor per distinct
 * finding id (first finding's title, severity and remediation), and each
 * result points at its rule by id and index. Levels: CRITICAL and HIGH are
 * "error", MEDIUM and UNKNOWN "warning", LOW and INFO "note"; findings whose
 * status is not fail/warn get kind pass/informational/review and level
 * "none". Locations: a physicalLocation with the path as a relative URI
 * (absolute paths as file:// URIs) and a region with 1-based startLine,
 * startColumn, endLine and an exclusive endColumn, as SARIF counts them;
 * findings without a path get a logicalLocation naming the package or the
 * target. Suppressed findings carry a suppression. Peer ids, package,
 * versions, layer and priority go to the result's property bag; the
 * report's warnings become tool notifications of the invocation.
 */
#include "report-int.h"

#define SARIF_SCHEMA                                                                                         \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

/* json_string() refuses invalid UTF-8: replace offending bytes. */
static json_t *jstr(const char *s)
{
	if (!s)
		return json_string("");
	json_t *j = json_string(s);
	if (j)
		return j;
	size_t n = strlen(s);
	char *c = bw_malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		c[i] = (unsigned char)s[i] < 0x80 && s[i] >= 0x20 ? s[i] : '?';
	c[n] = 0;
	j = json_string(c);
	free(c);
	return j;
}

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, jstr(v));
}

static json_t *text(const char *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "text", jstr(s));
	return o;
}

static const char *level_of(enum bw_severity s)
{
	switch (s) {
	case BW_SEV_CRITICAL:
	case BW_SEV_HIGH:
		return "error";
	case BW_SEV_MEDIUM:
	case BW_SEV_UNKNOWN:
		return "warning";
	default:
		return "note";
	}
}

/* GitHub code scanning reads this property to rank results. */
static const char *security_severity(enum bw_severity s)
{
	switch (s) {
	case BW_SEV_CRITICAL:
		return "9.5";
	case BW_SEV_HIGH:
		return "8.0";
	case BW_SEV_MEDIUM:
		return "5.5";
	case BW_SEV_LOW:
		return "3.0";
	default:
		return "0.0";
	}
}

/* A URI reference for a path: unreserved characters and '/' kept, the rest
 * percent-encoded; absolute paths become file:// URIs. */
static char *path_uri(const char *path)
{
	struct bw_buf b;
	bw_buf_init(&b, 3 * strlen(path) + 16);
	if (path[0] == '/')
		bw_buf_addstr(&b, "file://");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (bw_isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~' || *p == '/')
			bw_buf_add(&b, p, 1);
		else
			bw_buf_printf(&b, "%%%02X", *p);
	}
	if (!b.len)
		bw_buf_addstr(&b, "unknown");
	return bw_buf_detach(&b, NULL);
}

/* GitHub's code scanning limits (docs: "SARIF support for code scanning"). */
#define GITHUB_MAX_RESULTS 25000
#define GITHUB_MAX_SHORT_DESCRIPTION 1024

/* A copy of s cut to at most max bytes on a character boundary, "…" marking the cut. */
static json_t *text_cut(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return text(s);
	n = max - 3;
	while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	char *c = bw_asprintf("%.*s\xe2\x80\xa6", (int)n, s);
	json_t *t = text(c);
	free(c);
	return t;
}

/* What GitHub's code scanning reads of a rule: a shortDescription of at
 * most 1024 characters, the fullDescription, help as text and Markdown,
 * helpUri, and a numeric security-severity (the highest CVSS score of a
 * vulnerability in its severity's band, else the band's value). Members set before (a helpUri
 * from the advisory) are kept. */
static void rule_for_github(json_t *r, const struct bw_finding *f)
{
	const char *title = f->title ? f->title : (f->id ? f->id : "finding");
	json_object_set_new(r, "name", jstr(f->id ? f->id : "unknown"));
	json_object_set_new(r, "shortDescription", text_cut(title, GITHUB_MAX_SHORT_DESCRIPTION));
	json_object_set_new(r, "fullDescription", text(title));
	char url[512];
	const char *uri = json_string_value(json_object_get(r, "helpUri"));
	if (!uri && (uri = bw_report_help_uri(f, url, sizeof(url))))
		json_object_set_new(r, "helpUri", jstr(uri));
	struct bw_buf t, m;
	bw_buf_init(&t, 1 << 20);
	bw_buf_init(&m, 1 << 20);
	bw_buf_printf(&t, "%s: %s\nSeverity: %s\n", f->id ? f->id : "unknown", title,
		      bw_severity_name(f->severity));
	bw_buf_printf(&m, "**%s**: %s\n\n| Severity | Kind |\n| --- | --- |\n| %s | %s |\n",
		      f->id ? f->id : "unknown", title, bw_severity_name(f->severity), bw_kind_name(f->kind));
	if (f->n_equivalent) {
		bw_buf_addstr(&t, "Also known as:");
		bw_buf_addstr(&m, "\nAlso known as:");
		for (size_t i = 0; i < f->n_equivalent; i++) {
			bw_buf_printf(&t, " %s", f->equivalent[i]);
			bw_buf_printf(&m, " `%s`", f->equivalent[i]);
		}
		bw_buf_addstr(&t, "\n");
		bw_buf_addstr(&m, "\n");
	}
	if (f->remediation) {
		bw_buf_printf(&t, "Fix: %s\n", f->remediation);
		bw_buf_printf(&m, "\n**Fix:** %s\n", f->remediation);
	}
	if (uri) {
		bw_buf_printf(&t, "More: %s\n", uri);
		bw_buf_printf(&m, "\n[More about %s](%s)\n", f->id ? f->id : "it", uri);
	}
	json_t *help = json_object();
	json_object_set_new(help, "text", jstr(t.data));
	json_object_set_new(help, "markdown", jstr(m.data));
	json_object_set(r, "help", help);
	json_decref(help);
	bw_buf_release(&t);
	bw_buf_release(&m);
	/* a CVSS score in the finding's own band: GitHub's level then agrees
	 * with bulwark's severity (and --severity) */
	double best = -1;
	for (size_t i = 0; i < f->n_cvss; i++)
		if (f->cvss[i].severity == f->severity && f->cvss[i].score > best)
			best = f->cvss[i].score;
	json_t *props = json_object_get(r, "properties");
	if (props && best >= 0) {
		char sc[16];
		snprintf(sc, sizeof(sc), "%.1f", best);
		json_object_set_new(props, "security-severity", json_string(sc));
	}
}

struct rule_slot {
	const char *id;
	size_t index;
};

static json_t *rule_json(const struct bw_finding *f)
{
	json_t *r = json_object();
	set_str(r, "id", f->id);
	json_object_set_new(r, "shortDescription", text(f->title ? f->title : f->id));
	json_t *dc = json_object();
	json_object_set_new(dc, "level", json_string(level_of(f->severity)));
	json_object_set_new(r, "defaultConfiguration", dc);
	if (f->remediation)
		json_object_set_new(r, "help", text(f->remediation));
	if (f->url)
		json_object_set_new(r, "helpUri", jstr(f->url));
	json_t *props = json_object();
	json_t *tags = json_array();
	json_array_append_new(tags, json_string("security"));
	json_array_append_new(tags, json_string(bw_kind_name(f->kind)));
	json_object_set_new(props, "tags", tags);
	json_object_set_new(props, "security-severity", json_string(security_severity(f->severity)));
	json_object_set_new(props, "severity", json_string(bw_severity_name(f->severity)));
	if (f->n_equivalent) {
		json_t *eq = json_array();
		for (size_t i = 0; i < f->n_equivalent; i++)
			json_array_append_new(eq, jstr(f->equivalent[i]));
		json_object_set_new(props, "equivalent", eq);
	}
	json_object_set_new(r, "properties", props);
	rule_for_github(r, f);
	return r;
}

static json_t *physical(const char *path, int line, int end_line)
{
	json_t *pl = json_object(), *al = json_object();
	char *uri = path_uri(path);
	json_object_set_new(al, "uri", json_string(uri));
	free(uri);
	json_object_set_new(pl, "artifactLocation", al);
	json_t *rg = json_object();
	json_object_set_new(rg, "startLine", json_integer(line > 0 ? line : 1));
	if (end_line > line)
		json_object_set_new(rg, "endLine", json_integer(end_line));
	json_object_set_new(pl, "region", rg);
	return pl;
}

/* An image's findings: at the Dockerfile instruction that made the layer
 * (--dockerfile), else at the image reference; the path inside the image
 * and the package go to logicalLocations. Other reports: at the path, or
 * (no path) the target. GitHub needs a physical location in every
 * result. */
static json_t *location_json(const struct bw_report *rep, const struct bw_finding *f)
{
	const struct bw_location *l = &f->location;
	bool image = rep->target.type && strcmp(rep->target.type, "image") == 0;
	if (image) {
		const struct bw_report_layer *ly = bw_report_layer_of(rep, l->layer);
		json_t *loc = json_object();
		if (ly && ly->source_path)
			json_object_set_new(loc, "physicalLocation",
					    physical(ly->source_path, ly->source_line, ly->source_end_line));
		else
			json_object_set_new(loc, "physicalLocation",
					    physical(rep->target.name ? rep->target.name : "image", 1, 0));
		json_t *ll = json_array();
		const char *logical = f->package.purl ? f->package.purl : f->package.name;
		if (logical) {
			json_t *one = json_object();
			set_str(one, "fullyQualifiedName", logical);
			json_object_set_new(one, "kind", json_string("package"));
			json_array_append_new(ll, one);
		}
		if (l->path) {
			json_t *one = json_object();
			set_str(one, "fullyQualifiedName", l->path);
			json_object_set_new(one, "kind", json_string("resource"));
			json_array_append_new(ll, one);
		}
		if (json_array_size(ll))
			json_object_set_new(loc, "logicalLocations", ll);
		else
			json_decref(ll);
		return loc;
	}
	json_t *loc = json_object();
	if (!l->path)
		json_object_set_new(loc, "physicalLocation",
				    physical(rep->target.name ? rep->target.name : "target", 1, 0));
	if (l->path) {
		json_t *pl = json_object();
		json_t *al = json_object();
		char *uri = path_uri(l->path);
		json_object_set_new(al, "uri", json_string(uri));
		free(uri);
		json_object_set_new(pl, "artifactLocation", al);
		if (l->line > 0) {
			json_t *rg = json_object();
			json_object_set_new(rg, "startLine", json_integer(l->line));
			if (l->column > 0)
				json_object_set_new(rg, "startColumn", json_integer(l->column));
			int el = l->end_line >= l->line ? l->end_line : 0;
			if (el)
				json_object_set_new(rg, "endLine", json_integer(el));
			if (l->end_column > 0 &&
			    (el > l->line || (el == l->line && l->end_column >= l->column)))
				json_object_set_new(rg, "endColumn", json_integer(l->end_column + 1));
			json_object_set_new(pl, "region", rg);
		}
		json_object_set_new(loc, "physicalLocation", pl);
	}
	const char *logical = f->package.purl ? f->package.purl : f->package.name;
	if (!l->path || logical || l->container) {
		json_t *ll = json_array(), *one = json_object();
		if (logical) {
			set_str(one, "fullyQualifiedName", logical);
			json_object_set_new(one, "kind", json_string("package"));
		} else if (l->container) {
			set_str(one, "fullyQualifiedName", l->container);
			json_object_set_new(one, "kind", json_string("container"));
		} else {
			set_str(one, "fullyQualifiedName", rep->target.name ? rep->target.name : "target");
			json_object_set_new(one, "kind",
					    json_string(rep->target.type ? rep->target.type : "target"));
		}
		json_array_append_new(ll, one);
		json_object_set_new(loc, "logicalLocations", ll);
	}
	return loc;
}

static json_t *result_json(const struct bw_report *rep, const struct bw_finding *f, size_t rule_index)
{
	json_t *res = json_object();
	set_str(res, "ruleId", f->id ? f->id : "unknown");
	json_object_set_new(res, "ruleIndex", json_integer((json_int_t)rule_index));
	const char *kind = "fail";
	switch (f->status) {
	case BW_STATUS_PASS:
		kind = "pass";
		break;
	case BW_STATUS_INFO:
		kind = "informational";
		break;
	case BW_STATUS_MANUAL:
		kind = "review";
		break;
	default:
		break;
	}
	json_object_set_new(res, "kind", json_string(kind));
	json_object_set_new(res, "level", json_string(strcmp(kind, "fail") ? "none" : level_of(f->severity)));

	struct bw_buf m;
	bw_buf_init(&m, 1 << 20);
	bw_buf_addstr(&m, f->title ? f->title : (f->id ? f->id : "finding"));
	if (f->package.name)
		bw_buf_printf(&m, " in %s %s", f->package.name,
			      f->installed_version ? f->installed_version
						   : (f->package.version ? f->package.version : ""));
	if (f->fixed_version)
		bw_buf_printf(&m, " (fixed in %s)", f->fixed_version);
	if (f->evidence)
		bw_buf_printf(&m, ": %s", f->evidence);
	if (rep->target.type && strcmp(rep->target.type, "image") == 0 && f->location.path)
		bw_buf_printf(&m, " [%s in %s]", f->location.path,
			      rep->target.name ? rep->target.name : "the image");
	json_object_set_new(res, "message", text(m.data));
	bw_buf_release(&m);

	json_t *locs = json_array();
	json_array_append_new(locs, location_json(rep, f));
	json_object_set_new(res, "locations", locs);
	char fp[65];
	bw_report_fingerprint(f, fp);
	json_t *pf = json_object();
	json_object_set_new(pf, "bulwarkFindingHash/v1", json_string(fp));
	json_object_set_new(res, "partialFingerprints", pf);

	if (f->status == BW_STATUS_SUPPRESSED) {
		json_t *sup = json_array(), *s = json_object();
		json_object_set_new(s, "kind", json_string("inSource"));
		json_object_set_new(s, "status", json_string("accepted"));
		set_str(s, "justification", f->suppressed_by);
		json_array_append_new(sup, s);
		json_object_set_new(res, "suppressions", sup);
	}

	json_t *p = json_object();
	json_object_set_new(p, "kind", json_string(bw_kind_name(f->kind)));
	json_object_set_new(p, "severity", json_string(bw_severity_name(f->severity)));
	json_object_set_new(p, "status", json_string(bw_status_name(f->status)));
	if (f->n_equivalent) {
		json_t *eq = json_array();
		for (size_t i = 0; i < f->n_equivalent; i++)
			json_array_append_new(eq, jstr(f->equivalent[i]));
		json_object_set_new(p, "equivalent", eq);
	}
	if (f->package.name) {
		json_t *pk = json_object();
		set_str(pk, "name", f->package.name);
		set_str(pk, "version", f->package.version);
		set_str(pk, "ecosystem", f->package.ecosystem);
		set_str(pk, "purl", f->package.purl);
		json_object_set_new(p, "package", pk);
	}
	set_str(p, "installed_version", f->installed_version);
	set_str(p, "fixed_version", f->fixed_version);
	set_str(p, "severity_source", f->severity_source);
	if (f->n_cvss)
		json_object_set_new(p, "cvss", bw_report_cvss_json(f));
	set_str(p, "url", f->url);
	if (f->n_references) {
		json_t *refs = json_array();
		for (size_t i = 0; i < f->n_references; i++)
			json_array_append_new(refs, jstr(f->references[i]));
		json_object_set_new(p, "references", refs);
	}
	set_str(p, "layer", f->location.layer);
	set_str(p, "container", f->location.container);
	if (f->location.in_final_image >= 0)
		json_object_set_new(p, "in_final_image", json_boolean(f->location.in_final_image));
	if (f->has_priority) {
		json_object_set_new(p, "kev", json_boolean(f->kev));
		if (f->epss >= 0)
			json_object_set_new(p, "epss", json_real(f->epss));
		if (f->rank > 0)
			json_object_set_new(p, "rank", json_integer(f->rank));
	}
	set_str(p, "remediation", f->remediation);
	json_object_set_new(res, "properties", p);
	return res;
}

int bw_report_write_sarif(const struct bw_report *r, FILE *out, const struct bw_write_opts *opts,
			  struct bw_error *err)
{
	json_t *root = json_object();
	json_object_set_new(root, "$schema", json_string(SARIF_SCHEMA));
	json_object_set_new(root, "version", json_string("2.1.0"));
	json_t *run = json_object();

	json_t *driver = json_object();
	json_object_set_new(driver, "name", json_string("bulwark"));
	if (opts->tool_version) {
		set_str(driver, "version", opts->tool_version);
		set_str(driver, "semanticVersion", opts->tool_version);
	}
	json_t *rules = json_array();
	size_t *rule_of = bw_calloc(r->n_findings ? r->n_findings : 1, sizeof(*rule_of));
	/* distinct ids in order of first appearance; a small open-addressing index */
	size_t cap = 64;
	while (cap < 2 * r->n_findings + 2)
		cap *= 2;
	struct rule_slot *slots = bw_calloc(cap, sizeof(*slots));
	size_t n_rules = 0, n_shown = 0, n_left = 0;
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct bw_finding *f = &r->findings[i];
		if (!bw_report_finding_shown(f, opts))
			continue;
		if (n_shown == GITHUB_MAX_RESULTS) {
			n_left++;
			continue;
		}
		n_shown++;
		const char *id = f->id ? f->id : "unknown";
		size_t h = 1469598103934665603ull;
		for (const char *p = id; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ull;
		size_t k = h & (cap - 1);
		while (slots[k].id && strcmp(slots[k].id, id))
			k = (k + 1) & (cap - 1);
		if (!slots[k].id) {
			slots[k].id = id;
			slots[k].index = n_rules++;
			json_array_append_new(rules, rule_json(f));
		}
		rule_of[i] = slots[k].index;
	}
	free(slots);
	json_object_set_new(driver, "rules", rules);
	json_t *tool = json_object();
	json_object_set_new(tool, "driver", driver);
	json_object_set_new(run, "tool", tool);

	json_t *inv = json_object();
	json_object_set_new(inv, "executionSuccessful", json_boolean(r->n_warnings == 0));
	if (r->n_warnings || n_left) {
		json_t *notes = json_array();
		if (n_left) {
			json_t *n = json_object();
			char *msg =
			    bw_asprintf("%zu lower-ranked results left out: GitHub code scanning reads "
					"at most %d results a run",
					n_left, GITHUB_MAX_RESULTS);
			json_object_set_new(n, "level", json_string("warning"));
			json_object_set_new(n, "message", text(msg));
			free(msg);
			json_array_append_new(notes, n);
		}
		for (size_t i = 0; i < r->n_warnings; i++) {
			json_t *n = json_object();
			json_object_set_new(n, "level", json_string("warning"));
			json_object_set_new(n, "message", text(r->warnings[i]));
			json_array_append_new(notes, n);
		}
		json_object_set_new(inv, "toolExecutionNotifications", notes);
	}
	json_t *invs = json_array();
	json_array_append_new(invs, inv);
	json_object_set_new(run, "invocations", invs);

	json_t *rp = json_object();
	set_str(rp, "target_type", r->target.type);
	set_str(rp, "target_name", r->target.name);
	set_str(rp, "target_digest", r->target.digest);
	json_object_set_new(rp, "schema", json_string(BW_REPORT_SCHEMA));
	json_object_set_new(run, "properties", rp);
	json_object_set_new(run, "columnKind", json_string("unicodeCodePoints"));

	/* the results are streamed one by one: a large report never becomes one JSON tree */
	bool first = true;
	fputc('{', out);
	bw_report_json_put(out, "$schema", json_string(SARIF_SCHEMA), 1, &first);
	bw_report_json_put(out, "version", json_string("2.1.0"), 1, &first);
	fputs(",\n  \"runs\": [\n    {", out);
	bool rf = true;
	const char *key;
	json_t *v;
	json_object_foreach(run, key, v) bw_report_json_put(out, key, json_incref(v), 3, &rf);
	fputs(",\n      \"results\": [", out);
	bool resf = true;
	size_t written = 0;
	for (size_t i = 0; i < r->n_findings && written < GITHUB_MAX_RESULTS; i++) {
		const struct bw_finding *f = &r->findings[i];
		if (bw_report_finding_shown(f, opts)) {
			bw_report_json_put(out, NULL, result_json(r, f, rule_of[i]), 4, &resf);
			written++;
		}
	}
	fprintf(out, "%s]\n    }\n  ]\n}\n", resf ? "" : "\n      ");
	free(rule_of);
	json_decref(run);
	json_decref(root);
	if (ferror(out))
		return bw_error_sys(err, BW_EIO, "writing the SARIF report failed");
	return 0;
}
