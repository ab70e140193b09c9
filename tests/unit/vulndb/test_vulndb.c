/* Unit tests of src/vulndb: import of the project's advisories
 * (tests/data/osv), idempotence and the newer-modified rule, malformed
 * records, the DSA/DLA list and secdb parsers, KEV/EPSS, all.zip archives,
 * transactions, schema and file errors, NVD documents split as they stream
 * (fed a byte at a time), CVE records, the per-CVE table, a named input
 * that imports nothing, and a file a writer created but never committed.
 * CVSS scores: test_cvss.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <zip.h>

#include "vulndb/vulndb-int.h"

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

/* The coverage table, kept as imports go, always equals a recount from the
 * advisories: after inserts, updates (one that moves an advisory to
 * another ecosystem and one that withdraws it), a source replaced whole,
 * and an import rolled back. */
static char *coverage_rows(const char *path, bool recount)
{
	sqlite3 *s;
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	sqlite3_stmt *st;
	const char *sql =
	    recount ? "SELECT f.ecosystem, a.source, count(DISTINCT a.rowid) FROM advisories a JOIN "
		      "affected f ON f.advisory = a.rowid WHERE a.withdrawn IS NULL GROUP BY 1, 2 ORDER "
		      "BY 1, 2"
		    : "SELECT ecosystem, source, advisories FROM coverage ORDER BY 1, 2";
	assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
	struct bw_buf b;
	bw_buf_init(&b, 1 << 20);
	while (sqlite3_step(st) == SQLITE_ROW)
		bw_buf_printf(&b, "%s|%s|%d\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
			      sqlite3_column_int(st, 2));
	sqlite3_finalize(st);
	sqlite3_close(s);
	return bw_buf_detach(&b, NULL);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_coverage_counts_match_a_recount(void **state)
{
	(void)state;
	struct bw_vulndb *db = fresh_db("cov.db");
	char *path = bw_asprintf("%s/cov.db", tmpdir);
	struct bw_vulndb_import_stats st;
	import1(db, "records", &st);
	import1(db, "distro", &st);
	import1(db, "update", &st);
	import1(db, "distro", &st); /* replaced whole */
	char *dir = bw_asprintf("%s/cov-records", tmpdir);
	mkdir(dir, 0755);
	char *f1 = bw_asprintf("%s/moved.json", dir), *f2 = bw_asprintf("%s/gone.json", dir);
	/* BW-TEST-NPM-1 now affects a crates.io package; BW-TEST-GO-2 is withdrawn */
	write_file(
	    f1,
	    "{\"id\": \"BW-TEST-NPM-1\", \"modified\": \"2030-01-01T00:00:00Z\", \"affected\": "
	    "[{\"package\": {\"ecosystem\": \"crates.io\", \"name\": \"x\"}, \"versions\": [\"1.0.0\"]}]}");
	write_file(f2,
		   "{\"id\": \"BW-TEST-GO-2\", \"modified\": \"2030-01-01T00:00:00Z\", \"withdrawn\": "
		   "\"2030-01-01T00:00:00Z\", \"affected\": [{\"package\": {\"ecosystem\": \"Go\", \"name\": "
		   "\"example.com/mod\"}, \"versions\": [\"v1.0.0\"]}]}");
	const char *paths[] = {dir};
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_vulndb_import(db, paths, 1, &st, &err), 0);
	assert_int_equal(st.updated, 2);
	/* an import that fails changes no count */
	const char *bad[] = {dir, "/nonexistent/bulwark-test"};
	assert_true(bw_vulndb_import(db, bad, 2, &st, &err) < 0);
	char *kept = coverage_rows(path, false), *recount = coverage_rows(path, true);
	assert_string_equal(kept, recount);
	assert_non_null(strstr(kept, "crates.io|osv:crates.io|2\n")); /* moved to its new source */
	assert_null(strstr(kept, "Go|osv:Go|2"));
	free(kept);
	free(recount);
	bw_vulndb_close(db);
	free(f1);
	free(f2);
	free(dir);
	free(path);
}

static char *read_data(const char *sub, size_t *len)
{
	char *p = path_in(sub);
	struct bw_buf b;
	bw_buf_init(&b, 1 << 24);
	struct bw_error err = BW_ERROR_INIT;
	if (bw_buf_read_file(&b, p, &err) < 0)
		fail_msg("%s: %s", p, err.msg);
	free(p);
	return bw_buf_detach(&b, len);
}

/* The splitter sees every boundary: fed one byte at a time it finds the
 * same entries, the timestamp and totalResults; a document cut short keeps
 * what was whole and says so. */
static void test_nvd_stream(void **state)
{
	(void)state;
	size_t len;
	char *doc = read_data("cve/nvdcve-2.0-page.json", &len);
	struct bw_vulndb_import_stats st = {0};
	struct bw_error err = BW_ERROR_INIT;
	struct vdb_nvd_stream *s = vdb_nvd_stream_new(NULL, "page", &st);
	for (size_t i = 0; i < len; i++)
		assert_int_equal(vdb_nvd_stream_feed(s, doc + i, 1, &err), 0);
	char ts[40];
	assert_int_equal(vdb_nvd_stream_end(s, ts, &err), 0);
	assert_string_equal(ts, "2024-03-01T10:00:00.000");
	assert_int_equal(vdb_nvd_stream_total(s), 5);
	assert_int_equal(vdb_nvd_stream_entries(s), 5);
	assert_int_equal(st.cves, 5);
	assert_int_equal(st.skipped, 0);
	vdb_nvd_stream_free(s);

	/* cut in the middle of the third entry */
	const char *third = strstr(doc, "CVE-2007-0770");
	assert_non_null(third);
	memset(&st, 0, sizeof(st));
	s = vdb_nvd_stream_new(NULL, "cut", &st);
	assert_int_equal(vdb_nvd_stream_feed(s, doc, (size_t)(third - doc), &err), 0);
	assert_int_equal(vdb_nvd_stream_end(s, NULL, &err), BW_EINPUT);
	assert_non_null(strstr(err.msg, "cut short after 2 entries"));
	assert_int_equal(st.cves, 2);
	vdb_nvd_stream_free(s);

	/* braces and quotes inside strings never end an entry; a bad entry is
	 * skipped, the next one kept */
	static const char tricky[] =
	    "{\"format\":\"NVD_CVE\",\"totalResults\":3,\"vulnerabilities\":["
	    "{\"cve\":{\"id\":\"CVE-2099-0101\",\"descriptions\":[{\"value\":\"} ] { \\\" [\"}]}},"
	    "{\"cve\":{\"id\":\"not-a-cve\"}},"
	    "{\"cve\":{\"id\":\"CVE-2099-0102\"}}],\"timestamp\":\"2024-05-06T00:00:00.000\"}";
	memset(&st, 0, sizeof(st));
	s = vdb_nvd_stream_new(NULL, "tricky", &st);
	assert_int_equal(vdb_nvd_stream_feed(s, tricky, sizeof(tricky) - 1, &err), 0);
	assert_int_equal(vdb_nvd_stream_end(s, ts, &err), 0);
	assert_string_equal(ts, "2024-05-06T00:00:00.000");
	assert_int_equal(st.cves, 2);
	assert_int_equal(st.skipped, 1);
	assert_int_equal(vdb_nvd_stream_total(s), 3);
	vdb_nvd_stream_free(s);

	/* not an object */
	s = vdb_nvd_stream_new(NULL, "array", &st);
	assert_int_equal(vdb_nvd_stream_feed(s, "[1]", 3, &err), BW_EINPUT);
	vdb_nvd_stream_free(s);
	free(doc);
}

struct cve_rows {
	char cvss[512], nvd[512], refs[1024], origin[16];
	int n;
};

static void on_cve_row(void *ud, const struct bw_vulndb_cve *c)
{
	struct cve_rows *r = ud;
	r->n++;
	snprintf(r->origin, sizeof(r->origin), "%s", c->origin);
	snprintf(r->cvss, sizeof(r->cvss), "%s", c->cvss ? c->cvss : "");
	snprintf(r->nvd, sizeof(r->nvd), "%s", c->nvd_cvss ? c->nvd_cvss : "");
	snprintf(r->refs, sizeof(r->refs), "%s", c->refs ? c->refs : "");
}

/* NVD's Primary vectors are its own, the Secondary ones the CNA's; a CVE
 * record's CNA and ADP vectors are the CNA's, newest version first; a
 * rejected CVE is not kept; the nvd source dates from the document. */
static void test_cve_table(void **state)
{
	(void)state;
	struct bw_vulndb *db = fresh_db("cve.db");
	struct bw_vulndb_import_stats st;
	import1(db, "cve", &st);
	assert_int_equal(st.cves, 6);
	assert_int_equal(st.records, 0);
	struct bw_error err = BW_ERROR_INIT;
	bw_vulndb_close(db);
	char *p = bw_asprintf("%s/cve.db", tmpdir);
	assert_int_equal(bw_vulndb_open(p, BW_VULNDB_READ, &db, &err), 0);
	free(p);
	struct cve_rows r = {0};
	assert_int_equal(bw_vulndb_cve(db, "CVE-2099-1001", on_cve_row, &r, &err), 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.origin, "nvd");
	assert_string_equal(r.cvss, "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N");
	assert_string_equal(r.nvd, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
	assert_string_equal(
	    r.refs, "https://example.org/advisories/2099-1001\nhttps://example.org/patches/2099-1001.patch");
	memset(&r, 0, sizeof(r));
	assert_int_equal(bw_vulndb_cve(db, "CVE-2099-1002", on_cve_row, &r, &err), 0);
	assert_string_equal(r.origin, "cvelist");
	assert_string_equal(r.cvss, "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N\n"
				    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H");
	memset(&r, 0, sizeof(r));
	assert_int_equal(bw_vulndb_cve(db, "CVE-2099-9999", on_cve_row, &r, &err), 0);
	assert_int_equal(r.n, 0); /* rejected */
	struct bw_vulndb_source *srcs;
	size_t n;
	assert_int_equal(bw_vulndb_sources(db, &srcs, &n, &err), 0);
	bool nvd = false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(srcs[i].name, "nvd") == 0) {
			nvd = true;
			assert_string_equal(srcs[i].data_date, "2024-03-01T10:00:00.000");
		}
	assert_true(nvd);
	bw_vulndb_sources_free(srcs, n);
	bw_vulndb_close(db);
}

/* A named input that brings nothing fails the whole import, naming it; a
 * file the writer created is gone again when nothing committed; a file
 * with the schema but no committed import is no database to a reader. */
static void test_nothing_imported_and_never_an_empty_database(void **state)
{
	(void)state;
	char *empty = bw_asprintf("%s/empty-dir", tmpdir);
	mkdir(empty, 0755);
	char *p = bw_asprintf("%s/new.db", tmpdir);
	unlink(p);
	struct bw_vulndb *db = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_vulndb_open(p, BW_VULNDB_WRITE, &db, &err), 0);
	char *good = path_in("records");
	const char *paths[] = {good, empty};
	struct bw_vulndb_import_stats st;
	assert_int_equal(bw_vulndb_import(db, paths, 2, &st, &err), BW_EINPUT);
	assert_non_null(strstr(err.msg, empty));
	assert_non_null(strstr(err.msg, "nothing imported"));
	bw_vulndb_close(db);
	struct stat sb;
	assert_true(stat(p, &sb) < 0); /* never created */

	/* opened for writing and closed: nothing left either */
	assert_int_equal(bw_vulndb_open(p, BW_VULNDB_WRITE, &db, &err), 0);
	bw_vulndb_close(db);
	assert_true(stat(p, &sb) < 0);

	/* the schema alone (what an older bulwark's failed update left) */
	sqlite3 *s;
	assert_int_equal(sqlite3_open(p, &s), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(s,
			 "CREATE TABLE sources(name TEXT PRIMARY KEY, location TEXT, imported_at "
			 "INTEGER, data_date TEXT, etag TEXT, last_modified TEXT, sha256 TEXT);"
			 "CREATE TABLE advisories(x); PRAGMA user_version = 2",
			 NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(s);
	bw_error_clear(&err);
	assert_int_equal(bw_vulndb_open(p, BW_VULNDB_READ, &db, &err), BW_ENOTFOUND);
	assert_non_null(strstr(err.msg, "no imported data"));
	unlink(p);

	/* and an import that commits makes a database */
	assert_int_equal(bw_vulndb_open(p, BW_VULNDB_WRITE, &db, &err), 0);
	const char *one[] = {good};
	assert_int_equal(bw_vulndb_import(db, one, 1, &st, &err), 0);
	bw_vulndb_close(db);
	assert_int_equal(bw_vulndb_open(p, BW_VULNDB_READ, &db, &err), 0);
	bw_vulndb_close(db);
	free(good);
	free(empty);
	free(p);
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
	    cmocka_unit_test(test_coverage_counts_match_a_recount),
	    cmocka_unit_test(test_nvd_stream),
	    cmocka_unit_test(test_cve_table),
	    cmocka_unit_test(test_nothing_imported_and_never_an_empty_database),
	    cmocka_unit_test(test_undecodable_rows),
	};
	int rc = cmocka_run_group_tests_name("vulndb", tests, NULL, NULL);
	char *cmd = bw_asprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	free(cmd);
	return rc;
}
