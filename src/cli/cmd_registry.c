/* bulwark registry ls HOST[/REPO] — a registry's repositories (its
 * _catalog) or a repository's tags, as JSON or one name a line. */
#include <jansson.h>

#include "cli.h"
#include "registry/registry.h"

const char bw_usage_registry[] =
    "usage: bulwark registry ls [options] HOST[:PORT][/REPO]\n"
    "\n"
    "List the repositories a registry serves (its /v2/_catalog, every page), or the tags\n"
    "of one repository. Docker Hub serves no catalog; name a repository there.\n"
    "\n"
    "  -f, --format FMT     table (one name a line, default) or json (bulwark.registry-ls/v1)\n"
    "  -o, --output FILE    write the listing to FILE instead of standard output\n"
    "  -q, --quiet          no warnings on standard error\n"
    "      --username USER  registry user (with --password-stdin); else docker login's\n"
    "                       config, REGISTRY_AUTH_FILE, credential helpers\n"
    "      --password-stdin read the registry password from standard input\n"
    "      --registry-ca FILE  trust this CA for registries (besides the system's)\n"
    "      --insecure-registry HOST[:PORT]  speak plain HTTP to HOST (repeatable)\n"
    "      --timeout DUR    give up after DUR (30s, 5m, 1h; default: none)\n"
    "  -h, --help           this help\n";

#define BW_REGISTRY_LS_SCHEMA "bulwark.registry-ls/v1"

static int registry_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	(void)ud;
	int h = bw_cli_registry_option(cli, c, arg);
	if (h > 0)
		return 0;
	if (h < 0)
		return -h;
	return bw_cli_usage_error(cli->cmd, "unexpected option");
}

int bw_cmd_registry(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    BW_CLI_REGISTRY_ACCESS_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	/* the options first, so that the table is known without a subcommand
	 * (help --options, the configuration file) */
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT, longopts, registry_option, NULL, &done);
	if (rc || done)
		return rc;
	if (argc - optind < 1 || strcmp(argv[optind], "ls") != 0)
		return bw_cli_usage_error(
		    cli->cmd, argc - optind < 1 ? "missing subcommand (ls)" : "unknown subcommand '%s'",
		    argc - optind < 1 ? "" : argv[optind]);
	optind++;
	if (argc - optind != 1)
		return bw_cli_usage_error(cli->cmd,
					  argc - optind < 1 ? "missing HOST[/REPO]" : "too many arguments");
	if (cli->format != BW_FORMAT_TABLE && cli->format != BW_FORMAT_JSON)
		return bw_cli_usage_error(cli->cmd, "registry ls writes table or json");
	const char *arg = argv[optind];
	if (strncmp(arg, "registry:", 9) == 0)
		arg += 9;
	size_t hl = strcspn(arg, "/");
	bw_autofree char *host = bw_strndup(arg, hl);
	const char *repo = arg[hl] ? arg + hl + 1 : NULL;
	if (!bw_registry_host_valid(host, hl))
		return bw_cli_usage_error(cli->cmd, "'%s' is not HOST[:PORT][/REPO]", arg);
	if (repo && !bw_registry_repo_valid(repo, strlen(repo)))
		return bw_cli_usage_error(cli->cmd, "'%s' is not a valid repository name", repo);
	rc = bw_cli_registry_ready(cli);
	if (rc)
		return rc;
	/* Docker Hub's API host */
	const char *contact = strcmp(host, BW_REGISTRY_DOCKER_HUB) == 0 ? BW_REGISTRY_DOCKER_HUB_HOST : host;

	struct bw_error err = BW_ERROR_INIT;
	struct bw_registry *r = NULL;
	json_t *names = NULL;
	rc = bw_registry_open(contact, bw_cli_registry_opts(cli), &r, &err);
	if (rc == 0)
		rc = repo ? bw_registry_tags(r, repo, &names, &err) : bw_registry_catalog(r, &names, &err);
	bw_registry_free(r);
	if (rc < 0)
		return bw_cli_fail(cli, &err);

	FILE *out = bw_cli_open_output(cli, &err);
	if (!out) {
		json_decref(names);
		return bw_cli_fail(cli, &err);
	}
	size_t i;
	json_t *v;
	if (cli->format == BW_FORMAT_JSON) {
		json_t *doc = json_pack("{s:s, s:s}", "schema", BW_REGISTRY_LS_SCHEMA, "registry", host);
		if (repo)
			json_object_set_new(doc, "repository", json_string(repo));
		json_object_set(doc, repo ? "tags" : "repositories", names);
		bw_cli_print_json(out, doc, 0);
	} else {
		/* every name passed the reference grammar: no control bytes to escape */
		json_array_foreach(names, i, v) fprintf(out, "%s\n", json_string_value(v));
	}
	json_decref(names);
	if (bw_cli_close_output(cli, out, &err) < 0)
		return bw_cli_fail(cli, &err);
	return BW_EXIT_OK;
}
