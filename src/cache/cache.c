/* The layer cache in SQLite.
 *
 * Schema 1:
 *   meta(key TEXT PRIMARY KEY, value TEXT)   "schema" = "1", "bulwark" = BW_VERSION
 *   layers(key TEXT PRIMARY KEY, analyzer TEXT, data BLOB, created INTEGER)
 *   profiles(image TEXT PRIMARY KEY, schema INTEGER, data BLOB, updated INTEGER)
 *     learned runtime profiles (made when missing: files from before it have
 *     none; copied over when the file is made anew)
 * A file without exactly these meta values is another version's, or not
 * ours: it is removed and made anew (only by a process that holds the lock
 * file alone, so a cache another process is using is never pulled from
 * under it; such a run goes without a cache).
 *
 * Locking: "layers.lock" next to the file. A scan holds it shared for as
 * long as it has the cache open; setting the file up and `cache clean`
 * take it exclusively, without waiting for scans. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>

#include "cache.h"

struct bw_cache {
	sqlite3 *db;
	sqlite3_stmt *get, *put;
	pthread_mutex_t mu;
	int lockfd;
	char *path;
};

static const char schema_sql[] =
    "PRAGMA journal_mode=WAL;"
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "CREATE TABLE layers(key TEXT PRIMARY KEY, analyzer TEXT NOT NULL, data BLOB NOT NULL, created INTEGER);"
    "CREATE TABLE profiles(image TEXT PRIMARY KEY, schema INTEGER NOT NULL, data BLOB NOT NULL, updated "
    "INTEGER);";

static const char profiles_sql[] = "CREATE TABLE IF NOT EXISTS profiles(image TEXT PRIMARY KEY, schema "
				   "INTEGER NOT NULL, data BLOB NOT NULL, "
				   "updated INTEGER);";

char *bw_cache_default_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME");
	if (x && *x == '/')
		return bw_asprintf("%s/bulwark", x);
	const char *h = getenv("HOME");
	return bw_asprintf("%s/.cache/bulwark", h && *h ? h : ".");
}

static int mkdirs(char *dir, struct bw_error *err)
{
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int r = mkdir(dir, 0700);
		*p = '/';
		if (r < 0 && errno != EEXIST)
			return bw_error_sys(err, BW_EIO, "cannot create the cache directory %s", dir);
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return bw_error_sys(err, BW_EIO, "cannot create the cache directory %s", dir);
	return 0;
}

static void unlink_db(const char *path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(suffixes); i++) {
		char *p = bw_asprintf("%s%s", path, suffixes[i]);
		unlink(p);
		free(p);
	}
}

static char *meta_value(sqlite3 *db, const char *key)
{
	sqlite3_stmt *st = NULL;
	char *v = NULL;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = bw_strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

/* Ours, this version, and its statements prepare. */
static bool usable(struct bw_cache *c)
{
	char *schema = meta_value(c->db, "schema");
	char *version = meta_value(c->db, "bulwark");
	char want[16];
	snprintf(want, sizeof(want), "%d", BW_CACHE_SCHEMA);
	bool ok = schema && version && strcmp(schema, want) == 0 && strcmp(version, BW_VERSION) == 0;
	free(schema);
	free(version);
	return ok &&
	       sqlite3_prepare_v3(c->db, "SELECT data FROM layers WHERE key = ?", -1,
				  SQLITE_PREPARE_PERSISTENT, &c->get, NULL) == SQLITE_OK &&
	       sqlite3_prepare_v3(
		   c->db, "INSERT OR REPLACE INTO layers(key, analyzer, data, created) VALUES(?, ?, ?, ?)",
		   -1, SQLITE_PREPARE_PERSISTENT, &c->put, NULL) == SQLITE_OK;
}

static void close_db(struct bw_cache *c)
{
	sqlite3_finalize(c->get);
	sqlite3_finalize(c->put);
	c->get = c->put = NULL;
	sqlite3_close(c->db);
	c->db = NULL;
}

static int open_db(struct bw_cache *c, struct bw_error *err)
{
	int rc = sqlite3_open_v2(c->path, &c->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		bw_error_set(err, BW_EIO, "layer cache %s: %s", c->path,
			     c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		close_db(c);
		return BW_EIO;
	}
	sqlite3_busy_timeout(c->db, 10000);
	sqlite3_exec(c->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
	return 0;
}

/* Profiles of a file about to be made anew: read them (bounded) to carry
 * them over. */
struct saved_profile {
	char *image;
	int schema;
	void *data;
	size_t len;
	sqlite3_int64 updated;
};

static size_t salvage_profiles(const char *path, struct saved_profile **out)
{
	*out = NULL;
	sqlite3 *db = NULL;
	size_t n = 0, total = 0;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return 0;
	}
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db, "SELECT image, schema, data, updated FROM profiles", -1, &q, NULL) ==
	    SQLITE_OK) {
		while (sqlite3_step(q) == SQLITE_ROW && n < 10000) {
			const char *img = (const char *)sqlite3_column_text(q, 0);
			size_t len = (size_t)sqlite3_column_bytes(q, 2);
			const void *data = sqlite3_column_blob(q, 2);
			if (!img || !data || len > BW_CACHE_MAX_RECORD || total + len > BW_CACHE_MAX_RECORD)
				continue;
			*out = bw_realloc(*out, (n + 1) * sizeof(**out));
			struct saved_profile *p = &(*out)[n++];
			p->image = bw_strdup(img);
			p->schema = sqlite3_column_int(q, 1);
			p->data = bw_malloc(len ? len : 1);
			memcpy(p->data, data, len);
			p->len = len;
			p->updated = sqlite3_column_int64(q, 3);
			total += len;
		}
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

static int create(struct bw_cache *c, struct bw_error *err)
{
	struct saved_profile *saved;
	size_t nsaved = salvage_profiles(c->path, &saved);
	unlink_db(c->path);
	int rc = open_db(c, err);
	if (rc < 0)
		return rc;
	char *sql = bw_asprintf("%sINSERT INTO meta VALUES('schema', '%d'), ('bulwark', '%s');", schema_sql,
				BW_CACHE_SCHEMA, BW_VERSION);
	int r = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
	free(sql);
	if (r != SQLITE_OK || !usable(c)) {
		bw_error_set(err, BW_EIO, "layer cache %s: cannot create it: %s", c->path,
			     sqlite3_errmsg(c->db));
		close_db(c);
		r = BW_EIO;
	} else {
		r = 0;
	}
	for (size_t i = 0; i < nsaved; i++) {
		if (r == 0)
			bw_cache_profile_put(c, saved[i].image, saved[i].schema, saved[i].data, saved[i].len);
		free(saved[i].image);
		free(saved[i].data);
	}
	free(saved);
	return r;
}

int bw_cache_open(const char *dir, struct bw_cache **out, struct bw_error *err)
{
	*out = NULL;
	char *d = dir ? bw_strdup(dir) : bw_cache_default_dir();
	int rc = mkdirs(d, err);
	if (rc < 0) {
		free(d);
		return rc;
	}
	struct bw_cache *c = bw_calloc(1, sizeof(*c));
	pthread_mutex_init(&c->mu, NULL);
	c->path = bw_asprintf("%s/layers.sqlite", d);
	char *lock = bw_asprintf("%s/layers.lock", d);
	free(d);
	c->lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (c->lockfd < 0) {
		rc = bw_error_sys(err, BW_EIO, "layer cache: cannot open %s", lock);
		free(lock);
		bw_cache_free(c);
		return rc;
	}
	free(lock);

	bool alone = flock(c->lockfd, LOCK_EX | LOCK_NB) == 0;
	if (!alone && flock(c->lockfd, LOCK_SH) < 0) {
		rc = bw_error_sys(err, BW_EIO, "layer cache %s: cannot lock it", c->path);
		bw_cache_free(c);
		return rc;
	}
	rc = open_db(c, err);
	if (rc == 0 && !usable(c)) {
		close_db(c);
		if (!alone) { /* another process uses a file we cannot read: do without */
			bw_cache_free(c);
			return 0;
		}
		rc = create(c, err);
	}
	if (rc < 0) {
		bw_cache_free(c);
		return rc;
	}
	if (alone)
		flock(c->lockfd, LOCK_SH); /* let other scans in */
	/* files of schema 1 made before the profiles table lack it */
	sqlite3_exec(c->db, profiles_sql, NULL, NULL, NULL);

	*out = c;
	return 0;
}

void bw_cache_free(struct bw_cache *c)
{
	if (!c)
		return;
	close_db(c);
	if (c->lockfd >= 0)
		close(c->lockfd);
	pthread_mutex_destroy(&c->mu);
	free(c->path);
	free(c);
}

const char *bw_cache_path(const struct bw_cache *c)
{
	return c->path;
}

int bw_cache_get(struct bw_cache *c, const char *key, struct bw_buf *out, bool *hit)
{
	*hit = false;
	pthread_mutex_lock(&c->mu);
	sqlite3_stmt *st = c->get;
	int rc = 0;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const void *data = sqlite3_column_blob(st, 0);
		size_t len = (size_t)sqlite3_column_bytes(st, 0);
		if (len <= BW_CACHE_MAX_RECORD && bw_buf_add(out, data ? data : "", len) == 0)
			*hit = true;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	pthread_mutex_unlock(&c->mu);
	return rc;
}

int bw_cache_put(struct bw_cache *c, const char *key, const void *data, size_t len)
{
	if (len > BW_CACHE_MAX_RECORD)
		return BW_ELIMIT;
	const char *slash = strrchr(key, '/');
	const char *analyzer = slash ? slash + 1 : key;
	pthread_mutex_lock(&c->mu);
	sqlite3_stmt *st = c->put;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, analyzer, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 3, data ? data : "", len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	pthread_mutex_unlock(&c->mu);
	return r == SQLITE_DONE ? 0 : BW_EIO;
}

/* ---- learned runtime profiles ---- */

int bw_cache_profile_get(struct bw_cache *c, const char *image_id, int schema, struct bw_buf *out, bool *hit)
{
	*hit = false;
	pthread_mutex_lock(&c->mu);
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(c->db, "SELECT data FROM profiles WHERE image = ? AND schema = ?", -1, &st,
			       NULL) != SQLITE_OK) {
		pthread_mutex_unlock(&c->mu);
		return BW_EIO;
	}
	sqlite3_bind_text(st, 1, image_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, schema);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const void *data = sqlite3_column_blob(st, 0);
		size_t len = (size_t)sqlite3_column_bytes(st, 0);
		if (len <= BW_CACHE_MAX_RECORD && bw_buf_add(out, data ? data : "", len) == 0)
			*hit = true;
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&c->mu);
	return rc;
}

int bw_cache_profile_put(struct bw_cache *c, const char *image_id, int schema, const void *data, size_t len)
{
	if (len > BW_CACHE_MAX_RECORD)
		return BW_ELIMIT;
	pthread_mutex_lock(&c->mu);
	sqlite3_stmt *st = NULL;
	int r = sqlite3_prepare_v2(
	    c->db, "INSERT OR REPLACE INTO profiles(image, schema, data, updated) VALUES(?, ?, ?, ?)", -1,
	    &st, NULL);
	if (r == SQLITE_OK) {
		sqlite3_bind_text(st, 1, image_id, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, schema);
		sqlite3_bind_blob64(st, 3, data ? data : "", len, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
		r = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&c->mu);
	return r == SQLITE_DONE ? 0 : BW_EIO;
}

/* ---- info and clean ---- */

static uint64_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static uint64_t db_file_bytes(const char *path)
{
	char *wal = bw_asprintf("%s-wal", path);
	uint64_t n = file_size(path) + file_size(wal);
	free(wal);
	return n;
}

int bw_cache_stats(const char *dir, struct bw_cache_stats *st, struct bw_error *err)
{
	memset(st, 0, sizeof(*st));
	char *d = dir ? bw_strdup(dir) : bw_cache_default_dir();
	st->path = bw_asprintf("%s/layers.sqlite", d);
	free(d);
	if (access(st->path, F_OK) != 0)
		return 0;
	st->exists = true;
	st->file_bytes = db_file_bytes(st->path);
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(st->path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return 0;
	}
	sqlite3_busy_timeout(db, 10000);
	st->bulwark_version = meta_value(db, "bulwark");
	char *schema = meta_value(db, "schema");
	st->schema = schema ? (int)strtol(schema, NULL, 10) : 0;
	free(schema);
	if (st->schema != BW_CACHE_SCHEMA) {
		sqlite3_close(db);
		return 0;
	}
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db,
			       "SELECT analyzer, count(*), sum(length(data)) FROM layers GROUP BY analyzer "
			       "ORDER BY analyzer",
			       -1, &q, NULL) == SQLITE_OK) {
		while (sqlite3_step(q) == SQLITE_ROW) {
			st->by_analyzer =
			    bw_realloc(st->by_analyzer, (st->n_by_analyzer + 1) * sizeof(*st->by_analyzer));
			struct bw_cache_analyzer_stats *a = &st->by_analyzer[st->n_by_analyzer++];
			a->name = bw_strdup((const char *)sqlite3_column_text(q, 0)
						? (const char *)sqlite3_column_text(q, 0)
						: "");
			a->entries = (uint64_t)sqlite3_column_int64(q, 1);
			a->bytes = (uint64_t)sqlite3_column_int64(q, 2);
			st->entries += a->entries;
			st->bytes += a->bytes;
		}
	}
	sqlite3_finalize(q);
	q = NULL;
	/* every cached layer has one walker record */
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM layers WHERE analyzer LIKE 'walker:%'", -1, &q,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		st->layers = (uint64_t)sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	(void)err;
	return 0;
}

void bw_cache_stats_release(struct bw_cache_stats *st)
{
	for (size_t i = 0; i < st->n_by_analyzer; i++)
		free(st->by_analyzer[i].name);
	free(st->by_analyzer);
	free(st->path);
	free(st->bulwark_version);
	memset(st, 0, sizeof(*st));
}

int bw_cache_clean(const char *dir, uint64_t *freed, struct bw_error *err)
{
	*freed = 0;
	char *d = dir ? bw_strdup(dir) : bw_cache_default_dir();
	char *path = bw_asprintf("%s/layers.sqlite", d);
	char *lock = bw_asprintf("%s/layers.lock", d);
	free(d);
	int rc = 0;
	int fd = open(lock, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0) {
		rc = bw_error_set(
		    err, BW_EIO,
		    "layer cache %s is in use by another bulwark process; try again when it ends", path);
	} else {
		*freed = db_file_bytes(path);
		unlink_db(path);
	}
	if (fd >= 0)
		close(fd);
	free(path);
	free(lock);
	return rc;
}
