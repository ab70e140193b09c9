/* The documents that describe a walked image — "bulwark.inspect/v1" and
 * "bulwark.files/v1" (docs/image.md) — and their tables. Every string in
 * a table comes from the image: it goes through bw_report_put_text. */
#include "image-int.h"

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

static json_t *config_json(const struct bw_image_info *info)
{
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
	return c;
}

json_t *bw_image_inspect_json(const struct bw_image *img)
{
	const struct bw_image_info *info = bw_image_info(img);
	json_t *o = json_object();
	json_object_set_new(o, "schema", json_string(BW_IMAGE_INSPECT_SCHEMA));
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
	json_object_set_new(o, "config", config_json(info));

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

/* "Label:      value": the label padded to 13 columns. */
static void put_field(FILE *out, const char *label, const char *value)
{
	fprintf(out, "%-13s", label);
	bw_report_put_text(out, value, SIZE_MAX, 0);
	fputc('\n', out);
}

static void put_strings(FILE *out, const char *label, const json_t *arr)
{
	fprintf(out, "%-13s", label);
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		fprintf(out, "-\n");
		return;
	}
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const char *v = json_string_value(json_array_get(arr, i));
		if (i)
			fputc(' ', out);
		bw_report_put_text(out, v ? v : "?", SIZE_MAX, 0);
	}
	fputc('\n', out);
}

/* The hex of a digest (its first 12 digits are shown). */
static const char *short_digest(const char *d)
{
	return d ? (strchr(d, ':') ? strchr(d, ':') + 1 : d) : "-";
}

static const char *get_str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void inspect_table(const json_t *j, FILE *out)
{
	const json_t *c = json_object_get(j, "config"), *p = json_object_get(j, "platform");
	const char *name = get_str(json_object_get(j, "target"), "name");
	put_field(out, "Target:", name ? name : "?");
	put_field(out, "Digest:", get_str(j, "digest") ?: "-");
	put_field(out, "Config:", get_str(j, "config_digest") ?: "-");
	const char *v = get_str(p, "variant");
	fprintf(out, "%-13s", "Platform:");
	bw_report_put_text(out, get_str(p, "os") ?: "?", SIZE_MAX, 0);
	fputc('/', out);
	bw_report_put_text(out, get_str(p, "architecture") ?: "?", SIZE_MAX, 0);
	if (v) {
		fputc('/', out);
		bw_report_put_text(out, v, SIZE_MAX, 0);
	}
	fputc('\n', out);
	put_field(out, "Created:", get_str(j, "created") ?: "-");
	const char *user = get_str(c, "user");
	put_field(out, "User:", user && *user ? user : "(root, not set)");
	put_strings(out, "Entrypoint:", json_object_get(c, "entrypoint"));
	put_strings(out, "Cmd:", json_object_get(c, "cmd"));
	const char *wd = get_str(c, "workdir");
	put_field(out, "Workdir:", wd && *wd ? wd : "-");
	put_strings(out, "Ports:", json_object_get(c, "exposed_ports"));
	put_strings(out, "Volumes:", json_object_get(c, "volumes"));
	put_field(out, "Stop signal:", get_str(c, "stop_signal") ?: "-");
	const json_t *hc = json_object_get(c, "healthcheck");
	put_strings(out, "Healthcheck:", json_is_object(hc) ? json_object_get(hc, "test") : NULL);
	const json_t *env = json_object_get(c, "env");
	fprintf(out, "Env:\n");
	for (size_t i = 0; i < json_array_size(env); i++) {
		const char *e = json_string_value(json_array_get(env, i));
		fprintf(out, "  ");
		bw_report_put_text(out, e ? e : "?", SIZE_MAX, 0);
		fputc('\n', out);
	}
	const json_t *labels = json_object_get(c, "labels");
	if (json_object_size(labels)) {
		fprintf(out, "Labels:\n");
		const char *k;
		json_t *e;
		json_object_foreach((json_t *)labels, k, e)
		{
			fprintf(out, "  ");
			bw_report_put_text(out, k, SIZE_MAX, 0);
			fputc('=', out);
			bw_report_put_text(out, json_string_value(e) ?: "", SIZE_MAX, 0);
			fputc('\n', out);
		}
	}
	fprintf(out, "\nLayers:\n  %-3s %-12s %10s %10s %8s  %s\n", "#", "DIGEST", "COMPRESSED", "SIZE",
		"FILES", "CREATED BY");
	const json_t *layers = json_object_get(j, "layers");
	for (size_t i = 0; i < json_array_size(layers); i++) {
		const json_t *e = json_array_get(layers, i);
		char cs[32], us[32];
		bw_format_size((uint64_t)json_integer_value(json_object_get(e, "compressed_size")), cs,
			       sizeof(cs));
		bw_format_size((uint64_t)json_integer_value(json_object_get(e, "size")), us, sizeof(us));
		fprintf(out, "  %-3zu ", i);
		bw_report_put_text(out, short_digest(get_str(e, "digest")), 12, 12);
		fprintf(out, " %10s %10s %8lld  ", cs, us,
			(long long)json_integer_value(json_object_get(e, "files")));
		bw_report_put_text(out, get_str(e, "created_by"), 80, 0);
		fputc('\n', out);
	}
	const json_t *tot = json_object_get(j, "totals");
	char ts[32];
	bw_format_size((uint64_t)json_integer_value(json_object_get(tot, "size")), ts, sizeof(ts));
	fprintf(out, "\nFinal filesystem: %lld entries, %s in regular files\n",
		(long long)json_integer_value(json_object_get(tot, "files")), ts);
}

int bw_image_inspect_write(const struct bw_image *img, enum bw_format fmt, FILE *out, struct bw_error *err)
{
	if (fmt != BW_FORMAT_JSON && fmt != BW_FORMAT_TABLE)
		return bw_error_set(err, BW_EUNSUPPORTED, "image inspect writes table or json, not %s",
				    bw_format_name(fmt));
	json_t *j = bw_image_inspect_json(img);
	if (fmt == BW_FORMAT_JSON) {
		json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
	} else {
		inspect_table(j, out);
	}
	json_decref(j);
	return 0;
}

/* ---- files ---- */

static uint64_t shown_size(const struct bw_file *f)
{
	return f->type == BW_FILE_REG || f->type == BW_FILE_HARDLINK ? f->size : 0;
}

static json_t *file_json(const struct bw_image_info *info, const struct bw_file *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "path", json_string(f->path));
	json_object_set_new(o, "type", json_string(bw_file_type_name(f->type)));
	json_object_set_new(o, "mode", json_integer(f->mode));
	json_object_set_new(o, "uid", json_integer(f->uid));
	json_object_set_new(o, "gid", json_integer(f->gid));
	json_object_set_new(o, "size", json_integer((json_int_t)shown_size(f)));
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

/* Streamed by hand: a million entries must not become one JSON tree. */
static void files_json(const struct bw_image_info *info, const struct bw_file *arr,
		       const struct bw_file *const *final, size_t n, FILE *out)
{
	json_t *t = json_object();
	json_object_set_new(t, "type", json_string("image"));
	json_object_set_new(t, "name", json_string(info->name));
	char *ts = json_dumps(t, JSON_COMPACT);
	fprintf(out, "{\"schema\":\"" BW_IMAGE_FILES_SCHEMA "\",\"target\":%s,\"files\":[", ts);
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
}

/* One line an entry, as ls -l: mode, owner, size, layer, path and what a
 * link points to (or a whiteout deletes). */
static void files_table(const struct bw_file *arr, const struct bw_file *const *final, size_t n, FILE *out)
{
	for (size_t i = 0; i < n; i++) {
		const struct bw_file *f = final ? final[i] : &arr[i];
		char m[12];
		bw_file_mode_string(f, m);
		fprintf(out, "%s %5u:%-5u %12llu  L%-3d ", m, f->uid, f->gid,
			(unsigned long long)shown_size(f), f->layer);
		bw_report_put_text(out, f->path, SIZE_MAX, 0);
		const char *arrow = f->type == BW_FILE_SYMLINK	  ? " -> "
				    : f->type == BW_FILE_HARDLINK ? " => "
				    : f->type == BW_FILE_WHITEOUT ? " (deletes "
								  : NULL;
		if (arrow) {
			fputs(arrow, out);
			bw_report_put_text(out, f->link, SIZE_MAX, 0);
			if (f->type == BW_FILE_WHITEOUT)
				fputc(')', out);
		}
		fputc('\n', out);
	}
}

int bw_image_files_write(const struct bw_image *img, int layer, enum bw_format fmt, FILE *out,
			 struct bw_error *err)
{
	const struct bw_image_info *info = bw_image_info(img);
	if (fmt != BW_FORMAT_JSON && fmt != BW_FORMAT_TABLE)
		return bw_error_set(err, BW_EUNSUPPORTED, "image files writes table or json, not %s",
				    bw_format_name(fmt));
	if (layer >= 0 && (size_t)layer >= info->n_layers)
		return bw_error_set(err, BW_EUSAGE, "layer %d: the image has %zu layers (0 to %zu)", layer,
				    info->n_layers, info->n_layers ? info->n_layers - 1 : 0);
	size_t n;
	const struct bw_file *arr = NULL;
	const struct bw_file *const *final = NULL;
	if (layer >= 0)
		arr = bw_image_layer_files(img, layer, &n);
	else
		final = bw_image_final(img, &n);
	if (fmt == BW_FORMAT_JSON)
		files_json(info, arr, final, n, out);
	else
		files_table(arr, final, n, out);
	return 0;
}
