/* Enrichment sources: the CISA KEV catalog and EPSS scores. Each import
 * replaces what the source held before (they are published whole). */
#include "vulndb-int.h"

/* KEV JSON (known_exploited_vulnerabilities.json):
 *   { "title", "catalogVersion": "2025.08.25", "dateReleased", "count",
 *     "vulnerabilities": [ { "cveID", "vendorProject", "product",
 *       "dateAdded": "2025-08-25", "knownRansomwareCampaignUse", … } ] } */
int vdb_kev_import(struct bw_vulndb *db, json_t *doc, const char *name, struct bw_vulndb_import_stats *st,
		   struct bw_error *err)
{
	json_t *vulns = json_object_get(doc, "vulnerabilities");
	if (!json_is_array(vulns))
		return bw_error_set(err, BW_EINPUT, "%s: KEV catalog without a \"vulnerabilities\" array",
				    name);
	if (vdb_exec(db, "DELETE FROM kev", err) < 0)
		return err->code;
	sqlite3_stmt *ins = NULL;
	int rc = sqlite3_prepare_v2(db->db, "INSERT OR REPLACE INTO kev VALUES(?1, ?2)", -1, &ins, NULL);
	if (rc != SQLITE_OK)
		return vdb_sqlite_error(db, rc, "KEV", err);
	size_t i;
	json_t *v;
	json_array_foreach(vulns, i, v)
	{
		json_t *c = json_object_get(v, "cveID");
		const char *cve = json_string_value(c);
		if (!cve || !vdb_cve_ok(cve, json_string_length(c))) {
			st->skipped++;
			vdb_sample(st, "%s: KEV entry %zu has no valid cveID", name, i);
			continue;
		}
		const char *added = json_string_value(json_object_get(v, "dateAdded"));
		sqlite3_bind_text(ins, 1, cve, -1, SQLITE_STATIC);
		if (added && strlen(added) <= 32)
			sqlite3_bind_text(ins, 2, added, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(ins, 2);
		rc = sqlite3_step(ins);
		sqlite3_reset(ins);
		if (rc != SQLITE_DONE) {
			sqlite3_finalize(ins);
			return vdb_sqlite_error(db, rc, "writing KEV", err);
		}
		st->kev++;
	}
	sqlite3_finalize(ins);
	const char *ver = json_string_value(json_object_get(doc, "catalogVersion"));
	char date[40] = "";
	if (ver && strlen(ver) < 16) {
		/* "2025.08.25" → "2025-08-25" */
		snprintf(date, sizeof(date), "%s", ver);
		for (char *p = date; *p; p++)
			if (*p == '.')
				*p = '-';
	}
	return vdb_note_source(db, "kev", db->cur_location, date[0] ? date : NULL, err);
}

/* EPSS CSV (epss_scores-YYYY-MM-DD.csv):
 *   #model_version:v2023.03.01,score_date:2024-10-25T00:00:00+0000
 *   cve,epss,percentile
 *   CVE-1999-0005,0.91963,0.99030 */
int vdb_epss_import(struct bw_vulndb *db, const char *data, size_t len, const char *name,
		    struct bw_vulndb_import_stats *st, struct bw_error *err)
{
	if (vdb_exec(db, "DELETE FROM epss", err) < 0)
		return err->code;
	sqlite3_stmt *ins = NULL;
	int rc = sqlite3_prepare_v2(db->db, "INSERT OR REPLACE INTO epss VALUES(?1, ?2, ?3)", -1, &ins, NULL);
	if (rc != SQLITE_OK)
		return vdb_sqlite_error(db, rc, "EPSS", err);
	char date[32] = "";
	size_t lineno = 0;
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (data + pos)) : len - pos;
		const char *l = data + pos;
		pos += ll + (nl ? 1 : 0);
		lineno++;
		if (ll && l[ll - 1] == '\r')
			ll--;
		if (!ll)
			continue;
		if (l[0] == '#') {
			const char *d = memmem(l, ll, "score_date:", 11);
			if (d && (size_t)(l + ll - d) >= 21)
				snprintf(date, sizeof(date), "%.10s", d + 11);
			continue;
		}
		if (ll >= 4 && strncmp(l, "cve,", 4) == 0)
			continue;
		char buf[128];
		if (ll >= sizeof(buf)) {
			st->skipped++;
			vdb_sample(st, "%s:%zu: line too long", name, lineno);
			continue;
		}
		memcpy(buf, l, ll);
		buf[ll] = '\0';
		char *c1 = strchr(buf, ',');
		char *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
		char *end1 = NULL, *end2 = NULL;
		double score = c1 ? strtod(c1 + 1, &end1) : -1;
		double pct = c2 ? strtod(c2 + 1, &end2) : -1;
		if (!c1 || !vdb_cve_ok(buf, (size_t)(c1 - buf)) || end1 == c1 + 1 ||
		    !(score >= 0 && score <= 1) ||
		    (c2 && (end2 == c2 + 1 || *end2 || !(pct >= 0 && pct <= 1))) || (!c2 && *end1)) {
			st->skipped++;
			vdb_sample(st, "%s:%zu: not a cve,epss,percentile row", name, lineno);
			continue;
		}
		*c1 = '\0';
		sqlite3_bind_text(ins, 1, buf, -1, SQLITE_STATIC);
		sqlite3_bind_double(ins, 2, score);
		if (c2)
			sqlite3_bind_double(ins, 3, pct);
		else
			sqlite3_bind_null(ins, 3);
		rc = sqlite3_step(ins);
		sqlite3_reset(ins);
		sqlite3_clear_bindings(ins);
		if (rc != SQLITE_DONE) {
			sqlite3_finalize(ins);
			return vdb_sqlite_error(db, rc, "writing EPSS", err);
		}
		st->epss++;
	}
	sqlite3_finalize(ins);
	return vdb_note_source(db, "epss", db->cur_location, date[0] ? date : NULL, err);
}
