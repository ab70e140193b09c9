/* The facts an audit decides on: from the live engine, or from saved
 * files when offline. Failures here are report warnings naming the input,
 * except an engine that cannot be reached at all. */
#include <dirent.h>

#include "audit-int.h"

/* An inspect file holds what live answers hold: as large as one (64 MiB),
 * its tree held to BW_JSON_TREE_MAX. */
#define INSPECT_FILE_MAX ((size_t)64 * 1024 * 1024)

static int timed_get(struct audit_ctx *ctx, const char *path, json_t **out, struct bw_error *err)
{
	double t0 = bw_now();
	int rc = bw_engine_get_json(ctx->engine, path, 0, out, err);
	ctx->engine_seconds += bw_now() - t0;
	return rc;
}

int audit_load_live(struct audit_ctx *ctx, struct bw_error *err)
{
	struct bw_engine_opts eo = {.host = ctx->opts->engine_host,
				    .timeout_ms = ctx->opts->engine_timeout_ms,
				    .deadline = ctx->deadline};
	double t0 = bw_now();
	int rc = bw_engine_open(&eo, &ctx->engine, err);
	ctx->engine_seconds += bw_now() - t0;
	if (rc)
		return rc;
	ctx->report->target.name = bw_report_str(ctx->report, bw_engine_host(ctx->engine));

	struct bw_error e = BW_ERROR_INIT;
	if (timed_get(ctx, "/info", &ctx->info, &e)) {
		audit_out_of_time(ctx);
		bw_report_warn(ctx->report, "engine info not read: %s", e.msg);
	}

	json_t *list = NULL;
	if (timed_get(ctx, "/containers/json?all=1", &list, &e)) {
		audit_out_of_time(ctx);
		bw_report_warn(ctx->report, "containers not listed, section 5 is incomplete: %s", e.msg);
	} else if (!json_is_array(list)) {
		bw_report_warn(ctx->report, "%s: GET /containers/json: not a list; section 5 is incomplete",
			       bw_engine_host(ctx->engine));
	} else {
		size_t i;
		json_t *c;
		json_array_foreach(list, i, c)
		{
			const char *id = jstr(c, "Id");
			if (!id)
				continue;
			bw_autofree char *esc = bw_engine_escape(id);
			bw_autofree char *path = bw_asprintf("/containers/%s/json", esc);
			json_t *ins = NULL;
			rc = timed_get(ctx, path, &ins, &e);
			if (rc == BW_ENOTFOUND) /* removed since the listing */
				continue;
			if (rc && audit_out_of_time(ctx)) {
				bw_report_warn(ctx->report, "container %.12s not checked: %s", id, e.msg);
				continue;
			}
			if (rc) {
				bw_report_warn(ctx->report, "container %.12s not audited: %s", id, e.msg);
				continue;
			}
			if (json_is_object(ins))
				json_array_append_new(ctx->containers, ins);
			else
				json_decref(ins);
		}
	}
	json_decref(list);

	if (timed_get(ctx, "/images/json?all=0", &ctx->images, &e)) {
		audit_out_of_time(ctx);
		bw_report_warn(ctx->report, "images not listed: %s", e.msg);
	}
	return 0;
}

static json_t *read_json_file(struct audit_ctx *ctx, const char *path, const char *what)
{
	struct bw_buf b;
	struct bw_error err = BW_ERROR_INIT;
	bw_buf_init(&b, INSPECT_FILE_MAX);
	if (bw_buf_read_file(&b, path, &err) < 0) {
		bw_report_warn(ctx->report, "%s not read: %s", what, err.msg);
		bw_buf_release(&b);
		return NULL;
	}
	json_error_t je;
	bool too_big = false;
	json_t *j = bw_json_loadb(b.data, b.len, JSON_DECODE_ANY, BW_JSON_TREE_MAX, &je, &too_big);
	if (too_big)
		bw_report_warn(ctx->report, "%s %s: takes more than %zu MiB once parsed; it is not audited",
			       what, path, BW_JSON_TREE_MAX >> 20);
	else if (!j)
		bw_report_warn(ctx->report, "%s %s: not JSON (line %d, column %d: %s); it is not audited",
			       what, path, je.line, je.column, je.text);
	bw_buf_release(&b);
	return j;
}

void audit_load_offline(struct audit_ctx *ctx)
{
	for (size_t i = 0; i < ctx->opts->n_inspect_files; i++) {
		const char *f = ctx->opts->inspect_files[i];
		json_t *j = read_json_file(ctx, f, "inspect file");
		if (!j)
			continue;
		if (json_is_object(j)) {
			json_array_append(ctx->containers, j);
		} else if (json_is_array(j)) {
			size_t k;
			json_t *c;
			json_array_foreach(j, k, c)
			{
				if (json_is_object(c) && jstr(c, "Id") && jget(c, "HostConfig"))
					json_array_append(ctx->containers, c);
				else
					bw_report_warn(
					    ctx->report,
					    "inspect file %s: entry %zu is not a container's inspect "
					    "document; skipped",
					    f, k);
			}
		} else {
			bw_report_warn(ctx->report, "inspect file %s: neither an object nor a list; skipped",
				       f);
		}
		json_decref(j);
	}
	if (ctx->opts->engine_info_file) {
		ctx->info = read_json_file(ctx, ctx->opts->engine_info_file, "engine info file");
		if (ctx->info && !json_is_object(ctx->info)) {
			bw_report_warn(ctx->report, "engine info file %s: not an object; ignored",
				       ctx->opts->engine_info_file);
			json_decref(ctx->info);
			ctx->info = NULL;
		}
	}
}

void audit_index_containers(struct audit_ctx *ctx)
{
	size_t n = json_array_size(ctx->containers);
	ctx->cs = bw_calloc(n ? n : 1, sizeof(*ctx->cs));
	for (size_t i = 0; i < n; i++) {
		json_t *c = json_array_get(ctx->containers, i);
		struct audit_container *ac = &ctx->cs[ctx->n_cs];
		ac->inspect = c;
		ac->id = jstr(c, "Id");
		if (!ac->id)
			continue;
		const char *name = jstr(c, "Name");
		ac->name = name ? (name[0] == '/' ? name + 1 : name) : ac->id;
		ac->running = jtrue(c, "State.Running");
		ac->sshd = -1;
		ctx->n_cs++;
	}
}

/* Which running containers have an sshd process: one pass over the local
 * /proc, matching each sshd's cgroup paths against container ids. Only for
 * a local engine audited on its own host (root "/"). */
void audit_scan_processes(struct audit_ctx *ctx)
{
	if (!ctx->live || ctx->root[0] || !ctx->engine ||
	    strncmp(bw_engine_host(ctx->engine), "unix://", 7) != 0)
		return;
	for (size_t i = 0; i < ctx->n_cs; i++)
		if (ctx->cs[i].running)
			ctx->cs[i].sshd = 0;
	DIR *dir = opendir("/proc");
	if (!dir)
		return;
	struct dirent *de;
	while ((de = readdir(dir))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		char p[300], comm[64] = "";
		snprintf(p, sizeof(p), "/proc/%s/comm", de->d_name);
		FILE *f = fopen(p, "re");
		if (!f)
			continue;
		bool sshd = fgets(comm, sizeof(comm), f) && strcmp(comm, "sshd\n") == 0;
		fclose(f);
		if (!sshd)
			continue;
		snprintf(p, sizeof(p), "/proc/%s/cgroup", de->d_name);
		struct bw_buf b;
		bw_buf_init(&b, 64 * 1024);
		if (bw_buf_read_file(&b, p, NULL) == 0 && b.data) {
			for (size_t i = 0; i < ctx->n_cs; i++)
				if (ctx->cs[i].running && strstr(b.data, ctx->cs[i].id)) {
					ctx->cs[i].sshd = 1;
					ctx->cs[i].sshd_evidence = bw_report_strf(
					    ctx->report, "sshd runs as host pid %s", de->d_name);
				}
		}
		bw_buf_release(&b);
	}
	closedir(dir);
}
