/* bulwark profile — what `bulwark monitor --learn` recorded for an image,
 * as a seccomp profile or a capability set (src/monitor). */
#include <jansson.h>

#include "cli.h"
#include "monitor/monitor.h"

enum {
	OPT_SECCOMP = BW_OPT__COMMAND_BASE,
	OPT_CAPS,
	OPT_ENGINE,
};

const char bw_usage_profile[] =
    "usage: bulwark profile IMAGE [--seccomp | --caps] [options]\n"
    "\n"
    "What `bulwark monitor --learn --image IMAGE` recorded for an image (kept in the layer\n"
    "cache's database), or least-privilege settings made from it:\n"
    "\n"
    "      --seccomp          a Docker/OCI seccomp profile allowing exactly the syscalls\n"
    "                         seen, plus the container runtime's own needs:\n"
    "                         docker run --security-opt seccomp=FILE …\n"
    "      --caps             the capabilities the containers used (one a line; JSON with\n"
    "                         --format json): docker run --cap-drop ALL --cap-add …\n"
    "  -H, --engine HOST      Docker Engine to resolve IMAGE's id\n"
    "  -f, --format FMT       table or json (the profile itself; the seccomp profile is JSON)\n"
    "  -o, --output FILE      write to FILE\n"
    "  -h, --help             this help\n";

struct profile_args {
	bool seccomp, caps;
	const char *engine;
};

static int profile_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	struct profile_args *a = ud;
	switch (c) {
	case OPT_SECCOMP:
		a->seccomp = true;
		return 0;
	case OPT_CAPS:
		a->caps = true;
		return 0;
	case 'H':
	case OPT_ENGINE:
		a->engine = arg;
		return 0;
	}
	return bw_cli_usage_error(cli->cmd, "unexpected option");
}

int bw_cmd_profile(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    {"seccomp", no_argument, NULL, OPT_SECCOMP},
	    {"caps", no_argument, NULL, OPT_CAPS},
	    {"engine", required_argument, NULL, OPT_ENGINE},
	    {NULL, 0, NULL, 0},
	};
	struct profile_args a = {0};
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT "H:", longopts, profile_option, &a, &done);
	if (rc || done)
		return rc;
	if (argc - optind != 1)
		return bw_cli_usage_error(cli->cmd, argc > optind ? "one IMAGE only" : "missing IMAGE");
	if (a.seccomp && a.caps)
		return bw_cli_usage_error(cli->cmd, "--seccomp or --caps, not both");
	if (cli->format != BW_FORMAT_JSON && cli->format != BW_FORMAT_TABLE)
		return bw_cli_usage_error(cli->cmd, "profile writes table or json");
	struct bw_error err = BW_ERROR_INIT;
	struct bw_monitor_profile *p = NULL;
	rc = bw_monitor_profile_load(argv[optind], NULL, a.engine, &p, &err);
	if (rc)
		return bw_cli_fail(cli, &err);
	FILE *out = bw_cli_open_output(cli, &err);
	if (!out) {
		bw_monitor_profile_free(p);
		return bw_cli_fail(cli, &err);
	}
	if (a.seccomp) {
		json_t *j = bw_monitor_profile_seccomp(p);
		json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
		json_decref(j);
	} else if (a.caps) {
		const char **caps = bw_monitor_profile_caps(p);
		if (cli->format == BW_FORMAT_JSON) {
			json_t *arr = json_array();
			for (size_t i = 0; caps[i]; i++)
				json_array_append_new(arr, json_string(caps[i]));
			json_dumpf(arr, out, JSON_INDENT(2));
			fputc('\n', out);
			json_decref(arr);
		} else {
			for (size_t i = 0; caps[i]; i++)
				fprintf(out, "%s\n", caps[i]);
		}
		free(caps);
	} else {
		json_t *j = bw_monitor_profile_json(p);
		if (cli->format == BW_FORMAT_JSON) {
			json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			fputc('\n', out);
		} else {
			json_t *img = json_object_get(j, "image");
			fprintf(out, "image %s, learned for %.0f s in %lld session(s)\n",
				json_string_value(json_object_get(img, "id")),
				json_number_value(json_object_get(j, "learned_seconds")),
				(long long)json_integer_value(json_object_get(j, "sessions")));
			const char *const sections[] = {"executables", "files_written", "capabilities",
							"syscalls"};
			for (size_t s = 0; s < BW_ARRAY_SIZE(sections); s++) {
				json_t *o = json_object_get(j, sections[s]);
				fprintf(out, "%s (%zu):\n", sections[s], json_object_size(o));
				const char *k;
				json_t *v;
				json_object_foreach(o, k, v)
				{
					fprintf(out, "  %8lld  ", (long long)json_integer_value(v));
					bw_report_put_text(out, k, SIZE_MAX, 0);
					fputc('\n', out);
				}
			}
			json_t *net = json_object_get(j, "network");
			const char *const nets[] = {"connect", "listen"};
			for (size_t s = 0; s < 2; s++) {
				json_t *o = json_object_get(net, nets[s]);
				fprintf(out, "network %s (%zu):\n", nets[s], json_object_size(o));
				const char *k;
				json_t *v;
				json_object_foreach(o, k, v)
				{
					fprintf(out, "  %8lld  ", (long long)json_integer_value(v));
					bw_report_put_text(out, k, SIZE_MAX, 0);
					fputc('\n', out);
				}
			}
		}
		json_decref(j);
	}
	bw_monitor_profile_free(p);
	if (bw_cli_close_output(cli, out, &err) < 0)
		return bw_cli_fail(cli, &err);
	return BW_EXIT_OK;
}
