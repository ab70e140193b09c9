/* bulwark db import|update|info — the vulnerability database. */
#include <jansson.h>
#include <time.h>

#include "cli.h"
#include "sandbox/sandbox.h"
#include "vulndb/vulndb.h"

const char bw_usage_db[] =
    "usage: bulwark db import|update|info [options] [PATH...]\n"
    "\n"
    "The vulnerability database that image and fs scans match packages against: one\n"
    "SQLite file, by default $XDG_CACHE_HOME/bulwark/db.sqlite (~/.cache/bulwark/db.sqlite).\n"
    "\n"
    "  bulwark db import PATH...   import OSV JSON files, directories of them, OSV all.zip,\n"
    "                              .tar.zst, .tar.gz archives, Debian security tracker DSA/DLA\n"
    "                              lists, Alpine secdb JSON, NVD CVE API 2.0 answers and yearly\n"
    "                              feeds (.json.gz too), CVE JSON 5 records, the CISA KEV\n"
    "                              catalog (JSON) and EPSS scores (CSV); the format is\n"
    "                              recognised from the content. One transaction: all or\n"
    "                              nothing; a PATH that imports nothing fails it. OSV records:\n"
    "                              newer \"modified\" wins. Malformed records are skipped and\n"
    "                              counted.\n"
    "  bulwark db update           download OSV's per-ecosystem all.zip archives again\n"
    "                              (conditional requests, checksums, atomic replacement), and\n"
    "                              NVD's CVE API (--ecosystem NVD: all of it the first time,\n"
    "                              then what changed); a failed download changes nothing\n"
    "  bulwark db info             sources, counts and ages\n"
    "\n"
    "options:\n"
    "      --db PATH        the database file\n"
    "      --ecosystem E    (update) an OSV ecosystem (PyPI, Go, Debian, Alpine, ...) or NVD;\n"
    "                       repeat or comma-separate; default: those downloaded before\n"
    "                       and those scans needed\n"
    "      --base-url URL   (update) mirror of OSV's bucket (default " BW_VULNDB_DEFAULT_BASE_URL ")\n"
    "      --nvd-url URL    (update) NVD's CVE API 2.0 (default " BW_VULNDB_DEFAULT_NVD_URL ")\n"
    "      --nvd-api-key K  (update) NVD API key (default: $NVD_API_KEY): 50 requests a\n"
    "                       30 s window instead of 5\n"
    "      --max-age DAYS   (info) warn when a source's data is older (default 7; 0: never)\n"
    "  -f, --format FMT     table or json\n"
    "  -o, --output FILE    write to FILE instead of standard output\n"
    "  -q, --quiet          no warnings on standard error\n" BW_CLI_SANDBOX_HELP
    "  -h, --help           this help\n";

enum { OPT_DB = BW_OPT__COMMAND_BASE, OPT_ECOSYSTEM, OPT_BASE_URL, OPT_MAX_AGE, OPT_NVD_URL, OPT_NVD_KEY };

struct db_args {
	const char **ecosystems;
	size_t n_ecosystems;
	const char *base_url, *nvd_url, *nvd_api_key;
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
		char *dup = bw_strdup(arg), *rest = dup;
		a->owned = bw_realloc(a->owned, (a->n_owned + 1) * sizeof(char *));
		a->owned[a->n_owned++] = dup;
		for (char *t; (t = bw_next_token(&rest, ","));) {
			a->ecosystems = bw_realloc(a->ecosystems, (a->n_ecosystems + 1) * sizeof(char *));
			a->ecosystems[a->n_ecosystems++] = t;
		}
		return 0;
	}
	case OPT_BASE_URL:
		a->base_url = arg;
		return 0;
	case OPT_NVD_URL:
		a->nvd_url = arg;
		return 0;
	case OPT_NVD_KEY:
		a->nvd_api_key = arg;
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

static int do_import(struct bw_cli *cli, struct bw_vulndb *db, int argc, char **argv, FILE *out)
{
	struct bw_vulndb_import_stats st;
	struct bw_error err = BW_ERROR_INIT;
	if (bw_vulndb_import(db, (const char *const *)argv, (size_t)argc, &st, &err) < 0) {
		bw_error_prefix(&err, "import failed, the database is unchanged: ");
		return bw_cli_fail(cli, &err);
	}
	if (cli->format == BW_FORMAT_JSON) {
		json_t *j = bw_vulndb_import_stats_json(&st);
		json_object_set_new(j, "database", json_string(bw_vulndb_path(db)));
		bw_cli_print_json(out, j, JSON_PRESERVE_ORDER);
	} else {
		fputs("imported into ", out);
		bw_report_put_text(out, bw_vulndb_path(db), SIZE_MAX, 0);
		fputs(": ", out);
		bw_vulndb_import_stats_write_text(&st, out);
	}
	return BW_EXIT_OK;
}

static int do_update(struct bw_cli *cli, struct bw_vulndb *db, const struct db_args *a, const char **ecos,
		     size_t n, FILE *out)
{
	struct bw_error err = BW_ERROR_INIT;
	struct bw_vulndb_update_result *res = bw_calloc(n, sizeof(*res));
	int exit = BW_EXIT_OK;
	const char *key = a->nvd_api_key ? a->nvd_api_key : getenv("NVD_API_KEY");
	struct bw_vulndb_update_opts uo = {
	    .base_url = a->base_url, .nvd_url = a->nvd_url, .nvd_api_key = key};
	if (bw_vulndb_update(db, &uo, ecos, n, res, &err) < 0) {
		free(res);
		return bw_cli_fail(cli, &err);
	}
	json_t *arr = cli->format == BW_FORMAT_JSON ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		if (res[i].failed)
			exit = BW_EXIT_ERROR;
		if (arr)
			json_array_append_new(arr, bw_vulndb_update_result_json(&res[i]));
		else if (res[i].failed) {
			fprintf(stderr, "bulwark db: error: ");
			bw_report_put_text(stderr, res[i].ecosystem, SIZE_MAX, 0);
			fputs(": ", stderr);
			bw_report_put_text(stderr, res[i].message, SIZE_MAX, 0);
			fputc('\n', stderr);
		} else if (res[i].not_modified) {
			bw_report_put_text(out, res[i].ecosystem, SIZE_MAX, 0);
			fputs(": ", out);
			bw_report_put_text(out, res[i].message, SIZE_MAX, 0);
			fputc('\n', out);
		} else {
			bw_report_put_text(out, res[i].ecosystem, SIZE_MAX, 0);
			fputs(": updated: ", out);
			bw_vulndb_import_stats_write_text(&res[i].st, out);
		}
	}
	if (arr)
		bw_cli_print_json(out, arr, JSON_PRESERVE_ORDER);
	free(res);
	return exit;
}

static int do_info(struct bw_cli *cli, struct bw_vulndb *db, const struct db_args *a, FILE *out)
{
	struct bw_vulndb_info info;
	struct bw_error err = BW_ERROR_INIT;
	if (bw_vulndb_info(db, &info, &err) < 0)
		return bw_cli_fail(cli, &err);
	int64_t now = (int64_t)time(NULL);
	for (size_t i = 0; i < info.n_sources && !cli->quiet && a->max_age > 0; i++) {
		const struct bw_vulndb_source *s = &info.sources[i];
		long age = bw_vulndb_source_age(s, now);
		if (age > a->max_age) {
			char *w = bw_asprintf("%s: data is %ld days old (older than --max-age %ld)", s->name,
					      age, a->max_age);
			bw_cli_warn(cli, w);
			free(w);
		}
	}
	if (cli->format == BW_FORMAT_JSON)
		bw_cli_print_json(out, bw_vulndb_info_json(bw_vulndb_path(db), &info, a->max_age, now),
				  JSON_PRESERVE_ORDER);
	else
		bw_vulndb_info_write_table(bw_vulndb_path(db), &info, now, out);
	bw_vulndb_info_release(&info);
	return BW_EXIT_OK;
}

int bw_cmd_db(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    {"db", required_argument, NULL, OPT_DB},
	    {"ecosystem", required_argument, NULL, OPT_ECOSYSTEM},
	    {"base-url", required_argument, NULL, OPT_BASE_URL},
	    {"nvd-url", required_argument, NULL, OPT_NVD_URL},
	    {"nvd-api-key", required_argument, NULL, OPT_NVD_KEY},
	    {"max-age", required_argument, NULL, OPT_MAX_AGE},
	    BW_CLI_SANDBOX_OPTIONS,
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
	struct bw_vulndb *db = NULL;
	char **defaults = NULL;
	size_t n_defaults = 0;
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
	bool import = strcmp(sub, "import") == 0, update = strcmp(sub, "update") == 0;
	if (import && argc <= optind) {
		rc = bw_cli_usage_error(cli->cmd, "db import needs at least one PATH");
		goto out;
	}
	if (!import && argc > optind) {
		rc = bw_cli_usage_error(cli->cmd, "db %s takes no PATH", sub);
		goto out;
	}
	if ((a.n_ecosystems || a.base_url || a.nvd_url || a.nvd_api_key) && !update) {
		rc = bw_cli_usage_error(
		    cli->cmd, "--ecosystem, --base-url, --nvd-url and --nvd-api-key go with 'db update'");
		goto out;
	}
	struct bw_error err = BW_ERROR_INIT;
	if (bw_vulndb_check_base_url(a.base_url, &err) < 0 || bw_vulndb_check_nvd_url(a.nvd_url, &err) < 0) {
		rc = bw_cli_fail(cli, &err);
		goto out;
	}
	if ((rc = open_db(cli, import || update ? BW_VULNDB_WRITE : BW_VULNDB_READ, &db)) != 0)
		goto out;
	/* without --ecosystem: those downloaded before and those scans needed */
	if (update && !a.n_ecosystems) {
		if (bw_vulndb_update_defaults(db, &defaults, &n_defaults, &err) < 0) {
			rc = bw_cli_fail(cli, &err);
			goto out;
		}
		if (!n_defaults) {
			rc = bw_cli_usage_error(cli->cmd, "no ecosystem to update yet: name them with "
							  "--ecosystem (e.g. PyPI,Go,Debian)");
			goto out;
		}
	}
	/* the advisory files are read confined: the database's directory
	 * writable (its journal; update's downloads land beside it), update
	 * with the network */
	struct bw_sandbox *sb = bw_cli_sandbox_begin(cli);
	if (sb) {
		bw_cli_sandbox_allow_cache(cli, sb, true);
		for (int i = optind; import && i < argc; i++)
			bw_sandbox_allow(sb, argv[i], BW_SANDBOX_READ);
		bw_sandbox_set_network(sb, update);
		if (update)
			bw_sandbox_allow_system(sb, true);
	}
	if ((rc = bw_cli_sandbox_enter(cli, sb)) != 0)
		goto out;
	/* every usage error is behind: the output file may be opened */
	FILE *out = bw_cli_open_output(cli, &err);
	if (!out) {
		rc = bw_cli_fail(cli, &err);
		goto out;
	}
	if (import)
		rc = do_import(cli, db, argc - optind, argv + optind, out);
	else if (update)
		rc = a.n_ecosystems ? do_update(cli, db, &a, a.ecosystems, a.n_ecosystems, out)
				    : do_update(cli, db, &a, (const char **)defaults, n_defaults, out);
	else
		rc = do_info(cli, db, &a, out);
	if (bw_cli_close_output(cli, out, &err) < 0 && rc == BW_EXIT_OK)
		rc = bw_cli_fail(cli, &err);
out:
	if (db)
		bw_vulndb_close(db);
	for (size_t i = 0; i < n_defaults; i++)
		free(defaults[i]);
	free(defaults);
	for (size_t i = 0; i < a.n_owned; i++)
		free(a.owned[i]);
	free(a.owned);
	free(a.ecosystems);
	return rc;
}
