/* The SQLite file: open, schema, errors, and the read side (info, lookups). */
#include <errno.h>
#include <sys/stat.h>
#include <time.h>

#include "vulndb-int.h"

/* Schema 2. advisories.origin + id is the identity of an advisory: "osv"
 * for OSV records (ids are global), the source name for lists that are
 * replaced whole (a DSA list, one secdb branch). affected.ranges holds the
 * encoded ranges of vulndb-int.h; advisories.cvss the CVSS vectors that
 * score, one a line, newest version first (schema 1 had no such column). */
static const char schema_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "CREATE TABLE sources(name TEXT PRIMARY KEY, location TEXT, imported_at INTEGER, data_date TEXT,"
    " etag TEXT, last_modified TEXT, sha256 TEXT);"
    "CREATE TABLE advisories(rowid INTEGER PRIMARY KEY, origin TEXT NOT NULL, source TEXT NOT NULL,"
    " id TEXT NOT NULL, modified TEXT, published TEXT, withdrawn TEXT, summary TEXT,"
    " severity INTEGER NOT NULL DEFAULT 0, severity_source TEXT, score REAL, cvss TEXT,"
    " UNIQUE(origin, id));"
    "CREATE INDEX advisories_source ON advisories(source);"
    "CREATE TABLE aliases(advisory INTEGER NOT NULL, alias TEXT NOT NULL, related INTEGER NOT NULL,"
    " PRIMARY KEY(advisory, alias)) WITHOUT ROWID;"
    "CREATE TABLE affected(advisory INTEGER NOT NULL, ecosystem TEXT NOT NULL, name TEXT NOT NULL,"
    " ranges TEXT NOT NULL, note TEXT);"
    "CREATE INDEX affected_package ON affected(ecosystem, name);"
    "CREATE INDEX affected_advisory ON affected(advisory);"
    "CREATE TABLE kev(cve TEXT PRIMARY KEY, date_added TEXT) WITHOUT ROWID;"
    "CREATE TABLE epss(cve TEXT PRIMARY KEY, score REAL, percentile REAL) WITHOUT ROWID;"
    "CREATE TABLE wanted(ecosystem TEXT PRIMARY KEY, last_seen INTEGER) WITHOUT ROWID;";

char *bw_vulndb_default_path(void)
{
	const char *x = getenv("XDG_CACHE_HOME");
	if (x && *x == '/')
		return bw_asprintf("%s/bulwark/db.sqlite", x);
	const char *h = getenv("HOME");
	return bw_asprintf("%s/.cache/bulwark/db.sqlite", h && *h ? h : ".");
}

int vdb_sqlite_error(struct bw_vulndb *db, int rc, const char *what, struct bw_error *err)
{
	int prim = rc & 0xff;
	const char *path = db ? db->path : "?";
	const char *msg = db && db->db ? sqlite3_errmsg(db->db) : sqlite3_errstr(rc);
	switch (prim) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return bw_error_set(
		    err, BW_EIO, "vulnerability database %s is locked by another process (%s)", path, what);
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return bw_error_set(err, BW_EINPUT,
				    "vulnerability database %s is corrupt or not a database (%s: %s)", path,
				    what, msg);
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CANTOPEN:
		return bw_error_set(err, BW_EIO,
				    "vulnerability database %s cannot be opened for writing (%s: %s)", path,
				    what, msg);
	case SQLITE_FULL:
		return bw_error_set(err, BW_EIO, "vulnerability database %s: disk full (%s)", path, what);
	default:
		return bw_error_set(err, BW_EIO, "vulnerability database %s: %s: %s", path, what, msg);
	}
}

int vdb_exec(struct bw_vulndb *db, const char *sql, struct bw_error *err)
{
	int rc = sqlite3_exec(db->db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return vdb_sqlite_error(db, rc, "exec", err);
	return 0;
}

int vdb_prepare(struct bw_vulndb *db, sqlite3_stmt **st, const char *sql, struct bw_error *err)
{
	if (*st)
		return 0;
	int rc = sqlite3_prepare_v3(db->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
	if (rc != SQLITE_OK)
		return vdb_sqlite_error(db, rc, "prepare", err);
	return 0;
}

static int mkdir_parents(const char *path, struct bw_error *err)
{
	char *dup = bw_strdup(path);
	for (char *p = dup + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dup, 0755) < 0 && errno != EEXIST) {
			int rc =
			    bw_error_sys(err, BW_EIO, "cannot create %s for the vulnerability database", dup);
			free(dup);
			return rc;
		}
		*p = '/';
	}
	free(dup);
	return 0;
}

static int busy_ms(void)
{
	const char *s = getenv("BULWARK_DB_BUSY_TIMEOUT_MS");
	if (s && *s) {
		char *end;
		long v = strtol(s, &end, 10);
		if (!*end && v >= 0 && v < 600000)
			return (int)v;
	}
	return 2000;
}

/* Schema 1 to 2: the cvss column. The OSV sources forget their download
 * validators, so that the next 'db update' fetches the archives again and
 * fills the column in (vdb_store rewrites a stored advisory without vectors
 * when the same record comes with some). A reader that cannot write keeps
 * reading schema 1, without vectors; a writer needs the upgrade. */
_Static_assert(BW_VULNDB_SCHEMA_VERSION == 2, "upgrade_from_1 stops at schema 2: chain the next step");

static int upgrade_from_1(struct bw_vulndb *db, bool writer, struct bw_error *err)
{
	struct bw_error uerr = BW_ERROR_INIT;
	db->schema = 1;
	if (!db->writable && !writer)
		return 0;
	if (vdb_exec(db, "BEGIN IMMEDIATE", &uerr) < 0 ||
	    vdb_exec(db,
		     "ALTER TABLE advisories ADD COLUMN cvss TEXT;"
		     " UPDATE sources SET etag = NULL, last_modified = NULL, sha256 = NULL"
		     " WHERE name LIKE 'osv:%';"
		     " PRAGMA user_version = 2",
		     &uerr) < 0 ||
	    vdb_commit(db, &uerr) < 0) {
		vdb_rollback(db);
		if (!writer)
			return 0;
		*err = uerr;
		return bw_error_prefix(err, "upgrading to schema 2: ");
	}
	db->schema = 2;
	return 0;
}

static int check_schema(struct bw_vulndb *db, bool create, struct bw_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->db, "PRAGMA user_version", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return vdb_sqlite_error(db, rc, "reading the schema version", err);
	rc = sqlite3_step(st);
	int version = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return vdb_sqlite_error(db, rc, "reading the schema version", err);
	if (version > BW_VULNDB_SCHEMA_VERSION)
		return bw_error_set(
		    err, BW_EUNSUPPORTED,
		    "vulnerability database %s has schema %d, written by a newer bulwark (this one "
		    "reads schema %d); update bulwark or use another --db",
		    db->path, version, BW_VULNDB_SCHEMA_VERSION);
	if (version == BW_VULNDB_SCHEMA_VERSION) {
		db->schema = version;
		return 0;
	}
	if (version == 1)
		return upgrade_from_1(db, create, err);
	if (version != 0)
		return bw_error_set(err, BW_EUNSUPPORTED, "vulnerability database %s has unknown schema %d",
				    db->path, version);
	/* version 0: an empty file we may initialise, or somebody else's database */
	rc = sqlite3_prepare_v2(db->db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return vdb_sqlite_error(db, rc, "reading the schema", err);
	rc = sqlite3_step(st);
	int tables = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return vdb_sqlite_error(db, rc, "reading the schema", err);
	if (tables > 0)
		return bw_error_set(err, BW_EINPUT,
				    "%s is an SQLite database but not a bulwark vulnerability database",
				    db->path);
	if (!create)
		return bw_error_set(
		    err, BW_ENOTFOUND,
		    "vulnerability database %s is empty; run 'bulwark db import' or 'bulwark db update'",
		    db->path);
	if (vdb_exec(db, "BEGIN IMMEDIATE", err) < 0)
		return err->code;
	char sql[160];
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", BW_VULNDB_SCHEMA_VERSION);
	if (vdb_exec(db, schema_sql, err) < 0 || vdb_exec(db, sql, err) < 0) {
		vdb_rollback(db);
		return err->code;
	}
	snprintf(sql, sizeof(sql), "INSERT INTO meta VALUES('created', '%lld')", (long long)time(NULL));
	if (vdb_exec(db, sql, err) < 0) {
		vdb_rollback(db);
		return err->code;
	}
	db->schema = BW_VULNDB_SCHEMA_VERSION;
	return vdb_commit(db, err);
}

int bw_vulndb_open(const char *path, enum bw_vulndb_mode mode, struct bw_vulndb **out, struct bw_error *err)
{
	*out = NULL;
	struct stat sb;
	bool exists = stat(path, &sb) == 0;
	if (!exists && mode == BW_VULNDB_READ)
		return bw_error_set(
		    err, BW_ENOTFOUND,
		    "no vulnerability database at %s; run 'bulwark db import' or 'bulwark db update'", path);
	if (exists && !S_ISREG(sb.st_mode))
		return bw_error_set(err, BW_EINPUT, "vulnerability database %s is not a regular file", path);
	if (!exists && mkdir_parents(path, err) < 0)
		return err->code;

	struct bw_vulndb *db = bw_calloc(1, sizeof(*db));
	db->path = bw_strdup(path);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	if (mode == BW_VULNDB_WRITE)
		flags |= SQLITE_OPEN_CREATE;
	/* readers open read-write when they can, so a hot journal left by a
	 * killed import is rolled back instead of failing the read */
	int rc = sqlite3_open_v2(path, &db->db, flags, NULL);
	if (rc != SQLITE_OK && mode == BW_VULNDB_READ) {
		sqlite3_close(db->db);
		db->db = NULL;
		rc = sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	} else {
		db->writable = true;
	}
	if (rc != SQLITE_OK) {
		vdb_sqlite_error(db, rc, "open", err);
		bw_vulndb_close(db);
		return err->code;
	}
	sqlite3_extended_result_codes(db->db, 1);
	sqlite3_busy_timeout(db->db, busy_ms());
	if (check_schema(db, mode == BW_VULNDB_WRITE, err) < 0) {
		bw_vulndb_close(db);
		return err->code;
	}
	if (mode == BW_VULNDB_WRITE &&
	    vdb_exec(db,
		     "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA synchronous = NORMAL",
		     err) < 0) {
		bw_vulndb_close(db);
		return err->code;
	}
	*out = db;
	return 0;
}

void bw_vulndb_close(struct bw_vulndb *db)
{
	if (!db)
		return;
	sqlite3_stmt *sts[] = {db->st_lookup,	 db->st_alias,	 db->st_kev,	  db->st_epss,
			       db->st_find,	 db->st_ins_adv, db->st_upd_adv,  db->st_del_aff,
			       db->st_del_alias, db->st_ins_aff, db->st_ins_alias};
	for (size_t i = 0; i < BW_ARRAY_SIZE(sts); i++)
		sqlite3_finalize(sts[i]);
	sqlite3_close(db->db);
	for (size_t i = 0; i < db->n_touched; i++) {
		free(db->touched[i]);
		free(db->touched_loc[i]);
	}
	free(db->touched);
	free(db->touched_loc);
	free(db->ranges);
	free(db->events);
	free(db->versions);
	free(db->path);
	free(db);
}

const char *bw_vulndb_path(const struct bw_vulndb *db)
{
	return db->path;
}

/* ---- info ---- */

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? bw_strdup((const char *)s) : NULL;
}

static int count(struct bw_vulndb *db, const char *sql, int64_t *out, struct bw_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int64(st, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return vdb_sqlite_error(db, rc, "counting", err);
	return 0;
}

int bw_vulndb_info(struct bw_vulndb *db, struct bw_vulndb_info *out, struct bw_error *err)
{
	memset(out, 0, sizeof(*out));
	out->schema = db->schema;
	struct stat sb;
	if (stat(db->path, &sb) == 0)
		out->file_size = (int64_t)sb.st_size;
	if (count(db, "SELECT count(*) FROM advisories", &out->advisories, err) < 0 ||
	    count(db, "SELECT count(*) FROM advisories WHERE withdrawn IS NOT NULL", &out->withdrawn, err) <
		0 ||
	    count(db, "SELECT count(*) FROM affected", &out->affected, err) < 0 ||
	    count(db, "SELECT count(*) FROM aliases", &out->aliases, err) < 0 ||
	    count(db, "SELECT count(*) FROM kev", &out->kev, err) < 0 ||
	    count(db, "SELECT count(*) FROM epss", &out->epss, err) < 0)
		return err->code;

	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(
	    db->db, "SELECT ecosystem, count(*) FROM affected GROUP BY ecosystem ORDER BY 1", -1, &st, NULL);
	size_t cap = 0;
	while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n_ecosystems == cap) {
			cap = cap ? cap * 2 : 16;
			out->ecosystems = bw_realloc(out->ecosystems, cap * sizeof(*out->ecosystems));
		}
		out->ecosystems[out->n_ecosystems].ecosystem = col_dup(st, 0);
		out->ecosystems[out->n_ecosystems++].affected = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return vdb_sqlite_error(db, rc, "listing ecosystems", err);

	/* sources: provenance rows, with advisory counts (KEV/EPSS: their rows) */
	rc = sqlite3_prepare_v2(db->db,
				"SELECT s.name, s.location, s.imported_at, s.data_date,"
				" CASE s.name WHEN 'kev' THEN (SELECT count(*) FROM kev)"
				" WHEN 'epss' THEN (SELECT count(*) FROM epss)"
				" ELSE (SELECT count(*) FROM advisories a WHERE a.source = s.name) END"
				" FROM sources s ORDER BY s.name",
				-1, &st, NULL);
	cap = 0;
	while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n_sources == cap) {
			cap = cap ? cap * 2 : 16;
			out->sources = bw_realloc(out->sources, cap * sizeof(*out->sources));
		}
		struct bw_vulndb_source *s = &out->sources[out->n_sources++];
		s->name = col_dup(st, 0);
		s->location = col_dup(st, 1);
		s->imported_at = sqlite3_column_int64(st, 2);
		s->data_date = col_dup(st, 3);
		s->records = sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return vdb_sqlite_error(db, rc, "listing sources", err);
	return 0;
}

void bw_vulndb_info_release(struct bw_vulndb_info *info)
{
	for (size_t i = 0; i < info->n_ecosystems; i++)
		free(info->ecosystems[i].ecosystem);
	free(info->ecosystems);
	for (size_t i = 0; i < info->n_sources; i++) {
		free(info->sources[i].name);
		free(info->sources[i].location);
		free(info->sources[i].data_date);
	}
	free(info->sources);
	memset(info, 0, sizeof(*info));
}

/* ---- lookups ---- */

int bw_vulndb_lookup(struct bw_vulndb *db, const char *ecosystem, const char *name, bw_vulndb_affected_fn fn,
		     void *ud, struct bw_error *err)
{
	/* a schema-1 file that could not be upgraded has no cvss column */
	static const char lookup_sql[] = "SELECT a.rowid, a.id, a.origin, a.summary, a.severity, "
					 "a.severity_source, a.score, f.ranges, f.note,"
					 " a.cvss FROM affected f JOIN advisories a ON a.rowid = f.advisory"
					 " WHERE f.ecosystem = ?1 AND f.name = ?2 AND a.withdrawn IS NULL";
	static const char lookup_sql_1[] = "SELECT a.rowid, a.id, a.origin, a.summary, a.severity, "
					   "a.severity_source, a.score, f.ranges, f.note,"
					   " NULL FROM affected f JOIN advisories a ON a.rowid = f.advisory"
					   " WHERE f.ecosystem = ?1 AND f.name = ?2 AND a.withdrawn IS NULL";
	if (vdb_prepare(db, &db->st_lookup, db->schema >= 2 ? lookup_sql : lookup_sql_1, err) < 0)
		return err->code;
	sqlite3_stmt *st = db->st_lookup;
	sqlite3_bind_text(st, 1, ecosystem, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	int scheme = bw_version_scheme_from_osv(bw_slice_of(ecosystem));
	int rc, out = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct bw_vulndb_affected a = {
		    .advisory = sqlite3_column_int64(st, 0),
		    .id = (const char *)sqlite3_column_text(st, 1),
		    .origin = (const char *)sqlite3_column_text(st, 2),
		    .ecosystem = ecosystem,
		    .name = name,
		    .summary = (const char *)sqlite3_column_text(st, 3),
		    .severity = (enum bw_severity)sqlite3_column_int(st, 4),
		    .severity_source = (const char *)sqlite3_column_text(st, 5),
		    .score = sqlite3_column_type(st, 6) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 6),
		    .note = (const char *)sqlite3_column_text(st, 8),
		    .cvss = (const char *)sqlite3_column_text(st, 9),
		};
		const char *enc = (const char *)sqlite3_column_text(st, 7);
		if (!a.id || !a.origin || !enc || vdb_decode_ranges(db, enc, scheme, &a) < 0) {
			/* never written so by us: a damaged file. Skipped, and counted
			 * for the caller to report (a silent skip is a missed match). */
			db->undecodable++;
			continue;
		}
		out = fn(ud, &a, err);
		if (out < 0)
			break;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (out < 0)
		return out;
	if (rc != SQLITE_DONE)
		return vdb_sqlite_error(db, rc, "looking up advisories", err);
	return 0;
}

size_t bw_vulndb_undecodable(const struct bw_vulndb *db)
{
	return db->undecodable;
}

int bw_vulndb_aliases(struct bw_vulndb *db, int64_t advisory, bw_vulndb_alias_fn fn, void *ud,
		      struct bw_error *err)
{
	if (vdb_prepare(db, &db->st_alias, "SELECT alias, related FROM aliases WHERE advisory = ?1", err) < 0)
		return err->code;
	sqlite3_stmt *st = db->st_alias;
	sqlite3_bind_int64(st, 1, advisory);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(ud, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int(st, 1) != 0);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return vdb_sqlite_error(db, rc, "reading aliases", err);
	return 0;
}

int bw_vulndb_enrichment(struct bw_vulndb *db, const char *cve, bool *kev, double *epss, struct bw_error *err)
{
	*kev = false;
	*epss = -1;
	if (vdb_prepare(db, &db->st_kev, "SELECT 1 FROM kev WHERE cve = ?1", err) < 0 ||
	    vdb_prepare(db, &db->st_epss, "SELECT score FROM epss WHERE cve = ?1", err) < 0)
		return err->code;
	sqlite3_bind_text(db->st_kev, 1, cve, -1, SQLITE_STATIC);
	int rc = sqlite3_step(db->st_kev);
	*kev = rc == SQLITE_ROW;
	sqlite3_reset(db->st_kev);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return vdb_sqlite_error(db, rc, "reading KEV", err);
	sqlite3_bind_text(db->st_epss, 1, cve, -1, SQLITE_STATIC);
	rc = sqlite3_step(db->st_epss);
	if (rc == SQLITE_ROW)
		*epss = sqlite3_column_double(db->st_epss, 0);
	sqlite3_reset(db->st_epss);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return vdb_sqlite_error(db, rc, "reading EPSS", err);
	return 0;
}

void bw_vulndb_note_ecosystems(struct bw_vulndb *db, const char *const *ecosystems, size_t n)
{
	if (!db->writable || !n)
		return;
	/* never wait for a lock here: the scan matters more than the note */
	sqlite3_busy_timeout(db->db, 0);
	sqlite3_stmt *st = NULL;
	if (sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK) {
		if (sqlite3_prepare_v2(db->db, "INSERT OR REPLACE INTO wanted VALUES(?1, ?2)", -1, &st,
				       NULL) == SQLITE_OK) {
			for (size_t i = 0; i < n; i++) {
				sqlite3_bind_text(st, 1, ecosystems[i], -1, SQLITE_STATIC);
				sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
				sqlite3_step(st);
				sqlite3_reset(st);
			}
		}
		sqlite3_finalize(st);
		if (sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
	}
	sqlite3_busy_timeout(db->db, busy_ms());
}

int bw_vulndb_known_ecosystems(struct bw_vulndb *db, char ***out, size_t *n, struct bw_error *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->db,
				    "SELECT ecosystem FROM wanted UNION SELECT substr(name, 5) FROM sources"
				    " WHERE name LIKE 'osv:%' AND location LIKE 'http%' ORDER BY 1",
				    -1, &st, NULL);
	size_t cap = 0;
	while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = bw_realloc(*out, cap * sizeof(char *));
		}
		(*out)[(*n)++] = col_dup(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return vdb_sqlite_error(db, rc, "listing ecosystems", err);
	return 0;
}

int bw_vulndb_read_begin(struct bw_vulndb *db, struct bw_error *err)
{
	if (!sqlite3_get_autocommit(db->db))
		return 0;
	return vdb_exec(db, "BEGIN", err);
}

void bw_vulndb_read_end(struct bw_vulndb *db)
{
	if (!sqlite3_get_autocommit(db->db))
		sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL);
}
