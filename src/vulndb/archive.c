/* Archives and compressed files of advisories, read through libarchive
 * entry by entry, never extracted: a tar (plain or compressed with gzip,
 * zstd, xz or bzip2: OSV's and the project's *.tar.zst, *.tar.gz) whose
 * regular files are imported as if they were files of a directory, or one
 * compressed file (an NVD yearly feed *.json.gz, EPSS *.csv.gz) imported as
 * that file. Each entry is bounded as a file is (VDB_MAX_FILE, an NVD
 * document excepted: it streams); an entry over the bound is skipped and
 * counted, a corrupt or truncated archive fails the import. Entry names
 * only name things in messages. */
#include <archive.h>
#include <archive_entry.h>

#include "vulndb-int.h"

/* Entries walked in one archive at most (a bomb of empty entries). */
#define MAX_ENTRIES 10000000

struct ar_reader {
	struct archive *a;
	const char *name;
};

static long ar_read(void *ud, char *buf, size_t len, struct bw_error *err)
{
	struct ar_reader *r = ud;
	la_ssize_t n = archive_read_data(r->a, buf, len);
	if (n < 0)
		return bw_error_set(err, BW_EINPUT, "%s: corrupt or truncated archive: %s", r->name,
				    archive_error_string(r->a) ? archive_error_string(r->a) : "read error");
	return (long)n;
}

int vdb_import_archive(struct bw_vulndb *db, const char *path, struct bw_vulndb_import_stats *st,
		       struct bw_error *err)
{
	struct archive *a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_raw(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		int rc = bw_error_set(err, BW_EINPUT, "%s: not a readable archive: %s", path,
				      archive_error_string(a) ? archive_error_string(a) : "unknown format");
		archive_read_free(a);
		return rc;
	}
	struct archive_entry *e;
	int rc = 0, r;
	size_t entries = 0;
	while (rc == 0 && (r = archive_read_next_header(a, &e)) != ARCHIVE_EOF) {
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			rc = bw_error_set(err, BW_EINPUT, "%s: corrupt or truncated archive: %s", path,
					  archive_error_string(a) ? archive_error_string(a) : "bad header");
			break;
		}
		if (++entries > MAX_ENTRIES) {
			rc = bw_error_set(err, BW_ELIMIT, "%s: more than %d entries", path, MAX_ENTRIES);
			break;
		}
		bool raw = archive_format(a) == ARCHIVE_FORMAT_RAW;
		if (!raw && archive_entry_filetype(e) != AE_IFREG)
			continue;
		const char *en = archive_entry_pathname(e);
		char *name = raw ? bw_strdup(path) : bw_asprintf("%s:%s", path, en ? en : "?");
		db->cur_mtime = archive_entry_mtime_is_set(e) ? (int64_t)archive_entry_mtime(e) : 0;
		struct ar_reader rd = {a, name};
		rc = vdb_import_stream(db, name, ar_read, &rd, st, err);
		if (rc == BW_ELIMIT && !raw) {
			/* one oversized entry is skipped, the archive goes on */
			st->records++;
			st->skipped++;
			vdb_sample(st, "%s", err->msg);
			bw_error_clear(err);
			rc = 0;
		}
		free(name);
		if (raw)
			break;
	}
	archive_read_free(a);
	return rc;
}
