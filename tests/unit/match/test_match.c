/* Unit tests of src/match: the data-driven cases of match.cases over the
 * project's advisories (tests/data/osv), the ecosystem mapping, priority
 * ranking with KEV and EPSS, --ignore-unfixed, 1,000 packages, where a
 * finding's severity comes from (every source in its order, the per-CVE
 * data of NVD and CVE records, KEV), its advisory URL and references, the
 * coverage of a report's packages, and --distro. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "match/match.h"

static const char *cases_path, *data_dir;
static char db_path[256];
static struct bw_vulndb *db;

static int setup(void **state)
{
	(void)state;
	snprintf(db_path, sizeof(db_path), "/tmp/bw-match-test-%d.db", (int)getpid());
	unlink(db_path);
	struct bw_error err = BW_ERROR_INIT;
	if (bw_vulndb_open(db_path, BW_VULNDB_WRITE, &db, &err) < 0)
		return -1;
	char *p[4] = {bw_asprintf("%s/records", data_dir), bw_asprintf("%s/distro", data_dir),
		      bw_asprintf("%s/enrich", data_dir), bw_asprintf("%s/cve", data_dir)};
	struct bw_vulndb_import_stats st;
	int rc = bw_vulndb_import(db, (const char *const *)p, 4, &st, &err);
	for (int i = 0; i < 4; i++)
		free(p[i]);
	if (rc < 0) {
		fprintf(stderr, "import: %s\n", err.msg);
		return rc;
	}
	/* a reader sees the per-CVE rows the writer just made */
	bw_vulndb_close(db);
	return bw_vulndb_open(db_path, BW_VULNDB_READ, &db, &err);
}

static int teardown(void **state)
{
	(void)state;
	bw_vulndb_close(db);
	unlink(db_path);
	return 0;
}

static int split_tabs(char *line, char **f, int max)
{
	int n = 0;
	f[n++] = line;
	for (char *p = line; *p && n < max; p++)
		if (*p == '\t') {
			*p = 0;
			f[n++] = p + 1;
		}
	return n;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "ID@FIXED" of every vulnerability finding, sorted, comma-joined */
static char *findings_string(const struct bw_report *r)
{
	char **items = bw_calloc(r->n_findings + 1, sizeof(char *));
	for (size_t i = 0; i < r->n_findings; i++)
		items[i] = bw_asprintf("%s@%s", r->findings[i].id,
				       r->findings[i].fixed_version ? r->findings[i].fixed_version : "-");
	qsort(items, r->n_findings, sizeof(char *), cmp_str);
	struct bw_buf b;
	bw_buf_init(&b, 1 << 20);
	for (size_t i = 0; i < r->n_findings; i++) {
		bw_buf_printf(&b, "%s%s", i ? "," : "", items[i]);
		free(items[i]);
	}
	free(items);
	if (!r->n_findings)
		bw_buf_addstr(&b, "none");
	return bw_buf_detach(&b, NULL);
}

static char *sorted_expected(const char *e)
{
	char *dup = bw_strdup(e), *rest = dup;
	char *items[64];
	size_t n = 0;
	for (char *t; n < 64 && (t = bw_next_token(&rest, ","));)
		items[n++] = t;
	qsort(items, n, sizeof(char *), cmp_str);
	struct bw_buf b;
	bw_buf_init(&b, 1 << 20);
	for (size_t i = 0; i < n; i++)
		bw_buf_printf(&b, "%s%s", i ? "," : "", items[i]);
	free(dup);
	return bw_buf_detach(&b, NULL);
}

static void test_cases(void **state)
{
	(void)state;
	FILE *f = fopen(cases_path, "r");
	assert_non_null(f);
	char line[4096];
	int lineno = 0, failures = 0, ran = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		char *fl[8];
		if (split_tabs(line, fl, 8) != 6)
			fail_msg("%s:%d: want 6 fields", cases_path, lineno);
		struct bw_report *r = bw_report_new("filesystem", "case");
		if (strcmp(fl[0], "-") != 0) {
			char *slash = strchr(fl[0], '/');
			*slash = 0;
			r->os.id = bw_report_str(r, fl[0]);
			r->os.version = bw_report_str(r, slash + 1);
		}
		size_t p_i = bw_report_add_package(r);
		struct bw_package *p = &r->packages[p_i];
		p->ecosystem = bw_report_str(r, fl[1]);
		p->name = bw_report_str(r, fl[2]);
		p->version = bw_report_str(r, fl[3]);
		if (strcmp(fl[4], "-") != 0) {
			char *eq = strchr(fl[4], '=');
			*eq = 0;
			p->source_name = bw_report_str(r, fl[4]);
			p->source_version = bw_report_str(r, eq + 1);
		}
		struct bw_error err = BW_ERROR_INIT;
		struct bw_match_stats st;
		if (bw_match_report(db, r, NULL, &st, &err) < 0)
			fail_msg("%s:%d: %s", cases_path, lineno, err.msg);
		char *got = findings_string(r), *want = sorted_expected(fl[5]);
		if (strcmp(got, want) != 0) {
			fprintf(stderr, "%s:%d: %s %s %s: got %s, want %s\n", cases_path, lineno, fl[1],
				fl[2], fl[3], got, want);
			failures++;
		}
		ran++;
		free(got);
		free(want);
		bw_report_free(r);
	}
	fclose(f);
	assert_true(ran >= 40);
	assert_int_equal(failures, 0);
}

static void test_ecosystems(void **state)
{
	(void)state;
	char out[4][64];
	assert_int_equal(bw_match_ecosystems("Debian", "debian", "12", out, 4), 1);
	assert_string_equal(out[0], "Debian:12");
	assert_int_equal(bw_match_ecosystems("Debian", "debian", "12.5", out, 4), 1);
	assert_string_equal(out[0], "Debian:12");
	assert_int_equal(bw_match_ecosystems("Alpine", "alpine", "3.19.1", out, 4), 1);
	assert_string_equal(out[0], "Alpine:v3.19");
	assert_int_equal(bw_match_ecosystems("Ubuntu", "ubuntu", "22.04", out, 4), 2);
	assert_string_equal(out[0], "Ubuntu:22.04:LTS");
	assert_string_equal(out[1], "Ubuntu:22.04");
	assert_int_equal(bw_match_ecosystems("AlmaLinux", "almalinux", "9.3", out, 4), 1);
	assert_string_equal(out[0], "AlmaLinux:9");
	assert_int_equal(bw_match_ecosystems("PyPI", "debian", "12", out, 4), 1);
	assert_string_equal(out[0], "PyPI");
	assert_int_equal(bw_match_ecosystems("Debian", NULL, NULL, out, 4), 0);
	assert_int_equal(bw_match_ecosystems("Wolfi", "wolfi", "20230201", out, 4), 1);
	assert_string_equal(out[0], "Wolfi");
}

static struct bw_package *add(struct bw_report *r, const char *eco, const char *name, const char *ver)
{
	size_t p_i = bw_report_add_package(r);
	struct bw_package *p = &r->packages[p_i];
	p->ecosystem = bw_report_str(r, eco);
	p->name = bw_report_str(r, name);
	p->version = bw_report_str(r, ver);
	return p;
}

static const struct bw_finding *find(const struct bw_report *r, const char *id)
{
	for (size_t i = 0; i < r->n_findings; i++)
		if (strcmp(r->findings[i].id, id) == 0)
			return &r->findings[i];
	return NULL;
}

static void test_priority(void **state)
{
	(void)state;
	struct bw_report *r = bw_report_new("filesystem", "prio");
	add(r, "npm", "left-pad", "1.0.0");	   /* CVE-2099-0003: EPSS 0.005, HIGH (CVSS) */
	add(r, "npm", "kev-pkg", "1.0.0");	   /* CVE-2021-44228: KEV */
	add(r, "npm", "epss-pkg", "1.0.0");	   /* CVE-1999-0005: EPSS 0.92 */
	add(r, "PyPI", "django-example", "1.0");   /* CVE-2099-0001: EPSS 0.2, CRITICAL */
	add(r, "Go", "example.com/mod", "v0.7.0"); /* no EPSS */
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_match_report(db, r, NULL, NULL, &err), 0);
	const struct bw_finding *kev = find(r, "CVE-2021-44228"), *epss = find(r, "CVE-1999-0005"),
				*dj = find(r, "CVE-2099-0001"), *lp = find(r, "CVE-2099-0003");
	assert_non_null(kev);
	assert_non_null(epss);
	assert_non_null(dj);
	assert_non_null(lp);
	assert_true(kev->kev);
	assert_int_equal(kev->rank, 1);
	assert_int_equal(epss->rank, 2);
	assert_int_equal(dj->rank, 3);
	assert_int_equal(lp->rank, 4);
	assert_true(epss->epss > 0.9);
	/* merged: the GHSA and the BW record under the CVE, both listed */
	/* the worst of the merged advisories: the GHSA's CVSS 9.8 over the other's HIGH */
	assert_int_equal(dj->severity, BW_SEV_CRITICAL);
	bool ghsa = false, bw = false;
	for (size_t i = 0; i < dj->n_equivalent; i++) {
		ghsa = ghsa || strcmp(dj->equivalent[i], "GHSA-test-pypi-0001") == 0;
		bw = bw || strcmp(dj->equivalent[i], "BW-TEST-PYPI-1") == 0;
	}
	assert_true(ghsa && bw);
	assert_int_equal(lp->severity, BW_SEV_HIGH); /* CVSS 7.5 computed */
	/* KEV-listed, no rating of its own: HIGH, and it says why */
	assert_int_equal(kev->severity, BW_SEV_HIGH);
	assert_string_equal(kev->severity_source, "kev");
	const struct bw_finding *go2 = find(r, "BW-TEST-GO-2");
	assert_non_null(go2);
	assert_null(go2->fixed_version);
	assert_int_equal(go2->severity, BW_SEV_HIGH); /* CVSS v2 7.5 */
	bw_report_free(r);

	/* --ignore-unfixed */
	r = bw_report_new("filesystem", "unfixed");
	add(r, "Go", "example.com/mod", "v0.7.0");
	struct bw_match_opts o = {.ignore_unfixed = true};
	struct bw_match_stats st;
	assert_int_equal(bw_match_report(db, r, &o, &st, &err), 0);
	assert_int_equal(r->n_findings, 1);
	assert_string_equal(r->findings[0].id, "CVE-2099-0004");
	assert_int_equal(st.unfixed_left_out, 1);
	bw_report_free(r);
}

static void test_thousand_packages(void **state)
{
	(void)state;
	struct bw_report *r = bw_report_new("filesystem", "many");
	r->os.id = "debian";
	r->os.version = "12";
	for (int i = 0; i < 1000; i++) {
		char name[32], ver[32];
		snprintf(name, sizeof(name), "pkg%d", i);
		snprintf(ver, sizeof(ver), "1.%d-1", i);
		struct bw_package *p =
		    add(r, i % 3 ? "Debian" : "npm", i % 10 ? name : "left-pad", i % 3 ? ver : "1.0.0");
		if (i % 3)
			p->source_name = p->name;
	}
	struct bw_error err = BW_ERROR_INIT;
	struct bw_match_stats st;
	assert_int_equal(bw_match_report(db, r, NULL, &st, &err), 0);
	assert_int_equal(st.packages, 1000);
	assert_true(st.findings > 0);
	bw_report_free(r);
}

static const char *rating(const struct bw_finding *f, const char *source)
{
	for (size_t i = 0; i < f->n_severity_by_source; i++)
		if (strcmp(f->severity_by_source[i].source, source) == 0)
			return bw_severity_name(f->severity_by_source[i].severity);
	return "-";
}

/* Every source of a severity, in order: the CVSS vectors of the advisories
 * and of the CVE records of their aliases (the newest version), a
 * database's word, the distribution's word, NVD's own vectors. */
static void test_severity_sources(void **state)
{
	(void)state;
	struct bw_report *r = bw_report_new("filesystem", "sev");
	r->os.id = "debian";
	r->os.version = "11";
	struct bw_package *p = add(r, "Debian", "xserver-common", "2:1.20.11-1+deb11u5");
	p->source_name = "xorg-server";
	p = add(r, "Debian", "dino-im", "0.2.0-3");
	p->source_name = "dino-im";
	add(r, "PyPI", "django-example", "1.0");
	add(r, "npm", "left-pad", "1.0.0");
	add(r, "AlmaLinux:9", "curl", "7.76.1-26.el9_3.1");
	add(r, "Debian:12", "zlib", "1:1.2.13.dfsg-1");
	add(r, "Debian:3.1", "imagemagick", "6:6.0.6.2-2.8");
	struct bw_error err = BW_ERROR_INIT;
	struct bw_match_opts refs = {.references = true};
	assert_int_equal(bw_match_report(db, r, &refs, NULL, &err), 0);

	/* the aliases' CVE records: CVE-2099-1002's v4.0 vector beats the v3.1
	 * ones of its CNA (NVD's Secondary) and ADP; NVD's own CRITICAL last */
	const struct bw_finding *x = find(r, "DSA-9001-1");
	assert_non_null(x);
	assert_int_equal(x->severity, BW_SEV_MEDIUM);
	assert_string_equal(x->severity_source, "cvss_v4");
	assert_string_equal(rating(x, "nvd"), "CRITICAL");
	assert_string_equal(rating(x, "cvss_v3.1"), "HIGH");
	assert_string_equal(x->cvss[0].version, "4.0");
	assert_string_equal(x->cvss[0].source, "CVE-2099-1002");
	assert_string_equal(x->cvss[x->n_cvss - 1].source, "NVD");
	assert_string_equal(x->url, "https://security-tracker.debian.org/tracker/DSA-9001-1");
	assert_true(x->n_references >= 3);
	/* references are read when asked for; the url needs no reading */
	struct bw_report *r2 = bw_report_new("filesystem", "norefs");
	r2->os.id = "debian";
	r2->os.version = "11";
	struct bw_package *p2 = add(r2, "Debian", "xserver-common", "2:1.20.11-1+deb11u5");
	p2->source_name = "xorg-server";
	assert_int_equal(bw_match_report(db, r2, NULL, NULL, &err), 0);
	assert_int_equal(r2->findings[0].n_references, 0);
	assert_string_equal(r2->findings[0].url, x->url);
	bw_report_free(r2);
	/* no vector of its own nor of a CVE record: NVD's */
	const struct bw_finding *d = find(r, "CVE-2099-1000");
	assert_int_equal(d->severity, BW_SEV_HIGH);
	assert_string_equal(d->severity_source, "nvd");
	assert_string_equal(d->references[0], "https://example.org/advisories/2099-1000");
	/* the advisory's own vector beats NVD's */
	const struct bw_finding *lp = find(r, "CVE-2099-0003");
	assert_string_equal(lp->severity_source, "cvss_v3.1");
	assert_string_equal(rating(lp, "nvd"), "LOW");
	assert_string_equal(lp->url, "https://nvd.nist.gov/vuln/detail/CVE-2099-0003");
	/* a GHSA's vector beats the other advisory's database word */
	const struct bw_finding *dj = find(r, "CVE-2099-0001");
	assert_string_equal(dj->severity_source, "cvss_v3.1");
	assert_string_equal(rating(dj, "database"), "HIGH");
	/* the distributions' own words */
	const struct bw_finding *al = find(r, "BW-TEST-ALMA-1");
	assert_int_equal(al->severity, BW_SEV_HIGH);
	assert_string_equal(al->severity_source, "redhat");
	assert_string_equal(al->url, "https://osv.dev/vulnerability/BW-TEST-ALMA-1");
	const struct bw_finding *zl = find(r, "BW-TEST-DEB-2");
	assert_int_equal(zl->severity, BW_SEV_LOW);
	assert_string_equal(zl->severity_source, "ubuntu_priority");
	/* Debian's urgency beats NVD's CRITICAL */
	const struct bw_finding *im = find(r, "CVE-2007-0770");
	assert_non_null(im);
	assert_int_equal(im->severity, BW_SEV_MEDIUM);
	assert_string_equal(im->severity_source, "debian_urgency");
	assert_string_equal(rating(im, "nvd"), "CRITICAL");
	assert_string_equal(im->severity_by_source[0].source, "debian_urgency");
	bw_report_free(r);
}

static void test_distro_option_and_coverage(void **state)
{
	(void)state;
	struct bw_match_distro d;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_match_parse_distro("debian:12", &d, &err), 0);
	assert_string_equal(d.ecosystem, "Debian");
	assert_string_equal(d.version, "12");
	assert_int_equal(bw_match_parse_distro("Alpine:v3.20", &d, &err), 0);
	assert_string_equal(d.ecosystem, "Alpine");
	assert_string_equal(d.version, "3.20");
	assert_string_equal(d.name, "alpine");
	assert_int_equal(bw_match_parse_distro("rhel:9", &d, &err), 0);
	assert_string_equal(d.ecosystem, "Red Hat");
	assert_int_equal(bw_match_parse_distro("wolfi", &d, &err), 0);
	static const char *const bad[] = {"debian", "debian:",	    "debian:bookworm", "plan9:4",
					  ":12",    "debian:12 13", "alpine:3.2\x1b"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(bad); i++) {
		bw_error_clear(&err);
		assert_int_equal(bw_match_parse_distro(bad[i], &d, &err), BW_EUSAGE);
		assert_non_null(strstr(err.msg, "--distro"));
	}

	/* a Debian 12 report: Debian:12 holds one advisory, and PyPI; matched as
	 * debian:11 it finds the DSA instead */
	struct bw_report *r = bw_report_new("filesystem", "cov");
	r->os.id = "debian";
	r->os.version = "12";
	struct bw_package *p = add(r, "Debian", "xserver-common", "2:1.20.11-1+deb11u5");
	p->source_name = "xorg-server";
	p = add(r, "Debian", "libc6", "2.36-9");
	add(r, "PyPI", "django-example", "1.0");
	add(r, "Go", "example.com/x", "v1.0.0");
	add(r, "Hex", "plug", "1.0.0"); /* an ecosystem the database never heard of */
	assert_int_equal(bw_match_report(db, r, NULL, NULL, &err), 0);
	assert_null(find(r, "DSA-9001-1"));
	assert_int_equal(bw_match_coverage(db, r, NULL, &err), 0);
	assert_int_equal(r->coverage.n_entries, 4);
	const struct bw_coverage_entry *e = &r->coverage.entries[0];
	assert_string_equal(e->ecosystem, "Debian:12");
	assert_int_equal(e->packages, 2);
	assert_true(e->advisories >= 1);
	assert_null(e->reason);
	assert_string_equal(r->coverage.entries[1].ecosystem, "PyPI");
	assert_int_equal(r->coverage.entries[1].advisories, 2);
	assert_string_equal(r->coverage.entries[1].sources[0].name, "osv:PyPI");
	assert_string_equal(r->coverage.entries[1].data_date, "2024-01-01T00:00:00Z");
	assert_string_equal(r->coverage.entries[3].ecosystem, "Hex");
	assert_int_equal(r->coverage.entries[3].advisories, 0);
	assert_non_null(strstr(r->coverage.entries[3].reason, "no advisories for Hex"));
	/* the sources of every finding: KEV, EPSS, NVD, CVE records */
	assert_int_equal(r->coverage.n_enrichment, 4);
	bw_report_free(r);

	r = bw_report_new("filesystem", "distro");
	r->os.id = "debian";
	r->os.version = "12";
	p = add(r, "Debian", "xserver-common", "2:1.20.11-1+deb11u5");
	p->source_name = "xorg-server";
	assert_int_equal(bw_match_parse_distro("debian:11", &d, &err), 0);
	struct bw_match_opts o = {.distro = &d};
	assert_int_equal(bw_match_report(db, r, &o, NULL, &err), 0);
	assert_non_null(find(r, "DSA-9001-1"));
	assert_int_equal(bw_match_coverage(db, r, &o, &err), 0);
	assert_string_equal(r->coverage.entries[0].ecosystem, "Debian:11");
	bw_report_free(r);

	/* no release known, no database: nothing is covered, each says why */
	r = bw_report_new("filesystem", "unknown");
	add(r, "Debian", "libc6", "2.36-9");
	add(r, "npm", "left-pad", "1.0.0");
	assert_int_equal(bw_match_coverage(db, r, NULL, &err), 0);
	assert_string_equal(r->coverage.entries[0].ecosystem, "Debian");
	assert_non_null(strstr(r->coverage.entries[0].reason, "release is not known"));
	assert_null(r->coverage.entries[1].reason);
	bw_report_free(r);
	r = bw_report_new("filesystem", "nodb");
	add(r, "npm", "left-pad", "1.0.0");
	assert_int_equal(bw_match_coverage(NULL, r, NULL, &err), 0);
	assert_string_equal(r->coverage.entries[0].reason, "no vulnerability database");
	bw_report_free(r);
}

/* An advisory row the database cannot decode is not a silent miss: the
 * report carries one warning naming the file and how many rows. */
static void test_undecodable_rows_warn(void **state)
{
	(void)state;
	char path[256];
	snprintf(path, sizeof(path), "/tmp/bw-match-damaged-%d.db", (int)getpid());
	unlink(path);
	struct bw_error err = BW_ERROR_INIT;
	struct bw_vulndb *d = NULL;
	assert_int_equal(bw_vulndb_open(path, BW_VULNDB_WRITE, &d, &err), 0);
	char *records = bw_asprintf("%s/records", data_dir);
	struct bw_vulndb_import_stats ist;
	assert_int_equal(bw_vulndb_import(d, (const char *const *)&records, 1, &ist, &err), 0);
	free(records);
	bw_vulndb_close(d);
	sqlite3 *s = NULL;
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "UPDATE affected SET ranges = 'f1.3.1' WHERE name = 'left-pad'",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(s);

	assert_int_equal(bw_vulndb_open(path, BW_VULNDB_READ, &d, &err), 0);
	struct bw_report *r = bw_report_new("filesystem", "damaged");
	add(r, "npm", "left-pad", "1.0.0");
	add(r, "PyPI", "django-example", "1.0");
	struct bw_match_stats st;
	assert_int_equal(bw_match_report(d, r, NULL, &st, &err), 0);
	assert_int_equal(st.undecodable, 1);
	assert_null(find(r, "CVE-2099-0003")); /* left-pad's, unreadable */
	assert_non_null(find(r, "CVE-2099-0001"));
	assert_int_equal(r->n_warnings, 1);
	char *want = bw_asprintf("vulnerability database %s: 1 advisory row could not be decoded", path);
	if (strncmp(r->warnings[0], want, strlen(want)) != 0)
		fail_msg("warning: %s", r->warnings[0]);
	free(want);
	bw_report_free(r);

	/* nothing damaged among the looked-up packages: no warning */
	r = bw_report_new("filesystem", "intact");
	add(r, "PyPI", "django-example", "1.0");
	assert_int_equal(bw_match_report(d, r, NULL, &st, &err), 0);
	assert_int_equal(st.undecodable, 0);
	assert_int_equal(r->n_warnings, 0);
	bw_report_free(r);
	bw_vulndb_close(d);
	unlink(path);
}

int main(int argc, char **argv)
{
	cases_path = argc > 1 ? argv[1] : "match.cases";
	data_dir = argc > 2 ? argv[2] : "tests/data/osv";
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_ecosystems),
	    cmocka_unit_test(test_priority),
	    cmocka_unit_test(test_thousand_packages),
	    cmocka_unit_test(test_severity_sources),
	    cmocka_unit_test(test_distro_option_and_coverage),
	    cmocka_unit_test(test_undecodable_rows_warn),
	};
	return cmocka_run_group_tests_name("match", tests, setup, teardown);
}
