/* Private declarations of the audit: the context every check reads, the
 * verdict it writes, and the check table's row type. */
#ifndef BW_AUDIT_INT_H
#define BW_AUDIT_INT_H

#include <jansson.h>
#include <sys/stat.h>

#include "audit/audit.h"
#include "engine/engine.h"

struct audit_container {
	json_t *inspect; /* borrowed from ctx->containers */
	const char *id;
	const char *name; /* without the leading '/' */
	bool running;
	int sshd; /* 1 an sshd process runs in it, 0 none, -1 unknown */
	const char *sshd_evidence;
};

/* The daemon's effective configuration: daemon.json keys, overridden by
 * dockerd's command-line flags mapped onto the same keys. */
struct audit_daemon {
	json_t *config;	   /* object; never NULL */
	json_t *source;	   /* key -> "daemon.json" or "command line" */
	bool have_json;	   /* daemon.json was read */
	bool have_cmdline; /* a command line was read */
	char *json_path;
	char *cmdline_text; /* for evidence */
};

/* One engine image judged by the image-configuration rules (images.c). */
struct audit_image {
	char *name;
	struct bw_report *report;
};

struct audit_ctx {
	const struct bw_audit_opts *opts;
	struct bw_report *report;
	const char *root; /* host root, without a trailing '/' ("" for "/") */
	bool live;
	struct bw_engine *engine;
	json_t *info;	    /* /info or the engine-info file; NULL when unknown */
	json_t *containers; /* array of inspect documents */
	struct audit_container *cs;
	size_t n_cs;
	json_t *images; /* /images/json live; NULL offline */
	struct audit_daemon daemon;
	double engine_seconds;
	struct bw_buf audit_rules; /* auditd rules, loaded on first use */
	bool audit_rules_loaded;
	char *audit_rules_sources;
	struct audit_image *image_reports; /* section 4, read on first use */
	size_t n_image_reports;
	bool images_linted;
};

struct audit_verdict {
	enum bw_status status;
	char evidence[2048];
};

struct audit_check;
/* The two kinds of check (audit-checks.h declares them with these types). */
typedef int audit_global_fn(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
typedef int audit_container_fn(struct audit_ctx *ctx, const struct audit_container *c,
			       struct audit_verdict *v);

struct audit_check {
	struct bw_audit_check_info info;
	audit_global_fn *global; /* one of these two, or neither (manual) */
	audit_container_fn *container;
	/* parameters of the generic file checks (files.c, host.c) */
	const char *paths; /* candidates, '|'-separated; "@key" = a daemon option's value */
	const char *owner; /* "root:root", "root:docker" */
	unsigned mode;	   /* most permissive mode allowed */
};

extern const struct audit_check audit_checks[];
extern const size_t audit_n_checks;

/* Set the verdict; returns 0 so checks read `return verdict(...)`. */
int verdict(struct audit_verdict *v, enum bw_status s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- inputs (inputs.c, daemon_config.c) ---- */
int audit_load_live(struct audit_ctx *ctx, struct bw_error *err);
void audit_load_offline(struct audit_ctx *ctx);
void audit_index_containers(struct audit_ctx *ctx);
void audit_scan_processes(struct audit_ctx *ctx);
void audit_daemon_load(struct audit_ctx *ctx);
void audit_daemon_release(struct audit_daemon *d);
/* Parse a dockerd argv into d (exposed for tests). */
void audit_daemon_apply_cmdline(struct audit_daemon *d, char *const *argv, size_t argc);
/* A daemon option: NULL when unset. *src names where it was set. */
json_t *audit_daemon_get(const struct audit_ctx *ctx, const char *key, const char **src);

/* ---- section 4 (images.c) ---- */
void audit_images_release(struct audit_ctx *ctx);

/* ---- helpers (util.c) ---- */
/* host_root + path, a new string. */
char *audit_path(const struct audit_ctx *ctx, const char *path);
/* Dotted look-up in JSON ("HostConfig.Privileged"); NULL when absent. */
json_t *jget(json_t *j, const char *dotted);
const char *jstr(json_t *j, const char *dotted);
long long jint(json_t *j, const char *dotted, long long dflt);
bool jtrue(json_t *j, const char *dotted);
/* A group's gid and members from <root>/etc/group; false when absent. */
bool audit_group_lookup(const struct audit_ctx *ctx, const char *name, long *gid, char *members,
			size_t members_len);
/* Owner name "uid:gid" rendered with names from <root>/etc/{passwd,group}. */
void audit_owner_string(const struct audit_ctx *ctx, const struct stat *st, char *out, size_t outlen);
/* Stat a file under the host root (no following of the last symlink). */
int audit_lstat(const struct audit_ctx *ctx, const char *path, struct stat *st);

#endif
