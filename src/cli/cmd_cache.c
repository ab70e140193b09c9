/* bulwark cache info|clean — the layer-analysis cache. */
#include "cli.h"
#include "cache/cache.h"

#include <jansson.h>

const char bw_usage_cache[] =
    "usage: bulwark cache info|clean [options]\n"
    "\n"
    "The layer-analysis cache: what the layer walker and the analyzers (packages,\n"
    "secrets, image configuration) found in each layer, keyed by the layer's diff_id,\n"
    "its blob digest and the analyzer's version, so a scan of an image that shares\n"
    "layers with one scanned before does not read those layers again. One SQLite file,\n"
    "$XDG_CACHE_HOME/bulwark/layers.sqlite (~/.cache/bulwark/layers.sqlite); a file\n"
    "written by another bulwark version is ignored and rebuilt. Used by image, fs and\n"
    "sbom on archives and OCI layouts (not docker: or compressed archives, which are\n"
    "read in one pass); a layer served from the cache is not read, so not re-verified:\n"
    "--no-cache on those commands reads and verifies every byte.\n"
    "\n"
    "  bulwark cache info    the file, its records and bytes, by analyzer\n"
    "  bulwark cache clean   remove the file\n"
    "\n"
    "options:\n"
    "  -f, --format FMT     table or json\n"
    "  -h, --help           this help\n";

static int cache_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	return bw_cli_usage_error(cli->cmd, "unexpected option");
}

static void print_info(struct bw_cli *cli, FILE *out, const struct bw_cache_stats *st)
{
	bool ours = st->schema == BW_CACHE_SCHEMA && st->bulwark_version &&
		    strcmp(st->bulwark_version, BW_VERSION) == 0;
	if (cli->format == BW_FORMAT_JSON) {
		json_t *j = json_object();
		json_object_set_new(j, "path", json_string(st->path));
		json_object_set_new(j, "exists", json_boolean(st->exists));
		json_object_set_new(j, "usable", json_boolean(st->exists && ours));
		json_object_set_new(j, "schema", json_integer(st->schema));
		json_object_set_new(j, "bulwark_version",
				    st->bulwark_version ? json_string(st->bulwark_version) : json_null());
		json_object_set_new(j, "layers", json_integer((json_int_t)st->layers));
		json_object_set_new(j, "entries", json_integer((json_int_t)st->entries));
		json_object_set_new(j, "bytes", json_integer((json_int_t)st->bytes));
		json_object_set_new(j, "file_bytes", json_integer((json_int_t)st->file_bytes));
		json_t *by = json_object();
		for (size_t i = 0; i < st->n_by_analyzer; i++) {
			json_t *a = json_object();
			json_object_set_new(a, "entries",
					    json_integer((json_int_t)st->by_analyzer[i].entries));
			json_object_set_new(a, "bytes", json_integer((json_int_t)st->by_analyzer[i].bytes));
			json_object_set_new(by, st->by_analyzer[i].name, a);
		}
		json_object_set_new(j, "by_analyzer", by);
		json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
		json_decref(j);
		return;
	}
	char sz[32];
	fprintf(out, "path:     %s\n", st->path);
	if (!st->exists) {
		fprintf(out, "          (none yet: made by the first scan)\n");
		return;
	}
	bw_format_size(st->file_bytes, sz, sizeof(sz));
	fprintf(out, "file:     %s", sz);
	if (!ours)
		fprintf(out, " (written by %s, schema %d: ignored, rebuilt by the next scan)",
			st->bulwark_version ? st->bulwark_version : "something else", st->schema);
	fputc('\n', out);
	bw_format_size(st->bytes, sz, sizeof(sz));
	fprintf(out, "layers:   %llu\nentries:  %llu (%s)\n", (unsigned long long)st->layers,
		(unsigned long long)st->entries, sz);
	for (size_t i = 0; i < st->n_by_analyzer; i++) {
		bw_format_size(st->by_analyzer[i].bytes, sz, sizeof(sz));
		fprintf(out, "  %-24s %8llu  %s\n", st->by_analyzer[i].name,
			(unsigned long long)st->by_analyzer[i].entries, sz);
	}
}

int bw_cmd_cache(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	const char *sub = NULL;
	if (argc > 1 && (strcmp(argv[1], "info") == 0 || strcmp(argv[1], "clean") == 0)) {
		sub = argv[1];
		argc--;
		argv++;
	}
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT, longopts, cache_option, NULL, &done);
	if (rc || done)
		return rc;
	if (!sub)
		return bw_cli_usage_error(cli->cmd,
					  argc > optind ? "unknown subcommand '%s' (info, clean)"
							: "missing subcommand%s (info, clean)",
					  argc > optind ? argv[optind] : "");
	if (argc > optind)
		return bw_cli_usage_error(cli->cmd, "cache %s takes no arguments", sub);
	if (cli->format != BW_FORMAT_TABLE && cli->format != BW_FORMAT_JSON)
		return bw_cli_usage_error(cli->cmd, "cache writes table or json");
	struct bw_error err = BW_ERROR_INIT;
	FILE *out = bw_cli_open_output(cli, &err);
	if (!out)
		return bw_cli_fail(cli, &err);
	if (strcmp(sub, "info") == 0) {
		struct bw_cache_stats st;
		rc = bw_cache_stats(NULL, &st, &err);
		if (rc == 0)
			print_info(cli, out, &st);
		bw_cache_stats_release(&st);
	} else {
		uint64_t freed = 0;
		rc = bw_cache_clean(NULL, &freed, &err);
		if (rc == 0) {
			char sz[32];
			bw_format_size(freed, sz, sizeof(sz));
			char *dir = bw_cache_default_dir();
			if (cli->format == BW_FORMAT_JSON) {
				json_t *j = json_object();
				json_object_set_new(j, "path", json_string_nocheck(dir));
				json_object_set_new(j, "freed_bytes", json_integer((json_int_t)freed));
				json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
				fputc('\n', out);
				json_decref(j);
			} else
				fprintf(out, "removed %s/layers.sqlite (%s)\n", dir, sz);
			free(dir);
		}
	}
	if (rc < 0) {
		bw_cli_close_output(cli, out, NULL);
		return bw_cli_fail(cli, &err);
	}
	if (bw_cli_close_output(cli, out, &err) < 0)
		return bw_cli_fail(cli, &err);
	return BW_EXIT_OK;
}
