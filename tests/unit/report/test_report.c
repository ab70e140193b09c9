/* The report model and its writers: a report built in code with every
 * field set is written in each format to memory, parsed back (jansson) and
 * checked field by field — the JSON report against docs/report-schema.md
 * (its example document and its field table), SARIF 2.1.0, CycloneDX 1.6
 * and SPDX 2.3 against what their writers promise — and the table for what
 * a reader sees; hostile bytes (C0, C1, DEL, invalid UTF-8) in every text
 * field keep the table free of control bytes (shown as \xNN) and every JSON
 * document valid and whole; bw_report_sort's order; the name tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "report/report-int.h"

static const char *schema_doc; /* docs/report-schema.md */

#define DIGEST "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define LAYER "sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

/* ---- writing to memory and reading back ---- */

static char *write_report(const struct bw_report *r, enum bw_format fmt, const struct bw_write_opts *opts,
			  size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	assert_non_null(f);
	struct bw_error err = BW_ERROR_INIT;
	int rc = bw_report_write(r, fmt, f, opts, &err);
	fclose(f);
	if (rc)
		fail_msg("writing %s: %s", bw_format_name(fmt), err.msg);
	if (len)
		*len = n;
	return buf;
}

static json_t *write_json(const struct bw_report *r, enum bw_format fmt, const struct bw_write_opts *opts)
{
	size_t n;
	char *text = write_report(r, fmt, opts, &n);
	json_error_t je;
	json_t *j = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		fail_msg("%s output is not JSON: %s (line %d, column %d)", bw_format_name(fmt), je.text,
			 je.line, je.column);
	free(text);
	return j;
}

/* A value by path: "runs[0].tool.driver.name"; NULL when absent. */
static json_t *jget(json_t *root, const char *path)
{
	char *copy = bw_strdup(path);
	json_t *v = root;
	for (char *p = copy; v && p && *p;) {
		char *dot = strchr(p, '.');
		if (dot)
			*dot = '\0';
		char *br = strchr(p, '[');
		if (br)
			*br = '\0';
		if (*p)
			v = json_object_get(v, p);
		while (v && br) {
			v = json_array_get(v, strtoul(br + 1, NULL, 10));
			br = strchr(br + 1, '[');
		}
		p = dot ? dot + 1 : NULL;
	}
	free(copy);
	return v;
}

static void want_str(json_t *root, const char *path, const char *want)
{
	json_t *v = jget(root, path);
	if (!json_is_string(v))
		fail_msg("%s: not a string (want \"%s\")", path, want);
	if (strcmp(json_string_value(v), want) != 0)
		fail_msg("%s: \"%s\", want \"%s\"", path, json_string_value(v), want);
}

static void want_int(json_t *root, const char *path, json_int_t want)
{
	json_t *v = jget(root, path);
	if (!json_is_integer(v) || json_integer_value(v) != want)
		fail_msg("%s: want %lld", path, (long long)want);
}

static void want_real(json_t *root, const char *path, double want)
{
	json_t *v = jget(root, path);
	if (!json_is_number(v) || json_number_value(v) != want)
		fail_msg("%s: want %g", path, want);
}

static void want_bool(json_t *root, const char *path, bool want)
{
	json_t *v = jget(root, path);
	if (!json_is_boolean(v) || json_is_true(v) != want)
		fail_msg("%s: want %s", path, want ? "true" : "false");
}

static void want_size(json_t *root, const char *path, size_t want)
{
	json_t *v = jget(root, path);
	size_t n = json_is_array(v)    ? json_array_size(v)
		   : json_is_object(v) ? json_object_size(v)
				       : (size_t)-1;
	if (n != want)
		fail_msg("%s: %zd members, want %zu", path, (ssize_t)n, want);
}

static void want_absent(json_t *root, const char *path)
{
	if (jget(root, path))
		fail_msg("%s: present, want absent", path);
}

/* ---- the report with every field set ---- */

static const struct bw_write_opts all_opts = {.min_severity = BW_SEV_UNKNOWN, .tool_version = "9.9.9"};

static const struct bw_hash all_hashes[] = {
    {BW_HASH_SHA1, "a9993e364706816aba3e25717850c26c9cd0d89d"},
    {BW_HASH_SHA256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {BW_HASH_SHA384,
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
    {BW_HASH_SHA512,
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a"
     "3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
    /* h1:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0= */
    {BW_HASH_GO_H1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    /* Q1qZk+NkcGgWq6PiVxeFDCbJzQ2J0= */
    {BW_HASH_APK_Q1, "a9993e364706816aba3e25717850c26c9cd0d89d"},
};

static void add_strs(struct bw_report *r, const char ***arr, size_t *n, const char *const *items, size_t k)
{
	const char **a = bw_arena_alloc(&r->arena, k * sizeof(*a));
	for (size_t i = 0; i < k; i++)
		a[i] = bw_report_str(r, items[i]);
	*arr = a;
	*n = k;
}

static struct bw_report *full_report(void)
{
	struct bw_report *r = bw_report_new("image", "docker-archive:app.tar");
	r->target.digest = DIGEST;
	r->os.id = "debian";
	r->os.version = "12";
	r->os.codename = "bookworm";
	r->list_packages = true;

	size_t k = bw_report_add_package(r); /* the array may move: index first */
	struct bw_package *p = &r->packages[k];
	p->name = "libssl3";
	p->version = "3.0.11-1~deb12u2";
	p->ecosystem = "Debian";
	p->purl = "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12";
	p->source_name = "openssl";
	p->source_version = "3.0.11-1~deb12u2";
	static const char *const lic[] = {"Apache-2.0", "OpenSSL"};
	add_strs(r, &p->licenses, &p->n_licenses, lic, 2);
	p->layer = LAYER;
	p->path = "/var/lib/dpkg/status";
	static const char *const dep[] = {"pkg:deb/debian/libc6@2.36-9"};
	add_strs(r, &p->depends, &p->n_depends, dep, 1);
	p->origin = "local";
	p->application = true;
	p->hashes = all_hashes;
	p->n_hashes = BW_ARRAY_SIZE(all_hashes);

	k = bw_report_add_package(r);
	p = &r->packages[k];
	p->name = "libc6";
	p->version = "2.36-9";
	p->ecosystem = "Debian";
	p->purl = "pkg:deb/debian/libc6@2.36-9";
	static const char *const prose[] = {"GPL-2+ and LGPL-2.1+"};
	add_strs(r, &p->licenses, &p->n_licenses, prose, 1);
	k = bw_report_add_package(r); /* the same purl installed twice */
	p = &r->packages[k];
	p->name = "libc6";
	p->version = "2.36-9";
	p->ecosystem = "Debian";
	p->purl = "pkg:deb/debian/libc6@2.36-9";

	struct bw_finding *f = bw_report_add_finding(r, BW_KIND_VULNERABILITY); /* 0 */
	f->id = "CVE-2024-1234";
	bw_finding_add_equivalent(r, f, "DSA-5678-1");
	bw_finding_add_equivalent(r, f, "GHSA-aaaa-bbbb-cccc");
	f->severity = BW_SEV_HIGH;
	f->status = BW_STATUS_FAIL;
	f->title = "buffer overflow in X.509 parsing";
	f->package =
	    (struct bw_package_ref){"libssl3", "3.0.11-1~deb12u2", "Debian",
				    "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12"};
	f->installed_version = "3.0.11-1~deb12u2";
	f->fixed_version = "3.0.13-1~deb12u1";
	struct bw_cvss_rating c4 = {
	    "4.0",    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
	    9.3,      BW_SEV_CRITICAL,
	    "CVSS-B", "GHSA-aaaa-bbbb-cccc"};
	struct bw_cvss_rating c3 = {
	    "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, BW_SEV_CRITICAL, NULL, "DSA-5678-1"};
	bw_finding_add_cvss(r, f, &c4);
	bw_finding_add_cvss(r, f, &c3);
	f->has_priority = true;
	f->kev = true;
	f->epss = 0.97;
	f->rank = 1;
	f->location = (struct bw_location){LAYER, "/etc/app.conf", 3, 1, 3, 20, "web", 1};
	f->evidence = "openssl 3.0.11 in /var/lib/dpkg/status";
	f->remediation = "upgrade libssl3 to 3.0.13-1~deb12u1";
	f->suppressed_by = "nothing, but every field is set";
	f->severity_source = "cvss_v3.1";
	static const struct bw_severity_rating by_source[] = {
	    {"cvss_v3.1", BW_SEV_HIGH}, {"debian_urgency", BW_SEV_LOW}, {"nvd", BW_SEV_CRITICAL}};
	bw_finding_set_severity_ratings(r, f, by_source, BW_ARRAY_SIZE(by_source));
	f->url = "https://security-tracker.debian.org/tracker/CVE-2024-1234";
	bw_finding_add_reference(r, f, "https://www.openssl.org/news/secadv/20240101.txt");

	f = bw_report_add_finding(r, BW_KIND_SECRET); /* 1 */
	f->id = "BW-SEC-AWS-001";
	f->severity = BW_SEV_CRITICAL;
	f->title = "AWS access key";
	f->location =
	    (struct bw_location){.layer = LAYER, .path = "/app/.env", .line = 2, .in_final_image = 0};
	f->evidence = "AKIA************MPLE";
	bw_finding_add_location(
	    r, f,
	    &(struct bw_location){.path = "config:history", .line = 4, .column = 7, .in_final_image = 1});

	f = bw_report_add_finding(r, BW_KIND_MISCONFIG); /* 2 */
	f->id = "BW-DF-003";
	bw_finding_add_equivalent(r, f, "DL3008");
	f->severity = BW_SEV_MEDIUM;
	f->status = BW_STATUS_WARN;
	f->title = "pin versions in apt-get install";
	f->location = (struct bw_location){.path = "Dockerfile",
					   .line = 4,
					   .column = 1,
					   .end_line = 4,
					   .end_column = 12,
					   .in_final_image = -1};
	f->remediation = "apt-get install pkg=version";

	f = bw_report_add_finding(r, BW_KIND_AUDIT); /* 3 */
	f->id = "CIS-5.4";
	f->severity = BW_SEV_INFO;
	f->status = BW_STATUS_PASS;
	f->title = "privileged containers are not used";
	f->location.container = "web";

	f = bw_report_add_finding(r, BW_KIND_RUNTIME); /* 4 */
	f->id = "BW-RT-001";
	f->severity = BW_SEV_LOW;
	f->status = BW_STATUS_MANUAL;
	f->title = "review the shell spawned in a container";

	f = bw_report_add_finding(r, BW_KIND_VULNERABILITY); /* 5 */
	f->id = "CVE-2023-0001";
	f->severity = BW_SEV_UNKNOWN;
	f->status = BW_STATUS_SUPPRESSED;
	f->package = (struct bw_package_ref){"libc6", "2.36-9", "Debian", "pkg:deb/debian/libc6@2.36-9"};
	f->installed_version = "2.36-9";
	f->suppressed_by = ".bulwarkignore:3";
	f->has_priority = true; /* no EPSS, no rank */

	f = bw_report_add_finding(r, BW_KIND_MISCONFIG); /* 6 */
	f->id = "BW-IMG-001";
	f->severity = BW_SEV_LOW;
	f->status = BW_STATUS_INFO;
	f->title = "image runs as root";
	f->location.path = "/opt/my app/100%.conf";

	f = bw_report_add_finding(r, BW_KIND_VULNERABILITY); /* 7: same id, another package */
	f->id = "CVE-2024-1234";
	f->severity = BW_SEV_HIGH;
	f->package = (struct bw_package_ref){"libc6", "2.36-9", "Debian", "pkg:deb/debian/libc6@2.36-9"};
	f->installed_version = "2.36-9";

	bw_report_warn(r, "layer %d: /usr/lib/x.jar: not a zip archive", 2);
	bw_report_warn(r, "no vulnerability database");

	struct bw_coverage *c = &r->coverage;
	c->present = true;
	c->partial = true;
	c->unchecked = 1;
	c->database = "/root/.cache/bulwark/db.sqlite";
	c->distro = "debian:12";
	c->max_age = 7;
	struct bw_coverage_entry *e = bw_coverage_add_entry(r, "Debian:12");
	e->packages = 2;
	e->advisories = 41022;
	e->data_date = "2024-10-10T00:00:00Z";
	e->age_days = 2;
	bw_coverage_add_source(
	    r, e, &(struct bw_coverage_source){"osv:Debian", 41022, "2024-10-10T00:00:00Z", 2, false});
	e = bw_coverage_add_entry(r, "npm");
	e->packages = 1;
	e->reason = "the database holds no advisories for npm";
	e->age_days = -1;
	bw_coverage_add_source(r, NULL, &(struct bw_coverage_source){"kev", -1, "2024-10-09", 3, false});
	return r;
}

/* ---- the JSON report ---- */

static void test_json_every_field(void **state)
{
	(void)state;
	struct bw_report *r = full_report();
	json_t *j = write_json(r, BW_FORMAT_JSON, &all_opts);
	want_str(j, "schema", "bulwark.report/v1");
	want_str(j, "tool.name", "bulwark");
	want_str(j, "tool.version", "9.9.9");
	want_str(j, "target.type", "image");
	want_str(j, "target.name", "docker-archive:app.tar");
	want_str(j, "target.digest", DIGEST);
	want_str(j, "os.id", "debian");
	want_str(j, "os.version", "12");
	want_str(j, "os.codename", "bookworm");

	want_size(j, "packages", 3);
	want_str(j, "packages[0].name", "libssl3");
	want_str(j, "packages[0].version", "3.0.11-1~deb12u2");
	want_str(j, "packages[0].ecosystem", "Debian");
	want_str(j, "packages[0].purl", r->packages[0].purl);
	want_str(j, "packages[0].source_name", "openssl");
	want_str(j, "packages[0].source_version", "3.0.11-1~deb12u2");
	want_size(j, "packages[0].licenses", 2);
	want_str(j, "packages[0].licenses[1]", "OpenSSL");
	want_str(j, "packages[0].layer", LAYER);
	want_str(j, "packages[0].path", "/var/lib/dpkg/status");
	want_str(j, "packages[0].origin", "local");
	want_bool(j, "packages[0].application", true);
	want_size(j, "packages[0].depends", 1);
	want_str(j, "packages[0].depends[0]", "pkg:deb/debian/libc6@2.36-9");
	want_size(j, "packages[0].hashes", BW_ARRAY_SIZE(all_hashes));
	for (size_t i = 0; i < BW_ARRAY_SIZE(all_hashes); i++) {
		char path[64];
		snprintf(path, sizeof(path), "packages[0].hashes[%zu].algorithm", i);
		want_str(j, path, bw_hash_alg_name(all_hashes[i].alg));
		snprintf(path, sizeof(path), "packages[0].hashes[%zu].value", i);
		want_str(j, path, all_hashes[i].hex);
	}
	/* omitted when not set (docs/report-schema.md); licenses always an array */
	want_size(j, "packages[2].licenses", 0);
	want_absent(j, "packages[2].depends");
	want_absent(j, "packages[2].origin");
	want_absent(j, "packages[2].application");
	want_absent(j, "packages[2].hashes");
	want_absent(j, "packages[2].source_name");

	want_size(j, "findings", r->n_findings);
	want_str(j, "findings[0].kind", "vulnerability");
	want_str(j, "findings[0].id", "CVE-2024-1234");
	want_size(j, "findings[0].equivalent", 2);
	want_str(j, "findings[0].equivalent[0]", "DSA-5678-1");
	want_str(j, "findings[0].equivalent[1]", "GHSA-aaaa-bbbb-cccc");
	want_str(j, "findings[0].severity", "HIGH");
	want_str(j, "findings[0].status", "fail");
	want_str(j, "findings[0].title", "buffer overflow in X.509 parsing");
	want_str(j, "findings[0].package.name", "libssl3");
	want_str(j, "findings[0].package.version", "3.0.11-1~deb12u2");
	want_str(j, "findings[0].package.ecosystem", "Debian");
	want_str(j, "findings[0].package.purl", r->packages[0].purl);
	want_str(j, "findings[0].installed_version", "3.0.11-1~deb12u2");
	want_str(j, "findings[0].fixed_version", "3.0.13-1~deb12u1");
	want_size(j, "findings[0].cvss", 2);
	want_str(j, "findings[0].cvss[0].version", "4.0");
	want_str(j, "findings[0].cvss[0].vector", r->findings[0].cvss[0].vector);
	want_real(j, "findings[0].cvss[0].score", 9.3);
	want_str(j, "findings[0].cvss[0].severity", "CRITICAL");
	want_str(j, "findings[0].cvss[0].nomenclature", "CVSS-B");
	want_str(j, "findings[0].cvss[0].source", "GHSA-aaaa-bbbb-cccc");
	want_str(j, "findings[0].cvss[1].version", "3.1");
	want_real(j, "findings[0].cvss[1].score", 9.8);
	want_absent(j, "findings[0].cvss[1].nomenclature");
	want_bool(j, "findings[0].priority.kev", true);
	want_real(j, "findings[0].priority.epss", 0.97);
	want_int(j, "findings[0].priority.rank", 1);
	want_str(j, "findings[0].location.layer", LAYER);
	want_str(j, "findings[0].location.path", "/etc/app.conf");
	want_int(j, "findings[0].location.line", 3);
	want_int(j, "findings[0].location.column", 1);
	want_int(j, "findings[0].location.end_line", 3);
	want_int(j, "findings[0].location.end_column", 20);
	want_str(j, "findings[0].location.container", "web");
	want_bool(j, "findings[0].location.in_final_image", true);
	want_str(j, "findings[0].evidence", r->findings[0].evidence);
	want_str(j, "findings[0].remediation", r->findings[0].remediation);
	want_str(j, "findings[0].suppressed_by", r->findings[0].suppressed_by);
	/* a deleted file's finding; what is unset is absent */
	want_str(j, "findings[1].kind", "secret");
	want_bool(j, "findings[1].location.in_final_image", false);
	want_absent(j, "findings[1].location.column");
	want_absent(j, "findings[1].priority");
	want_absent(j, "findings[1].cvss");
	want_absent(j, "findings[1].equivalent");
	want_absent(j, "findings[1].package");
	want_str(j, "findings[2].kind", "misconfiguration");
	want_str(j, "findings[2].status", "warn");
	want_absent(j, "findings[2].location.in_final_image");
	want_str(j, "findings[3].kind", "audit");
	want_str(j, "findings[3].status", "pass");
	want_str(j, "findings[3].location.container", "web");
	want_str(j, "findings[4].kind", "runtime");
	want_str(j, "findings[4].status", "manual");
	want_absent(j, "findings[4].location");
	want_str(j, "findings[5].status", "suppressed");
	want_str(j, "findings[5].severity", "UNKNOWN");
	want_bool(j, "findings[5].priority.kev", false);
	want_absent(j, "findings[5].priority.epss");
	want_absent(j, "findings[5].priority.rank");
	want_str(j, "findings[6].status", "info");

	/* counts of the findings written */
	want_int(j, "summary.by_kind.vulnerability", 3);
	want_int(j, "summary.by_kind.secret", 1);
	want_int(j, "summary.by_kind.misconfiguration", 2);
	want_int(j, "summary.by_kind.audit", 1);
	want_int(j, "summary.by_kind.runtime", 1);
	want_int(j, "summary.by_severity.CRITICAL", 1);
	want_int(j, "summary.by_severity.HIGH", 2);
	want_int(j, "summary.by_severity.MEDIUM", 1);
	want_int(j, "summary.by_severity.LOW", 2);
	want_int(j, "summary.by_severity.INFO", 1);
	want_int(j, "summary.by_severity.UNKNOWN", 1);
	want_size(j, "warnings", 2);
	want_str(j, "warnings[0]", "layer 2: /usr/lib/x.jar: not a zip archive");
	json_decref(j);

	/* --severity HIGH: what is below is left out of findings and summary; pass stays */
	struct bw_write_opts high = all_opts;
	high.min_severity = BW_SEV_HIGH;
	j = write_json(r, BW_FORMAT_JSON, &high);
	want_size(j, "findings", 4);
	want_str(j, "findings[0].id", "CVE-2024-1234");
	want_str(j, "findings[1].id", "BW-SEC-AWS-001");
	want_str(j, "findings[2].id", "CIS-5.4");
	want_str(j, "findings[3].id", "CVE-2024-1234");
	want_size(j, "summary.by_kind", 3);
	want_int(j, "summary.by_severity.HIGH", 2);
	want_int(j, "summary.by_severity.INFO", 1);
	want_absent(j, "summary.by_severity.LOW");
	json_decref(j);
	bw_report_free(r);

	/* an empty report: no os, no packages unless asked, empty findings */
	r = bw_report_new("filesystem", "/srv");
	j = write_json(r, BW_FORMAT_JSON, &all_opts);
	want_absent(j, "os");
	want_absent(j, "packages");
	want_absent(j, "target.digest");
	want_absent(j, "warnings");
	want_size(j, "findings", 0);
	want_size(j, "summary.by_kind", 0);
	json_decref(j);
	r->list_packages = true;
	j = write_json(r, BW_FORMAT_JSON, &all_opts);
	want_size(j, "packages", 0);
	json_decref(j);
	bw_report_free(r);
}

/* ---- the JSON report against docs/report-schema.md ---- */

static char *read_doc(void)
{
	struct bw_buf b;
	bw_buf_init(&b, 1 << 20);
	struct bw_error err = BW_ERROR_INIT;
	if (bw_buf_read_file(&b, schema_doc, &err) < 0)
		fail_msg("%s", err.msg);
	bw_buf_addstr(&b, "");
	return bw_buf_detach(&b, NULL);
}

/* Every member path of v: "findings[].location.line"; the members of the
 * summary's count objects are "*". */
static void collect_paths(json_t *v, const char *prefix, json_t *set)
{
	if (json_is_object(v)) {
		const char *k;
		json_t *m;
		bool counts =
		    strcmp(prefix, "summary.by_kind") == 0 || strcmp(prefix, "summary.by_severity") == 0;
		json_object_foreach(v, k, m)
		{
			char *p = bw_asprintf("%s%s%s", prefix, *prefix ? "." : "", counts ? "*" : k);
			json_object_set_new(set, p, json_true());
			collect_paths(m, p, set);
			free(p);
		}
	} else if (json_is_array(v)) {
		char *p = bw_asprintf("%s[]", prefix);
		size_t i;
		json_t *m;
		json_array_foreach(v, i, m)
		{
			collect_paths(m, p, set);
		}
		free(p);
	}
}

/* The `path`s of the field table's first column. */
static json_t *table_paths(const char *doc)
{
	json_t *set = json_object();
	for (const char *l = doc; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, "| `", 3) != 0)
			continue;
		const char *end = strchr(l + 3, '`');
		char *p = bw_strndup(l + 3, (size_t)(end - l - 3));
		json_object_set_new(set, p, json_true());
		free(p);
	}
	return set;
}

/* p names the member k: it is k, or ends with ".k" ("findings[].location.layer"). */
static bool names(const char *p, const char *k)
{
	size_t pl = strlen(p), kl = strlen(k);
	return pl >= kl && strcmp(p + pl - kl, k) == 0 && (pl == kl || p[pl - kl - 1] == '.');
}

/* Some path of set names k (or, the other way, k names a path of set). */
static bool any_names(json_t *set, const char *k, bool set_names_k)
{
	const char *p;
	json_t *v;
	json_object_foreach(set, p, v)
	{
		if (set_names_k ? names(p, k) : names(k, p))
			return true;
	}
	return false;
}

static const char *kind_name(int i)
{
	return bw_kind_name((enum bw_kind)i);
}

static const char *severity_name(int i)
{
	return bw_severity_name((enum bw_severity)i);
}

static const char *status_name(int i)
{
	return bw_status_name((enum bw_status)i);
}

static void test_json_matches_the_schema_doc(void **state)
{
	(void)state;
	char *doc = read_doc();
	const char *start = strstr(doc, "```json\n");
	assert_non_null(start);
	start += 8;
	const char *end = strstr(start, "```");
	json_error_t je;
	json_t *example = json_loadb(start, (size_t)(end - start), JSON_REJECT_DUPLICATES, &je);
	if (!example)
		fail_msg("the example of %s is not JSON: %s (line %d)", schema_doc, je.text, je.line);
	json_t *documented = json_object(), *table = table_paths(doc);
	collect_paths(example, "", documented);
	assert_true(json_object_size(table) >= 15);

	struct bw_report *r = full_report();
	json_t *j = write_json(r, BW_FORMAT_JSON, &all_opts), *written = json_object();
	collect_paths(j, "", written);
	const char *k;
	json_t *v;
	int missing = 0, undocumented = 0;
	json_object_foreach(documented, k, v)
	{
		if (!json_object_get(written, k)) {
			fprintf(stderr, "%s: documented, not written\n", k);
			missing++;
		}
	}
	json_object_foreach(written, k, v)
	{
		if (!json_object_get(documented, k) && !any_names(table, k, false)) {
			fprintf(stderr, "%s: written, not documented in %s\n", k, schema_doc);
			undocumented++;
		}
	}
	json_object_foreach(table, k, v)
	{
		if (!any_names(written, k, true)) {
			fprintf(stderr, "%s: in the field table, never written\n", k);
			missing++;
		}
	}
	assert_int_equal(missing, 0);
	assert_int_equal(undocumented, 0);

	/* the enumerations of the field table are the code's names */
	static const struct {
		const char *row;
		const char *(*name)(int);
		int n;
	} enums[] = {
	    {"findings[].kind", kind_name, BW_KIND__COUNT},
	    {"findings[].severity", severity_name, BW_SEV_CRITICAL + 1},
	    {"findings[].status", status_name, BW_STATUS_SUPPRESSED + 1},
	};
	for (size_t e = 0; e < BW_ARRAY_SIZE(enums); e++) {
		char *row = bw_asprintf("| `%s` |", enums[e].row);
		const char *l = strstr(doc, row);
		if (!l)
			fail_msg("%s: no row for %s", schema_doc, enums[e].row);
		l += strlen(row);
		const char *eol = strchr(l, '\n');
		int listed = 0;
		for (const char *q = strchr(l, '`'); q && q < eol; q = strchr(q, '`')) {
			const char *qe = strchr(q + 1, '`');
			bool known = false;
			for (int i = 0; i < enums[e].n; i++)
				known |= strlen(enums[e].name(i)) == (size_t)(qe - q - 1) &&
					 strncmp(enums[e].name(i), q + 1, (size_t)(qe - q - 1)) == 0;
			if (!known)
				fail_msg("%s lists '%.*s', which the code does not name", enums[e].row,
					 (int)(qe - q - 1), q + 1);
			listed++;
			q = qe + 1;
		}
		assert_int_equal(listed, enums[e].n);
		free(row);
	}
	json_decref(j);
	json_decref(written);
	json_decref(documented);
	json_decref(table);
	json_decref(example);
	bw_report_free(r);
	free(doc);
}

/* ---- SARIF ---- */

static json_t *sarif_result(json_t *j, const char *id, const char *name)
{
	json_t *res = jget(j, "runs[0].results");
	size_t i;
	json_t *x;
	json_array_foreach(res, i, x)
	{
		const char *pn = json_string_value(jget(x, "properties.package.name"));
		if (strcmp(json_string_value(json_object_get(x, "ruleId")), id) == 0 &&
		    (!name || (pn && strcmp(pn, name) == 0)))
			return x;
	}
	fail_msg("no SARIF result %s", id);
	return NULL;
}

static void test_sarif(void **state)
{
	(void)state;
	struct bw_report *r = full_report();
	/* an image's findings sit at the image reference (no --dockerfile), with
	 * their path and package as logical locations */
	json_t *j = write_json(r, BW_FORMAT_SARIF, &all_opts);
	json_t *v = sarif_result(j, "CVE-2024-1234", "libssl3");
	want_str(v, "locations[0].physicalLocation.artifactLocation.uri", "docker-archive%3Aapp.tar");
	want_int(v, "locations[0].physicalLocation.region.startLine", 1);
	want_str(v, "locations[0].logicalLocations[0].fullyQualifiedName", r->packages[0].purl);
	want_str(v, "locations[0].logicalLocations[1].fullyQualifiedName", "/etc/app.conf");
	want_str(v, "locations[0].logicalLocations[1].kind", "resource");
	assert_non_null(
	    strstr(json_string_value(jget(v, "message.text")), " [/etc/app.conf in docker-archive:app.tar]"));
	assert_int_equal(strlen(json_string_value(jget(v, "partialFingerprints.bulwarkFindingHash/v1"))), 64);
	/* GitHub's rule members */
	want_str(j, "runs[0].tool.driver.rules[0].fullDescription.text", "buffer overflow in X.509 parsing");
	want_str(j, "runs[0].tool.driver.rules[0].helpUri",
		 "https://security-tracker.debian.org/tracker/CVE-2024-1234");
	assert_non_null(strstr(json_string_value(jget(j, "runs[0].tool.driver.rules[0].help.text")),
			       "Fix: upgrade libssl3 to 3.0.13-1~deb12u1"));
	assert_non_null(strstr(json_string_value(jget(j, "runs[0].tool.driver.rules[0].help.markdown")),
			       "**CVE-2024-1234**"));
	/* with a layer placed in a Dockerfile: the instruction's lines */
	size_t li = bw_report_add_layer(r);
	r->layers[li].diff_id = LAYER;
	r->layers[li].source_path = "Dockerfile";
	r->layers[li].source_line = 4;
	r->layers[li].source_end_line = 6;
	json_decref(j);
	j = write_json(r, BW_FORMAT_SARIF, &all_opts);
	v = sarif_result(j, "CVE-2024-1234", "libssl3");
	want_str(v, "locations[0].physicalLocation.artifactLocation.uri", "Dockerfile");
	want_int(v, "locations[0].physicalLocation.region.startLine", 4);
	want_int(v, "locations[0].physicalLocation.region.endLine", 6);
	json_decref(j);

	/* the same findings of a file system: at their paths */
	r->target.type = "filesystem";
	j = write_json(r, BW_FORMAT_SARIF, &all_opts);
	want_str(j, "version", "2.1.0");
	json_t *schema = jget(j, "$schema");
	assert_true(json_is_string(schema) && strstr(json_string_value(schema), "sarif-schema-2.1.0.json"));
	want_size(j, "runs", 1);
	want_str(j, "runs[0].tool.driver.name", "bulwark");
	want_str(j, "runs[0].tool.driver.version", "9.9.9");
	want_str(j, "runs[0].tool.driver.semanticVersion", "9.9.9");
	want_str(j, "runs[0].columnKind", "unicodeCodePoints");
	want_str(j, "runs[0].properties.target_type", "filesystem");
	want_str(j, "runs[0].properties.target_name", "docker-archive:app.tar");
	want_str(j, "runs[0].properties.target_digest", DIGEST);
	want_str(j, "runs[0].properties.schema", "bulwark.report/v1");
	want_bool(j, "runs[0].invocations[0].executionSuccessful", false);
	want_size(j, "runs[0].invocations[0].toolExecutionNotifications", 2);
	want_str(j, "runs[0].invocations[0].toolExecutionNotifications[1].message.text",
		 "no vulnerability database");
	want_str(j, "runs[0].invocations[0].toolExecutionNotifications[1].level", "warning");

	/* one rule per distinct id, in order of first appearance */
	want_size(j, "runs[0].tool.driver.rules", r->n_findings - 1);
	want_size(j, "runs[0].results", r->n_findings);
	json_t *rules = jget(j, "runs[0].tool.driver.rules");
	size_t i;
	json_t *x;
	json_array_foreach(jget(j, "runs[0].results"), i, x)
	{
		json_t *rule =
		    json_array_get(rules, (size_t)json_integer_value(json_object_get(x, "ruleIndex")));
		assert_string_equal(json_string_value(json_object_get(rule, "id")),
				    json_string_value(json_object_get(x, "ruleId")));
	}
	want_str(j, "runs[0].tool.driver.rules[0].id", "CVE-2024-1234");
	want_str(j, "runs[0].tool.driver.rules[0].shortDescription.text", "buffer overflow in X.509 parsing");
	want_str(j, "runs[0].tool.driver.rules[0].defaultConfiguration.level", "error");
	assert_non_null(strstr(json_string_value(jget(j, "runs[0].tool.driver.rules[0].help.text")),
			       "upgrade libssl3 to 3.0.13-1~deb12u1"));
	want_str(j, "runs[0].tool.driver.rules[0].properties.security-severity", "8.0");
	want_str(j, "runs[0].tool.driver.rules[0].properties.tags[1]", "vulnerability");
	want_str(j, "runs[0].tool.driver.rules[0].properties.equivalent[1]", "GHSA-aaaa-bbbb-cccc");
	want_str(j, "runs[0].tool.driver.rules[1].properties.security-severity", "9.5");

	/* levels and kinds */
	static const struct {
		const char *id, *pkg, *kind, *level;
	} levels[] = {
	    {"CVE-2024-1234", "libssl3", "fail", "error"}, {"BW-SEC-AWS-001", NULL, "fail", "error"},
	    {"BW-DF-003", NULL, "fail", "warning"},	   {"CIS-5.4", NULL, "pass", "none"},
	    {"BW-RT-001", NULL, "review", "none"},	   {"CVE-2023-0001", NULL, "fail", "warning"},
	    {"BW-IMG-001", NULL, "informational", "none"},
	};
	for (size_t k = 0; k < BW_ARRAY_SIZE(levels); k++) {
		json_t *res = sarif_result(j, levels[k].id, levels[k].pkg);
		want_str(res, "kind", levels[k].kind);
		want_str(res, "level", levels[k].level);
	}

	v = sarif_result(j, "CVE-2024-1234", "libssl3");
	want_str(v, "message.text",
		 "buffer overflow in X.509 parsing in libssl3 3.0.11-1~deb12u2 (fixed in 3.0.13-1~deb12u1): "
		 "openssl "
		 "3.0.11 in /var/lib/dpkg/status");
	want_str(v, "locations[0].physicalLocation.artifactLocation.uri", "file:///etc/app.conf");
	want_int(v, "locations[0].physicalLocation.region.startLine", 3);
	want_int(v, "locations[0].physicalLocation.region.startColumn", 1);
	want_int(v, "locations[0].physicalLocation.region.endLine", 3);
	want_int(v, "locations[0].physicalLocation.region.endColumn", 21);
	want_str(v, "locations[0].logicalLocations[0].fullyQualifiedName", r->packages[0].purl);
	want_str(v, "locations[0].logicalLocations[0].kind", "package");
	want_str(v, "properties.kind", "vulnerability");
	want_str(v, "properties.severity", "HIGH");
	want_str(v, "properties.status", "fail");
	want_str(v, "properties.equivalent[0]", "DSA-5678-1");
	want_str(v, "properties.package.purl", r->packages[0].purl);
	want_str(v, "properties.installed_version", "3.0.11-1~deb12u2");
	want_str(v, "properties.fixed_version", "3.0.13-1~deb12u1");
	want_str(v, "properties.cvss[0].nomenclature", "CVSS-B");
	want_str(v, "properties.layer", LAYER);
	want_str(v, "properties.container", "web");
	want_bool(v, "properties.in_final_image", true);
	want_bool(v, "properties.kev", true);
	want_real(v, "properties.epss", 0.97);
	want_int(v, "properties.rank", 1);
	want_str(v, "properties.remediation", "upgrade libssl3 to 3.0.13-1~deb12u1");
	want_absent(v, "suppressions");

	v = sarif_result(j, "BW-SEC-AWS-001", NULL);
	want_str(v, "locations[0].physicalLocation.artifactLocation.uri", "file:///app/.env");
	want_absent(v, "locations[0].logicalLocations");
	want_bool(v, "properties.in_final_image", false);
	v = sarif_result(j, "BW-DF-003", NULL); /* a relative path; endColumn is exclusive */
	want_str(v, "locations[0].physicalLocation.artifactLocation.uri", "Dockerfile");
	want_int(v, "locations[0].physicalLocation.region.endColumn", 13);
	v = sarif_result(j, "CIS-5.4", NULL);
	want_str(v, "locations[0].logicalLocations[0].fullyQualifiedName", "web");
	want_str(v, "locations[0].logicalLocations[0].kind", "container");
	v = sarif_result(j, "BW-RT-001", NULL); /* nowhere: the target */
	want_str(v, "locations[0].logicalLocations[0].fullyQualifiedName", "docker-archive:app.tar");
	want_str(v, "locations[0].logicalLocations[0].kind", "filesystem");
	v = sarif_result(j, "CVE-2023-0001", NULL);
	want_str(v, "suppressions[0].kind", "inSource");
	want_str(v, "suppressions[0].status", "accepted");
	want_str(v, "suppressions[0].justification", ".bulwarkignore:3");
	v = sarif_result(j, "BW-IMG-001", NULL); /* percent-encoded */
	want_str(v, "locations[0].physicalLocation.artifactLocation.uri", "file:///opt/my%20app/100%25.conf");
	json_decref(j);

	/* --severity HIGH leaves lower results and their rules out */
	struct bw_write_opts high = all_opts;
	high.min_severity = BW_SEV_HIGH;
	j = write_json(r, BW_FORMAT_SARIF, &high);
	want_size(j, "runs[0].results", 4);
	want_size(j, "runs[0].tool.driver.rules", 3);
	json_decref(j);
	bw_report_free(r);
}

/* ---- CycloneDX ---- */

static json_t *cdx_component(json_t *j, const char *ref)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(j, "components"), i, c)
	{
		if (strcmp(json_string_value(json_object_get(c, "bom-ref")), ref) == 0)
			return c;
	}
	fail_msg("no component %s", ref);
	return NULL;
}

static const char *cdx_prop(json_t *c, const char *name)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(c, "properties"), i, p)
	{
		if (strcmp(json_string_value(json_object_get(p, "name")), name) == 0)
			return json_string_value(json_object_get(p, "value"));
	}
	return NULL;
}

static bool uuid4(const char *s)
{
	if (strlen(s) != 36 || s[14] != '4' || !strchr("89ab", s[19]))
		return false;
	for (int i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-' : !strchr("0123456789abcdef", s[i]))
			return false;
	return true;
}

static void test_cyclonedx(void **state)
{
	(void)state;
	setenv("SOURCE_DATE_EPOCH", "86400", 1);
	struct bw_report *r = full_report();
	json_t *j = write_json(r, BW_FORMAT_CYCLONEDX, &all_opts);
	want_str(j, "bomFormat", "CycloneDX");
	want_str(j, "specVersion", "1.6");
	want_int(j, "version", 1);
	const char *serial = json_string_value(jget(j, "serialNumber"));
	assert_non_null(serial);
	assert_true(strncmp(serial, "urn:uuid:", 9) == 0 && uuid4(serial + 9));
	want_str(j, "metadata.timestamp", "1970-01-02T00:00:00Z");
	want_str(j, "metadata.tools.components[0].name", "bulwark");
	want_str(j, "metadata.tools.components[0].version", "9.9.9");
	want_str(j, "metadata.component.bom-ref", "bulwark:target");
	want_str(j, "metadata.component.type", "container");
	want_str(j, "metadata.component.name", "docker-archive:app.tar");
	want_str(j, "metadata.component.version", DIGEST);
	want_str(j, "metadata.component.hashes[0].alg", "SHA-256");
	want_str(j, "metadata.component.hashes[0].content", DIGEST + 7);

	want_size(j, "components", 4);
	json_t *os = cdx_component(j, "bulwark:os");
	want_str(os, "type", "operating-system");
	want_str(os, "name", "debian");
	want_str(os, "version", "12");
	assert_string_equal(cdx_prop(os, "bulwark:os:codename"), "bookworm");

	json_t *c = cdx_component(j, r->packages[0].purl);
	want_str(c, "type", "application");
	want_str(c, "name", "libssl3");
	want_str(c, "version", "3.0.11-1~deb12u2");
	want_str(c, "purl", r->packages[0].purl);
	/* SPDX ids as ids, in the list's spelling */
	want_str(c, "licenses[0].license.id", "Apache-2.0");
	want_str(c, "licenses[1].license.id", "OpenSSL");
	want_size(c, "hashes", 4);
	static const char *const algs[] = {"SHA-1", "SHA-256", "SHA-384", "SHA-512"};
	for (size_t i = 0; i < 4; i++) {
		char p[32];
		snprintf(p, sizeof(p), "hashes[%zu].alg", i);
		want_str(c, p, algs[i]);
		snprintf(p, sizeof(p), "hashes[%zu].content", i);
		want_str(c, p, all_hashes[i].hex);
	}
	assert_string_equal(cdx_prop(c, "bulwark:ecosystem"), "Debian");
	assert_string_equal(cdx_prop(c, "bulwark:layer"), LAYER);
	assert_string_equal(cdx_prop(c, "bulwark:path"), "/var/lib/dpkg/status");
	assert_string_equal(cdx_prop(c, "bulwark:origin"), "local");
	assert_string_equal(cdx_prop(c, "bulwark:go:h1"), "h1:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
	assert_string_equal(cdx_prop(c, "bulwark:apk:checksum"), "Q1qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
	assert_string_equal(cdx_prop(c, "bulwark:source_name"), "openssl");
	want_str(cdx_component(j, "pkg:deb/debian/libc6@2.36-9"), "type", "library");
	want_absent(cdx_component(j, "pkg:deb/debian/libc6@2.36-9#2"), "hashes");

	/* the target depends on the OS and on what no package depends on */
	want_str(j, "dependencies[0].ref", "bulwark:target");
	want_size(j, "dependencies[0].dependsOn", 3);
	want_str(j, "dependencies[0].dependsOn[0]", "bulwark:os");
	want_str(j, "dependencies[0].dependsOn[1]", r->packages[0].purl);
	want_str(j, "dependencies[0].dependsOn[2]", "pkg:deb/debian/libc6@2.36-9#2");
	want_str(j, "dependencies[1].ref", r->packages[0].purl);
	want_str(j, "dependencies[1].dependsOn[0]", "pkg:deb/debian/libc6@2.36-9");

	/* the vulnerability findings shown, each affecting its package's component */
	want_size(j, "vulnerabilities", 3);
	want_str(j, "vulnerabilities[0].id", "CVE-2024-1234");
	want_str(j, "vulnerabilities[0].bom-ref", "vuln:0:CVE-2024-1234");
	want_str(j, "vulnerabilities[0].references[0].id", "DSA-5678-1");
	want_str(j, "vulnerabilities[0].references[0].source.name", "Debian Security Tracker");
	want_str(j, "vulnerabilities[0].references[1].source.name", "GitHub Advisories");
	want_str(j, "vulnerabilities[0].ratings[0].severity", "high");
	want_real(j, "vulnerabilities[0].ratings[1].score", 9.3);
	want_str(j, "vulnerabilities[0].ratings[1].severity", "critical");
	want_str(j, "vulnerabilities[0].ratings[1].method", "CVSSv4");
	want_str(j, "vulnerabilities[0].ratings[1].source.name", "GHSA-aaaa-bbbb-cccc");
	want_str(j, "vulnerabilities[0].ratings[2].method", "CVSSv31");
	want_str(j, "vulnerabilities[0].ratings[2].vector", r->findings[0].cvss[1].vector);
	want_str(j, "vulnerabilities[0].description", "buffer overflow in X.509 parsing");
	want_str(j, "vulnerabilities[0].recommendation", "upgrade libssl3 to 3.0.13-1~deb12u1");
	want_str(j, "vulnerabilities[0].affects[0].ref", r->packages[0].purl);
	want_str(j, "vulnerabilities[0].affects[0].versions[0].version", "3.0.11-1~deb12u2");
	want_str(j, "vulnerabilities[0].affects[0].versions[0].status", "affected");
	json_t *v0 = jget(j, "vulnerabilities[0]");
	assert_string_equal(cdx_prop(v0, "bulwark:fixed_version"), "3.0.13-1~deb12u1");
	assert_string_equal(cdx_prop(v0, "bulwark:kev"), "true");
	assert_string_equal(cdx_prop(v0, "bulwark:epss"), "0.97000");
	assert_string_equal(cdx_prop(v0, "bulwark:priority_rank"), "1");
	want_str(j, "vulnerabilities[1].id", "CVE-2023-0001");
	want_str(j, "vulnerabilities[1].ratings[0].severity", "unknown");
	want_str(j, "vulnerabilities[1].affects[0].ref", "pkg:deb/debian/libc6@2.36-9");
	/* Debian's prose licence is a name */
	want_str(cdx_component(j, r->packages[1].purl), "licenses[0].license.name", "GPL-2+ and LGPL-2.1+");
	json_decref(j);
	bw_report_free(r);

	/* a single SPDX expression, an id in another case, an id bulwark does not know */
	r = bw_report_new("filesystem", "/");
	r->list_packages = true;
	static const struct {
		const char *purl, *lic;
	} lics[] = {{"pkg:cargo/a@1", "MIT OR Apache-2.0"},
		    {"pkg:npm/b@1", "mit"},
		    {"pkg:npm/c@1", "LicenseRef-corp"},
		    {"pkg:npm/d@1", "(GPL-2.0-only WITH Classpath-exception-2.0)"}};
	for (size_t i = 0; i < BW_ARRAY_SIZE(lics); i++) {
		size_t k = bw_report_add_package(r);
		r->packages[k].name = "x";
		r->packages[k].version = "1";
		r->packages[k].purl = lics[i].purl;
		add_strs(r, &r->packages[k].licenses, &r->packages[k].n_licenses, &lics[i].lic, 1);
	}
	j = write_json(r, BW_FORMAT_CYCLONEDX, &all_opts);
	want_str(cdx_component(j, "pkg:cargo/a@1"), "licenses[0].expression", "MIT OR Apache-2.0");
	want_str(cdx_component(j, "pkg:npm/b@1"), "licenses[0].license.id", "MIT");
	want_str(cdx_component(j, "pkg:npm/c@1"), "licenses[0].license.name", "LicenseRef-corp");
	want_str(cdx_component(j, "pkg:npm/d@1"), "licenses[0].expression",
		 "(GPL-2.0-only WITH Classpath-exception-2.0)");
	json_decref(j);
	bw_report_free(r);
	unsetenv("SOURCE_DATE_EPOCH");
}

/* ---- SPDX ---- */

static json_t *spdx_package(json_t *j, const char *id)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(j, "packages"), i, p)
	{
		if (strcmp(json_string_value(json_object_get(p, "SPDXID")), id) == 0)
			return p;
	}
	fail_msg("no SPDX package %s", id);
	return NULL;
}

static bool has_rel(json_t *j, const char *a, const char *type, const char *b)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(j, "relationships"), i, r)
	{
		if (strcmp(json_string_value(json_object_get(r, "spdxElementId")), a) == 0 &&
		    strcmp(json_string_value(json_object_get(r, "relationshipType")), type) == 0 &&
		    strcmp(json_string_value(json_object_get(r, "relatedSpdxElement")), b) == 0)
			return true;
	}
	return false;
}

static void test_spdx(void **state)
{
	(void)state;
	setenv("SOURCE_DATE_EPOCH", "0", 1);
	struct bw_report *r = full_report();
	json_t *j = write_json(r, BW_FORMAT_SPDX, &all_opts);
	want_str(j, "spdxVersion", "SPDX-2.3");
	want_str(j, "dataLicense", "CC0-1.0");
	want_str(j, "SPDXID", "SPDXRef-DOCUMENT");
	want_str(j, "name", "docker-archive:app.tar");
	const char *ns = json_string_value(jget(j, "documentNamespace"));
	assert_non_null(ns);
	assert_true(strncmp(ns, "https://spdx.org/spdxdocs/bulwark-", 34) == 0 && uuid4(ns + 34));
	want_str(j, "creationInfo.created", "1970-01-01T00:00:00Z");
	want_str(j, "creationInfo.creators[0]", "Tool: bulwark-9.9.9");
	want_str(j, "documentDescribes[0]", "SPDXRef-Target");

	want_size(j, "packages", 5);
	json_t *t = spdx_package(j, "SPDXRef-Target");
	want_str(t, "name", "docker-archive:app.tar");
	want_str(t, "versionInfo", DIGEST);
	want_str(t, "primaryPackagePurpose", "CONTAINER");
	want_str(t, "checksums[0].algorithm", "SHA256");
	want_str(t, "checksums[0].checksumValue", DIGEST + 7);
	want_str(t, "downloadLocation", "NOASSERTION");
	want_bool(t, "filesAnalyzed", false);
	json_t *os = spdx_package(j, "SPDXRef-OperatingSystem");
	want_str(os, "name", "debian");
	want_str(os, "versionInfo", "12");
	want_str(os, "primaryPackagePurpose", "OPERATING_SYSTEM");

	json_t *p = spdx_package(j, "SPDXRef-Package-1");
	want_str(p, "name", "libssl3");
	want_str(p, "versionInfo", "3.0.11-1~deb12u2");
	want_str(p, "primaryPackagePurpose", "APPLICATION");
	want_str(p, "licenseConcluded", "NOASSERTION");
	want_str(p, "licenseDeclared", "(Apache-2.0) AND (OpenSSL)");
	want_absent(p, "licenseComments");
	want_str(p, "copyrightText", "NOASSERTION");
	want_str(p, "sourceInfo", "built from source package openssl 3.0.11-1~deb12u2");
	want_str(p, "externalRefs[0].referenceCategory", "PACKAGE-MANAGER");
	want_str(p, "externalRefs[0].referenceType", "purl");
	want_str(p, "externalRefs[0].referenceLocator", r->packages[0].purl);
	want_size(p, "checksums", 4);
	want_str(p, "checksums[0].algorithm", "SHA1");
	want_str(p, "checksums[3].algorithm", "SHA512");
	want_str(p, "checksums[3].checksumValue", all_hashes[3].hex);
	want_str(p, "comment",
		 "ecosystem Debian; found in /var/lib/dpkg/status of layer " LAYER
		 "; go.sum h1:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=; apk checksum "
		 "Q1qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
	p = spdx_package(j, "SPDXRef-Package-2"); /* prose is not an expression */
	want_str(p, "licenseDeclared", "NOASSERTION");
	want_str(p, "licenseComments", "declared: GPL-2+ and LGPL-2.1+");
	want_str(p, "primaryPackagePurpose", "LIBRARY");
	want_absent(p, "checksums");

	assert_true(has_rel(j, "SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Target"));
	assert_true(has_rel(j, "SPDXRef-Target", "CONTAINS", "SPDXRef-OperatingSystem"));
	for (int i = 1; i <= 3; i++) {
		char id[32];
		snprintf(id, sizeof(id), "SPDXRef-Package-%d", i);
		assert_true(has_rel(j, "SPDXRef-Target", "CONTAINS", id));
	}
	assert_true(has_rel(j, "SPDXRef-Package-1", "DEPENDS_ON", "SPDXRef-Package-2"));
	want_size(j, "relationships", 6);
	json_decref(j);
	bw_report_free(r);
	unsetenv("SOURCE_DATE_EPOCH");
}

/* ---- the table ---- */

static void want_line(const char *text, const char *line)
{
	char *l = bw_asprintf("\n%s\n", line);
	if (!strstr(text, l))
		fail_msg("the table lacks the line\n%s\nin\n%s", line, text);
	free(l);
}

static void test_table(void **state)
{
	(void)state;
	struct bw_report *r = full_report();
	char *t = write_report(r, BW_FORMAT_TABLE, &all_opts, NULL);
	assert_true(strncmp(t, "docker-archive:app.tar (image)  os: debian 12\n", 46) == 0);
	assert_null(strchr(t, '\033'));
	want_line(t, "packages: 3");
	want_line(t, "Debian (3)");
	want_line(t, "vulnerability");
	want_line(t, "  libssl3 3.0.11-1~deb12u2 (Debian): 1 vulnerability");
	assert_non_null(strstr(t, "\n    HIGH       CVE-2024-1234  3.0.13-1~deb12u1 #1 KEV EPSS 0.970"));
	assert_non_null(strstr(t, " 9.3 v4.0  cvss_v3.1 buffer overflow in X.509 parsing\n"));
	want_line(t, "    HIGH       CVE-2024-1234  no fix yet       -                      -         -");
	want_line(t, "             aliases: DSA-5678-1 GHSA-aaaa-bbbb-cccc");
	want_line(t, "             url: https://security-tracker.debian.org/tracker/CVE-2024-1234");
	/* the file that declared the package, once under its header */
	want_line(t, "    at: /etc/app.conf");
	assert_null(strstr(t, "             at: /etc/app.conf"));
	want_line(t, "  libc6 2.36-9 (Debian): 1 vulnerability");
	want_line(t, "secret");
	assert_non_null(strstr(t, "\n  CRITICAL BW-SEC-AWS-001 AWS access key\n"));
	/* one layer id form: the package inventory's and the findings' */
	want_line(t, "      at: /app/.env:2 (deleted, still in layer fedcba987654)");
	assert_non_null(strstr(t, "  fedcba987654  "));
	assert_null(strstr(t, LAYER));
	/* the vulnerabilities first, the inventory after the findings */
	assert_true(strstr(t, "\nvulnerability\n") < strstr(t, "\nsecret\n"));
	assert_true(strstr(t, "\nmisconfiguration\n") < strstr(t, "\npackages: 3\n"));
	assert_true(strstr(t, "\npackages: 3\n") < strstr(t, "\n7 findings"));
	want_line(t, "      evidence: AKIA************MPLE");
	want_line(t, "      equivalent: DL3008");
	want_line(t, "      at: Dockerfile:4:1");
	want_line(t, "      fix: apt-get install pkg=version");
	assert_non_null(strstr(t, "CIS-5.4        privileged containers are not used [pass]\n"));
	assert_non_null(strstr(t, "BW-RT-001      review the shell spawned in a container [manual]\n"));
	want_line(
	    t,
	    "7 findings (CRITICAL: 1, HIGH: 2, MEDIUM: 1, LOW: 2, INFO: 1), 1 suppressed (--show-suppressed "
	    "lists them)");
	want_line(t, "vulnerability data (PARTIAL coverage):");
	want_line(t, "  Debian:12        2      41022  2024-10-10  2d");
	want_line(
	    t, "  npm              1          0  -           -          NOT CHECKED: the database holds no "
	       "advisories for npm");
	want_line(t, "  1 package not checked for vulnerabilities");
	/* the totals line stays the last but for the warnings */
	assert_true(strstr(t, "vulnerability data (PARTIAL coverage):") < strstr(t, "\n7 findings ("));
	want_line(t, "warning: layer 2: /usr/lib/x.jar: not a zip archive");
	assert_true(strstr(t, "warning: no vulnerability database\n") == t + strlen(t) - 35);
	assert_null(strstr(t, "CVE-2023-0001"));
	free(t);

	struct bw_write_opts o = all_opts;
	o.show_suppressed = true;
	o.color = true;
	t = write_report(r, BW_FORMAT_TABLE, &o, NULL);
	assert_non_null(strstr(t, "CVE-2023-0001"));
	want_line(t, "  \033[1mlibc6 2.36-9\033[0m (Debian): 1 vulnerability (+1 suppressed)");
	want_line(t, "             suppressed by: .bulwarkignore:3");
	assert_non_null(strstr(t, "\033[1;31mCRITICAL\033[0m"));
	want_line(t, "7 findings (CRITICAL: 1, HIGH: 2, MEDIUM: 1, LOW: 2, INFO: 1)");
	free(t);

	/* titles cut to the terminal's width, at a character, with "..." */
	o = all_opts;
	o.columns = 115;
	t = write_report(r, BW_FORMAT_TABLE, &o, NULL);
	assert_non_null(strstr(t, " 9.3 v4.0  cvss_v3.1 buffer overflow in X.5...\n"));
	want_line(t, "  CRITICAL BW-SEC-AWS-001 AWS access key"); /* fits */
	free(t);
	/* too narrow for 20 columns of it: the title on a line of its own */
	o.columns = 60;
	t = write_report(r, BW_FORMAT_TABLE, &o, NULL);
	want_line(t, "             buffer overflow in X.509 parsing");
	free(t);
	/* the inventory only on request */
	r->list_packages = false;
	t = write_report(r, BW_FORMAT_TABLE, &all_opts, NULL);
	assert_null(strstr(t, "packages:"));
	free(t);
	t = write_report(r, BW_FORMAT_JSON, &all_opts, NULL);
	assert_null(strstr(t, "\"packages\": ["));
	free(t);
	bw_report_free(r);
}

/* ---- hostile bytes ---- */

/* C0 (ESC, BEL, CR, LF, TAB), DEL, a raw C1 byte, C1 as UTF-8 (U+009B, CSI),
 * invalid UTF-8 (a stray continuation, an overlong '/', a surrogate, a cut
 * sequence), and valid UTF-8 that must survive. */
#define HOSTILE "A\033[2J\a\r\n\t\177\x9b\xc2\x9b|\xff\xc0\xaf\xed\xa0\x80\xe6\x97|caf\xc3\xa9 \xe6\x97\xa5Z"
#define HOSTILE_SHOWN                                                                                        \
	"A\\x1b[2J\\x07\\x0d\\x0a\t\\x7f\\x9b\\xc2\\x9b|\\xff\\xc0\\xaf\\xed\\xa0\\x80\\xe6\\x97|"           \
	"caf\xc3\xa9 "                                                                                       \
	"\xe6\x97\xa5Z"

static struct bw_report *hostile_report(void)
{
	struct bw_report *r = bw_report_new("image", "T:" HOSTILE);
	r->target.digest = "D:" HOSTILE;
	r->os.id = "O:" HOSTILE;
	r->os.version = "V:" HOSTILE;
	r->os.codename = "C:" HOSTILE;
	r->list_packages = true;
	size_t pk = bw_report_add_package(r); /* the array may move: index first */
	struct bw_package *p = &r->packages[pk];
	p->name = "N:" HOSTILE;
	p->version = "V:" HOSTILE;
	p->ecosystem = "E:" HOSTILE;
	p->purl = "P:" HOSTILE;
	p->source_name = "S:" HOSTILE;
	p->source_version = "SV:" HOSTILE;
	static const char *const lic[] = {"L:" HOSTILE};
	add_strs(r, &p->licenses, &p->n_licenses, lic, 1);
	p->layer = "LY:" HOSTILE;
	p->path = "PA:" HOSTILE;
	p->origin = "OR:" HOSTILE;
	for (int k = 0; k < BW_KIND__COUNT; k++) {
		struct bw_finding *f = bw_report_add_finding(r, (enum bw_kind)k);
		f->id = "I:" HOSTILE;
		bw_finding_add_equivalent(r, f, "Q:" HOSTILE);
		f->severity = BW_SEV_HIGH;
		f->title = "TI:" HOSTILE;
		f->package = (struct bw_package_ref){p->name, p->version, p->ecosystem, p->purl};
		f->installed_version = "IV:" HOSTILE;
		f->fixed_version = "FV:" HOSTILE;
		struct bw_cvss_rating c = {"3.1", "VE:" HOSTILE, 7.5, BW_SEV_HIGH, NULL, "SO:" HOSTILE};
		bw_finding_add_cvss(r, f, &c);
		f->location =
		    (struct bw_location){"LL:" HOSTILE, "LP:" HOSTILE, 1, 1, 1, 2, "CO:" HOSTILE, 0};
		f->evidence = "EV:" HOSTILE;
		f->remediation = "RE:" HOSTILE;
		f->suppressed_by = "SB:" HOSTILE;
	}
	bw_report_warn(r, "W:%s", HOSTILE);
	return r;
}

/* Valid UTF-8 without any control character (C0 but LF and TAB, DEL, C1). */
static const char *first_unsafe(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned c = p[i];
		if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f)) {
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f || (c == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f))
			return s + i;
		size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
		if (!len || i + len > n || !bw_utf8_valid(s + i, len))
			return s + i;
		i += len;
	}
	return NULL;
}

static void test_hostile_table(void **state)
{
	(void)state;
	/* a clean report is written as it is, without a copy */
	struct bw_report *clean = full_report(), *copy;
	assert_ptr_equal(bw_report_escaped(clean, BW_REPORT_ESC_TERMINAL, &copy), clean);
	assert_null(copy);
	assert_ptr_equal(bw_report_escaped(clean, BW_REPORT_ESC_UTF8, &copy), clean);
	assert_null(copy);
	bw_report_free(clean);

	struct bw_report *r = hostile_report();
	struct bw_write_opts o = all_opts;
	o.show_suppressed = true;
	size_t n;
	char *t = write_report(r, BW_FORMAT_TABLE, &o, &n);
	const char *bad = first_unsafe(t, n);
	if (bad)
		fail_msg("the table writes byte 0x%02x unescaped at offset %zu: ...%.40s",
			 (unsigned char)*bad, (size_t)(bad - t), bad > t + 20 ? bad - 20 : t);
	/* every field shows the hostile bytes as \xNN and keeps the valid text */
	static const char *const shown[] = {
	    "T:", "O:", "N:", "V:", "I:", "Q:", "TI:", "FV:", "LP:", "EV:", "RE:", "SB:", "W:", "PA:", "E:"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(shown); i++) {
		char *want = bw_asprintf("%s%s", shown[i], HOSTILE_SHOWN);
		if (!strstr(t, want))
			fail_msg("the table does not show %s as %s", shown[i], want);
		free(want);
	}
	free(t);
	bw_report_free(r);
}

/* Every string of a JSON document, concatenated. */
static void all_strings(json_t *v, struct bw_buf *out)
{
	if (json_is_string(v)) {
		bw_buf_add(out, json_string_value(v), json_string_length(v));
		bw_buf_addstr(out, "\n");
	} else if (json_is_object(v)) {
		const char *k;
		json_t *m;
		json_object_foreach(v, k, m)
		{
			all_strings(m, out);
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *m;
		json_array_foreach(v, i, m)
		{
			all_strings(m, out);
		}
	}
}

static void test_hostile_json(void **state)
{
	(void)state;
	struct bw_report *r = hostile_report();
	static const struct {
		enum bw_format fmt;
		const char *fields[32];
	} docs[] = {
	    {BW_FORMAT_JSON, {"T:",  "D:",  "O:",  "V:",  "C:",	 "N:",	"E:",  "P:",  "S:",  "SV:",
			      "L:",  "LY:", "PA:", "OR:", "I:",	 "Q:",	"TI:", "IV:", "FV:", "VE:",
			      "SO:", "LL:", "LP:", "CO:", "EV:", "RE:", "SB:", "W:",  NULL}},
	    {BW_FORMAT_SARIF,
	     {"T:", "D:", "I:", "Q:", "TI:", "N:", "V:", "E:", "P:", "IV:", "FV:", "VE:", "SO:", "LL:", "CO:",
	      "EV:", "RE:", "W:", NULL}},
	    {BW_FORMAT_CYCLONEDX,
	     {"T:", "D:",  "O:", "V:", "C:",  "N:",  "L:",  "P:",  "E:",  "LY:", "PA:", "OR:",
	      "S:", "SV:", "I:", "Q:", "VE:", "SO:", "TI:", "RE:", "IV:", "FV:", NULL}},
	    {BW_FORMAT_SPDX,
	     {"T:", "D:", "O:", "V:", "N:", "L:", "S:", "SV:", "P:", "E:", "PA:", "LY:", NULL}},
	};
	for (size_t d = 0; d < BW_ARRAY_SIZE(docs); d++) {
		size_t n;
		char *text = write_report(r, docs[d].fmt, &all_opts, &n);
		json_error_t je;
		json_t *j = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
		if (!j)
			fail_msg("%s: not valid JSON: %s", bw_format_name(docs[d].fmt), je.text);
		assert_true(bw_utf8_valid(text, n));
		struct bw_buf s;
		bw_buf_init(&s, 1 << 24);
		all_strings(j, &s);
		bw_buf_addstr(&s, "");
		/* no field dropped: each keeps its text around the bytes that could not stay */
		for (const char *const *f = docs[d].fields; *f; f++) {
			char *head = bw_asprintf("%sA\033[2J", *f);
			if (!strstr(s.data, head) || !strstr(s.data, "caf\xc3\xa9 \xe6\x97\xa5Z"))
				fail_msg("%s: the field marked %s is missing or cut",
					 bw_format_name(docs[d].fmt), *f);
			free(head);
		}
		bw_buf_release(&s);
		json_decref(j);
		free(text);
	}
	bw_report_free(r);
}

/* ---- sorting, counting, names ---- */

static void test_sort(void **state)
{
	(void)state;
	/* the order bw_report_sort gives: severity (highest first), kind, id, path, line */
	static const struct {
		enum bw_severity sev;
		enum bw_kind kind;
		const char *id, *path;
		int line;
	} sorted[] = {
	    {BW_SEV_CRITICAL, BW_KIND_VULNERABILITY, "CVE-2024-9", NULL, 0},
	    {BW_SEV_CRITICAL, BW_KIND_SECRET, "A", NULL, 0},
	    {BW_SEV_HIGH, BW_KIND_VULNERABILITY, NULL, NULL, 0},
	    {BW_SEV_HIGH, BW_KIND_VULNERABILITY, "CVE-2024-1", NULL, 0},
	    {BW_SEV_HIGH, BW_KIND_VULNERABILITY, "CVE-2024-1", "/a", 0},
	    {BW_SEV_HIGH, BW_KIND_VULNERABILITY, "CVE-2024-1", "/a", 2},
	    {BW_SEV_HIGH, BW_KIND_VULNERABILITY, "CVE-2024-1", "/a", 10},
	    {BW_SEV_HIGH, BW_KIND_VULNERABILITY, "CVE-2024-1", "/b", 1},
	    {BW_SEV_HIGH, BW_KIND_VULNERABILITY, "CVE-2024-2", NULL, 0},
	    {BW_SEV_HIGH, BW_KIND_MISCONFIG, "BW-DF-001", "Dockerfile", 3},
	    {BW_SEV_HIGH, BW_KIND_AUDIT, "CIS-1.1", NULL, 0},
	    {BW_SEV_HIGH, BW_KIND_RUNTIME, "BW-RT-1", NULL, 0},
	    {BW_SEV_MEDIUM, BW_KIND_VULNERABILITY, "Z", NULL, 0},
	    {BW_SEV_LOW, BW_KIND_SECRET, "A", NULL, 0},
	    {BW_SEV_INFO, BW_KIND_AUDIT, "A", NULL, 0},
	    {BW_SEV_UNKNOWN, BW_KIND_VULNERABILITY, "A", NULL, 0},
	};
	size_t n = BW_ARRAY_SIZE(sorted);
	for (size_t round = 0; round < 20; round++) {
		struct bw_report *r = bw_report_new("image", "sort");
		for (size_t i = 0; i < n; i++) {
			size_t k = (i * 7 + round * 5) % n; /* a different shuffle each round */
			struct bw_finding *f = bw_report_add_finding(r, sorted[k].kind);
			f->severity = sorted[k].sev;
			f->id = sorted[k].id;
			f->location.path = sorted[k].path;
			f->location.line = sorted[k].line;
		}
		bw_report_sort(r);
		for (size_t i = 0; i < n; i++) {
			const struct bw_finding *f = &r->findings[i];
			if (f->severity != sorted[i].sev || f->kind != sorted[i].kind ||
			    strcmp(f->id ? f->id : "", sorted[i].id ? sorted[i].id : "") != 0 ||
			    strcmp(f->location.path ? f->location.path : "",
				   sorted[i].path ? sorted[i].path : "") ||
			    f->location.line != sorted[i].line)
				fail_msg("round %zu: position %zu holds %s %s %s:%d", round, i,
					 bw_severity_name(f->severity), f->id ? f->id : "(none)",
					 f->location.path ? f->location.path : "-", f->location.line);
		}
		bw_report_free(r);
	}
}

static void test_count_at_least(void **state)
{
	(void)state;
	struct bw_report *r = full_report();
	/* fail and warn only: CVE-2024-1234 ×2 (HIGH), the secret (CRITICAL), BW-DF-003 (MEDIUM, warn) */
	assert_int_equal(bw_report_count_at_least(r, BW_SEV_UNKNOWN), 4);
	assert_int_equal(bw_report_count_at_least(r, BW_SEV_MEDIUM), 4);
	assert_int_equal(bw_report_count_at_least(r, BW_SEV_HIGH), 3);
	assert_int_equal(bw_report_count_at_least(r, BW_SEV_CRITICAL), 1);
	bw_report_free(r);
}

static void test_name_tables(void **state)
{
	(void)state;
	static const char *const sev[] = {"UNKNOWN", "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"};
	for (int s = 0; s < (int)BW_ARRAY_SIZE(sev); s++) {
		assert_string_equal(bw_severity_name(s), sev[s]);
		assert_int_equal(bw_severity_parse(bw_severity_name(s)), s);
		char lower[16];
		size_t i = 0;
		for (; sev[s][i]; i++)
			lower[i] = (char)(sev[s][i] | 0x20);
		lower[i] = '\0';
		assert_int_equal(bw_severity_parse(lower), s);
	}
	assert_int_equal(bw_severity_parse("SEVERE"), -1);
	assert_int_equal(bw_severity_parse(""), -1);
	assert_int_equal(bw_severity_parse("HIGH "), -1);
	assert_string_equal(bw_severity_name((enum bw_severity)6), "UNKNOWN");
	assert_string_equal(bw_severity_name((enum bw_severity) - 1), "UNKNOWN");

	static const char *const kinds[] = {"vulnerability", "secret",	"misconfiguration",
					    "audit",	     "runtime", "supply-chain"};
	assert_int_equal(BW_ARRAY_SIZE(kinds), BW_KIND__COUNT);
	for (int k = 0; k < BW_KIND__COUNT; k++)
		assert_string_equal(bw_kind_name(k), kinds[k]);
	assert_string_equal(bw_kind_name(BW_KIND__COUNT), "unknown");

	static const char *const statuses[] = {"fail", "warn", "pass", "info", "manual", "suppressed"};
	for (int s = 0; s < (int)BW_ARRAY_SIZE(statuses); s++)
		assert_string_equal(bw_status_name(s), statuses[s]);
	assert_string_equal(bw_status_name((enum bw_status)6), "fail");

	static const char *const formats[] = {"table",	 "json",  "sarif",  "cyclonedx",
					      "spdx",	 "junit", "gitlab", "gitlab-codequality",
					      "compact", "html"};
	for (int f = 0; f < (int)BW_ARRAY_SIZE(formats); f++) {
		assert_string_equal(bw_format_name(f), formats[f]);
		assert_int_equal(bw_format_parse(formats[f]), f);
	}
	assert_int_equal(bw_format_parse("JSON"), -1);
	assert_int_equal(bw_format_parse("JUnit"), -1);
	assert_string_equal(bw_format_name((enum bw_format)10), "?");

	static const struct {
		const char *name;
		size_t size;
		bool of_file;
	} algs[] = {{"sha1", 20, true},	  {"sha256", 32, true}, {"sha384", 48, true},
		    {"sha512", 64, true}, {"go-h1", 32, false}, {"apk-q1", 20, false}};
	assert_int_equal(BW_ARRAY_SIZE(algs), BW_HASH__COUNT);
	for (int a = 0; a < BW_HASH__COUNT; a++) {
		assert_string_equal(bw_hash_alg_name(a), algs[a].name);
		assert_int_equal(bw_hash_alg_size(a), algs[a].size);
		assert_int_equal(bw_hash_alg_of_file(a), algs[a].of_file);
		char hex[129];
		memset(hex, 'a', sizeof(hex));
		assert_true(bw_hash_hex_valid(a, hex, 2 * algs[a].size));
		assert_false(bw_hash_hex_valid(a, hex, 2 * algs[a].size - 1));
		assert_false(bw_hash_hex_valid(a, hex, 2 * algs[a].size + 1));
		hex[3] = 'A';
		assert_false(bw_hash_hex_valid(a, hex, 2 * algs[a].size));
		hex[3] = 'g';
		assert_false(bw_hash_hex_valid(a, hex, 2 * algs[a].size));
	}
	assert_string_equal(bw_hash_alg_name(BW_HASH__COUNT), "?");
	assert_int_equal(bw_hash_alg_size(BW_HASH__COUNT), 0);
	assert_false(bw_hash_hex_valid(BW_HASH__COUNT, "", 0));
	assert_false(bw_hash_hex_valid(BW_HASH_SHA1, NULL, 40));

	/* a format without a writer is an error, never a crash */
	struct bw_report *r = bw_report_new("image", "x");
	struct bw_error err = BW_ERROR_INIT;
	FILE *f = fopen("/dev/null", "w");
	assert_int_equal(bw_report_write(r, (enum bw_format)10, f, &all_opts, &err), BW_EUNSUPPORTED);
	fclose(f);
	bw_report_free(r);
}

int main(int argc, char **argv)
{
	schema_doc = argc > 1 ? argv[1] : "docs/report-schema.md";
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_json_every_field),
	    cmocka_unit_test(test_json_matches_the_schema_doc),
	    cmocka_unit_test(test_sarif),
	    cmocka_unit_test(test_cyclonedx),
	    cmocka_unit_test(test_spdx),
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_hostile_table),
	    cmocka_unit_test(test_hostile_json),
	    cmocka_unit_test(test_sort),
	    cmocka_unit_test(test_count_at_least),
	    cmocka_unit_test(test_name_tables),
	};
	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
