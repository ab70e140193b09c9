/* Private to src/vulndb. */
#ifndef BW_VULNDB_INT_H
#define BW_VULNDB_INT_H

#include <jansson.h>
#include <sqlite3.h>

#include "vulndb.h"

/* Largest single input file read whole (a KEV catalog, a DSA list, one OSV
 * record, one all.zip entry). */
#define VDB_MAX_FILE (256u << 20)
/* Longest version string kept from any source. */
#define VDB_MAX_VERSION 256

struct bw_vulndb {
	sqlite3 *db;
	char *path;
	bool writable;
	int schema; /* of the file: 2, or 1 when it could not be upgraded */
	/* lookups */
	sqlite3_stmt *st_lookup, *st_alias, *st_kev, *st_epss;
	size_t undecodable; /* affected rows lookups skipped (bw_vulndb_undecodable) */
	/* import */
	sqlite3_stmt *st_find, *st_ins_adv, *st_upd_adv, *st_del_aff, *st_del_alias, *st_ins_aff,
	    *st_ins_alias;
	/* decode scratch, reused between rows */
	struct bw_osv_range *ranges;
	size_t cap_ranges;
	struct bw_osv_event *events;
	size_t cap_events;
	struct bw_slice *versions;
	size_t cap_versions;
	/* per-import: the source names written by this import */
	char **touched, **touched_loc;
	size_t n_touched;
	const char *cur_location; /* the path or URL being imported */
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

int vdb_begin(struct bw_vulndb *db, struct bw_error *err);
int vdb_commit(struct bw_vulndb *db, struct bw_error *err);
void vdb_rollback(struct bw_vulndb *db);
/* Store one advisory: OSV (origin "osv") by the newer-modified rule,
 * others inserted (their source was cleared by vdb_clear_source). */
int vdb_store(struct bw_vulndb *db, struct vdb_advisory *a, struct bw_vulndb_import_stats *st,
	      struct bw_error *err);
/* Remove every advisory of a source (before re-importing it). */
int vdb_clear_source(struct bw_vulndb *db, const char *source, struct bw_error *err);
/* Record a source's provenance (location, time, data date). */
int vdb_note_source(struct bw_vulndb *db, const char *source, const char *location, const char *data_date,
		    struct bw_error *err);
/* Set each advisory source's data date to its newest modified/published. */
int vdb_refresh_data_dates(struct bw_vulndb *db, struct bw_error *err);
int vdb_kev_import(struct bw_vulndb *db, json_t *doc, const char *name, struct bw_vulndb_import_stats *st,
		   struct bw_error *err);
int vdb_epss_import(struct bw_vulndb *db, const char *data, size_t len, const char *name,
		    struct bw_vulndb_import_stats *st, struct bw_error *err);
/* Import one file's bytes (format sniffed) or a zip archive on disk. */
int vdb_import_bytes(struct bw_vulndb *db, const char *name, const char *data, size_t len,
		     struct bw_vulndb_import_stats *st, struct bw_error *err);
int vdb_import_zip(struct bw_vulndb *db, const char *path, struct bw_vulndb_import_stats *st,
		   struct bw_error *err);

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
