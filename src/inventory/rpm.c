/* rpm: the rpm database, read through librpm's header API.
 *
 * Three backends hold the same thing, one rpm header blob per installed
 * package:
 * - rpmdb.sqlite (rpm >= 4.16: Fedora 33+, RHEL/Alma/Rocky 9): table
 *   Packages(hnum INTEGER PRIMARY KEY, blob BLOB). We open the bytes as an
 *   in-memory SQLite database (sqlite3_deserialize, read-only) and hand each
 *   blob to headerImport() — nothing touches the disk.
 * - Packages.db (ndb, SUSE) and Packages (BerkeleyDB hash, RHEL <= 8):
 *   formats only librpm's own database code reads, so the bytes go to a
 *   private temporary directory that rpmdb opens read-only (bdb_ro / ndb
 *   backends), and is removed at once.
 * From each header: NAME, VERSION, RELEASE, EPOCH, ARCH, SOURCERPM
 * ("glibc-2.34-60.el9.src.rpm": source name and version-release), LICENSE,
 * MODULARITYLABEL, and the owned files (BASENAMES/DIRNAMES/DIRINDEXES via
 * the FILENAMES extension). The version reported is "[EPOCH:]VERSION-RELEASE";
 * gpg-pubkey pseudo-packages are not packages.
 *
 * librpm keeps global state (configuration, macros), so calls into it are
 * serialised with one lock; layers of other kinds still run in parallel.
 */
#include "inventory-int.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmtd.h>
#include <rpm/rpmts.h>

#include "core/banned.h"

static pthread_mutex_t rpm_lock = PTHREAD_MUTEX_INITIALIZER; /* librpm is not thread-safe */
static bool rpm_configured;

static void take_header(struct inv_layer *l, struct inv_record *rec, Header h)
{
	const char *name = headerGetString(h, RPMTAG_NAME);
	const char *ver = headerGetString(h, RPMTAG_VERSION);
	const char *rel = headerGetString(h, RPMTAG_RELEASE);
	if (!name || !ver) {
		inv_record_note(l, rec, "%s: a header without name or version was skipped", rec->path);
		return;
	}
	if (strcmp(name, "gpg-pubkey") == 0)
		return;
	struct inv_pkg *p = inv_record_add_pkg(l, rec);
	p->is_os = true;
	p->purl_type = "rpm";
	p->name = inv_strdup(l, name);
	bool has_epoch = headerIsEntry(h, RPMTAG_EPOCH);
	uint64_t epoch = headerGetNumber(h, RPMTAG_EPOCH);
	char *v = bw_asprintf("%s%s%s%s", ver, rel ? "-" : "", rel ? rel : "", "");
	if (has_epoch && epoch) {
		char *ev = bw_asprintf("%llu:%s", (unsigned long long)epoch, v);
		free(v);
		v = ev;
	}
	p->version = inv_strndup(l, v, strlen(v));
	free(v);
	const char *arch = headerGetString(h, RPMTAG_ARCH);
	if (arch)
		p->arch = inv_strdup(l, arch);
	const char *lic = headerGetString(h, RPMTAG_LICENSE);
	if (lic)
		inv_pkg_add_license(l, p, lic, strlen(lic));
	const char *mod = headerGetString(h, RPMTAG_MODULARITYLABEL);
	if (mod && *mod)
		p->modularity = inv_strdup(l, mod);
	const char *srpm = headerGetString(h, RPMTAG_SOURCERPM);
	if (srpm && *srpm) {
		/* NAME-VERSION-RELEASE.src.rpm */
		size_t n = strlen(srpm);
		if (n > 8 && strcmp(srpm + n - 8, ".src.rpm") == 0)
			n -= 8;
		else if (n > 10 && strcmp(srpm + n - 10, ".nosrc.rpm") == 0)
			n -= 10;
		const char *d2 = NULL, *d1 = NULL;
		for (const char *q = srpm; q < srpm + n; q++)
			if (*q == '-') {
				d1 = d2;
				d2 = q;
			}
		if (d1 && d2) {
			p->source_name = inv_strndup(l, srpm, (size_t)(d1 - srpm));
			p->source_version = inv_strndup(l, d1 + 1, (size_t)(srpm + n - d1 - 1));
		}
	}
	struct rpmtd_s td;
	if (headerGet(h, RPMTAG_FILENAMES, &td, HEADERGET_EXT)) {
		const char *f;
		while ((f = rpmtdNextString(&td)))
			inv_record_own(l, rec, f, strlen(f));
		rpmtdFreeData(&td);
	}
}

static void read_sqlite(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		inv_record_note(l, rec, "%s: cannot open an in-memory database", rec->path);
		sqlite3_close(db);
		return;
	}
	/* sqlite3_deserialize takes a buffer it may keep: give it its own copy */
	unsigned char *copy = sqlite3_malloc64(len);
	if (!copy) {
		sqlite3_close(db);
		return;
	}
	memcpy(copy, data, len);
	/* a WAL-mode file (format bytes 18 and 19 = 2) cannot be opened from memory:
	 * mark the copy as a rollback-journal database, which it is once checkpointed */
	if (len > 100 && memcmp(copy, "SQLite format 3", 16) == 0 && copy[18] == 2 && copy[19] == 2)
		copy[18] = copy[19] = 1;
	if (sqlite3_deserialize(db, "main", copy, (sqlite3_int64)len, (sqlite3_int64)len,
				SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
		inv_record_note(l, rec, "%s: not an SQLite database", rec->path);
		sqlite3_close(db);
		return;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT blob FROM Packages", -1, &st, NULL) != SQLITE_OK) {
		inv_record_note(l, rec, "%s: not an rpm database: %s", rec->path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return;
	}
	int rc;
	pthread_mutex_lock(&rpm_lock);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const void *blob = sqlite3_column_blob(st, 0);
		int bl = sqlite3_column_bytes(st, 0);
		if (!blob || bl <= 0)
			continue;
		Header h = headerImport((void *)blob, (unsigned)bl, HEADERIMPORT_COPY);
		if (!h) {
			inv_record_note(l, rec, "%s: a corrupt package header was skipped", rec->path);
			continue;
		}
		take_header(l, rec, h);
		headerFree(h);
	}
	pthread_mutex_unlock(&rpm_lock);
	if (rc != SQLITE_DONE)
		inv_record_note(l, rec, "%s: reading stopped: %s", rec->path, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static int write_all(int fd, const char *d, size_t n)
{
	while (n) {
		ssize_t w = write(fd, d, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		d += w;
		n -= (size_t)w;
	}
	return 0;
}

/* ndb or BerkeleyDB: through rpmdb on a private copy. */
static void read_rpmdb_files(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len,
			     bool ndb)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/bulwark-rpmdb-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		inv_record_note(l, rec, "%s: cannot make a temporary directory: %s", rec->path, strerror(errno));
		return;
	}
	char file[4200];
	snprintf(file, sizeof(file), "%s/%s", dir, ndb ? "Packages.db" : "Packages");
	int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || write_all(fd, data, len) < 0) {
		inv_record_note(l, rec, "%s: cannot write a private copy: %s", rec->path, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(file);
		rmdir(dir);
		return;
	}
	close(fd);

	pthread_mutex_lock(&rpm_lock);
	if (!rpm_configured) {
		rpmlogSetMask(RPMLOG_UPTO(RPMLOG_EMERG)); /* messages become our warnings, not stderr */
		rpmReadConfigFiles(NULL, NULL);
		rpm_configured = true;
	}
	rpmPushMacro(NULL, "_dbpath", NULL, dir, RMIL_CMDLINE);
	rpmPushMacro(NULL, "_db_backend", NULL, ndb ? "ndb" : "bdb_ro", RMIL_CMDLINE);
	rpmts ts = rpmtsCreate();
	rpmtsSetRootDir(ts, "/");
	rpmtsSetVSFlags(ts, RPMVSF_MASK_NODIGESTS | RPMVSF_MASK_NOSIGNATURES | _RPMVSF_NOHEADER);
	size_t before = rec->n_pkgs;
	rpmdbMatchIterator mi = rpmtsInitIterator(ts, RPMDBI_PACKAGES, NULL, 0);
	if (!mi) {
		inv_record_note(l, rec, "%s: librpm cannot read this %s database", rec->path, ndb ? "ndb" : "BerkeleyDB");
	} else {
		Header h;
		while ((h = rpmdbNextIterator(mi)))
			take_header(l, rec, h);
		rpmdbFreeIterator(mi);
		if (rec->n_pkgs == before)
			inv_record_note(l, rec, "%s: no packages could be read from this database", rec->path);
	}
	rpmtsFree(ts);
	rpmPopMacro(NULL, "_db_backend");
	rpmPopMacro(NULL, "_dbpath");
	pthread_mutex_unlock(&rpm_lock);

	/* rpmdb may leave lock or index files next to ours */
	char cmdpath[4200];
	static const char *const leftovers[] = {"Packages", "Packages.db", "Index.db", ".rpm.lock", ".dbenv.lock",
						"__db.001", "__db.002", "__db.003"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(leftovers); i++) {
		snprintf(cmdpath, sizeof(cmdpath), "%s/%s", dir, leftovers[i]);
		unlink(cmdpath);
	}
	if (rmdir(dir) < 0)
		inv_record_note(l, rec, "%s: the temporary copy in %s could not be removed", rec->path, dir);
}

void inv_parse_rpmdb(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	const char *base = strrchr(rec->path, '/') + 1;
	if (strcmp(base, "rpmdb.sqlite") == 0)
		read_sqlite(l, rec, data, len);
	else
		read_rpmdb_files(l, rec, data, len, strcmp(base, "Packages.db") == 0);
}
