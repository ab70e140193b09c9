/* bulwark db import|update|info — the vulnerability database. */
#include "cli.h"
#include "vulndb/vulndb.h"

#include <jansson.h>
#include <time.h>

const char bw_usage_db[] =
    "usage: bulwark db import|update|info [options] [PATH...]\n"
    "\n"
    "The vulnerability database that image and fs scans match packages against: one\n"
    "SQLite file, by default $XDG_CACHE_HOME/bulwark/db.sqlite (~/.cache/bulwark/db.sqlite).\n"
    "\n"
    "  bulwark db import PATH...   import OSV JSON files, directories of them, OSV all.zip\n"
    "                              archives, Debian security tracker DSA/DLA lists, Alpine\n"
    "                              secdb JSON, the CISA KEV catalog (JSON) and EPSS scores\n"
    "                              (CSV); the format is recognised from the content. One\n"
    "                              transaction: all or nothing. OSV records: newer\n"
    "                              \"modified\" wins. Malformed records are skipped and counted.\n"
    "  bulwark db update           download OSV's per-ecosystem all.zip archives again\n"
    "                              (conditional requests, checksums, atomic replacement)\n"
    "  bulwark db info             sources, counts and ages\n"
    "\n"
    "options:\n"
    "      --db PATH        the database file\n"
    "      --ecosystem E    (update) an OSV ecosystem (PyPI, Go, Debian, Alpine, ...);\n"
    "                       repeat or comma-separate; default: those downloaded before\n"
    "                       and those scans needed\n"
    "      --base-url URL   (update) mirror of OSV's bucket (default " BW_VULNDB_DEFAULT_BASE_URL ")\n"
    "      --max-age DAYS   (info) warn when a source's data is older (default 7; 0: never)\n"
    "  -f, --format FMT     table or json\n"
    "  -q, --quiet          no warnings on standard error\n"
    "  -h, --help           this help\n";

enum { OPT_DB = BW_OPT__COMMAND_BASE, OPT_ECOSYSTEM, OPT_BASE_URL, OPT_MAX_AGE };

struct db_args {
	const char **ecosystems;
	size_t n_ecosystems;
	const char *base_url;
	long max_age;
	char **owned;
	size_t n_owned;
};

static int db_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	struct db_args *a = ud;
	switch (c) {
	case OPT_DB:
		cli->db_path = arg;
		return 0;
	case OPT_ECOSYSTEM: {
		char *dup = bw_strdup(arg), *save = NULL;
		a->owned = bw_realloc(a->owned, (a->n_owned + 1) * sizeof(char *));
		a->owned[a->n_owned++] = dup;
		for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			a->ecosystems = bw_realloc(a->ecosystems, (a->n_ecosystems + 1) * sizeof(char *));
			a->ecosystems[a->n_ecosystems++] = t;
		}
		return 0;
	}
	case OPT_BASE_URL:
		a->base_url = arg;
		return 0;
	case OPT_MAX_AGE: {
		char *end;
		long v = strtol(arg, &end, 10);
		if (*end || end == arg || v < 0 || v > 100000)
			return bw_cli_usage_error(cli->cmd, "--max-age takes a number of days, not '%s'",
						  arg);
		a->max_age = v;
		return 0;
	}
	}
	return bw_cli_usage_error(cli->cmd, "unexpected option");
}

static json_t *stats_json(const struct bw_vulndb_import_stats *st)
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
	json_object_set_new(o, "seconds", json_real(st->seconds));
	json_t *s = json_array();
	for (size_t i = 0; i < st->n_samples; i++)
		json_array_append_new(s, json_string(st->samples[i]));
	json_object_set_new(o, "skip_samples", s);
	return o;
}

static void stats_text(FILE *out, const struct bw_vulndb_import_stats *st)
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
	if (st->ignored_files)
		fprintf(out, "; %zu files ignored", st->ignored_files);
	fprintf(out, "; %.2f s\n", st->seconds);
	for (size_t i = 0; i < st->n_samples; i++)
		fprintf(out, "  skipped: %s\n", st->samples[i]);
}

static void print_json(FILE *out, json_t *j)
{
	json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(j);
}

static int open_db(struct bw_cli *cli, enum bw_vulndb_mode mode, struct bw_vulndb **db)
{
	char *def = cli->db_path ? NULL : bw_vulndb_default_path();
	struct bw_error err = BW_ERROR_INIT;
	int rc = bw_vulndb_open(cli->db_path ? cli->db_path : def, mode, db, &err);
	free(def);
	if (rc < 0)
		return bw_cli_fail(cli, &err);
	return 0;
}

static int do_import(struct bw_cli *cli, int argc, char **argv, FILE *out)
{
	if (argc < 1)
		return bw_cli_usage_error(cli->cmd, "db import needs at least one PATH");
	struct bw_vulndb *db = NULL;
	int rc = open_db(cli, BW_VULNDB_WRITE, &db);
	if (rc)
		return rc;
	struct bw_vulndb_import_stats st;
	struct bw_error err = BW_ERROR_INIT;
	if (bw_vulndb_import(db, (const char *const *)argv, (size_t)argc, &st, &err) < 0) {
		bw_error_prefix(&err, "import failed, the database is unchanged");
		rc = bw_cli_fail(cli, &err);
		bw_vulndb_close(db);
		return rc;
	}
	if (cli->format == BW_FORMAT_JSON) {
		json_t *j = stats_json(&st);
		json_object_set_new(j, "database", json_string(bw_vulndb_path(db)));
		print_json(out, j);
	} else {
		fprintf(out, "imported into %s: ", bw_vulndb_path(db));
		stats_text(out, &st);
	}
	bw_vulndb_close(db);
	return BW_EXIT_OK;
}

static int do_update(struct bw_cli *cli, struct db_args *a, FILE *out)
{
	struct bw_vulndb *db = NULL;
	int rc = open_db(cli, BW_VULNDB_WRITE, &db);
	if (rc)
		return rc;
	struct bw_error err = BW_ERROR_INIT;
	char **known = NULL;
	size_t n_known = 0;
	const char **ecos = a->ecosystems;
	size_t n = a->n_ecosystems;
	bool own_ecos = false;
	if (!n) {
		if (bw_vulndb_known_ecosystems(db, &known, &n_known, &err) < 0) {
			bw_vulndb_close(db);
			return bw_cli_fail(cli, &err);
		}
		/* the archives are per base ecosystem: "Debian:12" → "Debian" */
		ecos = bw_calloc(n_known ? n_known : 1, sizeof(char *));
		own_ecos = true;
		for (size_t i = 0; i < n_known; i++) {
			known[i][strcspn(known[i], ":")] = '\0';
			bool dup = false;
			for (size_t k = 0; k < n; k++)
				if (strcmp(ecos[k], known[i]) == 0)
					dup = true;
			if (!dup)
				ecos[n++] = known[i];
		}
	}
	struct bw_vulndb_update_result *res = NULL;
	int exit = BW_EXIT_OK;
	if (!n) {
		exit = bw_cli_usage_error(
		    cli->cmd, "no ecosystem to update yet: name them with --ecosystem (e.g. PyPI,Go,Debian)");
		goto out;
	}
	res = bw_calloc(n, sizeof(*res));
	rc = bw_vulndb_update(db, a->base_url, ecos, n, res, &err);
	if (rc < 0) {
		exit = bw_cli_fail(cli, &err);
	} else {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			if (res[i].failed)
				exit = BW_EXIT_ERROR;
			if (cli->format == BW_FORMAT_JSON) {
				json_t *o = json_object();
				json_object_set_new(o, "ecosystem", json_string(res[i].ecosystem));
				json_object_set_new(o, "status",
						    json_string(res[i].failed	      ? "failed"
								: res[i].not_modified ? "not_modified"
										      : "updated"));
				if (res[i].message[0])
					json_object_set_new(o, "message", json_string(res[i].message));
				if (!res[i].failed && !res[i].not_modified)
					json_object_set_new(o, "import", stats_json(&res[i].st));
				json_array_append_new(arr, o);
			} else if (res[i].failed) {
				fprintf(stderr, "bulwark db: error: %s: %s\n", res[i].ecosystem,
					res[i].message);
			} else if (res[i].not_modified) {
				fprintf(out, "%s: %s\n", res[i].ecosystem, res[i].message);
			} else {
				fprintf(out, "%s: updated: ", res[i].ecosystem);
				stats_text(out, &res[i].st);
			}
		}
		if (cli->format == BW_FORMAT_JSON)
			print_json(out, arr);
		else
			json_decref(arr);
	}
out:
	free(res);
	for (size_t i = 0; i < n_known; i++)
		free(known[i]);
	free(known);
	if (own_ecos)
		free(ecos);
	bw_vulndb_close(db);
	return exit;
}

/* Days since a "YYYY-MM-DD…" date, or -1. */
static long age_days(const char *date, int64_t fallback)
{
	time_t now = time(NULL);
	if (date && strlen(date) >= 10) {
		struct tm tm = {0};
		char *end = strptime(date, "%Y-%m-%d", &tm);
		if (end) {
			time_t t = timegm(&tm);
			return t > now ? 0 : (long)((now - t) / 86400);
		}
	}
	if (fallback > 0)
		return fallback > now ? 0 : (long)((now - fallback) / 86400);
	return -1;
}

static int do_info(struct bw_cli *cli, struct db_args *a, FILE *out)
{
	struct bw_vulndb *db = NULL;
	int rc = open_db(cli, BW_VULNDB_READ, &db);
	if (rc)
		return rc;
	struct bw_vulndb_info info;
	struct bw_error err = BW_ERROR_INIT;
	if (bw_vulndb_info(db, &info, &err) < 0) {
		bw_vulndb_close(db);
		return bw_cli_fail(cli, &err);
	}
	json_t *j = json_object();
	json_object_set_new(j, "database", json_string(bw_vulndb_path(db)));
	json_object_set_new(j, "schema", json_integer(info.schema));
	json_object_set_new(j, "size", json_integer(info.file_size));
	json_t *c = json_object();
	json_object_set_new(c, "advisories", json_integer(info.advisories));
	json_object_set_new(c, "withdrawn", json_integer(info.withdrawn));
	json_object_set_new(c, "affected", json_integer(info.affected));
	json_object_set_new(c, "aliases", json_integer(info.aliases));
	json_object_set_new(c, "kev", json_integer(info.kev));
	json_object_set_new(c, "epss", json_integer(info.epss));
	json_object_set_new(j, "counts", c);
	json_t *srcs = json_array();
	size_t stale = 0;
	for (size_t i = 0; i < info.n_sources; i++) {
		const struct bw_vulndb_source *s = &info.sources[i];
		long age = age_days(s->data_date, s->imported_at);
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(s->name));
		json_object_set_new(o, "records", json_integer(s->records));
		json_object_set_new(o, "data_date", s->data_date ? json_string(s->data_date) : json_null());
		json_object_set_new(o, "age_days", age >= 0 ? json_integer(age) : json_null());
		json_object_set_new(o, "imported_at", json_integer(s->imported_at));
		json_object_set_new(o, "location", s->location ? json_string(s->location) : json_null());
		bool old = a->max_age > 0 && age > a->max_age;
		json_object_set_new(o, "stale", json_boolean(old));
		json_array_append_new(srcs, o);
		if (old) {
			stale++;
			if (!cli->quiet)
				fprintf(stderr,
					"bulwark db: warning: %s: data is %ld days old (older than --max-age "
					"%ld)\n",
					s->name, age, a->max_age);
		}
	}
	json_object_set_new(j, "sources", srcs);
	json_t *ecos = json_object();
	for (size_t i = 0; i < info.n_ecosystems; i++)
		json_object_set_new(ecos, info.ecosystems[i].ecosystem,
				    json_integer(info.ecosystems[i].affected));
	json_object_set_new(j, "ecosystems", ecos);
	if (cli->format == BW_FORMAT_JSON) {
		print_json(out, j);
	} else {
		char sz[32];
		bw_format_size((uint64_t)info.file_size, sz, sizeof(sz));
		fprintf(out, "database:   %s (schema %d, %s)\n", bw_vulndb_path(db), info.schema, sz);
		fprintf(out, "advisories: %lld (%lld withdrawn), %lld affected entries, %lld aliases\n",
			(long long)info.advisories, (long long)info.withdrawn, (long long)info.affected,
			(long long)info.aliases);
		fprintf(out, "enrichment: KEV %lld CVEs, EPSS %lld CVEs\n", (long long)info.kev,
			(long long)info.epss);
		fprintf(out, "\nsources:\n  %-32s %9s  %-12s %8s  %s\n", "NAME", "RECORDS", "DATA DATE",
			"AGE", "LOCATION");
		for (size_t i = 0; i < info.n_sources; i++) {
			const struct bw_vulndb_source *s = &info.sources[i];
			long age = age_days(s->data_date, s->imported_at);
			char agebuf[24];
			if (age >= 0)
				snprintf(agebuf, sizeof(agebuf), "%ldd", age);
			else
				snprintf(agebuf, sizeof(agebuf), "-");
			fprintf(out, "  %-32s %9lld  %-12.10s %8s  %s\n", s->name, (long long)s->records,
				s->data_date ? s->data_date : "-", agebuf, s->location ? s->location : "-");
		}
		fprintf(out, "\necosystems (affected entries):\n");
		for (size_t i = 0; i < info.n_ecosystems; i++)
			fprintf(out, "  %-32s %9lld\n", info.ecosystems[i].ecosystem,
				(long long)info.ecosystems[i].affected);
		json_decref(j);
	}
	bw_vulndb_info_release(&info);
	bw_vulndb_close(db);
	return BW_EXIT_OK;
}

int bw_cmd_db(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    {"db", required_argument, NULL, OPT_DB},
	    {"ecosystem", required_argument, NULL, OPT_ECOSYSTEM},
	    {"base-url", required_argument, NULL, OPT_BASE_URL},
	    {"max-age", required_argument, NULL, OPT_MAX_AGE},
	    {NULL, 0, NULL, 0},
	};
	const char *sub = NULL;
	if (argc > 1 && (strcmp(argv[1], "import") == 0 || strcmp(argv[1], "update") == 0 ||
			 strcmp(argv[1], "info") == 0)) {
		sub = argv[1];
		argc--;
		argv++;
	}
	struct db_args a = {.max_age = 7};
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT, longopts, db_option, &a, &done);
	if (rc || done)
		goto out;
	if (!sub) {
		rc = bw_cli_usage_error(cli->cmd,
					argc > optind ? "unknown subcommand '%s' (import, update, info)"
						      : "missing subcommand%s (import, update, info)",
					argc > optind ? argv[optind] : "");
		goto out;
	}
	if (cli->format != BW_FORMAT_TABLE && cli->format != BW_FORMAT_JSON) {
		rc = bw_cli_usage_error(cli->cmd, "db writes table or json");
		goto out;
	}
	if (strcmp(sub, "import") != 0 && argc > optind) {
		rc = bw_cli_usage_error(cli->cmd, "db %s takes no PATH", sub);
		goto out;
	}
	if ((a.n_ecosystems || a.base_url) && strcmp(sub, "update") != 0) {
		rc = bw_cli_usage_error(cli->cmd, "--ecosystem and --base-url go with 'db update'");
		goto out;
	}
	struct bw_error err = BW_ERROR_INIT;
	FILE *out = bw_cli_open_output(cli, &err);
	if (!out) {
		rc = bw_cli_fail(cli, &err);
		goto out;
	}
	if (strcmp(sub, "import") == 0)
		rc = do_import(cli, argc - optind, argv + optind, out);
	else if (strcmp(sub, "update") == 0)
		rc = do_update(cli, &a, out);
	else
		rc = do_info(cli, &a, out);
	if (bw_cli_close_output(cli, out, &err) < 0 && rc == BW_EXIT_OK)
		rc = bw_cli_fail(cli, &err);
out:
	for (size_t i = 0; i < a.n_owned; i++)
		free(a.owned[i]);
	free(a.owned);
	free(a.ecosystems);
	return rc;
}
