/* vulndb — the vulnerability database: one SQLite file holding advisories
 * imported from OSV (JSON files, directories, the per-ecosystem all.zip
 * archives), the Debian security tracker's DSA/DLA lists, Alpine's secdb,
 * and the CISA KEV catalog and EPSS scores that enrich them.
 *
 * Every import runs in one SQLite transaction: it is applied whole or not at
 * all, so an import that fails or is killed leaves the previous database as
 * it was. OSV records are idempotent by id: the newer "modified" wins.
 * Distro lists, KEV and EPSS replace what the same source imported before.
 * Malformed records are skipped and counted, never abort an import.
 *
 * The schema carries a version (PRAGMA user_version); a database written by
 * a newer bulwark is refused, and a file that is not a database, is corrupt
 * or is locked fails with an error naming the file.
 *
 * Ownership: struct bw_vulndb is opaque, made by bw_vulndb_open() and
 * released by bw_vulndb_close(). Pointers handed to lookup callbacks are
 * valid only during the callback. Stats and info structs are filled by the
 * callee and owned by the caller (info: release with bw_vulndb_info_release),
 * and so are the JSON documents the describe functions return (json_decref).
 * A handle is used by one thread at a time.
 */
#ifndef BW_VULNDB_H
#define BW_VULNDB_H

#include "core/core.h"
#include "report/report.h"
#include "version/version.h"

/* Schema 2 added advisories.cvss (the CVSS vectors); schema 3 the
 * references, the per-CVE table (NVD, CVE records) and the coverage counts.
 * An older file is upgraded in place by the first writer's first
 * transaction (db import, db update) or when a reader can write it, and read
 * as it is otherwise. A file is a database once an import committed: a
 * writer that creates one and never commits leaves nothing behind. */
#define BW_VULNDB_SCHEMA_VERSION 3

struct bw_vulndb;

enum bw_vulndb_mode {
	BW_VULNDB_READ,	 /* an existing database; BW_ENOTFOUND when absent or holding no import */
	BW_VULNDB_WRITE, /* created (with its folder) when absent */
};

/* The default database path: $XDG_CACHE_HOME/bulwark/db.sqlite, else
 * $HOME/.cache/bulwark/db.sqlite. Caller frees. */
char *bw_vulndb_default_path(void);

int bw_vulndb_open(const char *path, enum bw_vulndb_mode mode, struct bw_vulndb **out, struct bw_error *err);
void bw_vulndb_close(struct bw_vulndb *db);
const char *bw_vulndb_path(const struct bw_vulndb *db);

/* ---- import ------------------------------------------------------------ */

#define BW_VULNDB_SAMPLES 5
#define BW_VULNDB_MAX_CVSS 4

struct bw_vulndb_import_stats {
	size_t files;	      /* files read (zip entries count as files) */
	size_t ignored_files; /* files of no known format */
	size_t records;	      /* advisories read (OSV records, DSA/DLA entries, secdb CVEs) */
	size_t inserted, updated, unchanged;
	size_t skipped;		 /* malformed records, not imported */
	size_t affected_skipped; /* affected entries dropped (bad versions, no package) */
	size_t withdrawn;	 /* records marked withdrawn (kept, never matched) */
	size_t kev, epss;	 /* enrichment rows imported */
	size_t cves;		 /* per-CVE entries read (NVD, CVE records) */
	size_t cves_unchanged;	 /* of those, entries the database held as new already */
	double seconds;
	char samples[BW_VULNDB_SAMPLES][256]; /* reasons of the first skips */
	size_t n_samples;
};

/* Import every path (OSV JSON file, directory walked recursively, OSV
 * all.zip, DSA/DLA list, Alpine secdb JSON, KEV JSON, EPSS CSV; the format
 * is recognised from the content) in one transaction. */
int bw_vulndb_import(struct bw_vulndb *db, const char *const *paths, size_t n,
		     struct bw_vulndb_import_stats *st, struct bw_error *err);

/* Parse one file's content without a database, the way import does (an
 * OSV record or a JSON array of them, and the other formats import
 * recognises: secdb, KEV, DSA/DLA lists, NVD documents split as they
 * stream, NVD CVE objects, CVE records): 0 when it would be imported,
 * BW_EINPUT with the reason when something would be skipped. For unit
 * tests and the fuzz harness. */
int bw_vulndb_check_osv(const void *data, size_t len, struct bw_vulndb_import_stats *st,
			struct bw_error *err);
/* The same for a DSA/DLA list: the number of advisories parsed, or < 0. */
int bw_vulndb_check_tracker(const void *data, size_t len, struct bw_vulndb_import_stats *st,
			    struct bw_error *err);

/* ---- update (OSV archives and NVD over HTTP) --------------------------- */

#define BW_VULNDB_DEFAULT_BASE_URL "https://osv-vulnerabilities.storage.googleapis.com"
#define BW_VULNDB_DEFAULT_NVD_URL "https://services.nvd.nist.gov/rest/json/cves/2.0"

struct bw_vulndb_update_result {
	const char *ecosystem;
	bool not_modified; /* the server answered 304 / same checksum / no CVE changed */
	bool failed;
	char message[256];
	struct bw_vulndb_import_stats st;
};

struct bw_vulndb_update_opts {
	const char *base_url;	 /* mirror of OSV's bucket; NULL: BW_VULNDB_DEFAULT_BASE_URL */
	const char *nvd_url;	 /* NVD's CVE API 2.0; NULL: BW_VULNDB_DEFAULT_NVD_URL */
	const char *nvd_api_key; /* NULL: none */
};

/* For each ecosystem, GET BASE/ECOSYSTEM/all.zip with If-None-Match /
 * If-Modified-Since from the previous download, check its size and the
 * MD5 the server states (x-goog-hash or Content-MD5) while storing it in a
 * temporary file, then import it in one transaction. The name "NVD" fetches
 * NVD's CVE API instead: everything the first time, then the CVEs modified
 * since the last run (lastModStartDate), at most 5 requests in any 30
 * seconds (50 with an API key), each page in its own transaction with the
 * point reached, so an interrupted run resumes there. A failure leaves the
 * database as the last committed transaction left it. results has n
 * entries; o may be NULL. */
int bw_vulndb_update(struct bw_vulndb *db, const struct bw_vulndb_update_opts *o,
		     const char *const *ecosystems, size_t n, struct bw_vulndb_update_result *results,
		     struct bw_error *err);
/* The ecosystems whose archives were downloaded or imported before, and
 * those scans recorded as needed (bw_vulndb_note_ecosystems), and "NVD"
 * when it was fetched before; caller frees each string and the array. */
int bw_vulndb_known_ecosystems(struct bw_vulndb *db, char ***out, size_t *n, struct bw_error *err);
/* The ecosystems an update without a list fetches: the base ecosystem
 * ("Debian:12" -> "Debian") of each known one, once, in order; caller frees
 * each string and the array. */
int bw_vulndb_update_defaults(struct bw_vulndb *db, char ***out, size_t *n, struct bw_error *err);
/* BW_EUSAGE unless the URL (NULL: the default) is an http:// or https://
 * URL: what bw_vulndb_update checks first, for callers that validate their
 * options before doing anything. */
int bw_vulndb_check_base_url(const char *base_url, struct bw_error *err);
int bw_vulndb_check_nvd_url(const char *nvd_url, struct bw_error *err);

/* ---- info -------------------------------------------------------------- */

struct bw_vulndb_source {
	char *name;	     /* "osv:Go", "debian-tracker:DSA", "alpine-secdb:v3.9-main", "kev", "epss" */
	char *location;	     /* file or URL it came from */
	int64_t imported_at; /* unix time */
	int64_t records;
	char *data_date; /* newest "modified" / catalog date / score date, when known */
};

struct bw_vulndb_info {
	int schema;
	int64_t file_size;
	int64_t advisories, withdrawn, affected, aliases, kev, epss;
	struct {
		char *ecosystem;
		int64_t affected;
	} * ecosystems;
	size_t n_ecosystems;
	struct bw_vulndb_source *sources;
	size_t n_sources;
};

int bw_vulndb_info(struct bw_vulndb *db, struct bw_vulndb_info *out, struct bw_error *err);
void bw_vulndb_info_release(struct bw_vulndb_info *info);

/* ---- documents (what `bulwark db` writes) ------------------------------ */

/* JSON values are new references the caller releases (json_decref); text
 * writers leave write errors on out for its owner, and show the strings
 * advisories brought through bw_report_put_text. Times are unix seconds. */

/* Import counts: {files, ignored_files, records, inserted, updated,
 * unchanged, skipped, affected_skipped, withdrawn, kev, epss, cves,
 * cves_unchanged, seconds, skip_samples}. */
json_t *bw_vulndb_import_stats_json(const struct bw_vulndb_import_stats *st);
/* The same as one line ("3 files: 12 records (…); 0.12 s") and a line a
 * skip sample. */
void bw_vulndb_import_stats_write_text(const struct bw_vulndb_import_stats *st, FILE *out);
/* One ecosystem's update: {ecosystem, status: updated|not_modified|failed,
 * message (when any), import (the counts, when updated)}. */
json_t *bw_vulndb_update_result_json(const struct bw_vulndb_update_result *r);
/* Whole days from a source's data date (else its import time) to now; -1
 * when neither is known. */
long bw_vulndb_source_age(const struct bw_vulndb_source *s, int64_t now);
/* The database at path: {database, schema, size, counts, sources (each
 * with age_days and stale: older than max_age days, 0 = never), ecosystems}. */
json_t *bw_vulndb_info_json(const char *path, const struct bw_vulndb_info *info, long max_age, int64_t now);
/* The same as a table: counts, sources with their ages, ecosystems. */
void bw_vulndb_info_write_table(const char *path, const struct bw_vulndb_info *info, int64_t now, FILE *out);

/* ---- lookups (the matcher) --------------------------------------------- */

struct bw_vulndb_affected {
	int64_t advisory;   /* row id, for bw_vulndb_aliases */
	const char *id;	    /* "GHSA-…", "DSA-5376-1", "CVE-…" */
	const char *origin; /* "osv", "debian-tracker", "alpine-secdb" */
	const char *ecosystem, *name;
	const char *summary;
	/* the advisory's own word rating and where it comes from: "ghsa" (a
	 * GHSA's database_specific.severity), "database" (another database's),
	 * "ubuntu_priority", "redhat" ("Important: …" summaries of Red Hat and
	 * its rebuilds), "debian_urgency"; NULL when it states none (its CVSS
	 * vectors are in cvss). A database older than schema 3 may give
	 * "cvss_v4"/"cvss_v3"/"cvss_v2" here: the rating of its best vector. */
	enum bw_severity severity;
	const char *severity_source;
	double score; /* CVSS base score of the newest version, < 0 unknown */
	/* the advisory's CVSS vectors that score, newest version first, one a
	 * line (at most BW_VULNDB_MAX_CVSS); NULL when none or the database
	 * predates them */
	const char *cvss;
	const char *note; /* "end-of-life" and similar, or NULL */
	/* the ranges and versions, decoded; scheme is -1 when bulwark has no
	 * comparator for the ecosystem */
	int scheme;
	const struct bw_osv_range *ranges;
	size_t n_ranges;
	const struct bw_slice *versions;
	size_t n_versions;
};

typedef int (*bw_vulndb_affected_fn)(void *ud, const struct bw_vulndb_affected *a, struct bw_error *err);
/* Call fn for every affected entry of (ecosystem, name) of an advisory
 * that is not withdrawn. A row that cannot be decoded (ranges or ids no
 * import writes: a damaged or hand-edited file) is skipped and counted in
 * bw_vulndb_undecodable(). */
int bw_vulndb_lookup(struct bw_vulndb *db, const char *ecosystem, const char *name, bw_vulndb_affected_fn fn,
		     void *ud, struct bw_error *err);
/* The rows bw_vulndb_lookup skipped as undecodable since db was opened. A
 * caller takes it before and after its lookups and reports the difference:
 * each skipped row may be a vulnerability not reported. */
size_t bw_vulndb_undecodable(const struct bw_vulndb *db);

typedef void (*bw_vulndb_refs_fn)(void *ud, const char *urls);
/* The reference URLs of an advisory (fn once with them, one a line; not
 * at all when it has none). */
int bw_vulndb_advisory_refs(struct bw_vulndb *db, int64_t advisory, bw_vulndb_refs_fn fn, void *ud,
			    struct bw_error *err);

typedef void (*bw_vulndb_alias_fn)(void *ud, const char *alias, bool related);
/* The aliases (related = false) and related ids (true) of an advisory. */
int bw_vulndb_aliases(struct bw_vulndb *db, int64_t advisory, bw_vulndb_alias_fn fn, void *ud,
		      struct bw_error *err);

/* Many lookups as one consistent read (one shared lock instead of one per
 * statement): begin before the first lookup, end after the last. */
int bw_vulndb_read_begin(struct bw_vulndb *db, struct bw_error *err);
void bw_vulndb_read_end(struct bw_vulndb *db);

/* KEV membership and EPSS score (< 0 when unknown) of a CVE id. */
int bw_vulndb_enrichment(struct bw_vulndb *db, const char *cve, bool *kev, double *epss,
			 struct bw_error *err);

/* What the database knows of a CVE itself, from NVD and CVE records. */
struct bw_vulndb_cve {
	const char *cve;
	const char *origin;   /* "nvd" (NVD's CVE API) or "cvelist" (CVE JSON 5 records) */
	const char *cvss;     /* the CNA's and ADPs' vectors (NVD's Secondary ones), one a line, or NULL */
	const char *nvd_cvss; /* NVD's own assessment (its Primary vectors), or NULL */
	const char *refs;     /* reference URLs, one a line, or NULL */
};
typedef void (*bw_vulndb_cve_fn)(void *ud, const struct bw_vulndb_cve *c);
/* Call fn for each row of the CVE (one per origin; none when unknown). */
int bw_vulndb_cve(struct bw_vulndb *db, const char *cve, bw_vulndb_cve_fn fn, void *ud, struct bw_error *err);
/* False when the database holds no per-CVE data at all (bw_vulndb_cve would
 * find nothing: callers may skip the asking). */
bool bw_vulndb_has_cve_data(const struct bw_vulndb *db);

/* How many advisories (not withdrawn) each source holds for an ecosystem
 * ("Debian:12", "PyPI"): fn once per source that has some. */
typedef void (*bw_vulndb_coverage_fn)(void *ud, const char *source, int64_t advisories);
int bw_vulndb_coverage(struct bw_vulndb *db, const char *ecosystem, bw_vulndb_coverage_fn fn, void *ud,
		       struct bw_error *err);

/* Every source with its provenance and data date (records is -1: not
 * counted); release with bw_vulndb_sources_free. */
int bw_vulndb_sources(struct bw_vulndb *db, struct bw_vulndb_source **out, size_t *n, struct bw_error *err);
void bw_vulndb_sources_free(struct bw_vulndb_source *s, size_t n);

/* Remember that a scan needed these ecosystems (for `db update` without
 * --ecosystem). Best effort: a read-only or busy database is left alone. */
void bw_vulndb_note_ecosystems(struct bw_vulndb *db, const char *const *ecosystems, size_t n);

/* ---- CVSS -------------------------------------------------------------- */

/* Longest vector string scored; every valid one is shorter (a v4.0 vector
 * with every metric is 178 bytes). */
#define BW_CVSS_MAX_VECTOR 255

struct bw_cvss_score {
	int major, minor; /* 2.0, 3.0, 3.1 or 4.0 */
	double score;	  /* 0.0 .. 10.0, one decimal */
	/* v4.0: "CVSS-B", "CVSS-BT", "CVSS-BE" or "CVSS-BTE", the metric groups
	 * the score is computed from; v2/v3: "" (the base score) */
	char nomenclature[9];
	char macro_vector[7]; /* v4.0: EQ1..EQ6 as digits ("000200"); v2/v3: "" */
};

/* Score a CVSS vector: v2 ("AV:N/AC:L/Au:N/C:P/I:P/A:P", in parentheses or
 * after "CVSS:2.0/" too) and v3.0/v3.1 ("CVSS:3.1/AV:N/…"): the base score,
 * temporal and environmental metrics validated but not applied; v4.0
 * ("CVSS:4.0/AV:N/…"): the score of every metric the vector carries, as
 * FIRST's calculator gives it (CVSS-B, -BT, -BE or -BTE, named in
 * nomenclature). BW_EINPUT, with a message quoting the vector, when it is
 * malformed, out of the specification's order, or longer than
 * BW_CVSS_MAX_VECTOR. vector is NUL-terminated; out is filled on success. */
int bw_cvss_score(const char *vector, struct bw_cvss_score *out, struct bw_error *err);
/* bw_cvss_score's score and major version alone. */
int bw_cvss_base_score(const char *vector, double *score, int *major, struct bw_error *err);
/* The qualitative rating of a score in a CVSS major version: v3 and v4 share
 * the scale None 0.0 (BW_SEV_INFO), Low 0.1-3.9, Medium 4.0-6.9, High
 * 7.0-8.9, Critical 9.0-10.0; v2 has Low, Medium (4.0) and High (7.0). */
enum bw_severity bw_cvss_severity(double score, int major);
/* The specification's name of that rating: "NONE", "LOW", "MEDIUM",
 * "HIGH" or "CRITICAL". */
const char *bw_cvss_rating(const struct bw_cvss_score *s);

/* `bulwark cvss --format json` writes {"schema": BW_CVSS_SCHEMA, "scores":
 * [...]}, an entry a vector in order: */
#define BW_CVSS_SCHEMA "bulwark.cvss/v1"
/* that entry, a new reference the caller releases (json_decref): {vector,
 * version, score, rating, severity, nomenclature and macro_vector (v4.0)}
 * for a scored vector; for one that failed (s NULL), {vector (null when
 * not UTF-8), error: why}. */
json_t *bw_cvss_score_json(const char *vector, const struct bw_cvss_score *s, const char *error);

#endif
