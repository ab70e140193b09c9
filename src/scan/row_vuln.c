/* The vulnerability row: no analyzer of its own; after the packages row
 * has put the packages in the report, match them against the database. */
#include "scan-int.h"
#include "match/match.h"
#include "vulndb/vulndb.h"

static int vuln_begin(struct bw_scan *s, void **state, struct bw_error *err)
{
	*state = NULL;
	return 0;
}

/* Remember which ecosystems scans need, for `db update`. */
static void note_ecosystems(struct bw_vulndb *db, const struct bw_report *r)
{
	const char *ecos[32];
	size_t n = 0;
	for (size_t i = 0; i < r->n_packages && n < BW_ARRAY_SIZE(ecos); i++) {
		const char *e = r->packages[i].ecosystem;
		if (!e)
			continue;
		bool seen = false;
		for (size_t k = 0; k < n && !seen; k++)
			seen = strcmp(ecos[k], e) == 0;
		if (!seen)
			ecos[n++] = e;
	}
	bw_vulndb_note_ecosystems(db, ecos, n);
}

static int vuln_finish(struct bw_scan *s, void *state, struct bw_image *img, struct bw_report *r,
		       struct bw_error *err)
{
	const struct bw_scan_opts *o = s->opts;
	char *def = NULL;
	const char *path = o->db_path;
	if (!path)
		path = def = bw_vulndb_default_path();
	struct bw_vulndb *db = NULL;
	int rc = bw_vulndb_open(path, BW_VULNDB_READ, &db, err);
	free(def);
	if (rc == BW_ENOTFOUND && !(o->scanners & BW_SCAN_VULN)) {
		/* every scanner was asked for by default: scan what can be scanned */
		bw_report_warn(r, "vulnerabilities not scanned: %s", err->msg);
		bw_error_clear(err);
		return 0;
	}
	if (rc < 0)
		return rc;
	struct bw_match_opts mo = {.ignore_unfixed = o->ignore_unfixed};
	struct bw_match_stats st;
	rc = bw_match_report(db, r, &mo, &st, err);
	if (rc == 0)
		note_ecosystems(db, r);
	bw_vulndb_close(db);
	return rc;
}

const struct bw_scanner bw_scan_row_vuln = {
    .name = "vuln",
    .flag = BW_SCAN_VULN,
    .begin = vuln_begin,
    .finish = vuln_finish,
};
