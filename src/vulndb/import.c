/* db import: walk the paths, recognise each file's format from its content
 * (and an archive's or a compressed file's from its first bytes), and store
 * what it holds, all in one transaction. A named path that yields nothing
 * fails the import: a typo or an empty download never passes for data. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <zip.h>

#include "vulndb-int.h"

/* Bytes read before a file's format is decided. */
#define HEAD 65536

#define MAX_DEPTH 16

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && strcmp(s + n - m, suf) == 0;
}

struct store_ctx {
	struct bw_vulndb *db;
	struct bw_vulndb_import_stats *st;
	const char *date; /* the source's data date when its advisories carry none */
};

static int store_ctx_cb(void *ud, struct vdb_advisory *a, struct bw_error *err)
{
	struct store_ctx *c = ud;
	bool seen = false;
	for (size_t i = 0; i < c->db->n_touched; i++)
		if (strcmp(c->db->touched[i].name, a->source) == 0)
			seen = true;
	if (!seen && strcmp(a->origin, "osv") != 0 && vdb_clear_source(c->db, a->source, err) < 0)
		return err->code;
	vdb_touch(c->db, a->source, c->date);
	return vdb_store(c->db, a, c->st, err);
}

/* The modification time of the input being read as an RFC 3339 date (the
 * data date of a secdb document, which carries none of its own). */
static const char *mtime_date(const struct bw_vulndb *db, char out[32])
{
	if (!db || db->cur_mtime <= 0)
		return NULL;
	time_t t = (time_t)db->cur_mtime;
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return NULL;
	return out;
}

/* A CVE record or an NVD CVE object: skipped like a malformed OSV record
 * when it cannot be used. */
static int cve_entry(struct bw_vulndb *db, json_t *doc, bool cve5, const char *name,
		     struct bw_vulndb_import_stats *st, struct bw_error *err)
{
	struct bw_error perr = BW_ERROR_INIT;
	int rc = cve5 ? vdb_cve5_record(db, doc, name, st, &perr) : vdb_nvd_cve(db, doc, name, st, &perr);
	if (rc < 0 && perr.code == BW_EINPUT) {
		st->skipped++;
		vdb_sample(st, "%s", perr.msg);
		return 0;
	}
	if (rc < 0)
		*err = perr;
	return rc;
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

/* One JSON value parsed under the tree budget, or NULL: skipped and counted
 * as a malformed record. at: where the value starts in the file (for the
 * line in messages). */
static json_t *load_value(const char *name, const char *file, const char *at, size_t len,
			  struct bw_vulndb_import_stats *st)
{
	json_error_t jerr;
	bool too_big = false;
	json_t *doc = bw_json_loadb(at, len, JSON_DECODE_ANY, BW_JSON_TREE_MAX, &jerr, &too_big);
	if (doc)
		return doc;
	st->records++;
	st->skipped++;
	size_t line = 0;
	for (const char *q = file; q < at; q++)
		line += *q == '\n';
	if (too_big)
		vdb_sample(st, "%s: the record at line %zu takes more than %zu MiB once parsed, skipped",
			   name, line + 1, BW_JSON_TREE_MAX >> 20);
	else
		vdb_sample(st, "%s: invalid JSON at line %zu: %s", name, line + (size_t)jerr.line, jerr.text);
	return NULL;
}

/* An array of OSV records, one tree at a time: a malformed element is
 * skipped as a malformed file is; an array that does not close (a cut
 * download) imports nothing. */
static int import_array(struct bw_vulndb *db, const char *name, const char *data, size_t len,
			struct bw_vulndb_import_stats *st, struct bw_error *err)
{
	size_t pos = 0;
	struct bw_slice el;
	int r;
	while ((r = bw_json_array_next(data, len, &pos, &el)) == 1)
		;
	if (r < 0) {
		st->records++;
		st->skipped++;
		vdb_sample(st, "%s: invalid JSON: an array that is cut short or malformed", name);
		return 0;
	}
	pos = 0;
	while (bw_json_array_next(data, len, &pos, &el) == 1) {
		json_t *rec = load_value(name, data, el.ptr, el.len, st);
		if (!rec)
			continue;
		int rc = osv_record(db, rec, name, st, err);
		json_decref(rec);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int import_json(struct bw_vulndb *db, const char *name, const char *data, size_t len,
		       struct bw_vulndb_import_stats *st, struct bw_error *err)
{
	if (data[0] == '[')
		return import_array(db, name, data, len, st, err);
	json_t *doc = load_value(name, data, data, len, st);
	if (!doc)
		return 0;
	int rc = 0;
	if (json_is_object(doc) && json_is_array(json_object_get(doc, "vulnerabilities")) &&
	    json_object_get(doc, "catalogVersion")) {
		rc = db ? vdb_kev_import(db, doc, name, st, err) : 0;
	} else if (json_is_object(doc) && json_is_array(json_object_get(doc, "vulnerabilities")) &&
		   (json_is_string(json_object_get(doc, "format")) ||
		    json_is_object(json_object_get(json_array_get(json_object_get(doc, "vulnerabilities"), 0),
						   "cve")))) {
		/* an NVD document the stream sniffing missed (its marker past
		 * the first bytes): the same entries, parsed whole */
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(doc, "vulnerabilities"), i, e)
		{
			if ((rc = cve_entry(db, json_object_get(e, "cve"), false, name, st, err)) < 0)
				break;
		}
	} else if (json_is_object(doc) && json_is_string(json_object_get(doc, "dataType")) &&
		   json_object_get(doc, "cveMetadata")) {
		rc = cve_entry(db, doc, true, name, st, err);
	} else if (json_is_object(doc) && json_is_string(json_object_get(doc, "id")) &&
		   (json_object_get(doc, "sourceIdentifier") || json_object_get(doc, "vulnStatus"))) {
		/* one NVD CVE object on its own (a CVE-….json of a per-CVE mirror) */
		rc = cve_entry(db, doc, false, name, st, err);
	} else if (json_is_object(doc) && json_object_get(doc, "distroversion") &&
		   json_object_get(doc, "packages")) {
		char date[32];
		struct store_ctx c = {db, st, mtime_date(db, date)};
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

/* nvd_known: the caller has sniffed for an NVD document already. */
static int import_bytes(struct bw_vulndb *db, const char *name, const char *data, size_t len, bool nvd_known,
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
		struct store_ctx c = {db, st, NULL};
		int rc = vdb_tracker_parse(p, n, name, db ? store_ctx_cb : NULL, &c, st, err);
		return rc < 0 ? rc : 0;
	}
	if ((n > 14 && memcmp(p, "#model_version", 14) == 0) ||
	    (n > 15 && memcmp(p, "cve,epss,percen", 15) == 0))
		return db ? vdb_epss_import(db, p, n, name, st, err) : 0;
	if (!nvd_known && vdb_nvd_sniff(p, n)) {
		/* the same splitter that streams a large file */
		struct vdb_nvd_stream *ns = vdb_nvd_stream_new(db, name, st);
		struct bw_error perr = BW_ERROR_INIT;
		int rc = vdb_nvd_stream_feed(ns, p, n, &perr);
		if (rc == 0)
			rc = vdb_nvd_stream_end(ns, NULL, &perr);
		vdb_nvd_stream_free(ns);
		if (rc < 0 && perr.code != BW_EINPUT && perr.code != BW_ELIMIT) {
			*err = perr;
			return rc;
		}
		if (rc < 0) {
			st->skipped++;
			vdb_sample(st, "%s", perr.msg);
		}
		return 0;
	}
	if (n && (p[0] == '{' || p[0] == '['))
		return import_json(db, name, p, n, st, err);
	st->ignored_files++;
	vdb_sample(st, "%s: not a format bulwark imports, ignored", name);
	return 0;
}

struct zip_reader {
	zip_file_t *zf;
	const char *name;
};

static long zip_read(void *ud, char *buf, size_t len, struct bw_error *err)
{
	struct zip_reader *r = ud;
	zip_int64_t got = zip_fread(r->zf, buf, len);
	if (got < 0)
		return bw_error_set(err, BW_EINPUT, "%s: corrupt entry: %s", r->name,
				    zip_file_strerror(r->zf));
	return (long)got;
}

int vdb_import_bytes(struct bw_vulndb *db, const char *name, const char *data, size_t len,
		     struct bw_vulndb_import_stats *st, struct bw_error *err)
{
	return import_bytes(db, name, data, len, false, st, err);
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
	int rc = 0;
	for (zip_int64_t i = 0; i < n && rc == 0; i++) {
		zip_stat_t zs;
		if (zip_stat_index(z, (zip_uint64_t)i, 0, &zs) < 0 || !(zs.valid & ZIP_STAT_NAME))
			continue;
		if (!has_suffix(zs.name, ".json"))
			continue;
		char name[512];
		snprintf(name, sizeof(name), "%s:%s", path, zs.name);
		db->cur_mtime = (zs.valid & ZIP_STAT_MTIME) ? (int64_t)zs.mtime : 0;
		zip_file_t *zf = zip_fopen_index(z, (zip_uint64_t)i, 0);
		if (!zf) {
			rc = bw_error_set(err, BW_EINPUT, "%s: cannot read: %s", name, zip_strerror(z));
			break;
		}
		struct zip_reader r = {zf, name};
		rc = vdb_import_stream(db, name, zip_read, &r, st, err);
		zip_fclose(zf);
		if (rc == BW_ELIMIT) {
			/* one oversized entry is skipped, the archive goes on */
			st->records++;
			st->skipped++;
			vdb_sample(st, "%s", err->msg);
			bw_error_clear(err);
			rc = 0;
		}
	}
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

int vdb_import_stream(struct bw_vulndb *db, const char *name, vdb_read_fn read, void *ud,
		      struct bw_vulndb_import_stats *st, struct bw_error *err)
{
	struct bw_buf b;
	bw_buf_init(&b, VDB_MAX_FILE);
	char *chunk = bw_malloc(HEAD);
	int rc = 0;
	/* the head decides: an NVD document streams, anything else is read whole */
	while (rc == 0 && b.len < HEAD) {
		long got = read(ud, chunk, HEAD - b.len, err);
		if (got < 0)
			rc = err->code;
		else if (got == 0)
			break;
		else
			bw_buf_add(&b, chunk, (size_t)got);
	}
	if (rc == 0 && vdb_nvd_sniff(b.data, b.len)) {
		st->files++;
		struct vdb_nvd_stream *ns = vdb_nvd_stream_new(db, name, st);
		struct bw_error perr = BW_ERROR_INIT;
		int prc = vdb_nvd_stream_feed(ns, b.data, b.len, &perr);
		for (long got; prc == 0 && rc == 0;) {
			got = read(ud, chunk, HEAD, err);
			if (got < 0)
				rc = err->code;
			else if (got == 0)
				break;
			else
				prc = vdb_nvd_stream_feed(ns, chunk, (size_t)got, &perr);
		}
		if (rc == 0 && prc == 0)
			prc = vdb_nvd_stream_end(ns, NULL, &perr);
		vdb_nvd_stream_free(ns);
		if (rc == 0 && prc < 0) {
			if (perr.code == BW_EINPUT || perr.code == BW_ELIMIT) {
				/* a cut or broken document: what was whole is kept, counted */
				st->skipped++;
				vdb_sample(st, "%s", perr.msg);
			} else {
				*err = perr;
				rc = prc;
			}
		}
	} else if (rc == 0) {
		for (long got; rc == 0;) {
			got = read(ud, chunk, HEAD, err);
			if (got < 0)
				rc = err->code;
			else if (got == 0)
				break;
			else if (bw_buf_add(&b, chunk, (size_t)got) < 0)
				rc = bw_error_set(err, BW_ELIMIT, "%s: larger than %u MB", name,
						  VDB_MAX_FILE >> 20);
		}
		if (rc == 0)
			rc = import_bytes(db, name, b.data, b.len, true, st, err);
	}
	free(chunk);
	bw_buf_release(&b);
	return rc;
}

struct fd_reader {
	int fd;
	const char *path;
};

static long fd_read(void *ud, char *buf, size_t len, struct bw_error *err)
{
	struct fd_reader *r = ud;
	for (;;) {
		ssize_t n = read(r->fd, buf, len);
		if (n >= 0)
			return (long)n;
		if (errno != EINTR)
			return bw_error_sys(err, BW_EIO, "cannot read %s", r->path);
	}
}

/* Compressed data or a tar archive: gzip, zstd, xz, bzip2, or "ustar" at
 * offset 257. */
static bool archive_magic(const unsigned char *m, size_t n)
{
	return (n >= 2 && m[0] == 0x1f && m[1] == 0x8b) ||
	       (n >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd) ||
	       (n >= 6 && memcmp(m,
				 "\xfd"
				 "7zXZ\0",
				 6) == 0) ||
	       (n >= 3 && memcmp(m, "BZh", 3) == 0) || (n >= 262 && memcmp(m + 257, "ustar", 5) == 0);
}

static int import_file(struct bw_vulndb *db, const char *path, bool named, struct bw_vulndb_import_stats *st,
		       struct bw_error *err)
{
	bw_autoclose int fd = open(path, O_RDONLY | O_CLOEXEC | (named ? 0 : O_NOFOLLOW));
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) < 0)
		return bw_error_sys(err, BW_EIO, "cannot read %s", path);
	db->cur_mtime = (int64_t)sb.st_mtime;
	unsigned char magic[512];
	ssize_t m = pread(fd, magic, sizeof(magic), 0);
	if (m < 0)
		return bw_error_sys(err, BW_EIO, "cannot read %s", path);
	if ((m >= 4 && memcmp(magic, "PK\3\4", 4) == 0) || (m >= 4 && memcmp(magic, "PK\5\6", 4) == 0) ||
	    has_suffix(path, ".zip"))
		return vdb_import_zip(db, path, st, err);
	if (archive_magic(magic, (size_t)m))
		return vdb_import_archive(db, path, st, err);
	struct fd_reader r = {fd, path};
	return vdb_import_stream(db, path, fd_read, &r, st, err);
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
	/* never read as data: line-delimited copies, docs, checksums */
	static const char *const skip_suffix[] = {".jsonl", ".ndjson", ".md", ".sha256"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(skip_suffix); i++)
		if (has_suffix(path, skip_suffix[i])) {
			st->ignored_files++;
			if (named)
				vdb_sample(st, "%s: not imported (not a data file)", path);
			return 0;
		}
	return import_file(db, path, named, st, err);
}

/* What an input brought: advisories stored or confirmed, enrichment rows,
 * per-CVE entries. */
static size_t yield(const struct bw_vulndb_import_stats *st)
{
	return st->inserted + st->updated + st->unchanged + st->kev + st->epss + st->cves;
}

int bw_vulndb_import(struct bw_vulndb *db, const char *const *paths, size_t n,
		     struct bw_vulndb_import_stats *st, struct bw_error *err)
{
	double t0 = bw_now();
	memset(st, 0, sizeof(*st));
	vdb_touch_reset(db);
	if (vdb_begin(db, err) < 0)
		return err->code;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		db->cur_location = paths[i];
		struct bw_vulndb_import_stats before = *st;
		rc = import_path(db, paths[i], 0, true, st, err);
		if (rc == 0 && yield(st) == yield(&before))
			rc = bw_error_set(
			    err, BW_EINPUT,
			    "%s: nothing imported (%zu files read: %zu of no known format, %zu "
			    "malformed records)%s%s",
			    paths[i], st->files - before.files, st->ignored_files - before.ignored_files,
			    st->skipped - before.skipped,
			    st->n_samples > before.n_samples ? "; the first: " : "",
			    st->n_samples > before.n_samples ? st->samples[before.n_samples] : "");
	}
	db->cur_location = NULL;
	db->cur_mtime = 0;
	if (rc == 0)
		rc = vdb_finish_sources(db, err);
	if (rc == 0)
		rc = vdb_commit(db, err);
	else
		vdb_rollback(db);
	vdb_touch_reset(db);
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
	int rc = vdb_import_bytes(NULL, "input", data, len, st, err);
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
