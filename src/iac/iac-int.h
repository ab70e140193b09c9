/* Private declarations of src/iac: the rule framework, the Kubernetes
 * object walk, compose projects and interpolation. */
#ifndef BW_IAC_INT_H
#define BW_IAC_INT_H

#include <limits.h>

#include "iac.h"

#define IAC_GROW(arr, n, cap)                                                                                \
	do {                                                                                                 \
		if ((n) == (cap)) {                                                                          \
			(cap) = (cap) ? (cap)*2 : 8;                                                         \
			(arr) = bw_realloc((arr), (cap) * sizeof(*(arr)));                                   \
		}                                                                                            \
	} while (0)

/* ---- configuration ------------------------------------------------------- */

struct iac_registry {
	char *pattern; /* "docker.io", "*.corp.example" */
};

struct bw_iac_config {
	char **disabled; /* own or peer ids, heap */
	size_t n_disabled, cap_disabled;
	char **trusted; /* registry patterns */
	size_t n_trusted, cap_trusted;
	char **env; /* NAME=VALUE for interpolation; NULL: the process environment */
	size_t n_env, cap_env;
	bool env_set;
	struct iac_baseline *baseline; /* baseline.c, or NULL */
};

struct iac_baseline;
struct iac_exception;
void iac_baseline_free(struct iac_baseline *b);
/* Kubernetes CPU quantities in millicores, memory in bytes (compose's
 * units when compose is true); -1 when s is not one. */
long long iac_parse_cpu(const char *s);
long long iac_parse_memory(const char *s, bool compose);

/* ---- Kubernetes (k8s.c) -------------------------------------------------- */

struct k8s_container {
	const struct bw_yaml_node *node; /* the container's map */
	const char *name;
	const char *list; /* "containers", "initContainers", "ephemeralContainers" */
};

/* One object of a manifest (a List's items are objects of their own). */
struct k8s_object {
	const struct bw_yaml_node *node; /* the object's map */
	const char *api_version, *kind, *name, *ns;
	const struct bw_yaml_node *meta;     /* metadata */
	const struct bw_yaml_node *pod;	     /* the pod spec of a workload, or NULL */
	const struct bw_yaml_node *pod_meta; /* the pod template's metadata (the Pod's own) */
	const char *pod_path;		     /* "spec", "spec.template.spec", … */
	struct k8s_container *ctr;	     /* heap */
	size_t n_ctr;
};

/* Is root the map of a Kubernetes object (apiVersion and kind scalars)? */
bool k8s_is_object(const struct bw_yaml_node *root);
/* Call fn for every object of a document root (a List's items, each). */
typedef void (*k8s_object_fn)(void *ud, struct k8s_object *o);
void k8s_each_object(const struct bw_yaml_node *root, k8s_object_fn fn, void *ud);
bool k8s_is_workload_kind(const char *kind);

/* ---- compose (compose.c, interp.c) --------------------------------------- */

/* Is root the map of a compose file (a "services" mapping)? */
bool compose_is_project(const struct bw_yaml_node *root);

struct compose_service {
	const char *name;
	const struct bw_yaml_node *key;	 /* the service's name key */
	const struct bw_yaml_node *node; /* its map (extends resolved) */
	const char *file;		 /* where it is defined */
};

struct compose_env {
	char **names, **values; /* heap */
	size_t n, cap;
	const struct bw_iac_config *cfg; /* its env, or the process environment */
};

/* Read a .env file (KEY=VALUE, export KEY=VALUE, quotes, # comments, values
 * interpolated from earlier lines and the environment). A missing file is
 * no error. Loops and unset required variables are errors naming the line. */
int compose_env_load(struct compose_env *e, const char *path, struct bw_error *err);
void compose_env_release(struct compose_env *e);
const char *compose_env_get(const struct compose_env *e, const char *name);

struct compose_project;
/* Take f (parsed, not yet interpolated; owned by the project from now on,
 * even on failure) as the main file of a project: .env beside it read,
 * values interpolated, include and extends resolved. Warnings (unset
 * variables) go to r when not NULL. */
int compose_project_load(struct bw_yaml_file *f, const struct bw_iac_config *cfg, struct bw_report *r,
			 struct compose_project **out, struct bw_error *err);
void compose_project_free(struct compose_project *p);
size_t compose_project_services(const struct compose_project *p, const struct compose_service **out);
const struct bw_yaml_node *compose_project_root(const struct compose_project *p);

/* Interpolate s[0..len) (${VAR}, $VAR, ${VAR:-d}, ${VAR-d}, ${VAR:?e},
 * ${VAR?e}, ${VAR:+a}, ${VAR+a}, $$). *out is a heap string (free it).
 * An unset ${VAR:?e} is BW_EINPUT with e's text; *warn is set to a heap
 * message for a variable that is unset without a default (or NULL). */
int compose_interpolate(const struct compose_env *e, const char *s, size_t len, char **out, char **warn,
			struct bw_error *err);

/* ---- rules (rules.c, rules_k8s.c, rules_compose.c) ----------------------- */

enum iac_target {
	IAC_K8S = 0,
	IAC_COMPOSE,
	IAC_BASELINE, /* both, when a baseline is given */
};

struct iac_ctx;
struct iac_rule;
struct iac_fixes;

/* Where a rule's fix sets its path: the container holding the finding (or
 * else the pod spec), the pod spec, the compose service. */
enum iac_fix_scope {
	IAC_FIX_NONE = 0,
	IAC_FIX_CONTAINER,
	IAC_FIX_POD,
	IAC_FIX_SERVICE,
};
typedef void (*iac_check_fn)(struct iac_ctx *c, const struct iac_rule *r);

struct iac_rule {
	const char *id;
	enum bw_severity severity;
	const char *title;
	const char *equivalent[10];
	enum iac_target target;
	iac_check_fn check;
	const char *rationale;
	const char *bad, *good; /* a manifest / compose file that breaks / follows it */
	const char *remediation;
	bool default_off;
	/* the fix: set fix_path to fix_value (YAML text) where fix_scope says */
	enum iac_fix_scope fix_scope;
	const char *fix_path, *fix_value;
};

extern const struct iac_rule iac_k8s_rules[]; /* rules_k8s_table.c */
extern const size_t iac_n_k8s_rules;
extern const struct iac_rule iac_compose_rules[]; /* rules_compose_table.c */
extern const size_t iac_n_compose_rules;
extern const struct iac_rule iac_baseline_rules[]; /* rules_baseline_table.c */
extern const size_t iac_n_baseline_rules;
/* Rule i of the three tables (Kubernetes, compose, baseline). */
const struct iac_rule *iac_rule_at(size_t i);

struct iac_ctx {
	struct bw_report *r;
	const struct bw_iac_config *cfg;
	/* kubernetes */
	const struct k8s_object *obj;
	/* compose */
	const struct compose_service *svc;
	const struct bw_yaml_node *project; /* the compose file's root */
	struct iac_fixes *fix;		    /* fix.c: collect edits instead of findings */
	size_t emitted;			    /* findings added */
	size_t objects;			    /* objects and services checked */
};

/* The baseline's unexpired exception that covers rule r for the object or
 * service of c (or the file of at), or NULL; its description for
 * suppressed_by. */
const struct iac_exception *iac_baseline_exception(const struct iac_ctx *c, const struct iac_rule *r,
						   const struct bw_yaml_node *at);
void iac_exception_describe(const struct iac_exception *x, char *out, size_t len);
/* BW-BASE-006 for every expired exception, at its line in the baseline. */
void iac_baseline_report_expired(const struct bw_iac_config *cfg, struct bw_report *r);
/* For a BW-BASE-005 finding's evidence: the required path and value. */
bool iac_baseline_required_at(const struct iac_baseline *b, const char *evidence, const char **path,
			      const struct bw_yaml_node **value);

/* Add a finding of rule r at node `at` (its file, line, column); suppressed
 * when a baseline exception covers it. */
void iac_emit(struct iac_ctx *c, const struct iac_rule *r, const struct bw_yaml_node *at, const char *fmt,
	      ...) __attribute__((format(printf, 4, 5)));

/* fix.c: the edit that fixes a finding of r at `at` (evidence: its text). */
void iac_fix_collect(struct iac_ctx *c, const struct iac_rule *r, const struct bw_yaml_node *at,
		     const char *evidence);
/* The parsed text the edits are offsets into (the reader's copy). */
void iac_fixes_bind(struct iac_fixes *fx, const char *text);
/* check.c: bw_iac_check_text collecting the edits of fixable findings into
 * fixes (findings are not added to r). */
int iac_check_text_fix(struct bw_report *r, const char *path, const char *text, size_t len,
		       const struct bw_iac_config *cfg, struct iac_fixes *fixes, struct bw_error *err);

typedef int (*iac_file_fn)(void *ud, const char *path, struct bw_error *err);
int iac_walk(const char *dir, int depth, iac_file_fn fn, void *ud, size_t *seen, struct bw_error *err);

/* Registry of an image reference ("docker.io" for "nginx"). */
void iac_image_registry(const char *image, char *out, size_t outlen);
/* Tag ("" none) and whether a digest pins it. */
void iac_image_tag(const char *image, char *tag, size_t taglen, bool *digest);
bool iac_registry_trusted(const struct bw_iac_config *cfg, const char *image);
/* Capability name without "CAP_", upper case, into out. */
void iac_cap_norm(const char *cap, char *out, size_t outlen);
bool iac_sensitive_host_path(const char *path);

/* The protocol spoken in the clear on port (a TLS form exists), or NULL. */
const char *iac_plaintext_port(int port);
/* Why a connection setting NAME=value goes without TLS, or NULL. */
const char *iac_plaintext_dsn(const char *name, const char *value);

/* A compose port (short "[IP:][PUB:]TARGET[/proto]" or long syntax). */
struct iac_port {
	char host_ip[64];	      /* "" when not given */
	int published, published_end; /* 0: not given (an ephemeral port) */
	int target, target_end;
	char proto[8];
};
int iac_compose_port(const struct bw_yaml_node *n, struct iac_port *out);
bool iac_engine_socket_path(const char *path);

#endif
