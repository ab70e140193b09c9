/* Matching benchmark: N packages (real names from the database: Debian 11
 * source packages and PyPI/Go/crates.io/npm packages, at old versions so
 * most have findings) matched against a vulnerability database, timed from
 * opening the database to the ranked findings; with "references", the
 * findings' reference URLs are read too (what a JSON, SARIF or CycloneDX
 * report asks for).
 *   match_bench DB [N] [RUNS] [references] */
#include <sqlite3.h>

#include "match/match.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: match_bench DB [N] [RUNS]\n");
		return 2;
	}
	long n = argc > 2 ? strtol(argv[2], NULL, 10) : 1000;
	long runs = argc > 3 ? strtol(argv[3], NULL, 10) : 5;
	sqlite3 *s;
	if (sqlite3_open_v2(argv[1], &s, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return 3;
	sqlite3_stmt *st;
	char sql[512];
	snprintf(
	    sql, sizeof(sql),
	    "SELECT ecosystem, name FROM (SELECT DISTINCT ecosystem, name FROM affected WHERE ecosystem IN"
	    " ('Debian:11', 'PyPI', 'Go', 'crates.io', 'npm')) ORDER BY name LIMIT %ld",
	    n);
	sqlite3_prepare_v2(s, sql, -1, &st, NULL);
	char **ecos = calloc((size_t)n, sizeof(char *)), **names = calloc((size_t)n, sizeof(char *));
	long have = 0;
	while (have < n && sqlite3_step(st) == SQLITE_ROW) {
		ecos[have] = bw_strdup((const char *)sqlite3_column_text(st, 0));
		names[have++] = bw_strdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	sqlite3_close(s);
	double *t = calloc((size_t)runs, sizeof(double));
	size_t findings = 0, lookups = 0;
	for (long r = 0; r < runs; r++) {
		struct bw_report *rep = bw_report_new("filesystem", "bench");
		rep->os.id = "debian";
		rep->os.version = "11";
		for (long i = 0; i < have; i++) {
			size_t p_i = bw_report_add_package(rep);
			struct bw_package *p = &rep->packages[p_i];
			bool deb = strncmp(ecos[i], "Debian", 6) == 0;
			p->ecosystem = deb ? "Debian" : ecos[i];
			p->name = names[i];
			p->source_name = names[i];
			p->version = deb ? "0.1-1" : strcmp(ecos[i], "Go") == 0 ? "v0.0.1" : "0.0.1";
		}
		double t0 = bw_now();
		struct bw_vulndb *db;
		struct bw_error err = BW_ERROR_INIT;
		if (bw_vulndb_open(argv[1], BW_VULNDB_READ, &db, &err) < 0) {
			fprintf(stderr, "%s\n", err.msg);
			return 3;
		}
		struct bw_match_stats ms;
		struct bw_match_opts mo = {.references = argc > 4 && strcmp(argv[4], "references") == 0};
		if (bw_match_report(db, rep, &mo, &ms, &err) < 0) {
			fprintf(stderr, "%s\n", err.msg);
			return 3;
		}
		bw_vulndb_close(db);
		t[r] = (bw_now() - t0) * 1000;
		findings = ms.findings;
		lookups = ms.lookups;
		bw_report_free(rep);
	}
	qsort(t, (size_t)runs, sizeof(double), cmp_double);
	printf("match_bench packages=%ld lookups=%zu findings=%zu%s median_ms=%.1f min_ms=%.1f max_ms=%.1f\n",
	       have, lookups, findings, argc > 4 ? " references" : "", t[runs / 2], t[0], t[runs - 1]);
	return 0;
}
