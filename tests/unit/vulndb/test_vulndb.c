/* Unit tests of src/vulndb: import of the project's advisories
 * (tests/data/osv), idempotence and the newer-modified rule, malformed
 * records, the DSA/DLA list and secdb parsers, KEV/EPSS, all.zip archives,
 * transactions, schema and file errors. CVSS scores: test_cvss.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <zip.h>

#include "vulndb/vulndb.h"

static const char *data_dir; /* tests/data/osv */
static char tmpdir[256];

static char *path_in(const char *sub)
{
	return bw_asprintf("%s/%s", data_dir, sub);
}

static struct bw_vulndb *fresh_db(const char *name)
{
	char *p = bw_asprintf("%s/%s", tmpdir, name);
	unlink(p);
	struct bw_vulndb *db = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_vulndb_open(p, BW_VULNDB_WRITE, &db, &err), 0);
	free(p);
	return db;
}

static void import1(struct bw_vulndb *db, const char *sub, struct bw_vulndb_import_stats *st)
{
	char *p = path_in(sub);
	const char *paths[] = {p};
	struct bw_error err = BW_ERROR_INIT;
	int rc = bw_vulndb_import(db, paths, 1, st, &err);
	if (rc)
		fail_msg("import %s: %s", sub, err.msg);
	free(p);
}

struct fixed_acc {
	char fixed[64];
	int n;
};

static int first_fixed(void *ud, const struct bw_vulndb_affected *a, struct bw_error *err)
{
	(void)err;
	struct fixed_acc *acc = ud;
	acc->n++;
	for (size_t i = 0; i < a->n_ranges; i++)
		for (size_t k = 0; k < a->ranges[i].n_events; k++)
			if (a->ranges[i].events[k].kind == BW_OSV_FIXED)
				snprintf(acc->fixed, sizeof(acc->fixed), "%.*s",
					 (int)a->ranges[i].events[k].version.len,
					 a->ranges[i].events[k].version.ptr);
	return 0;
}

static void test_import_records(void **state)
{
	(void)state;
	struct bw_vulndb *db = fresh_db("records.db");
	struct bw_vulndb_import_stats st;
	import1(db, "records", &st);
	assert_int_equal(st.files, 19);
	assert_int_equal(st.records, 19);
	assert_int_equal(st.inserted, 19);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(st.affected_skipped, 1); /* the GIT-only entry */
	assert_int_equal(st.withdrawn, 1);

	/* idempotent */
	import1(db, "records", &st);
	assert_int_equal(st.inserted, 0);
	assert_int_equal(st.unchanged, 19);

	/* newer modified wins, older loses */
	import1(db, "update", &st);
	assert_int_equal(st.updated, 1);
	assert_int_equal(st.unchanged, 1);
	struct fixed_acc acc = {0};
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_vulndb_lookup(db, "npm", "left-pad", first_fixed, &acc, &err), 0);
	assert_int_equal(acc.n, 1); /* the withdrawn one is not returned */
	assert_string_equal(acc.fixed, "1.3.1");
	memset(&acc, 0, sizeof(acc));
	assert_int_equal(bw_vulndb_lookup(db, "PyPI", "django-example", first_fixed, &acc, &err), 0);
	assert_int_equal(acc.n, 2);

	struct bw_vulndb_info info;
	assert_int_equal(bw_vulndb_info(db, &info, &err), 0);
	assert_int_equal(info.advisories, 19);
	assert_int_equal(info.withdrawn, 1);
	assert_int_equal(info.schema, BW_VULNDB_SCHEMA_VERSION);
	bw_vulndb_info_release(&info);
	bw_vulndb_close(db);
}

static void test_malformed(void **state)
{
	(void)state;
	struct bw_vulndb *db = fresh_db("malformed.db");
	struct bw_vulndb_import_stats st;
	import1(db, "malformed", &st);
	assert_int_equal(st.records, 5);
	assert_int_equal(st.skipped, 4);
	assert_int_equal(st.inserted, 1);	  /* bad-event: the record stays ... */
	assert_int_equal(st.affected_skipped, 1); /* ... without its bad entry */
	assert_true(st.n_samples >= 4);
	bw_vulndb_close(db);

	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_vulndb_check_osv("{\"id\":\"X\"}", 10, NULL, &err), 0);
	assert_int_equal(bw_vulndb_check_osv("{\"id\":\"X\",\"aliases\":7}", 22, NULL, &err), BW_EINPUT);
	assert_int_equal(bw_vulndb_check_osv("[{\"id\":\"A\"},{\"id\":\"B\"}]", 23, NULL, &err), 0);
}

static void test_tracker(void **state)
{
	(void)state;
	char *p = path_in("distro/DSA-list.txt");
	struct bw_buf b;
	bw_buf_init(&b, 1 << 20);
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_buf_read_file(&b, p, &err), 0);
	struct bw_vulndb_import_stats st = {0};
	assert_int_equal(bw_vulndb_check_tracker(b.data, b.len, &st, &err), 4);
	assert_int_equal(st.skipped, 1);	  /* DSA-BROKEN */
	assert_int_equal(st.affected_skipped, 1); /* not_a_version! */
	bw_buf_release(&b);
	free(p);

	struct bw_vulndb *db = fresh_db("tracker.db");
	import1(db, "distro", &st);
	struct fixed_acc acc = {0};
	assert_int_equal(bw_vulndb_lookup(db, "Debian:11", "xorg-server", first_fixed, &acc, &err), 0);
	assert_int_equal(acc.n, 1);
	assert_string_equal(acc.fixed, "2:1.20.11-1+deb11u6");
	memset(&acc, 0, sizeof(acc));
	assert_int_equal(bw_vulndb_lookup(db, "Debian:10", "xorg-server", first_fixed, &acc, &err), 0);
	assert_int_equal(acc.n, 0); /* <not-affected> */
	memset(&acc, 0, sizeof(acc));
	assert_int_equal(bw_vulndb_lookup(db, "Debian:11", "dino-im", first_fixed, &acc, &err), 0);
	assert_int_equal(acc.n, 1);
	assert_string_equal(acc.fixed, ""); /* <unfixed> */
	memset(&acc, 0, sizeof(acc));
	assert_int_equal(bw_vulndb_lookup(db, "Debian:3.1", "imagemagick", first_fixed, &acc, &err), 0);
	assert_int_equal(acc.n, 1);
	/* secdb: misspelt id repaired, "0" never affected, the bad version dropped */
	memset(&acc, 0, sizeof(acc));
	assert_int_equal(bw_vulndb_lookup(db, "Alpine:v3.19", "openssl", first_fixed, &acc, &err), 0);
	assert_int_equal(acc.n, 3);
	memset(&acc, 0, sizeof(acc));
	assert_int_equal(bw_vulndb_lookup(db, "Alpine:v3.19", "musl", first_fixed, &acc, &err), 0);
	assert_int_equal(acc.n, 1);

	/* re-import replaces the lists (no duplicates) */
	import1(db, "distro", &st);
	memset(&acc, 0, sizeof(acc));
	assert_int_equal(bw_vulndb_lookup(db, "Alpine:v3.19", "openssl", first_fixed, &acc, &err), 0);
	assert_int_equal(acc.n, 3);
	bw_vulndb_close(db);
}

static void test_enrichment(void **state)
{
	(void)state;
	struct bw_vulndb *db = fresh_db("enrich.db");
	struct bw_vulndb_import_stats st;
	import1(db, "enrich", &st);
	assert_int_equal(st.kev, 1);
	assert_int_equal(st.epss, 3);
	assert_int_equal(st.skipped, 2);
	bool kev;
	double epss;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_vulndb_enrichment(db, "CVE-2021-44228", &kev, &epss, &err), 0);
	assert_true(kev);
	assert_true(epss < 0);
	assert_int_equal(bw_vulndb_enrichment(db, "CVE-1999-0005", &kev, &epss, &err), 0);
	assert_false(kev);
	assert_true(epss > 0.919 && epss < 0.92);
	bw_vulndb_close(db);
}

static void test_zip(void **state)
{
	(void)state;
	char *zp = bw_asprintf("%s/all.zip", tmpdir);
	unlink(zp);
	int ze;
	zip_t *z = zip_open(zp, ZIP_CREATE | ZIP_TRUNCATE, &ze);
	assert_non_null(z);
	static const char *const names[] = {"BW-TEST-NPM-1.json", "BW-TEST-GO-1.json", "BW-TEST-DEB-1.json"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(names); i++) {
		char *src = bw_asprintf("%s/records/%s", data_dir, names[i]);
		zip_source_t *s = zip_source_file(z, src, 0, -1);
		assert_non_null(s);
		assert_true(zip_file_add(z, names[i], s, ZIP_FL_OVERWRITE) >= 0);
		free(src);
	}
	zip_source_t *bad = zip_source_buffer(z, "{\"id\":", 6, 0);
	assert_true(zip_file_add(z, "BAD.json", bad, ZIP_FL_OVERWRITE) >= 0);
	assert_int_equal(zip_close(z), 0);
	struct bw_vulndb *db = fresh_db("zip.db");
	struct bw_vulndb_import_stats st;
	const char *paths[] = {zp};
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_vulndb_import(db, paths, 1, &st, &err), 0);
	assert_int_equal(st.inserted, 3);
	assert_int_equal(st.skipped, 1);
	bw_vulndb_close(db);
	free(zp);
}

static void test_transaction(void **state)
{
	(void)state;
	struct bw_vulndb *db = fresh_db("tx.db");
	struct bw_vulndb_import_stats st;
	import1(db, "records", &st);
	char *good = path_in("update");
	const char *paths[] = {good, "/nonexistent/bulwark-test"};
	struct bw_error err = BW_ERROR_INIT;
	assert_true(bw_vulndb_import(db, paths, 2, &st, &err) < 0);
	assert_non_null(strstr(err.msg, "/nonexistent/bulwark-test"));
	/* the update of the first path was rolled back with the failure */
	struct fixed_acc acc = {0};
	assert_int_equal(bw_vulndb_lookup(db, "npm", "left-pad", first_fixed, &acc, &err), 0);
	assert_string_equal(acc.fixed, "1.3.0");
	free(good);
	bw_vulndb_close(db);
}

static void test_file_errors(void **state)
{
	(void)state;
	struct bw_vulndb *db = NULL;
	struct bw_error err = BW_ERROR_INIT;
	char *p = bw_asprintf("%s/missing.db", tmpdir);
	unlink(p);
	assert_int_equal(bw_vulndb_open(p, BW_VULNDB_READ, &db, &err), BW_ENOTFOUND);
	assert_non_null(strstr(err.msg, p));
	free(p);

	p = bw_asprintf("%s/corrupt.db", tmpdir);
	FILE *f = fopen(p, "w");
	for (int i = 0; i < 512; i++)
		fputs("this is not an SQLite database ", f);
	fclose(f);
	bw_error_clear(&err);
	assert_int_equal(bw_vulndb_open(p, BW_VULNDB_READ, &db, &err), BW_EINPUT);
	assert_non_null(strstr(err.msg, p));
	free(p);

	/* a newer schema is refused */
	p = bw_asprintf("%s/newer.db", tmpdir);
	unlink(p);
	assert_int_equal(bw_vulndb_open(p, BW_VULNDB_WRITE, &db, &err), 0);
	bw_vulndb_close(db);
	sqlite3 *s;
	assert_int_equal(sqlite3_open(p, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	bw_error_clear(&err);
	assert_int_equal(bw_vulndb_open(p, BW_VULNDB_READ, &db, &err), BW_EUNSUPPORTED);
	assert_non_null(strstr(err.msg, p));
	assert_non_null(strstr(err.msg, "newer"));
	free(p);

	/* somebody else's SQLite database */
	p = bw_asprintf("%s/other.db", tmpdir);
	unlink(p);
	assert_int_equal(sqlite3_open(p, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(bw_vulndb_open(p, BW_VULNDB_WRITE, &db, &err), BW_EINPUT);
	free(p);
}

/* Ages count whole days from the data date, else from the import; a
 * source is stale past --max-age (0: never); the table escapes what
 * advisories brought. */
static void test_source_age_and_info_document(void **st)
{
	(void)st;
	const int64_t now = 1704931200; /* 2024-01-11T00:00:00Z */
	struct bw_vulndb_source src[] = {
	    {.name = "osv:Go",
	     .location = "https://x/Go/all.zip",
	     .records = 3,
	     .data_date = "2024-01-01T10:00:00Z"},
	    {.name = "kev", .location = "/kev.json", .records = 1, .imported_at = now - 3 * 86400 - 5},
	    {.name = "epss", .location = NULL, .records = 2},
	    {.name = "osv:\x1b[2J", .location = "/f", .data_date = "2030-01-01"},
	};
	assert_int_equal(bw_vulndb_source_age(&src[0], now), 10); /* the date alone counts */
	assert_int_equal(bw_vulndb_source_age(&src[1], now), 3);
	assert_int_equal(bw_vulndb_source_age(&src[2], now), -1);
	assert_int_equal(bw_vulndb_source_age(&src[3], now), 0); /* from the future: 0, not negative */

	struct bw_vulndb_info info = {.schema = 2, .sources = src, .n_sources = BW_ARRAY_SIZE(src)};
	json_t *j = bw_vulndb_info_json("/db.sqlite", &info, 5, now);
	json_t *srcs = json_object_get(j, "sources");
	assert_true(json_is_true(json_object_get(json_array_get(srcs, 0), "stale")));
	assert_true(json_is_false(json_object_get(json_array_get(srcs, 1), "stale")));
	assert_true(json_is_null(json_object_get(json_array_get(srcs, 2), "age_days")));
	assert_true(json_is_false(json_object_get(json_array_get(srcs, 2), "stale")));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(srcs, 0), "age_days")), 10);
	json_decref(j);
	j = bw_vulndb_info_json("/db.sqlite", &info, 0, now);
	assert_true(
	    json_is_false(json_object_get(json_array_get(json_object_get(j, "sources"), 0), "stale")));
	json_decref(j);

	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	bw_vulndb_info_write_table("/db.sqlite", &info, now, m);
	fclose(m);
	assert_non_null(strstr(
	    text,
	    "\n  osv:Go                                   3  2024-01-01        10d  https://x/Go/all.zip\n"));
	assert_non_null(
	    strstr(text, "\n  epss                                     2  -                   -  -\n"));
	assert_non_null(strstr(text, "osv:\\x1b[2J"));
	assert_null(strchr(text, '\x1b'));
	free(text);
}

/* A row the import never writes (an event before its range, as a damaged
 * file could hold) is skipped by the lookup, and counted. */
static void test_undecodable_rows(void **state)
{
	(void)state;
	struct bw_vulndb *db = fresh_db("undecodable.db");
	struct bw_vulndb_import_stats st;
	import1(db, "records", &st);
	bw_vulndb_close(db);

	char *p = bw_asprintf("%s/undecodable.db", tmpdir);
	sqlite3 *s = NULL;
	assert_int_equal(sqlite3_open(p, &s), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(s,
			 "UPDATE affected SET ranges = 'f1.3.1' WHERE ecosystem = 'npm' AND name = "
			 "'left-pad'",
			 NULL, NULL, NULL),
	    SQLITE_OK);
	assert_true(sqlite3_changes(s) > 0);
	sqlite3_close(s);

	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_vulndb_open(p, BW_VULNDB_READ, &db, &err), 0);
	assert_int_equal(bw_vulndb_undecodable(db), 0);
	struct fixed_acc acc = {0};
	assert_int_equal(bw_vulndb_lookup(db, "npm", "left-pad", first_fixed, &acc, &err), 0);
	assert_int_equal(acc.n, 0);
	assert_int_equal(bw_vulndb_undecodable(db), 1); /* the withdrawn one is never read */
	memset(&acc, 0, sizeof(acc));
	assert_int_equal(bw_vulndb_lookup(db, "PyPI", "django-example", first_fixed, &acc, &err), 0);
	assert_int_equal(acc.n, 2);
	assert_int_equal(bw_vulndb_undecodable(db), 1);
	assert_int_equal(bw_vulndb_lookup(db, "npm", "left-pad", first_fixed, &acc, &err), 0);
	assert_int_equal(bw_vulndb_undecodable(db), 2);
	bw_vulndb_close(db);
	free(p);
}

int main(int argc, char **argv)
{
	data_dir = argc > 1 ? argv[1] : "tests/data/osv";
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/bw-vulndb-test-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_import_records),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_tracker),
	    cmocka_unit_test(test_enrichment),
	    cmocka_unit_test(test_zip),
	    cmocka_unit_test(test_transaction),
	    cmocka_unit_test(test_file_errors),
	    cmocka_unit_test(test_source_age_and_info_document),
	    cmocka_unit_test(test_undecodable_rows),
	};
	int rc = cmocka_run_group_tests_name("vulndb", tests, NULL, NULL);
	char *cmd = bw_asprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	free(cmd);
	return rc;
}
