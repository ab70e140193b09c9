/* The documents `bulwark db` writes — import counts, update results, the
 * database's sources and ages — and their text forms, and the entries of
 * `bulwark cvss --format json`. Source names, dates
 * and ecosystems come from advisories: tables show them through
 * bw_report_put_text. */
#include <jansson.h>
#include <time.h>

#include "vulndb-int.h"

json_t *bw_vulndb_import_stats_json(const struct bw_vulndb_import_stats *st)
{
	json_t *o = json_object();
	json_object_set_new(o, "files", json_integer((json_int_t)st->files));
	json_object_set_new(o, "ignored_files", json_integer((json_int_t)st->ignored_files));
	json_object_set_new(o, "records", json_integer((json_int_t)st->records));
	json_object_set_new(o, "inserted", json_integer((json_int_t)st->inserted));
	json_object_set_new(o, "updated", json_integer((json_int_t)st->updated));
	json_object_set_new(o, "unchanged", json_integer((json_int_t)st->unchanged));
	json_object_set_new(o, "skipped", json_integer((json_int_t)st->skipped));
	json_object_set_new(o, "affected_skipped", json_integer((json_int_t)st->affected_skipped));
	json_object_set_new(o, "withdrawn", json_integer((json_int_t)st->withdrawn));
	json_object_set_new(o, "kev", json_integer((json_int_t)st->kev));
	json_object_set_new(o, "epss", json_integer((json_int_t)st->epss));
	json_object_set_new(o, "cves", json_integer((json_int_t)st->cves));
	json_object_set_new(o, "cves_unchanged", json_integer((json_int_t)st->cves_unchanged));
	json_object_set_new(o, "seconds", json_real(st->seconds));
	json_t *s = json_array();
	for (size_t i = 0; i < st->n_samples; i++)
		json_array_append_new(s, json_string(st->samples[i]));
	json_object_set_new(o, "skip_samples", s);
	return o;
}

void bw_vulndb_import_stats_write_text(const struct bw_vulndb_import_stats *st, FILE *out)
{
	fprintf(out, "%zu files: %zu records (%zu new, %zu updated, %zu unchanged), %zu skipped as malformed",
		st->files, st->records, st->inserted, st->updated, st->unchanged, st->skipped);
	if (st->affected_skipped)
		fprintf(out, ", %zu affected entries dropped", st->affected_skipped);
	if (st->withdrawn)
		fprintf(out, ", %zu withdrawn", st->withdrawn);
	if (st->kev)
		fprintf(out, "; KEV %zu", st->kev);
	if (st->epss)
		fprintf(out, "; EPSS %zu", st->epss);
	if (st->cves)
		fprintf(out, "; CVE data %zu", st->cves);
	if (st->ignored_files)
		fprintf(out, "; %zu files ignored", st->ignored_files);
	fprintf(out, "; %.2f s\n", st->seconds);
	for (size_t i = 0; i < st->n_samples; i++) {
		fprintf(out, "  skipped: ");
		bw_report_put_text(out, st->samples[i], SIZE_MAX, 0);
		fputc('\n', out);
	}
}

json_t *bw_vulndb_update_result_json(const struct bw_vulndb_update_result *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "ecosystem", json_string(r->ecosystem));
	json_object_set_new(o, "status",
			    json_string(r->failed	  ? "failed"
					: r->not_modified ? "not_modified"
							  : "updated"));
	if (r->message[0])
		json_object_set_new(o, "message", json_string(r->message));
	if (!r->failed && !r->not_modified)
		json_object_set_new(o, "import", bw_vulndb_import_stats_json(&r->st));
	return o;
}

long bw_vulndb_source_age(const struct bw_vulndb_source *s, int64_t now)
{
	if (s->data_date && strlen(s->data_date) >= 10) {
		struct tm tm = {0};
		char *end = strptime(s->data_date, "%Y-%m-%d", &tm);
		if (end) {
			int64_t t = (int64_t)timegm(&tm);
			return t > now ? 0 : (long)((now - t) / 86400);
		}
	}
	if (s->imported_at > 0)
		return s->imported_at > now ? 0 : (long)((now - s->imported_at) / 86400);
	return -1;
}

json_t *bw_vulndb_info_json(const char *path, const struct bw_vulndb_info *info, long max_age, int64_t now)
{
	json_t *j = json_object();
	json_object_set_new(j, "database", json_string(path));
	json_object_set_new(j, "schema", json_integer(info->schema));
	json_object_set_new(j, "size", json_integer(info->file_size));
	json_t *c = json_object();
	json_object_set_new(c, "advisories", json_integer(info->advisories));
	json_object_set_new(c, "withdrawn", json_integer(info->withdrawn));
	json_object_set_new(c, "affected", json_integer(info->affected));
	json_object_set_new(c, "aliases", json_integer(info->aliases));
	json_object_set_new(c, "kev", json_integer(info->kev));
	json_object_set_new(c, "epss", json_integer(info->epss));
	json_object_set_new(j, "counts", c);
	json_t *srcs = json_array();
	for (size_t i = 0; i < info->n_sources; i++) {
		const struct bw_vulndb_source *s = &info->sources[i];
		long age = bw_vulndb_source_age(s, now);
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(s->name));
		json_object_set_new(o, "records", json_integer(s->records));
		json_object_set_new(o, "data_date", s->data_date ? json_string(s->data_date) : json_null());
		json_object_set_new(o, "age_days", age >= 0 ? json_integer(age) : json_null());
		json_object_set_new(o, "imported_at", json_integer(s->imported_at));
		json_object_set_new(o, "location", s->location ? json_string(s->location) : json_null());
		json_object_set_new(o, "stale", json_boolean(max_age > 0 && age > max_age));
		json_array_append_new(srcs, o);
	}
	json_object_set_new(j, "sources", srcs);
	json_t *ecos = json_object();
	for (size_t i = 0; i < info->n_ecosystems; i++)
		json_object_set_new(ecos, info->ecosystems[i].ecosystem,
				    json_integer(info->ecosystems[i].affected));
	json_object_set_new(j, "ecosystems", ecos);
	return j;
}

void bw_vulndb_info_write_table(const char *path, const struct bw_vulndb_info *info, int64_t now, FILE *out)
{
	char sz[32];
	bw_format_size((uint64_t)info->file_size, sz, sizeof(sz));
	fprintf(out, "database:   ");
	bw_report_put_text(out, path, SIZE_MAX, 0);
	fprintf(out, " (schema %d, %s)\n", info->schema, sz);
	fprintf(out, "advisories: %lld (%lld withdrawn), %lld affected entries, %lld aliases\n",
		(long long)info->advisories, (long long)info->withdrawn, (long long)info->affected,
		(long long)info->aliases);
	fprintf(out, "enrichment: KEV %lld CVEs, EPSS %lld CVEs\n", (long long)info->kev,
		(long long)info->epss);
	fprintf(out, "\nsources:\n  %-32s %9s  %-12s %8s  %s\n", "NAME", "RECORDS", "DATA DATE", "AGE",
		"LOCATION");
	for (size_t i = 0; i < info->n_sources; i++) {
		const struct bw_vulndb_source *s = &info->sources[i];
		long age = bw_vulndb_source_age(s, now);
		char agebuf[24];
		if (age >= 0)
			snprintf(agebuf, sizeof(agebuf), "%ldd", age);
		else
			snprintf(agebuf, sizeof(agebuf), "-");
		fprintf(out, "  ");
		bw_report_put_text(out, s->name, SIZE_MAX, 32);
		fprintf(out, " %9lld  ", (long long)s->records);
		bw_report_put_text(out, s->data_date ? s->data_date : "-", 10, 12);
		fprintf(out, " %8s  ", agebuf);
		bw_report_put_text(out, s->location ? s->location : "-", SIZE_MAX, 0);
		fputc('\n', out);
	}
	fprintf(out, "\necosystems (affected entries):\n");
	for (size_t i = 0; i < info->n_ecosystems; i++) {
		fprintf(out, "  ");
		bw_report_put_text(out, info->ecosystems[i].ecosystem, SIZE_MAX, 32);
		fprintf(out, " %9lld\n", (long long)info->ecosystems[i].affected);
	}
}

const char *bw_cvss_rating(const struct bw_cvss_score *s)
{
	switch (bw_cvss_severity(s->score, s->major)) {
	case BW_SEV_CRITICAL:
		return "CRITICAL";
	case BW_SEV_HIGH:
		return "HIGH";
	case BW_SEV_MEDIUM:
		return "MEDIUM";
	case BW_SEV_LOW:
		return "LOW";
	default:
		return "NONE";
	}
}

json_t *bw_cvss_score_json(const char *vector, const struct bw_cvss_score *s, const char *error)
{
	json_t *o = json_object();
	if (!s) {
		json_t *v = json_string(vector); /* NULL when not UTF-8 */
		json_object_set_new(o, "vector", v ? v : json_null());
		json_object_set_new(o, "error", json_string(error));
		return o;
	}
	char version[8];
	snprintf(version, sizeof(version), "%d.%d", s->major, s->minor);
	json_object_set_new(o, "vector", json_string_nocheck(vector));
	json_object_set_new(o, "version", json_string(version));
	json_object_set_new(o, "score", json_real(s->score));
	json_object_set_new(o, "rating", json_string(bw_cvss_rating(s)));
	json_object_set_new(o, "severity",
			    json_string(bw_severity_name(bw_cvss_severity(s->score, s->major))));
	if (s->nomenclature[0])
		json_object_set_new(o, "nomenclature", json_string(s->nomenclature));
	if (s->macro_vector[0])
		json_object_set_new(o, "macro_vector", json_string(s->macro_vector));
	return o;
}
