/* db import: walk the paths, recognise each file's format from its content,
 * and store what it holds, all in one transaction. */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <zip.h>

#include "vulndb-int.h"

#define MAX_DEPTH 16

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && strcmp(s + n - m, suf) == 0;
}

struct store_ctx {
	struct bw_vulndb *db;
	struct bw_vulndb_import_stats *st;
};

static int store_ctx_cb(void *ud, struct vdb_advisory *a, struct bw_error *err)
{
	struct store_ctx *c = ud;
	bool seen = false;
	for (size_t i = 0; i < c->db->n_touched; i++)
		if (strcmp(c->db->touched[i], a->source) == 0)
			seen = true;
	if (!seen && strcmp(a->origin, "osv") != 0 && vdb_clear_source(c->db, a->source, err) < 0)
		return err->code;
	return vdb_store(c->db, a, c->st, err);
}

static int osv_record(struct bw_vulndb *db, json_t *rec, const char *name, struct bw_vulndb_import_stats *st,
		      struct bw_error *err)
{
	struct vdb_advisory a;
	vdb_advisory_init(&a);
	struct bw_error perr = BW_ERROR_INIT;
	st->records++;
	int rc = 0;
	if (vdb_osv_parse(rec, &a, st, &perr) < 0) {
		st->skipped++;
		vdb_sample(st, "%s: %s", name, perr.msg);
	} else if (db) {
		rc = vdb_store(db, &a, st, err);
	}
	vdb_advisory_release(&a);
	return rc;
}

static bool looks_like_tracker(const char *p, size_t n)
{
	/* "[29 Mar 2023] D" */
	return n > 15 && p[0] == '[' && bw_isdigit(p[1]) && p[3] == ' ' && p[7] == ' ' && p[12] == ']';
}

static int import_json(struct bw_vulndb *db, const char *name, const char *data, size_t len,
		       struct bw_vulndb_import_stats *st, struct bw_error *err)
{
	json_error_t jerr;
	json_t *doc = json_loadb(data, len, 0, &jerr);
	if (!doc) {
		st->records++;
		st->skipped++;
		vdb_sample(st, "%s: invalid JSON at line %d: %s", name, jerr.line, jerr.text);
		return 0;
	}
	int rc = 0;
	if (json_is_array(doc)) {
		size_t i;
		json_t *rec;
		json_array_foreach(doc, i, rec)
		{
			if ((rc = osv_record(db, rec, name, st, err)) < 0)
				break;
		}
	} else if (json_is_object(doc) && json_is_array(json_object_get(doc, "vulnerabilities")) &&
		   json_object_get(doc, "catalogVersion")) {
		rc = db ? vdb_kev_import(db, doc, name, st, err) : 0;
	} else if (json_is_object(doc) && json_object_get(doc, "distroversion") &&
		   json_object_get(doc, "packages")) {
		struct store_ctx c = {db, st};
		rc = vdb_secdb_parse(doc, name, db ? store_ctx_cb : NULL, &c, st, err);
		if (rc < 0 && err->code == BW_EINPUT) {
			/* a malformed secdb document is skipped like a malformed record */
			st->skipped++;
			vdb_sample(st, "%s", err->msg);
			bw_error_clear(err);
			rc = 0;
		}
	} else if (json_is_object(doc) && (json_object_get(doc, "id") || json_object_get(doc, "affected") ||
					   json_object_get(doc, "schema_version"))) {
		rc = osv_record(db, doc, name, st, err);
	} else {
		st->ignored_files++;
		vdb_sample(st, "%s: JSON of no known format, ignored", name);
	}
	json_decref(doc);
	return rc;
}

int vdb_import_bytes(struct bw_vulndb *db, const char *name, const char *data, size_t len,
		     struct bw_vulndb_import_stats *st, struct bw_error *err)
{
	st->files++;
	size_t i = 0;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
		i++;
	const char *p = data + i;
	size_t n = len - i;
	if (looks_like_tracker(p, n)) {
		struct store_ctx c = {db, st};
		int rc = vdb_tracker_parse(p, n, name, db ? store_ctx_cb : NULL, &c, st, err);
		return rc < 0 ? rc : 0;
	}
	if ((n > 14 && memcmp(p, "#model_version", 14) == 0) ||
	    (n > 15 && memcmp(p, "cve,epss,percen", 15) == 0))
		return db ? vdb_epss_import(db, p, n, name, st, err) : 0;
	if (n && (p[0] == '{' || p[0] == '['))
		return import_json(db, name, p, n, st, err);
	st->ignored_files++;
	vdb_sample(st, "%s: not a format bulwark imports, ignored", name);
	return 0;
}

int vdb_import_zip(struct bw_vulndb *db, const char *path, struct bw_vulndb_import_stats *st,
		   struct bw_error *err)
{
	int zerr = 0;
	zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
	if (!z) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		int rc = bw_error_set(err, BW_EINPUT, "%s: not a readable zip archive: %s", path,
				      zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return rc;
	}
	zip_int64_t n = zip_get_num_entries(z, 0);
	struct bw_buf b;
	bw_buf_init(&b, VDB_MAX_FILE);
	int rc = 0;
	for (zip_int64_t i = 0; i < n && rc == 0; i++) {
		zip_stat_t zs;
		if (zip_stat_index(z, (zip_uint64_t)i, 0, &zs) < 0 || !(zs.valid & ZIP_STAT_NAME))
			continue;
		if (!has_suffix(zs.name, ".json"))
			continue;
		char name[512];
		snprintf(name, sizeof(name), "%s:%s", path, zs.name);
		if ((zs.valid & ZIP_STAT_SIZE) && zs.size > VDB_MAX_FILE) {
			st->records++;
			st->skipped++;
			vdb_sample(st, "%s: larger than %u MB, skipped", name, VDB_MAX_FILE >> 20);
			continue;
		}
		zip_file_t *zf = zip_fopen_index(z, (zip_uint64_t)i, 0);
		if (!zf) {
			rc = bw_error_set(err, BW_EINPUT, "%s: cannot read: %s", name, zip_strerror(z));
			break;
		}
		bw_buf_reset(&b);
		char chunk[65536];
		zip_int64_t got;
		while ((got = zip_fread(zf, chunk, sizeof(chunk))) > 0) {
			if (bw_buf_add(&b, chunk, (size_t)got) < 0) {
				rc = bw_error_set(err, BW_ELIMIT, "%s: entry larger than its stated size",
						  name);
				break;
			}
		}
		if (got < 0 && rc == 0)
			rc = bw_error_set(err, BW_EINPUT, "%s: corrupt entry: %s", name,
					  zip_file_strerror(zf));
		zip_fclose(zf);
		if (rc == 0)
			rc = vdb_import_bytes(db, name, b.data, b.len, st, err);
	}
	bw_buf_release(&b);
	zip_discard(z);
	return rc;
}

static int import_path(struct bw_vulndb *db, const char *path, int depth, bool named,
		       struct bw_vulndb_import_stats *st, struct bw_error *err);

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int import_dir(struct bw_vulndb *db, const char *path, int depth, struct bw_vulndb_import_stats *st,
		      struct bw_error *err)
{
	if (depth > MAX_DEPTH)
		return bw_error_set(err, BW_ELIMIT, "%s: directories nested deeper than %d", path, MAX_DEPTH);
	DIR *d = opendir(path);
	if (!d)
		return bw_error_sys(err, BW_EIO, "cannot read directory %s", path);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = bw_realloc(names, cap * sizeof(char *));
		}
		names[n++] = bw_strdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(char *), name_cmp);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (rc == 0) {
			char *child = bw_asprintf("%s/%s", path, names[i]);
			rc = import_path(db, child, depth + 1, false, st, err);
			free(child);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

static int import_path(struct bw_vulndb *db, const char *path, int depth, bool named,
		       struct bw_vulndb_import_stats *st, struct bw_error *err)
{
	struct stat sb;
	if ((named ? stat(path, &sb) : lstat(path, &sb)) < 0)
		return bw_error_sys(err, named ? BW_ENOTFOUND : BW_EIO, "cannot read %s", path);
	if (S_ISLNK(sb.st_mode)) {
		/* inside a walked directory: files through links yes, directories no (loops) */
		if (stat(path, &sb) < 0 || S_ISDIR(sb.st_mode))
			return 0;
	}
	if (S_ISDIR(sb.st_mode))
		return import_dir(db, path, depth, st, err);
	if (!S_ISREG(sb.st_mode))
		return named ? bw_error_set(err, BW_EINPUT, "%s is not a file or directory", path) : 0;
	if (has_suffix(path, ".zip"))
		return vdb_import_zip(db, path, st, err);
	/* never read as data: line-delimited copies, archives still to extract, docs */
	static const char *const skip_suffix[] = {".jsonl", ".ndjson", ".tar.zst", ".tar.gz",
						  ".tgz",   ".md",     ".sha256"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(skip_suffix); i++)
		if (has_suffix(path, skip_suffix[i])) {
			st->ignored_files++;
			if (named || has_suffix(path, ".tar.zst") || has_suffix(path, ".tar.gz"))
				vdb_sample(st, "%s: not imported (%s)", path,
					   strstr(skip_suffix[i], "tar") ? "extract the archive first"
									 : "not a data file");
			return 0;
		}
	if ((uint64_t)sb.st_size > VDB_MAX_FILE)
		return bw_error_set(err, BW_ELIMIT, "%s: larger than %u MB", path, VDB_MAX_FILE >> 20);
	struct bw_buf b;
	bw_buf_init(&b, VDB_MAX_FILE);
	int rc = bw_buf_read_file(&b, path, err);
	if (rc == 0)
		rc = vdb_import_bytes(db, path, b.data, b.len, st, err);
	bw_buf_release(&b);
	return rc;
}

static int finish_sources(struct bw_vulndb *db, struct bw_error *err)
{
	for (size_t i = 0; i < db->n_touched; i++)
		if (vdb_note_source(db, db->touched[i], db->touched_loc[i], NULL, err) < 0)
			return err->code;
	return vdb_refresh_data_dates(db, err);
}

static void reset_touched(struct bw_vulndb *db)
{
	for (size_t i = 0; i < db->n_touched; i++) {
		free(db->touched[i]);
		free(db->touched_loc[i]);
	}
	db->n_touched = 0;
}

int bw_vulndb_import(struct bw_vulndb *db, const char *const *paths, size_t n,
		     struct bw_vulndb_import_stats *st, struct bw_error *err)
{
	double t0 = bw_now();
	memset(st, 0, sizeof(*st));
	reset_touched(db);
	if (vdb_begin(db, err) < 0)
		return err->code;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		db->cur_location = paths[i];
		rc = import_path(db, paths[i], 0, true, st, err);
	}
	db->cur_location = NULL;
	if (rc == 0)
		rc = finish_sources(db, err);
	if (rc == 0)
		rc = vdb_commit(db, err);
	else
		vdb_rollback(db);
	reset_touched(db);
	st->seconds = bw_now() - t0;
	return rc;
}

int bw_vulndb_check_osv(const void *data, size_t len, struct bw_vulndb_import_stats *st, struct bw_error *err)
{
	struct bw_vulndb_import_stats local;
	if (!st) {
		memset(&local, 0, sizeof(local));
		st = &local;
	}
	size_t skipped = st->skipped;
	int rc = import_json(NULL, "input", data, len, st, err);
	if (rc < 0)
		return rc;
	if (st->skipped > skipped)
		return bw_error_set(err, BW_EINPUT, "%s",
				    st->n_samples ? st->samples[st->n_samples - 1] : "skipped");
	return 0;
}

int bw_vulndb_check_tracker(const void *data, size_t len, struct bw_vulndb_import_stats *st,
			    struct bw_error *err)
{
	struct bw_vulndb_import_stats local;
	if (!st) {
		memset(&local, 0, sizeof(local));
		st = &local;
	}
	return vdb_tracker_parse(data, len, "input", NULL, NULL, st, err);
}
