/* Private to src/vulndb. */
#ifndef BW_VULNDB_INT_H
#define BW_VULNDB_INT_H

#include <jansson.h>
#include <sqlite3.h>

#include "vulndb.h"

/* Largest single input file read whole (a KEV catalog, a DSA list, one OSV
 * record, one all.zip entry; the largest real ones: an EPSS day ~11 MB, the
 * KEV catalog 1.3 MB, an OSV record 0.13 MB), 64 MiB, so that the text and
 * the tree of the record parsed from it (BW_JSON_TREE_MAX) stay under
 * 256 MiB together. */
#define VDB_MAX_FILE (64u << 20)
/* Longest version string kept from any source. */
#define VDB_MAX_VERSION 256

/* Most reference URLs kept per advisory or CVE (the advisory pages first),
 * and the longest one. */
#define VDB_MAX_REFS 8
#define VDB_MAX_URL 512

/* A source written by the running import, where it came from, and its
 * newest data date seen (the advisories' modified/published, or what the
 * input gave when they carry none: a secdb file's time). */
struct vdb_touched {
	char *name, *location, *date;
};

/* A change to the coverage table (advisories of a source in an ecosystem)
 * made by the running import, applied when it finishes. */
struct vdb_cov {
	char *source, *ecosystem;
	int64_t delta;
};

struct bw_vulndb {
	sqlite3 *db;
	char *path;
	bool writable;
	int schema;	 /* the layout the handle reads: 3, or older when it could not upgrade */
	int file_schema; /* PRAGMA user_version at open */
	/* A writer creates or upgrades the file inside its first write
	 * transaction (vdb_begin), so that nothing changes unless an import
	 * commits; a handle that created the file and never committed removes
	 * it again on close. */
	enum { VDB_READY, VDB_PENDING_CREATE, VDB_PENDING_UPGRADE } pending;
	bool in_pending_tx; /* the open transaction applied the pending step */
	bool created_file, committed;
	bool has_cves; /* readers: the cves table holds rows */
	/* lookups */
	sqlite3_stmt *st_lookup, *st_alias, *st_kev, *st_epss, *st_cve, *st_coverage, *st_refs;
	size_t undecodable; /* affected rows lookups skipped (bw_vulndb_undecodable) */
	/* import */
	sqlite3_stmt *st_find, *st_ins_adv, *st_upd_adv, *st_del_aff, *st_del_alias, *st_ins_aff,
	    *st_ins_alias, *st_ins_cve, *st_del_cve, *st_old_eco, *st_ins_refs, *st_del_refs;
	/* decode scratch, reused between rows */
	struct bw_osv_range *ranges;
	size_t cap_ranges;
	struct bw_osv_event *events;
	size_t cap_events;
	struct bw_slice *versions;
	size_t cap_versions;
	/* per-import: the sources written by this import */
	struct vdb_touched *touched;
	size_t n_touched;
	struct vdb_cov *cov;
	size_t n_cov, last_cov;
	const char *cur_location; /* the path or URL being imported */
	int64_t cur_mtime;	  /* modification time of the file being read; 0 unknown */
};

/* ---- the advisory as every parser builds it ---------------------------- */

struct vdb_affected {
	const char *ecosystem, *name;
	const char *ranges; /* the encoded ranges (below) */
	const char *note;
};

struct vdb_advisory {
	struct bw_arena arena;
	const char *origin; /* "osv", or the source name for replace-whole sources */
	const char *source; /* "osv:Go", "debian-tracker:DSA", … */
	const char *id, *modified, *published, *withdrawn, *summary;
	int severity; /* enum bw_severity */
	const char *severity_source;
	double score;	  /* < 0 unknown */
	const char *cvss; /* the vectors that score, newest version first, one a line; NULL: none */
	const char *refs; /* reference URLs, one a line, VDB_MAX_REFS at most; NULL: none */
	const char **aliases;
	size_t n_aliases, cap_aliases;
	const char **related;
	size_t n_related, cap_related;
	/* hash sets over aliases[] and related[] (slot: index + 1, 0 empty;
	 * cap a power of two), so a record with 200,000 aliases is not
	 * de-duplicated pair by pair */
	size_t *alias_set, *related_set;
	size_t cap_alias_set, cap_related_set;
	struct vdb_affected *affected;
	size_t n_affected, cap_affected;
};

void vdb_advisory_init(struct vdb_advisory *a);
void vdb_advisory_release(struct vdb_advisory *a);
void vdb_advisory_alias(struct vdb_advisory *a, const char *alias, bool related);
struct vdb_affected *vdb_advisory_add_affected(struct vdb_advisory *a);

/* Encoded ranges: one token a line, "R" + type letter (E ECOSYSTEM,
 * S SEMVER) opens a range, then its events "i" introduced, "f" fixed,
 * "l" last_affected, "m" limit, each followed by the version; "v" + version
 * is an entry of the explicit versions list; "n" + text is a note. Versions
 * never hold a newline or NUL (the parsers reject them). */
int vdb_decode_ranges(struct bw_vulndb *db, const char *enc, int scheme, struct bw_vulndb_affected *out);
/* True when s can be stored as a version: 1..VDB_MAX_VERSION bytes, no
 * control characters. */
bool vdb_version_ok(const char *s, size_t len);

void vdb_sample(struct bw_vulndb_import_stats *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- parsers ---------------------------------------------------------- */

/* Parse one OSV record into a (initialised by the caller). BW_EINPUT with
 * the reason when the record must be skipped. */
int vdb_osv_parse(json_t *rec, struct vdb_advisory *a, struct bw_vulndb_import_stats *st,
		  struct bw_error *err);

typedef int (*vdb_advisory_fn)(void *ud, struct vdb_advisory *a, struct bw_error *err);
/* Parse a DSA/DLA list; fn is called for each advisory (a is released
 * after the call). name names the input in errors and samples. */
int vdb_tracker_parse(const char *data, size_t len, const char *name, vdb_advisory_fn fn, void *ud,
		      struct bw_vulndb_import_stats *st, struct bw_error *err);
/* Parse an Alpine secdb document. */
int vdb_secdb_parse(json_t *doc, const char *name, vdb_advisory_fn fn, void *ud,
		    struct bw_vulndb_import_stats *st, struct bw_error *err);

/* ---- the writer (store.c) --------------------------------------------- */

/* BEGIN IMMEDIATE, then the pending creation or upgrade of the file. */
int vdb_begin(struct bw_vulndb *db, struct bw_error *err);
int vdb_commit(struct bw_vulndb *db, struct bw_error *err);
void vdb_rollback(struct bw_vulndb *db);
/* Create or upgrade the schema inside the open write transaction (db.c). */
int vdb_apply_pending(struct bw_vulndb *db, struct bw_error *err);
/* Store one advisory: OSV (origin "osv") by the newer-modified rule,
 * others inserted (their source was cleared by vdb_clear_source). */
int vdb_store(struct bw_vulndb *db, struct vdb_advisory *a, struct bw_vulndb_import_stats *st,
	      struct bw_error *err);
/* Remove every advisory of a source (before re-importing it). */
int vdb_clear_source(struct bw_vulndb *db, const char *source, struct bw_error *err);
/* Note that this import writes source (from db->cur_location) with data
 * of date (NULL: none known); the newest date is kept. */
void vdb_touch(struct bw_vulndb *db, const char *source, const char *date);
/* Forget the touched sources and pending coverage changes. */
void vdb_touch_reset(struct bw_vulndb *db);
/* Record a source's provenance (location, time, data date). */
int vdb_note_source(struct bw_vulndb *db, const char *source, const char *location, const char *data_date,
		    struct bw_error *err);
/* For every touched source: its provenance and data date (the newest of
 * its recorded one, reset when the source is cleared, and those this import
 * saw); and the coverage changes. */
int vdb_finish_sources(struct bw_vulndb *db, struct bw_error *err);
int vdb_kev_import(struct bw_vulndb *db, json_t *doc, const char *name, struct bw_vulndb_import_stats *st,
		   struct bw_error *err);
int vdb_epss_import(struct bw_vulndb *db, const char *data, size_t len, const char *name,
		    struct bw_vulndb_import_stats *st, struct bw_error *err);
/* Import one file's bytes (format sniffed) or a zip archive on disk. */
int vdb_import_bytes(struct bw_vulndb *db, const char *name, const char *data, size_t len,
		     struct bw_vulndb_import_stats *st, struct bw_error *err);
int vdb_import_zip(struct bw_vulndb *db, const char *path, struct bw_vulndb_import_stats *st,
		   struct bw_error *err);
/* A compressed file or a tar archive (gzip, zstd, xz, bzip2; tar or one
 * compressed file) through libarchive, entry by entry (archive.c). */
int vdb_import_archive(struct bw_vulndb *db, const char *path, struct bw_vulndb_import_stats *st,
		       struct bw_error *err);
/* Read a named or walked file's content, sniffing its format; NVD documents
 * are streamed (import.c). read_fn fills buf with up to len bytes and
 * returns the count, 0 at the end, or < 0 with err set. */
typedef long (*vdb_read_fn)(void *ud, char *buf, size_t len, struct bw_error *err);
int vdb_import_stream(struct bw_vulndb *db, const char *name, vdb_read_fn read, void *ud,
		      struct bw_vulndb_import_stats *st, struct bw_error *err);

struct curl_slist;
/* Reset the update's curl handle for a GET of url (update.c): headers,
 * redirects within http(s), timeouts (low_speed_time: seconds under 1 KiB/s),
 * the body to write(..., ud), the user agent. */
void vdb_curl_get(void *curl, const char *url, struct curl_slist *hdrs, long low_speed_time,
		  size_t (*write)(char *buf, size_t size, size_t nmemb, void *ud), void *ud);

/* NVD's CVE API into cves (nvd.c); curl is the update's handle. */
int vdb_update_nvd(struct bw_vulndb *db, void *curl, const struct bw_vulndb_update_opts *o,
		   struct bw_vulndb_update_result *res, struct bw_error *err);

/* ---- per-CVE data (cve.c) ---------------------------------------------- */

/* "CVE-YYYY-N…" of sane length and characters. */
bool vdb_cve_ok(const char *s, size_t n);
/* An NVD document (CVE API 2.0 answer or yearly feed: {…, "format":
 * "NVD_CVE", "timestamp", "vulnerabilities": [{"cve": {…}}]}) split element
 * by element as it streams by, each element parsed and stored. */
struct vdb_nvd_stream;
struct vdb_nvd_stream *vdb_nvd_stream_new(struct bw_vulndb *db, const char *name,
					  struct bw_vulndb_import_stats *st);
int vdb_nvd_stream_feed(struct vdb_nvd_stream *s, const char *data, size_t len, struct bw_error *err);
/* After the last byte: BW_EINPUT when the document was cut short (what was
 * complete is kept); *timestamp (may be NULL) gets the document's. */
int vdb_nvd_stream_end(struct vdb_nvd_stream *s, char timestamp[40], struct bw_error *err);
/* The document's totalResults (-1 when absent) and its entries so far. */
long long vdb_nvd_stream_total(const struct vdb_nvd_stream *s);
size_t vdb_nvd_stream_entries(const struct vdb_nvd_stream *s);
void vdb_nvd_stream_free(struct vdb_nvd_stream *s);
/* True when the first bytes of a document look like an NVD document (its
 * "resultsPerPage" or "NVD_CVE" within the first kilobyte). */
bool vdb_nvd_sniff(const char *p, size_t n);
/* One NVD CVE object ({"id", "lastModified", "vulnStatus", "metrics",
 * "references", …}) or a CVE JSON 5 record ({"dataType": "CVE_RECORD",
 * "cveMetadata", "containers"}): parsed and, with a database, stored in
 * cves. BW_EINPUT with the reason when it is skipped. */
int vdb_nvd_cve(struct bw_vulndb *db, json_t *cve, const char *name, struct bw_vulndb_import_stats *st,
		struct bw_error *err);
int vdb_cve5_record(struct bw_vulndb *db, json_t *rec, const char *name, struct bw_vulndb_import_stats *st,
		    struct bw_error *err);

/* Keep the vectors that score, newest version first (stable), without
 * repeats, at most BW_VULNDB_MAX_CVSS (store.c). */
struct vdb_vectors {
	const char *v[BW_VULNDB_MAX_CVSS];
	int rank[BW_VULNDB_MAX_CVSS];
	size_t n;
};
void vdb_vectors_keep(struct vdb_vectors *k, const char *vector, int rank);
/* The kept vectors one a line into the arena (NULL when none). */
const char *vdb_vectors_join(const struct vdb_vectors *k, struct bw_arena *ar);
/* Append url to the newline-separated list in b when it is an http(s) URL
 * of sane length without control bytes or spaces, not already there, and
 * the list holds fewer than VDB_MAX_REFS. */
void vdb_refs_add(struct bw_buf *b, size_t *n, const char *url);

/* An SQLite failure as a bw_error naming the database file. */
int vdb_sqlite_error(struct bw_vulndb *db, int rc, const char *what, struct bw_error *err);
int vdb_exec(struct bw_vulndb *db, const char *sql, struct bw_error *err);
int vdb_prepare(struct bw_vulndb *db, sqlite3_stmt **st, const char *sql, struct bw_error *err);

/* Score "CVSS:4.0/…" (v, n bytes; no NUL needed) into out (cvss4.c). name
 * is the vector as error messages quote it. */
int vdb_cvss4_score(const char *v, size_t n, const char *name, struct bw_cvss_score *out,
		    struct bw_error *err);

/* The severity named by a distro or database ("HIGH", "Important",
 * "moderate", …), or -1. */
int vdb_severity_word(const char *s, size_t len);

#endif
