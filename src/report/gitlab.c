/* GitLab's report formats.
 *
 * --format gitlab: the container-scanning security report, schema 15.x
 * (version "15.0.7"): scan {analyzer, scanner, type, start_time,
 * end_time, status}, and one vulnerability per vulnerability finding
 * listed at --severity, each with a stable id (derived from the finding's
 * fingerprint, so a rescan keeps it), name (at most 255 characters),
 * severity in GitLab's words, solution, identifiers (the id first: GitLab
 * tracks by it; then aliases, at most 20), links, and the location
 * GitLab's container-scanning schema requires: dependency {package
 * {name}, version}, operating_system ("debian:12") and image.
 *
 * --format gitlab-codequality: the code-quality report (Code Climate's
 * issue subset GitLab reads), an array of {description, check_name,
 * fingerprint, severity, location {path, lines {begin}}}, for findings of
 * any kind that a file holds (lint and configuration findings above all);
 * a finding without a path is placed at the target's name, line 1.
 */
#include <time.h>

#include "report-int.h"

static json_t *jstr_n(const char *s, size_t max)
{
	if (!s)
		s = "";
	size_t n = strlen(s);
	if (n > max) {
		/* cut on a character boundary */
		n = max;
		while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	json_t *j = json_stringn(s, n);
	return j ? j : json_string("?");
}

static const char *gitlab_severity(enum bw_severity s)
{
	static const char *const names[] = {"Unknown", "Info", "Low", "Medium", "High", "Critical"};
	return (unsigned)s < BW_ARRAY_SIZE(names) ? names[s] : "Unknown";
}

static json_t *identifier(const char *id, const char *url)
{
	const char *type = "bulwark";
	static const struct {
		const char *prefix, *type;
	} types[] = {{"CVE-", "cve"},	  {"GHSA-", "ghsa"}, {"DSA-", "dsa"},	     {"DLA-", "dla"},
		     {"USN-", "usn"},	  {"RHSA-", "rhsa"}, {"ELSA-", "elsa"},	     {"ALSA-", "alsa"},
		     {"PYSEC-", "pysec"}, {"GO-", "go"},     {"RUSTSEC-", "rustsec"}};
	for (size_t i = 0; i < BW_ARRAY_SIZE(types); i++)
		if (bw_strncasecmp(id, types[i].prefix, strlen(types[i].prefix)) == 0)
			type = types[i].type;
	json_t *o = json_object();
	json_object_set_new(o, "type", json_string(type));
	json_object_set_new(o, "name", jstr_n(id, 255));
	json_object_set_new(o, "value", jstr_n(id, 255));
	if (url)
		json_object_set_new(o, "url", jstr_n(url, 2000));
	return o;
}

/* A UUID-shaped id from the fingerprint: the same finding keeps its id. */
static void stable_id(const struct bw_finding *f, char out[37])
{
	char fp[65];
	bw_report_fingerprint(f, fp);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", fp, fp + 8, fp + 12, fp + 16, fp + 20);
}

static void gitlab_time(char out[32])
{
	char t[32];
	bw_report_timestamp(t); /* "YYYY-MM-DDThh:mm:ssZ": GitLab's pattern has no zone */
	snprintf(out, 32, "%.19s", t);
}

static json_t *tool(const struct bw_write_opts *opts)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string("bulwark"));
	json_object_set_new(o, "name", json_string("bulwark"));
	json_object_set_new(o, "version", jstr_n(opts->tool_version ? opts->tool_version : "0", 64));
	json_t *v = json_object();
	json_object_set_new(v, "name", json_string("bulwark"));
	json_object_set_new(o, "vendor", v);
	return o;
}

static json_t *vulnerability(const struct bw_report *r, const struct bw_finding *f)
{
	json_t *v = json_object();
	char id[37], url[512];
	stable_id(f, id);
	json_object_set_new(v, "id", json_string(id));
	json_object_set_new(v, "name", jstr_n(f->title ? f->title : f->id, 255));
	struct bw_buf m;
	bw_buf_init(&m, 1 << 20);
	bw_report_finding_message(f, &m);
	json_object_set_new(v, "message", jstr_n(m.data, 1024));
	bw_buf_release(&m);
	json_object_set_new(v, "description", jstr_n(f->evidence ? f->evidence : f->title, 1048576));
	json_object_set_new(v, "severity", json_string(gitlab_severity(f->severity)));
	if (f->fixed_version || f->remediation) {
		char *sol = f->fixed_version ? bw_asprintf("Upgrade %s to %s",
							   f->package.name ? f->package.name : "the package",
							   f->fixed_version)
					     : bw_strdup(f->remediation);
		json_object_set_new(v, "solution", jstr_n(sol, 7000));
		free(sol);
	}
	const char *uri = bw_report_help_uri(f, url, sizeof(url));
	json_t *ids = json_array();
	json_array_append_new(ids, identifier(f->id ? f->id : "unknown", uri));
	for (size_t i = 0; i < f->n_equivalent && json_array_size(ids) < 20; i++)
		if (f->equivalent[i] && *f->equivalent[i])
			json_array_append_new(ids, identifier(f->equivalent[i], NULL));
	json_object_set_new(v, "identifiers", ids);
	if (uri) {
		json_t *links = json_array(), *l = json_object();
		json_object_set_new(l, "url", json_string(uri));
		json_array_append_new(links, l);
		json_object_set_new(v, "links", links);
	}
	json_t *loc = json_object(), *dep = json_object(), *pkg = json_object();
	json_object_set_new(pkg, "name", jstr_n(f->package.name ? f->package.name : f->id, 1024));
	json_object_set_new(dep, "package", pkg);
	json_object_set_new(dep, "version",
			    jstr_n(f->installed_version ? f->installed_version
							: (f->package.version ? f->package.version : ""),
				   1024));
	json_object_set_new(loc, "dependency", dep);
	char os[256];
	if (r->os.id)
		snprintf(os, sizeof(os), "%s:%s", r->os.id, r->os.version ? r->os.version : "unknown");
	else
		snprintf(os, sizeof(os), "unknown");
	json_object_set_new(loc, "operating_system", jstr_n(os, 255));
	json_object_set_new(loc, "image", jstr_n(r->target.name ? r->target.name : "unknown", 1024));
	json_object_set_new(v, "location", loc);
	return v;
}

int bw_report_write_gitlab(const struct bw_report *r, FILE *out, const struct bw_write_opts *opts,
			   struct bw_error *err)
{
	char now[32];
	gitlab_time(now);
	json_t *scan = json_object();
	json_object_set_new(scan, "analyzer", tool(opts));
	json_object_set_new(scan, "scanner", tool(opts));
	json_object_set_new(scan, "type", json_string("container_scanning"));
	json_object_set_new(scan, "start_time", json_string(now));
	json_object_set_new(scan, "end_time", json_string(now));
	json_object_set_new(scan, "status", json_string("success"));
	if (r->n_warnings) {
		json_t *msgs = json_array();
		for (size_t i = 0; i < r->n_warnings; i++) {
			json_t *m = json_object();
			json_object_set_new(m, "level", json_string("warn"));
			json_object_set_new(m, "value", jstr_n(r->warnings[i], 4096));
			json_array_append_new(msgs, m);
		}
		json_object_set_new(scan, "messages", msgs);
	}
	bool first = true;
	fputc('{', out);
	bw_report_json_put(out, "version", json_string("15.0.7"), 1, &first);
	bw_report_json_put(out, "scan", scan, 1, &first);
	fputs(",\n  \"vulnerabilities\": [", out);
	bool vf = true;
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct bw_finding *f = &r->findings[i];
		if (f->kind == BW_KIND_VULNERABILITY && f->status != BW_STATUS_SUPPRESSED &&
		    bw_report_finding_listed(f, opts))
			bw_report_json_put(out, NULL, vulnerability(r, f), 2, &vf);
	}
	fprintf(out, "%s],\n  \"remediations\": []\n}\n", vf ? "" : "\n  ");
	if (ferror(out))
		return bw_error_sys(err, BW_EIO, "writing the GitLab report failed");
	return 0;
}

static const char *codequality_severity(enum bw_severity s)
{
	switch (s) {
	case BW_SEV_CRITICAL:
		return "blocker";
	case BW_SEV_HIGH:
		return "critical";
	case BW_SEV_MEDIUM:
		return "major";
	case BW_SEV_LOW:
		return "minor";
	default:
		return "info";
	}
}

int bw_report_write_codequality(const struct bw_report *r, FILE *out, const struct bw_write_opts *opts,
				struct bw_error *err)
{
	bool first = true;
	fputc('[', out);
	struct bw_buf m;
	bw_buf_init(&m, 1 << 20);
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct bw_finding *f = &r->findings[i];
		if (f->status == BW_STATUS_SUPPRESSED || !bw_report_finding_listed(f, opts))
			continue;
		json_t *o = json_object();
		bw_buf_reset(&m);
		bw_buf_printf(&m, "%s: ", f->id ? f->id : "unknown");
		bw_report_finding_message(f, &m);
		json_object_set_new(o, "type", json_string("issue"));
		json_object_set_new(o, "description", jstr_n(m.data, 4096));
		json_object_set_new(o, "check_name", jstr_n(f->id ? f->id : "unknown", 255));
		json_t *cat = json_array();
		json_array_append_new(cat, json_string(f->kind == BW_KIND_MISCONFIG ? "Style" : "Security"));
		json_object_set_new(o, "categories", cat);
		char fp[65];
		bw_report_fingerprint(f, fp);
		json_object_set_new(o, "fingerprint", json_string(fp));
		json_object_set_new(o, "severity", json_string(codequality_severity(f->severity)));
		json_t *loc = json_object(), *lines = json_object();
		const char *path =
		    f->location.path ? f->location.path : (r->target.name ? r->target.name : "-");
		json_object_set_new(loc, "path", jstr_n(path, 4096));
		json_object_set_new(lines, "begin",
				    json_integer(f->location.line > 0 ? f->location.line : 1));
		if (f->location.end_line >= f->location.line && f->location.line > 0)
			json_object_set_new(lines, "end", json_integer(f->location.end_line));
		json_object_set_new(loc, "lines", lines);
		json_object_set_new(o, "location", loc);
		json_object_set_new(o, "engine_name", json_string("bulwark"));
		bw_report_json_put(out, NULL, o, 1, &first);
	}
	bw_buf_release(&m);
	fputs(first ? "]\n" : "\n]\n", out);
	if (ferror(out))
		return bw_error_sys(err, BW_EIO, "writing the code-quality report failed");
	return 0;
}
