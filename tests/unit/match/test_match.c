/* Unit tests of src/match: the data-driven cases of match.cases over the
 * project's advisories (tests/data/osv), the ecosystem mapping, priority
 * ranking with KEV and EPSS, --ignore-unfixed, and 1,000 packages timed. */
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
	char *p[3] = {bw_asprintf("%s/records", data_dir), bw_asprintf("%s/distro", data_dir),
		      bw_asprintf("%s/enrich", data_dir)};
	struct bw_vulndb_import_stats st;
	int rc = bw_vulndb_import(db, (const char *const *)p, 3, &st, &err);
	for (int i = 0; i < 3; i++)
		free(p[i]);
	if (rc < 0)
		fprintf(stderr, "import: %s\n", err.msg);
	return rc;
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
	fprintf(stderr, "matched 1000 packages in %.1f ms (%zu findings)\n", st.seconds * 1000, st.findings);
	assert_true(st.seconds < 0.5); /* generous under sanitizers; the bench holds the 50 ms target */
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
	    cmocka_unit_test(test_undecodable_rows_warn),
	};
	return cmocka_run_group_tests_name("match", tests, setup, teardown);
}
