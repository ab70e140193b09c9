/* Unit tests of the scan composer: the --scanners words, and the rows run
 * on a root-filesystem directory written here — each scanner asked for
 * reports, a scanner run only because another needs it (the packages the
 * configuration rules read) leaves no trace in the report, the scan
 * fails cleanly on a missing target, and the vulnerability row's coverage
 * verdict: partial (each unchecked release named) without a database or
 * without advisories for the release, complete with them, --distro, and
 * the age of the data against --db-max-age. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan/scan.h"
#include "vulndb/vulndb.h"

static char root[64];

static void test_parse_scanners(void **st)
{
	static const struct {
		const char *in;
		int rc;
		unsigned flags;
		const char *bad;
	} cases[] = {
	    {"", 0, 0, NULL},
	    {"vuln", 0, BW_SCAN_VULN | BW_SCAN_PACKAGES, NULL},
	    {"vulnerability,secret", 0, BW_SCAN_VULN | BW_SCAN_PACKAGES | BW_SCAN_SECRET, NULL},
	    {"config", 0, BW_SCAN_CONFIG, NULL},
	    {"misconfig,packages", 0, BW_SCAN_CONFIG | BW_SCAN_PACKAGES, NULL},
	    {"package", 0, BW_SCAN_PACKAGES, NULL},
	    {"all", 0, BW_SCAN_ALL, NULL},
	    {"secret,,config", 0, BW_SCAN_SECRET | BW_SCAN_CONFIG, NULL},
	    {"secret,licence", -1, 0, "licence"},
	    {"vulns", -1, 0, "vulns"},
	    {"Secret", -1, 0, "Secret"},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(cases); i++) {
		unsigned flags = 0;
		const char *bad = NULL;
		size_t bad_len = 0;
		int rc = bw_scan_parse_scanners(cases[i].in, &flags, &bad, &bad_len);
		assert_int_equal(rc, cases[i].rc);
		if (rc == 0) {
			assert_int_equal(flags, cases[i].flags);
		} else {
			assert_int_equal(bad_len, strlen(cases[i].bad));
			assert_memory_equal(bad, cases[i].bad, bad_len);
		}
	}
}

static void put(const char *rel, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		mkdir(path, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static struct bw_report *scan(unsigned scanners)
{
	char *target = bw_asprintf("dir:%s", root);
	struct bw_scan_opts o = {
	    .target = target,
	    .report_type = "filesystem",
	    .scanners = scanners,
	    .no_cache = true,
	    .db_path = "/nonexistent/bulwark-test.db",
	};
	struct bw_report *r = NULL;
	struct bw_error err = BW_ERROR_INIT;
	int rc = bw_scan_run(&o, &r, &err);
	if (rc < 0)
		fail_msg("scan of %s: %s", target, err.msg);
	free(target);
	return r;
}

static size_t count(const struct bw_report *r, enum bw_kind kind, const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_findings; i++)
		if (r->findings[i].kind == kind && (!id || !strcmp(r->findings[i].id, id)))
			n++;
	return n;
}

static void test_rows(void **st)
{
	/* packages only */
	struct bw_report *r = scan(BW_SCAN_PACKAGES);
	assert_int_equal(r->n_packages, 2);
	assert_string_equal(r->os.id, "debian");
	assert_int_equal(r->n_findings, 0);
	bw_report_free(r);

	/* config only: the package rule sees openssh-server, the packages row
	 * ran for it, and neither packages nor OS are in the report */
	r = scan(BW_SCAN_CONFIG);
	assert_int_equal(count(r, BW_KIND_MISCONFIG, "BW-IMG-021"), 1);
	assert_int_equal(r->n_packages, 0);
	assert_null(r->os.id);
	assert_int_equal(count(r, BW_KIND_SECRET, NULL), 0);
	bw_report_free(r);

	/* config and packages: both */
	r = scan(BW_SCAN_CONFIG | BW_SCAN_PACKAGES);
	assert_int_equal(count(r, BW_KIND_MISCONFIG, "BW-IMG-021"), 1);
	assert_int_equal(r->n_packages, 2);
	bw_report_free(r);

	/* secrets only */
	r = scan(BW_SCAN_SECRET);
	assert_true(count(r, BW_KIND_SECRET, NULL) >= 1);
	assert_int_equal(count(r, BW_KIND_MISCONFIG, NULL), 0);
	assert_int_equal(r->n_packages, 0);
	bw_report_free(r);

	/* every scanner by default: no database is a warning, not a failure */
	r = scan(0);
	assert_int_equal(r->n_packages, 2);
	assert_true(count(r, BW_KIND_SECRET, NULL) >= 1);
	assert_int_equal(count(r, BW_KIND_MISCONFIG, "BW-IMG-021"), 1);
	bool warned = false;
	for (size_t i = 0; i < r->n_warnings; i++)
		warned |= strstr(r->warnings[i], "vulnerabilities not scanned") != NULL;
	assert_true(warned);
	bw_report_free(r);
}

static void test_vuln_without_database_fails(void **st)
{
	char *target = bw_asprintf("dir:%s", root);
	struct bw_scan_opts o = {.target = target,
				 .scanners = BW_SCAN_VULN,
				 .no_cache = true,
				 .db_path = "/nonexistent/bulwark-test.db"};
	struct bw_report *r = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_scan_run(&o, &r, &err), BW_ENOTFOUND);
	assert_null(r);
	free(target);
}

static void test_missing_target(void **st)
{
	struct bw_scan_opts o = {.target = "dir:/nonexistent/bulwark-scan-test", .no_cache = true};
	struct bw_report *r = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_true(bw_scan_run(&o, &r, &err) < 0);
	assert_null(r);
	assert_non_null(strstr(err.msg, "/nonexistent/bulwark-scan-test"));
}

static struct bw_report *scan_vuln(const char *db, const char *distro, long max_age)
{
	char *target = bw_asprintf("dir:%s", root);
	struct bw_scan_opts o = {.target = target,
				 .report_type = "filesystem",
				 .scanners = BW_SCAN_VULN,
				 .no_cache = true,
				 .db_path = db,
				 .distro = distro,
				 .db_max_age = max_age};
	struct bw_report *r = NULL;
	struct bw_error err = BW_ERROR_INIT;
	if (bw_scan_run(&o, &r, &err) < 0)
		fail_msg("scan: %s", err.msg);
	free(target);
	return r;
}

static bool warned(const struct bw_report *r, const char *what)
{
	for (size_t i = 0; i < r->n_warnings; i++)
		if (strstr(r->warnings[i], what))
			return true;
	return false;
}

static char *make_db(const char *name, const char *ecosystem)
{
	char *dir = bw_asprintf("%s-%s", root, name);
	mkdir(dir, 0755);
	char *rec = bw_asprintf("%s/R.json", dir);
	FILE *f = fopen(rec, "w");
	fprintf(
	    f,
	    "{\"id\": \"BW-COV-1\", \"modified\": \"2024-01-01T00:00:00Z\", \"affected\": [{\"package\": "
	    "{\"ecosystem\": \"%s\", \"name\": \"openssh-server\"}, \"ranges\": [{\"type\": \"ECOSYSTEM\", "
	    "\"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"1:9.2p1-3\"}]}]}]}",
	    ecosystem);
	fclose(f);
	char *db = bw_asprintf("%s/v.db", dir);
	struct bw_vulndb *v;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_vulndb_open(db, BW_VULNDB_WRITE, &v, &err), 0);
	struct bw_vulndb_import_stats st;
	const char *paths[] = {rec};
	assert_int_equal(bw_vulndb_import(v, paths, 1, &st, &err), 0);
	bw_vulndb_close(v);
	free(rec);
	free(dir);
	return db;
}

static void test_coverage_verdict(void **st)
{
	/* no database, every scanner: nothing checked, partial */
	struct bw_report *r = scan(0);
	assert_true(r->coverage.present);
	assert_true(r->coverage.partial);
	assert_int_equal(r->coverage.unchecked, 2);
	assert_non_null(r->coverage.error);
	assert_string_equal(r->coverage.entries[0].ecosystem, "Debian:12");
	assert_true(warned(r, "2 packages not checked"));
	bw_report_free(r);

	/* a database for another release: partial, Debian:12 named */
	char *db11 = make_db("db11", "Debian:11");
	r = scan_vuln(db11, NULL, 0);
	assert_true(r->coverage.partial);
	assert_int_equal(r->coverage.unchecked, 2);
	assert_string_equal(r->coverage.distro, "debian:12");
	assert_false(r->coverage.distro_option);
	assert_true(
	    warned(r, "Debian:12: 2 packages not checked: the database holds no advisories for Debian:12"));
	assert_false(warned(r, "days old")); /* --db-max-age 0 */
	bw_report_free(r);
	/* matched as the release it has: complete, the finding made */
	r = scan_vuln(db11, "debian:11", 0);
	assert_false(r->coverage.partial);
	assert_true(r->coverage.distro_option);
	assert_string_equal(r->coverage.entries[0].ecosystem, "Debian:11");
	assert_int_equal(r->n_findings, 1);
	assert_false(warned(r, "not checked"));
	bw_report_free(r);

	/* the right release: complete; its data is old against a week */
	char *db12 = make_db("db12", "Debian:12");
	r = scan_vuln(db12, NULL, 7);
	assert_false(r->coverage.partial);
	assert_int_equal(r->coverage.unchecked, 0);
	assert_true(r->coverage.entries[0].stale);
	assert_true(warned(r, "vulnerability data of osv:Debian is"));
	bw_report_free(r);
	r = scan_vuln(db12, NULL, 0);
	assert_false(r->coverage.entries[0].stale);
	assert_false(warned(r, "days old"));
	bw_report_free(r);
	free(db11);
	free(db12);
}

static int setup(void **st)
{
	snprintf(root, sizeof(root), "/tmp/bw-scan-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	put("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n");
	put("var/lib/dpkg/status", "Package: openssh-server\nStatus: install ok installed\n"
				   "Version: 1:9.2p1-2\nArchitecture: amd64\n\n"
				   "Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\n"
				   "Architecture: amd64\n\n");
	put("app/settings.py", "AWS_ACCESS_KEY_ID = 'AKIAQX3W7NNXZ5T2JQ4R'\n"
			       "AWS_SECRET_ACCESS_KEY = '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'\n");
	return 0;
}

static int teardown(void **st)
{
	char *cmd = bw_asprintf("rm -rf '%s' '%s'-db11 '%s'-db12", root, root, root);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_scanners),
	    cmocka_unit_test(test_rows),
	    cmocka_unit_test(test_vuln_without_database_fails),
	    cmocka_unit_test(test_missing_target),
	    cmocka_unit_test(test_coverage_verdict),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
