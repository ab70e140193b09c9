/* The daemon's effective configuration, as CIS section 2 needs it.
 *
 * Two sources, mapped onto daemon.json's keys: the daemon.json file
 * (/etc/docker/daemon.json, or the file dockerd's --config-file names) and
 * dockerd's command line (/proc/<pid>/cmdline of the running daemon, or a
 * saved copy: NUL-separated as in /proc, or whitespace-separated text).
 * dockerd itself refuses to start when both set one option; when a saved
 * pair disagrees anyway, the command line wins. */
#include <dirent.h>

#include "audit-int.h"

enum opt_type { OPT_BOOL, OPT_STRING, OPT_LIST, OPT_MAP };

static const struct {
	const char *flag; /* without dashes */
	char shorthand;	  /* -H, -l, -s, -g, -D or 0 */
	const char *key;  /* daemon.json key */
	enum opt_type type;
} flags[] = {
    {"icc", 0, "icc", OPT_BOOL},
    {"iptables", 0, "iptables", OPT_BOOL},
    {"ip-masq", 0, "ip-masq", OPT_BOOL},
    {"live-restore", 0, "live-restore", OPT_BOOL},
    {"userland-proxy", 0, "userland-proxy", OPT_BOOL},
    {"experimental", 0, "experimental", OPT_BOOL},
    {"no-new-privileges", 0, "no-new-privileges", OPT_BOOL},
    {"tlsverify", 0, "tlsverify", OPT_BOOL},
    {"tls", 0, "tls", OPT_BOOL},
    {"selinux-enabled", 0, "selinux-enabled", OPT_BOOL},
    {"debug", 'D', "debug", OPT_BOOL},
    {"log-level", 'l', "log-level", OPT_STRING},
    {"storage-driver", 's', "storage-driver", OPT_STRING},
    {"userns-remap", 0, "userns-remap", OPT_STRING},
    {"cgroup-parent", 0, "cgroup-parent", OPT_STRING},
    {"log-driver", 0, "log-driver", OPT_STRING},
    {"seccomp-profile", 0, "seccomp-profile", OPT_STRING},
    {"tlscacert", 0, "tlscacert", OPT_STRING},
    {"tlscert", 0, "tlscert", OPT_STRING},
    {"tlskey", 0, "tlskey", OPT_STRING},
    {"data-root", 'g', "data-root", OPT_STRING},
    {"config-file", 0, "config-file", OPT_STRING},
    {"insecure-registry", 0, "insecure-registries", OPT_LIST},
    {"host", 'H', "hosts", OPT_LIST},
    {"storage-opt", 0, "storage-opts", OPT_LIST},
    {"authorization-plugin", 0, "authorization-plugins", OPT_LIST},
    {"exec-opt", 0, "exec-opts", OPT_LIST},
    {"default-ulimit", 0, "default-ulimits", OPT_MAP},
    {"log-opt", 0, "log-opts", OPT_MAP},
};

void audit_daemon_release(struct audit_daemon *d)
{
	json_decref(d->config);
	json_decref(d->source);
	free(d->json_path);
	free(d->cmdline_text);
	memset(d, 0, sizeof(*d));
}

static json_t *bool_value(const char *v)
{
	if (!v || !strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "t") || !strcmp(v, "TRUE") ||
	    !strcmp(v, "True"))
		return json_true();
	return json_false();
}

static void set_flag(struct audit_daemon *d, size_t fi, const char *value, json_t *seen_lists)
{
	const char *key = flags[fi].key;
	json_t *cur;
	switch (flags[fi].type) {
	case OPT_BOOL:
		json_object_set_new(d->config, key, bool_value(value));
		break;
	case OPT_STRING:
		json_object_set_new(d->config, key, json_string(value ? value : ""));
		break;
	case OPT_LIST:
	case OPT_MAP:
		/* the command line replaces the file's list on its first use */
		if (!json_object_get(seen_lists, key)) {
			json_object_set_new(d->config, key,
					    flags[fi].type == OPT_LIST ? json_array() : json_object());
			json_object_set_new(seen_lists, key, json_true());
		}
		cur = json_object_get(d->config, key);
		if (flags[fi].type == OPT_LIST) {
			json_array_append_new(cur, json_string(value ? value : ""));
		} else {
			/* "nofile=1024:2048" / "max-size=10m" */
			const char *eq = value ? strchr(value, '=') : NULL;
			bw_autofree char *k =
			    eq ? bw_strndup(value, (size_t)(eq - value)) : bw_strdup(value ? value : "");
			json_object_set_new(cur, k, json_string(eq ? eq + 1 : ""));
		}
		break;
	}
	json_object_set_new(d->source, key, json_string("command line"));
}

void audit_daemon_apply_cmdline(struct audit_daemon *d, char *const *argv, size_t argc)
{
	json_t *seen = json_object();
	for (size_t i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || !a[1])
			continue;
		const char *name = a + 1, *value = NULL;
		size_t fi = BW_ARRAY_SIZE(flags);
		bool attached = false;
		if (a[1] == '-') {
			name = a + 2;
			const char *eq = strchr(name, '=');
			size_t n = eq ? (size_t)(eq - name) : strlen(name);
			for (size_t k = 0; k < BW_ARRAY_SIZE(flags); k++)
				if (strlen(flags[k].flag) == n && !strncmp(flags[k].flag, name, n))
					fi = k;
			if (eq) {
				value = eq + 1;
				attached = true;
			}
		} else {
			for (size_t k = 0; k < BW_ARRAY_SIZE(flags); k++)
				if (flags[k].shorthand && flags[k].shorthand == a[1])
					fi = k;
			if (a[2]) {
				value = a[2] == '=' ? a + 3 : a + 2;
				attached = true;
			}
		}
		if (fi == BW_ARRAY_SIZE(flags))
			continue;
		if (flags[fi].type != OPT_BOOL && !attached) {
			if (i + 1 >= argc)
				continue;
			value = argv[++i];
		}
		set_flag(d, fi, value, seen);
	}
	json_decref(seen);
	d->have_cmdline = true;
}

/* Split a saved command line: NULs as in /proc, else whitespace. */
static void apply_text(struct audit_daemon *d, char *text, size_t len)
{
	bool nul = memchr(text, '\0', len) != NULL;
	size_t cap = 0, n = 0;
	char **argv = NULL;
	size_t i = 0;
	while (i < len) {
		while (i < len &&
		       (nul ? text[i] == '\0' : (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')))
			text[i++] = '\0';
		if (i >= len)
			break;
		BW_ALLOC_GROW(argv, n + 1, cap);
		argv[n++] = text + i;
		while (i < len &&
		       !(nul ? text[i] == '\0' : (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')))
			i++;
	}
	/* evidence: the command line with spaces */
	struct bw_buf b;
	bw_buf_init(&b, 4096);
	for (size_t k = 0; k < n; k++)
		if (bw_buf_printf(&b, "%s%s", k ? " " : "", argv[k]) < 0)
			break;
	d->cmdline_text = bw_buf_detach(&b, NULL);
	audit_daemon_apply_cmdline(d, argv, n);
	free(argv);
}

/* The running dockerd's /proc/<pid>/cmdline (host root "/" only). */
static bool find_dockerd(char *path, size_t pathlen)
{
	DIR *dir = opendir("/proc");
	if (!dir)
		return false;
	bool found = false;
	struct dirent *de;
	while (!found && (de = readdir(dir))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		char comm[64] = "", p[300];
		snprintf(p, sizeof(p), "/proc/%s/comm", de->d_name);
		FILE *f = fopen(p, "re");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && strcmp(comm, "dockerd\n") == 0) {
			snprintf(path, pathlen, "/proc/%s/cmdline", de->d_name);
			found = true;
		}
		fclose(f);
	}
	closedir(dir);
	return found;
}

static void load_cmdline(struct audit_ctx *ctx)
{
	struct audit_daemon *d = &ctx->daemon;
	char path[300];
	const char *file = ctx->opts->dockerd_cmdline;
	if (!file) {
		bool local = ctx->live && ctx->root[0] == '\0' && ctx->engine &&
			     strncmp(bw_engine_host(ctx->engine), "unix://", 7) == 0;
		if (!local || !find_dockerd(path, sizeof(path)))
			return;
		file = path;
	}
	struct bw_buf b;
	struct bw_error err = BW_ERROR_INIT;
	bw_buf_init(&b, 256 * 1024);
	if (bw_buf_read_file(&b, file, &err) < 0)
		bw_report_warn(ctx->report, "dockerd command line not read: %s", err.msg);
	else
		apply_text(d, b.data ? b.data : (char *)"", b.len);
	bw_buf_release(&b);
}

static void load_json(struct audit_ctx *ctx)
{
	struct audit_daemon *d = &ctx->daemon;
	const char *cf = json_string_value(json_object_get(d->config, "config-file"));
	if (ctx->opts->daemon_json)
		d->json_path = bw_strdup(ctx->opts->daemon_json);
	else
		d->json_path = audit_path(ctx, cf ? cf : "/etc/docker/daemon.json");

	struct bw_buf b;
	struct bw_error err = BW_ERROR_INIT;
	bw_buf_init(&b, 4 * 1024 * 1024);
	int rc = bw_buf_read_file(&b, d->json_path, &err);
	if (rc == BW_ENOTFOUND) {
		d->have_json = false;
		bw_buf_release(&b);
		return;
	}
	if (rc < 0) {
		bw_report_warn(ctx->report, "daemon configuration not read: %s", err.msg);
		bw_buf_release(&b);
		return;
	}
	json_error_t je;
	json_t *j = json_loadb(b.data ? b.data : "", b.len, 0, &je);
	bw_buf_release(&b);
	if (!j || !json_is_object(j)) {
		if (j)
			bw_report_warn(ctx->report,
				       "%s: not a JSON object; its daemon options are not audited",
				       d->json_path);
		else
			bw_report_warn(
			    ctx->report,
			    "%s: line %d, column %d: %s (dockerd refuses such a file too: JSON allows "
			    "no comments or trailing commas); its daemon options are not audited",
			    d->json_path, je.line, je.column, je.text);
		json_decref(j);
		return;
	}
	d->have_json = true;
	const char *k;
	json_t *v;
	json_object_foreach(j, k, v)
	{
		/* the command line was read first and wins */
		if (json_object_get(d->source, k))
			continue;
		json_object_set(d->config, k, v);
		json_object_set_new(d->source, k, json_string("daemon.json"));
	}
	json_decref(j);
}

void audit_daemon_load(struct audit_ctx *ctx)
{
	struct audit_daemon *d = &ctx->daemon;
	d->config = json_object();
	d->source = json_object();
	load_cmdline(ctx);
	load_json(ctx);
}

json_t *audit_daemon_get(const struct audit_ctx *ctx, const char *key, const char **src)
{
	json_t *v = json_object_get(ctx->daemon.config, key);
	if (src)
		*src = v ? json_string_value(json_object_get(ctx->daemon.source, key)) : NULL;
	return v;
}
