/* The SQLite file: open, schema, errors, and the read side (info, lookups). */
#include <errno.h>
#include <sys/stat.h>
#include <time.h>

#include "vulndb-int.h"

/* Schema 3. advisories.origin + id is the identity of an advisory: "osv"
 * for OSV records (ids are global), the source name for lists that are
 * replaced whole (a DSA list, one secdb branch). affected.ranges holds the
 * encoded ranges of vulndb-int.h; advisories.cvss the CVSS vectors that
 * score, one a line, newest version first (schema 1 had no such column);
 * advisories.severity and severity_source the advisory's own word rating
 * ("ghsa", "ubuntu_priority", …; CVSS is scored from the vectors when a
 * finding is made); refs the advisory's reference URLs, one a line, apart
 * from the advisory so that lookups read rows as small as before (read only
 * when a report writes them; advisories.has_refs says they were kept, NULL
 * on a row older than schema 3). cves
 * holds per-CVE data from NVD ("nvd") and CVE records ("cvelist"): the
 * vectors of the CVE's CNA and ADPs (cvss), NVD's own (nvd_cvss), the
 * reference URLs. coverage counts the advisories each source holds for
 * each ecosystem (what a scan's coverage reads), refreshed by every import
 * of the source. Schema 2 had no refs, cves, coverage; schema 1 no cvss. */
#define VDB_TABLES_V3                                                                                        \
	"CREATE TABLE cves(cve TEXT NOT NULL, origin TEXT NOT NULL, modified TEXT, cvss TEXT,"               \
	" nvd_cvss TEXT, refs TEXT, PRIMARY KEY(cve, origin)) WITHOUT ROWID;"                                \
	"CREATE TABLE refs(advisory INTEGER PRIMARY KEY, urls TEXT NOT NULL);"                               \
	"CREATE TABLE coverage(ecosystem TEXT NOT NULL, source TEXT NOT NULL, advisories INTEGER NOT NULL,"  \
	" PRIMARY KEY(ecosystem, source)) WITHOUT ROWID;"

static const char schema_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "CREATE TABLE sources(name TEXT PRIMARY KEY, location TEXT, imported_at INTEGER, data_date TEXT,"
    " etag TEXT, last_modified TEXT, sha256 TEXT);"
    "CREATE TABLE advisories(rowid INTEGER PRIMARY KEY, origin TEXT NOT NULL, source TEXT NOT NULL,"
    " id TEXT NOT NULL, modified TEXT, published TEXT, withdrawn TEXT, summary TEXT,"
    " severity INTEGER NOT NULL DEFAULT 0, severity_source TEXT, score REAL, cvss TEXT, has_refs INTEGER,"
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
    "CREATE TABLE wanted(ecosystem TEXT PRIMARY KEY, last_seen INTEGER) WITHOUT ROWID;" VDB_TABLES_V3;

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

/* The upgrades, each from the schema before it; run in one transaction.
 *
 * 1 to 2: the cvss column. 2 to 3: the has_refs column, the refs, cves and coverage
 * tables (coverage filled from the advisories), and the severity columns
 * keep only the advisory's own word rating under its new name (CVSS is
 * scored from the vectors when a finding is made; a row from schema 1,
 * which has no vectors, keeps the rating of its best vector until the
 * record is imported again).
 *
 * Both make the OSV sources forget their download validators, so that the
 * next 'db update' fetches the archives again and fills the new columns in
 * (vdb_store rewrites a stored advisory that lacks vectors or references
 * when the same record brings some). */
_Static_assert(BW_VULNDB_SCHEMA_VERSION == 3, "upgrade_in_tx stops at schema 3: chain the next step");

static const char upgrade_1_sql[] = "ALTER TABLE advisories ADD COLUMN cvss TEXT;";
static const char upgrade_2_sql[] =
    "ALTER TABLE advisories ADD COLUMN has_refs INTEGER;" VDB_TABLES_V3
    "UPDATE advisories SET severity = 0, severity_source = NULL WHERE severity_source LIKE 'cvss_%'"
    " AND cvss IS NOT NULL;"
    "UPDATE advisories SET severity_source = CASE WHEN instr(summary, ':') BETWEEN 2 AND 11 AND"
    " lower(substr(summary, 1, instr(summary, ':') - 1)) IN ('critical', 'important', 'moderate', 'low',"
    " 'high', 'medium') THEN 'redhat' ELSE 'ubuntu_priority' END WHERE severity_source = 'vendor';"
    "UPDATE advisories SET severity_source = 'debian_urgency' WHERE severity_source = 'debian';"
    "UPDATE advisories SET severity_source = 'ghsa' WHERE severity_source = 'database' AND id LIKE 'GHSA-%';"
    "INSERT INTO coverage SELECT f.ecosystem, a.source, count(DISTINCT a.rowid) FROM advisories a"
    " JOIN affected f ON f.advisory = a.rowid WHERE a.withdrawn IS NULL GROUP BY f.ecosystem, a.source;";

/* Run the upgrades from `from` to the current schema inside the caller's
 * transaction. */
static int upgrade_in_tx(struct bw_vulndb *db, int from, struct bw_error *err)
{
	if ((from < 2 && vdb_exec(db, upgrade_1_sql, err) < 0) ||
	    (from < 3 && vdb_exec(db, upgrade_2_sql, err) < 0) ||
	    vdb_exec(db,
		     "UPDATE sources SET etag = NULL, last_modified = NULL, sha256 = NULL"
		     " WHERE name LIKE 'osv:%'; PRAGMA user_version = 3",
		     err) < 0)
		return err->code;
	return 0;
}

static int create_in_tx(struct bw_vulndb *db, struct bw_error *err)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "INSERT INTO meta VALUES('created', '%lld')", (long long)time(NULL));
	if (vdb_exec(db, schema_sql, err) < 0 || vdb_exec(db, "PRAGMA user_version = 3", err) < 0 ||
	    vdb_exec(db, sql, err) < 0)
		return err->code;
	return 0;
}

/* A reader that can write upgrades the file at once, in its own
 * transaction; one that cannot (or finds it locked) reads the old schema. */
static void upgrade_now(struct bw_vulndb *db)
{
	struct bw_error uerr = BW_ERROR_INIT;
	if (!db->writable)
		return;
	if (vdb_exec(db, "BEGIN IMMEDIATE", &uerr) < 0)
		return;
	if (upgrade_in_tx(db, db->schema, &uerr) < 0 ||
	    sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		vdb_rollback(db);
		return;
	}
	db->schema = BW_VULNDB_SCHEMA_VERSION;
}

int vdb_apply_pending(struct bw_vulndb *db, struct bw_error *err)
{
	if (db->pending == VDB_READY)
		return 0;
	/* inside the writer's transaction: another writer may have gone first */
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->db, "PRAGMA user_version", -1, &st, NULL);
	int version = -1;
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version < 0)
		return vdb_sqlite_error(db, rc, "reading the schema version", err);
	if (version == BW_VULNDB_SCHEMA_VERSION)
		rc = 0;
	else if (version == 0)
		rc = create_in_tx(db, err);
	else if (version < BW_VULNDB_SCHEMA_VERSION)
		rc = upgrade_in_tx(db, version, err);
	else
		rc = bw_error_set(err, BW_EUNSUPPORTED,
				  "vulnerability database %s has schema %d, written by a newer bulwark",
				  db->path, version);
	if (rc < 0)
		return rc;
	db->in_pending_tx = true;
	db->schema = BW_VULNDB_SCHEMA_VERSION;
	return 0;
}

static int count_rows(struct bw_vulndb *db, const char *sql, int *out, struct bw_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int(st, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return vdb_sqlite_error(db, rc, "reading the schema", err);
	return 0;
}

static int check_schema(struct bw_vulndb *db, bool writer, struct bw_error *err)
{
	int version = 0;
	if (count_rows(db, "PRAGMA user_version", &version, err) < 0)
		return err->code;
	db->file_schema = version;
	if (version > BW_VULNDB_SCHEMA_VERSION)
		return bw_error_set(
		    err, BW_EUNSUPPORTED,
		    "vulnerability database %s has schema %d, written by a newer bulwark (this one "
		    "reads schema %d); update bulwark or use another --db",
		    db->path, version, BW_VULNDB_SCHEMA_VERSION);
	if (version >= 1) {
		db->schema = version;
		if (version < BW_VULNDB_SCHEMA_VERSION) {
			/* a writer upgrades inside its first write transaction, so
			 * that a failed import or update leaves the file as it was */
			if (writer)
				db->pending = VDB_PENDING_UPGRADE;
			else
				upgrade_now(db);
		}
	} else if (version != 0) {
		return bw_error_set(err, BW_EUNSUPPORTED, "vulnerability database %s has unknown schema %d",
				    db->path, version);
	} else {
		/* version 0: an empty file we may initialise, or somebody else's database */
		int tables = 0;
		if (count_rows(db, "SELECT count(*) FROM sqlite_master", &tables, err) < 0)
			return err->code;
		if (tables > 0)
			return bw_error_set(
			    err, BW_EINPUT,
			    "%s is an SQLite database but not a bulwark vulnerability database", db->path);
		if (!writer)
			return bw_error_set(err, BW_ENOTFOUND,
					    "vulnerability database %s is empty; run 'bulwark db import' or "
					    "'bulwark db update'",
					    db->path);
		/* created by the first import that commits, never before */
		db->pending = VDB_PENDING_CREATE;
		return 0;
	}
	if (writer)
		return 0;
	/* a database is valid once an import committed: it then names a source */
	int sources = 0;
	if (count_rows(db, "SELECT EXISTS(SELECT 1 FROM sources)", &sources, err) < 0)
		return err->code;
	if (!sources)
		return bw_error_set(err, BW_ENOTFOUND,
				    "vulnerability database %s holds no imported data (no import or update "
				    "completed); run 'bulwark db import' or 'bulwark db update'",
				    db->path);
	if (db->schema >= 3) {
		int cves = 0;
		if (count_rows(db, "SELECT EXISTS(SELECT 1 FROM cves)", &cves, err) < 0)
			return err->code;
		db->has_cves = cves != 0;
	}
	return 0;
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
	db->created_file = !exists;
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
	sqlite3_stmt *sts[] = {db->st_lookup,	 db->st_alias,	  db->st_kev,	    db->st_epss,
			       db->st_find,	 db->st_ins_adv,  db->st_upd_adv,   db->st_del_aff,
			       db->st_del_alias, db->st_ins_aff,  db->st_ins_alias, db->st_cve,
			       db->st_coverage,	 db->st_ins_cve,  db->st_del_cve,   db->st_old_eco,
			       db->st_refs,	 db->st_ins_refs, db->st_del_refs};
	for (size_t i = 0; i < BW_ARRAY_SIZE(sts); i++)
		sqlite3_finalize(sts[i]);
	sqlite3_close(db->db);
	/* a file this handle created and never committed to is not a database:
	 * leave nothing a later scan could take for one */
	struct stat sb;
	if (db->created_file && !db->committed && stat(db->path, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    sb.st_size == 0)
		unlink(db->path);
	vdb_touch_reset(db);
	free(db->touched);
	free(db->cov);
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
		BW_ALLOC_GROW(out->ecosystems, out->n_ecosystems + 1, cap);
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
		BW_ALLOC_GROW(out->sources, out->n_sources + 1, cap);
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

/* The names a database older than schema 3 gave the advisory's own rating. */
static const char *legacy_source(const char *src, const char *id, const char *summary)
{
	if (!src)
		return NULL;
	if (strcmp(src, "debian") == 0)
		return "debian_urgency";
	if (strcmp(src, "database") == 0)
		return strncmp(id ? id : "", "GHSA-", 5) == 0 ? "ghsa" : "database";
	if (strcmp(src, "vendor") == 0) {
		const char *c = summary ? strchr(summary, ':') : NULL;
		return c && vdb_severity_word(summary, (size_t)(c - summary)) >= 0 ? "redhat"
										   : "ubuntu_priority";
	}
	return src;
}

int bw_vulndb_lookup(struct bw_vulndb *db, const char *ecosystem, const char *name, bw_vulndb_affected_fn fn,
		     void *ud, struct bw_error *err)
{
	/* an older file that could not be upgraded lacks the newer columns */
	static const char *const lookup_sql[] = {
	    "SELECT a.rowid, a.id, a.origin, a.summary, a.severity, a.severity_source, a.score, f.ranges, "
	    "f.note,"
	    " NULL, NULL FROM affected f JOIN advisories a ON a.rowid = f.advisory"
	    " WHERE f.ecosystem = ?1 AND f.name = ?2 AND a.withdrawn IS NULL",
	    "SELECT a.rowid, a.id, a.origin, a.summary, a.severity, a.severity_source, a.score, f.ranges, "
	    "f.note,"
	    " a.cvss, NULL FROM affected f JOIN advisories a ON a.rowid = f.advisory"
	    " WHERE f.ecosystem = ?1 AND f.name = ?2 AND a.withdrawn IS NULL",
	    "SELECT a.rowid, a.id, a.origin, a.summary, a.severity, a.severity_source, a.score, f.ranges, "
	    "f.note,"
	    " a.cvss, NULL FROM affected f JOIN advisories a ON a.rowid = f.advisory"
	    " WHERE f.ecosystem = ?1 AND f.name = ?2 AND a.withdrawn IS NULL",
	};
	int layout = db->schema >= 3 ? 2 : db->schema == 2 ? 1 : 0;
	if (vdb_prepare(db, &db->st_lookup, lookup_sql[layout], err) < 0)
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
		if (db->schema < 3)
			a.severity_source = legacy_source(a.severity_source, a.id, a.summary);
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
	/* one statement for both: a finding asks for every CVE it names */
	if (vdb_prepare(
		db, &db->st_kev,
		"SELECT EXISTS(SELECT 1 FROM kev WHERE cve = ?1), (SELECT score FROM epss WHERE cve = ?1)",
		err) < 0)
		return err->code;
	sqlite3_stmt *st = db->st_kev;
	sqlite3_bind_text(st, 1, cve, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*kev = sqlite3_column_int(st, 0) != 0;
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			*epss = sqlite3_column_double(st, 1);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return vdb_sqlite_error(db, rc, "reading KEV and EPSS", err);
	return 0;
}

bool bw_vulndb_has_cve_data(const struct bw_vulndb *db)
{
	return db->schema >= 3 && db->has_cves;
}

int bw_vulndb_cve(struct bw_vulndb *db, const char *cve, bw_vulndb_cve_fn fn, void *ud, struct bw_error *err)
{
	if (db->schema < 3 || !db->has_cves)
		return 0;
	if (vdb_prepare(db, &db->st_cve, "SELECT origin, cvss, nvd_cvss, refs FROM cves WHERE cve = ?1",
			err) < 0)
		return err->code;
	sqlite3_stmt *st = db->st_cve;
	sqlite3_bind_text(st, 1, cve, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct bw_vulndb_cve c = {
		    .cve = cve,
		    .origin = (const char *)sqlite3_column_text(st, 0),
		    .cvss = (const char *)sqlite3_column_text(st, 1),
		    .nvd_cvss = (const char *)sqlite3_column_text(st, 2),
		    .refs = (const char *)sqlite3_column_text(st, 3),
		};
		fn(ud, &c);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return vdb_sqlite_error(db, rc, "reading CVE data", err);
	return 0;
}

int bw_vulndb_advisory_refs(struct bw_vulndb *db, int64_t advisory, bw_vulndb_refs_fn fn, void *ud,
			    struct bw_error *err)
{
	if (db->schema < 3)
		return 0;
	if (vdb_prepare(db, &db->st_refs, "SELECT urls FROM refs WHERE advisory = ?1", err) < 0)
		return err->code;
	sqlite3_bind_int64(db->st_refs, 1, advisory);
	int rc = sqlite3_step(db->st_refs);
	if (rc == SQLITE_ROW) {
		fn(ud, (const char *)sqlite3_column_text(db->st_refs, 0));
		rc = SQLITE_DONE;
	}
	sqlite3_reset(db->st_refs);
	if (rc != SQLITE_DONE)
		return vdb_sqlite_error(db, rc, "reading references", err);
	return 0;
}

int bw_vulndb_coverage(struct bw_vulndb *db, const char *ecosystem, bw_vulndb_coverage_fn fn, void *ud,
		       struct bw_error *err)
{
	/* an older file has no coverage table: count it the slow way */
	const char *sql =
	    db->schema >= 3
		? "SELECT source, advisories FROM coverage WHERE ecosystem = ?1 AND advisories > 0 ORDER BY "
		  "source"
		: "SELECT a.source, count(DISTINCT a.rowid) FROM affected f JOIN advisories a ON a.rowid = "
		  "f.advisory WHERE f.ecosystem = ?1 AND a.withdrawn IS NULL GROUP BY a.source ORDER BY 1";
	if (vdb_prepare(db, &db->st_coverage, sql, err) < 0)
		return err->code;
	sqlite3_stmt *st = db->st_coverage;
	sqlite3_bind_text(st, 1, ecosystem, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(ud, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return vdb_sqlite_error(db, rc, "reading coverage", err);
	return 0;
}

int bw_vulndb_sources(struct bw_vulndb *db, struct bw_vulndb_source **out, size_t *n, struct bw_error *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(
	    db->db, "SELECT name, location, imported_at, data_date FROM sources ORDER BY name", -1, &st,
	    NULL);
	size_t cap = 0;
	while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = bw_realloc(*out, cap * sizeof(**out));
		}
		struct bw_vulndb_source *s = &(*out)[(*n)++];
		s->name = col_dup(st, 0);
		s->location = col_dup(st, 1);
		s->imported_at = sqlite3_column_int64(st, 2);
		s->data_date = col_dup(st, 3);
		s->records = -1;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		bw_vulndb_sources_free(*out, *n);
		*out = NULL;
		*n = 0;
		return vdb_sqlite_error(db, rc, "listing sources", err);
	}
	return 0;
}

void bw_vulndb_sources_free(struct bw_vulndb_source *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].name);
		free(s[i].location);
		free(s[i].data_date);
	}
	free(s);
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
	if (db->pending == VDB_PENDING_CREATE)
		return 0;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(
	    db->db,
	    "SELECT ecosystem FROM wanted UNION SELECT substr(name, 5) FROM sources"
	    " WHERE name LIKE 'osv:%' AND location LIKE 'http%' UNION SELECT 'NVD' FROM sources"
	    " WHERE name = 'nvd' AND location LIKE 'http%' ORDER BY 1",
	    -1, &st, NULL);
	size_t cap = 0;
	while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		BW_ALLOC_GROW(*out, *n + 1, cap);
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
