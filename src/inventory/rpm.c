/* rpm: the rpm database, read through librpm's header API.
 *
 * Three backends hold the same thing, one rpm header blob per installed
 * package:
 * - rpmdb.sqlite (rpm >= 4.16: Fedora 33+, RHEL/Alma/Rocky 9): table
 *   Packages(hnum INTEGER PRIMARY KEY, blob BLOB). We open the bytes as an
 *   in-memory SQLite database (sqlite3_deserialize, read-only).
 * - Packages (BerkeleyDB Hash or BTree, RHEL/CentOS <= 8, Amazon Linux 2):
 *   rpm_bdb.c.
 * - Packages.db (ndb, SUSE): rpm_ndb.c.
 * The format is told by the file's magic (by its name when it has none we
 * know), and nothing is written anywhere: every reader works on the bytes in
 * memory and hands each blob to headerImport().
 * From each header: NAME, VERSION, RELEASE, EPOCH, ARCH, SOURCERPM
 * ("glibc-2.34-60.el9.src.rpm": source name and version-release), LICENSE,
 * VENDOR and DISTRIBUTION (the purl namespace, whatever the image's OS),
 * MODULARITYLABEL, and the owned files (BASENAMES/DIRNAMES/DIRINDEXES via
 * the FILENAMES extension). The version reported is "[EPOCH:]VERSION-RELEASE";
 * gpg-pubkey pseudo-packages are not packages.
 *
 * librpm keeps global state, so calls into it are serialised with one lock;
 * layers of other kinds still run in parallel.
 */
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <rpm/header.h>
#include <rpm/rpmtag.h>
#include <rpm/rpmtd.h>

#include "inventory-int.h"

static pthread_mutex_t rpm_lock = PTHREAD_MUTEX_INITIALIZER; /* librpm is not thread-safe */

/* The purl namespace of an rpm, from its VENDOR ("Fedora Project", "Red
 * Hat, Inc.", "AlmaLinux", "SUSE LLC <https://www.suse.com/>") or
 * DISTRIBUTION tag: a known distribution's name, else the vendor's first
 * word in lower case; NULL when the header has neither. */
static const char *rpm_namespace(struct inv_layer *l, const char *vendor, const char *distribution)
{
	static const struct {
		const char *word, *ns;
	} known[] = {
	    {"openSUSE", "opensuse"},
	    {"SUSE", "suse"},
	    {"Fedora", "fedora"},
	    {"Red Hat", "redhat"},
	    {"CentOS", "centos"},
	    {"AlmaLinux", "almalinux"},
	    {"Rocky", "rocky"},
	    {"Oracle", "oracle"},
	    {"Amazon", "amazon"},
	    {"Mariner", "mariner"},
	    {"Azure Linux", "azurelinux"},
	    {"Photon", "photon"},
	    {"Mageia", "mageia"},
	    {"OpenMandriva", "openmandriva"},
	};
	const char *tags[] = {vendor, distribution};
	for (size_t t = 0; t < BW_ARRAY_SIZE(tags); t++)
		for (size_t i = 0; tags[t] && i < BW_ARRAY_SIZE(known); i++)
			if (strstr(tags[t], known[i].word))
				return known[i].ns;
	const char *v = vendor && *vendor ? vendor : distribution;
	if (!v)
		return NULL;
	char ns[64];
	size_t n = 0;
	for (; v[n] && n < sizeof(ns) - 1 && (bw_isalnum(v[n]) || v[n] == '-' || v[n] == '.' || v[n] == '_');
	     n++)
		ns[n] = bw_tolower(v[n]);
	return n ? inv_strndup(l, ns, n) : NULL;
}

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
	size_t p_i = inv_record_add_pkg(l, rec);
	struct inv_pkg *p = &rec->pkgs[p_i];
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
	const char *vendor = headerGetString(h, RPMTAG_VENDOR);
	p->purl_ns = rpm_namespace(l, vendor, headerGetString(h, RPMTAG_DISTRIBUTION));
	if (vendor && *vendor) {
		p->supplier = inv_strdup(l, vendor);
		p->supplier_org = true;
	}
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

bool inv_rpm_blob(struct inv_rpm_sink *s, const void *blob, size_t len)
{
	if (len < 16 || len > UINT_MAX)
		return false;
	pthread_mutex_lock(&rpm_lock);
	Header h = headerImport((void *)blob, (unsigned)len, HEADERIMPORT_COPY);
	bool ok = h != NULL;
	if (ok) {
		take_header(s->l, s->rec, h);
		headerFree(h);
		s->n_headers++;
	}
	pthread_mutex_unlock(&rpm_lock);
	return ok;
}

void inv_rpm_problem(struct inv_rpm_sink *s, const char *fmt, ...)
{
	if (s->n_problems++ == 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(s->first, sizeof(s->first), fmt, ap);
		va_end(ap);
	}
}

static void read_sqlite(struct inv_rpm_sink *s, const unsigned char *data, size_t len)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		inv_rpm_problem(s, "cannot open an in-memory database");
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
		inv_rpm_problem(s, "not an SQLite database");
		sqlite3_close(db);
		return;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT hnum, blob FROM Packages", -1, &st, NULL) != SQLITE_OK) {
		inv_rpm_problem(s, "not an rpm database: %s", sqlite3_errmsg(db));
		sqlite3_close(db);
		return;
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const void *blob = sqlite3_column_blob(st, 1);
		int bl = sqlite3_column_bytes(st, 1);
		if (blob && bl > 0 && !inv_rpm_blob(s, blob, (size_t)bl))
			inv_rpm_problem(s, "package %lld: not a valid package header",
					sqlite3_column_int64(st, 0));
	}
	if (rc != SQLITE_DONE)
		inv_rpm_problem(s, "reading stopped: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static bool bdb_magic(const unsigned char *d, size_t len)
{
	/* Hash and BTree, each little- and big-endian */
	static const unsigned char magic[][4] = {{0x61, 0x15, 0x06, 0x00},
						 {0x00, 0x06, 0x15, 0x61},
						 {0x62, 0x31, 0x05, 0x00},
						 {0x00, 0x05, 0x31, 0x62}};
	for (size_t i = 0; len >= 16 && i < BW_ARRAY_SIZE(magic); i++)
		if (memcmp(d + 12, magic[i], 4) == 0)
			return true;
	return false;
}

void inv_parse_rpmdb(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	const unsigned char *d = (const unsigned char *)data;
	const char *base = strrchr(rec->path, '/') + 1;
	struct inv_rpm_sink s = {.l = l, .rec = rec};
	if (len >= 16 && memcmp(d, "SQLite format 3", 16) == 0)
		read_sqlite(&s, d, len);
	else if (len >= 4 && memcmp(d, "RpmP", 4) == 0)
		inv_rpm_read_ndb(&s, d, len);
	else if (bdb_magic(d, len))
		inv_rpm_read_bdb(&s, d, len);
	else if (strcmp(base, "rpmdb.sqlite") == 0)
		read_sqlite(&s, d, len);
	else if (strcmp(base, "Packages.db") == 0)
		inv_rpm_read_ndb(&s, d, len);
	else
		inv_rpm_read_bdb(&s, d, len);
	if (s.n_problems == 0)
		return;
	char more[64] = "";
	if (s.n_problems > 1)
		snprintf(more, sizeof(more), "; %zu more problem%s", s.n_problems - 1,
			 s.n_problems > 2 ? "s" : "");
	inv_record_note(l, rec, "%s: %s%s; %zu package%s read", rec->path, s.first, more, s.n_headers,
			s.n_headers == 1 ? "" : "s");
}
