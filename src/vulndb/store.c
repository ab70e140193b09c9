/* Writing advisories: transactions, the newer-modified rule, encoded ranges. */
#include <time.h>

#include "vulndb-int.h"

void vdb_advisory_init(struct vdb_advisory *a)
{
	memset(a, 0, sizeof(*a));
	bw_arena_init(&a->arena);
	a->score = -1;
}

void vdb_advisory_release(struct vdb_advisory *a)
{
	free(a->aliases);
	free(a->related);
	free(a->affected);
	bw_arena_release(&a->arena);
	memset(a, 0, sizeof(*a));
}

void vdb_advisory_alias(struct vdb_advisory *a, const char *alias, bool related)
{
	const char ***arr = related ? &a->related : &a->aliases;
	size_t *n = related ? &a->n_related : &a->n_aliases,
	       *cap = related ? &a->cap_related : &a->cap_aliases;
	if (!alias || !*alias || (a->id && strcmp(alias, a->id) == 0))
		return;
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*arr)[i], alias) == 0)
			return;
	BW_ALLOC_GROW(*arr, *n + 1, *cap);
	(*arr)[(*n)++] = bw_arena_strdup(&a->arena, alias);
}

struct vdb_affected *vdb_advisory_add_affected(struct vdb_advisory *a)
{
	BW_ALLOC_GROW(a->affected, a->n_affected + 1, a->cap_affected);
	struct vdb_affected *f = &a->affected[a->n_affected++];
	memset(f, 0, sizeof(*f));
	return f;
}

bool vdb_version_ok(const char *s, size_t len)
{
	if (len == 0 || len > VDB_MAX_VERSION)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

void vdb_sample(struct bw_vulndb_import_stats *st, const char *fmt, ...)
{
	if (!st || st->n_samples >= BW_VULNDB_SAMPLES)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->samples[st->n_samples++], sizeof(st->samples[0]), fmt, ap);
	va_end(ap);
}

int vdb_severity_word(const char *s, size_t len)
{
	static const struct {
		const char *w;
		int sev;
	} words[] = {
	    {"critical", BW_SEV_CRITICAL}, {"important", BW_SEV_HIGH},	{"high", BW_SEV_HIGH},
	    {"moderate", BW_SEV_MEDIUM},   {"medium", BW_SEV_MEDIUM},	{"low", BW_SEV_LOW},
	    {"negligible", BW_SEV_LOW},	   {"unimportant", BW_SEV_LOW}, {"none", BW_SEV_INFO},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(words); i++)
		if (strlen(words[i].w) == len && bw_strncasecmp(words[i].w, s, len) == 0)
			return words[i].sev;
	return -1;
}

/* ---- decoding ---- */

int vdb_decode_ranges(struct bw_vulndb *db, const char *enc, int scheme, struct bw_vulndb_affected *out)
{
	/* two passes: count, then fill (pointers into db's arrays stay put) */
	size_t nr = 0, ne = 0, nv = 0;
	for (const char *p = enc; *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len) {
			if (*p == 'R')
				nr++;
			else if (*p == 'v')
				nv++;
			else if (strchr("iflm", *p))
				ne++;
		}
		p += len + (e ? 1 : 0);
	}
	BW_ALLOC_GROW(db->ranges, nr + 1, db->cap_ranges);
	BW_ALLOC_GROW(db->events, ne + 1, db->cap_events);
	BW_ALLOC_GROW(db->versions, nv + 1, db->cap_versions);
	struct bw_osv_range *r = NULL;
	size_t ir = 0, ie = 0, iv = 0;
	for (const char *p = enc; *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		struct bw_slice val = {p + 1, len ? len - 1 : 0};
		if (len) {
			switch (*p) {
			case 'R':
				r = &db->ranges[ir++];
				r->type = val.len && val.ptr[0] == 'S' ? BW_OSV_RANGE_SEMVER
								       : BW_OSV_RANGE_ECOSYSTEM;
				r->events = &db->events[ie];
				r->n_events = 0;
				break;
			case 'i':
			case 'f':
			case 'l':
			case 'm':
				if (!r)
					return -1;
				db->events[ie].kind = *p == 'i'	  ? BW_OSV_INTRODUCED
						      : *p == 'f' ? BW_OSV_FIXED
						      : *p == 'l' ? BW_OSV_LAST_AFFECTED
								  : BW_OSV_LIMIT;
				db->events[ie++].version = val;
				r->n_events++;
				break;
			case 'v':
				db->versions[iv++] = val;
				break;
			default:
				break;
			}
		}
		p += len + (e ? 1 : 0);
	}
	out->scheme = scheme;
	out->ranges = db->ranges;
	out->n_ranges = ir;
	out->versions = db->versions;
	out->n_versions = iv;
	return 0;
}

/* ---- transactions ---- */

int vdb_begin(struct bw_vulndb *db, struct bw_error *err)
{
	if (vdb_exec(db, "BEGIN IMMEDIATE", err) < 0)
		return err->code;
	if (vdb_apply_pending(db, err) < 0) {
		vdb_rollback(db);
		return err->code;
	}
	return 0;
}

int vdb_commit(struct bw_vulndb *db, struct bw_error *err)
{
	int rc = sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		vdb_sqlite_error(db, rc, "commit", err);
		vdb_rollback(db);
		return err->code;
	}
	db->committed = true;
	if (db->in_pending_tx) {
		db->in_pending_tx = false;
		db->pending = VDB_READY;
	}
	return 0;
}

void vdb_rollback(struct bw_vulndb *db)
{
	if (!sqlite3_get_autocommit(db->db))
		sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
	if (db->in_pending_tx) {
		/* the creation or upgrade went with the transaction */
		db->in_pending_tx = false;
		db->schema = db->file_schema;
	}
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int step_done(struct bw_vulndb *db, sqlite3_stmt *st, const char *what, struct bw_error *err)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return vdb_sqlite_error(db, rc, what, err);
	return 0;
}

static int prepare_writer(struct bw_vulndb *db, struct bw_error *err)
{
	if (vdb_prepare(
		db, &db->st_find,
		"SELECT rowid, modified, cvss IS NULL, has_refs IS NULL, source, withdrawn IS NOT NULL"
		" FROM advisories WHERE origin = ?1 AND id = ?2",
		err) ||
	    vdb_prepare(db, &db->st_ins_adv,
			"INSERT INTO advisories(origin, source, id, modified, published, withdrawn, summary, "
			"severity, severity_source, score, cvss, has_refs)"
			" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
			err) ||
	    vdb_prepare(
		db, &db->st_upd_adv,
		"UPDATE advisories SET source = ?2, modified = ?3, published = ?4, withdrawn = ?5,"
		" summary = ?6, severity = ?7, severity_source = ?8, score = ?9, cvss = ?10, has_refs = ?11"
		" WHERE rowid = ?1",
		err) ||
	    vdb_prepare(db, &db->st_del_aff, "DELETE FROM affected WHERE advisory = ?1", err) ||
	    vdb_prepare(db, &db->st_del_alias, "DELETE FROM aliases WHERE advisory = ?1", err) ||
	    vdb_prepare(db, &db->st_ins_aff, "INSERT INTO affected VALUES(?1, ?2, ?3, ?4, ?5)", err) ||
	    vdb_prepare(db, &db->st_ins_alias, "INSERT OR IGNORE INTO aliases VALUES(?1, ?2, ?3)", err) ||
	    vdb_prepare(db, &db->st_ins_refs, "INSERT OR REPLACE INTO refs VALUES(?1, ?2)", err) ||
	    vdb_prepare(db, &db->st_del_refs, "DELETE FROM refs WHERE advisory = ?1", err))
		return err->code;
	return 0;
}

void vdb_touch(struct bw_vulndb *db, const char *source, const char *date)
{
	struct vdb_touched *t = NULL;
	for (size_t i = 0; i < db->n_touched && !t; i++)
		if (strcmp(db->touched[i].name, source) == 0)
			t = &db->touched[i];
	if (!t) {
		db->touched = bw_realloc(db->touched, (db->n_touched + 1) * sizeof(*db->touched));
		t = &db->touched[db->n_touched++];
		t->name = bw_strdup(source);
		t->location = bw_strdup(db->cur_location ? db->cur_location : "");
		t->date = NULL;
	}
	if (date && (!t->date || strcmp(date, t->date) > 0)) {
		free(t->date);
		t->date = bw_strdup(date);
	}
}

void vdb_touch_reset(struct bw_vulndb *db)
{
	for (size_t i = 0; i < db->n_touched; i++) {
		free(db->touched[i].name);
		free(db->touched[i].location);
		free(db->touched[i].date);
	}
	db->n_touched = 0;
	for (size_t i = 0; i < db->n_cov; i++) {
		free(db->cov[i].source);
		free(db->cov[i].ecosystem);
	}
	db->n_cov = db->last_cov = 0;
}

/* Coverage is kept as the import goes: an advisory stored adds one to each
 * ecosystem it affects, one replaced or cleared takes its count away. */
static void cov_add(struct bw_vulndb *db, const char *source, const char *ecosystem, int64_t delta)
{
	size_t i = db->last_cov;
	if (i >= db->n_cov || strcmp(db->cov[i].source, source) || strcmp(db->cov[i].ecosystem, ecosystem))
		for (i = 0; i < db->n_cov; i++)
			if (!strcmp(db->cov[i].ecosystem, ecosystem) && !strcmp(db->cov[i].source, source))
				break;
	if (i == db->n_cov) {
		db->cov = bw_realloc(db->cov, (db->n_cov + 1) * sizeof(*db->cov));
		db->cov[i] = (struct vdb_cov){bw_strdup(source), bw_strdup(ecosystem), 0};
		db->n_cov++;
	}
	db->cov[i].delta += delta;
	db->last_cov = i;
}

static void cov_advisory(struct bw_vulndb *db, const struct vdb_advisory *a)
{
	if (a->withdrawn)
		return;
	for (size_t k = 0; k < a->n_affected; k++) {
		bool seen = false;
		for (size_t j = 0; j < k && !seen; j++)
			seen = strcmp(a->affected[j].ecosystem, a->affected[k].ecosystem) == 0;
		if (!seen)
			cov_add(db, a->source, a->affected[k].ecosystem, 1);
	}
}

/* The ecosystems a stored advisory affects leave its old source's count. */
static int cov_forget(struct bw_vulndb *db, sqlite3_int64 rowid, const char *source, struct bw_error *err)
{
	if (vdb_prepare(db, &db->st_old_eco, "SELECT DISTINCT ecosystem FROM affected WHERE advisory = ?1",
			err) < 0)
		return err->code;
	sqlite3_bind_int64(db->st_old_eco, 1, rowid);
	int rc;
	while ((rc = sqlite3_step(db->st_old_eco)) == SQLITE_ROW)
		cov_add(db, source, (const char *)sqlite3_column_text(db->st_old_eco, 0), -1);
	sqlite3_reset(db->st_old_eco);
	if (rc != SQLITE_DONE)
		return vdb_sqlite_error(db, rc, "reading affected packages", err);
	return 0;
}

/* The newer of two dates (either may be NULL). */
static const char *newer(const char *a, const char *b)
{
	return !a ? b : !b ? a : strcmp(a, b) >= 0 ? a : b;
}

int vdb_store(struct bw_vulndb *db, struct vdb_advisory *a, struct bw_vulndb_import_stats *st,
	      struct bw_error *err)
{
	if (prepare_writer(db, err) < 0)
		return err->code;
	/* Go's records carry "modified": "0001-01-01…"; published is then the date */
	vdb_touch(db, a->source, newer(a->modified, a->published));
	sqlite3_int64 rowid = 0;
	bool exists = false;
	sqlite3_bind_text(db->st_find, 1, a->origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(db->st_find, 2, a->id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(db->st_find);
	if (rc == SQLITE_ROW) {
		exists = true;
		rowid = sqlite3_column_int64(db->st_find, 0);
		const char *old = (const char *)sqlite3_column_text(db->st_find, 1);
		/* RFC 3339 timestamps in UTC compare as strings; the newer wins.
		 * The same record is written again when it brings the CVSS
		 * vectors or references an older schema did not keep. */
		bool is_newer = a->modified && (!old || strcmp(a->modified, old) > 0);
		bool vectors = a->cvss && sqlite3_column_int(db->st_find, 2);
		bool refs = a->refs && sqlite3_column_int(db->st_find, 3);
		if (!is_newer && !vectors && !refs) {
			sqlite3_reset(db->st_find);
			st->unchanged++;
			return 0;
		}
		const char *was = (const char *)sqlite3_column_text(db->st_find, 4);
		char *was_source = bw_strdup(was ? was : a->source);
		bool was_withdrawn = sqlite3_column_int(db->st_find, 5) != 0;
		sqlite3_reset(db->st_find);
		vdb_touch(db, was_source, NULL);
		rc = was_withdrawn ? 0 : cov_forget(db, rowid, was_source, err);
		free(was_source);
		if (rc < 0)
			return rc;
		rc = SQLITE_ROW;
	}
	sqlite3_reset(db->st_find);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return vdb_sqlite_error(db, rc, "finding an advisory", err);
	cov_advisory(db, a);

	sqlite3_stmt *w = exists ? db->st_upd_adv : db->st_ins_adv;
	int i = 1;
	if (exists) {
		sqlite3_bind_int64(w, i++, rowid);
	} else {
		sqlite3_bind_text(w, i++, a->origin, -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(w, i++, a->source, -1, SQLITE_STATIC);
	if (!exists)
		sqlite3_bind_text(w, i++, a->id, -1, SQLITE_STATIC);
	bind_opt(w, i++, a->modified);
	bind_opt(w, i++, a->published);
	bind_opt(w, i++, a->withdrawn);
	bind_opt(w, i++, a->summary);
	sqlite3_bind_int(w, i++, a->severity);
	bind_opt(w, i++, a->severity_source);
	if (a->score >= 0)
		sqlite3_bind_double(w, i++, a->score);
	else
		sqlite3_bind_null(w, i++);
	bind_opt(w, i++, a->cvss);
	sqlite3_bind_int(w, i++, a->refs ? 1 : 0);
	if (step_done(db, w, "writing an advisory", err) < 0)
		return err->code;
	if (exists) {
		sqlite3_bind_int64(db->st_del_aff, 1, rowid);
		sqlite3_bind_int64(db->st_del_alias, 1, rowid);
		if (step_done(db, db->st_del_aff, "replacing an advisory", err) < 0 ||
		    step_done(db, db->st_del_alias, "replacing an advisory", err) < 0)
			return err->code;
		st->updated++;
	} else {
		rowid = sqlite3_last_insert_rowid(db->db);
		st->inserted++;
	}
	if (a->refs) {
		sqlite3_bind_int64(db->st_ins_refs, 1, rowid);
		sqlite3_bind_text(db->st_ins_refs, 2, a->refs, -1, SQLITE_STATIC);
		if (step_done(db, db->st_ins_refs, "writing references", err) < 0)
			return err->code;
	} else if (exists) {
		sqlite3_bind_int64(db->st_del_refs, 1, rowid);
		if (step_done(db, db->st_del_refs, "replacing references", err) < 0)
			return err->code;
	}
	for (size_t k = 0; k < a->n_affected; k++) {
		const struct vdb_affected *f = &a->affected[k];
		sqlite3_bind_int64(db->st_ins_aff, 1, rowid);
		sqlite3_bind_text(db->st_ins_aff, 2, f->ecosystem, -1, SQLITE_STATIC);
		sqlite3_bind_text(db->st_ins_aff, 3, f->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(db->st_ins_aff, 4, f->ranges ? f->ranges : "", -1, SQLITE_STATIC);
		bind_opt(db->st_ins_aff, 5, f->note);
		if (step_done(db, db->st_ins_aff, "writing affected packages", err) < 0)
			return err->code;
	}
	for (int rel = 0; rel < 2; rel++) {
		const char **arr = rel ? a->related : a->aliases;
		size_t n = rel ? a->n_related : a->n_aliases;
		for (size_t k = 0; k < n; k++) {
			sqlite3_bind_int64(db->st_ins_alias, 1, rowid);
			sqlite3_bind_text(db->st_ins_alias, 2, arr[k], -1, SQLITE_STATIC);
			sqlite3_bind_int(db->st_ins_alias, 3, rel);
			if (step_done(db, db->st_ins_alias, "writing aliases", err) < 0)
				return err->code;
		}
	}
	if (a->withdrawn)
		st->withdrawn++;
	return 0;
}

int vdb_clear_source(struct bw_vulndb *db, const char *source, struct bw_error *err)
{
	static const char *const sqls[] = {
	    "DELETE FROM affected WHERE advisory IN (SELECT rowid FROM advisories WHERE source = ?1)",
	    "DELETE FROM aliases WHERE advisory IN (SELECT rowid FROM advisories WHERE source = ?1)",
	    "DELETE FROM refs WHERE advisory IN (SELECT rowid FROM advisories WHERE source = ?1)",
	    "DELETE FROM advisories WHERE source = ?1",
	    "DELETE FROM coverage WHERE source = ?1",
	    "UPDATE sources SET data_date = NULL WHERE name = ?1",
	};
	for (size_t i = 0; i < db->n_cov; i++)
		if (strcmp(db->cov[i].source, source) == 0)
			db->cov[i].delta = 0;
	for (size_t i = 0; i < BW_ARRAY_SIZE(sqls); i++) {
		sqlite3_stmt *st = NULL;
		int rc = sqlite3_prepare_v2(db->db, sqls[i], -1, &st, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
			rc = sqlite3_step(st);
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return vdb_sqlite_error(db, rc, "clearing a source", err);
	}
	return 0;
}

int vdb_note_source(struct bw_vulndb *db, const char *source, const char *location, const char *data_date,
		    struct bw_error *err)
{
	sqlite3_stmt *st = NULL;
	/* keep the HTTP validators of a previous download (update.c sets them) */
	int rc = sqlite3_prepare_v2(
	    db->db,
	    "INSERT INTO sources(name, location, imported_at, data_date) VALUES(?1, ?2, ?3, ?4)"
	    " ON CONFLICT(name) DO UPDATE SET location = ?2, imported_at = ?3,"
	    " data_date = coalesce(?4, data_date)",
	    -1, &st, NULL);
	if (rc == SQLITE_OK) {
		bind_opt(st, 1, source);
		bind_opt(st, 2, location);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
		bind_opt(st, 4, data_date);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return vdb_sqlite_error(db, rc, "recording a source", err);
	return 0;
}

int vdb_finish_sources(struct bw_vulndb *db, struct bw_error *err)
{
	sqlite3_stmt *date = NULL, *cov = NULL;
	int rc = sqlite3_prepare_v2(
	    db->db, "UPDATE sources SET data_date = max(coalesce(data_date, ''), ?2) WHERE name = ?1", -1,
	    &date, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(
		    db->db,
		    "INSERT INTO coverage VALUES(?1, ?2, ?3) ON CONFLICT(ecosystem, source)"
		    " DO UPDATE SET advisories = advisories + excluded.advisories",
		    -1, &cov, NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < db->n_touched; i++) {
		const struct vdb_touched *t = &db->touched[i];
		if (vdb_note_source(db, t->name, t->location, NULL, err) < 0) {
			sqlite3_finalize(date);
			sqlite3_finalize(cov);
			return err->code;
		}
		if (!t->date)
			continue;
		sqlite3_bind_text(date, 1, t->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(date, 2, t->date, -1, SQLITE_STATIC);
		rc = sqlite3_step(date) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db->db);
		sqlite3_reset(date);
	}
	for (size_t i = 0; rc == SQLITE_OK && i < db->n_cov; i++) {
		if (!db->cov[i].delta)
			continue;
		sqlite3_bind_text(cov, 1, db->cov[i].ecosystem, -1, SQLITE_STATIC);
		sqlite3_bind_text(cov, 2, db->cov[i].source, -1, SQLITE_STATIC);
		sqlite3_bind_int64(cov, 3, db->cov[i].delta);
		rc = sqlite3_step(cov) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db->db);
		sqlite3_reset(cov);
	}
	sqlite3_finalize(date);
	sqlite3_finalize(cov);
	if (rc == SQLITE_OK && db->n_cov)
		rc = sqlite3_exec(db->db, "DELETE FROM coverage WHERE advisories <= 0", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return vdb_sqlite_error(db, rc, "recording sources", err);
	return 0;
}

/* ---- shared helpers of the parsers ---- */

void vdb_vectors_keep(struct vdb_vectors *k, const char *vector, int r)
{
	for (size_t i = 0; i < k->n; i++)
		if (strcmp(k->v[i], vector) == 0)
			return;
	size_t at = k->n;
	while (at > 0 && k->rank[at - 1] < r)
		at--;
	if (at == BW_VULNDB_MAX_CVSS)
		return;
	if (k->n == BW_VULNDB_MAX_CVSS)
		k->n--;
	memmove(k->v + at + 1, k->v + at, (k->n - at) * sizeof(*k->v));
	memmove(k->rank + at + 1, k->rank + at, (k->n - at) * sizeof(*k->rank));
	k->v[at] = vector;
	k->rank[at] = r;
	k->n++;
}

const char *vdb_vectors_join(const struct vdb_vectors *k, struct bw_arena *ar)
{
	if (!k->n)
		return NULL;
	struct bw_buf enc;
	bw_buf_init(&enc, (BW_CVSS_MAX_VECTOR + 1) * BW_VULNDB_MAX_CVSS);
	for (size_t i = 0; i < k->n; i++)
		bw_buf_printf(&enc, "%s%s", i ? "\n" : "", k->v[i]);
	const char *out = bw_arena_strndup(ar, enc.data, enc.len);
	bw_buf_release(&enc);
	return out;
}

void vdb_refs_add(struct bw_buf *b, size_t *n, const char *url)
{
	if (!url || *n >= VDB_MAX_REFS)
		return;
	size_t len = strlen(url);
	if (len < 10 || len > VDB_MAX_URL ||
	    (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0))
		return;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7f)
			return;
	/* once each: a line of the list equal to url */
	for (const char *p = b->data; p && p < b->data + b->len;) {
		const char *e = memchr(p, '\n', (size_t)(b->data + b->len - p));
		size_t l = e ? (size_t)(e - p) : (size_t)(b->data + b->len - p);
		if (l == len && memcmp(p, url, len) == 0)
			return;
		p += l + 1;
	}
	if ((!b->len || bw_buf_add(b, "\n", 1) == 0) && bw_buf_add(b, url, len) == 0)
		(*n)++;
}
