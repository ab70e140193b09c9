/* The vulnerability row: no analyzer of its own; after the packages row
 * has put the packages in the report, match them against the database and
 * say what the database could not check (coverage) and how old its data
 * is. */
#include <time.h>

#include "match/match.h"
#include "scan-int.h"
#include "vulndb/vulndb.h"

static int vuln_begin(struct bw_scan *s, void **state, struct bw_error *err)
{
	*state = NULL;
	return 0;
}

int bw_scan_check_distro(const char *s, struct bw_error *err)
{
	struct bw_match_distro d;
	return bw_match_parse_distro(s, &d, err);
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

/* The age of one source's data and whether it is too old; each stale
 * source is warned about once. */
static void judge_age(struct bw_report *r, struct bw_coverage_source *s, int64_t now, long max_age)
{
	struct bw_vulndb_source vs = {.name = (char *)s->name, .data_date = (char *)s->data_date};
	s->age_days = s->data_date ? bw_vulndb_source_age(&vs, now) : -1;
	bool was = s->stale;
	s->stale = max_age > 0 && s->age_days > max_age;
	if (!s->stale || was)
		return;
	for (size_t i = 0; i < r->coverage.n_entries; i++)
		for (size_t k = 0; k < r->coverage.entries[i].n_sources; k++) {
			const struct bw_coverage_source *o = &r->coverage.entries[i].sources[k];
			if (o != s && o->stale && strcmp(o->name, s->name) == 0)
				return; /* said already */
		}
	bw_report_warn(
	    r,
	    "vulnerability data of %s is %ld days old (data of %.10s, older than --db-max-age %ld); "
	    "run 'bulwark db update'",
	    s->name, s->age_days, s->data_date, max_age);
}

/* The verdict: partial when some packages were not checked, each
 * ecosystem named; stale data named. */
static void judge(struct bw_report *r, const struct bw_scan_opts *o)
{
	struct bw_coverage *c = &r->coverage;
	int64_t now = (int64_t)time(NULL);
	c->max_age = o->db_max_age;
	for (size_t i = 0; i < c->n_entries; i++) {
		struct bw_coverage_entry *e = &c->entries[i];
		if (e->reason) {
			c->partial = true;
			c->unchecked += e->packages;
			if (!c->error)
				bw_report_warn(r, "%s: %zu package%s not checked: %s", e->ecosystem,
					       e->packages, e->packages == 1 ? "" : "s", e->reason);
		}
		for (size_t k = 0; k < e->n_sources; k++)
			judge_age(r, &e->sources[k], now, c->max_age);
		struct bw_vulndb_source vs = {.data_date = (char *)e->data_date};
		e->age_days = e->data_date ? bw_vulndb_source_age(&vs, now) : -1;
		e->stale = c->max_age > 0 && e->age_days > c->max_age;
	}
	for (size_t k = 0; k < c->n_enrichment; k++)
		judge_age(r, &c->enrichment[k], now, c->max_age);
}

static int vuln_finish(struct bw_scan *s, void *state, struct bw_image *img, struct bw_report *r,
		       struct bw_error *err)
{
	const struct bw_scan_opts *o = s->opts;
	struct bw_match_distro distro;
	struct bw_match_opts mo = {.ignore_unfixed = o->ignore_unfixed, .references = o->references};
	struct bw_coverage *c = &r->coverage;
	c->present = true;
	if (o->distro) {
		int rc = bw_match_parse_distro(o->distro, &distro, err);
		if (rc < 0)
			return rc;
		mo.distro = &distro;
		c->distro =
		    bw_report_strf(r, "%s%s%s", distro.name, distro.version[0] ? ":" : "", distro.version);
		c->distro_option = true;
	} else if (r->os.id) {
		c->distro = bw_report_strf(r, "%s%s%s", r->os.id, r->os.version ? ":" : "",
					   r->os.version ? r->os.version : "");
	}
	char *def = NULL;
	const char *path = o->db_path;
	if (!path)
		path = def = bw_vulndb_default_path();
	c->database = bw_report_str(r, path);
	struct bw_vulndb *db = NULL;
	int rc = bw_vulndb_open(path, BW_VULNDB_READ, &db, err);
	free(def);
	if (rc == BW_ENOTFOUND && !(o->scanners & BW_SCAN_VULN)) {
		/* every scanner was asked for by default: scan what can be scanned,
		 * and say that nothing was checked */
		c->error = bw_report_str(r, err->msg);
		bw_error_clear(err);
		rc = bw_match_coverage(NULL, r, &mo, err);
		if (rc < 0)
			return rc;
		judge(r, o);
		if (c->unchecked)
			bw_report_warn(r, "vulnerabilities not scanned: %s: %zu package%s not checked",
				       c->error, c->unchecked, c->unchecked == 1 ? "" : "s");
		else
			bw_report_warn(r, "vulnerabilities not scanned: %s", c->error);
		return 0;
	}
	if (rc < 0)
		return rc;
	struct bw_match_stats st;
	rc = bw_match_report(db, r, &mo, &st, err);
	if (rc == 0)
		rc = bw_match_coverage(db, r, &mo, err);
	if (rc == 0) {
		judge(r, o);
		note_ecosystems(db, r);
	}
	bw_vulndb_close(db);
	return rc;
}

const struct bw_scanner bw_scan_row_vuln = {
    .name = "vuln",
    .flag = BW_SCAN_VULN,
    .begin = vuln_begin,
    .finish = vuln_finish,
};
