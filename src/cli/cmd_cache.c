/* bulwark cache info|clean — the layer-analysis cache. */
#include <jansson.h>

#include "cli.h"
#include "cache/cache.h"

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
    "  -o, --output FILE    write to FILE instead of standard output\n"
    "  -h, --help           this help\n";

static int cache_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	return bw_cli_usage_error(cli->cmd, "unexpected option");
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
		if (rc == 0 && cli->format == BW_FORMAT_JSON)
			bw_cli_print_json(out, bw_cache_stats_json(&st), JSON_PRESERVE_ORDER);
		else if (rc == 0)
			bw_cache_stats_write_table(&st, out);
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
				bw_cli_print_json(out, j, JSON_PRESERVE_ORDER);
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
