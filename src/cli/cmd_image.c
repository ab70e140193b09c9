/* bulwark image [inspect|files|cat] TARGET — read an image. */
#include "cli.h"
#include "image/image.h"
#include "scan/scan.h"

#include <jansson.h>

const char bw_usage_image[] =
    "usage: bulwark image [inspect|files|cat] [options] TARGET\n"
    "\n"
    "Read a container image in one streaming pass, verifying every digest.\n"
    "\n"
    "  bulwark image TARGET             scan the image with every scanner built in\n"
    "  bulwark image inspect TARGET     digest, platform, configuration, layers, totals\n"
    "  bulwark image files TARGET       the final filesystem (or one layer with --layer N)\n"
    "  bulwark image cat TARGET PATH    print one file of the final filesystem\n"
    "\n"
    "targets:\n"
    "  docker-archive:PATH      a tar written by docker save (legacy or OCI layout)\n"
    "  oci:DIR[:REF]            an OCI image layout directory\n"
    "  oci-archive:PATH[:REF]   an OCI image layout in a tar\n"
    "  docker:NAME[:TAG]        an image of the local Docker Engine (DOCKER_HOST honoured)\n"
    "  dir:PATH                 a root filesystem directory\n"
    "  without a prefix the kind is detected: a file is an archive, a directory with\n"
    "  index.json an OCI layout, another directory a root filesystem, else an engine image.\n"
    "\n"
    "options:\n"
    "      --scanners LIST  (scan) comma list of packages, vuln, secret, config (default: all)\n"
    "      --list-packages  (scan) include the package inventory in the report\n"
    "      --secret-config FILE  (scan) custom secret rules and allow-lists (YAML)\n"
    "      --db PATH        (scan) vulnerability database (default: ~/.cache/bulwark/db.sqlite)\n"
    "      --ignore-unfixed (scan) leave out vulnerabilities that have no fixed version yet\n"
    "      --no-cache       (scan) read and verify every layer; neither use nor fill the\n"
    "                       layer cache (see 'bulwark cache')\n" BW_CLI_SUPPRESS_HELP
    "      --layer N        (files) list layer N (0 = bottom) instead of the final view\n"
    "  -j, --jobs N         layers walked in parallel (default: the number of CPUs)\n" BW_CLI_COMMON_HELP;

enum { OPT_LAYER = BW_OPT__COMMAND_BASE, OPT_JOBS };

struct image_args {
	int layer; /* -1: final view */
	struct bw_cli_scan_args scan;
};

static int image_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	struct image_args *a = ud;
	char *end;
	long v;
	int h = bw_cli_scan_option(cli, c, arg, &a->scan);
	if (h)
		return h < 0 ? -h : 0;
	switch (c) {
	case OPT_LAYER:
		v = strtol(arg, &end, 10);
		if (*end || end == arg || v < 0 || v > 100000)
			return bw_cli_usage_error(cli->cmd, "--layer takes a layer number, not '%s'", arg);
		a->layer = (int)v;
		return 0;
	case 'j':
	case OPT_JOBS:
		v = strtol(arg, &end, 10);
		if (*end || end == arg || v < 1 || v > 256)
			return bw_cli_usage_error(cli->cmd, "--jobs takes a number from 1 to 256, not '%s'",
						  arg);
		a->scan.jobs = (int)v;
		return 0;
	}
	return bw_cli_usage_error(cli->cmd, "unexpected option");
}

static int open_walk(struct bw_cli *cli, const char *target, const struct image_args *a,
		     struct bw_image **out, struct bw_error *err)
{
	struct bw_image_opts o = {.platform = cli->platform, .jobs = a->scan.jobs};
	int rc = bw_image_open(target, &o, out, err);
	if (rc < 0)
		return rc;
	rc = bw_image_walk(*out, NULL, 0, bw_cli_image_progress(cli), (void *)cli, err);
	bw_cli_progress_done(cli);
	if (rc < 0) {
		bw_image_free(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- inspect ---- */

static json_t *jstr_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *cfg_get(const struct bw_image_info *info, const char *k)
{
	return json_object_get(json_object_get(info->config, "config"), k);
}

static json_t *keys_of(json_t *obj)
{
	json_t *arr = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v)
	{
		(void)v;
		json_array_append_new(arr, json_string(k));
	}
	return arr;
}

static json_t *copy_or_null(json_t *v)
{
	return v ? json_deep_copy(v) : json_null();
}

static json_t *inspect_json(struct bw_image *img)
{
	const struct bw_image_info *info = bw_image_info(img);
	json_t *o = json_object();
	json_object_set_new(o, "schema", json_string("bulwark.inspect/v1"));
	json_t *t = json_object();
	json_object_set_new(t, "type", json_string(info->target_type));
	json_object_set_new(t, "name", json_string(info->name));
	json_object_set_new(o, "target", t);
	json_object_set_new(o, "digest", jstr_or_null(info->digest));
	json_object_set_new(o, "config_digest", jstr_or_null(info->config_digest));
	json_t *tags = json_array();
	for (size_t i = 0; i < info->n_repo_tags; i++)
		json_array_append_new(tags, json_string(info->repo_tags[i]));
	json_object_set_new(o, "repo_tags", tags);
	json_t *p = json_object();
	json_object_set_new(p, "os", jstr_or_null(info->os));
	json_object_set_new(p, "architecture", jstr_or_null(info->architecture));
	json_object_set_new(p, "variant", jstr_or_null(info->variant));
	json_object_set_new(o, "platform", p);
	json_object_set_new(o, "created", jstr_or_null(info->created));
	json_object_set_new(o, "author", jstr_or_null(info->author));

	json_t *c = json_object();
	json_t *user = cfg_get(info, "User");
	json_object_set_new(c, "user", json_string(json_is_string(user) ? json_string_value(user) : ""));
	json_t *env = cfg_get(info, "Env");
	json_object_set_new(c, "env", json_is_array(env) ? json_deep_copy(env) : json_array());
	json_object_set_new(c, "entrypoint", copy_or_null(cfg_get(info, "Entrypoint")));
	json_object_set_new(c, "cmd", copy_or_null(cfg_get(info, "Cmd")));
	json_t *wd = cfg_get(info, "WorkingDir");
	json_object_set_new(c, "workdir", json_string(json_is_string(wd) ? json_string_value(wd) : ""));
	json_object_set_new(c, "exposed_ports", keys_of(cfg_get(info, "ExposedPorts")));
	json_object_set_new(c, "volumes", keys_of(cfg_get(info, "Volumes")));
	json_t *labels = cfg_get(info, "Labels");
	json_object_set_new(c, "labels", json_is_object(labels) ? json_deep_copy(labels) : json_object());
	json_t *hc = cfg_get(info, "Healthcheck");
	if (json_is_object(hc)) {
		json_t *h = json_object();
		json_object_set_new(h, "test", copy_or_null(json_object_get(hc, "Test")));
		static const char *const keys[][2] = {{"Interval", "interval_ns"},
						      {"Timeout", "timeout_ns"},
						      {"StartPeriod", "start_period_ns"},
						      {"StartInterval", "start_interval_ns"},
						      {"Retries", "retries"}};
		for (size_t i = 0; i < BW_ARRAY_SIZE(keys); i++) {
			json_t *v = json_object_get(hc, keys[i][0]);
			if (json_is_integer(v))
				json_object_set_new(h, keys[i][1], json_integer(json_integer_value(v)));
		}
		json_object_set_new(c, "healthcheck", h);
	} else {
		json_object_set_new(c, "healthcheck", json_null());
	}
	json_t *ss = cfg_get(info, "StopSignal");
	json_object_set_new(c, "stop_signal",
			    json_is_string(ss) ? json_string(json_string_value(ss)) : json_null());
	json_t *sh = cfg_get(info, "Shell");
	if (json_is_array(sh))
		json_object_set_new(c, "shell", json_deep_copy(sh));
	json_t *ob = cfg_get(info, "OnBuild");
	if (json_is_array(ob))
		json_object_set_new(c, "onbuild", json_deep_copy(ob));
	json_object_set_new(o, "config", c);

	json_t *layers = json_array();
	for (size_t i = 0; i < info->n_layers; i++) {
		const struct bw_image_layer *l = info->layers[i];
		json_t *lj = json_object();
		json_object_set_new(lj, "index", json_integer((json_int_t)i));
		json_object_set_new(lj, "digest", jstr_or_null(l->digest));
		json_object_set_new(lj, "diff_id", jstr_or_null(l->diff_id));
		json_object_set_new(lj, "media_type", jstr_or_null(l->media_type));
		json_object_set_new(lj, "compressed_size", json_integer(l->compressed_size));
		json_object_set_new(lj, "size", json_integer(l->size));
		json_object_set_new(lj, "created_by", jstr_or_null(l->created_by));
		json_object_set_new(lj, "created", jstr_or_null(l->created));
		json_object_set_new(lj, "files", json_integer((json_int_t)l->files));
		json_object_set_new(lj, "whiteouts", json_integer((json_int_t)l->whiteouts));
		json_array_append_new(layers, lj);
	}
	json_object_set_new(o, "layers", layers);
	json_t *hist = json_array();
	for (size_t i = 0; i < info->n_history; i++) {
		const struct bw_image_history *h = &info->history[i];
		json_t *hj = json_object();
		json_object_set_new(hj, "created", jstr_or_null(h->created));
		json_object_set_new(hj, "created_by", jstr_or_null(h->created_by));
		json_object_set_new(hj, "empty_layer", json_boolean(h->empty_layer));
		json_object_set_new(hj, "comment", jstr_or_null(h->comment));
		json_array_append_new(hist, hj);
	}
	json_object_set_new(o, "history", hist);
	uint64_t files, bytes;
	bw_image_totals(img, &files, &bytes);
	json_t *tot = json_object();
	json_object_set_new(tot, "layers", json_integer((json_int_t)info->n_layers));
	json_object_set_new(tot, "files", json_integer((json_int_t)files));
	json_object_set_new(tot, "size", json_integer((json_int_t)bytes));
	json_object_set_new(o, "totals", tot);
	return o;
}

static void print_strings(FILE *out, const char *label, json_t *arr)
{
	fprintf(out, "%-13s", label);
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		fprintf(out, "-\n");
		return;
	}
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	    fprintf(out, "%s%s", i ? " " : "", json_string_value(v) ? json_string_value(v) : "?");
	fputc('\n', out);
}

static void short_digest(const char *d, char *out, size_t n)
{
	snprintf(out, n, "%s", d ? (strchr(d, ':') ? strchr(d, ':') + 1 : d) : "-");
	if (strlen(out) > 12)
		out[12] = '\0';
}

static void inspect_table(FILE *out, json_t *j)
{
	json_t *c = json_object_get(j, "config"), *p = json_object_get(j, "platform");
	const char *v = json_string_value(json_object_get(p, "variant"));
	fprintf(out, "%-13s%s\n",
		"Target:", json_string_value(json_object_get(json_object_get(j, "target"), "name")));
	fprintf(out, "%-13s%s\n", "Digest:", json_string_value(json_object_get(j, "digest")) ?: "-");
	fprintf(out, "%-13s%s\n", "Config:", json_string_value(json_object_get(j, "config_digest")) ?: "-");
	fprintf(out, "%-13s%s/%s%s%s\n", "Platform:", json_string_value(json_object_get(p, "os")) ?: "?",
		json_string_value(json_object_get(p, "architecture")) ?: "?", v ? "/" : "", v ? v : "");
	fprintf(out, "%-13s%s\n", "Created:", json_string_value(json_object_get(j, "created")) ?: "-");
	const char *user = json_string_value(json_object_get(c, "user"));
	fprintf(out, "%-13s%s\n", "User:", user && *user ? user : "(root, not set)");
	print_strings(out, "Entrypoint:", json_object_get(c, "entrypoint"));
	print_strings(out, "Cmd:", json_object_get(c, "cmd"));
	const char *wd = json_string_value(json_object_get(c, "workdir"));
	fprintf(out, "%-13s%s\n", "Workdir:", wd && *wd ? wd : "-");
	print_strings(out, "Ports:", json_object_get(c, "exposed_ports"));
	print_strings(out, "Volumes:", json_object_get(c, "volumes"));
	json_t *ss = json_object_get(c, "stop_signal");
	fprintf(out, "%-13s%s\n", "Stop signal:", json_is_string(ss) ? json_string_value(ss) : "-");
	json_t *hc = json_object_get(c, "healthcheck");
	print_strings(out, "Healthcheck:", json_is_object(hc) ? json_object_get(hc, "test") : NULL);
	json_t *env = json_object_get(c, "env");
	size_t i;
	json_t *e;
	fprintf(out, "Env:\n");
	json_array_foreach(env, i, e) fprintf(out, "  %s\n", json_string_value(e));
	json_t *labels = json_object_get(c, "labels");
	if (json_object_size(labels)) {
		fprintf(out, "Labels:\n");
		const char *k;
		json_object_foreach(labels, k, e) fprintf(out, "  %s=%s\n", k, json_string_value(e) ?: "");
	}
	fprintf(out, "\nLayers:\n  %-3s %-12s %10s %10s %8s  %s\n", "#", "DIGEST", "COMPRESSED", "SIZE",
		"FILES", "CREATED BY");
	json_array_foreach(json_object_get(j, "layers"), i, e)
	{
		char d[80], cs[32], us[32];
		short_digest(json_string_value(json_object_get(e, "digest")), d, sizeof(d));
		bw_format_size((uint64_t)json_integer_value(json_object_get(e, "compressed_size")), cs,
			       sizeof(cs));
		bw_format_size((uint64_t)json_integer_value(json_object_get(e, "size")), us, sizeof(us));
		const char *cb = json_string_value(json_object_get(e, "created_by"));
		fprintf(out, "  %-3zu %-12s %10s %10s %8lld  %.80s\n", i, d, cs, us,
			(long long)json_integer_value(json_object_get(e, "files")), cb ? cb : "");
	}
	json_t *tot = json_object_get(j, "totals");
	char ts[32];
	bw_format_size((uint64_t)json_integer_value(json_object_get(tot, "size")), ts, sizeof(ts));
	fprintf(out, "\nFinal filesystem: %lld entries, %s in regular files\n",
		(long long)json_integer_value(json_object_get(tot, "files")), ts);
}

/* ---- files ---- */

static json_t *file_json(const struct bw_image_info *info, const struct bw_file *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "path", json_string(f->path));
	json_object_set_new(o, "type", json_string(bw_file_type_name(f->type)));
	json_object_set_new(o, "mode", json_integer(f->mode));
	json_object_set_new(o, "uid", json_integer(f->uid));
	json_object_set_new(o, "gid", json_integer(f->gid));
	json_object_set_new(
	    o, "size",
	    json_integer((json_int_t)(f->type == BW_FILE_REG || f->type == BW_FILE_HARDLINK ? f->size : 0)));
	if (f->link)
		json_object_set_new(o, "link", json_string(f->link));
	json_object_set_new(o, "layer", json_integer(f->layer));
	if (f->implied)
		json_object_set_new(o, "implied", json_true());
	const char *ld =
	    f->layer >= 0 && (size_t)f->layer < info->n_layers ? info->layers[f->layer]->diff_id : NULL;
	json_object_set_new(o, "layer_digest", jstr_or_null(ld));
	return o;
}

static int write_files(struct bw_cli *cli, struct bw_image *img, int layer, FILE *out)
{
	const struct bw_image_info *info = bw_image_info(img);
	size_t n;
	const struct bw_file *arr = NULL;
	const struct bw_file *const *final = NULL;
	if (layer >= 0) {
		if ((size_t)layer >= info->n_layers) {
			fprintf(stderr, "bulwark image: --layer %d: the image has %zu layers (0 to %zu)\n",
				layer, info->n_layers, info->n_layers ? info->n_layers - 1 : 0);
			return BW_EXIT_USAGE;
		}
		arr = bw_image_layer_files(img, layer, &n);
	} else {
		final = bw_image_final(img, &n);
	}
	if (cli->format == BW_FORMAT_JSON) {
		/* streamed by hand: a million entries must not become one JSON tree */
		json_t *t = json_object();
		json_object_set_new(t, "type", json_string("image"));
		json_object_set_new(t, "name", json_string(info->name));
		char *ts = json_dumps(t, JSON_COMPACT);
		fprintf(out, "{\"schema\":\"bulwark.files/v1\",\"target\":%s,\"files\":[", ts);
		free(ts);
		json_decref(t);
		for (size_t i = 0; i < n; i++) {
			json_t *fj = file_json(info, final ? final[i] : &arr[i]);
			char *s = json_dumps(fj, JSON_COMPACT);
			fprintf(out, "%s\n%s", i ? "," : "", s);
			free(s);
			json_decref(fj);
		}
		fprintf(out, "]}\n");
		return BW_EXIT_OK;
	}
	if (cli->format != BW_FORMAT_TABLE)
		return bw_cli_usage_error(cli->cmd, "image files writes table or json");
	for (size_t i = 0; i < n; i++) {
		const struct bw_file *f = final ? final[i] : &arr[i];
		char m[12];
		bw_file_mode_string(f, m);
		fprintf(
		    out, "%s %5u:%-5u %12llu  L%-3d %s", m, f->uid, f->gid,
		    (unsigned long long)(f->type == BW_FILE_REG || f->type == BW_FILE_HARDLINK ? f->size : 0),
		    f->layer, f->path);
		if (f->type == BW_FILE_SYMLINK)
			fprintf(out, " -> %s", f->link);
		else if (f->type == BW_FILE_HARDLINK)
			fprintf(out, " => %s", f->link);
		else if (f->type == BW_FILE_WHITEOUT)
			fprintf(out, " (deletes %s)", f->link);
		fputc('\n', out);
	}
	return BW_EXIT_OK;
}

static int write_to(void *ud, const void *data, size_t len, struct bw_error *err)
{
	if (fwrite(data, 1, len, (FILE *)ud) != len)
		return bw_error_sys(err, BW_EIO, "writing the file out failed");
	return 0;
}

int bw_cmd_image(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    {"layer", required_argument, NULL, OPT_LAYER},
	    {"jobs", required_argument, NULL, OPT_JOBS},
	    BW_CLI_SCAN_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	const char *sub = "scan";
	if (argc > 1 && (strcmp(argv[1], "inspect") == 0 || strcmp(argv[1], "files") == 0 ||
			 strcmp(argv[1], "cat") == 0)) {
		sub = argv[1];
		argc--;
		argv++;
	}
	struct image_args a = {.layer = -1};
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT "j:", longopts, image_option, &a, &done);
	if (rc || done)
		return rc;
	int want = strcmp(sub, "cat") == 0 ? 2 : 1;
	if (argc - optind != want)
		return bw_cli_usage_error(
		    cli->cmd, argc - optind < want ? "missing %s" : "too many arguments (expected %s)",
		    want == 2 ? "TARGET and PATH" : "TARGET");
	if ((a.scan.scanners || a.scan.list_packages || a.scan.secret_config) && strcmp(sub, "scan") != 0)
		return bw_cli_usage_error(cli->cmd,
					  "--scanners, --list-packages and --secret-config go with a scan");
	if (a.layer >= 0 && strcmp(sub, "files") != 0)
		return bw_cli_usage_error(cli->cmd, "--layer goes with 'image files'");
	const char *target = argv[optind];

	struct bw_error err = BW_ERROR_INIT;
	if (strcmp(sub, "scan") == 0)
		return bw_cli_scan(cli, target, target, "image", &a.scan);

	struct bw_image *img = NULL;
	if (open_walk(cli, target, &a, &img, &err) < 0)
		return bw_cli_fail(cli, &err);

	FILE *out = bw_cli_open_output(cli, &err);
	if (!out) {
		bw_image_free(img);
		return bw_cli_fail(cli, &err);
	}
	rc = BW_EXIT_OK;
	if (strcmp(sub, "inspect") == 0) {
		json_t *j = inspect_json(img);
		if (cli->format == BW_FORMAT_JSON) {
			json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			fputc('\n', out);
		} else if (cli->format == BW_FORMAT_TABLE) {
			inspect_table(out, j);
		} else {
			rc = bw_cli_usage_error(cli->cmd, "image inspect writes table or json");
		}
		json_decref(j);
	} else if (strcmp(sub, "files") == 0) {
		rc = write_files(cli, img, a.layer, out);
	} else {
		if (bw_image_read_file(img, argv[optind + 1], write_to, out, &err) < 0)
			rc = bw_cli_fail(cli, &err);
	}
	bw_image_free(img);
	if (bw_cli_close_output(cli, out, &err) < 0 && rc == BW_EXIT_OK)
		rc = bw_cli_fail(cli, &err);
	return rc;
}
